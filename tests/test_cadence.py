"""Meeting date rules (issue 8 point 10): the grammar, the dates, skipped days, and a meeting
moved to another day that never moves the meetings after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import run_tf

from tfcli import agenda
from tfcli.cadence import FORMS, after, first_on_or_after, parse
from tfcli.model import Cadence, Config, Meeting, Repo
from tfcli.record import replace

THU, WED = 3, 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly", Cadence(7, 0)),
        ("every 2 weeks", Cadence(14, 0)),
        ("every other week", Cadence(14, 0)),
        ("Every 10 days", Cadence(10, 0)),
        ("monthly", Cadence(0, 1)),
        ("quarterly", Cadence(0, 3)),
        ("every 2 months", Cadence(0, 2)),
        ("every Thursday", Cadence(7, 0, weekday=THU)),
        ("every other Thursday", Cadence(14, 0, weekday=THU)),
        ("every 2 weeks on Thursday", Cadence(14, 0, weekday=THU)),
        ("Every 2 weeks on Thursdays", Cadence(14, 0, weekday=THU)),
        ("fortnightly on Thu", Cadence(14, 0, weekday=THU)),
        ("weekly on Tuesday", Cadence(7, 0, weekday=1)),
        ("first Thursday of the month", Cadence(0, 1, weekday=THU, nth=1)),
        ("the 2nd Tuesday of each month", Cadence(0, 1, weekday=1, nth=2)),
        ("last Wednesday", Cadence(0, 1, weekday=WED, nth=-1)),
        ("last Wednesday of every 3 months", Cadence(0, 3, weekday=WED, nth=-1)),
        ("monthly on the first Thursday", Cadence(0, 1, weekday=THU, nth=1)),
        ("every 2 months on the last Wednesday", Cadence(0, 2, weekday=WED, nth=-1)),
    ],
)
def test_the_forms(text: str, expected: Cadence) -> None:
    assert parse(text) == replace(expected, text=text)


@pytest.mark.parametrize(
    "text",
    [
        "monthly on Thursday",  # which Thursday? never guessed
        "fifth Thursday of the month",
        "every 2 weeks on the first Thursday",
        "every Thorsday",
        "every 0 weeks",
        "twice a month",
        "first Thursday of every 0 months",
    ],
)
def test_rules_not_understood(text: str) -> None:
    assert parse(text) is None


def test_forms_name_every_kind() -> None:
    for example in ("every 2 weeks on Thursday", "last Wednesday", "every N days"):
        assert example in FORMS


@pytest.mark.parametrize(
    ("rule", "latest", "today", "expected"),
    [
        # every 2 weeks on Thursday: 1 Dec held, next 15 Dec
        ("every 2 weeks on Thursday", date(2022, 12, 1), date(2022, 12, 2), date(2022, 12, 15)),
        # 15 Dec moved to Wednesday 14: back to Thursday 29, not Wednesday 28
        ("every 2 weeks on Thursday", date(2022, 12, 14), date(2022, 12, 15), date(2022, 12, 29)),
        # moved to Friday 16: it stands for Thursday 15, the next is still the 29th
        ("every 2 weeks on Thursday", date(2022, 12, 16), date(2022, 12, 17), date(2022, 12, 29)),
        # postponed to Monday 19, nearer Thursday 22: two weeks from the 22nd
        ("every 2 weeks on Thursday", date(2022, 12, 19), date(2022, 12, 20), date(2023, 1, 5)),
        # long past: the first rule date not before today
        ("every 2 weeks on Thursday", date(2022, 12, 1), date(2023, 1, 13), date(2023, 1, 26)),
        ("every 2 weeks on Thursday", date(2022, 12, 1), date(2023, 1, 12), date(2023, 1, 12)),
        # a Friday group that moves to Thursdays: the Thursday nearest two weeks on
        ("every 2 weeks on Thursday", date(2022, 6, 24), date(2022, 6, 25), date(2022, 7, 7)),
        ("every Thursday", date(2022, 12, 1), date(2022, 12, 1), date(2022, 12, 8)),
        # first Thursday of the month: 1 Dec 2022, then 5 Jan 2023 (never a Sunday)
        ("first Thursday of the month", date(2022, 12, 1), date(2022, 12, 2), date(2023, 1, 5)),
        # held on Wednesday 30 Nov instead of 1 Dec: still 5 Jan
        ("first Thursday of the month", date(2022, 11, 30), date(2022, 12, 1), date(2023, 1, 5)),
        ("first Thursday of the month", date(2022, 12, 8), date(2022, 12, 9), date(2023, 1, 5)),
        ("last Wednesday", date(2022, 11, 30), date(2022, 12, 1), date(2022, 12, 28)),
        ("last Wednesday", date(2022, 12, 28), date(2023, 2, 1), date(2023, 2, 22)),
        (
            "every 2 months on the last Wednesday",
            date(2022, 11, 30),
            date(2022, 12, 1),
            date(2023, 1, 25),
        ),
        # plain rules mean what they always meant
        ("monthly", date(2022, 6, 23), date(2022, 6, 24), date(2022, 7, 23)),
        ("every 2 weeks", date(2022, 12, 14), date(2022, 12, 15), date(2022, 12, 28)),
    ],
)
def test_next_date_by_rule(rule: str, latest: date, today: date, expected: date) -> None:
    cadence = parse(rule)
    assert cadence
    assert agenda.next_date(latest, cadence, today) == expected


def test_skipped_dates_are_passed_over() -> None:
    rule = parse("every 2 weeks on Thursday")
    assert rule
    rule = replace(rule, skip=frozenset({date(2022, 12, 29), date(2023, 1, 12)}))
    assert agenda.next_date(date(2022, 12, 15), rule, date(2022, 12, 16)) == date(2023, 1, 26)
    assert after(rule, date(2022, 12, 15)) == date(2023, 1, 26)
    monthly = replace(
        parse("first Thursday of the month") or rule, skip=frozenset({date(2023, 1, 5)})
    )
    assert after(monthly, date(2022, 12, 1)) == date(2023, 2, 2)
    plain = Cadence(14, 0, "every 2 weeks", skip=frozenset({date(2022, 12, 29)}))
    assert after(plain, date(2022, 12, 15)) == date(2023, 1, 12)


def test_first_meeting_falls_on_the_rule() -> None:
    thursdays = parse("every 2 weeks on Thursday")
    last_wed = parse("last Wednesday")
    assert thursdays and last_wed
    assert first_on_or_after(thursdays, date(2022, 12, 2)) == date(2022, 12, 8)
    assert first_on_or_after(thursdays, date(2022, 12, 8)) == date(2022, 12, 8)
    assert first_on_or_after(last_wed, date(2022, 12, 2)) == date(2022, 12, 28)
    assert first_on_or_after(last_wed, date(2022, 12, 29)) == date(2023, 1, 25)
    skipped = replace(last_wed, skip=frozenset({date(2022, 12, 28)}))
    assert first_on_or_after(skipped, date(2022, 12, 2)) == date(2023, 1, 25)
    assert agenda.next_date(None, thursdays, date(2022, 12, 2)) == date(2022, 12, 8)


def _meeting(day: str, mid: str | None = None) -> Meeting:
    return Meeting(path=Path(f"minutes/{day}.md"), id=mid or day, date=date.fromisoformat(day))


def test_planned_date_returns_to_the_rule_after_a_moved_meeting() -> None:
    rule = parse("every 2 weeks on Thursday")
    meetings = [_meeting("2022-12-01"), _meeting("2022-12-14")]  # the second moved to a Wednesday
    repo = Repo(Config(root=Path("."), cadence=rule), meetings, [], [])
    assert agenda.planned_date(repo, date(2022, 12, 15)) == date(2022, 12, 29)
    assert agenda.following(date(2022, 12, 29), rule) == date(2023, 1, 12)  # type: ignore[arg-type]


def test_a_baseline_is_no_meeting_for_the_plan() -> None:
    rule = parse("every 2 weeks on Thursday")
    baseline = _meeting("2022-12-07", "2022-12-07-baseline")
    repo = Repo(Config(root=Path("."), cadence=rule), [baseline], [], [])
    assert agenda.planned_date(repo, date(2022, 12, 7)) == date(2022, 12, 8)
    nm = agenda.plan(repo, date(2022, 12, 7))
    assert nm.previous is None


# -- through tf.yml and the CLI ---------------------------------------------------------------


def _with_cadence(repo: Path, block: str) -> None:
    cfg = repo / "tf.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("cadence: every 2 weeks", block))


def test_check_names_the_forms_of_a_rule_it_does_not_understand(seed_repo: Path) -> None:
    _with_cadence(seed_repo, "cadence: monthly on Thursday")
    r = run_tf("check", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 1
    assert r.out == (
        "tf.yml:5:10: error [cadence] cadence 'monthly on Thursday' is not understood "
        f"(write {FORMS})\n"
    )


def test_skip_dates_in_tf_yml(seed_repo: Path) -> None:
    # The seed meeting is on Friday 24 June 2022; the group now meets on Thursdays, not on 7 July.
    _with_cadence(
        seed_repo,
        "cadence:\n  rule: every 2 weeks on Thursday\n  skip: [2022-07-07, 2022-07-21]",
    )
    assert run_tf("check", "--strict", "--today", "2022-06-25", cwd=seed_repo).code == 0
    r = run_tf("new-meeting", "--today", "2022-06-25", "--dry-run", cwd=seed_repo)
    assert r.code == 0, r.err
    assert r.err.endswith("(would create minutes/2022-08-04-anti-trafficking-task-force.md)\n")
    assert "next_meeting:\n  date: 2022-08-18\n" in r.out


def test_bad_skip_entries_are_reported(seed_repo: Path) -> None:
    _with_cadence(
        seed_repo, "cadence:\n  rule: last Wednesday\n  skip: [29 December, 2022-12-29]\n  when: x"
    )
    r = run_tf("check", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 1
    assert r.out == (
        "tf.yml:7:10: error [date] 'skip' is '29 December', not a date in YYYY-MM-DD form "
        "(write it as YYYY-MM-DD, e.g. 2022-07-08)\n"
        "tf.yml:7:23: warning [cadence] skipped date 2022-12-29 is a Thursday; the rule meets on "
        "Wednesdays (list only dates of the rule)\n"
        "tf.yml:8:3: warning [unknown-key] unknown key 'when' (kept as written) "
        "(known keys: rule, skip)\n"
    )
