"""`--today` on every command where the date matters, with one meaning (issue 8 point 11):
--today, else $TF_TODAY, else today in the group's time zone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SEED_FILE, run_tf

COMMANDS = (
    ("check",),
    ("list",),
    ("show", "2022-06-24"),
    ("actions",),
    ("actions", "show", "2022-06-24/1"),
    ("new-meeting",),
    ("agenda",),
    ("init",),
    ("import-actions",),
)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_dated_command_takes_today(args: tuple[str, ...]) -> None:
    help_text = " ".join(run_tf(*args, "--help").out.split())
    assert (
        "--today YYYY-MM-DD Pretend today is YYYY-MM-DD (else $TF_TODAY, else today in the group's time zone)."
        in help_text
    )


@pytest.mark.parametrize("args", [("list",), ("show", "2022-06-24")], ids=" ".join)
def test_a_bad_today_is_a_usage_error(args: tuple[str, ...]) -> None:
    r = run_tf(*args, "--today", "8 July")
    assert (r.code, r.out) == (2, "")
    assert r.err == "tf: --today '8 July' is not a date (write YYYY-MM-DD)\n"
    r = run_tf(*args, env={"TF_TODAY": "2022-02-30"})
    assert r.err == "tf: $TF_TODAY '2022-02-30' is not a real date (check day and month)\n"


def test_list_counts_the_overdue_actions_of_each_meeting(tracker: Path) -> None:
    def overdue(*today: str, env: dict[str, str] | None = None) -> list[str]:
        r = run_tf("list", "-f", "csv", *today, cwd=tracker, env=env)
        assert r.code == 0, r.err
        return [line.split(",")[:2] + line.split(",")[5:7] for line in r.out.splitlines()]

    header = ["date", "id", "open_actions", "overdue_actions"]
    # Due after the follow-ups (tests/fixtures/actions): 2022-06-24/2 on 22 July; 2022-07-08/1
    # on 29 July, /2 on 22 July, /3 undated; 2022-07-22/1 on 5 August. Due today is not late.
    assert overdue("--today", "2022-07-22") == [
        header,
        ["2022-06-24", "2022-06-24", "1", "0"],
        ["2022-07-08", "2022-07-08", "3", "0"],
        ["2022-07-22", "2022-07-22", "1", "0"],
    ]
    assert overdue(env={"TF_TODAY": "2022-07-30"})[1:] == [
        ["2022-06-24", "2022-06-24", "1", "1"],
        ["2022-07-08", "2022-07-08", "3", "2"],
        ["2022-07-22", "2022-07-22", "1", "0"],
    ]
    # --today wins over $TF_TODAY
    assert overdue("--today", "2022-07-22", env={"TF_TODAY": "2030-01-01"})[2][3] == "0"


def test_show_says_how_late_each_open_action_is(tracker: Path) -> None:
    def actions(today: str) -> list[str]:
        out = run_tf("show", "2022-07-08", "--today", today, cwd=tracker).out
        return re.findall(r"^  2022-07-08/\S+ .*$", out, re.M)

    assert actions("2022-07-21") == [
        "  2022-07-08/1  [open]  due 2022-07-29 (in 8 days)  owner: La Strada",
        "  2022-07-08/2  [open]  due 2022-07-22 (due tomorrow)  owner: Martina Bogdeva (UNHCR)",
        "  2022-07-08/3  [in-progress]  no due date  owner: UNHCR, IOM",
        "  2022-07-08/4  [done]  due 2022-07-08  owner: SC",  # closed: no hint
    ]
    assert actions("2022-07-30")[:2] == [
        "  2022-07-08/1  [open]  due 2022-07-29 (1 day overdue)  owner: La Strada",
        "  2022-07-08/2  [open]  due 2022-07-22 (8 days overdue)  owner: Martina Bogdeva (UNHCR)",
    ]


def test_show_says_when_the_silence_procedure_has_ended(seed_repo: Path) -> None:
    seed = seed_repo / "minutes" / SEED_FILE
    text = seed.read_text(encoding="utf-8")
    seed.write_text(
        text.replace("status: approved", "status: circulated\nsilence_until: 2022-07-01")
    )

    def minutes(today: str) -> str:
        out = run_tf("show", "2022-06-24", "--today", today, cwd=seed_repo).out
        return next(line for line in out.splitlines() if line.startswith("Minutes:"))

    assert minutes("2022-07-01") == "Minutes:    circulated (silence until 2022-07-01)"
    assert minutes("2022-07-02") == (
        "Minutes:    circulated (silence ended on 2022-07-01: approve them, or draft again)"
    )
