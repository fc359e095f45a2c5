"""The quick path (tfcli/quick.py): a warm `tf actions --format json`, and the table listing
on a pipe, answered before the Typer app is imported. Whatever the command line and the environment, tf answers as the app
alone (TF_QUICK=off) answers: the same stdout, stderr, exit status and output file."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_actions_cli
from conftest import SEED, run_tf
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_actions_cli import Tf
from test_startup import HEAVY, _imported, _top

from tfcli import index, quick, term
from tfcli.cli.app import app
from tfcli.quick import Listing

tf = test_actions_cli.tf  # the in-process `tf` fixture: tfcli.cli.main, quick path first
APP = {"TF_QUICK": "off"}
TODAY = "2022-07-25"


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Files just written are trusted by their times at once (as in a repo where they were
    written a while ago); records whether the quick path answered each run."""
    monkeypatch.setattr(index, "RACY_NS", -(10**15))
    got: list[bool] = []
    real = quick.answered

    def answered(argv: list[str]) -> bool:
        try:
            done = real(argv)
        except BaseException:  # --exit-code, or an error of the store's: answered too
            got.append(True)
            raise
        got.append(done)
        return done

    monkeypatch.setattr(quick, "answered", answered)
    yield got


@pytest.fixture
def warm(tracker: Path, tf: Tf, answers: list[bool]) -> Path:
    """The seed repo with follow-ups, its .tf/listing written."""
    tf("actions", "--format", "json", "--today", TODAY, cwd=tracker, env={"TF_INDEX": "on"})
    answers.clear()
    return tracker


def _both(tf: Tf, root: Path, args: list[str], env: dict[str, str]) -> tuple[object, object]:
    """The quick path's and the app's answers: (exit status, stdout, stderr, output file)."""
    got = []
    env = {"TF_INDEX": "on", **env}  # the fixture keeps TF_INDEX from run to run
    for extra in ({}, APP):
        out = root / "out.json"
        out.unlink(missing_ok=True)
        r = tf(*args, cwd=root, env={**env, **extra})
        got.append((r.code, r.out, r.err, out.read_bytes() if out.exists() else None))
    return got[0], got[1]


QUICK = [
    ["actions", "--format", "json"],
    ["actions", "--overdue", "--format", "json", "--today", TODAY],
    ["actions", "-f", "json", "--due-within", "7", "--today", TODAY],
    ["actions", "--format=json", "--due-within=0", "--today=2022-07-08"],
    ["actions", "--status", "open", "--status", " In-Progress ", "-f", "json"],
    ["actions", "--overdue", "--exit-code", "-f", "json", "--today", TODAY],
    ["actions", "--exit-code", "-f", "json", "--today", "2022-06-01", "--overdue"],
    ["actions", "-f", "json", "-o", "out.json", "--no-pager", "--color", "never"],
    ["actions", "-f", "json", "--output=out.json", "--colour", "always", "--due-within", "007"],
    ["actions", "--format", "json", "--today", "2022-02-30"],  # the store's own usage error
    ["actions", "--format", "json", "--today", "next week"],
    # Closed ones are not kept in .tf/listing: the actions read, by the command's functions.
    ["actions", "--format", "json", "--status", "done"],
    # The table (the default format): by the command's own function, whatever the store holds.
    ["actions"],
    ["actions", "-f", "table"],
    ["actions", "--format", "table", "--overdue", "--today", TODAY],
    ["actions", "--format=table", "--status", "done", "--today", TODAY],
    ["actions", "--status", "done", "--status", "dropped", "--exit-code"],
    ["actions", "--overdue", "--exit-code", "--today", TODAY, "--no-pager"],
    ["actions", "--due-within", "7", "--today", TODAY, "--colour", "always"],
    ["actions", "-o", "out.json", "--color", "always", "--today", TODAY],
    ["actions", "--output=out.json", "--color=never", "--status", "in-progress"],
    ["actions", "--status", "closed"],  # the app's usage error, said by the same function
    ["actions", "--today", "next week"],
    ["actions", "--today", "2022-02-30", "--format", "table"],
]
APP_ONLY = [
    ["actions", "--format", "Table"],
    ["actions", "-f", "csv"],
    ["actions", "-f", "markdown", "--overdue"],
    ["actions", "-f", "table", "-f", "table"],
    ["actions", "--owner", "UNHCR"],
    ["actions", "--all"],
    ["actions", "--summary"],
    ["actions", "--color", "ALWAYS"],
    ["actions", "--status", ""],
    ["actions", "--format", "JSON"],  # click's choice ignores case: the app decides
    ["actions", "-fjson"],
    ["actions", "-f=json"],
    ["actions", "--format", "json", "--format", "json"],
    ["actions", "--format", "json", "--overdue=yes"],
    ["actions", "--format", "json", "--overdu"],
    ["actions", "--format", "json", "--today", ""],
    ["actions", "--format", "json", "--today", "--overdue"],
    ["actions", "--format", "json", "--due-within", "3651"],
    ["actions", "--format", "json", "--due-within", "-1"],
    ["actions", "--format", "json", "--due-within", "\u0663"],  # a digit, not an ASCII one
    ["actions", "--format", "json", "--all"],
    ["actions", "--format", "json", "--owner", "UNHCR"],
    ["actions", "--format", "json", "--color", "Never"],
    ["actions", "--format", "json", "--help"],
    ["actions", "--format", "json", "--"],
    ["actions", "--format", "json", "show", "2022-06-24/1"],
    ["--no-pager", "actions", "--format", "json"],
    ["list", "--format", "json"],
]


