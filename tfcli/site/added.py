"""A rebuild after one meeting was added as the newest (a new minutes file, dated after every
published meeting): no other meeting is parsed but those whose actions it changes, and only the
pages that list meetings, and those that show the changed actions, change.

Without actions of its own and follow-ups that record anything (a skeleton of `tf
new-meeting`: tfcli.site.skeleton), it changes no action (no history event; a deadline in
words written in the last meeting could resolve against it: then the full build), so the
tracker, the counts and the deadlines' events stay; with them, tfcli.site.added_actions puts
the changed actions in place. It gets its page (with its actions and follow-ups); the last
meeting's page its "next" link (rendered with its kept context, tfcli.site.contexts); the
meetings list its row at the top; the index page its line among the recent meetings (the
eleventh goes), the count of meetings and the next meeting when that changes; the attendance
matrix a column and every organisation's row a cell, a count and a rate; each organisation
page its count and rate (and its list of meetings, one line more, when it attended); the
register of decisions its decisions; the search index its entry at the end of the last piece;
the calendar its event after the last one's; the output's marker its page. Each piece is
found by its text, made through the built-in templates: anything not found exactly once, a
new piece of the search index, an organisation the site does not know: the full build.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.model import Config, Meeting, Problem
from tfcli.site import added_actions, added_pages, contexts, fields, moves, people, skeleton, state
from tfcli.site.contexts import Shard
from tfcli.site.splice import UNSURE, _check
from tfcli.site.state import Now, Rebuild, Record

if TYPE_CHECKING:
    from tfcli.site import Result

from tfcli.site.writer import MARKER

MEETINGS, INDEX, CALENDAR, DECISIONS = (
    "meetings.html",
    "index.html",
    "calendar.ics",
    "decisions.html",
)
_FIRST_ROW = re.compile(rb'<tbody>\n<tr><th scope="row"><a href="([^"]*)">')


def patch(r: Rebuild) -> Result | None:
    """The site as a full build would make it, when one minutes file was added since the
    last build, and nothing else changed, as above; else None."""
    try:
        return _patch(r.config, r.path, r.last, r.inputs, r.today, r.internal, r.out, r.say)
    except UNSURE:
        return None


def _patch(
    config: Config,
    path: Path,
    record: Record,
    inputs: Now,
    today: date,
    internal: bool,
    out: Path,
    say: Callable[[str], None],
) -> Result:
    from tfcli.load import read_meeting
    from tfcli.site import ics, search
    from tfcli.site.markdown import slug
    from tfcli.site.patch import _body_digest, _front_digest, _read_as_built, _shown, read_built
    from tfcli.site.policy import Policy

    token = record.token
    old_paths = [r[0] for r in record.rows]
    _check(bool(token) and record.patchable and record.rest == inputs.rest_with(old_paths))
    _check(len(inputs.paths) == len(old_paths) + 1)
    i = next(
        (k for k, (a, b) in enumerate(zip(old_paths, inputs.paths[:-1], strict=True)) if a != b),
        len(old_paths),
    )
    _check(inputs.paths[:i] + inputs.paths[i + 1 :] == old_paths)
    rows = list(record.rows)
    touched = [k for k, r in enumerate(rows) if r[1] is None or r[1] != _stat(inputs, k, i)]
    _check(len(touched) <= fields.MAX_CHANGED)
    for k in touched:  # changed a moment before the last build, or touched since: the same?
        rows[k] = (rows[k][0], _stat(inputs, k, i), *rows[k][2:])
        _check(_same(config, rows[k]))
    name = inputs.paths[i]
    _check(not os.path.islink(name))  # (a link to a listed file is that file)
    with open(name, "rb") as f:
        data = f.read()
    problems: list[Problem] = []
    new = read_meeting(Path(name), config, problems, data)
    front = _front_digest(data)
    _check(new is not None and not problems and front is not None)
    assert new is not None and front is not None
    policy = Policy(include_restricted=internal)
    _check(policy.publishes(new))
    hidden = skeleton.hidden_of(new, record.rows, internal)
    shown = _shown(new, hidden)

    edits: dict[str, bytearray] = {}
    stamps = {rel: (d, st) for rel, d, st in record.stamps}

    def page(rel: str) -> bytearray:
        if rel not in edits:
            built = read_built(out, rel, stamps, record.saved - state.RACY_NS)
            _check(built is not None)
            assert built is not None
            edits[rel] = built  # (read into it: no copy of the 20 MB tracker)
        return edits[rel]

    def tracker() -> bytes | bytearray:
        if added_actions.needed(shown):  # (changed below: read once)
            return page(skeleton.TRACKER)
        built = read_built(out, skeleton.TRACKER, stamps, record.saved - state.RACY_NS)
        _check(built is not None)
        return built or b""

    # The last meeting: the first row of the meetings list.
    listed = page(MEETINGS)
    first = _FIRST_ROW.search(listed)
    _check(first is not None)
    assert first is not None
    last_page = first.group(1).decode()
    by_page = {r[5]: k for k, r in enumerate(record.rows) if r[5] is not None}
    k = by_page[last_page]
    shards: dict[int, Shard] = {}
    rests: dict[int, bytes] = {}

    def shard(n: int) -> Shard:
        if n not in shards:
            got = contexts.read(contexts.shard_file(config, out, n))
            _check(got is not None)
            assert got is not None
            rests[n], shards[n] = got
        return shards[n]

    kept_entries: dict[int, list[Any]] = {}

    def kept_of(k: int) -> list[Any]:
        """Row k's kept page context: [meeting as written, actions, updates, near]."""
        if k not in kept_entries:
            name_k, _, digest_k, _, clean_k, page_k = record.rows[k][:6]
            _check(clean_k and page_k is not None)
            e = shard(contexts.shard_of(name_k)).get(name_k)
            _check(e is not None and e[0] == token and e[1] == digest_k)
            assert e is not None
            values, actions, updates, near = pickle.loads(e[3])
            kept_entries[k] = [Meeting(*values), actions, updates, near]
        return kept_entries[k]

    lname, _, ldigest, _, _, _, lbody_at, lentry_at, lhidden = record.rows[k]
    last, actions, updates, near = kept_of(k)
    _check(near[1] is None and (near[0] is None or near[0][1] < last.date))
    _check(new.date > last.date)
    # "next meeting" written in the last meeting would now resolve to the new one.
    _check(all(a.due_text is None for a in last.actions))
    _check(all(u.due_text is None for u in last.updates))
    _check(lbody_at is not None and lentry_at is not None)
    assert lbody_at is not None and lentry_at is not None
    last_shown = _shown(last, lhidden)

    taken = set(by_page) | {rel for rel, _, _ in record.stamps}
    new_page = f"meetings/{slug(new.id)}.html"
    _check(new_page not in taken)

    if added_actions.needed(shown):
        plan = added_actions.plan(
            config,
            today,
            internal,
            record.rows,
            kept_of,
            (new, shown, new_page),
            lambda m: skeleton.followups(m, tracker),
        )
    else:
        plan = added_actions.Plan()
        plan.ups = skeleton.followups(shown, tracker)
    ups = plan.ups
    actions = plan.listed.pop(k, actions)

    pieces = fields._Pieces(config, policy, out, record.rest)
    _check(pieces.row is not None and pieces.item is not None and pieces.next is not None)
    env, group = pieces.env, config.group
    args = {"group": group}

    # Pages: the new one, and the last one with its "next" link.
    new_near = ((last.id, last.date, last_page), None)
    html, at = fields._page(
        env,
        new_page,
        policy,
        group,
        today,
        internal,
        shown,
        plan.actions,
        ups,
        new_near,
        b"",
        None,
        False,
    )
    _check(html is not None)
    assert html is not None
    edits[new_page] = bytearray(html)
    last_near = (near[0], (new.id, new.date, new_page))
    lhtml, lat = fields._page(
        env,
        last_page,
        policy,
        group,
        today,
        internal,
        last_shown,
        actions,
        updates,
        last_near,
        bytes(page(last_page)),
        lbody_at,
        True,
    )
    _check(lhtml is not None and lat is not None)
    assert lhtml is not None
    edits[last_page][:] = lhtml

    # The meetings list and the index page.
    # (The loop's text starts with the line break its tag's line ends with: not printed.)
    old_row = pieces.row.render(m=last_shown, page=last_page, **args).encode().lstrip(b"\n")
    _check(listed.find(old_row) == first.start() + len(b"<tbody>\n"))
    new_row = pieces.row.render(m=shown, page=new_page, **args).encode().lstrip(b"\n")
    listed[first.start() + len(b"<tbody>\n") : first.start() + len(b"<tbody>\n")] = new_row
    added_pages.index(page(INDEX), pieces, today, (last_shown, last_page), (shown, new_page), args)

    # Attendance: a column, a cell in every row, every organisation page's rate.
    people.add_column(config, env, page, shown, new_page)

    # Decisions, the search index, the calendar.
    if shown.decisions:
        added_pages.decisions(env, page(DECISIONS), shown, new_page)
    n = lentry_at[0]
    piece = page(search.piece_name(n))
    got = search.positions(bytes(piece))
    _check(got is not None and 0 < len(got) < search.PER_PIECE)
    assert got is not None
    _check(got[-1][1] == lentry_at[2])  # the last meeting's entry ends the last piece
    entry = search.script_json(search.entry_of(policy, group, new_page, shown)).encode("utf-8")
    end = got[-1][1]
    piece[end:end] = b"," + entry
    entry_at = (n, end + 1, end + 1 + len(entry))
    tz = config.timezone
    cal = page(CALENDAR)
    old_event, _ = ics.meeting_event(policy, group, tz, last_shown)
    new_event, zoned = ics.meeting_event(policy, group, tz, shown)
    _check(not zoned or b"\r\nBEGIN:VTIMEZONE\r\n" in cal)
    at_event = cal.find(old_event + b"\r\n")
    _check(at_event >= 0 and cal.find(old_event + b"\r\n", at_event + 1) < 0)
    at_event += len(old_event)
    cal[at_event:at_event] = b"\r\n" + new_event
    blobs = _earlier(config, env, policy, today, internal, plan, kept_of, page, record, rows)
    kept_order = False  # (the order kept by the actions' rebuild, with the new file)
    if plan.changes:
        published = [r[0] for r in record.rows if r[5] is not None]
        files = (moves.files_of(published), moves.files_of([*published, name]))
        kept_order = added_actions.apply(
            config, out, token, today, env, policy, page, plan, shown, files
        )
    marker = added_pages.marker(
        _read_as_built(out, MARKER, stamps, record.saved - state.RACY_NS), new_page
    )

    # What the next build reads: the record's rows, counts and kept pages.
    others = [s for s in record.stamps if s[0] not in edits]
    _check(state._as_built(out, others, record.saved - state.RACY_NS) is not False)
    rows[k] = (*rows[k][:6], lat, *rows[k][7:])
    rows.insert(
        i, (name, inputs.stats[i], front, _body_digest(new), True, new_page, at, entry_at, hidden)
    )
    blob = pickle.dumps((contexts.written(last), actions, updates, last_near), 5)
    shard(contexts.shard_of(lname))[lname] = (token, ldigest, "", blob)
    for name_k, kept_k in blobs:
        shard(contexts.shard_of(name_k))[name_k] = kept_k
    blob = pickle.dumps((contexts.written(new), plan.actions, ups, new_near), 5)
    shard(contexts.shard_of(name))[name] = (token, front, "", blob)
    added_pages.write_marker(out, marker, stamps)
    if not kept_order:
        skeleton.order_kept(config, out, token, record.rows, rows)
    added_pages.compiled_kept(config, out, record.rest, inputs.rest)
    record.rest = inputs.rest  # (the list of files is in it)
    pages_n, files_n, meetings_n = record.counts
    record.counts = (pages_n + 1, files_n + 1, meetings_n + 1)
    return state.finish(
        config, path, out, record, inputs, rows, stamps, edits, say, (shards, rests)
    )


