"""The only code that writes into the minutes folder (reports go where the user says through
tfcli.write_report). Minutes are records: a write is atomic (temp file in the same folder,
fsync, rename) and creating a file never replaces one. Every OS failure becomes a DataError
naming the file (exit 3), never a traceback.

Many hands, one repo (docs/concurrency.md): every command that writes minutes holds the
repo's lock (`locked`) from its first read to its last rename, so two tf commands take turns
and the second one reads what the first wrote. Writers that know nothing of the lock (an
editor, `git pull`) are caught by compare-and-swap: an edit replaces a file only if it still
holds exactly the bytes the edit was made from."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from tfcli.errors import DataError, UsageError

STATE_DIR = ".tf"  # tf's own state in the repo root (the lock; later an index, a cache)
LOCK_TIMEOUT = 10.0  # seconds a writing command waits for another one to finish
# Our temp files: `.NAME.XXXXXXXX.tmp` beside a minutes file NAME (see temp_copy).
_TEMP_NAME = re.compile(r"\..+\.(?i:md|markdown)\.[a-z0-9_]{8}\.tmp")
_held = False  # whether this process holds the repo lock (then stale temp files may go)


@contextlib.contextmanager
def as_data_error(path: Path, outcome: str) -> Iterator[None]:
    try:
        yield
    except OSError as e:
        from tfcli.paths import display_path

        shown = display_path(path)
        raise DataError(f"cannot write {shown}: {e.strerror or e}; {outcome}") from None


# -- the repo lock --------------------------------------------------------------------------


def repo_root(start: Path | None = None) -> Path:
    """The folder of tf.yml, found as the loader finds it; without one, the starting folder
    (whose `minutes/` the loader reads)."""
    from tfcli.load import find_config

    start = (start or Path.cwd()).resolve()
    config = find_config(start)
    return config.parent if config else start


def state_dir(root: Path) -> Path:
    """`<root>/.tf`, created on first use with a `.gitignore` of `*` (as .pytest_cache does),
    so git ignores it without a change to the group's own .gitignore."""
    from tfcli.paths import display_path

    folder = root / STATE_DIR
    folder.mkdir(exist_ok=True)
    if folder.is_symlink() or not folder.is_dir():
        raise DataError(
            f"{display_path(folder)} is not a folder made by tf; nothing was written",
            "remove it: tf keeps its own state there",
        )
    with contextlib.suppress(FileExistsError), open(folder / ".gitignore", "x") as f:
        f.write("# Made by tf: its own state (the write lock), not minutes.\n*\n")
    return folder


@contextlib.contextmanager
def locked(root: Path | None = None) -> Iterator[None]:
    """Hold the repo's write lock: wait up to LOCK_TIMEOUT for another tf to finish, then a
    DataError. The OS drops the lock when the process ends, however it ends, so a lock is
    never stale. Where the OS has no file locks, writes rely on compare-and-swap alone."""
    global _held
    path = (root or repo_root()) / STATE_DIR / "lock"
    with as_data_error(path, "nothing was written"):
        state_dir(path.parent.parent)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as e:
            if e.errno != errno.ELOOP:  # O_NOFOLLOW refuses a link with ELOOP
                raise
            from tfcli.paths import display_path

            raise DataError(
                f"{display_path(path)} is a symbolic link, not tf's lock file; nothing was written",
                f"delete {display_path(path)}: tf makes its lock file itself",
            ) from None
    try:
        _held = _acquire(fd, path)
        yield
    finally:
        _held = False
        os.close(fd)  # releases the lock


