"""`<repo>/.tf/tracked`: every action's effective state (what `actions.track` computes from
every meeting), kept for the next `tf actions` listing, so that a warm listing reads the
actions it may show, not thousands of meetings.

It is keyed by everything the state comes from: the code, the configuration, the working
directory (messages name files relative to it), the real path of the minutes folder, and each
minutes file's path, size, times, inode and mode, as the index (tfcli.index) trusts them; the
state does not depend on "today" (overdue is decided when the listing is made). Anything that
differs, a file that changed too recently to trust its times, a file tf could not read: the
minutes are loaded as always (through the index) and the store is written again. Open actions
and closed ones are kept apart: the default listing never reads the closed ones.

Each action's meeting is a stand-in (`Meeting` with its path, id and date only): listing views
read nothing else of it. Commands that need more (`--by owner`, `--meeting`) load the minutes.
Under the same key, tfcli.listing_store keeps the open actions' JSON for JSON listings.
"""

from __future__ import annotations

import copyreg
import functools
import io
import marshal
import os
import pickle
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tfcli import behind, index, listing_store, pickled
from tfcli.model import CLOSED_STATUSES, Config, Meeting, Problem, Repo
from tfcli.record import Frozen
from tfcli.record import init as _init

if TYPE_CHECKING:  # tfcli.actions when the tracked actions are read (not for .tf/listing)
    from tfcli.action_views import View
    from tfcli.actions import Tracked

FILE = "tracked"


class Actions(Frozen):
    """What a listing needs: the configuration, the tracked actions (in meeting order; only
    the open ones unless closed ones were asked for), each meeting id's file, the loaded
    repo when the minutes were loaded (None when read from the store), and the rows just
    kept in .tf/listing when the listing kept them (None otherwise)."""

    __slots__ = ("config", "tracked", "paths", "repo", "kept")
    config: Config
    tracked: list[Tracked]
    paths: Mapping[str, Path]
    repo: Repo | None
    kept: listing_store.Rows | None

    def __init__(
        self,
        config: Config,
        tracked: list[Tracked],
        paths: Mapping[str, Path],
        repo: Repo | None,
        kept: listing_store.Rows | None = None,
    ) -> None:
        _init(self, config, tracked, paths, repo, kept)

    def loaded(self) -> Repo:
        """The loaded repo: asked for with `full` (--by and --meeting read more of the
        meetings than the store keeps)."""
        assert self.repo is not None, "the minutes were not loaded"
        return self.repo

    def view(self, today: date) -> View:
        from tfcli.action_views import View
        from tfcli.roster import Roster

        return View(today, Roster(self.config), self.paths)


def tracked_actions(
    load_repo: Callable[[], Repo], closed: bool, full: bool = False, listing: bool = False
) -> Actions:
    """The actions of the minutes: from the store when it is up to date (unless the `full`
    repo is needed: `Actions.loaded`), else by `load_repo` (which reports unusable files
    itself; the store keeps a copy of those warnings). `listing`: a JSON listing that
    .tf/listing could not answer: it is written (again) for the next one."""
    from tfcli.load import load_config
    from tfcli.output import message

    if index.enabled() and not full:
        config, problems = load_config()
        # No store (a first run): no need to stat every file for its key.
        if config.path is not None and os.path.exists(config.root / ".tf" / FILE):
            key = state(config, problems, time.time_ns())
            if key is not None and (got := _read(config, key, closed)) is not None:
                lines, tracked, paths = got
                for line in lines:
                    message(line)
                actions = Actions(config, tracked, paths, None)
                if listing and not closed:
                    v = actions.view(date.today())
                    kept = listing_store.save(config.root, key, lines, tracked, v)
                    actions = Actions(config, tracked, paths, None, kept)
                return actions
    import gc

    from tfcli.actions import track

    started = time.time_ns()
    # The index's shards and .tf/tracked written behind the answer (tfcli.behind).
    with behind.wanted():
        repo = load_repo()
        # Tracking and pickling make a few hundred thousand objects and no cycle: the cyclic
        # collector, scanning them again and again meanwhile, took a third of that time.
        paused = gc.isenabled()
        gc.disable()
        kept = None
        try:
            tracked = track(repo)
            if index.enabled() and repo.config.path is not None:
                kept = _save(repo, tracked, started, listing, closed)
        finally:
            if paused:
                gc.enable()
    return Actions(repo.config, tracked, {m.id: m.path for m in repo.meetings}, repo, kept)


def state(config: Config, problems: list[Problem], before: int) -> bytes | None:
    """The key of the minutes as they are now (None when a file cannot be trusted by its
    times: changed at or after `before`, less the index's margin for a coarse clock)."""
    found = list(problems)
    files = _files(config, found)
    return None if files is None else _key(config, found, files, before)


# A minutes file: its path, its folder, and its lstat when the walk made it.
File = tuple[str, str, "os.stat_result | None"]


