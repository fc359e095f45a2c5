"""The minutes as data: pure dataclasses, no I/O. Everything else in `tf` is a view over these."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

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


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a finding: `--strict` does not fail on it


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.rule)


@dataclass(frozen=True, slots=True)
class Person:
    """A person or an organisation: `Name (Organisation)`, `Organisation`, or a mapping."""

    name: str | None
    organisation: str | None = None
    role: str | None = None
    attends_as: str | None = None  # `as:` in participants: observer, guest...

    def label(self) -> str:
        if self.name and self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name or self.organisation or ""


@dataclass(frozen=True, slots=True)
class AgendaItem:
    title: str
    type: str | None = None
    presenter: str | None = None
    line: int = 0
    items: tuple[AgendaItem, ...] = ()  # sub-items (`items:`), e.g. under "AOB"
    visibility: str = "public"  # effective: a sub-item of a restricted item is restricted

    def walk(self) -> tuple[AgendaItem, ...]:
        """This item and its sub-items, depth first."""
        if not self.items:  # most items: no generator to make
            return (self,)
        return (self, *(i for sub in self.items for i in sub.walk()))


@dataclass(frozen=True, slots=True)
class Note:
    """One entry of a `notes:` history: what was reported, and when (None: not said)."""

    text: str
    date: _dt.date | None = None


@dataclass(frozen=True, slots=True)
class Action:
    meeting_id: str
    local_id: str
    text: str
    owners: tuple[str, ...]  # empty: no owner named yet
    due: date | None
    status: str
    meeting_date: date
    line: int
    agenda: str | None = None
    note: str | None = None
    due_text: str | None = None  # a deadline in words, verbatim ("next meeting"); due is None
    notes: tuple[Note, ...] = ()  # later notes, dated (`notes:`)
    visibility: str = "public"  # restricted: left out of anything published

    @property
    def id(self) -> str:
        return f"{self.meeting_id}/{self.local_id}"


@dataclass(frozen=True, slots=True)
class Update:
    """A later meeting's follow-up of an earlier action (`updates:` in front matter)."""

    action_id: str
    meeting_id: str
    meeting_date: date
    line: int
    status: str | None = None
    due: date | None = None
    note: str | None = None
    reopened: bool = False  # says on purpose that it reopens a closed action
    due_text: str | None = None  # a revised deadline in words, verbatim
    owners: tuple[str, ...] = ()  # a handover to new owners; empty = no change
    notes: tuple[Note, ...] = ()  # later notes, dated (`notes:`)


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """Contact data: kept in the model for the secretariat, never published."""

    name: str | None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class NextMeeting:
    date: date | None = None
    time: str | None = None
    end_time: str | None = None
    location: str | None = None
    agenda: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Previous:
    """The minutes a meeting is asked to endorse."""

    meeting: str
    endorsed: bool | None = None


@dataclass(frozen=True, slots=True)
class Postponed:
    """The meeting was first planned for `from_date` (`postponed: {from, reason}`)."""

    from_date: date | None
    reason: str | None = None


# Participants and regrets: group name -> people. An ungrouped list uses the group "".
Groups = dict[str, tuple[Person, ...]]


@dataclass(slots=True)
class Meeting:
    path: Path
    id: str
    date: date
    status: str = "draft"
    visibility: str = "public"
    title: str | None = None
    time: str | None = None
    end_time: str | None = None
    location: str | None = None
    chair: Person | None = None
    co_chairs: tuple[Person, ...] = ()
    rapporteurs: tuple[Person, ...] = ()  # `rapporteur:` one person or a list
    duration: int | None = None  # minutes
    purpose: str | None = None
    language: str | None = None  # BCP 47 tag of the minutes: en, fr, pt-BR
    postponed: Postponed | None = None
    participants: Groups = field(default_factory=dict)
    regrets: Groups = field(default_factory=dict)
    # The attendance annex: organisation -> named attendees. Like contacts, never published
    # unless the publisher asks for it.
    attendees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    agenda: tuple[AgendaItem, ...] = ()
    actions: tuple[Action, ...] = ()
    decisions: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    contacts: tuple[Contact, ...] = ()
    next_meeting: NextMeeting | None = None
    updates: tuple[Update, ...] = ()
    previous: Previous | None = None
    silence_until: _dt.date | None = None  # `date` is shadowed by the field above
    extra: dict[str, object] = field(default_factory=dict)  # unknown keys, kept as written
    body: str = ""
    body_line: int = 1  # file line where the body starts
    spans: dict[YamlPath, Span] = field(default_factory=dict)

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
        p: YamlPath = tuple(path)
        while p:
            span = self.spans.get(p)
            if span:
                return span.line
            p = p[:-1]
        return 1


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    short: str | None = None
    group: str | None = None
    email: tuple[str, ...] = ()  # focal points: for drafted e-mails only, never published


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often the group meets: every `days` days or every `months` months; on `weekday`
    (0 Monday) when the rule names one, for a monthly rule the `nth` (1-4, -1 last) of the
    month; never on a `skip` date (holidays). Grammar and dates in tfcli/cadence.py."""

    days: int = 0
    months: int = 0
    text: str = ""
    weekday: int | None = None
    nth: int = 0
    skip: frozenset[date] = frozenset()


@dataclass(slots=True)
class Config:
    root: Path
    path: Path | None = None  # tf.yml, when there is one
    group: str = "Task force"
    minutes_dir: Path = Path("minutes")
    templates_dir: Path = Path("templates")
    timezone: str = "UTC"
    cadence: Cadence | None = None
    meeting_time: str | None = None
    meeting_location: str | None = None
    visibility: str = "public"
    organisations: tuple[Organisation, ...] = ()
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    standing_agenda: tuple[str, ...] = ()
    default_agenda: tuple[str, ...] | None = None  # overrides the built-in standing agenda


@dataclass(slots=True)
class Repo:
    config: Config
    meetings: list[Meeting]  # sorted by date, then id
    problems: list[Problem]  # found while loading (unreadable files, bad fields)
    files: list[Path]  # every file looked at, readable or not
