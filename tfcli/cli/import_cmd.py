"""`tf import-actions`: an existing tracker's open actions as a baseline file. Logic in
tfcli.importer (rows to actions) and tfcli.tracker (reading the CSV or Excel file)."""

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import TodayOption, given, load_repo, resolve_today


@app.command("import-actions")
def import_actions(
    source: Annotated[
        Path,
        typer.Argument(
            help="The tracker: a .csv (comma, semicolon or tab; UTF-8 or Windows-1252) or "
            ".xlsx file.",
            metavar="TRACKER",
            exists=True,
            dir_okay=False,
        ),
    ],
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="ROLE=HEADER",
            help="Which column holds what, when its header is not one tf knows: ROLE is id, "
            "action, owner, due, status, agenda or note; HEADER a header or a column letter "
            "(--column action='Agreed action' --column due=E). Repeatable.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The sheet of an .xlsx workbook (default: the first with a header naming "
            "the actions).",
            callback=given,
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Date of the baseline (default: the day before the first meeting, and "
            "yesterday at the latest).",
            callback=given,
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Import the done and dropped actions too.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the file to stdout; write nothing.")
    ] = False,
    today: TodayOption = None,
) -> None:
    """Bring the open actions of an existing tracker (the Excel or CSV action-point matrix:
    No., Action, Responsible, Deadline, Status, Comments...) into a baseline file,
    minutes/<date>-baseline.md, that later meetings follow up as <date>-baseline/<No.>.

    Each action keeps the tracker's wording. What cannot be read (a deadline in words, an
    unknown status, an empty action) is reported on stderr with its row and column, and
    kept in the action's note. Never overwrites a file. See docs/import.md.

    Examples:

      tf import-actions tracker.xlsx --dry-run

      tf import-actions "Action points.csv" --column owner="Focal point"
    """
    from tfcli import importer
    from tfcli.dates import parse_iso
    from tfcli.output import message
    from tfcli.paths import display_path
    from tfcli.write import create_new, locked

    overrides = importer.parse_columns(columns or [])
    name = f"tf import-actions: {source.name}"
    with contextlib.nullcontext() if dry_run else locked():  # --dry-run never waits
        repo = load_repo()
        now = resolve_today(repo.config.timezone, today)
        when = parse_iso(day, "--date") if day else importer.baseline_date(repo, now)
        imp, text, target = importer.build(source, repo, when, overrides, sheet, every)
        for line in imp.report:
            message(f"{name}: {line}")
        if imp.closed:
            s = "s" if imp.closed != 1 else ""
            message(f"{name}: {imp.closed} done or dropped row{s} left out (--all imports them)")
        shown = display_path(target)
        if not imp.rows:
            message(f"{name}: no open action to import; nothing written")
            return
        if dry_run:
            typer.echo(text, nl=False)
            message(f"{name}: dry run, nothing written (would create {shown})")
            return
        create_new(target, text.encode("utf-8"))
    typer.echo(shown)
    n = len(imp.rows)
    message(
        f"{name}: created {shown} ({n} action{'s' if n != 1 else ''}; follow them up as "
        f"{target.stem}/<id>)"
    )
