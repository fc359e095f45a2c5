"""The HTML markdown-it gives a body that is only ATX headings and paragraphs of plain text,
made without markdown-it (whose block and inline rules are tried on every line and every
character: a third of a clean build's pages at 5,000 meetings). Anything else, or anything
this module is unsure of, is None: the caller renders it with markdown-it.

Sure means: every line is blank, an ATX heading (`#` to `######`, a space, text without
`#`) or a paragraph's line that no block rule can start or interrupt (it opens with no
space, tab, list marker, `=`, `>`, `|`...), no character any inline rule of the renderer
reacts to (`\\`, backticks, `*`, `_`, `[`, `]`, `!`, `<`, `>`, `&`, `^`, `~`, `|`), no line
ending in two spaces inside a paragraph (a hard break), and only printable characters (no
tab, no Unicode space but the ASCII one, no control or format character). A test compares
this with markdown-it on random text over those characters."""

from __future__ import annotations

import re

from tfcli.site.markdown import HeadingIds

# A character some inline rule, a table or a heading's closing sequence reacts to, or one
# the HTML escaping of a text changes beyond `"`.
_UNSURE = "\\`*_[]!<>&^~|"
# How a paragraph's line must not begin: a space or tab (indented code, lazy continuation
# of something), a list, a thematic break, a setext underline, a block quote, a fence, a
# table, an HTML block; and an ordered list's `1.`/`1)`.
_BAD_START = frozenset(" \t-+*=_>#`~|<[0123456789")
_ORDERED = re.compile(r"\d{1,9}[.)]")
_HASHES = re.compile(r"#{1,6} +")


def render(text: str, doc_id: str) -> str | None:
    """markdown-it's HTML for `text` (headings' ids as markdown._heading_ids makes them, one
    level below: `##` is `<h3>`), or None when `text` is not sure to be only headings and
    plain paragraphs."""
    for c in _UNSURE:  # each `in` a fast scan in C: faster than one character class
        if c in text:
            return None
    if not text.replace("\n", " ").isprintable():
        return None
    out: list[str] = []
    para: list[str] = []
    ids = HeadingIds(doc_id)
    for line in text.split("\n"):
        if not line.strip(" "):
            if para:
                out.append(_paragraph(para))
                para = []
            continue
        first = line[0]
        if first == "#":
            h = _HASHES.match(line)
            if h is None:
                return None
            words = line[h.end() :].rstrip(" ")
            if not words or "#" in words:  # no closing sequence, nothing to trim
                return None
            if para:
                out.append(_paragraph(para))
                para = []
            candidate = ids.take(words)
            tag = f"h{min(len(h[0].rstrip(' ')) + 1, 6)}"
            out.append(f'<{tag} id="{_attribute(candidate)}">{_escape(words)}</{tag}>\n')
            continue
        if first in _BAD_START and (not "0" <= first <= "9" or _ORDERED.match(line)):
            return None  # a digit opens a paragraph's line unless it is a list's `1.`
        if para and para[-1].endswith("  "):  # a hard break
            return None
        para.append(line)
    if para:
        out.append(_paragraph(para))
    return "".join(out)


def _paragraph(lines: list[str]) -> str:
    # A soft break drops one space before it; the paragraph's ends are trimmed.
    joined = "\n".join(line[:-1] if line.endswith(" ") else line for line in lines)
    return f"<p>{_escape(joined.strip(' '))}</p>\n"


def _escape(text: str) -> str:
    return text.replace('"', "&quot;") if '"' in text else text


def _attribute(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
