"""A rebuild after an action's own fields or its follow-ups changed (tfcli.site.followups,
moves): the actions are tracked again and put in place (moved when their order changes)
without loading the minutes; byte for byte a clean build's. What the path cannot vouch for
is the full build."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rebuilding import (
    FOLLOWUPS,
    assert_clean,
    change,
    copied,
    edited,
    examples,
    minutes,
    rebuilt,
    render,
)
from test_render_cache import FIRST, SECOND, THIRD, TODAY, edit

pytestmark = pytest.mark.usefixtures("quiet_tracker")


NOTE = "    note: Waiting for two NGOs\n"
DONE = "    status: done\nstatus: approved\n"  # SECOND's last action, then the next field
NEW = "  - id: {}\n    text: New one\n    owner: UNHCR\n    due: {}\n"


def added(n: int, due: str) -> str:
    """DONE with a new action after SECOND's last one."""
    return DONE.replace("status: approved\n", NEW.format(n, due) + "status: approved\n")


THIRD_ACTION = (
    "  - id: 3\n    text: Draft the awareness campaign concept\n    owner: [UNHCR, IOM]\n"
    "    due: 2022-07-29\n    status: in-progress\n"
)
FIRST_SECOND = (
    "  - id: 2\n    text: Send the Action Plan with integrated recommendations on TiP\n"
    "    owner: chairs\n    due: 2022-07-08\n    status: open\n"
    "    agenda: Introduction of the Task Force (TF) on Trafficking in Persons. Discussion on"
    " the TF TOR\n"
)
# Who owns what: FIRST's 2022-06-24/1 and /2 the role `chairs` (State Chancellery, UNHCR,
# IOM), due 8 July, followed up in SECOND (/2 re-dated to 22 July); SECOND's /1 La Strada
# (followed up in THIRD: due 29 July), /2 a person of UNHCR, /3 UNHCR and IOM, /4 SC (done);
# THIRD's /1 OSCE, due 5 August.
CASES: dict[str, list[Callable[[Path], None]]] = {
    "follow-up added": [
        change(THIRD, "updates:\n", "updates:\n  - action: 2022-07-08/3\n    status: done\n")
    ],
    "follow-up added, re-dated": [
        change(THIRD, "updates:\n", "updates:\n  - action: 2022-07-08/2\n    due: 2022-08-30\n")
    ],
    "follow-up removed": [
        change(
            SECOND,
            "  - action: 2022-06-24/1\n    status: done\n    note: Shared by e-mail on 5 July\n",
            "",
        )
    ],
    "follow-up re-dating removed": [change(THIRD, "    due: 2022-07-29\n" + NOTE, NOTE)],
    "follow-up's note": [change(THIRD, NOTE, "    note: One NGO left\n")],
    "postponed": [change(THIRD, "    due: 2022-07-29\n", "    due: 2022-09-01\n")],
    "brought forward": [change(THIRD, "    due: 2022-07-29\n", "    due: 2022-07-01\n")],
    "handed over": [change(THIRD, NOTE, NOTE + "    owner: IOM\n")],
    "action's text": [change(THIRD, "Prepare the digital", "Prepare the online")],
    "action's owner": [change(SECOND, "    owner: SC\n", "    owner: IOM\n")],
    "action's due, later": [change(SECOND, "    due: 2022-07-15\n", "    due: 2022-08-20\n")],
    "action's due, earlier": [change(THIRD, "    due: 2022-08-05\n", "    due: 2022-07-02\n")],
    "action's status": [change(SECOND, "    status: in-progress\n", "    status: done\n")],
    "action's note": [change(THIRD, "    due: 2022-08-05\n", "    due: 2022-08-05\n    note: N\n")],
    "action added": [change(SECOND, DONE, added(5, "2022-07-20"))],
    "action added first, due as others": [
        change(SECOND, "actions:\n", "actions:\n" + NEW.format(0, "2022-07-15"))
    ],
    "actions added between others": [
        change(SECOND, "  - id: 2\n", NEW.format(7, "2022-07-15") + "  - id: 2\n"),
        change(SECOND, "  - id: 3\n", NEW.format(8, "2022-07-29") + "  - id: 3\n"),
    ],
    "action removed": [change(SECOND, THIRD_ACTION, "")],
    "action removed, followed up": [change(FIRST, FIRST_SECOND, "")],
    "action added and one removed": [
        change(SECOND, THIRD_ACTION, NEW.format(6, "2022-07-29")),
    ],
    "two files": [
        change(THIRD, "Prepare the digital", "Prepare the online"),
        change(SECOND, "    due: 2022-07-15\n", "    due: 2022-08-20\n"),
        change(
            FIRST,
            "    due: 2022-07-08\n    status: open\n    agenda: Welcome",
            "    due: 2022-07-30\n    status: open\n    agenda: Welcome",
        ),
    ],
}


