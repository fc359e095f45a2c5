"""Changing an action from the command line (`tf actions done/reopen/start/drop/due`).

Where a change is recorded (docs/actions.md): in the latest meeting after the action's own
whose minutes are still `draft` or `circulated`, in its `updates:` entry for the action when
it has one (`tf new-meeting` pre-fills them), else as a new entry; when there is no such
meeting, in place in the action's own meeting, unless those minutes are approved: approved
minutes are a record, so we refuse (hint: `tf new-meeting`) unless `--in-place` asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tfcli import edit, write
from tfcli.actions import Tracked, find, track
from tfcli.dates import parse_iso
from tfcli.errors import DataError, UsageError
from tfcli.fields import date_hint, guess_date
from tfcli.model import CLOSED_STATUSES, Meeting, Repo, Update, YamlPath
from tfcli.paths import display_path

EDITABLE = ("draft", "circulated")


@dataclass(frozen=True, slots=True)
class Change:
    status: str | None = None
    due: date | None = None
    note: str | None = None
    due_text: str | None = None  # a deadline in words tf understands ("next meeting")

    def describe(self) -> str:
        parts = []
        if self.status:
            parts.append(f"status {self.status}")
        if self.due:
            parts.append(f"due {self.due.isoformat()}")
        if self.due_text:
            parts.append(f"due {self.due_text}")
        if self.note:
            parts.append("a note")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path | None  # None when nothing needed to change
    line: int
    message: str


def request(status: str | None = None, due: str | None = None, note: str | None = None) -> Change:
    """A change as typed on the command line: `due` strictly YYYY-MM-DD or words tf resolves
    (`next meeting`, `end of month`, `ASAP`, `ongoing`: tfcli.deadlines), `note` some text.
    UsageError otherwise (other words are written by hand, so a typo is never recorded)."""
    day, words = None, None
    if due is not None:
        try:
            day = parse_iso(due.strip(), "due date")
        except UsageError as e:
            from tfcli.deadlines import WORDS, kind_of

            words = " ".join(due.split())
            if kind_of(words) == WORDS:
                hint = date_hint(due, None) or e.hint or "write YYYY-MM-DD"
                if guess_date(due, 2000) is None and any(c.isalpha() for c in words):
                    hint += ", or words such as 'next meeting', 'end of month', 'ongoing'"
                raise UsageError(e.message, hint) from None
    if note is not None:
        note = note.strip()
        if not note or any(0xD800 <= ord(c) <= 0xDFFF for c in note):
            raise UsageError("--note must be some text", 'e.g. --note "Shared on 5 July"')
    return Change(status, day, note, words)


def record(
    repo: Repo,
    ref: str,
    change: Change | Callable[[], Change],
    in_place: bool = False,
    today: date | None = None,
) -> Outcome:
    """Record `change` of the action `ref` (a global or short id) where the module doc says;
    `today` dates a note added to a `notes:` history. A `change` still to be made (`request`
    with what was typed) is made once the action is found: an unknown id is what is wrong
    then, not the date typed after it."""
    t = find(track(repo), ref)
    return apply(repo, t, change() if callable(change) else change, in_place, today)


def target(repo: Repo, t: Tracked, in_place: bool) -> tuple[Meeting, bool]:
    """The meeting to record the change in, and whether it is the action's own (in place)."""
    if in_place:
        return t.meeting, True
    mine = (t.meeting.date, t.meeting.id)
    later = [m for m in repo.meetings if (m.date, m.id) > mine and m.status in EDITABLE]
    if later:
        return later[-1], False
    if t.meeting.status != "approved":
        return t.meeting, True
    raise UsageError(
        f"the minutes of {t.meeting.id} are approved and no later meeting is in draft or "
        f"circulated to record the change of {t.id} in",
        "create the next meeting first ('tf new-meeting'), or pass --in-place to edit the "
        "approved minutes on purpose",
    )


def _overridden(t: Tracked, change: Change, meeting: Meeting, in_place: bool) -> Update | None:
    """A follow-up that would still win over the change, so recording it would do nothing.
    Our entry goes last in `meeting`, so only updates in later meetings win over it; a change
    in place loses to every follow-up that sets the same field."""
    for u in t.history:
        if not in_place and (u.meeting_date, u.meeting_id) <= (meeting.date, meeting.id):
            continue
        if (change.status and u.status) or (
            (change.due or change.due_text) and (u.due or u.due_text)
        ):
            return u
    return None


def unchanged(t: Tracked, change: Change) -> bool:
    if change.due_text is not None:  # the same words as now: nothing to write
        same_due = change.due_text == t.due_text
    else:
        same_due = change.due in (None, t.due) and (change.due is None or t.due_text is None)
    return (
        not change.note
        and change.status in (None, t.status)
        and same_due
        and bool(change.status or change.due or change.due_text)
    )


