"""Views of tracked actions: table rows, the documented JSON object, GitHub annotations, the
step summary, and the full history of one action (`tf actions show`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tfcli.actions import Roster, Tracked
from tfcli.load import display_path
from tfcli.model import ACTION_STATUSES, CLOSED_STATUSES, Repo, Update
from tfcli.output import Column, annotation, markdown_table, safe
from tfcli.xlsx import Layout

COLUMNS = (
    Column("id", "ID", "bold", kind="id"),
    # When is never dropped: its words ("2 days overdue", "done") are what a narrow screen
    # must keep, since colour alone may not show (NO_COLOR, a monochrome terminal).
    Column("due", "Due", kind="fixed", drop=3),
    Column("when", "When", style_key="when_style"),
    Column("status", "Status", style_key="status_style", drop=2),
    Column("owner", "Owner", min=10),
    Column("text", "Text", style_key="status_style", min=20),
    Column("meeting", "Meeting", kind="id", drop=1),
)
SOON = 3  # days: "due soon" in colour
SUMMARY_COLUMNS = tuple(c for c in COLUMNS if c.key != "status")
# The workbook: the same columns, plus a word to filter overdue rows on (docs/actions.md).
XLSX_COLUMNS = (*COLUMNS, Column("overdue", "Overdue"))
XLSX_LAYOUT = Layout("Actions", split_key="status", split_order=ACTION_STATUSES, mark_key="overdue")


def row(t: Tracked, today: date) -> dict[str, Any]:
    """One line of the table, CSV and Markdown views."""
    # Colour says what the words say: overdue red, due within SOON days yellow, closed dim.
    style = None
    if t.overdue(today):
        style = "red"
    elif t.is_open and t.due is not None and (t.due - today).days <= SOON:
        style = "yellow"
    elif not t.is_open:
        style = "dim"
    return {
        "id": t.id,
        "due": t.due,
        "when": t.hint(today),
        "when_style": style,
        "status": t.status,
        "status_style": None if t.is_open else "dim",  # done and dropped fade
        "owner": ", ".join(t.action.owners),
        "text": t.action.text,
        "meeting": t.meeting.id,
        "overdue": "overdue" if style == "red" else "",
    }


@dataclass(frozen=True, slots=True)
class View:
    """What the JSON and the history of an action need besides the action: "today", who is
    who (tf.yml), and each meeting's file (for the follow-ups)."""

    today: date
    roster: Roster
    paths: Mapping[str, Path]  # meeting id -> file

    @classmethod
    def of(cls, repo: Repo, today: date) -> View:
        return cls(today, Roster(repo.config), {m.id: m.path for m in repo.meetings})

    def file(self, u: Update, t: Tracked) -> str:
        return display_path(self.paths.get(u.meeting_id, t.meeting.path))


def as_json(t: Tracked, v: View) -> dict[str, Any]:
    """The documented JSON object of one action (docs/actions.md): effective and original
    state, ISO dates, null for what is absent."""
    a, today = t.action, v.today
    return {
        "id": t.id,
        "meeting": t.meeting.id,
        "meeting_date": t.meeting.date,
        "local_id": a.local_id,
        "file": display_path(t.meeting.path),
        "line": a.line,
        "text": a.text,
        "owners": list(a.owners),
        "organisations": _organisations(t, v.roster),
        "agenda": a.agenda,
        "note": a.note,
        "status": t.status,
        "due": t.due,
        "original_status": a.status,
        "original_due": a.due,
        "overdue": t.overdue(today),
        "days_left": t.days_left(today),
        "hint": t.hint(today),
        "postponements": t.postponements,
        "closed_in": t.closed_in,
        "updates": [
            {
                "meeting": u.meeting_id,
                "date": u.meeting_date,
                "file": v.file(u, t),
                "line": u.line,
                "status": u.status,
                "due": u.due,
                "note": u.note,
            }
            for u in t.history
        ],
    }


def _organisations(t: Tracked, roster: Roster) -> list[str]:
    orgs: dict[str, None] = {}
    for owner in t.action.owners:
        orgs.update(dict.fromkeys(roster.organisations_of(owner)))
    return list(orgs)


def github_annotations(tracked: Sequence[Tracked], today: date) -> str:
    """A GitHub warning annotation per action, at the action's line in its file."""
    out = []
    for t in tracked:
        due = f"due {t.due.isoformat()}, {t.hint(today)}" if t.due else "no due date"
        owners = ", ".join(t.action.owners)
        message = safe(f"{t.id} ({owners}; {due}): {t.action.text}")
        title = f"Action {t.id}: {t.hint(today)}"
        out.append(
            annotation("warning", message, display_path(t.meeting.path), t.action.line, title=title)
        )
    return "".join(line + "\n" for line in out)


def summary(tracked: Sequence[Tracked], today: date, what: str) -> str:
    """A Markdown block for $GITHUB_STEP_SUMMARY: a heading with the count, then a table."""
    n = len(tracked)
    what = f"{n} {what} action{'s' if n != 1 else ''}"
    head = f"\n### tf actions: {what} (today {today.isoformat()})\n\n"
    if not tracked:
        return head + "None.\n\n"
    return head + markdown_table([row(t, today) for t in tracked], SUMMARY_COLUMNS) + "\n"


def _d(value: date | None) -> str:
    return value.isoformat() if value else "none"


def show(t: Tracked, v: View) -> str:
    """Plain text: the action, its effective state, and its full history."""
    a, today = t.action, v.today
    orgs = _organisations(t, v.roster)
    owners = ", ".join(a.owners)
    if orgs != list(a.owners):
        owners += f" ({', '.join(orgs)})"
    due = f"{_d(t.due)} ({t.hint(today)})" if t.due else "none"
    lines = [
        f"{t.id}  {a.text}",
        "",
        f"Status:         {t.status}",
        f"Owner:          {owners}",
        f"Due:            {due}",
        f"Original due:   {_d(a.due)}",
        f"Postponements:  {t.postponements}",
        f"Meeting:        {t.meeting.id} ({display_path(t.meeting.path)}:{a.line})",
    ]
    if a.agenda:
        lines.append(f"Agenda item:    {a.agenda}")
    if a.note:
        lines.append(f"Note:           {a.note}")
    if t.closed_in:
        lines.append(f"Closed in:      {t.closed_in}")
    elif not t.is_open:
        lines.append("Closed in:      its own minutes (status set in place)")
    lines += ["", "History:", f"  {t.meeting.id}: agreed, status {a.status}, due {_d(a.due)}"]
    due_now = a.due
    closing = next((u for u in reversed(t.history) if u.status), None) if t.closed_in else None
    for u in t.history:
        parts = []
        if u.status:
            reopened = u.reopened and u.status not in CLOSED_STATUSES
            parts.append(f"status {u.status}" + (" (reopened)" if reopened else ""))
        if u.due and u.due != due_now:
            moved = "postponed" if due_now is None or u.due > due_now else "brought forward"
            parts.append(f"due {_d(due_now)} -> {_d(u.due)} ({moved})")
            due_now = u.due
        if u.note:
            parts.append(f"note: {u.note}")
        if u is closing:
            parts.append("closed here")
        where = v.file(u, t)
        change = "; ".join(parts) or "mentioned, no change"
        lines.append(f"  {u.meeting_id}: {change} ({where}:{u.line})")
    if not t.history:
        lines.append("  (no follow-ups in later meetings)")
    return "\n".join(lines) + "\n"
