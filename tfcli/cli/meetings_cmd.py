from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, OutputOption, TodayOption, load_repo, resolve_today
from tfcli.cli.complete import meeting_ids, when_completing
from tfcli.cli.termopts import paged
from tfcli.output import Format

FORMATS = Formats(
    (Format.table, Format.json, Format.csv, Format.markdown, Format.xlsx),
    Format.table,
    "xlsx: a workbook, with --output FILE or redirected to a file",
)


@app.command("list")
def list_meetings(
    fmt: Annotated[Format | None, FORMATS.option()] = None,
    today: TodayOption = None,
    output: OutputOption = None,
) -> None:
    """List the meetings: date, id, title, minutes status, visibility, open actions, how many
    of them are overdue today (--today), file.

    On a narrow terminal the Visibility, then File, then Open actions, then Overdue columns
    are left out first; on a very narrow one (under about 55 columns) each meeting becomes a
    block of "Key: value" lines. Into a pipe or a file, every column, one meeting per line.

    Examples:

      tf list

      tf list --format csv > meetings.csv

      tf list --today 2022-07-09

      tf list --format xlsx --output meetings.xlsx
    """
    from tfcli.actions import open_counts, track
    from tfcli.emit import emit_rows
    from tfcli.meetings import ROW_COLUMNS, meeting_rows, overdue_counts
    from tfcli.model import MINUTES_STATUSES
    from tfcli.xlsx import Layout

    fmt = FORMATS.pick(fmt)
    if output is None:  # a file: nothing to page
        paged()
    repo = load_repo()
    tracked = track(repo)
    counts = open_counts(tracked)
    late = overdue_counts(tracked, resolve_today(repo.config.timezone, today))
    rows = meeting_rows(repo, lambda m: counts.get(m.id, 0), lambda m: late.get(m.id, 0))
    layout = Layout("Meetings", split_key="status", split_order=MINUTES_STATUSES)
    emit_rows(rows, ROW_COLUMNS, fmt, output, layout=layout)


@app.command()
def show(
    meeting: Annotated[
        str,
        typer.Argument(
            help="Meeting id or date (2022-06-24), or a file path.",
            metavar="DATE|ID|PATH",
            autocompletion=when_completing(meeting_ids),
        ),
    ],
    today: TodayOption = None,
) -> None:
    """Show one meeting, readable: details, participants, agenda, decisions, actions, body.

    Each open action says how late it is on --today; circulated minutes say when their
    silence procedure has ended.

    Examples:

      tf show 2022-06-24

      tf show minutes/2022-06-24-anti-trafficking-task-force.md

      tf show 2022-06-24 --today 2022-07-09
    """
    from tfcli.actions import track
    from tfcli.meetings import find_meeting, render_meeting

    paged()
    repo = load_repo()
    m = find_meeting(repo, meeting)
    now = resolve_today(repo.config.timezone, today)
    typer.echo(render_meeting(m, repo, track(repo), now), nl=False)
