"""Where a minutes body has HTML tags, as CommonMark reads the body (tf check's `[html]` rule,
tfcli.paste_rules): not in a code span (a run of N backticks closed by the next run of exactly
N, across the lines of a paragraph), a fenced code block (closed only by a fence of the same
character, at least as long, with nothing after it; unclosed, it runs to the end) or an
indented one (which cannot interrupt a paragraph); nor after a backslash. In an HTML block
every tag is one, code spans or not. Lists and block quotes are read as paragraphs of their
own per item line (their markers start one); tests/test_body_html.py holds the rule to
markdown-it-py's own tokens on generated bodies."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# The tags Word's HTML export leaves (`<o:p>` its Office ones), and those a page from
# elsewhere brings (`<img>`, `<script>`: shown as text too); not `<https://...>`, Markdown's
# own link form.
TAG = re.compile(
    r"</?(?:p|b|i|u|s|em|strong|br|hr|a|ul|ol|li|span|div|font|table|thead|tbody|tr|td|th"
    r"|h[1-6]|sup|sub|o:p|img|script|style|iframe|blockquote|pre|code|center|strike|small)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# What else CommonMark reads at a `<` as one piece (its backticks are no code span): any other
# tag, an autolink (comments, declarations, processing instructions: `_skip`).
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_OTHER = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>",
    re.DOTALL,
)
_SPECIAL = re.compile(r"[`<\\]")
_RUN = re.compile("`+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_BLANK = re.compile(r"[ \t]*")
_INDENTED = re.compile(r"(?: {0,3}\t| {4})")
# Lines that end a paragraph and hold no inline text of it: ATX headings (their own text is
# scanned alone), thematic breaks and setext underlines.
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
# A list item or block quote line: it starts a paragraph of its own (an approximation: the
# lines after it, if not items, continue it).
_ITEM = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)]|>)(?:[ \t]|$)")
# HTML blocks (CommonMark's kinds 1, 6 and 7): raw HTML up to a blank line (kind 1: up to the
# line with its end tag); kind 7 (any one tag alone on its line) cannot interrupt a paragraph.
_RAW = re.compile(r" {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)", re.IGNORECASE)
_RAW_END = re.compile(r"</(?:pre|script|style|textarea)>", re.IGNORECASE)
_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|"
    "optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|"
    "track|ul"
)
_BLOCK = re.compile(rf" {{0,3}}</?(?:{_BLOCK_NAMES})(?:[ \t>]|/>|$)", re.IGNORECASE)
_ALONE = re.compile(
    rf" {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)"
    r"[ \t]*$"
)


def tags(body: str) -> Iterator[tuple[int, int, str]]:
    """(line index in `body`, column from 0, tag) of each HTML tag TAG knows, in order."""
    lines = body.split("\n")
    para: list[int] = []  # the current paragraph's lines
    fence = ""  # the open fence's run, inside a fenced code block
    raw = ""  # inside an HTML block: "blank" (ends at a blank line) or "end" (at its end tag)
    for n, text in enumerate(lines):
        if fence:
            m = _FENCE.fullmatch(text)
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and _BLANK.fullmatch(m[2]):
                fence = ""
            continue
        if raw:
            if raw == "blank" and _BLANK.fullmatch(text):
                raw = ""
                continue
            yield from ((n, t.start(), t.group()) for t in TAG.finditer(text))
            if raw == "end" and _RAW_END.search(text):
                raw = ""
            continue
        m = _FENCE.fullmatch(text)
        if m and not (m[1][0] == "`" and "`" in m[2]):
            yield from _inline(lines, para)
            para, fence = [], m[1]
            continue
        if _BLANK.fullmatch(text):
            yield from _inline(lines, para)
            para = []
            continue
        if not para and _INDENTED.match(text):
            continue  # indented code
        start = _RAW.match(text) or _BLOCK.match(text) or (not para and _ALONE.match(text))
        if start:
            yield from _inline(lines, para)
            para = []
            yield from ((n, t.start(), t.group()) for t in TAG.finditer(text))
            raw = "end" if _RAW.match(text) else "blank"
            if raw == "end" and _RAW_END.search(text, start.end()):
                raw = ""
            continue
        if _HEADING.match(text) or _RULE.match(text):
            yield from _inline(lines, para)
            yield from _inline(lines, [n] if _HEADING.match(text) else [])
            para = []
            continue
        if _ITEM.match(text):
            yield from _inline(lines, para)
            para = []
        para.append(n)
    yield from _inline(lines, para)


def _inline(lines: list[str], para: list[int]) -> Iterator[tuple[int, int, str]]:
    """The tags of one paragraph's text (its lines joined), left to right as CommonMark
    reads them: a backslash escapes the next character, a backtick run opens a code span
    when a run of the same length follows (else it is text), a `<` starts a tag, an
    autolink or other HTML when one is there."""
    if not para:
        return
    text = "\n".join(lines[n] for n in para)
    if "<" not in text or TAG.search(text) is None:  # (most paragraphs: at C speed)
        return
    starts, at = [], 0
    for n in para:
        starts.append(at)
        at += len(lines[n]) + 1
    i = 0
    runs: dict[int, list[int]] | None = None  # backtick runs' starts by length, once needed
    found: dict[str, tuple[int, int]] = {}  # _find's
    while (m := _SPECIAL.search(text, i)) is not None:
        j = m.start()
        c = text[j]
        if c == "\\":
            i = j + 2
        elif c == "`":
            end = _RUN.match(text, j).end()  # type: ignore[union-attr]
            if runs is None:  # (one pass: a search per run is quadratic in hostile text)
                runs = {}
                for r in _RUN.finditer(text):
                    runs.setdefault(r.end() - r.start(), []).append(r.start())
            same = runs.get(end - j, [])
            k = bisect.bisect_right(same, j)
            i = same[k] + end - j if k < len(same) else end
        elif (tag := TAG.match(text, j)) is not None:
            k = bisect.bisect_right(starts, j) - 1
            yield para[k], j - starts[k], tag.group()
            i = tag.end()
        else:
            i = _skip(text, j, found)


def _skip(text: str, j: int, found: dict[str, tuple[int, int]]) -> int:
    """Where what CommonMark reads as one piece at the `<` at `j` ends (a comment, a
    processing instruction, a declaration, CDATA, any other tag, an autolink), else j + 1."""
    for start, end in (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">")):
        if not text.startswith(start, j):
            continue
        if start == "<!--" and text.startswith(("<!-->", "<!--->"), j):
            return text.index(">", j) + 1
        if start == "<!" and not (
            j + 2 < len(text) and text[j + 2].isascii() and text[j + 2].isalpha()
        ):
            return j + 1
        q = _find(text, end, j + len(start), found)
        return q + len(end) if q >= 0 else j + 1
    other = _OTHER.match(text, j)
    return other.end() if other else j + 1


def _find(text: str, what: str, at: int, found: dict[str, tuple[int, int]]) -> int:
    """text.find(what, at), remembered: asked from ever later places, each text is searched
    once (not once per `<!--` of a hostile paragraph)."""
    since, where = found.get(what, (len(text) + 1, -1))
    if since <= at and (where < 0 or where >= at):
        return where
    where = text.find(what, at)
    found[what] = (at, where)
    return where
