"""Pieces of the pages that list meetings, for a meeting added as the newest
(tfcli.site.added): the index page's recent meetings, count and next meeting; the register
of decisions; the output's marker; the compiled templates' names."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tfcli.model import Config, Meeting
from tfcli.site import contexts, state
from tfcli.site.splice import _check, _one, _template_text
from tfcli.site.writer import MARKER

DECISIONS = "decisions.html"


def compiled_kept(config: Config, out: Path, was: bytes, now: bytes) -> None:
    """The built-in templates' compiled code (tfcli.site.contexts.compiled) named after the
    record's new inputs, which differ from the old ones in the list of files only: the next
    patch does not compile them again (a tenth of a second). Best effort."""
    import contextlib
    import hashlib

    folder = contexts.folder(config, out)
    old, new = (f"jinja-{hashlib.blake2b(x, digest_size=8).hexdigest()}-" for x in (was, now))
    for f in folder.glob(old + "*"):
        with contextlib.suppress(OSError):
            os.replace(f, folder / (new + f.name[len(old) :]))


def index(
    data: bytearray,
    pieces: Any,
    today: date,
    last: tuple[Meeting, str],
    new: tuple[Meeting, str],
    args: dict[str, str],
) -> None:
    """The index page: the new meeting's line first among the recent ones (at most RECENT),
    the count of meetings, and the next meeting when it changes."""
    from tfcli.site.pages import RECENT, _next_meeting

    a = data.find(b'<section aria-labelledby="h-recent">')
    _check(a >= 0)
    b = data.find(b"</section>", a)
    lines = [x.start() for x in re.finditer(rb"\n<li>", data[a:b])]
    _check(0 < len(lines) <= RECENT)
    old_line = pieces.item.render(m=last[0], page=last[1], **args).encode()
    _check(data.find(old_line, a, b) == a + lines[0] + 1)
    count_text = _template_text("index.html", '<p><a href="meetings.html">All', "</p>")
    count = pieces.env.from_string(count_text)
    if len(lines) == RECENT:  # the oldest line goes
        start = a + lines[-1] + 1
        end = data.find(b"\n", start) + 1
        _check(end > start)
        del data[start:end]
    at = a + lines[0] + 1
    data[at:at] = pieces.item.render(m=new[0], page=new[1], **args).encode()
    m = re.compile(rb'<p><a href="meetings.html">All ([0-9]+) meeting').search(data, a)
    _check(m is not None)
    assert m is not None
    total = int(m.group(1))
    _one(data, count.render(meetings=total).encode(), count.render(meetings=total + 1).encode())

    def nxt(ms: list[tuple[Meeting, str]]) -> Any:
        site = SimpleNamespace(
            repo=SimpleNamespace(meetings=[x for x, _ in ms]),
            today=today,
            meeting_page={x.id: p for x, p in ms},
        )
        return _next_meeting(site)  # type: ignore[arg-type]

    if last[0].date >= today:
        return  # the next meeting is the first from today on, before the new one
    old, now = (
        pieces.next.render(next=x, **args).encode() for x in (nxt([last]), nxt([last, new]))
    )
    if old != now:
        _one(data, old, now)


def decisions(env: Any, data: bytearray, m: Meeting, page: str) -> None:
    text = _template_text(DECISIONS, "{% for m, page, d in items %}", "{% endfor %}")
    row = env.from_string(text[len("{% for m, page, d in items %}") : -len("{% endfor %}")])
    at = data.find(b"</tbody>")
    _check(at >= 0 and data.find(b"</tbody>", at + 1) < 0)
    rows = (row.render(m=m, page=page, d=d).encode().lstrip(b"\n") for d in m.decisions)
    data[at:at] = b"".join(rows)


def marker(data: bytes | None, new_page: str) -> bytes:
    """The output's marker (tfcli.site.writer: the files tf render made) with the new page."""
    _check(data is not None)
    assert data is not None
    lines = data.decode("utf-8").split("\n")
    _check(lines[-1] == "" and new_page not in lines)
    files = sorted([*lines[1:-1], new_page])
    _check(files == sorted(set(files)))
    return ("\n".join([lines[0], *files]) + "\n").encode("utf-8")


def write_marker(out: Path, data: bytes, stamps: dict[str, Any]) -> None:
    """Written whole (temporary file, then rename), its stamp recorded, as SiteWriter does
    (whose `write` refuses the marker's name: a page may never be called so)."""
    import tempfile

    from tfcli.site.writer import digest

    fd, tmp = tempfile.mkstemp(dir=out, prefix=f"{MARKER}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out / MARKER)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    stamps[MARKER] = (digest(data), state.stamp((out / MARKER).stat()))


__all__ = ["compiled_kept", "decisions", "index", "marker", "write_marker"]
