"""What "today" is, and how far a date is from it. Overdue is decided by the calendar in the
group's time zone, never by the runner's UTC clock."""

from __future__ import annotations

import os
from datetime import date, datetime

from tfcli.errors import UsageError
from tfcli.fields import ISO_DATE, date_hint

TODAY_ENV = "TF_TODAY"

# `tf --today D COMMAND`: the root option, set for one run (tfcli.cli.app), read as $TF_TODAY
# is, so that it reaches every command, including those without their own `--today`.
root_today: str | None = None


def parse_iso(text: str, what: str) -> date:
    """A date given on the command line or in the environment: exactly YYYY-MM-DD (Python's
    fromisoformat would also take `20220709` and `2022-W28-1`). `what` names it in the error."""
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{what} '{text}' is not a real date", "check day and month") from None
    raise UsageError(f"{what} '{text}' is not a date", date_hint(text, None) or "write YYYY-MM-DD")


def today(timezone: str, override: str | None = None, now: datetime | None = None) -> date:
    """The command's `--today` if given, else `tf --today`, else $TF_TODAY, else the current
    date in `timezone`."""
    if override:
        return parse_iso(override, "--today")
    if root_today:
        return parse_iso(root_today, "--today")
    if env := os.environ.get(TODAY_ENV):
        return parse_iso(env, f"${TODAY_ENV}")
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    return (now.astimezone(zone) if now else datetime.now(zone)).date()


def days_word(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def relative(due: date | None, ref: date) -> str:
    """Human hint for a deadline: '3 days overdue', 'due today', 'in 2 days'."""
    if due is None:
        return "no due date"
    delta = (due - ref).days
    if delta < 0:
        return f"{days_word(-delta)} overdue"
    if delta == 0:
        return "due today"
    if delta == 1:
        return "due tomorrow"
    return f"in {days_word(delta)}"


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def long_date(value: date, weekday: bool = False) -> str:
    """`8 July 2022`, or `Friday 8 July 2022`: English whatever the machine's locale."""
    day = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return f"{_DAYS[value.weekday()]} {day}" if weekday else day
