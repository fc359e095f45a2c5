"""Views of tracked actions: table rows, the documented JSON object, GitHub annotations, the
step summary, and the full history of one action (`tf actions show`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.actions import Tracked
from tfcli.deadlines import INVALID, INVALID_DUE
from tfcli.model import ACTION_STATUSES, CLOSED_STATUSES, Note, Repo, Update
from tfcli.output import Column, annotation, markdown_table, overflow_notice, safe
from tfcli.paths import display_path
from tfcli.record import Frozen
from tfcli.record import init as _init
from tfcli.roster import Roster

if TYPE_CHECKING:
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
# CSV: `due` is the resolved date only (ISO, empty when undated), the words follow at the end
# (added last, so that scripts reading columns by position keep working).
CSV_COLUMNS = (*COLUMNS, Column("due_text", "Due text"))
# The workbook: the same columns, plus a word to filter overdue rows on (docs/actions.md).
XLSX_COLUMNS = (*COLUMNS, Column("overdue", "Overdue"))


def xlsx_layout() -> Layout:
    """The workbook's sheets (its module imported only when a workbook is written)."""
    from tfcli.xlsx import Layout

    return Layout("Actions", split_key="status", split_order=ACTION_STATUSES, mark_key="overdue")


def when_style(t: Tracked, today: date) -> str | None:
    """Colour says what the words say: overdue red, due within SOON days yellow, closed dim."""
    if t.overdue(today):
        return "red"
    if t.is_open and ((t.due is not None and (t.due - today).days <= SOON) or t.urgent):
        return "yellow"
    return None if t.is_open else "dim"


def row(t: Tracked, today: date) -> dict[str, Any]:
    """One line of the table, CSV and Markdown views."""
    style = when_style(t, today)
    return {
        "id": t.id,
        # A date stays a date (a real date in a workbook); words show with what they resolve to.
        "due": t.due_label if t.due_text else t.due,
        "when": t.hint(today),
        "when_style": style,
        "status": t.status,
        "status_style": None if t.is_open else "dim",  # done and dropped fade
        "owner": owner_label(t.owners),
        "text": t.action.text,
        "meeting": t.meeting.id,
        "overdue": "overdue" if style == "red" else "",
    }


def csv_row(t: Tracked, today: date) -> dict[str, Any]:
    """A CSV line: `due` the resolved date (empty when undated), `due_text` the words."""
    return {**row(t, today), "when": t.hint(today), "due": t.due, "due_text": t.due_text or ""}


NO_OWNER = "no owner yet"


def undated(t: Tracked) -> str:
    """What an action without a deadline says where its deadline would be: a `due:` in error
    is not the absence of one."""
    return INVALID_DUE if t.due_kind == INVALID else "no due date"


def owner_label(owners: Sequence[str]) -> str:
    return ", ".join(owners) or NO_OWNER


