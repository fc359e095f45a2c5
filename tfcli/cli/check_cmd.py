from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, TodayOption
from tfcli.output import Format

FORMATS = Formats((Format.text, Format.json, Format.github), Format.text)


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to report on (default: the whole minutes folder)."),
    ] = None,
    fmt: Annotated[Format | None, FORMATS.option()] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary", help="Also append a table of the problems to $GITHUB_STEP_SUMMARY."
        ),
    ] = False,
    show_source: Annotated[
        bool | None,
        typer.Option(
            "--show-source/--no-show-source",
            help="Show the line of each problem with a caret under the column, and a count by "
            "rule and by file (default: on a terminal; text format only).",
        ),
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Also warn about e-mail addresses and phone numbers in public minutes.",
        ),
    ] = False,
    today: TodayOption = None,
) -> None:
    """Validate every minutes file: one line per problem, with file, line, column and a hint.

    Exit 0 when clean, 1 when errors were found (or warnings, with --strict).

    Examples:

      tf check

      tf check minutes/2022-06-24-anti-trafficking-task-force.md

      tf check --format github --strict --summary    # in a GitHub Actions job
    """
    from tfcli.check_run import run

    code = run(paths or [], FORMATS.pick(fmt), strict, summary, show_source, public, today)
    if code:
        raise typer.Exit(code)
