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


_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")  # hyphens, en/em dashes


def split(text: str) -> Split:
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
