"""More gaps a coordinator or a CI maintainer met: a tab in the front matter's indentation,
a lone surrogate, an owner written another way than the roster's, two people in one
attendance entry, the usage lines of the commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Tf

from tfcli import yamlstrict
from tfcli.errors import LoadError

# -- 1. a tab in the indentation ---------------------------------------------------------------

TAB = "replace the tab with spaces: YAML indents with spaces only"


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("chair:\n\tname: X\n", 3, 1),  # libyaml: "found character that cannot start any token"
        ("chair:\n  name: X\n\trole: Y\n", 4, 1),  # libyaml: "... violates indentation"
        ("agenda:\n  - a\n\t- b\n", 4, 1),
        ("chair:\n  name: X\n  \trole: Y\n", 4, 3),
        ("actions:\n  - id: 1\n\t  text: Y\n", 4, 1),
        ("agenda:\n  -\ta\n", 3, 4),
        ("\tdate: 2022-06-24\n", 2, 1),
        ("title: 𝄞 ☃\nchair:\n  name: X\n \t role: Y\n", 5, 2),
    ],
)
def test_a_tab_in_the_indentation_is_named_where_it_is(text: str, line: int, col: int) -> None:
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(text, line_offset=1)  # as in a file: front matter starts on line 2
    got = (e.value.line, e.value.col, e.value.message, e.value.hint)
    assert got == (line, col, "invalid YAML: a tab in the indentation", TAB)


def test_a_tab_inside_a_value_is_text_and_other_token_errors_keep_their_hint() -> None:
    assert yamlstrict.parse("title: a\tb\n").value == {"title": "a\tb"}
    with pytest.raises(LoadError) as e:
        yamlstrict.parse("title: @home\n")
    assert (e.value.col, e.value.hint) == (
        8,
        "indent with spaces, not tabs; quote values starting with @ or `",
    )


def test_tf_check_names_the_tab(tf: Tf, seed_repo: Path) -> None:
    name = "minutes/2022-06-24-anti-trafficking-task-force.md"
    path = seed_repo / name
    text = path.read_text("utf-8")
    assert "\n  - Welcome remarks\n" in text
    path.write_text(text.replace("\n  - Welcome remarks\n", "\n\t- Welcome remarks\n"), "utf-8")
    line = text[: text.index("\n  - Welcome remarks\n")].count("\n") + 2
    r = tf("check", name, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        f"{name}:{line}:1: error [yaml] invalid YAML: a tab in the indentation ({TAB})\n",
    )


# -- a secretary's YAML slips, in their words ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "message", "hint"),
    [
        (
            "text: 'It's done'\n",
            2, 11, "invalid YAML: did not find expected key",
            "an apostrophe inside a text in '...' ends it: double it ('It''s done') or quote "
            'the text with "..."',
        ),
        (
            'actions:\n  - id: 1\n    text: "Share the "draft" plan"\n    owner: IOM\n',
            4, 23, "invalid YAML: did not find expected key",
            'a " inside a text in "..." ends it: write it \\" ("Share the \\"draft\\" plan") '
            "or quote the text with '...'",
        ),
        (
            "participants:\n  - UNHCR\n  -IOM\n",
            4, 3, "invalid YAML: could not find expected ':'",
            "put a space after '-': a list item is written '- IOM'",
        ),
        (
            "agenda:\n  - a\n\u00a0 - b\n",  # pasted from Word or a web page
            4, 1, "invalid YAML: could not find expected ':'",
            "the line starts with U+00A0 (a no-break space), which YAML does not read as "
            "indentation: replace it with plain spaces",
        ),
        # a quoted text with a comment after it is no slip
        (
            "a: 'x' # c\nb: c: d\n",
            3, 5, "invalid YAML: mapping values are not allowed in this context",
            "a value containing ': ' must be quoted",
        ),
    ],
)  # fmt: skip
def test_a_quote_inside_a_quoted_text_or_a_dash_without_space_is_named(
    text: str, line: int, col: int, message: str, hint: str
) -> None:
    # libyaml's hint was "check the indentation ..." and "each line of a mapping needs
    # 'key: value'".
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(text, line_offset=1)
    assert (e.value.line, e.value.col, e.value.message, e.value.hint) == (line, col, message, hint)


# -- 4. a lone surrogate ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["title: \ud800\n", 'title: "a\udfffb"\n', "a: 1\n\ud800: 2\n"])
def test_a_lone_surrogate_is_a_problem_not_a_traceback(text: str) -> None:
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(text, line_offset=1)
    at = text.index(next(c for c in text if 0xD800 <= ord(c) <= 0xDFFF))
    line = text.count("\n", 0, at) + 2
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    code = ord(text[at])
    assert (e.value.rule, e.value.line, e.value.col, e.value.message, e.value.hint) == (
        "yaml",
        line,
        col,
        f"character U+{code:04X} is not allowed in YAML (a lone surrogate)",
        "remove it: half of a character pair, left by a broken copy or conversion",
    )
    with pytest.raises(LoadError):  # the event parser alone, too
        yamlstrict.parse_events(text)


# -- 2. --owner written another way than the roster's -----------------------------------------

NOBODY = "tf: --owner '{}' is no organisation or role in tf.yml and owns no action"


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("I.O.M.", "'IOM'"),  # dots, spaces and case
        ("People-in-Need", "'People in Need' (PIN)"),
        ("MLSP.", "'MLSP' (Ministry of Labour and Social Protection)"),  # a short name
        ("International Organization for Migration", "'IOM'"),  # the name the initials stand for
        ("Organization for Security and Co-operation in Europe", "'OSCE'"),
        (
            "ministry of labour",
            "'Ministry of Labour and Social Protection' (MLSP)",
        ),  # was: Education
        ("la strada moldova", "'La Strada'"),  # was: 'ADRA Moldova'
        ("Border Police", "'Border Police General Inspectorate' (BPGI)"),
        ("Moldova", "'ADRA Moldova' (ADRA) or 'IRC Moldova' (IRC)"),
        ("State Chancelery", "'State Chancellery' (SC)"),  # spelling, as before
        ("UNHRC", "'UNHCR'"),
        ("chair", "'chairs'"),
    ],
)
def test_an_owner_written_otherwise_is_offered_the_rosters_names(
    tf: Tf, query: str, meant: str
) -> None:
    r = tf("actions", "--owner", query, "--overdue", "--exit-code", "--today", "2022-07-09")
    assert (r.code, r.out, r.err) == (2, "", NOBODY.format(query) + f"; did you mean {meant}?\n")


def test_an_owner_with_nothing_near_gets_no_guess(tf: Tf) -> None:
    for query in ("xyz", "of"):
        r = tf("actions", "--owner", query)
        assert (r.code, r.err) == (2, NOBODY.format(query) + "\n")


def test_initials_of_an_owner_of_the_minutes_outside_the_roster(tf: Tf, tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("format: 1\ngroup: G\nminutes: minutes\n", "utf-8")
    (tmp_path / "minutes" / "2022-06-24-g.md").write_text(
        "---\nformat: 1\ndate: 2022-06-24\ntitle: G\nactions:\n  - id: 1\n    text: Plan\n"
        "    owner: UNHCR\n    due: 2022-07-08\n---\n",
        "utf-8",
    )
    r = tf("actions", "--owner", "United Nations High Commissioner for Refugees", cwd=tmp_path)
    assert (r.code, r.err) == (
        2,
        "tf: --owner 'United Nations High Commissioner for Refugees' owns no action; "
        "did you mean 'UNHCR'?\n",
    )


def test_tf_check_offers_the_rosters_name_for_an_owner_in_part(tf: Tf, seed_repo: Path) -> None:
    name = "minutes/2022-06-24-anti-trafficking-task-force.md"
    path = seed_repo / name
    text = path.read_text("utf-8")
    assert text.count("    owner: chairs\n") == 2
    path.write_text(text.replace("    owner: chairs\n", "    owner: Ministry of Labour\n", 1))
    r = tf("check", name, cwd=seed_repo)
    (line,) = [x for x in r.out.splitlines() if "[owner]" in x]
    assert line.split(": warning ")[1] == (
        "[owner] owner 'Ministry of Labour' of action 2022-06-24/1 is not in the roster of tf.yml "
        "(did you mean 'Ministry of Labour and Social Protection' (MLSP)?)"
    )


# -- 3. two people in one entry of participants or regrets ------------------------------------

ATTENDANCE = """---
format: 1
date: 2022-07-08
title: Anti-Trafficking Task Force
participants:
  government:
    - State Chancellery
    - Ministry of Labour and Social Protection
    - Ana Popescu (State Chancellery), Ion Rusu (MLSP)
  international:
    - UNHCR, IOM
    - {name: "Maria de la Cruz and Diana Donoaga-Certan", organisation: IOM}
    - Centre of Assistance and Protection of Victims and Potential Victims of Trafficking
