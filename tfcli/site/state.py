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
missing, damaged or different: the rebuild paths of PATHS are tried in turn (each patches
the site for one kind of change, or declines); else the full build runs, and records again.
The record itself: tfcli.site.built.
"""

from __future__ import annotations

import importlib
import marshal
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli import index, tracked_store
from tfcli.model import Config, Meeting, Problem, Repo
from tfcli.site.built import Record, Row, Stamp, stamp
from tfcli.site.built import file as _file
from tfcli.site.built import read as _read
from tfcli.site.built import write as _write
from tfcli.tracked_store import Stat

__all__ = ["Now", "Rebuild", "Record", "Row", "Stamp", "build", "finish", "stamp"]

if TYPE_CHECKING:
    from tfcli.site import Result

# Libraries whose modules make a page's bytes (tfcli.site.cache keys them by version).
_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins")
# An output file changed this close to the record's time could be a later edit with the same
# times on a coarse clock: it is read. The index's margin; its own name, for tests.
RACY_NS = index.RACY_NS
BUILTIN = Path(__file__).resolve().parent.parent / "defaults" / "site"
# The rebuild paths, tried in this order: each module's `patch(r: Rebuild) -> Result | None`
# gives the site as a full build would make it, or None when the change is not its kind (or
# anything it would rely on is unsure). Imported only when tried: a body patch imports no
# templates.
PATHS = (
    "tfcli.site.patch",  # bodies
    "tfcli.site.fields",  # display fields (and participants: tfcli.site.people)
    "tfcli.site.followups",  # actions and follow-ups
    "tfcli.site.added",  # a meeting added as the newest
)


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


# marshal's format 2: from format 3 on, an object referred to more than once may be written
# as a back-reference, so the same values give other bytes (a key must not).
_PLAIN = 2


class Now:
    """The inputs as they are now: `rest` keys all but the minutes files' stats."""

    def __init__(
        self, rest: bytes, paths: list[str], stats: list[Stat], parts: tuple[Any, ...] = ()
    ) -> None:
        self.rest, self.paths, self.stats = rest, paths, stats
        self.parts = parts  # what `rest` is made of: (head, paths, *tail)

    def rest_with(self, paths: list[str]) -> bytes | None:
        """`rest` as it would be with these minutes files (tfcli.site.added: all inputs but
        the list of files as the record's)."""
        if not self.parts:
            return None
        head, _, *tail = self.parts
        return index._digest(marshal.dumps([*head, paths, *tail], _PLAIN))

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
    if config.path is None or not index.enabled():
        return None
    found = list(problems)
    files = tracked_store._files(config, found)
    got = None if files is None else tracked_store.stats(config, found, files, before)
    if got is None:
        return None
    rows, names, stats = got
    build = f"{today.isoformat()}\0{'internal' if internal else 'public'}\0".encode()
    parts = (list(rows), names, _code(config), build, os.fsencode(out))
    rows += parts[1:]
    return Now(index._digest(marshal.dumps(rows, _PLAIN)), names, stats, parts)


def saved_at(out: Path, stamps: list[tuple[str, Stamp]]) -> int:
    """A record's `saved` time, taken after every write (`stamps`: each output file's path in
    the site and stamp). An output file whose times are within RACY_NS before it is read and
    compared by digest: a coarse clock could give a later edit the same times. When every
    file is on the output folder's file system, that file system's own clock is the measure,
    as git's index does it: an edit after the build gets times at or after the latest the
    build left (a change time), so only files with those times (the same tick) are read,
    not every file written in the last two seconds (a patch's 30 MB of pages)."""
    import time

    now = time.time_ns()
    if not stamps:
        return now
    try:
        device = os.stat(out).st_dev
        # The folders written into: a file system mounted inside the output has its own clock.
        for folder in {os.path.dirname(rel) for rel, _ in stamps}:
            if folder and os.stat(os.path.join(out, folder)).st_dev != device:
                return now
    except OSError:
        return now
    latest = max(max(st[1], st[3]) for _, st in stamps)
    return max(now, latest + RACY_NS)


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


