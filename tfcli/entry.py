"""The `tf` console script. It installs the signal handling before the heavy imports, so
that Ctrl-C at any moment (startup included) ends tf quietly, and SIGTERM cleans up.

SIGINT and SIGTERM become `Interrupted`, raised wherever tf is, so every `finally` and
`except BaseException` cleanup runs (a write's temp file, the repo lock). It derives from
BaseException, so neither the error boundary in tfcli.cli nor click (which would print
"Aborted!" and exit 1) takes it for an error. Then tf ends by the same signal, as Unix
tools do: the shell sees 130 (SIGINT) or 143 (SIGTERM), and a shell loop stops on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    for s in _SIGNALS:  # a second signal must not cut the cleanup short
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


def main() -> None:
    for s in _SIGNALS:
        if signal.getsignal(s) is not signal.SIG_IGN:  # e.g. `nohup tf ...` keeps ignoring
            signal.signal(s, _interrupt)
    try:
        from tfcli.cli import main as run

        run()
    except Interrupted as e:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing left to save
                stream.flush()
        signal.signal(e.signum, signal.SIG_DFL)
        os.kill(os.getpid(), e.signum)
        sys.exit(128 + e.signum)  # where the signal does not end the process
