"""The search index: one JavaScript file that sets `window.TF_SEARCH`, loaded by a plain
<script src> so that search works opened from disk (fetch() of a local file does not).

The data is JSON with every character that could end a script or start markup escaped
(`<`, `>`, `&`, U+2028, U+2029), so no text in the minutes can break out of it."""

from __future__ import annotations

import json
import re
from typing import Any

from tfcli.site.gather import Site

_MD_NOISE = re.compile(r"[#*_`>\[\]|]+|\(https?://[^)]*\)")
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element or a .js file."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return _UNSAFE.sub(lambda m: _ESCAPES[m[0]], text)


def entries(site: Site) -> list[dict[str, str]]:
    redact = site.policy.redact
    out = []
    for m in site.repo.meetings:
        facts = [
            *(i.title for i in m.agenda),
            *m.decisions,
            *(a.text for a in m.actions),
            " ".join(m.body.split()),
        ]
        text = redact(_MD_NOISE.sub(" ", "\n".join(facts)))
        out.append(
            {
                "url": site.meeting_page[m.id],
                "title": redact(f"{site.title(m)}, {m.date.isoformat()}"),
                "date": m.date.isoformat(),
                "text": text,
            }
        )
    return out


def index_js(site: Site) -> str:
    return f"window.TF_SEARCH = {script_json(entries(site))};\n"
