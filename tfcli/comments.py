"""Text YAML drops without a word: in `title: Meeting #5` the ` #5` starts a comment, so the
title is `Meeting`. Minutes are records, so `tf check` warns where a plain (unquoted) text
value is followed by `#` and a character other than a space (`#5`, `#hashtags`): what people
write as text. A comment written as comments are (`# like this`, with the space), a whole
line of comment, and a comment after a quoted value or after a date, a number or a boolean
stay silent.

Cheap by design: one regular expression over the front matter finds no candidate in almost
every file; only a file with one is scanned by libyaml's scanner (C) for its plain values."""

from __future__ import annotations

import re

import yaml

from tfcli.errors import LoadError

# ` #5`: a comment that may have been text. Written `#` first, so that the regex engine looks
# for the `#` alone (a fast scan) and checks what is around it only there (1 µs a front
# matter with comments, against 17 for `[ \t]#[^\s]`, which tries every position).
_SUSPECT = re.compile(r"#(?<=[ \t]#)[^\s]")
_AFTER = re.compile(r"[ \t]+#[^\s]")
# Values that are plainly not text, so a comment after them is one: a date, a time, a number,
# true/false/null (tf reads `yes`/`no` as text: see docs/format.md, YAML rules).
_NOT_TEXT = re.compile(r"[-+]?[0-9][0-9:._-]*|true|false|null|~", re.IGNORECASE)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def lost_text(text: str, line_offset: int = 0) -> list[LoadError]:
    """A warning (as LoadError, rule `comment`) at each ` #` that cut a plain text value of
    the front matter `text`, whose first line is line `line_offset + 1`."""
    if "#" not in text or not _SUSPECT.search(text):  # `in`: memchr, faster still
        return []
    lines = text.split("\n")
    found: list[LoadError] = []
    loader = _Loader(text)
    key = ""  # the last key's text
    empty: tuple[int, int, str, tuple[type[yaml.Token], ...]] | None = None  # `key: #5`, `- #5`
    try:
        while (token := loader.get_token()) is not None:
            if empty is not None:  # nothing came as the value: it is all comment
                line, col, lost, ahead = empty
                if isinstance(token, ahead):
                    found.append(_empty(lost, line + 1 + line_offset, col + 1))
                empty = None
            end = token.end_mark
            rest = lines[end.line][end.column :] if end.line < len(lines) else ""
            cut = _AFTER.match(rest)
            if isinstance(token, yaml.ScalarToken):
                if cut and token.plain and _is_text(token.value):
                    col = end.column + cut.end() - 1  # the '#', 1-based
                    line = end.line + 1 + line_offset
                    found.append(_warning(lines, token, rest.strip(), line, col))
                key = token.value
            elif cut and isinstance(token, yaml.ValueToken) and key not in _EMPTY_TOLD:
                empty = (end.line, end.column + cut.end() - 2, rest.strip(), _AFTER_VALUE)
            elif cut and isinstance(token, yaml.BlockEntryToken):
                empty = (end.line, end.column + cut.end() - 2, rest.strip(), _AFTER_ENTRY)
    except yaml.YAMLError:  # the parse says what is wrong; the values before it are told
        pass
    finally:
        loader.dispose()
    return found


# The keys whose empty value `tf check` already names (`[empty]`, often `title: #5 ...`).
_EMPTY_TOLD = frozenset(["title", "location", "time", "status"])
# What follows a value or a list item that is empty (else a block below is its value).
_AFTER_VALUE: tuple[type[yaml.Token], ...] = (
    yaml.KeyToken,
    yaml.BlockEndToken,
    yaml.StreamEndToken,
    yaml.DocumentEndToken,
)
_AFTER_ENTRY: tuple[type[yaml.Token], ...] = (
    yaml.BlockEntryToken,
    yaml.BlockEndToken,
    yaml.StreamEndToken,
)


def _empty(lost: str, line: int, col: int) -> LoadError:
    return LoadError(
        "comment",
        f"'{lost}' is read as a YAML comment and left out: the value is empty",
        line,
        col,
        f"if '{lost}' is the text, quote it: \"{lost}\"; if it is a comment, put a space after '#'",
    )


def _is_text(value: str) -> bool:
    return not _NOT_TEXT.fullmatch(value)


def _warning(
    lines: list[str], token: yaml.ScalarToken, lost: str, line: int, col: int
) -> LoadError:
    start = token.start_mark
    lead = lines[start.line][: start.column] if start.line == token.end_mark.line else ""
    whole = f"{token.value} {lost}"
    quoted = f"'{whole}'" if '"' in whole and "'" not in whole else _double(whole)
    example = f"{lead.strip()} {quoted}".strip() if lead.strip() else quoted
    return LoadError(
        "comment",
        f"'{lost}' is read as a YAML comment and left out: the value is '{token.value}'",
        line,
        col,
        f"if '{lost}' belongs to the text, quote the value: {example}; "
        "if it is a comment, put a space after '#'",
    )


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
