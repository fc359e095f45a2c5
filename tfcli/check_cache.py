"""What the rules across files found, kept in `.tf/check` keyed by exactly what they read.

The rules of `check.CACHED_RULES` read each meeting's row (tfcli.rows) but its body, its
file's path as shown, the configuration and `today`, and the positions of the files they
report on: nothing else (no file on disk, no environment). So their problems are a function
of those, and the last run's problems are the answer again when all of them are equal:

- the index's key (tf's code, the configuration, the working directory: `index._read_file`
  trusts nothing else) and `today`;
- the files, in the book's order, by the path messages show;
- each file's row without its body: a digest of it (`row_digest`), taken again only for a
  file whose content digest (the index's) is not the one it was taken for, since a row is
  made from the file's content alone (tfcli.rows.of_meeting);
- the content of each file whose positions the rules looked up (for a message): positions
  are not in the row.

Editing a body (the common commit) changes none of these: the rules are not run again, and
`meeting_rules.RULES` (which read the bodies) and `templates` (which read the templates on
disk) run as always. Any other change runs them all, and keeps their answer for the next run.
Without an index (`TF_INDEX=off`), or for a book made from meetings, nothing is kept.
A missing, damaged or foreign `.tf/check` is ignored and written again; concurrent runs
replace it atomically (the last one wins, each is complete).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from tfcli.model import Problem
from tfcli.rows import Book, Sheet, problem_of, problem_row, valid_problems

NAME = "check"
_BODY = 11  # the body's place in a row (rows.FIELDS): not read by the cached rules


def row_digest(s: Sheet) -> bytes:
    """A digest of what the cached rules read of `s`'s row: all of it but the body. Its
    `repr`, which equal rows share (marshal's bytes also tell interned and shared strings)."""
    from tfcli.index import _digest

    row = (*s[:_BODY], *s[_BODY + 1 : _BODY + 4])
    return _digest(repr(row).encode("utf-8", "surrogatepass"))


def problems(
    book: Book, today: date, rules: Iterable[Callable[[Book, date], Iterable[Problem]]]
) -> list[Problem]:
    """The problems `rules` find in `book` (in the order they find them): kept ones when
    `book` is read through an index and nothing they read has changed since."""
    index = book.index
    if index is None:
        return [p for rule in rules for p in rule(book, today)]
    from tfcli.index import _marshal_all, _read_file, _write_file

    shown = [str(s.path) for s in book.sheets]
    contents = {e[2]: e[1] for e in index.new.values()}
    digests = list(map(contents.get, shown))
    kept = _read_file(index.folder, NAME, index.config_key, _marshal_all)
    if not _usable(kept):
        kept = None
    elif kept[0] == today.toordinal() and kept[1] == shown:
        rows = _rows(book, digests, kept)
        if rows == kept[3] and all(contents.get(f) == d for f, d in kept[4]):
            return [problem_of(p) for p in kept[5]]
    found = [p for rule in rules for p in rule(book, today)]
    looked = [(f, d) for s, f, d in zip(book.sheets, shown, digests, strict=True) if s.spans_read]
    if all(d is not None for _, d in looked):
        rows = _rows(book, digests, kept)
        payload = (today.toordinal(), shown, digests, rows, looked, [problem_row(p) for p in found])
        _write_file(index.config.root, NAME, index.config_key, marshal.dumps(payload))
    return found


def _rows(book: Book, digests: list[bytes | None], kept: Any) -> list[bytes]:
    """Each sheet's `row_digest`: the kept one where its file's content is that it was
    taken for (the same path and content: the same row)."""
    old: dict[tuple[str, bytes | None], bytes] = {}
    if kept is not None:
        old = {(f, d): r for f, d, r in zip(kept[1], kept[2], kept[3], strict=True) if d}
    return [
        r if d is not None and (r := old.get((str(s.path), d))) is not None else row_digest(s)
        for s, d in zip(book.sheets, digests, strict=True)
    ]


def _usable(kept: Any) -> bool:
    """Whether `kept` has the shape `problems` writes (anything else is not used)."""
    try:
        day, shown, digests, rows, looked, found = kept
        n = len(shown)
        return (
            type(day) is int
            and type(shown) is list
            and {str} >= set(map(type, shown))
            and type(digests) is list
            and {bytes, type(None)} >= set(map(type, digests))
            and type(rows) is list
            and {bytes} >= set(map(type, rows))
            and len(digests) == len(rows) == n
            and type(looked) is list
            and all(
                type(x) is tuple and len(x) == 2 and type(x[0]) is str and type(x[1]) is bytes
                for x in looked
            )
            and type(found) is list
            and valid_problems(tuple(found))
        )
    except Exception:
        return False
