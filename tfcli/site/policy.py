"""The publication policy, in one place: what of the minutes a site may show.

A public build (the default) leaves out restricted meetings (and with them their actions,
decisions and follow-ups), every contact, and redacts e-mail addresses and phone numbers in
any text it publishes. An internal build (`--include-restricted`) keeps restricted meetings
and says so on every page. Contacts and the attendance annex (`attendees:`) are never
published, in either build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tfcli import policy as parts  # the parts of one meeting; this module: the site
from tfcli.model import Meeting, Repo
from tfcli.record import replace

# C0 and C1 control characters but tab, newline and carriage return: never shown on a page.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    # Here, not in render.py: a patched rebuild formats a body without importing Jinja2.
    return _CONTROLS.sub("", text)


EMAIL_REDACTED = "[e-mail removed]"
PHONE_REDACTED = "[phone removed]"

_EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# The same, starting only where a run of the characters of an address's local part starts:
# searched with `_EMAIL`, a megabyte of letters before one `@` is tried from each of them
# (quadratic: 4 s at 40 KB, hours at the 2 MiB a file may have). A match from inside a run
# is one from its start (the same `@` and domain), unless a match just ended there: see
# `_emails`.
_EMAIL_START = re.compile(r"(?:mailto:)?(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# A phone number: + or 0, then at least 7 more digits, with spaces, dots, dashes or brackets
# between them. Starting with + or 0 keeps dates and ranges (2022-2026, 2022-06-24) out.
# Written as `(?<![\w+])(?:\+|\(?0)...` reads, but each branch opens with its literal (the
# look-behind after it, two characters wide): the regex engine then jumps from one `+`, `(`
# or `0` to the next instead of trying every position (3x faster on a meeting's body).
_PHONE = re.compile(r"(?:\+(?<![\w+]\+)|\((?<![\w+]\()0|0(?<![\w+]0))[\d\s().\-/]{6,}\d(?!\w)")
PHONE_PATTERN = _PHONE.pattern  # the renderer's test of what redact could change
_DIGIT = re.compile(r"\d")

# Link schemes a reader may follow. Everything else (javascript:, data:, vbscript:, file:)
# is dropped; a URL without a scheme is relative and stays inside the site or the web.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore these when they read a scheme ("java\tscript:"), so we do too.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def safe_url(url: str | None) -> str | None:
    """`url` when a reader may follow it, else None."""
    if not url:
        return None
    probe = _IGNORED_IN_URL.sub("", url)
    m = _SCHEME.match(probe)
    if m is None:
        # Relative: refuse protocol-relative tricks and backslashes browsers read as slashes.
        return None if probe.startswith(("//", "\\", "/\\")) or ":" in probe.split("/")[0] else url
    return url if m[1].lower() in SAFE_SCHEMES else None


def _emails(text: str) -> Iterator[re.Match[str]]:
    """`_EMAIL.finditer(text)` in linear time: after a match, `_EMAIL` may go on from its end
    inside a run (`a@b.c.@d.e`: `.@d.e`); elsewhere a match starts where `_EMAIL_START` finds it."""
    m = _EMAIL_START.search(text)
    while m is not None:
        yield m
        pos = m.end()
        m = _EMAIL.match(text, pos) or _EMAIL_START.search(text, pos)


def _phone(m: re.Match[str]) -> str:
    text = m[0]
    return PHONE_REDACTED if len(_DIGIT.findall(text)) >= 8 else text


def personal_data(text: str) -> list[tuple[int, str]]:
    """(offset, 'e-mail address' | 'phone number') of what `Policy.redact` would remove."""
    found = [(m.start(), "e-mail address") for m in _emails(text)] if "@" in text else []
    found += [
        (m.start(), "phone number") for m in _PHONE.finditer(text) if len(_DIGIT.findall(m[0])) >= 8
    ]
    return sorted(found)


@dataclass(frozen=True, slots=True)
class Policy:
    include_restricted: bool = False

    @property
    def internal(self) -> bool:
        return self.include_restricted

    def publishes(self, m: Meeting) -> bool:
        return self.include_restricted or m.visibility != "restricted"

    def filter(self, repo: Repo) -> Repo:
        """The repo as the site may see it: only the meetings it publishes, and in a public
        build each without its restricted parts (tfcli.policy decides which)."""
        meetings = [m for m in repo.meetings if self.publishes(m)]
        if not self.include_restricted:
            hidden = parts.hidden_actions(repo.meetings)
            meetings = [parts.public_view(m, hidden) for m in meetings]
        elif not parts.publishes_attendees():  # a site never asks: not even internal builds
            meetings = [replace(m, attendees={}) for m in meetings]
        # The loading problems stay: they tell an action's `due:` in error from none
        # (actions.track: "invalid due date", as every other view says); nothing of a
        # restricted meeting is found through them (they are matched to published meetings).
        return Repo(repo.config, meetings, repo.problems, [m.path for m in meetings])

    def redact(self, text: str) -> str:
        """Text with e-mail addresses and phone numbers replaced by a note saying so."""
        if "@" in text:
            parts: list[str] = []
            pos = 0
            for m in _emails(text):
                parts += (text[pos : m.start()], EMAIL_REDACTED)
                pos = m.end()
            text = "".join(parts) + text[pos:] if parts else text
        return _PHONE.sub(_phone, text)