def _earlier(
    config: Config,
    env: Any,
    policy: Any,
    today: date,
    internal: bool,
    plan: added_actions.Plan,
    entry: Callable[[int], list[Any]],
    page: Callable[[str], bytearray],
    record: Record,
    rows: list[Any],
) -> list[tuple[str, Any]]:
    """The pages of the earlier meetings whose actions the new one changed (a follow-up
    recorded on them), rendered with their kept contexts (rows[k]'s page place updated);
    their kept contexts, to keep."""
    from tfcli.site.patch import _shown

    kept = []
    for k, acts in plan.listed.items():
        m_k, _, updates_k, near_k = entry(k)
        name_k, _, digest_k, _, _, rel, body_at = record.rows[k][:7]
        _check(body_at is not None and rel is not None)
        assert rel is not None
        html_k, at_k = fields._page(
            env,
            rel,
            policy,
            config.group,
            today,
            internal,
            _shown(m_k, record.rows[k][8]),
            acts,
            updates_k,
            near_k,
            bytes(page(rel)),
            body_at,
            True,
        )
        _check(html_k is not None and at_k is not None)
        assert html_k is not None
        page(rel)[:] = html_k
        rows[k] = (*rows[k][:6], at_k, *rows[k][7:])
        blob = pickle.dumps((contexts.written(m_k), acts, updates_k, near_k), 5)
        kept.append((name_k, (record.token, digest_k, "", blob)))
    return kept


