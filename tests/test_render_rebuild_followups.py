"""A rebuild after follow-ups' statuses changed (tfcli.site.followups): the affected actions
are tracked again and put in place on the pages that show them, without loading the minutes;
byte for byte a clean build's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rebuilding import FOLLOWUPS, assert_clean, copied, edited, examples, minutes, rebuilt, render
from test_render_cache import FIRST, SECOND, THIRD, TODAY, edit

pytestmark = pytest.mark.usefixtures("quiet_tracker")


def status_of(name: str, action: str, was: str, now: str) -> Callable[[Path], None]:
    """The `status:` line of `name`'s follow-up of `action` changed (or added after it)."""
    head = f"  - action: {action}\n"

    def change(repo: Path) -> None:
        old = head + (f"    status: {was}\n" if was else "")
        edit(minutes(repo, name), old, head + f"    status: {now}\n")

    return change


def follow_up(name: str, action: str, status: str) -> Callable[[Path], None]:
    return lambda repo: edit(
        minutes(repo, name), "updates:\n", f"updates:\n  - action: {action}\n    status: {status}\n"
    )


def toggle(repo: Path) -> None:
    """2022-06-24/2's follow-up in SECOND: open when closed, else done."""
    path = minutes(repo, SECOND)
    text = path.read_text("utf-8")
    head = "  - action: 2022-06-24/2\n    status: "
    now = text[text.index(head) + len(head) :].split("\n", 1)[0]
    edit(path, head + now + "\n", head + ("open" if now in ("done", "dropped") else "done") + "\n")


# 2022-06-24/1 and /2 are owned by the role `chairs` (three organisation pages), due 8 July
# 2022: overdue on TODAY (25 July), due soon on 1 July. 2022-07-08/1 (La Strada) has a
# follow-up without a status in THIRD.
CASES = {
    "done reopened": [status_of(SECOND, "2022-06-24/1", "done", "in-progress")],
    "open closed": [status_of(SECOND, "2022-06-24/2", "in-progress", "done")],
    "closed otherwise": [status_of(SECOND, "2022-06-24/1", "done", "dropped")],
    "a status added": [status_of(THIRD, "2022-07-08/1", "", "done")],
    "two files": [
        status_of(SECOND, "2022-06-24/2", "in-progress", "dropped"),
        status_of(THIRD, "2022-07-08/1", "", "in-progress"),
    ],
    "twice": [
        status_of(SECOND, "2022-06-24/1", "done", "open"),
        status_of(SECOND, "2022-06-24/1", "open", "done"),
    ],
}


@pytest.mark.parametrize("today", [TODAY, date(2022, 7, 1), date(2022, 6, 30)])
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_a_follow_ups_status_is_put_in_place_without_loading(
    tracker: Path, tmp_path: Path, case: str, internal: bool, today: date
) -> None:
    # ("twice": the same bytes, patched by the body path)
    out = edited(tracker, tmp_path, CASES[case], today, internal)
    # ... and what it kept serves the next one.
    toggle(tracker)
    rebuilt(tracker, out, tmp_path, today, internal, FOLLOWUPS)


@pytest.mark.parametrize("internal", [False, True])
def test_a_persons_action_followed_up_then_closed(
    tracker: Path, tmp_path: Path, internal: bool
) -> None:
    """`Martina Bogdeva (UNHCR)` owns 2022-07-08/2: UNHCR's page; a follow-up added, then its
    status changed, each put in place."""
    out = tmp_path / "site"
    render(out, TODAY, internal)
    follow_up(THIRD, "2022-07-08/2", "in-progress")(tracker)
    rebuilt(tracker, out, tmp_path, TODAY, internal, FOLLOWUPS)
    for was, now in (("in-progress", "done"), ("done", "open")):
        status_of(THIRD, "2022-07-08/2", was, now)(tracker)
        rebuilt(tracker, out, tmp_path, TODAY, internal, FOLLOWUPS)


def restricted_action(repo: Path) -> None:
    old = "    owner: chairs\n    due: 2022-07-08\n    status: open\n    agenda: Introduction"
    edit(minutes(repo, FIRST), old, old.replace("chairs\n", "chairs\n    visibility: restricted\n"))


