"""Parsing many minutes files on several cores: forked workers fill the index, the reader then
takes every file from it as from a warm index, in its own order.

A worker reads its share of the files through the index (`Index.read`: read, hash, parse,
build, pickle: the entry the index keeps anyway) and sends back the entries it made. The
parent lends them to the (empty) index as if found there, reads every file as usual (each
entry is checked by the file's content hash), and takes them back before saving: what the
index holds, the order of meetings and problems and every message are a serial run's. A
file a worker did not do (unreadable, a worker that failed) is simply parsed by the parent.

Used only when it pays: a first run with an index (its entries are the currency; a warm run
pays nothing to decide), at least MIN_FILES files and two cores (`os.sched_getaffinity`),
fork available, in the main thread and no other; `TF_JOBS=1` never, `TF_JOBS=N` with N
processes whatever the count.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tfcli.index import Index

MIN_FILES = 200
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def jobs(todo: int) -> int:
    """How many processes to parse `todo` files with (1: in this one)."""
    forced = os.environ.get("TF_JOBS", "").strip()
    if forced.isdigit() and int(forced) >= 1:
        n = int(forced)
    else:
        try:
            n = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            n = os.cpu_count() or 1
        if todo < MIN_FILES:
            return 1
    import threading

    if (
        not hasattr(os, "fork")
        or threading.current_thread() is not threading.main_thread()
        or threading.active_count() > 1
    ):
        return 1
    return max(1, min(n, todo))


@contextlib.contextmanager
def prefilled(index: Index | None, files: Sequence[Path]) -> Iterator[None]:
    """While inside, `index` answers for the files that forked workers parsed. Only when the
    index is empty (a first run, a new tf or tf.yml): a warm run pays nothing to decide."""
    if index is None or index.old or len(files) < 2 or (n := jobs(len(files))) < 2:
        yield
        return
    index.old = _run(index, [list(files[i::n]) for i in range(n)])
    try:
        yield
    finally:
        index.old = {}  # the index saves what it found, not what it was lent


def _run(index: Index, shares: list[list[Path]]) -> dict[str, Any]:
    """Fork a worker per share; the entries they made, by real path."""
    children: list[tuple[int, int]] = []
    made: dict[str, Any] = {}
    try:
        for share in shares:
            r, w = os.pipe()
            # Ctrl-C held back until the worker is known, so that it is always ended (and
            # until the worker has its own handlers: never the parent's cleanups in it).
            held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
            try:
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
                    _work(index, share, r, w, held)
                children.append((pid, r))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(w)
        for pid, r in children:
            with os.fdopen(r, "rb", closefd=False) as f:
                data = f.read()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0 and data:
                with contextlib.suppress(Exception):  # a worker that failed: read here
                    made.update(marshal.loads(data))
    finally:  # Ctrl-C, or anything else: no worker outlives tf
        for pid, r in children:
            with contextlib.suppress(OSError):
                os.close(r)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
    return made


def _work(
    index: Index, share: list[Path], r: int, out: int, held: set[int | signal.Signals]
) -> None:  # pragma: no cover - child
    """In the child: parse `share` through the index, write the entries made, and exit
    without ever returning into the parent's code (its cleanups are the parent's)."""
    code = 1
    try:
        for s in _SIGNALS:  # the parent reports; a worker just ends
            signal.signal(s, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(r)
        _pause_for_tests()
        for p in share:
            index.read(p, [])
        data = marshal.dumps(index.new)  # all made here: the index was empty
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


def _pause_for_tests() -> None:  # pragma: no cover - child
    """Test hook (as tfcli.write's): with TF_TEST_PAUSE=FILE set, a worker creates FILE and
    waits (at most 60 s) until it is removed, so that a test can press Ctrl-C meanwhile."""
    flag = os.environ.get("TF_TEST_PAUSE")
    if not flag:
        return
    Path(flag).touch()
    deadline = time.monotonic() + 60
    while os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.01)
