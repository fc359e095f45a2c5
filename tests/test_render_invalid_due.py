"""An action's or a follow-up's `due:` in error (an error of `tf check`) on the site: "invalid
due date", as every view of the CLI says (not "no due date", nor the deadline the follow-up
meant to move), in a clean build and after every kind of rebuild (byte for byte a clean
build's)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from rebuilding import ADDED, BODY, FOLLOWUPS, FULL, change, rebuilt, render
from test_render_cache import FIRST, SECOND, THIRD, TODAY
from test_render_rebuild_added import meeting

from tfcli.load import load_repo
from tfcli.site import build
from tfcli.site.policy import Policy

pytestmark = pytest.mark.usefixtures("quiet_tracker")

# SECOND's 2022-07-08/2 (Martina Bogdeva of UNHCR, due 22 July: due soon on 10 July) with a
# `due:` that is no date; SECOND's follow-up of 2022-06-24/2 (the role `chairs`, agreed for
# 8 July) re-dating it to an impossible day; both back as they were.
OWN = "    owner: Martina Bogdeva (UNHCR)\n    due: "
UP = "    status: in-progress\n    due: "
ACTION_INVALID = change(SECOND, OWN + "2022-07-22\n", OWN + "31/13/2026\n")
ACTION_FIXED = change(SECOND, OWN + "31/13/2026\n", OWN + "2022-07-22\n")
UPDATE_INVALID = change(SECOND, UP + "2022-07-22\n", UP + "2022-13-45\n")
UPDATE_FIXED = change(SECOND, UP + "2022-13-45\n", UP + "2022-07-22\n")


def _row(page: str, action: str) -> str:
    """The table row of `action` on a page."""
    start = page.index(f'<th scope="row">{action}</th>')
    return page[start : page.index("</tr>", start)]


def _cells(row: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", row, re.DOTALL)


def test_the_site_says_invalid_due_date_as_the_cli_does(
    tracker: Path, tmp_path: Path, tf: Callable[..., object]
) -> None:
    ACTION_INVALID(tracker)
    UPDATE_INVALID(tracker)
    # What the CLI says of them (first: it sets the working directory display paths use).
    got = tf("actions", "--format", "json", "--today", "2022-07-10", cwd=tracker)
    hints = {a["id"]: (a["hint"], a["due"]) for a in json.loads(got.out)}  # type: ignore[attr-defined]
    assert hints["2022-07-08/2"] == hints["2022-06-24/2"] == ("invalid due date", None)
    out = tmp_path / "site"
    build(load_repo(tracker), date(2022, 7, 10), out, Policy(), jobs=1, use_cache=False)
    tracker_page = (out / "tracker.html").read_text("utf-8")
    # The tracker: the Due cell (text, owner, due, status, meeting).
    assert _cells(_row(tracker_page, "2022-07-08/2"))[2] == "invalid due date"
    own = _cells(_row(tracker_page, "2022-06-24/2"))
    assert own[2] == "invalid due date"  # not 22 July, nor 8 July
    assert (
        '<li><a href="meetings/2022-07-08.html">2022-07-08</a>: status in-progress; invalid due'
        " date; Draft circulated: comments by 15 July</li>"
    ) in own[0]
    # The meeting that agreed it says what it agreed; the one that followed it up, what it did.
    first = (out / "meetings" / "2022-06-24.html").read_text("utf-8")
    agreed = _cells(_row(first, "2022-06-24/2"))[2]
    assert agreed == 'invalid due date<br><span class="note">agreed: 8 July 2022</span>'
    second = (out / "meetings" / "2022-07-08.html").read_text("utf-8")
    assert _cells(_row(second, "2022-07-08/2"))[2] == "invalid due date"
    assert (
        "2022-06-24/2</a>: status in-progress; invalid due date; Draft circulated: comments by"
        " 15 July</li>"
    ) in second
    # UNHCR's page: both open (not overdue), neither due soon; no deadline in the calendar.
    unhcr = (out / "organisations" / "unhcr.html").read_text("utf-8")
    soon = unhcr[unhcr.index("Due in the next 14 days") : unhcr.index("Open action points")]
    assert "2022-07-08/2" not in soon and "2022-06-24/2" not in soon
    opened = unhcr[unhcr.index("Open action points") :]
    for x in ("2022-07-08/2", "2022-06-24/2"):
        assert _cells(_row(opened, x))[2] == "invalid due date"
    calendar = (out / "calendar.ics").read_text("utf-8")
    assert "2022-07-08/2" not in calendar and "2022-06-24/2" not in calendar


def test_a_closed_actions_invalid_due_is_said_too(tracker: Path, tmp_path: Path) -> None:
    """`when` is its status then: the Due cell still says why it has no date."""
    ACTION_INVALID(tracker)
    change(SECOND, OWN + "31/13/2026\n", OWN + "31/13/2026\n    status: done\n")(tracker)
    out = tmp_path / "site"
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1, use_cache=False)
    row = _row((out / "tracker.html").read_text("utf-8"), "2022-07-08/2")
    assert _cells(row)[2:4] == [
        "invalid due date",
        '<span class="status s-done">done</span>',
    ]


CASES: dict[str, tuple[Callable[[Path], None], Callable[[Path], None]]] = {
    "an action's due": (ACTION_INVALID, ACTION_FIXED),
    "a follow-up's due": (UPDATE_INVALID, UPDATE_FIXED),
    "an action's due, in the newest minutes": (
        change(THIRD, "    due: 2022-08-05\n", "    due: 2022-08-32\n"),
        change(THIRD, "    due: 2022-08-32\n", "    due: 2022-08-05\n"),
    ),
}


@pytest.mark.parametrize("today", [TODAY, date(2022, 7, 10)])
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_a_due_made_invalid_then_fixed_rebuilds_as_a_clean_build(
    tracker: Path, tmp_path: Path, case: str, internal: bool, today: date
) -> None:
    out = tmp_path / "site"
    render(out, today, internal)
    broken, fixed = CASES[case]
    broken(tracker)
    rebuilt(tracker, out, tmp_path, today, internal, None)
    assert "invalid due date" in (out / "tracker.html").read_text("utf-8")
    fixed(tracker)
    rebuilt(tracker, out, tmp_path, today, internal, None)
    assert "invalid due date" not in (out / "tracker.html").read_text("utf-8")


# Edits elsewhere while SECOND has both errors: each put in place by its rebuild path (the
# file in error is never one a path relies on: the full build).
ELSEWHERE: dict[str, tuple[Callable[[Path], None], str | None]] = {
    "a body": (change(FIRST, "## ", "## Opening\n\n## "), BODY),
    "a status": (
        change(THIRD, "    due: 2022-08-05\n", "    due: 2022-08-05\n    status: done\n"),
        FOLLOWUPS,
    ),
    "a due date": (change(THIRD, "    due: 2022-08-05\n", "    due: 2022-07-12\n"), FOLLOWUPS),
    "a meeting added with actions": (
        meeting(
            "2022-08-05",
            "actions:",
            "  - {id: 1, text: Do, owner: UNHCR, due: 2022-07-11}",
            "  - {id: 2, text: Later, owner: UNHCR, due: 2022-09-01}",
        ),
        ADDED,
    ),
    "a follow-up of the invalid action": (
        meeting("2022-08-05", "updates:", "  - {action: 2022-07-08/2, status: done}"),
        FULL,
    ),
}


@pytest.mark.parametrize("today", [TODAY, date(2022, 7, 10)])
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(ELSEWHERE))
def test_rebuilds_beside_an_invalid_due_equal_a_clean_build(
    tracker: Path, tmp_path: Path, case: str, internal: bool, today: date
) -> None:
    ACTION_INVALID(tracker)
    UPDATE_INVALID(tracker)
    out = tmp_path / "site"
    render(out, today, internal)
    edit, by = ELSEWHERE[case]
    edit(tracker)
    rebuilt(tracker, out, tmp_path, today, internal, by)
    page = (out / "tracker.html").read_text("utf-8")
    for x in ("2022-07-08/2", "2022-06-24/2"):
        assert _cells(_row(page, x))[2] == "invalid due date"
    # ... and fixed again: the full build (the file was in error).
    ACTION_FIXED(tracker)
    UPDATE_FIXED(tracker)
    rebuilt(tracker, out, tmp_path, today, internal, None)


def test_an_invalid_due_re_dated_since_is_what_the_meeting_agreed(
    tracker: Path, tmp_path: Path
) -> None:
    """SECOND's 2022-07-08/1 (La Strada), re-dated to 29 July in THIRD."""
    change(
        SECOND,
        "    owner: La Strada\n    due: 2022-07-15\n",
        "    owner: La Strada\n    due: 15/07\n",
    )(tracker)
    out = tmp_path / "site"
    build(load_repo(tracker), TODAY, out, Policy(), jobs=1, use_cache=False)
    page = (out / "meetings" / "2022-07-08.html").read_text("utf-8")
    assert _cells(_row(page, "2022-07-08/1"))[2] == (
        '<time datetime="2022-07-29">29 July 2022</time> <span class="when">(in 4 days)</span>'
        # (dated from no known date: a postponement, as `tf actions show` counts it)
        '<br><span class="note">postponed 1×</span>'
        '<br><span class="note">agreed: invalid due date</span>'
    )
    tracker_page = (out / "tracker.html").read_text("utf-8")
    assert "agreed" not in _cells(_row(tracker_page, "2022-07-08/1"))[2]
