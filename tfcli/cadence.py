"""Meeting date rules (`cadence:` in tf.yml): the grammar, and the dates a rule gives.

Plain steps (`every 2 weeks`, `monthly`) count from the latest meeting, as they always have.
A rule that names a weekday (`every 2 weeks on Thursday`, `first Thursday of the month`,
`last Wednesday`) has fixed dates: a meeting held on another day stands for the rule's date
nearest to it, so one meeting moved to a Wednesday never moves the meetings after it."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from tfcli.model import Cadence

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{d[:3]: i for i, d in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
_WORDS = {
    "weekly": (7, 0),
    "biweekly": (14, 0),
    "bi-weekly": (14, 0),
    "fortnightly": (14, 0),
    "monthly": (0, 1),
    "quarterly": (0, 3),
}

# The forms, for the hint of `tf check` and for docs/config.md.
FORMS = (
    "weekly, biweekly, fortnightly, monthly, quarterly, every N days|weeks|months, "
    "every other week; "
    "with a weekday: every Thursday, every 2 weeks on Thursday, every other Thursday; "
    "by the month: first|second|third|fourth|last Thursday of the month, "
    "every 2 months on the last Wednesday"
)

_DAY = r"([a-z]+?)s?"  # `Thursday` or `Thursdays`
_STEP = (
    r"(?:(weekly|biweekly|bi-weekly|fortnightly|monthly|quarterly)"
    r"|every\s+(?:(\d{1,3}|other)\s+)?(week|month)s?)"
)


def parse(text: str) -> Cadence | None:
    """The rule `text` states, or None when it is not one of FORMS."""
    t = " ".join(text.strip().lower().replace(",", " ").split())
    if t in _WORDS:
        days, months = _WORDS[t]
        return Cadence(days, months, text)
    if m := re.fullmatch(r"(?:every\s+)?(\d{1,3}|other)?\s*(day|week|month)s?", t):
        n = 2 if m[1] == "other" else int(m[1] or 1)
        if n < 1:
            return None
        if m[2] == "month":
            return Cadence(months=n, text=text)
        return Cadence(days=n * (7 if m[2] == "week" else 1), text=text)
    if m := re.fullmatch(rf"every\s+(other\s+)?{_DAY}", t):  # every Thursday
        day = _DAY_NAMES.get(m[2])
        return None if day is None else Cadence(14 if m[1] else 7, 0, text, day)
    if m := re.fullmatch(rf"{_STEP}\s+on\s+(?:the\s+)?(?:([a-z0-9]+)\s+)?{_DAY}", t):
        days, months = _step(m[1], m[2], m[3])
        day, nth = _DAY_NAMES.get(m[5]), _ORDINALS.get(m[4]) if m[4] else 0
        if day is None or nth is None or not (days or months) or (days and nth):
            return None
        if months and not nth:
            return None  # `monthly on Thursday`: which Thursday? refused, never guessed
        return Cadence(days, months, text, day, nth)
    of = r"(?:\s+of\s+(?:the|each|every)\s+(?:(\d{1,3})\s+)?months?)?"
    if m := re.fullmatch(rf"(?:the\s+)?([a-z0-9]+)\s+{_DAY}{of}", t):  # last Wednesday
        day, nth = _DAY_NAMES.get(m[2]), _ORDINALS.get(m[1])
        months = int(m[3] or 1)
        if day is None or nth is None or months < 1:
            return None
        return Cadence(0, months, text, day, nth)
    return None


def _step(word: str | None, n: str | None, unit: str | None) -> tuple[int, int]:
    if word:
        return _WORDS[word]
    count = 2 if n == "other" else int(n or 1)
    if count < 1:
        return 0, 0
    return (0, count) if unit == "month" else (7 * count, 0)


# -- dates ------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, keeping the day of the month, clamped to the month's
    last day (31 Jan + 1 month = 28 Feb; + 2 months = 31 Mar)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The first..fourth (nth 1-4) or last (nth -1) `weekday` of a month."""
    if nth < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _by_month(c: Cadence, day: date, months: int) -> date:
    total = day.month - 1 + months
    assert c.weekday is not None
    return nth_weekday(day.year + total // 12, total % 12 + 1, c.weekday, c.nth)


def anchor(c: Cadence, day: date) -> date:
    """The rule's date that a meeting held on `day` stands for: the nearest date with the
    rule's weekday (for a monthly rule, the weekday in its place in the month); the earlier
    one when two are as near, since a meeting is more often postponed than brought forward."""
    if c.weekday is None:
        return day
    if c.nth:
        near = [_by_month(c, day, k) for k in (-1, 0, 1)]
    else:
        back = day - timedelta(days=(day.weekday() - c.weekday) % 7)
        near = [back, back + timedelta(days=7)]
    return min(near, key=lambda d: (abs((d - day).days), d))


def step(c: Cadence, start: date, times: int) -> date:
    """`times` steps of the rule from `start` (one of its dates, or a meeting's date)."""
    if c.weekday is not None and c.nth:
        return _by_month(c, start, c.months * times)
    if c.months:
        return add_months(start, c.months * times)
    return start + timedelta(days=c.days * times)


def after(c: Cadence, day: date, not_before: date | None = None) -> date:
    """The rule's first date after the meeting held on `day` that is not before
    `not_before` and not a skipped date. OverflowError/ValueError past year 9999."""
    start = anchor(c, day)
    floor = max(not_before or day, day + timedelta(days=1))
    if c.days:
        times = max(1, -(-(floor - start).days // c.days))  # ceiling division
    else:
        times = max(1, ((floor.year - start.year) * 12 + floor.month - start.month) // c.months)
    while (d := step(c, start, times)) < floor or d in c.skip or d <= day:
        times += 1
    return d


def first_on_or_after(c: Cadence, today: date) -> date:
    """The rule's first date on or after `today` when no meeting has been held yet: a rule
    with a weekday has dates of its own (the first Thursday, the first of the months' last
    Wednesdays); a plain step starts today."""
    if c.weekday is None:
        return today
    d = today + timedelta(days=(c.weekday - today.weekday()) % 7)
    if c.nth:
        d = _by_month(c, today, 0)
        while d < today or d in c.skip:
            d = _by_month(c, d, 1)
        return d
    while d in c.skip:
        d += timedelta(days=c.days)
    return d
