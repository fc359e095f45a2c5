"""A rebuild after one meeting was added as the newest (a new minutes file, dated after every
published meeting), with no actions of its own and no follow-up that records anything (a
skeleton of `tf new-meeting`: tfcli.site.skeleton): no other meeting is parsed, no action
tracked, and only the pages that list meetings change.

Such a meeting changes no action (none of its own, no history event; a deadline in words
written in the last meeting could resolve against it: then the full build), so the tracker,
the counts and the deadlines' events stay. It gets its page (with its follow-ups, "nothing
recorded"); the last meeting's page its "next" link (rendered with its kept context,
tfcli.site.contexts); the meetings list its row at the top; the index page its line among
the recent meetings (the eleventh goes), the count of meetings and the next meeting when that
changes; the attendance matrix a column and every organisation's row a cell, a count and a
rate; each organisation page its count and rate (and its list of meetings when it attended);
the register of decisions its decisions; the search index its entry at the end of the last
piece; the calendar its event after the last one's; the output's marker its page. Each piece
is found by its text, made through the built-in templates: anything not found exactly once,
a new piece of the search index, an organisation the site does not know: the full build.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from tfcli.model import Config, Meeting, Problem
from tfcli.site import contexts, fields, people, skeleton, state
from tfcli.site.contexts import Shard
from tfcli.site.splice import UNSURE, _check, _one, _template_text
from tfcli.site.state import Now, Rebuild, Record

if TYPE_CHECKING:
    from tfcli.site import Result

from tfcli.site.writer import MARKER

MEETINGS, INDEX, CALENDAR, DECISIONS = (
    "meetings.html",
    "index.html",
    "calendar.ics",
    "decisions.html",
)
_FIRST_ROW = re.compile(rb'<tbody>\n<tr><th scope="row"><a href="([^"]*)">')


def patch(r: Rebuild) -> Result | None:
    """The site as a full build would make it, when one minutes file was added since the
    last build, and nothing else changed, as above; else None."""
    try:
        return _patch(r.config, r.path, r.last, r.inputs, r.today, r.internal, r.out, r.say)
    except UNSURE:
        return None


def _patch(
    config: Config,
    path: Path,
    record: Record,
    inputs: Now,
    today: date,
    internal: bool,
    out: Path,
    say: Callable[[str], None],
) -> Result:
    from tfcli.load import read_meeting
    from tfcli.site import ics, search
    from tfcli.site.markdown import slug
    from tfcli.site.patch import _body_digest, _front_digest, _read_as_built, _shown
    from tfcli.site.policy import Policy

    token = record.token
    old_paths = [r[0] for r in record.rows]
    _check(bool(token) and record.patchable and record.rest == inputs.rest_with(old_paths))
    _check(len(inputs.paths) == len(old_paths) + 1)
    i = next(
        (k for k, (a, b) in enumerate(zip(old_paths, inputs.paths[:-1], strict=True)) if a != b),
        len(old_paths),
    )
    _check(inputs.paths[:i] + inputs.paths[i + 1 :] == old_paths)
    rows = list(record.rows)
    touched = [k for k, r in enumerate(rows) if r[1] is None or r[1] != _stat(inputs, k, i)]
    _check(len(touched) <= fields.MAX_CHANGED)
    for k in touched:  # changed a moment before the last build, or touched since: the same?
        rows[k] = (rows[k][0], _stat(inputs, k, i), *rows[k][2:])
        _check(_same(config, rows[k]))
    name = inputs.paths[i]
    _check(not os.path.islink(name))  # (a link to a listed file is that file)
    with open(name, "rb") as f:
        data = f.read()
    problems: list[Problem] = []
    new = read_meeting(Path(name), config, problems, data)
    front = _front_digest(data)
    _check(new is not None and not problems and front is not None)
    assert new is not None and front is not None
    policy = Policy(include_restricted=internal)
    _check(policy.publishes(new) and not new.actions)
    hidden = skeleton.hidden_of(new, record.rows, internal)
    shown = _shown(new, hidden)

    edits: dict[str, bytearray] = {}
    stamps = {rel: (d, st) for rel, d, st in record.stamps}

    def page(rel: str) -> bytearray:
        if rel not in edits:
            built = _read_as_built(out, rel, stamps, record.saved - state.RACY_NS)
            _check(built is not None)
            assert built is not None
            edits[rel] = bytearray(built)
        return edits[rel]

    def tracker() -> bytes:
        built = _read_as_built(out, skeleton.TRACKER, stamps, record.saved - state.RACY_NS)
        _check(built is not None)
        return built or b""

    ups = skeleton.followups(shown, tracker)

    # The last meeting: the first row of the meetings list.
    listed = page(MEETINGS)
    first = _FIRST_ROW.search(listed)
    _check(first is not None)
    assert first is not None
    last_page = first.group(1).decode()
    by_page = {r[5]: k for k, r in enumerate(record.rows) if r[5] is not None}
    k = by_page[last_page]
    shards: dict[int, Shard] = {}
    rests: dict[int, bytes] = {}

    def shard(n: int) -> Shard:
        if n not in shards:
            got = contexts.read(contexts.shard_file(config, out, n))
            _check(got is not None)
            assert got is not None
            rests[n], shards[n] = got
        return shards[n]

    lname, _, ldigest, _, lclean, _, lbody_at, lentry_at, lhidden = record.rows[k]
    kept = shard(contexts.shard_of(lname)).get(lname)
    _check(kept is not None and kept[0] == token and kept[1] == ldigest and lclean)
    assert kept is not None
    values, actions, updates, near = pickle.loads(kept[3])
    last = Meeting(*values)
    _check(near[1] is None and (near[0] is None or near[0][1] < last.date))
    _check(new.date > last.date)
    # "next meeting" written in the last meeting would now resolve to the new one.
    _check(all(a.due_text is None for a in last.actions))
    _check(all(u.due_text is None for u in last.updates))
    _check(lbody_at is not None and lentry_at is not None)
    assert lbody_at is not None and lentry_at is not None
    last_shown = _shown(last, lhidden)

    taken = set(by_page) | {rel for rel, _, _ in record.stamps}
    new_page = f"meetings/{slug(new.id)}.html"
    _check(new_page not in taken)

    pieces = fields._Pieces(config, policy, out, record.rest)
    _check(pieces.row is not None and pieces.item is not None and pieces.next is not None)
    env, group = pieces.env, config.group
    args = {"group": group}

    # Pages: the new one, and the last one with its "next" link.
    new_near = ((last.id, last.date, last_page), None)
    html, at = fields._page(
        env, new_page, policy, group, today, internal, shown, [], ups, new_near, b"", None, False
    )
    _check(html is not None)
    assert html is not None
    edits[new_page] = bytearray(html)
    last_near = (near[0], (new.id, new.date, new_page))
    lhtml, lat = fields._page(
        env,
        last_page,
        policy,
        group,
        today,
        internal,
        last_shown,
        actions,
        updates,
        last_near,
        bytes(page(last_page)),
        lbody_at,
        True,
    )
    _check(lhtml is not None and lat is not None)
    assert lhtml is not None
    edits[last_page][:] = lhtml

    # The meetings list and the index page.
    # (The loop's text starts with the line break its tag's line ends with: not printed.)
    old_row = pieces.row.render(m=last_shown, page=last_page, **args).encode().lstrip(b"\n")
    _check(listed.find(old_row) == first.start() + len(b"<tbody>\n"))
    new_row = pieces.row.render(m=shown, page=new_page, **args).encode().lstrip(b"\n")
    listed[first.start() + len(b"<tbody>\n") : first.start() + len(b"<tbody>\n")] = new_row
    _index(page(INDEX), pieces, today, (last_shown, last_page), (shown, new_page), args)

    # Attendance: a column, a cell in every row, every organisation page's rate.
    people.add_column(config, env, page, shown, new_page)

    # Decisions, the search index, the calendar.
    if shown.decisions:
        _decisions(env, page(DECISIONS), shown, new_page)
    n = lentry_at[0]
    piece = page(search.piece_name(n))
    got = search.positions(bytes(piece))
    _check(got is not None and 0 < len(got) < search.PER_PIECE)
    assert got is not None
    _check(got[-1][1] == lentry_at[2])  # the last meeting's entry ends the last piece
    entry = search.script_json(search.entry_of(policy, group, new_page, shown)).encode("utf-8")
    end = got[-1][1]
    piece[end:end] = b"," + entry
    entry_at = (n, end + 1, end + 1 + len(entry))
    tz = config.timezone
    cal = page(CALENDAR)
    old_event, _ = ics.meeting_event(policy, group, tz, last_shown)
    new_event, zoned = ics.meeting_event(policy, group, tz, shown)
    _check(not zoned or b"\r\nBEGIN:VTIMEZONE\r\n" in cal)
    at_event = cal.find(old_event + b"\r\n")
    _check(at_event >= 0 and cal.find(old_event + b"\r\n", at_event + 1) < 0)
    at_event += len(old_event)
    cal[at_event:at_event] = b"\r\n" + new_event
    marker = _marker(_read_as_built(out, MARKER, stamps, record.saved - state.RACY_NS), new_page)

    # What the next build reads: the record's rows, counts and kept pages.
    others = [s for s in record.stamps if s[0] not in edits]
    _check(state._as_built(out, others, record.saved - state.RACY_NS) is not False)
    rows[k] = (*rows[k][:6], lat, *rows[k][7:])
    rows.insert(
        i, (name, inputs.stats[i], front, _body_digest(new), True, new_page, at, entry_at, hidden)
    )
    blob = pickle.dumps((contexts.written(last), actions, updates, last_near), 5)
    shard(contexts.shard_of(lname))[lname] = (token, kept[1], "", blob)
    blob = pickle.dumps((contexts.written(new), [], ups, new_near), 5)
    shard(contexts.shard_of(name))[name] = (token, front, "", blob)
    _write_marker(out, marker, stamps)
    skeleton.order_kept(config, out, token, record.rows, rows)
    _compiled_kept(config, out, record.rest, inputs.rest)
    record.rest = inputs.rest  # (the list of files is in it)
    pages_n, files_n, meetings_n = record.counts
    record.counts = (pages_n + 1, files_n + 1, meetings_n + 1)
    return state.finish(
        config, path, out, record, inputs, rows, stamps, edits, say, (shards, rests)
    )


def _compiled_kept(config: Config, out: Path, was: bytes, now: bytes) -> None:
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


def _stat(inputs: Now, k: int, i: int) -> Any:
    """The stat now of the file of the record's row `k` (the new file is at `i`)."""
    return inputs.stats[k if k < i else k + 1]


