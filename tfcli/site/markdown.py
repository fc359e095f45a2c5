"""Minutes bodies as HTML, safe by construction: markdown-it-py's `js-default` preset (raw
HTML is text, never markup), links and images only through `policy.safe_url`, footnotes and
task lists from mdit-py-plugins, and heading and footnote ids prefixed with the meeting's id
(so that a meeting page or a page that joins several never has two equal ids)."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from tfcli.model import Meeting
from tfcli.policy import BRACKET_LIMIT, MARKDOWN_LIMIT, formatted, marks_in_words
from tfcli.site.policy import Policy, safe_url, strip_controls
from tfcli.slug import fold

if TYPE_CHECKING:  # markdown-it is imported by make_renderer only: a rebuild that renders
    # no body (slug, markdown) does without its import (a tenth of an action edit's rebuild)
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

_FOOTNOTES_OPEN = (
    '<hr class="footnotes-sep">\n<div class="footnotes">\n<ol class="footnotes-list">\n'
)
# The start of a body shown as written (`markdown` below): too long to format.
PLAIN = "\x00plain\x00"
_PLAIN_NOTICE = (
    '<p class="notice" role="note"><strong>Shown as written:</strong> these minutes are beyond '
    "what tf formats as Markdown (at most {limit:,} characters, with at most {brackets:,} "
    "“[”).</p>\n"
    '<pre class="plain-body">{text}</pre>\n'
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# What strip_controls or Policy.redact could change (render.py's finalizer asks, and
# `markdown` below for a body): a control character, an `@` (an e-mail address) or what
# could start a phone number (policy.PHONE_PATTERN, a little wider: the same look-behind, so
# that dates and ids, `2026-01-15/2`, a `0` after a digit, are not sent through redact). One
# character class first: the regex engine skips to candidates (twice as fast).
_CONTROL_OR_AT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f@"
SUSPECT = re.compile(
    rf"[{_CONTROL_OR_AT}+(0](?:(?<=[{_CONTROL_OR_AT}])|(?<![\w+].)[\d\s().\-/]{{6,}}\d)"
)


def markdown(policy: Policy, m: Meeting) -> tuple[str, str]:
    """A meeting page's body as its Markdown and its id (tfcli.site.patch patches a page with
    it when only a body changed; here, so that a patch does not import the pages' modules).
    A body beyond the limits starts with `PLAIN`: a control character, which no body the page
    shows can hold (strip_controls)."""
    text = marks_in_words(m.body)
    if SUSPECT.search(text):  # one search, not redaction's three passes, for most bodies
        text = policy.redact(strip_controls(text))
    return (text if formatted(m.body) else PLAIN + text), m.id


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """An id or file name fragment: `Été, Întâlnire` -> `ete-intalnire` (tfcli.slug's folding,
    without its length limit: ids must stay distinct). Remembered: minutes repeat their
    headings (`Welcome remarks`) and folding is a tenth of a body's Markdown."""
    return _NOT_SLUG.sub("-", fold(text)).strip("-") or "section"


class HeadingIds:
    """A document's heading ids: `<prefix>-<slug>`, a repeat gets `-2`, `-3`... in linear
    time (a counter per slug, and a set of taken ids for a slug that happens to end in `-2`).
    Shared by markdown-it's rule and tfcli.site.simplemd, so both give the same ids."""

    def __init__(self, prefix: str) -> None:
        self.prefix = f"{prefix}-" if prefix else ""
        self.taken: set[str] = set()
        self.counts: dict[str, int] = {}

    def take(self, text: str) -> str:
        base = self.prefix + slug(text)
        n = self.counts.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.counts[base] = n + 1
        self.taken.add(candidate)
        return candidate


def _heading_ids(state: StateCore) -> None:
    """Each heading's id (HeadingIds) and its level, one below the page's own headings."""
    shift = state.env.get("shift", 0)
    ids = HeadingIds(state.env.get("docId", ""))
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open" or i + 1 >= len(tokens):
            continue
        tok.attrSet("id", ids.take(tokens[i + 1].content))
        # The page's own headings come first: a body's `#` is one level below them.
        level = min(int(tok.tag[1]) + shift, 6)
        tok.tag = tokens[_closing(tokens, i)].tag = f"h{level}"


