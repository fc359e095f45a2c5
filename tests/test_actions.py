"""Action tracking as pure queries: effective state, history, owners, filters, today."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import SEED

from tfcli import dates
from tfcli.actions import (
    OPEN_STATUSES,
    Query,
    Tracked,
    find,
    last_day,
    make_query,
    select,
    track,
)
from tfcli.check import check
from tfcli.errors import UsageError
from tfcli.load import load_repo
from tfcli.model import ACTION_STATUSES, Config, Organisation, Repo
from tfcli.roster import Roster

TODAY = date(2022, 7, 25)


@pytest.fixture
def repo(tracker: Path) -> Repo:
    """The seed repo plus two later meetings with follow-ups (conftest's `tracker`)."""
    return load_repo(tracker)


def by_id(repo: Repo) -> dict[str, Tracked]:
    return {t.id: t for t in track(repo)}


def write(root: Path, name: str, text: str) -> None:
    (root / "minutes").mkdir(exist_ok=True)
    (root / "minutes" / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


# -- effective state and history ---------------------------------------------------------------


def test_latest_update_wins_and_history_is_kept(repo: Repo) -> None:
    t = by_id(repo)
    one, two = t["2022-06-24/1"], t["2022-06-24/2"]
    assert (one.status, one.closed_in, one.is_open) == ("done", "2022-07-08", False)
    assert (two.status, two.due, two.action.due) == (
        "in-progress",
        date(2022, 7, 22),
        date(2022, 7, 8),
    )
    assert [u.meeting_id for u in two.history] == ["2022-07-08"]
    assert two.postponements == 1
    [rev] = two.revisions
    assert (rev.before, rev.after, rev.update.meeting_id, rev.postponed) == (
        date(2022, 7, 8),
        date(2022, 7, 22),
        "2022-07-08",
        True,
    )
    hotlines = t["2022-07-08/1"]
    assert (hotlines.due, hotlines.postponements, hotlines.closed_in) == (
        date(2022, 7, 29),
        1,
        None,
    )
    closed_in_place = t["2022-07-08/4"]
    assert (closed_in_place.status, closed_in_place.closed_in) == ("done", None)


def test_postponements_count_only_later_deadlines(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2022-06-24-a.md",
        """
        ---
        date: 2022-06-24
        actions:
          - {id: 1, text: T, owner: IOM, due: 2022-07-08}
        ---
    """,
    )
    write(
        tmp_path,
        "2022-07-08-a.md",
        """
        ---
        date: 2022-07-08
        updates:
          - {action: 2022-06-24/1, due: 2022-07-22}
          - {action: 2022-06-24/1, due: 2022-07-22, note: same date again}
        ---
    """,
    )
    write(
        tmp_path,
        "2022-07-22-a.md",
        """
        ---
        date: 2022-07-22
        updates:
          - {action: 2022-06-24/1, due: 2022-07-15}
          - {action: 2022-06-24/1, due: 2022-08-05, status: done}
        ---
    """,
    )
    [t] = track(load_repo(tmp_path))
    assert [(r.before, r.after) for r in t.revisions] == [
        (date(2022, 7, 8), date(2022, 7, 22)),
        (date(2022, 7, 22), date(2022, 7, 15)),
        (date(2022, 7, 15), date(2022, 8, 5)),
    ]
    assert t.postponements == 2
    assert (t.status, t.closed_in, t.due) == ("done", "2022-07-22", date(2022, 8, 5))


def test_updates_in_same_or_earlier_meeting_are_ignored_and_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2022-06-24-a.md",
        """
        ---
        date: 2022-06-24
        updates:
          - action: 2022-07-08/1
            status: done
        ---
    """,
    )
    write(
        tmp_path,
        "2022-07-08-a.md",
        """
        ---
        date: 2022-07-08
        actions:
          - id: 1
            text: T
            owner: IOM
            due: 2022-07-20
        updates:
          - action: 2022-07-08/1
            status: dropped
          - action: 2022-07-08/9
            status: done
        ---
    """,
    )
    repo = load_repo(tmp_path)
    [t] = track(repo)
    assert (t.status, t.history) == ("open", ())
    found = [
        (Path(p.path).name, p.line, p.rule, p.severity.value, p.message) for p in check(repo, TODAY)
    ]
    assert found == [
        (
            "2022-06-24-a.md",
            4,
            "update-date",
            "error",
            "update of 2022-07-08/1 is dated before the action itself (2022-07-08); it is ignored",
        ),
        (
            "2022-07-08-a.md",
            9,
            "update-date",
            "error",
            "update of 2022-07-08/1 is in the same meeting as the action itself (2022-07-08); "
            "it is ignored",
        ),
        (
            "2022-07-08-a.md",
            11,
            "update-target",
            "error",
            "update points at unknown action '2022-07-08/9'",
        ),
    ]
    # 2022-07-08/1 is this meeting's own action, which an update would be refused for: never
    # suggested (issue 8, point 13).
    assert check(repo, TODAY)[-1].hint == "see 'tf actions --all' for the ids"


def test_same_day_meetings_are_ordered_by_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2022-07-08-a.md",
        """
        ---
        date: 2022-07-08
        actions: [{id: 1, text: T, owner: IOM, due: 2022-07-20}]
        ---
    """,
    )
    write(
        tmp_path,
        "2022-07-08-b.md",
        """
        ---
        date: 2022-07-08
        id: 2022-07-08-b
        updates: [{action: 2022-07-08/1, status: done}]
        ---
    """,
    )
    repo = load_repo(tmp_path)
    assert [t.status for t in track(repo)] == ["done"]
    assert check(repo, TODAY) == []


