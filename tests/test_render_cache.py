"""The render cache (.tf/render-cache) never changes a site: after any change to the minutes,
tf.yml, the group's templates or the day, an incremental build is byte for byte a clean one;
a damaged, foreign or deleted cache only makes a build slower."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import run_tf

from tfcli.load import load_repo
from tfcli.site import build
from tfcli.site.cache import CACHE_DIR
from tfcli.site.policy import Policy

TODAY = date(2022, 7, 25)
FIRST = "2022-06-24-anti-trafficking-task-force.md"
SECOND = "2022-07-08-anti-trafficking-task-force.md"
THIRD = "2022-07-22-anti-trafficking-task-force.md"


def files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != ".tf-site"
    }


def assert_same_as_clean(repo: Path, out: Path, tmp: Path, today: date = TODAY) -> None:
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(load_repo(repo), today, clean, Policy(), jobs=1, use_cache=False)
    got, want = files(out), files(clean)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def follow_up_closes_an_earlier_action(repo: Path) -> None:
    # In the last meeting: the first meeting's pages, the tracker and more change.
    edit(
        repo / "minutes" / THIRD,
        "updates:\n",
        "updates:\n  - action: 2022-06-24/2\n    status: done\n",
    )


def renamed_file(repo: Path) -> None:
    (repo / "minutes" / SECOND).rename(repo / "minutes" / "2022-07-08-renamed.md")


def deleted_meeting(repo: Path) -> None:
    (repo / "minutes" / THIRD).unlink()


def changed_config(repo: Path) -> None:
    edit(repo / "tf.yml", "group: Anti-Trafficking Task Force", "group: Counter-Trafficking TF")


def changed_template(repo: Path) -> None:
    folder = repo / "templates" / "site"
    folder.mkdir(parents=True, exist_ok=True)
    base = (Path(__file__).parent.parent / "tfcli" / "defaults" / "site" / "base.html").read_text(
        encoding="utf-8"
    )
    (folder / "base.html").write_text(base.replace("made with tf render", "by us"), "utf-8")


def body_only(repo: Path) -> None:
    edit(repo / "minutes" / SECOND, "\n## ", "\nOne more line.\n\n## ")


@pytest.mark.parametrize(
    "change",
    [
        follow_up_closes_an_earlier_action,
        renamed_file,
        deleted_meeting,
        changed_config,
        changed_template,
        body_only,
    ],
)
def test_incremental_build_equals_a_clean_one(
    tracker: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    out = tmp_path / "site"
    first = build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    assert first.cached == 0
    change(tracker)
    again = build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    # each change shows somewhere, but a file's name (no page shows it)
    assert (again.changed > 0) == (change is not renamed_file)
    assert_same_as_clean(tracker, out, tmp_path)


def test_another_day_renders_what_depends_on_it(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    later = date(2022, 9, 30)
    again = build(load_repo(tracker), later, out, Policy(), jobs=1)
    assert again.changed > 0
    assert_same_as_clean(tracker, out, tmp_path, later)


def test_damaged_or_foreign_entries_are_not_used(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    entries = [p for p in (tracker / CACHE_DIR).rglob("*") if p.is_file()]
    assert entries
    for n, p in enumerate(entries):  # same length, other bytes; truncated; empty
        raw = p.read_bytes()
        p.write_bytes([raw[:-7] + b"<x>evil", raw[: len(raw) // 2], b""][n % 3])
    shutil.rmtree(out)
    again = build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    assert again.cached == 0
    assert_same_as_clean(tracker, out, tmp_path)
    # and the damaged entries were replaced: the next build takes every page from the cache
    assert build(load_repo(tracker), TODAY, out, Policy(), jobs=1).cached == again.pages


def test_concurrent_builds_share_the_cache(tracker: Path, tmp_path: Path) -> None:
    follow_up_closes_an_earlier_action(tracker)
    cmd = [sys.executable, "-m", "tfcli", "render", "--today", TODAY.isoformat(), "--out"]
    procs = [
        subprocess.Popen([*cmd, str(tmp_path / name)], cwd=tracker, stderr=subprocess.PIPE)
        for name in ("a", "b", "c")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    for name in ("a", "b", "c"):
        assert_same_as_clean(tracker, tmp_path / name, tmp_path)


def test_parallel_build_prints_no_worker_traceback(tmp_path: Path) -> None:
    """Enough pages for two workers (40 a core): the pool's end must be quiet."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    generate(90, tmp_path)
    r = run_tf("render", "--jobs", "2", "--no-cache", "--today", "2026-11-01", cwd=tmp_path)
    assert r.code == 0, r.err
    assert r.err.startswith("tf render: public site of ") and "Traceback" not in r.err
    assert r.err.count("\n") == 1


