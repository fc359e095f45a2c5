"""The byte-preserving front matter editor: every byte it does not have to touch stays."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tfcli import yamlstrict
from tfcli.edit import Document
from tfcli.errors import DataError
from tfcli.fields import HHMM, ISO_DATE
from tfcli.yamlwrite import yaml_scalar

P = Path("m.md")


def edited(src: str, update: dict[str, str] | None = None, **keys: dict[str, str]) -> str:
    doc = Document(P, src.encode())
    if update is not None:
        doc.append_update(update)
    for index, values in keys.items():
        doc.set_keys(("actions", int(index.lstrip("a"))), values)
    return doc.render().decode()


# -- scalars -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Shared by e-mail on 5 July", "Shared by e-mail on 5 July"),
        ("done", "done"),
        ("2022-07-22", "2022-07-22"),
        ("2022-06-24/1", "2022-06-24/1"),
        ("Trimis în 5 iulie", "Trimis în 5 iulie"),
        ("Sent: 5 July", '"Sent: 5 July"'),
        ("see #4", '"see #4"'),
        ("- not a list", '"- not a list"'),
        ("yes", '"yes"'),  # tf reads it as text, YAML 1.1 readers as true
        ("1e3", '"1e3"'),  # tf reads text, YAML 1.2 readers a float
        ("0x1F", '"0x1F"'),
        ("0o17", '"0o17"'),
        (".inf", '".inf"'),
        ("1_000", '"1_000"'),
        ("10:00", "10:00"),  # the format asks for plain HH:MM; tf reads it as text
        ("a:b", "a:b"),
        ("Emoji 😀 ok", "Emoji 😀 ok"),
        ("true", '"true"'),
        ("null", '"null"'),
        ("12", '"12"'),
        ("1.5", '"1.5"'),
        ("", '""'),
        (" padded ", '" padded "'),
        ('say "hi" \\ bye', 'say "hi" \\ bye'),  # quotes inside plain text are text
        ('"hi" \\ bye', '"\\"hi\\" \\\\ bye"'),
        ("two\nlines\ttab", '"two\\nlines\\ttab"'),
        ("bell\x07 esc\x1b del\x7f nel\x85 ls\u2028 bom\ufeff", None),
        ("[x] {y} &a *b !t |c >d %e @f `g", None),
    ],
)
def test_scalar_is_plain_only_when_safe(text: str, written: str | None) -> None:
    out = yaml_scalar(text)
    if written is not None:
        assert out == written
    assert yamlstrict.parse(f"k: {out}\n").value == {"k": text}
    assert "\x1b" not in out and "\u2028" not in out


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_scalar_round_trips_any_text(text: str) -> None:
    out = yaml_scalar(text)
    assert yamlstrict.parse(f"k: {out}\n").value == {"k": text}
    nested = f"updates:\n  - action: x\n    note: {out}\n"
    assert yamlstrict.parse(nested).value == {"updates": [{"action": "x", "note": text}]}
    if out == text:  # written plain: YAML itself reads that plain scalar, as the same text
        assert yamlstrict.resolve_plain(text) == text
        if not (ISO_DATE.match(text) or HHMM.match(text)):
            assert yaml.safe_load(nested) == {"updates": [{"action": "x", "note": text}]}


@given(st.from_regex(r"[-+.0-9eExXoOa-fA-F_:]{1,8}", fullmatch=True))
def test_number_like_text_round_trips(text: str) -> None:
    out = yaml_scalar(text)
    assert yamlstrict.parse(f"k: {out}\n").value == {"k": text}
    if out == text and not (ISO_DATE.match(text) or HHMM.match(text)):
        assert yaml.safe_load(f"k: {out}\n") == {"k": text}


# -- appending an update -----------------------------------------------------------------------

HEAD = "---\ndate: 2022-07-22  # the meeting\nstatus: draft\n"
BODY = "---\n\n## Item\n\nText: with 'quotes' # and hashes\n"
ENTRY = {"action": "2022-06-24/1", "status": "done", "note": "Sent: 5 July"}
ENTRY_LINES = '  - action: 2022-06-24/1\n    status: done\n    note: "Sent: 5 July"\n'


def test_appends_to_block_list_after_last_item_keeping_comments() -> None:
    src = (
        HEAD + "updates:\n  # follow-ups\n  - action: 2022-06-24/2   # the plan\n"
        "    note: 'kept as written'\n\n# visibility below\nvisibility: public\n" + BODY
    )
    out = edited(src, ENTRY)
    assert out == src.replace("written'\n", "written'\n" + ENTRY_LINES)


def test_appends_matching_zero_indent_and_wide_item_indent() -> None:
    src = HEAD + "updates:\n-   action: 2022-06-24/2\n    status: open\n" + BODY
    out = edited(src, {"action": "2022-06-24/1", "status": "done"})
    assert out == src.replace(
        "status: open\n", "status: open\n-   action: 2022-06-24/1\n    status: done\n"
    )


def test_appends_after_block_scalar_note_not_inside_it() -> None:
    src = (
        HEAD + "updates:\n  - action: 2022-06-24/2\n    note: |\n      long\n      text\n\n" + BODY
    )
    out = edited(src, {"action": "2022-06-24/1", "status": "done"})
    assert out == src.replace(
        "      text\n", "      text\n  - action: 2022-06-24/1\n    status: done\n"
    )


def test_inserts_updates_block_before_closing_line_when_absent() -> None:
    src = HEAD + "actions:\n- id: 1\n  text: x\n  owner: UNHCR\n" + BODY
    out = edited(src, {"action": "2022-06-24/1", "status": "done"})
    # the file's own list style (zero indent, from `actions:`) is followed
    assert out == src.replace(
        "UNHCR\n---", "UNHCR\nupdates:\n- action: 2022-06-24/1\n  status: done\n---"
    )


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("updates: []  # none yet", "updates:  # none yet"),
        ("updates: []", "updates:"),
        ("updates:", "updates:"),
        ("updates: ~", "updates:"),
        ("updates:   # nothing", "updates:   # nothing"),
    ],
)
def test_fills_empty_updates(line: str, kept: str) -> None:
    src = HEAD + line + "\nvisibility: public\n" + BODY
    out = edited(src, ENTRY)
    assert out == src.replace(line + "\n", kept + "\n" + ENTRY_LINES)


def test_crlf_and_bom_are_kept() -> None:
    src = (HEAD + "updates:\n  - action: 2022-06-24/2\n    status: open\n" + BODY).replace(
        "\n", "\r\n"
    )
    data = codecs.BOM_UTF8 + src.encode()
    doc = Document(P, data)
    doc.append_update({"action": "2022-06-24/1", "status": "done"})
    out = doc.render()
    added = b"  - action: 2022-06-24/1\r\n    status: done\r\n"
    assert out == data.replace(b"open\r\n", b"open\r\n" + added)


def test_refuses_flow_list_with_items() -> None:
    src = HEAD + "updates: [{action: 2022-06-24/2, status: open}]\n" + BODY
    with pytest.raises(DataError, match="not a block list"):
        Document(P, src.encode()).append_update(ENTRY)


def test_refuses_lone_cr_and_unicode_line_separators() -> None:
    with pytest.raises(DataError, match="lone CR"):
        Document(P, b"---\rdate: 2022-07-22\n---\n")
    with pytest.raises(DataError, match="separators"):
        Document(P, "---\ndate: 2022-07-22\ntitle: a\u2028b\n---\n".encode())


def test_refuses_file_whose_front_matter_does_not_parse() -> None:
    with pytest.raises(DataError, match=r"cannot edit") as e:
        Document(P, b"---\ndate: [\n---\n", "minutes/x.md")
    assert e.value.where == "minutes/x.md:3"


# -- setting keys of an action -----------------------------------------------------------------

ACTIONS = (
    "---\ndate: 2022-06-24\nactions:\n  - id: 1\n    text: 'Share it'   # quoted\n"
    "    owner: chairs\n    due: 2022-07-08  # eight\n    status: open\n"
    "  - id: 2\n    text: Other\n    owner: IOM\n\n# end\nstatus: draft\n" + BODY
)


def test_replaces_value_in_place_keeping_the_comment() -> None:
    out = edited(ACTIONS, a0={"due": "2022-07-22", "status": "done"})
    expected = ACTIONS.replace("due: 2022-07-08  # eight", "due: 2022-07-22  # eight")
    assert out == expected.replace("status: open", "status: done")


def test_inserts_missing_keys_after_the_actions_last_key() -> None:
    out = edited(ACTIONS, a1={"status": "dropped", "note": "Not needed: done by UNODC"})
    assert out == ACTIONS.replace(
        "owner: IOM\n", 'owner: IOM\n    status: dropped\n    note: "Not needed: done by UNODC"\n'
    )


def test_fills_an_empty_key() -> None:
    src = ACTIONS.replace("status: open", "status:   # tbd")
    assert edited(src, a0={"status": "done"}) == ACTIONS.replace(
        "status: open", "status: done   # tbd"
    )


def test_replaces_a_multiline_plain_value() -> None:
    src = ACTIONS.replace("text: Other\n", "text: Other\n      and more\n")
    assert edited(src, a1={"text": "New"}) == ACTIONS.replace("text: Other\n", "text: New\n")


def test_refuses_block_scalars_and_flow_actions() -> None:
    src = ACTIONS.replace("status: open", "status: |\n      open")
    with pytest.raises(DataError, match="not a one-line value"):
        Document(P, src.encode()).set_keys(("actions", 0), {"status": "done"})
    src = ACTIONS.replace(
        "  - id: 2\n    text: Other\n    owner: IOM\n", "  - {id: 2, owner: IOM}\n"
    )
    with pytest.raises(DataError, match="not written as 'key: value'"):
        Document(P, src.encode()).set_keys(("actions", 1), {"status": "done"})


def test_combined_edits_in_one_file_with_crlf() -> None:
    src = ACTIONS.replace("\n", "\r\n")
    out = edited(src, ENTRY, a1={"status": "done"})
    expected = ACTIONS.replace("owner: IOM\n", "owner: IOM\n    status: done\n").replace(
        "status: draft\n", "status: draft\nupdates:\n" + ENTRY_LINES
    )
    assert out == expected.replace("\n", "\r\n")


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30))
def test_any_note_is_written_and_reads_back(note: str) -> None:
    src = HEAD + "updates:\n  - action: 2022-06-24/2\n    status: open\n" + BODY
    doc = Document(P, src.encode())
    doc.append_update({"action": "2022-06-24/1", "note": note})
    out = doc.render().decode()
    assert out.startswith(src.split("---\n\n##")[0])
    assert out.endswith(BODY)
    assert doc.result is not None
    assert doc.result.value["updates"][-1] == {"action": "2022-06-24/1", "note": note}


def test_refuses_when_the_result_would_not_read_back_as_intended() -> None:
    # A keep-chomping block scalar owns its trailing blank line: an item inserted above that
    # line would take it away from the note, so the edit is refused instead of written.
    src = (
        HEAD
        + "updates:\n  - action: 2022-06-24/2\n    note: |+\n      kept\n\nvisibility: x\n"
        + BODY
    )
    doc = Document(P, src.encode())
    doc.append_update({"action": "2022-06-24/1", "status": "done"})
    with pytest.raises(DataError, match="would not read back as intended; nothing was written"):
        doc.render()


def test_reads_through_the_loader_with_its_size_limit(tmp_path: Path) -> None:
    from tfcli.edit import open_document
    from tfcli.frontmatter import MAX_FILE_BYTES
    from tfcli.paths import display_path

    big = tmp_path / "2022-07-08-big.md"
    big.write_bytes(b"---\ndate: 2022-07-08\n---\n" + b"x" * MAX_FILE_BYTES)
    with pytest.raises(DataError) as e:
        open_document(big, "big.md")
    assert e.value.where == display_path(big)  # located at the file, refused before it is read
    assert e.value.message.startswith(f"file is {MAX_FILE_BYTES + 25:,} bytes, more than the")
    missing = tmp_path / "gone.md"
    with pytest.raises(DataError) as e:
        open_document(missing)
    assert (e.value.where, e.value.message) == (
        display_path(missing),
        "cannot read file: No such file or directory",
    )
