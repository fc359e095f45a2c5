"""`--color` and `--no-pager` on every command, added in one place (the app's group class
calls `add_to`) rather than declared by each command. They set tfcli.term.SETTINGS while the
command line is parsed and are not passed to the commands."""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.core import TyperOption

from tfcli.term import COLOR_CHOICES, SETTINGS

COLOR_HELP = (
    "Colour: auto (on a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR or "
    "CLICOLOR_FORCE force it), always or never."
)
PAGER_HELP = "Do not page long output (else $TF_PAGER, $PAGER or 'less -FRX' on a terminal)."

_contexts: list[Any] = []  # the command's context, so that paging can end with it


def reset() -> None:
    SETTINGS.color, SETTINGS.pager = "auto", True
    _contexts.clear()


def _set_color(ctx: typer.Context, param: Any, value: str | None) -> None:
    if value is None:
        return
    if value.lower() not in COLOR_CHOICES:
        raise typer.BadParameter(f"'{value}' is not one of: {', '.join(COLOR_CHOICES)}")
    SETTINGS.color = value.lower()


def _set_no_pager(ctx: typer.Context, param: Any, value: bool) -> None:
    _contexts.append(ctx)
    if value:
        SETTINGS.pager = False


def _colors(ctx: Any, args: Any, incomplete: str) -> list[str]:
    return [c for c in COLOR_CHOICES if c.startswith(incomplete)]


def options() -> list[TyperOption]:
    return [
        TyperOption(
            param_decls=["--color", "--colour"],
            type=str,
            default=None,
            metavar="WHEN",
            help=COLOR_HELP,
            expose_value=False,
            is_eager=True,
            callback=_set_color,
            autocompletion=_colors if os.environ.get("_TF_COMPLETE") else None,
        ),
        TyperOption(
            param_decls=["--no-pager"],
            is_flag=True,
            default=False,
            help=PAGER_HELP,
            expose_value=False,
            callback=_set_no_pager,
        ),
    ]


def add_to(cmd: Any) -> Any:
    """Give `cmd` the options (once); a group gives them to each subcommand as it is looked
    up, so that a run builds them only for the commands on its command line."""
    if cmd is None or getattr(cmd, "_tf_term_options", False):
        return cmd
    cmd._tf_term_options = True
    cmd.params.extend(options())
    if hasattr(cmd, "commands"):
        lookup = cmd.get_command
        cmd.get_command = lambda ctx, name: add_to(lookup(ctx, name))
    return cmd


def paged() -> None:
    """Page what the running command writes to stdout, when tfcli.term says to."""
    from tfcli.term import start_paging

    if _contexts:
        start_paging(_contexts[-1].call_on_close)
