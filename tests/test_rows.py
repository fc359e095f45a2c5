"""The rows `tf check` reads (tfcli.rows): the same from a meeting and from the index, a
damaged row never used, and a warm check that decodes no meeting still says every problem."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import test_actions_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_actions_cli import Tf
from test_index import Counted, _repos
from test_pipeline_property import FRONT, _write

from tfcli import index, load, paths, rows
from tfcli.check import check, check_book
from tfcli.index import Index

TODAY = date(2022, 7, 25)


def _book(root: Path, monkeypatch: pytest.MonkeyPatch, env: str) -> rows.Book:
    monkeypatch.setenv("TF_INDEX", env)
    monkeypatch.chdir(root)
    paths._cwd.cache_clear()
    return load.load_book(root)


def _rows(book: rows.Book) -> list[tuple[Any, ...]]:
    """Each sheet's file, row and positions (the positions messages could ask for)."""
    out = []
    for s in book.sheets:
        spans = {k: tuple(v) for k, v in s.spans.items()}
        out.append((str(s.path), tuple(getattr(s, f) for f in rows.FIELDS), spans))
    return out


def _same_every_way(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows from the meetings (no index), from a cold index and from a warm one agree, and
    so does what the rules find with each, and `check` of the loaded repo."""
    shutil.rmtree(root / ".tf", ignore_errors=True)
    off = _book(root, monkeypatch, "off")
    expected = check_book(off, TODAY)
    assert check(load.load_repo(root), TODAY) == expected
    for kind in ("cold", "warm"):
        on = _book(root, monkeypatch, "on")
        assert _rows(on) == _rows(off), kind
        assert (on.problems, on.files) == (off.problems, off.files), kind
        assert check_book(on, TODAY) == expected, kind


def test_rows_from_meetings_and_from_the_index_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for root in _repos(tmp_path):
        _same_every_way(root, monkeypatch)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(meetings=st.lists(FRONT, min_size=1, max_size=4))
def test_rows_agree_whatever_the_front_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meetings: list[dict[str, Any]]
) -> None:
    root = tmp_path / "repo"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    _write(root, meetings)
    _same_every_way(root, monkeypatch)


DAMAGE = {
    "not a tuple": lambda row: list(row),
    "short": lambda row: row[:-1],
    "a wrong type": lambda row: (row[0], str(row[1]), *row[2:]),
    "an action short": lambda row: (*row[:7], tuple(a[:-1] for a in row[7]) or (("x",),), *row[8:]),
    "an update's line a text": lambda row: (
        *row[:8],
        tuple((*u[:3], "1", *u[4:]) for u in row[8]) or (("x",) * 8,),
        *row[9:],
    ),
    "a problem of no severity": lambda row: (
        *row[:14],
        (("f", 1, 1, "fatal", "r", "m", None),),
    ),
    "a cell a number": lambda row: (*row[:10], ((1, (2,), 0, -1),), *row[11:]),
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_a_damaged_row_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A row of another shape (a damaged or foreign entry): its file is parsed again, and
    the check says what it says without an index."""
    root = _repos(tmp_path)[1]
    run = Counted(root, monkeypatch)
    run.load()
    expected = check_book(_book(root, monkeypatch, "off"), TODAY)
    monkeypatch.setenv("TF_INDEX", "on")
    config, _ = load.load_config(root)
    idx = Index.open(config)
    assert idx is not None
    real, entry = next((k, v) for k, v in sorted(idx.old.items()) if v[3] and v[3][7])
    damaged = DAMAGE[how](entry[3])
    assert not rows.valid(damaged)
    idx.new = dict(idx.old)
    idx.new[real] = (*entry[:3], damaged, entry[4])
    idx.old = {}
    idx.present = set()
    idx.save()
    run.parsed.clear()
    got = check_book(_book(root, monkeypatch, "on"), TODAY)
    assert run.parsed == [Path(real).name]
    assert got == expected


MINUTES = {
    "2022-06-24-a.md": """---
date: 2022-06-24
status: circulated
actions:
  - {id: 1, text: One, owner: IOM, due: 2022-07-08, status: done}
  - {id: 2, text: Two, owner: Nobody, due: before the next distribution}
  - {id: 3, text: Secret, owner: IOM, due: 2022-07-08, visibility: restricted}
---
| Id | Status |
|---|---|
| 1 | open |
""",
    "2022-07-08-a.md": """---
date: 2022-07-08
previous: {meeting: 2022-06-24, endorsed: true}
updates:
  - {action: 2022-06-24/1, status: in-progress}
  - {action: 2022-06-24/9, status: done}
  - {action: 2022-06-24/2, due: some day}
  - {action: 2022-06-24/2, due: 2022-08-01}
---
We discussed 2022-06-24/3 here.
""",
    "2022-07-09-b.md": "---\nid: 2022-07-08\ndate: 2022-07-09\nstatus: approved\n---\n",
    "2022-07-10-c.md": "---\ndate: 2022-07-11\ntime: 10:00\nend_time: 09:00\n---\n",
    "2022-07-12-d.md": "---\ndate: [\n---\n",
}
RULES = {
    "body-status", "due-words", "endorsement", "filename-date", "meeting-id", "owner",
    "restricted-action", "time", "update-duplicate", "update-reopen", "update-target", "yaml",
}  # fmt: skip


def test_a_problem_is_reported_without_decoding_any_meeting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm check reads rows only: no meeting is unpickled, yet every problem (of loading,
    of one file's rules, across files, with the lines they name) is the same."""
    root = tmp_path / "repo"
    (root / "minutes").mkdir(parents=True)
    (root / "tf.yml").write_text("group: G\norganisations: [IOM, UNHCR]\n")
    for name, text in MINUTES.items():
        (root / "minutes" / name).write_text(text)
    expected = check_book(_book(root, monkeypatch, "off"), TODAY)
    assert {p.rule for p in expected} == RULES
    _book(root, monkeypatch, "on")  # cold: writes the index

    def no_decoding(*args: object) -> object:
        raise AssertionError("a meeting was decoded")

    monkeypatch.setattr(index, "_decode", no_decoding)
    monkeypatch.setattr(load, "read_meeting", no_decoding)
    assert check_book(_book(root, monkeypatch, "on"), TODAY) == expected


tf = test_actions_cli.tf  # the in-process `tf` fixture


def test_a_named_draft_is_checked_by_every_rule(tf: Tf, tmp_path: Path) -> None:
    """A file the loader skips (`_drafts/`) but named on the command line is read then:
    the rules about it alone and those across files see it, with the index and without."""
    root = tmp_path / "repo"
    (root / "minutes" / "_drafts").mkdir(parents=True)
    (root / "tf.yml").write_text("group: G\n")
    (root / "minutes" / "2022-06-24-a.md").write_text(MINUTES["2022-06-24-a.md"])
    draft = "minutes/_drafts/2022-07-08-a.md"
    (root / draft).write_text(
        "---\ndate: 2022-07-08\ntime: 10:00\nend_time: 09:00\nupdates:\n"
        "  - {action: 2022-06-24/9, status: done}\n  - {action: 2022-06-24/1, status: open}\n"
        "---\n"
    )
    off = tf("check", draft, cwd=root, env={"TF_INDEX": "off"})
    rules = [line.split(" [")[1].split("]")[0] for line in off.out.splitlines()]
    assert rules == ["time", "update-target", "update-reopen"]
    assert "end_time 09:00 is not after" in off.out
    assert "unknown action '2022-06-24/9'" in off.out
    assert "sets 2022-06-24/1 to 'open', but it was closed" in off.out
    for _ in ("cold", "warm"):
        assert tf("check", draft, cwd=root, env={"TF_INDEX": "on"}) == off
    assert tf("check", draft, "--public", cwd=root, env={"TF_INDEX": "on"}) == off
