"""tf.yml → Config. Every setting has a default, so a repo without tf.yml works too."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import Any

from tfcli.errors import DataError
from tfcli.fields import Fields, excerpt, kind
from tfcli.model import (
    FORMAT_VERSION,
    VISIBILITIES,
    Cadence,
    Config,
    Organisation,
    Problem,
    Severity,
    YamlPath,
)
from tfcli.yamlstrict import Tree

CONFIG_NAME = "tf.yml"
CONFIG_KEYS = (
    "format",
    "group",
    "minutes",
    "templates",
    "timezone",
    "cadence",
    "meeting",
    "visibility",
    "organisations",
    "roles",
    "standing_agenda",
    "agenda",
)


def parse_cadence(text: str) -> Cadence | None:
    """A date rule such as `every 2 weeks on Thursday` (grammar in tfcli/cadence.py)."""
    from tfcli.cadence import parse

    return parse(text)


def build_config(
    root: Path, path: Path | None, display: str, tree: Tree | None
) -> tuple[Config, list[Problem]]:
    problems: list[Problem] = []
    config = Config(root=root, path=path, minutes_dir=root / "minutes")
    config.templates_dir = root / "templates"
    if tree is None:
        return config, problems
    f = Fields(display, tree.spans, tree.key_spans, problems, tree.source)
    raw = tree.value if tree.value is not None else {}
    c = f.mapping(raw, ())
    if c is None:
        return config, problems
    f.known(c, (), CONFIG_KEYS)
    fmt = c.get("format", FORMAT_VERSION)
    if type(fmt) is not int or fmt != FORMAT_VERSION:  # as a meeting's `format:`
        f.report(
            ("format",),
            "format",
            f"format {excerpt(repr(fmt))} is not supported; this tf reads format {FORMAT_VERSION}",
            "upgrade tf, or set 'format: 1'",
        )
    config.group = f.text(c.get("group"), ("group",)) or config.group
    config.minutes_dir = _folder(f, c, "minutes", root) or config.minutes_dir
    config.templates_dir = _folder(f, c, "templates", root) or config.templates_dir
    zone = c.get("timezone")
    if "timezone" in c and (zone is None or (isinstance(zone, str) and not zone.strip())):
        f.report(
            ("timezone",),
            "timezone",
            "'timezone' is empty; using UTC",
            "use an IANA name such as Europe/Chisinau, or remove the line for UTC",
            key=True,
        )
    elif tz := f.text(c.get("timezone"), ("timezone",)):
        if valid_zone(tz):
            config.timezone = tz
        else:
            f.report(
                ("timezone",),
                "timezone",
                f"unknown time zone '{excerpt(tz)}'; using UTC",
                zone_hint(tz),
            )
    config.cadence = _cadence(f, c.get("cadence"))
    if meeting := f.mapping(c.get("meeting"), ("meeting",)):
        f.known(meeting, ("meeting",), ("time", "location"))
        config.meeting_time = f.time(meeting.get("time"), ("meeting", "time"))
        config.meeting_location = f.text(meeting.get("location"), ("meeting", "location"))
    config.visibility = f.choice(c.get("visibility"), ("visibility",), VISIBILITIES, "public")
    config.organisations = tuple(_organisations(f, c.get("organisations")))
    config.roles = _roles(f, c.get("roles"), config.organisations)
    config.standing_agenda = f.texts(c.get("standing_agenda"), ("standing_agenda",))
    if "agenda" in c:
        config.default_agenda = f.texts(c.get("agenda"), ("agenda",))
    return config, problems


def _cadence(f: Fields, value: Any) -> Cadence | None:
    """`cadence: RULE`, or `cadence: {rule: RULE, skip: [dates]}` with the days the group
    does not meet (holidays)."""
    from tfcli.cadence import FORMS
    from tfcli.record import replace

    at: YamlPath = ("cadence",)
    skip: dict[date, YamlPath] = {}
    if isinstance(value, dict):
        f.known(value, at, ("rule", "skip"))
        for p, v in f.items(value.get("skip"), (*at, "skip")):
            if (day := f.date(v, p)) is not None:
                skip[day] = p
        at, value = (*at, "rule"), value.get("rule")
    rule = f.text(value, at)
    if not rule:
        return None
    cadence = parse_cadence(rule)
    if cadence is None:
        f.report(at, "cadence", f"cadence '{excerpt(rule)}' is not understood", f"write {FORMS}")
        return None
    if cadence.weekday is not None:
        from tfcli.cadence import WEEKDAYS

        for day, p in skip.items():  # a skipped date the rule never gives: a typo
            if day.weekday() != cadence.weekday:
                f.report(
                    p,
                    "cadence",
                    f"skipped date {day.isoformat()} is a {WEEKDAYS[day.weekday()].title()}; "
                    f"the rule meets on {WEEKDAYS[cadence.weekday].title()}s",
                    "list only dates of the rule",
                    Severity.WARNING,
                )
    return replace(cadence, skip=frozenset(skip))


def _folder(f: Fields, c: dict[str, Any], key: str, root: Path) -> Path | None:
    """A folder named in tf.yml, which must lie inside the repository (the folder holding
    tf.yml) once every symbolic link is followed. Outside, it stops every command, as an
    unreadable tf.yml does: reading the default folder instead would act on files the
    group did not name."""
    from tfcli.paths import within

    name = f.text(c.get(key), (key,))
    if not name:
        return None
    folder = root / name
    if not within(folder, root):
        line, col = f.where((key,))
        hint = f"name a folder inside the folder holding tf.yml, e.g. '{key}: {key}'"
        what = "a folder outside the repository"
        if within(folder.parent, root) and folder.is_symlink():
            # `minutes: minutes` (the default) that "is outside" puzzles: say it is a link.
            what = "a symbolic link to a folder outside the repository"
            hint = f"move the {key} into the repository instead of linking them"
        raise DataError(
            f"'{key}' is '{excerpt(name)}', {what}; tf reads and writes nothing there",
            hint,
            f"{f.path}:{line}:{col}",
        )
    return folder


def valid_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this Python knows (tf.yml, tf init)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_hint(name: str) -> str:
    """The hint for a time zone that is not an IANA name: the one meant, when the name is a
    city's, or differs in case or spaces ('Chisinau', 'europe/chisinau', 'New York')."""
    from zoneinfo import available_timezones

    want = "_".join(name.split()).casefold()
    for zone in sorted(available_timezones()):
        low = zone.casefold()
        if low == want or (want and low.rsplit("/", 1)[-1] == want and "/" in zone):
            return f"did you mean '{zone}'?"
    return "use an IANA name such as Europe/Chisinau"


