"""Property: whatever shape of front matter people commit, every view of the repo is an answer.

Hypothesis builds front matter from the real keys with values of every YAML shape (text,
numbers, booleans, nulls, lists, mappings, nested), across several meetings, and runs the
whole pipeline in-process: load, every check rule, the action tracker and its views, the
digest, the meeting views and the agenda. Only our own errors may come out."""

from __future__ import annotations

import contextlib
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfcli import action_views, agenda, circulate, digest
from tfcli.actions import make_query, select, track
from tfcli.check import check
from tfcli.errors import TfError
from tfcli.load import load_repo
from tfcli.meetings import meeting_rows, render_meeting, unusable_report
from tfcli.roster import Roster
from tfcli.schema import MEETING_KEYS
from tfcli.schema_actions import ACTION_KEYS, UPDATE_KEYS

TODAY = date(2022, 7, 9)
SCALARS = st.one_of(
    st.sampled_from(
        ["2022-07-08", "2022-06-24", "2022-06-24/1", "10:00", "open", "done", "draft", "approved",
         "chairs", "UNHCR", "x", "", "2022-7-8", "1", "public", "restricted", "decision"]
    ),
    st.text(max_size=12),
    st.integers(-3, 3),
    st.booleans(),
    st.none(),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from([*ACTION_KEYS, *UPDATE_KEYS, "title", "name"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)
ACTION = st.fixed_dictionaries(
    {"id": st.sampled_from([1, 2, "a", 1.5, None, "x/y"])},
    optional={k: VALUES for k in ("text", "owner", "due", "status", "note")},
)
UPDATE = st.fixed_dictionaries(
    {"action": st.sampled_from(["2022-06-24/1", "2022-06-24/9", "bad", 3])},
    optional={k: VALUES for k in ("status", "due", "note")},
)
FRONT = st.fixed_dictionaries(
    {"date": st.sampled_from(["2022-06-24", "2022-07-08", "2022-07-22", "2022-02-30", 5])},
    optional={
        **{k: VALUES for k in MEETING_KEYS if k not in ("date", "actions", "updates", "format")},
        "actions": st.lists(ACTION, max_size=3) | VALUES,
        "updates": st.lists(UPDATE, max_size=3) | VALUES,
    },
)


def _write(root: Path, meetings: list[dict[str, Any]]) -> None:
    (root / "minutes").mkdir()
    (root / "tf.yml").write_text(
        "group: G\ntimezone: Europe/Chisinau\ncadence: every 2 weeks\n"
        "organisations: [UNHCR, IOM]\nroles: {chairs: [UNHCR, IOM]}\n"
    )
    for i, fm in enumerate(meetings):
        text = "---\n" + yaml.safe_dump(fm, allow_unicode=True) + "---\n## Body\n"
        (root / "minutes" / f"2022-06-{10 + i:02d}-m.md").write_text(text, encoding="utf-8")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(meetings=st.lists(FRONT, min_size=1, max_size=3))
def test_every_view_answers_whatever_the_front_matter(
    tmp_path: Path, meetings: list[dict[str, Any]]
) -> None:
    root = tmp_path / "repo"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    _write(root, meetings)
    repo = load_repo(root)
    check(repo, TODAY)
    unusable_report(repo)
    tracked = track(repo)
    roster = Roster(repo.config)
    view = action_views.View.of(repo, TODAY)
    for t in tracked:
        action_views.as_json(t, view)
        action_views.show(t, view)
    chosen = select(tracked, make_query(repo, every=True), roster, TODAY)
    action_views.github_annotations(chosen, TODAY)
    action_views.summary(chosen, TODAY, "matching")
    digest.render(digest.groups(chosen, roster, TODAY, 7), "G", TODAY, 7)
    meeting_rows(repo, lambda m: 0, lambda m: 0)
    for m in repo.meetings:
        render_meeting(m, repo, tracked, TODAY)
        circulate.agenda_markdown(m, repo, TODAY)
        circulate.agenda_html(m, repo, TODAY)
    with contextlib.suppress(TfError):  # e.g. a broken file on the planned date: refused
        agenda.plan(repo, TODAY)
