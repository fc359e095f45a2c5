"""`tf import-actions`: the open actions of a group's existing tracker as a baseline file,
`minutes/<date>-baseline.md` (approved, id `<date>-baseline`), that later meetings follow up
like any other. Each action keeps the tracker's wording; what cannot be read is reported
(row, column, why) and kept in the action's note, never dropped in silence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tfcli import tracker
from tfcli.errors import DataError, UsageError
from tfcli.fields import ISO_DATE, guess_date
from tfcli.frontmatter import MAX_FRONT_MATTER_CHARS
from tfcli.model import BASELINE_SUFFIX, Config, Repo, Severity
from tfcli.schema_actions import ACTION_ID
from tfcli.templates import yaml_scalar

# Status words of trackers -> the status of an action; compared as tracker.normal() does.
STATUSES: dict[str, tuple[str, ...]] = {
    "open": ("open", "not started", "pending", "outstanding", "new", "to do", "todo", "ouvert"),
    "in-progress": (
        *("in progress", "in-progress", "ongoing", "on-going", "on going", "started"),
        *("partially done", "partially completed", "in process", "en cours", "en curso"),
        *("in curs", "в процессе", "в роботі", "виконується"),
    ),
    "done": (
        *("done", "completed", "complete", "closed", "finished", "achieved", "fait"),
        *("termine", "realise", "hecho", "completado", "cerrado", "realizat", "finalizat"),
        *("выполнено", "виконано"),
    ),
    "dropped": (
        *("dropped", "cancelled", "canceled", "abandoned", "no longer relevant", "n/a"),
        *("not applicable", "annule", "cancelado", "anulat", "отменено", "скасовано"),
    ),
}
_STATUS = {tracker.normal(w): s for s, words in STATUSES.items() for w in words}
_ALWAYS_SPLIT = re.compile(r"\s*(?:;|\n)\s*")  # owners: a list whatever the roster
_MAYBE_SPLIT = re.compile(r"\s*(?:,|/|&|\band\b|\bet\b|\by\b|\bși\b|\bsi\b)\s*")


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    id: str
    text: str
    owners: list[str]
    due: date | str | None  # a date, or the tracker's words (`next meeting`), kept as written
    status: str
    agenda: str | None
    note: str | None


@dataclass
class Import:
    table: tracker.Table
    rows: list[Row] = field(default_factory=list)
    report: list[str] = field(default_factory=list)  # what could not be read, for stderr
    closed: int = 0  # done or dropped rows left out


def read_rows(table: tracker.Table, config: Config, day: date, every: bool) -> Import:
    """The tracker's rows below its header as actions (`every`: the closed ones too)."""
    out = Import(table)
    known = _known_owners(config)
    used: set[str] = set()
    for index in range(table.header_row + 1, len(table.rows)):
        cells = table.rows[index]
        if not any(tracker.cell_text(c) for c in cells):
            continue  # a blank row
        said = len(out.report)
        row = _row(out, index, cells, known, day)
        if row is None:
            continue
        if row.status in ("done", "dropped") and not every:
            del out.report[said:]  # nothing to say about a row left out
            out.closed += 1
            continue
        row.id = _unique_id(out, row, used)
        used.add(row.id)
        out.rows.append(row)
    return out


def _row(out: Import, index: int, cells: list[Any], known: set[str], day: date) -> Row | None:
    t = out.table
    number = t.row_number(index)
    by_role: dict[str, list[tuple[int, Any]]] = {}
    notes: list[str] = []
    for col, value in enumerate(cells):
        if not tracker.cell_text(value):
            continue
        role = t.columns.get(col)
        if role is None or role == "note":  # an unknown column is kept, with its header
            notes.append(f"{tracker.column_name(t, col)}: {tracker.cell_text(value)}")
        else:
            by_role.setdefault(role, []).append((col, value))

    def first(role: str) -> tuple[int | None, Any]:
        found = by_role.get(role)
        return found[0] if found else (None, None)

    action_col, text = first("action")
    if action_col is None:
        name = tracker.column_name(t, _col_of(t, "action"))
        out.report.append(f"row {number}, {name}: empty; row not imported")
        return None
    due, due_note = _due(out, number, *first("due"), day)
    status = "open"
    scol, raw_status = first("status")
    if scol is not None:
        found = _STATUS.get(tracker.normal(tracker.cell_text(raw_status)))
        if found is None:
            notes.insert(0, f"{tracker.column_name(t, scol)}: {tracker.cell_text(raw_status)}")
            out.report.append(
                f"row {number}, {tracker.column_name(t, scol)}: "
                f"'{tracker.cell_text(raw_status)}' is no status tf knows; the action is open, "
                "the word kept in the note"
            )
        else:
            status = found
    if due_note:
        notes.insert(0, due_note)
    ocol, owner = first("owner")
    _, ident = first("id")
    _, agenda = first("agenda")
    owners = _owners(tracker.cell_text(owner), known)
    has_owners = "owner" in t.columns.values()
    if not owners and has_owners:  # kept: the digest and the agenda say "no owner yet"
        name = tracker.column_name(t, ocol if ocol is not None else _col_of(t, "owner"))
        out.report.append(f"row {number}, {name}: empty; imported with no owner yet")
    return Row(
        number=number,
        id=tracker.cell_text(ident),
        text=tracker.cell_text(text),
        owners=owners,
        due=due,
        status=status,
        agenda=tracker.cell_text(agenda) or None,
        note="; ".join(notes) or None,
    )


