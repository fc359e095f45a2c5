"""What `tf check`'s rules read of each meeting, as rows of plain values (`of_meeting`): its
header, its actions and follow-ups with the lines messages need, the ids a public body could
name, its status tables, and the problems of the rules that look at this file alone.

The index keeps each file's row (marshal data: 5,000 read back in a few tens of
milliseconds, where unpickling the meetings took 0.3 s and more), so a warm `tf check` decodes
no meeting; without an index the rows are made from the meetings. Either way every rule runs
over the same rows (tfcli.check): one implementation of each rule. A `Sheet` is one meeting's
row with its file and its positions (made only when a message needs a line).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.model import (
    Action,
    Config,
    Meeting,
    Problem,
    Repo,
    Severity,
    Span,
    Update,
    YamlPath,
    place,
)

if TYPE_CHECKING:
    from tfcli.index import Index

# A problem as plain values: path, line, col, severity, rule, message, hint.
ProblemRow = tuple[str, int, int, str, str, str, str | None]
# An action: local id, meeting id, meeting day (ordinal), status, due (ordinal), due in
# words, line, id.
ActionRow = tuple[str, str, int, str, int | None, str | None, int, str]
# A follow-up: action id, meeting id, meeting day, line, status, due, due in words, reopened.
UpdateRow = tuple[str, str, int, int, str | None, int | None, str | None, bool]
# A row of a body table with a Status column: line index, cells, the status column, the
# column of local ids (or -1).
TableRow = tuple[int, tuple[str, ...], int, int]
Row = tuple[Any, ...]
FIELDS = (
    "id", "day", "status", "visibility", "silence", "previous", "next_day", "actions", "updates",
    "hidden", "tables", "body", "body_line", "sections", "checked",
)  # fmt: skip


def problem_row(p: Problem) -> ProblemRow:
    return (p.path, p.line, p.col, p.severity.value, p.rule, p.message, p.hint)


def problem_of(r: ProblemRow) -> Problem:
    return Problem(r[0], r[1], r[2], Severity(r[3]), r[4], r[5], r[6])


def _ord(d: date | None) -> int | None:
    return None if d is None else d.toordinal()


def _action(a: Action) -> ActionRow:
    day = a.meeting_date.toordinal()
    return (a.local_id, a.meeting_id, day, a.status, _ord(a.due), a.due_text, a.line, a.id)


def _update(u: Update) -> UpdateRow:
    day = u.meeting_date.toordinal()
    return (u.action_id, u.meeting_id, day, u.line, u.status, _ord(u.due), u.due_text, u.reopened)


def of_meeting(m: Meeting, config: Config) -> Row:
    """`m`'s row (what a `Sheet` reads), with the problems of the one-file rules."""
    from tfcli import policy
    from tfcli.body_tables import status_tables
    from tfcli.check import per_file

    public = m.visibility == "public"
    nm = m.next_meeting
    prev = m.previous
    return (
        m.id,
        m.date.toordinal(),
        m.status,
        m.visibility,
        _ord(m.silence_until),
        None if prev is None else (prev.meeting, prev.endorsed),
        _ord(nm.date) if nm else None,
        tuple(_action(a) for a in m.actions),
        tuple(_update(u) for u in m.updates),
        tuple(sorted(policy.hidden_actions([m]))),
        status_tables(m.body) if "|" in m.body else (),
        # Only a body that could name an action: every action id holds a "/".
        m.body if public and "/" in m.body else "",
        m.body_line,
        tuple((s.start, s.end) for s in policy.restricted_sections(m)) if public else (),
        tuple(problem_row(p) for p in per_file(m, config)),
    )


# -- checking a stored row ---------------------------------------------------------------------

_N = type(None)


def _shapes(*fields: type | tuple[type, type]) -> frozenset[tuple[type, ...]]:
    """Every tuple of the exact types a row of `fields` may hold (a pair: either)."""
    import itertools

    return frozenset(itertools.product(*(f if isinstance(f, tuple) else (f,) for f in fields)))


_HEAD = _shapes(
    str, int, str, str, (int, _N), (tuple, _N), (int, _N), tuple, tuple, tuple, tuple, str, int,
    tuple, tuple,
)  # fmt: skip
_PREVIOUS = _shapes(str, (bool, _N)) | _shapes(str, _N)
_ACTION = _shapes(str, str, int, str, (int, _N), (str, _N), int, str)
_UPDATE = _shapes(str, str, int, int, (str, _N), (int, _N), (str, _N), bool)
_TABLE = _shapes(int, tuple, int, int)
_SECTION = _shapes(int, int)
_PROBLEM = _shapes(str, int, int, str, str, str, (str, _N))
_TYPES = functools.partial(map, type)
_SEVERITIES = {"error", "warning", "info"}


