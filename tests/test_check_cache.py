"""`.tf/check` (tfcli.check_cache): the rules across files answered from the last run only
when nothing they read has changed; the same problems as without an index after any edit,
and with the kept answer missing, damaged, foreign or of another day."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import test_actions_cli
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_actions_cli import Tf
from test_pipeline_property import FRONT
from test_rows import MINUTES

from tfcli import check, check_cache, index, load, paths
from tfcli.model import Problem
from tfcli.rows import Book, Sheet

TODAY = date(2022, 7, 25)
tf = test_actions_cli.tf  # the in-process `tf` fixture


def _repo(root: Path, minutes: dict[str, str] = MINUTES) -> Path:
    (root / "minutes").mkdir(parents=True)
    (root / "tf.yml").write_text("group: G\norganisations: [IOM, UNHCR]\n")
    for name, text in minutes.items():
        (root / "minutes" / name).write_text(text)
    return root


def _book(root: Path, monkeypatch: pytest.MonkeyPatch, env: str) -> Book:
    monkeypatch.setenv("TF_INDEX", env)
    monkeypatch.chdir(root)
    paths._cwd.cache_clear()
    return load.load_book(root)


def _problems(root: Path, monkeypatch: pytest.MonkeyPatch, env: str, today: date) -> list[Any]:
    return check.check_book(_book(root, monkeypatch, env), today)


class Runs:
    """The cached rules, counted: how many times they ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        first = check.CACHED_RULES[0]

        def counted(book: Book, today: date) -> Any:
            self.n += 1
            return first(book, today)

        monkeypatch.setattr(check, "CACHED_RULES", [counted, *check.CACHED_RULES[1:]])


def test_a_body_edit_runs_no_cached_rule_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path / "repo")
    runs = Runs(monkeypatch)
    first = _problems(root, monkeypatch, "on", TODAY)
    assert runs.n == 1 and (root / ".tf" / check_cache.NAME).is_file()
    assert {p.rule for p in first} >= {"update-target", "update-reopen", "endorsement"}
    # A file they report nothing in (a file they report on: its positions may have moved).
    body = root / "minutes" / "2022-07-10-c.md"
    with body.open("a") as f:  # names a restricted action: a rule that always runs says so
        f.write("\nAgain: 2022-06-24/3, and a new line.\n")
    again = _problems(root, monkeypatch, "on", TODAY)
    assert runs.n == 1  # the kept answer
    assert again == _problems(root, monkeypatch, "off", TODAY)
    reported = root / "minutes" / "2022-07-08-a.md"
    reported.write_text(reported.read_text() + "A line.\n")
    assert _problems(root, monkeypatch, "on", TODAY) == again
    # (The run without an index counted.) Its problems are the follow-up rules': those of
    # their actions are found again (tests/test_check_keys.py), not the meetings'.
    assert runs.n == 2
    assert again != first  # the new line's restricted id is found (that rule always runs)
    _problems(root, monkeypatch, "on", date(2022, 7, 26))  # another day: run again
    assert runs.n == 3


