"""`tf check`'s rule about deadlines in words (`due-words`), over the follow-ups' rows
(tfcli.action_rules), after action_rules.RULES in check.CACHED_RULES."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from datetime import date
from itertools import compress, repeat
from typing import cast

from tfcli.action_rules import _AT, _index, _tracks
from tfcli.check_cache import Keyed
from tfcli.deadlines import resolve
from tfcli.fields import excerpt
from tfcli.model import Meeting, NextMeeting, Problem, Severity, place
from tfcli.paths import display_path
from tfcli.rows import Book, Sheet, UpdateRow


@Keyed
def deadline_words(book: Book, today: date) -> Iterator[tuple[str, Problem]]:
    """A deadline in words that tf cannot date ("before the next distribution", or "next
    meeting" with no next meeting, date or cadence to go by) is kept as written and never
    overdue: worth a note, not a finding."""
    tracks = _tracks(book)
    worded = tracks.worded
    actions = tracks.actions  # most have no deadline in words: those are left out in C
    chosen = map(
        operator.or_,
        map(operator.is_not, map(_AT[5], actions), repeat(None)),
        map(worded.__contains__, map(_AT[7], actions)),
    )
    said = list(compress(zip(tracks.homes, actions, strict=True), chosen))
    if not said:
        return
    first: dict[str, Sheet] = {}  # meeting id -> its first sheet (as actions.track looks up)
    for s in book.sheets:
        first.setdefault(s.id, s)
    stand_ins: dict[int, Meeting] = {}
    for s, a in said:
        aid = a[7]
        history = tracks.history(a) if aid in worded else []
        words: list[tuple[UpdateRow | None, int | None, str, Sheet]] = []
        if a[5] is not None:
            words.append((None, a[4], a[5], s))
        words += [(u, u[5], u[6], first.get(u[1], s)) for u in history if u[6] is not None]
        for u, due, text, where in words:
            d = resolve(
                _day(due), text, _stand_in(where, stand_ins), _stand_ins(book, stand_ins),
                book.config.cadence,
            )  # fmt: skip
            if d.day is not None or d.kind in ("asap", "ongoing"):
                continue
            if u is None:
                m: Sheet | None = s
                where_at = ("actions", _index(s, "actions", a[6]), a[6])
            else:
                m = first.get(u[1])
                where_at = ("updates", _index(m, "updates", u[3]) if m else None, u[3])
            if m is None:
                continue
            # At the value itself (the line of the item when it cannot be placed).
            field, i, item_line = where_at
            line, col = place(m.spans, (field, i, "due")) if i is not None else (item_line, 1)
            why = (
                "there is no next meeting, next_meeting.date or cadence to go by"
                if d.kind == "next-meeting"
                else "tf cannot tell which date it means"
            )
            yield (
                aid,
                Problem(
                    display_path(m.path),
                    line,
                    col,
                    Severity.INFO,
                    "due-words",
                    f"deadline '{excerpt(text)}' of {aid} is kept as written; {why}, so it is "
                    "listed as open without a date and never overdue",
                    "a date (YYYY-MM-DD), 'next meeting', 'end of the week', 'end of month', "
                    "'ASAP' or 'ongoing' are understood",
                ),
            )


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def _stand_in(s: Sheet, made: dict[int, Meeting]) -> Meeting:
    """A meeting with what `deadlines.resolve` reads of it: its date and agreed next date."""
    if (m := made.get(id(s))) is None:
        nm = None if s.next_day is None else NextMeeting(date.fromordinal(s.next_day))
        m = made[id(s)] = Meeting(s.path, s.id, s.date, next_meeting=nm)
    return m


def _stand_ins(book: Book, made: dict[int, Meeting]) -> list[Meeting]:
    got = book.cache.get("stand_ins")
    if got is None:
        got = book.cache["stand_ins"] = [_stand_in(s, made) for s in book.sheets]
    return cast(list[Meeting], got)
