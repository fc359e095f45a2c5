"""The action points of a meeting (`actions:`) and its follow-ups of earlier ones
(`updates:`), as the schema reads them: every problem reported, a bad entry left out."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tfcli.fields import ISO_DATE, Fields, excerpt, guess_date
from tfcli.model import (
    ACTION_STATUSES,
    VISIBILITIES,
    Action,
    Meeting,
    Note,
    Severity,
    Update,
    YamlPath,
)

ACTION_KEYS = ("id", "text", "owner", "due", "status", "agenda", "note", "notes", "visibility")
UPDATE_KEYS = ("action", "status", "due", "owner", "note", "notes", "reopened")
NOTE_KEYS = ("date", "text")
# Text that looks like a date someone mistyped (`2022-7-8`, `08.07.2022`): an error with the
# fix, never a deadline in words.
_DATEISH = re.compile(r"\d{1,4}\s*[-/.]\s*\d{1,2}")


def due(f: Fields, value: Any, at: YamlPath) -> tuple[date | None, str | None]:
    """A deadline: an ISO date, or words kept verbatim (`next meeting`, `ongoing`; see
    tfcli.deadlines). A date written another way stays an error with the fix."""
    if isinstance(value, str) and not ISO_DATE.match(value.strip()):
        words = " ".join(value.split())
        if (
            any(c.isalpha() for c in words)  # `20220708` is a mistyped date, not words
            and not _DATEISH.search(words)
            and guess_date(words, f.year or 2000) is None
        ):
            return None, value.strip()
    if isinstance(value, list | dict | bool):
        f.type_error(at, value, "a date (YYYY-MM-DD) or a deadline in words")
        return None, None
    return f.date(value, at), None


def notes(f: Fields, value: Any, at: YamlPath) -> tuple[Note, ...]:
    """`notes:` a list of `{date, text}` (or plain text, undated): a note history."""
    out = []
    for where, item in f.items(value, at):
        if isinstance(item, dict):
            if f.colon(item, where, NOTE_KEYS):  # `- Called: no answer`
                continue
            f.known(item, where, NOTE_KEYS)
            text = f.text(item.get("text"), (*where, "text"))
            if not text:
                f.report(
                    where, "note", "a note has no 'text'", "e.g. '- {date: 2022-07-12, text: ...}'"
                )
                continue
            out.append(Note(text, f.date(item.get("date"), (*where, "date"))))
        elif text := f.text(item, where):
            out.append(Note(text))
    return tuple(out)


ACTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}\Z")
GLOBAL_ACTION_ID = re.compile(r"(\d{4}-\d{2}-\d{2}(?:-[a-z0-9]+)*)/([A-Za-z0-9][A-Za-z0-9_-]*)\Z")


def _free_id(value: Any) -> int:
    """The first number no action of the meeting has (ids 1, 2, 4: 3), later ones too."""
    taken = {str(a.get("id")) for a in value if isinstance(a, dict)}
    return next(n for n in range(1, len(taken) + 2) if str(n) not in taken)


def actions(f: Fields, value: Any, m: Meeting) -> list[Action]:
    out: list[Action] = []
    seen: dict[str, int] = {}
    for at, item in f.items(value, ("actions",)):
        a = f.mapping(item, at)
        if a is None:
            continue
        f.known(a, at, ACTION_KEYS, ACTION_STATUSES)
        line = f.where(at)[0]
        raw_id = a.get("id")
        local = (
            str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
        )
        if raw_id is None:
            f.report(
                at,
                "action-id",
                "action has no 'id'",
                f"add 'id: {_free_id(value)}': short, unique in this meeting, never renumbered",
            )
        elif not ACTION_ID.match(local):
            f.report(
                (*at, "id"),
                "action-id",
                f"action id '{excerpt(raw_id)}' is malformed",
                "use up to 16 letters, digits, '-' or '_', e.g. 'id: 3'",
            )
            local = ""
        elif local in seen:
            f.report(
                (*at, "id"),
                "action-id",
                f"action id '{local}' is used twice in this meeting (lines {seen[local]} and "
                f"{f.where((*at, 'id'))[0]})",
                "give each action its own id",
            )
        seen.setdefault(local, f.where((*at, "id"))[0])
        text = f.text(a.get("text"), (*at, "text"))
        if not text:
            f.report(at, "action-field", "action has no 'text'", "say what is to be done")
        owners = f.texts(a.get("owner"), (*at, "owner"), one_ok=True)
        if not owners:  # allowed: minutes often name nobody; the digest and agenda say so
            f.report(
                (*at, "owner") if "owner" in a else at,
                "action-owner",
                "action has no owner yet",
                "name an organisation, person, role or 'all members' when the group agrees one",
                Severity.WARNING,
            )
        if a.get("due") is None:
            f.report(
                at,
                "action-field",
                "action has no 'due' date",
                "add 'due: YYYY-MM-DD' or words such as 'due: next meeting', so it can be tracked",
                Severity.WARNING,
            )
        day, words = due(f, a.get("due"), (*at, "due"))
        status = f.choice(a.get("status"), (*at, "status"), ACTION_STATUSES, "open")
        if local:
            out.append(
                Action(
                    meeting_id=m.id,
                    local_id=local,
                    text=text or "",
                    owners=owners,
                    due=day,
                    status=status,
                    meeting_date=m.date,
                    line=line,
                    agenda=f.text(a.get("agenda"), (*at, "agenda")),
                    note=f.text(a.get("note"), (*at, "note")),
                    due_text=words,
                    notes=notes(f, a.get("notes"), (*at, "notes")),
                    visibility=f.choice(
                        a.get("visibility"), (*at, "visibility"), VISIBILITIES, "public"
                    ),
                )
            )
    return out


def updates(f: Fields, value: Any, m: Meeting) -> list[Update]:
    out = []
    for at, item in f.items(value, ("updates",)):
        if isinstance(item, str) and GLOBAL_ACTION_ID.match(item.strip()):  # `- 2022-06-24/1`
            f.report(
                at,
                "type",
                f"a follow-up must be a mapping (key: value lines), not the text '{item.strip()}'",
                f"name the action under 'action:': - action: {item.strip()}",
            )
            continue
        u = f.mapping(item, at)
        if u is None:
            continue
        f.known(u, at, UPDATE_KEYS, ACTION_STATUSES)
        target = f.text(u.get("action"), (*at, "action"))
        if not target:
            f.report(at, "update", "update has no 'action'", "e.g. 'action: 2022-06-24/1'")
            continue
        if not GLOBAL_ACTION_ID.match(target):
            f.report(
                (*at, "action"),
                "update",
                f"'{excerpt(target)}' is not an action id",
                "write MEETING/ID, e.g. 2022-06-24/1",
            )
            continue
        status, reopened = u.get("status"), u.get("reopened")
        if reopened is not None and not isinstance(reopened, bool):
            f.type_error((*at, "reopened"), reopened, "true or false")
            reopened = None
        day, words = due(f, u.get("due"), (*at, "due"))
        out.append(
            Update(
                action_id=target,
                meeting_id=m.id,
                meeting_date=m.date,
                line=f.where(at)[0],
                status=f.choice(status, (*at, "status"), ACTION_STATUSES, "") or None,
                due=day,
                note=f.text(u.get("note"), (*at, "note")),
                reopened=bool(reopened),
                due_text=words,
                owners=f.texts(u.get("owner"), (*at, "owner"), one_ok=True),
                notes=notes(f, u.get("notes"), (*at, "notes")),
            )
        )
    return out
