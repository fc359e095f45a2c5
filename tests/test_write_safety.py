"""Many hands, one repo (issue 7, points 1, 2, 4, 5): no lost update between two tf commands
or between tf and another writer, read-only files respected, nothing left behind by a signal.

The races are made deterministic where they can be: TF_TEST_PAUSE holds a real `tf` inside
its write (temp file ready, lock held) until the test lets it go, and in-process tests
replace the same checkpoint (`write._checkpoint`)."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_FILE, Result

from tfcli import paths, write

fcntl = pytest.importorskip("fcntl", reason="POSIX signals and file locks")

A, B = "2022-06-24/1", "2022-06-24/2"  # both open in the seed meeting


def _run_main(argv: list[str]) -> int:
    """`tf ARGV` in this process, through the same entry point as the console script."""
    from tfcli.cli import main

    paths._cwd.cache_clear()
    sys.argv = ["tf", *argv]
    try:
        main()
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else int(e.code is not None)
    return 0


@pytest.fixture
def tf(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    def run(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        for k in [k for k in os.environ if k.startswith(("TF_", "GITHUB_"))]:
            monkeypatch.delenv(k)
        monkeypatch.setenv("NO_COLOR", "1")
        capsys.readouterr()
        code = _run_main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def _statuses(root: Path) -> dict[str, str]:
    from tfcli.actions import track
    from tfcli.load import load_repo

    return {t.id: t.status for t in track(load_repo(root))}


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- 1. concurrent edits ---------------------------------------------------------------------


def _race(
    root: Path, refs: tuple[str, str], rounds: int, in_place: bool
) -> tuple[list[int], set[int]]:
    """`rounds` rounds of two processes changing `refs[0]` and `refs[1]` at the same moment
    (released together by a barrier): `done` in even rounds, `reopen` in odd ones. Returns
    the rounds after which a change was missing (a lost update) and the exit codes seen.

    The two processes are forks of this one running tf's command in-process (a fresh `tf`
    costs ~0.4 s of imports here); they read, lock and write the real files as two `tf`s
    do."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(3, timeout=60)
    codes = ctx.Queue()

    def worker(ref: str) -> None:
        os.chdir(root)
        paths._cwd.cache_clear()
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        os.fsync = lambda fd: None  # durability is not under test here; speed is welcome
        for k in range(rounds):
            barrier.wait()
            verb = "done" if k % 2 == 0 else "reopen"
            args = ["actions", verb, ref, *(["--in-place"] if in_place else [])]
            try:
                command.main(args, prog_name="tf")
            except SystemExit as e:
                codes.put(e.code)
            barrier.wait()

    import typer

    from tfcli.cli import app

    command = typer.main.get_command(app)  # built once, not in every round (65 ms)

    workers = [ctx.Process(target=worker, args=(ref,)) for ref in refs]
    for w in workers:
        w.start()
    lost = []
    try:
        for k in range(rounds):
            barrier.wait()  # go
            barrier.wait()  # both finished
            want = "done" if k % 2 == 0 else "open"
            got = _statuses(root)
            if got[refs[0]] != want or got[refs[1]] != want:
                lost.append(k)
    finally:
        for w in workers:
            w.join(timeout=60)
    return lost, {codes.get(timeout=5) for _ in range(2 * rounds)}


def test_two_parallel_edits_of_one_file_both_survive(seed_repo: Path) -> None:
    start = time.monotonic()
    lost, codes = _race(seed_repo, (A, B), rounds=50, in_place=True)
    assert (lost, codes) == ([], {0})
    assert time.monotonic() - start < 30  # ~3 s on 2 shared cores; a hang would fail here
    assert _temp_files(seed_repo / "minutes") == []


def test_two_parallel_follow_ups_in_one_draft_both_survive(tracker: Path) -> None:
    draft = tracker / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    before = draft.read_bytes()
    # 2022-07-08/1 has a follow-up in the draft already (changed in place), /2 gets a new one.
    lost, codes = _race(tracker, ("2022-07-08/1", "2022-07-08/2"), rounds=50, in_place=False)
    assert (lost, codes) == ([], {0})
    after = draft.read_bytes()
    body = before[before.index(b"\nactions:") :]  # the draft's own actions and its body
    assert after.startswith(before[: before.index(b"\nactions:")]) and after.endswith(body)
    assert after.count(b"action: 2022-07-08/1") == after.count(b"action: 2022-07-08/2") == 1


def _pause(tmp_path: Path, name: str = "paused") -> tuple[dict[str, str], Path]:
    flag = tmp_path / name
    return {"TF_TEST_PAUSE": str(flag)}, flag


