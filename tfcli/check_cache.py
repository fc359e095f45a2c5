"""What the rules across files found, kept in `.tf/check` keyed by exactly what they read.

The rules of `check.CACHED_RULES` read each meeting's row (tfcli.rows) but its body, its
file's path as shown, the configuration and `today`, and the positions of the files they
report in: nothing else (no file on disk, no environment). Each problem they find is kept
with its **key**: the action id it is about (the follow-up rules, `Keyed`), the file of the
status table it is about (`TABLE` + the path: body_tables), or "" (the rules about meetings:
ids, approvals, the lifecycle). A later run with the same index key (tf's code, `tf.yml`,
the working directory) and the same `today` compares what it reads with what was kept:

- each file by its path and content digest (the index's); for a file whose content is not
  the one kept, its row without the body (`row_digest`), and when that changed, its `facts`
  then and now: its header, its actions (id, day, meeting) and the actions its follow-ups
  name;
- the keys that may have another answer are then: every action id in those facts (then
  and now); every key of a problem in a file whose content changed (its positions may
  have moved, and the problem names a line); every unknown action's (`update-target`: its
  suggestion reads every action id) when an action's id, day or meeting changed, was added
  or removed; every action with a deadline in words, and "", when a header changed or a
  file was added, removed or renamed (the order of the meetings, the next meeting); a
  file's status tables when the file changed or they name an action of the scope;
- the rules run again for those keys only (`Keyed` rules over the rows of those actions,
  the others whole when "" is among them), and their problems replace the kept ones of
  those keys. Every other kept problem is what a run over every row would find again.

Editing a body (the common commit) changes no row: nothing runs again. Editing one
meeting's front matter follows again the few actions it names. Problems that two runs
could order otherwise (distinct, with one place and rule) make the run a whole one, whose
order is kept. `meeting_rules.RULES` (which read the bodies) and `templates` (which read
files) are not kept: they run each time. Without an index (`TF_INDEX=off`), or for a book
made from meetings, nothing is kept. A missing, damaged or foreign `.tf/check` is ignored
and written again; concurrent runs replace it atomically (the last one wins, each whole).
"""

from __future__ import annotations

import marshal
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Set
from datetime import date
from itertools import chain, compress, repeat
from pathlib import Path
from typing import Any

from tfcli.model import Problem
from tfcli.rows import Book, Sheet, problem_of, problem_row, valid_problems

NAME = "check"
FACTS = "check-facts"  # each file's `facts`, read only when a row has changed
TABLE = "\x01"  # TABLE + a file's path: the key of its status tables (action ids hold a "/")
_BODY = 11  # the body's place in a row (rows.FIELDS): not read by the cached rules
Pair = tuple[str, Problem]
_TABLES = operator.attrgetter("tables")
Rule = Callable[[Book, date], Iterable[Problem]]


class Keyed:
    """A rule each of whose problems is about one key (an action id, or TABLE + a file):
    `pairs` yields (key, problem). With `book.cache["scope"]` (action ids) and
    `book.cache["tables"]` (paths) set, it yields the problems of those keys only, and
    exactly those a run over the whole book finds for them. Called, the problems alone."""

    __slots__ = ("pairs", "__name__")

    def __init__(self, pairs: Callable[[Book, date], Iterator[Pair]]) -> None:
        self.pairs = pairs
        self.__name__ = pairs.__name__

    def __call__(self, book: Book, today: date) -> Iterator[Problem]:
        return map(operator.itemgetter(1), self.pairs(book, today))


def row_digest(s: Sheet) -> bytes:
    """A digest of what the cached rules read of `s`'s row: all of it but the body. Its
    `repr`, which equal rows share (marshal's bytes also tell interned and shared strings)."""
    from tfcli.index import _digest

    row = (*s[:_BODY], *s[_BODY + 1 : _BODY + 4])
    return _digest(repr(row).encode("utf-8", "surrogatepass"))


Facts = tuple[tuple[Any, ...], tuple[tuple[str, int, str], ...], tuple[str, ...]]


def _facts(s: Sheet) -> Facts:
    """What a later run needs of `s`'s row once it has changed (see the module's doc)."""
    head = (s.id, s.day, s.status, s.silence, s.previous, s.next_day)
    return head, tuple((a[7], a[2], a[1]) for a in s.actions), tuple(u[0] for u in s.updates)


def facts(s: Sheet) -> bytes:
    return marshal.dumps(_facts(s))


