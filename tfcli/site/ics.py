"""`calendar.ics`: the meetings and the open actions' deadlines, in the group's time zone.

UIDs are built from meeting and action ids (stable across builds and machines), and DTSTAMP
from the meeting's date, so that two builds of the same minutes give the same bytes."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from tfcli.model import Meeting
from tfcli.site.gather import Site
from tfcli.site.markdown import slug

_TIME = re.compile(r"(\d{1,2})[:.h](\d{2})")
MEETING_HOURS = 2  # a meeting without an end time is shown as two hours long


def _clock(text: str | None) -> time | None:
    m = _TIME.match(text or "")
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return time(int(m[1]), int(m[2]))
    return None


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), ZoneInfo("UTC"))


def _meeting_event(site: Site, m: Meeting, domain: str, tz: ZoneInfo) -> Event:
    e = Event()
    e.add("uid", f"meeting-{m.id}@{domain}")
    e.add("dtstamp", _stamp(m.date))
    e.add("summary", site.policy.redact(site.title(m)))
    start = _clock(m.time)
    if start is None:
        e.add("dtstart", m.date)
        e.add("dtend", m.date + timedelta(days=1))
    else:
        begin = datetime.combine(m.date, start, tz)
        end_clock = _clock(m.end_time)
        end = datetime.combine(m.date, end_clock, tz) if end_clock else None
        e.add("dtstart", begin)
        e.add("dtend", end if end and end > begin else begin + timedelta(hours=MEETING_HOURS))
    if m.location:
        e.add("location", site.policy.redact(m.location))
    agenda = "\n".join(f"{i}. {item.title}" for i, item in enumerate(m.agenda, 1))
    if agenda:
        e.add("description", site.policy.redact("Agenda:\n" + agenda))
    return e


def calendar(site: Site) -> bytes:
    tzname = site.repo.config.timezone
    tz = ZoneInfo(tzname)
    domain = f"{slug(site.group)}.tf.invalid"
    cal = Calendar()
    cal.add("prodid", "-//tf//tf render//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", site.policy.redact(site.group))
    cal.add("x-wr-timezone", tzname)
    for m in site.repo.meetings:
        cal.add_component(_meeting_event(site, m, domain, tz))
    for t in site.tracked:
        if not t.is_open or t.due is None:
            continue
        e = Event()
        e.add("uid", f"action-{t.id.replace('/', '-')}@{domain}")
        e.add("dtstamp", _stamp(t.meeting.date))
        e.add("summary", site.policy.redact(f"Due: {t.id} {t.action.text}"))
        e.add("dtstart", t.due)
        e.add("dtend", t.due + timedelta(days=1))
        owners = ", ".join(t.action.owners)
        e.add("description", site.policy.redact(f"Owner: {owners}\nStatus: {t.status}"))
        cal.add_component(e)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
