"""The one site writer: every file of a site goes through it, into the output folder only.

Where a site may go (docs/render.md): a folder that does not exist yet, an empty folder, or
a folder an earlier `tf render` made (it holds the marker file `.tf-site`). Never the minutes
or templates folder, anything inside them, or a folder that contains them (the repository
root): a build must not be able to touch a record. Files a previous build made that this one
does not are removed (only those, listed in the marker); nothing else is ever deleted."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from tfcli.errors import DataError, UsageError
from tfcli.model import Config
from tfcli.paths import display_path
from tfcli.site.state import Stamp
from tfcli.site.state import stamp as _stamp

MARKER = ".tf-site"
THREADS = 4  # writing a patch's pages (SiteWriter.write_all)


def _nothing() -> None:
    pass


def _file_mode() -> int:
    """The mode a new file gets from `open` (0666 less the umask): a published site must be
    readable by the web server's user, and mkstemp's 0600 is not. The umask is read from
    /proc where it can be, since setting it to read it races with other threads."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out(out: Path, config: Config) -> Path:
    """The output folder, resolved, or a UsageError saying why a site may not go there."""
    target = out.resolve()
    # As typed (`--out /tmp`, not `../..`); the default `_site` from here.
    shown = display_path(out) if out == config.root / "_site" else str(out)
    for name, folder in (("minutes", config.minutes_dir), ("templates", config.templates_dir)):
        f = folder.resolve()
        if _inside(target, f) or _inside(f, target):
            raise UsageError(
                f"--out {shown} would write into or around the {name} folder",
                "choose a folder of its own, such as _site",
            )
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {shown} is a file, not a folder")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise UsageError(
            f"--out {shown} is a folder tf render did not make, and it is not empty",
            "name a new or empty folder; tf never writes over files it did not make",
        )
    return target


def digest(raw: bytes | bytearray) -> str:
    # SHA-256 (cut to 16 bytes) rather than BLAKE2b: OpenSSL's runs on the CPU's SHA
    # instructions, about twice BLAKE2b's speed; a patch digests some 60 MB of pages.
    return hashlib.sha256(raw).hexdigest()[:32]


Stamps = dict[str, tuple[str, Stamp]]  # path in the site -> digest, stamp


# What storing one file did: whether it changed, and its digest and stamp after the write
# (None when the writer keeps no records).
Stored = tuple[bool, tuple[str, Stamp] | None]


