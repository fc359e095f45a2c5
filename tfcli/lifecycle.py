"""The minutes lifecycle, checked: draft → circulated (silence procedure until
`silence_until`) → approved, and the endorsement of each meeting's minutes by the next one
(`previous: {meeting, endorsed}`). Rules for `tf check` (appended to check.RULES)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from datetime import date

from tfcli.model import Meeting, Problem, Repo, Severity
from tfcli.paths import display_path


def _warn(m: Meeting, line: int, rule: str, msg: str, hint: str | None = None) -> Problem:
    return Problem(display_path(m.path), line, 1, Severity.WARNING, rule, msg, hint)


def _endorsers(repo: Repo) -> dict[str, list[Meeting]]:
    """Meeting id → the later meetings that name it in `previous`."""
    out: dict[str, list[Meeting]] = {}
    for m in repo.meetings:
        if m.previous:
            out.setdefault(m.previous.meeting, []).append(m)
    return out


def silence_ended(repo: Repo, today: date) -> Iterable[Problem]:
    """Circulated minutes whose silence procedure is over: nobody objected, so approve."""
    for m in repo.meetings:
        if m.status == "circulated" and m.silence_until and m.silence_until < today:
            yield _warn(
                m,
                m.line_of("silence_until"),
                "silence-ended",
                f"silence procedure ended on {m.silence_until.isoformat()}; "
                "mark the minutes approved",
                "set 'status: approved' (or 'draft' again if there were objections)",
            )


def circulated_without_silence(repo: Repo, today: date) -> Iterable[Problem]:
    """Circulated minutes need a way to approval: a silence date, or a later meeting that
    is to endorse them (`previous: {meeting: ...}`)."""
    endorsers = _endorsers(repo)
    for m in repo.meetings:
        if m.status == "circulated" and not m.silence_until and m.id not in endorsers:
            yield _warn(
                m,
                m.line_of("status"),
                "silence",
                "minutes are circulated but have no 'silence_until' date",
                "add 'silence_until: YYYY-MM-DD' (end of the silence procedure), or have the "
                f"next meeting endorse them with 'previous: {{meeting: {m.id}}}'",
            )


def endorsement(repo: Repo, today: date) -> Iterable[Problem]:
    """`previous:` agrees with the status of the minutes it names."""
    ids = {m.id: m for m in repo.meetings}
    for n, later in enumerate(repo.meetings):
        prev = later.previous
        if prev is None:
            continue
        earlier = ids.get(prev.meeting)
        if earlier is None:
            near = difflib.get_close_matches(prev.meeting, _recent(repo, n), n=1, cutoff=0.6)
            yield _warn(
                later,
                later.line_of("previous", "meeting"),
                "previous",
                f"previous meeting '{prev.meeting}' not found",
                f"did you mean '{near[0]}'?" if near else "name it by id, e.g. 2022-06-24",
            )
            continue
        if (earlier.date, earlier.id) >= (later.date, later.id):
            yield _warn(
                later,
                later.line_of("previous", "meeting"),
                "previous",
                f"previous meeting '{prev.meeting}' is not earlier than this one",
            )
            continue
        # Approved, yet a meeting that has taken place says it did not endorse them.
        if earlier.status == "approved" and prev.endorsed is False and later.date < today:
            yield _warn(
                later,
                later.line_of("previous", "endorsed"),
                "endorsement",
                f"the minutes of {earlier.id} are approved, but this meeting lists them as "
                "not endorsed",
                "set 'endorsed: true' if this meeting endorsed them",
            )
        # Endorsed by the next meeting, yet still a draft or circulating.
        if prev.endorsed is True and earlier.status != "approved":
            yield _warn(
                earlier,
                earlier.line_of("status"),
                "endorsement",
                f"the minutes were endorsed at the meeting of {later.id} but are still "
                f"'{earlier.status}'",
                "set 'status: approved'",
            )


RULES: list[Callable[[Repo, date], Iterable[Problem]]] = [
    silence_ended,
    circulated_without_silence,
    endorsement,
]


def _recent(repo: Repo, index: int, count: int = 20) -> list[str]:
    """Ids a `previous:` of the meeting at `index` could name, to suggest from: only earlier
    meetings (never the meeting itself; meetings are sorted by date and id), the `count`
    latest of them, so that a long history costs no more."""
    later = repo.meetings[index]
    near = repo.meetings[max(0, index - count) : index]
    return [m.id for m in near if (m.date, m.id) < (later.date, later.id)]
