"""Run a build's tasks (a page each, the search index, the calendar) on every core. Workers
are forked after the site is gathered, so they share the read model and the Jinja2
environment without pickling them; only what each task returns comes back (a page is
written by the worker that makes it). Where fork is not available (Windows, macOS default)
tasks run in turn.

Not multiprocessing.Pool: its worker-handler thread waits on the result queue too, and
spins while results are pending (0.65 s of the parent's CPU at 5,000 meetings, taken from
the workers on two cores). Here each worker takes the next CHUNK tasks from a shared
counter and sends their results on its own pipe; the parent sleeps in `wait`."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

MIN_PER_WORKER = 40  # fewer tasks than this per core: forking costs more than it saves
CHUNK = 4  # tasks a worker takes at once: few round trips, and no worker left with a tail
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WorkerFailed(RuntimeError):
    """A worker ended without its results (killed, out of memory): an internal error."""


def _work(
    tasks: Sequence[Callable[[], object]],
    take: Callable[[], int],
    out: Connection,
    held: set[Any],
) -> None:  # pragma: no cover - runs in the forked child (its coverage is not collected)
    """A worker: Ctrl-C is the parent's to handle (it ends the workers), SIGTERM ends a
    worker quietly (never tf's handler: it would print a worker's traceback). Never
    returns: the parent's cleanups and buffered output are not the worker's."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        while (start := take()) < len(tasks):
            out.send([(n, tasks[n]()) for n in range(start, min(start + CHUNK, len(tasks)))])
        out.send(None)
        code = 0
    except BaseException as e:  # sent to the parent, which raises it
        with contextlib.suppress(BaseException):
            out.send(("error", e))
    finally:
        os._exit(code)


def _counter() -> Callable[[], int]:
    """The next chunk's first task, shared by the forked workers."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    value, lock = ctx.RawValue("q", 0), ctx.Lock()

    def take() -> int:
        with lock:
            n: int = value.value
            value.value = n + CHUNK
        return n

    return take


def run_all(
    tasks: Sequence[Callable[[], T]],
    jobs: int,
    done: Callable[[int, T], None],
    before_fork: Callable[[], None] | None = None,
) -> None:
    """`task()` for every task, on up to `jobs` processes, started in order (put the long
    ones first: a long task started last leaves the other cores idle); `done(n, result)`
    in the parent as each task `n` ends. `before_fork()` runs in the parent only when
    workers fork: work each would otherwise do again (compiling templates)."""
    jobs = min(jobs, len(tasks) // MIN_PER_WORKER)
    if (
        jobs < 2
        or not hasattr(os, "fork")
        or threading.current_thread() is not threading.main_thread()
    ):
        for n, task in enumerate(tasks):
            done(n, task())
        return
    from multiprocessing.connection import Pipe, wait

    if before_fork:
        before_fork()
    take = _counter()
    workers: dict[Any, int] = {}  # each worker's pipe (a Connection), and its process
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is the workers' too
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        for _ in range(jobs):
            r, w = Pipe(duplex=False)
            # Signals held until the worker is known (a Ctrl-C at the unblocking must not
            # find a worker nobody ends) and has its own handlers.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
            try:
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child
                    r.close()
                    _work(tasks, take, w, held)
                workers[r] = pid
            finally:
                w.close()
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        while workers:
            for conn in wait(list(workers)):
                assert isinstance(conn, Connection)
                got: Any = _receive(conn)
                if got is None:  # that worker is done
                    _reap(workers.pop(conn))
                    conn.close()
                elif isinstance(got, tuple):  # ("error", what it raised)
                    raise got[1]
                else:
                    for n, result in got:
                        done(n, result)
    finally:
        for conn, pid in workers.items():  # an error, Ctrl-C: no worker outlives the build
            conn.close()
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            _reap(pid)


def _receive(conn: Connection) -> Any:
    try:
        return conn.recv()
    except (EOFError, OSError):
        raise WorkerFailed("a worker rendering the site ended without its pages") from None


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
