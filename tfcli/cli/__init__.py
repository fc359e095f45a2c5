"""Command line: thin commands, one error boundary (`main`)."""

from __future__ import annotations

import os
import signal
import sys

from tfcli.cli.app import app  # its commands are imported when run (tfcli/cli/lazy.py)
from tfcli.errors import EXIT_DATA, EXIT_INTERNAL, TfError

__all__ = ["app", "main"]


def main() -> None:
    if hasattr(signal, "SIGPIPE"):
        # `tf actions | head`: stop quietly when the reader goes away, as Unix tools do (exit
        # status 141), instead of Python's BrokenPipeError, which typer turns into exit 1,
        # our "findings".
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # else nothing to guard, nor to import
        from tfcli.output import guard_ci_streams

        guard_ci_streams()  # minutes text cannot pose as a workflow command
    try:
        app()
    except TfError as e:
        from tfcli.output import safe

        sys.stderr.write(safe(e.render()) + "\n")  # messages quote user input: escape it
        if e.where and os.environ.get("GITHUB_ACTIONS") == "true":
            _annotate(e)  # a broken tf.yml stops every job: show it on its line in the PR
        sys.exit(e.exit_code)
    except OSError as e:  # e.g. stdout on a full disk: the environment, not a bug
        sys.stderr.write(f"tf: cannot write the output: {e.strerror or e}\n")
        sys.exit(EXIT_DATA)
    except Exception as e:  # the boundary: a bug must still be an answer, not a traceback
        if os.environ.get("TF_DEBUG"):
            raise
        from tfcli.output import safe

        sys.stderr.write(
            f"tf: internal error: {type(e).__name__}: {safe(str(e))}\n"
            "This is a bug in tf. Run again with TF_DEBUG=1 for the traceback, and report it.\n"
        )
        sys.exit(EXIT_INTERNAL)


def _annotate(e: TfError) -> None:
    """The error as a GitHub annotation too, when it has a place (`file:line[:col]`)."""
    import re

    from tfcli.output import annotation

    place = re.fullmatch(r"(.+?):(\d+)(?::(\d+))?", e.where or "")
    if place:
        text = e.message + (f" ({e.hint})" if e.hint else "")
        col = int(place[3]) if place[3] else None
        sys.stderr.write(annotation("error", text, place[1], int(place[2]), col, "tf") + "\n")