def _col_of(t: tracker.Table, role: str) -> int:
    return next(c for c, r in t.columns.items() if r == role)


# A date someone mistyped (`2022-7-8`): not words tf may keep as a deadline (tf check would
# refuse them as a date), so they go into the note.
_DATEISH = re.compile(r"\d{1,4}\s*[-/.]\s*\d{1,2}")


def _due(
    out: Import, number: int, col: int | None, value: Any, day: date
) -> tuple[date | str | None, str | None]:
    """A deadline: an Excel date, an ISO date, or a date as people write it (`8 July`,
    `08/07/2022`, day first); else the tracker's words (`next meeting`, `ongoing`, `ASAP`),
    kept verbatim as the deadline (tfcli.deadlines resolves what it can). Text that only
    looks like a broken date goes into the note and `due` is left out."""
    if col is None:
        return None, None
    t = out.table
    where = f"row {number}, {tracker.column_name(t, col)}"
    if isinstance(value, date):
        return value, None
    text = tracker.cell_text(value)
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    got = guess_date(text, None)
    if got is None:  # no year: the year that puts it nearest the baseline's date
        near = [guess_date(text, day.year + k) for k in (-1, 0, 1)]
        found = [d for d in near if d]
        if found:
            got = min(found, key=lambda d: abs((d - day).days))
            out.report.append(f"{where}: '{text}' has no year; read as {got.isoformat()}")
    elif (m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}", text)) and _ambiguous(m):
        out.report.append(f"{where}: '{text}' read day first, as {got.isoformat()}")
    if got is not None:
        return got, None
    if any(c.isalpha() for c in text) and not _DATEISH.search(text):
        out.report.append(f"{where}: '{text}' is not a date; kept as the deadline's words")
        return " ".join(text.split()), None
    out.report.append(f"{where}: '{text}' is not a date; kept in the note, the action has no 'due'")
    return None, f"{tracker.column_name(t, col)}: {text}"


def _ambiguous(m: re.Match[str]) -> bool:
    """03/04/2022: 3 April or 4 March? Read day first, and said so."""
    return int(m[1]) <= 12 and int(m[2]) <= 12 and int(m[1]) != int(m[2])


def _known_owners(config: Config) -> set[str]:
    names = {o.name for o in config.organisations} | {o.short for o in config.organisations}
    return {n.casefold() for n in (*names, *config.roles) if n}


def _owners(text: str, known: set[str]) -> list[str]:
    """Owners as written: a cell is split at ';' and line breaks, and at ',', '/', '&' or
    'and' only when every part is an organisation or role of tf.yml, since a name such as
    'Ministry of Labour and Social Protection' holds those words too."""
    out = []
    for part in _ALWAYS_SPLIT.split(text):
        pieces = [p.strip() for p in _MAYBE_SPLIT.split(part) if p.strip()]
        if len(pieces) > 1 and all(p.casefold() in known for p in pieces):
            out.extend(pieces)
        elif part.strip():
            out.append(part.strip())
    return out


def _unique_id(out: Import, row: Row, used: set[str]) -> str:
    """The tracker's own number when it can be an action id (`1`, `AP-3`; `1.2` becomes
    `1-2`), else `r<row>`: follow-ups name the action the way the group already does."""
    given = re.sub(r"[\s./]+", "-", row.id.strip()).strip("-")
    if given and ACTION_ID.match(given) and given not in used:
        if given != row.id:
            out.report.append(
                f"row {row.number}, {_id_column(out.table)}: '{row.id}' is written {given} "
                "(an action id has letters, digits, '-' and '_')"
            )
        return given
    if row.id:
        why = "is used twice" if given in used else "cannot be an action id"
        out.report.append(
            f"row {row.number}, {_id_column(out.table)}: '{row.id}' {why}; the action is "
            f"r{row.number}"
        )
    new, n = f"r{row.number}", 1
    while new in used:
        n += 1
        new = f"r{row.number}-{n}"
    return new


def _id_column(t: tracker.Table) -> str:
    return tracker.column_name(t, _col_of(t, "id"))


# -- the baseline file ------------------------------------------------------------------------


def baseline_date(repo: Repo, today: date) -> date:
    """The day before the first meeting in the repository, and yesterday at the latest: every
    meeting, a first one held today too, can then follow the imported actions up."""
    first = min([today, *(m.date for m in repo.meetings if not m.is_baseline)])
    return first - timedelta(days=1)


