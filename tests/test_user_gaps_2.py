"""More gaps a coordinator or a CI maintainer met: a tab in the front matter's indentation,
a lone surrogate, an owner written another way than the roster's, two people in one
attendance entry, the usage lines of the commands."""

from __future__ import annotations

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
