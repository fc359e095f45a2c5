"""Rules over the whole repo → a sorted list of problems. Field-level problems were already
found while loading; here live the rules that need more than one value or one file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from tfcli import (
    action_rules,
    body_tables,
    check_cache,
    due_rules,
    lifecycle,
    meeting_rules,
    paste_rules,
    people_rules,
    template_check,
)
from tfcli.fields import excerpt
from tfcli.model import Action, Config, Meeting, Problem, Repo, Severity, place
from tfcli.paths import display_path
from tfcli.roster import ALL_MEMBERS, Roster
from tfcli.rows import Book, Sheet, problem_of

Rule = Callable[[Book, date], Iterable[Problem]]
FileRule = Callable[[Repo, date], Iterable[Problem]]


def _problem(
    m: Meeting | Sheet,
    line: int,
    sev: Severity,
    rule: str,
    msg: str,
    hint: str | None = None,
    col: int = 1,
) -> Problem:
    return Problem(display_path(m.path), line, col, sev, rule, msg, hint)


def duplicate_meeting_ids(book: Book, today: date) -> Iterable[Problem]:
    first: dict[str, Sheet] = {}
    for m in book.sheets:
        if m.id in first:
            other = display_path(first[m.id].path)
            yield _problem(
                m,
                m.line_of("date"),
                Severity.ERROR,
                "meeting-id",
                f"meeting id '{m.id}' is also used by {other}",
                f"give one of them 'id: {m.id}-b'; its action ids then start with that id",
            )
        else:
            first[m.id] = m


def filename_date(repo: Repo, today: date) -> Iterable[Problem]:
    for m in repo.meetings:
        day = m.date.isoformat()
        if not m.path.name.startswith(day):
            yield _problem(
                m,
                m.line_of("date"),
                Severity.WARNING,
                "filename-date",
                f"file name does not start with the meeting date {day}",
                f"rename it to {'-'.join(filter(None, (day, _name_of(m.path.stem))))}.md",
            )


def _name_of(stem: str) -> str:
    """The rest of the name as tf names files: `Minutes 24 June` -> `minutes-24-june`, not
    a name with spaces and capitals that the hint would have kept."""
    from tfcli.slug import slugify

    rest = _slug_of(stem)
    return slugify(rest) if rest else ""


def _slug_of(stem: str) -> str:
    """The name without a leading date (`2022-07-09-tf` -> `tf`; `2022-07-09` -> ``), also
    of a hidden or draft file (`.2022-07-09-tf`, `_2022-07-09-tf`)."""
    parts = stem.lstrip("._").split("-")
    if len(parts) >= 3 and all(p.isdigit() for p in parts[:3]):
        return "-".join(parts[3:])
    return stem


def future_approved(book: Book, today: date) -> Iterable[Problem]:
    for m in book.sheets:
        if m.status == "approved" and m.date > today:
            yield _problem(
                m,
                m.line_of("status"),
                Severity.WARNING,
                "future-approved",
                f"minutes of a meeting on {m.date} (in the future) are marked approved",
                "check the date, or set 'status: draft'",
            )


# The roster's names and the tf.yml they were made from (its organisations, the same tuple, and
# its roles): `per_file` runs `unknown_owners` for each file read, 5,000 at a cold run.
_NAMES: list[tuple[object, object, tuple[set[str], set[str], frozenset[str]]]] = []


def _roster_names(cfg: Config) -> tuple[set[str], set[str], frozenset[str]]:
    roles = tuple(cfg.roles.items())
    if _NAMES and _NAMES[0][0] is cfg.organisations and _NAMES[0][1] == roles:
        return _NAMES[0][2]
    names = {o.name for o in cfg.organisations} | {o.short for o in cfg.organisations if o.short}
    names |= set(cfg.roles) | {ALL_MEMBERS}
    got = names, {n.lower() for n in names}, people_rules.known_names(cfg)
    _NAMES[:] = [(cfg.organisations, roles, got)]
    return got


def unknown_owners(repo: Repo, today: date) -> Iterable[Problem]:
    """Only when a roster exists: an owner that is no organisation, short name or role."""
    cfg = repo.config
    if not cfg.organisations:
        return
    hints: dict[tuple[str, bool], str] = {}
    roster: Roster | None = None  # made for the first unknown owner: most files have none
    _, lowered, known = _roster_names(cfg)

    def unknown(owner: str) -> bool:
        # "Name (Organisation)" names a person; several people in one text:
        # people_rules.several_people says so.
        return not (owner.lower() in lowered or "(" in owner or people_rules.names_in(owner, known))

    for m in repo.meetings:
        if _all_known(m, lowered):
            continue  # nearly every file: no owner to look at twice
        # The owner itself (one of a list, or the text), for an editor to jump to: the action
        # (or follow-up: a handover) and the owner as written (one left out may come before).
        for at, owner, a in people_rules.owner_paths(m, unknown):
            line, col = place(m.spans, at)
            whose = f"action {a.id}" if isinstance(a, Action) else f"the follow-up of {a.action_id}"
            parts = [p.strip() for p in owner.split(",")]
            if len(parts) > 1 and all(p.lower() in lowered for p in parts):
                yield _problem(
                    m,
                    line,
                    Severity.ERROR,
                    "owner",
                    f"owner '{owner}' of {whose} is one text, not a list of owners",
                    f"write a list: owner: [{', '.join(parts)}]",
                    col,
                )
                continue
            handover = not isinstance(a, Action)
            if (hint := hints.get((owner, handover))) is None:  # an unknown owner comes back
                roster = roster or Roster(cfg)
                hint = hints[owner, handover] = _owner_hint(roster, owner, handover)
            yield _problem(
                m,
                line,
                Severity.WARNING,
                "owner",
                f"owner '{excerpt(owner)}' of {whose} is not in the roster of tf.yml",
                hint,
                col,
            )


def _all_known(m: Meeting, lowered: set[str]) -> bool:
    """Is every owner of `m`'s actions and follow-ups a name of the roster, case aside?"""
    for a in m.actions:
        for owner in a.owners:
            if owner.lower() not in lowered:
                return False
    for u in m.updates:
        for owner in u.owners:
            if owner.lower() not in lowered:
                return False
    return True


