"""`tf export --sqlite`: the database read back with sqlite3."""

from __future__ import annotations

import shutil
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
        "agenda_items",
        "attendance",
        "decisions",
        "meetings",
        "minute_takers",
        "notes",
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


CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_sqlite_export_has_issue_8_fields(tf: Tf, tmp_path: Path) -> None:
    """Issue 8's corpus: the meeting's fields, deadlines in words, handovers, note histories
    and nested agenda, queried back; never the attendance annex."""
    repo = tmp_path / "pwg"
    shutil.copytree(CORPUS, repo)
    r = tf("export", "--sqlite", "pwg.db", cwd=repo)
    assert r.code == 0, r.err
    db = sqlite3.connect(repo / "pwg.db")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    q = db.execute
    assert q(
        "SELECT duration, purpose, language, postponed_from, postponed_reason, end_time "
        "FROM meetings WHERE id IN ('2023-03-09', '2023-04-06') ORDER BY id"
    ).fetchall() == [
        (
            None,
            None,
            None,
            "2023-03-02",
            "Public holiday (Mărțișor week events at the venue)",
            "11:30",
        ),
        (
            90,
            "Monthly coordination of the protection response for refugees from Ukraine",
            "en",
            None,
            None,
            None,
        ),
    ]
    assert q(
        "SELECT meeting_id, position, name, organisation FROM minute_takers "
        "WHERE meeting_id = '2023-04-06' ORDER BY position"
    ).fetchall() == [
        ("2023-04-06", 1, "Maria Popescu", "UNHCR"),
        ("2023-04-06", 2, "Ana Rusu", "La Strada"),
    ]
    assert q(
        "SELECT organisation, attends_as FROM attendance WHERE meeting_id = '2023-03-09' "
        "AND attends_as IS NOT NULL ORDER BY id"
    ).fetchall() == [("IOM", "observer"), ("UNFPA", "guest")]
    # Agenda: each sub-item points at its parent; the restricted item says so.
    tree = q(
        "SELECT a.level, a.position, a.title, p.title, a.visibility FROM agenda_items a "
        "LEFT JOIN agenda_items p ON p.id = a.parent_id WHERE a.meeting_id = '2023-03-09' "
        "ORDER BY a.id"
    ).fetchall()
    assert tree == [
        (
            1,
            1,
            "Endorsement of the previous minutes and review of pending action points",
            None,
            "public",
        ),
        (1, 2, "Updates from partners", None, "public"),
        (2, 1, "Cash for protection", "Updates from partners", "public"),
        (2, 2, "Legal aid", "Updates from partners", "public"),
        (3, 1, "Court fees for refugees without documents", "Legal aid", "public"),
        (1, 3, "Case conference", None, "restricted"),
    ]
    # Deadlines in words: the words, their kind and the date they resolve to; handovers.
    actions = q(
        "SELECT id, due, due_text, due_kind, original_due, original_due_text, owners, "
        "current_owners, visibility FROM actions WHERE id IN "
        "('2023-01-05/1', '2023-02-02/2', '2023-03-09/2', '2023-05-04/2') ORDER BY id"
    ).fetchall()
    assert actions == [
        (
            "2023-01-05/1",
            "2023-03-31",
            None,
            "date",
            "2023-01-31",
            "End of month",
            "Health WG",
            "IOM",
            "public",
        ),
        ("2023-02-02/2", None, "ASAP", "asap", None, "ASAP", "", "", "public"),
        (
            "2023-03-09/2",
            "2023-03-16",
            None,
            "date",
            "2023-03-16",
            None,
            "IRC",
            "IRC",
            "restricted",
        ),
        (
            "2023-05-04/2",
            "2023-06-01",
            "next meeting",
            "next-meeting",
            "2023-06-01",
            "next meeting",
            "SC",
            "SC",
            "public",
        ),
    ]
    assert q(
        "SELECT meeting_id, due, due_text, owners FROM updates WHERE action_id = '2023-01-05/1' "
        "ORDER BY id"
    ).fetchall() == [("2023-02-02", "2023-03-31", None, "IOM"), ("2023-05-04", None, None, None)]
    assert q(
        "SELECT due, due_text FROM updates WHERE action_id = '2023-02-02/1' "
        "AND meeting_id = '2023-03-09'"
    ).fetchone() == ("2023-04-06", "next meeting")
    # Note histories: of an action and of a follow-up, dated, in order.
    assert q(
        "SELECT n.action_id, n.meeting_id, u.meeting_id, n.position, n.date, n.text "
        "FROM notes n LEFT JOIN updates u ON u.id = n.update_id ORDER BY n.id"
    ).fetchall() == [
        ("2023-04-06/1", "2023-04-06", None, 1, "2023-04-20", "Outline shared with the chairs"),
        (
            "2023-02-02/1",
            "2023-04-06",
            "2023-04-06",
            1,
            "2023-04-05",
            "Two partners still to confirm their figures",
        ),
        (
            "2023-01-05/1",
            "2023-05-04",
            "2023-05-04",
            1,
            "2023-04-28",
            "IOM asked UNFPA for the lists of the mobile teams",
        ),
    ]
    # The attendance annex names people: not exported (docs/export.md), nor are contacts.
    dump = "\n".join(db.iterdump())
    assert "Ion Botnari" not in dump and "Ahmad Karimi" not in dump
    db.close()
