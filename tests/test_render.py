"""`tf render`: the pages it makes from the seed, the calendar, where it may write, goldens."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import FIXTURES, SEED, assert_golden, run_tf

from tfcli.errors import DataError, UsageError
from tfcli.load import load_repo
from tfcli.site import build
from tfcli.site.policy import Policy
from tfcli.site.render import BUILTIN

TODAY = date(2022, 7, 25)  # both seed actions are overdue by then


def render(repo_dir: Path, out: Path, cache: bool = False, jobs: int = 1, **kw: bool) -> Path:
    """A build; without the cache unless asked (SEED is shared and must stay unchanged)."""
    build(load_repo(repo_dir), TODAY, out, Policy(**kw), jobs=jobs, use_cache=cache)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(SEED, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def tracker_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(SEED, repo, dirs_exist_ok=True)
    for f in (FIXTURES / "actions" / "minutes").iterdir():
        shutil.copy(f, repo / "minutes" / f.name)
    return render(repo, repo / "_site")


class Text(HTMLParser):
    """The text a reader sees, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    INLINE = frozenset(["a", "b", "code", "em", "i", "span", "strong", "sup", "time"])

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, None)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        p = cls()
        p.feed(html)
        return " ".join("".join(p.parts).split())


def files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_every_page_of_the_seed(site: Path) -> None:
    made = files(site)
    assert [f for f in made if "/" not in f] == [
        ".tf-site",
        "README.md",
        "attendance.html",
        "calendar.ics",
        "decisions.html",
        "index.html",
        "meetings.html",
        "search.html",
        "tracker.html",
    ]
    assert [f for f in made if f.startswith("meetings/")] == ["meetings/2022-06-24.html"]
    assert [f for f in made if f.startswith("assets/")] == [
        "assets/search-00.js",
        "assets/search.js",
        "assets/site.css",
        "assets/site.js",
    ]
    orgs = [f for f in made if f.startswith("organisations/")]
    assert len(orgs) == 26  # every organisation of tf.yml
    assert "organisations/general-prosecutor-s-office.html" in orgs


def test_seed_page_shows_every_fact_and_no_contact(site: Path) -> None:
    html = (site / "meetings/2022-06-24.html").read_text(encoding="utf-8")
    text = Text.of(html)
    for fact in [
        "Friday 24 June 2022",
        "Zoom",
        "Diana Doros, Head of the Coordination Directorate for Human Rights and Social Dialogue, State Chancellery",
        "Martina Bogdeva, Anti-Trafficking Specialist, UNHCR",
        "Diana Donoaga-Certan, Protection Programme Coordinator, IOM",
        "Minutes approved",
        "Government State Chancellery General Prosecutor's Office",
        "International UNHCR IOM OSCE ILO UNODC UNFPA UNDP INTERPOL",
        "NGOs Isra AID La Strada CNPAC",
        "Reach my Street ADRA Moldova",
        "Welcome remarks",
        "Introduction of the Task Force (TF) on Trafficking in Persons. Discussion on the TF TOR (decision, State Chancellery)",
        "Structured tour de table on main anti-trafficking responses",
        "self-assessment checklist (information, Tetiana Rudenko (OSCE))",
        "Q&A and Meetings' schedule",
        "Wrap-up",
        "The Terms of Reference of the Task Force were approved.",
        "The Task Force meets bi-weekly in mixed format (online and offline).",
        "The anti-trafficking digital prevention capacity is to be discussed at the next meeting.",
        "2022-06-24/1 Share OSCE and Council of Europe recommendations on TiP chairs 8 July 2022 (17 days overdue) open OVERDUE",
        "2022-06-24/2 Send the Action Plan with integrated recommendations on TiP chairs 8 July 2022",
        "Program of creation and development of a National mechanism of referral",
        "UNHCR operational data portal: Ukraine situation, Moldova",
        "Next meeting Anti-trafficking digital prevention capacity",
        "please reach to: Hanna Ursol (see contacts)",
    ]:
        assert fact.replace("OVERDUE", "overdue") in text, fact
    assert text.count("Agenda") == 1
    assert html.count('<a href="https://www.osce.org/cthb/513784"') == 2  # link list + body
    for contact in ("bogdeva@unhcr.org", "ursol@unhcr.org", "@unhcr"):
        assert contact not in html
    assert 'id="2022-06-24-welcome-remarks"' in html


