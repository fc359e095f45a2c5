"""A rebuild after a meeting was added as the newest, without actions of its own and with no
follow-up that records anything (tfcli.site.added, skeleton): its page and the pages that
list meetings are put in place without loading the minutes; anything else is a full build.
Either way the site is byte for byte a clean build's."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import run_tf
from hypothesis import given
from hypothesis import strategies as st
from rebuilding import FIELDS, assert_clean, copied, examples, minutes, rebuilt, render
from test_render_cache import SECOND, THIRD, TODAY, edit

from tfcli.site import pages, search

pytestmark = pytest.mark.usefixtures("quiet_tracker")


def meeting(day: str, *lines: str, body: str = "Notes.\n") -> Callable[[Path], None]:
    """A new minutes file dated `day` with these front-matter lines."""

    def add(repo: Path) -> None:
        text = "\n".join(["---", "format: 1", f"date: {day}", *lines, "---", body])
        minutes(repo, f"{day}-added.md").write_text(text, "utf-8")

    return add


PEOPLE = (
    "participants:",
    "  international:",
    "    - IOM",
    "    - UNHCR",
    "  ngos:",
    "    - La Strada",
)
CASES = {
    "bare": [meeting("2022-08-05")],
    "with all it may show": [
        meeting(
            "2022-08-05",
            "title: Added <one> & more",
            "location: Geneva",
            *PEOPLE,
            "decisions:",
            "  - Adopt the plan",
            "  - Meet again",
            "agenda:",
            "  - Welcome",
            "next_meeting: {date: 2022-08-19, agenda: [Plans]}",
            body="# Heading\n\nSome *text* and an e-mail a@b.org.\n",
        )
    ],
    "two in turn": [meeting("2022-08-05", *PEOPLE), meeting("2022-08-19", "title: Later")],
    "untouched follow-ups": [
        meeting(
            "2022-08-05",
            "updates:",
            "  - action: 2022-07-22/1",
            "  - {action: 2022-07-08/2}",
            "  - action: 2022-07-08/4  # done",
            "    status:",
        )
    ],
    "its own actions": [
        meeting(
            "2022-08-05",
            "actions:",
            "  - {id: 1, text: Do, owner: IOM, due: 2022-09-01}",
            "  - {id: 2, text: Write <it>, owner: [UNHCR, OSCE], due: 2022-07-30}",
            "  - {id: 3, text: Early, owner: La Strada, due: 2022-06-01, status: done}",
        )
    ],
    "follow-ups that record": [
        meeting(
            "2022-08-05",
            "updates:",
            "  - {action: 2022-07-22/1, status: done}",
            "  - {action: 2022-07-08/1, note: Called, due: 2022-10-01}",
            "  - action: 2022-07-08/2",
            "  - {action: 2022-06-24/1, status: in-progress, note: Begun}",
        )
    ],
    "actions and follow-ups, in turn": [
        meeting(
            "2022-08-05",
            *PEOPLE,
            "actions:",
            "  - {id: 1, text: Do, owner: IOM, due: 2022-08-20}",
            "updates:",
            "  - {action: 2022-07-22/1, due: 2022-07-01}",
        ),
        meeting(
            "2022-08-19",
            "actions:",
            "  - {id: 1, text: Again, owner: UNHCR, due: 2022-09-20}",
            "updates:",
            "  - {action: 2022-08-05/1, status: done}",
            "  - {action: 2022-07-22/1, status: dropped}",
        ),
    ],
    "another file touched, the same bytes": [
        lambda repo: (touch(minutes(repo, THIRD)), meeting("2022-08-05")(repo))
    ],
}


def touch(path: Path) -> None:
    """Written again with the same bytes: a new stat (a file changed a moment before the last
    build has none in its record either)."""
    path.write_bytes(path.read_bytes())
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


DAYS = [TODAY, date(2022, 8, 1), date(2022, 8, 10), date(2022, 9, 1)]


@pytest.mark.parametrize("today", DAYS)
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_a_newest_meeting_is_put_in_place_without_loading(
    tracker: Path, tmp_path: Path, case: str, internal: bool, today: date
) -> None:
    out = tmp_path / "site"
    render(out, today, internal)
    for add in CASES[case]:
        add(tracker)
        rebuilt(tracker, out, tmp_path, today, internal)
    # What it kept serves the next patch: a display field of the new meeting.
    new = sorted((tracker / "minutes").glob("*-added.md"))[-1]
    edit(new, "format: 1\n", "format: 1\npurpose: Planning\n")
    rebuilt(tracker, out, tmp_path, today, internal, FIELDS)


def test_the_recent_meetings_keep_their_number(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "RECENT", 2)
    out = tmp_path / "site"
    render(out)
    meeting("2022-08-05")(tracker)
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)
    assert (out / "index.html").read_bytes().count(b'<li><a href="meetings/') == 2


def test_the_summary_counts_the_new_page(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out)
    meeting("2022-08-05")(tracker)
    got = render(out).result
    clean = render(tmp_path / "clean", cache=False).result
    assert (got.pages, got.files, got.meetings) == (clean.pages, clean.files, clean.meetings)


def restricted(repo: Path) -> None:
    meeting("2022-08-05", "visibility: restricted")(repo)


def next_meeting_words(repo: Path) -> None:
    """The last meeting's action due "next meeting": the new one is its deadline now."""
    edit(minutes(repo, THIRD), "    due: 2022-08-05\n", "    due: next meeting\n")


