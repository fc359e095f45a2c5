"""The walk's own stat of each file (tfcli.walk, for the loader): the order and the
`paths.real_stat` of every file are those the loader would find by itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfcli import paths, walk

NAMES = st.sampled_from(["a", "a-b", "a.b", "B", "b", "z", "_d", ".h", "README"])


def _check(folder: Path) -> None:
    problems: list[object] = []
    stats: list[paths.RealStat] = []
    files = walk.walk(folder, problems, stats)  # type: ignore[arg-type]
    assert files == sorted(walk.walk(folder, []))
    assert files == sorted(files)
    assert len(stats) == len(files)
    for f, (real, got) in zip(files, stats, strict=True):
        want, want_st = paths.real_stat(f)
        assert real == want
        assert (got is None) == (want_st is None)
        if got is not None and want_st is not None:
            assert (got.st_ino, got.st_mode, got.st_size) == (
                want_st.st_ino,
                want_st.st_mode,
                want_st.st_size,
            )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=st.lists(st.lists(NAMES, min_size=1, max_size=3), max_size=12))
def test_order_and_stats_are_the_loaders(tmp_path: Path, tree: list[list[str]]) -> None:
    root = tmp_path / "t"
    root.mkdir(exist_ok=True)
    for parts in tree:
        folder = root.joinpath(*parts[:-1])
        if any(p.is_file() for p in [folder, *folder.parents] if p != root and root in p.parents):
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{parts[-1]}.md"
        if not target.is_dir():
            target.write_text("x")
    _check(root)


def test_links_odd_files_and_a_relative_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = tmp_path / "m"
    (m / "sub").mkdir(parents=True)
    (m / "x.md").write_text("x")
    (m / "sub" / "y.MD").write_text("y")
    (m / "link.md").symlink_to("x.md")
    (m / "broken.md").symlink_to("nowhere.md")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.md").write_text("f")
    (m / "far.md").symlink_to(tmp_path / "elsewhere" / "far.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(m / "fifo.md")
    _check(m)
    monkeypatch.chdir(tmp_path)
    _check(Path("m"))
    _check(Path("m/../m"))