@pytest.mark.parametrize("today", [TODAY, date(2022, 7, 10)])
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_an_action_or_follow_up_changed_is_put_in_place_without_loading(
    tracker: Path, tmp_path: Path, case: str, internal: bool, today: date
) -> None:
    out = edited(tracker, tmp_path, CASES[case], today, internal, FOLLOWUPS)
    # ... and what it kept (the order too) serves the next one.
    change(
        SECOND, "    due: 2022-07-08\n    status: done\n", "    due: 2022-05-01\n    status: done\n"
    )(tracker)
    rebuilt(tracker, out, tmp_path, today, internal, FOLLOWUPS)


FULL = {
    # Resolves against every meeting.
    "a deadline in words": change(THIRD, "    due: 2022-08-05\n", "    due: next meeting\n"),
    # OSCE's only action: it leaves the tracker's owner filter.
    "an organisation's last action": change(THIRD, "    owner: OSCE\n", "    owner: IOM\n"),
    # ILO owns none yet: it joins the owner filter.
    "an organisation's first action": change(
        THIRD, "    owner: OSCE\n", "    owner: [OSCE, ILO]\n"
    ),
    # A new page and attendance row.
    "an owner of no known organisation": change(THIRD, "    owner: OSCE\n", "    owner: Acme\n"),
    # A meeting without an action leaves the tracker's meeting filter.
    "its only action removed": change(
        THIRD,
        "actions:\n  - id: 1\n    text: Prepare the digital prevention session\n"
        "    owner: OSCE\n    due: 2022-08-05\n",
        "",
    ),
    "an action restricted": change(
        THIRD, "    owner: OSCE\n", "    owner: OSCE\n    visibility: restricted\n"
    ),
    "a follow-up of an unknown action": change(
        THIRD, "updates:\n", "updates:\n  - action: 2022-07-08/9\n    status: done\n"
    ),
    "and a display field": change(
        THIRD, "title: Anti-Trafficking Task Force\n", "title: T\nlocation: X\n"
    ),
}


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(FULL))
def test_what_the_path_cannot_vouch_for_is_the_full_build(
    tracker: Path, tmp_path: Path, case: str, internal: bool
) -> None:
    out = tmp_path / "site"
    render(out, TODAY, internal)
    FULL[case](tracker)
    change(THIRD, NOTE, "    note: One NGO left\n")(tracker)  # (alone, put in place)
    got = render(out, TODAY, internal)
    # A restricted action is hidden by a public build only (an internal one shows it).
    assert got.loaded is (case != "an action restricted" or not internal)
    assert_clean(tracker, out, tmp_path, TODAY, internal)


def test_an_action_added_that_follow_ups_named_already_is_the_full_build(
    tracker: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    render(out)
    change(THIRD, "updates:\n", "updates:\n  - action: 2022-07-08/9\n    status: done\n")(tracker)
    assert render(out).loaded  # (no such action yet)
    change(SECOND, DONE, added(9, "2022-07-20"))(tracker)
    assert render(out).loaded  # the follow-up now applies to it
    assert_clean(tracker, out, tmp_path)
    change(SECOND, NEW.format(9, "2022-07-20"), "")(tracker)
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)
    change(SECOND, DONE, added(9, "2022-07-21"))(tracker)
    assert render(out).loaded  # named still
    assert_clean(tracker, out, tmp_path)


def test_places_renumbered_keep_the_order(tracker: Path, tmp_path: Path) -> None:
    """Actions added before others with the same deadline, one after another: each is told
    apart from the others by its place in its meeting, kept up to date."""
    out = tmp_path / "site"
    render(out)
    for n in (5, 6, 7):
        change(SECOND, "actions:\n", "actions:\n" + NEW.format(n, "2022-07-15"))(tracker)
        assert not render(out).loaded
        assert_clean(tracker, out, tmp_path)
    change(SECOND, NEW.format(6, "2022-07-15"), "")(tracker)
    assert not render(out).loaded
    # No follow-up names it: added again, it is put in place again.
    change(SECOND, "actions:\n", "actions:\n" + NEW.format(6, "2022-07-14"))(tracker)
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)
    change(SECOND, NEW.format(7, "2022-07-15"), NEW.format(7, "2022-07-16"))(tracker)
    assert not render(out).loaded
    change(SECOND, NEW.format(7, "2022-07-16"), NEW.format(7, "2022-07-15"))(tracker)
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)