def problems(book: Book, today: date, rules: Iterable[Rule]) -> list[Problem]:
    """The problems `rules` find in `book` (in the order they find them, or, run again for
    some keys, in an order that sorts alike): kept ones for what has not changed."""
    rules = list(rules)
    index = book.index
    if index is None:
        return [p for rule in rules for p in rule(book, today)]
    from tfcli.index import _marshal_all, _read_file, _write_file

    shown = [str(s.path) for s in book.sheets]
    contents = {e[2]: e[1] for e in index.new.values()}
    digests = list(map(contents.get, shown))
    kept = _read_file(index.folder, NAME, index.config_key, _marshal_all)
    if not _usable(kept) or len(set(shown)) < len(shown):
        kept = None
    # Each file's place in the kept answer when its content is the one kept (None: changed).
    same: list[int | None] = [None] * len(shown)
    if kept is not None:
        pairs_kept = enumerate(zip(kept[1], kept[2], strict=True))
        at = {(f, d): j for j, (f, d) in pairs_kept if d is not None}
        same = list(map(at.get, zip(shown, digests, strict=True)))
    rows = _reuse(book.sheets, same, kept and kept[3], row_digest)
    old_facts: list[list[bytes] | None] = []  # read once, when needed

    def known() -> list[bytes] | None:
        if not old_facts:
            got = _read_file(index.folder, FACTS, index.config_key, _marshal_all)
            ok = type(got) is tuple and len(got) == 2 and got[0] == kept[4]
            ok = ok and type(got[1]) is list and len(got[1]) == len(kept[1])
            old_facts.append(got[1] if ok and {bytes} >= set(map(type, got[1])) else None)
        return old_facts[0]

    pairs: list[Pair] | None = None
    ran = True
    if kept is not None and kept[0] == today.toordinal():
        try:
            got = _again(book, today, rules, shown, same, rows, kept, known)
        except _Damaged:
            got = None
        if got is not None:
            pairs, ran = got
    if pairs is None:
        pairs = [pair for rule in rules for pair in _pairs(rule, book, today)]
    if ran:
        # The facts first: an answer is used only with the facts written with it.
        token = os.urandom(8)
        made = _reuse(book.sheets, same, kept and known(), facts)
        _write_file(index.config.root, FACTS, index.config_key, marshal.dumps((token, made)))
        kept_pairs = [(k, problem_row(p)) for k, p in pairs]
        payload = (today.toordinal(), shown, digests, rows, token, kept_pairs)
        _write_file(index.config.root, NAME, index.config_key, marshal.dumps(payload))
    return [p for _, p in pairs]


def _pairs(rule: Rule, book: Book, today: date) -> Iterator[Pair]:
    """(key, problem) of what `rule` finds: "" for a rule that is not `Keyed`."""
    return (
        rule.pairs(book, today) if isinstance(rule, Keyed) else zip(repeat(""), rule(book, today))
    )


def _reuse(
    sheets: list[Sheet], same: list[int | None], old: Any, make: Callable[[Sheet], bytes]
) -> list[bytes]:
    """Each sheet's `make` (row_digest or facts): the kept one (in `old`, if any) where its
    file's content is the one it was taken for (the same path and content: the same row)."""
    if not old:
        return list(map(make, sheets))
    return [make(s) if j is None else old[j] for s, j in zip(sheets, same, strict=True)]


class _Damaged(Exception):
    """The kept facts of a file are not what `facts` writes."""


def _facts_of(known: list[bytes] | None, j: int) -> Facts:
    """The kept facts of the kept answer's `j`th file (_Damaged if not what `facts` wrote)."""
    if known is None:
        raise _Damaged
    try:
        head, actions, targets = marshal.loads(known[j])
        if (
            type(head) is tuple
            and len(head) == 6
            and type(actions) is tuple
            and all(type(a) is tuple and len(a) == 3 and type(a[0]) is str for a in actions)
            and type(targets) is tuple
            and {str} >= set(map(type, targets))
        ):
            return head, actions, targets
    except Exception:
        pass
    raise _Damaged


