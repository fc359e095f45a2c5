"""Paths as people see them and the repository boundary as paths: where a file is shown
(relative to the working directory, or to the checkout for GitHub), and whether a path, every
link followed, lies inside a folder. No file is read here."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


@functools.cache
def _cwd() -> Path:
    return Path.cwd().resolve()


def display_path(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when below it."""
    if not path.is_absolute():
        return str(path)
    # Below the working directory, as text (what relative_to gives, without its parsing:
    # a site shows the file of each of 30,000 actions and follow-ups).
    text, cwd = str(path), str(_cwd()).rstrip("/") + "/"
    if text.startswith(cwd):
        return text[len(cwd) :]
    try:
        return str(path.relative_to(_cwd()))
    except ValueError:
        try:
            return str(Path(os.path.realpath(path)).relative_to(_cwd()))  # resolve() raises
        except ValueError:
            return os.path.relpath(path, _cwd())


def workspace_path(shown: str) -> str:
    """A displayed path as GitHub wants it in an annotation: relative to $GITHUB_WORKSPACE,
    else to the enclosing git checkout, whatever folder tf was started in."""
    path = Path(os.path.normpath(_cwd() / shown))  # a link's own path, not its target's
    roots = [Path(w) for w in [os.environ.get("GITHUB_WORKSPACE", "")] if w]
    roots += [d for d in (_cwd(), *_cwd().parents) if (d / ".git").exists()][:1]
    for root in roots:
        try:
            return path.relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return shown


def below(path: str, base: str) -> bool:
    """Whether normalised absolute `path` is `base` or lies below it (as text: fast)."""
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def within(path: Path | str, root: Path | str) -> bool:
    """Whether `path`, every symbolic link followed, is `root` or lies below it."""
    return below(os.path.realpath(path), os.path.realpath(root))


@functools.lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    """A folder's real path, remembered during one load (load_config forgets them): the
    minutes share a few folders, and realpath costs a system call per part of a path."""
    return os.path.realpath(folder)


def real_path(path: Path | str) -> str:
    """`os.path.realpath`, faster for many files of a few folders: a file that is no link
    is its folder's real path (remembered during one load) and its name."""
    return real_stat(path)[0]


RealStat = tuple[str, os.stat_result | None]  # a file's real path and its own lstat


def real_stat(path: Path | str) -> tuple[str, os.stat_result | None]:
    """`real_path(path)` and the file's own `os.lstat` (None when it fails), with one system
    call: a load stats each of thousands of files once, not once per question."""
    full = os.path.abspath(path)
    try:
        st: os.stat_result | None = os.lstat(full)
    except (OSError, ValueError):  # as os.path.islink: a path that cannot be is no link
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        return os.path.realpath(full), st
    # os.path.split and join, for an absolute path (and a real folder) on POSIX: thousands of
    # files are stated at each load.
    if os.sep != "/":  # pragma: no cover - another system
        folder, name = os.path.split(full)
        return os.path.join(_real_folder(folder), name), st
    cut = full.rfind("/")
    real = _real_folder(full[:cut] or "/")
    return (real + "/" + full[cut + 1 :] if real != "/" else "/" + full[cut + 1 :]), st
