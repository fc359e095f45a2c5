"""The minutes as data: pure records, no I/O. Everything else in `tf` is a view over these.

Records (tfcli/record.py), not dataclasses: they behave as the slotted dataclasses they were
(equality, repr, hash, immutability, `replace`; tests/test_record.py compares them), but a
dataclass compiles its generated methods at every import: these 16 classes took 11-14 ms of
each start of tf (a bare Typer app starts in 72 ms); written out, the whole module takes 1.
tf.yml's records (Organisation, Cadence, Config) are in tfcli.model_config, named here too."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from tfcli.model_config import Cadence as Cadence
from tfcli.model_config import Config as Config
from tfcli.model_config import Organisation as Organisation
from tfcli.record import Frozen, Record
from tfcli.record import init as _init

FORMAT_VERSION = 1

ACTION_STATUSES = ("open", "in-progress", "done", "dropped")
CLOSED_STATUSES = ("done", "dropped")
MINUTES_STATUSES = ("draft", "circulated", "approved")
VISIBILITIES = ("public", "restricted")
AGENDA_TYPES = ("decision", "discussion", "information")
# How someone takes part in the meeting (`as:` of a participant); `role` is their job title.
MEETING_ROLES = ("chair", "co-chair", "rapporteur", "member", "observer", "guest", "presenter")

# The id of a baseline file ends so (`2022-10-31-baseline`), see tfcli/importer.py.
BASELINE_SUFFIX = "-baseline"

# A place in a YAML tree: ("actions", 0, "due").
YamlPath = tuple[str | int, ...]


class Span(NamedTuple):
    """1-based start line/column and end line/column (end exclusive) of a YAML value.
    A NamedTuple: the loader makes one per value, and these are twice as fast to create."""

    line: int
    col: int
    end_line: int
    end_col: int


def place(spans: Mapping[YamlPath, Span], path: YamlPath) -> tuple[int, int]:
    """Line and column of the value at `path`, else of its nearest located parent."""
    while path:
        if span := spans.get(path):
            return span.line, span.col
        path = path[:-1]
    return 1, 1


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a finding: `--strict` does not fail on it


# fmt: off
# Each record's fields, packed (one per line, they would make this file twice as long).
class Problem(Frozen):
    __slots__ = ("path", "line", "col", "severity", "rule", "message", "hint")
    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    hint: str | None

    def __init__(
        self, path: str, line: int, col: int, severity: Severity, rule: str, message: str,
        hint: str | None = None,
    ) -> None:
        _init(self, path, line, col, severity, rule, message, hint)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.rule)


class Person(Frozen):
    """A person or an organisation: `Name (Organisation)`, `Organisation`, or a mapping."""

    __slots__ = ("name", "organisation", "role", "attends_as", "is_person")
    name: str | None
    organisation: str | None
    role: str | None
    attends_as: str | None  # `as:` in participants: observer, guest...
    # A mapping without `organisation:`: its `name` is a person's, never an organisation's
    # (as the text `UNHCR` is): counted for no organisation (docs/format.md, Persons).
    is_person: bool

    def __init__(
        self, name: str | None, organisation: str | None = None, role: str | None = None,
        attends_as: str | None = None, is_person: bool = False,
    ) -> None:
        _init(self, name, organisation, role, attends_as, is_person)

    def label(self) -> str:
        if self.name and self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name or self.organisation or ""


class AgendaItem(Frozen):
    __slots__ = ("title", "type", "presenter", "line", "items", "visibility")
    title: str
    type: str | None
    presenter: str | None
    line: int
    items: tuple[AgendaItem, ...]  # sub-items (`items:`), e.g. under "AOB"
    visibility: str  # effective: a sub-item of a restricted item is restricted

    def __init__(
        self, title: str, type: str | None = None, presenter: str | None = None, line: int = 0,
        items: tuple[AgendaItem, ...] = (), visibility: str = "public",
    ) -> None:
        _init(self, title, type, presenter, line, items, visibility)

    def walk(self) -> tuple[AgendaItem, ...]:
        """This item and its sub-items, depth first."""
        if not self.items:  # most items: no generator to make
            return (self,)
        return (self, *(i for sub in self.items for i in sub.walk()))


class Note(Frozen):
    """One entry of a `notes:` history: what was reported, and when (None: not said)."""

    __slots__ = ("text", "date")
    text: str
    date: _dt.date | None

    def __init__(self, text: str, date: _dt.date | None = None) -> None:
        _init(self, text, date)


class Action(Frozen):
    __slots__ = (
        "meeting_id", "local_id", "text", "owners", "due", "status", "meeting_date", "line",
        "agenda", "note", "due_text", "notes", "visibility",
    )
    meeting_id: str
    local_id: str
    text: str
    owners: tuple[str, ...]  # empty: no owner named yet
    due: date | None
    status: str
    meeting_date: date
    line: int
    agenda: str | None
    note: str | None
    due_text: str | None  # a deadline in words, verbatim ("next meeting"); due is None
    notes: tuple[Note, ...]  # later notes, dated (`notes:`)
    visibility: str  # restricted: left out of anything published

    def __init__(
        self, meeting_id: str, local_id: str, text: str, owners: tuple[str, ...], due: date | None,
        status: str, meeting_date: date, line: int, agenda: str | None = None,
        note: str | None = None, due_text: str | None = None, notes: tuple[Note, ...] = (),
        visibility: str = "public",
    ) -> None:
        _init(
            self, meeting_id, local_id, text, owners, due, status, meeting_date, line, agenda,
            note, due_text, notes, visibility,
        )

    @property
    def id(self) -> str:
        return f"{self.meeting_id}/{self.local_id}"


class Update(Frozen):
    """A later meeting's follow-up of an earlier action (`updates:` in front matter)."""

    __slots__ = (
        "action_id", "meeting_id", "meeting_date", "line", "status", "due", "note", "reopened",
        "due_text", "owners", "notes",
    )
    action_id: str
    meeting_id: str
    meeting_date: date
    line: int
    status: str | None
    due: date | None
    note: str | None
    reopened: bool  # says on purpose that it reopens a closed action
    due_text: str | None  # a revised deadline in words, verbatim
    owners: tuple[str, ...]  # a handover to new owners; empty = no change
    notes: tuple[Note, ...]  # later notes, dated (`notes:`)

    def __init__(
        self, action_id: str, meeting_id: str, meeting_date: date, line: int,
        status: str | None = None, due: date | None = None, note: str | None = None,
        reopened: bool = False, due_text: str | None = None, owners: tuple[str, ...] = (),
        notes: tuple[Note, ...] = (),
    ) -> None:
        _init(
            self, action_id, meeting_id, meeting_date, line, status, due, note, reopened, due_text,
            owners, notes,
        )


