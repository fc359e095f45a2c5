"""What `tf actions` writes: the listing (`listing`: for the command and for the quick path,
tfcli/quick.py, which must not import Typer), the digest per organisation (to stdout or as
e-mail drafts), the GitHub step summary and the count line on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tfcli.errors import UsageError
from tfcli.output import Format, message

if TYPE_CHECKING:  # the digest module only for --by owner; the rest not for a kept listing
    from tfcli.action_views import View
    from tfcli.actions import Query, Tracked
    from tfcli.digest import Group
    from tfcli.model import Repo
    from tfcli.tracked_store import Actions


def choose(
    got: Actions,
    status: Sequence[str],
    show_all: bool,
    overdue: bool,
    due_within: int | None,
    owner: str | None,
    meeting: str | None,
    search: str | None,
    today: str | None,
) -> tuple[View, Query, list[Tracked]]:
    """The actions a listing (or digest) with these options takes, and the view for today."""
    from tfcli.actions import make_query, select
    from tfcli.reading import resolve_today

    v, repo = got.view(resolve_today(got.config.timezone, today)), got.repo
    query = make_query(repo, status, show_all, overdue, due_within, owner, meeting, search)
    chosen = select(got.tracked, query, v.roster, v.today)
    # A typo in --owner must not let `--overdue --exit-code` pass in CI; a person who owns
    # actions (none of them overdue today, or all of them closed) is no typo.
    if (
        query.owner
        and not chosen
        and not v.roster.known(query.owner)  # an organisation or role of tf.yml: no typo
        and not any(v.roster.owns(t.owners, query.owner) for t in got.tracked)
    ):
        every = got.tracked if show_all or status or got.repo is not None else _every_action()
        if hint := v.roster.unknown_owner(query.owner, _owners(every)):
            raise UsageError(f"--owner {hint}")
    return v, query, chosen


def _every_action() -> list[Tracked]:
    """The actions of every status, when the listing read only the open ones: the files it
    could not use were named once already."""
    import contextlib
    import io

    from tfcli import tracked_store
    from tfcli.reading import load_repo

    with contextlib.redirect_stderr(io.StringIO()):
        return tracked_store.tracked_actions(lambda: load_repo(report=False), True).tracked


def _owners(tracked: Sequence[Tracked]) -> Iterator[str]:
    for t in tracked:
        yield from t.owners
        yield from t.action.owners
        for u in t.history:
            yield from u.owners


def listing(
    got: Actions,
    fmt: Callable[[], Format],
    status: Sequence[str],
    show_all: bool = False,
    overdue: bool = False,
    due_within: int | None = None,
    owner: str | None = None,
    meeting: str | None = None,
    search: str | None = None,
    today: str | None = None,
    output: Path | None = None,
    step_summary: bool = False,
) -> int:
    """`tf actions` without `--by`: the listing in the format `fmt()` picks (after the
    actions are chosen: a wrong --today or --owner is said first), to stdout or `output`;
    the step summary; the count line. How many actions it lists."""
    v, query, chosen = choose(
        got, status, show_all, overdue, due_within, owner, meeting, search, today
    )
    form = fmt()
    write_listing(chosen, v, form, output)
    if step_summary:
        summary(chosen, v.today, query)
    counts(chosen, v, query)
    return len(chosen)


def empty_line(q: Query, today: date) -> str:
    """The line on stderr for a listing with no action: `tf actions: no open action points
    (today 2022-07-09)`, not `0 actions, 0 overdue`."""
    return f"tf actions: no {nothing(q)} (today {today})"


def nothing(q: Query) -> str:
    """What an empty listing has none of: `open action points`, `overdue action points of
    IOM`, `action points with status done`..."""
    from tfcli.actions import OPEN_STATUSES
    from tfcli.model import ACTION_STATUSES

    if q.overdue:
        what = "overdue action points"
    elif q.statuses == OPEN_STATUSES:
        what = "open action points"
    elif set(q.statuses) >= set(ACTION_STATUSES):
        what = "action points"
    else:
        what = f"action points with status {' or '.join(q.statuses)}"
    if q.due_within is not None:
        what += f" due within {q.due_within} day{'s' if q.due_within != 1 else ''}"
    if q.owner:
        what += f" of {q.owner}"
    if q.meeting_id:
        what += f" from meeting {q.meeting_id}"
    if q.search:
        what += f" matching '{q.search}'"
    return what


def write_listing(chosen: list[Tracked], v: View, fmt: Format, output: Path | None) -> None:
    from tfcli import action_views as views
    from tfcli.emit import emit_rows

    if fmt is Format.github:
        if output is not None:
            raise UsageError("--output is for the listing formats, not github annotations")
        sys.stdout.write(views.github_annotations(chosen, v.today))
        return
    json_rows = [views.as_json(t, v) for t in chosen] if fmt is Format.json else None
    columns = views.XLSX_COLUMNS if fmt is Format.xlsx else views.COLUMNS
    rows = [] if json_rows is not None else [views.row(t, v.today) for t in chosen]
    if fmt is Format.csv:
        columns, rows = views.CSV_COLUMNS, [views.csv_row(t, v.today) for t in chosen]
    layout = views.xlsx_layout() if fmt is Format.xlsx else None
    emit_rows(rows, columns, fmt, output, json_rows, layout)


def parse_by(by: str) -> None:
    """`--by`'s value checked (the digest's module is imported only for --by)."""
    from tfcli.digest import parse_by as parse

    parse(by)


def digest(
    repo: Repo, chosen: list[Tracked], v: View, query: Query, fmt: Format, eml: Path | None
) -> None:
    """`--by owner`: the digest in `fmt` (markdown, json) to stdout, or drafts into `eml`."""
    from tfcli import digest as d
    from tfcli.output import write_json

    days = 7 if query.due_within is None else query.due_within
    groups = d.groups(chosen, v.roster, v.today, days, query.owner)
    if eml is not None:
        drafts(repo, groups, v, days, eml)
    elif fmt is Format.json:
        write_json(d.as_json(groups, v), sys.stdout)
    else:
        sys.stdout.write(d.render(groups, repo.config.group, v.today, days))


def drafts(repo: Repo, groups: list[Group], v: View, days: int, folder: Path) -> None:
    from tfcli.mail import write_drafts
    from tfcli.paths import display_path

    written, unaddressed = write_drafts(groups, repo.config, folder, v.today, days)
    for path in written:
        sys.stdout.write(display_path(path) + "\n")
    for name in unaddressed:
        message(f"tf actions: no e-mail address for {name} in tf.yml; its draft has no recipient")
    message(f"tf actions: {len(written)} e-mail draft{'s' if len(written) != 1 else ''} written")


def summary(chosen: list[Tracked], day: date, query: Query) -> None:
    """`--summary`: a Markdown table appended to $GITHUB_STEP_SUMMARY, when it is set."""
    from tfcli.action_views import summary as table
    from tfcli.write_report import append_step_summary

    text = table(chosen, day, "overdue" if query.overdue else "matching")
    if not append_step_summary(text, "tf actions --overdue" if query.overdue else "tf actions"):
        message("tf actions: --summary: $GITHUB_STEP_SUMMARY is not set; no summary written")


def counts(chosen: list[Tracked], v: View, query: Query) -> None:
    """The count line on stderr: `tf actions: 2 actions, 1 overdue (today 2022-07-09)`; for
    none, in every format (a lone header, `[]`, nothing on a terminal), what it has none of."""
    from tfcli.listing_store import count_line

    if not chosen:
        message(empty_line(query, v.today))
        return
    message(count_line(len(chosen), sum(t.overdue(v.today) for t in chosen), v.today))
