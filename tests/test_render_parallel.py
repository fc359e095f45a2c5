"""The build's own pool of forked workers (tfcli.site.parallel): every task's result reaches
the parent once, a worker's error is the parent's, a worker that dies is an error, and no
worker outlives the build. Pages are written by the worker that makes them."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from conftest import run_tf
from test_render import TODAY, files, render

from tfcli.errors import DataError
from tfcli.load import load_repo
from tfcli.site import build, pages, parallel
from tfcli.site.gather import gather
from tfcli.site.policy import Policy
from tfcli.site.writer import SiteWriter

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")


def _children() -> set[int]:
    """This process's living children (Linux: /proc)."""
    me = str(os.getpid())
    kids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                kids.add(int(d.name))
    return kids


@pytest.mark.parametrize("jobs", [2, 3])
def test_every_result_reaches_the_parent_once(jobs: int) -> None:
    got: dict[int, tuple[int, int]] = {}

    def task(n: int) -> tuple[int, int]:
        time.sleep(0.002)  # long enough for every process to take some
        return n * n, os.getpid()

    tasks = [lambda n=n: task(n) for n in range(203)]  # 203: a last short chunk
    parallel.run_all(tasks, jobs, lambda n, r: got.setdefault(n, r))
    assert sorted(got) == list(range(203))
    assert all(square == n * n for n, (square, _) in got.items())
    pids = {pid for _, pid in got.values()}
    assert len(pids) == jobs and os.getpid() in pids  # this process and jobs - 1 workers
    assert got[202][1] != os.getpid()  # the first worker from the back
    if jobs == 2:
        assert got[0][1] == os.getpid()  # this one from the front


def test_too_few_tasks_run_here_in_order() -> None:
    seen: list[int] = []
    parallel.run_all([lambda n=n: n for n in range(50)], 2, lambda n, r: seen.append(r))
    assert seen == list(range(50))  # 50 < 2 x MIN_PER_WORKER: no fork


def test_a_workers_error_is_raised_in_the_parent_and_no_worker_is_left() -> None:
    def task(n: int) -> int:
        if n == 97:
            raise DataError("site template x.html: broken", "fix it", "x.html:3")
        return n

    before = _children()
    with pytest.raises(DataError) as e:
        parallel.run_all([lambda n=n: task(n) for n in range(200)], 2, lambda n, r: None)
    assert (e.value.message, e.value.hint, e.value.where) == (
        "site template x.html: broken",
        "fix it",
        "x.html:3",
    )
    assert _children() == before


def test_a_worker_that_dies_is_an_error_not_a_short_site() -> None:
    parent = os.getpid()  # which renders too: only a worker may die here

    def task(n: int) -> int:
        time.sleep(0.002)
        if n == 199 and os.getpid() != parent:  # the worker's first, from the back
            os.kill(os.getpid(), signal.SIGKILL)
        return n

    before = _children()
    done: list[int] = []
    with pytest.raises(parallel.WorkerFailed):
        parallel.run_all([lambda n=n: task(n) for n in range(200)], 2, lambda n, r: done.append(n))
    assert 199 not in done
    time.sleep(0.1)
    assert _children() == before


def test_a_group_template_error_in_a_worker_is_an_answer(seed_repo: Path) -> None:
    """Enough meetings for two workers; the meeting page's template fails in them."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    generate(90, seed_repo / "big")
    (seed_repo / "big" / "templates" / "site").mkdir(parents=True)
    (seed_repo / "big" / "templates" / "site" / "meeting.html").write_text(
        "{{ m.nothing_here.at_all }}", encoding="utf-8"
    )
    r = run_tf("render", "--jobs", "2", "--no-cache", cwd=seed_repo / "big")
    assert r.code == 3, r.err
    assert "site template meeting.html" in r.err and "Traceback" not in r.err


def test_forked_builds_with_and_without_the_cache_equal_one_process(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers write the pages; the parent's account (files, changes, stamps) is the same
    as when one process writes them all."""
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)  # fork even for a small site
    serial = render(tracker, tmp_path / "serial", jobs=1)
    out = tmp_path / "forked"
    first = build(load_repo(tracker), TODAY, out, Policy(), jobs=2)
    assert files(out) == files(serial)
    for name in files(serial):
        assert (serial / name).read_bytes() == (out / name).read_bytes(), name
    assert first.changed == first.files == len(first.stamps) - 1  # and the marker
    for rel, (_, st) in first.stamps.items():
        assert st[0] == (out / rel).stat().st_size
    again = build(load_repo(tracker), TODAY, out, Policy(), jobs=2, use_cache=False)
    assert (again.changed, again.files, set(again.stamps)) == (0, first.files, {".tf-site"})


def test_a_fresh_folder_is_written_without_looking_and_a_used_one_compared(
    tmp_path: Path,
) -> None:
    fresh = SiteWriter(tmp_path / "new", keep=False)
    assert fresh.fresh
    fresh.write("a/b.html", b"one")
    assert (fresh.changed, fresh.records) == (1, {})
    fresh.finish()
    again = SiteWriter(tmp_path / "new")
    assert not again.fresh
    again.write("a/b.html", b"one")
    again.write("a/c.html", b"two")
    assert again.changed == 1 and set(again.records) == {"a/b.html", "a/c.html"}


@pytest.mark.parametrize("internal", [False, True])
def test_a_clean_build_forked_before_the_actions_dicts_equals_one_process(
    seed_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, internal: bool
) -> None:
    """A clean build forks its worker before any action's dict is made: the worker makes
    them all for the tracker and the organisation pages (its first tasks, from the back),
    this process those of its own meeting pages; the pages are the same as one process's."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    generate(120, seed_repo / "big")
    repo = seed_repo / "big"
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    serial = render(repo, tmp_path / "serial", jobs=1, include_restricted=internal)
    early: list[int] = []
    showing_all = pages.showing_all
    monkeypatch.setattr(pages, "showing_all", lambda site: early.append(1) or showing_all(site))
    out = tmp_path / "forked"
    result = build(load_repo(repo), TODAY, out, Policy(internal), 2, use_cache=False)
    assert early and result.cached == 0  # the early fork's order was taken
    site = gather(load_repo(repo), TODAY, Policy(internal))
    order, plan = pages.forked_order(site), pages.plan(site)
    assert sorted(order) == list(range(len(plan)))
    made = [plan[i]() for i in order]
    assert made[-1].path == "tracker.html" and made[0].path == "attendance.html"
    assert {p.template for p in made[-pages.showing_all(site) :]} == {
        "tracker.html",
        "organisation.html",
    }
    assert {p.template for p in made[5 : -pages.showing_all(site)]} == {"meeting.html"}
    assert files(out) == files(serial)
    for name in files(serial):
        assert (serial / name).read_bytes() == (out / name).read_bytes(), name
