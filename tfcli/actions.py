"""Pure queries over the model: every action's effective state, from its own meeting and the
follow-ups (`updates:`) of later meetings; who owns what; which actions a query selects.
No I/O."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from tfcli.dates import relative
from tfcli.deadlines import (
    DATE,
    INVALID,
    INVALID_DEADLINE,
    INVALID_DUE,
    UNDATED,
    Deadline,
    resolve,
    unread_dues,
)
from tfcli.errors import UsageError
from tfcli.model import ACTION_STATUSES, CLOSED_STATUSES, Action, Meeting, Repo, Update
from tfcli.record import Frozen
from tfcli.record import init as _init
from tfcli.roster import Roster, fold

OPEN_STATUSES = tuple(s for s in ACTION_STATUSES if s not in CLOSED_STATUSES)


class Revision(Frozen):
    """A follow-up that set the deadline: from `before` to `after` (resolved dates; None when
    undated), with the words when the deadline is written in words."""

    __slots__ = ("update", "before", "after", "before_text", "after_text")
    update: Update
    before: date | None
    after: date | None
    before_text: str | None
    after_text: str | None

    def __init__(
        self,
        update: Update,
        before: date | None,
        after: date | None,
        before_text: str | None = None,
        after_text: str | None = None,
    ) -> None:
        _init(self, update, before, after, before_text, after_text)

    @property
    def postponed(self) -> bool:
        if self.after is None:  # to "ongoing": no longer bound to a date
            return self.before is not None
        return self.before is None or self.after > self.before


class Tracked(Frozen):
    """An action as it stands now: the latest update (by meeting date) wins."""

    __slots__ = (
        "action", "meeting", "status", "due", "history", "closed_in", "due_text", "due_kind",
        "owners_now", "deadlines",
    )  # fmt: skip
    action: Action
    meeting: Meeting
    status: str
    due: date | None
    history: tuple[Update, ...]  # the updates that apply, oldest first
    closed_in: str | None  # the meeting whose update closed it (done/dropped)
    # The deadline as written where it was last set: its words (None for a date) and kind
    # (tfcli.deadlines); `due` is its resolved date.
    due_text: str | None
    due_kind: str
    owners_now: tuple[str, ...] | None  # after handovers; None: as in the action
    # Resolved deadlines: the action's own, then one per update (None: it sets none).
    deadlines: tuple[Deadline | None, ...]

    def __init__(
        self,
        action: Action,
        meeting: Meeting,
        status: str,
        due: date | None,
        history: tuple[Update, ...],
        closed_in: str | None,
        due_text: str | None = None,
        due_kind: str = DATE,
        owners_now: tuple[str, ...] | None = None,
        deadlines: tuple[Deadline | None, ...] = (),
    ) -> None:
        _init(
            self, action, meeting, status, due, history, closed_in, due_text, due_kind, owners_now,
            deadlines,
        )  # fmt: skip

    @property
    def id(self) -> str:
        return self.action.id

    @property
    def owners(self) -> tuple[str, ...]:
        """Who owns it now: the action's owners, or those of the latest handover."""
        return self.action.owners if self.owners_now is None else self.owners_now

    @property
    def undated(self) -> bool:
        """Open without a date to hold it to: ongoing, ASAP, words tf cannot resolve, none."""
        return self.due is None

    @property
    def urgent(self) -> bool:
        return self.due_kind == "asap"

    @property
    def due_label(self) -> str:
        """`2022-07-08`, `next meeting (2022-07-08)`, `ongoing`, or `` without a deadline."""
        return Deadline(self.due, self.due_text, self.due_kind).label()

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def revisions(self) -> tuple[Revision, ...]:
        """Every change of the deadline by a follow-up, oldest first."""
        first = (self.deadlines[0] if self.deadlines else None) or Deadline(self.action.due)
        out, due, text = [], first.day, first.text
        for u, d in zip(self.history, self.deadlines[1:], strict=False):
            if d is not None and d.kind != INVALID and (d.day, d.text) != (due, text):
                out.append(Revision(u, due, d.day, text, d.text))
                due, text = d.day, d.text
        return tuple(out)

    @property
    def postponements(self) -> int:
        """How often the deadline was moved later."""
        return sum(r.postponed for r in self.revisions)

    def overdue(self, today: date) -> bool:
        """Overdue once the due day has ended in the group's time zone: due today is not."""
        return self.is_open and self.due is not None and self.due < today

    def days_left(self, today: date) -> int | None:
        """Days from `today` to the deadline: 0 due today, negative when past."""
        return (self.due - today).days if self.due else None

    def hint(self, today: date) -> str:
        """'3 days overdue', 'due today', 'in 2 days'; 'as soon as possible', 'ongoing',
        'no date' for an undated one; for a closed action its status."""
        if not self.is_open:
            return self.status
        if self.due_kind == INVALID:  # a `due:` in error (tf check names it): not undated
            return INVALID_DUE
        if self.due is None and self.due_kind in UNDATED:
            return {"asap": "as soon as possible", "ongoing": "ongoing"}.get(
                self.due_kind, "no date"
            )
        return relative(self.due, today)


