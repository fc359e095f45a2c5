"""`frontmatter.split` (the closing line found by searches in C) and `decode` (no second pass
without a carriage return, utf-8 without a byte-order mark) give exactly what the line-by-line
split and the plain decode give: the same parts and line numbers, the same refusals; and the
look for lost comments (`comments._SUSPECT`) finds what its old pattern found."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from tfcli import frontmatter
from tfcli.errors import LoadError

# Lines of front matter and body, with the near misses of a closing line among them.
LINES = st.sampled_from(
    ["---", "...", "--- ", "---\t", "...  ", "----", "--- x", "-- -", " ---", "....", "..",
     "date: 2026-01-02", "title: a", "", "  ", "x---", "---\x85", "---\u2028", "\u2014\u2014"]
)  # fmt: skip
TEXTS = st.lists(LINES, max_size=12).map("\n".join) | st.text(
    alphabet=st.sampled_from([*"-.\n x\t\r"]), max_size=30
)


def _outcome(fn: Any, text: str) -> Any:
    try:
        got = fn(text)
    except LoadError as e:
        return ("error", e.rule, e.message, e.line, e.col, e.hint)
    return (got.front_matter, got.front_matter_line, got.body, got.body_line)


@given(text=TEXTS)
@example(text="---\n---")
@example(text="---\n...\nbody")
@example(text="---\n----\n--- x\n---  \nrest\n")
@example(text="---")
@example(text="--- \na: 1\n... \n")
def test_split_as_line_by_line(text: str) -> None:
    assert _outcome(frontmatter.split, text) == _outcome(frontmatter._split_lines, text)


def test_split_refuses_front_matter_too_large_as_before() -> None:
    text = "---\n" + "a: b\n" * (frontmatter.MAX_FRONT_MATTER_CHARS // 5 + 1) + "---\nbody\n"
    assert _outcome(frontmatter.split, text) == _outcome(frontmatter._split_lines, text)
    assert _outcome(frontmatter.split, text)[1] == "too-large"


def test_many_near_misses_stay_linear() -> None:
    """A hostile file of lines `----`: each search goes on from its last find."""
    text = "---\n" + "----\n" * 50_000 + "..."
    assert frontmatter.split(text).body_line == 50_003


def _decoded(data: bytes) -> Any:
    try:
        return frontmatter.decode(data)
    except LoadError as e:
        return ("error", e.rule, e.message, e.line, e.col, e.hint)


def _old_decode(data: bytes) -> str:
    """decode as it was (tfcli 43860a7): utf-8-sig always, both replacements always."""
    if len(data) > frontmatter.MAX_FILE_BYTES:
        raise LoadError(
            "too-large",
            f"file is {len(data):,} bytes, more than the {frontmatter.MAX_FILE_BYTES:,} allowed",
            hint="split it, or move attachments out of the minutes",
        )
    if data.startswith(frontmatter._UTF32_BOMS):  # before UTF-16: FF FE 00 00 starts with FF FE
        raise LoadError("encoding", "file is UTF-32", hint="save it as UTF-8")
    if data.startswith(frontmatter._UTF16_BOMS):
        raise LoadError("encoding", "file is UTF-16", hint="save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(
            "encoding",
            f"byte 0x{data[e.start]:02x} is not valid UTF-8",
            line,
            col,
            "save the file as UTF-8: in Word, 'Plain text', encoding 'Unicode (UTF-8)'",
        ) from None
    if "\x00" in text:
        head = data[:64]
        if len(head) >= 4 and (not any(head[1::2]) or not any(head[0::2])):
            # Text where every other byte is NUL: UTF-16 saved without a byte-order mark.
            raise LoadError(
                "encoding", "file is UTF-16 (without a byte-order mark)", 1, 1, "save it as UTF-8"
            )
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LoadError("encoding", "file contains NUL bytes (binary file?)", line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reference(data: bytes) -> Any:
    try:
        return _old_decode(data)
    except LoadError as e:
        return ("error", e.rule, e.message, e.line, e.col, e.hint)


@given(
    data=st.lists(
        st.sampled_from(
            [b"a", b"\r", b"\n", b"\r\n", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xff", b"\x00"]
        ),
        max_size=10,
    ).map(b"".join)
)
@example(data=b"\xef\xbb\xbfab\xff")
@example(data=b"\xef\xbb\xbf\xef\xbb\xbfa\r\nb")
@example(data=b"a\r\nb\xc3")
@example(data=b"\xff\xfea")
@example(data=b"a\x00b")
def test_decode_as_before(data: bytes) -> None:
    assert _decoded(data) == _reference(data)


@given(text=st.text(alphabet=st.sampled_from([*" \t#a5\n\x85\u2028é"]), max_size=14))
@example(text="a #5")
@example(text="#5")
@example(text="a\t#\u2028")
def test_lost_comment_candidates_as_the_old_pattern(text: str) -> None:
    """`comments._SUSPECT`, written `#` first, finds a candidate exactly where the old
    pattern did (it only decides whether a file is scanned for lost text)."""
    import re

    from tfcli import comments

    old = re.compile(r"[ \t]#[^\s]")
    assert (comments._SUSPECT.search(text) is None) is (old.search(text) is None)
