# ruff: noqa: F811  (the fixture imported from test_actions_cli is a parameter here)
"""Issue 8 points 1-5: deadlines in words, undated actions in reminders, owners that are not
one agency, handovers. The corpus (tests/fixtures/words) is two meetings after the seed; the
expected dates are computed by hand in the comments."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_golden
from test_actions_cli import Tf, tf  # noqa: F401  (fixture)

from tfcli import deadlines
from tfcli.deadlines import kind_of, resolve
from tfcli.model import Cadence, Meeting, NextMeeting

TODAY = "2022-07-25"  # a Monday


@pytest.fixture
def words(seed_repo: Path) -> Path:
    for f in (FIXTURES / "words" / "minutes").iterdir():
        shutil.copy(f, seed_repo / "minutes" / f.name)
    cfg = seed_repo / "tf.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("roles:\n", "roles:\n  Health WG: [UNFPA, IRC Moldova]\n"))
    return seed_repo


@pytest.mark.parametrize(
    ("words_", "kind"),
    [
        ("next meeting", "next-meeting"),
        ("By the next meeting.", "next-meeting"),
        ("by the end of the week", "end-of-week"),
        ("End of week", "end-of-week"),
        ("next week", "next-week"),
        ("end of month", "end-of-month"),
        ("by the end of the month", "end-of-month"),
        ("ASAP", "asap"),
        ("as soon as possible", "asap"),
        ("Ongoing", "ongoing"),
        ("continuous", "ongoing"),
        ("as soon as outlined", "words"),
        ("before the next distribution", "words"),
    ],
)
def test_deadline_words(words_: str, kind: str) -> None:
    assert kind_of(words_) == kind


def _meeting(day: date, nxt: date | None = None) -> Meeting:
    return Meeting(
        Path("m.md"), day.isoformat(), day, next_meeting=NextMeeting(nxt) if nxt else None
    )


def test_resolution_relative_to_the_meeting() -> None:
    wed = _meeting(date(2022, 7, 6))
    later = _meeting(date(2022, 7, 20))
    every2 = Cadence(days=14, text="every 2 weeks")
    monthly = Cadence(months=1, text="monthly")

    def day(
        text: str, m: Meeting = wed, ms: list[Meeting] | None = None, c: Cadence | None = None
    ) -> date | None:
        return resolve(None, text, m, ms if ms is not None else [m], c).day

    assert day("end of the week") == date(2022, 7, 8)  # Wednesday -> that Friday
    assert day("end of the week", _meeting(date(2022, 7, 8))) == date(2022, 7, 8)  # a Friday
    assert day("end of the week", _meeting(date(2022, 7, 9))) == date(2022, 7, 15)  # Saturday
    assert day("next week") == date(2022, 7, 15)
    assert day("end of month") == date(2022, 7, 31)
    assert day("end of month", _meeting(date(2024, 2, 10))) == date(2024, 2, 29)
    # next meeting: the next one in the repo, else next_meeting.date, else the cadence
    assert day("next meeting", wed, [wed, later]) == date(2022, 7, 20)
    assert day("next meeting", _meeting(date(2022, 7, 6), date(2022, 7, 27))) == date(2022, 7, 27)
    assert day("next meeting", wed, c=every2) == date(2022, 7, 20)
    assert day("next meeting", wed, c=monthly) == date(2022, 8, 6)
    assert day("next meeting") is None  # nothing to go by: undated, kept as words
    for undated in ("ASAP", "ongoing", "before the next distribution"):
        d = resolve(None, undated, wed, [wed], every2)
        assert (d.day, d.text, d.undated) == (None, undated, True)
    assert resolve(None, "ASAP", wed, [wed], None).urgent
    assert resolve(date(2022, 7, 8), None, wed, [wed], None) == deadlines.Deadline(date(2022, 7, 8))
    assert resolve(None, "next week", _meeting(date(9999, 12, 31)), [], None).day is None


def test_next_meeting_is_the_first_later_date_among_many() -> None:
    # Several meetings a day, gaps: the first meeting dated after each one (found by halving).
    days = [date(2022, 1, 1 + n // 3 * 2) for n in range(40)]
    ms = [_meeting(d) for d in days]
    for m in ms:
        later = [d for d in days if d > m.date]
        assert resolve(None, "next meeting", m, ms, None).day == (later[0] if later else None)


def test_list_shows_the_words_and_their_date(tf: Tf, words: Path) -> None:
    r = tf("actions", "--today", TODAY, cwd=words)
    assert r.code == 0, r.err
    assert_golden(r.out, "words/list.txt")
    rows = [line.split("  ")[0] for line in r.out.splitlines()[1:]]
    # dated first by resolved date, then ASAP, then the other undated ones
    assert rows == [
        "2022-06-24/1", "2022-06-24/2",  # 2022-07-08
        "2022-07-08/2",  # by the end of the week: meeting on Friday 8 July -> 2022-07-08
        "2022-07-22/1",  # next week: Friday after Friday 22 July -> 2022-07-29
        "2022-07-08/3",  # end of month -> 2022-07-31
        "2022-07-08/1",  # next meeting, revised on 22 July: next_meeting.date 2022-08-12
        "2022-07-08/4",  # ASAP
        "2022-07-08/5", "2022-07-08/6",  # ongoing; before the next distribution
    ]  # fmt: skip


def test_overdue_and_due_within_use_the_resolved_date(tf: Tf, words: Path) -> None:
    def ids(*args: str) -> list[str]:
        out = tf("actions", "--today", TODAY, "--format", "json", *args, cwd=words).out
        return [a["id"] for a in json.loads(out)]

    assert ids("--overdue") == ["2022-06-24/1", "2022-06-24/2", "2022-07-08/2"]
    assert ids("--due-within", "4") == [*ids("--overdue"), "2022-07-22/1"]
    assert ids("--due-within", "6") == [*ids("--due-within", "4"), "2022-07-08/3"]


def test_json_and_csv_carry_the_date_and_the_words(tf: Tf, words: Path) -> None:
    data = {
        a["id"]: a for a in json.loads(tf("actions", "--today", TODAY, "-f", "json", cwd=words).out)
    }
    keys = ("due", "due_text", "due_kind", "original_due", "original_due_text", "hint")
    assert {i: tuple(data[i][k] for k in keys) for i in data if i.startswith("2022-07")} == {
        # original_due: the agreed words resolved, as `due` is ("next meeting" = 2022-07-22)
        "2022-07-08/1": ("2022-08-12", "next meeting", "next-meeting", "2022-07-22", "next meeting", "in 18 days"),
        "2022-07-08/2": ("2022-07-08", "by the end of the week", "end-of-week", "2022-07-08", "by the end of the week", "17 days overdue"),
        "2022-07-08/3": ("2022-07-31", "End of month", "end-of-month", "2022-07-31", "End of month", "in 6 days"),
        "2022-07-08/4": (None, "ASAP", "asap", None, "ASAP", "as soon as possible"),
        "2022-07-08/5": (None, "ongoing", "ongoing", None, "ongoing", "ongoing"),
        "2022-07-08/6": (None, "before the next distribution", "words", None, "before the next distribution", "no date"),
        "2022-07-22/1": ("2022-07-29", "next week", "next-week", "2022-07-29", "next week", "in 4 days"),
    }  # fmt: skip
    assert data["2022-07-08/1"]["postponements"] == 1  # 2022-07-22 -> 2022-08-12
    csv = tf("actions", "--today", TODAY, "-f", "csv", "--search", "ASAP", cwd=words).out
    assert csv == (
        "id,due,when,status,owner,text,meeting,due_text\n"
        "2022-07-08/4,,as soon as possible,open,no owner yet,"
        "Follow up with the border police on the crossing point,2022-07-08,ASAP\n"
    )


def test_owners_all_members_roles_persons_and_nobody(tf: Tf, words: Path) -> None:
    def ids(owner: str) -> list[str]:
        args = ("actions", "--today", TODAY, "-f", "json", "--owner", owner)
        return [a["id"] for a in json.loads(tf(*args, cwd=words).out)]

    # all members: every organisation of the roster; Maria Popescu (UNHCR) is UNHCR's
    assert ids("UNHCR") == [
        "2022-06-24/1", "2022-06-24/2", "2022-07-08/2", "2022-07-22/1", "2022-07-08/1"
    ]  # fmt: skip
    assert ids("La Strada") == ["2022-07-22/1", "2022-07-08/1", "2022-07-08/6"]
    assert ids("all members") == ["2022-07-08/1"]
    assert ids("CwC") == ["2022-07-08/5"]
    # the handover on 22 July: Health WG (UNFPA, IRC) -> IOM
    assert "2022-07-08/3" in ids("IOM") and ids("Health WG") == []
    assert ids("UNFPA") == ["2022-07-08/1"]  # as one of all members only


def test_check_notes_words_it_cannot_date_and_warns_of_no_owner(tf: Tf, words: Path) -> None:
    r = tf("check", "--strict", "--today", TODAY, cwd=words)
    assert r.out == (
        "minutes/2022-07-08-anti-trafficking-task-force.md:19:5: warning [action-owner] action "
        "has no owner yet (name an organisation, person, role or 'all members' when the group "
        "agrees one)\n"
        "minutes/2022-07-08-anti-trafficking-task-force.md:24:12: warning [owner] owner 'CwC' of "
        "action 2022-07-08/5 is not in the roster of tf.yml (add it to 'organisations' in tf.yml, "
        "or under 'roles:' for a sub-group or role, e.g. 'Health WG: [UNFPA, IRC]')\n"
        "minutes/2022-07-08-anti-trafficking-task-force.md:29:10: info [due-words] deadline "
        "'before the next distribution' of 2022-07-08/6 is kept as written; tf cannot tell "
        "which date it means, so it is listed as open without a date and never overdue (a date "
        "(YYYY-MM-DD), 'next meeting', 'end of the week', 'end of month', 'ASAP' or 'ongoing' "
        "are understood)\n"
    )
    assert r.err == "tf check: 0 errors, 2 warnings, 1 note in 3 files\n"
    assert r.code == 1  # --strict: the two warnings; the note alone never fails
    cfg = words / "tf.yml"
    cfg.write_text(cfg.read_text().replace("roles:\n", "roles:\n  CwC: [UNHCR]\n"))
    minutes = words / "minutes" / "2022-07-08-anti-trafficking-task-force.md"
    text = minutes.read_text().replace("    due: ASAP", "    owner: chair\n    due: ASAP")
    minutes.write_text(text.replace("ASAP", "ASAP").replace("owner: chair", "owner: SC"))
    r = tf("check", "--strict", "--today", TODAY, cwd=words)
    assert (r.code, r.err) == (0, "tf check: 0 errors, 0 warnings, 1 note in 3 files\n")


def test_digest_lists_undated_and_unowned_actions(tf: Tf, words: Path) -> None:
    r = tf("actions", "--by", "owner", "--today", TODAY, cwd=words)
    assert r.code == 0, r.err
    assert_golden(r.out, "words/digest.md")
    data = json.loads(tf("actions", "--by", "owner", "--today", TODAY, "-f", "json", cwd=words).out)
    assert [(g["organisation"], [a["id"] for a in g["undated"]]) for g in data if g["undated"]] == [
        ("La Strada", ["2022-07-08/6"]),
        ("CwC", ["2022-07-08/5"]),
        (None, ["2022-07-08/4"]),  # no owner yet
    ]
    # --overdue: only what is past its date; nothing undated
    r = tf("actions", "--by", "owner", "--overdue", "--today", TODAY, cwd=words)
    assert "without a date" not in r.out.split("\n", 3)[3] and "No owner yet" not in r.out


def test_agenda_lists_undated_actions_on_their_own(tf: Tf, words: Path) -> None:
    r = tf("agenda", "2022-07-22", "--today", TODAY, cwd=words)
    assert r.code == 0, r.err
    assert_golden(r.out, "words/agenda.md")
    assert r.out.endswith(
        "### Open, without a date\n\n"
        "| Action | What | Owner | Due | Status |\n"
        "|---|---|---|---|---|\n"
        "| 2022-07-08/4 | Follow up with the border police on the crossing point | no owner yet "
        "| ASAP | open |\n"
        "| 2022-07-08/5 | Keep the service directory up to date | CwC | ongoing | open |\n"
        "| 2022-07-08/6 | Prepare the list of households | La Strada | before the next "
        "distribution | open |\n"
    )


def test_history_shows_the_handover_and_the_revised_words(tf: Tf, words: Path) -> None:
    r = tf("actions", "show", "2022-07-08/3", "--today", TODAY, cwd=words)
    assert r.out.splitlines()[-2:] == [
        "  2022-07-08: agreed, status open, due End of month (2022-07-31), owner Health WG",
        "  2022-07-22: handed over: Health WG -> IOM; note: The Health WG has no capacity; IOM "
        "takes it over (minutes/2022-07-22-anti-trafficking-task-force.md:11)",
    ]
    assert "Owner:          IOM\n" in r.out
    r = tf("actions", "show", "2022-07-08/1", "--today", TODAY, cwd=words)
    assert_golden(r.out, "words/show.txt")
    assert "Due:            next meeting (2022-08-12), in 18 days\n" in r.out
    data = json.loads(tf("actions", "show", "2022-07-08/3", "-f", "json", cwd=words).out)
    assert (data["owners"], data["original_owners"], data["updates"][0]["owners"]) == (
        ["IOM"],
        ["Health WG"],
        ["IOM"],
    )


def test_check_warns_when_a_body_table_disagrees_with_the_follow_ups(tf: Tf, words: Path) -> None:
    """Issue 8.9: status has one source, `updates:`; a Status column saying otherwise warns."""
    later = words / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    later.write_text(
        later.read_text()
        + "\n| Action | What | Status |\n|---|:--|---|\n"
        + "| 2022-07-08/1 | Circulate the 4W matrix | **Done** |\n"  # in-progress: warns
        + "| 2022-07-08/3 | Map the hotlines | open |\n"  # agrees
        + "| 2022-07-08/2 | Share the referral pathway |  |\n"  # empty: says nothing
        + "| `2022-07-08/5` | Keep the directory | Completed |\n"  # done against open
    )
    own = words / "minutes" / "2022-07-08-anti-trafficking-task-force.md"
    own.write_text(
        own.read_text()
        + "\n| # | Action | Status |\n|---|---|---|\n| 4 | Follow up | in progress |\n"
    )
    r = tf("check", "--today", TODAY, "-f", "json", cwd=words)
    found = [
        (p["path"][8:18], p["line"], p["message"])
        for p in json.loads(r.out)
        if p["rule"] == "body-status"
    ]
    assert found == [
        ("2022-07-08", 39, "the table says 2022-07-08/4 is 'in progress', but its follow-ups say 'open' as of this meeting"),
        ("2022-07-22", 30, "the table says 2022-07-08/1 is 'Done', but its follow-ups say 'in-progress' as of this meeting"),
        ("2022-07-22", 33, "the table says 2022-07-08/5 is 'Completed', but its follow-ups say 'open' as of this meeting"),
    ]  # fmt: skip
    lines = later.read_text().splitlines()
    assert lines[29].startswith("| 2022-07-08/1") and lines[32].startswith("| `2022-07-08/5`")
    assert own.read_text().splitlines()[38] == "| 4 | Follow up | in progress |"


def test_notes_written_by_hand_and_words_in_a_follow_up(tf: Tf, words: Path) -> None:
    later = words / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    later.write_text(
        later.read_text()
        .replace(
            "    note: Half of the members sent their data\n",
            "    note: Half of the members sent their data\n"
            "    notes:\n"
            "      - date: 2022-07-24\n"
            "        text: Two more sent theirs\n"
            "      - Reminder sent by the secretariat\n"
            "      - date: 2022-07-25\n",
        )
        .replace("    owner: IOM\n", "    owner: IOM\n    due: when the funds arrive\n")
    )
    r = tf("check", "--today", TODAY, "-f", "json", cwd=words)
    found = [
        (p["line"], p["severity"], p["rule"], p["message"])
        for p in json.loads(r.out)
        if "07-22" in p["path"]
    ]
    assert (15, "error", "note", "a note has no 'text'") in found  # `- date: 2022-07-25`
    assert (
        18,
        "info",
        "due-words",
        "deadline 'when the funds arrive' of 2022-07-08/3 is kept as written; tf cannot tell "
        "which date it means, so it is listed as open without a date and never overdue",
    ) in found
    shown = tf("actions", "show", "2022-07-08/1", "--today", TODAY, cwd=words).out
    assert (
        "note: Half of the members sent their data; note 2022-07-24: Two more sent theirs; "
        "note Reminder sent by the secretariat (minutes/" in shown
    )
    shown = tf("actions", "show", "2022-07-08/3", "--today", TODAY, cwd=words).out
    assert (
        "  2022-07-22: due End of month (2022-07-31) -> when the funds arrive (postponed); "
        "handed over: Health WG -> IOM; note: The Health WG"
    ) in shown


def test_tf_actions_due_takes_the_words_it_understands(tf: Tf, words: Path) -> None:
    later = words / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    before = later.read_text()
    r = tf("actions", "due", "2022-07-08/2", "End of month", cwd=words)
    assert (r.code, r.err) == (
        0,
        "tf actions: 2022-07-08/2: due End of month, recorded as a follow-up in the draft "
        "minutes of 2022-07-22: minutes/2022-07-22-anti-trafficking-task-force.md:14\n",
    )
    entry = "  - action: 2022-07-08/2\n    due: End of month\n"
    assert later.read_text() == before.replace("actions:\n", entry + "actions:\n", 1)
    data = json.loads(tf("actions", "show", "2022-07-08/2", "-f", "json", cwd=words).out)
    # words in the follow-up of 22 July resolve relative to that meeting: 31 July; the agreed
    # "by the end of the week" of 8 July (a Friday) stays the original deadline
    assert (data["due"], data["due_text"], data["original_due"]) == (
        "2022-07-31",
        "End of month",
        "2022-07-08",
    )
    r = tf("actions", "due", "2022-07-08/2", "end of month", cwd=words)
    assert r.code == 0 and "nothing written" not in r.err  # other words: written
    r = tf("actions", "due", "2022-07-08/2", "after the elections", cwd=words)
    assert (r.code, r.err) == (
        2,
        "tf: due date 'after the elections' is not a date (write YYYY-MM-DD, or words such as "
        "'next meeting', 'end of month', 'ongoing')\n",
    )
