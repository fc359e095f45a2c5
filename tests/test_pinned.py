"""Behaviour a mutation pass found unpinned (issue 7, point 18): each case here fails when the
code it names is changed or deleted."""
# ruff: noqa: F811  (the fixtures imported from test_actions_cli are parameters here)

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SEED_FILE
from test_actions_cli import Tf, tf  # noqa: F401  (fixtures)

from tfcli import action_change, frontmatter, yamlstrict
from tfcli.actions import Query, select, track
from tfcli.check import check
from tfcli.edit import Document
from tfcli.errors import DataError, LoadError
from tfcli.load import load_repo
from tfcli.paths import display_path
from tfcli.roster import Roster

TODAY = date(2022, 7, 20)


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "minutes" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


# -- YAML: every true/false spelling the strict reader accepts --------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True), ("True", True), ("TRUE", True),
        ("false", False), ("False", False), ("FALSE", False),
        # YAML 1.1 spellings and odd cases stay text
        ("tRUE", "tRUE"), ("yes", "yes"), ("on", "on"), ("No", "No"), ("fALSE", "fALSE"),
    ],
)  # fmt: skip
def test_each_bool_spelling(text: str, value: object) -> None:
    assert yamlstrict.parse(f"x: {text}\n").value == {"x": value}
    assert yamlstrict.resolve_plain(text) == value


def test_endorsed_read_with_each_true_spelling(tmp_path: Path) -> None:
    for i, text in enumerate(("true", "True", "TRUE", "false", "False", "FALSE")):
        write(tmp_path, f"2022-07-{i + 10}.md", f"---\ndate: 2022-07-{i + 10}\nprevious: "
              f"{{meeting: 2022-07-01, endorsed: {text}}}\n---\n")  # fmt: skip
    repo = load_repo(tmp_path)
    endorsed = [m.previous.endorsed for m in repo.meetings if m.previous]
    assert endorsed == [True, True, True, False, False, False]


# -- tf actions done: own minutes a draft, a later approved follow-up moved only the due date --

DRAFT_ACTION = """---
date: 2022-06-24
status: draft
actions:
  - id: 1
    text: Map the hotlines
    owner: IOM
    due: 2022-07-08
---
"""
APPROVED_DUE_ONLY = """---
date: 2022-07-08
status: approved
updates:
  - action: 2022-06-24/1
    due: 2022-07-22
---
"""


def test_done_in_place_past_a_later_follow_up_that_only_moved_the_due_date(
    tf: Tf, tmp_path: Path
) -> None:
    own = write(tmp_path, "2022-06-24.md", DRAFT_ACTION)
    later = write(tmp_path, "2022-07-08.md", APPROVED_DUE_ONLY)
    r = tf("actions", "done", "2022-06-24/1", cwd=tmp_path)
    assert (r.code, r.err) == (
        0,
        "tf actions: 2022-06-24/1: status done, recorded in place: minutes/2022-06-24.md:5\n",
    )
    assert own.read_text() == DRAFT_ACTION.replace("2022-07-08\n", "2022-07-08\n    status: done\n")
    assert later.read_text() == APPROVED_DUE_ONLY
    assert [(t.status, t.due) for t in track(load_repo(tmp_path))] == [("done", date(2022, 7, 22))]
    # the deadline, though, is decided by that follow-up: a change in place is refused
    r = tf("actions", "due", "2022-06-24/1", "2022-09-01", cwd=tmp_path)
    assert r.code == 2 and "would still decide its state" in r.err


