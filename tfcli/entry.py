"""The `tf` console script: the signal handling, the error boundary, and the choice between
the quick path (tfcli.quick) and the Typer app (tfcli.cli).

The signal handling comes before the heavy imports, so that Ctrl-C at any moment (startup
included) ends tf quietly, and SIGTERM cleans up.

SIGINT and SIGTERM become `Interrupted`, raised wherever tf is, so every `finally` and
`except BaseException` cleanup runs (a write's temp file, the repo lock). It derives from
BaseException, so neither the error boundary (`run`, below) nor click (which would print
"Aborted!" and exit 1) takes it for an error. Then tf ends by the same signal, as Unix
tools do: the shell sees 130 (SIGINT) or 143 (SIGTERM), and a shell loop stops on Ctrl-C.

Python drops an exception raised where nothing can catch it (a weakref callback, e.g.
importlib's module locks during any import, or a `__del__`): it only prints "Exception
ignored". An `Interrupted` dropped there would leave tf running with both signals ignored:
`_dropped` sees it and delivers the signal again, once tf is back in its own code.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from types import FrameType

from tfcli.errors import EXIT_DATA, EXIT_INTERNAL, TfError

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_lost = 0  # the signal of an `Interrupted` that Python dropped, until it is raised again
_in_hook = False  # inside `_dropped`: a raise there would be dropped too


def _interrupt(signum: int, frame: FrameType | None) -> None:
    global _lost
    if _in_hook:  # the kicker tries again in a moment
        return
    for s in _SIGNALS:  # a second signal must not cut the cleanup short
        signal.signal(s, signal.SIG_IGN)
    _lost = 0
    raise Interrupted(signum)


def _dropped(unraisable: sys.UnraisableHookArgs) -> None:
    """sys.unraisablehook: an `Interrupted` that Python dropped is raised again, quietly, from
    tf's own code; anything else is reported as Python does."""
    global _lost, _in_hook
    if not isinstance(unraisable.exc_value, Interrupted):
        sys.__unraisablehook__(unraisable)
        return
    import threading

    _in_hook = True
    try:
        _lost = unraisable.exc_value.signum
        signal.signal(_lost, _interrupt)
        try:
            threading.Thread(target=_kick, daemon=True).start()
        except RuntimeError:  # no new thread at the interpreter's shutdown: nothing left to do
            signal.signal(_lost, signal.SIG_DFL)
            os.kill(os.getpid(), _lost)
    finally:
        _in_hook = False


def _kick() -> None:
    """In a thread: signal the main thread again until `_interrupt` has raised there (Python
    runs handlers only in the main thread). A real signal, not `_thread.interrupt_main`: tf
    may be waiting in a system call (a worker's pipe), which only a signal interrupts."""
    import threading
    import time

    main = threading.main_thread().ident
    while signum := _lost:
        time.sleep(0.01)
        if hasattr(signal, "pthread_kill") and main is not None:
            signal.pthread_kill(main, signum)
        else:  # Windows
            import _thread

            _thread.interrupt_main(signal.Signals(signum))


def main() -> None:
    for s in _SIGNALS:
        if signal.getsignal(s) is not signal.SIG_IGN:  # e.g. `nohup tf ...` keeps ignoring
            signal.signal(s, _interrupt)
    sys.unraisablehook = _dropped
    try:
        try:
            run()
        except SystemExit as e:
            _leave(e.code)
        _leave(0)
    except Interrupted as e:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing left to save
                stream.flush()
        signal.signal(e.signum, signal.SIG_DFL)
        os.kill(os.getpid(), e.signum)
        sys.exit(128 + e.signum)  # where the signal does not end the process


def _leave(code: object) -> None:
    """End the process now that the answer is out: flush, run the exit handlers (the CI
    guard's), and skip freeing a heap of thousands of meetings object by object (0.03-0.05 s
    at 5,000). Every thread tf starts has been joined; a child it waits for, waited for."""
    import atexit

    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except OSError as e:  # the last of stdout on a full disk: as the boundary says it
        with contextlib.suppress(OSError):
            sys.stderr.write(f"tf: cannot write the output: {e.strerror or e}\n")
            sys.stderr.flush()
        os._exit(EXIT_DATA)
    os._exit(code or 0)


class _ClosedStream(io.TextIOBase):
    """Standard output closed before tf started: every write is the OSError the boundary
    reports (exit 3), as for a full disk, not an AttributeError on None (an internal error)."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False


def run() -> None:
    """One run of tf in this process (tfcli.cli.main for tests): the quick path when it
    answers, else the Typer app; the one error boundary around both."""
    if hasattr(signal, "SIGPIPE"):
        # `tf actions | head`: stop quietly when the reader goes away, as Unix tools do (exit
        # status 141), instead of Python's BrokenPipeError, which typer turns into exit 1,
        # our "findings".
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.stdout is None:  # `tf ... >&-`: Python gives no stream; writing must fail plainly
        sys.stdout = _ClosedStream()
    if os.environ.get("GITHUB_ACTIONS") == "true":  # else nothing to guard, nor to import
        from tfcli.ci_guard import guard_ci_streams

        guard_ci_streams()  # minutes text cannot pose as a workflow command
    try:
        from tfcli.behind import scope
        from tfcli.quick import answered

        with scope():  # caches written behind the answer are done (or ended) on the way out
            if not answered(sys.argv[1:]):
                from tfcli.cli.app import app  # its commands are imported when run (lazy.py)

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
