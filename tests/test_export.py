"""`tf export --sqlite`: the database read back with sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import test_actions_cli
from test_actions_cli import Tf

tf = test_actions_cli.tf  # the in-process `tf` fixture


def test_sqlite_export_has_keys_and_joins(tf: Tf, tracker: Path) -> None:
    r = tf("export", "--sqlite", "minutes.db", cwd=tracker)
    assert r.code == 0, r.err
    assert r.out == ""
    assert "tf export: minutes.db: 3 meetings, 7 actions, 3 follow-ups" in r.err
    temps = [p.name for p in tracker.iterdir() if p.name.startswith(".") and p.name != ".tf"]
    assert temps == []  # .tf holds tf's index
    assert (tracker / "minutes.db").stat().st_mode & 0o777 == 0o644
    db = sqlite3.connect(tracker / "minutes.db")
    db.execute("PRAGMA foreign_keys = ON")
    tables = [
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]
    assert tables == [
        "action_owners",
        "actions",
        "attendance",
        "decisions",
        "meetings",
        "organisations",
        "updates",
    ]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {(r[2], r[3], r[4]) for r in db.execute("PRAGMA foreign_key_list(updates)")}
    assert fks == {("actions", "action_id", "id"), ("meetings", "meeting_id", "id")}
    # A join over the foreign keys: each follow-up with the meeting of its action.
    rows = db.execute(
        "SELECT u.action_id, a.meeting_id, m.date, u.meeting_id, u.status, u.due "
        "FROM updates u JOIN actions a ON a.id = u.action_id JOIN meetings m ON m.id = a.meeting_id "
        "ORDER BY u.id"
    ).fetchall()
    assert rows == [
        ("2022-06-24/1", "2022-06-24", "2022-06-24", "2022-07-08", "done", None),
        ("2022-06-24/2", "2022-06-24", "2022-06-24", "2022-07-08", "in-progress", "2022-07-22"),
        ("2022-07-08/1", "2022-07-08", "2022-07-08", "2022-07-22", None, "2022-07-29"),
    ]
    # Effective and original state; owners through the roster (a role counts for its members).
    assert db.execute(
        "SELECT status, due, original_status, original_due FROM actions WHERE id = '2022-06-24/2'"
    ).fetchone() == ("in-progress", "2022-07-22", "open", "2022-07-08")
    owners = db.execute(
        "SELECT o.organisation, g.group_name FROM action_owners o JOIN organisations g "
        "ON g.name = o.organisation WHERE o.action_id = '2022-06-24/1' ORDER BY o.id"
    ).fetchall()
    assert owners == [
        ("State Chancellery", "government"),
        ("UNHCR", "international"),
        ("IOM", "international"),
    ]
    n = db.execute("SELECT count(*) FROM attendance WHERE meeting_id = '2022-06-24'").fetchone()[0]
    assert n > 20
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] >= 0
    # Keys are enforced: a follow-up of an action that does not exist is refused.
    try:
        db.execute(
            "INSERT INTO updates (action_id, meeting_id, line) VALUES ('nope/1', '2022-06-24', 1)"
        )
        raise AssertionError("foreign key not enforced")
    except sqlite3.IntegrityError:
        pass
    db.close()


def test_sqlite_export_never_overwrites_without_force(tf: Tf, tracker: Path) -> None:
    (tracker / "minutes.db").write_bytes(b"precious")
    r = tf("export", "--sqlite", "minutes.db", cwd=tracker)
    assert r.code == 2 and "minutes.db already exists; not overwriting it (add --force" in r.err
    assert (tracker / "minutes.db").read_bytes() == b"precious"
    r = tf("export", "--sqlite", "minutes.db", "--force", cwd=tracker)
    assert r.code == 0
    db = sqlite3.connect(tracker / "minutes.db")
    assert db.execute("SELECT count(*) FROM meetings").fetchone() == (3,)
    db.close()


def test_duplicate_meetings_and_dangling_follow_ups_are_skipped(tf: Tf, tracker: Path) -> None:
    src = tracker / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    (tracker / "minutes" / "2022-07-22-copy.md").write_text(
        src.read_text(encoding="utf-8").replace("title:", "id: 2022-07-22\ntitle:", 1),
        encoding="utf-8",
    )
    r = tf("export", "--sqlite", "m.db", cwd=tracker)
    assert r.code == 0, r.err
    assert "skipped (see tf check)" in r.err
    db = sqlite3.connect(tracker / "m.db")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