def _link_open(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """A link whose text is its address (`<https://...>`, `[https://...](https://...)`) is
    marked `class="autolink"`: the print stylesheet spells out every other link's address
    after it, and printed it twice ("https://www.anas.md/ (https://www.anas.md/)")."""
    tok = tokens[idx]
    if tok.markup == "autolink" or (
        idx + 2 < len(tokens)
        and tokens[idx + 2].type == "link_close"
        and tokens[idx + 1].type == "text"
        and tokens[idx + 1].content == tok.attrGet("href")
    ):
        tok.attrSet("class", "autolink")
    html: str = self.renderToken(tokens, idx, options, env)
    return html


def _closing(tokens: list[Any], i: int) -> int:
    j = i + 1
    while tokens[j].type != "heading_close":
        j += 1
    return j


# A link's or image's text ends within this many characters of its `[` (CommonMark bounds
# a reference label at 999): markdown-it looks for the `]` to the end of the paragraph, so
# each `[` that opens no link cost a scan of the rest of it (64 of them before 128 Ki lines:
# 7 s).
LABEL_MAX = 1000


def _validate(url: str) -> bool:
    return safe_url(url) is not None


def _normalize(state: StateCore) -> None:
    """markdown-it's `normalize` (line endings to `\n`, NUL to U+FFFD) for a text that has
    something to normalize; for any other it is the same text, made by two substitutions, one
    per line (a sixth of a body's Markdown)."""
    if "\r" in state.src or "\0" in state.src:
        from markdown_it.rules_core import normalize

        normalize(state)


def make_renderer() -> Callable[[str, str], str]:
    """A function (markdown, doc_id) -> HTML. One MarkdownIt per builder: it is not cheap to
    set up, and a rendered document depends only on its text and its id. A body of headings
    and plain paragraphs is made by tfcli.site.simplemd (the same HTML, 8x faster);
    markdown-it is imported and set up for the first body that is not."""
    from tfcli.site import simplemd

    made: list[Callable[[str, dict[str, Any]], str]] = []

    def render(text: str, doc_id: str) -> str:
        if text.startswith(PLAIN):
            text = text[len(PLAIN) :]
            return _PLAIN_NOTICE.format(
                limit=MARKDOWN_LIMIT, brackets=BRACKET_LIMIT, text=escape(text)
            )
        html = simplemd.render(text, doc_id)
        if html is not None:
            return html
        if not made:
            made.append(_markdown_it())
        return made[0](text, {"docId": doc_id, "shift": 1})

    return render


def _markdown_it() -> Callable[[str, dict[str, Any]], str]:
    """markdown-it set up for minutes: its `render(text, env)`."""
    from markdown_it import MarkdownIt, helpers
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    parse_label = helpers.parseLinkLabel

    def label(state: StateInline, start: int, disableNested: bool = False) -> int:
        end = state.posMax
        state.posMax = min(end, start + LABEL_MAX)
        try:
            return parse_label(state, start, disableNested)
        finally:
            state.posMax = end

    md = MarkdownIt("js-default", {"typographer": False}).use(footnote_plugin)
    md.use(tasklists_plugin)
    md.validateLink = _validate  # type: ignore[method-assign]
    md.helpers = types.SimpleNamespace(**{**vars(helpers), "parseLinkLabel": label})  # type: ignore[assignment]
    md.core.ruler.push("tf_heading_ids", _heading_ids)
    md.core.ruler.at("normalize", _normalize)
    # A <div>, not the plugin's <section>: a section without a heading is a validator warning.
    md.add_render_rule("footnote_block_open", lambda *a: _FOOTNOTES_OPEN)
    md.add_render_rule("footnote_block_close", lambda *a: "</ol>\n</div>\n")
    md.add_render_rule("link_open", _link_open)
    return md.render