class SiteWriter:
    """`write` stores a file and notes it; in a forked worker, `store` writes and its answer
    goes to the parent's writer through `note` (the parent stays free while workers render:
    writing was a fifth of a clean build's CPU, all in the parent)."""

    def __init__(self, out: Path, stamps: Path | None = None, keep: bool = True):
        self.out = out
        self.written: set[str] = set()
        self.changed = 0
        self._checked: set[Path] = set()
        # Each file's digest and stamp are worked out only when they are kept (`keep`: the
        # build's record, tfcli.site.state): a clean build without the cache hashed 150 MB
        # for nothing at 5,000 meetings.
        self.keep = keep
        self.mode = _file_mode()
        # A folder with nothing in it when the build starts has no file to compare with:
        # each file is written without a look at what is there (the temporary file and the
        # rename still make it whole, and replace whatever appeared since, a link too).
        self.fresh = not out.exists() or (not (out / MARKER).exists() and not any(out.iterdir()))
        # What the last build wrote (`stamps`, beside the render cache, not in the site: a
        # site's files are the same bytes whenever they are built): each file's digest and
        # its size, times and inode after the write. A file still so stamped holds those
        # bytes: it is compared by digest, not read (reading every page: a second a build).
        self.stamps = stamps
        self.before: Stamps = {}
        self.records: Stamps = {}  # this build's files (and the marker), as written
        if stamps is not None:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                for line in stamps.read_text(encoding="utf-8").splitlines():
                    with contextlib.suppress(ValueError):
                        rel, dig, size, mtime, ino, ctime = line.split("\t")
                        self.before[rel] = (dig, (int(size), int(mtime), int(ino), int(ctime)))

    def _unchanged(
        self, rel: str, path: Path, raw: bytes | bytearray, digest_: str
    ) -> Stamp | None:
        """The file's stamp when it holds `raw` already: by its stamp from the last build,
        else by reading."""
        if path.is_symlink():
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        if st.st_size != len(raw) or not stat.S_ISREG(st.st_mode):
            return None
        record = self.before.get(rel)
        if record is not None and record[1] == _stamp(st):
            same = record[0] == digest_
        else:
            same = path.read_bytes() == raw
        return _stamp(st) if same else None

    def _inside_out(self, folder: Path) -> None:
        """A folder inside the output that is a symbolic link out of it (to the minutes, say)
        is refused: the writer writes into the output folder only."""
        if folder in self._checked:
            return
        if not _inside(folder.resolve(), self.out):
            raise DataError(
                f"{display_path(folder)} leads out of the output folder (a symbolic link?)",
                "remove it, or build into a new folder",
            )
        self._checked.add(folder)

    def _place(self, rel: str) -> Path:
        p = PurePosixPath(rel)
        if p.is_absolute() or ".." in p.parts or not p.parts or rel.startswith(MARKER):
            raise ValueError(f"not a site path: {rel!r}")  # our bug, never user input
        return self.out.joinpath(*p.parts)

    def write(self, rel: str, data: str | bytes | bytearray) -> None:
        """One file, written whole (temp file + rename), and only when its bytes change, so
        an unchanged page keeps its time stamp."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.note(rel, self.store(rel, raw))

    def write_all(self, files: dict[str, bytearray], during: Callable[[], None] = _nothing) -> None:
        """Each of `files` written as `write` does, in threads (a patch's 30 MB of pages: the
        digest, the write, the rename and the freeing of the old file's blocks all let go of
        the GIL), while `during` runs here. Each file is whole, old or new, whatever happens:
        on an error or an interrupt no thread starts another file, every thread ends the one
        it writes, and the first error is raised (the record, written after, is the old one:
        the next build compares what it finds)."""
        todo = sorted(files, key=lambda rel: -len(files[rel]))  # (the tracker first)
        done: dict[str, Stored] = {}
        errors: list[BaseException] = []
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                try:
                    rel = todo.pop(0)
                except IndexError:
                    return
                try:
                    done[rel] = self.store(rel, files[rel])
                except BaseException as e:  # (raised in the caller's thread)
                    errors.append(e)
                    stop.set()

        # Not daemons: should this thread leave (an error, Ctrl-C), each ends the file it
        # writes, removing its temporary file, before the interpreter exits.
        threads = [threading.Thread(target=work) for _ in range(min(THREADS, len(todo)))]
        try:
            for t in threads:
                t.start()
            during()
            for t in threads:
                t.join()
        except BaseException:
            stop.set()
            for t in threads:
                t.join()
            raise
        if errors:
            raise errors[0]
        for rel in files:
            self.note(rel, done[rel])

    def note(self, rel: str, stored: Stored) -> None:
        """What `store` did for `rel` (perhaps in a worker), in this writer's account."""
        changed, record = stored
        self.written.add(rel)
        if record is not None:
            self.records[rel] = record
        self.changed += changed

    def store(self, rel: str, raw: bytes | bytearray) -> Stored:
        """`raw` into the file `rel`, unless it holds those bytes already. Changes nothing
        in the writer but what it knows of folders: a worker's answer is noted by the
        parent."""
        path = self._place(rel)
        digest_ = digest(raw) if self.keep or rel in self.before else ""
        try:
            if not self.fresh and (st := self._unchanged(rel, path, raw, digest_)):
                return False, (digest_, st) if self.keep else None
            folder = path.parent
            if folder not in self._checked:
                folder.mkdir(parents=True, exist_ok=True)
                self._inside_out(folder)
            if not self.fresh and path.is_symlink():
                path.unlink()  # never write through a link, wherever it points
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            try:
                os.fchmod(fd, self.mode)
                with os.fdopen(fd, "wb") as f:
                    f.write(raw)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return True, (digest_, _stamp(path.stat())) if self.keep else None
        except OSError as e:
            raise DataError(f"cannot write {display_path(path)}: {e.strerror or e}") from None

    def finish(self) -> int:
        """Remove what the previous build made and this one did not; record this build's
        files in the marker. Returns how many files were removed."""
        marker = self.out / MARKER
        before: set[str] = set()
        with contextlib.suppress(OSError):
            before = set(marker.read_text(encoding="utf-8").splitlines()[1:])
        removed = 0
        for rel in sorted(before - self.written):
            # The marker is a file in the output anyone can edit: its entries are checked
            # like any path we write (a site path, in a folder inside the output).
            with contextlib.suppress(ValueError, OSError, DataError):
                path = self._place(rel)
                self._inside_out(path.parent)
                path.unlink()
                removed += 1
        lines = ["# files made by tf render; safe to delete with the folder", *sorted(self.written)]
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            text = ("\n".join(lines) + "\n").encode("utf-8")
            marker.write_bytes(text)
            self.records[MARKER] = (digest(text), _stamp(marker.stat()))
        except OSError as e:
            raise DataError(f"cannot write {display_path(marker)}: {e.strerror or e}") from None
        self._save_stamps()
        return removed

    def _save_stamps(self) -> None:
        """Best effort, like the cache: without stamps the next build reads its files."""
        if self.stamps is None:
            return
        text = "".join(
            f"{rel}\t{dig}\t{size}\t{mtime}\t{ino}\t{ctime}\n"
            for rel, (dig, (size, mtime, ino, ctime)) in sorted(self.records.items())
        )
        with contextlib.suppress(OSError):
            self.stamps.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.stamps.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.stamps)
