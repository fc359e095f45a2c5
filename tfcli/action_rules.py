"""`tf check` rules about action follow-ups (`updates:`), appended to check.RULES."""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Iterable, Iterator, Set
from datetime import date
from itertools import chain, compress, repeat
from typing import cast

from tfcli.check_cache import Keyed
from tfcli.model import (
    CLOSED_STATUSES,
    Action,
    Meeting,
    Problem,
    Repo,
    Severity,
    Update,
)
from tfcli.paths import display_path
from tfcli.rows import ActionRow, Book, Sheet, UpdateRow

Spot = Meeting | Sheet  # where a line is looked up: a meeting, or its sheet (tfcli.rows)


_CLOSED = frozenset(CLOSED_STATUSES)
_ACTIONS, _UPDATES = operator.attrgetter("actions"), operator.attrgetter("updates")
_ID = operator.attrgetter("id")
_AT = [operator.itemgetter(n) for n in range(8)]  # a row's field n


class Tracks:
    """The book's actions with their follow-ups, as `actions.track` takes them: an update
    applies to an action when its meeting comes after the action's (by date, then id), and
    they are taken by meeting date, id and line. Over rows, in C where it can be (tens of
    thousands of rows at each check): no Tracked object is made, and a history only where a
    rule may need it."""

    def __init__(self, book: Book) -> None:
        from collections import Counter

        self.book = book
        sheets = book.sheets
        updates = list(chain.from_iterable(map(_UPDATES, sheets)))
        # A check that follows some actions again (tfcli.check_cache): their ids. The rows of
        # the others are left out, which changes nothing that is found about these.
        scope = cast("Set[str] | None", book.cache.get("scope"))
        if scope is None:
            actions = list(chain.from_iterable(map(_ACTIONS, sheets)))
            homes = list(chain.from_iterable(map(repeat, sheets, map(len, map(_ACTIONS, sheets)))))
        else:
            updates = list(compress(updates, map(scope.__contains__, map(_AT[0], updates))))
            actions, homes = _actions_of(sheets, scope)
        self.updates = updates
        self.actions, self.homes = actions, homes  # in book order, with the sheet of each
        self.uids = uids = list(map(_AT[0], updates))
        aids = list(map(_AT[7], actions))
        # Action id -> its row (the last of equal ids, as a dict of Tracked by id).
        self.by_id: dict[str, ActionRow] = dict(zip(aids, actions, strict=True))
        self._everyone = None if scope is not None else self.by_id
        self.counts = Counter(uids)  # follow-ups per action id
        closing = list(compress(uids, map(_CLOSED.__contains__, map(_AT[4], updates))))
        # Actions a follow-up closes, of several follow-ups.
        many = set(
            compress(closing, map(operator.lt, repeat(1), map(self.counts.__getitem__, closing)))
        )
        self.worded = set(compress(uids, map(operator.is_not, map(_AT[6], updates), repeat(None))))
        in_place = set(compress(aids, map(_CLOSED.__contains__, map(_AT[3], actions))))
        wanted = (in_place & self.counts.keys()) | many
        self.ups = self._group(wanted | self.worded)
        # The actions closed at some point before a follow-up (in place, or by one follow-up
        # of several), with their histories: the only ones a follow-up can reopen, or
        # disagree with (see silent_reopens, status_disagrees).
        self.closed: list[tuple[Sheet, ActionRow, list[UpdateRow]]] = []
        for s, a in compress(zip(homes, actions, strict=True), map(wanted.__contains__, aids)):
            if (a[3] in _CLOSED or a[7] in many) and (history := self.history(a)):
                self.closed.append((s, a, history))

    def everyone(self) -> dict[str, ActionRow]:
        """Every action of the book by id, as `by_id` (which, in a scope, holds only its own)."""
        if self._everyone is None:
            actions = list(chain.from_iterable(map(_ACTIONS, self.book.sheets)))
            self._everyone = dict(zip(map(_AT[7], actions), actions, strict=True))
        return self._everyone

    def _group(self, ids: Set[str] | None) -> dict[str, list[UpdateRow]]:
        """The follow-ups of the actions `ids` (None: all), by action id, in book order."""
        ups: dict[str, list[UpdateRow]] = {}
        chosen = (
            self.updates
            if ids is None
            else compress(self.updates, map(ids.__contains__, self.uids))
        )
        for u in chosen:
            if (got := ups.get(u[0])) is None:
                ups[u[0]] = [u]
            else:
                got.append(u)
        return ups

    def history(self, a: ActionRow) -> list[UpdateRow]:
        """The follow-ups of action `a` that apply, oldest first."""
        if a[7] not in self.ups and a[7] in self.counts:  # not grouped yet: all of them now
            self.ups = self._group(None)
        got = self.ups.get(a[7])
        if not got:
            return []
        day, meeting = a[2], a[1]
        if len(got) == 1:  # most followed actions
            u = got[0]
            return got if u[2] > day or (u[2] == day and u[1] > meeting) else []
        got = [u for u in got if u[2] > day or (u[2] == day and u[1] > meeting)]
        got.sort(key=_UPDATE_ORDER)
        return got

    def sheet_of(self, u: UpdateRow) -> Sheet:
        """The sheet holding follow-up `u` (for a message: made once, when one is needed)."""
        if (found := self.book.cache.get("sheet_of")) is None:
            found = {id(x): s for s in self.book.sheets for x in s.updates}
            self.book.cache["sheet_of"] = found
        return cast(dict[int, Sheet], found)[id(u)]

    def unfit(self) -> Iterator[UpdateRow]:
        """The follow-ups of no action, or of one not agreed in an earlier meeting (in C: a
        comparison of (date, meeting id) for each, most of them fine)."""
        updates = self.updates
        targets = list(map(self.by_id.get, self.uids, repeat(_NO_ACTION)))
        fine = map(
            operator.gt,
            zip(map(_AT[2], updates), map(_AT[1], updates), strict=True),
            zip(map(_AT[2], targets), map(_AT[1], targets), strict=True),
        )
        return compress(updates, map(operator.not_, fine))