def _all(items: Any, shapes: frozenset[tuple[type, ...]]) -> bool:
    """Whether `items` is a tuple of tuples, each of one of `shapes` (in C: thousands of rows
    are checked at each run)."""
    return (
        type(items) is tuple
        and {tuple} >= set(map(type, items))
        and shapes.issuperset(map(tuple, map(_TYPES, items)))
    )


def valid(row: Any) -> bool:
    """Whether `row` has the shape `of_meeting` gives (a damaged or foreign entry has not:
    its file is read again)."""
    return valid_many([row], ())


def valid_many(rows: list[Any], problems: Iterable[Any]) -> bool:
    """Whether every one of `rows` is `valid`, and every one of `problems` a tuple of problem
    rows: checked all at once (a few passes in C for a shard of entries)."""
    try:
        if not _all(tuple(rows), _HEAD):
            return False
        prev = tuple(r[5] for r in rows if r[5] is not None)
        if not _all(prev, _PREVIOUS):
            return False

        def column(n: int) -> tuple[Any, ...]:
            return tuple(itertools.chain.from_iterable(map(operator.itemgetter(n), rows)))

        tables = column(10)
        return (
            _all(column(7), _ACTION)
            and _all(column(8), _UPDATE)
            and {str} >= set(map(type, column(9)))
            and _all(tables, _TABLE)
            and {str} >= set(map(type, itertools.chain.from_iterable(t[1] for t in tables)))
            and _all(column(13), _SECTION)
            and {tuple} >= set(map(type, problems))
            and valid_problems(column(14) + tuple(itertools.chain.from_iterable(problems)))
        )
    except Exception:
        return False


def valid_problems(rows: Any) -> bool:
    return _all(rows, _PROBLEM) and all(p[3] in _SEVERITIES for p in rows)


# -- sheets ------------------------------------------------------------------------------------


class Sheet(tuple[Any, ...]):
    """One meeting as the rules read it: its row's fields by name (a tuple of them, its file
    and its positions, read in C: thousands of sheets are made at each check), its file, and
    its positions (`spans`, made or decoded on first use)."""

    __slots__ = ()
    if TYPE_CHECKING:
        id: str
        day: int
        status: str
        visibility: str
        silence: int | None
        previous: tuple[str, bool | None] | None
        next_day: int | None
        actions: tuple[ActionRow, ...]
        updates: tuple[UpdateRow, ...]
        hidden: tuple[str, ...]
        tables: tuple[TableRow, ...]
        body: str
        body_line: int
        sections: tuple[tuple[int, int], ...]
        checked: tuple[ProblemRow, ...]
        path: Path
    else:
        for _n, _name in enumerate((*FIELDS, "path")):
            locals()[_name] = property(operator.itemgetter(_n))
        del _n, _name

    def __new__(cls, path: Path, row: Row, spans: Callable[[], Mapping[YamlPath, Span]]) -> Sheet:
        # The positions in a list at the end: made in place on first use.
        return tuple.__new__(cls, (*row, path, [spans]))

    @property
    def row(self) -> Row:
        return tuple(self[: len(FIELDS)])

    @property
    def date(self) -> date:
        return date.fromordinal(self.day)

    @property
    def spans(self) -> Mapping[YamlPath, Span]:
        held = self[-1]
        if callable(held[0]):
            held[0] = held[0]()
        return held[0]  # type: ignore[no-any-return]

    @property
    def spans_read(self) -> bool:
        """Whether the positions were asked for (tfcli.check_cache keys on them then)."""
        return not callable(self[-1][0])

    def line_of(self, *path: str | int) -> int:
        """As Meeting.line_of."""
        return place(self.spans, path)[0]


def sheet_of(m: Meeting, config: Config) -> Sheet:
    return Sheet(m.path, of_meeting(m, config), lambda: m.spans)


class Book:
    """What `tf check` reads: the configuration, one sheet per meeting (sorted by date and
    id, as Repo.meetings), the problems found while reading, and every file looked at;
    `index`: the index they were read through, if any (tfcli.check_cache keeps the rules'
    answer with it)."""

    __slots__ = ("config", "sheets", "problems", "files", "cache", "index")

    def __init__(
        self, config: Config, sheets: list[Sheet], problems: list[Problem], files: list[Path]
    ) -> None:
        self.config = config
        self.sheets = sheets
        self.problems = problems
        self.files = files
        self.cache: dict[str, object] = {}  # what the rules share (tfcli.action_rules)
        self.index: Index | None = None

    @classmethod
    def of_repo(cls, repo: Repo) -> Book:
        sheets = [sheet_of(m, repo.config) for m in repo.meetings]
        return cls(repo.config, sheets, repo.problems, repo.files)

    def repo(self) -> Repo:
        """A Repo of the same files and problems, without meetings (for rules and views that
        read only the configuration, files and problems)."""
        return Repo(self.config, [], self.problems, self.files)


def sort(sheets: Iterable[Sheet]) -> list[Sheet]:
    return sorted(sheets, key=lambda s: (s.day, s.id))