def test_a_moved_position_is_reported_where_it_is_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two lines swapped move a reported field without changing the file's row: the kept
    problems named the old line, so they are not used."""
    root = _repo(tmp_path / "repo")
    before = _problems(root, monkeypatch, "on", TODAY)
    first = root / "minutes" / "2022-06-24-a.md"
    assert ("endorsement", 3) in {(p.rule, p.line) for p in before if first.name in p.path}
    text = first.read_text()
    first.write_text(
        text.replace("date: 2022-06-24\nstatus: circulated", "status: circulated\ndate: 2022-06-24")
    )
    got = _problems(root, monkeypatch, "on", TODAY)
    assert got == _problems(root, monkeypatch, "off", TODAY)
    assert ("endorsement", 2) in {(p.rule, p.line) for p in got if first.name in p.path}


def _edit(root: Path, how: str, n: int, front: dict[str, Any]) -> None:
    files = sorted((root / "minutes").glob("*.md"))
    if not files and how != "add":
        return
    path = files[n % len(files)] if files else root / "minutes" / "x.md"
    text = path.read_text() if path.exists() else ""
    if how == "body":
        path.write_text(text + f"\nA line naming 2022-06-24/{n % 4}.\n")
    elif how == "comment":  # every position below moves; the row keeps its values
        path.write_text(text.replace("---\n", "---\n# a comment\n", 1))
    elif how == "front":
        path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody\n")
    elif how == "add":
        name = f"2022-07-{20 + n % 8:02d}-n.md"
        (root / "minutes" / name).write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n"
        )
    elif how == "remove":
        path.unlink()
    elif how == "touch":
        os.utime(path)
    elif how == "same size":  # the same size and times: only the content digest tells
        st = path.stat()
        path.write_text(text.replace("status: ", "status:\t", 1))
        if path.stat().st_size == st.st_size:
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


EDITS = ["body", "comment", "front", "add", "remove", "touch", "same size"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(EDITS), st.integers(0, 9), FRONT, st.booleans()),
        min_size=1,
        max_size=5,
    )
)
def test_after_any_edits_the_same_problems_as_without_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edits: list[tuple[str, int, Any, bool]]
) -> None:
    root = tmp_path / "repo"
    shutil.rmtree(root, ignore_errors=True)
    _repo(root)
    _problems(root, monkeypatch, "on", TODAY)
    for how, n, front, later in edits:
        _edit(root, how, n, front)
        today = date(2022, 8, 30) if later else TODAY
        expected = _problems(root, monkeypatch, "off", today)
        assert _problems(root, monkeypatch, "on", today) == expected, how
        assert _problems(root, monkeypatch, "on", today) == expected, how  # from .tf/check


def _damage(root: Path, how: str) -> None:
    kept = root / ".tf" / check_cache.NAME
    data = kept.read_bytes()
    head = index._HEADER.size
    if how == "deleted":
        kept.unlink()
    elif how == "truncated":
        kept.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        kept.write_bytes(data[:head] + b"\x00garbage")
    elif how in ("shape", "problem"):
        import marshal

        payload = list(marshal.loads(data[head:]))
        if how == "shape":
            payload[3] = payload[3][:-1]
        else:
            payload[5] = [("f", 1, 1, "fatal", "r", "m", None)]
        kept.write_bytes(data[:head] + marshal.dumps(tuple(payload)))
    elif how == "another answer":  # well formed, for these very files: only its key differs
        import marshal

        payload = list(marshal.loads(data[head:]))
        payload[0] -= 1
        kept.write_bytes(data[:head] + marshal.dumps(tuple(payload)))


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage", "shape", "another answer"])
def test_a_damaged_or_stale_answer_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    root = _repo(tmp_path / "repo")
    expected = _problems(root, monkeypatch, "off", TODAY)
    _problems(root, monkeypatch, "on", TODAY)
    _damage(root, how)
    runs = Runs(monkeypatch)
    assert _problems(root, monkeypatch, "on", TODAY) == expected
    assert runs.n == 1
    assert _problems(root, monkeypatch, "on", TODAY) == expected  # written again
    assert runs.n == 1


def test_kept_problems_of_the_wrong_shape_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path / "repo")
    expected = _problems(root, monkeypatch, "off", TODAY)
    _problems(root, monkeypatch, "on", TODAY)
    _damage(root, "problem")
    assert _problems(root, monkeypatch, "on", TODAY) == expected


def test_an_answer_copied_from_another_folder_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies of one repository: the same files, the same rows; the answer of one is
    never read by the other (the index's header names its folder)."""
    a = _repo(tmp_path / "a")
    b = _repo(tmp_path / "b")
    _problems(a, monkeypatch, "on", TODAY)
    expected = _problems(b, monkeypatch, "off", TODAY)
    shutil.copytree(a / ".tf", b / ".tf")
    runs = Runs(monkeypatch)
    assert _problems(b, monkeypatch, "on", TODAY) == expected
    assert runs.n == 1


def test_no_index_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    _problems(root, monkeypatch, "off", TODAY)
    assert not (root / ".tf").exists()


def test_the_command_says_the_same_with_and_without_the_kept_answer(tf: Tf, tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    args = ("check", "--today", "2022-07-25")
    off = tf(*args, cwd=root, env={"TF_INDEX": "off"})
    assert off.code == 1 and "update-target" in off.out
    for _ in ("cold", "warm", "kept"):
        assert tf(*args, cwd=root, env={"TF_INDEX": "on"}) == off
    (root / ".tf" / check_cache.NAME).write_bytes(b"tfindex1" + b"\xff" * 64)
    assert tf(*args, cwd=root, env={"TF_INDEX": "on"}) == off


def _bodiless(s: Sheet) -> Sheet:
    return Sheet(s.path, (*s.row[:11], "", *s.row[12:]), lambda: s.spans)


def test_the_cached_rules_read_no_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes a body edit safe to skip them for: with every body emptied, they find
    exactly what they find with the bodies."""
    root = _repo(tmp_path / "repo")
    book = _book(root, monkeypatch, "off")
    found: Callable[[Book], list[Problem]] = lambda b: [  # noqa: E731
        p for rule in check.CACHED_RULES for p in rule(b, TODAY)
    ]
    expected = found(book)
    assert any(s.body for s in book.sheets)
    book.sheets = [_bodiless(s) for s in book.sheets]
    book.cache.clear()
    assert found(book) == expected


def test_concurrent_checks_all_answer_alike(tmp_path: Path) -> None:
    """Four `tf check` at once after an edit, each writing `.tf/check` (and which shards it
    found valid): each says what a check without an index says, and so does the next."""
    import subprocess
    import sys

    root = _repo(tmp_path / "repo")
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2022-07-25"}
    env.pop("TF_INDEX", None)
    cmd = [sys.executable, "-m", "tfcli", "check", "--format", "json"]
    subprocess.run(cmd, cwd=root, env=env, capture_output=True)
    for name in ("2022-07-10-c.md", "2022-07-08-a.md"):  # a body; a file with problems
        changed = root / "minutes" / name
        changed.write_text(changed.read_text() + "\nOne more line, 2022-06-24/3.\n")
        procs = [
            subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        outs = {(*p.communicate(timeout=60), p.returncode) for p in procs}
        off = subprocess.run(cmd, cwd=root, env={**env, "TF_INDEX": "off"}, capture_output=True)
        assert outs == {(off.stdout, off.stderr, off.returncode)}
        assert [f.name for f in (root / ".tf").iterdir() if f.name.startswith(".")] == [
            ".gitignore"
        ]
        again = subprocess.run(cmd, cwd=root, env=env, capture_output=True)
        assert {(again.stdout, again.stderr, again.returncode)} == outs
