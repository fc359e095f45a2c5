"""The index of the minutes (tfcli.index): results never depend on it, and only changed files
are parsed again. `TF_INDEX=off pytest` runs the whole test corpus without it."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import test_actions_cli
from conftest import FIXTURES, SEED, Result
from test_actions_cli import Tf

from tfcli import index, load, paths, stamped
from tfcli.index import Index

tf = test_actions_cli.tf  # the in-process `tf` fixture

COMMANDS = [
    ("check",),
    ("check", "--strict", "--format", "json"),
    ("check", "--show-source"),
    ("actions", "--all", "--format", "json", "--today", "2022-07-25"),
    ("actions", "--overdue", "--today", "2022-07-25"),
    ("actions", "--format", "csv", "--today", "2030-01-01"),
    ("list", "--format", "csv"),
    ("list",),
    ("agenda", "--today", "2022-07-25"),
]


ON = {"TF_INDEX": "on"}  # whatever the environment of the tests says


def _repos(tmp_path: Path) -> list[Path]:
    """Copies of the seed, the seed with follow-ups, a repo of broken files, a wide one."""
    out = []
    for name, parts in [
        ("seed", []),
        ("tracker", [FIXTURES / "actions"]),
        ("broken", [FIXTURES / "broken"]),
        ("wide", [FIXTURES / "wide"]),
    ]:
        root = tmp_path / name
        skip = shutil.ignore_patterns(".tf")  # other tests' index of a fixture
        shutil.copytree(SEED, root, ignore=skip)
        for part in parts:
            shutil.copytree(part, root, dirs_exist_ok=True, ignore=skip)
        out.append(root)
    return out


def _shards(root: Path) -> list[Path]:
    """The index's shard files."""
    folder = root / ".tf"
    return sorted(folder.glob(f"{index.FILE}-*")) if folder.is_dir() else []


def _corrupt(root: Path, how: str) -> None:
    if how == "folder":  # an index copied from elsewhere (or committed): another folder
        shutil.move(root / ".tf", root / ".tf-old")
        (root / ".tf").mkdir()
        for shard in (root / ".tf-old").glob(f"{index.FILE}-*"):
            shutil.copy(shard, root / ".tf" / shard.name)
        shutil.rmtree(root / ".tf-old")
    for path in _shards(root) if how != "folder" else []:
        damage(path, how)


def damage(path: Path, how: str) -> None:
    """One of tf's state files (an index shard, .tf/tracked, .tf/listing) damaged as a crash,
    a full disk or a hand could leave it: truncated, garbage after its header, empty, deleted."""
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(data[:56] + b"\x00garbage" * 100)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "deleted":
        path.unlink()


def test_every_command_gives_the_same_bytes_off_cold_warm_and_corrupt(
    tf: Tf, tmp_path: Path
) -> None:
    for root in _repos(tmp_path):
        for args in COMMANDS:
            off = tf(*args, cwd=root, env={"TF_INDEX": "off"})
            assert not _shards(root), "TF_INDEX=off writes nothing"
            runs: dict[str, Result] = {"cold": tf(*args, cwd=root, env=ON)}
            assert _shards(root)
            runs["warm"] = tf(*args, cwd=root, env=ON)
            for how in ("truncated", "garbage", "empty", "folder"):
                _corrupt(root, how)
                runs[how] = tf(*args, cwd=root, env=ON)
            runs["rewritten"] = tf(*args, cwd=root, env=ON)
            for kind, got in runs.items():
                assert got == off, f"{root.name} {' '.join(args)}: {kind} differs"
            shutil.rmtree(root / ".tf")


def test_the_same_bytes_from_another_working_directory(tf: Tf, tmp_path: Path) -> None:
    """Messages name files relative to where tf runs: an index written from the repo's root
    does not give its paths to a run from the minutes folder."""
    root = _repos(tmp_path)[2]
    first = tf("check", cwd=root, env=ON)
    below = tf("check", cwd=root / "minutes", env=ON)
    assert below == tf("check", cwd=root / "minutes", env={"TF_INDEX": "off"})
    assert below != first
    assert tf("check", cwd=root, env=ON) == first