FULL: dict[str, tuple[list[Callable[[Path], None]], list[Callable[[Path], None]]]] = {
    "its own action without a deadline (a warning)": (
        [],
        [meeting("2022-08-05", "actions:", "  - {id: 1, text: Do, owner: IOM}")],
    ),
    "a follow-up of its own action": (
        [],
        [
            meeting(
                "2022-08-05",
                "actions:",
                "  - {id: 1, text: Do, owner: IOM, due: 2022-09-01}",
                "updates:",
                "  - {action: 2022-08-05/1, status: done}",
            )
        ],
    ),
    "a deadline in words": (
        [],
        [meeting("2022-08-05", "updates:", "  - {action: 2022-07-22/1, due: next meeting}")],
    ),
    "a follow-up of an unknown action": (
        [],
        [meeting("2022-08-05", "updates:", "  - action: 2022-07-22/1", "  - action: 2022-07-22/7")],
    ),
    "a follow-up of an action the tracker shows twice": (
        [
            lambda r: edit(
                minutes(r, THIRD),
                "  - id: 1\n",
                "  - id: 1\n    text: A\n    owner: IOM\n  - id: 1\n",
            )
        ],
        [meeting("2022-08-05", "updates:", "  - action: 2022-07-22/1")],
    ),
    "not the newest": ([], [meeting("2022-07-15")]),
    "the newest's date": ([], [meeting("2022-07-22", "title: Same day")]),
    "a time (the calendar gets its zone)": ([], [meeting("2022-08-05", "time: '10:00'")]),
    "an organisation the site does not know": (
        [],
        [meeting("2022-08-05", "participants:", "  - Agency Z")],
    ),
    "words in the last meeting": ([next_meeting_words], [meeting("2022-08-05")]),
    "another file changed with it": (
        [],
        [meeting("2022-08-05"), lambda r: edit(minutes(r, THIRD), "To be written.", "Written.")],
    ),
    "another file's front matter changed with it (the same length)": (
        [],
        [
            meeting("2022-08-05"),
            lambda r: edit(minutes(r, THIRD), "    due: 2022-08-05\n", "    due: 2022-08-06\n"),
        ],
    ),
}


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(FULL))
def test_what_the_path_cannot_vouch_for_is_a_full_build(
    tracker: Path, tmp_path: Path, case: str, internal: bool
) -> None:
    before, changes = FULL[case]
    for change in before:
        change(tracker)
    out = tmp_path / "site"
    render(out, TODAY, internal)
    for change in changes:
        change(tracker)
    assert render(out, TODAY, internal).loaded
    assert_clean(tracker, out, tmp_path, TODAY, internal)


