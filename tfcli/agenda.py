"""Preparing a meeting: the skeleton `tf new-meeting` writes (date by cadence, roster, standing
agenda, open actions carried forward). The agenda `tf agenda` circulates: tfcli.circulate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tfcli import cadence as rules
from tfcli.actions import Tracked, track
from tfcli.errors import DataError, UsageError
from tfcli.model import Cadence, Config, Meeting, Person, Problem, Repo, Severity
from tfcli.policy import action_text_for
from tfcli.roster import UNGROUPED as UNGROUPED

WELCOME = "Welcome and adoption of the agenda"
REVIEW = "Endorsement of the previous minutes and review of pending action points"
AOB = "Any other business"
NEXT_DATE = "Date of next meeting"
BUILTIN_AGENDA = (WELCOME, REVIEW, AOB, NEXT_DATE)
# Standing items and deferred topics go after this many items of the base agenda.
INSERT_AFTER = 2

TEMPLATE = "meeting.md"


# -- dates -----------------------------------------------------------------------------------


def add_cadence(day: date, cadence: Cadence, times: int = 1) -> date:
    """`day` moved `times` plain steps of the cadence; a month step keeps the day of the
    month, clamped to the month's last day (31 Jan + 1 month = 28 Feb; + 2 months = 31 Mar)."""
    if cadence.months:
        return rules.add_months(day, cadence.months * times)
    return day + timedelta(days=cadence.days * times)


def following(day: date, cadence: Cadence) -> date:
    """The rule's next date after the meeting of `day` (its `next_meeting.date`); a
    UsageError when that is past the calendar's end (year 9999), e.g. for `--date 9999-12-31`."""
    try:
        return rules.after(cadence, day)
    except (OverflowError, ValueError):
        raise UsageError(
            f"no date after {day.isoformat()} by cadence '{cadence.text}': "
            "the calendar ends on 9999-12-31",
            "give an earlier --date",
        ) from None


def next_date(latest: date | None, cadence: Cadence | None, today: date) -> date:
    """The rule's first date after the meeting of `latest` that is not before `today` (nor
    a skipped date). With no meeting yet: the rule's first date from today (today for a
    plain step); without a cadence: today."""
    if cadence is None or not (cadence.days or cadence.months):
        return today
    try:
        if latest is None:
            return rules.first_on_or_after(cadence, today)
        return rules.after(cadence, latest, today)
    except (OverflowError, ValueError):
        raise DataError(f"no date after {latest or today} by cadence '{cadence.text}'") from None


def planned_date(repo: Repo, today: date) -> date:
    """The date of the next meeting, counted from the latest meeting held (on or before
    today; a meeting already prepared for a later date does not move it, and an imported
    baseline is no meeting): the date that meeting agreed (`next_meeting.date`) if not
    past, else the next one by cadence."""
    held = [m for m in repo.meetings if m.date <= today and not m.is_baseline]
    if not held:
        return next_date(None, repo.config.cadence, today)
    latest = held[-1]
    agreed = latest.next_meeting.date if latest.next_meeting else None
    if agreed and agreed > latest.date and agreed >= today:
        return agreed
    cadence = repo.config.cadence
    if latest.date == today and (cadence is None or not (cadence.days or cadence.months)):
        # Today's meeting exists: "today" again would only collide with it.
        raise UsageError(
            f"a meeting is held today ({latest.id}) and tf.yml has no 'cadence:', so tf "
            "cannot tell the next meeting's date",
            "pass --date YYYY-MM-DD, or set e.g. 'cadence: every 2 weeks' in tf.yml",
        )
    return next_date(latest.date, cadence, today)


# -- what the meeting carries over -----------------------------------------------------------


def before(repo: Repo, day: date) -> Repo:
    """The repo as it stood before the meeting of `day`: only earlier meetings (with the
    problems found loading, which tell a `due:` in error from no deadline)."""
    return Repo(repo.config, [m for m in repo.meetings if m.date < day], repo.problems, [])


def pending_actions(repo: Repo, day: date) -> list[Tracked]:
    """Actions of earlier meetings still open after every earlier follow-up."""
    return [t for t in track(before(repo, day)) if t.is_open]


def agenda_titles(config: Config, deferred: tuple[str, ...]) -> list[str]:
    """The base agenda (tf.yml `agenda:`, else the built-in one) with the standing items and
    the deferred topics after its second item; a topic already on it is not repeated."""
    base = list(config.default_agenda if config.default_agenda is not None else BUILTIN_AGENDA)
    seen = {t.casefold() for t in base}
    extra = []
    for topic in (*config.standing_agenda, *deferred):
        if topic.casefold() not in seen:
            seen.add(topic.casefold())
            extra.append(topic)
    at = min(INSERT_AFTER, len(base))
    return base[:at] + extra + base[at:]