def _files(config: Config, problems: list[Problem]) -> list[File] | None:
    """The minutes files as `load.meeting_files` lists them (its problems into `problems`);
    None when there is no minutes folder."""
    from tfcli import load, paths

    folder = config.minutes_dir
    usual = folder.is_dir() and paths.within(folder, config.root)
    found: list[File] = []
    if usual and _scan(str(folder), found):
        return found
    try:
        listed = [str(p) for p in load.meeting_files(config, problems)]
    except Exception:  # loading says what is wrong
        return None
    return [(p, os.path.dirname(p), None) for p in listed]


def _scan(here: str, found: list[File]) -> bool:
    """`load.walk(here)` in strings, with each file's lstat from the walk itself, into
    `found`, for the usual folder (a few thousand Paths made and sorted cost more than the
    rest of a warm listing); False for anything `walk` would report (a link, a file in
    another format, a folder it cannot read, a file gone), which it then lists."""
    from tfcli.load import OTHER_FORMATS, SKIP_NAMES

    try:
        with os.scandir(here) as it:
            entries = sorted(it, key=_name)  # folder by folder: as Paths sort, part by part
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                if not _scan(entry.path, found):
                    return False
                continue
            low = name.lower()  # no leading dot: its suffix is Path.suffix
            if low.endswith((".md", ".markdown")) and low not in SKIP_NAMES:
                found.append((entry.path, here, entry.stat(follow_symlinks=False)))
            elif entry.is_symlink() or low[low.rfind(".") :] in OTHER_FORMATS:
                return False
    except (OSError, RecursionError):
        return False
    return True


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _key(config: Config, problems: list[Problem], files: list[File], before: int) -> bytes | None:
    """Each file's path, size, times, inode, device and mode, and the real path of each
    folder (a file's real path is its folder's and its name: the walk lists no links)."""
    got = stats(config, problems, files, before)
    if got is None or any(st is None for st in got[2]):
        return None
    head, names, sts = got
    return digest_rows([*head, names, sts])


# A file's size, times, inode, device and mode; None when it changed too recently to tell.
Stat = tuple[int, int, int, int, int, int] | None


def stats(
    config: Config, problems: list[Problem], files: list[File], before: int
) -> tuple[list[Any], list[str], list[Stat]] | None:
    """What keys the minutes as they are (for the stores here and tf render's record): the
    minutes folder's real path, the working directory, tf.yml, `problems` and each folder
    with its real path; each file's path; its stat, None when changed at or after `before`
    less the index's margin (racy). None when a folder lies outside the minutes, or a file
    is gone or no regular file."""
    from tfcli import paths

    minutes = paths.real_path(config.minutes_dir)
    head: list[Any] = [minutes, os.getcwd(), index.config_text(config), repr(problems)]
    limit = before - index.RACY_NS
    real_folders: dict[str, str] = {}  # a few folders hold thousands of files
    is_reg = stat.S_ISREG
    names: list[str] = []
    sts: list[Stat] = []
    for p, folder, st in files:
        if folder not in real_folders:
            real_folders[folder] = paths._real_folder(os.path.abspath(folder))
            if not paths.below(real_folders[folder], minutes):
                return None
            head += (folder, real_folders[folder])
        try:
            st = st or os.lstat(p)
        except OSError:
            return None
        if not is_reg(st.st_mode):
            return None
        names.append(p)
        racy = st.st_mtime_ns >= limit or st.st_ctime_ns >= limit
        sts.append(
            None
            if racy
            else (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)
        )
    return head, names, sts


def digest_rows(rows: list[Any]) -> bytes:
    # marshal version 2: later versions write an object met twice as a back-reference, so
    # equal rows could give other bytes (a needless miss) as objects happen to be shared.
    return index._digest(marshal.dumps(rows, 2))


# -- writing -----------------------------------------------------------------------------------


def _save(
    repo: Repo, tracked: list[Tracked], started: int, listing: bool, closed: bool
) -> listing_store.Rows | None:
    """Keep `tracked` when every file of `repo` was read as a meeting and is unchanged since
    the load began (the files listed now are those that were read); the closed actions only
    for a listing that shows them (`closed`: 86 % of the pickle at 5,000 meetings; the first
    listing of them loads the minutes once). For a JSON `listing`, the rows kept, or None."""
    from tfcli import load
    from tfcli.meetings import unusable_report

    try:
        config, problems = load.load_config()
        if config != repo.config:
            return None  # tf.yml changed meanwhile
        files = _files(config, problems)
        listed = [str(p) for p in repo.files]
        if files is None or [f[0] for f in files] != listed or len(repo.meetings) != len(files):
            return None  # a file added, removed or unreadable meanwhile: next time
        key = _key(config, problems, files, started)
        if key is None:
            return None
        lines = unusable_report(repo)
        # Pickled and written by a child while this process answers (tfcli.behind).
        keep = functools.partial(_keep, config.root, key, lines, repo, tracked, closed)
        behind.run(keep, len(repo.meetings))
        if listing:  # its JSON costs a tenth of a load: only for a JSON listing
            return listing_store.save(config.root, key, lines, tracked, _view(repo))
    except Exception:  # never a reason for the listing to fail
        pass
    return None


