"""A patch's pages written in threads (writer.SiteWriter.write_all): each file whole, old or
new, whatever happens (an error in one file, Ctrl-C while they are written); no temporary
file left in the output; the next build a clean build's."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from rebuilding import ADDED, assert_clean, minutes, render
from test_render_cache import THIRD

from tfcli.errors import DataError
from tfcli.site import writer
from tfcli.site.writer import SiteWriter

pytestmark = pytest.mark.usefixtures("quiet_tracker")


def _site(tmp_path: Path, n: int = 12) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    old = {f"d{k % 3}/f{k}.html": f"old {k}\n".encode() * (k + 1) for k in range(n)}
    w = SiteWriter(out)
    for rel, data in old.items():
        w.write(rel, data)
    return out, old


def _new(old: dict[str, bytes]) -> dict[str, bytearray]:
    return {rel: bytearray(data.replace(b"old", b"new")) for rel, data in old.items()}


def _on_disk(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_every_file_is_written_and_noted(tmp_path: Path) -> None:
    out, old = _site(tmp_path)
    new = _new(old)
    w = SiteWriter(out)
    ran: list[bool] = []
    w.write_all(new, lambda: ran.append(True))
    assert ran == [True]
    assert _on_disk(out) == {rel: bytes(d) for rel, d in new.items()}
    assert w.written == set(new) and w.changed == len(new)
    # The same bytes again: nothing changes, each file keeps its stamp.
    w2 = SiteWriter(out)
    w2.write_all(new)
    assert w2.changed == 0


@pytest.mark.parametrize("threads", [1, writer.THREADS])
@pytest.mark.parametrize("where", ["a file", "the caller"])
@pytest.mark.parametrize("error", [OSError, KeyboardInterrupt])
def test_an_error_or_interrupt_leaves_each_file_old_or_new(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    error: type[BaseException],
    threads: int,
) -> None:
    monkeypatch.setattr(writer, "THREADS", threads)
    out, old = _site(tmp_path)
    new = _new(old)
    real = os.replace
    calls: list[str] = []
    lock = threading.Lock()

    def replace(a: Any, b: Any) -> None:
        with lock:
            calls.append(str(b))
            n = len(calls)
        if where == "a file" and n == 4:
            raise error(28, "No space left on device") if error is OSError else error()
        real(a, b)

    monkeypatch.setattr(writer.os, "replace", replace)

    def during() -> None:
        if where == "the caller":
            raise error(5, "I/O error") if error is OSError else error()

    want = DataError if (error is OSError and where == "a file") else error
    with pytest.raises(want):
        SiteWriter(out).write_all(new, during)
    assert threading.active_count() == 1  # every thread ended
    got = _on_disk(out)
    assert sorted(got) == sorted(old)  # no temporary file left
    for rel, data in got.items():
        assert data in (old[rel], bytes(new[rel])), rel
    if where == "a file" and threads == 1:
        # No file started after the error. (With several threads, those already writing
        # when it came may take more files before the failing one stops them: a race.)
        assert len(calls) == 4


def test_an_interrupted_patch_then_a_clean_build(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while a meeting added is written: each file is the old build's or the new's,
    nothing else is in the output, and the next build is a clean build's."""
    out = tmp_path / "site"
    render(out)
    before = _on_disk(out)
    text = minutes(tracker, THIRD).read_text("utf-8").replace("2022-07-22", "2022-08-05")
    minutes(tracker, "2022-08-05-added.md").write_text(text, "utf-8")
    real = SiteWriter.store
    count = [0]

    def store(self: SiteWriter, rel: str, raw: Any) -> Any:
        count[0] += 1
        if count[0] == 3:
            raise KeyboardInterrupt
        return real(self, rel, raw)

    monkeypatch.setattr(SiteWriter, "store", store)
    with pytest.raises(KeyboardInterrupt):
        render(out)
    monkeypatch.setattr(SiteWriter, "store", real)
    middle = _on_disk(out)
    assert middle != before  # (the files begun before the interrupt were ended)
    clean = tmp_path / "clean"
    render(clean, cache=False)
    after = _on_disk(clean)
    assert set(middle) <= set(before) | set(after)
    for rel, data in middle.items():
        assert data in (before.get(rel), after.get(rel)), rel
    assert render(out).by in (ADDED, None)
    assert_clean(tracker, out, tmp_path)