class Link(Frozen):
    __slots__ = ("title", "url")
    title: str
    url: str | None

    def __init__(self, title: str, url: str | None = None) -> None:
        _init(self, title, url)


class Contact(Frozen):
    """Contact data: kept in the model for the secretariat, never published."""

    __slots__ = ("name", "organisation", "email", "phone")
    name: str | None
    organisation: str | None
    email: str | None
    phone: str | None

    def __init__(
        self, name: str | None, organisation: str | None = None, email: str | None = None,
        phone: str | None = None,
    ) -> None:
        _init(self, name, organisation, email, phone)


class NextMeeting(Frozen):
    __slots__ = ("date", "time", "end_time", "location", "agenda")
    date: date | None
    time: str | None
    end_time: str | None
    location: str | None
    agenda: tuple[str, ...]

    def __init__(
        self, date: _dt.date | None = None, time: str | None = None, end_time: str | None = None,
        location: str | None = None, agenda: tuple[str, ...] = (),
    ) -> None:
        _init(self, date, time, end_time, location, agenda)


class Previous(Frozen):
    """The minutes a meeting is asked to endorse."""

    __slots__ = ("meeting", "endorsed")
    meeting: str
    endorsed: bool | None

    def __init__(self, meeting: str, endorsed: bool | None = None) -> None:
        _init(self, meeting, endorsed)


class Postponed(Frozen):
    """The meeting was first planned for `from_date` (`postponed: {from, reason}`)."""

    __slots__ = ("from_date", "reason")
    from_date: date | None
    reason: str | None

    def __init__(self, from_date: date | None, reason: str | None = None) -> None:
        _init(self, from_date, reason)


