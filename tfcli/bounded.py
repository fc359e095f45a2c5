"""One file read at the repository's boundary (tfcli.load's reader): only when its real path
lies inside the repository, only a regular file, never more than the size limit plus one byte;
every failure a LoadError naming its cause."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tfcli import frontmatter
from tfcli.errors import LoadError
from tfcli.paths import _real_folder, below

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message: `a FIFO (named pipe)`, `a folder`..."""
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def _unreadable(message: str, hint: str | None = None) -> LoadError:
    return LoadError("unreadable", f"cannot read file: {message}", hint=hint)


def _cause(path: Path, error: OSError) -> str:
    """Why `open` or `stat` failed, in words that name the usual cause."""
    import errno

    if error.errno == errno.ELOOP:
        return "it is a loop of symbolic links"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return "it is a symbolic link to a file that does not exist"
    return error.strerror or str(error)


def _too_large(size: int | None, limit: int) -> LoadError:
    what = f"file is {size:,} bytes, more than" if size else "file is larger than"
    return LoadError(
        "too-large",
        f"{what} the {limit:,} allowed",
        hint="split it, or move attachments out of the minutes",
    )


# O_NONBLOCK: should a FIFO replace the file between the stat and the open, opening it cannot
# hang; O_NOFOLLOW: nor can a link that appears there lead elsewhere.
_OPEN_FLAGS = os.O_RDONLY | sum(
    getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOFOLLOW", "O_NOCTTY", "O_CLOEXEC")
)


def _read(path: Path, root: Path, limit: int = frontmatter.MAX_FILE_BYTES) -> bytes:
    """`path`'s bytes: only when it resolves inside `root`, only a regular file, and at most
    `limit` bytes (reading one more to know; the size from stat is no bound: /proc files say
    0). A LoadError naming the cause otherwise."""
    full = os.path.abspath(path)
    try:
        before = os.lstat(full)
    except OSError as e:
        raise _unreadable(_cause(path, e)) from None
    link = stat.S_ISLNK(before.st_mode)
    folder, name = os.path.split(full)
    # A link resolved in full; else the file's folder's real path (remembered) and its name.
    real = os.path.realpath(full) if link else os.path.join(_real_folder(folder), name)
    base = _real_folder(os.path.abspath(root))
    if not below(real, base):
        what = "a symbolic link to a file" if link else "a file whose real path is"
        raise _unreadable(
            f"it is {what} outside the repository; tf reads nothing there",
            "the repository is the folder holding tf.yml: copy the file in instead of linking it",
        )
    try:
        if link:
            before = os.stat(real)
        if not stat.S_ISREG(before.st_mode):  # a device or FIFO is never opened
            raise _unreadable(
                f"it is {'a symbolic link to ' * link}{file_kind(before.st_mode)}, "
                "not a regular file",
                "tf reads only regular files: replace it with the file itself, or remove it",
            )
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as e:
        raise _unreadable(_cause(path, e)) from None
    try:
        st = os.fstat(fd)  # what was opened, not what was there a moment ago
        if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise _unreadable("it changed while tf was reading it", "run tf again")
        if st.st_size > limit:  # don't read a huge file only to refuse it
            raise _too_large(st.st_size, limit)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            want = min(limit + 1 - got, max(st.st_size + 1, 4096))
            chunks.append(chunk := os.read(fd, want))
            got += len(chunk)
            if len(chunk) < want:  # a short read of a regular file: its end
                break
    except OSError as e:
        raise _unreadable(_cause(path, e)) from None
    finally:
        os.close(fd)
    if got > limit:
        raise _too_large(None, limit)
    return b"".join(chunks)