class View(Frozen):
    """What the JSON and the history of an action need besides the action: "today", who is
    who (tf.yml), and each meeting's file (for the follow-ups)."""

    __slots__ = ("today", "roster", "paths", "shown", "orgs")
    today: date
    roster: Roster
    paths: Mapping[str, Path]  # meeting id -> file
    # Each file as shown, worked out once: thousands of actions share a few thousand files.
    # Also by meeting id (a str key: never equal to a Path), for the follow-ups' files.
    shown: dict[Path | str, str]
    # Owners' organisations (as_json's `organisations`), once per set of owners.
    orgs: dict[tuple[str, ...], tuple[str, ...]]

    def __init__(
        self,
        today: date,
        roster: Roster,
        paths: Mapping[str, Path],
        shown: dict[Path | str, str] | None = None,
        orgs: dict[tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> None:
        _init(
            self, today, roster, paths, {} if shown is None else shown, {} if orgs is None else orgs
        )

    @classmethod
    def of(cls, repo: Repo, today: date) -> View:
        return cls(today, Roster(repo.config), {m.id: m.path for m in repo.meetings})

    def file(self, u: Update, t: Tracked) -> str:
        if (got := self.shown.get(u.meeting_id)) is None:
            path = self.paths.get(u.meeting_id)
            if path is None:
                return self.show(t.meeting.path)
            got = self.shown[u.meeting_id] = self.show(path)
        return got

    def organisations(self, t: Tracked) -> list[str]:
        """_organisations(t, self.roster)."""
        if (got := self.orgs.get(owners := t.owners)) is None:
            got = self.orgs[owners] = tuple(_organisations(t, self.roster))
        return list(got)

    def show(self, path: Path) -> str:
        """display_path(path)."""
        if (got := self.shown.get(path)) is None:
            got = self.shown[path] = display_path(path)
        return got


def as_json(t: Tracked, v: View) -> dict[str, Any]:
    """The documented JSON object of one action (docs/actions.md): effective and original
    state, ISO dates, null for what is absent."""
    a, today = t.action, v.today
    return {
        "id": t.id,
        "meeting": t.meeting.id,
        "meeting_date": t.meeting.date,
        "local_id": a.local_id,
        "file": v.show(t.meeting.path),
        "line": a.line,
        "text": a.text,
        "owners": list(t.owners),
        "organisations": v.organisations(t),
        "agenda": a.agenda,
        "note": a.note,
        "status": t.status,
        "due": t.due,
        "original_status": a.status,
        # the agreed deadline, resolved when it was words ("End of month" -> its last day)
        "original_due": t.deadlines[0].day if t.deadlines and t.deadlines[0] else a.due,
        "overdue": t.overdue(today),
        "days_left": t.days_left(today),
        "hint": t.hint(today),
        "postponements": t.postponements if t.history else 0,
        "closed_in": t.closed_in,
        "updates": [
            {
                "meeting": u.meeting_id,
                "date": u.meeting_date,
                "file": v.file(u, t),
                "line": u.line,
                "status": u.status,
                "due": d.day if d else None,
                "note": u.note,
                "due_text": u.due_text,
                "owners": list(u.owners),
                "notes": _notes(u.notes),
            }
            for u, d in zip(t.history, t.deadlines[1:] or [None] * len(t.history), strict=True)
        ],
        # Added with deadlines in words, handovers and note histories (keys are only added).
        "due_text": t.due_text,
        "due_kind": t.due_kind if t.due or t.due_text else None,
        "original_due_text": a.due_text,
        "original_owners": list(a.owners),
        "notes": _notes(a.notes) if a.notes else [],
    }


# The fields of as_json that depend on "today", in their order: a listing kept for later
# (tfcli.listing_store) has the rest written already and fills these in (its Rows.text).
TODAY_FIELDS = ("overdue", "days_left", "hint")
_MARK = "\x00tf-today\x00"  # a value json writes as "\u0000tf-today\u0000"


def json_parts(t: Tracked, v: View) -> list[str] | None:
    """as_json(t, v) as a listing writes it (output.json_item), cut around the values of
    TODAY_FIELDS: four pieces (before, between, between, after); the whole text when the
    action has no due date (nothing in it depends on today); None when the cut is unsure (a
    text that holds the mark)."""
    from tfcli.output import json_item

    got = as_json(t, v)
    if t.due is None:
        return [json_item(got)]
    mark = _marked()
    got.update(dict.fromkeys(TODAY_FIELDS, _MARK))
    pieces = json_item(got).split(mark)
    return pieces if len(pieces) == len(TODAY_FIELDS) + 1 else None


@functools.cache
def _marked() -> str:
    """The mark as json_item writes it: the same for every action of a listing."""
    from tfcli.output import json_item

    return json_item(_MARK)


def _notes(notes: Sequence[Note]) -> list[dict[str, Any]]:
    return [{"date": n.date, "text": n.text} for n in notes]


def _organisations(t: Tracked, roster: Roster) -> list[str]:
    orgs: dict[str, None] = {}
    for owner in t.owners:
        orgs.update(dict.fromkeys(roster.organisations_of(owner)))
    return list(orgs)


def github_annotations(tracked: Sequence[Tracked], today: date) -> str:
    """A GitHub warning annotation per action, at the action's line in its file (after a
    notice of how many there are when GitHub would not show them all)."""
    out = []
    if notice := overflow_notice("tf actions", {"warning": len(tracked)}):
        out.append(notice.rstrip("\n"))
    for t in tracked:
        due = f"due {t.due_label}, {t.hint(today)}" if t.due or t.due_text else undated(t)
        owners = owner_label(t.owners)
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


def _due(day: date | None, text: str | None) -> str:
    """A deadline as written, with the date words resolve to: `next meeting (2022-07-08)`."""
    if text:
        return f"{text} ({day.isoformat()})" if day else text
    return _d(day)


def _note_lines(notes: Sequence[Note], indent: str) -> list[str]:
    return [f"{indent}{n.date.isoformat() + ': ' if n.date else ''}{n.text}" for n in notes]


def show(t: Tracked, v: View) -> str:
    """Plain text: the action, its effective state, and its full history."""
    a, today = t.action, v.today
    orgs = _organisations(t, v.roster)
    owners = owner_label(t.owners)
    if t.owners and orgs != list(t.owners):
        owners += f" ({', '.join(orgs)})"
    first = t.deadlines[0] if t.deadlines else None
    original = _due(first.day if first else a.due, a.due_text)
    if first is not None and first.kind == INVALID:
        original = INVALID_DUE
    due = INVALID_DUE if t.due_kind == INVALID else "none"
    if t.due_text:
        due = f"{t.due_label}, {t.hint(today)}" if t.due else t.due_label
    elif t.due:
        due = f"{t.due_label} ({t.hint(today)})"
    lines = [
        f"{t.id}  {a.text}",
        "",
        f"Status:         {t.status}",
        f"Owner:          {owners}",
        f"Due:            {due}",
        f"Original due:   {original}",
        f"Postponements:  {t.postponements}",
        f"Meeting:        {t.meeting.id} ({display_path(t.meeting.path)}:{a.line})",
    ]
    if a.agenda:
        lines.append(f"Agenda item:    {a.agenda}")
    if a.note:
        lines.append(f"Note:           {a.note}")
    if a.notes:
        lines += ["Notes:", *_note_lines(a.notes, "  ")]
    if t.closed_in:
        lines.append(f"Closed in:      {t.closed_in}")
    elif not t.is_open:
        lines.append("Closed in:      its own minutes (status set in place)")
    agreed = f"agreed, status {a.status}, due {original}, owner {owner_label(a.owners)}"
    lines += ["", "History:", f"  {t.meeting.id}: {agreed}"]
    day_now, text_now, owners_now = (first.day if first else a.due), a.due_text, a.owners
    closing = next((u for u in reversed(t.history) if u.status), None) if t.closed_in else None
    for u, d in zip(t.history, t.deadlines[1:] or [None] * len(t.history), strict=True):
        parts = []
        if u.status:
            reopened = u.reopened and u.status not in CLOSED_STATUSES
            parts.append(f"status {u.status}" + (" (reopened)" if reopened else ""))
        if d is not None and d.kind == INVALID:  # tf check says where and why
            parts.append(f"due {_due(day_now, text_now)} -> {INVALID_DUE}")
        elif d is not None and (d.day, d.text) != (day_now, text_now):
            if d.day is None or day_now is None:
                moved = "postponed" if day_now is not None else "dated"
            else:
                moved = "postponed" if d.day > day_now else "brought forward"
            parts.append(f"due {_due(day_now, text_now)} -> {_due(d.day, d.text)} ({moved})")
            day_now, text_now = d.day, d.text
        if u.owners and u.owners != owners_now:
            parts.append(f"handed over: {owner_label(owners_now)} -> {owner_label(u.owners)}")
            owners_now = u.owners
        if u.note:
            parts.append(f"note: {u.note}")
        parts += [f"note {line}" for line in _note_lines(u.notes, "")]
        if u is closing:
            parts.append("closed here")
        where = v.file(u, t)
        change = "; ".join(parts) or "mentioned, no change"
        lines.append(f"  {u.meeting_id}: {change} ({where}:{u.line})")
    if not t.history:
        lines.append("  (no follow-ups in later meetings)")
    return "\n".join(lines) + "\n"