def _spawn(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.Popen(
        [sys.executable, "-m", "tfcli", *args],
        cwd=root,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(flag: Path, p: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert p.poll() is None, f"tf ended before its write: {p.communicate()}"
        assert time.monotonic() < deadline, "tf never reached its write"
        time.sleep(0.01)


def test_a_second_tf_waits_for_the_first_and_reads_its_change(
    seed_repo: Path, tmp_path: Path
) -> None:
    env, flag = _pause(tmp_path)
    first = _spawn(seed_repo, "actions", "done", A, "--in-place", env=env)
    _wait_for(flag, first)  # first holds the lock, its temp file written, not yet renamed
    second = _spawn(seed_repo, "actions", "done", B, "--in-place")
    time.sleep(1.0)
    assert second.poll() is None  # waiting for the lock, not writing over the first
    flag.unlink()  # let the first finish
    assert first.wait(timeout=30) == 0
    assert second.wait(timeout=30) == 0
    assert _statuses(seed_repo)[A] == _statuses(seed_repo)[B] == "done"


def test_the_lock_wait_is_bounded(
    seed_repo: Path, tf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    before = minutes.read_bytes()
    write.state_dir(seed_repo)
    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.3)
    with open(seed_repo / ".tf" / "lock", "w") as other:  # another tf holding the lock
        fcntl.flock(other, fcntl.LOCK_EX)
        started = time.monotonic()
        r = tf("actions", "done", A, "--in-place", cwd=seed_repo)
        waited = time.monotonic() - started
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: another tf command has been changing the minutes for 0.3 s (it holds .tf/lock); "
        "nothing was written (try again when it has finished)\n"
    )
    assert 0.3 <= waited < 5  # bounded: 0.3 s and a load of the repo
    assert minutes.read_bytes() == before


def test_new_meeting_takes_the_lock_too(
    seed_repo: Path, tf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    write.state_dir(seed_repo)
    monkeypatch.setattr(write, "LOCK_TIMEOUT", 0.1)
    with open(seed_repo / ".tf" / "lock", "w") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        r = tf("new-meeting", "--date", "2022-07-08", cwd=seed_repo)
        assert r.code == 3 and "nothing was written" in r.err
        dry = tf("new-meeting", "--date", "2022-07-08", "--dry-run", cwd=seed_repo)
        assert dry.code == 0  # writes nothing, so it does not wait
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [SEED_FILE]
    assert tf("new-meeting", "--date", "2022-07-08", cwd=seed_repo).code == 0


def test_state_folder_is_ignored_by_git_without_touching_the_groups_gitignore(
    seed_repo: Path, tf: Callable[..., Result]
) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    subprocess.run([git, "init", "-q", str(seed_repo)], check=True)
    (seed_repo / ".gitignore").write_text("*.pdf\n")
    assert tf("actions", "done", A, "--in-place", cwd=seed_repo).code == 0
    assert (seed_repo / ".tf" / ".gitignore").read_text() == (
        "# Made by tf: its own state (the write lock), not minutes.\n*\n"
    )
    status = subprocess.run(
        [git, "status", "--porcelain", "--untracked-files=all"],
        cwd=seed_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".tf" not in status and "minutes/" in status
    assert (seed_repo / ".gitignore").read_text() == "*.pdf\n"


def test_state_folder_that_is_a_symlink_is_refused(
    seed_repo: Path, tmp_path: Path, tf: Callable[..., Result]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (seed_repo / ".tf").symlink_to(outside)
    r = tf("actions", "done", A, "--in-place", cwd=seed_repo)
    assert (r.code, r.err) == (
        3,
        "tf: .tf is not a folder made by tf; nothing was written "
        "(remove it: tf keeps its own state there)\n",
    )
    assert list(outside.iterdir()) == []


# -- 2. a change between read and write ------------------------------------------------------


def test_a_change_on_disk_between_read_and_write_is_not_overwritten(
    seed_repo: Path, tf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    theirs = minutes.read_bytes().replace(b"Wrap-up", b"Wrap-up and thanks")

    def editor_saves() -> None:  # at the last moment: temp file written, rename next
        minutes.write_bytes(theirs)

    monkeypatch.setattr(write, "_checkpoint", editor_saves)
    r = tf("actions", "done", A, "--in-place", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        f"tf: minutes/{SEED_FILE} changed on disk while tf was working; nothing was written "
        "(run the command again: it will apply to the file as it is now)\n"
    )
    assert minutes.read_bytes() == theirs
    assert _temp_files(minutes.parent) == []
    monkeypatch.undo()
    assert tf("actions", "done", A, "--in-place", cwd=seed_repo).code == 0  # again: both kept
    assert b"Wrap-up and thanks" in minutes.read_bytes() and _statuses(seed_repo)[A] == "done"


def test_a_real_tf_refuses_when_the_file_changed_during_its_write(
    seed_repo: Path, tmp_path: Path
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    env, flag = _pause(tmp_path)
    p = _spawn(seed_repo, "actions", "done", A, "--in-place", env=env)
    _wait_for(flag, p)
    theirs = minutes.read_bytes() + b"\nA line saved by an editor.\n"
    minutes.write_bytes(theirs)
    flag.unlink()
    out, err = p.communicate(timeout=30)
    assert (p.returncode, out) == (3, "")
    assert err.startswith(f"tf: minutes/{SEED_FILE} changed on disk while tf was working;")
    assert minutes.read_bytes() == theirs and _temp_files(minutes.parent) == []


def test_a_note_written_after_tf_loaded_the_minutes_is_not_overwritten(
    seed_repo: Path, tf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The change is planned on the repo as loaded (no note yet); the note comes before the
    # file is opened for the edit, so compare-and-swap alone would not see it.
    from tfcli import edit

    minutes = seed_repo / "minutes" / SEED_FILE
    opened = edit.open_document

    def someone_writes_a_note(path: Path, shown: str | None = None) -> edit.Document:
        text = minutes.read_bytes().replace(
            b"    status: open\n    agenda: Welcome remarks\n",
            b"    status: open\n    note: Sent by post\n    agenda: Welcome remarks\n",
        )
        minutes.write_bytes(text)
        return opened(path, shown)

    monkeypatch.setattr(edit, "open_document", someone_writes_a_note)
    r = tf("actions", "done", A, "--in-place", "--note", "Sent by e-mail", cwd=seed_repo)
    assert (r.code, r.out) == (0, "")
    # The edit reads the file as it is now: their note stays, ours joins the note history
    # (dated today in the group's time zone).
    assert re.search(
        rb"    status: done\n    note: Sent by post\n    agenda: Welcome remarks\n"
        rb"    notes:\n      - date: \d{4}-\d\d-\d\d\n        text: Sent by e-mail\n",
        minutes.read_bytes(),
    )


def test_a_follow_up_file_removed_meanwhile_is_not_recreated(
    tracker: Path, tf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = tracker / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    monkeypatch.setattr(write, "_checkpoint", draft.unlink)  # e.g. `git pull` removed it
    r = tf("actions", "done", "2022-07-08/1", cwd=tracker)
    assert r.code == 3 and "changed on disk while tf was working" in r.err
    assert not draft.exists() and _temp_files(draft.parent) == []


def test_the_unchanged_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "m.md"
    target.write_bytes(b"old")
    write.replace_atomically(target, b"new", based_on=b"old")
    assert target.read_bytes() == b"new"
    for based_on in (b"ol", b"old!", b""):  # a prefix or an extension is a change too
        with pytest.raises(write.DataError, match="changed on disk"):
            write.replace_atomically(target, b"newer", based_on=based_on)
    assert target.read_bytes() == b"new"


# -- 4. read-only minutes --------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_file_is_not_replaced(
    seed_repo: Path, tf: Callable[..., Result], mode: int
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    before = minutes.read_bytes()
    minutes.chmod(mode)  # tests may run as root, who could write it anyway: tf must not
    r = tf("actions", "done", A, "--in-place", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        f"tf: minutes/{SEED_FILE} is read-only; nothing was written "
        "(tf respects the file's permissions: make it writable (chmod u+w) to change it)\n"
    )
    assert minutes.read_bytes() == before and minutes.stat().st_mode & 0o777 == mode
    assert _temp_files(minutes.parent) == []


def test_a_file_another_user_owns_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Mode 0644 of someone else: the folder may let us rename over it, access() says no.
    target = tmp_path / "m.md"
    target.write_bytes(b"theirs")
    monkeypatch.setattr(write.os, "access", lambda path, mode: False)
    with pytest.raises(write.DataError, match=r"m\.md is read-only; nothing was written"):
        write.replace_atomically(target, b"ours", based_on=b"theirs")
    assert target.read_bytes() == b"theirs" and _temp_files(tmp_path) == []


def test_a_file_writable_by_its_group_keeps_its_mode(
    seed_repo: Path, tf: Callable[..., Result]
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    minutes.chmod(0o664)
    assert tf("actions", "done", A, "--in-place", cwd=seed_repo).code == 0
    assert minutes.stat().st_mode & 0o777 == 0o664


# -- 5. signals and temp files ---------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_write_leaves_nothing_behind(
    seed_repo: Path, tmp_path: Path, sig: int
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    before = minutes.read_bytes()
    env, flag = _pause(tmp_path)
    p = _spawn(seed_repo, "actions", "done", A, "--in-place", env=env)
    _wait_for(flag, p)
    assert len(_temp_files(minutes.parent)) == 1  # the write is under way
    p.send_signal(sig)
    out, err = p.communicate(timeout=30)
    assert (p.returncode, out, err) == (-sig, "", "")  # a shell shows 143 / 130
    assert _temp_files(minutes.parent) == [] and minutes.read_bytes() == before


def test_after_sigkill_the_lock_is_free_and_the_next_write_removes_the_temp_file(
    seed_repo: Path, tmp_path: Path
) -> None:
    minutes = seed_repo / "minutes" / SEED_FILE
    env, flag = _pause(tmp_path)
    p = _spawn(seed_repo, "actions", "done", A, "--in-place", env=env)
    _wait_for(flag, p)
    p.kill()  # SIGKILL: nothing of tf runs any more
    p.communicate(timeout=30)
    [stale] = _temp_files(minutes.parent)
    assert stale.startswith(f".{SEED_FILE}.")
    r = _spawn(seed_repo, "actions", "done", B, "--in-place")
    assert r.wait(timeout=30) == 0  # the killed tf's lock went with it: no wait, no timeout
    assert _temp_files(minutes.parent) == [] and _statuses(seed_repo)[B] == "done"


def test_a_signal_while_creating_a_meeting_creates_nothing(seed_repo: Path, tmp_path: Path) -> None:
    env, flag = _pause(tmp_path)
    p = _spawn(seed_repo, "new-meeting", "--date", "2022-07-08", env=env)
    _wait_for(flag, p)
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=30) == -signal.SIGTERM
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [SEED_FILE]


def test_ctrl_c_while_waiting_for_the_lock_ends_quietly(seed_repo: Path, tmp_path: Path) -> None:
    env, flag = _pause(tmp_path)
    first = _spawn(seed_repo, "actions", "done", A, "--in-place", env=env)
    _wait_for(flag, first)
    second = _spawn(seed_repo, "actions", "done", B, "--in-place")
    time.sleep(1.0)  # started and waiting for the lock
    second.send_signal(signal.SIGINT)
    assert second.communicate(timeout=30) == ("", "") and second.returncode == -signal.SIGINT
    flag.unlink()
    assert first.wait(timeout=30) == 0
    assert _statuses(seed_repo)[A] == "done" and _statuses(seed_repo)[B] == "open"


def _console_script() -> tuple[str, str]:
    """The module and function the `tf` console script runs (pyproject.toml)."""
    import tomllib

    from conftest import ROOT

    target = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["tf"]
    module, func = target.split(":")
    return module, func


def test_ctrl_c_during_startup_ends_quietly(seed_repo: Path) -> None:
    # SIGINT exactly while the heavy modules load (an import hook sends it when typer is
    # imported), into the console script as pip generates it.
    module, func = _console_script()
    script = (
        "import os, signal, sys\n"
        "class Hook:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'typer':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Hook())\n"
        "sys.argv = ['tf', 'list']\n"
        f"from {module} import {func}\n"
        f"sys.exit({func}())\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", script], cwd=seed_repo, capture_output=True, text=True, timeout=60
    )
    assert (p.returncode, p.stdout, p.stderr) == (-signal.SIGINT, "", "")


def test_ctrl_c_that_python_drops_still_ends_tf(seed_repo: Path) -> None:
    # SIGINT handled inside a weakref callback (as importlib's module-lock callbacks run during
    # any import): Python drops the exception raised there, printing "Exception ignored". tf
    # went on to the end with Ctrl-C ignored (seen as a parallel parse that waited for its
    # paused workers); it must still end by the signal, quietly, even from a blocking read
    # (as of a worker's pipe), which only a real signal interrupts.
    module, func = _console_script()
    script = (
        "import os, signal, sys, weakref\n"
        "class Hook:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tfcli.load':\n"
        "            class Lock: pass\n"
        "            lock = Lock()\n"
        "            ref = weakref.ref(lock, lambda _: os.kill(os.getpid(), signal.SIGINT))\n"
        "            del lock\n"
        "            os.read(os.pipe()[0], 1)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Hook())\n"
        "sys.argv = ['tf', 'list', '--format', 'csv']\n"
        f"from {module} import {func}\n"
        f"sys.exit({func}())\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", script], cwd=seed_repo, capture_output=True, text=True, timeout=30
    )
    assert (p.returncode, p.stdout, p.stderr) == (-signal.SIGINT, "", "")


def test_an_ignored_sigint_stays_ignored(seed_repo: Path) -> None:
    # `nohup tf ...` and background jobs of scripts ignore SIGINT: tf must not undo that.
    script = (
        "import signal, sys\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "sys.argv = ['tf', 'list', '--format', 'csv']\n"
        "from tfcli.entry import main\n"
        "import os\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "main()\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", script], cwd=seed_repo, capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 0 and p.stdout.startswith("date,")


def test_ctrl_c_in_the_editor_is_the_editors(seed_repo: Path) -> None:
    # The editor gets Ctrl-C (here: sends it to tf, as the terminal would) and goes on.
    editor = "sh -c 'kill -INT $PPID; sleep 0.3; echo edited >> \"$0\"'"
    p = _spawn(seed_repo, "new-meeting", "--date", "2022-07-08", "--edit", env={"EDITOR": editor})
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    created = seed_repo / out.strip()
    assert created.read_text().endswith("edited\n")


STALE = f".{SEED_FILE}.k3j_9x2a.tmp"  # a temp file as a killed tf (SIGKILL) leaves it


def test_a_stale_temp_file_is_ignored_by_every_command(
    seed_repo: Path, tf: Callable[..., Result]
) -> None:
    # Ours ends in .tmp; a hidden .md (an editor's backup) is skipped for its dot as well.
    for name in (STALE, f".{SEED_FILE}", f".#{SEED_FILE}"):
        (seed_repo / "minutes" / name).write_text("---\ndate: [broken\n")
    r = tf("check", "--strict", cwd=seed_repo)
    assert (r.code, r.err) == (0, "tf check: 0 errors, 0 warnings in 1 file\n")
    for args in (
        ("list", "--format", "csv"),
        ("actions", "--all", "--format", "csv"),
        ("agenda", "2022-06-24"),
    ):
        r = tf(*args, cwd=seed_repo)
        assert r.code == 0 and f".{SEED_FILE}" not in r.out + r.err, args


def test_the_next_write_removes_stale_temp_files_and_only_ours(
    seed_repo: Path, tf: Callable[..., Result]
) -> None:
    folder = seed_repo / "minutes"
    others = [f".{SEED_FILE}.swp", ".notes.tmp", f".{SEED_FILE}.toolong12.tmp", "x.md.abcdefgh.tmp"]
    for name in [STALE, ".2022-07-08-other.md.abcdefgh.tmp", *others]:
        (folder / name).write_text("left over")
    r = tf("actions", "done", A, "--in-place", cwd=seed_repo)
    assert r.code == 0
    assert sorted(p.name for p in folder.iterdir() if p.name != SEED_FILE) == sorted(others)


def test_temp_files_are_only_swept_under_the_lock(tmp_path: Path) -> None:
    (tmp_path / STALE).write_text("another tf's write, under way")
    target = tmp_path / "m.md"
    write.create_new(target, b"x")  # no lock held: the temp file may be someone's
    assert (tmp_path / STALE).exists()
    with write.locked(tmp_path):
        write.replace_atomically(target, b"y", based_on=b"x")
    assert not (tmp_path / STALE).exists() and target.read_bytes() == b"y"


def test_python_m_tfcli_runs_the_same_entry_as_the_console_script() -> None:
    from conftest import ROOT

    module, func = _console_script()
    main = (ROOT / "tfcli" / "__main__.py").read_text()
    assert (module, func, main) == (
        "tfcli.entry",
        "main",
        "from tfcli.entry import main\n\nmain()\n",
    )


def test_a_lock_that_is_a_symbolic_link_is_refused_with_a_hint(
    seed_repo: Path, tf: Callable[..., Result]
) -> None:
    write.state_dir(seed_repo)
    (seed_repo / ".tf" / "lock").symlink_to(seed_repo / "elsewhere")
    r = tf("new-meeting", "--date", "2022-07-08", cwd=seed_repo)
    assert (r.code, r.err) == (
        3,
        "tf: .tf/lock is a symbolic link, not tf's lock file; nothing was written "
        "(delete .tf/lock: tf makes its lock file itself)\n",
    )
    assert not (seed_repo / "elsewhere").exists()
