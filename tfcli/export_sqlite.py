"""`tf export --sqlite FILE`: the minutes as a SQLite database with primary and foreign keys,
for sqlite-utils, Datasette or any SQL tool. Dates are ISO `YYYY-MM-DD` text, SQLite's own
convention. Built in a temp file beside FILE and renamed into place: never half-written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfcli.actions import Roster, Tracked, track
from tfcli.model import Groups, Repo
from tfcli.paths import display_path

SCHEMA = """
CREATE TABLE organisations (
  name TEXT PRIMARY KEY, short TEXT, group_name TEXT
);
CREATE TABLE meetings (
  id TEXT PRIMARY KEY, date TEXT NOT NULL, title TEXT, status TEXT NOT NULL,
  visibility TEXT NOT NULL, time TEXT, location TEXT, file TEXT NOT NULL
);
CREATE TABLE actions (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  local_id TEXT NOT NULL, text TEXT NOT NULL, owners TEXT NOT NULL,
  status TEXT NOT NULL, due TEXT, original_status TEXT NOT NULL, original_due TEXT,
  closed_in TEXT REFERENCES meetings(id), agenda TEXT, note TEXT, line INTEGER NOT NULL
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
  status TEXT, due TEXT, note TEXT, line INTEGER NOT NULL
);
CREATE TABLE attendance (
  id INTEGER PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  kind TEXT NOT NULL CHECK (kind IN ('participant', 'regrets')),
  group_name TEXT, name TEXT, organisation TEXT, role TEXT
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
            yield (meeting_id, kind, group or None, p.name, p.organisation, p.role)


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
            "INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.id,
                _d(m.date),
                m.title,
                m.status,
                m.visibility,
                m.time,
                m.location,
                display_path(m.path),
            ),
        )
        db.executemany(
            "INSERT INTO attendance (meeting_id, kind, group_name, name, organisation, role) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [*_people(m.id, "participant", m.participants), *_people(m.id, "regrets", m.regrets)],
        )
        db.executemany(
            "INSERT INTO decisions VALUES (?, ?, ?)",
            [(m.id, i, text) for i, text in enumerate(m.decisions, 1)],
        )
    actions: set[str] = set()
    for t in tracked:
        a = t.action
        if a.id in actions or t.meeting.id not in seen:
            c.skipped += 1
            continue
        actions.add(a.id)
        c.actions += 1
        db.execute(
            "INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.id,
                t.meeting.id,
                a.local_id,
                a.text,
                ", ".join(a.owners),
                t.status,
                _d(t.due),
                a.status,
                _d(a.due),
                t.closed_in,
                a.agenda,
                a.note,
                a.line,
            ),
        )
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
            db.execute(
                "INSERT INTO updates (action_id, meeting_id, status, due, note, line) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (u.action_id, u.meeting_id, u.status, _d(u.due), u.note, u.line),
            )
    return c


def export(repo: Repo, target: Path, force: bool) -> Counts:
    from tfcli.errors import UsageError
    from tfcli.write import output_target, publish, temp_beside

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
