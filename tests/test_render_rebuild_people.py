"""A rebuild after who attended a meeting changed (tfcli.site.people, through
tfcli.site.fields): the meeting's page, the attendance matrix's rows and the organisation
pages of those that joined or left are put in place without loading the minutes; an
organisation the site did not know, or one that may lose its page, is a full build. Either way
the site is byte for byte a clean build's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rebuilding import FIELDS, assert_clean, copied, examples, minutes, rebuilt, render
from test_render_cache import FIRST, SECOND, THIRD, TODAY, edit

pytestmark = pytest.mark.usefixtures("quiet_tracker")


def set_participants(path: Path, groups: dict[str, list[str]]) -> None:
    """The file's `participants:` block made `groups` (a group "" is a plain list; none: no
    block), where the old block was, else after `format: 1`."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    block: list[str] = []
    if groups:
        block.append("participants:\n")
        for name, people in groups.items():
            if name:
                block.append(f"  {name}:\n")
            block += [f"{'    ' if name else '  '}- {p}\n" for p in people]
    if "participants:\n" in lines:
        at = lines.index("participants:\n")
        end = at + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        lines[at:end] = block
    else:
        at = lines.index("format: 1\n") + 1
        lines[at:at] = block
    path.write_text("".join(lines), "utf-8")


def joins(name: str, line: str, group: str = "international") -> Callable[[Path], None]:
    """`line` added as the first entry of `group` in `name`'s participants."""

    def change(repo: Path) -> None:
        path = minutes(repo, name)
        if "participants:\n" not in path.read_text("utf-8"):
            set_participants(path, {group: [line]})
        elif f"  {group}:\n" in path.read_text("utf-8"):
            edit(path, f"  {group}:\n", f"  {group}:\n    - {line}\n")
        else:
            edit(path, "participants:\n", f"participants:\n  {group}:\n    - {line}\n")

    return change


def leaves(name: str, line: str) -> Callable[[Path], None]:
    return lambda repo: edit(minutes(repo, name), f"    - {line}\n", "")


