from __future__ import annotations

from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, load_repo
from tfcli.output import Format

FORMATS = Formats(
    (Format.table, Format.json, Format.csv, Format.markdown, Format.xlsx),
    Format.table,
    "xlsx: redirect it to a file",
)


@app.command("list")
def list_meetings(fmt: Annotated[Format | None, FORMATS.option()] = None) -> None:
    """List the meetings: date, id, title, minutes status, visibility, open actions.

    Examples:

      tf list

      tf list --format csv > meetings.csv

      tf list --format xlsx > meetings.xlsx
    """
    from tfcli.actions import open_counts, track
    from tfcli.emit import emit_rows
    from tfcli.meetings import ROW_COLUMNS, meeting_rows
    from tfcli.model import MINUTES_STATUSES
    from tfcli.xlsx import Layout

    fmt = FORMATS.pick(fmt)
    repo = load_repo()
    tracked = track(repo)
    counts = open_counts(tracked)
    rows = meeting_rows(repo, lambda m: counts.get(m.id, 0))
    layout = Layout("Meetings", split_key="status", split_order=MINUTES_STATUSES)
    emit_rows(rows, ROW_COLUMNS, fmt, layout=layout)


@app.command()
def show(
    meeting: Annotated[
        str,
        typer.Argument(
            help="Meeting id or date (2022-06-24), or a file path.", metavar="DATE|ID|PATH"
        ),
    ],
) -> None:
    """Show one meeting, readable: details, participants, agenda, decisions, actions, body.

    Examples:

      tf show 2022-06-24

      tf show minutes/2022-06-24-anti-trafficking-task-force.md
    """
    from tfcli.actions import track
    from tfcli.meetings import find_meeting, render_meeting

    repo = load_repo()
    m = find_meeting(repo, meeting)
    typer.echo(render_meeting(m, repo, track(repo)), nl=False)
