"""`tf export --sqlite FILE`: the minutes as a SQLite database with primary and foreign keys,
for sqlite-utils, Datasette or any SQL tool. Dates are ISO `YYYY-MM-DD` text, SQLite's own
convention. Built in a temp file beside FILE and renamed into place: never half-written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfcli import policy
from tfcli.actions import Tracked, track
from tfcli.model import AgendaItem, Groups, Meeting, Note, Repo
from tfcli.paths import display_path
from tfcli.roster import Roster

SCHEMA = """
CREATE TABLE organisations (
  name TEXT PRIMARY KEY, short TEXT, group_name TEXT
);
CREATE TABLE meetings (
  id TEXT PRIMARY KEY, date TEXT NOT NULL, title TEXT, status TEXT NOT NULL,
  visibility TEXT NOT NULL, time TEXT, location TEXT, file TEXT NOT NULL,
  end_time TEXT, duration INTEGER, purpose TEXT, language TEXT,
  postponed_from TEXT, postponed_reason TEXT
);
CREATE TABLE minute_takers (
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  position INTEGER NOT NULL,
  name TEXT, organisation TEXT, role TEXT,
  PRIMARY KEY (meeting_id, position)
);
CREATE TABLE agenda_items (
  id INTEGER PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  parent_id INTEGER REFERENCES agenda_items(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  position INTEGER NOT NULL,
  title TEXT NOT NULL, type TEXT, presenter TEXT,
  visibility TEXT NOT NULL
);
CREATE TABLE actions (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  local_id TEXT NOT NULL, text TEXT NOT NULL, owners TEXT NOT NULL,
  status TEXT NOT NULL, due TEXT, original_status TEXT NOT NULL, original_due TEXT,
  closed_in TEXT REFERENCES meetings(id), agenda TEXT, note TEXT, line INTEGER NOT NULL,
  due_text TEXT, due_kind TEXT, original_due_text TEXT, current_owners TEXT NOT NULL,
  visibility TEXT NOT NULL
);
CREATE TABLE action_owners (
  id INTEGER PRIMARY KEY,
  action_id TEXT NOT NULL REFERENCES actions(id),
  owner TEXT NOT NULL,
  organisation TEXT REFERENCES organisations(name)
);
CREATE TABLE updates (
  id INTEGER PRIMARY KEY,
  action_id TEXT NOT NULL REFERENCES actions(id),
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  status TEXT, due TEXT, note TEXT, line INTEGER NOT NULL,
  due_text TEXT, owners TEXT, reopened INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  action_id TEXT NOT NULL REFERENCES actions(id),
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  update_id INTEGER REFERENCES updates(id),
  position INTEGER NOT NULL,
  date TEXT, text TEXT NOT NULL
);
CREATE TABLE attendance (
  id INTEGER PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  kind TEXT NOT NULL CHECK (kind IN ('participant', 'regrets')),
  group_name TEXT, name TEXT, organisation TEXT, role TEXT, attends_as TEXT
);
CREATE TABLE decisions (
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (meeting_id, position)
);
CREATE INDEX actions_meeting ON actions(meeting_id);
CREATE INDEX updates_action ON updates(action_id);
CREATE INDEX attendance_meeting ON attendance(meeting_id);
CREATE INDEX agenda_meeting ON agenda_items(meeting_id);
CREATE INDEX notes_action ON notes(action_id);
"""


@dataclass
class Counts:
    meetings: int = 0
    actions: int = 0
    updates: int = 0
    skipped: int = 0  # duplicate meeting ids, follow-ups of unknown actions


def _d(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def _people(meeting_id: str, kind: str, groups: Groups) -> Iterable[tuple[Any, ...]]:
    for group, people in groups.items():
        for p in people:
            yield (meeting_id, kind, group or None, p.name, p.organisation, p.role, p.attends_as)


def _agenda(
    db: sqlite3.Connection,
    m: Meeting,
    items: tuple[AgendaItem, ...],
    parent: int | None,
    level: int,
) -> None:
    """Items in order, each sub-item pointing at its parent (`parent_id`, `level` 1-3)."""
    for pos, i in enumerate(items, 1):
        cur = db.execute(
            "INSERT INTO agenda_items (meeting_id, parent_id, level, position, title, type, "
            "presenter, visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (m.id, parent, level, pos, i.title, i.type, i.presenter, i.visibility),
        )
        _agenda(db, m, i.items, cur.lastrowid, level + 1)


def _notes(
    action_id: str, meeting_id: str, update_id: int | None, notes: tuple[Note, ...]
) -> list[tuple[Any, ...]]:
    return [
        (action_id, meeting_id, update_id, pos, _d(n.date), n.text)
        for pos, n in enumerate(notes, 1)
    ]


NOTES_INSERT = (
    "INSERT INTO notes (action_id, meeting_id, update_id, position, date, text) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def fill(db: sqlite3.Connection, repo: Repo, tracked: list[Tracked]) -> Counts:
    c = Counts()
    db.executescript(SCHEMA)
    roster = Roster(repo.config)
    orgs = {o.name for o in repo.config.organisations}
    db.executemany(
        "INSERT OR IGNORE INTO organisations VALUES (?, ?, ?)",
        ((o.name, o.short, o.group) for o in repo.config.organisations),
    )
    seen: set[str] = set()
    for m in repo.meetings:
        if m.id in seen:  # `tf check` reports it; the first one wins here
            c.skipped += 1
            continue
        seen.add(m.id)
        c.meetings += 1
        db.execute(
            "INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.id,
                _d(m.date),
                m.title,
                m.status,
                m.visibility,
                m.time,
                m.location,
                display_path(m.path),
                m.end_time,
                m.duration,
                m.purpose,
                m.language,
                _d(m.postponed.from_date) if m.postponed else None,
                m.postponed.reason if m.postponed else None,
            ),
        )
        db.executemany(
            "INSERT INTO minute_takers VALUES (?, ?, ?, ?, ?)",
            [(m.id, i, p.name, p.organisation, p.role) for i, p in enumerate(m.rapporteurs, 1)],
        )
        _agenda(db, m, m.agenda, None, 1)
        db.executemany(
            "INSERT INTO attendance (meeting_id, kind, group_name, name, organisation, role, "
            "attends_as) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [*_people(m.id, "participant", m.participants), *_people(m.id, "regrets", m.regrets)],
        )
        db.executemany(
            "INSERT INTO decisions VALUES (?, ?, ?)",
            [(m.id, i, text) for i, text in enumerate(m.decisions, 1)],
        )
    actions: set[str] = set()
    # A follow-up's deadline in words, resolved as tf computes it (None: it sets none)
    resolved: dict[tuple[str, str, int], Any] = {}
    for t in tracked:
        for u, dl in zip(t.history, t.deadlines[1:], strict=False):
            if dl is not None:
                resolved[(t.id, u.meeting_id, u.line)] = dl.day
        a = t.action
        if a.id in actions or t.meeting.id not in seen:
            c.skipped += 1
            continue
        actions.add(a.id)
        c.actions += 1
        db.execute(
            "INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.id,
                t.meeting.id,
                a.local_id,
                a.text,
                ", ".join(a.owners),
                t.status,
                _d(t.due),
                a.status,
                # the agreed deadline, resolved when it was words, as in the JSON
                _d(t.deadlines[0].day if t.deadlines and t.deadlines[0] else a.due),
                t.closed_in,
                a.agenda,
                a.note,
                a.line,
                t.due_text,
                t.due_kind if t.due or t.due_text else None,
                a.due_text,
                ", ".join(t.owners),
                "public" if policy.is_public(t.meeting, a) else "restricted",
            ),
        )
        db.executemany(NOTES_INSERT, _notes(a.id, t.meeting.id, None, a.notes))
        db.executemany(
            "INSERT INTO action_owners (action_id, owner, organisation) VALUES (?, ?, ?)",
            [
                (a.id, owner, org if org in orgs else None)
                for owner in a.owners
                for org in roster.organisations_of(owner)
            ],
        )
    for m in repo.meetings:
        for u in m.updates:
            if u.action_id not in actions or u.meeting_id not in seen:
                c.skipped += 1
                continue
            c.updates += 1
            cur = db.execute(
                "INSERT INTO updates (action_id, meeting_id, status, due, note, line, due_text, "
                "owners, reopened) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    u.action_id,
                    u.meeting_id,
                    u.status,
                    _d(resolved.get((u.action_id, u.meeting_id, u.line), u.due)),
                    u.note,
                    u.line,
                    u.due_text,
                    ", ".join(u.owners) or None,
                    int(u.reopened),
                ),
            )
            db.executemany(NOTES_INSERT, _notes(u.action_id, m.id, cur.lastrowid, u.notes))
    return c


def export(repo: Repo, target: Path, force: bool) -> Counts:
    from tfcli.errors import UsageError
    from tfcli.write_report import output_target, publish, temp_beside

    output_target(target)  # a device, a folder, the records: refused before the work
    if target.exists() and not force:  # say so before the work; publish() checks again
        raise UsageError(
            f"{display_path(target)} already exists; not overwriting it",
            "add --force to replace it",
        )
    tmp = temp_beside(target)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            with db:
                counts = fill(db, repo, track(repo))
        finally:
            db.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    publish(tmp, target, force)
    return counts
