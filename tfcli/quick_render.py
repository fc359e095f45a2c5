"""`tf render` run before the Typer app is imported (tfcli.quick): typer and its click are
about 0.03 s of a rebuild that takes a few tenths (a meeting added, at 5,000 meetings).

It recognises only command lines whose parse is certain: `tf render` followed by `--out DIR`
(`-o DIR`, `--out=DIR`), `--today D` (`--today=D`), `--no-cache` and `--include-restricted`,
each given once, written out in full, with values the app would take as they are (not empty,
not looking like an option; an output folder that exists and cannot be read is click's to
refuse). Anything else (`-C DIR` and tf's other root options, `--jobs`, `--help`, `--color`,
a repeated option, `--`) goes to the app, which parses it as always. The work is the
command's own function (tfcli.site.run.render), so both paths write the same bytes
(tests/test_quick_render.py runs command lines through both)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_FLAGS = {"--no-cache": "no_cache", "--include-restricted": "include_restricted"}
_VALUES = {"--out": "out", "-o": "out", "--today": "today"}


def parse(args: list[str]) -> dict[str, object] | None:
    """The options of `tf render ARGS` when the app would certainly parse them so; else None."""
    options: dict[str, object] = {}
    it = iter(args)
    for arg in it:
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        value: object
        if name in _FLAGS and not eq:
            field, value = _FLAGS[name], True
        elif name in _VALUES:
            text = attached if eq else next(it, None)
            if text is None or not text.strip() or text.startswith("-"):
                return None
            field = _VALUES[name]
            if field == "out":
                try:
                    os.stat(text)
                except OSError:  # not there yet (or unreachable): click takes it as it is
                    pass
                else:
                    if not os.access(text, os.R_OK):  # click.Path(readable=True) refuses it
                        return None
                value = Path(text)
            else:
                value = text
        else:
            return None
        if field in options:
            return None
        options[field] = value
    return options


def answered(args: list[str]) -> bool:
    """`tf render ARGS` run here when their parse is certain; False: nothing was done."""
    got = parse(args)
    if got is None:
        return False
    from tfcli.site.run import render

    render(
        got.get("out"),  # type: ignore[arg-type]
        bool(got.get("include_restricted")),
        None,
        bool(got.get("no_cache")),
        got.get("today"),  # type: ignore[arg-type]
        _echo,
    )
    return True


def _echo(text: str) -> None:
    """As typer.echo writes the folder's path: a plain one written here; anything click might
    change (escape sequences it strips on a pipe, text the stream cannot encode), by click."""
    if text.isascii() and text.isprintable():
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return
    import typer

    typer.echo(text)