# Participants and regrets: group name -> people. An ungrouped list uses the group "".
Groups = dict[str, tuple[Person, ...]]


class Meeting(Record):
    __slots__ = (
        "path", "id", "date", "status", "visibility", "title", "time", "end_time", "location",
        "chair", "co_chairs", "rapporteurs", "duration", "purpose", "language", "postponed",
        "participants", "regrets", "attendees", "agenda", "actions", "decisions", "links",
        "contacts", "next_meeting", "updates", "previous", "silence_until", "extra", "body",
        "body_line", "spans",
    )
    path: Path
    id: str
    date: date
    status: str
    visibility: str
    title: str | None
    time: str | None
    end_time: str | None
    location: str | None
    chair: Person | None
    co_chairs: tuple[Person, ...]
    rapporteurs: tuple[Person, ...]  # `rapporteur:` one person or a list
    duration: int | None  # minutes
    purpose: str | None
    language: str | None  # BCP 47 tag of the minutes: en, fr, pt-BR
    postponed: Postponed | None
    participants: Groups
    regrets: Groups
    # The attendance annex: organisation -> named attendees. Like contacts, never published
    # unless the publisher asks for it.
    attendees: dict[str, tuple[str, ...]]
    agenda: tuple[AgendaItem, ...]
    actions: tuple[Action, ...]
    decisions: tuple[str, ...]
    links: tuple[Link, ...]
    contacts: tuple[Contact, ...]
    next_meeting: NextMeeting | None
    updates: tuple[Update, ...]
    previous: Previous | None
    silence_until: _dt.date | None  # `date` is shadowed by the field above
    extra: dict[str, object]  # unknown keys, kept as written
    body: str
    body_line: int  # file line where the body starts
    spans: dict[YamlPath, Span]

    def __init__(
        self, path: Path, id: str, date: _dt.date, status: str = "draft",
        visibility: str = "public", title: str | None = None, time: str | None = None,
        end_time: str | None = None, location: str | None = None, chair: Person | None = None,
        co_chairs: tuple[Person, ...] = (), rapporteurs: tuple[Person, ...] = (),
        duration: int | None = None, purpose: str | None = None, language: str | None = None,
        postponed: Postponed | None = None, participants: Groups | None = None,
        regrets: Groups | None = None, attendees: dict[str, tuple[str, ...]] | None = None,
        agenda: tuple[AgendaItem, ...] = (), actions: tuple[Action, ...] = (),
        decisions: tuple[str, ...] = (), links: tuple[Link, ...] = (),
        contacts: tuple[Contact, ...] = (), next_meeting: NextMeeting | None = None,
        updates: tuple[Update, ...] = (), previous: Previous | None = None,
        silence_until: _dt.date | None = None, extra: dict[str, object] | None = None,
        body: str = "", body_line: int = 1, spans: dict[YamlPath, Span] | None = None,
    ) -> None:
        _init(
            self, path, id, date, status, visibility, title, time, end_time, location, chair,
            co_chairs, rapporteurs, duration, purpose, language, postponed,
            {} if participants is None else participants, {} if regrets is None else regrets,
            {} if attendees is None else attendees, agenda, actions, decisions, links, contacts,
            next_meeting, updates, previous, silence_until, {} if extra is None else extra, body,
            body_line, {} if spans is None else spans,
        )

    @property
    def is_baseline(self) -> bool:
        """The open actions of a tracker brought in by `tf import-actions`: no meeting held."""
        return self.id.endswith(BASELINE_SUFFIX)

    @property
    def rapporteur(self) -> Person | None:
        """The first minute-taker: for templates written before several could be named."""
        return self.rapporteurs[0] if self.rapporteurs else None

    def line_of(self, *path: str | int) -> int:
        """Line of the value at `path`, falling back to its nearest located parent."""
        return place(self.spans, path)[0]


class Repo(Record):
    __slots__ = ("config", "meetings", "problems", "files")
    config: Config
    meetings: list[Meeting]  # sorted by date, then id
    problems: list[Problem]  # found while loading (unreadable files, bad fields)
    files: list[Path]  # every file looked at, readable or not

    def __init__(
        self, config: Config, meetings: list[Meeting], problems: list[Problem], files: list[Path],
    ) -> None:
        _init(self, config, meetings, problems, files)
# fmt: on