def together(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(repo: Path) -> None:
        for c in changes:
            c(repo)

    return change


# Put in place, each step in turn: FIRST lists every organisation of tf.yml; SECOND and THIRD
# list none.
CASES: dict[str, list[Callable[[Path], None]]] = {
    "an organisation joins": [joins(THIRD, "IOM")],
    "one leaves": [leaves(FIRST, "OSCE")],
    "one joins, one leaves": [together(leaves(FIRST, "IOM"), joins(THIRD, "IOM"))],
    "moved to another group": [together(leaves(FIRST, "OSCE"), joins(FIRST, "OSCE", "ngos"))],
    "by a person of it": [together(leaves(FIRST, "OSCE"), joins(FIRST, "Ana Pop (OSCE)"))],
    "by its short name": [leaves(FIRST, "UNHCR"), joins(FIRST, "unhcr"), joins(THIRD, "SC")],
    "as an observer": [joins(SECOND, "{organisation: ILO, as: observer}")],
    "a person of no organisation": [joins(FIRST, "{name: Sara Lind}")],
    "two meetings": [together(joins(THIRD, "IOM"), joins(SECOND, "IOM"), leaves(FIRST, "IOM"))],
    "left and back": [leaves(FIRST, "ILO"), joins(FIRST, "ILO", "government")],
    "with its title": [
        together(joins(THIRD, "OSCE"), lambda r: edit(minutes(r, THIRD), "title: ", "title: New "))
    ],
}


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_who_attended_is_put_in_place_without_loading(
    tracker: Path, tmp_path: Path, case: str, internal: bool
) -> None:
    out = tmp_path / "site"
    render(out, TODAY, internal)
    for change in CASES[case]:
        change(tracker)
        rebuilt(tracker, out, tmp_path, TODAY, internal, FIELDS)


def test_what_it_changes(tracker: Path, tmp_path: Path) -> None:
    """The meetings' pages, the matrix and the pages of who joined and who left."""
    out = tmp_path / "site"
    render(out)
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    leaves(FIRST, "OSCE")(tracker)
    together(leaves(FIRST, "IOM"), joins(FIRST, "IOM", "ngos"))(tracker)  # IOM still attends
    joins(THIRD, "ILO")(tracker)
    assert not render(out).loaded
    changed = sorted(
        str(p.relative_to(out)) for p, data in before.items() if p.read_bytes() != data
    )
    assert changed == [
        "attendance.html",
        "meetings/2022-06-24.html",
        "meetings/2022-07-22.html",
        "organisations/ilo.html",
        "organisations/osce.html",
    ]
    page = (out / "organisations" / "ilo.html").read_bytes()
    assert b"<p>Attended 2 of 3 meetings (67%).</p>" in page
    assert b'<li><a href="../meetings/2022-07-22.html">2022-07-22</a></li>' in page


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize(
    "change",
    [
        joins(FIRST, "Agency Z"),  # never seen: a new page, a new row
        joins(FIRST, "chairs"),  # a role: no organisation of tf.yml, counted as its own
    ],
)
def test_an_organisation_the_site_does_not_know_is_a_full_build(
    tracker: Path, tmp_path: Path, change: Callable[[Path], None], internal: bool
) -> None:
    out = tmp_path / "site"
    render(out, TODAY, internal)
    change(tracker)
    assert render(out, TODAY, internal).loaded
    assert_clean(tracker, out, tmp_path, TODAY, internal)


@pytest.mark.parametrize("internal", [False, True])
def test_an_unknown_organisation_joins_then_leaves(
    tracker: Path, tmp_path: Path, internal: bool
) -> None:
    out = tmp_path / "site"
    render(out, TODAY, internal)
    joins(FIRST, "Agency Z")(tracker)
    assert render(out, TODAY, internal).loaded  # its page and row are new
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    joins(THIRD, "Agency Z")(tracker)
    assert not render(out, TODAY, internal).loaded  # it has its row now
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    leaves(THIRD, "Agency Z")(tracker)
    assert not render(out, TODAY, internal).loaded
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    # Moved from one meeting to another in one build: it never had none.
    together(leaves(FIRST, "Agency Z"), joins(SECOND, "Agency Z"))(tracker)
    assert not render(out, TODAY, internal).loaded
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    leaves(SECOND, "Agency Z")(tracker)
    assert render(out, TODAY, internal).loaded  # its page goes
    assert_clean(tracker, out, tmp_path, TODAY, internal)
    assert not (out / "organisations" / "agency-z.html").exists()


def test_the_attendance_annex_changes_nothing(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out, TODAY, True)
    edit(
        minutes(tracker, FIRST),
        "participants:\n",
        "attendees:\n  UNHCR: [Martina Bogdeva]\nparticipants:\n",
    )
    assert not render(out, TODAY, True).loaded
    assert_clean(tracker, out, tmp_path, TODAY, True)
    assert b"Martina Bogdeva]" not in (out / "meetings" / "2022-06-24.html").read_bytes()


def test_a_matrix_edited_in_the_output_is_a_full_build(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out)
    matrix = out / "attendance.html"
    data = matrix.read_bytes()
    assert b"33% <span" in data
    matrix.write_bytes(data.replace(b"33% <span", b"34% <span", 1))
    joins(THIRD, "IOM")(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)


# -- random edits of who attended, each rebuild compared with a clean build -----------------

POOL = [
    "UNHCR",
    "IOM",
    "OSCE",
    "ILO",
    "La Strada",
    "SC",
    "unodc",
    "Martina Bogdeva (UNHCR)",
    "{name: Sara Lind}",
    "{name: Ana Pop, organisation: ILO, as: observer}",
    "Agency Z",
]
GROUPS = ["government", "international", "ngos"]
Groups = dict[str, list[str]]


def _groups() -> st.SearchStrategy[Groups]:
    return st.dictionaries(
        st.sampled_from(GROUPS),
        st.lists(st.sampled_from(POOL), min_size=1, max_size=4),  # twice: counted once
        max_size=3,
    )


@examples(12)
@given(
    steps=st.lists(
        st.tuples(
            st.lists(
                st.tuples(st.sampled_from([SECOND, THIRD]), _groups()), min_size=1, max_size=2
            ),
            st.sampled_from([TODAY, date(2022, 7, 1)]),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    start_internal=st.booleans(),
)
@example(  # Agency Z moved from one meeting to another in one build: it never had none
    steps=[
        ([(SECOND, {"government": ["UNHCR"], "ngos": ["Agency Z"]})], date(2022, 7, 1), True),
        ([(SECOND, {}), (THIRD, {"government": ["Agency Z"]})], date(2022, 7, 1), True),
    ],
    start_internal=False,
)
def test_random_participant_edits_rebuild_as_a_clean_build(
    tracker: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[list[tuple[str, Groups]], date, bool]],
    start_internal: bool,
) -> None:
    with copied(tracker, monkeypatch, "tf-people-") as work:
        repo = work / "repo"
        out = work / "site"
        render(out, TODAY, start_internal)
        last = (TODAY, start_internal)
        now: dict[str, Groups] = {SECOND: {}, THIRD: {}}
        for changes, today, internal in steps:
            before = any("Agency Z" in ps for g in now.values() for ps in g.values())
            for name, groups in changes:
                set_participants(minutes(repo, name), groups)
                now[name] = groups
            after = any("Agency Z" in ps for g in now.values() for ps in g.values())
            got = render(out, today, internal)
            # Agency Z is the one organisation not in tf.yml: it gets or loses its page.
            assert got.loaded is (last != (today, internal) or before != after)
            last = (today, internal)
            assert_clean(repo, out, work, today, internal)
