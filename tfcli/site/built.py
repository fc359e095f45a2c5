"""The record of a build (`.tf/render-cache/built-<folder>`, tfcli.site.state decides what it
is used for): the key of the inputs it was built from, the warnings the load printed, the
build's counts, each output file's digest and stamp after the write, each minutes file's row
(what a rebuild patches where) and the token of the build whose meetings are kept
(tfcli.site.contexts). Read and written whole, best effort: a record missing, damaged or of
another format is none, and the next build a full one."""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from tfcli import index
from tfcli.model import Config
from tfcli.tracked_store import Stat

FORMAT = 2  # of the record below
# A stamp: size, modification time, inode, change time.
Stamp = tuple[int, int, int, int]


def stamp(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


# Per minutes file, in the walk's order: its path, its stat, the digest of its meeting but
# for the body, the digest of its body, whether it loaded without a problem, and when the site
# shows it: its page, where the page's body is in its bytes, its search entry's piece and
# place in the piece's bytes (tfcli.site.search), and the ids of the hidden actions it names
# (public builds; None in internal ones).
Row = tuple[
    str,
    Stat,
    bytes,
    bytes,
    bool,
    "str | None",
    "tuple[int, int] | None",
    "tuple[int, int, int] | None",
    "tuple[str, ...] | None",
]


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
        token: bytes = b"",
    ) -> None:
        self.key, self.rest, self.saved, self.lines = key, rest, saved, lines
        self.counts, self.stamps, self.rows, self.patchable = counts, stamps, rows, patchable
        self.token = token  # the build whose meetings tfcli.site.fields keeps

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
            self.token,
        )


def file(config: Config, out: Path) -> Path:
    """Where the record of a build into `out` is kept."""
    from tfcli.site.cache import CACHE_DIR

    return config.root / CACHE_DIR / f"built-{index._digest(os.fsencode(out)).hex()}"


def read(path: Path) -> Record | None:
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


def write(path: Path, record: Record) -> None:
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


def put_entry(
    piece: bytearray, rows: list[Row], entry_at: tuple[int, int, int], entry: bytes
) -> tuple[tuple[int, int, int], list[Row]]:
    """`entry` put in place of the search entry at `entry_at` (in `piece`, its piece's
    bytes): its new place, and the rows with the places of the entries after it moved."""
    n, start, end = entry_at
    piece[start:end] = entry
    moved = len(entry) - (end - start)
    if moved:
        rows = [
            (*row[:7], (n, row[7][1] + moved, row[7][2] + moved), row[8])
            if row[7] is not None and row[7][0] == n and row[7][1] > start
            else row
            for row in rows
        ]
    return (n, start, start + len(entry)), rows
