"""Who attended a meeting changed (its `participants:`): the attendance matrix's row of each
organisation that joined or left, and its organisation page's count, rate and list of
meetings, put in place for tfcli.site.fields (which renders the meeting's own page); and a
meeting added as the newest: its column, every row's cell, count and rate, every organisation
page's (add_column, for tfcli.site.added).

Nothing else in a site is worked out from participants (gather.py's `attended`): no search
entry, calendar event, list or index line shows them. Each piece is found by its text, made
through the built-in templates' own text: an organisation's row must render, from what it
holds (its cells, its count, its rate), to exactly the bytes the matrix has, its page's count
and attendance section too, else `Unsure`: the full build. An organisation without a row (one
never seen before) or left with no meeting and not in tf.yml (its page may go): the full build.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tfcli.model import Config, Meeting
from tfcli.roster import Roster
from tfcli.site.splice import Unsure, _check, _one, _template_text

if TYPE_CHECKING:
    from jinja2 import Environment

# Fields of a meeting that change only its own page and the attendance pieces below. The
# attendance annex (`attendees:`) no site publishes (tfcli.policy.publishes_attendees: a site
# never asks), so it changes nothing at all.
FIELDS = frozenset({"participants", "attendees"})
MATRIX = "attendance.html"
_COL = re.compile(rb'<th scope="col"><a href="([^"]*)">([^<]*)</a></th>')
_ROW_HEAD = b'\n<tr><th scope="row"><a href="'
_ROW = re.compile(rb'<tr><th scope="row"><a href="([^"]*)">([^<]*)</a></th>')


def attended(m: Meeting, roster: Roster) -> set[str]:
    """The organisations `m` counts as attending (gather.gather's rule)."""
    from tfcli.site.gather import organisation_of

    people = (p for ps in m.participants.values() for p in ps)
    return {org for org in (organisation_of(p, roster) for p in people) if org}


def _rate(n: int, total: int) -> str:
    from tfcli.site.pages import _rate

    return _rate(n, total)


class _Pieces:
    """The built-in attendance.html's row and organisation.html's count line and attendance
    section, compiled from their text."""

    def __init__(self, env: Environment) -> None:
        row = _template_text(MATRIX, "{% for org, page, cells, n, rate in rows %}", "</tr>")
        row = row[row.index("%}") + 2 :].lstrip("\n") + "\n"  # a line of the matrix
        head, rest = row.split("{% for c in cells %}")
        cell, tail = rest.split("{% endfor %}")
        self.head, self.cell = env.from_string(head), env.from_string(cell)
        self.tail = tail.encode()
        self.text = env.from_string("{{ x }}")
        self.count = env.from_string(_template_text("organisation.html", "<p>Attended", "</p>"))
        self.section = env.from_string(
            _template_text(
                "organisation.html", '<section aria-labelledby="h-attendance">', "</section>"
            )
        )
        self.h1 = env.from_string("<h1>{{ org }}</h1>")
        self.yes, self.no = (self.cell.render(c=c).encode() for c in (True, False))
        _check(self.yes.endswith(b"</td>") and self.no.endswith(b"</td>"))
        _check(self.yes.count(b"</td>") == 1 and self.no.count(b"</td>") == 1)
        _check(self.yes != self.no and not self.yes.startswith(self.no))
        _check(not self.no.startswith(self.yes))

    def row_head(self, org: str, page: str, n: int, total: int) -> bytes:
        return self.head.render(org=org, page=page, n=n, rate=_rate(n, total)).encode()


def splice(
    config: Config,
    env: Environment,
    changes: list[tuple[str, Meeting, Meeting]],
    read: Callable[[str], bytearray | None],
) -> bool:
    """Each (page, old meeting, new meeting) of `changes` as shown, its organisations that
    joined or left put in place in the files `read` gives (and edits); False when unsure."""
    roster = Roster(config)
    moves = []
    for page, was, shown in changes:
        now = attended(shown, roster)
        moves += [(page, org, org in now) for org in sorted(attended(was, roster) ^ now)]
    if not moves:
        return True
    # Those who joined first: an organisation moving from one changed meeting to another
    # never has none in between (nor may lose its page).
    moves.sort(key=lambda x: not x[2])
    try:
        _splice(config, env, moves, read)
    except (Unsure, ValueError, IndexError):
        return False
    return True


def _file(read: Callable[[str], bytearray | None], rel: str) -> bytearray:
    data = read(rel)
    _check(data is not None)
    assert data is not None
    return data


def _splice(
    config: Config,
    env: Environment,
    moves: list[tuple[str, str, bool]],
    read: Callable[[str], bytearray | None],
) -> None:
    pieces = _Pieces(env)
    matrix = _file(read, MATRIX)
    cols, b = _columns(matrix)
    total = len(cols)
    where = {p: k for k, (p, _) in enumerate(cols)}
    _check(len(where) == total)
    known = {o.name for o in config.organisations}
    for page, org, joined in moves:
        _check(page in where)
        j = where[page]
        esc = pieces.text.render(x=org).encode()
        found = [r for r in _rows(matrix, b) if r.group(2) == esc]
        _check(len(found) == 1)  # a row: an organisation the site knows
        start = found[0].start()
        end = matrix.index(b"\n", start) + 1
        org_page = html.unescape(found[0].group(1).decode())
        _check(org_page.startswith("organisations/") and ".." not in org_page)
        line = bytes(matrix[start:end])
        _, region, cells = _cells(pieces, line, org, org_page, total)
        _check(cells[j] is not joined)
        n = sum(cells)
        cells[j] = joined
        m = n + (1 if joined else -1)
        _check(m > 0 or org in known)  # else its page may go (nothing else names it)
        k = sum(len(pieces.yes if c else pieces.no) for c in cells[:j])
        was, now = (pieces.no, pieces.yes) if joined else (pieces.yes, pieces.no)
        region = region[:k] + now + region[k + len(was) :]
        matrix[start:end] = pieces.row_head(org, org_page, m, total) + region + pieces.tail
        _organisation(pieces, _file(read, org_page), org, cols, cells, j, total)


def _columns(matrix: bytearray) -> tuple[list[tuple[str, str]], int]:
    """The matrix's columns (each meeting's page and id) and where its head ends."""
    a = matrix.find(b"<thead>")
    b = matrix.find(b"</thead>", a)
    _check(a >= 0 and b > a and matrix.count(b"<thead>") == 1)
    found = _COL.findall(matrix, a, b)
    return [(html.unescape(p.decode()), html.unescape(t.decode())) for p, t in found], b


def _cells(
    pieces: _Pieces, line: bytes, org: Any, page: str, total: int
) -> tuple[int, bytes, list[bool]]:
    """A matrix row's head's end, its cells' bytes and its cells (each the built-in cell for
    attended or not), when its head renders from them to the bytes it has; else Unsure."""
    _check(line.endswith(pieces.tail))
    head_end = line.index(b"</span></td><td", 0) + len(b"</span></td>")
    region = line[head_end : len(line) - len(pieces.tail)]
    # Split at each cell's end (C speed: 5,000 cells a row at 5,000 meetings), each part
    # the attended or the absent cell.
    parts = region.split(b"</td>")
    _check(parts[-1] == b"" and set(parts[:-1]) <= {pieces.yes[:-5], pieces.no[:-5]})
    yes = pieces.yes[:-5]
    cells = [x == yes for x in parts[:-1]]
    _check(len(cells) == total)
    _check(line[:head_end] == pieces.row_head(org, page, sum(cells), total))
    return head_end, region, cells


def _rows(matrix: bytearray, at: int) -> list[re.Match[bytes]]:
    """The matrix's rows' heads after `at`, found by their start (a regular expression's
    `^` would try every byte of the 4 MB a matrix has at 5,000 meetings)."""
    got = []
    while (at := matrix.find(_ROW_HEAD, at)) >= 0:
        at += 1
        if (r := _ROW.match(matrix, at)) is not None:
            got.append(r)
    return got


def _organisation(
    pieces: _Pieces,
    data: bytearray,
    org: str,
    cols: list[tuple[str, str]],
    cells: list[bool],
    j: int,
    total: int,
) -> None:
    """Its page's count line and attendance section, from the matrix row's new `cells`
    (cell `j` changed)."""
    _check(data.count(pieces.h1.render(org=org).encode()) == 1)  # its page, not a namesake's
    before = list(cells)
    before[j] = not cells[j]
    for fn in (_count, _section):
        old, new = (fn(pieces, cols, c, total) for c in (before, cells))
        _one(data, old, new)


def _count(pieces: _Pieces, cols: Any, cells: list[bool], total: int) -> bytes:
    return _count_of(pieces, sum(cells), total)


def _count_of(pieces: _Pieces, n: int, total: int) -> bytes:
    return pieces.count.render(attended=range(n), total=total, rate=_rate(n, total)).encode()


def _section(pieces: _Pieces, cols: list[tuple[str, str]], cells: list[bool], total: int) -> bytes:
    went = [(mid, page) for (page, mid), c in zip(cols, cells, strict=True) if c]
    return pieces.section.render(attended=went, root="../").encode()


def add_column(
    config: Config, env: Any, page: Callable[[str], bytearray], m: Meeting, new_page: str
) -> None:
    """A meeting added as the newest (tfcli.site.added): its column in the matrix, a cell, a
    count and a rate in every row, and each organisation page's count and rate (and list of
    meetings when it attended), in the files `page` gives (and edits); else Unsure. A row is
    tallied, not read into cells: its count and last attended column are all it needs."""
    from markupsafe import Markup

    pieces = _Pieces(env)
    matrix = page(MATRIX)
    a = matrix.find(b"<thead>")
    b = matrix.find(b"</thead>", a)
    _check(a >= 0 and b > a and matrix.count(b"<thead>") == 1)
    cols = _COL.findall(matrix, a, b)  # (each unescaped only when its line is needed)
    total = len(cols)
    _check(total > 0)
    went = {pieces.text.render(x=org).encode() for org in attended(m, Roster(config))}
    intro = env.from_string(_template_text(MATRIX, "<p>Which", "</p>"))
    _one(matrix, *(intro.render(cols=range(t)).encode() for t in (total, total + 1)))
    cell = _template_text(MATRIX, "{% for m, page in cols %}", "{% endfor %}")
    col = env.from_string(cell[len("{% for m, page in cols %}") : -len("{% endfor %}")])
    head_end = matrix.rfind(b"</th>", 0, b) + len(b"</th>")
    cols_b = col.render(m=m, page=new_page).encode()
    _check(matrix.find(b"</tr>", head_end, b) == head_end)
    matrix[head_end:head_end] = cols_b
    rows = _rows(matrix, b)
    _check(len({r.group(2) for r in rows}) == len(rows) and went <= {r.group(2) for r in rows})
    for r in reversed(rows):  # from the end: the earlier rows' places stay
        start, end = r.start(), matrix.index(b"\n", r.start()) + 1
        org = Markup(r.group(2).decode())  # as printed: printed again as it is
        org_page = r.group(1).decode()
        _check(
            org_page.startswith("organisations/") and ".." not in org_page and "&" not in org_page
        )
        region, n, last = _tally(pieces, bytes(matrix[start:end]), org, org_page, total)
        joined = r.group(2) in went
        region += pieces.yes if joined else pieces.no
        matrix[start:end] = (
            pieces.row_head(org, org_page, n + joined, total + 1) + region + pieces.tail
        )
        was = None
        if last is not None:
            was = (html.unescape(cols[last][0].decode()), html.unescape(cols[last][1].decode()))
        _org_added(pieces, page(org_page), org, (n, total), was, (new_page, m.id), joined)


def _tally(
    pieces: _Pieces, line: bytes, org: Any, page: str, total: int
) -> tuple[bytes, int, int | None]:
    """_cells's checks, and what a meeting added needs of a row: its cells' bytes, how many
    say attended, and the last of those (None: none)."""
    _check(line.endswith(pieces.tail))
    head_end = line.index(b"</span></td><td", 0) + len(b"</span></td>")
    region = line[head_end : len(line) - len(pieces.tail)]
    parts = region.split(b"</td>")  # (C speed, as _cells, and counted at C speed too)
    _check(parts.pop() == b"" and len(parts) == total)
    yes, no = pieces.yes[:-5], pieces.no[:-5]
    n = parts.count(yes)
    _check(n + parts.count(no) == total)  # each part one of the two (they differ)
    _check(line[:head_end] == pieces.row_head(org, page, n, total))
    return region, n, (total - 1 - parts[::-1].index(yes)) if n else None


def _org_added(
    pieces: Any,
    data: bytearray,
    org: Any,
    counted: tuple[int, int],
    last: tuple[str, str] | None,
    new: tuple[str, str],
    joined: bool,
) -> None:
    """An organisation page's count and rate, and its list of meetings when it attended:
    `counted` is (meetings it attended, meetings), `last` the page and id of the last it
    attended (None: none), `new` the new meeting's."""
    _check(data.count(pieces.h1.render(org=org).encode()) == 1)  # its page, not a namesake's
    n, total = counted
    _one(data, _count_of(pieces, n, total), _count_of(pieces, n + joined, total + 1))
    if not joined:
        return
    if last is None:  # its first: "No recorded attendance." goes
        old, one = (
            pieces.section.render(attended=w, root="../").encode() for w in ([], [new[::-1]])
        )
        _one(data, old, one)
        return
    # Its list gets one line at the end (the new meeting is the newest): the section as
    # built ends as the section of only its last meeting does, from that meeting's line on.
    one, two = (
        pieces.section.render(attended=went, root="../").encode()
        for went in ([last[::-1]], [last[::-1], new[::-1]])
    )
    p = one.find(b"<li>")
    _check(p > 0 and one[:p] == two[:p] and one.count(b"<li>") == 1)
    a = data.find(one[:p])
    b = data.find(b"</section>", a) + len(b"</section>")
    _check(a >= 0 and b > a and data.find(one[:p], b) < 0 and data[a:b].endswith(one[p:]))
    data[b - (len(one) - p) : b] = two[p:]