def applies(u: Update, a: Action) -> bool:
    """An update counts only when its meeting comes after the action's (by date, then id)."""
    return (u.meeting_date, u.meeting_id) > (a.meeting_date, a.meeting_id)


def records(u: Update) -> bool:
    """Does a follow-up record anything? An entry that only names its action (as `tf
    new-meeting` carries every open action forward) is no event of the action's history:
    tf cannot tell it from a pre-filled line nobody touched (docs/actions.md)."""
    return bool(u.status or u.due or u.due_text or u.note or u.notes or u.owners)


def track(repo: Repo) -> list[Tracked]:
    """Every action in the repo with its effective state, in meeting order."""
    updates: dict[str, list[Update]] = {}
    unread = unread_dues(repo)
    for m in repo.meetings:
        for u in m.updates:
            # An untouched entry changes nothing and is no history; one whose `due:` is in
            # error meant to change the deadline.
            if records(u) or (unread and (m.id, "updates", u.line) in unread):
                updates.setdefault(u.action_id, []).append(u)
    by_id: dict[str, Meeting] = {}
    for m in repo.meetings:
        by_id.setdefault(m.id, m)
    cadence, meetings = repo.config.cadence, repo.meetings
    dated: dict[date | None, Deadline] = {}  # a deadline without words: one per date
    out = []
    for m in repo.meetings:
        for a in m.actions:
            ups = updates.get(a.id)
            if not ups:  # most actions: no follow-up, nothing to sort
                history: Sequence[Update] = ()
            elif len(ups) == 1:
                history = ups if applies(ups[0], a) else ()
            else:
                history = sorted(
                    (u for u in ups if applies(u, a)),
                    key=lambda u: (u.meeting_date, u.meeting_id, u.line),
                )
            status, closed_in, owners = a.status, None, None
            # Words resolve relative to the meeting that wrote them ("next meeting").
            if (
                unread
                and a.due is None
                and a.due_text is None
                and (m.id, "actions", a.line) in unread
            ):
                deadline = INVALID_DEADLINE
            elif a.due_text is None:  # one Deadline per date
                deadline = dated.get(a.due) or dated.setdefault(a.due, Deadline(a.due))
            else:
                deadline = resolve(a.due, a.due_text, m, meetings, cadence)
            deadlines: list[Deadline | None] = [deadline]
            for u in history:
                if u.status:
                    status = u.status
                    closed_in = u.meeting_id if status in CLOSED_STATUSES else None
                if u.owners:
                    owners = u.owners
                d = None
                if u.due or u.due_text:
                    d = resolve(u.due, u.due_text, by_id.get(u.meeting_id, m), meetings, cadence)
                    deadline = d
                elif unread and (u.meeting_id, "updates", u.line) in unread:
                    d = deadline = INVALID_DEADLINE  # as an action's own: no deadline known
                deadlines.append(d)
            out.append(
                Tracked(
                    a,
                    m,
                    status,
                    deadline.day,
                    tuple(history),
                    closed_in,
                    deadline.text,
                    deadline.kind,
                    owners,
                    tuple(deadlines),
                )
            )
    return out


def open_counts(tracked: list[Tracked]) -> dict[str, int]:
    """Open actions per meeting id, in one pass (a count per meeting would be quadratic)."""
    counts: dict[str, int] = {}
    for t in tracked:
        if t.is_open:
            counts[t.meeting.id] = counts.get(t.meeting.id, 0) + 1
    return counts


def sort_key(t: Tracked) -> tuple[bool, date, bool, date, str, int]:
    """By deadline, actions without one last (ASAP first among them); then by meeting and
    position."""
    due = t.due or date.max
    return (t.due is None, due, not t.urgent, t.meeting.date, t.meeting.id, t.action.line)


# -- selecting ---------------------------------------------------------------------------------


class Query(Frozen):
    """What `tf actions` lists. All given conditions must hold."""

    __slots__ = ("statuses", "overdue", "due_within", "owner", "meeting_id", "search")
    statuses: tuple[str, ...]
    overdue: bool  # open, due before today
    due_within: int | None  # open, due on or before today + N days (overdue included)
    owner: str | None
    meeting_id: str | None
    search: str | None

    def __init__(
        self,
        statuses: tuple[str, ...] = OPEN_STATUSES,
        overdue: bool = False,
        due_within: int | None = None,
        owner: str | None = None,
        meeting_id: str | None = None,
        search: str | None = None,
    ) -> None:
        _init(self, statuses, overdue, due_within, owner, meeting_id, search)


