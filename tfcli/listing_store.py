"""`<repo>/.tf/listing`: the open actions as a JSON listing writes them, so that a warm
`tf actions --format json` (`--overdue`, `--due-within`, `--status` of open statuses) writes
what it selects without unpickling, building or encoding anything, nor importing the modules
that would.

Kept under the key of `.tf/tracked` (tfcli.tracked_store), by the JSON listing that could not
use it. Per open action, in the listing's order (actions.sort_key): its due date, status, and
its JSON object as UTF-8 bytes exactly as `tf actions --format json` writes it
(action_views.json_parts: the same function, so the two cannot differ), cut around the three
values that depend on today, which Rows.text writes when the listing is made. Closed actions
are not kept (`--all` and closed statuses read .tf/tracked): there are many more of them.
"""

from __future__ import annotations

import io
import marshal
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tfcli import index

if TYPE_CHECKING:
    from tfcli.action_views import View
    from tfcli.actions import Tracked
    from tfcli.tracked_store import Actions

FILE = "listing"
_OPEN = ("open", "in-progress")  # actions.OPEN_STATUSES (a test keeps them equal)


def save(root: Path, key: bytes, lines: list[str], tracked: list[Tracked], v: View) -> Rows | None:
    """Keep the open actions of `tracked` for JSON listings (nothing when a text cannot be
    kept: the listing then takes the usual path); the rows kept, which the listing that
    made them answers from (`answer_from`), as the next one will."""
    try:
        payload = _payload(lines, tracked, v)
    except Exception:  # never a reason for the listing to fail
        return None
    if payload is None:
        return None
    index._write_file(root, FILE, key, marshal.dumps(payload))
    return Rows(*payload[1:])


def _payload(
    lines: list[str], tracked: list[Tracked], v: View
) -> (
    tuple[list[str], tuple[bytes, ...], list[int], list[str], list[bytes], list[bytes | None]]
    | None
):
    from tfcli.action_views import json_parts
    from tfcli.actions import sort_key

    dues: list[int] = []  # the due date's ordinal; 0 without one
    statuses: list[str] = []
    heads: list[bytes] = []  # the whole object when it has no due date
    tails: list[bytes | None] = []
    between: tuple[bytes, ...] = ()
    for t in sorted((t for t in tracked if t.is_open), key=sort_key):
        try:
            pieces = json_parts(t, v)
            if pieces is None:
                return None
            got = [p.encode("utf-8") for p in pieces]  # strict: what stdout would refuse, too
        except UnicodeEncodeError:
            return None
        if len(got) > 1:
            if between and tuple(got[1:-1]) != between:
                return None
            between = tuple(got[1:-1])
        dues.append(t.due.toordinal() if t.due else 0)
        statuses.append(t.status)
        heads.append(got[0])
        tails.append(got[-1] if len(got) > 1 else None)
    return lines, between, dues, statuses, heads, tails


def answer(
    status: Sequence[str],
    overdue: bool,
    due_within: int | None,
    today: str | None,
    output: Path | None,
) -> int | None:
    """`tf actions --format json` with these options, from the kept listing when it is up to
    date: written as the usual path writes it (warnings, the JSON, the count line); how many
    actions it holds. None when it cannot answer (the caller lists as usual)."""
    if not index.enabled() or any(s.strip().lower() not in _OPEN for s in status):
        return None  # closed actions are not kept; a wrong status is said as usual
    from tfcli import tracked_store
    from tfcli.load import load_config
    from tfcli.output import message

    config, problems = load_config()
    # No store (a first run): no need to stat every file for its key.
    if config.path is None or not os.path.exists(config.root / ".tf" / FILE):
        return None
    key = tracked_store.state(config, problems, time.time_ns())
    got = _read(config.root, key) if key is not None else None
    if got is None:
        return None
    lines, rows = got
    for line in lines:
        message(line)
    return _answer(rows, config.timezone, status, overdue, due_within, today, output)


def answer_from(
    got: Actions,
    status: Sequence[str],
    overdue: bool,
    due_within: int | None,
    today: str | None,
    output: Path | None,
) -> int | None:
    """`answer` from the rows a listing has just kept (`got.kept`; the files' warnings
    already said): the same bytes as the next listing reads from the store. None when it
    kept none, or they cannot answer."""
    if got.kept is None or any(s.strip().lower() not in _OPEN for s in status):
        return None  # closed actions are not kept; a wrong status is said as usual
    return _answer(got.kept, got.config.timezone, status, overdue, due_within, today, output)


