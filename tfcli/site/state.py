"""A rebuild with nothing changed: one key over every input of a site, and the stamps of
every file the last build left in the output folder, so that such a rebuild neither loads a
meeting nor renders a page (at 5,000 meetings it was 6 s of loading, keying and comparing).

The key covers what a site is made from: each minutes file's path, size, times, inode and
mode, the working directory, tf.yml and its problems (as .tf/tracked keys them:
tfcli.tracked_store.state), tf's code and Python (tfcli.index), the modules of the libraries
that render (by the same stats), the built-in and the group's site templates (their bytes),
the day, the build's kind (public or internal) and the output folder. The record of a build
(`.tf/render-cache/built-<folder>`) holds that key, the warnings the load printed, the
build's counts and each output file's digest, size, times and inode after the write. When
the key is the same and every file still has its stamp, the folder holds what a clean build
would write. A file whose times are too close to the record's to tell a later edit from the
build's own write (a coarse clock) is read and compared by digest instead. Anything
missing, damaged or different: the full build runs, and records again.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli import index
from tfcli.model import Config, Meeting, Problem, Repo

if TYPE_CHECKING:
    from tfcli.site import Result

FORMAT = 1  # of the record below
# Libraries whose modules make a page's bytes (tfcli.site.cache keys them by version).
_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins")
# An output file changed this close to the record's time could be a later edit with the same
# times on a coarse clock: it is read. The index's margin; its own name, for tests.
RACY_NS = index.RACY_NS
BUILTIN = Path(__file__).resolve().parent.parent / "defaults" / "site"
# A stamp: size, modification time, inode, change time.
Stamp = tuple[int, int, int, int]


def stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _code(config: Config) -> bytes:
    """tf's code, the rendering libraries' modules and the site templates."""
    from importlib.util import find_spec

    from tfcli import __version__

    parts = [__version__.encode(), index.code_fingerprint()]
    for name in _LIBRARIES:
        spec = find_spec(name)
        where = spec.submodule_search_locations if spec else None
        parts.append(index.modules_key(next(iter(where))) if where else name.encode())
    for folder in (BUILTIN, config.templates_dir / "site"):
        if folder.is_dir():
            for f in sorted(p for p in folder.rglob("*") if p.is_file()):
                parts += (os.fsencode(f), f.read_bytes())
    return index._digest(b"\0\0".join(parts))


# A minutes file's stat as .tf/tracked keys it (None: changed too recently to trust).
Stat = tuple[int, int, int, int, int, int] | None
# Per minutes file, in the walk's order: its path, its stat, the digest of its meeting but
# for the body, the digest of its body, whether it loaded without a problem, and when the site
# shows it: its page, where the page's body and its search entry are in their files' bytes,
# and the ids of the hidden actions it names (public builds; None in internal ones).
Row = tuple[
    str,
    Stat,
    bytes,
    bytes,
    bool,
    "str | None",
    "tuple[int, int] | None",
    "tuple[int, int] | None",
    "tuple[str, ...] | None",
]
# marshal's format 2: from format 3 on, an object referred to more than once may be written
# as a back-reference, so the same values give other bytes (a key must not).
_PLAIN = 2
MAX_PATCHED = 16
SEARCH_INDEX = (
    "assets/search-index.js"  # files a patch parses: more, and the full build is as quick
)


class Now:
    """The inputs as they are now: `rest` keys all but the minutes files' stats."""

    def __init__(self, rest: bytes, paths: list[str], stats: list[Stat]) -> None:
        self.rest, self.paths, self.stats = rest, paths, stats

    @property
    def key(self) -> bytes | None:
        if any(s is None for s in self.stats):
            return None
        return index._digest(self.rest + marshal.dumps(self.stats, _PLAIN))


