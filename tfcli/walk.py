"""Which files of the minutes folder are minutes: the walk the loader (tfcli.load) makes,
reporting what it does not read (a link to a folder, minutes in another format, a folder it
cannot read)."""

from __future__ import annotations

import os
from pathlib import Path

from tfcli.model import Problem, Severity
from tfcli.paths import RealStat, _real_folder, display_path, real_stat

# Files in the minutes folder that are not meetings.
SKIP_NAMES = {"readme.md", "index.md", "changelog.md"}
# Minutes in another format: worth a warning, since tf would otherwise skip them silently.
OTHER_FORMATS = {".txt", ".doc", ".docx", ".odt", ".rtf"}


def is_minutes_file(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".markdown")


def is_skipped(path: Path, folder: Path) -> bool:
    """Whether the loader skips `path` below `folder`: a hidden name or one starting with
    `_` on the way (`_drafts/`), or a README/index/CHANGELOG file."""
    parts = Path(os.path.relpath(path, folder)).parts
    return any(p.startswith((".", "_")) for p in parts) or path.name.lower() in SKIP_NAMES


def _problem(path: Path, severity: Severity, rule: str, message: str, hint: str) -> Problem:
    return Problem(display_path(path), 1, 1, severity, rule, message, hint)


def walk(folder: Path, problems: list[Problem], stats: list[RealStat] | None = None) -> list[Path]:
    """The minutes files below `folder` (`*.md` in any case, `*.markdown`) minus the names
    the loader skips, of whatever kind: a broken link or a FIFO is listed, so that reading
    it reports it. Links to folders are not followed (reported); files that look like
    minutes in another format are reported. `stats` (when given) gets each file's
    `paths.real_stat`, in the same order, taken here from the folder's entry (the loader
    needs it for every file: no `Path` made again, no path normalised again)."""
    found: list[tuple[tuple[str, ...], Path, RealStat | None]] = []
    pending = [folder]
    while pending:
        here = pending.pop()
        # A child path without parsing its name again (pathlib's own way, for its glob).
        child = getattr(here, "_make_child_relpath", here.joinpath)
        parts = here.parts
        real_here = _real_folder(os.path.abspath(here)) if stats is not None else ""
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            problems.append(
                _problem(
                    here,
                    Severity.ERROR,
                    "unreadable",
                    f"cannot read folder: {e.strerror or e}",
                    "the minutes in it are not checked; check its permissions",
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            p = child(entry.name)
            if entry.is_dir(follow_symlinks=False):
                pending.append(p)
            elif (low := entry.name.lower()).endswith(
                (".md", ".markdown")
            ) and low not in SKIP_NAMES:
                # is_minutes_file(p), by the name (no leading dot: its suffix)
                found.append((parts, p, None if stats is None else _stat(entry, p, real_here)))
            elif entry.is_symlink() and entry.is_dir():
                problems.append(
                    _problem(
                        p,
                        Severity.WARNING,
                        "not-minutes",
                        "not read: a symbolic link to a folder (tf does not follow them)",
                        "move the minutes into the minutes folder instead of linking them",
                    )
                )
            elif p.suffix.lower() in OTHER_FORMATS:
                problems.append(
                    _problem(
                        p,
                        Severity.WARNING,
                        "not-minutes",
                        f"not read: tf reads minutes from Markdown files, not {p.suffix} files",
                        "convert it to Markdown with front matter as docs/format.md describes, "
                        "or move it out of the minutes folder",
                    )
                )
    if os.name != "posix":  # pragma: no cover - paths compare otherwise (case)
        found.sort(key=lambda f: f[1])
    else:  # as paths compare on POSIX, part by part; without making each path's parts
        found.sort(key=lambda f: (*f[0], f[1].name))
    files = [f[1] for f in found]
    if stats is not None:
        stats.extend(f[2] for f in found)  # type: ignore[misc]
    return files


def _stat(entry: os.DirEntry[str], path: Path, real_folder: str) -> RealStat:
    """`paths.real_stat(path)`, from the folder's entry of the file and the folder's real
    path (`os.path.realpath` of a link)."""
    if os.sep != "/" or entry.is_symlink():  # a link's real path: the general way
        return real_stat(path)
    try:
        st: os.stat_result | None = entry.stat(follow_symlinks=False)
    except (OSError, ValueError):
        st = None
    return (real_folder + "/" + entry.name if real_folder != "/" else "/" + entry.name), st
