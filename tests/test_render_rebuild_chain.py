"""Rebuild paths one after another (tfcli.site.state.PATHS): what each keeps (the record, the
kept meetings, the tracker's order) serves the next, whichever path wrote it last; each step
patched by the path of its kind and byte for byte a clean build."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from rebuilding import BODY, FIELDS, FOLLOWUPS, change, minutes, rebuilt, render
from test_render_cache import FIRST, SECOND, THIRD, TODAY

pytestmark = pytest.mark.usefixtures("quiet_tracker")


def same_bytes(name: str) -> Callable[[Path], None]:
    """Written again as it was: a new stat, the same bytes."""

    def touch(repo: Path) -> None:
        path = minutes(repo, name)
        path.write_bytes(path.read_bytes())

    return touch


CHAIN: list[tuple[Callable[[Path], None], str]] = [
    # A follow-up's note: its row and the meeting pages put in place, no row moves.
    (change(THIRD, "    note: Waiting for two NGOs\n", "    note: One NGO left\n"), FOLLOWUPS),
    (same_bytes(THIRD), BODY),
    # An action's due date: its row moves in the tracker, by the kept order.
    (change(SECOND, "    due: 2022-07-15\n", "    due: 2022-08-20\n"), FOLLOWUPS),
    (same_bytes(SECOND), BODY),
    (change(THIRD, "title: ", "title: Revised "), FIELDS),
    # The search entries after FIRST's in its piece move: each found where it is now.
    (change(FIRST, "\n## Welcome", "\nA new paragraph.\n\n## Welcome"), BODY),
    (change(THIRD, "\n## ", "\nAnother paragraph.\n\n## "), BODY),
    (change(SECOND, "title: ", "title: Revised "), FIELDS),
    # After a display-field and a body patch, the order still serves a row that moves.
    (change(THIRD, "    due: 2022-08-05\n", "    due: 2022-07-02\n"), FOLLOWUPS),
    (change(SECOND, "    due: 2022-08-20\n", "    due: 2022-07-10\n"), FOLLOWUPS),
]


@pytest.mark.parametrize("today", [TODAY, date(2022, 7, 10)])
@pytest.mark.parametrize("internal", [False, True])
def test_patches_chained_each_take_their_path(
    tracker: Path, tmp_path: Path, internal: bool, today: date
) -> None:
    out = tmp_path / "site"
    assert render(out, today, internal).loaded
    for step, path in CHAIN:
        step(tracker)
        rebuilt(tracker, out, tmp_path, today, internal, path)