@pytest.mark.parametrize("internal", [False, True])
def test_a_restricted_action(tracker: Path, tmp_path: Path, internal: bool) -> None:
    """Internal builds show it (its meeting's page says "(restricted)"): put in place; public
    ones hide it and its follow-ups: the full build (this path decides nothing of that)."""
    restricted_action(tracker)
    out = tmp_path / "site"
    render(out, TODAY, internal)
    status_of(SECOND, "2022-06-24/2", "in-progress", "done")(tracker)
    assert render(out, TODAY, internal).loaded is not internal
    assert_clean(tracker, out, tmp_path, TODAY, internal)


def test_anything_else_with_it_is_a_full_build(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out)
    status_of(SECOND, "2022-06-24/1", "done", "open")(tracker)
    edit(minutes(tracker, SECOND), "location: Zoom", "location: Chisinau")  # a display field
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)
    status_of(SECOND, "2022-06-24/1", "open", "done")(tracker)
    render(out, date(2022, 8, 1))  # another day: the full build
    assert_clean(tracker, out, tmp_path, date(2022, 8, 1))


@pytest.mark.parametrize("damage", [b"", b"not a shard", None])
def test_damaged_or_missing_kept_entries_are_a_full_build(
    tracker: Path, tmp_path: Path, damage: bytes | None
) -> None:
    from tfcli.site.cache import CACHE_DIR

    out = tmp_path / "site"
    render(out)
    shards = list((tracker / CACHE_DIR).glob("fields-*"))
    assert shards
    for f in shards:
        if damage is None:
            f.unlink()
        else:
            f.write_bytes(damage)
    status_of(SECOND, "2022-06-24/1", "done", "in-progress")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)
    status_of(SECOND, "2022-06-24/1", "in-progress", "done")(tracker)
    assert not render(out).loaded  # kept again by the full build
    assert_clean(tracker, out, tmp_path)


def set_status(name: str, action: str, status: str) -> Callable[[Path], None]:
    """Its follow-up's status set, whatever it was (added when it had none)."""

    def change(repo: Path) -> None:
        path = minutes(repo, name)
        text = path.read_text("utf-8")
        head = f"  - action: {action}\n"
        rest = text[text.index(head) + len(head) :]
        has = rest.startswith("    status: ")
        old = head + rest.split("\n", 1)[0] + "\n" if has else head
        edit(path, old, head + f"    status: {status}\n")

    return change


FOLLOW_UPS = [(SECOND, "2022-06-24/1"), (SECOND, "2022-06-24/2"), (THIRD, "2022-07-08/1")]
STATUSES = ["open", "in-progress", "done", "dropped"]


@examples(10)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(
                st.tuples(st.sampled_from(FOLLOW_UPS), st.sampled_from(STATUSES)),
                min_size=1,
                max_size=3,
            ),
            st.sampled_from([TODAY, date(2022, 7, 1), date(2022, 7, 10)]),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_random_status_changes_are_put_in_place_as_a_clean_build(
    tracker: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[list[tuple[tuple[str, str], str]], date, bool]],
) -> None:
    with copied(tracker, monkeypatch, "tf-followups-") as work:
        repo = work / "repo"
        out = work / "site"
        render(out, TODAY, False)
        last = (TODAY, False)
        for changes, today, internal in steps:
            for (name, action), status in changes:
                set_status(name, action, status)(repo)
            got = render(out, today, internal)
            assert got.loaded is (last != (today, internal))
            last = (today, internal)
            assert_clean(repo, out, work, today, internal)


@pytest.mark.parametrize("internal", [False, True])
def test_an_untouched_follow_up_enters_the_history_with_its_status(
    tracker: Path, tmp_path: Path, internal: bool
) -> None:
    """A follow-up as `tf new-meeting` writes it (no status) is no history event; its status
    written puts it in the history, emptied again takes it out: each as a clean build."""
    out = tmp_path / "site"
    untouched = "  - action: 2022-07-08/2\n    status:  # open so far; empty = no change\n"
    edit(minutes(tracker, THIRD), "updates:\n", "updates:\n" + untouched)
    render(out, TODAY, internal)
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    done = untouched.replace("status: ", "status: done")
    for old, new in ((untouched, done), (done, untouched)):
        edit(minutes(tracker, THIRD), old, new)
        rebuilt(tracker, out, tmp_path, TODAY, internal, FOLLOWUPS)
    tracker_page = (out / "tracker.html").read_text(encoding="utf-8")
    assert "mentioned, no change" not in tracker_page
