"""`tf check` rules about action follow-ups (`updates:`), appended to check.RULES."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable, Iterator
from datetime import date

from tfcli.actions import Tracked, applies, track
from tfcli.fields import excerpt
from tfcli.model import CLOSED_STATUSES, Action, Meeting, Problem, Repo, Severity, Update
from tfcli.paths import display_path

# The repos being checked (by id, with the repo itself so that the id stays its own), each
# with its tracked actions once computed: every rule reads the same effective state.
_CHECKING: dict[int, tuple[Repo, list[list[Tracked]]]] = {}


@contextlib.contextmanager
def tracked_once(repo: Repo) -> Iterator[None]:
    """Within: the rules share one `track(repo)` (the repo must not change meanwhile)."""
    _CHECKING[id(repo)] = (repo, [])
    try:
        yield
    finally:
        _CHECKING.pop(id(repo), None)


def _track(repo: Repo) -> list[Tracked]:
    got = _CHECKING.get(id(repo))
    if got is None or got[0] is not repo:
        return track(repo)
    if not got[1]:
        got[1].append(track(repo))
    return got[1][0]


def _index(m: Meeting, key: str, line: int) -> int | None:
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


def _action_line(m: Meeting, u: Update) -> int:
    """The line of an update's `action:` key."""
    i = _index(m, "updates", u.line)
    return m.line_of("updates", i, "action") if i is not None else u.line


