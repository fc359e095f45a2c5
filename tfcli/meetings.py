"""Views of whole meetings: the rows of `tf list` and the readable text of `tf show`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from tfcli.actions import Tracked
from tfcli.deadlines import INVALID, INVALID_DUE
from tfcli.errors import UsageError
from tfcli.model import AgendaItem, Meeting, Person, Repo, Update
from tfcli.output import Column, one_line, safe
from tfcli.paths import display_path

ROW_COLUMNS = (
    Column("date", "Date", kind="fixed"),
    Column("id", "ID", kind="id"),
    Column("title", "Title", min=20),
    Column("status", "Minutes"),
    Column("visibility", "Visibility", drop=1),
    Column("open_actions", "Open actions", kind="fixed", drop=3),
    Column("overdue_actions", "Overdue", kind="fixed", drop=4),
    Column("path", "File", kind="id", drop=2, min=20),
)


def meeting_rows(
    repo: Repo,
    open_actions: Callable[[Meeting], int],
    overdue_actions: Callable[[Meeting], int] = lambda m: 0,
) -> list[dict[str, Any]]:
    return [
        {
            "date": m.date,
            "id": m.id,
            "title": m.title or repo.config.group,
            "status": m.status,
            "visibility": m.visibility,
            "open_actions": open_actions(m),
            "overdue_actions": overdue_actions(m),
            "path": display_path(m.path),
        }
        for m in repo.meetings
    ]


def overdue_counts(tracked: list[Tracked], today: date) -> dict[str, int]:
    """Open actions per meeting id that are overdue on `today` (due today is not)."""
    counts: dict[str, int] = {}
    for t in tracked:
        if t.overdue(today):
            counts[t.meeting.id] = counts.get(t.meeting.id, 0) + 1
    return counts


def unusable_report(repo: Repo) -> list[str]:
    """Warnings for commands other than `tf check`: each file that could not be read as a
    meeting (its meeting and actions are missing from the output), then a count of the other
    errors, and the problems of tf.yml."""
    from tfcli.model import Severity

    used = {display_path(m.path) for m in repo.meetings}
    config = display_path(repo.config.path) if repo.config.path else None
    lines = [
        f"tf: warning: {p.path}:{p.line}:{p.col}: {one_line(p.message)}"  # as tf check does
        for p in repo.problems
        if p.path == config
    ]
    errors = [p for p in repo.problems if p.severity is Severity.ERROR and p.path != config]
    reported: set[str] = set()
    for p in errors:
        if p.path not in used and p.path not in reported:
            reported.add(p.path)
            lines.append(f"tf: warning: skipped {p.path}:{p.line}:{p.col}: {one_line(p.message)}")
    lines += [  # removed by another hand while tf read: left out, which no rerun would show
        f"tf: note: {p.path}: {one_line(p.message)}" for p in repo.problems if p.rule == "removed"
    ]
    rest = sum(1 for p in errors if p.path in used)
    if rest:
        more = "more " if reported else ""  # "more" than the skipped files named above
        # Used as read (a value in error left out): say which files, so nobody publishes or
        # reports from them unaware.
        files = sorted({p.path for p in errors if p.path in used})
        named = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        lines.append(
            f"tf: warning: {rest} {more}error{'s' if rest != 1 else ''} in "
            f"{len(files)} file{'s' if len(files) != 1 else ''}, used as read: {named}; "
            "run 'tf check'"
        )
    elif reported:
        lines.append("tf: warning: run 'tf check' for details")
    return lines


def find_meeting(repo: Repo, ref: str) -> Meeting:
    """A meeting by id, by date (when only one meeting has it), or by file path."""
    by_id = [m for m in repo.meetings if m.id == ref]
    if by_id:
        return by_id[0]
    by_date = [m for m in repo.meetings if m.date.isoformat() == ref]
    if len(by_date) == 1:
        return by_date[0]
    if len(by_date) > 1:
        ids = ", ".join(m.id for m in by_date)
        raise UsageError(f"{len(by_date)} meetings on {ref}", f"name one by id: {ids}")
    real = os.path.realpath  # not Path.resolve, which raises on a loop of links
    path = real(ref)
    for m in repo.meetings:
        if real(m.path) == path:
            return m
    hint = "see 'tf list'" if repo.meetings else "the minutes folder has no readable meeting"
    from tfcli.fields import ISO_DATE, date_hint

    iso = ISO_DATE.match(ref)
    if repo.meetings and not iso and (written := date_hint(ref, None)):  # `2022-6-24`, `24/06/2022`
        hint = f"dates are YYYY-MM-DD: {written}"
    unread = _unread_named(repo, ref)
    if unread:  # `tf show 2022-08-05` of a file that does not load: say which, not "no meeting"
        hint = f"{unread} could not be read as minutes; run 'tf check {unread}'"
    if os.path.lexists(ref):
        inside = Path(real(repo.config.minutes_dir)) in Path(path).parents
        hint = (
            "the file could not be read as minutes; run 'tf check' on it"
            if inside
            else f"it is not in the minutes folder ({display_path(repo.config.minutes_dir)})"
        )
    raise UsageError(f"no meeting '{ref}'", hint)


def _unread_named(repo: Repo, ref: str) -> str | None:
    """The file named for the meeting of date `ref` (`<ref>-<slug>.md`, as tf names them)
    that is left out of the meetings because it has an error, if there is one."""
    from tfcli.model import Severity

    if not (len(ref) == 10 and ref[4] == ref[7] == "-" and ref.replace("-", "").isdigit()):
        return None
    used = {display_path(m.path) for m in repo.meetings}
    for p in repo.problems:
        name = Path(p.path).name
        if p.severity is Severity.ERROR and p.path not in used and name.startswith(f"{ref}-"):
            return p.path
    return None


def _silence(m: Meeting, today: date) -> str:
    if not m.silence_until:
        return ""
    if m.status == "circulated" and m.silence_until < today:
        return f" (silence ended on {m.silence_until}: approve them, or draft again)"
    return f" (silence until {m.silence_until})"


def _person(p: Person) -> str:
    """Everything the minutes say of a person: `Name (Org), job title [observer]`."""
    role = f", {p.role}" if p.role else ""
    return p.label() + role + (f" [{p.attends_as}]" if p.attends_as else "")


def _people(people: tuple[Person, ...]) -> str:
    return "; ".join(_person(p) for p in people)


def _span(start: str | None, end: str | None) -> str | None:
    return f"{start}–{end}" if start and end else start or (f"until {end}" if end else None)


def _duration(minutes: int | None) -> str | None:
    if not minutes:
        return None
    h, mins = divmod(minutes, 60)
    return " ".join(x for x in (f"{h} h" if h else "", f"{mins} min" if mins else "") if x)


def _previous(m: Meeting) -> str | None:
    if not m.previous:
        return None
    e = m.previous.endorsed
    state = "endorsement not recorded" if e is None else "endorsed" if e else "not endorsed"
    return f"{m.previous.meeting}, {state}"


def _postponed(m: Meeting) -> str | None:
    p = m.postponed
    if not p:
        return None
    return f"from {p.from_date or '?'}" + (f": {p.reason}" if p.reason else "")


def _agenda(items: tuple[AgendaItem, ...], prefix: str, indent: str) -> list[str]:
    out = []
    for i, item in enumerate(items, 1):
        number = f"{prefix}{i}."
        extra = ", ".join(x for x in (item.type, item.presenter) if x)
        tag = " [restricted]" if item.visibility != "public" else ""
        out.append(f"{indent}{number} {item.title}" + (f" ({extra})" if extra else "") + tag)
        out += _agenda(item.items, number, indent + "   ")
    return out


def _value(v: object) -> str:
    """An unknown key's value as written: text as is, anything else as compact JSON."""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, default=str)


