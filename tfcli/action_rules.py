"""`tf check` rules about action follow-ups (`updates:`), appended to check.RULES."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date

from tfcli.actions import applies, track
from tfcli.load import display_path
from tfcli.model import CLOSED_STATUSES, Action, Meeting, Problem, Repo, Severity, Update


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
            line = _action_line(m, u)
            a = actions.get(u.action_id)
            if a is None:
                near = difflib.get_close_matches(u.action_id, sorted(actions), n=1, cutoff=0.6)
                yield Problem(
                    display_path(m.path),
                    line,
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
                    line,
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
        first: dict[str, int] = {}
        for u in m.updates:
            line = _action_line(m, u)
            if u.action_id not in first:
                first[u.action_id] = line
                continue
            yield Problem(
                display_path(m.path),
                line,
                1,
                Severity.WARNING,
                "update-duplicate",
                f"action {u.action_id} is followed up twice in this meeting (first on line "
                f"{first[u.action_id]}); the later entry wins",
                "merge the two into one entry",
            )


def status_disagrees(repo: Repo, today: date) -> Iterable[Problem]:
    """An action closed in place (its own `status:` is done or dropped) while its latest
    follow-up says something else: the follow-up wins, but one of the two is wrong. An open
    or in-progress status in the action is where it started; follow-ups move it on."""
    for t in track(repo):
        a = t.action
        last = next((u for u in reversed(t.history) if u.status), None)
        if last is None or a.status not in CLOSED_STATUSES or a.status == last.status:
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


RULES = [update_targets, update_duplicates, status_disagrees]