@pytest.mark.parametrize("internal", [False, True])
def test_a_restricted_meeting(tracker: Path, tmp_path: Path, internal: bool) -> None:
    """An internal build shows it: put in place; a public one does not: the full build."""
    out = tmp_path / "site"
    render(out, TODAY, internal)
    restricted(tracker)
    assert render(out, TODAY, internal).loaded is not internal
    assert_clean(tracker, out, tmp_path, TODAY, internal)


def test_a_new_piece_of_the_search_index_is_a_full_build(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PER_PIECE", 3)  # the three meetings fill the first piece
    out = tmp_path / "site"
    render(out)
    meeting("2022-08-05")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)
    meeting("2022-08-19")(tracker)  # in the second piece, after the first entry
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)


def test_a_marker_edited_in_the_output_is_a_full_build(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out)
    marker = out / ".tf-site"
    marker.write_bytes(marker.read_bytes() + b"meetings/x.html\n")
    meeting("2022-08-05")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)


# -- random meetings added, each rebuild compared with a clean build ------------------------

LINES = [
    ("title: Added",),
    ("location: Room <1>",),
    PEOPLE,
    ("participants:", "  - OSCE", "  - Ana Pop (ILO)"),
    ("decisions:", "  - Decided"),
    ("agenda:", "  - Item"),
    ("status: approved",),
    ("visibility: restricted",),
    ("actions:", "  - {id: 1, text: Do, owner: IOM, due: 2023-01-01}"),
    ("updates:", "  - action: 2022-07-22/1", "  - {action: 2022-07-08/2}"),
    ("updates:", "  - action: 2022-07-08/3", "  - action: 2022-06-24/1"),
    ("updates:", "  - {action: 2022-07-08/1, status: done}"),
    ("updates:", "  - action: 2022-07-22/1", "  - action: 2022-07-22/5"),
    (
        "actions:",
        "  - {id: 1, text: Do, owner: IOM, due: 2022-08-01}",
        "  - {id: 2, text: Two <b>, owner: [OSCE, La Strada], due: 2022-07-01, status: done}",
    ),
    (
        "updates:",
        "  - {action: 2022-07-22/1, due: 2022-07-30, note: Later}",
        "  - {action: 2022-07-08/3, status: dropped}",
        "  - action: 2022-06-24/1",
    ),
    ("updates:", "  - {action: 2022-07-08/4, status: open, owner: IOM}"),
    ("next_meeting: {date: 2023-01-01}",),
]


TRACKER_DAYS = {date(2022, 6, 24), date(2022, 7, 8), date(2022, 7, 22)}


@examples(10)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(-20, 30),  # days after the last meeting
            st.lists(st.sampled_from(LINES), max_size=3, unique=True),
            st.sampled_from(DAYS),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    per_piece=st.sampled_from([2, 100]),
)
def test_random_meetings_added_rebuild_as_a_clean_build(
    tracker: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[int, list[tuple[str, ...]], date, bool]],
    per_piece: int,
) -> None:
    from datetime import timedelta

    monkeypatch.setattr(search, "PER_PIECE", per_piece)
    with copied(tracker, monkeypatch, "tf-added-") as work:
        repo = work / "repo"
        out = work / "site"
        render(out, TODAY, False)
        last = date(2022, 7, 22)
        for after, lines, today, internal in steps:
            day = last + timedelta(days=after)
            path = minutes(repo, f"{day.isoformat()}-added.md")
            # (Not on a day a meeting of the tracker has: a cached full build then gives a
            # page of two meetings that day the other's contents, on main too; see
            # test_a_second_meeting_on_a_day_then_another.)
            if path.exists() or day in TRACKER_DAYS:
                continue
            meeting(day.isoformat(), *(x for group in lines for x in group))(repo)
            last = max(last, day)
            render(out, today, internal)
            assert_clean(repo, out, work, today, internal)


# -- tf new-meeting's skeleton: a follow-up of every open action, none recording anything ---


