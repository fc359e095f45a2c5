"""The search index: JavaScript files (`assets/search-00.js`, ...), each adding the entries
of up to PER_PIECE meetings to `window.TF_SEARCH`, loaded in order by plain <script src>
tags so that search works opened from disk (fetch() of a local file does not). In pieces so
that a rebuild after one meeting's body changed rewrites one piece (tfcli.site.patch), not
one file of 27 MB at 5,000 meetings.

The data is JSON with every character that could end a script or start markup escaped
(`<`, `>`, `&`, U+2028, U+2029), so no text in the minutes can break out of it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tfcli.model import Meeting
from tfcli.policy import agenda_items

if TYPE_CHECKING:  # a patched rebuild (tfcli.site.state) makes an entry without a Site
    from tfcli.site.gather import Site
    from tfcli.site.policy import Policy

# Markdown's marks and link targets, each run of them one space in an entry's text: what
# `[#*_`>\[\]|]+|\(https?://[^)]*\)` replaces, in two passes that each start with a
# literal (the regex engine then jumps to candidates instead of trying every position: a
# sixth of a clean build's search index). No mark is `(` and no target starts with a mark,
# so the links found first are the same, and a link becomes a space, never a mark.
_LINK_TARGET = re.compile(r"\(https?://[^)]*\)")
_MARKS = "*_`>[]|"  # and `#`, which each of them becomes before runs of `#` are replaced
_HASHES = re.compile("##*")
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _plain(text: str) -> str:
    """`text` without Markdown's marks and link targets (see `_LINK_TARGET`)."""
    if "(http" in text:
        text = _LINK_TARGET.sub(" ", text)
    for mark in _MARKS:
        if mark in text:
            text = text.replace(mark, "#")
    return _HASHES.sub(" ", text) if "#" in text else text


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element or a .js file."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for unsafe, escaped in _ESCAPES.items():  # each a replace in C: most are not there
        if unsafe in text:
            text = text.replace(unsafe, escaped)
    return text


def entry(site: Site, m: Meeting) -> dict[str, str]:
    return entry_of(site.policy, site.group, site.meeting_page[m.id], m)


def entry_of(policy: Policy, group: str, page: str, m: Meeting) -> dict[str, str]:
    """The entry of `m` (as the policy lets the site see it), whose page is `page`."""
    redact = policy.redact
    facts = [
        *(i.title for i in agenda_items(m)),  # sub-items too (the public ones: m is filtered)
        *m.decisions,
        *(a.text for a in m.actions),
        " ".join(m.body.split()),
    ]
    return {
        "url": page,
        "title": redact(f"{m.title or group}, {m.date.isoformat()}"),
        "date": m.date.isoformat(),
        "text": redact(_plain("\n".join(facts))),
    }


def entries(site: Site) -> list[dict[str, str]]:
    return [entry(site, m) for m in site.repo.meetings]


def entry_json(site: Site, m: Meeting) -> str:
    return script_json(entry(site, m))


PER_PIECE = 100  # meetings per file of the index (about 0.5 MB of the generated minutes)
# A piece is HEAD, its entries' JSON joined by commas (a JSON list's items, as compact
# separators give them), TAIL.
HEAD = "window.TF_SEARCH = (window.TF_SEARCH || []).concat(["
TAIL = "]);\n"
# Between two entries, and nowhere else: every value is a string, in which a `"` is `\"`.
_BETWEEN = b'},{"'


def piece_name(n: int) -> str:
    return f"assets/search-{n:02d}.js"


def pieces(meetings: int) -> list[tuple[str, int, int]]:
    """The index's files for that many meetings, each with its first meeting and the end of
    its range; one file for none, so that the search page's scripts are always there."""
    starts = range(0, max(meetings, 1), PER_PIECE)
    return [(piece_name(n), s, min(s + PER_PIECE, meetings)) for n, s in enumerate(starts)]


# The index as one file, as before the pieces: what a group's own search.html made from the
# built-in one of then loads. Written (when the group has a search.html) as a loader of the
# pieces, in order, before the page's next script (a parser-inserted script's write).
LOADER = "assets/search-index.js"


def loader_js(meetings: int) -> str:
    """`LOADER`'s text for the pieces of that many meetings (each named relative to it)."""
    names = json.dumps([name.removeprefix("assets/") for name, _, _ in pieces(meetings)])
    return (
        "/* tf render: the search index is in pieces; this loads them in order. */\n"
        "(function () {\n"
        '  var base = document.currentScript.src.replace(/[^/]*$/, "");\n'
        f"  {names}.forEach(function (f) {{\n"
        "    document.write('<script src=\"' + base + f + '\"><\\/script>');\n"
        "  });\n"
        "})();\n"
    )


def piece_js(parts: Sequence[str]) -> str:
    """A piece made of `parts`, each an entry's JSON (`entry_json`)."""
    return f"{HEAD}{','.join(parts)}{TAIL}"


def index_js(site: Site) -> dict[str, str]:
    """Every piece of the index, by its name."""
    made = [entry_json(site, m) for m in site.repo.meetings]
    return {name: piece_js(made[s:e]) for name, s, e in pieces(len(made))}


def positions(data: bytes) -> list[tuple[int, int]] | None:
    """Where each entry is in a piece's bytes (None when they are not a piece)."""
    head, tail = HEAD.encode(), TAIL.encode()
    if not data.startswith(head) or not data.endswith(tail):
        return None
    end = len(data) - len(tail)
    if end == len(head):
        return []
    found, at = [], len(head)
    while (nxt := data.find(_BETWEEN, at, end)) >= 0:
        found.append((at, nxt + 1))
        at = nxt + 2
    found.append((at, end))
    return found
