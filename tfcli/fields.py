"""Typed reading of a YAML tree with located problems: the primitives `schema` and `config`
build on. Every reader returns None (or a default) on bad input and records why."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from tfcli.keyhints import WORDS, colon, near, status_key
from tfcli.model import MEETING_ROLES, Person, Problem, Severity, Span, YamlPath

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
HHMM = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d\Z")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}


def guess_date(text: str, year: int | None) -> date | None:
    """Read a date people write by hand (`2022-7-8`, `8 July`, `08.07.2022`), to suggest its
    ISO form in a hint. Never used to accept a value."""
    t = text.strip().lower().replace(",", " ")
    try:
        if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t):
            return date(int(m[3]), int(m[2]), int(m[1]))  # day first, as in Europe
        if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?", t):
            day, month, y = m[1], m[2], m[3]
        elif m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s+(\d{4}))?", t):
            month, day, y = m[1], m[2], m[3]
        else:
            return None
        if month not in _MONTHS or not (y or year):
            return None
        return date(int(y) if y else year or 0, _MONTHS[month], int(day))
    except ValueError:
        return None


def date_hint(text: str, year: int | None) -> str | None:
    """The fix for a date written by hand, in a hint. `08/07/2022` may be day first (Europe)
    or month first (the US): both readings are named, never one chosen silently; `13/07/2022`
    and `07/13/2022` can be read only one way."""
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text.strip()):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        readings = []
        for day, month in ((a, b), (b, a)):
            with contextlib.suppress(ValueError):
                readings.append(date(y, month, day))
        if len(set(readings)) == 2:  # %B: English, as tf sets no locale
            first, second = (f"{d} if it is {d.day} {d:%B}" for d in readings)
            return f"write {first}, day first; {second}, month first"
        return f"write {readings[0]}" if readings else None
    guess = guess_date(text, year)
    return f"write {guess.isoformat()}" if guess else None


def is_iso_date(value: Any) -> bool:
    return isinstance(value, str) and bool(ISO_DATE.match(value))


# Where a Word template's "Time" row often holds the place: `time: Zoom`.
_PLATFORMS = frozenset(
    ["zoom", "teams", "ms teams", "microsoft teams", "webex", "skype", "google meet", "online",
     "virtual", "hybrid", "in person", "in-person"]
)  # fmt: skip


def _time_hint(text: str) -> str:
    """The fix for a time people write by hand (`9.30`, `10:00:00`, `2pm`, `10:00 CET`)."""
    t = text.strip().lower()
    if m := re.fullmatch(r"(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])\.?m\.?", t):
        hour = int(m[1]) % 12 + (12 if m[3] == "p" else 0)
        if int(m[1]) <= 12:
            return f"write {hour:02d}:{m[2] or '00'} (24-hour)"
    if (m := re.fullmatch(r"(\d{1,2})[:.h](\d{2})(?::00)?", t)) and int(m[1]) < 24:
        return f"write {int(m[1]):02d}:{m[2]}"
    zoned = re.fullmatch(r"(\d{1,2})[:.h](\d{2})\s+[^-\u2013\u2014\d].*", t)
    if zoned and int(zoned[1]) < 24:  # `10:00 CET`: every time is in the group's time zone
        return f"write {int(zoned[1]):02d}:{zoned[2]}: times are in the group's time zone (tf.yml)"
    return "write HH:MM, 24-hour"


class Fields:
    """Reads values out of one YAML tree, recording a located Problem for each bad one."""

    def __init__(
        self,
        path: str,
        spans: dict[YamlPath, Span],
        key_spans: dict[YamlPath, Span],
        problems: list[Problem],
        source: dict[YamlPath, str] | None = None,
    ):
        self.path = path
        self.spans = spans
        self.key_spans = key_spans
        self.source = source if source is not None else {}  # not `or`: that makes a lazy map
        self.problems = problems
        self.year: int | None = None  # context for date hints

    def where(self, at: YamlPath, key: bool = False) -> tuple[int, int]:
        p = at
        if key and (ks := self.key_spans.get(p)):
            return ks.line, ks.col
        while (s := self.spans.get(p)) is None and p:  # one look-up per step: spans may be lazy
            p = p[:-1]
        return (s.line, s.col) if s else (1, 1)

    def report(
        self,
        at: YamlPath,
        rule: str,
        message: str,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
        key: bool = False,
    ) -> None:
        line, col = self.where(at, key)
        self.problems.append(Problem(self.path, line, col, severity, rule, message, hint))

    def type_error(self, at: YamlPath, value: Any, expected: str) -> None:
        got = kind(value)
        hint = _as_list(value, expected) if "a list" in expected and "'- '" in expected else None
        self.report(at, "type", f"'{_name(at)}' must be {expected}, not {got}", hint)

    # -- scalars ---------------------------------------------------------------------------

    def text(self, value: Any, at: YamlPath) -> str | None:
        if value.__class__ is str:  # nearly every value: the rest of the tests only for others
            return value.strip() or None
        if value is None:
            return None
        if isinstance(value, dict) and self.colon(value, at):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.type_error(at, value, "text")
            return None
        return str(value).strip() or None

    def date(self, value: Any, at: YamlPath) -> date | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.type_error(at, value, "a date (YYYY-MM-DD)")
            return None
        if ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                self.report(at, "date", f"'{value}' is not a real date", "check day and month")
                return None
        hint = date_hint(value, self.year) or "write it as YYYY-MM-DD, e.g. 2022-07-08"
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})(?::\d{2})?", value.strip()):
            hint = f"write {m[1]}"  # a date and a time: the time has its own key
            if at in (("date",), ("next_meeting", "date")):
                hint = f"write 'date: {m[1]}' and, on a line of its own, 'time: {m[2]:0>5}'"
        shown = excerpt(value)
        self.report(at, "date", f"'{_name(at)}' is '{shown}', not a date in YYYY-MM-DD form", hint)
        return None

    def time(self, value: Any, at: YamlPath) -> str | None:
        if value is None:
            return None
        text = self.source.get(at, value if isinstance(value, str) else "")
        if HHMM.match(text):
            return text
        hint = _time_hint(text)
        span = re.fullmatch(r"(\d{1,2})[:.h](\d{2})\s*[-–—]\s*(\d{1,2})[:.h](\d{2})", text)
        if span and at[-1:] == ("time",) and at[:-1] in ((), ("next_meeting",)):
            # The Word minutes' "Time 10:00-12:00": a meeting has an end_time for the end.
            start, end = f"{int(span[1]):02d}:{span[2]}", f"{int(span[3]):02d}:{span[4]}"
            hint = f"write 'time: {start}' and, on a line of its own, 'end_time: {end}'"
        elif at[-1:] == ("time",) and " ".join(text.lower().split()) in _PLATFORMS:
            # The seed's Word table: "Time | Zoom". The platform or place has a key of its own.
            place = excerpt(text)
            hint = (
                f"write HH:MM, 24-hour; a place or platform such as '{place}' goes in 'location:'"
            )
        shown = excerpt(text or self.source.get(at, str(value)))
        self.report(at, "time", f"'{_name(at)}' is '{shown}', not a time in HH:MM form", hint)
        return None

    def choice(self, value: Any, at: YamlPath, allowed: Iterable[str], default: str) -> str:
        options = tuple(allowed)
        if value is None:
            return default
        if isinstance(value, str) and value in options:
            return value
        near = difflib.get_close_matches(str(value).lower(), options, n=1)
        hint = f"did you mean '{near[0]}'?" if near else None
        if not near and (word := WORDS.get(" ".join(str(value).lower().split()))) in options:
            hint = f"did you mean '{word}'?"  # `finished`, `cancelled`, `adopted`...
        self.report(
            at,
            "enum",
            f"'{_name(at)}' is '{excerpt(value)}'; allowed: {', '.join(options)}",
            hint,
        )
        return default

    # -- structures ------------------------------------------------------------------------

    def mapping(self, value: Any, at: YamlPath) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.type_error(at, value, "a mapping (key: value lines)")
            return None
        return value

    def items(
        self, value: Any, at: YamlPath, expected: str = "a list (lines starting with '- ')"
    ) -> list[tuple[YamlPath, Any]]:
        """A list's items with their paths; a single scalar is accepted as a one-item list
        only by callers that say so, so here anything else is a type error naming every form
        the caller accepts (`expected`)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.type_error(at, value, expected)
            return []
        return [((*at, i), v) for i, v in enumerate(value)]

    def texts(self, value: Any, at: YamlPath, one_ok: bool = False) -> tuple[str, ...]:
        if one_ok and isinstance(value, str | int) and not isinstance(value, bool):
            value = [value]
        expected = (
            "text or a list of text" if one_ok else "a list of text (lines starting with '- ')"
        )
        out = (self.text(v, p) for p, v in self.items(value, at, expected))
        return tuple(t for t in out if t)

    def known(
        self,
        mapping: dict[str, Any],
        at: YamlPath,
        keys: Iterable[str],
        statuses: tuple[str, ...] = (),
    ) -> None:
        """Warn about keys we do not know; they are kept, never dropped. `statuses`: those of
        this mapping's `status:`, for a status written as a key (`done: yes`)."""
        known = tuple(keys)
        for key in mapping:
            if key in known:
                continue
            hint = near(str(key), known) or f"known keys: {', '.join(known)}"
            if statuses and (said := status_key(str(key), mapping[key], statuses)):
                hint = said
            self.report(
                (*at, key),
                "unknown-key",
                f"unknown key '{key}' (kept as written)",
                hint,
                Severity.WARNING,
                key=True,
            )

    def colon(self, value: dict[Any, Any], at: YamlPath, keys: tuple[str, ...] = ()) -> bool:
        """A one-key mapping where text may go (`- Updates: members`) is text whose ': ' YAML
        took for a key: one error with the text quoted, not a missing field and an unknown
        key. A key near one of `keys` (`- Title: AOB`) is left to `known`."""
        if len(value) != 1:
            return False
        ((key, inner),) = value.items()
        if (
            not isinstance(key, str)
            or isinstance(inner, dict | list)
            or key in keys
            or near(key, keys)
        ):
            return False
        raw = inner if isinstance(inner, str) else self.source.get((*at, key), str(inner))
        said = at if self.spans.get(at) or not at else at[:-1]  # `chair: {x: 1}` read as [{...}]
        self.report(at, "type", *colon(key, "" if inner is None else raw.strip(), said))
        return True

    def person(self, value: Any, at: YamlPath, attends: bool = False) -> Person | None:
        """Text (`Name (Organisation)`) or a mapping; `attends` also allows `as:` (how a
        participant takes part: observer, guest...)."""
        if isinstance(value, dict):
            keys = ("name", "organisation", "role", *(("as",) if attends else ()))
            if self.colon(value, at, keys):  # `- IOM: Maria`
                return None
            self.known(value, at, keys)
            name = self.text(value.get("name"), (*at, "name"))
            org = self.text(value.get("organisation"), (*at, "organisation"))
            if not (name or org):
                self.report(at, "required", "a person needs 'name' or 'organisation'")
                return None
            role = self.text(value.get("role"), (*at, "role"))
            how = self.choice(value.get("as"), (*at, "as"), MEETING_ROLES, "") if attends else ""
            return Person(name, org, role, how or None, not org)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            self.type_error(at, value, PERSON_FORMS)
            return None
        text = self.text(value, at)
        return parse_person(text) if text else None

    def people(
        self, value: Any, at: YamlPath, attends: bool = False, one_ok: bool = False
    ) -> tuple[Person, ...]:
        if one_ok and (isinstance(value, dict | str) or type(value) is int):
            value = [value]
        expected = f"{PERSON_FORMS}, or a list of them" if one_ok else PEOPLE_FORMS
        out = (self.person(v, p, attends) for p, v in self.items(value, at, expected))
        return tuple(p for p in out if p)

    def groups(self, value: Any, at: YamlPath) -> dict[str, tuple[Person, ...]]:
        """Participants or regrets: a list of persons, or a mapping group -> list."""
        attends = at[-1] == "participants"
        if isinstance(value, dict):
            return {str(k): self.people(v, (*at, k), attends) for k, v in value.items()}
        if value is not None and not isinstance(value, list):
            self.type_error(at, value, f"{PEOPLE_FORMS}, or a mapping of groups to such lists")
            return {}
        people = self.people(value, at, attends)
        return {"": people} if people else {}


