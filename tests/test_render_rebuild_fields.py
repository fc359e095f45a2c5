"""A rebuild after a meeting's front matter changed (tfcli.site.fields): fields that only the
meeting's page, its row of the meetings list, its line on the index page, its search entry and
its calendar event show are put in place without loading the minutes; any other change is a
full build. Either way the site is byte for byte a clean build's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rebuilding import (
    FIELDS,
    FULL,
    all_at_once,
    assert_clean,
    copied,
    edited,
    examples,
    minutes,
    no_warning,
    rebuilt,
    render,
)
from test_render_cache import FIRST, SECOND, THIRD, TODAY, edit

from tfcli.site import contexts
from tfcli.site.cache import CACHE_DIR

pytestmark = pytest.mark.usefixtures("trusted_tracker")


def set_line(path: Path, field: str, value: str) -> None:
    """The line `field: ...` of a minutes file's front matter set to `field: value`."""
    text = path.read_text("utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"{field}:"))
    path.write_text(text.replace(line, f"{field}: {value}", 1), "utf-8")


def title(name: str, new: str) -> Callable[[Path], None]:
    return lambda repo: set_line(minutes(repo, name), "title", new)


def location(name: str, new: str) -> Callable[[Path], None]:
    return lambda repo: edit(minutes(repo, name), "location: Zoom", f"location: {new}")


def third_status(repo: Path) -> None:
    edit(minutes(repo, THIRD), "status: draft", "status: approved")


def third_body(repo: Path) -> None:
    edit(minutes(repo, THIRD), "To be written.", "Written: *see* [the plan](https://x.org).")


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize(
    "changes",
    [
        [title(FIRST, "Edited <b>title</b> & more")],
        [title(THIRD, "Call me +373 22 123 456 or a@b.org")],  # redacted everywhere
        [location(FIRST, "Chisinau, UN House; room 3")],  # in its calendar event
        [third_status],  # the meetings list and the index page
        [title(THIRD, "Last"), third_body],  # a title and a body at once
        [title(FIRST, "One"), title(THIRD, "Two")],  # the second entry of the index moves
        [title(FIRST, "Once"), title(FIRST, "Twice"), location(FIRST, "Geneva")],
        # Lines added above the actions, follow-ups and agenda: they all move.
        [lambda repo: edit(minutes(repo, THIRD), "format: 1\n", "format: 1\nlocation: Zoom\n")],
        [lambda repo: edit(minutes(repo, THIRD), "status: draft\n", "status: draft\n# a note\n")],
        [
            lambda repo: edit(
                minutes(repo, FIRST),
                "co_chairs:\n",
                "co_chairs:\n  - name: Ana Pop\n    organisation: OSCE\n",
            ),
            lambda repo: edit(
                minutes(repo, THIRD),
                "status: draft\n",
                "status: draft\nlinks:\n  - title: Plan\n    url: https://x.org\n",
            ),
        ],
    ],
)
def test_display_fields_are_put_in_place_without_loading(
    tracker: Path, tmp_path: Path, changes: list[Callable[[Path], None]], internal: bool
) -> None:
    out = tmp_path / "site"
    first = render(out, internal=internal)
    for change in changes:
        change(tracker)
    got = rebuilt(tracker, out, tmp_path, internal=internal)
    assert got.result.pages == first.result.pages  # (a comment changes no file)
    # ... and what the patch kept serves the next one.
    title(FIRST, "Again")(tracker)
    rebuilt(tracker, out, tmp_path, internal=internal, by=FIELDS)


def follow_up(repo: Path) -> None:
    edit(
        minutes(repo, THIRD), "updates:\n", "updates:\n  - action: 2022-06-24/2\n    status: done\n"
    )


def participant(repo: Path) -> None:
    edit(minutes(repo, FIRST), "  international:\n", "  international:\n    - UNICEF\n")


def moved_date(repo: Path) -> None:
    edit(minutes(repo, THIRD), "date: 2022-07-22", "date: 2022-07-21")


# (An action's text: tfcli.site.followups, tests/test_render_rebuild_actions.py; this
# follow-up names an action of a file loaded with a warning: a full build.)
@pytest.mark.parametrize("change", [follow_up, participant, moved_date])
def test_other_fields_are_a_full_build(
    tracker: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    out = edited(tracker, tmp_path, [change], by=FULL)
    # What the full build kept (made again or taken from the last build's) serves the next.
    for name in (FIRST, THIRD):
        title(name, "After")(tracker)
        assert not render(out).loaded
        assert_clean(tracker, out, tmp_path)


@pytest.mark.parametrize("internal", [False, True])
def test_the_next_meeting_on_the_index_page(tracker: Path, tmp_path: Path, internal: bool) -> None:
    """The index page shows the first meeting from today on with its time and place."""
    today = date(2022, 7, 20)  # the third meeting is the next one
    edit(minutes(tracker, THIRD), "status: draft\n", "status: draft\nlocation: Zoom\n")
    out = tmp_path / "site"
    render(out, today, internal)
    for change in (title(THIRD, "Next one"), location(THIRD, "Geneva, <UN> & co")):
        change(tracker)
        assert not render(out, today, internal).loaded
        assert_clean(tracker, out, tmp_path, today, internal)
    assert b"Geneva, &lt;UN&gt; &amp; co" in (out / "index.html").read_bytes()
    location(FIRST, "Not next")(tracker)  # an earlier meeting: not on the index page
    assert not render(out, today, internal).loaded
    assert_clean(tracker, out, tmp_path, today, internal)


@pytest.mark.parametrize("damage", ["deleted", "damaged", "foreign"])
def test_kept_meetings_missing_or_damaged_are_a_full_build(
    tracker: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "site"
    render(out)
    shards = sorted((tracker / CACHE_DIR).glob("fields-*"))
    assert len(shards) == contexts.SHARDS
    other = tmp_path / "other"
    if damage == "foreign":  # another build's (its token is not the record's)
        saved = {p.name: p.read_bytes() for p in shards}
        render(other)  # another folder: its own shards and record
        render(out, date(2022, 7, 26))  # a new token for `out`...
        for name, data in saved.items():  # ...and the old shards back
            (tracker / CACHE_DIR / name).write_bytes(data)
    for p in shards:
        if damage == "deleted":
            p.unlink()
        elif damage == "damaged":
            p.write_bytes(p.read_bytes()[:-3] + b"xyz")
    title(THIRD, "Changed")(tracker)
    today = date(2022, 7, 26) if damage == "foreign" else TODAY
    assert render(out, today).loaded
    assert_clean(tracker, out, tmp_path, today)
    title(THIRD, "Later")(tracker)
    assert not render(out, today).loaded  # kept again by the full build
    assert_clean(tracker, out, tmp_path, today)


# -- random front-matter edits, each rebuild compared with a clean build -------------------

LATER = "2022-08-05-anti-trafficking-task-force.md"


def _retitle(repo: Path, n: int) -> None:
    path = minutes(repo, (FIRST, SECOND, THIRD, LATER)[n % 4])
    if path.exists():
        set_line(path, "title", f"Edited {n}")


def _new_meeting(repo: Path, n: int) -> None:
    path = minutes(repo, LATER)
    if not path.exists():
        text = minutes(repo, FIRST).read_text("utf-8")
        path.write_text(text.replace("date: 2022-06-24", "date: 2022-08-05", 1), "utf-8")


def _removed_meeting(repo: Path, n: int) -> None:
    for name in (LATER, SECOND):
        if minutes(repo, name).exists():
            minutes(repo, name).unlink()
            return


def _follow_up(repo: Path, n: int) -> None:
    path = minutes(repo, THIRD)
    status = ("done", "in progress", "dropped")[n % 3]
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "updates:\n", f"updates:\n  - action: 2022-06-24/2\n    status: {status}\n", 1
        ),
        "utf-8",
    )


def _follow_up_status(repo: Path, n: int) -> None:
    """An existing follow-up's status (tfcli.site.followups puts it in place)."""
    path = minutes(repo, SECOND)
    if path.exists():
        head = "  - action: 2022-06-24/1\n    status: "
        text = path.read_text("utf-8")
        now = text[text.index(head) + len(head) :].split("\n", 1)[0]
        edit(path, head + now + "\n", head + ("done", "in-progress", "dropped")[n % 3] + "\n")


def _participant(repo: Path, n: int) -> None:
    edit(minutes(repo, FIRST), "  international:\n", f"  international:\n    - Agency {n}\n")


def _status(repo: Path, n: int) -> None:
    set_line(minutes(repo, THIRD), "status", ("draft", "approved")[n % 2])


def _location(repo: Path, n: int) -> None:
    set_line(minutes(repo, FIRST), "location", f"Room {n}")


def _lines_added(repo: Path, n: int) -> None:
    """A display field or a comment on new lines: every action below moves."""
    path = minutes(repo, (FIRST, THIRD)[n % 2])
    added = f"# note {n}\n" if n % 3 else f"regrets:\n  - Agency {n}\n"
    if n % 3 == 0 and "regrets:" in path.read_text("utf-8"):
        added = f"# note {n}\n"
    edit(path, "format: 1\n", "format: 1\n" + added)


EDITS = [
    _lines_added,
    _retitle,
    _retitle,
    _new_meeting,
    _removed_meeting,
    _follow_up,
    _follow_up_status,
    _follow_up_status,
    _participant,
    _status,
    _location,
]
DAYS = [TODAY, date(2022, 6, 1), date(2022, 7, 1), date(2022, 7, 20), date(2022, 9, 1)]


@examples(12)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 99)), min_size=1, max_size=3),
            st.sampled_from(DAYS),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    start_internal=st.booleans(),
    per_piece=st.sampled_from([1, 2, 100]),  # an entry that moves others in its piece, or none
)
def test_random_front_matter_edits_rebuild_as_a_clean_build(
    tracker: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[list[tuple[Callable[[Path, int], None], int]], date, bool]],
    start_internal: bool,
    per_piece: int,
) -> None:
    from tfcli.site import search

    monkeypatch.setattr(search, "PER_PIECE", per_piece)
    with copied(tracker, monkeypatch, "tf-fields-") as work:
        repo = work / "repo"
        out = work / "site"
        no_warning(repo)
        render(out, TODAY, start_internal)
        last = (TODAY, start_internal)
        for edits, today, internal in steps:
            for edit_one, n in edits:
                edit_one(repo, n)
            got = render(out, today, internal)
            if last == (today, internal) and all(e is _follow_up_status for e, _ in edits):
                assert not got.loaded  # put in place (tfcli.site.followups)
            last = (today, internal)
            assert_clean(repo, out, work, today, internal)


def test_concurrent_field_rebuilds_each_give_a_clean_site(tracker: Path, tmp_path: Path) -> None:
    """Processes building into their folders at once share the cache and the kept entries
    (each folder's shards and record are their own)."""
    import time

    folders = [tmp_path / name for name in ("a", "b", "c")]

    time.sleep(2.2)  # the minutes' times can be trusted
    all_at_once(tracker, folders)
    title(FIRST, "Both at once")(tracker)
    location(FIRST, "Geneva")(tracker)
    time.sleep(2.2)
    all_at_once(tracker, folders)  # put in place, each folder
    assert any((tracker / CACHE_DIR).glob("jinja-*"))  # made by this path only
    for f in folders:
        assert_clean(tracker, f, tmp_path)
    for f in folders:
        assert not render(f).loaded
