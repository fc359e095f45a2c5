"""Command line: thin commands, one error boundary (`main`)."""

from __future__ import annotations

import os
import sys

from tfcli.cli import actions_cmd, agenda_cmd, check_cmd, meetings_cmd  # noqa: F401  (registers the commands)
from tfcli.cli.app import app
from tfcli.errors import EXIT_INTERNAL, TfError
from tfcli.output import safe

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except TfError as e:
        sys.stderr.write(safe(e.render()) + "\n")  # messages quote user input: escape it
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # `tf actions | head`: the reader left; not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as e:  # the boundary: a bug must still be an answer, not a traceback
        if os.environ.get("TF_DEBUG"):
            raise
        sys.stderr.write(
            f"tf: internal error: {type(e).__name__}: {safe(str(e))}\n"
            "This is a bug in tf. Run again with TF_DEBUG=1 for the traceback, and report it.\n"
        )
        sys.exit(EXIT_INTERNAL)
