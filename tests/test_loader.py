"""The strict loader: a test per YAML trap, the splitter's edge cases, and a property test that
nothing but our own error type ever escapes, whatever the bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfcli import frontmatter, yamlstrict
from tfcli.errors import LoadError
from tfcli.load import read_meeting
from tfcli.model import Config, Meeting, Problem


def load(tmp_path: Path, text: str | bytes) -> tuple[Meeting | None, list[Problem]]:
    path = tmp_path / "2022-06-24-x.md"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    problems: list[Problem] = []
    return read_meeting(path, Config(root=tmp_path), problems), problems


def messages(problems: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.col, p.rule, p.message) for p in problems]


# -- YAML traps: each value stays what the person wrote ------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("time: 10:00", "10:00"),  # YAML 1.1 sexagesimal would give 600
        ("x: 1:30:00", "1:30:00"),
        ("x: NO", "NO"),  # Norway, not False
        ("x: yes", "yes"),
        ("x: off", "off"),
        ("x: On", "On"),
        ("x: 012", "012"),  # YAML 1.1 octal would give 10
        ("x: 0x1F", "0x1F"),
        ("x: 1_000", "1_000"),
        ("x: 2022-07-08", "2022-07-08"),  # text until the schema parses it
        ("x: .inf", ".inf"),
        ("x: true", True),
        ("x: false", False),
        ("x: 12", 12),
        ("x: ~", None),
        ("x: '10:00'", "10:00"),
    ],
)
def test_scalars_resolve_without_yaml_11_traps(yaml_text: str, expected: object) -> None:
    value = yamlstrict.parse(yaml_text).value
    assert list(value.values()) == [expected]
    assert type(next(iter(value.values()))) is type(expected)


def test_time_trap_end_to_end(tmp_path: Path) -> None:
    m, problems = load(tmp_path, "---\ndate: 2022-06-24\ntime: 10:00\nlocation: NO\n---\n")
    assert problems == []
    assert m is not None and (m.time, m.location) == ("10:00", "NO")


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ("2022-02-30", "'2022-02-30' is not a real date", "check day and month"),
        ("2022-7-8", "'date' is '2022-7-8', not a date in YYYY-MM-DD form", "write 2022-07-08"),
        ("8 July 2022", "'date' is '8 July 2022', not a date in YYYY-MM-DD form", "write 2022-07-08"),
        (
            "08.07.2022",
            "'date' is '08.07.2022', not a date in YYYY-MM-DD form",
            "write 2022-07-08 if it is 8 July, day first; 2022-08-07 if it is 7 August, month first",
        ),
        ("13.07.2022", "'date' is '13.07.2022', not a date in YYYY-MM-DD form", "write 2022-07-13"),
        ("07/13/2022", "'date' is '07/13/2022', not a date in YYYY-MM-DD form", "write 2022-07-13"),
        ("soon", "'date' is 'soon', not a date in YYYY-MM-DD form",
         "write it as YYYY-MM-DD, e.g. 2022-07-08"),
    ],
)  # fmt: skip
def test_dates_are_parsed_explicitly(tmp_path: Path, value: str, message: str, hint: str) -> None:
    m, problems = load(tmp_path, f"---\ndate: {value}\n---\n")
    assert m is None
    assert [(p.line, p.rule, p.message, p.hint) for p in problems] == [(2, "date", message, hint)]


def test_relative_date_hint_uses_the_meeting_year(tmp_path: Path) -> None:
    text = "---\ndate: 2022-06-24\nactions:\n  - {id: 1, text: t, owner: o, due: 8 July}\n---\n"
    _, problems = load(tmp_path, text)
    assert [(p.line, p.hint) for p in problems] == [(4, "write 2022-07-08")]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 4, 1, "duplicate key 'a' (lines 2 and 4)"),
        ("a: &x 1\nb: *x\n", 2, 4, "anchor '&x' is not allowed"),
        ("a: *x\n", 2, 4, "alias '*x' is not allowed"),
        ("a:\n  <<: {b: 1}\n", 3, 3, "merge key '<<' is not allowed"),
        ("a: !!str 1\n", 2, 4, "tag '!!str' is not allowed"),
        ("a: !custom x\n", 2, 4, "tag '!custom' is not allowed"),
        # As written, not as libyaml expands it ('tag:yaml.org,2002:python/object:os.system').
        (
            "a: !!python/object:os.system {}\n",
            2,
            4,
            "tag '!!python/object:os.system' is not allowed",
        ),
        ("a: !<tag:example.org,2026:x> 1\n", 2, 4, "tag 'tag:example.org,2026:x' is not allowed"),
        ("1: x\n", 2, 1, "key '1' is not text"),
        ("true: x\n", 2, 1, "key 'true' is not text"),
        ("? [a]\n: x\n", 2, 3, "keys must be plain text"),
        ("a: 1\n---\nb: 2\n", 3, 1, "more than one YAML document"),
    ],
)
def test_rejected_constructs_are_located(text: str, line: int, col: int, message: str) -> None:
    with pytest.raises(LoadError) as e:
        yamlstrict.parse(text, line_offset=1)
    assert (e.value.line, e.value.col, e.value.message) == (line, col, message)


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(LoadError, match="anchor '&a' is not allowed"):
        yamlstrict.parse(bomb)


def test_nesting_limit() -> None:
    deep = "a: " + "[" * 40 + "]" * 40
    with pytest.raises(LoadError, match="nested more than 16 levels deep") as e:
        yamlstrict.parse(deep)
    hint = "lists and mappings in minutes nest at most 16 levels deep: remove the extra levels or brackets"
    assert e.value.hint == hint
    # libyaml's own limit (1,000 open brackets) is met before ours: the same hint
    with pytest.raises(LoadError) as e:
        yamlstrict.parse("a: " + "[" * 1100 + "]" * 1100)
    assert (e.value.message, e.value.hint) == ("invalid YAML: exceeded maximum nesting depth", hint)


def test_value_count_limit() -> None:
    many = "a: [" + ", ".join(["1"] * (yamlstrict.MAX_VALUES + 1)) + "]"
    with pytest.raises(LoadError, match="more than 20000 values"):
        yamlstrict.parse(many)


def test_every_value_has_a_position() -> None:
    tree = yamlstrict.parse("date: 2022-06-24\nactions:\n  - id: 1\n    due: 2022-07-08\n", 1)
    assert tree.spans[("date",)].line == 2
    assert (tree.spans[("actions", 0, "due")].line, tree.spans[("actions", 0, "due")].col) == (
        5,
        10,
    )
    assert tree.key_spans[("actions", 0, "due")].col == 5


# -- the splitter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "rule", "message"),
    [
        (b"# no front matter\n", "front-matter", "file does not start with front matter"),
        (b"", "front-matter", "file does not start with front matter"),
        (b"---\ndate: 2022-06-24\n", "front-matter", "front matter opened on line 1 is never closed"),
        (b"---\n---\nbody", "front-matter", "front matter must be a mapping of 'key: value' lines"),
        (b"---\n- a\n---\n", "front-matter", "front matter must be a mapping of 'key: value' lines"),
        (b"---\njust text\n---\n", "front-matter", "front matter must be a mapping of 'key: value' lines"),
        (b"\xff\xfe-\x00", "encoding", "file is UTF-16"),
        (b"---\ntitle: caf\xe9\n---\n", "encoding", "byte 0xe9 is not valid UTF-8"),
        (b"---\na: \x00\n---\n", "encoding", "file contains NUL bytes (binary file?)"),
    ],
)  # fmt: skip
def test_unreadable_files(tmp_path: Path, data: bytes, rule: str, message: str) -> None:
    m, problems = load(tmp_path, data)
    assert m is None
    assert [(p.rule, p.message) for p in problems] == [(rule, message)]


def test_bom_crlf_and_dot_closing_line(tmp_path: Path) -> None:
    m, problems = load(tmp_path, b"\xef\xbb\xbf---\r\ndate: 2022-06-24\r\n...\r\n# Body\r\n")
    assert problems == []
    assert m is not None and m.date == date(2022, 6, 24)
    assert (m.body, m.body_line) == ("# Body\n", 4)


def test_oversized_file_is_refused_without_hiding_others(tmp_path: Path) -> None:
    big = tmp_path / "2022-06-24-big.md"
    big.write_bytes(b"---\ndate: 2022-06-24\n---\n" + b"x" * frontmatter.MAX_FILE_BYTES)
    problems: list[Problem] = []
    assert read_meeting(big, Config(root=tmp_path), problems) is None
    assert [(p.rule, p.message) for p in problems] == [
        ("too-large", "file is 2,097,177 bytes, more than the 2,097,152 allowed")
    ]


def test_oversized_front_matter(tmp_path: Path) -> None:
    text = "---\ndate: 2022-06-24\nnote: |\n" + "  x\n" * 70_000 + "---\n"
    _, problems = load(tmp_path, text)
    assert [p.rule for p in problems] == ["too-large"]


def test_unknown_keys_are_kept(tmp_path: Path) -> None:
    m, problems = load(tmp_path, "---\ndate: 2022-06-24\nparticpants: [UNHCR]\n---\n")
    assert m is not None and m.extra == {"particpants": ["UNHCR"]}
    assert [(p.rule, p.hint) for p in problems] == [("unknown-key", "did you mean 'participants'?")]


# -- property: only our own error type escapes ---------------------------------------------

FRONT = st.sampled_from(["---\n", "---\r\n", "\ufeff---\n", ""])
YAMLISH = st.text(
    alphabet=st.sampled_from([*"abc:-[]{}&*!|>'\"#%@`,?~ \n\t0123456789.<", "\x00", "é"]),
    max_size=120,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_meeting_or_problems(tmp_path: Path, data: bytes) -> None:
    m, problems = load(tmp_path, data)
    assert m is not None or problems
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


@settings(max_examples=600, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=FRONT, fm=YAMLISH, close=st.sampled_from(["---", "...", "--", ""]), body=st.text())
def test_any_text_gives_a_meeting_or_problems(
    tmp_path: Path, front: str, fm: str, close: str, body: str
) -> None:
    m, problems = load(tmp_path, f"{front}date: 2022-06-24\n{fm}\n{close}\n{body}")
    assert m is not None or problems


@settings(max_examples=600)
@given(st.text(max_size=200))
def test_yaml_parse_raises_only_load_error(text: str) -> None:
    try:
        yamlstrict.parse(text)
    except LoadError as e:
        assert e.line >= 1 and e.col >= 1 and e.message


def test_control_character_is_located(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "---\ndate: 2022-06-24\ntitle: a\x07b\n---\n")
    assert [(p.line, p.col, p.message) for p in problems] == [
        (3, 9, "character U+0007 is not allowed in YAML (control characters are not allowed)")
    ]