def test_in_place_status_disagreeing_with_latest_update_warns(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2022-06-24-a.md",
        """
        ---
        date: 2022-06-24
        actions:
          - id: 1
            text: Edited in place
            owner: IOM
            due: 2022-07-08
            status: done
          - id: 2
            text: Recorded as agreed
            owner: IOM
            due: 2022-07-08
            status: open
          - id: 3
            text: Both agree
            owner: IOM
            due: 2022-07-08
            status: dropped
          - id: 4
            text: Agreed as already started
            owner: IOM
            due: 2022-07-08
            status: in-progress
          - id: 5
            text: Done in place, dropped in a follow-up
            owner: IOM
            due: 2022-07-08
            status: done
        ---
    """,
    )
    write(
        tmp_path,
        "2022-07-08-a.md",
        """
        ---
        date: 2022-07-08
        updates:
          - {action: 2022-06-24/1, status: in-progress}
          - {action: 2022-06-24/2, status: done}
          - {action: 2022-06-24/3, status: done}
          - {action: 2022-06-24/3, status: dropped, note: on second thought}
          - {action: 2022-06-24/4, status: done}
          - {action: 2022-06-24/5, status: dropped}
        ---
    """,
    )
    problems = check(load_repo(tmp_path), TODAY)
    assert [(Path(p.path).name, p.line, p.rule, p.severity.value) for p in problems] == [
        ("2022-06-24-a.md", 28, "action-status", "warning"),
        # closed in place, reopened by a follow-up that does not say so: tested below
        ("2022-07-08-a.md", 4, "update-reopen", "error"),
        ("2022-07-08-a.md", 7, "update-duplicate", "warning"),  # tested below
    ]
    assert problems[0].message == (
        "action 2022-06-24/5 says 'status: done' here, but its latest follow-up (2022-07-08) "
        "says 'dropped'; the follow-up wins"
    )


def test_two_updates_of_one_action_in_one_meeting_warn_at_the_second(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2022-06-24-a.md",
        """
        ---
        date: 2022-06-24
        actions:
          - {id: 1, text: One, owner: IOM, due: 2022-07-08}
          - {id: 2, text: Two, owner: IOM, due: 2022-07-08}
        ---
    """,
    )
    write(
        tmp_path,
        "2022-07-08-a.md",
        """
        ---
        date: 2022-07-08
        updates:
          - action: 2022-06-24/1  # pre-filled by tf new-meeting
            status: open
          - action: 2022-06-24/2
            status: done
          - action: 2022-06-24/1
            status: done
          - {action: 2022-06-24/1, note: third}
        ---
    """,
    )
    write(tmp_path, "2022-07-22-a.md", "---\ndate: 2022-07-22\nupdates:\n"
          "  - {action: 2022-06-24/1, status: done}\n---\n")  # fmt: skip
    problems = [p for p in check(load_repo(tmp_path), TODAY) if p.rule == "update-duplicate"]
    assert [(Path(p.path).name, p.line, p.severity.value) for p in problems] == [
        ("2022-07-08-a.md", 8, "warning"),
        ("2022-07-08-a.md", 10, "warning"),
    ]
    assert (problems[0].message, problems[0].hint) == (
        "action 2022-06-24/1 is followed up twice in this meeting (first on line 4); the "
        "later entry wins",
        "merge the two into one entry",
    )


def test_fixture_repo_checks_clean_of_action_rules(repo: Repo) -> None:
    rules = {p.rule for p in check(repo, TODAY)}
    assert not rules & {"update-target", "update-date", "action-status"}


# -- owners ------------------------------------------------------------------------------------


@pytest.fixture
def roster() -> Roster:
    config = Config(root=Path("."))
    config.organisations = (
        Organisation("State Chancellery", "SC"),
        Organisation("UNHCR", "UNHCR"),
        Organisation("IOM"),
        Organisation("La Strada"),
    )
    config.roles = {"chairs": ("SC", "UNHCR", "IOM")}
    return Roster(config)