def plan(repo: Repo, t: Tracked, change: Change, in_place: bool) -> tuple[Meeting, bool]:
    """Where the change goes; UsageError when it cannot go anywhere or would have no effect."""
    meeting, here = target(repo, t, in_place)
    if u := _overridden(t, change, meeting, here):
        where = "its own minutes" if here else f"meeting {meeting.id}"
        raise UsageError(
            f"a later follow-up of {t.id} in meeting {u.meeting_id} (line {u.line}) would "
            f"still decide its state, so a change in {where} would have no effect",
            f"record the change in a meeting after {u.meeting_id}, or edit that update",
        )
    return meeting, here


def apply(
    repo: Repo, t: Tracked, change: Change, in_place: bool = False, today: date | None = None
) -> Outcome:
    """Record `change` of action `t` (see the module doc), atomically, touching only the
    lines it must. A note goes to `note:` when the entry has none, else it is added, dated
    `today`, to the entry's `notes:` list: an earlier note is never overwritten or refused.
    Returns where it went."""
    if unchanged(t, change):
        what = t.status if change.status else f"due {t.due_label}"
        return Outcome(None, 0, f"{t.id} is already {what}; nothing written")
    meeting, here = plan(repo, t, change, in_place)
    shown = display_path(meeting.path)
    doc = edit.open_document(meeting.path, shown)
    values: dict[str, str | bool] = {}
    if change.status:
        values["status"] = change.status
        if not here and _reopens(t, change.status, meeting):
            values["reopened"] = True  # said explicitly, as `tf check` asks (update-reopen)
    if change.due:
        values["due"] = change.due.isoformat()
    if change.due_text:
        values["due"] = change.due_text  # kept verbatim, resolved when read
    minutes = f"the {meeting.status} minutes of {meeting.id}"
    if here:
        at: YamlPath = ("actions", _index(doc, t))
        _set(doc, at, values, change.note, today)
        how = "in place"
        if meeting.status == "approved":
            how += " (approved minutes, as asked with --in-place)"
    elif (i := _follow_up(doc, t, change, meeting)) is not None:
        at = ("updates", i)  # e.g. pre-filled by `tf new-meeting`: changed, not repeated
        _set(doc, at, values, change.note, today)
        how = f"in its follow-up in {minutes}"
    else:
        if change.note:
            values["note"] = change.note
        doc.append_update({"action": t.id, **values})
        at = ("updates", len(doc.expected["updates"]) - 1)
        how = f"as a follow-up in {minutes}"
    data = doc.render()
    assert doc.result is not None
    line = doc.result.spans[at].line
    # A DataError naming the file when it fails, or when the file changed since doc read it.
    write.replace_atomically(meeting.path, data, based_on=doc.data)
    return Outcome(
        meeting.path, line, f"{t.id}: {change.describe()}, recorded {how}: {shown}:{line}"
    )


def _set(
    doc: edit.Document,
    at: YamlPath,
    values: dict[str, str | bool],
    note: str | None,
    today: date | None,
) -> None:
    """Set `values` on the entry at `at`, and its note: `note:` when it has none; else a
    dated item of `notes:` (a person adding a later note by hand writes the same)."""
    entry: Any = doc.value
    for key in at:
        entry = entry[key]
    if note and entry.get("note") in (None, ""):
        values = {**values, "note": note}
        note = None
    if values:
        doc.set_keys(at, values)
    if note:
        doc.append_note(at, (today or date.today()).isoformat(), note)


def _reopens(t: Tracked, status: str, meeting: Meeting) -> bool:
    """Does a follow-up in `meeting` setting `status` reopen an action closed before it?"""
    before = t.action.status
    for u in t.history:
        if (u.meeting_date, u.meeting_id) < (meeting.date, meeting.id) and u.status:
            before = u.status
    return status not in CLOSED_STATUSES and before in CLOSED_STATUSES


def _follow_up(doc: edit.Document, t: Tracked, change: Change, meeting: Meeting) -> int | None:
    """The position of the meeting's last `updates:` entry for `t`, if it has one. Its note
    is never overwritten: a later note joins its `notes:` (see `_set`)."""
    items = doc.value.get("updates")
    hits = [
        i
        for i, item in enumerate(items if isinstance(items, list) else [])
        if isinstance(item, dict) and str(item.get("action", "")).strip() == t.id
    ]
    return hits[-1] if hits else None


def _index(doc: edit.Document, t: Tracked) -> int:
    items = doc.value.get("actions")
    hits = [
        i
        for i, item in enumerate(items if isinstance(items, list) else [])
        if isinstance(item, dict)
        and isinstance(item.get("id"), str | int)
        and not isinstance(item.get("id"), bool)
        and str(item["id"]) == t.action.local_id
    ]
    if len(hits) != 1:
        raise DataError(
            f"cannot find action '{t.action.local_id}' in {doc.shown} (it changed on disk?)",
            "run 'tf check'",
        )
    return hits[0]