def test_a_damaged_or_foreign_order_is_the_full_build(tracker: Path, tmp_path: Path) -> None:
    from tfcli.site.cache import CACHE_DIR

    out, other = tmp_path / "site", tmp_path / "other"
    render(out)
    render(other)
    kept = list((tracker / CACHE_DIR).glob("order-*"))
    assert len(kept) == 2
    a, b = kept
    swapped = a.read_bytes()
    a.write_bytes(b.read_bytes())  # another folder's (another build's token)
    b.write_bytes(swapped)
    change(THIRD, "    due: 2022-08-05\n", "    due: 2022-07-02\n")(tracker)  # moves it
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)
    for f in (tracker / CACHE_DIR).glob("order-*"):
        f.write_bytes(f.read_bytes()[:-3] + b"xyz")  # damaged
    change(THIRD, "    due: 2022-07-02\n", "    due: 2022-07-03\n")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)
    # Kept for other files (as when another kind of rebuild added a meeting): unsure.
    render(out)
    import marshal

    from tfcli.site import contexts

    for f in (tracker / CACHE_DIR).glob("order-*"):
        token, data = marshal.loads(f.read_bytes()[16:])
        ids, keys, named, _ = marshal.loads(data)
        contexts.write(f, marshal.dumps((token, marshal.dumps((ids, keys, named, b"x")))))
    change(THIRD, "    due: 2022-07-03\n", "    due: 2022-07-04\n")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)
    change(THIRD, "    due: 2022-07-04\n", "    due: 2022-07-05\n")(tracker)
    assert not render(out).loaded  # kept again by the full build
    assert_clean(tracker, out, tmp_path)
    # A status between open ones changes no order: put in place without it.
    for f in (tracker / CACHE_DIR).glob("order-*"):
        f.unlink()
    change(SECOND, "    status: in-progress\n", "    status: open\n")(tracker)
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)
    # Closed, it joins its owners' closed sections, in their own order (tfcli.site.closed),
    # told by the kept keys: without them, the full build.
    change(SECOND, "    status: open\n", "    status: done\n")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)


# Random edits: each a line of a file (found by an anchor line and an offset from it) set to
# one of its choices; no edit adds or removes a line, so each is found again by its number.
# The choices after the first `safe` of each keep the path from vouching (the full build).
LINES: list[tuple[str, str, int, list[str], int]] = [
    (
        SECOND,
        "actions:",
        1,
        [
            "  # an action's slot",
            "  - {id: 9, text: New, owner: UNHCR, due: 2022-07-15}",
            "  - {id: 9, text: New, owner: [IOM, SC], due: 2022-08-01, status: done}",
        ],
        3,
    ),
    (
        THIRD,
        "    text: Prepare the digital prevention session",
        2,
        [f"    due: 2022-{d}" for d in ("08-05", "07-01", "07-22", "08-30", "06-01", "08-32")],
        5,
    ),
    (
        THIRD,
        "    text: Prepare the digital prevention session",
        1,
        ["    owner: OSCE", "    owner: [OSCE, IOM]", "    owner: UNHCR", "    owner: Acme"],
        2,
    ),
    (
        THIRD,
        "    text: Prepare the digital prevention session",
        0,
        [
            "    text: Prepare the digital prevention session",
            "    text: Prepare <b>it</b> & more",
            "    text: Call +373 22 123 456",
        ],
        3,
    ),
    (
        THIRD,
        "  - action: 2022-07-08/1",
        1,
        [
            "    due: 2022-07-29",
            "    due: 2022-07-08",
            "    due: 2022-10-01",
            "    owner: IOM",
            "    status: done",
            "    due: 31/07/2022",
        ],
        5,
    ),
    (
        THIRD,
        "  - action: 2022-07-08/1",
        2,
        [NOTE.rstrip("\n"), "    note: One left", "    note: None & <none>"],
        3,
    ),
    (
        THIRD,
        "updates:",
        1,
        [
            "  # a slot",
            "  - {action: 2022-07-08/3, status: done}",
            "  - {action: 2022-06-24/2, due: 2022-08-12}",
            "  - {action: 2022-07-08/2, owner: OSCE, note: over}",
        ],
        4,
    ),
    (
        SECOND,
        "    text: Map the hotlines that answer in Ukrainian and Russian",
        2,
        [f"    due: 2022-{d}" for d in ("07-15", "07-08", "07-29", "09-01", "06-20", "13-01")],
        5,
    ),
    (
        SECOND,
        "    text: Map the hotlines that answer in Ukrainian and Russian",
        1,
        [
            "    owner: La Strada",
            "    owner: [La Strada, OSCE]",
            "    owner: Martina Bogdeva (UNHCR)",
        ],
        2,
    ),
    (
        SECOND,
        "    text: Invite the Ministry of Internal Affairs",
        1,
        ["    owner: SC", "    owner: IOM", "    owner: chairs", "    owner: [SC, La Strada]"],
        4,
    ),
    (
        SECOND,
        "    text: Draft the awareness campaign concept",
        3,
        ["    status: in-progress", "    status: done", "    status: dropped", "    status: open"],
        4,
    ),
    (
        SECOND,
        "  - action: 2022-06-24/1",
        1,
        ["    status: done", "    status: open", "    due: 2022-07-30"],
        3,
    ),
    (
        FIRST,
        "    text: Share OSCE and Council of Europe recommendations on TiP",
        2,
        [f"    due: 2022-{d}" for d in ("07-08", "07-22", "06-30", "08-15")],
        4,
    ),
]


