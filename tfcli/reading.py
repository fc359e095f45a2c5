"""Reading the minutes as the commands do: a progress bar on a terminal, and (but for
`tf check`) the files that could not be used said on stderr. Apart from tfcli/cli, so that
the quick path (tfcli/quick.py) reads them as the commands do without importing Typer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tfcli.model import Repo
    from tfcli.rows import Book


def load_repo(extra: list[Path] | None = None, report: bool = True) -> Repo:
    """The repo as seen from the working directory (`tf -C DIR` changes into DIR first).

    Commands other than `tf check` say on stderr which files they could not use, so that a
    broken file never silently drops its meeting and its actions from a listing."""
    import sys

    from tfcli.load import load_repo as _load

    if not sys.stderr.isatty():  # no progress bar: nothing more to import
        repo = _load(None, extra or [])
    else:
        from tfcli.progress import Progress

        progress = Progress("Reading the minutes")
        try:
            repo = _load(None, extra or [], progress)
        finally:
            progress.close()
    if report and repo.problems:  # nothing to report: no module to import, no path to show
        from tfcli.meetings import unusable_report
        from tfcli.output import message

        for line in unusable_report(repo):
            message(line)
    return repo


def load_book() -> Book:
    """The minutes as `tf check` reads them (tfcli.rows), with the progress bar of
    `load_repo`; it reports nothing itself."""
    import sys

    from tfcli.load import load_book as _load

    if not sys.stderr.isatty():
        return _load()
    from tfcli.progress import Progress

    progress = Progress("Reading the minutes")
    try:
        return _load(None, progress)
    finally:
        progress.close()


def resolve_today(repo_timezone: str, override: str | None) -> date:
    from tfcli.dates import today

    return today(repo_timezone, override)