def _same(config: Config, row: Any) -> bool:
    """Whether a file holds what its row says: the same front matter (or meeting) and body."""
    from tfcli.load import read_meeting
    from tfcli.site.patch import _body_digest, _front_digest, _meeting_digest

    name, _, digest, body, clean = row[:5]
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError:
        return False
    problems: list[Problem] = []
    m = read_meeting(Path(name), config, problems, data)
    if m is None or problems or not clean:
        return False
    now = _front_digest(data) if digest[:1] == b"F" else _meeting_digest(m)
    return bool(now == digest and _body_digest(m) == body)


def _index(
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


def _decisions(env: Any, data: bytearray, m: Meeting, page: str) -> None:
    text = _template_text(DECISIONS, "{% for m, page, d in items %}", "{% endfor %}")
    row = env.from_string(text[len("{% for m, page, d in items %}") : -len("{% endfor %}")])
    at = data.find(b"</tbody>")
    _check(at >= 0 and data.find(b"</tbody>", at + 1) < 0)
    rows = (row.render(m=m, page=page, d=d).encode().lstrip(b"\n") for d in m.decisions)
    data[at:at] = b"".join(rows)


def _marker(data: bytes | None, new_page: str) -> bytes:
    """The output's marker (tfcli.site.writer: the files tf render made) with the new page."""
    _check(data is not None)
    assert data is not None
    lines = data.decode("utf-8").split("\n")
    _check(lines[-1] == "" and new_page not in lines)
    files = sorted([*lines[1:-1], new_page])
    _check(files == sorted(set(files)))
    return ("\n".join([lines[0], *files]) + "\n").encode("utf-8")


def _write_marker(out: Path, data: bytes, stamps: dict[str, Any]) -> None:
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


__all__ = ["patch"]
