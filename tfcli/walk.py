"""Which files of the minutes folder are minutes: the walk the loader (tfcli.load) makes,
reporting what it does not read (a link to a folder, minutes in another format, a folder it
cannot read)."""

from __future__ import annotations

import os
from pathlib import Path

from tfcli.model import Problem, Severity
from tfcli.paths import display_path

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


def walk(folder: Path, problems: list[Problem]) -> list[Path]:
    """The minutes files below `folder` (`*.md` in any case, `*.markdown`) minus the names
    the loader skips, of whatever kind: a broken link or a FIFO is listed, so that reading
    it reports it. Links to folders are not followed (reported); files that look like
    minutes in another format are reported."""
    files: list[Path] = []
    pending = [folder]
    while pending:
        here = pending.pop()
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
            p = here / entry.name  # parses the name only, not the whole path again
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(p)
            elif (low := entry.name.lower()).endswith(
                (".md", ".markdown")
            ) and low not in SKIP_NAMES:
                files.append(p)  # is_minutes_file(p), by the name (no leading dot: its suffix)
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
    return sorted(files)
