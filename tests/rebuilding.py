"""What the rebuild tests (tests/test_render_rebuild*.py) share (with the fixtures
`trusted_tracker` and `quiet_tracker` of conftest.py): `tf render` as the command
runs it, telling whether the minutes were loaded and which rebuild path answered; the
comparison with a clean build, file by file; the tracker repo made ready (trusted times, tf in
it, no warning); a copy of it for a random test's examples."""

from __future__ import annotations

import contextlib
import importlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from test_render_cache import SECOND, TODAY, edit, files

from tfcli import index
from tfcli.load import load_config, load_repo
from tfcli.site import Result, build, state
from tfcli.site.policy import Policy

# Rebuild paths by name, as Built.by tells them (modules of state.PATHS).
BODY, FIELDS, FOLLOWUPS = "tfcli.site.patch", "tfcli.site.fields", "tfcli.site.followups"
ADDED = "tfcli.site.added"
FULL = "the full build"


class Built:
    """A build's result; `loaded`: the minutes were loaded (a full build); `by`: the rebuild
    path that patched the site (a module of state.PATHS), None when none did."""

    def __init__(self, result: Result, loaded: bool, said: list[str], by: str | None) -> None:
        self.result, self.loaded, self.said, self.by = result, loaded, said, by


@contextlib.contextmanager
def _watched(took: list[str]) -> Iterator[None]:
    """Each rebuild path's `patch` wrapped to note its module's name when it answers."""
    kept: list[tuple[Any, Any]] = []

    def wrap(name: str, real: Callable[[state.Rebuild], Result | None]) -> Any:
        def patch(r: state.Rebuild) -> Result | None:
            got = real(r)
            if got is not None:
                took.append(name)
            return got

        return patch

    try:
        for name in state.PATHS:
            module = importlib.import_module(name)
            kept.append((module, module.patch))
            module.patch = wrap(name, module.patch)
        yield
    finally:
        for module, real in kept:
            module.patch = real


def render(out: Path, today: date = TODAY, internal: bool = False, cache: bool = True) -> Built:
    """`tf render` as the command runs it (in the working directory's repo)."""
    loaded: list[bool] = []
    said: list[str] = []
    took: list[str] = []

    def load() -> object:
        loaded.append(True)
        return load_repo()

    def full(repo: object) -> Result:
        return build(repo, today, out, Policy(internal), jobs=1, use_cache=cache)  # type: ignore[arg-type]

    config, problems = load_config()
    with _watched(took):
        got = state.build(config, problems, today, out, internal, cache, full, load, said.append)  # type: ignore[arg-type]
    return Built(got, bool(loaded), said, took[0] if took else None)


def assert_clean(
    repo: Path, out: Path, tmp: Path, today: date = TODAY, internal: bool = False
) -> None:
    """`out` holds, file by file, what a clean build of `repo` writes."""
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(load_repo(repo), today, clean, Policy(internal), jobs=1, use_cache=False)
    got, want = files(out), files(clean)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name


def rebuilt(
    repo: Path,
    out: Path,
    tmp: Path,
    today: date = TODAY,
    internal: bool = False,
    by: str | None = "",
) -> Built:
    """A rebuild after an edit, as a clean build: patched (`by`: by that path; "": by any),
    a full build (`by` FULL), or either (None)."""
    got = render(out, today, internal)
    if by == FULL:
        assert got.loaded
        assert got.by is None
    elif by is not None:
        assert not got.loaded
        assert got.by is not None
        if by:
            assert got.by == by, got.by
    assert_clean(repo, out, tmp, today, internal)
    return got


def minutes(repo: Path, name: str) -> Path:
    return repo / "minutes" / name


def change(name: str, old: str, new: str) -> Callable[[Path], None]:
    """`old` replaced by `new` (once) in minutes file `name`."""
    return lambda repo: edit(minutes(repo, name), old, new)


def no_warning(repo: Path) -> None:
    """A file loaded with a warning is always loaded again: SECOND's action gets a deadline."""
    edit(
        minutes(repo, SECOND),
        "    owner: [UNHCR, IOM]\n",
        "    owner: [UNHCR, IOM]\n    due: 2022-07-29\n",
    )


def trust(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    """Minutes written a moment ago trusted by their times (a real repo's are older than the
    index's two seconds); tf run in `repo`."""
    monkeypatch.setattr(index, "RACY_NS", 0)
    monkeypatch.chdir(repo)


@contextlib.contextmanager
def copied(tracker: Path, monkeypatch: pytest.MonkeyPatch, prefix: str) -> Iterator[Path]:
    """A fresh copy of the tracker repo (without .tf) for one example of a random test, tf run
    in it; its folder (the repo is `repo` in it) removed after."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        shutil.copytree(tracker, work / "repo", ignore=shutil.ignore_patterns(".tf"))
        monkeypatch.chdir(work / "repo")
        yield work
    finally:
        monkeypatch.chdir(tracker)
        shutil.rmtree(work, ignore_errors=True)


def examples(n: int) -> Callable[[Any], Any]:
    """A random rebuild test's settings: `n` examples, each a few builds (slow, and the
    tracker fixture is made once for all of them: each example works on a copy)."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def edited(
    repo: Path,
    tmp: Path,
    changes: Iterable[Callable[[Path], None]],
    today: date = TODAY,
    internal: bool = False,
    by: str | None = "",
) -> Path:
    """A site built into `tmp`/site, `changes` made, rebuilt as `rebuilt` checks: the site."""
    out = tmp / "site"
    render(out, today, internal)
    for one in changes:
        one(repo)
    rebuilt(repo, out, tmp, today, internal, by)
    return out


def all_at_once(repo: Path, folders: list[Path], today: date = TODAY) -> None:
    """`tf render` into each folder, by processes started together."""
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "tfcli", "render", "--today", today.isoformat(), "--out"]
    procs = [subprocess.Popen([*cmd, str(f)], cwd=repo, stderr=subprocess.PIPE) for f in folders]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