def _actions_of(sheets: list[Sheet], ids: Set[str]) -> tuple[list[ActionRow], list[Sheet]]:
    """The actions of `ids`, in book order, and the sheet of each: found in the sheets of their
    meetings (an action's id is its meeting's id, "/", its own: schema_actions makes it with
    the meeting's id), not in every row."""
    meetings = {x[:i] for x in ids for i, c in enumerate(x) if c == "/"}
    actions: list[ActionRow] = []
    homes: list[Sheet] = []
    for s in compress(sheets, map(meetings.__contains__, map(_ID, sheets))):
        for a in s.actions:
            if a[7] in ids:
                actions.append(a)
                homes.append(s)
    return actions, homes


# Stands for a missing action: no follow-up comes after it.
_NO_ACTION: ActionRow = ("", "", 1 << 62, "", None, None, 0, "")
_UPDATE_ORDER = operator.itemgetter(2, 1, 3)  # by meeting date, meeting id and line


def _tracks(book: Book) -> Tracks:
    """Computed once per book: every rule reads the same."""
    if (got := book.cache.get("tracks")) is None:
        got = book.cache["tracks"] = Tracks(book)
    return cast(Tracks, got)


def _index(m: Spot, key: str, line: int) -> int | None:
    """Position of the item starting on `line` in the meeting's `key:` list, as written
    (m.actions leaves out unusable items, so its positions can differ)."""
    i = 0
    while (span := m.spans.get((key, i))) is not None:
        if span.line == line:
            return i
        i += 1
    return None


def action_index(m: Meeting, a: Action) -> int | None:
    return _index(m, "actions", a.line)


def _update_line(m: Spot, line: int, field: str) -> int:
    """The line of `field` of the update starting on `line`."""
    i = _index(m, "updates", line)
    return m.line_of("updates", i, field) if i is not None else line


def _action_line(m: Meeting, u: Update) -> int:
    """The line of an update's `action:` key."""
    return _update_line(m, u.line, "action")


@Keyed
def update_targets(book: Book, today: date) -> Iterator[tuple[str, Problem]]:
    """Updates must point at a known action, in an earlier meeting."""
    tracks = _tracks(book)
    by_id = tracks.by_id  # the last action of each id, as a dict of them would
    for u in tracks.unfit():
        m = tracks.sheet_of(u)
        a = by_id.get(u[0])
        at = (u[2], u[1])
        if a is None:
            # Only actions this update could follow: never this meeting's own or a later one's.
            could = sorted(k for k, x in tracks.everyone().items() if at > (x[2], x[1]))
            near = difflib.get_close_matches(u[0], could, n=1, cutoff=0.6)
            yield (
                u[0],
                Problem(
                    display_path(m.path),
                    _update_line(m, u[3], "action"),  # only for a problem: spans are costly
                    1,
                    Severity.ERROR,
                    "update-target",
                    f"update points at unknown action '{u[0]}'",
                    f"did you mean '{near[0]}'?" if near else "see 'tf actions --all' for the ids",
                ),
            )
        else:
            same = u[1] == a[1]
            when = "in the same meeting as" if same else "dated before"
            yield (
                u[0],
                Problem(
                    display_path(m.path),
                    _update_line(m, u[3], "action"),  # only for a problem: spans are costly
                    1,
                    Severity.ERROR,
                    "update-date",
                    f"update of {u[0]} is {when} the action itself ({a[1]}); it is ignored",
                    "set 'status:' on the action itself"
                    if same
                    else "follow an action up in a meeting after the one that agreed it",
                ),
            )


