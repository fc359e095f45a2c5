"""Shell completion: the installed script runs in a real shell and completes commands,
options, meeting ids, action ids, owners and statuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED, run_tf

from tfcli.cli.complete import SHELLS


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A `tf` on PATH that runs this checkout, as the installed entry point would."""
    d = tmp_path / "bin"
    d.mkdir()
    tf = d / "tf"
    tf.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tfcli "$@"\n')
    tf.chmod(0o755)
    return d


def complete_bash(bin_dir: Path, *words: str, cwd: Path = SEED) -> list[str]:
    """What bash offers after `words` (the last one being completed), through the script."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = run_tf("completion", "bash").out
    (bin_dir / "tf.bash").write_text(script)
    array = " ".join(f"'{w}'" for w in ("tf", *words))
    cmd = (
        f"source {bin_dir / 'tf.bash'}; COMP_WORDS=({array}); COMP_CWORD={len(words)}; "
        '_tf_completion tf; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    p = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0 and p.stderr == "", p.stderr
    return [line for line in p.stdout.splitlines() if line]


def test_bash_completes_commands_and_options(bin_dir: Path) -> None:
    assert complete_bash(bin_dir, "a") == ["actions", "agenda"]
    assert complete_bash(bin_dir, "actions", "--ov") == ["--overdue"]
    assert complete_bash(bin_dir, "list", "--color", "") == ["auto", "always", "never"]
    assert complete_bash(bin_dir, "actions", "--status", "d") == ["done", "dropped"]


def test_bash_completes_ids_and_owners_from_the_repository(bin_dir: Path) -> None:
    assert complete_bash(bin_dir, "show", "") == ["2022-06-24"]
    assert complete_bash(bin_dir, "actions", "done", "2022") == ["2022-06-24/1", "2022-06-24/2"]
    assert complete_bash(bin_dir, "actions", "--owner", "UN") == ["UNHCR", "UNODC", "UNFPA", "UNDP"]
    assert complete_bash(bin_dir, "actions", "--owner", "ch") == ["chairs"]
    wide = str(FIXTURES / "wide")
    assert complete_bash(bin_dir, "-C", wide, "actions", "show", "2024-03-15") == [
        "2024-03-15/1",
        "2024-03-15/2",
    ]


def test_completion_in_a_broken_place_offers_nothing_and_says_nothing(
    bin_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "tf.yml").write_text("group: [unclosed\n")
    assert complete_bash(bin_dir, "show", "", cwd=tmp_path) == []


@pytest.mark.parametrize("shell", SHELLS)
def test_a_script_for_each_shell(shell: str) -> None:
    r = run_tf("completion", shell)
    assert r.code == 0 and "_TF_COMPLETE=complete_" + shell in r.out
    if shutil.which(shell) and shell != "bash":
        check = {"zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}[shell]
        p = subprocess.run([*check], input=r.out, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr


def test_an_unknown_shell_is_a_usage_error() -> None:
    r = run_tf("completion", "tcsh")
    assert r.code == 2 and "use one of: bash, zsh, fish" in r.err