def now(
    config: Config, problems: list[Problem], today: date, internal: bool, out: Path, before: int
) -> Now | None:
    """The inputs of a site built now (the minutes' stats as tfcli.tracked_store keys them;
    a file changed at or after `before`, less the index's margin, has no stat); None
    without a tf.yml, with TF_INDEX=off, or when the minutes cannot be listed as usual."""
    from tfcli import paths, tracked_store

    if config.path is None or not index.enabled():
        return None
    found = list(problems)
    files = tracked_store._files(config, found)
    if files is None:
        return None
    minutes = paths.real_path(config.minutes_dir)
    rows: list[object] = [minutes, os.getcwd(), index.config_text(config), repr(found)]
    limit = before - index.RACY_NS
    real_folders: dict[str, str] = {}
    names: list[str] = []
    stats: list[Stat] = []
    for p, folder, st in files:
        if folder not in real_folders:
            real_folders[folder] = paths._real_folder(os.path.abspath(folder))
            if not paths.below(real_folders[folder], minutes):
                return None
            rows += (folder, real_folders[folder])
        try:
            st = st or os.lstat(p)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        names.append(p)
        racy = st.st_mtime_ns >= limit or st.st_ctime_ns >= limit
        stats.append(
            None
            if racy
            else (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)
        )
    build = f"{today.isoformat()}\0{'internal' if internal else 'public'}\0".encode()
    rows += (names, _code(config), build, os.fsencode(out))
    return Now(index._digest(marshal.dumps(rows, _PLAIN)), names, stats)


def _file(config: Config, out: Path) -> Path:
    from tfcli.site.cache import CACHE_DIR

    return config.root / CACHE_DIR / f"built-{index._digest(os.fsencode(out)).hex()}"


class Record:
    """What a build wrote, for the next one (see the module's doc)."""

    def __init__(
        self,
        key: bytes | None,
        rest: bytes,
        saved: int,
        lines: list[str],
        counts: tuple[int, int, int],
        stamps: list[tuple[str, str, Stamp]],
        rows: list[Row],
        patchable: bool,
    ) -> None:
        self.key, self.rest, self.saved, self.lines = key, rest, saved, lines
        self.counts, self.stamps, self.rows, self.patchable = counts, stamps, rows, patchable

    def values(self) -> tuple[Any, ...]:
        return (
            self.key,
            self.rest,
            self.saved,
            self.lines,
            self.counts,
            self.stamps,
            self.rows,
            self.patchable,
        )


def _read(path: Path) -> Record | None:
    try:
        raw = path.read_bytes()
        payload = raw[16:]
        if raw[:16] != index._digest(payload):
            return None  # damaged
        got = marshal.loads(payload)
        if got[0] != FORMAT:
            return None
        return Record(*got[1:])
    except Exception:  # missing, unreadable, foreign: a full build
        return None