def matches(t: Tracked, q: Query, roster: Roster, today: date) -> bool:
    if t.status not in q.statuses:
        return False
    if q.overdue and not t.overdue(today):
        return False
    if q.due_within is not None and not (
        t.is_open and t.due is not None and t.due <= last_day(today, q.due_within)
    ):
        return False
    if q.owner and not roster.owns(t.owners, q.owner):
        return False
    if q.meeting_id and t.meeting.id != q.meeting_id:
        return False
    if q.search:
        needle = fold(q.search)
        a = t.action
        texts = [a.id, a.text, a.note or "", a.agenda or "", *a.owners, a.due_text or ""]
        texts += [n.text for n in a.notes]
        for u in t.history:
            texts += [u.note or "", *u.owners, *(n.text for n in u.notes)]
        return any(needle in fold(x) for x in texts)
    return True


def last_day(today: date, within: int) -> date:
    """today + `within` days: the last due date "due within" takes (date.max beyond it)."""
    try:
        return today + timedelta(days=within)
    except OverflowError:
        return date.max if within > 0 else date.min


def make_query(
    repo: Repo | None,
    status: Sequence[str] = (),
    every: bool = False,
    overdue: bool = False,
    due_within: int | None = None,
    owner: str | None = None,
    meeting: str | None = None,
    search: str | None = None,
) -> Query:
    """The query of `tf actions` options: `status` as typed (default: the open ones, every
    status with `every`), `meeting` an id, date or file. UsageError for what is not known."""
    statuses = OPEN_STATUSES
    if status:
        statuses = tuple(dict.fromkeys(parse_status(s) for s in status))
    elif every:
        statuses = ACTION_STATUSES
    meeting_id = None
    if meeting:
        from tfcli.meetings import find_meeting  # and its JSON: only for --meeting

        assert repo is not None, "--meeting needs the meetings loaded"
        meeting_id = find_meeting(repo, meeting).id
    return Query(statuses, overdue, due_within, owner or None, meeting_id, search or None)


def parse_status(text: str) -> str:
    """A status given on the command line, or a UsageError with the nearest one."""
    s = text.strip().lower()
    if s in ACTION_STATUSES:
        return s
    near = difflib.get_close_matches(s, ACTION_STATUSES, n=1)
    hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(ACTION_STATUSES)}"
    raise UsageError(f"--status '{text}' is not an action status", hint)


def select(tracked: Iterable[Tracked], q: Query, roster: Roster, today: date) -> list[Tracked]:
    return sorted((t for t in tracked if matches(t, q, roster, today)), key=sort_key)


def find(tracked: list[Tracked], ref: str) -> Tracked:
    """One action by its id (`2022-06-24/1`), or by its short id when only one meeting has it.
    Unknown or ambiguous ids are a UsageError naming the candidates."""
    ref = ref.strip()
    hits = [t for t in tracked if t.id == ref]
    if not hits and "/" not in ref:
        hits = [t for t in tracked if t.action.local_id == ref]
    if len(hits) == 1:
        return hits[0]
    if hits:
        ids = ", ".join(dict.fromkeys(t.id for t in hits))
        if len({t.id for t in hits}) == 1:
            files = ", ".join(t.meeting.path.name for t in hits)
            raise UsageError(
                f"action id '{ref}' is ambiguous: {len(hits)} meetings use the id "
                f"'{hits[0].meeting.id}' ({files})",
                "give one of them 'id: <date>-b' in its front matter (see 'tf check')",
            )
        raise UsageError(f"action id '{ref}' is ambiguous: it could be {ids}", "use the full id")
    own = [t.id for t in tracked if t.meeting.id == ref] if "/" not in ref else []
    if own:  # a meeting's id, where an action's is wanted
        raise UsageError(
            f"'{ref}' is a meeting, not an action",
            f"name one of its actions, e.g. {min(own)}; to list them: "
            f"tf actions --all --meeting {ref}",
        )
    near = difflib.get_close_matches(
        ref, list(dict.fromkeys(t.id for t in tracked)), n=3, cutoff=0.6
    )
    hint = f"did you mean {' or '.join(near)}?" if near else "see 'tf actions --all'"
    if not tracked:  # a new group's first try: nothing --all could show
        hint = "the minutes have no action points yet: a meeting lists them under 'actions:'"
    elif not near and "/" not in ref:
        hint = f"an action's id is its meeting's date, '/' and its id, e.g. {tracked[0].id}; {hint}"
    raise UsageError(f"no action '{ref}'", hint)
