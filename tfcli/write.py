"""The only code that writes into the minutes folder. Minutes are records: a write is atomic
(temp file in the same folder, fsync, rename) and creating a file never replaces one.
Every OS failure becomes a DataError naming the file (exit 3), never a traceback."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tfcli.errors import DataError, UsageError


@contextlib.contextmanager
def _as_data_error(path: Path, outcome: str) -> Iterator[None]:
    try:
        yield
    except OSError as e:
        from tfcli.load import display_path

        shown = display_path(path)
        raise DataError(f"cannot write {shown}: {e.strerror or e}; {outcome}") from None


def _temp_copy(folder: Path, name: str, data: bytes) -> str:
    """`data` in a fsynced temp file beside the target, so a rename publishes it whole."""
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


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so readers see the old or the new file, never a mix. A
    symlinked minutes file is updated at its target; the link stays a link."""
    target = Path(os.path.realpath(path))
    with _as_data_error(path, "nothing was changed"):
        tmp = _temp_copy(target.parent, target.name, data)
        try:
            # mkstemp makes 0600: keep the old file's mode, else the one create_new gives.
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _sync_folder(target.parent)


def create_new(path: Path, data: bytes) -> None:
    """Create `path` with `data`; refuse (UsageError naming the file) if it already exists.

    Written to a temp file first, then hard-linked into place: link() fails if the name
    exists, so the check and the creation are one atomic step and a half-written file is
    never seen."""
    with _as_data_error(path, "nothing was created"):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_copy(path.parent, path.name, data)
        try:
            os.chmod(tmp, 0o644)
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
        _sync_folder(path.parent)


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


def append_text(path: Path, text: str) -> None:
    """Append `text` (UTF-8) to `path`, creating it when missing: for reports outside the
    minutes such as $GITHUB_STEP_SUMMARY. A DataError naming the file when that fails."""
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise DataError(f"cannot write {path}: {e.strerror or e}") from None


def append_step_summary(text: str) -> bool:
    """Append Markdown to the GitHub Actions step summary ($GITHUB_STEP_SUMMARY); False when
    not running in a job that has one."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    append_text(Path(target), text)
    return True


def temp_beside(path: Path) -> Path:
    """An empty temp file in `path`'s folder, for a writer that needs a file name (SQLite),
    to be moved into place with publish()."""
    with _as_data_error(path, "nothing was written"):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    return Path(tmp)


def publish(tmp: Path, path: Path, overwrite: bool) -> None:
    """Move a finished temp file from temp_beside() into place in one rename: replacing
    `path` only when `overwrite`, else refusing as create_new does. The temp file is gone
    afterwards either way."""
    with _as_data_error(path, "nothing was written"):
        try:
            os.chmod(tmp, 0o644)  # mkstemp made it 0600, as create_new's files are not
            if overwrite:
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)  # fails when the name exists: check and create in one
                except FileExistsError:
                    raise UsageError(
                        f"{path} already exists; not overwriting it", "add --force to replace it"
                    ) from None
        finally:
            tmp.unlink(missing_ok=True)
        _sync_folder(path.parent)