regrets:
  - Ana Popescu; Ion Rusu
  - La Strada
  - Ana Popescu, UNHCR
---
"""


def test_two_people_in_one_attendance_entry_are_named(tf: Tf, seed_repo: Path) -> None:
    name = "minutes/2022-07-08-anti-trafficking-task-force.md"
    (seed_repo / name).write_text(ATTENDANCE, "utf-8")
    r = tf("check", "--today", "2022-07-09", name, cwd=seed_repo)
    each = "takes one person or organisation per entry, but"
    assert (r.code, r.out) == (
        0,
        f"{name}:9:7: warning [one-person] 'participants' {each} 'Ana Popescu (State "
        "Chancellery), Ion Rusu (MLSP)' names 2 (give each an entry of their own under "
        "'participants': '- Ana Popescu (State Chancellery)', '- Ion Rusu (MLSP)')\n"
        # organisations only: the roster's rule, with the entries to write (was: "did you
        # mean 'UNHCR'?")
        f"{name}:11:7: warning [roster] 'UNHCR, IOM' in participants is not an organisation "
        "of the roster of tf.yml (give each an entry of their own under 'participants': "
        "'- UNHCR', '- IOM')\n"
        f"{name}:12:14: warning [one-person] 'participants' {each} 'Maria de la Cruz and "
        "Diana Donoaga-Certan' names 2 (give each an entry of their own under 'participants': "
        "'- Maria de la Cruz', '- Diana Donoaga-Certan')\n"
        # once: not also "[roster] 'Ana Popescu; Ion Rusu' ... is not an organisation"
        f"{name}:15:5: warning [one-person] 'regrets' {each} 'Ana Popescu; Ion Rusu' names 2 "
        "(give each an entry of their own under 'regrets': '- Ana Popescu', '- Ion Rusu')\n"
        f"{name}:17:5: warning [one-person] 'regrets' {each} 'Ana Popescu, UNHCR' names 2 "
        "(give each an entry of their own under 'regrets': '- Ana Popescu', '- UNHCR')\n",
    )


def test_the_seed_meetings_attendance_is_no_list_of_people(tf: Tf) -> None:
    # The participants as the seed's Word table lists them: organisations, with "and" and
    # commas in their names.
    r = tf("check", "--strict")
    assert (r.code, r.out) == (0, "")


# -- 5. the usage lines --------------------------------------------------------------------


def _command_names() -> list[str]:
    import typer

    from tfcli.cli import app

    out: list[str] = []

    def walk(prefix: str, cmd: object) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            out.append(f"{prefix} {name}".strip())
            walk(f"{prefix} {name}", sub)

    walk("", typer.main.get_command(app))
    return out


# `[OPTIONS]`, then each argument in capitals: `ID`, `[DIR]`, `[PATHS]...`, `DATE|ID|PATH`.
USAGE = re.compile(
    r"Usage: tf [a-z -]+ \[OPTIONS\](?: COMMAND \[ARGS\]\.\.\.| \[?[A-Z|-]+\]?(?:\.\.\.)?)*"
)


@pytest.mark.parametrize("name", _command_names())
def test_every_usage_line_names_its_arguments_in_capitals(tf: Tf, name: str) -> None:
    r = tf(*name.split(), "--help")
    usage = r.out.splitlines()[0]
    assert usage.startswith(f"Usage: tf {name} ") and USAGE.fullmatch(usage), usage


def test_check_and_completion_name_their_arguments_as_the_docs_do(tf: Tf) -> None:
    assert tf("check", "--help").out.splitlines()[0] == "Usage: tf check [OPTIONS] [PATHS]..."
    assert tf("completion", "--help").out.splitlines()[0] == "Usage: tf completion [OPTIONS] SHELL"
    r = tf("completion")
    assert (r.code, r.err.splitlines()[-1]) == (2, "Error: Missing argument 'SHELL'.")


@pytest.mark.parametrize("name", ["", *_command_names()])
def test_every_option_names_its_value_in_capitals(tf: Tf, name: str) -> None:
    # Typer's own names were `--title <str>`, `--jobs <int range>`, `--repo <directory>`.
    r = tf(*name.split(), "--help")
    assert not re.findall(r"--[a-z-]+ <", r.out), r.out


# -- 6. what a new user met ------------------------------------------------------------------

NO_ROSTER = """---
format: 1
date: 2026-12-10
title: Task force
participants:
  - UNHCR, IOM
  - Marks and Spencer
  - AT&T
