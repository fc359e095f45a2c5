"""Rules over the fields of one meeting that need more than one value: restricted parts of a
public meeting (agenda items, their body sections, actions), times that disagree, an
attendance annex naming organisations that did not attend, participants not in the roster."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from tfcli import entries, people_rules, policy
from tfcli.fields import excerpt
from tfcli.model import Config, Meeting, Person, Problem, Repo, Severity, YamlPath, place
from tfcli.paths import display_path
from tfcli.roster import UNGROUPED, Roster, fold, spelled_like
from tfcli.rows import Book, Sheet

Rule = Callable[[Repo, date], Iterable[Problem]]


def _problem(
    m: Meeting, line: int, sev: Severity, rule: str, msg: str, hint: str | None = None
) -> Problem:
    return Problem(display_path(m.path), line, 1, sev, rule, msg, hint)


def restricted_sections(repo: Repo, today: date) -> Iterable[Problem]:
    """The body marks exactly the sections of the restricted agenda items: a forgotten mark
    misleads whoever reads the file, a stray one hides a public item."""
    for m in repo.meetings:
        if m.visibility != "public":
            continue  # nothing of it is published: marks change nothing
        if policy.RESTRICTED_MARK not in m.body and policy.all_items_public(m):
            continue  # the common case, without reading the body line by line
        items = {policy.key(i.title): i for i in policy.agenda_items(m)}
        found = policy.sections(m.body)
        for s in found:
            item = items.get(policy.key(s.title))
            line = m.body_line + s.start
            heading = f"'{'#' * s.level} {excerpt(s.title)}'"
            if item and item.visibility != "public" and not s.restricted:
                yield _problem(
                    m,
                    line,
                    Severity.ERROR,
                    "restricted-section",
                    f"the section {heading} is the discussion of a restricted agenda item, "
                    "but its heading is not marked restricted",
                    f"end the heading with {policy.RESTRICTED_MARK}: "
                    f"'{'#' * s.level} {excerpt(s.title)} {policy.RESTRICTED_MARK}'",
                )
            elif s.restricted and item and item.visibility == "public":
                yield _problem(
                    m,
                    line,
                    Severity.ERROR,
                    "restricted-section",
                    f"the section {heading} is marked restricted, but its agenda item is public "
                    f"(line {item.line})",
                    "add 'visibility: restricted' to the agenda item, or remove "
                    f"{policy.RESTRICTED_MARK} from the heading",
                )
            elif s.restricted and not item:
                yield _problem(
                    m,
                    line,
                    Severity.WARNING,
                    "restricted-section",
                    f"the section {heading} is marked restricted, but no agenda item has "
                    "this title",
                    "write the heading as the agenda item's title, and mark that item "
                    "'visibility: restricted'",
                )


def restricted_items(repo: Repo, today: date) -> Iterable[Problem]:
    """A restricted action must not be recorded under a public agenda item (its meeting
    alone: see `restricted_named` for the bodies of other meetings)."""
    for m in repo.meetings:
        if m.visibility != "public":
            continue
        for i, a in enumerate(m.actions):
            if a.visibility == "public":
                continue  # most actions: no agenda item to look up
            item = policy.item_of(m, a.agenda)
            if item is not None and item.visibility == "public":
                yield _problem(
                    m,
                    m.line_of("actions", entries.action(m, a.line, i), "visibility"),
                    Severity.ERROR,
                    "restricted-action",
                    f"restricted action {a.id} is recorded under the public agenda item "
                    f"'{excerpt(item.title)}' (line {item.line})",
                    "mark the agenda item 'visibility: restricted' too, or name a restricted "
                    "item in the action's 'agenda:'",
                )


def restricted_named(book: Book, today: date) -> Iterable[Problem]:
    """Nor named by its id in a public section of any public meeting's body (its own, or a
    later one reviewing it, e.g. in a table of pending actions)."""
    hidden_ids = {x for m in book.sheets for x in m.hidden}
    if not hidden_ids:
        return  # the common case: nothing restricted anywhere
    # Every id starts with its meeting's id and a slash: a body holding none of those can
    # name none, and this is many times quicker to search for than every id (whose pattern
    # alone takes 20 ms to compile at 5,000 meetings: made only for a body that needs it).
    meetings = {x[: x.rindex("/") + 1] for x in hidden_ids if "/" in x}
    near = None
    if all("/" in x for x in hidden_ids):
        near = re.compile("|".join(re.escape(x) for x in sorted(meetings)))
    named: list[re.Pattern[str]] = []
    for m in book.sheets:
        if m.visibility != "public":
            continue
        if near is None or near.search(m.body):
            if not named:
                named.append(_pattern(hidden_ids))
            yield from _named_in_public(m, named[0])


def _pattern(ids: set[str]) -> re.Pattern[str]:
    """Any of `ids`, as a whole id (not part of a longer one)."""
    return re.compile(r"(?<![\w/-])(" + "|".join(re.escape(x) for x in sorted(ids)) + r")(?![\w-])")


def _named_in_public(m: Sheet, named: re.Pattern[str]) -> Iterable[Problem]:
    """One search of the whole body; lines and sections are worked out only for a match."""
    reported: set[str] = set()
    for match in named.finditer(m.body):
        found = policy.sections(m.body)  # cached
        n = m.body.count("\n", 0, match.start())
        if match[1] in reported or any(start <= n < end for start, end in m.sections):
            continue
        reported.add(match[1])
        where = next((s for s in reversed(found) if s.start <= n), None)
        name = f"'{'#' * where.level} {excerpt(where.title)}'" if where else "the body"
        yield Problem(
            display_path(m.path),
            m.body_line + n,
            1,
            Severity.ERROR,
            "restricted-action",
            f"restricted action {match[1]} is named in the public section {name}",
            "leave it out of this section (a table of pending actions too), move it under a "
            f"restricted item's heading, or mark that section {policy.RESTRICTED_MARK}",
        )


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def times(repo: Repo, today: date) -> Iterable[Problem]:
    """End after start; a duration that agrees with them."""
    for m in repo.meetings:
        nm = m.next_meeting
        pairs = [((), m.time, m.end_time), (("next_meeting",), nm and nm.time, nm and nm.end_time)]
        for at, start, end in pairs:
            if start and end and _minutes(end) <= _minutes(start):
                yield _problem(
                    m,
                    m.line_of(*at, "end_time"),
                    Severity.WARNING,
                    "time",
                    f"end_time {end} is not after the start time {start}",
                    "times are HH:MM on a 24-hour clock, e.g. end_time: 13:30",
                )
        if m.duration and m.time and m.end_time:
            span = _minutes(m.end_time) - _minutes(m.time)
            if span > 0 and span != m.duration:
                yield _problem(
                    m,
                    m.line_of("duration"),
                    Severity.WARNING,
                    "duration",
                    f"duration of {m.duration} minutes, but {m.time}–{m.end_time} is {span}",
                    "correct one of them, or keep only time and end_time",
                )


def attendees(repo: Repo, today: date) -> Iterable[Problem]:
    """The annex names people of organisations that took part (when participants are given)."""
    for m in repo.meetings:
        if not m.attendees:  # most minutes: no annex, no participants to fold
            continue
        present = {
            (p.organisation or p.name or "").casefold()
            for people in m.participants.values()
            for p in people
        }
        if not present:
            continue
        for org in m.attendees:
            if org.casefold() not in present:
                yield _problem(
                    m,
                    m.line_of("attendees", org),
                    Severity.WARNING,
                    "attendees",
                    f"the attendance annex names people of '{excerpt(org)}', which is not "
                    "among the participants",
                    "add it to 'participants', or write its name as the participants do",
                )


class _Roster:
    """The names, short names and groups of tf.yml's organisations, folded as `tf render`
    folds a participant to find its organisation (made once per configuration, not per file)."""

    last: tuple[Config, _Roster] | None = None

    def __init__(self, config: Config) -> None:
        self.names = {fold(n): n for o in config.organisations for n in (o.name, o.short) if n}
        # The groups `tf new-meeting` writes: organisations without one under "other".
        self.groups = sorted({o.group or UNGROUPED for o in config.organisations})
        if self.groups == [UNGROUPED]:
            self.groups = []  # no organisation has a group: participants' groups are free

    @classmethod
    def of(cls, config: Config) -> _Roster:
        if cls.last is None or cls.last[0] is not config:
            cls.last = (config, cls(config))
        return cls.last[1]

    def hint(self, text: str, known: Iterable[str], otherwise: str) -> str:
        folded = {fold(k): k for k in known}
        near = spelled_like(fold(text), sorted(folded))
        return f"did you mean '{folded[near[0]]}'?" if near else otherwise


def roster(repo: Repo, today: date) -> Iterable[Problem]:
    """Only with a roster in tf.yml: each organisation among the participants and regrets is
    one of it, and each of their groups one of its organisations' groups. A misspelt name or
    group would be one more organisation (or group) on the site's attendance page."""
    if not repo.config.organisations:
        return
    known = _Roster.of(repo.config)
    names = people_rules.known_names(repo.config)
    for m in repo.meetings:
        for key, groups in (("participants", m.participants), ("regrets", m.regrets)):
            for group, people in groups.items():
                within: YamlPath = (key, group) if group else (key,)
                if group and known.groups and group not in known.groups:
                    yield _at(
                        m,
                        within,
                        "roster",
                        f"the group '{excerpt(group)}' in {key} is not a group of tf.yml's "
                        f"organisations ({', '.join(known.groups)})",
                        known.hint(
                            group,
                            known.groups,
                            "use one of those groups, or give organisations of the roster "
                            "this 'group:' in tf.yml",
                        ),
                    )
                for i, p in enumerate(people):
                    if fold(p.organisation or p.name or "") in known.names:
                        continue  # nearly every entry: no position looked up
                    at = entries.entry(m, within, i, len(people))  # as written, not counted
                    if (org := _organisation(m, p, at)) is None:
                        continue
                    if people_rules.names_in(org[0], names):
                        continue  # several people in one entry: [one-person] says so
                    parts = [fold(x) for x in re.split(r"[,;]", org[0])]
                    if len(parts) > 1 and all(x in known.names for x in parts):
                        each = ", ".join(f"'- {known.names[x]}'" for x in parts)
                        hint = f"give each an entry of their own under '{key}': {each}"
                    elif full := Roster(repo.config).short_for(org[0]):  # its initials
                        hint = f"if it is '{full}', give that 'short: {org[0]}' in tf.yml"
                    else:
                        hint = known.hint(
                            org[0],
                            known.names.values(),
                            "add it to 'organisations' in tf.yml, or write a person as "
                            "'Name (Organisation)'",
                        )
                    yield _at(
                        m,
                        org[1],
                        "roster",
                        f"'{excerpt(org[0])}' in {key} is not an organisation of the roster of "
                        "tf.yml",
                        hint,
                    )


