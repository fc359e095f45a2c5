"""The order of an organisation page's closed actions: their compact rows show the id, the
text, the status and the meeting that agreed each, not the deadline the tracker is sorted by,
so they are listed by what they show: the newest meeting first (by date, then id: the order
of meetings.html), each meeting's actions in its own order (as its page lists them). The
clean build sorts them so (pages.organisation); a rebuild puts a row in by the tracker's kept
keys (tfcli.site.order: each holds its action's meeting date, meeting id and place)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tfcli.site.order import PLACE, Key, place
from tfcli.site.splice import _check, row_place

if TYPE_CHECKING:
    from tfcli.actions import Tracked

_HEAD = 9  # a key's due and urgency (order.key_of): then the meeting's date, id and place


def ordered(closed: Sequence[Tracked]) -> list[Tracked]:
    """`closed` (one organisation's) newest meeting first, each meeting's in its order."""
    by_place = sorted(closed, key=place)
    return sorted(by_place, key=lambda t: (t.meeting.date, t.meeting.id), reverse=True)


def _rank(key: Key) -> tuple[str, str, str]:
    """(date, meeting id, place) of a tracker key (the date as fixed-width digits)."""
    rest = key[_HEAD:]
    return rest[:7], rest[7 : -PLACE - 1], rest[-PLACE:]


def after(row: Key, me: Key) -> bool:
    """Whether the closed row with key `row` comes after the one with key `me`."""
    (d1, m1, p1), (d2, m2, p2) = _rank(row), _rank(me)
    return (d1, m1) < (d2, m2) or ((d1, m1) == (d2, m2) and p1 > p2)


def insert_at(data: bytearray, lo: int, hi: int, keys: dict[bytes, Key], me: bytes) -> int:
    """Where in data[lo:hi] (the closed section's rows) the row of `me` goes: before the
    first row that comes after it, else before the table's end."""
    mine = keys.get(me)
    _check(mine is not None)
    assert mine is not None

    def later(row: bytes) -> bool:
        key = keys.get(row)
        _check(key is not None)
        assert key is not None
        return after(key, mine)

    return row_place(data, lo, hi, later)
