"""The group's configuration as data (tf.yml, tfcli.config): pure records like the minutes'
own (tfcli.model, which names them too: import them from either)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tfcli.record import Frozen, Record
from tfcli.record import init as _init


# fmt: off
# Each record's fields, packed, as in tfcli.model.
class Organisation(Frozen):
    __slots__ = ("name", "short", "group", "email")
    name: str
    short: str | None
    group: str | None
    email: tuple[str, ...]  # focal points: for drafted e-mails only, never published

    def __init__(
        self, name: str, short: str | None = None, group: str | None = None,
        email: tuple[str, ...] = (),
    ) -> None:
        _init(self, name, short, group, email)


class Cadence(Frozen):
    """How often the group meets: every `days` days or every `months` months; on `weekday`
    (0 Monday) when the rule names one, for a monthly rule the `nth` (1-4, -1 last) of the
    month; never on a `skip` date (holidays). Grammar and dates in tfcli/cadence.py."""

    __slots__ = ("days", "months", "text", "weekday", "nth", "skip")
    days: int
    months: int
    text: str
    weekday: int | None
    nth: int
    skip: frozenset[date]

    def __init__(
        self, days: int = 0, months: int = 0, text: str = "", weekday: int | None = None,
        nth: int = 0, skip: frozenset[date] = frozenset(),
    ) -> None:
        _init(self, days, months, text, weekday, nth, skip)


class Config(Record):
    __slots__ = (
        "root", "path", "group", "minutes_dir", "templates_dir", "timezone", "cadence",
        "meeting_time", "meeting_location", "visibility", "organisations", "roles",
        "standing_agenda", "default_agenda",
    )
    root: Path
    path: Path | None  # tf.yml, when there is one
    group: str
    minutes_dir: Path
    templates_dir: Path
    timezone: str
    cadence: Cadence | None
    meeting_time: str | None
    meeting_location: str | None
    visibility: str
    organisations: tuple[Organisation, ...]
    roles: dict[str, tuple[str, ...]]
    standing_agenda: tuple[str, ...]
    default_agenda: tuple[str, ...] | None  # overrides the built-in standing agenda

    def __init__(
        self, root: Path, path: Path | None = None, group: str = "Task force",
        minutes_dir: Path = Path("minutes"), templates_dir: Path = Path("templates"),
        timezone: str = "UTC", cadence: Cadence | None = None, meeting_time: str | None = None,
        meeting_location: str | None = None, visibility: str = "public",
        organisations: tuple[Organisation, ...] = (),
        roles: dict[str, tuple[str, ...]] | None = None, standing_agenda: tuple[str, ...] = (),
        default_agenda: tuple[str, ...] | None = None,
    ) -> None:
        _init(
            self, root, path, group, minutes_dir, templates_dir, timezone, cadence, meeting_time,
            meeting_location, visibility, organisations, {} if roles is None else roles,
            standing_agenda, default_agenda,
        )
# fmt: on