@pytest.mark.parametrize("args", QUICK + APP_ONLY, ids=" ".join)
def test_quick_answers_exactly_what_the_app_answers(
    tf: Tf, warm: Path, answers: list[bool], args: list[str]
) -> None:
    quick_run, app_run = _both(tf, warm, args, {})
    assert quick_run == app_run
    assert answers == [args in QUICK, False]  # and TF_QUICK=off leaves it to the app
    assert app_run[1] or app_run[2]  # every case says something


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize(
    "env",
    [
        {"TF_INDEX": "off"},  # nothing kept: the minutes loaded
        {"TF_TODAY": "2022-07-08"},
        {"TF_TODAY": "soon"},
        {"NO_COLOR": "", "FORCE_COLOR": "1"},
        {"NO_COLOR": "1", "CLICOLOR_FORCE": "1"},
        {"CLICOLOR_FORCE": "1", "COLUMNS": "50"},
        {"COLUMNS": "40"},  # a pipe: every column, one action per line, whatever the width
        {"COLUMNS": "200", "LINES": "5"},
        {"COLUMNS": "nonsense"},
        {"_TF_COMPLETE": ""},
    ],
    ids=str,
)
def test_the_environment_changes_nothing(
    tf: Tf, warm: Path, answers: list[bool], env: dict[str, str], fmt: str
) -> None:
    args = ["actions", "--overdue", "--format", fmt]
    quick_run, app_run = _both(tf, warm, args, env)
    assert quick_run == app_run
    # Without the index too: the minutes loaded as the app loads them.
    assert answers[0] is ("_TF_COMPLETE" not in env)


OPTIONS = [
    "--overdue", "--exit-code", "--no-pager", "--all", "--summary", "--help", "-h", "--",
    "--due-within", "--status", "--format", "-f", "--today", "--output", "-o", "--color",
    "--colour", "--owner", "--meeting", "--search", "--by", "--eml", "--overdu", "--Overdue",
]  # fmt: skip
VALUES = [
    "json", "JSON", "csv", "table", "github", "open", "in-progress", " In-Progress ", "done",
    "", " ", "0", "7", "007", "3650", "3651", "-1", "\u0663", "2022-07-09", "2022-13-01",
    "soon", "out.json", "never", "always", "Never", "purple", "owner", "UNHCR", "show",
    "2022-06-24/1", "=json", "\udcff",
]  # fmt: skip
# The listing's options as the quick path takes them, each name with values it may be given.
GOOD = {
    "--due-within": ["0", "3", "7", "30", "007", "3650"],
    "--status": ["open", "in-progress", " In-Progress ", "OPEN", "done", "dropped"],
    "--today": ["2022-06-01", "2022-07-08", "2022-07-09", TODAY, "2031-01-01"],
    "--output": ["out.json"],
    "-o": ["out.json"],
    "-f": ["table"],
    "--color": ["auto", "always", "never"],
    "--colour": ["never"],
}
FLAGS = ["--overdue", "--exit-code", "--no-pager"]


