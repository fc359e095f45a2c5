"""The pieces of `tf new-meeting`: date by cadence, slug, the YAML filter, agenda and roster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tfcli import agenda, fields, templates, yamlstrict
from tfcli.config import parse_cadence
from tfcli.errors import DataError, UsageError
from tfcli.model import Cadence, Config, Meeting, NextMeeting, Organisation, Person, Repo
from tfcli.slug import fold, slugify

WEEKS2 = Cadence(days=14, text="every 2 weeks")
MONTHLY = Cadence(months=1, text="monthly")

# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "cadence", "today", "expected"),
    [
        # every 2 weeks: latest + 14 days, the same weekday
        (date(2022, 6, 24), WEEKS2, date(2022, 6, 25), date(2022, 7, 8)),
        # the cadence date is today: today
        (date(2022, 6, 24), WEEKS2, date(2022, 7, 8), date(2022, 7, 8)),
        # today is the day of the latest meeting: the next one
        (date(2022, 6, 24), WEEKS2, date(2022, 6, 24), date(2022, 7, 8)),
        # latest meeting long past: add cadence until not before today
        (date(2022, 6, 24), WEEKS2, date(2022, 9, 1), date(2022, 9, 2)),
        (date(2022, 6, 24), WEEKS2, date(2022, 9, 2), date(2022, 9, 2)),
        (date(2022, 6, 24), WEEKS2, date(2022, 9, 3), date(2022, 9, 16)),
        (date(2022, 6, 24), Cadence(days=7), date(2022, 6, 25), date(2022, 7, 1)),
        # monthly: same day next month
        (date(2022, 6, 24), MONTHLY, date(2022, 6, 25), date(2022, 7, 24)),
        # clamped to the month's end, without drifting: 31 Jan → 28 Feb, then 31 Mar
        (date(2022, 1, 31), MONTHLY, date(2022, 2, 1), date(2022, 2, 28)),
        (date(2022, 1, 31), MONTHLY, date(2022, 3, 1), date(2022, 3, 31)),
        (date(2024, 1, 31), MONTHLY, date(2024, 2, 1), date(2024, 2, 29)),
        (date(2022, 11, 15), MONTHLY, date(2022, 11, 20), date(2022, 12, 15)),
        (date(2022, 12, 15), MONTHLY, date(2022, 12, 20), date(2023, 1, 15)),
        # latest months ago
        (date(2022, 1, 10), MONTHLY, date(2022, 6, 11), date(2022, 7, 10)),
        (date(2022, 1, 10), MONTHLY, date(2022, 6, 10), date(2022, 6, 10)),
        (date(2022, 1, 10), Cadence(months=3), date(2022, 6, 11), date(2022, 7, 10)),
        # no cadence, no meeting: today
        (date(2022, 6, 24), None, date(2022, 6, 25), date(2022, 6, 25)),
        (None, WEEKS2, date(2022, 6, 25), date(2022, 6, 25)),
    ],
)
def test_next_date(
    latest: date | None, cadence: Cadence | None, today: date, expected: date
) -> None:
    assert agenda.next_date(latest, cadence, today) == expected


@given(
    st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    st.integers(0, 2000),
    st.sampled_from(["weekly", "every 2 weeks", "every 10 days", "monthly", "every 2 months"]),
)
def test_next_date_is_the_first_cadence_date_not_before_today(
    latest: date, gap: int, text: str
) -> None:
    cadence = parse_cadence(text)
    assert cadence
    today = date.fromordinal(latest.toordinal() + gap)
    got = agenda.next_date(latest, cadence, today)
    assert got >= today and got > latest
    steps = [agenda.add_cadence(latest, cadence, k) for k in range(1, 2100)]
    assert got in steps
    assert all(d < today for d in steps[: steps.index(got)])


def test_next_date_overflow_is_a_data_error() -> None:
    with pytest.raises(DataError, match="no date after 9999-12-30"):
        agenda.next_date(date(9999, 12, 30), WEEKS2, date(9999, 12, 31))


def test_following_date_past_the_calendar_is_a_usage_error() -> None:
    assert agenda.following(date(2022, 7, 8), WEEKS2) == date(2022, 7, 22)
    assert agenda.following(date(2022, 1, 31), MONTHLY) == date(2022, 2, 28)
    with pytest.raises(UsageError, match="no date after 9999-12-31 by cadence 'every 2 weeks'"):
        agenda.following(date(9999, 12, 31), WEEKS2)
    with pytest.raises(UsageError, match="no date after 9999-12-15 by cadence 'monthly'"):
        agenda.following(date(9999, 12, 15), MONTHLY)


def _meeting(day: str, **kw: object) -> Meeting:
    return Meeting(path=Path(f"minutes/{day}.md"), id=day, date=date.fromisoformat(day), **kw)  # type: ignore[arg-type]


def _repo(meetings: list[Meeting], **cfg: object) -> Repo:
    config = Config(root=Path("."), **cfg)  # type: ignore[arg-type]
    return Repo(config, meetings, [], [])


def test_planned_date_counts_from_the_latest_meeting_held() -> None:
    held, prepared = _meeting("2022-06-24"), _meeting("2022-07-08")
    repo = _repo([held, prepared], cadence=WEEKS2)
    # the prepared meeting does not move it: running new-meeting twice asks for the same date
    assert agenda.planned_date(repo, date(2022, 6, 25)) == date(2022, 7, 8)
    # once 8 July has been held, the next one follows it
    assert agenda.planned_date(repo, date(2022, 7, 9)) == date(2022, 7, 22)
    assert agenda.planned_date(_repo([], cadence=WEEKS2), date(2022, 6, 25)) == date(2022, 6, 25)
    assert agenda.planned_date(_repo([prepared], cadence=WEEKS2), date(2022, 6, 25)) == date(
        2022, 6, 25
    )


def test_planned_date_prefers_the_date_the_meeting_agreed() -> None:
    agreed = _meeting("2022-06-24", next_meeting=NextMeeting(date=date(2022, 7, 12)))
    repo = _repo([agreed], cadence=WEEKS2)
    assert agenda.planned_date(repo, date(2022, 6, 25)) == date(2022, 7, 12)
    # an agreed date already past is ignored: cadence again
    assert agenda.planned_date(repo, date(2022, 7, 13)) == date(2022, 7, 22)


# -- slug -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Anti-Trafficking Task Force", "anti-trafficking-task-force"),
        ("../../etc/x", "etc-x"),
        ("..", "meeting"),
        ("/", "meeting"),
        ("", "meeting"),
        ("   ", "meeting"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("Întâlnire grup de lucru", "intalnire-grup-de-lucru"),
        ("ș ş ț ţ ă â î Ș Ş Ț Ţ Ă Â Î", "s-s-t-t-a-a-i-s-s-t-t-a-a-i"),
        ("Ședința Grupului de lucru", "sedinta-grupului-de-lucru"),
        ("Straße Ærø Łódź", "strasse-aero-lodz"),
        ("Засідання робочої групи", "zasidannia-robochoi-grupi"),
        ("Рабочая встреча", "rabochaia-vstrecha"),
        ("Q&A session", "q-and-a-session"),
        ("会议", "meeting-63d30f"),  # no table for Chinese: a hash keeps two apart
        ("Meeting\x1b[31m red\nline", "meeting-31m-red-line"),
        ("a" * 100, "a" * 60),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slug_cut_at_a_word_boundary() -> None:
    title = "Presentation of recommendations on the need to enhance anti-trafficking prevention"
    assert slugify(title) == "presentation-of-recommendations-on-the-need-to-enhance-anti"
    assert len(slugify(title)) <= 60


@given(st.text())
def test_slug_is_always_a_safe_file_name(title: str) -> None:
    slug = slugify(title)
    assert 1 <= len(slug) <= 60
    assert all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert slug not in (".", "..")


def test_fold_romanian() -> None:
    assert fold("ȘșŞşȚțŢţĂăÂâÎî") == "ssssttttaaaaii"


# -- the yaml filter --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Zoom", "Zoom"),
        ("General Prosecutor's Office", "General Prosecutor's Office"),
        ("Întâlnire grup de lucru", "Întâlnire grup de lucru"),
        ("UNHCR: data portal", '"UNHCR: data portal"'),
        ("yes", '"yes"'),
        ("NO", '"NO"'),
        ("012", '"012"'),
        ("1e3", '"1e3"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("", '""'),
        ("- item", '"- item"'),
        ("a # comment", '"a # comment"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("\x1b[31m", '"\\e[31m"'),
        ("@home", '"@home"'),
        ("*alias", '"*alias"'),
        ("!!python/object", '"!!python/object"'),
        ("10:00", "10:00"),  # the format asks for plain HH:MM; tf reads it as text
        ("2022-07-08", "2022-07-08"),
        (date(2022, 7, 8), "2022-07-08"),
        (3, "3"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_yaml_scalar(value: object, written: str) -> None:
    assert templates.yaml_scalar(value) == written


@given(st.text())
def test_yaml_scalar_reads_back_as_the_same_text(text: str) -> None:
    doc = f"key: {templates.yaml_scalar(text)}\nlist:\n  - {templates.yaml_scalar(text)}\n"
    assert yamlstrict.parse(doc).value == {"key": text, "list": [text]}
    if not (fields.ISO_DATE.match(text) or fields.HHMM.match(text)):
        # any other YAML reader agrees, too
        assert yaml.safe_load(doc) == {"key": text, "list": [text]}


@given(st.text())
def test_yaml_comment_never_breaks_out(text: str) -> None:
    doc = f"key: value  # {templates.yaml_comment(text)}\nother: 1\n"
    assert yamlstrict.parse(doc).value == {"key": "value", "other": 1}
    assert len(templates.yaml_comment(text)) <= 72


def test_md_cell_and_oneline() -> None:
    assert templates.md_cell("a | b\nc") == "a \\| b c"
    assert templates.collapse_whitespace("  Any\n other\tbusiness ") == "Any other business"
    # not to be confused with output.one_line, which escapes and keeps the spaces
    assert not hasattr(templates, "one_line")
    assert templates.FILTERS["oneline"] is templates.collapse_whitespace
    assert templates.long_date(date(2022, 7, 8)) == "Friday 8 July 2022"


# -- agenda and roster ------------------------------------------------------------------------


def test_builtin_agenda_with_standing_items_and_deferred_topics() -> None:
    cfg = Config(root=Path("."), standing_agenda=("Tour de table",))
    assert agenda.agenda_titles(cfg, ("Digital prevention", "tour de TABLE")) == [
        "Welcome and adoption of the agenda",
        "Endorsement of the previous minutes and review of pending action points",
        "Tour de table",
        "Digital prevention",
        "Any other business",
        "Date of next meeting",
    ]


def test_agenda_override_from_config() -> None:
    cfg = Config(root=Path("."), default_agenda=("Opening", "Actions", "Close"))
    cfg.standing_agenda = ("Updates",)
    titles = agenda.agenda_titles(cfg, ())
    assert titles == ["Opening", "Actions", "Updates", "Close"]
    assert agenda.review_index(titles) == 1
    assert agenda.review_index(["Opening", "Updates", "Close"]) == 1
    assert agenda.review_index(["Opening"]) == 0
    assert agenda.review_index([]) is None
    short = Config(root=Path("."), default_agenda=("Only",), standing_agenda=("S",))
    assert agenda.agenda_titles(short, ("D",)) == ["Only", "S", "D"]


def test_roster_from_config_groups() -> None:
    cfg = Config(
        root=Path("."),
        organisations=(
            Organisation("State Chancellery", "SC", "government"),
            Organisation("UNHCR", None, "international"),
            Organisation("Freelance", None, None),
            Organisation("IOM", None, "international"),
        ),
    )
    assert agenda.roster(cfg, None) == {
        "government": ["State Chancellery"],
        "international": ["UNHCR", "IOM"],
        "other": ["Freelance"],
    }
    flat = Config(root=Path("."), organisations=(Organisation("A"), Organisation("B")))
    assert agenda.roster(flat, None) == {"": ["A", "B"]}


def test_roster_from_previous_meeting_includes_regrets() -> None:
    prev = _meeting(
        "2022-06-24",
        participants={"gov": (Person("SC"), Person("Ana", "GPO"))},
        regrets={"gov": (Person("MoE"),), "ngo": (Person("La Strada"),)},
    )
    assert agenda.roster(Config(root=Path(".")), prev) == {
        "gov": ["SC", "Ana (GPO)", "MoE"],
        "ngo": ["La Strada"],
    }


def test_template_lookup_prefers_the_groups_own(tmp_path: Path) -> None:
    builtin = templates.find(tmp_path / "templates", "meeting.md")
    assert builtin.builtin and builtin.shown == "built-in template meeting.md"
    assert builtin.text.startswith("{#- The skeleton `tf new-meeting` writes.")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "meeting.md").write_bytes(b"\xef\xbb\xbf---\ndate: {{ date }}\n---\n")
    own = templates.find(tmp_path / "tpl", "meeting.md")
    assert (own.builtin, own.text) == (False, "---\ndate: {{ date }}\n---\n")
    (tmp_path / "tpl" / "meeting.md").write_bytes(b"---\ntitle: \xe9\n---\n")
    with pytest.raises(DataError) as e:
        templates.find(tmp_path / "tpl", "meeting.md")
    assert e.value.message == "cannot read template: byte 0xe9 is not valid UTF-8"
    assert e.value.where and e.value.where.endswith("tpl/meeting.md:2:8")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * (2 * 1024 * 1024 + 1), "file is 2,097,153 bytes, more than the 2,097,152 allowed"),
        (b"---\ndate: {{ date }}\x00\n---\n", "file contains NUL bytes (binary file?)"),
        ("---\n".encode("utf-16"), "file is UTF-16"),
    ],
)
def test_template_is_read_by_load_with_its_limits(
    tmp_path: Path, data: bytes, message: str
) -> None:
    (tmp_path / "meeting.md").write_bytes(data)
    with pytest.raises(DataError) as e:
        templates.find(tmp_path, "meeting.md")
    assert e.value.message == f"cannot read template: {message}"


def test_template_crlf_is_read_as_lf(tmp_path: Path) -> None:
    (tmp_path / "meeting.md").write_bytes(b"---\r\ndate: {{ date }}\r\n---\r\n")
    assert templates.find(tmp_path, "meeting.md").text == "---\ndate: {{ date }}\n---\n"


def test_templates_module_reads_no_file_itself() -> None:
    """load.py is the one reader of files in the repository."""
    source = Path(templates.__file__).read_text(encoding="utf-8")
    assert ".read_bytes(" not in source and "open(" not in source
    assert "read_text(own)" in source


def test_iso_date_and_hhmm_patterns_come_from_fields() -> None:
    """The `yaml` filter writes plain exactly what fields.py reads as a date or a time: the
    patterns are fields.py's, not copies (in templates.py, or yamlstrict.py where it moves)."""
    package = Path(fields.__file__).parent
    for name in ("templates.py", "yamlstrict.py"):
        text = (package / name).read_text(encoding="utf-8")
        assert "\\d{4}-\\d{2}-\\d{2}" not in text and "2[0-3]" not in text, name
    assert fields.ISO_DATE.match("2022-07-08") and not fields.ISO_DATE.match("2022-07-08x")
    assert fields.HHMM.match("23:59") and not fields.HHMM.match("24:00")
