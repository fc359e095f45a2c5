"""A rebuild after only the bodies of some minutes changed (tfcli.site.state decides when):
each changed file is parsed alone, its new body rendered into its page and its new search
entry put into its piece of the search index, where the last build's record says they are.
No other page shows a meeting's body (the built-in templates; a group's own templates turn
patches off), so the site is then byte for byte what a full build would write."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tfcli import index
from tfcli.model import Config, Meeting, Repo
from tfcli.site import state
from tfcli.site.built import put_entry
from tfcli.site.state import Now, Rebuild, Record, Row, Stamp
from tfcli.tracked_store import Stat

if TYPE_CHECKING:
    from tfcli.frontmatter import Split
    from tfcli.site import Result

MAX_PATCHED = 16  # files a patch parses: more, and the full build is as quick


def _meeting_digest(m: Meeting) -> bytes:
    """A meeting by every field but its body (and its YAML positions, which no page shows)."""
    from tfcli.record import fields

    values = tuple(getattr(m, f) for f in fields(Meeting) if f not in ("body", "spans"))
    return b"M" + index._digest(repr(values).encode("utf-8", "surrogatepass"))


def _body_digest(m: Meeting) -> bytes:
    return _text_digest(m.body)


def _text_digest(body: str) -> bytes:
    """_body_digest of a meeting whose body is `body` (load puts the file's split body in)."""
    return index._digest(body.encode("utf-8", "surrogatepass"))


def _front_digest(data: bytes) -> bytes | None:
    """A minutes file by all but its body: its front matter and where the body starts (a
    meeting is made from them, its path and tf.yml; nothing of it from the body's text)."""
    from tfcli import frontmatter
    from tfcli.errors import LoadError

    try:
        got = frontmatter.split(frontmatter.decode(data))
    except LoadError:
        return None
    return _split_digest(got)


def _split_digest(got: Split) -> bytes:
    """_front_digest of a file split into `got`."""
    text = f"{got.front_matter_line}\0{got.body_line}\0{got.front_matter}"
    return b"F" + index._digest(text.encode("utf-8", "surrogatepass"))


def rows(
    repo: Repo, names: list[str], stats: list[Stat], internal: bool, result: Result
) -> list[Row]:
    """Each minutes file's row (see Row) after a full build of `repo`. A file whose stat is
    known (unchanged since before the load) is keyed by its front matter, read again here;
    one changed a moment ago by the meeting loaded (slower: every field's repr)."""
    from tfcli import policy as parts
    from tfcli.paths import display_path

    by_path = {str(m.path): m for m in repo.meetings}
    troubled = {p.path for p in repo.problems}
    hidden = set() if internal else parts.hidden_actions(repo.meetings)
    out: list[Row] = []
    for name, st in zip(names, stats, strict=True):
        m = by_path.get(name)
        digest = None
        if m is not None and st is not None:
            try:
                with open(name, "rb") as f:
                    digest = _front_digest(f.read())
            except OSError:
                pass
        elif m is not None:
            digest = _meeting_digest(m)
        if m is None or digest is None:
            out.append((name, st, b"", b"", False, None, None, None, None))
            continue
        page, body_at, entry_at = result.rows.get(name, (None, None, None))
        named = {a.id for a in m.actions} | {u.action_id for u in m.updates}
        mine = None if internal else tuple(sorted(named & hidden))
        clean = not troubled or display_path(m.path) not in troubled
        out.append((name, st, digest, _body_digest(m), clean, page, body_at, entry_at, mine))
    return out


def _shown(m: Meeting, hidden: tuple[str, ...] | None) -> Meeting:
    """A meeting as tfcli.site.policy.Policy.filter lets a site see it."""
    from tfcli import policy as parts
    from tfcli.record import replace

    if hidden is not None:
        return parts.public_view(m, set(hidden))
    return m if parts.publishes_attendees() else replace(m, attendees={})


def _read_as_built(
    out: Path, rel: str, stamps: dict[str, tuple[str, Stamp]], since: int
) -> bytes | None:
    """A file's bytes when they are what the build wrote: by its stamp, or by digest when
    its times are too close to the record's to tell."""
    got = read_built(out, rel, stamps, since)
    return None if got is None else bytes(got)


def read_built(
    out: Path, rel: str, stamps: dict[str, tuple[str, Stamp]], since: int
) -> bytearray | None:
    """_read_as_built's bytes, read into the bytearray a patch edits (a copy of the 20 MB
    tracker at 5,000 meetings: 10-25 ms)."""
    from tfcli.site.writer import digest

    if rel not in stamps:
        return None
    want, st_want = stamps[rel]
    try:
        with open(os.path.join(out, rel), "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or state.stamp(st) != st_want:
                return None
            data = bytearray(st.st_size)
            if f.readinto(data) != st.st_size or f.read(1):
                return None
    except OSError:
        return None
    if (st.st_mtime_ns >= since or st.st_ctime_ns >= since) and digest(data) != want:
        return None
    return data


def changed_files(record: Record, inputs: Now) -> list[int] | None:
    """The places of the minutes files whose stamps differ from the record's, when the last
    build could be patched and had the same files and the same other inputs; else None."""
    if not record.patchable or record.rest != inputs.rest:
        return None
    if [r[0] for r in record.rows] != inputs.paths:
        return None
    return [
        i
        for i, (r, st) in enumerate(zip(record.rows, inputs.stats, strict=True))
        if st is None or r[1] is None or r[1] != st
    ]


def patch(r: Rebuild) -> Result | None:
    """The site as a full build would make it, when the minutes files that changed since
    the last build (at most MAX_PATCHED) changed their bodies only: each one's page gets
    its new body, its piece of the search index its new entry; every other page shows no body (the
    built-in templates; a group's own templates: no patch). Else None."""

    changed = changed_files(r.last, r.inputs)
    if changed is None or len(changed) > MAX_PATCHED:
        return None
    rows = list(r.last.rows)
    parsed: list[tuple[int, Meeting, bytes]] = []
    for i in changed:
        name, _, digest, body, clean, page, body_at, entry_at, _ = rows[i]
        if not clean:
            return None
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError:
            return None
        # (The front matter's digest before the parse: another kind of change is told
        # without one.)
        if digest[:1] == b"F" and _front_digest(data) != digest:
            return None
        m, problems = r.meeting(name, data)
        if m is None or problems:
            return None
        if digest[:1] != b"F" and _meeting_digest(m) != digest:
            return None
        new_body = _body_digest(m)
        if new_body != body and page is not None and (body_at is None or entry_at is None):
            return None
        parsed.append((i, m, new_body))
    # The files to patch are read whole (and compared by digest); the others by stamp.
    edits: dict[str, bytearray] = {}
    for i, _, new_body in parsed:
        if new_body != rows[i][3] and (to := rows[i][5]) is not None:
            edits[to] = edits[_piece(rows[i][7])] = bytearray()
    others = [s for s in r.last.stamps if s[0] not in edits]
    if state._as_built(r.out, others, r.last.saved - state.RACY_NS) is False:
        return None
    stamps = {rel: (d, st) for rel, d, st in r.last.stamps}
    for rel in edits:
        built = _read_as_built(r.out, rel, stamps, r.last.saved - state.RACY_NS)
        if built is None:
            return None
        edits[rel] = bytearray(built)
    for i, m, new_body in parsed:
        name, _, digest, body, _, page, body_at, entry_at, hidden = rows[i]
        if page is not None and body_at is not None and entry_at is not None and new_body != body:
            html, entry = _patches(r.config, m, hidden, r.internal, r.today, page)
            edits[page][body_at[0] : body_at[1]] = html
            body_at = (body_at[0], body_at[0] + len(html))
            entry_at, rows = put_entry(edits[_piece(entry_at)], rows, entry_at, entry)
        rows[i] = (name, r.inputs.stats[i], digest, new_body, True, page, body_at, entry_at, hidden)
    return state.finish(r.config, r.path, r.out, r.last, r.inputs, rows, stamps, edits, r.say)


def _piece(entry_at: tuple[int, int, int] | None) -> str:
    from tfcli.site.search import piece_name

    assert entry_at is not None  # checked as the file was parsed
    return piece_name(entry_at[0])


def _patches(
    config: Config,
    m: Meeting,
    hidden: tuple[str, ...] | None,
    internal: bool,
    today: date,
    page: str,
) -> tuple[bytes, bytes]:
    """`m`'s page's new body and its new search entry."""
    from tfcli.site import search
    from tfcli.site.markdown import make_renderer, markdown
    from tfcli.site.policy import Policy

    policy = Policy(include_restricted=internal)
    shown = _shown(m, hidden)
    html = make_renderer()(*markdown(policy, shown)).encode("utf-8")
    entry = search.script_json(search.entry_of(policy, config.group, page, shown))
    return html, entry.encode("utf-8")