def render(imp: Import, config: Config, day: date, source: str) -> tuple[str, dict[int, int]]:
    """The baseline file's text, and the first line of each action -> its row number."""
    mid = day.isoformat() + BASELINE_SUFFIX
    t = imp.table
    where = f"{source}" + (f", sheet '{t.sheet}'" if t.sheet else "")
    lines = [
        "---",
        "format: 1",
        f"id: {mid}",
        f"date: {day.isoformat()}",
        f"title: {yaml_scalar(f'Action points imported from {source}')}",
        "status: approved",
        f"visibility: {config.visibility}",
        "actions:" if imp.rows else "actions: []",
    ]
    rows_at: dict[int, int] = {}
    for row in imp.rows:
        rows_at[len(lines) + 1] = row.number
        plain = re.fullmatch(r"[1-9]\d{0,5}", row.id)  # `id: 3`, as people write it
        lines.append(f"  - id: {row.id if plain else yaml_scalar(row.id)}")
        lines.append(f"    text: {yaml_scalar(row.text)}")
        if len(row.owners) == 1:
            lines.append(f"    owner: {yaml_scalar(row.owners[0])}")
        elif row.owners:
            lines.append(f"    owner: [{', '.join(yaml_scalar(o) for o in row.owners)}]")
        if isinstance(row.due, date):
            lines.append(f"    due: {row.due.isoformat()}")
        elif row.due:
            lines.append(f"    due: {yaml_scalar(row.due)}")
        if row.status != "open":
            lines.append(f"    status: {row.status}")
        if row.agenda:
            lines.append(f"    agenda: {yaml_scalar(row.agenda)}")
        if row.note:
            lines.append(f"    note: {yaml_scalar(row.note)}")
    lines += [
        "---",
        "",
        f"Imported with `tf import-actions` from {where} (header on row "
        f"{t.row_number(t.header_row)}): {len(imp.rows)} action points, each as the tracker "
        "words it. This file is a baseline, not a meeting: follow its actions up in later "
        f"meetings (`action: {mid}/<id>`), and leave it as it is.",
        "",
    ]
    return "\n".join(lines), rows_at


def build(
    path: Path,
    repo: Repo,
    day: date,
    overrides: dict[str, str],
    sheet: str | None,
    every: bool,
) -> tuple[Import, str, Path]:
    """The import of `path`: its rows, the baseline's text (which passes `tf check`: a row
    whose action `tf check` would refuse is left out and reported) and where it goes."""
    from tfcli.agenda import validate

    table = tracker.read(path, sheet, overrides)
    if not tracker.find_header(table, overrides):
        raise DataError(
            f"found no header row naming the actions in {path}"
            + (f" (sheet '{table.sheet}')" if table.sheet else ""),
            "name the columns, e.g. --column action='Agreed action' --column owner=C; "
            "see docs/import.md for the header words tf knows",
        )
    imp = read_rows(table, repo.config, day, every)
    target = repo.config.minutes_dir / f"{day.isoformat()}{BASELINE_SUFFIX}.md"
    text, rows_at = render(imp, repo.config, day, path.name)
    size = text.index("\n---\n", 4)
    if size > MAX_FRONT_MATTER_CHARS:  # tf check would refuse the whole file
        raise DataError(
            f"{len(imp.rows)} actions are too many for one baseline file: its front matter would "
            f"be {size:,} characters, more than {MAX_FRONT_MATTER_CHARS:,}",
            "import the tracker in parts: a sheet at a time with --sheet, or a CSV of fewer "
            "rows, each with its own --date",
        )
    errors = [p for p in validate(text, target, repo.config) if p.severity is Severity.ERROR]
    refused: dict[int, str] = {}
    for p in errors:
        starts = [line for line in rows_at if line <= p.line]
        if not starts:
            raise DataError(f"the baseline would not pass 'tf check': line {p.line}: {p.message}")
        refused.setdefault(rows_at[max(starts)], p.message)
    if refused:
        for number, why in refused.items():
            imp.report.append(f"row {number}{_column_named(table, why)}: {why}; row not imported")
        imp.rows = [r for r in imp.rows if r.number not in refused]
        text, _ = render(imp, repo.config, day, path.name)
    imp.report.sort(key=lambda line: int(re.match(r"row (\d+)", line)[1]))  # type: ignore[index]
    return imp, text, target


def _column_named(t: tracker.Table, message: str) -> str:
    """', Responsible' for a message about the action's 'owner'."""
    for role, key in (("owner", "'owner'"), ("action", "'text'"), ("due", "'due'")):
        cols = [c for c, r in t.columns.items() if r == role]
        if key in message and cols:
            return f", {tracker.column_name(t, cols[0])}"
    return ""


def parse_columns(specs: list[str]) -> dict[str, str]:
    """`--column action=Agreed action` (a header) or `--column due=E` (a column letter)."""
    out: dict[str, str] = {}
    for spec in specs:
        role, sep, header = spec.partition("=")
        role = role.strip().lower()
        role = {"text": "action", "deadline": "due", "responsible": "owner"}.get(role, role)
        if not sep or role not in tracker.ROLES or not header.strip():
            raise UsageError(
                f"--column '{spec}' is not ROLE=HEADER",
                f"ROLE is one of {', '.join(tracker.ROLES)}; e.g. --column action='Agreed action'",
            )
        out[role] = header.strip()
    return out
