"""`tf actions`: list, show and change action points. Logic lives in tfcli.actions,
tfcli.action_views, tfcli.digest and tfcli.action_change; here are only the options."""

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import (
    DAYS,
    Formats,
    OutputOption,
    TodayOption,
    given,
    given_path,
    load_repo,
    resolve_today,
)
from tfcli.cli.complete import action_ids, meeting_ids, owners, statuses, when_completing
from tfcli.cli.termopts import paged
from tfcli.errors import EXIT_FINDINGS, UsageError
from tfcli.output import Format

if TYPE_CHECKING:
    pass

HELP = """List the action points of all meetings: by default the open ones (open and
in-progress), soonest deadline first, actions without a due date last.

Deadlines are dates in the group's time zone (tf.yml 'timezone'). "Today" is --today if
given (after the command or before it: tf --today D actions), else $TF_TODAY, else the current
date in that time zone (never the runner's UTC date).
An action due today is NOT overdue; it is overdue from the next day on: with --today
2022-07-09, an action due 2022-07-08 is overdue and one due 2022-07-09 is "due today".

On a narrow terminal the Meeting, then Status, then Due columns are left out first (When,
which says "overdue" or "done" in words, stays); on a very narrow one (under about 60
columns) each action becomes a block of "Key: value" lines.
Into a pipe or a file, every column, one action per line.

Results go to stdout, counts and warnings to stderr. An empty listing is no failure: exit
0, unless --exit-code is given, then exit 1 when at least one action matched (like git diff
--exit-code), so 'tf actions --overdue --exit-code' can gate a CI job. A usage error is exit
2, also an --owner nobody is (no organisation or role of tf.yml, no owner of any action).

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
ActionId = Annotated[
    str,
    typer.Argument(
        help="Action id, e.g. 2022-06-24/1.",
        metavar="ID",
        autocompletion=when_completing(action_ids),
    ),
]

LIST_FORMATS = Formats(
    (Format.table, Format.json, Format.csv, Format.markdown, Format.github, Format.xlsx),
    Format.table,
    "xlsx: a workbook, with --output FILE; with --by owner: markdown or json, default markdown",
)
DIGEST_FORMATS = Formats((Format.markdown, Format.json), Format.markdown)
SHOW_FORMATS = Formats((Format.text, Format.json), Format.text)


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
            click_type=DAYS,  # `7d`: "not a valid number of days", not "int range"
            metavar="N",
            help="Only open actions due on or before today + N days, overdue ones included "
            "(0: due today or overdue; at most 3650).",
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="S",
            help="Only actions with this status: open, in-progress, done, dropped (repeatable).",
            autocompletion=when_completing(statuses),
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
            callback=given,
            help="Only actions owned by X: an organisation's name or short name (also when it "
            "owns them through a role such as 'chairs', or as 'Name (Organisation)'), a role, "
            "or a person. Case does not matter.",
            autocompletion=when_completing(owners),
        ),
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            metavar="ID",
            callback=given,
            help="Only actions agreed at this meeting.",
            autocompletion=when_completing(meeting_ids),
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            metavar="TEXT",
            callback=given,
            help="Only actions with TEXT in their id, text, owners, agenda item, note or the "
            "note of a follow-up (case and runs of spaces do not matter).",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="owner",
            callback=given,
            help="'owner': a digest per organisation of what is overdue and what is due in the "
            "next --due-within days (default 7), ready to paste into an e-mail (markdown, json). "
            "The other options narrow it; with --owner, only that organisation's section.",
        ),
    ] = None,
    fmt: Annotated[Format | None, LIST_FORMATS.option()] = None,
    today: TodayOption = None,
    output: OutputOption = None,
    eml: Annotated[
        Path | None,
        typer.Option(
            "--eml",
            metavar="DIR",
            parser=given_path,
            help="With --by owner: write one e-mail draft (.eml) per organisation into DIR, "
            "addressed to its focal points in tf.yml ('email:'); never overwrites a file.",
        ),
    ] = None,
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
        _refuse_listing_options(ctx)
        return
    from tfcli import action_report

    if by is not None:
        action_report.parse_by(by)
    elif eml is not None:
        raise UsageError("--eml writes the digest per organisation", "add --by owner")
    if output is None and eml is None:  # a file or drafts: nothing to page
        paged()
    from tfcli import listing_store, tracked_store  # the kept actions: little to import

    kept = fmt is Format.json and not (by or owner or meeting or search or summary or show_all)
    n = listing_store.answer(status or (), overdue, due_within, today, output) if kept else None
    if n is None:  # from .tf/tracked or the minutes; then from the rows it kept, if it did
        closed, full = show_all or bool(status), by is not None or bool(meeting)
        got = tracked_store.tracked_actions(load_repo, closed, full, listing=kept)
        n = listing_store.answer_from(got, status or (), overdue, due_within, today, output)
    if n is not None:
        if exit_code and n:
            raise typer.Exit(EXIT_FINDINGS)
        return
    if by is None:
        picked = partial(LIST_FORMATS.pick, fmt)
        n = action_report.listing(
            got, picked, status or (), show_all, overdue, due_within, owner, meeting, search, today,
            output, summary,
        )  # fmt: skip
        if exit_code and n:
            raise typer.Exit(EXIT_FINDINGS)
        return
    v, query, chosen = action_report.choose(
        got, status or (), show_all, overdue, due_within, owner, meeting, search, today
    )
    if output is not None:
        raise UsageError("--output is for the listing; with --by owner use --eml DIR")
    digest_fmt = DIGEST_FORMATS.pick(fmt)
    if eml is not None and fmt is not None:
        raise UsageError("--eml writes e-mail files; --format does not apply to them")
    action_report.digest(got.loaded(), chosen, v, query, digest_fmt, eml)
    if summary:
        action_report.summary(chosen, v.today, query)
    action_report.counts(chosen, v, query)
    if exit_code and chosen:
        raise typer.Exit(EXIT_FINDINGS)


def _refuse_listing_options(ctx: typer.Context) -> None:
    """`tf actions --overdue show ID`: the listing's options mean nothing to a subcommand;
    say so rather than ignore them."""
    for p in ctx.command.params:
        source = ctx.get_parameter_source(p.name) if p.name else None
        if source is not None and source.name == "COMMANDLINE":
            sub = ctx.invoked_subcommand
            raise UsageError(
                f"{p.opts[0]} is an option of the listing; it does nothing for 'tf actions {sub}'",
                f"leave it out, or give it after '{sub}' if 'tf actions {sub} --help' lists it",
            )


# -- one action --------------------------------------------------------------------------------


@actions_app.command("show")
def show_action(
    action: ActionId,
    fmt: Annotated[Format | None, SHOW_FORMATS.option()] = None,
    today: TodayOption = None,
) -> None:
    """Show one action with its full history: original and current due date, every
    follow-up with its meeting, postponements, and the meeting that closed it.

    Examples:

      tf actions show 2022-06-24/1

      tf actions show 2022-06-24/1 --format json
    """
    import sys

    from tfcli.action_views import View, as_json, show
    from tfcli.actions import find, track
    from tfcli.output import safe, write_json

    chosen_fmt = SHOW_FORMATS.pick(fmt)
    paged()
    repo = load_repo()
    v = View.of(repo, resolve_today(repo.config.timezone, today))
    t = find(track(repo), action)
    if chosen_fmt is Format.json:
        write_json(as_json(t, v), sys.stdout)
    else:
        sys.stdout.write(safe(show(t, v)))


def _change(
    action: str,
    in_place: bool,
    status: str | None = None,
    due: str | None = None,
    note: str | None = None,
) -> None:
    from tfcli.action_change import Change, record, request
    from tfcli.output import message
    from tfcli.write import locked

    def change() -> Change:
        return request(status, due, note)

    with locked():  # from the read to the write: a concurrent tf waits, then reads this change
        repo = load_repo()  # a later note is dated today (TF_TODAY, else the group's date)
        outcome = record(repo, action, change, in_place, resolve_today(repo.config.timezone, None))
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
    new_due: Annotated[
        str,
        typer.Argument(
            help="The new deadline: a date, or words tf resolves ('next meeting', "
            "'end of the week', 'end of month', 'ASAP', 'ongoing'; docs/format.md).",
            metavar="YYYY-MM-DD",
        ),
    ],
    note: Note = None,
    in_place: InPlace = False,
) -> None:
    """Revise an action's deadline (recorded like 'tf actions done'); the original deadline
    stays in the record and 'tf actions show' counts the postponements.

    Examples:

      tf actions due 2022-06-24/1 2022-07-22 --note "Waiting for the OSCE text"

      tf actions due 2022-06-24/1 "next meeting"
    """
    _change(action, in_place, due=new_due, note=note)
