"""Parsing many minutes files on several cores: forked workers fill the index, the reader then
takes every file from it as from a warm index, in its own order.

tf parses the first run of files itself while each worker reads a later run through the
index (`Index.read`: read, hash, parse, build, pickle: the entry the index keeps anyway) and
sends back the entries it made. tf lends them to the (empty) index as if found there when
it gets to them, reads every file as usual (an entry is used only for the file's content
hash), and takes them back before saving: what the index holds, the order of meetings and
problems and every message are a serial run's. A file a worker did not do (unreadable, a
worker that failed) is simply parsed by tf.

On Linux by default from MIN_FILES files on, a process per core of `os.sched_getaffinity`
(`TF_JOBS=auto` elsewhere, `TF_JOBS=N` for N, `TF_JOBS=1` for one): a cold `tf check` of
5,000 meetings on an idle 2-core machine took 2.7 s instead of 4.2-4.8 s, for the same CPU
and less peak memory (2026-11-29). (On the same machine shared with four test suites it had
saved no wall time: there was no idle core to use.) Elsewhere fork is not the platform's
way (macOS), so only when asked.
Only for a first run with an index (its entries are the currency; a warm run pays nothing to
decide), with fork, in the main thread and no other.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import select
import signal
import struct
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tfcli.index import Index

MIN_FILES = 200
# tf's own run of files against an even share, when it reads meetings: larger, for a worker
# makes each file's rows and pickle and hands them over, while tf leaves those to the index's
# save (tfcli.index, `complete`: done behind the answer); tf's own run should end as the
# workers' do (bench/README.md, "Cold listing: the tail"). Reading rows (`tf check`), tf makes
# each file's rows itself: an even share.
OWN_SHARE = 1.1
_SIGNALS = {signal.SIGINT, signal.SIGTERM}
FRAMES = 8  # the parts a worker sends its entries in
_FRAME = struct.Struct("<Q")  # each part: its length, then its marshal


def _read_exact(fd: int, size: int) -> bytearray:
    """`size` bytes from the pipe `fd`, fewer only at its end."""
    buf = bytearray(size)
    view = memoryview(buf)
    got = 0
    while got < size:
        n = os.readv(fd, [view[got:]])
        if not n:
            break
        got += n
    return buf if got == size else buf[:got]


def jobs(todo: int) -> int:
    """How many processes to parse `todo` files with (1: in this one)."""
    forced = os.environ.get("TF_JOBS", "").strip().lower()
    if forced.isdigit() and int(forced) >= 1:
        n = int(forced)
    elif forced != "auto" and (forced or not sys.platform.startswith("linux")):
        return 1  # TF_JOBS=0, or anything else: one process
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
def prefilled(index: Index | None, files: Sequence[Path], meetings: bool = True) -> Iterator[None]:
    """While inside, `index` answers for the files that forked workers parsed. Only when the
    index is empty (a first run, a new tf or tf.yml): a warm run pays nothing to decide.

    The files are cut in `jobs` runs, in reading order: tf parses the first (a little longer
    when it reads `meetings`: OWN_SHARE) itself while the workers parse the others, and
    takes their entries as they come."""
    if index is None or index.old or len(files) < 2 or (n := jobs(len(files))) < 2:
        yield
        return
    own = max(1, int(len(files) * (OWN_SHARE if meetings else 1) / n))
    size = -(-(len(files) - own) // (n - 1))
    workers: list[_Worker] = []
    try:
        for start in range(own, len(files), size):
            _Worker(index, list(files[start : start + size]), workers)
        index.old = _Later(index, workers, own)
        yield
    finally:
        index.old = {}  # the index saves what it found, not what it was lent
        for w in workers:  # Ctrl-C, or anything else: no worker outlives tf
            w.end()


class _Later(dict[str, Any]):
    """The index's entries as `Index.read` looks them up: the workers' as they come (each
    sends its entries in FRAMES parts; tf takes each part between two of its own files,
    and unpickles its meetings then, while the workers go on), then (once tf's own run was
    looked up) the rest, waited for. A file looked up before its worker's entries are in is
    just parsed here: the same result, a little later."""

    def __init__(self, index: Index, workers: list[_Worker], own: int) -> None:
        super().__init__()
        self.index = index
        self.workers: list[_Worker] | None = workers
        self.own = own

    def get(self, key: str, default: Any = None) -> Any:
        if self.workers is not None:
            self.own -= 1
            if self.own < 0:
                for w in self.workers:
                    while (part := w.part()) is not None:
                        self._take(part)
                    w.reap()
                self.workers = None
            elif self.own % 8 == 0:  # now and then: is a part in?
                ready = select.select([w.r for w in self.workers if w.pid], [], [], 0)[0]
                for w in self.workers:
                    if w.pid and w.r in ready and (part := w.part()) is not None:
                        self._take(part)
        return dict.get(self, key, default)

    def _take(self, part: dict[str, Any]) -> None:
        self.update(part)
        if self.index.wants_meetings:  # `tf check` reads rows: no meeting to unpickle
            self.index.take_ahead(part)


class _Worker:
    """A forked process parsing `share` through the index; `part` reads what it made."""

    def __init__(self, index: Index, share: list[Path], known: list[_Worker]) -> None:
        self.pid = 0
        r, w = os.pipe()
        # Ctrl-C held back until the worker is in `known` (the list the parent ends), so that
        # it is always ended: a signal pending at the unblocking is raised at once, and must
        # not find a forked worker nobody knows of. Also until the worker has its own
        # handlers: never the parent's cleanups in it.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
                _work(index, share, r, w, held)
            self.pid, self.r = pid, r
            known.append(self)
        finally:
            os.close(w)
            if not self.pid:
                os.close(r)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def part(self) -> dict[str, Any] | None:
        """The next part of the worker's entries (a length, then its marshal), waited for:
        None at the end, or for anything else (a part cut short by a worker that failed: tf
        parses those files itself; the parts before it are whole, and used)."""
        if not self.pid:
            return None
        head = _read_exact(self.r, _FRAME.size)
        size = _FRAME.unpack(head)[0] if len(head) == _FRAME.size else -1
        data = _read_exact(self.r, size) if size >= 0 else b""
        if size < 0 or len(data) != size:
            self.reap()
            return None
        try:
            got = marshal.loads(data)
        except Exception:
            got = None
        if type(got) is not dict:
            self.reap()
            return None
        return got

    def reap(self) -> None:
        """Wait for the worker's end (every part read, or the rest of no use)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.close(self.r)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0  # reaped: never signalled again (its number may be another's now)

    def end(self) -> None:
        if self.pid:
            with contextlib.suppress(OSError):
                os.close(self.r)
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0


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
        if os.environ.get("TF_TEST_PAUSE"):  # the writer's test hook, imported only then
            from tfcli.write import pause_for_tests

            pause_for_tests()
        step = -(-len(share) // FRAMES)
        for start in range(0, len(share), step):
            for p in share[start : start + step]:
                index.read(p, [])
            index.complete()
            data = marshal.dumps(index.new)  # all made here: the index was empty
            index.new = {}
            view = memoryview(_FRAME.pack(len(data)) + data)
            while view:
                view = view[os.write(out, view) :]
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)