def _organisations(f: Fields, value: Any) -> list[Organisation]:
    out = []
    names: set[str] = set()
    for at, item in f.items(value, ("organisations",)):
        if isinstance(item, str):
            item = {"name": item}
        o = f.mapping(item, at)
        if o is None:
            continue
        f.known(o, at, ("name", "short", "group", "email"))
        name = f.text(o.get("name"), (*at, "name"))
        if not name:
            f.report(at, "required", "organisation needs a 'name'")
            continue
        if name in names:
            f.report(at, "roster", f"organisation '{name}' is listed twice", None, Severity.WARNING)
        names.add(name)
        short = f.text(o.get("short"), (*at, "short"))
        group = f.text(o.get("group"), (*at, "group"))
        out.append(Organisation(name, short, group, _emails(f, o.get("email"), (*at, "email"))))
    return out


# One address as people write it in a roster: local@domain.tld, no display name, no spaces.
_EMAIL = re.compile(
    r"[^@\s<>(),;:\\\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)


def _emails(f: Fields, value: Any, at: YamlPath) -> tuple[str, ...]:
    """Focal points' addresses (`email:` one or a list); a malformed one is reported and
    left out, so that a draft is never addressed to a typo."""
    good = []
    if isinstance(value, list):  # each told at its own entry
        pairs = [(where, f.text(v, where)) for where, v in f.items(value, at)]
    else:
        pairs = [(at, t) for t in f.texts(value, at, one_ok=True)]
    for where, address in pairs:
        if not address:
            continue
        if _EMAIL.fullmatch(address):
            good.append(address)
        else:
            f.report(
                where,
                "roster",
                f"'{address}' is not an e-mail address; left out",
                "write one address per entry, e.g. name@example.org",
            )
    return tuple(good)


def _roles(
    f: Fields, value: Any, organisations: tuple[Organisation, ...]
) -> dict[str, tuple[str, ...]]:
    """Role name -> organisations. A role that is not a list of organisations of the roster
    is an error: `--owner UNHCR` would silently miss the role's actions."""
    known = {o.name for o in organisations} | {o.short for o in organisations if o.short}
    roles: dict[str, tuple[str, ...]] = {}
    for name, members in (f.mapping(value, ("roles",)) or {}).items():
        at: tuple[str, ...] = ("roles", name)
        if not isinstance(members, list) or not members:
            got = "names no organisation" if members in (None, []) else f"is {kind(members)}"
            f.report(
                at,
                "type",
                f"role '{excerpt(name)}' must be a list of organisations; it {got}",
                "write e.g. chairs: [State Chancellery, UNHCR]",
            )
            roles[name] = ()
            continue
        out = []
        for i, member in enumerate(members):
            org = member if isinstance(member, str) else None
            if org is None or not org.strip():
                f.type_error((*at, i), member, "the name of an organisation")
            elif known and org not in known:
                near = difflib.get_close_matches(org, sorted(known), n=1)
                f.report(
                    (*at, i),
                    "roster",
                    f"role '{excerpt(name)}' names '{excerpt(org)}', which is not in "
                    "'organisations'",
                    f"did you mean '{near[0]}'?" if near else "add it to 'organisations'",
                )
            else:
                out.append(org.strip())
        roles[name] = tuple(out)
    return roles
