"""`calendar.ics`: the meetings and the open actions' deadlines, in the group's time zone.

UIDs are built from meeting and action ids (stable across builds and machines), and DTSTAMP
from the meeting's date, so that two builds of the same minutes give the same bytes.

Written here, not through icalendar's object model (a fifth of a clean build's time at
5,000 meetings): the same bytes icalendar 7 writes for these properties (its property order,
TEXT escaping, folding before the 75th octet without splitting a character or an escape,
CRLF). The one VTIMEZONE a calendar with times in another zone than UTC needs comes from
icalendar itself, imported only then. tests/test_render_units.py compares both writers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from tfcli.model import Meeting
from tfcli.site.markdown import slug

if TYPE_CHECKING:  # a meeting's event alone (meeting_event) is made without gathering
    from tfcli.actions import Tracked
    from tfcli.site.gather import Site
    from tfcli.site.policy import Policy

_TIME = re.compile(r"(\d{1,2})[:.h](\d{2})")
MEETING_HOURS = 2  # a meeting with neither an end time nor a duration is shown two hours long
LIMIT = 75  # octets: a content line is folded before it reaches this length


def _clock(text: str | None) -> time | None:
    m = _TIME.match(text or "")
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return time(int(m[1]), int(m[2]))
    return None


def text(value: str) -> str:
    """An iCalendar TEXT value, escaped as icalendar escapes it (a written `\\N` is a line
    break there too)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """A content line folded as RFC 5545 says and icalendar does: a break (CRLF, space)
    before a character that would make the line 75 octets or more, never between a
    backslash or caret and what it escapes."""
    if line.isascii():  # most lines: a character is an octet, cut by slices
        return _fold_ascii(line)
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        n = 1 if char < "\x80" else len(char.encode())
        if current and count + n >= LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, count = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += n
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _fold_ascii(line: str) -> str:
    """fold() of an ASCII line: parts of LIMIT - 1 characters, one fewer when the part would
    end in a backslash or caret (it starts the next part)."""
    size = LIMIT - 1
    parts: list[str] = []
    start = 0
    while len(line) - start > size:
        end = start + size
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _day(d: date) -> str:
    return f"{d.year:04}{d.month:02}{d.day:02}"


def _stamp(d: date) -> str:
    return f"{_day(d)}T000000Z"


class _Writer:
    def __init__(self, tzname: str):
        self.tzname = tzname
        self.utc: bool | None = None  # icalendar's answer, asked for the first time
        self.zoned = False  # a time in the group's zone was written: VTIMEZONE needed
        self.lines: list[str] = []

    def add(self, name: str, value: str) -> None:
        self.lines.append(fold(f"{name}:{value}"))

    def when(self, name: str, value: date | tuple[date, time]) -> None:
        if not isinstance(value, tuple):
            self.add(f"{name};VALUE=DATE", _day(value))
            return
        day, clock = value
        stamp = f"{_day(day)}T{clock.hour:02}{clock.minute:02}{clock.second:02}"
        if self.utc is None:
            self.utc = self.tzname == "UTC" or _is_utc(self.tzname)
        if self.utc:
            self.add(name, stamp + "Z")
        else:
            self.zoned = True
            self.add(f"{name};TZID={self.tzname}", stamp)


def _meeting(w: _Writer, site: Site, m: Meeting, domain: str) -> None:
    redact = site.policy.redact
    w.lines.append("BEGIN:VEVENT")
    w.add("SUMMARY", text(redact(site.title(m))))
    start = _clock(m.time)
    if start is None:
        w.when("DTSTART", m.date)
        w.when("DTEND", m.date + timedelta(days=1))
    else:
        begin = datetime.combine(m.date, start)
        end_clock = _clock(m.end_time)
        end = datetime.combine(m.date, end_clock) if end_clock else None
        if not (end and end > begin):
            end = begin + length(m)
        w.when("DTSTART", (begin.date(), begin.time()))
        w.when("DTEND", (end.date(), end.time()))
    w.add("DTSTAMP", _stamp(m.date))
    w.add("UID", text(f"meeting-{m.id}@{domain}"))
    agenda = "\n".join(f"{i}. {item.title}" for i, item in enumerate(m.agenda, 1))
    if agenda:
        w.add("DESCRIPTION", text(redact("Agenda:\n" + agenda)))
    if m.location:
        w.add("LOCATION", text(redact(m.location)))
    w.lines.append("END:VEVENT")