def _stat(inputs: Now, k: int, i: int) -> Any:
    """The stat now of the file of the record's row `k` (the new file is at `i`)."""
    return inputs.stats[k if k < i else k + 1]


def _same(config: Config, row: Any) -> bool:
    """Whether a file holds what its row says: the same front matter (or meeting) and body.
    A row keyed by its front matter (`F`) needs no parse: a meeting is made from the front
    matter, where the body starts, the path and tf.yml (unchanged: the record's `rest`), so
    the same ones make the meeting the row was made from, clean as it was."""
    from tfcli import frontmatter
    from tfcli.errors import LoadError
    from tfcli.load import read_meeting
    from tfcli.site.patch import _body_digest, _meeting_digest, _split_digest, _text_digest

    name, _, digest, body, clean = row[:5]
    if not clean:
        return False
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError:
        return False
    if digest[:1] == b"F":
        try:
            got = frontmatter.split(frontmatter.decode(data))
        except LoadError:
            return False
        return bool(_split_digest(got) == digest and _text_digest(got.body) == body)
    problems: list[Problem] = []
    m = read_meeting(Path(name), config, problems, data)
    if m is None or problems:
        return False
    return bool(_meeting_digest(m) == digest and _body_digest(m) == body)


__all__ = ["patch"]
