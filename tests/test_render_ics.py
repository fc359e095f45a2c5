"""calendar.ics is written by hand (tfcli/site/ics.py): it must give the bytes icalendar's
object model gives for the same events, which this test builds as the reference."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event
from icalendar.parser import Contentline

from tfcli.load import load_repo
from tfcli.site import ics
from tfcli.site.gather import Site, gather
from tfcli.site.markdown import slug
from tfcli.site.policy import Policy


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_text_and_folding_are_icalendars(value: str) -> None:
    from icalendar.prop import vText

    mine = ics.fold("DESCRIPTION:" + ics.text(value))
    theirs = Contentline.from_parts("DESCRIPTION", vText(value).params, vText(value)).to_ical()
    assert mine.encode() == theirs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab\\^;,\n "), max_size=400))
def test_ascii_folding_is_icalendars(value: str) -> None:
    from icalendar.prop import vText

    mine = ics.fold("DESCRIPTION:" + ics.text(value))
    theirs = Contentline.from_parts("DESCRIPTION", vText(value).params, vText(value)).to_ical()
    assert mine.encode() == theirs


@pytest.mark.parametrize(
    "value",
    ["a\\" * 60, "é" * 80, "😀" * 40, "x" * 73 + "\\,", "^" * 90, "a;b,c\\N\r\nd\re" * 9, ""],
)
def test_folding_edges(value: str) -> None:
    from icalendar.prop import vText

    mine = ics.fold("SUMMARY:" + ics.text(value)).encode()
    assert mine == Contentline.from_parts("SUMMARY", vText(value).params, vText(value)).to_ical()


def reference(site: Site) -> bytes:
    """The calendar as icalendar's object model writes it (what tf render wrote before)."""
    tzname = site.repo.config.timezone
    tz = ZoneInfo(tzname)
    domain = f"{slug(site.group)}.tf.invalid"
    redact = site.policy.redact
    stamp = lambda d: datetime.combine(d, time(0, 0), ZoneInfo("UTC"))  # noqa: E731
    cal = Calendar()
    cal.add("prodid", "-//tf//tf render//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", redact(site.group))
    cal.add("x-wr-timezone", tzname)
    for m in site.repo.meetings:
        e = Event()
        e.add("uid", f"meeting-{m.id}@{domain}")
        e.add("dtstamp", stamp(m.date))
        e.add("summary", redact(site.title(m)))
        start = ics._clock(m.time)
        if start is None:
            e.add("dtstart", m.date)
            e.add("dtend", m.date + timedelta(days=1))
        else:
            begin = datetime.combine(m.date, start, tz)
            end_clock = ics._clock(m.end_time)
            end = datetime.combine(m.date, end_clock, tz) if end_clock else None
            e.add("dtstart", begin)
            if not (end and end > begin):  # the duration, else two hours
                end = begin + timedelta(minutes=m.duration or 120)
            e.add("dtend", end)
        if m.location:
            e.add("location", redact(m.location))
        agenda = "\n".join(f"{i}. {item.title}" for i, item in enumerate(m.agenda, 1))
        if agenda:
            e.add("description", redact("Agenda:\n" + agenda))
        cal.add_component(e)
    for t in site.tracked:
        if not t.is_open or t.due is None:
            continue
        e = Event()
        e.add("uid", f"action-{t.id.replace('/', '-')}@{domain}")
        e.add("dtstamp", stamp(t.meeting.date))
        e.add("summary", redact(f"Due: {t.id} {t.action.text}"))
        e.add("dtstart", t.due)
        e.add("dtend", t.due + timedelta(days=1))
        owners = ", ".join(t.action.owners)
        e.add("description", redact(f"Owner: {owners}\nStatus: {t.status}"))
        cal.add_component(e)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


@pytest.mark.parametrize("zone", ["Europe/Chisinau", "UTC", "Etc/UTC", "America/New_York"])
@pytest.mark.parametrize("internal", [False, True])
def test_calendar_is_byte_identical_to_icalendars(
    seed_repo: Path, zone: str, internal: bool
) -> None:
    cfg = seed_repo / "tf.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "timezone: Europe/Chisinau" in text
    cfg.write_text(text.replace("timezone: Europe/Chisinau", f"timezone: {zone}"), "utf-8")
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    timed = f.read_text(encoding="utf-8").replace(
        "location: Zoom", "time: 10:00\nend_time: 11h30\nlocation: Zoom, Room 3; \\N floor", 1
    )
    f.write_text(timed, encoding="utf-8")
    (seed_repo / "minutes" / "2022-07-29-untimed.md").write_text(
        timed.replace("2022-06-24", "2022-07-29").replace("time: 10:00\n", "", 1),
        encoding="utf-8",
    )
    site = gather(load_repo(seed_repo), date(2022, 7, 25), Policy(include_restricted=internal))
    assert any(m.time for m in site.repo.meetings) and any(not m.time for m in site.repo.meetings)
    assert ics.calendar(site) == reference(site)


def test_a_timed_meeting_lasts_its_end_time_else_its_duration_else_two_hours(
    seed_repo: Path,
) -> None:
    """DTEND: the meeting's `end_time` when it is later than `time`; else `time` plus its
    `duration` (90 minutes here); else two hours. Both writers agree."""
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    seed = f.read_text(encoding="utf-8")
    cases = {
        "2022-06-24": ("time: 10:00\nend_time: 11:15\nduration: 90\n", "111500"),
        "2022-07-01": ("time: 10:00\nduration: 90\n", "113000"),
        "2022-07-08": ("time: 10:00\n", "120000"),
        "2022-07-15": ("time: 10:00\nend_time: 09:00\nduration: 45\n", "104500"),
    }
    for day, (fields, _) in cases.items():
        text = seed.replace("2022-06-24", day).replace("location: Zoom", fields + "location: Zoom")
        (f.parent / f"{day}-timed.md").write_text(text, encoding="utf-8")
    f.unlink()
    site = gather(load_repo(seed_repo), date(2022, 7, 25), Policy())
    data = ics.calendar(site)
    assert data == reference(site)
    events = {
        str(e["uid"]).split("@")[0]: e.decoded("dtend")
        for e in Calendar.from_ical(data).walk("VEVENT")
        if str(e["uid"]).startswith("meeting-")
    }
    got = {uid.removeprefix("meeting-")[:10]: end.strftime("%H%M%S") for uid, end in events.items()}
    assert got == {day: end for day, (_, end) in cases.items()}
