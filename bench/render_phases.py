"""Where a `tf render` build's time goes, in this process (one run, any options):

    cd REPO && python /path/to/bench/render_phases.py --no-cache -j1 --out /tmp/out

CPU (time.process_time) of each phase of the build (loading, gathering, each action's dict,
each kind of page's context and template, Markdown, writing, search entries, calendar) and
of the cyclic collector, in the process that ran it; with workers (the default on several
cores) each process's tasks and when tf's own phases began and ended (wall time since
start). Phases nest (an action's dict is made inside a meeting page's context the first
time), so the rows add up to more than the total. Needs tf installed (the venv's python).
"""

from __future__ import annotations

import atexit
import functools
import gc
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

CPU: defaultdict[str, float] = defaultdict(float)
CALLS: defaultdict[str, int] = defaultdict(int)
MARKS: list[tuple[str, float, float]] = []  # tf's phases: name, wall since start, CPU
START = time.perf_counter()
ME = os.getpid()


def _timed(label: str, f: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(f)
    def g(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - t
            CALLS[label] += 1

    return g


def _marked(label: str, f: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(f)
    def g(*args: Any, **kwargs: Any) -> Any:
        MARKS.append((f"{label} begins", time.perf_counter() - START, time.process_time()))
        try:
            return f(*args, **kwargs)
        finally:
            MARKS.append((f"{label} ends", time.perf_counter() - START, time.process_time()))

    return g


def _collector(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _collector.began = time.process_time()  # type: ignore[attr-defined]
    else:
        CPU["(cyclic collector)"] += time.process_time() - _collector.began  # type: ignore[attr-defined]
        CALLS["(cyclic collector)"] += 1


def install() -> None:
    import tfcli.cli.common as common
    import tfcli.cli.render_cmd as render_cmd
    import tfcli.site as site
    from tfcli.site import gather, ics, markdown, pages, parallel, render, search, writer

    loading = _marked("loading", _timed("loading", common.load_repo))
    common.load_repo = loading
    setattr(render_cmd, "load_repo", loading)  # imported by name there  # noqa: B010
    gather.gather = _marked("gathering", _timed("gathering", gather.gather))
    pages.action = _timed("actions' dicts", pages.action)
    for kind in ("tracker", "organisation", "attendance", "decisions", "meetings", "index"):
        setattr(pages, kind, _timed(f"context: {kind}", getattr(pages, kind)))
    pages.meeting = _timed("context: meeting", pages.meeting)
    made = markdown.make_renderer
    markdown.make_renderer = lambda: _timed("markdown-it-py", made())
    jinja = render.render
    render.render = lambda env, template, context: _timed(f"Jinja2: {template}", jinja)(
        env, template, context
    )
    writer.SiteWriter.store = _timed("writing files", writer.SiteWriter.store)  # type: ignore[method-assign]
    search.entry_json = _timed("search entries", search.entry_json)
    ics.calendar = _timed("calendar", ics.calendar)
    site.build = _marked("build", site.build)
    run_all = parallel.run_all

    def logged(tasks: Any, jobs: int, done: Any, before_fork: Any = None) -> None:
        def one(f: Callable[[], Any]) -> Callable[[], Any]:
            def g() -> Any:
                t = time.process_time()
                try:
                    return f()
                finally:
                    spent = time.process_time() - t
                    if os.getpid() == ME:
                        CPU["(tasks: tf)"] += spent
                        CALLS["(tasks: tf)"] += 1
                    else:
                        with open(f"/tmp/tf-phases-{ME}", "a") as log:
                            log.write(f"{spent}\n")

            return g

        MARKS.append(("pages begin", time.perf_counter() - START, time.process_time()))
        run_all([one(f) for f in tasks], jobs, done, before_fork)
        MARKS.append(("pages end", time.perf_counter() - START, time.process_time()))

    parallel.run_all = logged
    gc.callbacks.append(_collector)


def report() -> None:
    if os.getpid() != ME:
        return
    total = time.process_time()
    print(
        f"\ntf's process: {total:.2f} s CPU, {time.perf_counter() - START:.2f} s wall",
        file=sys.stderr,
    )
    for label in sorted(CPU, key=lambda k: -CPU[k]):
        print(f"  {label:32} {CPU[label]:7.3f} s  ({CALLS[label]} calls)", file=sys.stderr)
    try:
        with open(f"/tmp/tf-phases-{ME}") as log:
            spent = [float(line) for line in log]
        os.unlink(f"/tmp/tf-phases-{ME}")
        print(
            f"  (tasks: workers)                 {sum(spent):7.3f} s  ({len(spent)} tasks)",
            file=sys.stderr,
        )
    except OSError:
        pass
    for label, wall, cpu in MARKS:
        print(f"  {wall:7.2f} s wall, tf {cpu:6.2f} s CPU: {label}", file=sys.stderr)


if __name__ == "__main__":
    install()
    atexit.register(report)
    from tfcli.entry import run

    sys.argv = ["tf", "render", *sys.argv[1:]]
    run()
