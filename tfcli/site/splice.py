"""Pieces of built pages put in place, taken out or added for tfcli.site.followups: each found
by its text (exactly once, else `Unsure`: the full build), rendered through the built-in
templates the full build uses."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

TRACKER, INDEX, CALENDAR = "tracker.html", "index.html", "calendar.ics"
CLOSED = ("done", "dropped")  # organisation.html's closed section
SECTIONS = ("overdue", "due_soon", "open", "closed")
_ROW_ID = re.compile(rb'<th scope="row">([^<]*)</th>')
_UID = re.compile(rb"\r\nUID:action-([^@\r]*)@")


class Unsure(Exception):
    """Not what this path knows for certain: the full build."""


# What a rebuild path may raise on kept data not shaped as its code expects (another
# version's, damaged): it returns None, and the full build starts from the last one (nothing
# is written before every piece is made).
UNSURE = (Unsure, KeyError, ValueError, IndexError, TypeError, AttributeError)


def _check(ok: bool) -> None:
    if not ok:
        raise Unsure


def _one(data: bytearray, old: bytes, new: bytes, lo: int = 0, hi: int | None = None) -> None:
    """`old` (there exactly once between lo and hi) replaced by `new`."""
    hi = len(data) if hi is None else hi
    at = data.find(old, lo, hi)
    _check(at >= 0 and data.find(old, at + 1, hi) < 0)
    data[at : at + len(old)] = new


def _template_text(name: str, start: str, end: str) -> str:
    from tfcli.site.render import BUILTIN

    text = (BUILTIN / name).read_text("utf-8")
    a = text.find(start)
    _check(a >= 0 and text.count(start) == 1)
    b = text.find(end, a)
    _check(b >= 0)
    return text[a : b + len(end)]


class _Counts:
    """A counts line of a built-in template, found in a page by its words and numbers."""

    def __init__(self, env: Environment, name: str) -> None:
        from tfcli.site.render import BUILTIN

        lines = [x for x in (BUILTIN / name).read_text("utf-8").splitlines() if "counts." in x]
        _check(len(lines) == 1)
        self.template = env.from_string(lines[0])

    def swap(self, data: bytearray, delta: dict[str, int], today: date) -> None:
        marks = {k: f"qqz{k}qqz" for k in ("open", "overdue", "closed")}
        text = self.template.render(counts=marks, today=today)
        parts = re.split("qqz(open|overdue|closed)qqz", text)
        _check(len(parts) == 7)
        pattern = "".join(
            re.escape(p) if n % 2 == 0 else f"(?P<{p}>[0-9]+)" for n, p in enumerate(parts)
        )
        regex = re.compile(pattern.encode("utf-8"))
        # Every match holds the line's longest words: when they are there once (twice `find`,
        # at C speed), a match can only be on their line (the line has no line break); else
        # every match is looked for (in the 20 MB tracker).
        lead = max((p.encode("utf-8") for p in parts[::2]), key=len)
        at = data.find(lead) if lead and "\n" not in text else -1
        if at >= 0 and data.find(lead, at + 1) < 0:
            end = data.find(b"\n", at)
            found = list(
                regex.finditer(data, data.rfind(b"\n", 0, at) + 1, len(data) if end < 0 else end)
            )
        else:
            found = list(regex.finditer(data))
        _check(len(found) == 1)
        got = found[0]
        old = {k: int(got.group(k)) for k in marks}
        was = self.template.render(counts=old, today=today).encode("utf-8")
        _check(was == got.group(0))
        new = {k: old[k] + delta[k] for k in marks}
        start, end = got.span()
        del found, got  # (they hold the bytes)
        data[start:end] = self.template.render(counts=new, today=today).encode()


class _Pieces:
    def __init__(self, env: Environment) -> None:
        self.env = env
        head = '{% from "_macros.html" import status, due, history, action_table %}'
        row = _template_text(TRACKER, "{% for a in rows %}", "{% endfor %}")
        self.row = env.from_string(head + row[len("{% for a in rows %}") : -len("{% endfor %}")])
        self.table = env.from_string(
            head + "{{ action_table(items, root, caption, compact=compact) }}"
        )
        block = _template_text("organisation.html", "{% for key, caption in", "{% endfor %}")
        self.sections = env.from_string(head + block)
        self.h1 = env.from_string("<h1>{{ org }}</h1>")
        self.counts = [_Counts(env, TRACKER), _Counts(env, INDEX)]
        self.empty: dict[str, bytes] = {}

    def section(self, key: str, items: list[dict[str, Any]]) -> bytes:
        if not items:  # (an empty section: asked for each owner's page, several times)
            if key not in self.empty:
                self.empty[key] = self._section(key, [])
            return self.empty[key]
        return self._section(key, items)

    def _section(self, key: str, items: list[dict[str, Any]]) -> bytes:
        lists: dict[str, Any] = {k: (items if k == key else []) for k in SECTIONS}
        from tfcli.site.gather import SOON_DAYS

        text = self.sections.render(root="../", soon_days=SOON_DAYS, **lists).encode("utf-8")
        a, b = _bounds(text, key)
        return text[a:b]

    def table_row(self, d: dict[str, Any], key: str) -> bytes:
        """`d`'s row in an organisation page's section `key` (closed actions: compact)."""
        compact = key == "closed"
        text = self.table.render(items=[d], root="../", caption="", compact=compact).encode()
        a = text.find(b"<tbody>\n")
        b = text.find(b"</tbody>")
        _check(a >= 0 and b > a)
        return text[a + len(b"<tbody>\n") : b]


def _bounds(data: bytes | bytearray, key: str) -> tuple[int, int]:
    head = f'<section aria-labelledby="h-{key}">'.encode()
    a = data.find(head)
    _check(a >= 0 and data.find(head, a + 1) < 0)
    b = data.find(b"</section>", a)
    _check(b >= 0)
    return a, b + len(b"</section>")


def row_place(data: bytearray, lo: int, hi: int, later: Callable[[bytes], bool]) -> int:
    """Where in data[lo:hi] (a table's rows) a row goes: before the first row whose action id
    is `later` than it, else before the table's end."""
    for got in _ROW_ID.finditer(data, lo, hi):
        if later(got.group(1)):
            at = data.rfind(b"<tr", lo, got.start())
            _check(at >= 0)
            return at
    at = data.find(b"</tbody>", lo, hi)
    _check(at >= 0 and data.find(b"</tbody>", at + 1, hi) < 0)
    return at


def _insert_at(data: bytearray, lo: int, hi: int, order: dict[bytes, int], me: bytes) -> int:
    """Where the row of `me` goes among a table's rows: by the tracker's order."""
    mine = order[me]

    def later(row: bytes) -> bool:
        pos = order.get(row)
        _check(pos is not None)
        return pos > mine  # type: ignore[operator]

    return row_place(data, lo, hi, later)


class Events:
    """The calendar's action events' ids in order, kept across one patch's splices
    (`_calendar`): one `findall` of the calendar (4.4 MB at 5,000 meetings) for all its new
    events instead of one each. An edit the ids cannot follow drops them (made again at the
    next insertion); `check` holds them against the calendar at the end."""

    def __init__(self) -> None:
        self.ids: list[bytes] | None = None

    def of(self, data: bytearray) -> list[bytes]:
        if self.ids is None:
            ids = _UID.findall(data)  # one pass of 4 MB, at C speed
            _check(len(ids) == data.count(b"\r\nUID:action-"))
            self.ids = ids
        return self.ids

    def check(self, data: bytearray) -> None:
        """The kept ids are the calendar's (else Unsure: the full build)."""
        if self.ids is not None:
            _check(_UID.findall(data) == self.ids)


def _own(event: bytes) -> list[bytes] | None:
    """An event's action UIDs when whole events (so the calendar's matches there are its)."""
    ok = event.startswith(b"BEGIN:VEVENT\r\n") and event.endswith(b"END:VEVENT\r\n")
    got = _UID.findall(event)
    return got if ok and len(got) == event.count(b"\r\nUID:action-") else None


def _calendar(
    data: bytearray,
    old: bytes,
    new: bytes,
    order: dict[bytes, int],
    me: str,
    events: Events | None = None,
) -> None:
    if old == new:
        return
    events = events or Events()
    if old and new:
        _one(data, old, new)
        if _own(old) is None or _own(old) != _own(new):
            events.ids = None
    elif old:
        _one(data, old, b"")
        got, ids = _own(old), events.ids
        if ids is not None and got is not None and len(got) == 1 and ids.count(got[0]) == 1:
            ids.remove(got[0])  # (once among them: the event taken out held it)
        else:
            events.ids = None
    else:  # before the next action's event in the tracker's order, else the calendar's end
        ids = events.of(data)
        mine = order.get(me.replace("/", "-").encode())
        ranks = list(map(order.get, ids))
        _check(mine is not None and None not in ranks)
        # The first event after it: by halving when the events are in order (they are).
        if ranks == sorted(ranks):  # type: ignore[type-var]
            j = bisect.bisect_right(ranks, mine)  # type: ignore[type-var]
        else:
            j = next((j for j, r in enumerate(ranks) if r > mine), len(ranks))  # type: ignore[operator]
        if j < len(ids):
            # (its UID's first place is its own: an earlier event with it would be later too)
            later = data.find(b"\r\nUID:action-" + ids[j] + b"@")
            at = data.rfind(b"BEGIN:VEVENT\r\n", 0, later)
            _check(later >= 0 and at >= 0)
        else:
            at = data.rfind(b"END:VCALENDAR\r\n")
            _check(at >= 0 and at + len(b"END:VCALENDAR\r\n") == len(data))
        data[at:at] = new
        got = _own(new)
        # Its UIDs are the calendar's j-th on (j: the place of ids[j]'s first event).
        if got is None or (j < len(ids) and ids[j] in ids[:j]):
            events.ids = None
        else:
            ids[j:j] = got
