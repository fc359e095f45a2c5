"""The files tf keeps under `<repo>/.tf/` (the index's shards, tfcli.index; .tf/tracked,
.tf/listing, .tf/config): each starts with a header that stamps it with tf's own code, the
key of what it was made from and the folder it was written in, and is replaced atomically.
A file whose stamp is not this tf's, this key's and this folder's is as if there were none.
"""

from __future__ import annotations

import functools
import os
import pickle
import stat
import struct
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

SCHEMA = 3  # the layout of the index (tfcli.index); part of the fingerprint
MAGIC = b"tfindex1"
_HEADER = struct.Struct("8s16s16sQQ")  # magic, code, config, folder's device and inode


@functools.cache
def code_fingerprint() -> bytes:
    """tf's own code, the Python version and SCHEMA: another tf or Python never reads this
    index."""
    import sys

    head = f"{SCHEMA} {sys.version} {pickle.HIGHEST_PROTOCOL}\0"
    return _digest(head.encode() + modules_key(os.path.dirname(__file__)))


def modules_key(package: str) -> bytes:
    """Every module under `package` by its name, size, inode and times: any edit, checkout
    or install changes one of them, the change time even when the modification time is put
    back (reading and hashing every module instead took 4 ms of each start)."""
    found: list[str] = []
    folders = [""]  # below `package`
    while folders:
        below = folders.pop()
        with os.scandir(os.path.join(package, below)) as entries:
            for e in entries:
                name = below + e.name
                if name.endswith(".py") and e.is_file():
                    s = e.stat()
                    times = f"{s.st_mtime_ns}\0{s.st_ctime_ns}"
                    found.append(f"{name}\0{s.st_size}\0{s.st_ino}\0{times}\0")
                elif e.is_dir() and e.name != "__pycache__":
                    folders.append(name + "/")
    return "".join(sorted(found)).encode("utf-8", "surrogateescape")


try:  # hashlib's blake2b without hashlib's import of OpenSSL (15 ms at start-up)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b as _blake2b


def _digest(data: bytes) -> bytes:
    return _blake2b(data, digest_size=16).digest()


def _read_file(folder: Path, name: str, key: bytes, load: Callable[[IO[bytes]], Any]) -> Any:
    """`load` of the payload of `folder/name` (from the file: no copy of it all in memory)
    when written for `key` by this tf in this very folder; else None."""
    try:
        with open(folder / name, "rb") as f:
            magic, code, got, dev, ino = _HEADER.unpack(f.read(_HEADER.size))
            here = os.lstat(folder)
            # The folder's own inode: an index committed to git, or copied from elsewhere,
            # was written in another folder and is never trusted; nor is a link.
            if stat.S_ISDIR(here.st_mode) and (magic, code, got, dev, ino) == (
                MAGIC,
                code_fingerprint(),
                key,
                here.st_dev,
                here.st_ino,
            ):
                return load(f)
    except Exception:  # missing, unreadable, truncated, foreign: as if there were none
        pass
    return None


def _write_file(root: Path, name: str, key: bytes, payload: bytes) -> None:
    """Replace `root/.tf/name` atomically, never waiting for anything; a repo that cannot be
    written to simply has no index."""
    from tfcli.write import state_dir

    try:
        folder = state_dir(root)
        here = os.lstat(folder)
        head = _HEADER.pack(MAGIC, code_fingerprint(), key, here.st_dev, here.st_ino)
        # As tempfile.mkstemp (a new file of a random name, for this user only), without
        # importing tempfile (and shutil, bz2, lzma, random: 4 ms of a warm `tf check`).
        tmp = folder / f".{name}-{os.urandom(6).hex()}"
        nofollow = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(head)
                f.write(payload)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:
        return
