"""What is wrong with a front matter libyaml refuses, in a secretary's words: where (the
line and column a person can act on, not where libyaml noticed) and how to fix it.

libyaml's own words name tokens and states ("found character that cannot start any token",
"did not find expected key"); the text around the problem usually tells what was meant: a
tab in the indentation, a quote inside a quoted text (`'It's done'`), a list item without
the space after its `-`, Markdown at the start of a value. Imported only when a text has a
problem (tfcli.yamlstrict.parse_events)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tfcli.errors import LoadError
from tfcli.yamlstrict import DEPTH_HINT

CONTROL = "remove invisible control characters, or quote the text with \\u escapes"
SURROGATE = "remove it: half of a character pair, left by a broken copy or conversion"
TAB = "replace the tab with spaces: YAML indents with spaces only"


def load_error(e: yaml.YAMLError, text: str, line_offset: int) -> LoadError:
    """The LoadError for libyaml's error `e` in `text`."""
    if isinstance(e, yaml.reader.ReaderError):  # a character YAML refuses, at its position
        return refused(text, e.position, e.character, e.reason, line_offset)
    if not isinstance(e, yaml.MarkedYAMLError):
        return LoadError("yaml", f"invalid YAML: {e}", 1 + line_offset, 1)
    # An unclosed quote or bracket is found only at the end of the text: point at where
    # it was opened (the context) instead.
    at_end = bool(e.problem and "end of stream" in e.problem)
    # A line without ':' is found only where the next token starts, maybe lines later
    # (after blank lines and comments): point at the line itself.
    at_start = at_end or e.context == "while scanning a simple key"
    mark = (e.context_mark if at_start else None) or e.problem_mark or e.context_mark
    line = mark.line + 1 + line_offset if mark else 1 + line_offset
    col = mark.column + 1 if mark else 1
    problem = e.problem or e.context or "invalid YAML"
    if at_end and e.context:
        problem = f"{_CONTEXTS.get(e.context, e.context)} is never closed"
    if e.problem_mark and (tab := _tab(problem, text, e.problem_mark)) is not None:
        at_line, at_col = tab[0] + 1 + line_offset, tab[1] + 1
        return LoadError("yaml", f"invalid YAML: {tab[2]}", at_line, at_col, TAB)
    opened = e.context_mark.line + 1 + line_offset if e.context_mark else None
    hint = _yaml_hint(problem, opened)
    if e.problem_mark and not at_end:
        at = e.problem_mark
        hint = _lead_hint(problem, text, at.line, at.column) or hint
    # The line the problem is on, or the line without ':' libyaml points before.
    on = e.context_mark if at_start and e.context_mark else e.problem_mark
    if on is not None and not at_end:
        hint = _line_hint(_line(text, on.line)) or hint
    return LoadError("yaml", f"invalid YAML: {problem}", line, col, hint)


def surrogate(text: str, pos: int, line_offset: int) -> LoadError:
    return refused(text, pos, ord(text[pos]), "a lone surrogate", line_offset, SURROGATE)


def refused(
    text: str, pos: int, char: Any, reason: str, line_offset: int, hint: str = CONTROL
) -> LoadError:
    """A character YAML refuses, at its position in the text."""
    line = text.count("\n", 0, pos) + 1 + line_offset
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    code = char if isinstance(char, int) else ord(char)
    return LoadError(
        "yaml", f"character U+{code:04X} is not allowed in YAML ({reason})", line, col, hint
    )


def _line(text: str, n: int) -> str:
    """Line `n` (0-based) of `text`, "" past its end."""
    return text.split("\n", n + 1)[n] if text.count("\n") >= n else ""


def _tab(problem: str, text: str, mark: Any) -> tuple[int, int, str] | None:
    """(line, column, problem), 0-based, of the tab libyaml stopped at: it says "found
    character that cannot start any token" for a tab at the start of a line, and "violates
    indentation" in its own words; a person needs to hear "tab" and where it is."""
    if "tab" not in problem and "cannot start any token" not in problem:
        return None
    line_text = _line(text, mark.line)
    col = mark.column
    if col < len(line_text) and line_text[col] == "\t":
        lead = line_text[:col].strip(" -") == ""
    else:  # a tab in the line's leading blanks, before where libyaml stopped
        col = line_text.find("\t", 0, col)
        if col < 0 or line_text[:col].strip(" -"):
            return None
        lead = True
    where = "in the indentation" if lead else "where YAML needs a space"
    return mark.line, col, f"a tab {where}"


