"""The minutes lifecycle, checked: draft → circulated (silence procedure until
`silence_until`) → approved, and the endorsement of each meeting's minutes by the next one
(`previous: {meeting, endorsed}`). Rules for `tf check` (appended to check.RULES)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from datetime import date

from tfcli.model import Problem, Severity
from tfcli.paths import display_path
from tfcli.rows import Book, Sheet


def _warn(m: Sheet, line: int, rule: str, msg: str, hint: str | None = None) -> Problem:
    return Problem(display_path(m.path), line, 1, Severity.WARNING, rule, msg, hint)


def _endorsers(book: Book) -> dict[str, list[Sheet]]:
    """Meeting id → the later meetings that name it in `previous`."""
    out: dict[str, list[Sheet]] = {}
    for m in book.sheets:
        if m.previous:
            out.setdefault(m.previous[0], []).append(m)
    return out


def silence_ended(book: Book, today: date) -> Iterable[Problem]:
    """Circulated minutes whose silence procedure is over: nobody objected, so approve."""
    day = today.toordinal()
    for m in book.sheets:
        if m.status == "circulated" and m.silence is not None and m.silence < day:
            yield _warn(
                m,
                m.line_of("silence_until"),
                "silence-ended",
                f"silence procedure ended on {date.fromordinal(m.silence).isoformat()}; "
                "mark the minutes approved",
                "set 'status: approved', or 'draft' again if there were objections",
            )


def circulated_without_silence(book: Book, today: date) -> Iterable[Problem]:
    """Circulated minutes need a way to approval: a silence date, or a later meeting that
    is to endorse them (`previous: {meeting: ...}`)."""
    endorsers = _endorsers(book)
    for m in book.sheets:
        if m.status == "circulated" and m.silence is None and m.id not in endorsers:
            yield _warn(
                m,
                m.line_of("status"),
                "silence",
                "minutes are circulated but have no 'silence_until' date",
                "add 'silence_until: YYYY-MM-DD' (end of the silence procedure), or have the "
                f"next meeting endorse them with 'previous: {{meeting: {m.id}}}'",
            )


def endorsement(book: Book, today: date) -> Iterable[Problem]:
    """`previous:` agrees with the status of the minutes it names."""
    ids = {m.id: m for m in book.sheets}
    for n, later in enumerate(book.sheets):
        if later.previous is None:
            continue
        named, endorsed = later.previous
        earlier = ids.get(named)
        if earlier is None:
            near = difflib.get_close_matches(named, _recent(book, n), n=1, cutoff=0.6)
            yield _warn(
                later,
                later.line_of("previous", "meeting"),
                "previous",
                f"previous meeting '{named}' not found",
                f"did you mean '{near[0]}'?" if near else "name it by id, e.g. 2022-06-24",
            )
            continue
        if (earlier.day, earlier.id) >= (later.day, later.id):
            yield _warn(
                later,
                later.line_of("previous", "meeting"),
                "previous",
                f"previous meeting '{named}' is not earlier than this one",
            )
            continue
        # Approved, yet a meeting that has taken place says it did not endorse them.
        if earlier.status == "approved" and endorsed is False and later.date < today:
            yield _warn(
                later,
                later.line_of("previous", "endorsed"),
                "endorsement",
                f"the minutes of {earlier.id} are approved, but this meeting lists them as "
                "not endorsed",
                "set 'endorsed: true' if this meeting endorsed them",
            )
        # Endorsed by the next meeting, yet still a draft or circulating.
        if endorsed is True and earlier.status != "approved":
            yield _warn(
                earlier,
                earlier.line_of("status"),
                "endorsement",
                f"the minutes were endorsed at the meeting of {later.id} but are still "
                f"'{earlier.status}'",
                "set 'status: approved'",
            )


RULES: list[Callable[[Book, date], Iterable[Problem]]] = [
    silence_ended,
    circulated_without_silence,
    endorsement,
]


def _recent(book: Book, index: int, count: int = 20) -> list[str]:
    """Ids a `previous:` of the meeting at `index` could name, to suggest from: only earlier
    meetings (never the meeting itself; meetings are sorted by date and id), the `count`
    latest of them, so that a long history costs no more."""
    later = book.sheets[index]
    near = book.sheets[max(0, index - count) : index]
    return [m.id for m in near if (m.day, m.id) < (later.day, later.id)]
