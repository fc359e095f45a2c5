from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, TodayOption, load_repo, resolve_today
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
    from tfcli.check import check as run_checks
    from tfcli.check import only_under, validate_targets
    from tfcli.load import is_minutes_file
    from tfcli.model import Severity
    from tfcli.output import count_words, message, problems_summary, write_problems
    from tfcli.write import append_step_summary

    fmt = FORMATS.pick(fmt)
    targets = validate_targets(paths or [])
    repo = load_repo([p for p in targets if p.is_file() and is_minutes_file(p)], report=False)
    problems = run_checks(repo, resolve_today(repo.config.timezone, today))
    if public:
        from tfcli.site.public_check import problems as public_problems

        problems = sorted([*problems, *public_problems(repo)], key=lambda p: p.sort_key())
    if targets:
        problems = only_under(problems, targets)
    write_problems(problems, fmt)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    n = len(repo.files)
    files_word = f"{n} file{'s' if n != 1 else ''}"
    headline = f"tf check: {count_words(errors, warnings)} in {files_word}"
    message(headline)
    if summary and not append_step_summary(problems_summary(problems, headline)):
        message("tf check: --summary: $GITHUB_STEP_SUMMARY is not set; no summary written")
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_FINDINGS)
