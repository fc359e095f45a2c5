"""The index of the minutes: `<repo>/.tf/index-*` and `meetings-*`, what reading each file gave.

Per file it keeps, under the file's content hash: the rows `tf check` reads (tfcli.rows, with
the file's own problems) in `index-NN`, and the Meeting (with the positions that messages and
annotations need) in `meetings-NN`, read only by commands that need meetings. A file whose
size, times, inode and mode are unchanged since is not even read; one whose content hash is
unchanged (a fresh clone, a `touch`) is read, never parsed again. Rules that look across files
always run.

Results never depend on the index: a missing, stale, corrupt or foreign index is ignored and
rewritten (`TF_INDEX=off` ignores it altogether). It is keyed by tf's own code, the Python
version, the configuration and the working directory (messages name files relative to it),
so an upgraded tf or a changed tf.yml never reads an old one. It holds only files the current
configuration reads (those of the minutes folder), never waits for the write lock, and is
safe to delete. It is split into SHARDS pairs of files by a hash of each file's path, so that
a run which parsed one file rewrites one pair: each file carries the index's key and is
replaced atomically (concurrent runs: the last one wins, either is complete), and a damaged
one costs only its own files.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import marshal
import os
import stat
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from tfcli import paths, rows, spanmap
from tfcli.model import Config, Meeting, Problem, Span, YamlPath
from tfcli.paths import RealStat
from tfcli.pickled import Blob, _decode, _encode
from tfcli.rows import Sheet
from tfcli.stamped import _HEADER as _HEADER  # the files' I/O, named here as before
from tfcli.stamped import MAGIC as MAGIC
from tfcli.stamped import SCHEMA as SCHEMA
from tfcli.stamped import _digest as _digest
from tfcli.stamped import _read_file as _read_file
from tfcli.stamped import _write_file as _write_file
from tfcli.stamped import code_fingerprint as code_fingerprint
from tfcli.stamped import modules_key as modules_key

FILE = "index"  # the shards are `index-00`...; an index of tf before them was this file
SHARDS = 64
# A file changed this close to the index being written may change again within the same
# clock tick, unseen by its times ("racy git"): it is hashed next time instead of trusted.
RACY_NS = 2_000_000_000


def enabled() -> bool:
    return os.environ.get("TF_INDEX", "").strip().lower() not in ("off", "0", "no", "false")


def config_text(config: Config) -> str:
    """`repr(config)`, the same in every process: a set of dates (the cadence's holidays)
    is listed in an order that changes with each process's hash seed; here it is sorted."""
    from tfcli.record import replace

    cadence = config.cadence
    if cadence is not None and cadence.skip:
        skip: Any = tuple(sorted(cadence.skip))
        config = replace(config, cadence=replace(cadence, skip=skip))
    return repr(config)


# An entry: (stat key or None, content digest, path as given (shown relative to the working
# directory, part of the index's key), the meeting's row (tfcli.rows; None without a meeting),
# the file's problems as rows[, its blob]). `index-NN` keeps the first five, `meetings-NN` the
# digest and blob: a warm `tf check` reads the rows only (a tenth of the bytes).
Entry = tuple[Any, ...]
MEETINGS = "meetings"


def _marshal_all(f: IO[bytes]) -> Any:
    # At once: marshal.load reads a file object by object (4x the time of a shard's bytes).
    return marshal.loads(f.read())


def _marshal_digest(f: IO[bytes]) -> tuple[bytes, Any]:
    """`_marshal_all`, with the digest of the bytes (what CHECKED keeps)."""
    data = f.read()
    return _digest(data), marshal.loads(data)


# `.tf/index-checked`: the digests of the index shards found whole and valid when last read
# (every entry in its own shard, every row of the shape tfcli.rows gives). A shard of the same
# bytes is the same data: it is not checked again (a few tens of ms at 5,000 files).
CHECKED = "index-checked"


def shard_name(n: int, kind: str = FILE) -> str:
    return f"{kind}-{n:02x}"


def _shard(real: str) -> int:
    """The shard of the file whose real path is `real`: the same in every process."""
    return zlib.crc32(real.encode("utf-8", "surrogateescape")) % SHARDS


class Index:
    """One load's view of the index: `read` each file through it, then `save`."""

    def __init__(self, config: Config, folder: Path, minutes: str, config_key: bytes) -> None:
        self.config = config
        self.folder = folder
        self.minutes = minutes  # the real path of the minutes folder: only files below it
        self.config_key = config_key
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        self.present: set[int] = set()  # shards with a file, usable or not
        self.usable: set[int] = set()  # shards read for this very key
        self.blobs: dict[int, dict[str, Any]] = {}  # meetings shards read, by number
        self.shards: dict[int, dict[str, Entry]] = {}  # index shards read, by number
        self.checked: dict[int, bool] = {}  # whether every row of a shard is valid
        self.digests: dict[int, bytes] = {}  # index shards read, the digest of their bytes
        self.known: set[bytes] = set()  # the digests CHECKED holds
        self.where: dict[str, int] = {}  # the shard each entry read was found in
        self.started = time.time_ns()
        self._got: tuple[Meeting | None, list[Problem]] = (None, [])
        self._entry: Entry = ()
        self.parsed = 0  # files parsed through the index in this load (tests count them)
        # The files parsed whose entries `complete` makes: their meeting and problems.
        self.pending: dict[str, tuple[Meeting, list[Problem]]] = {}
        # Entries lent by forked workers (tfcli.parallel), their meetings unpickled ahead.
        self.ahead: dict[str, tuple[Entry, tuple[Meeting | None, list[Problem]]]] = {}
        self.wants_meetings = True  # the last look-up was `read`, not `sheet`

    @classmethod
    def open(cls, config: Config) -> Index | None:
        """The index of `config`'s repository; None when switched off or without a tf.yml
        (then the repository is just a working directory, and tf leaves no folder in it)."""
        if not enabled() or config.path is None:
            return None
        text = f"{config_text(config)}\0{os.getcwd()}"  # a folder's name may be any bytes
        key = _digest(text.encode("utf-8", "surrogateescape"))
        index = cls(config, config.root / ".tf", paths.real_path(config.minutes_dir), key)
        index._load()
        return index

    def _load(self) -> None:
        try:
            names = set(os.listdir(self.folder))
        except OSError:
            return
        if CHECKED in names:
            known = _read_file(self.folder, CHECKED, self.config_key, _marshal_all)
            if type(known) is list and {bytes} >= set(map(type, known)):
                self.known = set(known)
        for n in range(SHARDS):
            if (name := shard_name(n)) not in names:
                continue
            self.present.add(n)
            got = _read_file(self.folder, name, self.config_key, _marshal_digest)
            digest, entries = got if got is not None else (b"", None)
            if digest in self.known and type(entries) is dict:
                self.checked[n] = True  # checked whole when last read: the same bytes now
            # Each entry in its own shard: anything else is not a shard this tf wrote.
            elif not isinstance(entries, dict) or not all(
                isinstance(k, str) and _shard(k) == n for k in entries
            ):
                continue
            self.usable.add(n)
            self.old.update(entries)
            self.shards[n] = entries
            self.digests[n] = digest
            self.where.update(dict.fromkeys(entries, n))

    def _blob(self, real: str, entry: Entry) -> Blob | None:
        """The entry's meeting as kept: at hand, else from its meetings shard (read once)
        when kept there for the same content."""
        if len(entry) > 5 and entry[5] is not None:
            return entry[5]  # type: ignore[no-any-return]
        n = _shard(real)
        if (shard := self.blobs.get(n)) is None:
            name = shard_name(n, MEETINGS)
            got = _read_file(self.folder, name, self.config_key, _marshal_all)
            shard = self.blobs[n] = got if isinstance(got, dict) else {}
        kept = shard.get(real)
        if (
            type(kept) is tuple
            and len(kept) == 3
            and kept[0] == entry[1]
            and type(kept[1]) is bytes
            and type(kept[2]) is bytes
        ):
            return kept[1], kept[2]
        return None

    def read(
        self, path: Path, problems: list[Problem], known: RealStat | None = None
    ) -> Meeting | None:
        """What `load.read_meeting` gives for `path`, from the index when the file is known;
        `known`: `paths.real_stat(path)` when the caller has it (one stat per file)."""
        got = self._read(path, problems, known, False)
        assert got is None or isinstance(got, Meeting)
        return got

    def sheet(
        self, path: Path, problems: list[Problem], known: RealStat | None = None
    ) -> Sheet | None:
        """`read`, as the meeting's sheet (tfcli.rows): from the entry's rows, without
        decoding the meeting (nor reading it), when the file is known."""
        got = self._read(path, problems, known, True)
        assert got is None or isinstance(got, Sheet)
        return got

    def _read(
        self, path: Path, problems: list[Problem], known: RealStat | None, sheet: bool
    ) -> Meeting | Sheet | None:
        self.wants_meetings = not sheet
        real, st = known or paths.real_stat(path)
        if st is None or not stat.S_ISREG(st.st_mode) or not paths.below(real, self.minutes):
            from tfcli import load

            # never kept: it says why
            return self._made(load.read_meeting(path, self.config, problems), sheet)
        key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)
        shown = str(path)  # with the working directory: the path messages show
        old = self.old.get(real)
        if (
            old is not None
            and old[0] == key
            and old[2] == shown
            and self._reuse(real, old, key, sheet)
        ):
            return self._take(path, real, problems, sheet)
        from tfcli import load

        try:
            data = load._read(path, self.config.root)
        except Exception:  # unreadable now: read_meeting says why; nothing is kept
            return self._made(load.read_meeting(path, self.config, problems), sheet)
        digest = _digest(data)
        trusted = key if max(st.st_mtime_ns, st.st_ctime_ns) < self.started - RACY_NS else None
        if (
            old is not None
            and old[1] == digest
            and old[2] == shown
            and self._reuse(real, old, trusted, sheet)
        ):
            return self._take(path, real, problems, sheet)
        mine: list[Problem] = []
        meeting = load.read_meeting(path, self.config, mine, data)
        self.parsed += 1
        problems.extend(mine)
        found = tuple(rows.problem_row(p) for p in mine)
        if meeting is None:
            self.new[real] = (trusted, digest, shown, None, found, _encode(None, mine))
            return None
        if sheet:  # `tf check`: its rows shown, its entry made now (parallel's even share)
            row = rows.of_meeting(meeting, self.config)
            bare = copy.copy(meeting)  # its path is `shown`: not kept, not made again
            bare.path = None  # type: ignore[assignment]
            self.new[real] = (trusted, digest, shown, row, found, _encode(bare, mine, own=True))
            return Sheet(path, row, functools.partial(getattr, meeting, "spans"))
        # The meeting's rows and pickle are made when the index is saved (`complete`):
        # perhaps by the child that writes it behind the answer.
        self.new[real] = (trusted, digest, shown, None, found, None)
        self.pending[real] = (meeting, mine)
        return meeting

    def complete(self) -> None:
        """Make the rows and pickles of the entries of the files parsed (`_read`)."""
        for real, (meeting, mine) in self.pending.items():
            trusted, digest, shown, _, found, _ = self.new[real]
            row = rows.of_meeting(meeting, self.config)
            bare = copy.copy(meeting)  # its path is `shown`: not kept, not made again
            bare.path = None  # type: ignore[assignment]
            self.new[real] = (trusted, digest, shown, row, found, _encode(bare, mine, own=True))
        self.pending = {}

    def _made(self, meeting: Meeting | None, sheet: bool) -> Meeting | Sheet | None:
        if sheet and meeting is not None:
            return rows.sheet_of(meeting, self.config)
        return meeting

    def _reuse(self, real: str, old: Entry, key: tuple[int, ...] | None, sheet: bool) -> bool:
        """Whether the entry can be used (then kept, with `key`, for `_take`): its rows for
        a sheet (the meeting is not decoded), else its meeting."""
        try:
            if sheet and not self._valid(real, old):
                return False
            if not sheet:
                if not rows.valid_problems(old[4]):
                    return False
                ahead = self.ahead.pop(real, None)
                if ahead is not None and ahead[0] is old:
                    self._got = ahead[1]
                else:
                    if (blob := self._blob(real, old)) is None:
                        return False
                    self._got = _decode(*blob)
        except Exception:
            return False
        self._entry = old
        self.new[real] = old if key == old[0] else (key, *old[1:])
        return True

    def take_ahead(self, entries: Mapping[str, Entry]) -> None:
        """Unpickle the meetings of `entries` (a worker's, lent) now, for `read` to take."""
        for real, entry in entries.items():
            with contextlib.suppress(Exception):  # `read` says what is wrong
                if type(entry) is tuple and len(entry) > 5 and type(entry[5]) is tuple:
                    self.ahead[real] = (entry, _decode(*entry[5]))

    def _valid(self, real: str, entry: Entry) -> bool:
        """Whether the entry's rows have the shape tfcli.rows gives: its whole shard checked
        at once, entry by entry only when something in it is not."""
        n = self.where[real] if real in self.where else _shard(real)
        if (ok := self.checked.get(n)) is None:
            entries = list(self.shards.get(n, {}).values())
            ok = self.checked[n] = all(type(e) is tuple and len(e) >= 5 for e in entries) and (
                rows.valid_many(
                    [e[3] for e in entries if e[3] is not None], [e[4] for e in entries]
                )
            )
        if ok and self.shards.get(n, {}).get(real) is entry:
            return True
        return (
            len(entry) >= 5
            and rows.valid_problems(entry[4])
            and (entry[3] is None or rows.valid(entry[3]))
        )

    def _take(
        self, path: Path, real: str, problems: list[Problem], sheet: bool
    ) -> Meeting | Sheet | None:
        if sheet:
            old = self._entry
            problems.extend(rows.problem_of(p) for p in old[4])
            if old[3] is None:
                return None
            return Sheet(path, old[3], functools.partial(self._spans, path, real, old))
        meeting, mine = self._got
        if meeting is not None:
            meeting.path = path
        problems.extend(mine)
        return meeting

    def _spans(self, path: Path, real: str, entry: Entry) -> Mapping[YamlPath, Span]:
        """A sheet's positions: kept with its meeting, else from the file parsed again."""
        if (blob := self._blob(real, entry)) is not None:
            with contextlib.suppress(Exception):
                return spanmap.loads(blob[1])
        from tfcli import load

        meeting = load.read_meeting(path, self.config, [])
        return meeting.spans if meeting is not None else {}

    def save(self) -> None:
        """Write the shards that changed: a changed, added or removed entry, or a shard that
        was not usable (damaged, or of another key: emptied away when nothing belongs in it).
        Many files parsed: by a child, behind the answer (tfcli.behind)."""
        from tfcli import behind

        old = self.old
        behind.run(self._save, sum(1 for k, v in self.new.items() if old.get(k) is not v))

    def _save(self) -> None:
        self.complete()
        old, new, where = self.old, self.new, self.where
        dirty = {_shard(k) for k, v in new.items() if old.get(k) is not v}
        dirty.update(_shard(k) for k in old.keys() - new.keys())
        dirty.update(self.present - self.usable)
        self._save_checked(dirty)
        if not dirty:
            return
        shards: dict[int, dict[str, Entry]] = {n: {} for n in dirty}
        for k, v in new.items():
            if (n := where[k] if k in where else _shard(k)) in dirty:
                shards[n][k] = v
        for n, entries in sorted(shards.items()):
            if entries:
                blobs = {k: (v[1], *b) for k, v in entries.items() if (b := self._blob(k, v))}
                payload = {k: v[:5] for k, v in entries.items()}
                key = self.config_key
                _write_file(self.config.root, shard_name(n, MEETINGS), key, marshal.dumps(blobs))
                _write_file(self.config.root, shard_name(n), key, marshal.dumps(payload))
            elif n in self.present:
                for kind in (FILE, MEETINGS):
                    with contextlib.suppress(OSError):
                        os.unlink(self.folder / shard_name(n, kind))
        with contextlib.suppress(OSError):  # the whole index of a tf before the shards
            os.unlink(self.folder / FILE)

    def _save_checked(self, dirty: set[int]) -> None:
        """Keep in CHECKED the digests of the shards found valid whole, but those about to be
        rewritten (when a load checked rows at all: `tf check`)."""
        if not self.checked:
            return
        ok = {d for n, d in self.digests.items() if self.checked.get(n) and n not in dirty}
        if ok != self.known:
            _write_file(self.config.root, CHECKED, self.config_key, marshal.dumps(sorted(ok)))
