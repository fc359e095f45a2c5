from __future__ import annotations

from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, load_repo
from tfcli.output import Format

FORMATS = Formats((Format.table, Format.json, Format.csv, Format.markdown), Format.table)


@app.command("list")
def list_meetings(fmt: Annotated[Format | None, FORMATS.option()] = None) -> None:
    """List the meetings: date, id, title, minutes status, visibility, open actions.

    Examples:

      tf list

      tf list --format csv > meetings.csv
    """
    from tfcli.actions import open_counts, track
    from tfcli.meetings import ROW_COLUMNS, meeting_rows
    from tfcli.output import write_rows

    fmt = FORMATS.pick(fmt)
    repo = load_repo()
    tracked = track(repo)
    counts = open_counts(tracked)
    rows = meeting_rows(repo, lambda m: counts.get(m.id, 0))
    write_rows(rows, ROW_COLUMNS, fmt)


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
