"""YAML scalars as tf writes them (tf new-meeting's templates, in-place edits): plain where
every YAML reader, and tf's strict one (tfcli.yamlstrict), reads back the same text; else
double-quoted with escapes."""

from __future__ import annotations

import re

import yaml

from tfcli.fields import HHMM, ISO_DATE
from tfcli.yamlstrict import resolve_plain

# Plain text other YAML readers take for a number or a special (YAML 1.2 core schema) although
# `parse` keeps it as text: quoted, so that every reader agrees.
_OTHER_READERS = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_ESCAPES = {
    **{"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r"},
    **{"\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P"},
}
# Bidi controls reorder what a reader of the file sees: always written as escapes.
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def yaml_scalar(text: str | bool) -> str:
    """`text` written as a YAML value that `parse` reads back as exactly `text`: plain when
    that is safe (`Zoom`, `2022-07-22`), else double-quoted with escapes (`"a: b"`, `"yes"`,
    `"1e3"`, `"line\\nbreak"`). Plain only when this reader keeps it as the same text and
    YAML itself reads it as that plain scalar in a block (as `key: ...` or `- ...`).
    A bool is `true` or `false`, the only booleans this reader knows."""
    if isinstance(text, bool):
        return "true" if text else "false"
    if ISO_DATE.match(text) or HHMM.match(text):  # as docs/format.md asks; read as text
        return text
    if (
        resolve_plain(text) == text
        and not _OTHER_READERS.fullmatch(text)
        and not _BIDI.search(text)
    ):
        dumped = yaml.safe_dump(text, allow_unicode=True, width=10**9)
        if dumped == text + "\n...\n":  # PyYAML's emitter chose the plain style
            return text
    return quoted(text)


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar, with escapes (see `yaml_scalar`)."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch in _ESCAPES:
            out.append("\\" + _ESCAPES[ch])
        elif (
            0x20 <= o <= 0x7E
            or (0xA0 <= o <= 0xD7FF and not _BIDI.match(ch))
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
            or o >= 0x10000
        ):
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    out.append('"')
    return "".join(out)
