"""Split a minutes file into front matter and body.

Our own splitter rather than python-frontmatter: that library treats a file without front
matter, or with an unclosed block, as an empty mapping, and loses the line numbers we need.
"""

from __future__ import annotations

from tfcli.errors import LoadError
from tfcli.record import Frozen
from tfcli.record import init as _init

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_CHARS = 256 * 1024

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BOM = b"\xef\xbb\xbf"
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


class Split(Frozen):
    __slots__ = ("front_matter", "front_matter_line", "body", "body_line")
    front_matter: str
    front_matter_line: int  # file line of the first front matter line (2)
    body: str
    body_line: int  # file line where the body starts

    def __init__(
        self, front_matter: str, front_matter_line: int, body: str, body_line: int
    ) -> None:
        _init(self, front_matter, front_matter_line, body, body_line)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; CRLF and CR become LF (line numbers stay the same)."""
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(
            "too-large",
            f"file is {len(data):,} bytes, more than the {MAX_FILE_BYTES:,} allowed",
            hint="split it, or move attachments out of the minutes",
        )
    if data.startswith(_UTF32_BOMS):  # before UTF-16: FF FE 00 00 starts with FF FE
        raise LoadError("encoding", "file is UTF-32", hint="save it as UTF-8")
    if data.startswith(_UTF16_BOMS):
        raise LoadError("encoding", "file is UTF-16", hint="save it as UTF-8")
    try:
        # utf-8 without a byte-order mark: the same text and errors, without utf-8-sig's
        # Python codec (0.5 µs a file against 1.7).
        text = data.decode("utf-8-sig" if data.startswith(_BOM) else "utf-8")
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
    if "\r" not in text:  # most files: two passes over the text saved (7 µs a file)
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")  # hyphens, en/em dashes


def split(text: str) -> Split:
    """The front matter (between the first line, `---`, and the next line that is `---` or
    `...`, trailing blanks allowed) and the body after it, each with its first line."""
    nl = text.find("\n")
    if nl >= 0 and text[:nl].rstrip() == "---":
        # Found in C: each line that starts `---` or `...` (no Python loop over the lines,
        # nor a list of them: 7.5 µs a file against 12).
        at = _closing(text, nl)
        if at >= 0:
            front = text[nl + 1 : at] + "\n"
            if len(front) <= MAX_FRONT_MATTER_CHARS:
                end = text.find("\n", at + 1)
                body = text[end + 1 :] if end >= 0 else ""
                return Split(front, 2, body, text.count("\n", 0, at) + 3)
    return _split_lines(text)  # no front matter, never closed, too large: it says so


def _closing(text: str, nl: int) -> int:
    """Where the `\n` before the closing line is (the first line after `nl`, the first
    line's end, that is `---` or `...` with trailing blanks), or -1."""
    dashes = text.find("\n---", nl)
    # Most files: the first line starting `---` closes, and no line before it starts `...`
    # (looked for there alone: the body is longer than the front matter).
    if dashes >= 0 and text.find("\n...", nl, dashes) < 0 and _closes(text, dashes):
        return dashes
    dots = text.find("\n...", nl)
    while dashes >= 0 or dots >= 0:  # linear: each search goes on from its own last find
        if dots < 0 or 0 <= dashes < dots:
            at, dashes = dashes, text.find("\n---", dashes + 1)
        else:
            at, dots = dots, text.find("\n...", dots + 1)
        if _closes(text, at):
            return at
    return -1


def _closes(text: str, at: int) -> bool:
    """Whether the line after the `\n` at `at` is `---` or `...`, trailing blanks allowed."""
    end = text.find("\n", at + 1)
    return text[at + 1 : end if end >= 0 else len(text)].rstrip() in ("---", "...")


def _split_lines(text: str) -> Split:
    """`split` line by line: what it says when the text has no front matter it can split."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        hint = "the first line must be '---', followed by 'date: YYYY-MM-DD' and a closing '---'"
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        top = lines[first].strip()
        if first and lines[first].rstrip() == "---":  # an editor's blank line(s) on top
            blank = "blank lines" if first > 1 else "blank line"
            hint = f"remove the {blank} before the '---' of line {first + 1}"
        elif top == "---":
            hint = f"remove the spaces before the '---' of line {first + 1}"
        elif top and len(top) <= 3 and all(c in _DASHES for c in top):  # Word's autocorrect
            hint = (
                f"line {first + 1} is '{top}', a dash a word processor made of '---': "
                "write three hyphens '---' (and so on the closing line)"
            )
        raise LoadError("front-matter", "file does not start with front matter", hint=hint)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            break
    else:
        raise LoadError(
            "front-matter",
            "front matter opened on line 1 is never closed",
            hint="add a line '---' after the last key",
        )
    front = "\n".join(lines[1:i]) + "\n"
    if len(front) > MAX_FRONT_MATTER_CHARS:
        raise LoadError(
            "too-large",
            f"front matter is {len(front):,} characters, more than {MAX_FRONT_MATTER_CHARS:,}",
            2,
            hint="move long text into the body",
        )
    return Split(front, 2, "\n".join(lines[i + 1 :]), i + 2)
