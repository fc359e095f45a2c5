"""Caches written behind the answer: a forked child writes what tf keeps under `.tf/` (the
index's shards, `.tf/tracked`) while tf itself goes on to the answer; tf waits for it before it
exits, so nothing is left half-written and every second of CPU is tf's own (`time` counts it).

Inside `scope()` (tfcli.entry.run: one run of tf) and `wanted()` (a listing's load and
stores, tfcli.tracked_store) `run(work, size)` forks a child for `work` when the work is
large (`size` files, by tfcli.parallel's rule: `TF_JOBS=1` never), fork is the platform's way
and tf runs in its main thread only; anywhere else `work` runs at once, in this process, as
before. The work must only write files atomically (tfcli.stamped's
`_write_file`: a temp file renamed into place), so that a child ended at any moment leaves
nothing broken: Ctrl-C or SIGTERM ends every child before tf ends (the write's own cleanup
removes its temp file); a tf killed outright (SIGKILL, a reader that closed the pipe) has its
children ended by the kernel (Linux's parent-death signal). Any other end of tf (an answer,
an error, an exit status) waits for them. A child that fails writes nothing more: caches are
never needed, results never depend on them.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_active = False  # inside `scope`
_wanted = False  # inside `wanted`
_children: list[int] = []  # forked and not yet reaped


@contextlib.contextmanager
def scope() -> Iterator[None]:
    """One run of tf: `run` may fork while inside; every child is done (or, on Ctrl-C or
    SIGTERM, ended) when it is left."""
    global _active
    _active = True
    try:
        yield
    except BaseException as e:
        if not isinstance(e, (Exception, SystemExit)):  # an interrupt: no more waiting
            _end(kill=True)
        raise
    finally:
        _active = False
        try:
            _end(kill=False)
        except BaseException:  # interrupted while waiting
            _end(kill=True)
            raise


@contextlib.contextmanager
def wanted() -> Iterator[None]:
    """Where writing behind is wanted: a JSON listing's load and stores (tf check's and tf
    render's own work after loading competes with the child for the cores: measured no
    faster for check, and render's was unclear; they write at once, as before)."""
    global _wanted
    _wanted = True
    try:
        yield
    finally:
        _wanted = False


def pending() -> int:
    """How many children are still to be waited for (tests)."""
    return len(_children)


def run(work: Callable[[], object], size: int) -> None:
    """`work()` in a forked child when inside `scope` and `size` files make it worth a fork;
    else here and now."""
    if not (_active and _wanted) or not _worth(size):
        work()
        return
    # Signals held back until the child is in `_children` (the list `scope` ends) and, in the
    # child, until it has its own handlers: never the parent's cleanups in it.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
            _child(work, parent, held)
        _children.append(pid)
    except OSError:  # no fork (out of processes or memory): written here instead
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        work()
        return
    signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _worth(size: int) -> bool:
    from tfcli.parallel import jobs

    return jobs(size) > 1


def _end(kill: bool) -> None:
    """Reap every child; `kill`: end them first (SIGTERM: their writes clean up)."""
    while _children:
        pid = _children[-1]
        if kill:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        _children.pop()


class _Stopped(BaseException):
    """Raised in a child by SIGINT or SIGTERM: its write removes its temp file, then it exits."""


def _stop(signum: int, frame: object) -> None:  # pragma: no cover - child
    for s in _SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise _Stopped


def _child(
    work: Callable[[], object], parent: int, held: set[int | signal.Signals]
) -> None:  # pragma: no cover - child
    """In the child: `work`, then exit without ever returning into the parent's code."""
    code = 1
    try:
        for s in _SIGNALS:
            signal.signal(s, _stop)
        _orphan_ends()
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        if os.getppid() != parent:  # tf ended before the child could ask to end with it
            return
        # Nothing for a shell's `$(tf ...)` to wait for: the answer's streams are tf's.
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        import gc

        gc.disable()  # a short life: nothing to collect, every object shared with tf
        work()
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


def _orphan_ends() -> None:  # pragma: no cover - child
    """Ask the kernel for SIGTERM when tf ends (Linux: prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)
