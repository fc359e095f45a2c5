"""`tf export`: the minutes as data for other tools. Logic in tfcli.export_sqlite."""

from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import given_path, load_repo


@app.command("export")
def export(
    sqlite: Annotated[
        Path,
        typer.Option(
            "--sqlite",
            metavar="FILE",
            parser=given_path,
            help="Write a SQLite database: meetings, actions, action_owners, updates, "
            "attendance, decisions, organisations, with primary and foreign keys.",
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE when it exists (else refused).")
    ] = False,
) -> None:
    """Export the minutes as a SQLite database for sqlite-utils, Datasette or any SQL tool.

    The database is built in a temp file beside FILE and renamed into place, so FILE is
    never half-written. See docs/export.md for the tables.

    Examples:

      tf export --sqlite minutes.db

      tf export --sqlite minutes.db --force
    """
    from tfcli.export_sqlite import export as run
    from tfcli.output import message
    from tfcli.paths import display_path

    c = run(load_repo(), sqlite, force)
    skipped = f", {c.skipped} skipped (see tf check)" if c.skipped else ""
    message(
        f"tf export: {display_path(sqlite)}: {c.meetings} meetings, {c.actions} actions, "
        f"{c.updates} follow-ups{skipped}"
    )