def restricted_action(repo: Path) -> None:
    """2022-07-08/3 restricted: a public build hides it and the follow-ups naming it."""
    edit(
        minutes(repo, SECOND),
        "    status: in-progress\n  - id: 4",
        "    status: in-progress\n    visibility: restricted\n  - id: 4",
    )


@pytest.mark.parametrize("hidden", [False, True])
@pytest.mark.parametrize("internal", [False, True])
def test_a_new_meeting_skeleton_is_put_in_place(
    tracker: Path, tmp_path: Path, internal: bool, hidden: bool
) -> None:
    if hidden:
        restricted_action(tracker)
    out = tmp_path / "site"
    today = date(2022, 7, 25)
    render(out, today, internal)
    r = run_tf("new-meeting", "--today", today.isoformat(), cwd=tracker)
    assert r.code == 0, r.err
    new = sorted((tracker / "minutes").glob("2022-08-*.md"))
    assert len(new) == 1 and "  - action: 2022-07-08/3" in new[0].read_text("utf-8")
    assert not render(out, today, internal).loaded
    assert_clean(tracker, out, tmp_path, today, internal)
    page = (out / "meetings" / f"{new[0].name[:10]}.html").read_bytes()
    shown = b'<a href="../meetings/2022-07-08.html">2022-07-08/3</a>: nothing recorded'
    assert (shown in page) is (internal or not hidden)
    # What it kept serves the next rebuilds: a deadline moved (the tracker's kept order),
    edit(minutes(tracker, THIRD), "    due: 2022-08-05\n", "    due: 2022-07-20\n")
    assert not render(out, today, internal).loaded
    assert_clean(tracker, out, tmp_path, today, internal)
    # a status written, a display field.
    edit(new[0], "prevention session\n    status:", "prevention session\n    status: done")
    render(out, today, internal)
    assert_clean(tracker, out, tmp_path, today, internal)
    edit(new[0], "format: 1\n", "format: 1\npurpose: Planning\n")
    assert not render(out, today, internal).loaded
    assert_clean(tracker, out, tmp_path, today, internal)


def test_a_second_meeting_on_a_day_then_another(tracker: Path, tmp_path: Path) -> None:
    """Found by the random test: a meeting on the day of the last one (both get its id, an
    error of `tf check`), then one the day before; the second rebuild, a full build with the
    render cache, wrote the first of the day's contents to the page of the second
    (meetings/2022-07-22-2.html). While ids collide, nothing kept is used or recorded."""
    out = tmp_path / "site"
    today = date(2022, 7, 25)
    render(out, today)
    for day in ("2022-07-22", "2022-07-21"):
        meeting(day)(tracker)
        render(out, today)
        assert_clean(tracker, out, tmp_path, today)


# -- random meetings added with actions of their own and follow-ups that record -------------

OWNERS = ["IOM", "UNHCR", "[OSCE, La Strada]", "SC", "Ana Pop (ILO)"]
EARLIER = ["2022-06-24/1", "2022-07-08/1", "2022-07-08/2", "2022-07-08/3", "2022-07-22/1"]
RECORDS = ["status: done", "status: in-progress", "note: Called", "due: 2022-08-30", "owner: IOM"]

an_action = st.tuples(
    st.sampled_from(OWNERS),
    st.integers(-40, 60),  # its deadline, days after its meeting
    st.sampled_from(["", ", status: done", ", status: in-progress"]),
)
a_followup = st.tuples(st.integers(0, 30), st.lists(st.sampled_from(RECORDS), max_size=2))


