"""`.tf/tracked` (tfcli.tracked_store): a warm `tf actions` listing reads the tracked actions
from it; the output is byte for byte what loading the minutes gives, whatever the store holds."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_actions_cli
from conftest import Result
from test_actions_cli import Tf
from test_index import ON, _repos, damage

from tfcli import index, load, tracked_store
from tfcli.model import Problem

tf = test_actions_cli.tf  # the in-process `tf` fixture

LISTINGS = [
    ("actions", "--overdue", "--format", "json", "--today", "2022-07-25"),
    ("actions", "--all", "--format", "json", "--today", "2022-07-25"),
    ("actions", "--today", "2022-07-12"),
    ("actions", "--format", "csv", "--today", "2030-01-01"),
    ("actions", "--format", "markdown", "--status", "done", "--today", "2022-07-25"),
    ("actions", "--format", "github", "--all", "--today", "2022-07-25"),
    ("actions", "--owner", "UNHCR", "--due-within", "30", "--today", "2022-07-01"),
    ("actions", "--search", "the", "--all", "--today", "2022-07-25"),
]
OFF = {"TF_INDEX": "off"}


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Files just written are trusted by their times at once (else the store waits two
    seconds for them); counts the loads of the minutes."""
    monkeypatch.setattr(index, "RACY_NS", -(10**15))
    count: list[int] = []
    real = load.load_repo

    def counting(*args: object, **kwargs: object) -> object:
        count.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "load_repo", counting)
    yield count


def _store(root: Path) -> Path:
    return root / ".tf" / tracked_store.FILE


def _corrupt(root: Path, how: str) -> None:
    damage(_store(root), how)


def test_listings_give_the_same_bytes_off_cold_warm_and_corrupt(
    tf: Tf, tmp_path: Path, loads: list[int]
) -> None:
    for root in _repos(tmp_path):
        for args in LISTINGS:
            shutil.rmtree(root / ".tf", ignore_errors=True)
            off = tf(*args, cwd=root, env=OFF)
            assert not _store(root).exists(), "TF_INDEX=off writes nothing"
            runs: dict[str, Result] = {"cold": tf(*args, cwd=root, env=ON)}
            readable = root.name != "broken"  # a file tf cannot read: never kept
            assert _store(root).exists() == readable
            loads.clear()
            runs["warm"] = tf(*args, cwd=root, env=ON)
            # An --owner that owns no open action and is not in tf.yml's roster (UNHCR in
            # `wide`): the closed actions are read once, to tell a typo (exit 2) from an owner
            # of closed actions only, and kept in the store from then on.
            typo = root.name == "wide" and "--owner" in args
            if typo:
                assert len(loads) == 1
                loads.clear()
                assert tf(*args, cwd=root, env=ON) == runs["warm"]
            assert len(loads) == (0 if readable else 1), f"{root.name}: store not used"
            for how in ("truncated", "garbage", "empty", "deleted"):
                if readable:
                    _corrupt(root, how)
                runs[how] = tf(*args, cwd=root, env=ON)
            for kind, got in runs.items():
                assert got == off, f"{root.name} {' '.join(args)}: {kind} differs"


def _closed(args: tuple[str, ...]) -> bool:
    """Whether a listing shows closed actions (LISTINGS' `--status` is always `done`)."""
    return "--all" in args or "--status" in args


def _same_as_off(tf: Tf, root: Path, loads: list[int]) -> Result:
    """Every listing as without the store, the first one after loading the minutes (the
    store was stale), and the first that shows closed actions after the store was made by
    one that does not (it keeps the open ones only); the last one's result."""
    got = Result(0, "", "")
    closed_kept = False
    for n, args in enumerate(LISTINGS):
        loads.clear()
        tf(*args, cwd=root, env=ON)  # the store brought up to date
        assert len(loads) == (n == 0 or (_closed(args) and not closed_kept)), "stale store used"
        closed_kept = _closed(args) if loads else closed_kept
        loads.clear()
        got = tf(*args, cwd=root, env=ON)
        assert not loads, "the store was not used"
        assert got == tf(*args, cwd=root, env=OFF), " ".join(args)
    return got


def test_a_stale_store_is_never_used(tf: Tf, tmp_path: Path, loads: list[int]) -> None:
    root = _repos(tmp_path)[1]
    minutes = root / "minutes"
    _same_as_off(tf, root, loads)
    os.utime(root / "tf.yml")  # tf.yml's bytes decide, not its times
    loads.clear()
    tf(*LISTINGS[0], cwd=root, env=ON)
    assert not loads
    first = tf(*LISTINGS[1], cwd=root, env=ON)
    one = minutes / "2022-07-08-anti-trafficking-task-force.md"
    text = one.read_text(encoding="utf-8")
    one.write_text(text.replace("status: in-progress", "status: done", 1), encoding="utf-8")
    _same_as_off(tf, root, loads)
    assert tf(*LISTINGS[1], cwd=root, env=ON) != first
    one.rename(minutes / "2022-07-09-renamed.md")
    _same_as_off(tf, root, loads)
    (minutes / "2022-07-09-renamed.md").unlink()
    _same_as_off(tf, root, loads)
    config = root / "tf.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("Europe/Chisinau", "Asia/Tokyo"),
        encoding="utf-8",
    )
    _same_as_off(tf, root, loads)
    (minutes / "2022-07-30-added.md").write_text(
        "---\ndate: 2022-07-30\nactions:\n  - text: Added later\n    owner: UNHCR\n"
        "    due: 2022-07-31\n---\n",
        encoding="utf-8",
    )
    _same_as_off(tf, root, loads)