def length(m: Meeting) -> timedelta:
    """How long a timed meeting without a (later) end time lasts: its `duration`, else two
    hours."""
    return timedelta(minutes=m.duration) if m.duration else timedelta(hours=MEETING_HOURS)


def _events(w: _Writer, site: Site, domain: str) -> None:
    redact = site.policy.redact
    for m in site.repo.meetings:
        _meeting(w, site, m, domain)
    for t in site.tracked:
        action_event(w, t, redact, domain)


def action_event(w: _Writer, t: Tracked, redact: Callable[[str], str], domain: str) -> None:
    """An open action's deadline (none for a closed or undated one): tfcli.site.followups
    puts one in place, takes one out or adds one after a follow-up's status changed."""
    if not t.is_open or t.due is None:
        return
    w.lines.append("BEGIN:VEVENT")
    w.add("SUMMARY", text(redact(f"Due: {t.id} {t.action.text}")))
    w.when("DTSTART", t.due)
    w.when("DTEND", t.due + timedelta(days=1))
    w.add("DTSTAMP", _stamp(t.meeting.date))
    w.add("UID", text(f"action-{t.id.replace('/', '-')}@{domain}"))
    owners = ", ".join(t.action.owners)
    w.add("DESCRIPTION", text(redact(f"Owner: {owners}\nStatus: {t.status}")))
    w.lines.append("END:VEVENT")


def _is_utc(tzname: str) -> bool:
    """Whether icalendar writes times in this zone as UTC (`Z`): "Etc/UTC", "Zulu"..."""
    from zoneinfo import ZoneInfo

    from icalendar.timezone.tzid import tzids_from_tzinfo

    return "UTC" in tzids_from_tzinfo(ZoneInfo(tzname))


def _timezone(tzname: str) -> Iterator[str]:
    """The VTIMEZONE icalendar writes for the zone (its transitions from its default first
    to last date), as content lines."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    cal, e = Calendar(), Event()
    e.add("dtstart", datetime(2000, 1, 1, tzinfo=ZoneInfo(tzname)))
    cal.add_component(e)
    cal.add_missing_timezones()
    for tz in cal.timezones:
        yield tz.to_ical().decode("utf-8").removesuffix("\r\n")


class _Alone:
    """What _meeting reads of a Site, for one meeting's event without one."""

    def __init__(self, policy: Policy, group: str) -> None:
        self.policy, self.group = policy, group

    def title(self, m: Meeting) -> str:
        return m.title or self.group


def action_events(redact: Callable[[str], str], group: str, tzname: str, t: Tracked) -> bytes:
    """`t`'s deadline event as calendar() writes it, each line ended by CRLF (empty when the
    calendar has none for it)."""
    w = _Writer(tzname)
    action_event(w, t, redact, f"{slug(group)}.tf.invalid")
    return "".join(line + "\r\n" for line in w.lines).encode("utf-8")


def meeting_event(policy: Policy, group: str, tzname: str, m: Meeting) -> tuple[bytes, bool]:
    """`m`'s event as calendar() writes it (its lines joined by CRLF, without the last), and
    whether it has a time in the group's zone (the calendar then holds a VTIMEZONE):
    tfcli.site.fields puts a changed meeting's event in place of its old one."""
    w = _Writer(tzname)
    _meeting(w, _Alone(policy, group), m, f"{slug(group)}.tf.invalid")  # type: ignore[arg-type]
    return "\r\n".join(w.lines).encode("utf-8"), w.zoned


def calendar(site: Site) -> bytes:
    tzname = site.repo.config.timezone
    domain = f"{slug(site.group)}.tf.invalid"
    w = _Writer(tzname)
    _events(w, site, domain)
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", fold("PRODID:" + text("-//tf//tf render//EN"))]
    head.append(fold("X-WR-CALNAME:" + text(site.policy.redact(site.group))))
    head.append(fold("X-WR-TIMEZONE:" + text(tzname)))
    if w.zoned:
        head.extend(_timezone(tzname))
    return ("\r\n".join([*head, *w.lines, "END:VCALENDAR"]) + "\r\n").encode("utf-8")
