"""Start-up: a command's module is imported and its click command built only when it runs
(tfcli/cli/lazy.py), and what tf shows (help, usage errors, completion) is the same as from
an app built whole. How fast it starts is measured by bench/startup.py, not here."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
import typer.testing
from conftest import ROOT, SEED

from tfcli import index
from tfcli.cli.app import app
from tfcli.cli.lazy import MODULES


def _whole() -> object:
    """The app as it was built before: every command module imported, every command built."""
    for module in dict.fromkeys(MODULES.values()):
        importlib.import_module(f"tfcli.cli.{module}")
    return typer.main.get_command(app)


def _lazy() -> object:
    """The app as a fresh `tf` builds it: no command registered yet when the group is made,
    so each is built on lookup (their modules are already imported here; the subprocess
    tests below check that a real run imports only its own)."""
    registered = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        return typer.main.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = registered


SUBCOMMANDS = ("show", "done", "start", "reopen", "drop", "due")
CASES: list[list[str]] = [
    [],
    ["-h"],
    ["--help"],
    ["--no-pager", "--help"],
    ["--version"],
    ["chekc"],  # a mistyped command: "Did you mean 'check'?" needs every name
    ["act"],
    ["--bogus"],
    ["-C"],
    ["--color", "purple", "check"],
    ["actions", "shw"],
    ["actions", "--overdue", "show", "2022-06-24/1"],
    ["actions", "--due-within", "many"],
    ["check", "--format", "nope"],
    ["completion", "tcsh"],
    *([name, "-h"] for name in MODULES),
    *([name, "--no-such-option"] for name in MODULES),
    *(["actions", sub, "--help"] for sub in SUBCOMMANDS),
    *(["actions", sub] for sub in SUBCOMMANDS),
]


def _run(group: object, args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit code, and what was written or raised (tf's own errors reach the CLI boundary)."""
    runner = typer.testing.CliRunner()
    real = typer.testing._get_command
    typer.testing._get_command = lambda _app: group  # type: ignore[assignment]
    try:
        r = runner.invoke(app, args, prog_name="tf", env={"COLUMNS": "100", **(env or {})})
    finally:
        typer.testing._get_command = real
    raised = "" if isinstance(r.exception, SystemExit | None) else repr(r.exception)
    return r.exit_code, r.output + raised


@pytest.fixture
def in_seed() -> Iterator[None]:
    here = Path.cwd()
    os.chdir(SEED)
    try:
        yield
    finally:
        os.chdir(here)


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_help_and_usage_errors_are_those_of_the_whole_app(args: list[str], in_seed: None) -> None:
    whole = _run(_whole(), args)
    lazy = _run(_lazy(), args)
    assert lazy == whole
    assert whole[1]  # every case says something


@pytest.mark.parametrize(
    ("line", "words"),
    [("tf ", 1), ("tf a", 1), ("tf zz ", 2), ("tf actions ", 2), ("tf actions --ov", 2)],
)
def test_completion_is_that_of_the_whole_app(line: str, words: int, in_seed: None) -> None:
    env = {"_TF_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(words)}
    whole = _run(_whole(), [], env)
    assert _run(_lazy(), [], env) == whole
    assert whole[1]


def test_every_command_has_its_module() -> None:
    whole = _whole()
    assert list(whole.commands) == list(MODULES)  # type: ignore[attr-defined]


def _imported(args: list[str], cwd: Path, out: Path) -> set[str]:
    """The modules `tf ARGS` has imported when it ends, run as a user runs it (index on)."""
    # An exit handler: tf ends by os._exit once its exit handlers ran (tfcli.entry._leave).
    code = (
        "import atexit, runpy, sys\n"
        f"sys.argv = ['tf', *{args!r}]\n"
        f"atexit.register(lambda: open({str(out)!r}, 'w').write(repr(sorted(sys.modules))))\n"
        "runpy.run_module('tfcli', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    p = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**env, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    return set(ast.literal_eval(out.read_text(encoding="utf-8")))


COMMAND_MODULES = {f"tfcli.cli.{m}" for m in MODULES.values()}
# Imported only for what needs them: YAML for a file not in the index, templates and Markdown
# for the site and the agenda, rich for a progress bar, openpyxl for a workbook.
HEAVY = {"yaml", "jinja2", "markdown_it", "mdit_py_plugins", "rich", "openpyxl", "icalendar"}


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_tf_actions_on_a_warm_index_imports_only_what_it_uses(
    seed_repo: Path, tmp_path: Path
) -> None:
    import time

    out = tmp_path / "modules.json"
    copied = time.time()
    assert "yaml" in _imported(["actions"], seed_repo, out)  # no index yet: it reads the YAML
    # .tf/tracked keeps files changed over 2 seconds ago (index.RACY_NS): as in a real repo.
    time.sleep(max(0.0, copied + index.RACY_NS / 1e9 + 0.1 - time.time()))
    _imported(["actions"], seed_repo, out)
    modules = _imported(["actions"], seed_repo, out)
    # The table into a pipe: by the quick path (tfcli/quick.py), without Typer.
    assert {"tfcli.quick", "tfcli.action_report", "tfcli.table"} <= modules
    assert not _top(modules) & (HEAVY | {"typer", "click"})
    assert not {m for m in modules if m.startswith("tfcli.cli")}
    unused = {"tfcli.yamlstrict", "tfcli.config", "tfcli.schema", "tfcli.check", "tfcli.digest"}
    unused |= {"tfcli.xlsx", "tfcli.site", "tfcli.write", "tfcli.meetings", "json"}
    unused |= {"dataclasses", "calendar"}  # records (tfcli/record.py) cost nothing to define
    assert not unused & modules


def test_tf_check_on_a_warm_index_imports_no_yaml(seed_repo: Path, tmp_path: Path) -> None:
    import time

    out = tmp_path / "modules.json"
    # Files copied a moment ago are kept untrusted (index.RACY_NS); a second run over two
    # seconds later (a slow first run, under load) trusts them and rewrites the index, with
    # tfcli.write: as in a real repo, the files are older than that.
    time.sleep(index.RACY_NS / 1e9 + 0.1)
    _imported(["check"], seed_repo, out)  # writes the index
    _imported(["check"], seed_repo, out)  # writes which shards it found valid (index-checked)
    modules = _imported(["check"], seed_repo, out)
    assert "tfcli.check_run" in modules  # the measurement sees tf's own modules
    assert not _top(modules) & (HEAVY | {"typer", "click"})  # the quick path (tfcli/quick.py)
    assert not {"tfcli.yamlstrict", "tfcli.config", "tfcli.write"} & modules
    through_app = _imported(["check", "--color", "never"], seed_repo, out)
    assert "tfcli.cli.check_cmd" in through_app
    assert not _top(through_app) & HEAVY


def test_tf_version_imports_no_command_and_no_model(tmp_path: Path) -> None:
    modules = _imported(["--version"], SEED, tmp_path / "modules.json")
    assert "tfcli.cli.app" in modules
    assert not COMMAND_MODULES & modules
    assert not {"tfcli.model", "tfcli.output", "json", "csv"} & modules
    assert not _top(modules) & HEAVY


def test_command_modules_let_python_evaluate_their_annotations() -> None:
    """With `from __future__ import annotations`, typer compiles every option's annotation
    string at each run (3 ms for `tf actions` alone); evaluated by Python, they are compiled
    once into the module's cached bytecode."""
    cli = ROOT / "tfcli" / "cli"
    for name in [*dict.fromkeys(MODULES.values()), "app"]:
        text = (cli / f"{name}.py").read_text(encoding="utf-8")
        assert "from __future__ import annotations" not in text, name