def update_duplicates(repo: Repo, today: date) -> Iterable[Problem]:
    """One meeting follows an action up once: a second entry for it is reported (the later
    one wins, so the first is easily overlooked when someone edits it)."""
    for m in repo.meetings:
        first: dict[str, Update] = {}
        for u in m.updates:
            if u.action_id not in first:
                first[u.action_id] = u
                continue
            yield Problem(
                display_path(m.path),
                _action_line(m, u),
                1,
                Severity.WARNING,
                "update-duplicate",
                f"action {u.action_id} is followed up twice in this meeting (first on line "
                f"{_action_line(m, first[u.action_id])}); the later entry wins",
                "merge the two into one entry",
            )


@Keyed
def silent_reopens(book: Book, today: date) -> Iterator[tuple[str, Problem]]:
    """A follow-up that sets `open` or `in-progress` on an action closed before its meeting
    (in place or by an earlier meeting's follow-up) must say so with `reopened: true`. Without
    it, it is most likely a follow-up pre-filled before the action was closed and merged
    (git) after it: taken as written, it would undo a recorded `done` without anyone saying
    so. An error, not a warning: the tracker would report wrong data."""
    tracks = _tracks(book)
    for s, a, history in tracks.closed:
        state, closed_by = a[3], s.id
        meeting, before, before_by = None, state, closed_by
        for u in history:  # in meeting order
            status = u[4]
            if u[1] != meeting:  # the state before this meeting
                meeting, before, before_by = u[1], state, closed_by
            if status:
                state = status
                closed_by = u[1] if state in CLOSED_STATUSES else closed_by
            if not status or status in CLOSED_STATUSES or u[7]:
                continue
            if before not in CLOSED_STATUSES:
                continue
            m = tracks.sheet_of(u)
            where = "in its own minutes" if before_by == s.id else f"in {before_by}"
            yield (
                a[7],
                Problem(
                    display_path(m.path),
                    _update_line(m, u[3], "status"),
                    1,
                    Severity.ERROR,
                    "update-reopen",
                    f"this follow-up sets {a[7]} to '{status}', but it was closed "
                    f"('{before}') {where}, and the follow-up does not say that it reopens it",
                    "if nothing changed (a follow-up pre-filled before the action was closed, e.g. "
                    "merged from another branch), leave 'status:' empty; to reopen it, add "
                    "'reopened: true' ('tf actions reopen' does)",
                ),
            )


@Keyed
def status_disagrees(book: Book, today: date) -> Iterator[tuple[str, Problem]]:
    """An action closed in place (its own `status:` is done or dropped) while its latest
    follow-up closes it otherwise (done against dropped): the follow-up wins, but one of the
    two is wrong. A follow-up that reopens it is `silent_reopens`' business. An open or
    in-progress status in the action is where it started; follow-ups move it on."""
    for s, a, history in _tracks(book).closed:
        if a[3] not in CLOSED_STATUSES:
            continue  # closed by a follow-up: silent_reopens' business
        last = next((u for u in reversed(history) if u[4]), None)
        if last is None or a[3] == last[4] or last[4] not in CLOSED_STATUSES:
            continue
        i = _index(s, "actions", a[6])
        line = s.line_of("actions", i, "status") if i is not None else a[6]
        yield (
            a[7],
            Problem(
                display_path(s.path),
                line,
                1,
                Severity.WARNING,
                "action-status",
                f"action {a[7]} says 'status: {a[3]}' here, but its latest follow-up "
                f"({last[1]}) says '{last[4]}'; the follow-up wins",
                "make the two agree: edit one of them, or add a newer update",
            ),
        )


RULES: list[Callable[[Book, date], Iterable[Problem]]] = [
    update_targets,
    silent_reopens,
    status_disagrees,
]  # and due_rules.deadline_words