def _again(
    book: Book,
    today: date,
    rules: list[Rule],
    shown: list[str],
    same: list[int | None],
    rows: list[bytes],
    kept: Any,
    known: Callable[[], list[bytes] | None],
) -> tuple[list[Pair], bool] | None:
    """The problems with only the keys that may have changed run again (see the module's
    doc), and whether any rule ran; None when a whole run must decide their order."""
    from tfcli.paths import display_path

    _, old_shown, _, old_rows, _, old_pairs = kept
    gone = {old_shown[j]: j for j in set(range(len(old_shown))).difference(same)}
    moved: list[str] = []  # files whose content changed (their positions may have moved)
    changed: list[tuple[Any, Any]] = []  # the facts of each changed row: then, now
    for i in compress(range(len(shown)), map(operator.is_, same, repeat(None))):
        f = shown[i]
        moved.append(f)
        j = gone.pop(f, None)
        if j is None or old_rows[j] != rows[i]:
            then = None if j is None else _facts_of(known(), j)
            changed.append((then, _facts(book.sheets[i])))
    for f, j in gone.items():  # removed (or renamed)
        moved.append(f)
        changed.append((_facts_of(known(), j), None))
    headers = any(then is None or now is None or then[0] != now[0] for then, now in changed)
    acted = headers or any(
        (then[1] if then else ()) != (now[1] if now else ()) for then, now in changed
    )
    ids: set[str] = set()
    for x in chain.from_iterable(changed):
        if x is not None:
            ids.update(map(operator.itemgetter(0), x[1]))
            ids.update(x[2])
    where = set(map(display_path, map(Path, moved)))
    meetings = headers
    tables: set[str] = set()
    for key, p in old_pairs:
        if p[0] in where:
            if not key:
                meetings = True
            elif key[0] == TABLE:
                tables.add(key[1:])
            else:
                ids.add(key)
        if acted and p[4] == "update-target":
            ids.add(key)
    if headers:
        ids |= _worded(book)
    _tables(book, shown, set(moved), ids, tables)
    dirty = ids | {TABLE + f for f in tables} | ({""} if meetings else set())
    if not dirty:  # nothing they read has changed (a body edited): the kept answer as it is
        return [(k, problem_of(p)) for k, p in old_pairs], False
    book.cache["scope"], book.cache["tables"] = ids, tables
    pairs: list[Pair] = []
    try:
        for rule in rules:
            if isinstance(rule, Keyed):
                if ids or tables:
                    pairs.extend(rule.pairs(book, today))
            elif meetings:
                pairs.extend(_pairs(rule, book, today))
    finally:
        for name in ("scope", "tables", "tracks"):
            book.cache.pop(name, None)
    found = [(k, problem_of(p)) for k, p in old_pairs if k not in dirty] + pairs
    distinct = dict.fromkeys(p for _, p in found)
    if len({p.sort_key() for p in distinct}) < len(distinct):
        return None
    return found, True


def _worded(book: Book) -> set[str]:
    """Every action with a deadline in words: its own, or a follow-up's."""
    actions = list(chain.from_iterable(map(operator.attrgetter("actions"), book.sheets)))
    updates = list(chain.from_iterable(map(operator.attrgetter("updates"), book.sheets)))
    own = compress(
        actions, map(operator.is_not, map(operator.itemgetter(5), actions), repeat(None))
    )
    later = compress(
        updates, map(operator.is_not, map(operator.itemgetter(6), updates), repeat(None))
    )
    return {*map(operator.itemgetter(7), own), *map(operator.itemgetter(0), later)}


def _tables(book: Book, shown: list[str], moved: Set[str], ids: set[str], tables: set[str]) -> None:
    """Adds to `tables` each file whose status tables may say otherwise now (it changed, or
    a cell or its own action names an action of `ids`), and to `ids` every action those
    tables may name: the scope's rows are then all that body_tables reads of them."""
    have = list(compress(zip(book.sheets, shown, strict=True), map(_TABLES, book.sheets)))
    for s, f in have:
        named = {c for t in s.tables for c in t[1] if "/" in c}
        named.update(a[7] for a in s.actions)
        if f in moved or f in tables or not ids.isdisjoint(named):
            tables.add(f)
    for s, f in have:
        if f in tables:
            ids.update(c for t in s.tables for c in t[1] if "/" in c)
            ids.update(a[7] for a in s.actions)


def _usable(kept: Any) -> bool:
    """Whether `kept` has the shape `problems` writes (anything else is not used)."""
    try:
        day, shown, digests, rows, token, pairs = kept
        n = len(shown)
        return (
            type(day) is int
            and type(shown) is list
            and {str} >= set(map(type, shown))
            and type(digests) is list
            and {bytes, type(None)} >= set(map(type, digests))
            and type(rows) is list
            and {bytes} >= set(map(type, rows))
            and type(token) is bytes
            and len(digests) == len(rows) == n
            and type(pairs) is list
            and all(type(x) is tuple and len(x) == 2 and type(x[0]) is str for x in pairs)
            and valid_problems(tuple(map(operator.itemgetter(1), pairs)))
        )
    except Exception:
        return False
