"""Caches written behind the answer (tfcli.behind): a forked child writes the index's shards
and .tf/tracked while tf answers; tf waits for it before it exits, Ctrl-C or SIGTERM end it
with nothing half-written, and no process outlives tf, even one killed outright."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_tf
from test_parallel import GOOD, _entries, _repo

from tfcli import behind

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/stat").exists(), reason="fork, Linux /proc"
)

ARGS = ["actions", "--overdue", "--format", "json", "--today", "2022-06-30"]
# tf, with the first write of a child (never tf's own) paused before its rename: FLAG is
# created and the child sleeps for WAIT seconds (or until a signal ends it).
SCRIPT = """
import os, sys, time
tf = os.getpid()
real = os.replace
def replace(a, b):
    if os.getpid() != tf and not os.path.exists(os.environ["FLAG"]):
        open(os.environ["FLAG"], "a").close()
        time.sleep(float(os.environ["WAIT"]))
    return real(a, b)
os.replace = replace
sys.argv = ["tf", *sys.argv[1:]]
from tfcli.entry import main
main()
"""


def _clean(root: Path, count: int) -> Path:
    """A repo whose every file is a meeting (.tf/tracked is kept only then)."""
    (root / "minutes").mkdir(parents=True)
    (root / "tf.yml").write_text("name: Behind Task Force\n")
    prev = "2021-12-31"
    for n in range(count):
        day = f"2022-{1 + n // 28:02d}-{1 + n % 28:02d}"
        text = GOOD.format(day=day, n=n, due=f"2022-{1 + n // 28:02d}-28", prev=prev)
        (root / "minutes" / f"{day}-m.md").write_text(text.replace("-1, status", "/1, status"))
        prev = day
    return root


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    return {**env, "NO_COLOR": "1", "TF_INDEX": "on", "TF_JOBS": "2", **extra}


def _group(pgid: int) -> list[str]:
    """The processes of process group `pgid` still there (zombies too)."""
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            left.append(f"{stat.parent.name} {fields[0]}")
    return left


def _temps(root: Path) -> list[str]:
    return sorted(
        f.name for f in (root / ".tf").iterdir() if f.name.startswith(".") and "-" in f.name
    )


def _start(root: Path, tmp: Path, wait: float) -> tuple[subprocess.Popen[str], Path]:
    flag = tmp / "writing"
    p = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *ARGS],
        cwd=root,
        env=_env(FLAG=str(flag), WAIT=str(wait)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: a terminal's foreground job
    )
    return p, flag


def _gone(pgid: int) -> list[str]:
    deadline = time.monotonic() + 20
    while (left := _group(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_tf_waits_for_what_it_writes_behind(tmp_path: Path) -> None:
    """The answer is the one of one process and of no index; when tf has ended, the caches
    are whole (the index entry for entry a serial run's) and no process is left."""
    root = _repo(tmp_path / "repo", 40)
    serial = run_tf(*ARGS, cwd=root, env={"TF_INDEX": "on", "TF_JOBS": "1"})
    index = _entries(root)
    shutil.rmtree(root / ".tf")
    p, flag = _start(root, tmp_path, 1.0)  # each child's write takes a second
    out, err = p.communicate(timeout=60)
    assert flag.exists()  # written behind, and waited for
    assert (p.returncode, out, err) == (serial.code, serial.out, serial.err)
    assert _group(p.pid) == [] and _temps(root) == []
    assert _entries(root) == index
    off = run_tf(*ARGS, cwd=root, env={"TF_INDEX": "off"})
    assert (off.code, off.out, off.err) == (serial.code, serial.out, serial.err)


@pytest.mark.parametrize("how", ["group", "tf", "kill"])
def test_an_interrupted_write_behind_leaves_nothing(tmp_path: Path, how: str) -> None:
    """Ctrl-C (the whole group), SIGTERM to tf alone, or tf killed outright while a child
    writes: the child ends at once, its temp file removed; no process is left; the next run
    answers as ever."""
    root = _repo(tmp_path / "repo", 40)
    p, flag = _start(root, tmp_path, 60.0)
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert p.poll() is None, p.communicate()
        assert time.monotonic() < deadline, "nothing was written behind"
        time.sleep(0.02)
    if how == "group":
        os.killpg(p.pid, signal.SIGINT)
    elif how == "tf":
        os.kill(p.pid, signal.SIGTERM)
    else:
        os.kill(p.pid, signal.SIGKILL)
    try:
        p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        pytest.fail("tf did not end")
    expected = {"group": -signal.SIGINT, "tf": -signal.SIGTERM, "kill": -signal.SIGKILL}[how]
    assert p.returncode == expected
    assert _gone(p.pid) == []  # the kernel ends the child of a killed tf (parent-death signal)
    assert _temps(root) == []
    again = run_tf(*ARGS, cwd=root, env={"TF_INDEX": "on"})
    off = run_tf(*ARGS, cwd=root, env={"TF_INDEX": "off"})
    assert again == off


def test_two_cold_runs_at_once(tmp_path: Path) -> None:
    """Two first runs at once, each writing behind: both answer as one process does, and
    the index they leave is whole."""
    root = _repo(tmp_path / "repo", 60)
    serial = run_tf(*ARGS, cwd=root, env={"TF_INDEX": "on", "TF_JOBS": "1"})
    index = _entries(root)
    shutil.rmtree(root / ".tf")
    cmd = [sys.executable, "-m", "tfcli", *ARGS]
    runs = [
        subprocess.Popen(cmd, cwd=root, env=_env(), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for r in runs:
        assert r.communicate(timeout=60)[0] == serial.out and r.returncode == serial.code
    assert _entries(root) == index and _temps(root) == []


def test_in_one_process_no_child_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """tf run in this process (as the in-process tests run it): its children are reaped
    before it returns; outside a run, nothing forks."""
    from tfcli import index
    from tfcli.cli import main

    root = _clean(tmp_path / "repo", 30)
    monkeypatch.setattr(index, "RACY_NS", -(10**15))  # files just written trusted: all kept
    monkeypatch.chdir(root)
    monkeypatch.setenv("TF_JOBS", "2")
    monkeypatch.setenv("TF_INDEX", "on")
    forked: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(sys, "argv", ["tf", *ARGS])
    main()
    assert capsys.readouterr().out.startswith("[\n  {")
    assert len(forked) == 3  # the worker, the index's shards, .tf/tracked
    assert behind.pending() == 0
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    done: list[int] = []
    behind.run(lambda: done.append(1), 5000)  # outside a run: here, at once
    assert done == [1] and len(forked) == 3
