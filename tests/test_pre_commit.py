"""The pre-commit hook of .pre-commit-hooks.yaml, run by pre-commit itself (try-repo) on a
sample minutes repository. pre-commit builds the hook's environment with pip: when no package
index is reachable, the test is skipped, saying so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_tf

# What pip says when it cannot reach an index or find tf's dependencies there.
GIT_COMMIT = (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "hooks"])
OFFLINE = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["language"], hook["entry"]) == (
        "tf-check",
        "python",
        "tf check --strict",
    )
    assert hook["pass_filenames"] is False


def test_configs_are_valid_for_pre_commit(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=sysconfig.get_path("scripts"))
    if not pre_commit:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    assert run_tf("init", "--no-input", cwd=tmp_path).code == 0
    for cmd, path in (
        ("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
        ("validate-config", ROOT / ".pre-commit-config.yaml"),
        ("validate-config", tmp_path / ".pre-commit-config.yaml"),
    ):
        p = subprocess.run([pre_commit, cmd, str(path)], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr


def test_pre_commit_try_repo_runs_tf_check(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=sysconfig.get_path("scripts")) or shutil.which(
        "pre-commit"
    )
    git = shutil.which("git")
    if not pre_commit or not git:
        pytest.skip("pre-commit or git is not installed (pip install -e '.[test]')")
    repo = tmp_path / "minutes-repo"
    assert (
        run_tf("init", "minutes-repo", "--no-input", "--today", "2026-03-02", cwd=tmp_path).code
        == 0
    )
    (repo / "minutes" / "2026-03-09-broken.md").write_text(
        "---\ndate: 9 March\n---\n", encoding="utf-8"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GIT_"))},
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "NO_COLOR": "1",
    }
    # The hook repository as this working tree has it (try-repo would miss untracked files).
    hooks = tmp_path / "tf"
    shutil.copytree(ROOT / "tfcli", hooks / "tfcli", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, hooks / name)
    for where, cmds in ((hooks, GIT_COMMIT), (repo, GIT_COMMIT[:2])):
        for cmd in cmds:
            subprocess.run([git, *cmd], cwd=where, env=env, check=True, capture_output=True)
    p = subprocess.run(
        [pre_commit, "try-repo", str(hooks), "tf-check", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = p.stdout + p.stderr
    if p.returncode == 3 and any(s in output for s in OFFLINE):
        pytest.skip("pre-commit could not install tf's dependencies: no package index reachable")
    assert p.returncode == 1, output
    assert "tf check" in output and "Failed" in output
    assert "minutes/2026-03-09-broken.md:2:7: error [date]" in output


def test_the_repository_config_asks_for_the_pre_commit_that_knows_its_languages() -> None:
    """`language: unsupported` came with pre-commit 4.4.0 (older ones reject the config with
    an unclear error): the config says so, and the test extra installs at least that."""
    import re

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    languages = {h["language"] for r in config["repos"] for h in r["hooks"]}
    assert "unsupported" in languages
    assert config["minimum_pre_commit_version"] == "4.4.0"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"pre-commit>=4\.4\.0"', pyproject)