# -- owners -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "severity", "rule"),
    [
        ("UNHCR, IOM", "error", "owner"),  # all known: one text that should be a list
        ("UNHCR, Someone Else", "warning", "one-person"),  # and a person: one text, too
        ("Someone, Else", "warning", "owner"),  # one part unknown: an unknown owner
    ],
)
def test_a_comma_owner_with_an_unknown_part_is_a_warning(
    seed_repo: Path, owner: str, severity: str, rule: str
) -> None:
    write(seed_repo, "2022-07-08-x.md", "---\ndate: 2022-07-08\nactions:\n"
          f"  - {{id: 1, text: T, owner: '{owner}', due: 2022-07-22}}\n---\n")  # fmt: skip
    found = [p for p in check(load_repo(seed_repo), TODAY) if p.rule in ("owner", "one-person")]
    assert [(p.line, p.severity.value, p.rule) for p in found] == [(4, severity, rule)]


def test_owner_role_does_not_match_name_with_the_role_in_brackets(seed_repo: Path) -> None:
    """`--owner chairs` lists what `chairs` owns; `Ana (chairs)` is a person named Ana of an
    organisation called `chairs` (docs/actions.md, Owners), so it is not listed."""
    write(seed_repo, "2022-07-08-x.md", "---\ndate: 2022-07-08\nactions:\n"
          "  - {id: 1, text: T, owner: Ana (chairs), due: 2022-07-22}\n---\n")  # fmt: skip
    repo = load_repo(seed_repo)
    roster = Roster(repo.config)
    listed = [t.id for t in select(track(repo), Query(owner="chairs"), roster, TODAY)]
    assert listed == ["2022-06-24/1", "2022-06-24/2"]
    assert [t.id for t in select(track(repo), Query(owner="Ana"), roster, TODAY)] == [
        "2022-07-08/1"
    ]


# -- byte-preserving edits --------------------------------------------------------------------


def test_an_edit_in_a_file_mixing_crlf_and_lf_keeps_every_line_ending(tmp_path: Path) -> None:
    src = (
        "---\r\n"
        "date: 2022-07-08\n"
        "updates:\r\n"
        "  - action: 2022-06-24/1\n"
        "    status: open\r\n"
        "  - action: 2022-06-24/2\r\n"
        "    note: x\n"
        "title: T\r\n"
        "---\n"
        "Body\r\n"
    )
    doc = Document(tmp_path / "m.md", src.encode())
    doc.set_keys(("updates", 0), {"status": "done"})
    doc.append_update({"action": "2022-06-24/3", "status": "done"})
    out = doc.render().decode()
    assert out == src.replace("status: open\r\n", "status: done\r\n").replace(
        "    note: x\n", "    note: x\n  - action: 2022-06-24/3\n    status: done\n"
    )


@pytest.mark.parametrize("blank", ["", "\n", "\n\n"])
def test_a_follow_up_goes_after_a_note_block_directly_followed_by_a_key(blank: str) -> None:
    src = (
        "---\ndate: 2022-07-08\nupdates:\n  - action: 2022-06-24/1\n    note: |\n"
        f"      line one\n      line two\n{blank}actions: []\n---\n"
    )
    doc = Document(Path("m.md"), src.encode())
    doc.append_update({"action": "2022-06-24/2", "status": "done"})
    assert doc.render().decode() == src.replace(
        "line two\n", "line two\n  - action: 2022-06-24/2\n    status: done\n"
    )


# -- check rules at their edges ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "warned"),
    [(date(2022, 7, 7), True), (date(2022, 7, 8), False), (date(2022, 7, 9), False)],
)
def test_future_approved_on_the_meeting_day_itself(
    tmp_path: Path, today: date, warned: bool
) -> None:
    write(tmp_path, "2022-07-08.md", "---\ndate: 2022-07-08\nstatus: approved\n---\n")
    found = [p.line for p in check(load_repo(tmp_path), today) if p.rule == "future-approved"]
    assert found == ([3] if warned else [])


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("minutes.md", "2022-07-08-minutes.md"),  # 1 part
        ("july-minutes.md", "2022-07-08-july-minutes.md"),  # 2
        ("2022-07-09.md", "2022-07-08.md"),  # 3, a date: nothing to keep
        ("a-b-c.md", "2022-07-08-a-b-c.md"),
        ("2022-07-09-tf.md", "2022-07-08-tf.md"),  # 4, the date replaced
        ("x-2022-07-09.md", "2022-07-08-x-2022-07-09.md"),
        ("2022-07-09-tf-meeting.md", "2022-07-08-tf-meeting.md"),  # 5
        ("2022-7-9-tf-meeting-b.md", "2022-07-08-tf-meeting-b.md"),  # 6
        ("2022-07-09x-tf-meeting-b-c.md", "2022-07-08-2022-07-09x-tf-meeting-b-c.md"),
    ],
)
def test_rename_hint_for_file_names_of_one_to_six_parts(
    tmp_path: Path, name: str, hint: str
) -> None:
    write(tmp_path, name, "---\ndate: 2022-07-08\n---\n")
    (p,) = [p for p in check(load_repo(tmp_path), TODAY) if p.rule == "filename-date"]
    assert (p.line, p.hint) == (2, f"rename it to {hint}")