def _write(path: Path, record: Record) -> None:
    """Best effort, like the render cache: without a record the next build is a full one."""
    payload = marshal.dumps((FORMAT, *record.values()))
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(index._digest(payload) + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _as_built(out: Path, files: list[tuple[str, str, Stamp]], since: int) -> bool | None:
    """Every file as the build left it: True by their stamps alone; None when some had to
    be read (their times were too close to the record's), False when one differs."""
    from tfcli.site.writer import digest

    root = str(out)
    read = False
    for rel, want, st_want in files:
        path = os.path.join(root, rel)
        try:
            st = os.lstat(path)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or stamp(st) != st_want:
            return False
        if st.st_mtime_ns >= since or st.st_ctime_ns >= since:
            read = True
            try:
                with open(path, "rb") as f:
                    if digest(f.read()) != want:
                        return False
            except OSError:
                return False
    return None if read else True


def _unchanged(
    path: Path, record: Record, key: bytes, out: Path, say: Callable[[str], None]
) -> Result | None:
    """The result of a build into `out` when the folder holds what the last build with the
    same inputs wrote (its warnings said again by `say`); else None."""
    import time

    from tfcli.site import Result

    same = _as_built(out, record.stamps, record.saved - RACY_NS)
    if same is False:
        return None
    at = time.time_ns()
    if same is None and all(s[3] < at - RACY_NS for _, _, s in record.stamps):
        # Each file read was as built, and is now old enough to be trusted by its stamp.
        record.saved = at
        _write(path, record)
    for line in record.lines:
        say(line)
    pages, files, meetings = record.counts
    return Result(out, pages, files, 0, 0, meetings, pages)


def _meeting_digest(m: Meeting) -> bytes:
    """A meeting by every field but its body (and its YAML positions, which no page shows)."""
    from tfcli.record import fields

    values = tuple(getattr(m, f) for f in fields(Meeting) if f not in ("body", "spans"))
    return b"M" + index._digest(repr(values).encode("utf-8", "surrogatepass"))


def _body_digest(m: Meeting) -> bytes:
    return index._digest(m.body.encode("utf-8", "surrogatepass"))


def _front_digest(data: bytes) -> bytes | None:
    """A minutes file by all but its body: its front matter and where the body starts (a
    meeting is made from them, its path and tf.yml; nothing of it from the body's text)."""
    from tfcli import frontmatter
    from tfcli.errors import LoadError

    try:
        got = frontmatter.split(frontmatter.decode(data))
    except LoadError:
        return None
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
    from tfcli.site.writer import digest

    if rel not in stamps:
        return None
    want, st_want = stamps[rel]
    try:
        with open(os.path.join(out, rel), "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or stamp(st) != st_want:
        return None
    if (st.st_mtime_ns >= since or st.st_ctime_ns >= since) and digest(data) != want:
        return None
    return data


def _patch(
    config: Config,
    path: Path,
    record: Record,
    inputs: Now,
    today: date,
    internal: bool,
    out: Path,
    say: Callable[[str], None],
) -> Result | None:
    """The site as a full build would make it, when the minutes files that changed since
    the last build (at most MAX_PATCHED) changed their bodies only: each one's page gets
    its new body, the search index its new entry; every other page shows no body (the
    built-in templates; a group's own templates: no patch). Else None."""
    import time

    from tfcli.load import read_meeting
    from tfcli.site import Result

    if not record.patchable or record.rest != inputs.rest:
        return None
    if [r[0] for r in record.rows] != inputs.paths:
        return None
    changed = [
        i
        for i, (r, st) in enumerate(zip(record.rows, inputs.stats, strict=True))
        if st is None or r[1] is None or r[1] != st
    ]
    if len(changed) > MAX_PATCHED:
        return None
    rows = list(record.rows)
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
        problems: list[Problem] = []
        m = read_meeting(Path(name), config, problems, data)
        if m is None or problems:
            return None
        if (_front_digest(data) if digest[:1] == b"F" else _meeting_digest(m)) != digest:
            return None
        new_body = _body_digest(m)
        if new_body != body and page is not None and (body_at is None or entry_at is None):
            return None
        parsed.append((i, m, new_body))
    # The files to patch are read whole (and compared by digest); the others by stamp.
    edits: dict[str, bytearray] = {}
    for i, _, new_body in parsed:
        if new_body != rows[i][3] and (to := rows[i][5]) is not None:
            edits[to] = edits[SEARCH_INDEX] = bytearray()
    others = [s for s in record.stamps if s[0] not in edits]
    if _as_built(out, others, record.saved - RACY_NS) is False:
        return None
    stamps = {rel: (d, st) for rel, d, st in record.stamps}
    for rel in edits:
        built = _read_as_built(out, rel, stamps, record.saved - RACY_NS)
        if built is None:
            return None
        edits[rel] = bytearray(built)
    for i, m, new_body in parsed:
        name, _, digest, body, _, page, body_at, entry_at, hidden = rows[i]
        if page is not None and body_at is not None and entry_at is not None and new_body != body:
            html, entry = _patches(config, m, hidden, internal, today, page)
            edits[page][body_at[0] : body_at[1]] = html
            edits[SEARCH_INDEX][entry_at[0] : entry_at[1]] = entry
            body_at = (body_at[0], body_at[0] + len(html))
            moved = len(entry) - (entry_at[1] - entry_at[0])
            start, entry_at = entry_at[0], (entry_at[0], entry_at[0] + len(entry))
            if moved:
                rows = [
                    (*r[:7], (r[7][0] + moved, r[7][1] + moved), r[8])
                    if r[7] is not None and r[7][0] > start
                    else r
                    for r in rows
                ]
        rows[i] = (name, inputs.stats[i], digest, new_body, True, page, body_at, entry_at, hidden)
    from tfcli.site.writer import SiteWriter

    w = SiteWriter(out)
    w.before = stamps  # compared by digest, not read again
    for rel, patched in edits.items():
        w.write(rel, bytes(patched))
    stamps.update(w.records)
    record.key, record.rows = inputs.key, rows
    record.stamps = [(rel, d, st) for rel, (d, st) in sorted(stamps.items())]
    record.saved = time.time_ns()
    _write(path, record)
    for line in record.lines:
        say(line)
    pages, files, meetings = record.counts
    shown = sum(1 for rel in edits if rel.endswith(".html"))
    return Result(out, pages, files, w.changed, 0, meetings, pages - shown)


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
    from tfcli.site.markdown import make_renderer
    from tfcli.site.pages import markdown
    from tfcli.site.policy import Policy

    policy = Policy(include_restricted=internal)
    shown = _shown(m, hidden)
    html = make_renderer()(*markdown(policy, shown)).encode("utf-8")
    entry = search.script_json(search.entry_of(policy, config.group, page, shown))
    return html, entry.encode("utf-8")


def build(
    config: Config,
    problems: list[Problem],
    today: date,
    out: Path,
    internal: bool,
    use_cache: bool,
    full: Callable[[Repo], Result],
    load: Callable[[], Repo],
    say: Callable[[str], None],
) -> Result:
    """A site into `out`: as the last build left it when nothing it is made from changed,
    patched when only bodies changed (the warnings of the last build said again by `say`),
    else `full(load())`, recorded for the next build. `config` and `problems`: tf.yml as
    read before anything else."""
    import time

    from tfcli.load import load_config
    from tfcli.site.writer import check_out

    target = check_out(out, config)
    started = time.time_ns()
    inputs = now(config, problems, today, internal, target, started) if use_cache else None
    if inputs is not None:
        path = _file(config, target)
        last = _read(path)
        if last is not None:
            key = inputs.key
            if key is not None and last.key == key:
                done = _unchanged(path, last, key, target, say)
            else:
                done = _patch(config, path, last, inputs, today, internal, target, say)
            if done is not None:
                return done
    repo = load()
    result = full(repo)
    if inputs is None:
        return result
    # Recorded only when nothing changed while the site was built (as .tf/tracked does).
    again, problems_again = load_config()
    after = now(again, problems_again, today, internal, target, started)
    if again != config or after is None or (after.rest, after.stats) != (inputs.rest, inputs.stats):
        return result
    record(config, inputs, target, repo, internal, result)
    return result


def record(
    config: Config, inputs: Now, out: Path, repo: Repo, internal: bool, result: Result
) -> None:
    """Keep what a full build with `inputs` wrote, for the next build."""
    import time

    from tfcli.meetings import unusable_report

    lines = unusable_report(repo) if repo.problems else []
    saved = time.time_ns()  # after every write: a file edited later has later times
    stamps = [(rel, d, st) for rel, (d, st) in sorted(result.stamps.items())]
    new_rows = rows(repo, inputs.paths, inputs.stats, internal, result)
    # A page taken from the render cache has the bytes it had: where its body is, too.
    old = _read(_file(config, out))
    if old is not None:
        known = {rel: d for rel, d, _ in old.stamps}
        before = {r[0]: r for r in old.rows}
        for n, r in enumerate(new_rows):
            page = r[5]
            o = before.get(r[0])
            same = page and known.get(page) == result.stamps.get(page, ("",))[0]
            if r[6] is None and same and o and o[5] == page and o[6] is not None:
                new_rows[n] = (*r[:6], o[6], *r[7:])
    group = config.templates_dir / "site"
    patchable = not (group.is_dir() and any(p.is_file() for p in group.rglob("*")))
    counts = (result.pages, result.files, result.meetings)
    _write(
        _file(config, out),
        Record(inputs.key, inputs.rest, saved, lines, counts, stamps, new_rows, patchable),
    )