def test_search_entries_of_unchanged_meetings_are_reused(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tfcli.site import search

    made: list[str] = []
    real = search.entry_json
    monkeypatch.setattr(search, "entry_json", lambda site, m: made.append(m.id) or real(site, m))
    out = tmp_path / "site"
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    assert made == ["2022-06-24", "2022-07-08", "2022-07-22"]
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1)  # nothing changed: all cached
    made.clear()
    body_only(tracker)
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    assert made == ["2022-07-08"]
    assert_same_as_clean(tracker, out, tmp_path)


def test_a_new_markdown_renderer_version_renders_every_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.metadata

    from tfcli.site.cache import code_fingerprint

    before = code_fingerprint([tmp_path])
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "99.0" if name == "markdown-it-py" else real(name),
    )
    assert code_fingerprint([tmp_path]) != before


def test_keys_see_nested_values_and_ignore_a_meetings_positions(tracker: Path) -> None:
    """A page's key: a plain dict (an action as a page shows it) by its whole value; a
    meeting inside a dict or a tuple by its fields, not its YAML positions."""
    from tfcli.record import replace
    from tfcli.site.cache import Keys

    m = load_repo(tracker).meetings[0]
    moved = replace(m, spans={})
    edited = replace(m, body=m.body + "\nmore")

    def key(value: object) -> str | None:
        return Keys("base").page({"x": value}, None)

    assert m.spans and key({"m": m, "n": [1]}) == key({"m": moved, "n": [1]})
    assert key([(m, "p")]) == key([(moved, "p")]) != key([(edited, "p")])
    assert key({"m": m}) != key({"m": edited})
    row = {"id": "a/1", "due": date(2022, 7, 1), "updates": [{"meeting": "b", "note": "x"}]}
    later = {**row, "updates": [{"meeting": "b", "note": "y"}]}
    assert key({"a": row}) != key({"a": later})
    assert key([row, True]) != key([row, False]) != key([row, 1.5])
    assert key({"o": object()}) is None  # an unstable repr: never cached


def test_a_rebuild_compares_its_files_by_their_stamps(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files a build wrote are not read by the next one while their size, time and
    inode are as it left them; a file changed since (same size: a typo fixed by hand in the
    output) is written again; damaged or deleted stamps only make a build read its files."""
    import os

    out = tmp_path / "out"
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    stamps = list((tracker / CACHE_DIR).glob("stamps-*"))
    assert len(stamps) == 1
    real = Path.read_bytes

    def no_output_reads(self: Path) -> bytes:
        assert out not in self.parents, self
        return real(self)

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", no_output_reads)
        assert build(load_repo(tracker), TODAY, out, Policy(), jobs=1).changed == 0
    page = out / "tracker.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"Action tracker", b"Action Tracker"))
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    assert build(load_repo(tracker), TODAY, out, Policy(), jobs=1).changed == 1
    assert page.read_bytes() == data
    stamps[0].write_text("tracker.html\tnonsense\n\x00\tx\t1\t2\t3\n", encoding="utf-8")
    page.write_bytes(data.replace(b"Action tracker", b"Action Tracker"))
    assert build(load_repo(tracker), TODAY, out, Policy(), jobs=1).changed == 1
    stamps[0].unlink()
    assert build(load_repo(tracker), TODAY, out, Policy(), jobs=1).changed == 0
    assert_same_as_clean(tracker, out, tmp_path)
