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
from typing import TYPE_CHECKING

from tfcli import index
from tfcli.model import Config, Problem, Repo

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
# A record: the key, when it was written (ns), the load's warnings, (pages, files, meetings),
# and each output file: (path in the site, digest, stamp).
Record = tuple[bytes, int, list[str], tuple[int, int, int], list[tuple[str, str, Stamp]]]


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


def key(
    config: Config, problems: list[Problem], today: date, internal: bool, out: Path, before: int
) -> bytes | None:
    """The key of a site built now, or None when a minutes file cannot be trusted by its
    stat (changed at or after `before`, less the index's margin for a coarse clock)."""
    from tfcli import tracked_store

    if config.path is None or not index.enabled():
        return None
    minutes = tracked_store.state(config, problems, before)
    if minutes is None:
        return None
    build = f"{today.isoformat()}\0{'internal' if internal else 'public'}\0".encode()
    return index._digest(b"\0".join([minutes, _code(config), build, os.fsencode(out)]))


def _file(config: Config, out: Path) -> Path:
    from tfcli.site.cache import CACHE_DIR

    return config.root / CACHE_DIR / f"built-{index._digest(os.fsencode(out)).hex()}"


def _read(path: Path) -> Record | None:
    try:
        raw = path.read_bytes()
        payload = raw[16:]
        if raw[:16] != index._digest(payload):
            return None  # damaged
        got = marshal.loads(payload)
        if got[0] != FORMAT:
            return None
        return got[1:]  # type: ignore[no-any-return]
    except Exception:  # missing, unreadable, foreign: a full build
        return None


def _write(path: Path, record: Record) -> None:
    """Best effort, like the render cache: without a record the next build is a full one."""
    payload = marshal.dumps((FORMAT, *record))
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


def unchanged(
    config: Config, key: bytes | None, out: Path, say: Callable[[str], None]
) -> Result | None:
    """The result of a build into `out` when its inputs have `key` and the folder holds
    what the last build with that key wrote (its warnings said again by `say`); else None."""
    import time

    from tfcli.site import Result

    if key is None:
        return None
    path = _file(config, out)
    record = _read(path)
    if record is None or record[0] != key:
        return None
    _, saved, lines, (pages, files, meetings), stamps = record
    now = time.time_ns()
    same = _as_built(out, stamps, saved - RACY_NS)
    if same is False:
        return None
    if same is None and all(s[3] < now - RACY_NS for _, _, s in stamps):
        # Each file read was as built, and is now old enough to be trusted by its stamp.
        _write(path, (key, now, lines, (pages, files, meetings), stamps))
    for line in lines:
        say(line)
    return Result(out, pages, files, 0, 0, meetings, pages)


def record(config: Config, key: bytes, out: Path, lines: list[str], result: Result) -> None:
    """Keep what a full build with inputs `key` wrote, for the next build."""
    import time

    saved = time.time_ns()  # after every write: a file edited later has later times
    stamps: list[tuple[str, str, Stamp]] = []
    for rel, (digest, st) in sorted(result.stamps.items()):
        stamps.append((rel, digest, st))
    counts = (result.pages, result.files, result.meetings)
    _write(_file(config, out), (key, saved, list(lines), counts, stamps))


__all__ = ["key", "record", "unchanged"]


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
    """A site into `out`: as the last build left it when nothing it is made from changed
    (its warnings said again by `say`), else `full(load())`, recorded for the next build.
    `config` and `problems`: tf.yml as read before anything else."""
    import time

    from tfcli.load import load_config
    from tfcli.site.writer import check_out

    target = check_out(out, config)
    started = time.time_ns()
    k = key(config, problems, today, internal, target, started) if use_cache else None
    if (done := unchanged(config, k, target, say)) is not None:
        return done
    repo = load()
    result = full(repo)
    if k is None:
        return result
    # Recorded only when nothing changed while the site was built (as .tf/tracked does).
    again, problems_again = load_config()
    if again == config and key(again, problems_again, today, internal, target, started) == k:
        from tfcli.meetings import unusable_report

        record(config, k, target, unusable_report(repo) if repo.problems else [], result)
    return result