def review_index(titles: list[str]) -> int | None:
    """The item under which pending actions are listed: the first that mentions actions,
    else the second, else the only one."""
    for i, t in enumerate(titles):
        if "action" in t.casefold():
            return i
    if not titles:
        return None
    return 1 if len(titles) > 1 else 0


def roster(config: Config, previous: Meeting | None) -> dict[str, list[str | dict[str, str]]]:
    """Group → members: tf.yml's organisations by `group`, else the previous meeting's
    participants and regrets. One group "" means an ungrouped list."""
    groups: dict[str, list[str | dict[str, str]]] = {}
    if config.organisations:
        grouped = any(o.group for o in config.organisations)
        for o in config.organisations:
            key = (o.group or UNGROUPED) if grouped else ""
            groups.setdefault(key, []).append(o.name)
        return groups
    if previous:
        for source in (previous.participants, previous.regrets):
            for group, people in source.items():
                members = groups.setdefault(group, [])
                members += [m for p in people if (m := _member(p)) not in members]
    if "" in groups and len(groups) > 1:  # a mixed roster: name the ungrouped part
        groups[UNGROUPED] = groups.pop("") + groups.get(UNGROUPED, [])
    return groups


def _member(p: Person) -> str | dict[str, str]:
    """A participant as the next meeting lists it: its text; a mapping that names a person
    (no `organisation:`) stays one (`Sara Lind` alone would read as an organisation)."""
    return {"name": p.name} if p.is_person and p.name else p.label()


# -- the new meeting -------------------------------------------------------------------------


@dataclass
class NewMeeting:
    date: date
    id: str
    path: Path
    title: str
    previous: Meeting | None
    pending: list[Tracked]
    same_day: list[Meeting]  # meetings already on that date
    upcoming: list[Meeting]  # other meetings on or after today, already prepared
    context: dict[str, Any] = field(default_factory=dict)


def plan(repo: Repo, today: date, day: date | None = None, title: str | None = None) -> NewMeeting:
    from tfcli.slug import slugify

    cfg = repo.config
    day = day or planned_date(repo, today)
    _refuse_if_unreadable_on(repo, day)
    title = " ".join((title or cfg.group).split()) or cfg.group
    earlier = [m for m in repo.meetings if m.date < day and not m.is_baseline]
    previous = earlier[-1] if earlier else None  # whose minutes to endorse: not a baseline
    same_day = [m for m in repo.meetings if m.date == day]
    later = [m for m in repo.meetings if m.date >= today and m.date != day]
    meeting_id = day.isoformat()
    taken = {m.id for m in repo.meetings}
    suffix = "b"
    while meeting_id in taken:
        meeting_id = f"{day.isoformat()}-{suffix}"
        suffix = chr(ord(suffix) + 1) if suffix < "z" else suffix + "a"
    folder = cfg.minutes_dir.resolve()
    path = folder / f"{day.isoformat()}-{slugify(title)}.md"
    if path.resolve().parent != folder:  # cannot happen with a slug; checked all the same
        raise UsageError(f"refusing to write outside the minutes folder: {path}")
    pending = pending_actions(repo, day)
    nm = NewMeeting(day, meeting_id, path, title, previous, pending, same_day, later)
    nm.context = context(nm, cfg, today)
    return nm


def _refuse_if_unreadable_on(repo: Repo, day: date) -> None:
    """A file named for `day` that does not load (a duplicate key, a YAML error...) may well
    be that meeting's minutes: refuse rather than create a second file for the date."""
    loaded = {m.path for m in repo.meetings}
    for path in repo.files:
        if path not in loaded and path.name.startswith(day.isoformat()):
            from tfcli.paths import display_path

            raise UsageError(
                f"{display_path(path)} is named for {day.isoformat()} but cannot be read as "
                "a meeting; not creating a second file for that date",
                "run 'tf check' to see what is wrong with it, or give --date another day",
            )


def _person(p: Person) -> dict[str, Any]:
    fields = [
        (k, v)
        for k, v in (("name", p.name), ("role", p.role), ("organisation", p.organisation))
        if v
    ]
    return {
        "name": p.name,
        "organisation": p.organisation,
        "role": p.role,
        "label": p.label(),
        "fields": fields,
    }