@pytest.mark.parametrize(
    ("owners", "query", "expected"),
    [
        (("chairs",), "UNHCR", True),
        (("chairs",), "unhcr", True),
        (("chairs",), "State Chancellery", True),
        (("chairs",), "sc", True),
        (("chairs",), "La Strada", False),
        (("chairs",), "chairs", True),
        (("CHAIRS",), "Chairs", True),
        (("UNHCR",), "chairs", False),  # a role lists only what the role itself owns
        (("SC",), "state  chancellery", True),
        (("Martina Bogdeva (UNHCR)",), "UNHCR", True),
        (("Martina Bogdeva (UNHCR)",), "martina bogdeva", True),
        (("Martina Bogdeva (UNHCR)",), "IOM", False),
        (("La Strada", "IOM"), "iom", True),
        (("Someone Else",), "someone else", True),
        (("Jane (Unlisted NGO)",), "unlisted ngo", True),
        (("IOM",), "IO", False),
    ],
)
def test_owner_matching(
    roster: Roster, owners: tuple[str, ...], query: str, expected: bool
) -> None:
    assert roster.owns(owners, query) is expected


def test_organisations_of(roster: Roster) -> None:
    assert roster.organisations_of("chairs") == ("State Chancellery", "UNHCR", "IOM")
    assert roster.organisations_of("Diana Doros (SC)") == ("State Chancellery",)
    assert roster.organisations_of("Nobody") == ("Nobody",)


# -- selecting ---------------------------------------------------------------------------------


def ids(repo: Repo, day: date = TODAY, **kw: object) -> list[str]:
    return [t.id for t in select(track(repo), Query(**kw), Roster(repo.config), day)]  # type: ignore[arg-type]


def test_default_lists_open_ones_by_due_date_no_due_last(repo: Repo) -> None:
    assert ids(repo) == [
        "2022-06-24/2",
        "2022-07-08/2",
        "2022-07-08/1",
        "2022-07-22/1",
        "2022-07-08/3",
    ]


def test_filters(repo: Repo) -> None:
    assert ids(repo, overdue=True) == ["2022-06-24/2", "2022-07-08/2"]
    assert ids(repo, due_within=4) == ["2022-06-24/2", "2022-07-08/2", "2022-07-08/1"]
    assert ids(repo, due_within=3) == ["2022-06-24/2", "2022-07-08/2"]
    assert ids(repo, statuses=("done",)) == ["2022-06-24/1", "2022-07-08/4"]
    assert len(ids(repo, statuses=ACTION_STATUSES)) == 7
    assert ids(repo, owner="UNHCR") == ["2022-06-24/2", "2022-07-08/2", "2022-07-08/3"]
    assert ids(repo, owner="la strada") == ["2022-07-08/1"]
    assert ids(repo, meeting_id="2022-07-22") == ["2022-07-22/1"]
    assert ids(repo, search="HOTLINES") == ["2022-07-08/1"]
    assert ids(repo, search="two ngos") == ["2022-07-08/1"]  # the follow-up's note
    assert ids(repo, owner="UNHCR", overdue=True, search="plan") == ["2022-06-24/2"]
    assert OPEN_STATUSES == ("open", "in-progress")


def test_huge_windows_do_not_overflow(repo: Repo) -> None:
    from tfcli import digest

    every_open_with_due = ["2022-06-24/2", "2022-07-08/2", "2022-07-08/1", "2022-07-22/1"]
    assert ids(repo, due_within=10**9) == every_open_with_due
    assert ids(repo, date(9999, 12, 31), due_within=3650) == every_open_with_due
    assert last_day(date(9999, 12, 30), 5) == date.max
    assert last_day(TODAY, 10**12) == date.max
    assert last_day(TODAY, 7) == date(2022, 8, 1)
    groups = digest.groups(track(repo), Roster(repo.config), date(9999, 12, 31), 10**9)
    assert [g.organisation for g in groups][:3] == ["State Chancellery", "UNHCR", "IOM"]


def test_query_from_the_command_line_options(repo: Repo) -> None:
    assert make_query(repo) == Query()
    q = make_query(repo, ["Done", "done", "dropped"], meeting="2022-07-08", owner="")
    assert (q.statuses, q.meeting_id, q.owner) == (("done", "dropped"), "2022-07-08", None)
    assert make_query(repo, every=True).statuses == ACTION_STATUSES
    with pytest.raises(UsageError, match="no meeting '2099-01-01'"):
        make_query(repo, meeting="2099-01-01")


