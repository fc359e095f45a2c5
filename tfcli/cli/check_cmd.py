import sys
from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, TodayOption, load_book, load_repo, resolve_today
from tfcli.errors import EXIT_FINDINGS
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
    from tfcli.check import check_book
    from tfcli.model import Severity
    from tfcli.output import count_words, message, problems_summary, write_problems
    from tfcli.selection import require_existing, select
    from tfcli.term import is_tty, width

    fmt = FORMATS.pick(fmt)
    require_existing(paths or [])
    from tfcli.rows import Book, sheet_of, sort

    if public:  # it reads the meetings themselves
        repo = load_repo(report=False)
        selection = select(repo, paths or [])
        book = Book.of_repo(repo)
    else:
        book = load_book()
        repo = book.repo()  # the same files and problems, no meeting
        selection = select(repo, paths or [])
        # Files named that the loader skips (`_drafts/`...): `select` read them into `repo`.
        extra = [sheet_of(m, book.config) for m in repo.meetings]
        book.sheets = sort([*book.sheets, *extra]) if extra else book.sheets
    problems = check_book(book, resolve_today(book.config.timezone, today))
    if public:
        from tfcli.site.public_check import problems as public_problems

        problems = sorted([*problems, *public_problems(repo)], key=lambda p: p.sort_key())
    problems = selection.keep(problems)
    if fmt is Format.text and (show_source if show_source is not None else is_tty(sys.stdout)):
        from tfcli.output import use_colour
        from tfcli.source import write_with_source

        write_with_source(problems, sys.stdout, use_colour(sys.stdout), width(sys.stdout))
    else:
        write_problems(problems, fmt)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    infos = len(problems) - errors - warnings  # notes: never a finding, not even --strict
    n = selection.count
    files_word = f"{n} file{'s' if n != 1 else ''}"
    notes = f", {infos} note{'s' if infos != 1 else ''}" if infos else ""
    headline = f"tf check: {count_words(errors, warnings)}{notes} in {files_word}"
    message(headline)
    if summary and not _append_summary(problems_summary(problems, headline)):
        message("tf check: --summary: $GITHUB_STEP_SUMMARY is not set; no summary written")
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_FINDINGS)


def _append_summary(text: str) -> bool:
    from tfcli.write_report import append_step_summary  # the writer's module only for --summary

    return append_step_summary(text)
