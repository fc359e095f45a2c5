"""Hints for keys tf does not know (`tfcli.fields.Fields.known`): the key it most likely
means, a status written as a key of its own (`done: yes`), and text that YAML read as a
mapping because of its colon (`- Updates: members`)."""

from __future__ import annotations

import difflib
from typing import Any

from tfcli.model import YamlPath

# Keys people write for one tf knows, from trackers and Word minutes: named in the hint.
SAME = {
    "deadline": "due",
    "due_date": "due",
    # A follow-up's new deadline is its `due:` (docs/actions.md).
    "new_due": "due",
    "new_deadline": "due",
    "revised_due": "due",
    "postponed_to": "due",
    "responsible": "owner",
    "description": "text",
    "comment": "note",
    "comments": "note",
    "remarks": "note",
    "venue": "location",
    "place": "location",
    "apologies": "regrets",
    "chairperson": "chair",
    "co-chairs": "co_chairs",
    "cochairs": "co_chairs",
    "co_chair": "co_chairs",
    "reporting": "rapporteur",  # a Word template's "Reporting" row: who takes the minutes
    "minute_taker": "rapporteur",
    "note_taker": "rapporteur",
    "agreements": "decisions",
    "action_points": "actions",
    "next_meeting_date": "next_meeting",
    "org": "organisation",
    "state": "status",
}

# Status words of trackers and minutes for the ones tf knows (as tf import-actions reads them).
WORDS = {
    **dict.fromkeys(("completed", "complete", "closed", "finished", "achieved"), "done"),
    **dict.fromkeys(("cancelled", "canceled", "abandoned", "n/a"), "dropped"),
    **dict.fromkeys(("ongoing", "on-going", "in progress", "started"), "in-progress"),
    **dict.fromkeys(("pending", "not started", "new", "to do", "outstanding"), "open"),
    **dict.fromkeys(("adopted", "endorsed", "final", "validated"), "approved"),
    **dict.fromkeys(("sent", "shared", "under review"), "circulated"),
}
_NO = frozenset(("false", "no", "n", "0", "none", "not yet"))


def near(key: str, known: tuple[str, ...]) -> str | None:
    """The hint for an unknown key that is most likely one of `known` (a near spelling,
    another case, a tracker's word for it), or None."""
    word = key.strip().lower().replace(" ", "_")
    if (same := SAME.get(word, word)) in known:  # `Date:`, `deadline:`, `venue:`
        if same == word:
            return f"write '{same}:' (keys are lower case)"
        return f"tf calls it '{same}': write '{same}:'"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else None


def status_key(key: str, value: Any, statuses: tuple[str, ...]) -> str | None:
    """The hint for a status written as a key of its own (`done: yes`, `closed: true`,
    `completed: 2022-07-10`): what to write under `status:`, or None."""
    word = " ".join(key.lower().replace("_", " ").replace("-", " ").split())
    status = next((s for s in statuses if s.replace("-", " ") == word), None)
    status = status or WORDS.get(word)
    if status not in statuses:
        return None
    if str(value).strip().lower() in _NO:  # `done: no`: not done yet
        return f"tf reads the state from 'status:' ({', '.join(statuses)}): remove this line"
    return f"tf reads the state from 'status:': write 'status: {status}'"


def colon(key: str, raw: str, at: YamlPath) -> tuple[str, str]:
    """Message and hint for text YAML read as a one-key mapping: `- Updates: members`."""
    text = f"{key}: {raw}" if raw else f"{key}:"
    quoted = f"'{text}'" if '"' in text and "'" not in text else _double(text)
    lead = "- " if at and isinstance(at[-1], int) else f"{at[-1]}: " if at else ""
    if len(text) > 120:  # a message never carries a whole file's worth of text
        text, quoted = text[:59] + "…", f'"{key}: ..."'
    return (
        f"'{text}' is read as a mapping, not as text: YAML takes the ': ' after '{key}' for a key",
        f"quote the text: {lead}{quoted}",
    )


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