def test_no_contact_anywhere_in_the_public_site(site: Path) -> None:
    for f in files(site):
        data = (site / f).read_bytes()
        assert b"@unhcr.org" not in data, f


def test_index_counts_next_meeting_and_recent(site: Path) -> None:
    text = Text.of((site / "index.html").read_text(encoding="utf-8"))
    assert "2 open, of which 2 overdue; 0 closed." in text
    assert "Next meeting Date to be confirmed Anti-trafficking digital prevention capacity" in text
    assert "24 June 2022: Anti-Trafficking Task Force (approved)" in text
    assert "All 1 meeting; search the minutes." in text
    text = Text.of((site / "meetings.html").read_text(encoding="utf-8"))
    assert "24 June 2022 Anti-Trafficking Task Force approved 3 2" in text


def test_organisation_page(site: Path) -> None:
    text = Text.of((site / "organisations/unhcr.html").read_text(encoding="utf-8"))
    assert "Member of: chairs." in text
    assert "Attended 1 of 1 meeting (100%)." in text
    assert "Overdue action points" in text and "2022-06-24/1" in text
    other = Text.of((site / "organisations/ilo.html").read_text(encoding="utf-8"))
    assert "2022-06-24/1" not in other and "None." in other


def test_organisation_page_lists_closed_actions_compactly(tracker_site: Path) -> None:
    """A closed action on its owner's page: id, text, status and a link to the meeting that
    agreed it (whose page, and the tracker, hold its owner, due date and history)."""
    page = (tracker_site / "organisations/unhcr.html").read_text(encoding="utf-8")
    closed = page[page.index('<section aria-labelledby="h-closed">') :]
    closed = closed[: closed.index("</section>")]
    assert '<table class="actions compact">' in closed
    assert (
        '<tr>\n<th scope="row">2022-06-24/1</th>\n'
        "<td>Share OSCE and Council of Europe recommendations on TiP</td>\n"
        '<td><span class="status s-done">done</span></td>\n'
        '<td><a href="../meetings/2022-06-24.html">2022-06-24</a></td></tr>\n'
    ) in closed
    assert "history" not in closed and "<time" not in closed
    tracker = (tracker_site / "tracker.html").read_text(encoding="utf-8")
    assert "2022-07-08</a>: status done; Shared by e-mail on 5 July</li>" in tracker


def test_attendance_and_decisions(site: Path) -> None:
    text = Text.of((site / "attendance.html").read_text(encoding="utf-8"))
    assert "UNHCR 100% (1) ✓" in text
    text = Text.of((site / "decisions.html").read_text(encoding="utf-8"))
    assert "24 June 2022 The Terms of Reference of the Task Force were approved." in text


def test_calendar_parses_back(site: Path) -> None:
    cal = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert cal["X-WR-TIMEZONE"] == "Europe/Chisinau"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert sorted(events) == [
        "action-2022-06-24-1@anti-trafficking-task-force.tf.invalid",
        "action-2022-06-24-2@anti-trafficking-task-force.tf.invalid",
        "meeting-2022-06-24@anti-trafficking-task-force.tf.invalid",
    ]
    meeting = events["meeting-2022-06-24@anti-trafficking-task-force.tf.invalid"]
    assert meeting.decoded("DTSTART") == date(2022, 6, 24)  # no time in the seed: all day
    assert str(meeting["LOCATION"]) == "Zoom"
    assert "1. Welcome remarks" in str(meeting["DESCRIPTION"])
    due = events["action-2022-06-24-1@anti-trafficking-task-force.tf.invalid"]
    assert due.decoded("DTSTART") == date(2022, 7, 8)
    for e in events.values():
        assert e.get("DTSTAMP") is not None and e.get("SUMMARY")


