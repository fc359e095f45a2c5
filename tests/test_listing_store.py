"""`.tf/listing` (tfcli.listing_store): a warm `tf actions --format json` of open actions
writes the JSON kept for them, filling in what depends on today; the bytes are those the
usual path writes, whatever the store holds and whatever day it is."""

from __future__ import annotations

import datetime as dt
import io
import json
import marshal
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import test_actions_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_actions_cli import Tf
from test_index import ON, _repos, damage
from test_pipeline_property import FRONT
from test_pipeline_property import _write as write_meetings

from tfcli import action_views, actions, dates, index, listing_store, load, tracked_store
from tfcli.load import load_repo

tf = test_actions_cli.tf  # the in-process `tf` fixture
OFF = {"TF_INDEX": "off"}
JSON = ("actions", "--format", "json")
OPTIONS = [
    (),
    ("--overdue",),
    ("--due-within", "0"),
    ("--due-within", "7"),
    ("--due-within", "3650"),
    ("--overdue", "--due-within", "30"),
    ("--status", "open"),
    ("--status", " In-Progress ", "--status", "open", "--overdue"),
    ("--overdue", "--exit-code"),
]


@pytest.fixture
def used(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Files just written are trusted by their times at once; records which path answered:
    "listing" (.tf/listing), "tracked" (.tf/tracked) or "load" (the minutes loaded)."""
    monkeypatch.setattr(index, "RACY_NS", -(10**15))
    got: list[str] = []
    for module, name, label in (
        (listing_store, "_read", "listing"),
        (tracked_store, "_read", "tracked"),
        (load, "load_repo", "load"),
    ):
        real = getattr(module, name)

        def recording(*args: Any, _real: Any = real, _label: str = label, **kw: Any) -> Any:
            value = _real(*args, **kw)
            if _label == "load" or value is not None:
                got.append(_label)
            return value

        monkeypatch.setattr(module, name, recording)
    yield got


def _fresh(tf: Tf, root: Path, today: str) -> None:
    shutil.rmtree(root / ".tf", ignore_errors=True)
    tf(*JSON, "--today", today, cwd=root, env=ON)  # loads the minutes, keeps the listing


def test_every_option_gives_the_bytes_of_the_usual_path(
    tf: Tf, tmp_path: Path, used: list[str]
) -> None:
    for root in _repos(tmp_path):
        readable = root.name != "broken"  # a file tf cannot read: nothing kept
        _fresh(tf, root, "2022-07-25")
        for options in OPTIONS:
            for today in ("2022-06-01", "2022-07-08", "2022-07-25", "2031-01-01"):
                args = (*JSON, *options, "--today", today)
                used.clear()
                warm = tf(*args, cwd=root, env=ON)
                assert used == (["listing"] if readable else ["load"]), (root.name, args)
                assert warm == tf(*args, cwd=root, env=OFF), (root.name, args)


def test_other_listings_take_the_usual_path(tf: Tf, tmp_path: Path, used: list[str]) -> None:
    root = _repos(tmp_path)[1]
    _fresh(tf, root, "2022-07-25")
    for options in [
        ("--all",),
        ("--status", "done"),
        ("--status", "open", "--status", "dropped"),
        ("--owner", "UNHCR"),
        ("--search", "the"),
        ("--meeting", "2022-07-08"),
        ("--format", "csv"),
        ("--format", "github"),
    ]:
        used.clear()
        args = (*JSON, *options, "--today", "2022-07-25")
        assert tf(*args, cwd=root, env=ON) == tf(*args, cwd=root, env=OFF), options
        assert "listing" not in used, options
    used.clear()
    bad = tf(*JSON, "--status", "opne", cwd=root, env=ON)
    assert bad.code == 2 and "did you mean 'open'" in bad.err
    assert bad == tf(*JSON, "--status", "opne", cwd=root, env=OFF)


def test_output_to_a_file_is_the_same(tf: Tf, tmp_path: Path, used: list[str]) -> None:
    root = _repos(tmp_path)[1]
    _fresh(tf, root, "2022-07-25")
    args = (*JSON, "--overdue", "--today", "2022-07-25", "--output")
    warm = tf(*args, str(tmp_path / "warm.json"), cwd=root, env=ON)
    assert used[-1] == "listing"
    off = tf(*args, str(tmp_path / "off.json"), cwd=root, env=OFF)
    assert warm == off and warm.out == ""
    assert (tmp_path / "warm.json").read_bytes() == (tmp_path / "off.json").read_bytes()
    assert json.loads((tmp_path / "warm.json").read_text(encoding="utf-8"))


def test_each_day_across_the_deadlines(tf: Tf, tmp_path: Path, used: list[str]) -> None:
    """overdue, days_left and hint are filled in for the day: every day from before the
    first deadline to after the last, the listing says what loading the minutes says."""
    root = _repos(tmp_path)[1]
    _fresh(tf, root, "2022-07-25")
    day = date(2022, 6, 20)
    while day <= date(2022, 8, 31):
        for options in ((), ("--overdue",), ("--due-within", "3")):
            args = (*JSON, *options, "--today", day.isoformat())
            used.clear()
            warm = tf(*args, cwd=root, env=ON)
            assert used == ["listing"]
            assert warm == tf(*args, cwd=root, env=OFF), args
        day += timedelta(days=3)


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "deleted", "other key"])
def test_a_damaged_or_stale_listing_is_not_used(
    tf: Tf, tmp_path: Path, used: list[str], how: str
) -> None:
    root = _repos(tmp_path)[1]
    _fresh(tf, root, "2022-07-25")
    path = root / ".tf" / listing_store.FILE
    if how in ("truncated", "garbage", "empty", "deleted"):
        damage(path, how)
    else:  # the minutes changed: the key differs
        one = root / "minutes" / "2022-07-08-anti-trafficking-task-force.md"
        text = one.read_text(encoding="utf-8")
        one.write_text(text.replace("status: in-progress", "status: done", 1), encoding="utf-8")
    args = (*JSON, "--overdue", "--today", "2022-07-25")
    used.clear()
    got = tf(*args, cwd=root, env=ON)
    assert "listing" not in used
    assert got == tf(*args, cwd=root, env=OFF)
    used.clear()
    assert tf(*args, cwd=root, env=ON) == got
    assert used == ["listing"], "written again"


def test_the_group_time_zone_decides_today(
    tf: Tf, tmp_path: Path, used: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --today: 21:30 UTC on 8 July is 9 July in Chisinau (tf.yml): an action due on
    8 July is overdue there, from the listing as from the minutes."""
    root = tmp_path / "repo"
    root.mkdir()
    test_actions_cli.write_due_dates(root)
    assert "timezone: Europe/Chisinau" in (root / "tf.yml").read_text(encoding="utf-8")
    _fresh(tf, root, "2022-07-01")

    class Pinned(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Pinned:
            return cls.fromisoformat("2022-07-08T21:30:00+00:00").astimezone(tz)

    monkeypatch.setattr(dates, "datetime", Pinned)
    used.clear()
    warm = tf(*JSON, "--overdue", cwd=root, env=ON)
    assert used == ["listing"]
    assert warm == tf(*JSON, "--overdue", cwd=root, env=OFF)
    rows = json.loads(warm.out)
    assert [(r["id"], r["days_left"], r["hint"]) for r in rows] == [
        ("2022-06-24/y", -2, "2 days overdue"),
        ("2022-06-24/t", -1, "1 day overdue"),
    ]
    assert "(today 2022-07-09)" in warm.err


def test_the_open_statuses_are_those_of_the_actions() -> None:
    assert listing_store._OPEN == actions.OPEN_STATUSES


def test_a_text_holding_the_mark_is_not_kept(tmp_path: Path) -> None:
    """A text with the very mark that cuts the kept JSON (NUL characters: tf's loader may
    refuse them, but the listing does not rely on it): nothing is kept."""
    from tfcli.record import replace

    root = tmp_path / "repo"
    root.mkdir()
    test_actions_cli.write_due_dates(root)
    repo = load_repo(root)
    tracked = actions.track(repo)
    t = tracked[1]
    marked = replace(t.action, text="\x00tf-today\x00")  # as a whole value
    tracked[1] = replace(t, action=marked)
    v = action_views.View.of(repo, date(2022, 7, 8))
    assert [action_views.json_parts(t, v) is None for t in tracked] == [False, True, False]
    assert listing_store._payload([], tracked, v) is None
    assert listing_store._payload([], [tracked[0], tracked[2]], v) is not None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(meetings=st.lists(FRONT, min_size=1, max_size=3), days=st.integers(-400, 400))
def test_kept_rows_are_the_usual_json_whatever_the_front_matter(
    tmp_path: Path, meetings: list[dict[str, Any]], days: int
) -> None:
    """The kept text, filled in for any day, is what output.write_json writes for the rows
    tf actions --format json selects (hypothesis: front matter of every shape)."""
    from tfcli.output import write_json

    root = tmp_path / "repo"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    write_meetings(root, meetings)
    repo = load_repo(root)
    tracked = actions.track(repo)
    today = date(2022, 7, 9) + timedelta(days=days)
    v = action_views.View.of(repo, today)
    payload = listing_store._payload(["a warning"], tracked, v)
    if payload is None:
        return  # nothing kept: the usual path answers
    key = b"k" * 16
    index._write_file(root, listing_store.FILE, key, marshal.dumps(payload))
    got = listing_store._read(root, key)
    assert got is not None and got[0] == ["a warning"]
    rows = got[1]
    # The rows a listing keeps are those it answers from (listing_store.answer_from).
    assert vars_of(rows) == vars_of(listing_store.Rows(*payload[1:]))
    for overdue, within in ((False, None), (True, None), (False, 5)):
        query = actions.Query(overdue=overdue, due_within=within)
        chosen = actions.select(tracked, query, v.roster, today)
        last = actions.last_day(today, within) if within is not None else None
        picked = rows.select(today, actions.OPEN_STATUSES, overdue, last)
        out = io.StringIO()
        write_json([action_views.as_json(t, v) for t in chosen], out)
        assert rows.text(picked, today) == out.getvalue().encode("utf-8")
        assert rows.overdue(picked, today) == sum(t.overdue(today) for t in chosen)


def test_only_a_json_listing_writes_it(tf: Tf, tmp_path: Path, used: list[str]) -> None:
    """Rendering the JSON costs a tenth of a load: other listings never pay for it."""
    root = _repos(tmp_path)[1]
    path = root / ".tf" / listing_store.FILE
    tf("actions", "--today", "2022-07-25", cwd=root, env=ON)
    tf("actions", "--format", "csv", "--today", "2022-07-25", cwd=root, env=ON)
    assert (root / ".tf" / tracked_store.FILE).exists() and not path.exists()
    used.clear()
    args = (*JSON, "--overdue", "--today", "2022-07-25")
    first = tf(*args, cwd=root, env=ON)
    assert used == ["tracked"] and path.exists()
    used.clear()
    assert tf(*args, cwd=root, env=ON) == first == tf(*args, cwd=root, env=OFF)
    assert used == ["listing", "load"]  # the listing; then TF_INDEX=off loads


def vars_of(rows: listing_store.Rows) -> tuple[object, ...]:
    return rows.between, rows.dues, rows.statuses, rows.heads, rows.tails
