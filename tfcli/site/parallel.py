"""Run a build's tasks (a page each, the search index, the calendar) on every core. Workers
are forked after the site is gathered, so they share the read model and the Jinja2
environment without pickling them; only task numbers go in and results come out. Where fork
is not available (Windows, macOS default) tasks run in turn."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# The tasks, set before the workers fork.
_TASKS: Sequence[Callable[[], object]] | None = None
MIN_PER_WORKER = 40  # fewer tasks than this per core: forking costs more than it saves
CHUNK = 4  # tasks a worker takes at once: few round trips, and no worker left with a tail


def _worker() -> None:
    """A worker leaves signals to the parent: Ctrl-C interrupts the parent (whose cleanup
    ends the pool), and the pool's SIGTERM ends a worker quietly, not through tf's handler
    (which would print a worker's traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(i: int) -> tuple[int, object]:
    assert _TASKS is not None
    return i, _TASKS[i]()


def run_all(
    tasks: Sequence[Callable[[], T]],
    jobs: int,
    done: Callable[[int, T], None],
    before_fork: Callable[[], None] | None = None,
) -> None:
    """`task()` for every task, on up to `jobs` processes, started in order (put the long
    ones first: a long task started last leaves the other cores idle); `done(n, result)`
    in the parent as each task `n` ends, in the order they end. `before_fork()` runs in the
    parent only when workers fork: work each would otherwise do again (compiling
    templates)."""
    global _TASKS
    jobs = min(jobs, len(tasks) // MIN_PER_WORKER)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for n, task in enumerate(tasks):
            done(n, task())
        return
    if before_fork:
        before_fork()
    _TASKS = tasks
    try:
        with multiprocessing.get_context("fork").Pool(jobs, _worker) as pool:
            for n, result in pool.imap_unordered(_run, range(len(tasks)), chunksize=CHUNK):
                done(n, result)  # type: ignore[arg-type]  # what tasks[n] returned
            pool.close()  # the workers end by themselves; terminate() is for an error
            pool.join()
    finally:
        _TASKS = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
