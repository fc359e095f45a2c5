"""The clean build's serial start takes shortcuts that must give what the long way gave: each
action's dict (pages.action) is its JSON object and tracker row as action_views makes them,
each organisation's due-soon actions are the digest's, a published meeting with nothing to
leave out is the meeting, and a meeting id that is its own slug is slugged to itself."""

from __future__ import annotations

import shutil
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from hypothesis import given
from hypothesis import strategies as st
from test_render_hostile import hostile_meeting

from tfcli import digest
from tfcli import policy as parts
from tfcli.action_views import as_json, row, undated
from tfcli.actions import track
from tfcli.deadlines import INVALID, INVALID_DUE
from tfcli.load import load_repo
from tfcli.record import replace
from tfcli.site import pages
from tfcli.site.gather import _SLUG, SOON_DAYS, gather
from tfcli.site.markdown import slug
from tfcli.site.policy import Policy

DAYS = [date(2022, 7, 1), date(2022, 7, 25), date(2023, 6, 1), date(2026, 1, 1)]


def _the_long_way(t: Any, site: Any) -> dict[str, Any]:
    """pages.action as it was: the JSON object, updated with the tracker row."""
    d = as_json(t, site.view)
    d.update(row(t, site.today))
    d["due"], d["due_text"] = t.due, t.due_text
    d["meeting_page"] = site.meeting_page.get(t.meeting.id)
    d["org_slugs"] = " ".join(slug(o) for o in d["organisations"])
    d["invalid_due"] = undated(t) == INVALID_DUE
    # A follow-up's `due:` in error: it named no deadline, yet its deadline is tf check's error.
    for u, dl in zip(d["updates"], t.deadlines[1:] or [None] * len(d["updates"]), strict=True):
        u["meeting_page"] = site.meeting_page.get(u["meeting"])
        u["invalid_due"] = dl is not None and dl.day is None and dl.kind == INVALID
    return d


def _same_as_the_long_way(root: Path) -> int:
    """How many actions were due soon (the comparisons must have something to compare)."""
    repo = load_repo(root)
    due_soon = 0
    for internal in (False, True):
        policy = Policy(include_restricted=internal)
        # Days a few open actions are due soon on (each organisation's section has some).
        dues = sorted({t.due for t in track(repo) if t.is_open and t.due})
        for today in [*DAYS, *(d - timedelta(days=3) for d in dues[:: max(1, len(dues) // 4)])]:
            site = gather(repo, today, policy)
            for t in site.tracked:
                got, want = pages.action(t, site), _the_long_way(t, site)
                assert list(got.items()) == list(want.items())  # keys in the same order
                assert [list(u.items()) for u in got["updates"]] == [
                    list(u.items()) for u in want["updates"]
                ]
            groups = digest.groups(site.tracked, site.roster, today, SOON_DAYS)
            soon = {g.organisation: [e.tracked for e in g.due_soon] for g in groups}
            assert {k: v for k, v in site.soon.items() if v} == {k: v for k, v in soon.items() if v}
            for org in site.organisations():
                assert site.soon.get(org, []) == soon.get(org, [])
            assert site.soon.get(digest.NO_OWNER, []) == soon.get(digest.NO_OWNER, [])
            due_soon += sum(map(len, site.soon.values()))
            # A meeting the policy left whole is the meeting; any other a copy without the rest.
            hidden = parts.hidden_actions(repo.meetings)
            for m in repo.meetings:
                if not internal and policy.publishes(m):
                    want_m = replace(
                        m,
                        agenda=parts._items(m.agenda),
                        actions=tuple(a for a in m.actions if a.id not in hidden),
                        updates=tuple(u for u in m.updates if u.action_id not in hidden),
                        body=parts.public_body(m),
                        attendees={},
                        contacts=(),
                    )
                    assert parts.public_view(m, hidden) == want_m
    return due_soon


def test_generated_minutes(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    generate(150, tmp_path)
    assert _same_as_the_long_way(tmp_path) > 0


def test_hostile_minutes(tmp_path: Path) -> None:
    shutil.copytree(SEED, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".tf"))
    for day in ("2022-07-01", "2022-07-02"):
        (tmp_path / "minutes" / f"{day}-hostile.md").write_text(hostile_meeting(day))
    restricted = hostile_meeting("2022-07-03", "restricted")
    (tmp_path / "minutes" / "2022-07-03-closed.md").write_text(restricted)
    assert _same_as_the_long_way(tmp_path) > 0


@pytest.mark.parametrize("body", ["", "a\n\nb\n", "# A {.restricted}\nsecret\n# B\nopen\n"])
def test_a_body_without_restricted_sections_is_itself(body: str, tmp_path: Path) -> None:
    shutil.copytree(SEED, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".tf"))
    m = replace(load_repo(tmp_path).meetings[0], body=body)
    got = parts.public_body(m)
    if parts.restricted_sections(m):
        assert "secret" not in got and "open" in got
    else:
        assert got is body or not parts.is_public(m)


@given(st.text(alphabet="abcxyz019-_ .ÉéA", max_size=20))
def test_an_id_that_is_its_own_slug(text: str) -> None:
    if _SLUG.fullmatch(text):
        assert slug(text) == text
