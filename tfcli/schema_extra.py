"""The meeting fields real minutes have beyond the first format's core: the length and
purpose of a meeting, its language, a postponement, the attendance annex. Read like every
field: each problem reported with its place, a bad value left out."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tfcli.fields import Fields, excerpt
from tfcli.model import Postponed, Severity

_DURATION = re.compile(
    r"(?:(?P<h>\d{1,2})\s*(?:hours?|hrs?|h)\s*)?(?:(?P<m>\d{1,4})\s*(?:min|mins|minutes?)?)?\Z",
    re.IGNORECASE,
)


def duration(f: Fields, value: Any) -> int | None:
    """Minutes: `90`, `90 min`, `2 h`, `1 h 30`, `1h30min`."""
    at = ("duration",)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        f.type_error(at, value, "a duration: minutes (90), '90 min', '2 h' or '1 h 30'")
        return None
    m = _DURATION.match(str(value).strip())
    if m and (m["h"] or m["m"]):
        minutes = int(m["h"] or 0) * 60 + int(m["m"] or 0)
        if 0 < minutes <= 24 * 60:
            return minutes
        f.report(at, "duration", f"duration '{value}' is not between 1 minute and 24 hours")
        return None
    f.report(
        at,
        "duration",
        f"duration '{excerpt(value)}' is not a length of time",
        "write minutes (90), '90 min', '2 h' or '1 h 30'",
    )
    return None


# A BCP 47 language tag, as the web writes it: `en`, `fr`, `ar`, `pt-BR`, `sr-Latn`.
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
_LANGUAGE_NAMES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "arabic": "ar",
    "russian": "ru",
    "ukrainian": "uk",
    "romanian": "ro",
    "română": "ro",
    "greek": "el",
    "portuguese": "pt",
    "german": "de",
    "turkish": "tr",
}


def language(f: Fields, value: Any) -> str | None:
    text = f.text(value, ("language",))
    if text is None or _LANGUAGE.match(text):
        return text
    code = _LANGUAGE_NAMES.get(text.lower())
    f.report(
        ("language",),
        "language",
        f"language '{excerpt(text)}' is not a language code",
        f"write 'language: {code}'" if code else "write a BCP 47 code, e.g. en, fr, ar, pt-BR",
    )
    return None


def postponed(f: Fields, value: Any, day: date | None) -> Postponed | None:
    """`postponed: 2023-03-02` or `postponed: {from: 2023-03-02, reason: ...}`."""
    at = ("postponed",)
    if value is None:
        return None
    if isinstance(value, dict):
        f.known(value, at, ("from", "reason"))
        if value.get("from") is None:
            f.report(at, "required", "'postponed' needs 'from': the date first planned")
        first = f.date(value.get("from"), (*at, "from"))
        reason = f.text(value.get("reason"), (*at, "reason"))
    elif isinstance(value, str):
        first, reason = f.date(value, at), None
    else:
        f.type_error(at, value, "a date (YYYY-MM-DD), or a mapping (from, reason)")
        return None
    if first and day and first >= day:
        f.report(
            (*at, "from") if isinstance(value, dict) else at,
            "postponed",
            f"the meeting was postponed from {first}, which is not before its date {day}",
            "'from' is the date first planned; a meeting brought forward needs no 'postponed'",
            Severity.WARNING,
        )
    return Postponed(first, reason) if first or reason else None


def attendees(f: Fields, value: Any) -> dict[str, tuple[str, ...]]:
    """The attendance annex: organisation -> the people who attended for it."""
    at = ("attendees",)
    if value is None:
        return {}
    if not isinstance(value, dict):
        f.type_error(at, value, "a mapping of organisations to names (UNHCR: [A, B])")
        return {}
    return {str(org): f.texts(names, (*at, org), one_ok=True) for org, names in value.items()}
