"""Front matter (already parsed, with positions) → a Meeting, and every problem found on the
way. Tolerant: a bad field is reported and left out, so one mistake never hides the rest."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from tfcli import schema_actions, schema_extra
from tfcli.fields import PERSON_FORMS, Fields, excerpt
from tfcli.model import (
    AGENDA_TYPES,
    FORMAT_VERSION,
    MINUTES_STATUSES,
    VISIBILITIES,
    AgendaItem,
    Contact,
    Link,
    Meeting,
    NextMeeting,
    Previous,
    Problem,
    Severity,
    YamlPath,
)
from tfcli.yamlstrict import Tree

MEETING_KEYS = (
    "format",
    "id",
    "date",
    "title",
    "time",
    "end_time",
    "location",
    "chair",
    "co_chairs",
    "rapporteur",
    "duration",
    "purpose",
    "language",
    "postponed",
    "participants",
    "regrets",
    "attendees",
    "agenda",
    "actions",
    "decisions",
    "links",
    "contacts",
    "next_meeting",
    "updates",
    "previous",
    "status",
    "silence_until",
    "visibility",
)
MEETING_ID = re.compile(r"\d{4}-\d{2}-\d{2}(?:-[a-z0-9]+)*\Z")
_URL = re.compile(r"(?:https?://[^\s]+|mailto:[^\s]+)\Z", re.IGNORECASE)
# In an address, a control character is never legitimate: escape sequences (`\e[2J`) rewrite
# terminals, bidi controls disguise where a link goes.
_URL_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]"
)  # zero-width characters too: an address that looks like another


def build_meeting(
    file: Path,
    display: str,
    tree: Tree,
    body: str,
    body_line: int,
    default_visibility: str,
    problems: list[Problem],
    lean: bool = True,
) -> Meeting | None:
    """The Meeting of one file, or None when it has no usable date (reported). A clean file
    of the common kind is built by tfcli.schema_lean, without the general reader; `lean`
    False: by the general reader alone (every value checked, every problem reported), for a
    caller that tried the lean one already (tfcli.load.read_meeting)."""
    if lean:
        from tfcli import schema_lean  # (it imports this module)

        if (m := schema_lean.build(file, tree, body, body_line, default_visibility)) is not None:
            return m
    f = Fields(display, tree.spans, tree.key_spans, problems, tree.source)
    fm = tree.value
    if not isinstance(fm, dict):
        f.report((), "front-matter", "front matter must be a mapping of 'key: value' lines")
        return None
    f.known(fm, (), MEETING_KEYS, MINUTES_STATUSES)

    fmt = fm.get("format", FORMAT_VERSION)
    unsupported = type(fmt) is not int or fmt != FORMAT_VERSION  # `true` == 1.0 == 1 in Python
    if unsupported:
        f.report(
            ("format",),
            "format",
            f"format {fmt!r} is not supported; this tf reads format {FORMAT_VERSION}",
            "upgrade tf, or set 'format: 1'",
        )

    if "date" not in fm:
        hint = "add 'date: YYYY-MM-DD'"
        if cased := next((k for k in fm if str(k).strip().lower() == "date"), None):
            line = f.where((cased,), True)[0]
            hint = f"write the key '{excerpt(str(cased))}' of line {line} as 'date:'"
        f.report((), "required", "missing required field 'date'", hint)
    elif fm["date"] is None:  # else the file passes `tf check` and the meeting vanishes
        f.report(
            ("date",),
            "required",
            "'date' is empty",
            "write the day of the meeting: 'date: YYYY-MM-DD'",
            key=True,
        )
    day = f.date(fm.get("date"), ("date",))
    if day:
        f.year = day.year
    meeting_id = day.isoformat() if day else ""
    if "id" in fm:
        given = f.text(fm["id"], ("id",)) or ""
        if not MEETING_ID.match(given) or (day and not given.startswith(meeting_id)):
            f.report(
                ("id",),
                "meeting-id",
                f"meeting id '{excerpt(given)}' must be the date followed by '-' and a suffix",
                f"e.g. '{meeting_id or 'YYYY-MM-DD'}-b'",
            )
        else:
            meeting_id = given

    # Without a date there is no meeting, but every field is still read so that all
    # problems of the file are reported at once.
    m = Meeting(path=file, id=meeting_id, date=day or date.min)
    for key in ("title", "location", "time", "status"):
        if key in fm and fm[key] is None:
            f.report(
                (key,),
                "empty",
                f"'{key}' is empty",
                "text starting with '#' is a YAML comment: quote it, e.g. title: \"#5 meeting\"",
                Severity.WARNING,
                key=True,
            )
    for key in ("title", "location"):  # `time: ""` and `status: ""` are errors already
        if isinstance(fm.get(key), str) and not fm[key].strip():
            f.report(
                (key,),
                "empty",
                f"'{key}' is empty",
                "write it, or remove the line",
                Severity.WARNING,
                key=True,
            )
    m.title = f.text(fm.get("title"), ("title",))
    m.time = f.time(fm.get("time"), ("time",))
    m.end_time = f.time(fm.get("end_time"), ("end_time",))
    m.location = f.text(fm.get("location"), ("location",))
    if isinstance(fm.get("chair"), list):  # several chairs: say where the others go
        f.report(
            ("chair",),
            "type",
            f"'chair' must be {PERSON_FORMS}, not a list",
            "name one chair here and the others under 'co_chairs'",
        )
    else:
        m.chair = f.person(fm.get("chair"), ("chair",)) if fm.get("chair") is not None else None
    m.co_chairs = f.people(fm.get("co_chairs"), ("co_chairs",), one_ok=True)
    m.rapporteurs = f.people(fm.get("rapporteur"), ("rapporteur",), one_ok=True)
    m.duration = schema_extra.duration(f, fm.get("duration"))
    m.purpose = f.text(fm.get("purpose"), ("purpose",))
    m.language = schema_extra.language(f, fm.get("language"))
    m.postponed = schema_extra.postponed(f, fm.get("postponed"), day)
    m.participants = f.groups(fm.get("participants"), ("participants",))
    m.regrets = f.groups(fm.get("regrets"), ("regrets",))
    m.attendees = schema_extra.attendees(f, fm.get("attendees"))
    m.agenda = tuple(_agenda(f, fm.get("agenda"), ("agenda",), "public", 1))
    m.actions = tuple(schema_actions.actions(f, fm.get("actions"), m))
    m.decisions = f.texts(fm.get("decisions"), ("decisions",))
    m.links = tuple(_links(f, fm.get("links")))
    m.contacts = tuple(_contacts(f, fm.get("contacts")))
    m.next_meeting = _next_meeting(f, fm.get("next_meeting"))
    m.updates = tuple(schema_actions.updates(f, fm.get("updates"), m))
    m.previous = _previous(f, fm.get("previous"))
    m.status = f.choice(fm.get("status"), ("status",), MINUTES_STATUSES, "draft")
    m.silence_until = f.date(fm.get("silence_until"), ("silence_until",))
    m.visibility = f.choice(fm.get("visibility"), ("visibility",), VISIBILITIES, default_visibility)
    m.extra = {k: v for k, v in fm.items() if k not in MEETING_KEYS}
    m.body = body
    m.body_line = body_line
    m.spans = tree.spans
    return m if day and not unsupported else None  # a meeting we cannot read is not guessed at


MAX_AGENDA_DEPTH = 3  # item, sub-item, sub-sub-item: deeper is a document, not an agenda
AGENDA_KEYS = ("title", "type", "presenter", "items", "visibility")


def _agenda(f: Fields, value: Any, where: YamlPath, inherited: str, depth: int) -> list[AgendaItem]:
    """Items and their sub-items (`items:`); a sub-item of a restricted item is restricted."""
    out = []
    for at, item in f.items(value, where, "a list of agenda items (lines starting with '- ')"):
        line = f.where(at)[0]
        if isinstance(item, dict):
            if f.colon(item, at, AGENDA_KEYS):  # `- Updates: members`
                continue
            f.known(item, at, AGENDA_KEYS)
            title = f.text(item.get("title"), (*at, "title"))
            if not title:
                f.report(at, "required", "agenda item needs a 'title'")
                continue
            own = f.choice(item.get("visibility"), (*at, "visibility"), VISIBILITIES, "")
            visibility = "restricted" if "restricted" in (own, inherited) else "public"
            subs: list[AgendaItem] = []
            if item.get("items") is not None and depth >= MAX_AGENDA_DEPTH:
                f.report(
                    (*at, "items"),
                    "agenda-depth",
                    f"agenda items nest at most {MAX_AGENDA_DEPTH} levels deep",
                    "write the deeper points in the body, under the item's heading",
                )
            elif item.get("items") is not None:
                subs = _agenda(f, item["items"], (*at, "items"), visibility, depth + 1)
            out.append(
                AgendaItem(
                    title,
                    f.choice(item.get("type"), (*at, "type"), AGENDA_TYPES, "") or None,
                    f.text(item.get("presenter"), (*at, "presenter")),
                    line,
                    tuple(subs),
                    visibility,
                )
            )
        elif isinstance(item, list):
            f.type_error(
                at, item, "an agenda item: text, or a mapping (title, type, presenter, items)"
            )
        elif title := f.text(item, at):
            out.append(AgendaItem(title, line=line, visibility=inherited))
    return out


def _links(f: Fields, value: Any) -> list[Link]:
    out = []
    for at, item in f.items(value, ("links",)):
        link = f.mapping(item, at)
        if link is None:
            continue
        f.known(link, at, ("title", "url"))
        url = f.text(link.get("url"), (*at, "url"))
        if url and (bad := _URL_CONTROL.search(url)):
            f.report(
                (*at, "url"),
                "url",
                f"link '{url}' contains the control character U+{ord(bad[0]):04X}",
                "write the address as plain text, or percent-encode the character",
            )
            url = None
        elif url and not _URL.match(url):
            f.report(
                (*at, "url"),
                "url",
                f"link '{excerpt(url)}' is not an http(s) or mailto address",
                "write the full address, e.g. https://example.org/report.pdf",
            )
            url = None
        title = f.text(link.get("title"), (*at, "title")) or url
        if not title:
            f.report(at, "required", "link needs a 'title' or a 'url'")
            continue
        out.append(Link(title, url))
    return out


def _contacts(f: Fields, value: Any) -> list[Contact]:
    out = []
    for at, item in f.items(value, ("contacts",)):
        c = f.mapping(item, at)
        if c is None:
            continue
        f.known(c, at, ("name", "organisation", "email", "phone"))
        out.append(
            Contact(
                f.text(c.get("name"), (*at, "name")),
                f.text(c.get("organisation"), (*at, "organisation")),
                f.text(c.get("email"), (*at, "email")),
                f.text(c.get("phone"), (*at, "phone")),
            )
        )
    return out


def _next_meeting(f: Fields, value: Any) -> NextMeeting | None:
    at = ("next_meeting",)
    if value is None:
        return None
    if isinstance(value, str):
        return NextMeeting(date=f.date(value, at))
    if not isinstance(value, dict):
        f.type_error(at, value, "a date (YYYY-MM-DD), or a mapping (date, time, end_time, ...)")
        return None
    nm = value
    f.known(nm, at, ("date", "time", "end_time", "location", "agenda"))
    return NextMeeting(
        date=f.date(nm.get("date"), (*at, "date")),
        time=f.time(nm.get("time"), (*at, "time")),
        end_time=f.time(nm.get("end_time"), (*at, "end_time")),
        location=f.text(nm.get("location"), (*at, "location")),
        agenda=f.texts(nm.get("agenda"), (*at, "agenda"), one_ok=True),
    )


def _previous(f: Fields, value: Any) -> Previous | None:
    at = ("previous",)
    p = f.mapping(value, at)
    if p is None:
        return None
    f.known(p, at, ("meeting", "endorsed"))
    meeting = f.text(p.get("meeting"), (*at, "meeting"))
    endorsed = p.get("endorsed")
    if endorsed is not None and not isinstance(endorsed, bool):
        f.type_error((*at, "endorsed"), endorsed, "true or false")
        endorsed = None
    return Previous(meeting, endorsed) if meeting else None
