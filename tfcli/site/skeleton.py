"""The follow-ups of a meeting added as the newest (tfcli.site.added) when none records
anything: a skeleton of `tf new-meeting` carries one (`- action: ID`, nothing else) for
every open action. Such an entry is no event of the action's history (actions.records), so
the tracker, the organisation pages, the calendar and the search index stay; only the new
meeting's own page lists it ("nothing recorded", linked to the action's meeting).

What that page needs, without loading the other minutes: which actions a public build hides
(every minutes file's row names the hidden actions it names, and each action is named by
the meeting that agreed it), and each shown one's meeting page, from the tracker as built
(each row has the action's id and its meeting's link). A follow-up that records anything,
or names an action the tracker does not show once (unknown, or one no published meeting
agreed): Unsure, the full build.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tfcli.actions import records
from tfcli.model import Config, Meeting, Update
from tfcli.site.splice import _check

TRACKER = "tracker.html"
_ROW = re.compile(rb'<th scope="row">([^<]*)</th>\n')
# The meeting cell: a row's last (only the tracker's rows end in a link cell).
_MEETING = re.compile(rb'<td><a href="([^"<]*)">([^<]*)</a></td>\n</tr>\n')

# A follow-up on the page: the entry, its action's meeting page, what it recorded in words.
Shown = tuple[Update, "str | None", str]


def hidden_of(new: Meeting, rows: list[Any], internal: bool) -> tuple[str, ...] | None:
    """The new meeting's row's hidden ids (tfcli.site.state.Row): the hidden actions it
    names, as tfcli.site.patch.rows finds them (None in internal builds)."""
    if internal:
        return None
    hidden: set[str] = set()
    for r in rows:
        if r[8]:
            hidden.update(r[8])
    return tuple(sorted({u.action_id for u in new.updates} & hidden))


def followups(shown: Meeting, tracker: Callable[[], bytes | bytearray]) -> list[Shown]:
    """The page's follow-ups of `shown` (the new meeting as the site sees it), as
    tfcli.site.pages.meeting makes them, when none records anything (else Unsure)."""
    from tfcli.site.pages import follow_up

    if not shown.updates:
        return []
    _check(not any(records(u) or u.reopened for u in shown.updates))
    from markupsafe import escape

    data = tracker()
    # Each row's id as printed (escaped once, by the one template): no text decoded.
    at = {m.group(1): m.end() for m in _ROW.finditer(data)}
    _check(len(at) == data.count(b'<th scope="row">'))  # an id on two rows: which one?
    out: list[Shown] = []
    for u in shown.updates:
        start = at[str(escape(u.action_id)).encode("utf-8")]  # (KeyError: the full build)
        end = data.find(b"</tr>\n", start)
        got = _MEETING.search(data, start, end + 6)
        _check(end > 0 and got is not None)
        assert got is not None
        meeting = html.unescape(got.group(2).decode("utf-8"))
        # The page links the meeting named by the id; the tracker, the action's meeting.
        _check(meeting == u.action_id.split("/")[0])
        page = html.unescape(got.group(1).decode("utf-8"))
        _check(page.startswith("meetings/") and page.endswith(".html"))
        out.append((u, page, follow_up(u)))
    return out


def order_kept(config: Config, out: Path, token: bytes, was: list[Any], now: list[Any]) -> None:
    """The tracker's kept order (tfcli.site.moves) with the new file among the published
    ones: a new meeting adds no action and, its follow-ups naming shown actions only, no
    named id, so the order stays and a later rebuild that moves an action takes it. Best
    effort: an order not as the last build wrote it is left (that rebuild: a full build)."""
    import hashlib
    import marshal

    from tfcli.site import moves

    try:
        raw = moves.file(config, out).read_bytes()
        payload = raw[16:]
        if len(raw) <= 16 or raw[:16] != hashlib.blake2b(payload, digest_size=16).digest():
            return
        got = marshal.loads(payload)
        ids, keys, named, files = marshal.loads(got[1])
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return
    if got[0] != token or files != moves.files_of(r[0] for r in was if r[5] is not None):
        return
    files = moves.files_of(r[0] for r in now if r[5] is not None)
    moves.write(config, out, token, marshal.dumps((ids, keys, named, files)))


__all__ = ["followups", "hidden_of", "order_kept"]