@st.composite
def _good(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from([*FLAGS, *GOOD]))
    if name in FLAGS:
        return [name]
    value = draw(st.sampled_from(GOOD[name]))
    joined = name.startswith("--") and draw(st.booleans())
    return [f"{name}={value}"] if joined else [name, value]


NOISE = st.one_of(
    st.sampled_from(OPTIONS).map(lambda t: [t]),
    st.sampled_from(VALUES).map(lambda t: [t]),
    st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES)).map(list),
    st.tuples(st.sampled_from(OPTIONS), st.sampled_from(VALUES)).map(lambda t: ["=".join(t)]),
)
# Mostly command lines the quick path may answer; some with a token that it must not.
ARGV = st.lists(st.one_of(_good(), _good(), _good(), NOISE), max_size=5).map(
    lambda parts: [t for part in parts for t in part]
)
FORMATS = [
    *(["-f", "json"], ["--format=json"], ["--format", "json"], ["-f", "csv"], []),
    *(["-f", "table"], ["--format=table"], ["--format", "table"]),
]
ENVS = [
    *({}, {}, {"TF_INDEX": "off"}, {"TF_TODAY": "2022-07-09"}),
    *({"COLUMNS": "30"}, {"FORCE_COLOR": "1", "COLUMNS": "120"}),
]


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    head=st.sampled_from(["actions"] * 6 + ["list", "-C"]),
    repo=st.sampled_from([[]] * 4 + [["-C", "."], ["--repo=."], ["-C", "minutes"], ["-C", "-f"]]),
    argv=ARGV,
    fmt=st.sampled_from(FORMATS),
    at=st.integers(0, 5),
    env=st.sampled_from(ENVS),
)
def test_any_command_line_gets_the_apps_answer(
    tf: Tf,
    warm: Path,
    answers: list[bool],
    head: str,
    repo: list[str],
    argv: list[str],
    fmt: list[str],
    at: int,
    env: dict[str, str],
) -> None:
    args = [*repo, head, *argv[:at], *fmt, *argv[at:]]
    answers.clear()
    quick_run, app_run = _both(tf, warm, args, env)
    assert quick_run == app_run, args
    event(f"answered by the quick path: {answers[0]}")


