"""What the commands share: the global options, loading the repo, the output options."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tfcli.output import Format
from tfcli.reading import load_book as load_book
from tfcli.reading import load_repo as load_repo
from tfcli.reading import resolve_today as resolve_today
from tfcli.record import Frozen
from tfcli.record import init as _init

if TYPE_CHECKING:
    pass


def given(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """Option callback: a value given empty (`--owner ''`, often an unset shell variable) is a
    usage error, never taken as "not given", which would widen or change what a command does."""
    if value is not None and not value.strip():
        raise typer.BadParameter("is empty; give a value, or leave it out")
    return value


def given_path(value: str | Path) -> Path:
    """Parser for a path option or argument: the same rule as given(). Typer turns '' into
    Path('.') before any callback sees it, so the check runs on the text, as it is parsed."""
    if isinstance(value, Path):  # a default
        return value
    if not value.strip():
        raise typer.BadParameter("is empty; give a value, or leave it out")
    return Path(value)


def _days() -> Any:
    from typer._click.types import IntRange  # typer's own click

    class Days(IntRange):
        name = "number of days"

    return Days(0, 3650)


DAYS = _days()  # --due-within N

TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="Pretend today is YYYY-MM-DD (else $TF_TODAY, else today in the group's time zone).",
        metavar="YYYY-MM-DD",
        callback=given,
    ),
]


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        parser=given_path,
        help="Write the listing to FILE instead of stdout (replaced whole, never half-written; "
        "a new name or a regular file, see docs/export.md); needed for --format xlsx on a "
        "terminal.",
    ),
]


class Formats(Frozen):
    """The output formats one command offers: its --format option and its validation, from
    one list, so that help and behaviour cannot disagree."""

    __slots__ = ("allowed", "default", "note")
    allowed: tuple[Format, ...]
    default: Format
    note: str

    def __init__(self, allowed: tuple[Format, ...], default: Format, note: str = "") -> None:
        _init(self, allowed, default, note)

    def option(self) -> Any:
        names = ", ".join(f.value for f in self.allowed)
        extra = f"; {self.note}" if self.note else ""
        return typer.Option(
            "--format",
            "-f",
            help=f"Output format: {names} (default: {self.default.value}{extra}).",
            parser=self.parse,
            autocompletion=self.complete if os.environ.get("_TF_COMPLETE") else None,
            show_choices=False,
            metavar="FORMAT",
        )

    def parse(self, value: str | Format) -> str:
        """--format's value, for typer to make a Format of: any other than the command's own
        gets the message of `only`, naming those (an enum choice listed all eight formats, of
        every command)."""
        text = value.value if isinstance(value, Format) else value
        if text.lower() in {f.value for f in self.allowed}:
            return text.lower()
        names = ", ".join(f.value for f in self.allowed)
        from tfcli.errors import UsageError

        raise UsageError(f"--format {text} is not available here", f"use one of: {names}")

    def complete(self, incomplete: str) -> list[str]:
        return [f.value for f in self.allowed if f.value.startswith(incomplete.lower())]

    def pick(self, fmt: Format | None) -> Format:
        return only(fmt, self.allowed, self.default)


def only(fmt: Format | None, allowed: tuple[Format, ...], default: Format) -> Format:
    """The format a command was asked for, refusing ones it has no meaning for."""
    from tfcli.errors import UsageError

    chosen = fmt or default
    if chosen not in allowed:
        names = ", ".join(f.value for f in allowed)
        raise UsageError(f"--format {chosen.value} is not available here", f"use one of: {names}")
    return chosen
