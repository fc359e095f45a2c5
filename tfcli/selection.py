"""Which files `tf check PATHS` reports on: the loader's own selection, so that a path given
by name is either read and checked or refused with a message, and the "N files" of the
summary counts exactly the files read."""

from __future__ import annotations

import os
from pathlib import Path

from tfcli import load
from tfcli.errors import UsageError
from tfcli.load import CONFIG_NAME  # not tfcli.config's: that one imports YAML
from tfcli.model import Problem, Repo
from tfcli.paths import below, display_path, real_path, within
from tfcli.record import Record, init


def _below(path: Path | str, top: Path | str) -> bool:
    """`path` is `top` or below it: as written (a link's own place) or once every link is
    followed (a folder reached through a link)."""
    return below(os.path.abspath(path), os.path.abspath(top)) or below(
        real_path(path), real_path(top)
    )


def require_existing(paths: list[Path]) -> None:
    """Before anything is read: a typo is a usage error, never a clean result."""
    for p in paths:
        if not os.path.lexists(p):
            raise UsageError(f"no such file or folder: {p}")


class Selection(Record):
    __slots__ = ("targets", "files", "config")
    targets: list[Path]
    files: list[Path]  # minutes files read and reported on
    config: bool  # tf.yml was named

    def __init__(
        self, targets: list[Path], files: list[Path] | None = None, config: bool = False
    ) -> None:
        init(self, targets, [] if files is None else files, config)

    @property
    def count(self) -> int:
        return len(self.files) + self.config

    def keep(self, problems: list[Problem]) -> list[Problem]:
        """The problems located in the target files or below the target folders."""
        if not self.targets:
            return problems
        return [p for p in problems if any(_below(p.path, t) for t in self.targets)]


def select(repo: Repo, paths: list[Path]) -> Selection:
    """The files `paths` name (every minutes file when none), refusing any the loader cannot
    read as minutes. Files the loader skips but that are named explicitly (`_drafts/`,
    hidden names, a file elsewhere in the repository) are read into `repo` and checked."""
    if not paths:
        return Selection([], list(repo.files))
    cfg = repo.config
    selection = Selection(list(paths))
    extra: list[Path] = []
    for p in paths:
        if os.path.isdir(p) and _below(cfg.minutes_dir, p):
            continue  # the minutes folder or a folder holding it: every file of the loader
        if any(_below(f, p) for f in repo.files):
            continue
        if cfg.path is not None and not os.path.isdir(p) and _below(cfg.path, p):
            selection.config = True
            continue
        if p.name == CONFIG_NAME:
            shown = display_path(cfg.path) if cfg.path else "none"
            raise UsageError(f"{p} is not the tf.yml of this repository ({shown})")
        if not within(p, cfg.root):
            raise UsageError(
                f"{p} is outside the repository; tf reads nothing there",
                f"the repository is {display_path(cfg.root)}, the folder holding tf.yml",
            )
        extra += _explicit(p, repo)
    load.add_files(repo, extra)
    selection.files = [f for f in repo.files if any(_below(f, t) for t in paths)]
    return selection


def _explicit(p: Path, repo: Repo) -> list[Path]:
    """A file or folder named on the command line that the minutes folder does not list."""
    minutes = repo.config.minutes_dir
    if os.path.isdir(p):
        if not _below(p, minutes):
            raise UsageError(
                f"{p} is outside the minutes folder {display_path(minutes)}",
                "tf reads minutes only there; 'minutes:' in tf.yml names it",
            )
        # `_drafts/`, `.old/`: skipped by the loader, checked since it is named
        if load.is_skipped(p, minutes) and (files := load.walk(p, repo.problems)):
            return files
        raise UsageError(f"{p} holds no minutes files", "minutes are Markdown files: *.md")
    st = os.stat(p) if os.path.exists(p) else None
    if st is None or not os.path.isfile(p):
        what = load.file_kind(st.st_mode) if st else "a broken symbolic link"
        raise UsageError(f"{p} is {what}, not a minutes file", "minutes are Markdown files: *.md")
    if not load.is_minutes_file(p):
        raise UsageError(f"{p} is not a minutes file", "minutes are Markdown files: *.md")
    return [p]
