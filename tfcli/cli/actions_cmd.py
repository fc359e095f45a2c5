"""`tf actions`: list, show and change action points. Logic lives in tfcli.actions,
tfcli.action_views, tfcli.digest and tfcli.action_change; here are only the options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import FormatOption, TodayOption, load_repo, only, resolve_today
from tfcli.errors import EXIT_FINDINGS, UsageError
from tfcli.output import Format

if TYPE_CHECKING:
    from datetime import date

    from tfcli.actions import Query, Roster, Tracked
    from tfcli.model import Repo

HELP = """List the action points of all meetings: by default the open ones (open and
in-progress), soonest deadline first, actions without a due date last.

Deadlines are dates in the group's time zone (tf.yml 'timezone'). "Today" is --today if
given, else $TF_TODAY, else the current date in that time zone (never the runner's UTC date).
An action due today is NOT overdue; it is overdue from the next day on: with --today
2022-07-09, an action due 2022-07-08 is overdue and one due 2022-07-09 is "due today".

Results go to stdout, counts and warnings to stderr. Listing never fails: exit 0, unless
--exit-code is given, then exit 1 when at least one action matched (like git diff
--exit-code), so 'tf actions --overdue --exit-code' can gate a CI job.

Examples:

  tf actions --overdue

  tf actions --owner UNHCR --due-within 7

  tf actions --by owner --format markdown

  tf actions --overdue --format github --summary --exit-code

  tf actions show 2022-06-24/1

  tf actions done 2022-06-24/1 --note "Shared by e-mail on 5 July"
"""

actions_app = typer.Typer(help=HELP, rich_markup_mode=None, no_args_is_help=False)
app.add_typer(actions_app, name="actions")

InPlace = Annotated[
    bool,
    typer.Option(
        "--in-place",
        help="Change the action in its own minutes, even when they are approved, instead of "
        "adding a follow-up to the latest draft or circulated meeting.",
    ),
]
Note = Annotated[
    str | None, typer.Option("--note", help="A note to record with the change.", metavar="TEXT")
]
ActionId = Annotated[str, typer.Argument(help="Action id, e.g. 2022-06-24/1.", metavar="ID")]


@actions_app.callback(invoke_without_command=True)
def list_actions(
    ctx: typer.Context,
    overdue: Annotated[
        bool,
        typer.Option(
            "--overdue", help="Only open actions due before today (due today is not overdue)."
        ),
    ] = False,
    due_within: Annotated[
        int | None,
        typer.Option(
            "--due-within",
            min=0,
            metavar="N",
            help="Only open actions due on or before today + N days, overdue ones included "
            "(0: due today or overdue).",
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="S",
            help="Only actions with this status: open, in-progress, done, dropped (repeatable).",
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Actions of every status, done and dropped too.")
    ] = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="X",
            help="Only actions owned by X: an organisation's name or short name (also when it "
            "owns them through a role such as 'chairs', or as 'Name (Organisation)'), a role, "
            "or a person. Case does not matter.",
        ),
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", metavar="ID", help="Only actions agreed at this meeting."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", metavar="TEXT", help="Only actions whose text, note or owner has TEXT."
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="owner",
            help="'owner': a digest per organisation of what is overdue and what is due in the "
            "next --due-within days (default 7), ready to paste into an e-mail (markdown, json).",
        ),
    ] = None,
    fmt: FormatOption = None,
    today: TodayOption = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when at least one action matched.")
    ] = False,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="Also append a Markdown table to $GITHUB_STEP_SUMMARY (when it is set).",
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from tfcli.actions import OPEN_STATUSES, Query, Roster, parse_status, select, track
    from tfcli.model import ACTION_STATUSES

    repo = load_repo()
    day = resolve_today(repo.config.timezone, today)
    roster = Roster(repo.config)
    statuses = OPEN_STATUSES
    if status:
        statuses = tuple(parse_status(s) for s in status)
    elif show_all:
        statuses = ACTION_STATUSES
    meeting_id = None
    if meeting:
        from tfcli.meetings import find_meeting

        meeting_id = find_meeting(repo, meeting).id
    query = Query(statuses, overdue, due_within, owner, meeting_id, search)
    chosen = select(track(repo), query, roster, day)

    if by is not None:
        if by.strip().lower() != "owner":
            raise UsageError(f"--by {by} is not known", "use --by owner")
        _digest(repo, chosen, roster, day, due_within, fmt)
    else:
        _write(repo, chosen, roster, day, fmt)
    if summary:
        _summary(chosen, day, query)
    _report(repo, chosen, roster, query, day)
    if exit_code and chosen:
        raise typer.Exit(EXIT_FINDINGS)


def _write(
    repo: Repo, chosen: list[Tracked], roster: Roster, day: date, fmt: Format | None
) -> None:
    import sys

    from tfcli.action_views import COLUMNS, as_json, github_annotations, row
    from tfcli.output import write_rows

    allowed = (Format.table, Format.json, Format.csv, Format.markdown, Format.github)
    chosen_fmt = only(fmt, allowed, Format.table)
    if chosen_fmt is Format.github:
        sys.stdout.write(github_annotations(chosen, day))
        return
    paths = {m.id: m.path for m in repo.meetings}
    json_rows = (
        [as_json(t, day, roster, paths) for t in chosen] if chosen_fmt is Format.json else None
    )
    write_rows([row(t, day) for t in chosen], COLUMNS, chosen_fmt, json_rows=json_rows)


def _digest(
    repo: Repo,
    chosen: list[Tracked],
    roster: Roster,
    day: date,
    within: int | None,
    fmt: Format | None,
) -> None:
    import sys

    from tfcli import digest
    from tfcli.output import write_json

    chosen_fmt = only(fmt, (Format.markdown, Format.json), Format.markdown)
    days = 7 if within is None else within
    groups = digest.groups(chosen, roster, day, days)
    if chosen_fmt is Format.json:
        paths = {m.id: m.path for m in repo.meetings}
        write_json(digest.as_json(groups, day, roster, paths), sys.stdout)
    else:
        sys.stdout.write(digest.render(groups, repo.config.group, day, days))


def _summary(chosen: list[Tracked], day: date, query: Query) -> None:
    import os

    from tfcli.action_views import summary
    from tfcli.output import message

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        message("tf actions: --summary: $GITHUB_STEP_SUMMARY is not set; no summary written")
        return
    what = "overdue" if query.overdue else "matching"
    try:
        with open(target, "a", encoding="utf-8") as f:
            f.write(summary(chosen, day, what))
    except OSError as e:
        raise UsageError(
            f"cannot write $GITHUB_STEP_SUMMARY ({target}): {e.strerror or e}"
        ) from None


def _report(repo: Repo, chosen: list[Tracked], roster: Roster, query: Query, day: date) -> None:
    from tfcli.output import message

    n = len(chosen)
    late = sum(t.overdue(day) for t in chosen)
    message(
        f"tf actions: {n} action{'s' if n != 1 else ''}, {late} overdue (today {day.isoformat()})"
    )
    if query.owner and not chosen and (hint := roster.unknown_hint(query.owner)):
        message(f"tf actions: {hint}")
    if repo.problems:
        message(f"tf actions: {len(repo.problems)} problem(s) in the minutes; run 'tf check'")


# -- one action --------------------------------------------------------------------------------


@actions_app.command("show")
def show_action(action: ActionId, fmt: FormatOption = None, today: TodayOption = None) -> None:
    """Show one action with its full history: original and current due date, every
    follow-up with its meeting, postponements, and the meeting that closed it.

    Examples:

      tf actions show 2022-06-24/1

      tf actions show 2022-06-24/1 --format json
    """
    import sys

    from tfcli.action_views import as_json, show
    from tfcli.actions import Roster, find, track
    from tfcli.output import safe, write_json

    chosen_fmt = only(fmt, (Format.text, Format.json), Format.text)
    repo = load_repo()
    day = resolve_today(repo.config.timezone, today)
    t = find(track(repo), action)
    roster = Roster(repo.config)
    paths = {m.id: m.path for m in repo.meetings}
    if chosen_fmt is Format.json:
        write_json(as_json(t, day, roster, paths), sys.stdout)
    else:
        sys.stdout.write(safe(show(t, day, roster, paths)))


def _change(
    action: str,
    in_place: bool,
    status: str | None = None,
    due: date | None = None,
    note: str | None = None,
) -> None:
    from tfcli.action_change import Change, apply
    from tfcli.actions import find, track
    from tfcli.output import message

    if note is not None:
        note = note.strip()
        if not note or any(0xD800 <= ord(c) <= 0xDFFF for c in note):
            raise UsageError("--note must be some text", 'e.g. --note "Shared on 5 July"')
    repo = load_repo()
    t = find(track(repo), action)
    outcome = apply(repo, t, Change(status, due, note), in_place)
    message(f"tf actions: {outcome.message}")


@actions_app.command("done")
def done(action: ActionId, note: Note = None, in_place: InPlace = False) -> None:
    """Mark an action done.

    Recorded as a follow-up ('updates:') in the latest draft or circulated meeting after the
    action's own; without one, in place in the action, unless its minutes are approved (then
    create the next meeting with 'tf new-meeting' first, or pass --in-place). Only the lines
    that change are written; comments, quoting and line endings stay. See docs/actions.md.

    Examples:

      tf actions done 2022-06-24/1 --note "Shared by e-mail on 5 July"

      tf actions done 2022-06-24/1 --in-place
    """
    _change(action, in_place, "done", note=note)


@actions_app.command("start")
def start(action: ActionId, note: Note = None, in_place: InPlace = False) -> None:
    """Mark an action in progress (recorded like 'tf actions done').

    Examples:

      tf actions start 2022-06-24/2 --note "Draft circulated"
    """
    _change(action, in_place, "in-progress", note=note)


@actions_app.command("reopen")
def reopen(action: ActionId, note: Note = None, in_place: InPlace = False) -> None:
    """Open a done or dropped action again (recorded like 'tf actions done').

    Examples:

      tf actions reopen 2022-06-24/1 --note "The recommendations were updated"
    """
    _change(action, in_place, "open", note=note)


@actions_app.command("drop")
def drop(action: ActionId, note: Note = None, in_place: InPlace = False) -> None:
    """Drop an action: it will not be done (recorded like 'tf actions done').

    Examples:

      tf actions drop 2022-06-24/2 --note "Covered by the national action plan"
    """
    _change(action, in_place, "dropped", note=note)


@actions_app.command("due")
def revise_due(
    action: ActionId,
    new_due: Annotated[str, typer.Argument(help="The new deadline.", metavar="YYYY-MM-DD")],
    note: Note = None,
    in_place: InPlace = False,
) -> None:
    """Revise an action's deadline (recorded like 'tf actions done'); the original deadline
    stays in the record and 'tf actions show' counts the postponements.

    Examples:

      tf actions due 2022-06-24/1 2022-07-22 --note "Waiting for the OSCE text"
    """
    import re
    from datetime import date

    from tfcli.fields import guess_date

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", new_due):
            raise ValueError
        day = date.fromisoformat(new_due)
    except ValueError:
        guess = guess_date(new_due, None)
        hint = f"write {guess.isoformat()}" if guess else "write YYYY-MM-DD, e.g. 2022-07-22"
        raise UsageError(f"'{new_due}' is not a date", hint) from None
    _change(action, in_place, due=day, note=note)
