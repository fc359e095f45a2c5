"""`tf render` run before the Typer app (tfcli/quick_render.py): whatever the command line, tf
answers as the app alone (TF_QUICK=off) answers: the same stdout, stderr, exit status and site,
and the quick path answers only the command lines it names."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Tf
from test_startup import _imported, _top

from tfcli import quick_render

APP = {"TF_QUICK": "off"}
QUICK = [
    ["render", "--out", "{out}"],
    ["render", "-o", "{out}", "--no-cache"],
    ["render", "--out={out}", "--include-restricted", "--today", "2022-07-25"],
    ["render", "--today=2022-07-25", "--no-cache", "--out", "{out}", "--include-restricted"],
    ["render", "--out", "{out}", "--today", "2022-13-01"],  # the same error, from the same code
    ["render", "--out", "{out}", "--today", " 2022-07-25"],
]
APP_ONLY = [
    ["render", "--out", "{out}", "--jobs", "1"],
    ["render", "--out", "{out}", "-o", "{out}"],
    ["render", "--no-cache", "--no-cache", "--out", "{out}"],
    ["render", "--out"],
    ["render", "--out", "-x"],
    ["render", "--no-cache=1", "--out", "{out}"],
    ["render", "--today", "", "--out", "{out}"],
    ["render", "-o{out}"],
    ["render", "--help"],
    ["render", "--color", "never", "--out", "{out}"],
    ["render", "--", "--out", "{out}"],
]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether the quick path answered each run."""
    got: list[bool] = []
    real = quick_render.answered

    def answered(args: list[str]) -> bool:
        try:
            done = real(args)
        except BaseException:  # an error of the command's: answered too
            got.append(True)
            raise
        got.append(done)
        return done

    monkeypatch.setattr(quick_render, "answered", answered)
    yield got


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("args", QUICK + APP_ONLY, ids=" ".join)
def test_the_quick_path_answers_as_the_app(
    tf: Tf, tracker: Path, answers: list[bool], args: list[str]
) -> None:
    out = tracker / "site"
    argv = [a.replace("{out}", str(out)) for a in args]
    got = []
    there = set(tracker.iterdir())
    for extra in ({}, APP):
        for made in set(tracker.iterdir()) - there:  # (`--out -x` is a folder "-x" to click)
            shutil.rmtree(made)
        shutil.rmtree(tracker / ".tf", ignore_errors=True)  # the same cache for both
        r = tf(*argv, cwd=tracker, env=extra)
        got.append((r.code, r.out, r.err, _files(out) if out.exists() else None))
    assert got[0] == got[1]
    assert answers == [args in QUICK]
    assert got[0][1] or got[0][2]  # something was said


def test_a_rebuild_by_either_path_is_the_same(tf: Tf, tracker: Path, answers: list[bool]) -> None:
    """A build by the app, then a patch by the quick path, and the other way round."""
    out = tracker / "site"
    for first, then in ((APP, {}), ({}, APP)):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(tracker / ".tf", ignore_errors=True)
        assert tf("render", "--out", str(out), cwd=tracker, env=first).code == 0
        with (tracker / "minutes" / "2022-06-24-anti-trafficking-task-force.md").open("a") as f:
            f.write("One more line.\n")
        r = tf("render", "--out", str(out), cwd=tracker, env=then)
        assert (r.code, r.out) == (0, "site\n") and " 2 of 41 files changed" in r.err, r.err
    assert answers == [True, True]  # (with TF_QUICK=off the quick path is not asked)


def test_the_path_printed_as_typer_prints_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer

    for text in ("site", "/tmp/a b/site", "sité", "a\x1b[31mred\x1b[0m", "tab\there"):
        quick_render._echo(text)
        mine = capsys.readouterr().out
        typer.echo(text)
        assert mine == capsys.readouterr().out


def test_a_quick_render_imports_no_typer(tracker: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "site")
    modules = _imported(["render", "--out", out], tracker, tmp_path / "modules.json")
    assert "tfcli.quick_render" in modules and "jinja2" in _top(modules)  # it rendered
    assert not _top(modules) & {"typer", "click"}
    assert not {m for m in modules if m.startswith("tfcli.cli")}
    app_run = _imported(["render", "--out", out, "--jobs", "1"], tracker, tmp_path / "m.json")
    assert "typer" in _top(app_run)  # the measurement sees Typer where the app runs


def test_the_cycle_collector_is_off_until_the_minutes_load(
    tf: Tf, quiet_tracker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patch runs without Python's cycle collector; a full build loads and renders with it,
    and it is on again after tf render, by either path."""
    import gc

    from tfcli import reading
    from tfcli.site import state

    seen: list[tuple[str, bool]] = []
    load, patched = reading.load_repo, state.patched
    monkeypatch.setattr(
        reading, "load_repo", lambda: seen.append(("load", gc.isenabled())) or load()
    )
    monkeypatch.setattr(
        state, "patched", lambda r: seen.append(("patch", gc.isenabled())) or patched(r)
    )
    tracker = quiet_tracker
    out = tracker / "site"
    for extra in ({}, APP):
        shutil.rmtree(tracker / ".tf", ignore_errors=True)
        seen.clear()
        assert tf("render", "--out", str(out), cwd=tracker, env=extra).code == 0
        assert seen == [("load", True)] and gc.isenabled()  # no record yet: a full build
        with (tracker / "minutes" / "2022-06-24-anti-trafficking-task-force.md").open("a") as f:
            f.write("One more line.\n")
        seen.clear()
        assert tf("render", "--out", str(out), cwd=tracker, env=extra).code == 0
        assert seen == [("patch", False)] and gc.isenabled()  # the body patched