@examples(12)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(1, 20),  # days after the last meeting
            st.lists(an_action, max_size=3),
            st.lists(a_followup, max_size=3),
            st.booleans(),  # participants
        ),
        min_size=1,
        max_size=3,
    ),
    today=st.sampled_from(DAYS),
    internal=st.booleans(),
)
def test_random_meetings_with_actions_rebuild_as_a_clean_build(
    tracker: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[int, list[tuple[str, int, str]], list[tuple[int, list[str]]], bool]],
    today: date,
    internal: bool,
) -> None:
    """Each a meeting added as the newest: its actions, follow-ups recording on earlier
    actions (the tracker's and the added meetings'), each rebuild compared with a clean
    build (when written, 12 of 15 such rebuilds were patched, 3 full builds)."""
    from datetime import timedelta

    with copied(tracker, monkeypatch, "tf-added-actions-") as work:
        repo = work / "repo"
        out = work / "site"
        render(out, today, internal)
        last, known = date(2022, 7, 22), list(EARLIER)
        for after, actions, followups, people in steps:
            day = last + timedelta(days=after)
            last = day
            lines = list(PEOPLE) if people else []
            if actions:
                lines.append("actions:")
            for n, (owner, due, status) in enumerate(actions, 1):
                deadline = day + timedelta(days=due)
                lines.append(
                    f"  - {{id: {n}, text: Do {n}, owner: {owner}, due: {deadline}{status}}}"
                )
            named = {known[k % len(known)]: fields for k, fields in followups}
            if named:
                lines.append("updates:")
            for x, fields in named.items():
                lines.append("  - {" + ", ".join([f"action: {x}", *fields]) + "}")
            meeting(day.isoformat(), *lines)(repo)
            render(out, today, internal)
            assert_clean(repo, out, work, today, internal)
            known += [f"{day.isoformat()}/{n}" for n in range(1, len(actions) + 1)]