def context(nm: NewMeeting, cfg: Config, today: date) -> dict[str, Any]:
    """The template variables (documented in docs/templates.md)."""
    prev = nm.previous
    agreed = prev.next_meeting if prev and prev.next_meeting else None
    deferred = agreed.agenda if agreed else ()
    titles = agenda_titles(cfg, deferred)
    review = review_index(titles)
    nxt = next(
        (i for i, t in enumerate(titles) if "next meeting" in t.casefold() and i != review), None
    )
    groups = roster(cfg, prev)
    cadence = cfg.cadence
    return {
        "group": cfg.group,
        "title": nm.title,
        "id": nm.id,
        "date": nm.date,
        "today": today,
        "time": (agreed and agreed.time) or cfg.meeting_time or (prev and prev.time) or None,
        # The end goes with the start it was agreed or held with, never with tf.yml's time.
        "end_time": (agreed and agreed.end_time)
        or (not cfg.meeting_time and prev and prev.end_time)
        or None,
        "language": prev.language if prev else None,
        "location": (agreed and agreed.location)
        or cfg.meeting_location
        or (prev and prev.location)
        or None,
        "visibility": cfg.visibility,
        "chair": _person(prev.chair) if prev and prev.chair else None,
        "co_chairs": [_person(p) for p in prev.co_chairs] if prev else [],
        "grouped": bool(groups) and "" not in groups,
        "participants": [{"name": g, "members": m} for g, m in groups.items()],
        "agenda": [
            {"number": i + 1, "title": t, "review": i == review, "next": i == nxt}
            for i, t in enumerate(titles)
        ],
        "review_item": titles[review] if review is not None else None,
        "standing": list(cfg.standing_agenda),
        "deferred": list(deferred),
        "pending": [
            {
                "id": t.id,
                "text": action_text_for(t.meeting, t.action, cfg.visibility),
                # tf check refuses a restricted action named in a public body section
                "withheld": action_text_for(t.meeting, t.action, cfg.visibility) != t.action.text,
                "owners": ", ".join(t.owners),
                "due": t.due,
                "due_text": t.due_text,
                "status": t.status,
                "meeting": t.meeting.id,
            }
            for t in nm.pending
        ],
        "previous": {
            "id": prev.id,
            "date": prev.date,
            "title": prev.title or cfg.group,
            "status": prev.status,
        }
        if prev
        else None,
        "next_date": following(nm.date, cadence) if cadence else None,
    }


def render(nm: NewMeeting, cfg: Config) -> tuple[str, str]:
    """The file's text from the group's template or the built-in one, and the template's
    name for messages. Check it with `ensure_valid` before writing."""
    from tfcli import templates

    source = templates.find(cfg.templates_dir, TEMPLATE)
    return templates.render(source, nm.context), source.shown


def ensure_valid(text: str, nm: NewMeeting, cfg: Config, template: str) -> None:
    """Output that `tf check` would refuse is never written: a DataError naming the line."""
    errors = [p for p in validate(text, nm.path, cfg) if p.severity is Severity.ERROR]
    if errors:
        from tfcli.output import one_line

        first = errors[0]
        hint = "fix the template; 'tf new-meeting --dry-run' shows what it produces"
        if first.rule == "too-large" and nm.pending:
            # Not the template's fault: a backlog of open actions, each carried as a follow-up.
            n = len(nm.pending)
            hint = (
                f"the {n:,} open action{'s' if n != 1 else ''} carried forward make it too long: "
                "close or drop those no longer pursued ('tf actions --overdue' lists them; "
                "'tf actions done ID', 'tf actions drop ID'), then run again"
            )
        raise DataError(
            f"{template} produced minutes that do not pass 'tf check': line {first.line}: "
            f"{one_line(first.message)}",
            hint,
        )


def validate(text: str, path: Path, cfg: Config) -> list[Problem]:
    """The problems `tf check` would find in `text` as the file `path`, on its own."""
    from tfcli import frontmatter, yamlstrict
    from tfcli.errors import LoadError
    from tfcli.paths import display_path
    from tfcli.schema import build_meeting

    problems: list[Problem] = []
    shown = display_path(path)
    try:
        split = frontmatter.split(text)
        tree = yamlstrict.parse(split.front_matter, line_offset=split.front_matter_line - 1)
    except LoadError as e:
        return [Problem(shown, e.line, e.col, Severity.ERROR, e.rule, e.message, e.hint)]
    build_meeting(path, shown, tree, split.body, split.body_line, cfg.visibility, problems)
    return problems
