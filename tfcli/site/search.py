"""The search index: one JavaScript file that sets `window.TF_SEARCH`, loaded by a plain
<script src> so that search works opened from disk (fetch() of a local file does not).

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
        "text": redact(_MD_NOISE.sub(" ", "\n".join(facts))),
    }


def entries(site: Site) -> list[dict[str, str]]:
    return [entry(site, m) for m in site.repo.meetings]


def entry_json(site: Site, m: Meeting) -> str:
    return script_json(entry(site, m))


def index_js(site: Site, parts: Sequence[str] | None = None) -> str:
    """The index; or made of `parts`, each an entry's JSON (`entry_json`), which gives the
    same text (compact separators: a list's JSON is its items' joined by commas)."""
    if parts is None:
        return f"window.TF_SEARCH = {script_json(entries(site))};\n"
    return f"window.TF_SEARCH = [{','.join(parts)}];\n"