actions:
  - id: 1
    text: Book the room
    owner: UNHCR and IOM
    due: 2026-12-18
  - id: 2
    text: Call
    owner: R&D
    due: 2026-12-18
---
"""


def test_without_a_roster_acronyms_in_one_text_are_several_owners(tf: Tf, tmp_path: Path) -> None:
    # Without organisations in tf.yml (as `tf init` writes it) nothing said that
    # `owner: UNHCR and IOM` is one owner, with a page of its own on the site.
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("format: 1\ngroup: Task force\nminutes: minutes\n")
    name = "minutes/2026-12-10-task-force.md"
    (tmp_path / name).write_text(NO_ROSTER, "utf-8")
    r = tf("check", "--today", "2026-11-29", cwd=tmp_path)
    assert (r.code, r.out) == (
        0,
        f"{name}:6:5: warning [one-person] 'participants' takes one person or organisation per "
        "entry, but 'UNHCR, IOM' names 2 (give each an entry of their own under "
        "'participants': '- UNHCR', '- IOM')\n"
        f"{name}:12:12: warning [one-person] 'owner' takes one person or organisation per "
        "entry, but 'UNHCR and IOM' names 2 (write a list, one entry each: owner: "
        "[UNHCR, IOM])\n",
    )


def test_errors_left_in_the_minutes_are_counted_without_a_more_before_nothing(
    tf: Tf, tmp_path: Path
) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("format: 1\ngroup: Task force\nminutes: minutes\n")
    text = NO_ROSTER.replace("due: 2026-12-18", "due: 15 December", 1)
    (tmp_path / "minutes" / "2026-12-10-task-force.md").write_text(text, "utf-8")
    r = tf("actions", "--today", "2026-11-29", cwd=tmp_path)
    assert r.err.splitlines()[0] == (
        "tf: warning: 1 error in 1 file, used as read: minutes/2026-12-10-task-force.md; "
        "run 'tf check'"
    )


SHOWN = """---
format: 1
date: 2026-12-10
title: Task force
actions:
  - id: 1
    text: Share the guide
    owner: IOM
    due: end of next week
  - id: 2
    text: Book the room
    owner: IOM
    due: after the summer
  - id: 3
    text: Call
    owner: IOM
