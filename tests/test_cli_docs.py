"""docs/cli.md's option blocks are generated from the commands (scripts/cli_docs.py)."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from conftest import ROOT


def cli_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert cli_docs().update(text) == text, "docs/cli.md is stale: run python scripts/cli_docs.py"


def test_every_command_has_a_section() -> None:
    from typer.main import get_command

    from tfcli.cli import app

    root = get_command(app)
    paths = set()
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        paths.add(f"tf {name}")
        paths.update(f"tf {name} {sub}" for sub in getattr(cmd, "commands", {}))
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `(tf [a-z -]+)`\n\n```\n", text, re.M))
    assert paths <= documented


def test_synopsis_shape() -> None:
    assert cli_docs().synopsis("tf export") == "tf export --sqlite FILE [--force]\n"
    assert cli_docs().synopsis("tf actions due") == (
        "tf actions due ID YYYY-MM-DD [--note TEXT] [--in-place]\n"
    )
