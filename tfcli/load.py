"""The only code that reads minutes and config from disk.

Per file, every failure becomes a located Problem; only a repo that cannot be read at all
(missing minutes folder, unparsable tf.yml) raises DataError.

The repository (the folder holding tf.yml, else the working directory) is the boundary of
every read: a file whose real path, every symbolic link followed, lies outside it is never
opened. Only regular files are read, and never more than the size limit plus one byte
(tfcli.bounded reads each file).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli import frontmatter
from tfcli.bounded import _read as _read
from tfcli.bounded import file_kind as file_kind
from tfcli.errors import DataError, LoadError
from tfcli.model import Config, Meeting, Problem, Repo, Severity
from tfcli.paths import RealStat, _real_folder, display_path, real_stat, within
from tfcli.walk import OTHER_FORMATS as OTHER_FORMATS
from tfcli.walk import SKIP_NAMES as SKIP_NAMES
from tfcli.walk import is_minutes_file as is_minutes_file
from tfcli.walk import is_skipped as is_skipped
from tfcli.walk import walk as walk

if TYPE_CHECKING:
    from tfcli.index import Index
    from tfcli.rows import Book, Sheet

CONFIG_NAME = "tf.yml"  # tfcli.config's, not imported: a warm index needs no YAML at all


def repo_root(path: Path) -> Path:
    """The repository holding `path`, found as tf finds it from the working directory: the
    folder of the nearest tf.yml above it; without one, the working directory when `path`
    is below it, else `path`'s own folder."""
    folder = Path(os.path.abspath(path)).parent
    if config := find_config(folder):
        return config.parent
    return Path.cwd() if within(folder, Path.cwd()) else folder


def inside_repo(path: Path, root: Path | None = None) -> bool:
    """Whether reading or writing `path` stays inside the repository (`root`, else the one
    holding `path`): the check every writer that follows symbolic links makes first."""
    return within(path, root if root is not None else repo_root(path))


# A file listed a moment ago and removed since (another hand, a `git checkout`) is not there
# to check, which is no finding: tf says so as information (rule REMOVED) and leaves it out.
REMOVED = "removed"


