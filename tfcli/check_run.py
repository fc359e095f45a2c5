"""`tf check` as one function of its options (the Typer command, tfcli/cli/check_cmd.py, and
the quick path, tfcli/quick.py, both call it): load, run the rules, write the problems and
the headline. Returns the exit status."""

from __future__ import annotations

import sys
from pathlib import Path

from tfcli.errors import EXIT_FINDINGS
from tfcli.output import Format


def run(
    paths: list[Path],
    fmt: Format,
    strict: bool = False,
    summary: bool = False,
    show_source: bool | None = None,
    public: bool = False,
    today: str | None = None,
) -> int:
    from tfcli.check import check_book
    from tfcli.model import Severity
    from tfcli.output import count_words, message, problems_summary, write_problems
    from tfcli.paths import display_path
    from tfcli.reading import load_book, load_repo, resolve_today
    from tfcli.rows import Book, sheet_of, sort
    from tfcli.selection import require_existing, select
    from tfcli.term import is_tty, width
    from tfcli.unloaded import blame_unloaded

    require_existing(paths)
    if public:  # it reads the meetings themselves
        repo = load_repo(report=False)
        selection = select(repo, paths)
        book = Book.of_repo(repo)
    else:
        book = load_book()
        repo = book.repo()  # the same files and problems, no meeting
        selection = select(repo, paths)
        # Files named that the loader skips (`_drafts/`...): `select` read them into `repo`.
        extra = [sheet_of(m, book.config) for m in repo.meetings]
        book.sheets = sort([*book.sheets, *extra]) if extra else book.sheets
    problems = check_book(book, resolve_today(book.config.timezone, today))
    problems = blame_unloaded(problems, lambda: [display_path(s.path) for s in book.sheets])
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
    return EXIT_FINDINGS if errors or (strict and warnings) else 0


def _append_summary(text: str) -> bool:
    from tfcli.write_report import append_step_summary  # the writer's module only for --summary

    return append_step_summary(text, "tf check")
