"""Command line: thin commands. `main` runs tf in this process, within the one error
boundary (tfcli.entry.run), the quick path first (tfcli.quick)."""

from __future__ import annotations

from tfcli.cli.app import app  # its commands are imported when run (tfcli/cli/lazy.py)

__all__ = ["app", "main"]


def main() -> None:
    from tfcli.entry import run

    run()