@dataclass(frozen=True)
class Rebuild:
    """What every rebuild path is given: tf.yml, where the record is kept (`path`) and the
    record of the last build, the inputs now, the day and kind of the build, the output
    folder, and where the last build's warnings are said again."""

    config: Config
    path: Path
    last: Record
    inputs: Now
    today: date
    internal: bool
    out: Path
    say: Callable[[str], None]
    # Each changed file as read (its bytes: the meeting and its problems), parsed once for
    # all the paths tried.
    parsed: dict[tuple[str, bytes], tuple[Meeting | None, list[Problem]]] = field(
        default_factory=dict, compare=False
    )

    def meeting(self, name: str, data: bytes) -> tuple[Meeting | None, list[Problem]]:
        """load.read_meeting's meeting and problems of the file `name` holding `data`."""
        got = self.parsed.get((name, data))
        if got is None:
            from tfcli.load import read_meeting

            problems: list[Problem] = []
            got = self.parsed[name, data] = (
                read_meeting(Path(name), self.config, problems, data),
                problems,
            )
        return got[0], list(got[1])


def patched(r: Rebuild) -> Result | None:
    """The site patched by the first rebuild path of PATHS that can; None when none can."""
    for name in PATHS:
        done: Result | None = importlib.import_module(name).patch(r)
        if done is not None:
            return done
    return None


def ids_unique(repo: Repo) -> bool:
    """Pages, links and kept entries are named by meeting id: while two meetings share one
    (an error of `tf check`), nothing kept is trusted and nothing is recorded."""
    ids = [m.id for m in repo.meetings]
    return len(set(ids)) == len(ids)


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
    patched by the first rebuild path that can (PATHS; the warnings of the last build said
    again by `say`), else `full(load())`, recorded for the next build. `config` and
    `problems`: tf.yml as read before anything else."""
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
                r = Rebuild(config, path, last, inputs, today, internal, target, say)
                done = patched(r)
            if done is not None:
                return done
    repo = load()
    result = full(repo)
    if inputs is None or not ids_unique(repo):
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

    from tfcli.meetings import unusable_report

    lines = unusable_report(repo) if repo.problems else []
    stamps = [(rel, d, st) for rel, (d, st) in sorted(result.stamps.items())]
    saved = saved_at(out, [(rel, st) for rel, _, st in stamps])  # after every write
    from tfcli.site.patch import rows

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
    token = b""
    if patchable and result.kept:
        from tfcli.site import contexts

        token = os.urandom(16)
        digests = {r[0]: r[2] for r in new_rows if r[2]}
        contexts.keep(config, out, inputs.rest, token, result.kept, digests)
    _write(
        _file(config, out),
        Record(inputs.key, inputs.rest, saved, lines, counts, stamps, new_rows, patchable, token),
    )


def finish(
    config: Config,
    path: Path,
    out: Path,
    record: Record,
    inputs: Now,
    rows: list[Row],
    stamps: dict[str, tuple[str, Any]],
    edits: dict[str, bytearray],
    say: Callable[[str], None],
    kept: tuple[dict[int, Any], dict[int, bytes]] | None = None,
) -> Result:
    """A patch's end (tfcli.site.patch, fields, followups): the patched files written, the
    kept page contexts (`kept`: shards and their heads) and the record of the new state, the
    last full build's warnings said again."""

    from tfcli.site import Result
    from tfcli.site.writer import SiteWriter

    w = SiteWriter(out)
    w.before = stamps  # compared by digest, not read again

    payloads: dict[int, bytes] = {}

    def dump() -> None:  # while the pages are written; kept only once they are
        if kept is not None:
            payloads.update((n, marshal.dumps((kept[1][n], s))) for n, s in kept[0].items())

    w.write_all(edits, dump)  # (no copy: 20 MB for the tracker)
    if payloads:
        from tfcli.site import contexts

        for n, data in payloads.items():
            contexts.write(contexts.shard_file(config, out, n), data)
    stamps.update(w.records)
    record.key, record.rows = inputs.key, rows
    record.stamps = [(rel, d, st) for rel, (d, st) in sorted(stamps.items())]
    record.saved = saved_at(out, [(rel, st) for rel, _, st in record.stamps])
    _write(path, record)
    for line in record.lines:
        say(line)
    pages, files, meetings = record.counts
    shown = sum(1 for rel in edits if rel.endswith(".html"))
    return Result(out, pages, files, w.changed, 0, meetings, pages - shown)