def _keep(
    root: Path, key: bytes, lines: list[str], repo: Repo, tracked: list[Tracked], closed: bool
) -> None:
    """Write `.tf/tracked` (see `_save`)."""
    try:
        stand_ins = {id(m): n for n, m in enumerate(repo.meetings)}
        rows = [(str(m.path), m.id, m.date.toordinal()) for m in repo.meetings]
        open_: list[tuple[int, Tracked]] = []
        shut: list[tuple[int, Tracked]] = []
        for n, t in enumerate(tracked):
            (shut if t.status in CLOSED_STATUSES else open_).append((n, t))
        # Two marshal records: a listing of open actions reads the first one only; the
        # second is None when the closed actions were not kept.
        head = marshal.dumps((lines, rows, _pickle(open_, stand_ins)))
        tail = marshal.dumps(_pickle(shut, stand_ins) if closed else None)
        index._write_file(root, FILE, key, head + tail)
    except Exception:  # never a reason for the listing to fail
        pass


def _view(repo: Repo) -> View:
    """A view for the kept JSON: its fields that depend on today are filled in at listing."""
    from tfcli.action_views import View

    return View.of(repo, date.today())


def _meeting(n: int) -> Meeting:  # pragma: no cover - named by the pickle, never called
    """A meeting pickles as a call of this with its stand-in's number (`_Unpickler`)."""
    raise pickle.UnpicklingError("a meeting outside .tf/tracked")


def _pickle(value: object, stand_ins: dict[int, int]) -> bytes:
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)  # records pickle as a call of their class
    # A meeting as a call of `_meeting` with its number, by the pickler's own table: looked
    # up in C by type (a `persistent_id` method was called in Python for each of the 1.8
    # million objects of 5,000 meetings' actions; each meeting is pickled once, then named
    # by the memo).
    pickler.dispatch_table = {
        **copyreg.dispatch_table,
        Meeting: lambda m: (_meeting, (stand_ins[id(m)],)),
    }
    pickler.dump(value)
    return buf.getvalue()


# -- reading -----------------------------------------------------------------------------------


class _Unpickler(pickled._Unpickler):
    def __init__(self, data: bytes, meetings: _StandIns) -> None:
        super().__init__(io.BytesIO(data))
        self.meetings = meetings

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, "_meeting"):
            return self.meetings.__getitem__
        if (module, name) in (("tfcli.actions", "Tracked"), ("tfcli.deadlines", "Deadline")):
            return super(pickled._Unpickler, self).find_class(module, name)
        return super().find_class(module, name)


class _StandIns:
    """The meetings' stand-ins, made on first use."""

    def __init__(self, rows: list[tuple[str, str, int]]) -> None:
        self.rows = rows
        self.made: dict[int, Meeting] = {}

    def __getitem__(self, n: int) -> Meeting:
        if (m := self.made.get(n)) is None:
            path, id_, day = self.rows[n]
            m = self.made[n] = Meeting(Path(path), id_, date.fromordinal(day))
        return m


class _Paths(Mapping[str, Path]):
    """Meeting id -> file, as `{m.id: m.path for m in meetings}` (the last one wins), each
    Path made when asked for."""

    def __init__(self, rows: list[tuple[str, str, int]]) -> None:
        self.text = {id_: path for path, id_, _ in rows}
        self.made: dict[str, Path] = {}

    def __getitem__(self, key: str) -> Path:
        if (p := self.made.get(key)) is None:
            p = self.made[key] = Path(self.text[key])
        return p

    def __iter__(self) -> Iterator[str]:
        return iter(self.text)

    def __len__(self) -> int:
        return len(self.text)


def _read(
    config: Config, key: bytes, closed: bool
) -> tuple[list[str], list[Tracked], Mapping[str, Path]] | None:
    def records(f: IO[bytes]) -> tuple[Any, Any]:
        return marshal.load(f), marshal.load(f) if closed else b""

    from tfcli.actions import Tracked

    payload = index._read_file(config.root / ".tf", FILE, key, records)
    try:
        (lines, rows, open_blob), closed_blob = payload
        meetings = _StandIns(rows)
        got = _Unpickler(open_blob, meetings).load()
        if closed:
            if closed_blob is None:  # not kept (see `_save`)
                return None
            got = sorted([*got, *_Unpickler(closed_blob, meetings).load()], key=_first)
        tracked = [t for _, t in got]
        if not all(type(t) is Tracked for t in tracked) or not all(
            type(line) is str for line in lines
        ):
            return None
        return lines, tracked, _Paths(rows)
    except Exception:  # missing, foreign, corrupt: load the minutes
        return None


def _first(pair: tuple[int, Tracked]) -> int:
    return pair[0]
