"""An action's row moved to its new place, for tfcli.site.followups: when a due date changes,
the action moves in the tracker's order (`actions.sort_key`, kept by tfcli.site.order), and
so on its owners' organisation pages and in the calendar."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.model import Config
from tfcli.site import closed
from tfcli.site.order import (  # (their names here too: moves.files_of, moves.write, ...)
    PLACE,
    Key,
    Order,
    file,
    files_of,
    key_of,
    made,
    place,
    read,
    renumber,
    uids,
    write,
)
from tfcli.site.splice import (
    _ROW_ID,
    CALENDAR,
    CLOSED,
    INDEX,
    SECTIONS,
    TRACKER,
    Events,
    _bounds,
    _calendar,
    _check,
    _insert_at,
    _one,
    _Pieces,
)

if TYPE_CHECKING:
    from tfcli.actions import Tracked

# An action changed: its id, its old and new state and dict (pages.action's).
# (None: the action is new, or gone.)
Change = tuple[
    str, "Tracked | None", "Tracked | None", dict[str, Any] | None, dict[str, Any] | None
]


def move(
    tracker: bytearray,
    order: Order,
    x: str,
    old: Key | None,
    new: Key | None,
    row: tuple[bytes, bytes],
    named: bool = False,
) -> None:
    """The tracker's row of `x` (its old and new text) taken out (unless it is new) and put
    in at its new key (unless it is gone)."""
    old_row, new_row = row
    raw = _ROW_ID.search(new_row or old_row)
    _check(raw is not None)
    assert raw is not None
    if old is not None:
        n = order.ids.index(x)
        # (Its place may be renumbered already: see renumber.)
        _check(order.keys[n][:-PLACE] == old[:-PLACE] and order.raw[n] == raw.group(1))
        row_once(tracker, old_row, b"", 2 * n > len(order.ids))
        order.take(n)
    else:
        _check(x not in order.named and x not in order.ids)
    if new is None:
        if named:  # (follow-ups name it, and none now has it)
            order.named.add(x)
        return
    _check(new_row.startswith(b"<tr") and new_row.endswith(b"</tr>\n"))
    p = bisect.bisect_left(order.keys, new)
    _check(p == len(order.keys) or order.keys[p] != new)
    if p < len(order.keys):
        th = b'<th scope="row">' + order.raw[p] + b"</th>"  # (once: see row_once)
        at = tracker.rfind(th) if 2 * p > len(order.keys) else tracker.find(th)
        _check(at >= 0)
        at = tracker.rfind(b"<tr", 0, at)
    else:
        at = tracker.find(b"</tbody>")
        _check(tracker.find(b"</tbody>", at + 1) < 0)
    _check(at >= 0)
    tracker[at:at] = new_row
    order.put(p, raw.group(1), x, new)


def row_once(tracker: bytearray, old: bytes, new: bytes, late: bool = False) -> None:
    """splice._one for a tracker row, in one scan of the tracker (20 MB at 5,000 meetings)
    instead of two: its `<th scope="row">` is there once when the rows' ids (_ROW_ID's,
    checked unique by aggregates) are, and another copy of the row would hold another. So
    it is found from either end: from the end when it is in the tracker's second half
    (`late`; the newest meeting's actions mostly are: their deadlines are the latest)."""
    _check(old.count(b'<th scope="row">') == 1 and _ROW_ID.search(old) is not None)
    at = tracker.rfind(old) if late else tracker.find(old)
    _check(at >= 0)
    tracker[at : at + len(old)] = new


def org_page(
    data: bytearray,
    pieces: _Pieces,
    states: tuple[dict[str, bool], dict[str, bool]],
    rows: tuple[dict[str, Any] | None, dict[str, Any] | None],
    order: dict[bytes, int],
    me: bytes,
    moved: bool,
    keys: Callable[[], dict[bytes, Key]],
) -> None:
    """The action's row on an organisation page: changed in place in a section it stays in
    (when its order did not change), taken out of one it leaves, put in one it enters (at its
    place in the tracker's order `order`, after any move; in the closed section, by
    tfcli.site.closed's order, from the tracker's kept `keys`)."""
    for key in SECTIONS:
        was, now = states[0][key], states[1][key]
        if not was and not now:
            continue
        old_row, new_row = (b"" if d is None else pieces.table_row(d, key) for d in rows)
        a, b = _bounds(data, key)
        if was and now and not moved:
            if old_row != new_row:
                _one(data, old_row, new_row, a, b)
            continue
        if was:
            if rows[0] is not None and bytes(data[a:b]) == pieces.section(key, [rows[0]]):
                data[a:b] = pieces.section(key, [])
            else:
                _one(data, old_row, b"", a, b)
            a, b = _bounds(data, key)
        if now:
            if rows[1] is not None and bytes(data[a:b]) == pieces.section(key, []):
                data[a:b] = pieces.section(key, [rows[1]])
            elif key == "closed":
                at = closed.insert_at(data, a, b, keys(), me)
                data[at:at] = new_row
            else:
                at = _insert_at(data, a, b, order, me)
                data[at:at] = new_row


def owns_any(data: bytes | bytearray, pieces: _Pieces) -> bool:
    """Whether an organisation page lists an action (each is overdue, open or closed): the
    tracker's owner filter names only such organisations."""
    for key in ("overdue", "open", "closed"):
        a, b = _bounds(data, key)
        if bytes(data[a:b]) != pieces.section(key, []):
            return True
    return False


def aggregates(
    config: Config,
    out: Path,
    token: bytes,
    today: date,
    redact: Callable[[str], str],
    roster: Any,
    pieces: _Pieces,
    page: Callable[[str], bytearray],
    changes: list[Change],
    gone: tuple[dict[str, list[str]], set[str], bytes],
    files_now: bytes | None = None,
) -> bool:
    """Each changed action's tracker row (moved when its order changed), the counts, its
    rows on its owners' organisation pages and its calendar deadline event. `gone`: the
    meetings whose actions were added or removed, with their actions' ids in order, and the
    ids of removed actions that follow-ups still name; the published files (files_of).
    `files_now`: the published files after this rebuild, when it adds one (tfcli.site.added),
    kept with the order. Whether the kept order was written (else it was not read)."""
    places, named, files = gone
    from tfcli.digest import groups
    from tfcli.site import ics
    from tfcli.site.gather import SOON_DAYS
    from tfcli.site.markdown import slug

    tz, group = config.timezone, config.group
    tracker = page(TRACKER)
    raw = _ROW_ID.findall(tracker)
    # Each row's rank by its id (and UID): its place, or its key once a row moved (the kept
    # order keeps its ranks as rows move: tfcli.site.order).
    order: dict[bytes, Any] = {x: n for n, x in enumerate(raw)}
    _check(len(order) == len(raw))  # (row_once)
    at_uid: dict[bytes, Any] | None = None  # made when an event is put in
    events = Events()  # the calendar's, kept from one event to the next
    ranked = False
    kept_order: Order | None = None

    def kept_keys() -> dict[bytes, Key]:  # (no row moved while it is not read)
        nonlocal kept_order
        if kept_order is None:
            kept_order = read(config, out, token, raw, files)
        return kept_order.ranks()

    delta = {"open": 0, "overdue": 0, "closed": 0}
    # Actions taken out first, then the places of their meetings' others renumbered, then
    # the others put in place.
    changes = sorted(changes, key=lambda c: c[2] is not None)
    for x, t_old, t_new, d_old, d_new in changes:
        if places and t_new is not None:
            if kept_order is None:
                kept_order = read(config, out, token, raw, files)
            for ids in places.values():
                renumber(kept_order, ids)
            places = {}
            if ranked:  # (a row moved before: its keys changed)
                order, at_uid = kept_order.ranks(), None
        for t, sign in ((t_old, -1), (t_new, 1)):
            if t is not None:
                delta["open"] += sign * t.is_open
                delta["overdue"] += sign * t.overdue(today)
                delta["closed"] += sign * (not t.is_open)
        old_row, new_row = (
            b"" if d is None else pieces.row.render(a=d, root="").encode() for d in (d_old, d_new)
        )
        keys = [None if t is None else key_of(t, place(t)) for t in (t_old, t_new)]
        moved = keys[0] != keys[1]
        if moved:
            if kept_order is None:
                kept_order = read(config, out, token, raw, files)
            move(tracker, kept_order, x, keys[0], keys[1], (old_row, new_row), x in named)
            order, ranked = kept_order.ranks(), True
            at_uid = None
        elif old_row != new_row:
            row_once(tracker, old_row, new_row, _late(old_row, order, kept_order, ranked))
        me = _ROW_ID.search(new_row or old_row)
        _check(me is not None and (d_new is None or me.group(1) in order))
        assert me is not None
        owned = [[] if t is None else _owned(t, roster) for t in (t_old, t_new)]
        soon = [
            set() if t is None else _soon(t, roster, today, groups, SOON_DAYS)
            for t in (t_old, t_new)
        ]
        for org in dict.fromkeys([*owned[0], *owned[1], *soon[0], *soon[1]]):
            data = page(f"organisations/{slug(org)}.html")
            h1 = pieces.h1.render(org=org).encode()  # its page, not a namesake's
            _check(data.count(h1) == 1)
            entering = (org in owned[0]) != (org in owned[1])
            if entering:  # the tracker's owner filter names it before and after
                _check(owns_any(data, pieces))
            states = []
            for d, n in ((d_old, 0), (d_new, 1)):
                mine = org in owned[n]
                over = d is not None and bool(d["overdue"])
                closed = d is not None and d["status"] in CLOSED
                states.append(
                    {
                        "overdue": mine and over,
                        "due_soon": org in soon[n],
                        "open": mine and not closed and not over,
                        "closed": mine and closed,
                    }
                )
            org_page(
                data,
                pieces,
                (states[0], states[1]),
                (d_old, d_new),
                order,
                me.group(1),
                moved,
                kept_keys,
            )
            if entering:
                _check(owns_any(data, pieces))
        old_event, new_event = (
            b"" if t is None else ics.action_events(redact, group, tz, t) for t in (t_old, t_new)
        )
        if old_event == new_event:
            continue
        cal = page(CALENDAR)
        if new_event and (moved or not old_event) and at_uid is None:
            at_uid = kept_order.uid_ranks() if kept_order else uids(raw)
        if moved and old_event and new_event:
            _calendar(cal, old_event, b"", {}, x, events)
            _calendar(cal, b"", new_event, at_uid or {}, x, events)
        else:
            _calendar(cal, old_event, new_event, at_uid or {}, x, events)
    if events.ids is not None:
        events.check(page(CALENDAR))
    if places:  # (actions only taken out)
        kept_order = kept_order or read(config, out, token, raw, files)
        for ids in places.values():
            renumber(kept_order, ids)
    if any(delta.values()):
        pieces.counts[0].swap(tracker, delta, today)
        pieces.counts[1].swap(page(INDEX), delta, today)
    if kept_order is None:
        return False
    if files_now is not None:
        kept_order.files = files_now
    write(config, out, token, kept_order.data())
    return True


def _late(row: bytes, order: dict[bytes, Any], kept: Order | None, ranked: bool) -> bool:
    """Whether the tracker's row `row` is in its second half (row_once), by its rank."""
    got = _ROW_ID.search(row)
    rank = None if got is None else order.get(got.group(1))
    if rank is None:
        return False
    at = bisect.bisect_left(kept.keys, rank) if ranked and kept is not None else rank
    return bool(2 * at > len(order))


def _owned(t: Tracked, roster: Any) -> list[str]:
    """The organisations whose pages list `t` as overdue, open or closed (by the owners the
    action named: gather's by_org)."""
    return list(dict.fromkeys(o for who in t.action.owners for o in roster.organisations_of(who)))


def _soon(t: Tracked, roster: Any, today: date, groups: Any, days: int) -> set[str]:
    """The organisations whose pages list `t` as due soon (the digest's, by its owners now)."""
    return {
        g.organisation
        for g in groups([t], roster, today, days)
        if any(e.tracked is t for e in g.due_soon)
    }


__all__ = [
    "PLACE",
    "Change",
    "Key",
    "Order",
    "aggregates",
    "file",
    "files_of",
    "key_of",
    "made",
    "move",
    "org_page",
    "owns_any",
    "place",
    "read",
    "renumber",
    "row_once",
    "uids",
    "write",
]