def test_a_listing_of_open_actions_keeps_no_closed_ones(
    tf: Tf, tmp_path: Path, loads: list[int]
) -> None:
    """A first JSON listing of open actions keeps them (and answers from the rows it kept);
    the closed ones wait for the first listing that shows them, which loads the minutes
    once and keeps them all."""
    import marshal

    root = _repos(tmp_path)[1]
    json_open = (*LISTINGS[0], "--exit-code")
    off = tf(*json_open, cwd=root, env=OFF)
    assert off.code == 1 and off.out.startswith("[")
    assert tf(*json_open, cwd=root, env=ON) == off  # cold: answered from the rows it kept
    head = index._HEADER.size
    data = _store(root).read_bytes()[head:]
    first = marshal.dumps(marshal.loads(data))
    assert marshal.loads(data[len(first) :]) is None, "closed actions kept"
    opened = marshal.loads(data)[2]  # each meeting named by its stand-in, never pickled
    assert b"_meeting" in opened and b"Meeting" not in opened
    for args in (LISTINGS[4], LISTINGS[1], LISTINGS[4], LISTINGS[2]):
        want = tf(*args, cwd=root, env=OFF)
        loads.clear()
        assert tf(*args, cwd=root, env=ON) == want, args
        assert len(loads) == (args is LISTINGS[4] and data is not None)
        data = None  # loaded once, kept all
    assert tf(*json_open, cwd=root, env=ON) == off


def test_a_file_changed_in_the_last_moments_is_not_trusted(
    tf: Tf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repos(tmp_path)[1]
    tf(*LISTINGS[0], cwd=root, env=ON)
    assert not _store(root).exists()  # its times could hide a change in the same tick


def test_a_hostile_store_is_never_run(tf: Tf, tmp_path: Path, loads: list[int]) -> None:
    root = _repos(tmp_path)[1]
    args = LISTINGS[1]
    off = tf(*args, cwd=root, env=OFF)
    tf(*args, cwd=root, env=ON)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, (f"touch {marker}",)

    import marshal

    data = _store(root).read_bytes()
    head = index._HEADER.size
    lines, rows, _ = marshal.loads(data[head:])
    evil = marshal.dumps((lines, rows, pickle.dumps([(0, Evil())]))) + marshal.dumps(b"")
    _store(root).write_bytes(data[:head] + evil)
    loads.clear()
    assert tf(*args, cwd=root, env=ON) == off
    assert not marker.exists()
    assert loads == [1]


def test_concurrent_listings_all_answer_alike(tmp_path: Path) -> None:
    root = _repos(tmp_path)[1]
    time.sleep(index.RACY_NS / 1e9 + 0.2)  # the files' times can be trusted
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2022-07-25"}
    env.pop("TF_INDEX", None)
    cmd = [sys.executable, "-m", "tfcli", "actions", "--all", "--format", "json"]
    off = subprocess.run(cmd, cwd=root, env={**env, **OFF}, capture_output=True, check=True)
    for _ in range(2):  # a cold round that writes, then a warm one that reads and writes
        procs = [
            subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        outs = {p.communicate(timeout=60) for p in procs}
        assert outs == {(off.stdout, off.stderr)}
        assert all(p.returncode == 0 for p in procs)
        assert _store(root).exists()
    assert [f.name for f in (root / ".tf").iterdir() if f.name.startswith(".")] == [".gitignore"]


def test_the_quick_scan_lists_what_the_loader_walks(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    names = [
        "a/x.md", "a-b/x.md", "a b/y.MD", "A/z.markdown", "2022-01-01.md", "2022-01-01-b.md",
        "README.md", "Index.MD", "_drafts/d.md", ".hidden/h.md", ".h.md", "_n.md", "x.md.bak",
        "notes.txt.md", "deep/er/est/e.md", "noext", "a.", ".md",
    ]  # fmt: skip
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    problems: list[Problem] = []
    walked = [str(p) for p in load.walk(folder, problems)]
    assert not problems
    scanned: list[tracked_store.File] = []
    assert tracked_store._scan(str(folder), scanned)
    assert [path for path, _, _ in scanned] == walked
    assert all(os.path.dirname(path) == folder for path, folder, _ in scanned)
    assert all(st == os.lstat(path) for path, _, st in scanned)
    assert len(walked) == 8
    (folder / "a" / "old.docx").write_text("x")
    assert not tracked_store._scan(str(folder), [])  # walk reports it: the walk is used
    (folder / "a" / "old.docx").unlink()
    (folder / "README.md").unlink()
    (folder / "README.md").symlink_to(folder / "x.md")
    assert not tracked_store._scan(str(folder), [])
    (folder / "README.md").unlink()
    (folder / "link").symlink_to(folder / "a")
    assert not tracked_store._scan(str(folder), [])


def test_the_keys_do_not_change_with_the_hash_seed() -> None:
    """A set of holidays is listed in another order by each process: the index's and the
    store's keys list it sorted, or no run would ever find them."""
    code = (
        "from datetime import date; from pathlib import Path; from tfcli import index;"
        "from tfcli.model import Cadence, Config;"
        "skip = frozenset(date(2022, 12, d) for d in range(1, 29));"
        "print(index.config_text(Config(Path('/r'), cadence=Cadence(days=7, skip=skip))))"
    )
    texts = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(texts) == 1
    assert "datetime.date(2022, 12, 1), datetime.date(2022, 12, 2)" in texts.pop()


def test_the_key_is_made_of_values_not_of_shared_objects() -> None:
    # The same stat values must give the same key whether or not Python happens to share the
    # objects (marshal's later versions write a shared one as a back-reference).
    from tfcli.tracked_store import digest_rows

    path = "minutes/" + "x" * 20 + ".md"
    other = "".join(["minutes/", "x" * 20, ".md"])  # equal, another object
    assert path == other and path is not other
    assert digest_rows([path, path, 10**20]) == digest_rows([path, other, 10**20])
