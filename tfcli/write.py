"""The only code that writes into the minutes folder. Minutes are records: a write is atomic
(temp file in the same folder, fsync, rename) and creating a file never replaces one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tfcli.errors import DataError, UsageError


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so readers see the old or the new file, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Create `path` with `data`; refuse (UsageError naming the file) if it already exists.

    Written to a temp file first, then hard-linked into place: link() fails if the name exists,
    so the check and the creation are one atomic step and a half-written file is never seen.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise UsageError(
                f"{path} already exists; not overwriting it", "choose another date or title"
            ) from None
        except OSError:  # file systems without hard links: exclusive create instead
            with open(path, "xb") as f:
                f.write(data)
    finally:
        Path(tmp).unlink(missing_ok=True)


def append_text(path: Path, text: str) -> None:
    """Append `text` (UTF-8) to `path`, creating it when missing: for reports outside the
    minutes such as $GITHUB_STEP_SUMMARY. A DataError naming the file when that fails."""
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise DataError(f"cannot write {path}: {e.strerror or e}") from None