class Counted:
    """load_repo through the index, counting the files it parses."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.parsed: list[str] = []
        real = load.read_meeting

        def counting(path: Path, *args: object, **kwargs: object) -> object:
            self.parsed.append(path.name)
            return real(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(load, "read_meeting", counting)
        monkeypatch.chdir(root)
        monkeypatch.delenv("TF_INDEX", raising=False)
        paths._cwd.cache_clear()

    def load(self) -> tuple[list[str], str]:
        self.parsed.clear()
        repo = load.load_repo(self.root)
        shown = repr((repo.meetings, repo.problems, repo.files))
        return sorted(self.parsed), shown


def _age(path: Path, seconds: int = 60) -> None:
    """Times as a file has after a while (a file changed in the last moments is hashed)."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_only_changed_added_and_renamed_files_are_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repos(tmp_path)[1]
    minutes = root / "minutes"
    for f in minutes.iterdir():
        _age(f)
    names = sorted(f.name for f in minutes.iterdir())
    run = Counted(root, monkeypatch)
    parsed, first = run.load()
    assert parsed == names
    parsed, warm = run.load()
    assert (parsed, warm) == ([], first)

    monkeypatch.setenv("TF_INDEX", "off")
    assert run.load()[1] == first
    monkeypatch.delenv("TF_INDEX")

    one = minutes / names[1]
    os.utime(one)  # touched, as git checkout does: read and hashed, not parsed
    assert run.load() == ([], first)
    one.write_text(one.read_text(encoding="utf-8").replace("status:", "status: ", 1))
    _age(one)
    assert run.load()[0] == [names[1]]
    (minutes / "2022-08-01-added.md").write_text("---\ndate: 2022-08-01\n---\n")
    parsed, _ = run.load()
    assert parsed == ["2022-08-01-added.md"]
    (minutes / "2022-08-01-added.md").rename(minutes / "2022-08-02-renamed.md")
    assert run.load()[0] == ["2022-08-02-renamed.md"]
    (minutes / "2022-08-02-renamed.md").unlink()
    assert run.load()[0] == []
    monkeypatch.setenv("TF_INDEX", "off")
    assert run.load()[0] == sorted(f.name for f in minutes.iterdir())


def test_a_changed_tf_yml_or_tf_invalidates_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repos(tmp_path)[0]
    run = Counted(root, monkeypatch)
    assert run.load()[0] == [p.name for p in (root / "minutes").iterdir()]
    config = root / "tf.yml"
    config.write_text(config.read_text().replace("visibility: public", "visibility: restricted"))
    parsed, shown = run.load()
    assert parsed
    assert run.load() == ([], shown)
    monkeypatch.setenv("TF_INDEX", "off")
    assert run.load()[1] == shown
    monkeypatch.delenv("TF_INDEX")
    index.code_fingerprint.cache_clear()
    monkeypatch.setattr(stamped, "SCHEMA", stamped.SCHEMA + 1)  # as another tf
    assert run.load()[0] == parsed
    index.code_fingerprint.cache_clear()


def test_only_files_the_configuration_reads_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repos(tmp_path)[0]
    (root / "minutes" / "_drafts").mkdir()
    (root / "minutes" / "_drafts" / "2022-09-01-x.md").write_text("---\ndate: 2022-09-01\n---\n")
    (root / "elsewhere.md").write_text("---\ndate: 2022-09-02\n---\n")
    run = Counted(root, monkeypatch)
    config, _ = load.load_config(root)
    repo = load.Repo(config, [], [], [])
    idx = Index.open(config)
    assert idx is not None
    load.add_files(repo, [*load.meeting_files(config, []), root / "elsewhere.md"], None, idx.read)
    idx.save()
    kept = Index.open(config)
    assert kept is not None
    assert sorted(Path(p).name for p in kept.old) == [index_name(root)]
    assert sorted(run.parsed) == sorted([index_name(root), "elsewhere.md"])


def index_name(root: Path) -> str:
    return next((root / "minutes").glob("*.md")).name