# Choices with a `due:` in error (tf check's): while one is in a file, no rebuild path relies
# on that file (the full build for any change near it).
INVALID = {"    due: 2022-08-32", "    due: 31/07/2022", "    due: 2022-13-01"}


def _numbers(repo: Path) -> list[int]:
    out = []
    for name, anchor, offset, choices, _ in LINES:
        lines = minutes(repo, name).read_text("utf-8").split("\n")
        assert lines.count(anchor) == 1, anchor
        n = lines.index(anchor) + offset
        assert lines[n] == choices[0], (lines[n], choices[0])
        out.append(n)
    return out


def _set(repo: Path, numbers: list[int], which: int, pick: int) -> None:
    name, _, _, choices, _ = LINES[which]
    path = minutes(repo, name)
    lines = path.read_text("utf-8").split("\n")
    lines[numbers[which]] = choices[pick]
    path.write_text("\n".join(lines), "utf-8")


def _owner_filter(out: Path) -> bytes:
    """The tracker's owner filter: the organisations that own an action."""
    page = (out / "tracker.html").read_bytes()
    start = page.index(b'<select id="f-owner"')
    return page[start : page.index(b"</select>", start)]


def _slot(repo: Path) -> None:
    edit(minutes(repo, THIRD), "updates:\n", "updates:\n  # a slot\n")
    edit(minutes(repo, SECOND), "actions:\n", "actions:\n  # an action's slot\n")


# Most steps build for the same day and kind as the last (the path's case); some switch.
SWITCHES: list[tuple[date, bool] | None] = [None] * 6 + [
    (day, internal)
    for day in (TODAY, date(2022, 7, 10), date(2022, 8, 1))
    for internal in (False, True)
]


@examples(12)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(
                st.tuples(st.integers(0, len(LINES) - 1), st.integers(0, 9)),
                min_size=1,
                max_size=3,
            ),
            st.sampled_from(SWITCHES),
        ),
        min_size=1,
        max_size=5,
    ),
    start_internal=st.booleans(),
)
def test_random_action_and_follow_up_edits_rebuild_as_a_clean_build(
    tracker: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[list[tuple[int, int]], tuple[date, bool] | None]],
    start_internal: bool,
) -> None:
    with copied(tracker, monkeypatch, "tf-actions-") as work:
        repo = work / "repo"
        _slot(repo)
        numbers = _numbers(repo)
        now = [0] * len(LINES)
        out = work / "site"
        render(out, TODAY, start_internal)
        last = (TODAY, start_internal)
        for edits, switch in steps:
            today, internal = switch or last
            # (a file in error before the edit is still one when it is fixed: its row says so)
            safe = not any(LINES[w][3][p] in INVALID for w, p in enumerate(now))
            owners = _owner_filter(out)
            for which, n in edits:
                pick = n % len(LINES[which][3])
                safe = safe and max(now[which], pick) < LINES[which][4]
                _set(repo, numbers, which, pick)
                now[which] = pick
            safe = safe and not any(LINES[w][3][p] in INVALID for w, p in enumerate(now))
            got = render(out, today, internal)
            assert_clean(repo, out, work, today, internal)
            # An organisation the tracker's owner filter gains or loses (one that owned no
            # action, or owns none now: an earlier step may have left it so) is the full
            # build: the path does not put an option in the filter.
            if last == (today, internal) and safe and _owner_filter(out) == owners:
                assert not got.loaded
            last = (today, internal)
