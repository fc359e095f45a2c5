"""Render pages on every core. Workers are forked after the site is gathered, so they share
the read model and the Jinja2 environment without pickling them; only page numbers go in and
HTML comes out. Where fork is not available (Windows, macOS default) pages render in turn."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence

# The pages and the function that renders one, set before the workers fork.
_JOB: tuple[Sequence[object], Callable[[object], bytes]] | None = None
MIN_PER_WORKER = 40  # fewer pages than this per core: forking costs more than it saves


def _render(i: int) -> bytes:
    assert _JOB is not None
    pages, fn = _JOB
    return fn(pages[i])


def render_all(
    pages: Sequence[object],
    fn: Callable[[object], bytes],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> list[bytes]:
    """`fn(page)` for every page, in order, on up to `jobs` processes; `progress(1)` after
    each page."""
    global _JOB
    step = progress or (lambda n: None)
    jobs = min(jobs, len(pages) // MIN_PER_WORKER)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for p in pages:
            out.append(fn(p))
            step(1)
        return out
    _JOB = (pages, fn)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            out = []
            for data in pool.imap(_render, range(len(pages)), chunksize=16):
                out.append(data)
                step(1)
            return out
    finally:
        _JOB = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
