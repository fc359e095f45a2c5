"""Run a build's tasks (a page each, the search index, the calendar) on every core. Workers
are forked after the site is gathered, so they share the read model and the Jinja2
environment without pickling them; only what each task returns comes back (a page is
written by the worker that makes it). Where fork is not available (Windows, macOS default)
tasks run in turn.

Not multiprocessing.Pool: its worker-handler thread waits on the result queue too, and
spins while results are pending (0.65 s of the parent's CPU at 5,000 meetings, taken from
the workers on two cores). Here the parent renders too, and each process takes the next
CHUNK tasks from a shared counter; a worker sends their results on its own pipe."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
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
    take: Callable[[], range],
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
        while chunk := take():
            out.send([(n, tasks[n]()) for n in chunk])
        out.send(None)
        code = 0
    except BaseException as e:  # sent to the parent, which raises it
        with contextlib.suppress(BaseException):
            out.send(("error", e))
    finally:
        os._exit(code)


def _counter(count: int) -> Callable[[bool], range]:
    """The tasks not yet taken, shared by the processes: `take(False)` the next CHUNK from
    the front, `take(True)` from the back, the last first (a worker's first task is the
    list's last)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    ends, lock = ctx.RawArray("q", [0, count]), ctx.Lock()

    def take(back: bool) -> range:
        with lock:
            lo: int = ends[0]
            hi: int = ends[1]
            if back:
                ends[1] = n = max(lo, hi - CHUNK)
                return range(hi - 1, n - 1, -1)
            ends[0] = n = min(hi, lo + CHUNK)
            return range(lo, n)

    return take


def run_all(
    tasks: Sequence[Callable[[], T]],
    jobs: int,
    done: Callable[[int, T], None],
    before_fork: Callable[[], None] | None = None,
) -> None:
    """`task()` for every task, on up to `jobs` processes; `done(n, result)` in this process
    as each task `n` ends. This process works too, from the first task on (put the long
    ones first: a long task started last leaves the other cores idle); the first worker
    from the last task back (the last first), any other from the front. `before_fork()`
    runs here only when workers fork: work each would otherwise do again (compiling
    templates).

    One worker and this process, not two workers and an idle parent: a forked worker's
    first write to each page of the model it shares copies the page (CPython's reference
    counts: 120,000 copies at 5,000 meetings, 1.4 s of system time with two workers), and
    the two ends of the task list touch different meetings."""
    jobs = min(jobs, len(tasks) // MIN_PER_WORKER)
    if not forks(jobs, len(tasks)):
        for n, task in enumerate(tasks):
            done(n, task())
        return
    from multiprocessing.connection import Pipe

    if before_fork:
        before_fork()
    take = _counter(len(tasks))
    workers: dict[Any, int] = {}  # each worker's pipe (a Connection), and its process
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is the workers' too
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        for k in range(jobs - 1):
            r, w = Pipe(duplex=False)
            _roomy(w)
            # Signals held until the worker is known (a Ctrl-C at the unblocking must not
            # find a worker nobody ends) and has its own handlers.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
            try:
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child
                    r.close()
                    _work(tasks, partial(take, k == 0), w, held)
                workers[r] = pid
            finally:
                w.close()
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        while chunk := take(False):
            for n in chunk:
                done(n, tasks[n]())
            _collect(workers, done, 0)  # the workers' results so far: their pipes stay open
        while workers:
            _collect(workers, done, None)
    finally:
        for conn, pid in workers.items():  # an error, Ctrl-C: no worker outlives the build
            conn.close()
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            _reap(pid)


def forks(jobs: int, count: int) -> bool:
    """Whether `run_all` of `count` tasks on up to `jobs` processes forks workers."""
    return (
        min(jobs, count // MIN_PER_WORKER) >= 2
        and hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
    )


def _roomy(conn: Connection) -> None:
    """A worker's pipe as large as the system lets it be (Linux: 1 MiB, 2,000 chunks'
    results): a worker need not wait while this process renders a long page."""
    import fcntl

    size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(conn.fileno(), size, 1 << 20)


def _collect(
    workers: dict[Any, int], done: Callable[[int, Any], None], timeout: float | None
) -> None:
    """What the workers have sent, waiting up to `timeout` (None: until one sends)."""
    from multiprocessing.connection import wait

    for conn in wait(list(workers), timeout):
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
