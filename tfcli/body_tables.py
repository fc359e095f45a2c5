"""The `body-status` rule of `tf check`: a status typed twice, in a table of the body and in
the follow-ups. Each body's status tables are found once, when the file is read (kept in its
row, tfcli.rows); the rule compares them with the follow-ups each time."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Set
from datetime import date
from typing import cast

from tfcli.action_rules import _tracks
from tfcli.check_cache import TABLE, Keyed
from tfcli.fields import excerpt
from tfcli.model import Problem, Severity
from tfcli.paths import display_path
from tfcli.rows import Book, TableRow

_CELL_MARKUP = str.maketrans("", "", "*_`")
# Words minutes use in a status column for the four statuses.
STATUS_WORDS = {
    **{s: s for s in ("open", "in-progress", "done", "dropped")},
    "in progress": "in-progress",
    "ongoing": "in-progress",
    "started": "in-progress",
    "pending": "open",
    "not started": "open",
    "completed": "done",
    "complete": "done",
    "closed": "done",
    "cancelled": "dropped",
    "canceled": "dropped",
}


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [" ".join(c.translate(_CELL_MARKUP).split()) for c in re.split(r"(?<!\\)\|", text)]


def _tables(body: str) -> Iterable[tuple[list[str], list[tuple[int, list[str]]]]]:
    """Markdown tables of a body: (header cells, [(line index, cells)])."""
    lines = body.split("\n")
    i = 0
    while i + 1 < len(lines):
        head, rule = lines[i].strip(), lines[i + 1].strip()
        if head.startswith("|") and re.fullmatch(r"\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?", rule):
            rows, j = [], i + 2
            while j < len(lines) and lines[j].strip().startswith("|"):
                rows.append((j, _cells(lines[j])))
                j += 1
            yield _cells(head), rows
            i = j
        else:
            i += 1


def status_tables(body: str) -> tuple[TableRow, ...]:
    """The rows of `body`'s tables with a Status column that say a status: (line index,
    cells, status column, column of local ids or -1). Kept in the meeting's row."""
    out: list[TableRow] = []
    for header, rows in _tables(body):
        keys = [h.casefold() for h in header]
        if "status" not in keys:
            continue
        col = keys.index("status")
        local = next((i for i, k in enumerate(keys) if k in ("id", "#", "no", "no.")), -1)
        out.extend(
            (n, tuple(cells), col, local) for n, cells in rows if col < len(cells) and cells[col]
        )
    return tuple(out)


@Keyed
def body_tables(book: Book, today: date) -> Iterator[tuple[str, Problem]]:
    """Status is kept in one place, the follow-ups (`updates:`). A table in the body with a
    Status column (hand-written, or from an older template) that says otherwise than the
    follow-ups as of that meeting is reported; an empty cell says nothing. Each problem's
    key: its file's (TABLE + path); in a scope (tfcli.check_cache), only the files named, whose
    action ids (named in a cell, or their own) the scope follows."""
    if not any(map(operator.attrgetter("tables"), book.sheets)):
        return
    files = cast("Set[str] | None", book.cache.get("tables"))
    tracks = _tracks(book)
    by_id = tracks.by_id
    for m in book.sheets:
        if not m.tables or (files is not None and str(m.path) not in files):
            continue
        own = {a[0]: a for a in m.actions}
        for n, cells, col, local in m.tables:
            a = next((by_id[c] for c in cells if c in by_id), None)
            if a is None and 0 <= local < len(cells):
                a = own.get(cells[local])
            if a is None:
                continue
            said = cells[col]
            aid = a[7]
            now = a[3]  # the status as of this meeting
            for u in tracks.history(a):
                if (u[2], u[1]) <= (m.day, m.id) and u[4]:
                    now = u[4]
            if STATUS_WORDS.get(said.casefold()) == now:
                continue
            yield (
                TABLE + str(m.path),
                Problem(
                    display_path(m.path),
                    m.body_line + n,
                    1,
                    Severity.WARNING,
                    "body-status",
                    f"the table says {aid} is '{excerpt(said)}', but its follow-ups say "
                    f"'{now}' as of this meeting",
                    "keep the status in one place: record it in 'updates:' (tf actions done/"
                    "start/drop) and leave the table's Status column out or empty",
                ),
            )
