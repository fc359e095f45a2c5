"""Deadlines in words ("next meeting", "end of the week", "ASAP", "ongoing"): which words tf
resolves to a date, and how. The words are always kept as written (model: `due_text`); this
module only says what date, if any, they stand for. Pure: no I/O; the meetings and the
group's cadence are passed in. The table in docs/format.md lists every rule."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date, timedelta

from tfcli.model import Cadence, Meeting, Repo, Severity
from tfcli.record import Frozen
from tfcli.record import init as _init

# Kinds of deadline, as JSON and the docs name them.
DATE, NEXT_MEETING, END_OF_WEEK, NEXT_WEEK, END_OF_MONTH = (
    "date",
    "next-meeting",
    "end-of-week",
    "next-week",
    "end-of-month",
)
ASAP, ONGOING, WORDS = "asap", "ongoing", "words"
# A `due:` written but in error (`2022-13-45`, `8 July`): undated, and never shown as "no due
# date" in a table. Not a kind of JSON (its `due_kind` is null, as for no deadline).
INVALID = "invalid"
INVALID_DUE = "invalid due date"  # what a `due:` in error shows (an action's or a follow-up's)
UNDATED = (ASAP, ONGOING, WORDS)

# Leading words that do not change what a deadline means ("by the end of the week").
_PREFIX = re.compile(r"^(?:(?:by|before|at|for|until|till|in time for|latest by)\s+)?(?:the\s+)?")
_PHRASES: dict[str, str] = {}
for _kind, _words in (
    (NEXT_MEETING, ("next meeting", "next tf meeting", "next task force meeting")),
    (END_OF_WEEK, ("end of week", "end of the week", "end of this week", "this week", "eow")),
    (NEXT_WEEK, ("next week", "end of next week", "end of the next week")),
    (END_OF_MONTH, ("end of month", "end of the month", "end of this month", "eom")),
    (ASAP, ("asap", "a.s.a.p", "as soon as possible", "immediately", "urgent", "urgently")),
    (
        ONGOING,
        ("ongoing", "on-going", "on going", "continuous", "continuously", "continuing",
         "permanent", "regularly", "ongoing basis", "an ongoing basis", "continuous basis"),
    ),
):  # fmt: skip
    _PHRASES.update(dict.fromkeys(_words, _kind))


def kind_of(words: str) -> str:
    """What a deadline in words means: one of the kinds above (`words` when tf cannot tell).
    Case, runs of spaces, a final full stop and a leading "by (the)" do not matter."""
    text = " ".join(words.split()).casefold().rstrip(".!").strip()
    if text in _PHRASES:
        return _PHRASES[text]
    return _PHRASES.get(_PREFIX.sub("", text, count=1), WORDS)


class Deadline(Frozen):
    """A deadline as tf computes with it: `day` the date (None when undated), `text` the words
    as written (None for a plain date), `kind` one of the kinds above."""

    __slots__ = ("day", "text", "kind")
    day: date | None
    text: str | None
    kind: str

    def __init__(self, day: date | None, text: str | None = None, kind: str = DATE) -> None:
        _init(self, day, text, kind)

    @property
    def urgent(self) -> bool:
        return self.kind == ASAP

    @property
    def undated(self) -> bool:
        return self.day is None

    def label(self) -> str:
        """As shown: `2022-07-08`, `next meeting (2022-07-08)`, `ongoing`, `` (none)."""
        if self.text is None:
            return self.day.isoformat() if self.day else ""
        return f"{self.text} ({self.day.isoformat()})" if self.day else self.text


def friday_on_or_after(day: date) -> date:
    """The end of the working week: coordination groups work Monday to Friday."""
    return day + timedelta(days=(4 - day.weekday()) % 7)


def _date(m: Meeting) -> date:
    return m.date


def _next_meeting(
    meeting: Meeting, meetings: Sequence[Meeting], cadence: Cadence | None
) -> date | None:
    """The date of the meeting after `meeting`: the next one in the repo (a later date),
    else the date it agreed (`next_meeting.date`), else the cadence rule's next date."""
    # The first later date, found by halving (`meetings` is sorted by date): a scan from the
    # start for every action due "next meeting" made reading a repo quadratic.
    i = bisect.bisect_right(meetings, meeting.date, key=_date)
    if i < len(meetings):
        return meetings[i].date
    agreed = meeting.next_meeting.date if meeting.next_meeting else None
    if agreed and agreed > meeting.date:
        return agreed
    if cadence and (cadence.days or cadence.months):
        from tfcli import cadence as rules  # the meeting date rules ("first Thursday", skips)

        try:
            return rules.after(cadence, meeting.date)
        except (OverflowError, ValueError):
            return None
    return None


def resolve(
    due: date | None,
    words: str | None,
    meeting: Meeting,
    meetings: Sequence[Meeting],
    cadence: Cadence | None,
) -> Deadline:
    """The deadline written in `meeting` (an action's own, or a follow-up's): a date as
    written, or words resolved relative to that meeting. `meetings` sorted by date."""
    if words is None:
        return Deadline(due)
    kind = kind_of(words)
    day: date | None = None
    try:
        if kind == NEXT_MEETING:
            day = _next_meeting(meeting, meetings, cadence)
        elif kind == END_OF_WEEK:
            day = friday_on_or_after(meeting.date)
        elif kind == NEXT_WEEK:
            day = friday_on_or_after(meeting.date) + timedelta(days=7)
        elif kind == END_OF_MONTH:
            import calendar  # here only: half a millisecond of each start

            d = meeting.date
            day = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    except OverflowError:  # past 9999-12-31: undated, the words still say it
        day = None
    return Deadline(day, words, kind)


INVALID_DEADLINE = Deadline(None, None, INVALID)


def unread_dues(repo: Repo) -> set[tuple[str, str, int]]:
    """(meeting id, `actions` or `updates`, line) of the actions and follow-ups whose `due:`
    is an error of `tf check` (found at the value itself): left out as read, they must not
    look like actions without a deadline (or follow-ups that leave it as it was). Nothing to
    look up in minutes without errors."""
    errors = {
        (p.path, p.line, p.col)
        for p in repo.problems
        if p.severity is Severity.ERROR and p.rule in ("date", "type")
    }
    if not errors:
        return set()
    from tfcli.paths import display_path

    paths = {path for path, _, _ in errors}
    out = set()
    for m in repo.meetings:
        if not (m.actions or m.updates) or (shown := display_path(m.path)) not in paths:
            continue
        for key in ("actions", "updates"):
            i = 0
            while (item := m.spans.get((key, i))) is not None:
                due = m.spans.get((key, i, "due"))
                if due is not None and (shown, due.line, due.col) in errors:
                    out.add((m.id, key, item.line))
                i += 1
    return out
