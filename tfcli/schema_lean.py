"""The Meeting of a clean file, built without the general reader (tfcli.fields): most files
have no problem at all, and for them the general reader's per-value checks, path tuples and
position look-ups are most of the cost of building (about 0.3 ms a file at 5,000 files).

`build` reads the front matter as the general builder (tfcli.schema.build_meeting with `lean`
False) would, but only as far as it is sure that builder would find nothing to say: at the
first value that would make a problem, a warning or a hint, or that is of a type or key it
does not expect, it gives up (returns None) and the general builder reads the file from the
start, so every message, line and column stays exactly what it was. What it builds is the
same Meeting, value for value (tests/test_schema_lean.py compares the two on generated front
matter, valid and not, and on the benchmark corpora)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tfcli.model import (
    ACTION_STATUSES,
    AGENDA_TYPES,
    FORMAT_VERSION,
    MINUTES_STATUSES,
    VISIBILITIES,
    Action,
    AgendaItem,
    Contact,
    Link,
    Meeting,
    NextMeeting,
    Person,
    Postponed,
    Previous,
    Span,
    Update,
    YamlPath,
)
from tfcli.schema import _URL, _URL_CONTROL, AGENDA_KEYS, MAX_AGENDA_DEPTH, MEETING_ID, MEETING_KEYS
from tfcli.schema_actions import ACTION_ID, ACTION_KEYS, GLOBAL_ACTION_ID, UPDATE_KEYS
from tfcli.schema_extra import _DURATION, _LANGUAGE
from tfcli.schema_lean_values import (
    _choice,
    _date,
    _due,
    _items,
    _known,
    _maker,
    _notes,
    _people,
    _person,
    _text,
    _texts,
    _time,
    _Unsure,
    _words,
)
from tfcli.spanmap import LazyMap
from tfcli.yamlfast import _INNER, _KIND, _LINES, _MAPPING, FastLocated
from tfcli.yamlstrict import Tree

# The general builder's key lists, as sets: any other key is a warning.
_MEETING = frozenset(MEETING_KEYS)
_ACTION = frozenset(ACTION_KEYS)
_UPDATE = frozenset(UPDATE_KEYS)
_AGENDA = frozenset(AGENDA_KEYS)
_LINK = frozenset(("title", "url"))
_CONTACT = frozenset(("name", "organisation", "email", "phone"))
_NEXT = frozenset(("date", "time", "end_time", "location", "agenda"))
_PREVIOUS = frozenset(("meeting", "endorsed"))
_POSTPONED = frozenset(("from", "reason"))

_action = _maker(Action)
_update = _maker(Update)
_item = _maker(AgendaItem)


def build(
    file: Path, tree: Tree, body: str, body_line: int, default_visibility: str
) -> Meeting | None:
    """The Meeting of a file the general builder would find no problem in; None when unsure
    (the general builder then reads it, problems and all)."""
    fm = tree.value
    if fm.__class__ is not dict or not fm.keys() <= _MEETING:
        return None
    try:
        return _meeting(file, fm, tree.spans, body, body_line, default_visibility)
    except _Unsure:
        return None


def _meeting(
    file: Path,
    fm: dict[str, Any],
    spans: dict[YamlPath, Span],
    body: str,
    body_line: int,
    default_visibility: str,
) -> Meeting:
    get = fm.get
    fmt = get("format", FORMAT_VERSION)
    if fmt.__class__ is not int or fmt != FORMAT_VERSION:
        raise _Unsure
    day = _date(get("date"))
    if day is None:
        raise _Unsure  # missing or empty: reported
    meeting_id = day.isoformat()
    if "id" in fm:
        given = fm["id"]
        if given.__class__ is not str:
            raise _Unsure
        given = given.strip()
        if not MEETING_ID.match(given) or not given.startswith(meeting_id):
            raise _Unsure
        meeting_id = given
    m = Meeting(path=file, id=meeting_id, date=day)
    for key in ("title", "location", "time", "status"):
        if key in fm and fm[key] is None:
            raise _Unsure  # empty: a warning
    m.title = _words(get("title"))
    m.location = _words(get("location"))
    m.time = _time(get("time"))
    m.end_time = _time(get("end_time"))
    m.chair = _person(get("chair"), False)
    m.co_chairs = _people(get("co_chairs"), False, True)
    m.rapporteurs = _people(get("rapporteur"), False, True)
    m.duration = _duration(get("duration"))
    m.purpose = _text(get("purpose"))
    language = _text(get("language"))
    if language is not None and not _LANGUAGE.match(language):
        raise _Unsure
    m.language = language
    m.postponed = _postponed(get("postponed"), day)
    m.participants = _groups(get("participants"), True)
    m.regrets = _groups(get("regrets"), False)
    m.attendees = _attendees(get("attendees"))
    lines = _Lines(spans)
    m.agenda = _agenda(get("agenda"), ("agenda",), "public", 1, lines)
    m.actions = _actions(get("actions"), m, lines, day.year)
    m.decisions = _texts(get("decisions"), False)
    m.links = _links(get("links"))
    m.contacts = _contacts(get("contacts"))
    m.next_meeting = _next_meeting(get("next_meeting"))
    m.updates = _updates(get("updates"), m, lines, day.year)
    m.previous = _previous(get("previous"))
    m.status = _choice(get("status"), MINUTES_STATUSES, "draft")
    m.silence_until = _date(get("silence_until"))
    m.visibility = _choice(get("visibility"), VISIBILITIES, default_visibility)
    m.body = body
    m.body_line = body_line
    m.spans = spans
    return m


def _groups(value: Any, attends: bool) -> dict[str, tuple[Person, ...]]:
    if value.__class__ is dict:
        return {str(k): _people(v, attends, False) for k, v in value.items()}
    people = _people(value, attends, False)
    return {"": people} if people else {}


def _attendees(value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if value.__class__ is not dict:
        raise _Unsure
    return {str(org): _texts(names, True) for org, names in value.items()}


def _duration(value: Any) -> int | None:
    if value is None:
        return None
    if value.__class__ is not str and value.__class__ is not int:
        raise _Unsure
    m = _DURATION.match(str(value).strip())
    if m and (m["h"] or m["m"]):
        minutes = int(m["h"] or 0) * 60 + int(m["m"] or 0)
        if 0 < minutes <= 24 * 60:
            return minutes
    raise _Unsure


def _postponed(value: Any, day: date) -> Postponed | None:
    if value is None:
        return None
    if value.__class__ is dict:
        _known(value, _POSTPONED)
        if value.get("from") is None:
            raise _Unsure
        first = _date(value["from"])
        reason = _text(value.get("reason"))
    elif value.__class__ is str:
        first, reason = _date(value), None
    else:
        raise _Unsure
    if first and first >= day:
        raise _Unsure  # a warning
    return Postponed(first, reason) if first or reason else None


# -- lists with lines ----------------------------------------------------------------------


class _Lines:
    """The line of each item of a list, as `Fields.where` finds it: for a top-level block
    list read by the line reader, straight from its record of lines (one look-up for the
    list instead of one per item); else from the spans."""

    __slots__ = ("located", "spans")

    def __init__(self, spans: dict[YamlPath, Span]) -> None:
        self.spans = spans
        state = spans._state if isinstance(spans, LazyMap) else None
        fresh = isinstance(state, FastLocated) and state.found is not None and not state.filled
        self.located = state if fresh and isinstance(state, FastLocated) else None

    def of(self, at: YamlPath, count: int) -> list[int]:
        located = self.located
        if located is not None and len(at) == 1:
            frame = located.root[_INNER].get(at[0])
            if frame is not None and frame[_KIND] != _MAPPING and len(frame[_LINES]) == count:
                first = located.offset + 1
                return [n + first for n in frame[_LINES]]
        return [self.where((*at, i)) for i in range(count)]

    def where(self, at: YamlPath) -> int:
        p = at
        while (s := self.spans.get(p)) is None and p:
            p = p[:-1]
        return s.line if s else 1


def _agenda(
    value: Any, at: YamlPath, inherited: str, depth: int, lines: _Lines
) -> tuple[AgendaItem, ...]:
    items = _items(value)
    out = []
    for i, (item, line) in enumerate(zip(items, lines.of(at, len(items)), strict=True)):
        if item.__class__ is dict:
            _known(item, _AGENDA)
            title = _text(item.get("title"))
            if not title:
                raise _Unsure
            own = _choice(item.get("visibility"), VISIBILITIES, "")
            visibility = "restricted" if "restricted" in (own, inherited) else "public"
            subs: tuple[AgendaItem, ...] = ()
            if (inner := item.get("items")) is not None:
                if depth >= MAX_AGENDA_DEPTH:
                    raise _Unsure
                subs = _agenda(inner, (*at, i, "items"), visibility, depth + 1, lines)
            kind = _choice(item.get("type"), AGENDA_TYPES, "") or None
            presenter = _text(item.get("presenter"))
            out.append(_item(title, kind, presenter, line, subs, visibility))
        elif title := _text(item):
            out.append(_item(title, None, None, line, (), inherited))
    return tuple(out)


def _actions(value: Any, m: Meeting, lines: _Lines, year: int) -> tuple[Action, ...]:
    items = _items(value)
    out = []
    seen = set()
    for a, line in zip(items, lines.of(("actions",), len(items)), strict=True):
        if a is None:
            continue
        if a.__class__ is not dict or not a.keys() <= _ACTION:
            raise _Unsure
        raw_id = a.get("id")
        if raw_id.__class__ is int or raw_id.__class__ is str:
            local = str(raw_id)
        else:
            raise _Unsure
        if not ACTION_ID.match(local) or local in seen:
            raise _Unsure
        seen.add(local)
        text = _text(a.get("text"))
        owners = _texts(a.get("owner"), True)
        due = a.get("due")
        if not text or not owners or due is None:
            raise _Unsure  # an error, or a warning
        day, words = _due(due, year)
        out.append(
            _action(
                m.id,
                local,
                text,
                owners,
                day,
                _choice(a.get("status"), ACTION_STATUSES, "open"),
                m.date,
                line,
                _text(a.get("agenda")),
                _text(a.get("note")),
                words,
                _notes(a.get("notes")),
                _choice(a.get("visibility"), VISIBILITIES, "public"),
            )
        )
    return tuple(out)


def _updates(value: Any, m: Meeting, lines: _Lines, year: int) -> tuple[Update, ...]:
    items = _items(value)
    out = []
    for u, line in zip(items, lines.of(("updates",), len(items)), strict=True):
        if u is None:
            continue
        if u.__class__ is not dict or not u.keys() <= _UPDATE:
            raise _Unsure
        target = _text(u.get("action"))
        if not target or not GLOBAL_ACTION_ID.match(target):
            raise _Unsure
        reopened = u.get("reopened")
        if reopened is not None and reopened.__class__ is not bool:
            raise _Unsure
        due = u.get("due")
        day, words = (None, None) if due is None else _due(due, year)
        status = _choice(u.get("status"), ACTION_STATUSES, "") or None
        out.append(
            _update(
                target,
                m.id,
                m.date,
                line,
                status,
                day,
                _text(u.get("note")),
                bool(reopened),
                words,
                _texts(u.get("owner"), True),
                _notes(u.get("notes")),
            )
        )
    return tuple(out)


def _links(value: Any) -> tuple[Link, ...]:
    out = []
    for link in _items(value):
        if link is None:
            continue
        if link.__class__ is not dict:
            raise _Unsure
        _known(link, _LINK)
        url = _text(link.get("url"))
        if url and (_URL_CONTROL.search(url) or not _URL.match(url)):
            raise _Unsure
        title = _text(link.get("title")) or url
        if not title:
            raise _Unsure
        out.append(Link(title, url))
    return tuple(out)


def _contacts(value: Any) -> tuple[Contact, ...]:
    out = []
    for c in _items(value):
        if c is None:
            continue
        if c.__class__ is not dict:
            raise _Unsure
        _known(c, _CONTACT)
        get = c.get
        out.append(
            Contact(
                _text(get("name")),
                _text(get("organisation")),
                _text(get("email")),
                _text(get("phone")),
            )
        )
    return tuple(out)


def _next_meeting(value: Any) -> NextMeeting | None:
    if value is None:
        return None
    if value.__class__ is str:
        return NextMeeting(date=_date(value))
    if value.__class__ is not dict:
        raise _Unsure
    _known(value, _NEXT)
    get = value.get
    return NextMeeting(
        _date(get("date")),
        _time(get("time")),
        _time(get("end_time")),
        _text(get("location")),
        _texts(get("agenda"), True),
    )


def _previous(value: Any) -> Previous | None:
    if value is None:
        return None
    if value.__class__ is not dict:
        raise _Unsure
    _known(value, _PREVIOUS)
    meeting = _text(value.get("meeting"))
    endorsed = value.get("endorsed")
    if endorsed is not None and endorsed.__class__ is not bool:
        raise _Unsure
    return Previous(meeting, endorsed) if meeting else None