# -- tf.yml ------------------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """tf.yml in `start` or the nearest parent, as git finds .git. Whatever it is (a folder,
    a FIFO, a broken link): reading it then says what is wrong, instead of tf silently
    using the defaults or a tf.yml further up."""
    for d in (start, *start.parents):
        candidate = d / CONFIG_NAME
        if os.path.lexists(candidate):
            return candidate
    return None


def load_config(start: Path | None = None) -> tuple[Config, list[Problem]]:
    from tfcli import pickled

    _real_folder.cache_clear()  # a new command, or a test in the same process: look afresh
    start = (start or Path.cwd()).resolve()
    path = find_config(start)
    if path is None:
        from tfcli.config import build_config

        return build_config(start, None, "", None)
    shown = display_path(path)
    try:
        data = _read(path, path.parent)
        if cached := pickled.cached_config(path, data):
            return cached
        from tfcli import yamlstrict
        from tfcli.config import build_config

        tree = yamlstrict.parse(frontmatter.decode(data))
    except LoadError as e:
        where = f"{shown}:{e.line}:{e.col}"
        message = e.message.removeprefix("cannot read file: ")
        raise DataError(f"cannot read config: {message}", e.hint, where) from None
    config = build_config(path.parent, path, shown, tree)
    pickled.keep_config(path, data, *config)
    return config


def read_text(path: Path, root: Path | None = None) -> str:
    """A text file that is not minutes (a template): UTF-8 with or without BOM, newlines as
    \\n, the same size limit and repository boundary as minutes. A LoadError (rule,
    message, line) otherwise."""
    return frontmatter.decode(_read(path, root if root is not None else repo_root(path)))


# -- the minutes -------------------------------------------------------------------------------


def meeting_files(
    config: Config, problems: list[Problem], stats: list[RealStat] | None = None
) -> list[Path]:
    """The minutes files of the minutes folder (see `walk`, which fills `stats`)."""
    folder = config.minutes_dir
    if not folder.is_dir():
        raise DataError(
            f"minutes folder not found: {display_path(folder)}",
            "run tf inside the minutes repository, set 'minutes:' in tf.yml, or run 'tf init'",
        )
    if not within(folder, config.root):
        raise DataError(
            f"the minutes folder {display_path(folder)} links to a folder outside the "
            "repository; tf reads nothing there",
            "the repository is the folder holding tf.yml: move the minutes into it",
        )
    return walk(folder, problems, stats)


def read_meeting(
    path: Path, config: Config, problems: list[Problem], data: bytes | None = None
) -> Meeting | None:
    """Parse one minutes file (its bytes `data` when already read)."""
    from tfcli import comments, schema_lean, yamlstrict
    from tfcli.schema import build_meeting

    vis = config.visibility
    try:
        text = frontmatter.decode(_read(path, config.root) if data is None else data)
        split = frontmatter.split(text)
        twice: list[LoadError] = []  # duplicate keys: reported, and the file read on
        tree = yamlstrict.parse(split.front_matter, split.front_matter_line - 1, twice)
    except LoadError as e:
        shown = display_path(path)
        if e.rule == "unreadable" and not os.path.lexists(path):  # not even a dangling link
            problems.append(_removed(shown))
        else:
            problems.append(
                Problem(shown, e.line, e.col, Severity.ERROR, e.rule, e.message, e.hint)
            )
        return None
    # Text after ` #5` that YAML read as a comment (tfcli.comments): one pattern a file.
    lost = list(comments.lost_text(split.front_matter, split.front_matter_line - 1))
    lean = None
    if not twice and not lost:
        lean = schema_lean.build(path, tree, split.body, split.body_line, vis)
    if lean is not None:  # a clean file of the common kind: nothing to report
        tree.release()
        return lean
    shown = display_path(path)
    problems += (
        Problem(
            shown, e.line, e.col, Severity.ERROR, e.rule, e.message, f"{e.hint}; tf reads the last"
        )
        for e in twice
    )
    problems += (
        Problem(shown, e.line, e.col, Severity.WARNING, e.rule, e.message, e.hint) for e in lost
    )
    meeting = build_meeting(path, shown, tree, split.body, split.body_line, vis, problems, False)
    tree.release()  # the meeting keeps its spans, not the parse's nodes
    return None if twice else meeting  # which value is meant is unsure: listings skip it


def _removed(shown: str) -> Problem:
    return Problem(
        shown,
        1,
        1,
        Severity.INFO,
        REMOVED,
        "file was removed while tf was reading the minutes; left out",
        "run tf again to check the folder as it is now",
    )


def load_book(
    start: Path | None = None, progress: Callable[[int, int], None] | None = None
) -> Book:
    """What `tf check` reads: as `load_repo`, each meeting as its rows (tfcli.rows), from the
    index without decoding the meeting when it has them."""
    from tfcli.rows import Book, sort

    sheets: list[Sheet] = []
    opened: list[Index] = []
    repo = load_repo(start, (), progress, sheets, opened)
    book = Book(repo.config, sort(sheets), repo.problems, repo.files)
    book.index = opened[0] if opened else None
    return book


def load_repo(
    start: Path | None = None,
    extra: Iterable[Path] = (),
    progress: Callable[[int, int], None] | None = None,
    sheets: list[Sheet] | None = None,
    opened: list[Index] | None = None,
) -> Repo:
    """Every meeting in the minutes folder (plus `extra` files), sorted by date and id, read
    through the index (tfcli.index) when there is one (then put in `opened`, if given).
    `progress(done, total)` is called after each file (tfcli.progress shows it)."""
    import gc

    # Thousands of meetings are a million objects that live until the end: the cyclic
    # collector would scan them again and again while they are made (half the time of a warm
    # load) and after (track() and every view). None of them forms a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_repo(start, extra, progress, sheets, opened)
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _load_repo(
    start: Path | None,
    extra: Iterable[Path],
    progress: Callable[[int, int], None] | None,
    sheets: list[Sheet] | None = None,
    opened: list[Index] | None = None,
) -> Repo:
    """`load_repo`; with `sheets`, the meetings' sheets go there instead."""
    from tfcli.index import Index

    config, problems = load_config(start)
    repo = Repo(config, [], problems, [])
    stats: list[RealStat] = []
    files = meeting_files(config, problems, stats)
    index = Index.open(config)
    import gc

    # Reading makes a few hundred objects per file and frees few: the collector would walk
    # them again and again as they pile up (a tenth of a cold run at 5,000 files). Reading
    # makes no reference cycles (yamlnodes has no recursive closures), so the pause keeps
    # nothing alive.
    paused = gc.isenabled()
    gc.disable()
    reader: Callable[[Path, list[Problem], RealStat], Any] | None = None
    if index is not None:
        reader = index.read if sheets is None else index.sheet
    elif sheets is not None:
        from tfcli.rows import sheet_of

        def reader(p: Path, out: list[Problem], _: RealStat) -> Sheet | None:
            m = read_meeting(p, config, out)
            return None if m is None else sheet_of(m, config)

    try:
        if index is not None and not index.old:  # a first run: on every core when it pays
            from tfcli.parallel import prefilled

            with prefilled(index, files, meetings=sheets is None):
                add_files(repo, [*files, *extra], progress, reader, sheets, stats)
        else:
            add_files(repo, [*files, *extra], progress, reader, sheets, stats)
    finally:
        if paused:
            gc.enable()
    if index:
        index.save()
        if opened is not None:
            opened.append(index)
    return repo


def add_files(
    repo: Repo,
    files: Iterable[Path],
    progress: Callable[[int, int], None] | None = None,
    reader: Callable[[Path, list[Problem], RealStat], Any] | None = None,
    into: list[Any] | None = None,
    stats: list[RealStat] | None = None,
) -> None:
    """Read `files` into `repo` (with `reader`, given each file's `real_stat`, else
    `read_meeting`; what it gives into `into` when given), each file once (a link to a
    listed file is that file); `progress(done, total)` after each file. `stats`: the
    `real_stat` of the first files, when the walk took them."""
    read = reader or (lambda p, out, _: read_meeting(p, repo.config, out))
    got = repo.meetings if into is None else into
    known = {os.path.realpath(p) for p in repo.files}  # Path.resolve raises on a link loop
    todo = list(files)
    stats = stats or []
    for n, p in enumerate(todo, 1):
        if (found := stats[n - 1] if n <= len(stats) else real_stat(p))[0] not in known:
            known.add(found[0])
            repo.files.append(p)
            if m := read(p, repo.problems, found):
                got.append(m)
        if progress is not None:
            progress(n, len(todo))
    repo.meetings.sort(key=lambda m: (m.date, m.id))


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """One file exactly as on disk (for the editor, which must keep every byte), with the
    same size limit and repository boundary (`root`, else the repository holding `path`);
    a DataError naming the file when it cannot be read."""
    try:
        return _read(path, root if root is not None else repo_root(path))
    except LoadError as e:
        raise DataError(e.message, e.hint, display_path(path)) from None
