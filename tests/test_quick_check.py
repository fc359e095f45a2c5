"""The quick path for `tf check` (tfcli/quick.py): a command line whose parse is certain is
run before Typer is imported, by the command's own function (tfcli.check_run). Whatever the
command line and the environment, tf answers as the app alone (TF_QUICK=off) answers: the
same stdout, stderr and exit status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import test_actions_cli
import test_quick
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_actions_cli import Tf
from test_rows import MINUTES

from tfcli import quick
from tfcli.cli.app import app
from tfcli.cli.check_cmd import FORMATS

tf = test_actions_cli.tf  # the in-process `tf` fixture: tfcli.cli.main, quick path first
answers = test_quick.answers  # whether the quick path answered each run
APP = test_quick.APP


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repo with problems of every kind (tests/test_rows.py), a draft and a summary file."""
    root = tmp_path / "repo"
    (root / "minutes" / "_drafts").mkdir(parents=True)
    (root / "tf.yml").write_text("group: G\norganisations: [IOM, UNHCR]\n")
    for name, text in MINUTES.items():
        (root / "minutes" / name).write_text(text)
    (root / "minutes" / "_drafts" / "2022-08-01-d.md").write_text(
        "---\ndate: 2022-08-01\nupdates:\n  - {action: 2022-06-24/7, status: done}\n---\n"
    )
    return root


def _both(tf: Tf, root: Path, args: list[str], env: dict[str, str]) -> tuple[object, object]:
    got = []
    summary = root / "summary.md"
    for extra in ({}, APP):
        summary.write_text("")
        r = tf(*args, cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary), **env, **extra})
        got.append((r.code, r.out, r.err, summary.read_text()))
    return got[0], got[1]


QUICK = [
    ["check"],
    ["check", "--today", "2022-07-25"],
    ["check", "--strict", "--format", "github", "--summary"],
    ["check", "-f", "json", "--today=2022-08-30"],
    ["check", "--format=text", "--show-source"],
    ["check", "--no-show-source", "minutes/2022-07-08-a.md"],
    ["check", "minutes", "--public"],
    ["check", "minutes/_drafts/2022-08-01-d.md", "minutes/2022-06-24-a.md"],
    ["check", "tf.yml"],
    ["check", "no-such-file.md"],  # the command's usage error
    ["check", "--today", "2022-02-30"],  # the same, from the dates
    ["check", "--today", "soon"],
]
APP_ONLY = [
    ["check", "--format", "JSON"],
    ["check", "--format", "csv"],
    ["check", "-fjson"],
    ["check", "--strict", "--strict"],
    ["check", "--strict=yes"],
    ["check", "--show-source", "--no-show-source"],
    ["check", "--today", ""],
    ["check", "--today", "--strict"],
    ["check", "--color", "never"],
    ["check", "--help"],
    ["check", "--", "-x.md"],
    ["check", ""],
    ["check", "--stric"],
    ["-C", ".", "check"],
]


@pytest.mark.parametrize("args", QUICK + APP_ONLY, ids=" ".join)
def test_quick_checks_exactly_as_the_app_checks(
    tf: Tf, repo: Path, answers: list[bool], args: list[str]
) -> None:
    for env in ({"TF_INDEX": "on"}, {"TF_INDEX": "on"}, {"TF_INDEX": "off"}):  # cold, warm
        answers.clear()
        quick_run, app_run = _both(tf, repo, args, env)
        assert quick_run == app_run
        assert answers == [args in QUICK, False]
        assert app_run[1] or app_run[2]


OPTIONS = [
    "--strict", "--summary", "--public", "--show-source", "--no-show-source", "--format", "-f",
    "--today", "--color", "--help", "--", "--stric", "-s",
]  # fmt: skip
VALUES = [
    "text", "json", "github", "JSON", "csv", "", " ", "2022-07-25", "2022-13-01", "soon",
    "minutes", "minutes/2022-07-08-a.md", "minutes/_drafts/2022-08-01-d.md", "tf.yml",
    "nothing.md", "=json", "-x", "never",
]  # fmt: skip
TOKEN = st.one_of(
    st.sampled_from(OPTIONS).map(lambda t: [t]),
    st.sampled_from(VALUES).map(lambda t: [t]),
    st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES)).map(list),
    st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES)).map(lambda t: ["=".join(t)]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    argv=st.lists(TOKEN, max_size=4).map(lambda parts: [t for p in parts for t in p]),
    env=st.sampled_from([{}, {"TF_INDEX": "off"}, {"TF_TODAY": "2022-07-09"}]),
)
def test_any_check_command_line_gets_the_apps_answer(
    tf: Tf, repo: Path, answers: list[bool], argv: list[str], env: dict[str, str]
) -> None:
    answers.clear()
    quick_run, app_run = _both(tf, repo, ["check", *argv], env)
    assert quick_run == app_run, argv
    event(f"answered by the quick path: {answers[0]}")


def test_its_names_are_those_of_the_command() -> None:
    import typer

    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    names = {name: p for p in command.params for name in p.opts + p.secondary_opts}
    assert set(quick._CHECK_FLAGS) | set(quick._CHECK_VALUES) <= set(names)
    flags = {n for n, p in names.items() if getattr(p, "is_flag", False)}
    assert flags >= set(quick._CHECK_FLAGS)
    assert tuple(f.value for f in FORMATS.allowed) == quick._CHECK_FORMATS


def test_a_terminal_on_stdout_is_left_to_the_app(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the source lines and colours are shown by the app's rules."""
    import sys

    class Terminal:
        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            raise AssertionError("the quick path wrote to the terminal")

    monkeypatch.chdir(repo)
    monkeypatch.delenv("TF_QUICK", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert quick.answered(["check"]) is False
    assert os.getcwd() == str(repo)