def test_a_terminal_on_stdout_is_left_to_the_app(
    warm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the pager decides how the output is shown: the app's rules."""

    class Terminal:
        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            raise AssertionError("the quick path wrote to the terminal")

    monkeypatch.chdir(warm)
    monkeypatch.delenv("TF_QUICK", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert quick.answered(["actions", "--format", "json", "--today", TODAY]) is False
    assert quick.answered(["actions", "--today", TODAY]) is False
    assert quick.answered(["actions", "-o", "out.txt"]) is False  # a file: the app's, too


def test_without_sigpipe_a_closed_pipe_is_left_to_the_app(
    warm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no SIGPIPE (Windows), a reader that goes away is click's to report."""
    monkeypatch.chdir(warm)
    monkeypatch.delenv("TF_QUICK", raising=False)
    args = ["actions", "--format", "json", "--today", TODAY]
    assert quick.parse(args) is not None
    monkeypatch.delattr(signal, "SIGPIPE")
    assert quick.answered(args) is False


def test_its_names_and_limits_are_those_of_the_listing() -> None:
    """The quick path's table of options: names the listing has, with its limits."""
    import typer

    from tfcli.cli.termopts import options

    listing = typer.main.get_command(app).commands["actions"]  # type: ignore[attr-defined]
    params = [*listing.params, *options()]  # --color and --no-pager: added to every command
    names = {name: p for p in params for name in p.opts + p.secondary_opts}
    assert set(quick._FLAGS) | set(quick._VALUES) <= set(names)
    assert {n for n, p in names.items() if getattr(p, "is_flag", False)} >= set(quick._FLAGS)
    assert names["--due-within"].type.max == quick._MOST_DAYS
    assert quick._COLORS == term.COLOR_CHOICES
    assert quick.parse(["actions", "-f", "json", "-o", "x", "--status", "a", "--status", "b"])
    got = quick.parse(["actions", "-f", "json", "-o", "x", "--status", "a", "--status", "b"])
    assert isinstance(got, Listing) and got.status == ["a", "b"] and got.output == Path("x")


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed repo whose .tf/listing a real tf trusts: its files are older than
    the index's margin (index.RACY_NS), as in a repo cloned a while ago. Read-only."""
    root = tmp_path_factory.mktemp("kept")
    shutil.copytree(SEED, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".tf"))
    time.sleep(index.RACY_NS / 1e9 + 0.1)
    run_tf("actions", "--format", "json", cwd=root, env={"TF_INDEX": "on"})
    return root


def test_a_warm_quick_run_imports_neither_typer_nor_yaml(kept: Path, tmp_path: Path) -> None:
    args = ["actions", "--overdue", "--format", "json", "--today", TODAY]
    modules = _imported(args, kept, tmp_path / "modules.json")
    assert {"tfcli.quick", "tfcli.listing_store"} <= modules  # it ran, and the store answered
    assert not _top(modules) & ({"typer", "click"} | HEAVY)
    assert not {m for m in modules if m.startswith("tfcli.cli")}
    table = _imported(["actions", "--overdue", "--today", TODAY], kept, tmp_path / "modules.json")
    assert {"tfcli.quick", "tfcli.action_report", "tfcli.table"} <= table  # the table, here
    assert not _top(table) & ({"typer", "click"} | HEAVY)
    assert not {m for m in table if m.startswith("tfcli.cli")}
    app_run = _imported(["actions", "--format", "csv"], kept, tmp_path / "modules.json")
    assert "typer" in _top(app_run)  # the measurement sees Typer where the app runs


def test_ctrl_c_in_the_quick_path_ends_quietly(kept: Path) -> None:
    # SIGINT exactly while the store's modules load, into the console script.
    script = (
        "import os, signal, sys\n"
        "class Hook:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tfcli.listing_store':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Hook())\n"
        "sys.argv = ['tf', 'actions', '--format', 'json']\n"
        "from tfcli.entry import main\n"
        "sys.exit(main())\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", script], cwd=kept, capture_output=True, text=True, timeout=60
    )
    assert (p.returncode, p.stdout, p.stderr) == (-signal.SIGINT, "", "")


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("extra", [[], ["--exit-code", "--overdue"]])
def test_under_github_actions_too(kept: Path, extra: list[str], fmt: str) -> None:
    """The CI guard of stdout and stderr (ci_guard.guard_ci_streams) wraps the quick path."""
    args = ["actions", "--format", fmt, "--today", TODAY, *extra]
    env = {"GITHUB_ACTIONS": "true", "TF_INDEX": "on"}
    got = run_tf(*args, cwd=kept, env=env)
    assert got == run_tf(*args, cwd=kept, env={**env, **APP})
    head = "[\n" if fmt == "json" else "ID  "
    assert got.code == (1 if extra else 0) and got.out.startswith(head)


# `-C DIR` / `--repo DIR` before `actions`, run from the repo's parent ({repo}: its name).
REPO_QUICK = [
    ["-C", "{repo}", "actions", "--format", "json", "--today", TODAY],
    ["--repo", "{repo}", "actions", "--overdue", "-f", "json", "-o", "out.json"],
    ["--repo={repo}", "actions", "-f", "json", "--exit-code", "--overdue", "--today", TODAY],
    ["-C", "{repo}/minutes/..", "actions", "-f", "json"],
    ["-C", "{repo}", "actions", "--format", "json", "--today", "next week"],  # the store's error
    ["-C", "{repo}", "actions", "--today", TODAY],
    ["--repo={repo}", "actions", "-o", "out.json", "--overdue", "--today", TODAY],
    ["-C", "{repo}/minutes", "actions"],  # no tf.yml there: the app's error, the same words
    ["-C", "{repo}/minutes", "actions", "-f", "json"],  # the same
]
REPO_APP = [
    ["-C", "nowhere", "actions", "-f", "json"],
    ["-C", "{repo}/tf.yml", "actions", "-f", "json"],
    ["-C", "{repo}/tf.yml/", "actions", "-f", "json"],
    ["-C", "{repo}", "-C", "{repo}", "actions", "-f", "json"],
    ["-C{repo}", "actions", "-f", "json"],
    ["-C", "", "actions", "-f", "json"],
    ["--repo=", "actions", "-f", "json"],
    ["-C", "--overdue", "actions", "-f", "json"],
    ["-C", "{repo}", "--version"],
    ["-C", "{repo}", "list", "--format", "json"],
    ["-C", "{repo}", "actions", "--format", "csv"],
    ["-C"],
]


@pytest.mark.parametrize("args", REPO_QUICK + REPO_APP, ids=" ".join)
def test_a_repo_option_gets_the_apps_answer(
    tf: Tf, warm: Path, answers: list[bool], args: list[str]
) -> None:
    """From the repo's parent: the same answer, written to the same place (`-o` is relative
    to DIR), and tf back where it started when the app answers."""
    argv = [a.replace("{repo}", warm.name) for a in args]
    got = []
    for extra in ({}, APP):
        (warm / "out.json").unlink(missing_ok=True)
        r = tf(*argv, cwd=warm.parent, env={"TF_INDEX": "on", **extra})
        out = warm / "out.json"
        got.append((r.code, r.out, r.err, out.read_bytes() if out.exists() else None))
    assert got[0] == got[1]
    assert answers == [args in REPO_QUICK, False]
    assert got[1][1] or got[1][2] or got[1][3]


@pytest.mark.parametrize("store", ["none", "not kept"])
def test_a_listing_the_store_cannot_answer_is_the_apps(
    tf: Tf, warm: Path, answers: list[bool], monkeypatch: pytest.MonkeyPatch, store: str
) -> None:
    """No kept listing that answers (a first run, or rows that cannot be kept): the quick
    path loads the minutes in DIR (`-C DIR`, relative to where tf started) and answers as
    the app does, by the command's functions."""
    from tfcli import listing_store

    monkeypatch.setattr(listing_store, "answer", lambda *a: None)
    if store == "not kept":
        monkeypatch.setattr(listing_store, "_payload", lambda *a: None)
    argv = ["-C", warm.name, "actions", "-f", "json", "--today", TODAY, "--overdue"]
    got = [tf(*argv, cwd=warm.parent, env={"TF_INDEX": "on", **e}) for e in ({}, APP)]
    assert got[0] == got[1] and got[0].out.startswith("[\n  {") and answers == [True, False]


def test_each_run_starts_from_the_default_colour(tf: Tf, warm: Path, answers: list[bool]) -> None:
    """In one process (as tests run tf): a colour given to an earlier run is not kept."""
    painted = tf("actions", "--color", "always", "--today", TODAY, cwd=warm, env=APP)
    assert "\x1b[" in painted.out
    plain = tf("actions", "--today", TODAY, cwd=warm, env={"TF_INDEX": "on"})
    assert answers[-1] is True and "\x1b[" not in plain.out and plain.out.startswith("ID  ")