def _acquire(fd: int, path: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        return False
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                from tfcli.paths import display_path

                raise DataError(
                    f"another tf command has been changing the minutes for {LOCK_TIMEOUT:g} s "
                    f"(it holds {display_path(path)}); nothing was written",
                    "try again when it has finished",
                ) from None
            time.sleep(0.01)
        except OSError:  # a file system without locks (some network mounts)
            return False


def _sweep(folder: Path) -> None:
    """Remove our temp files left by a tf that was killed (SIGKILL, power cut). Only under
    the lock: every writer holds it, so any temp file of ours present now is stale."""
    if not _held:
        return
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for e in entries:
            if _TEMP_NAME.fullmatch(e.name) and e.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(e.path)


# -- writing --------------------------------------------------------------------------------


def temp_copy(folder: Path, name: str, data: bytes) -> str:
    """`data` in a fsynced temp file beside the target, so a rename publishes it whole."""
    import tempfile  # here: `tf check` imports this module (state_dir), and writes no minutes

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _checkpoint() -> None:
    """Where a write pauses for tests: its temp file is ready (tests also replace this)."""
    pause_for_tests()


def pause_for_tests() -> None:
    """Test hook (docs/concurrency.md): with TF_TEST_PAUSE=FILE set, tf creates FILE and
    waits (at most 60 s) until FILE is removed, so that a test can signal tf or change the
    minutes at exactly this moment (a write's checkpoint, a parallel parse's worker)."""
    flag = os.environ.get("TF_TEST_PAUSE")
    if not flag:
        return
    Path(flag).touch()
    deadline = time.monotonic() + 60
    while os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.01)


def _changed(shown: str) -> DataError:
    return DataError(
        f"{shown} changed on disk while tf was working; nothing was written",
        "run the command again: it will apply to the file as it is now",
    )


def _still(target: Path, based_on: bytes) -> bool:
    """Whether `target` holds exactly `based_on` (reading one byte more at most)."""
    try:
        with open(target, "rb") as f:
            return f.read(len(based_on) + 1) == based_on
    except FileNotFoundError:
        return False


def replace_atomically(path: Path, data: bytes, based_on: bytes) -> None:
    """Replace `path`, which held `based_on` when the edit was made, with `data`, so that
    readers see the old or the new file, never a mix. Refused (DataError, nothing written)
    when the file is read-only or no longer holds `based_on`: no edit may overwrite a change
    it did not read. A symlinked minutes file is updated at its target; the link stays."""
    from tfcli.load import inside_repo
    from tfcli.paths import display_path

    target = Path(os.path.realpath(path))
    shown = display_path(path)
    if not inside_repo(path):  # the repository is the boundary of every write
        raise DataError(
            f"cannot write {shown}: it links to a file outside the repository; nothing was changed"
        )
    with as_data_error(path, "nothing was changed"):
        try:
            mode = target.stat().st_mode
        except FileNotFoundError:
            raise _changed(shown) from None
        # Mode bits as well as access(): root may write anything, but a 0444 file says "keep".
        if not mode & 0o222 or not os.access(target, os.W_OK):
            raise DataError(
                f"{shown} is read-only; nothing was written",
                "tf respects the file's permissions: make it writable (chmod u+w) to change it",
            )
        _sweep(target.parent)
        tmp = temp_copy(target.parent, target.name, data)
        try:
            os.chmod(tmp, mode & 0o7777)
            _checkpoint()
            if not _still(target, based_on):
                raise _changed(shown)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        sync_folder(target.parent)


def create_new(path: Path, data: bytes) -> None:
    """Create `path` with `data`; refuse (UsageError naming the file) if it already exists.

    Written to a temp file first, then hard-linked into place: link() fails if the name
    exists, so the check and the creation are one atomic step and a half-written file is
    never seen."""
    with as_data_error(path, "nothing was created"):
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent)
        tmp = temp_copy(path.parent, path.name, data)
        try:
            os.chmod(tmp, 0o644)
            _checkpoint()
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UsageError(
                    f"{path} already exists; not overwriting it", "choose another date or title"
                ) from None
            except OSError:  # file systems without hard links: exclusive create instead
                _create_exclusive(path, data)
        finally:
            Path(tmp).unlink(missing_ok=True)
        sync_folder(path.parent)


def _create_exclusive(path: Path, data: bytes) -> None:
    try:
        f = open(path, "xb")  # noqa: SIM115  (closed below; removed again if the write fails)
    except FileExistsError:
        raise UsageError(
            f"{path} already exists; not overwriting it", "choose another date or title"
        ) from None
    try:
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