def _answer(
    rows: Rows,
    timezone: str,
    status: Sequence[str],
    overdue: bool,
    due_within: int | None,
    today: str | None,
    output: Path | None,
) -> int:
    from tfcli.dates import today as resolve_today
    from tfcli.output import message

    day = resolve_today(timezone, today)
    last = None
    if due_within is not None:
        from tfcli.actions import last_day

        last = last_day(day, due_within)
    statuses = tuple(dict.fromkeys(s.strip().lower() for s in status)) or _OPEN
    chosen = rows.select(day, statuses, overdue, last)
    write(rows.text(chosen, day), output)
    if chosen:
        message(count_line(len(chosen), rows.overdue(chosen, day), day))
    else:  # as the listing's own function says it (tfcli.action_report.listing)
        from tfcli.action_report import empty_line
        from tfcli.actions import Query

        message(empty_line(Query(statuses, overdue, due_within), day))
    return len(chosen)


def _read(config_root: Path, key: bytes) -> tuple[list[str], Rows] | None:
    """The kept listing for `key` (None when there is none, or it is damaged): its warnings
    and its rows."""

    def read(f: IO[bytes]) -> Any:
        return marshal.loads(f.read())  # at once: marshal.load reads a file object by object

    got = index._read_file(config_root / ".tf", FILE, key, read)
    try:
        lines, between, dues, statuses_, heads, tails = got
        n = len(dues)
        if not (
            type(lines) is list
            and all(type(line) is str for line in lines)
            and (between == () or (len(between) == 2 and all(type(b) is bytes for b in between)))
            and len(statuses_) == len(heads) == len(tails) == n
            and all(type(d) is int for d in dues)
            and all(type(h) is bytes for h in heads)
            and all(t is None or (type(t) is bytes and between) for t in tails)
            and all(type(s) is str for s in statuses_)
        ):
            return None
        return lines, Rows(between, dues, statuses_, heads, tails)
    except Exception:  # missing, foreign, damaged: the usual path
        return None


class Rows:
    """The kept rows, selected and written for one "today"."""

    def __init__(
        self,
        between: tuple[bytes, ...],
        dues: list[int],
        statuses: list[str],
        heads: list[bytes],
        tails: list[bytes | None],
    ) -> None:
        self.between, self.dues, self.statuses = between, dues, statuses
        self.heads, self.tails = heads, tails

    def select(
        self, today: date, statuses: tuple[str, ...], overdue: bool, last: date | None
    ) -> list[int]:
        """The rows `actions.matches` takes (their order is the listing's already):
        `overdue`: due before today; `last`: due on or before that day (--due-within)."""
        day = today.toordinal()
        limit = last.toordinal() if last is not None else None
        wanted = set(statuses)
        out = []
        for n, (due, status) in enumerate(zip(self.dues, self.statuses, strict=True)):
            if status not in wanted:
                continue
            if (overdue or limit is not None) and not due:
                continue
            if overdue and not due < day:
                continue
            if limit is not None and due > limit:
                continue
            out.append(n)
        return out

    def overdue(self, chosen: list[int], today: date) -> int:
        day = today.toordinal()
        return sum(1 for n in chosen if 0 < self.dues[n] < day)

    def text(self, chosen: list[int], today: date) -> bytes:
        """The JSON listing of the `chosen` rows, as output.write_json writes it."""
        if not chosen:
            return b"[]\n"
        from tfcli.dates import relative

        day = today.toordinal()
        first, second = self.between or (b"", b"")
        filled: dict[int, bytes] = {}  # per due date: actions share a few hundred
        out = [b"[\n  "]
        for n in chosen:
            out.append(self.heads[n])
            if (tail := self.tails[n]) is not None:
                due = self.dues[n]
                if (values := filled.get(due)) is None:
                    # An open action's overdue, days_left and hint (Tracked's methods).
                    left = due - day
                    hint = relative(date.fromordinal(due), today).encode()
                    overdue = b"true" if left < 0 else b"false"
                    values = filled[due] = b'%s%s%d%s"%s"' % (overdue, first, left, second, hint)
                out += (values, tail)
            out.append(b",\n  ")
        out[-1] = b"\n]\n"
        return b"".join(out)


def write(data: bytes, output: Path | None) -> None:
    """To `--output FILE` (replaced whole) or stdout, as tfcli.emit writes a JSON listing."""
    if output is not None:
        from tfcli.write_report import replace_output

        replace_output(output, data)
        return
    out = sys.stdout
    # Bytes straight to a plain UTF-8 stream; through the stream itself otherwise (another
    # encoding, or the GitHub Actions guard of ci_guard.guard_ci_streams, which reads lines).
    utf8 = (out.encoding or "").lower().replace("_", "-") in ("utf-8", "utf8")
    if isinstance(out, io.TextIOWrapper) and utf8:
        out.flush()
        out.buffer.write(data)
        out.buffer.flush()
    else:
        out.write(data.decode("utf-8"))


def count_line(n: int, late: int, today: date) -> str:
    """The count line on stderr: `tf actions: 2 actions, 1 overdue (today 2022-07-09)`."""
    return f"tf actions: {n} action{'s' if n != 1 else ''}, {late} overdue (today {today})"