def test_a_hostile_entry_is_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose pickle names anything but the model (here: os.system) is not used."""
    root = _repos(tmp_path)[0]
    run = Counted(root, monkeypatch)
    _, first = run.load()
    config, _ = load.load_config(root)
    idx = Index.open(config)
    assert idx is not None
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, (f"touch {marker}",)

    for real, entry in idx.old.items():
        idx.new[real] = (*entry[:5], (pickle.dumps((Evil(), [])), b""))
    idx.save()
    parsed, shown = run.load()
    assert not marker.exists()
    assert (parsed, shown) == ([index_name(root)], first)


def test_concurrent_runs_all_answer_alike(tmp_path: Path) -> None:
    root = _repos(tmp_path)[1]
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2022-07-25"}
    env.pop("TF_INDEX", None)
    cmd = [sys.executable, "-m", "tfcli", "actions", "--all", "--format", "json"]
    procs = [
        subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outs = {p.communicate(timeout=60) for p in procs}
    assert len(outs) == 1 and all(p.returncode == 0 for p in procs)
    assert [f.name for f in (root / ".tf").iterdir() if f.name.startswith(".index-")] == []
    again = subprocess.run(cmd, cwd=root, env=env, capture_output=True, check=True)
    assert {(again.stdout, again.stderr)} == outs


def test_spans_read_back_lazily_are_the_spans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copy

    from tfcli.record import fields

    root = _repos(tmp_path)[1]
    run = Counted(root, monkeypatch)
    run.load()
    monkeypatch.setenv("TF_INDEX", "off")
    fresh = load.load_repo(root).meetings
    monkeypatch.delenv("TF_INDEX")
    run.parsed.clear()
    kept = load.load_repo(root).meetings
    assert run.parsed == []
    for a, b in zip(fresh, kept, strict=True):
        assert type(b.spans) is not dict  # read back lazily
        assert b.line_of("actions", 0, "owner") == a.line_of("actions", 0, "owner")
        assert b == a and repr(b) == repr(a)
        assert [getattr(b, n) for n in fields(type(b))] == [getattr(a, n) for n in fields(type(a))]
        assert copy.deepcopy(b).spans == a.spans and pickle.loads(pickle.dumps(b)) == a


# -- the shards --------------------------------------------------------------------------------


def _shard_of(path: Path) -> Path:
    return path.parent.parent / ".tf" / index.shard_name(index._shard(paths.real_path(path)))


def _stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in _shards(root)}


def _kept(root: Path) -> list[str]:
    config, _ = load.load_config(root)
    kept = Index.open(config)
    assert kept is not None
    return sorted(Path(p).name for p in kept.old)


def _aged_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Counted]:
    """The tracker repo with many more meetings (several shards), every file aged."""
    root = _repos(tmp_path)[1]
    minutes = root / "minutes"
    for n in range(1, 25):
        text = f"---\ndate: 2023-01-{n:02d}\nstatus: draft\n---\n\nBody {n}.\n"
        (minutes / f"2023-01-{n:02d}-x.md").write_text(text)
    for f in minutes.iterdir():
        _age(f)
    return root, Counted(root, monkeypatch)


def test_one_changed_file_rewrites_only_its_shard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, run = _aged_repo(tmp_path, monkeypatch)
    run.load()
    assert len(_shards(root)) > 5
    before = _stamps(root)
    changed = root / "minutes" / "2023-01-07-x.md"
    changed.write_text(changed.read_text() + "One more line.\n")
    _age(changed)
    parsed, shown = run.load()
    assert parsed == [changed.name]
    after = _stamps(root)
    assert after.keys() == before.keys()
    assert {n for n in after if after[n] != before[n]} == {_shard_of(changed).name}
    assert run.load() == ([], shown)
    monkeypatch.setenv("TF_INDEX", "off")
    assert run.load()[1] == shown


def test_a_removed_or_renamed_file_leaves_its_shard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, run = _aged_repo(tmp_path, monkeypatch)
    names = run.load()[0]
    gone, moved = root / "minutes" / "2023-01-03-x.md", root / "minutes" / "2023-01-04-x.md"
    gone.unlink()
    moved.rename(moved.with_name("2023-01-04-y.md"))
    parsed = run.load()[0]
    assert parsed == ["2023-01-04-y.md"]
    expected = sorted([*(set(names) - {gone.name, moved.name}), "2023-01-04-y.md"])
    assert _kept(root) == expected
    for f in (root / "minutes").iterdir():
        f.unlink()  # every shard emptied: none is left
    (root / "minutes" / "2023-02-01-z.md").write_text("---\ndate: 2023-02-01\n---\n")
    run.load()
    assert _shards(root) == [_shard_of(root / "minutes" / "2023-02-01-z.md")]


def test_a_damaged_or_misplaced_shard_costs_only_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, run = _aged_repo(tmp_path, monkeypatch)
    _, shown = run.load()
    files = sorted((root / "minutes").iterdir())
    one, other = _shards(root)[:2]
    of = {s: sorted(f.name for f in files if _shard_of(f) == s) for s in (one, other)}
    damage(one, "garbage")
    assert run.load() == (of[one], shown)
    assert run.load() == ([], shown)
    # A shard under another shard's name (its header is right): its entries are not used,
    # and both are written again as they should be.
    os.replace(one, other)
    assert run.load() == (sorted(of[one] + of[other]), shown)
    assert run.load() == ([], shown)
    assert _kept(root) == sorted(f.name for f in files)


def test_the_whole_index_of_an_older_tf_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, run = _aged_repo(tmp_path, monkeypatch)
    (root / ".tf").mkdir()
    (root / ".tf" / index.FILE).write_bytes(b"tfindex1" + b"\0" * 100)
    run.load()
    assert not (root / ".tf" / index.FILE).exists() and _shards(root)


def test_concurrent_checks_after_an_edit_all_answer_alike(tmp_path: Path) -> None:
    root = _repos(tmp_path)[1]
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2022-07-25"}
    env.pop("TF_INDEX", None)
    cmd = [sys.executable, "-m", "tfcli", "check", "--format", "json"]
    subprocess.run(cmd, cwd=root, env=env, capture_output=True)
    changed = sorted((root / "minutes").iterdir())[-1]
    changed.write_text(changed.read_text() + "\nOne more line.\n")
    procs = [
        subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outs = {(*p.communicate(timeout=60), p.returncode) for p in procs}
    off = subprocess.run(cmd, cwd=root, env={**env, "TF_INDEX": "off"}, capture_output=True)
    assert outs == {(off.stdout, off.stderr, off.returncode)}
    assert [f.name for f in (root / ".tf").iterdir() if f.name.startswith(".index-")] == []
    again = subprocess.run(cmd, cwd=root, env=env, capture_output=True)
    assert {(again.stdout, again.stderr, again.returncode)} == outs


def test_any_change_to_a_module_of_tf_changes_the_code_key(tmp_path: Path) -> None:
    import shutil
    import time

    package = tmp_path / "tfcli"
    shutil.copytree(Path(index.__file__).parent, package)
    key = index.modules_key(str(package))
    assert index.modules_key(str(package)) == key
    module = package / "cli" / "app.py"
    text = module.read_bytes()
    stat = module.stat()
    time.sleep(0.02)  # file times move by clock ticks (up to 10 ms)
    module.write_bytes(text.replace(b"tf", b"TF", 1))  # the same size
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    assert index.modules_key(str(package)) != key  # its change time says so
    changes = [
        lambda: os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1)),
        lambda: module.write_bytes(text + b"\n"),
        lambda: (package / "site" / "new.py").write_text(""),
        lambda: (package / "site" / "new.py").rename(package / "site" / "old.py"),
        lambda: (package / "errors.py").unlink(),
    ]
    seen = {index.modules_key(str(package))}
    for change in changes:
        change()
        seen.add(index.modules_key(str(package)))
    assert len(seen) == len(changes) + 1
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.py").write_text("")  # compiled code is not tf's code
    (package / "notes.txt").write_text("")
    assert index.modules_key(str(package)) in seen