# Every form a person may take, for messages (a message that names one form misleads).
PERSON_FORMS = "a person: text ('Name (Organisation)') or a mapping (name, role, organisation)"
PEOPLE_FORMS = "a list of persons (lines starting with '- ')"


_NAME_ORG = re.compile(r"(.+?)\s*\(([^()]+)\)")


def parse_person(text: str) -> Person:
    """`Name (Organisation)` → name and organisation; anything else is a bare name/org."""
    m = _NAME_ORG.fullmatch(text)
    if m:
        return Person(m[1].strip(), m[2].strip())
    return Person(text)


def _name(at: YamlPath) -> str:
    parts = [str(p) for p in at if isinstance(p, str)]
    return parts[-1] if parts else "value"


def excerpt(value: Any, limit: int = 60) -> str:
    """At most `limit` characters of a value quoted in a message: a whole file can be one
    YAML scalar (/etc/passwd is), and a message must never carry it."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{excerpt(value)}'"


def _as_list(value: Any, expected: str) -> str | None:
    """How to write as a list what was written as one text or one mapping: a Word table's
    cell pasted as it was ('UNHCR, IOM, OSCE'; 'Welcome; Tour de table'), or an action whose
    '- ' was left out. Commas part only persons: a decision may hold one."""
    if isinstance(value, dict):  # `{}`: no key to put a '- ' before
        return None if "of text" in expected or not value else "put '- ' before its first key"
    if not isinstance(value, str) or not value.strip():
        return None
    sep = ";" if ";" in value else ("," if "persons" in expected else None)
    parts = [p.strip() for p in value.split(sep) if p.strip()] if sep else [value.strip()]
    if len(parts) > 8 or any(
        ": " in p or "," in p or " #" in p or p[0] in "[]{}&*!|>'\"%@`#,?-" for p in parts
    ):
        return "write one '- ' line per item"
    return f"write it as a list: [{', '.join(parts)}]"