OUTSIDERS = ("guest", "observer", "presenter")  # `as:` values that need no roster entry


def _organisation(m: Meeting, p: Person, at: YamlPath) -> tuple[str, YamlPath] | None:
    """The organisation an entry names, and where: `UNHCR`, `Name (UNHCR)`, a mapping's
    `organisation:`. A mapping with only a `name:` is a person, and a guest, an observer or a
    presenter (`as:`) need not be a member: nothing to check."""
    if p.attends_as in OUTSIDERS:
        return None
    if p.organisation:
        mapping = (*at, "organisation")
        return p.organisation, mapping if m.spans.get(mapping) else at
    if p.name and not p.role and not p.attends_as and m.spans.get((*at, "name")) is None:
        return p.name, at
    return None


def _at(m: Meeting, at: YamlPath, rule: str, msg: str, hint: str) -> Problem:
    """A warning at the value `at` (its column too), or its nearest located parent."""
    line, col = place(m.spans, at)
    return Problem(display_path(m.path), line, col, Severity.WARNING, rule, msg, hint)


def body_size(repo: Repo, today: date) -> Iterable[Problem]:
    """A body too long to format: `tf render` shows it as written (tfcli.site.markdown)."""
    for m in repo.meetings:
        if policy.formatted(m.body):
            continue
        if len(m.body) > policy.MARKDOWN_LIMIT:
            what = f"{len(m.body):,} characters, more than the {policy.MARKDOWN_LIMIT:,}"
        else:
            what = f"{m.body.count('['):,} '[', more than the {policy.BRACKET_LIMIT:,}"
        yield _problem(
            m,
            m.body_line,
            Severity.WARNING,
            "body-size",
            f"the body has {what} that 'tf render' formats as Markdown: its page shows it "
            "as written, unformatted",
            "split the minutes, or move a long annex (a transcript, data) to a file of its "
            "own and link to it",
        )


# The rules about one meeting alone (run once per parse, kept in the index with the file).
FILE_RULES: list[Rule] = [
    restricted_sections,
    restricted_items,
    times,
    attendees,
    roster,
    body_size,
]
RULES: list[Callable[[Book, date], Iterable[Problem]]] = [restricted_named]
