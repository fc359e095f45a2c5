"""An organisation page's closed actions, whose compact rows show no deadline, are listed by
what they show: the newest meeting first, each meeting's actions in its order
(tfcli.site.closed); in a clean build and as each is closed by a rebuild (byte for byte a
clean build's)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from rebuilding import ADDED, FOLLOWUPS, change, rebuilt, render
from test_render_cache import SECOND, THIRD, TODAY
from test_render_rebuild_added import meeting

from tfcli.load import load_repo
from tfcli.site import build
from tfcli.site.policy import Policy

pytestmark = pytest.mark.usefixtures("quiet_tracker")

# UNHCR owns 2022-06-24/1 and /2 (the role `chairs`; /1 closed in SECOND, /2 due 22 July),
# 2022-07-08/2 (a person of UNHCR, due 22 July) and /3 (with IOM, due 29 July).
CLOSE = {
    "2022-07-08/3": change(
        SECOND,
        "    due: 2022-07-29\n    status: in-progress\n",
        "    due: 2022-07-29\n    status: done\n",
    ),
    "2022-07-08/2": change(
        SECOND,
        "    due: 2022-07-22\n  - id: 3",
        "    due: 2022-07-22\n    status: dropped\n  - id: 3",
    ),
    "2022-06-24/2": change(
        SECOND,
        "    status: in-progress\n    due: 2022-07-22",
        "    status: done\n    due: 2022-07-22",
    ),
}


def closed_ids(site: Path, org: str = "unhcr") -> list[str]:
    page = (site / "organisations" / f"{org}.html").read_text("utf-8")
    section = page[page.index('<section aria-labelledby="h-closed">') :]
    section = section[: section.index("</section>")]
    return re.findall(r'<th scope="row">([^<]*)</th>', section)


def test_closed_actions_are_listed_newest_meeting_first(tracker: Path, tmp_path: Path) -> None:
    for close in CLOSE.values():
        close(tracker)
    build(load_repo(tracker), TODAY, tmp_path / "site", Policy(), jobs=1, use_cache=False)
    # (by deadline: 2022-06-24/1 and /2 first, 8 and 22 July)
    assert closed_ids(tmp_path / "site") == [
        "2022-07-08/2",
        "2022-07-08/3",
        "2022-06-24/1",
        "2022-06-24/2",
    ]


@pytest.mark.parametrize("today", [TODAY, date(2022, 7, 10)])
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("order", [list(CLOSE), list(reversed(CLOSE))])
def test_each_closed_in_turn_is_put_in_its_place(
    tracker: Path, tmp_path: Path, order: list[str], internal: bool, today: date
) -> None:
    out = tmp_path / "site"
    render(out, today, internal)
    for x in order:
        CLOSE[x](tracker)
        rebuilt(tracker, out, tmp_path, today, internal, FOLLOWUPS)
    assert closed_ids(out)[0] == "2022-07-08/2"


def test_a_new_meetings_closed_action_comes_first(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out)
    meeting(
        "2022-08-05",
        "actions:",
        "  - {id: 1, text: Done, owner: UNHCR, due: 2022-07-01, status: done}",
        "  - {id: 2, text: Also, owner: UNHCR, due: 2022-06-01, status: done}",
    )(tracker)
    rebuilt(tracker, out, tmp_path, TODAY, False, ADDED)
    assert closed_ids(out) == ["2022-08-05/1", "2022-08-05/2", "2022-06-24/1"]
    change(THIRD, "    due: 2022-08-05\n", "    due: 2022-08-05\n    status: done\n")(tracker)
    rebuilt(tracker, out, tmp_path, TODAY, False, FOLLOWUPS)  # OSCE's page: its only one
    assert closed_ids(out, "osce") == ["2022-07-22/1"]