# -- YAML error hints, with their exact lines -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "message", "hint"),
    [
        (
            "date: 2022-06-24\nagenda: [a, b\ntitle: x\n",
            4, 6, "invalid YAML: did not find expected ',' or ']'",
            "separate items with ',' and close the list or mapping opened on line 3",
        ),
        (
            "date: 2022-06-24\n\nchair: {name: a\n  x: y\ntitle: t\n",
            5, 4, "invalid YAML: did not find expected ',' or '}'",
            "separate items with ',' and close the list or mapping opened on line 4",
        ),
        (
            "date: 2022-06-24\nactions:\n  - id: 1\n   text: x\n",
            5, 4, "invalid YAML: did not find expected '-' indicator",
            "check the indentation: the items of one list or mapping must line up",
        ),
        (
            "a:\n  - x\n - y\n",
            4, 2, "invalid YAML: did not find expected key",
            "check the indentation: the items of one list or mapping must line up",
        ),
        # the line without ':' itself, not where the next token starts (fixed: was line 5)
        (
            "date: 2022-06-24\ntitle: x\njust some words\nb: 1\n",
            4, 1, "invalid YAML: could not find expected ':'",
            "each line of a mapping needs 'key: value'",
        ),
        (
            "a: 1\nfoo\n\n\n# c\nb: 2\n",
            3, 1, "invalid YAML: could not find expected ':'",
            "each line of a mapping needs 'key: value'",
        ),
        (
            "title: a: b\n",
            2, 9, "invalid YAML: mapping values are not allowed in this context",
            "a value containing ': ' must be quoted",
        ),
        (
            "a:\n\t- x\n",
            3, 1, "invalid YAML: a tab in the indentation",
            "replace the tab with spaces: YAML indents with spaces only",
        ),
        (
            "a: 'abc\nb: 1\n",
            2, 4, "invalid YAML: a quoted text is never closed",
            "close the quote or bracket opened here",
        ),
    ],
)  # fmt: skip
def test_yaml_error_hints_and_lines(
    text: str, line: int, col: int, message: str, hint: str
) -> None:
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(text, line_offset=1)  # as in a file: front matter starts on line 2
    assert (e.value.line, e.value.col, e.value.message, e.value.hint) == (line, col, message, hint)


def test_yaml_error_line_in_tf_check(tmp_path: Path) -> None:
    write(tmp_path, "2022-06-24.md", "---\ndate: 2022-06-24\ntitle: x\njust words\n\nb: 1\n---\n")
    (p,) = check(load_repo(tmp_path), TODAY)
    assert (p.rule, p.line, p.col) == ("yaml", 4, 1)


# -- limits at their exact edges --------------------------------------------------------------


def nested(levels: int) -> str:
    """A front matter nested `levels` deep: the root mapping, then lists."""
    return "x: " + "[" * (levels - 1) + "1" + "]" * (levels - 1) + "\n"


def test_nesting_limit_at_its_edge() -> None:
    assert yamlstrict.MAX_DEPTH == 16
    yamlstrict.parse(nested(16))
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(nested(17))
    assert e.value.message == "nested more than 16 levels deep"