def test_timed_meeting_in_group_time_zone(seed_repo: Path, tmp_path: Path) -> None:
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    f.write_text(
        f.read_text(encoding="utf-8").replace("location: Zoom", "time: 10:00\nlocation: Zoom", 1),
        encoding="utf-8",
    )
    out = render(seed_repo, tmp_path / "s")
    cal = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    [m] = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]
    start = m.decoded("DTSTART")
    assert start == datetime(2022, 6, 24, 10, 0, tzinfo=ZoneInfo("Europe/Chisinau"))
    assert m["DTSTART"].params["TZID"] == "Europe/Chisinau"
    [tz] = cal.walk("VTIMEZONE")  # RFC 5545: every TZID used is defined in the file
    assert tz["TZID"] == "Europe/Chisinau"
    assert m.decoded("DTEND") - start == timedelta(hours=2)


def test_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = render(SEED, tmp_path / "again")
    assert files(again) == files(site)
    for f in files(site):
        assert (again / f).read_bytes() == (site / f).read_bytes(), f


def test_tracker_with_follow_ups(tracker_site: Path) -> None:
    html = (tracker_site / "tracker.html").read_text(encoding="utf-8")
    assert '<form id="filters" class="filters" hidden>' in html  # shown by the script only
    assert html.count("<tr data-orgs=") == len(html.split("<tbody>")[1].split("<tr")) - 1


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("minutes", "would write into or around the minutes folder"),
        ("minutes/site", "would write into or around the minutes folder"),
        (".", "would write into or around the minutes folder"),
        ("templates", "would write into or around the templates folder"),
        ("tf.yml", "is a file, not a folder"),
        ("busy", "is a folder tf render did not make, and it is not empty"),
    ],
)
def test_refuses_outputs_that_could_touch_records(seed_repo: Path, out: str, message: str) -> None:
    (seed_repo / "busy").mkdir()
    (seed_repo / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        render(seed_repo, seed_repo / out)
    assert (seed_repo / "busy" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_rebuild_removes_only_its_own_stale_files(tracker_site: Path, seed_repo: Path) -> None:
    out = seed_repo / "_site"
    render(seed_repo, out)
    (out / "meetings" / "mine.txt").write_text("keep", encoding="utf-8")
    (out / "meetings" / "2099-01-01.html").write_text("stale?", encoding="utf-8")
    lines = (out / ".tf-site").read_text(encoding="utf-8").splitlines()
    (out / ".tf-site").write_text("\n".join([*lines, "meetings/2099-01-01.html"]), encoding="utf-8")
    render(seed_repo, out)
    assert (out / "meetings" / "mine.txt").exists()
    assert not (out / "meetings" / "2099-01-01.html").exists()


def test_cli_prints_the_folder_and_says_what_it_made(seed_repo: Path) -> None:
    r = run_tf("render", "--today", "2022-07-25", cwd=seed_repo)
    assert (r.code, r.out) == (0, "_site\n")
    assert r.err == (
        "tf render: public site of 1 meeting: 33 pages, 0 from the cache, 39 of 39 files changed\n"
    )
    r = run_tf("render", "--today", "2022-07-25", cwd=seed_repo)
    assert r.err == (
        "tf render: public site of 1 meeting: 33 pages, 33 from the cache, 0 of 39 files changed\n"
    )
    assert (seed_repo / ".tf" / "render-cache").is_dir()
    r = run_tf("render", "--out", "minutes", cwd=seed_repo)
    assert r.code == 2 and "would write into or around the minutes folder" in r.err


def test_golden_seed_meeting_and_tracker(site: Path, tracker_site: Path) -> None:
    assert_golden(
        (site / "meetings/2022-06-24.html").read_text(encoding="utf-8"),
        "render/meeting-2022-06-24.html",
    )
    assert_golden(
        (tracker_site / "tracker.html").read_text(encoding="utf-8"), "render/tracker.html"
    )


def test_group_template_overrides_builtin_in_the_sandbox(seed_repo: Path, tmp_path: Path) -> None:
    site_templates = seed_repo / "templates" / "site"
    site_templates.mkdir(parents=True)
    (site_templates / "decisions.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Our register</h1>'
        "{% for m, page, d in items %}<p>{{ d }}</p>{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    out = render(seed_repo, tmp_path / "s")
    text = Text.of((out / "decisions.html").read_text(encoding="utf-8"))
    assert "Our register The Terms of Reference of the Task Force were approved." in text
    assert "Every decision recorded" not in text
    assert "Action tracker" in Text.of((out / "tracker.html").read_text(encoding="utf-8"))
    (site_templates / "decisions.html").write_text(
        "{{ items.__class__.__mro__ }}", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"site template decisions\.html"):
        render(seed_repo, tmp_path / "s")


def test_bad_group_template_is_an_answer(seed_repo: Path) -> None:
    (seed_repo / "templates" / "site").mkdir(parents=True)
    (seed_repo / "templates" / "site" / "index.html").write_text(
        "{{ nothing_here }}", encoding="utf-8"
    )
    r = run_tf("render", cwd=seed_repo)
    assert r.code == 3
    assert "site template index.html" in r.err and "Traceback" not in r.err


def test_incremental_build_is_byte_identical_to_a_clean_one(tracker: Path, tmp_path: Path) -> None:
    """Build with the cache, change one meeting (a follow-up that closes an action, so the
    tracker and the first meeting's page change too), build again: the result equals a
    clean build of the changed minutes, file for file, byte for byte."""
    out = tracker / "_site"
    first = build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    assert (first.cached, first.pages) == (0, 35)
    again = build(load_repo(tracker), TODAY, out, Policy(), jobs=1)
    assert (again.cached, again.changed) == (35, 0)
    f = tracker / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text.replace("updates:\n", "updates:\n  - action: 2022-07-08/1\n    status: done\n", 1),
        encoding="utf-8",
    )
    inc = build(load_repo(tracker), TODAY, out, Policy(), jobs=2)
    assert 0 < inc.cached < inc.pages
    assert 0 < inc.changed < inc.files
    clean = render(tracker, tmp_path / "clean")
    assert files(clean) == files(out)
    for name in files(clean):
        assert (clean / name).read_bytes() == (out / name).read_bytes(), name
    assert '<tr data-orgs="la-strada" data-status="done" data-meeting="2022-07-08">' in (
        out / "tracker.html"
    ).read_text(encoding="utf-8")
    shutil.rmtree(tracker / ".tf")  # safe to delete: the next build is only slower
    assert build(load_repo(tracker), TODAY, out, Policy(), jobs=1).changed == 0


def test_parallel_build_equals_serial(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tfcli.site import parallel

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)  # fork even for a small site
    serial = render(tracker, tmp_path / "serial", jobs=1)
    forked = render(tracker, tmp_path / "forked", jobs=2)
    for name in files(serial):
        assert (serial / name).read_bytes() == (forked / name).read_bytes(), name


def test_templates_compile_once_before_workers_fork(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from tfcli.site import gather, parallel

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    log = tmp_path / "compiled"  # a file: forked workers append to it too
    parse = jinja2.Environment._parse

    def logged(
        self: jinja2.Environment, source: str, name: str | None, filename: str | None
    ) -> Any:
        with log.open("a") as f:
            f.write(f"{os.getpid()} {name}\n")
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", logged)
    walks = []
    organisations = gather.Site._organisations
    monkeypatch.setattr(
        gather.Site, "_organisations", lambda site: walks.append(1) or organisations(site)
    )
    render(tracker, tmp_path / "forked", jobs=2)
    compiled = [line.split() for line in log.read_text().splitlines()]
    assert {pid for pid, _ in compiled} == {str(os.getpid())}  # none in a worker
    assert sorted(name for _, name in compiled) == sorted(p.name for p in BUILTIN.glob("*.html"))
    assert walks == [1]  # Site.organisations() worked out once


def test_writer_does_not_follow_links_out_of_the_site(seed_repo: Path) -> None:
    out = render(seed_repo, seed_repo / "_site")
    seed = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    before = seed.read_bytes()
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(seed)  # a link in place of a page
    shutil.rmtree(out / "meetings")
    (out / "meetings").symlink_to(seed_repo / "minutes")  # a folder that leads into minutes/
    with pytest.raises(DataError, match="leads out of the output folder"):
        render(seed_repo, out)
    assert seed.read_bytes() == before
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [seed.name]
    marker = out / ".tf-site"
    marker.write_text(
        marker.read_text(encoding="utf-8") + f"meetings/{seed.name}\n../tf.yml\n", encoding="utf-8"
    )
    (out / "meetings").unlink()
    (out / "meetings").mkdir()
    (out / "meetings" / "x").symlink_to(seed_repo / "minutes")
    marker.write_text(
        marker.read_text(encoding="utf-8") + f"meetings/x/{seed.name}\n", encoding="utf-8"
    )
    render(seed_repo, out)
    assert seed.exists() and (seed_repo / "tf.yml").exists()
    assert not (out / "index.html").is_symlink() and seed.read_bytes() == before


def test_check_public_reports_contact_data_in_public_minutes(seed_repo: Path) -> None:
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    text = f.read_text(encoding="utf-8")
    text = text.replace(
        "please reach to: Hanna Ursol (see contacts).",
        "please reach to: ursol@unhcr.org, +373 22 123 456.",
    )
    text = text.replace("  - Welcome remarks\n", "  - Welcome remarks (call 069123456)\n", 1)
    f.write_text(text, encoding="utf-8")
    assert run_tf("check", "--strict", cwd=seed_repo).code == 0  # only with --public
    # (the e-mail under contacts: at line 90 is where it belongs: not reported)
    r = run_tf("check", "--public", cwd=seed_repo)
    hint = "(move it under 'contacts:', which is never published, or remove it)"
    name = "minutes/2022-06-24-anti-trafficking-task-force.md"
    lines = text.split("\n")
    agenda_line = lines.index("  - Welcome remarks (call 069123456)") + 1
    body_line = next(i for i, x in enumerate(lines, 1) if "reach to: ursol@" in x)
    col = lines[body_line - 1].index("ursol@") + 1
    assert (r.code, r.out) == (
        0,
        f"{name}:{agenda_line}:1: warning [public-contact] phone number in public minutes {hint}\n"
        f"{name}:{body_line}:{col}: warning [public-contact] e-mail address in public minutes {hint}\n"
        f"{name}:{body_line}:{col + 17}: warning [public-contact] phone number in public minutes {hint}\n",
    )


def test_meeting_page_shows_silence_procedure_and_time(seed_repo: Path, tmp_path: Path) -> None:
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    text = f.read_text(encoding="utf-8").replace(
        "status: approved", "status: circulated\nsilence_until: 2022-07-01"
    )
    f.write_text(
        text.replace("location: Zoom", "time: 10:00\nend_time: 12:30\nlocation: Zoom", 1),
        encoding="utf-8",
    )
    out = render(seed_repo, tmp_path / "s")
    page = Text.of((out / "meetings/2022-06-24.html").read_text(encoding="utf-8"))
    assert "Time 10:00–12:30 Location Zoom" in page
    assert "Minutes circulated (silence procedure until 1 July 2022)" in page


def test_a_meeting_page_does_not_change_the_action_rows_other_pages_share(tracker: Path) -> None:
    """The meeting page adds what was agreed ("agreed: 8 July 2022") to its own copy: the
    tracker and organisation pages share each action's dict, and a clean build that makes
    the meeting pages first (as a cached build does) must show them the same rows."""
    from tfcli.site import pages
    from tfcli.site.gather import gather

    repo = load_repo(tracker)
    site = gather(repo, TODAY, Policy())
    before = {k: dict(v) for k, v in site.shown.items()}
    shown_agreed = []
    for i, m in enumerate(repo.meetings):
        ctx = pages.meeting(site, m, i).context
        shown_agreed += [a for a in ctx["actions"] if "agreed_due" in a or "agreed_owner" in a]
    assert shown_agreed  # the fixture has an action re-dated by a later meeting
    assert all("agreed_due" not in d and "agreed_owner" not in d for d in site.shown.values())
    assert {k: v for k, v in site.shown.items() if k in before} == before


def test_index_gives_the_next_meetings_hours_and_search_finds_sub_items(
    seed_repo: Path, tmp_path: Path
) -> None:
    """The index's next meeting says when it ends, as the meeting page does; the search
    index holds agenda sub-items, but never a restricted one in the public build."""
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    text = f.read_text(encoding="utf-8")
    text = text.replace(
        "next_meeting:\n", "next_meeting:\n  date: 2022-07-08\n  time: 10:00\n  end_time: 11:30\n"
    )
    text = text.replace(
        "  - Welcome remarks\n",
        "  - title: Welcome remarks\n    items:\n      - Tour of the new shelter in Balti\n"
        "      - title: Case of the Ungheni family\n        visibility: restricted\n",
        1,
    )
    f.write_text(text, encoding="utf-8")
    out = render(seed_repo, tmp_path / "s")
    index = Text.of((out / "index.html").read_text(encoding="utf-8"))
    assert "Friday 8 July 2022, 10:00–11:30" in index
    search = (out / "assets" / "search-00.js").read_text(encoding="utf-8")
    assert "Tour of the new shelter in Balti" in search
    assert "Ungheni" not in search
    internal = render(seed_repo, tmp_path / "i", include_restricted=True)
    assert "Ungheni" in (internal / "assets" / "search-00.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_site_files_get_the_mode_open_gives_them(tmp_path: Path, umask: int) -> None:
    """A published site must be readable by the web server's user: files are made as `open`
    makes them (0666 less the umask), not with the temporary file's 0600; the same for a
    file a rebuild replaces."""
    old = os.umask(umask)
    try:
        out = render(SEED, tmp_path / "site")
        (out / "tracker.html").write_text("changed by hand")
        os.chmod(out / "tracker.html", 0o600)
        render(SEED, out)
    finally:
        os.umask(old)
    modes = {p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert modes == {0o666 & ~umask}


def test_a_macros_file_from_an_earlier_tf_is_an_answer(seed_repo: Path) -> None:
    """A group's `_macros.html` copied before `action_table` took `compact`: the built-in
    organisation page's call fails in Jinja with a TypeError, told as the template's
    problem (exit 3, where), not as a bug of tf (exit 70)."""
    builtin = BUILTIN / "_macros.html"
    old = builtin.read_text(encoding="utf-8").replace(", compact=False)", ")")
    assert old != builtin.read_text(encoding="utf-8")
    (seed_repo / "templates" / "site").mkdir(parents=True)
    (seed_repo / "templates" / "site" / "_macros.html").write_text(old, encoding="utf-8")
    r = run_tf("render", cwd=seed_repo)
    assert r.code == 3, r.err
    assert "organisation.html:" in r.err and "Traceback" not in r.err
    assert (
        "site template organisation.html: TypeError: macro 'action_table' takes no keyword "
        "argument 'compact'" in r.err
    )
    assert "one copied from an earlier tf may lack an argument" in r.err
