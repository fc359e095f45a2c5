"""Shared test helpers: run the real CLI, compare against golden files.

Golden files are regenerated with `TF_REGEN_GOLDENS=1 pytest` (review the diff before committing).

Tests never read the live `minutes/` folder as a whole: the group keeps adding meetings there,
and the tool's tests must not break when it does. They use SEED, a pristine copy of the
repository's tf.yml, templates/ and the one seed meeting of 24 June 2022.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from hypothesis import settings

# Properties are about what comes out, not how fast: a busy CI machine must not fail them on
# hypothesis' default 200 ms deadline per example.
# In CI (.ci/run sets TF_CI) the examples are the same on every run, so a commit lands or not
# on its own merits; a developer's runs keep drawing new ones, and a failure found there is
# pinned with @example.
settings.register_profile("tf", deadline=None)
settings.register_profile("tf-ci", deadline=None, derandomize=True, database=None)
settings.load_profile("tf-ci" if os.environ.get("TF_CI") else "tf")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
REGEN = bool(os.environ.get("TF_REGEN_GOLDENS"))
SEED_FILE = "2022-06-24-anti-trafficking-task-force.md"


def _make_seed() -> Path:
    root = Path(tempfile.mkdtemp(prefix="tf-seed-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copy(ROOT / "tf.yml", root / "tf.yml")
    (root / "minutes").mkdir()
    shutil.copy(ROOT / "minutes" / SEED_FILE, root / "minutes" / SEED_FILE)
    if (ROOT / "templates").is_dir():
        shutil.copytree(ROOT / "templates", root / "templates")
    return root


SEED = _make_seed()  # read-only by convention: copy it (seed_repo) to change anything


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_tf(*args: str, cwd: Path | str = SEED, env: dict[str, str] | None = None) -> Result:
    """Run `python -m tfcli` as a user would: a real process, real exit code, real streams."""
    # TF_INDEX stays: `TF_INDEX=off pytest` runs every test without the index.
    keep = {k: v for k, v in os.environ.items() if k == "TF_INDEX"}
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    full_env.update(keep)
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"})
    full_env.update(env or {})
    p = subprocess.run(
        [sys.executable, "-m", "tfcli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    return Result(p.returncode, p.stdout, p.stderr)


def assert_golden(actual: str, name: str) -> None:
    """Compare with tests/golden/<name>; TF_REGEN_GOLDENS=1 rewrites it instead."""
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.exists(), f"missing golden {path}; run TF_REGEN_GOLDENS=1 pytest"
    assert actual == path.read_text(encoding="utf-8"), f"differs from golden {name}"


@pytest.fixture
def seed_repo(tmp_path: Path) -> Path:
    """A copy of the seed repo (tf.yml, the seed meeting, templates/) to change freely."""
    # As a fresh clone: without the index other tests left in SEED's .tf/.
    shutil.copytree(SEED, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".tf"))
    return tmp_path


@pytest.fixture
def tracker(seed_repo: Path) -> Path:
    """The seed repo plus two later meetings with follow-ups (tests/fixtures/actions)."""
    for f in (FIXTURES / "actions" / "minutes").iterdir():
        shutil.copy(f, seed_repo / "minutes" / f.name)
    return seed_repo


class Tf(Protocol):
    def __call__(self, *args: str, cwd: Path = ..., env: dict[str, str] | None = ...) -> Result: ...


@pytest.fixture(autouse=True)
def _fresh_cwd() -> Iterator[None]:
    """display_path caches the working directory (tfcli.paths._cwd, once per process in use):
    each test starts without the one an earlier test left, whatever it ran first."""
    from tfcli import paths

    paths._cwd.cache_clear()
    yield
    paths._cwd.cache_clear()


@pytest.fixture
def tf(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Tf]:
    """`tf ARGS` in this process (fast), through the real entry point and error boundary, with
    argv, working directory, environment and streams set up as run_tf does. (Some test modules
    keep a fixture of their own by this name.)"""
    from tfcli import paths
    from tfcli.cli import main

    def run(*args: str, cwd: Path = SEED, env: dict[str, str] | None = None) -> Result:
        monkeypatch.chdir(cwd)
        paths._cwd.cache_clear()  # display paths are relative to the working directory
        for k in [k for k in os.environ if k.startswith(("TF_", "GITHUB_")) and k != "TF_INDEX"]:
            monkeypatch.delenv(k)
        for k, v in {"NO_COLOR": "1", "COLUMNS": "200", **(env or {})}.items():
            monkeypatch.setenv(k, v)
        monkeypatch.setattr(sys, "argv", ["tf", *args])
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else int(e.code is not None)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    yield run
    monkeypatch.undo()
    paths._cwd.cache_clear()


@pytest.fixture
def trusted_tracker(monkeypatch: pytest.MonkeyPatch, tracker: Path) -> Path:
    """The tracker for the rebuild tests (tests/rebuilding.py): tf run in it, its minutes
    trusted by their times."""
    from rebuilding import trust

    trust(monkeypatch, tracker)
    return tracker


@pytest.fixture
def quiet_tracker(trusted_tracker: Path) -> Path:
    """`trusted_tracker` without a warning (a file loaded with one is always loaded again)."""
    from rebuilding import no_warning

    no_warning(trusted_tracker)
    return trusted_tracker