# What a Word tracker writes in the "Responsible" cell before anyone is: no one to add to
# the roster (which the general hint would ask for).
_NO_OWNER = frozenset(["tbd", "tbc", "n/a", "na", "none", "nobody", "-", "--", "?", "pending"])


def _owner_hint(roster: Roster, owner: str, handover: bool = False) -> str:
    if owner.strip().casefold() in _NO_OWNER or owner.casefold().startswith("to be "):
        if handover:  # a follow-up's owner hands the action over: without one, no handover
            return (
                f"'{excerpt(owner)}' names no one: leave 'owner' out of the follow-up (the "
                "action keeps its owner)"
            )
        return (
            f"'{excerpt(owner)}' names no one: leave 'owner' out until the group agrees one "
            "(tf check reminds you of an action without an owner)"
        )
    if org := roster.short_for(owner):  # the minutes write its initials
        return f"if it is '{org}', give that 'short: {owner}' in tf.yml"
    if near := roster.nearest(owner, ()):
        return f"did you mean {' or '.join(near)}?"
    return (
        "add it to 'organisations' in tf.yml, or under 'roles:' for a sub-group or role, "
        "e.g. 'Health WG: [UNFPA, IRC]'"
    )


def templates(book: Book, today: date) -> Iterable[Problem]:
    return template_check.templates(book.repo(), today)


# The rules about one meeting alone: run when it is read (tfcli.rows), their problems kept
# with the file's entry in the index. None of them reads `today`.
FILE_RULES: list[FileRule] = [
    filename_date,
    unknown_owners,
    people_rules.several_people,
    people_rules.unclosed_brackets,
    paste_rules.numbered_agenda,
    paste_rules.html_tags,
    paste_rules.person_details,
    action_rules.update_duplicates,
    *meeting_rules.FILE_RULES,
]
# The rules across meetings (or about `today`), over every meeting's row. These read no body
# and nothing on disk: their answer is kept keyed by what they read, each problem with the
# action (or table, or "": the meetings) it is about (tfcli.check_cache).
CACHED_RULES: list[Rule] = [
    duplicate_meeting_ids,
    future_approved,
    *action_rules.RULES,
    due_rules.deadline_words,
    body_tables.body_tables,
    *lifecycle.RULES,
]
# These run each time: the bodies change most, and the templates are files of their own.
RULES: list[Rule] = [*CACHED_RULES, *meeting_rules.RULES, templates]


def per_file(m: Meeting, config: Config) -> list[Problem]:
    """The problems of the one-meeting rules in `m`."""
    one = Repo(config, [m], [], [])
    return [p for rule in FILE_RULES for p in rule(one, date.min)]


def check(repo: Repo, today: date) -> list[Problem]:
    """Every problem of `repo`: what loading found and what the rules find."""
    return check_book(Book.of_repo(repo), today)


def check_book(book: Book, today: date) -> list[Problem]:
    import gc

    problems = list(book.problems)
    # The rules make a few objects per action (tens of thousands) and no cycle: the cyclic
    # collector would only scan them again and again (as while loading, see load_repo).
    enabled = gc.isenabled()
    gc.disable()
    try:
        for s in book.sheets:
            if s.checked:
                problems.extend(problem_of(p) for p in s.checked)
        problems.extend(check_cache.problems(book, today, CACHED_RULES))
        for rule in RULES[len(CACHED_RULES) :]:
            problems.extend(rule(book, today))
    finally:
        if enabled:
            gc.enable()
    # Each problem once, ties in the order they were found: a set's order would change with
    # each process's hash seed (two problems on one line came out either way round).
    return sorted(dict.fromkeys(problems), key=Problem.sort_key)