def test_compiled_snippets_are_kept_used_and_checked(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patch's template snippets (a row, a cell) are compiled once and kept beside the
    compiled templates; the next patch uses them; a damaged one is compiled again; the site
    is a clean build's every time."""
    from jinja2 import Environment

    from tfcli.load import load_config
    from tfcli.site import contexts
    from tfcli.site.writer import check_out

    out = tmp_path / "site"
    render(out)
    meeting("2022-08-05", *PEOPLE)(tracker)
    rebuilt(tracker, out, tmp_path)
    config = load_config()[0]
    folder = contexts.folder(config, check_out(out, config))
    kept = sorted(folder.glob("jinja-*"))
    assert len(kept) > 10  # three templates and the snippets
    compiled: list[str] = []
    real = Environment.compile

    def counted(self: Environment, source: object, *args: object, **kw: object) -> object:
        compiled.append(str(source))
        return real(self, source, *args, **kw)  # type: ignore[call-overload]

    def patched(day: str) -> None:
        meeting(day, *PEOPLE)(tracker)
        with monkeypatch.context() as m:
            m.setattr(Environment, "compile", counted)
            assert not render(out).loaded
        assert_clean(tracker, out, tmp_path)

    patched("2022-08-19")
    assert compiled == []
    for f in folder.glob("jinja-*"):
        f.write_bytes(f.read_bytes()[:-9])  # damaged: cut short
    patched("2022-09-02")
    assert len(compiled) == len(kept)


@pytest.mark.parametrize("due", ["2022-13-45", "31/10/2022"])
def test_a_follow_up_with_only_an_invalid_due_rebuilds_as_a_clean_build(
    tracker: Path, tmp_path: Path, due: str
) -> None:
    """A follow-up whose only line is a `due:` in error (a file with problems, which no
    rebuild path patches from): the site is a clean build's."""
    out = tmp_path / "site"
    render(out)
    meeting("2022-08-05", "updates:", "  - action: 2022-07-22/1", f"    due: {due}")(tracker)
    assert rebuilt(tracker, out, tmp_path, by=None).loaded


def test_a_row_is_compared_with_its_file_without_a_parse_when_keyed_by_its_front(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """added._same: a row keyed by the file's front matter (`F`) is the file's when the front
    matter, where the body starts and the body are the same, with no YAML parse; anything
    else is not (and a row keyed by the meeting (`M`) is compared by the meeting read)."""
    from tfcli import load
    from tfcli.load import load_config, read_meeting
    from tfcli.site import added
    from tfcli.site.patch import _body_digest, _front_digest, _meeting_digest

    config, _ = load_config()
    path = minutes(tracker, THIRD)
    data = path.read_bytes()
    m = read_meeting(path, config, [], data)
    assert m is not None
    front = _front_digest(data)
    assert front is not None
    by_front = (str(path), None, front, _body_digest(m), True)
    by_meeting = (str(path), None, _meeting_digest(m), _body_digest(m), True)
    parsed: list[Path] = []
    monkeypatch.setattr(load, "read_meeting", lambda p, *a: parsed.append(p) or read_meeting(p, *a))
    assert added._same(config, by_front) and not parsed
    assert added._same(config, by_meeting) and parsed == [path]
    assert not added._same(config, (*by_front[:4], False))  # not clean when recorded
    for was, now in [
        ("    due: 2022-08-05\n", "    due: 2022-08-06\n"),  # the front matter
        ("To be written.", "To be Written."),  # the body
        ("---\n", "---\n\n"),  # where the front matter starts (a blank line first)
    ]:
        path.write_bytes(data.replace(was.encode(), now.encode(), 1))
        assert path.read_bytes() != data
        assert not added._same(config, by_front) and not added._same(config, by_meeting)
    path.write_bytes(b"no front matter")
    assert not added._same(config, by_front) and not added._same(config, by_meeting)
    path.unlink()
    assert not added._same(config, by_front) and not added._same(config, by_meeting)
    path.write_bytes(data)
    assert added._same(config, by_front) and added._same(config, by_meeting)


@pytest.mark.parametrize("internal", [False, True])
def test_an_organisations_first_meeting_added(
    tracker: Path, tmp_path: Path, internal: bool
) -> None:
    """people.add_column: an organisation of tf.yml that had attended nothing (its row all
    absent, its page's "No recorded attendance.") and one that had: put in place."""
    seed = minutes(tracker, "2022-06-24-anti-trafficking-task-force.md")
    edit(seed, "    - ADRA Moldova\n", "")
    out = tmp_path / "site"
    render(out, TODAY, internal)
    assert b"ADRA Moldova" in (out / "attendance.html").read_bytes()
    meeting("2022-08-05", "participants:", "  ngos:", "    - ADRA Moldova", "    - La Strada")(
        tracker
    )
    assert not render(out, TODAY, internal).loaded
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    meeting("2022-08-19", "participants:", "  ngos:", "    - ADRA Moldova")(tracker)
    assert not render(out, TODAY, internal).loaded
    assert_clean(tracker, out, tmp_path, TODAY, internal)


def _kept_order(tracker: Path, out: Path) -> tuple[object, ...]:
    """The tracker's kept order (tfcli.site.order) but its build's token."""
    import marshal

    from tfcli.load import load_config
    from tfcli.site import order

    raw = order.file(load_config()[0], out).read_bytes()
    _, data = marshal.loads(raw[16:])
    return tuple(marshal.loads(data))


@pytest.mark.parametrize("due", ["2022-09-01", "2022-07-01"])
def test_the_order_kept_by_a_meeting_added_with_actions_serves_the_next_move(
    tracker: Path, tmp_path: Path, due: str
) -> None:
    """A meeting added with actions keeps the tracker's order once (moves.aggregates, with
    the new file among the published ones), as a full build keeps it; the next rebuild that
    moves an action (its due date changed) takes it, and the site is a clean build's."""
    out = tmp_path / "site"
    render(out, TODAY)
    meeting(
        "2022-08-05",
        "actions:",
        "  - {id: 1, text: Do, owner: IOM, due: 2022-08-20}",
        "  - {id: 2, text: Then, owner: UNHCR, due: 2022-07-30}",
        "updates:",
        "  - {action: 2022-07-22/1, due: 2022-10-01}",
    )(tracker)
    assert not render(out, TODAY).loaded
    kept = _kept_order(tracker, out)
    clean = tmp_path / "clean-site"
    render(clean, TODAY, cache=True)
    assert kept == _kept_order(tracker, clean)
    edit(minutes(tracker, "2022-08-05-added.md"), "due: 2022-08-20", f"due: {due}")
    assert not render(out, TODAY).loaded
    assert_clean(tracker, out, tmp_path, TODAY)