def _follow_up(u: Update, invalid: bool) -> str:
    """What one follow-up recorded, as the site's meeting page says it."""
    due = f"due {u.due_text or u.due}" if u.due or u.due_text else INVALID_DUE if invalid else None
    owners = f"handed over to {', '.join(u.owners)}" if u.owners else None
    notes = [f"{n.date.isoformat() + ': ' if n.date else ''}{n.text}" for n in u.notes]
    parts = [x for x in (u.status, due, owners, u.note, *notes) if x]
    return ", ".join(parts) or "mentioned, no change"


def render_meeting(m: Meeting, repo: Repo, tracked: list[Tracked], today: date) -> str:
    """Plain text for a terminal, every field the format knows (and the unknown keys under
    their own heading); every piece of user text goes through safe(). `today` decides how
    late each open action is and whether a silence procedure has ended."""
    from tfcli.action_views import undated

    out: list[str] = []
    add = out.append
    title = m.title or repo.config.group
    add(f"{title} — {m.date.isoformat()}")
    add("=" * len(out[0]))
    details = [
        ("Meeting", m.id),
        ("Time", _span(m.time, m.end_time)),
        ("Duration", _duration(m.duration)),
        ("Location", m.location),
        ("Postponed", _postponed(m)),
        ("Purpose", m.purpose),
        ("Language", m.language),
        ("Chair", _person(m.chair) if m.chair else None),
        ("Co-chairs", _people(m.co_chairs)),
        ("Minute-taker" + ("s" if len(m.rapporteurs) > 1 else ""), _people(m.rapporteurs)),
        ("Previous minutes", _previous(m)),
        ("Minutes", m.status + _silence(m, today)),
        ("Visibility", m.visibility),
    ]
    width = max(len(k) for k, v in details if v) + 2
    add("")
    add("\n".join(f"{k + ':':<{width}}{v}" for k, v in details if v))
    for heading, groups in (("Participants", m.participants), ("Regrets", m.regrets)):
        if groups:
            add(f"\n{heading}")
            for group, people in groups.items():
                prefix = f"  {group}: " if group else "  "
                add(prefix + _people(people))
    if m.attendees:
        add("\nAttendance (not published)")
        for org, names in m.attendees.items():
            add(f"  {org}: {'; '.join(names)}")
    if m.agenda:
        add("\nAgenda")
        add("\n".join(_agenda(m.agenda, "", "  ")))
    if m.decisions:
        add("\nDecisions")
        add("\n".join(f"  - {d}" for d in m.decisions))
    mine = [t for t in tracked if t.meeting is m]
    if mine:
        add("\nActions")
        for t in mine:
            # As `tf actions show` says it: `due end of the week (2022-07-08)`, `due after
            # the summer`, `no due date` (was `due no due date`).
            due = f"due {t.due_label}" if t.due or t.due_text else undated(t)
            if t.is_open and t.due:
                due += f" ({t.hint(today)})"
            tag = "  [restricted]" if t.action.visibility != "public" else ""
            add(f"  {t.id}  [{t.status}]  {due}  owner: {', '.join(t.action.owners)}{tag}")
            add(f"      {t.action.text}")
    if m.updates:
        add("\nFollow-ups of earlier actions")
        # A follow-up's `due:` in error is told, as `tf actions show` tells it: its deadline
        # (the tracker's, one per follow-up after the action's own) is INVALID.
        invalid = {
            id(u)
            for t in tracked
            for u, d in zip(t.history, t.deadlines[1:], strict=False)
            if d is not None and d.kind == INVALID
        }
        for u in m.updates:
            add(f"  {u.action_id}: {_follow_up(u, id(u) in invalid)}")
    if m.links:
        add("\nLinks")
        add(
            "\n".join(
                f"  - {link.title}" + (f" <{link.url}>" if link.url else "") for link in m.links
            )
        )
    if m.contacts:
        add("\nContacts (not published)")
        for c in m.contacts:
            add("  - " + ", ".join(x for x in (c.name, c.organisation, c.email, c.phone) if x))
    if m.next_meeting:
        nm = m.next_meeting
        when = " ".join(
            x for x in (nm.date and nm.date.isoformat(), _span(nm.time, nm.end_time)) if x
        )
        lines = [f"  {x}" for x in (when, nm.location) if x]
        lines += [f"  - {topic}" for topic in nm.agenda]
        if lines:  # the skeleton's empty `next_meeting: {agenda: []}` says nothing
            add("\nNext meeting")
            add("\n".join(lines))
    if m.extra:
        add("\nOther fields (not part of the format, kept as written)")
        add("\n".join(f"  {k}: {_value(v)}" for k, v in m.extra.items()))
    if m.body.strip():
        add("\n" + "-" * 40 + "\n")
        add(m.body.strip("\n"))
    return safe("\n".join(out)) + "\n"