def test_seed_overdue_boundary() -> None:
    seed = load_repo(SEED)
    assert ids(seed, date(2022, 7, 9), overdue=True) == ["2022-06-24/1", "2022-06-24/2"]
    assert ids(seed, date(2022, 7, 8), overdue=True) == []
    assert ids(seed, date(2022, 7, 8), due_within=0) == ["2022-06-24/1", "2022-06-24/2"]
    assert ids(seed, date(2022, 7, 9), owner="UNHCR") == ["2022-06-24/1", "2022-06-24/2"]


def test_find_by_full_or_unique_short_id(repo: Repo) -> None:
    tracked = track(repo)
    assert find(tracked, "2022-07-08/3").id == "2022-07-08/3"
    assert find(tracked, " 3 ").id == "2022-07-08/3"
    with pytest.raises(UsageError) as e:
        find(tracked, "1")
    assert e.value.message == (
        "action id '1' is ambiguous: it could be 2022-06-24/1, 2022-07-08/1, 2022-07-22/1"
    )
    with pytest.raises(UsageError) as e:
        find(tracked, "2022-07-08/5")
    assert e.value.message == "no action '2022-07-08/5'"
    assert e.value.hint is not None and e.value.hint.startswith("did you mean 2022-07-08/")


def test_find_refuses_duplicate_meeting_ids(tmp_path: Path) -> None:
    for name in ("2022-07-08-a.md", "2022-07-08-b.md"):
        write(
            tmp_path,
            name,
            """
            ---
            date: 2022-07-08
            actions: [{id: 1, text: T, owner: IOM, due: 2022-07-20}]
            ---
        """,
        )
    with pytest.raises(UsageError, match="2 meetings use the id '2022-07-08'"):
        find(track(load_repo(tmp_path)), "2022-07-08/1")


# -- today and the deadline boundary -----------------------------------------------------------

# The group is in Europe/Chisinau (UTC+3 in summer, UTC+2 in winter); the runner's clock is UTC.
BOUNDARY = [
    # (instant in UTC, local time there, today in Chisinau)
    (datetime(2022, 7, 8, 20, 30, tzinfo=UTC), "23:30", date(2022, 7, 8)),
    (datetime(2022, 7, 8, 21, 30, tzinfo=UTC), "00:30", date(2022, 7, 9)),
    (datetime(2022, 1, 14, 21, 30, tzinfo=UTC), "23:30", date(2022, 1, 14)),
    (datetime(2022, 1, 14, 22, 30, tzinfo=UTC), "00:30", date(2022, 1, 15)),
]


@pytest.mark.parametrize(("now", "local", "expected"), BOUNDARY)
def test_today_is_the_groups_date_not_utc(
    now: datetime, local: str, expected: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TF_TODAY", raising=False)
    from zoneinfo import ZoneInfo

    assert now.astimezone(ZoneInfo("Europe/Chisinau")).strftime("%H:%M") == local
    assert dates.today("Europe/Chisinau", now=now) == expected
    assert dates.today("UTC", now=now) == now.date()


def _tracked_due(due: date) -> Tracked:
    repo = load_repo(SEED)
    t = track(repo)[0]
    return Tracked(t.action, t.meeting, "open", due, (), None)


@pytest.mark.parametrize(
    ("due_offset", "hint_2330", "overdue_2330", "hint_0030", "overdue_0030"),
    [
        (-1, "1 day overdue", True, "2 days overdue", True),  # due yesterday
        (0, "due today", False, "1 day overdue", True),  # due today (as of 23:30)
        (1, "due tomorrow", False, "due today", False),  # due tomorrow
    ],
)
def test_deadline_boundary_table(
    due_offset: int,
    hint_2330: str,
    overdue_2330: bool,
    hint_0030: str,
    overdue_0030: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import timedelta

    monkeypatch.delenv("TF_TODAY", raising=False)
    evening = dates.today("Europe/Chisinau", now=BOUNDARY[0][0])  # 23:30 local, 8 July
    night = dates.today("Europe/Chisinau", now=BOUNDARY[1][0])  # 00:30 local, 9 July
    t = _tracked_due(evening + timedelta(days=due_offset))
    assert (t.hint(evening), t.overdue(evening)) == (hint_2330, overdue_2330)
    assert (t.hint(night), t.overdue(night)) == (hint_0030, overdue_0030)


def test_today_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    now = BOUNDARY[1][0]
    monkeypatch.setenv("TF_TODAY", "2022-01-01")
    assert dates.today("Europe/Chisinau", "2022-07-09", now) == date(2022, 7, 9)
    assert dates.today("Europe/Chisinau", None, now) == date(2022, 1, 1)
    monkeypatch.setenv("TF_TODAY", "9 July")
    with pytest.raises(UsageError, match=r"\$TF_TODAY '9 July' is not a date"):
        dates.today("Europe/Chisinau", None, now)