_CONTEXTS = {
    "while scanning a quoted scalar": "a quoted text",
    "while parsing a flow sequence": "a '[' list",
    "while parsing a flow mapping": "a '{' mapping",
}


_LEAD = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[^\s#'\"\[{*&][^:#]*:[ \t]+)?(?P<lead>.)")


def _lead_hint(problem: str, text: str, line: int, column: int) -> str | None:
    """A hint from how the value on the problem's line starts: Markdown in minutes
    (`*important*`, `[link](url)`) begins with characters YAML reads as syntax."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    m = _LEAD.match(text, start, start + column + 1)
    lead = m["lead"] if m else ""
    if lead in ("*", "&") and "alphabetic or numeric" in problem:
        return (
            f"quote a text that starts with '{lead}' (YAML reads it as a reference): "
            '"*important* item"'
        )
    if lead in ("[", "{") and (
        any(k in problem for k in ("expected key", "block end", "line break", "indicator"))
    ):
        return (
            f"quote a text that starts with '{lead}' (YAML reads it as a list or mapping): "
            '"[report](https://example.org) shared"'
        )
    return None


# A line's value after its key and/or its `- `: (indent, value).
_VALUE = re.compile(r"(?P<indent>[ ]*)(?:-[ ]+)*(?:[^\s#'\"\[{][^:#]*:[ ]+)?(?P<value>.*)")
_NO_SPACE = re.compile(r"[ ]*-[^\s-]")  # `-IOM`: a list item without its space
_SPACES = {"\u00a0": "a no-break space", "\u3000": "a wide space", "\u2003": "an em space"}
_UNESCAPED = re.compile(r'(?<!\\)"')


def _line_hint(line: str) -> str | None:
    """A hint from the line the problem is on: a quoted text that ends before its value does
    (`'It's done'`, `"the "draft" plan"`), a `-` without the space a list item needs."""
    lead = line[: len(line) - len(line.lstrip())]
    if odd := next((c for c in lead if c not in " \t"), None):  # from Word or a web page
        return (
            f"the line starts with U+{ord(odd):04X} ({_SPACES.get(odd, 'a space')}), which YAML "
            "does not read as indentation: replace it with plain spaces"
        )
    if _NO_SPACE.match(line):
        dash = line.index("-")
        return f"put a space after '-': a list item is written '- {line[dash + 1 :].strip()}'"
    m = _VALUE.fullmatch(line)
    value = m["value"].rstrip() if m else ""
    if len(value) < 2 or value[0] not in "'\"":
        return None
    q = value[0]
    end = _closing(value, q)
    if end is None or end == len(value) - 1 or value[end + 1 :].lstrip().startswith("#"):
        return None  # the quote closes where the value ends: not this
    if q == "'":
        inner = value[1:-1] if value.endswith("'") else value[1:]
        return (
            "an apostrophe inside a text in '...' ends it: double it "
            f"('{inner.replace(chr(39), chr(39) * 2)}') or quote the text with \"...\""
        )
    inner = _UNESCAPED.sub(r'\\"', value[1:-1] if value.endswith('"') else value[1:])
    return (
        'a " inside a text in "..." ends it: write it \\" '
        f"(\"{inner}\") or quote the text with '...'"
    )


def _closing(value: str, q: str) -> int | None:
    """The index of the quote that closes `value`'s opening quote `q`."""
    i = 1
    while i < len(value):
        c = value[i]
        if q == '"' and c == "\\":
            i += 2
            continue
        if c == q:
            if q == "'" and value[i + 1 : i + 2] == "'":  # '' is one ' inside
                i += 2
                continue
            return i
        i += 1
    return None


def _yaml_hint(problem: str, opened: int | None) -> str | None:
    if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours
        return DEPTH_HINT
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "never closed" in problem:
        return "close the quote or bracket opened here"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        where = f" opened on line {opened}" if opened else ""
        return f"separate items with ',' and close the list or mapping{where}"
    if any(
        k in problem for k in ("expected '-' indicator", "expected <block end>", "expected key")
    ):
        return "check the indentation: the items of one list or mapping must line up"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "cannot start any token" in problem:
        return "indent with spaces, not tabs; quote values starting with @ or `"
    if "could not find expected ':'" in problem:
        return "each line of a mapping needs 'key: value'"
    return None