def test_value_limit_at_its_edge() -> None:
    # the root mapping and the list count too
    edge = "a: [" + ", ".join(["1"] * (yamlstrict.MAX_VALUES - 2)) + "]\n"
    assert len(yamlstrict.parse(edge).value["a"]) == 19_998
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(edge.replace("[", "[1, ", 1))
    assert e.value.message == "more than 20000 values"


def test_file_size_limit_at_its_edge(tmp_path: Path) -> None:
    head = b"---\ndate: 2022-06-24\n---\n"
    body = b"x" * (frontmatter.MAX_FILE_BYTES - len(head))
    path = write(tmp_path, "2022-06-24.md", head + body)
    assert path.stat().st_size == 2 * 1024 * 1024
    # Read: only too long for the site to format as Markdown (a warning).
    assert [p.rule for p in check(load_repo(tmp_path), TODAY)] == ["body-size"]
    path.write_bytes(head + body + b"x")
    assert [(p.rule, p.message) for p in check(load_repo(tmp_path), TODAY)] == [
        ("too-large", "file is 2,097,153 bytes, more than the 2,097,152 allowed")
    ]


def test_front_matter_size_limit_at_its_edge() -> None:
    # front matter = the lines between the two '---', with their line breaks
    head = "date: 2022-06-24\nnote: "
    fill = "x" * (frontmatter.MAX_FRONT_MATTER_CHARS - len(head) - 1)
    at_edge = f"---\n{head}{fill}\n---\n"
    assert len(frontmatter.split(at_edge).front_matter) == 256 * 1024
    with pytest.raises(LoadError) as e:
        frontmatter.split(at_edge.replace("note: ", "note: x"))
    assert e.value.message == "front matter is 262,145 characters, more than 262,144"


# -- refusals no test reached (deleting them gave a traceback) --------------------------------


@pytest.mark.parametrize("front", ["- a list\n", "just text\n", "~\n"])
def test_edit_refuses_front_matter_that_is_no_mapping(tmp_path: Path, front: str) -> None:
    path = tmp_path / "m.md"
    with pytest.raises(DataError) as e:
        Document(path, f"---\n{front}---\n".encode(), "minutes/m.md")
    assert e.value.message == (
        "tf cannot edit minutes/m.md safely: its front matter is not a mapping; nothing was written"
    )
    assert e.value.hint == "run 'tf check'"


@pytest.mark.parametrize("empty", ["[]", "~", "null"])
def test_updates_with_its_empty_value_on_the_next_line_is_refused(
    tf: Tf, seed_repo: Path, empty: str
) -> None:
    text = f"---\ndate: 2022-07-08\nupdates:\n  {empty}\n---\n"
    path = write(seed_repo, "2022-07-08-x.md", text)
    r = tf("actions", "done", "2022-06-24/1", cwd=seed_repo)
    assert (r.code, r.err) == (
        3,
        "tf: tf cannot edit minutes/2022-07-08-x.md safely: 'updates:' has its empty value on "
        "another line; nothing was written (edit by hand)\n",
    )
    assert path.read_text() == text


def test_an_action_that_vanished_on_disk_is_refused(seed_repo: Path) -> None:
    """Loaded, then removed from the file (an editor saving, a git pull) before the edit."""
    repo = load_repo(seed_repo)
    path = seed_repo / "minutes" / SEED_FILE
    text = path.read_text(encoding="utf-8")
    gone = text.replace("  - id: 1\n", "  - id: 9\n", 1)
    path.write_text(gone, encoding="utf-8")
    change = action_change.Change(status="done")
    with pytest.raises(DataError) as e:
        action_change.record(repo, "2022-06-24/1", change, in_place=True)
    assert (e.value.message, e.value.hint) == (
        f"cannot find action '1' in {display_path(path)} (it changed on disk?)",
        "run 'tf check'",
    )
    assert path.read_text(encoding="utf-8") == gone