next_meeting:
  agenda: []
---
"""


def test_show_says_each_deadline_as_written_and_no_empty_next_meeting(
    tf: Tf, tmp_path: Path
) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("format: 1\ngroup: Task force\nminutes: minutes\n")
    (tmp_path / "minutes" / "2026-12-10-task-force.md").write_text(SHOWN, "utf-8")
    r = tf("show", "2026-12-10", "--today", "2026-11-29", cwd=tmp_path)
    assert r.out.split("\nActions\n")[1] == (
        "  2026-12-10/1  [open]  due end of next week (2026-12-18) (in 19 days)  owner: IOM\n"
        "      Share the guide\n"
        "  2026-12-10/2  [open]  due after the summer  owner: IOM\n"  # was: due no due date
        "      Book the room\n"
        "  2026-12-10/3  [open]  no due date  owner: IOM\n"  # was: due no due date
        "      Call\n"  # and no "Next meeting" heading with nothing under it
    )


def test_init_in_a_clone_does_not_say_git_init(tf: Tf, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a clone of a new GitHub repository
    r = tf("init", "--no-input", "--today", "2026-11-29", cwd=tmp_path)
    assert (r.code, r.err.splitlines()[-1]) == (
        0,
        "tf init: created 7 files in .; next: 'tf check', then commit (docs/init.md)",
    )
    new = tmp_path / "new"
    r = tf("init", "--no-input", "--today", "2026-11-29", "new", cwd=tmp_path)
    assert r.err.splitlines()[-1].endswith("; next: 'tf check', then commit (docs/init.md)")
    assert (new / "tf.yml").exists()


def test_an_action_named_by_its_short_id_alone_is_told_the_full_form(
    tf: Tf, tmp_path: Path
) -> None:
    r = tf("actions", "done", "7")
    assert (r.code, r.err) == (
        2,
        "tf: no action '7' (an action's id is its meeting's date, '/' and its id, e.g. "
        "2022-06-24/1; see 'tf actions --all')\n",
    )
    tf("init", "--no-input", "--today", "2026-11-29", cwd=tmp_path)
    r = tf("actions", "done", "1", cwd=tmp_path)
    assert (r.code, r.err) == (
        2,
        "tf: no action '1' (the minutes have no action points yet: a meeting lists them under "
        "'actions:')\n",
    )


@pytest.mark.parametrize(
    ("first", "hint"),
    [
        (" ---", "remove the spaces before the '---' of line 1"),
        (
            "\u2014",  # Word's autocorrect of ---
            "line 1 is '\u2014', a dash a word processor made of '---': write three hyphens "
            "'---' (and so on the closing line)",
        ),
        (
            "title: x",
            "the first line must be '---', followed by 'date: YYYY-MM-DD' and a closing '---'",
        ),
    ],
)
def test_a_first_line_that_is_almost_the_opening_dashes_says_what_to_change(
    tf: Tf, seed_repo: Path, first: str, hint: str
) -> None:
    name = "minutes/2022-07-08-x.md"
    (seed_repo / name).write_text(f"{first}\ndate: 2022-07-08\ntitle: X\n---\n", "utf-8")
    r = tf("check", name, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        f"{name}:1:1: error [front-matter] file does not start with front matter ({hint})\n",
    )


INITIALS_TF = """format: 1
group: Task force
minutes: minutes
organisations:
  - name: UNHCR
  - name: International Organization for Migration
"""
INITIALS = """---
format: 1
date: 2026-12-03
title: Task force
participants:
  - UNHCR
  - IOM
actions:
  - id: 1
    text: Share the guide
    owner: IOM
    due: 2026-12-10
---
"""


def test_initials_of_a_roster_name_without_a_short_name_get_the_short_to_add(
    tf: Tf, tmp_path: Path
) -> None:
    # `tf init --org 'International Organization for Migration'` writes no short name; the
    # minutes say IOM.
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text(INITIALS_TF, "utf-8")
    name = "minutes/2026-12-03-task-force.md"
    (tmp_path / name).write_text(INITIALS, "utf-8")
    r = tf("check", "--today", "2026-11-29", cwd=tmp_path)
    add = "(if it is 'International Organization for Migration', give that 'short: IOM' in tf.yml)"
    assert (r.code, r.out) == (
        0,
        f"{name}:7:5: warning [roster] 'IOM' in participants is not an organisation of the "
        f"roster of tf.yml {add}\n"
        f"{name}:11:12: warning [owner] owner 'IOM' of action 2026-12-03/1 is not in the "
        f"roster of tf.yml {add}\n",
    )