def update_targets(repo: Repo, today: date) -> Iterable[Problem]:
    """Updates must point at a known action, in an earlier meeting."""
    actions = {a.id: a for m in repo.meetings for a in m.actions}
    for m in repo.meetings:
        for u in m.updates:
            a = actions.get(u.action_id)
            if a is None:
                # Only actions this update could follow: never this meeting's own or a later one's.
                could = sorted(k for k, x in actions.items() if applies(u, x))
                near = difflib.get_close_matches(u.action_id, could, n=1, cutoff=0.6)
                yield Problem(
                    display_path(m.path),
                    _action_line(m, u),  # only for a problem: spans are costly
                    1,
                    Severity.ERROR,
                    "update-target",
                    f"update points at unknown action '{u.action_id}'",
                    f"did you mean '{near[0]}'?" if near else "see 'tf actions --all' for the ids",
                )
            elif not applies(u, a):
                same = u.meeting_id == a.meeting_id
                when = "in the same meeting as" if same else "dated before"
                yield Problem(
                    display_path(m.path),
                    _action_line(m, u),  # only for a problem: spans are costly
                    1,
                    Severity.ERROR,
                    "update-date",
                    f"update of {a.id} is {when} the action itself ({a.meeting_id}); it is ignored",
                    "set 'status:' on the action itself"
                    if same
                    else "follow an action up in a meeting after the one that agreed it",
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


def _status_line(m: Meeting, u: Update) -> int:
    """The line of an update's `status:` key."""
    i = _index(m, "updates", u.line)
    return m.line_of("updates", i, "status") if i is not None else u.line


def silent_reopens(repo: Repo, today: date) -> Iterable[Problem]:
    """A follow-up that sets `open` or `in-progress` on an action closed before its meeting
    (in place or by an earlier meeting's follow-up) must say so with `reopened: true`. Without
    it, it is most likely a follow-up pre-filled before the action was closed and merged
    (git) after it: taken as written, it would undo a recorded `done` without anyone saying
    so. An error, not a warning: the tracker would report wrong data."""
    meeting_of = {id(u): m for m in repo.meetings for u in m.updates}  # ids may repeat
    for t in _track(repo):
        if not t.history:
            continue  # most actions: no follow-up to check
        state, closed_by = t.action.status, t.meeting.id
        meeting, before, before_by = None, state, closed_by
        for u in t.history:  # in meeting order
            if u.meeting_id != meeting:  # the state before this meeting
                meeting, before, before_by = u.meeting_id, state, closed_by
            if u.status:
                state = u.status
                closed_by = u.meeting_id if state in CLOSED_STATUSES else closed_by
            if not u.status or u.status in CLOSED_STATUSES or u.reopened:
                continue
            if before not in CLOSED_STATUSES:
                continue
            where = "in its own minutes" if before_by == t.meeting.id else f"in {before_by}"
            m = meeting_of[id(u)]
            yield Problem(
                display_path(m.path),
                _status_line(m, u),
                1,
                Severity.ERROR,
                "update-reopen",
                f"this follow-up sets {t.id} to '{u.status}', but it was closed ('{before}') "
                f"{where}, and the follow-up does not say that it reopens it",
                "if nothing changed (a follow-up pre-filled before the action was closed, e.g. "
                "merged from another branch), leave 'status:' empty; to reopen it, add "
                "'reopened: true' ('tf actions reopen' does)",
            )


def status_disagrees(repo: Repo, today: date) -> Iterable[Problem]:
    """An action closed in place (its own `status:` is done or dropped) while its latest
    follow-up closes it otherwise (done against dropped): the follow-up wins, but one of the
    two is wrong. A follow-up that reopens it is `silent_reopens`' business. An open or
    in-progress status in the action is where it started; follow-ups move it on."""
    for t in _track(repo):
        a = t.action
        if a.status not in CLOSED_STATUSES or not t.history:
            continue  # most actions: without looking for the latest follow-up's status
        last = next((u for u in reversed(t.history) if u.status), None)
        if last is None or a.status == last.status:
            continue
        if last.status not in CLOSED_STATUSES:
            continue
        i = action_index(t.meeting, a)
        line = t.meeting.line_of("actions", i, "status") if i is not None else a.line
        yield Problem(
            display_path(t.meeting.path),
            line,
            1,
            Severity.WARNING,
            "action-status",
            f"action {a.id} says 'status: {a.status}' here, but its latest follow-up "
            f"({last.meeting_id}) says '{last.status}'; the follow-up wins",
            "make the two agree: edit one of them, or add a newer update",
        )


def deadline_words(repo: Repo, today: date) -> Iterable[Problem]:
    """A deadline in words that tf cannot date ("before the next distribution", or "next
    meeting" with no next meeting, date or cadence to go by) is kept as written and never
    overdue: worth a note, not a finding."""
    for t in _track(repo):
        firsts = t.deadlines or (None,)
        for n, d in enumerate(firsts):
            if n > len(t.history):
                break  # as zip((None, *t.history), firsts) would, without making the tuple
            if d is None or d.text is None or d.day is not None or d.kind in ("asap", "ongoing"):
                continue
            u = t.history[n - 1] if n else None
            m = t.meeting if u is None else None
            if u is not None:
                m = next((x for x in repo.meetings if x.id == u.meeting_id), None)
                i = _index(m, "updates", u.line) if m else None
                line = m.line_of("updates", i, "due") if m and i is not None else u.line
            else:
                i = action_index(t.meeting, t.action)
                line = t.meeting.line_of("actions", i, "due") if i is not None else t.action.line
            if m is None:
                continue
            why = (
                "there is no next meeting, next_meeting.date or cadence to go by"
                if d.kind == "next-meeting"
                else "tf cannot tell which date it means"
            )
            yield Problem(
                display_path(m.path),
                line,
                1,
                Severity.INFO,
                "due-words",
                f"deadline '{excerpt(d.text)}' of {t.id} is kept as written; {why}, so it is "
                "listed as open without a date and never overdue",
                "a date (YYYY-MM-DD), 'next meeting', 'end of the week', 'end of month', "
                "'ASAP' or 'ongoing' are understood",
            )


RULES = [update_targets, update_duplicates, silent_reopens, status_disagrees, deadline_words]


# -- a status typed twice: a table in the body against the follow-ups ------------------------

_CELL_MARKUP = str.maketrans("", "", "*_`")
# Words minutes use in a status column for the four statuses.
STATUS_WORDS = {
    **{s: s for s in ("open", "in-progress", "done", "dropped")},
    "in progress": "in-progress",
    "ongoing": "in-progress",
    "started": "in-progress",
    "pending": "open",
    "not started": "open",
    "completed": "done",
    "complete": "done",
    "closed": "done",
    "cancelled": "dropped",
    "canceled": "dropped",
}


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [" ".join(c.translate(_CELL_MARKUP).split()) for c in re.split(r"(?<!\\)\|", text)]


def _tables(body: str) -> Iterable[tuple[list[str], list[tuple[int, list[str]]]]]:
    """Markdown tables of a body: (header cells, [(line index, cells)])."""
    lines = body.split("\n")
    i = 0
    while i + 1 < len(lines):
        head, rule = lines[i].strip(), lines[i + 1].strip()
        if head.startswith("|") and re.fullmatch(r"\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?", rule):
            rows, j = [], i + 2
            while j < len(lines) and lines[j].strip().startswith("|"):
                rows.append((j, _cells(lines[j])))
                j += 1
            yield _cells(head), rows
            i = j
        else:
            i += 1


def body_tables(repo: Repo, today: date) -> Iterable[Problem]:
    """Status is kept in one place, the follow-ups (`updates:`). A table in the body with a
    Status column (hand-written, or from an older template) that says otherwise than the
    follow-ups as of that meeting is reported; an empty cell says nothing."""
    tracked = _track(repo)
    by_id = {t.id: t for t in tracked}
    of_meeting: dict[int, list[Tracked]] = {}  # in one pass: per meeting it is quadratic
    for each in tracked:
        of_meeting.setdefault(id(each.meeting), []).append(each)
    for m in repo.meetings:
        if "|" not in m.body:
            continue
        own = {t.action.local_id: t for t in of_meeting.get(id(m), ())}
        for header, rows in _tables(m.body):
            keys = [h.casefold() for h in header]
            if "status" not in keys:
                continue
            col = keys.index("status")
            local = next((i for i, k in enumerate(keys) if k in ("id", "#", "no", "no.")), None)
            for n, cells in rows:
                t = next((by_id[c] for c in cells if c in by_id), None)
                if t is None and local is not None and local < len(cells):
                    t = own.get(cells[local])
                if t is None or col >= len(cells) or not cells[col]:
                    continue
                said = cells[col]
                now = _status_as_of(t, m)
                if STATUS_WORDS.get(said.casefold()) == now:
                    continue
                yield Problem(
                    display_path(m.path),
                    m.body_line + n,
                    1,
                    Severity.WARNING,
                    "body-status",
                    f"the table says {t.id} is '{excerpt(said)}', but its follow-ups say "
                    f"'{now}' as of this meeting",
                    "keep the status in one place: record it in 'updates:' (tf actions done/"
                    "start/drop) and leave the table's Status column out or empty",
                )


def _status_as_of(t: Tracked, m: Meeting) -> str:
    status = t.action.status
    for u in t.history:
        if (u.meeting_date, u.meeting_id) <= (m.date, m.id) and u.status:
            status = u.status
    return status


RULES.append(body_tables)
