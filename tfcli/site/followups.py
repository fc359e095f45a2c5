"""A rebuild after actions and follow-ups changed (marking an action done in the newest
minutes, the commonest edit of a secretariat; a follow-up added or removed, re-dated or handed
over; an action's text, owner or due date changed, an action added or removed) and nothing
else: no meeting but the changed ones and those each affected action's history names is
parsed or unpickled, only the affected actions are tracked again, and only the pages that
show them change.

The changed files (tfcli.site.fields' limits) must differ from the kept meetings in their
actions and follow-ups only. Each affected action is tracked again over a small repo: its
meeting and the meetings of its history (their kept meetings) with the changed ones; its old
dict, made again from the old meetings, must be the kept one (but for line numbers; else the
full build). Then, through the templates the full build uses: the meeting pages rendered with
their kept contexts, the tracker's row and counts and the index page's counts put in place,
the row moved between its owners' organisation sections, and its calendar deadline event put
in place, taken out or added (tfcli.site.moves: moved when its order changes, by the kept
order of the tracker). Anything not found exactly once: the full build.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.model import Config, Meeting, Repo, Update
from tfcli.record import replace
from tfcli.site import contexts, fields, moves, state
from tfcli.site.built import put_entry
from tfcli.site.contexts import Shard
from tfcli.site.splice import (
    UNSURE,
    Unsure,
    _check,
    _Pieces,
)
from tfcli.site.state import Now, Rebuild, Record

if TYPE_CHECKING:
    from tfcli.actions import Tracked
    from tfcli.site import Result


def _affected(m: Meeting, old: Meeting) -> tuple[set[str], set[str]]:
    """The actions whose own fields (in their meeting) or follow-ups differ between `m` and
    `old`, and those added or removed (the others keep their order), when nothing else
    differs (but line numbers); else Unsure."""
    for f in (*fields._OTHERS, *fields.DISPLAY):
        if f in ("updates", "actions"):
            continue
        new, was = getattr(m, f), getattr(old, f)
        _check(new == was or (f in fields._LINED and fields._unlined(new) == fields._unlined(was)))
    now, then = ({a.id: a for a in ms.actions} for ms in (m, old))
    _check(len(now) == len(m.actions) and len(then) == len(old.actions))
    _check([x for x in now if x in then] == [x for x in then if x in now])
    ids = {
        x for x, a in now.items() if x in then and replace(a, line=0) != replace(then[x], line=0)
    }
    # Follow-ups by the action they name, in their order (a history sorts by line within a
    # meeting): each action whose list differs.
    lists: tuple[dict[str, list[Update]], dict[str, list[Update]]] = ({}, {})
    for ups, got in ((m.updates, lists[0]), (old.updates, lists[1])):
        for u in ups:
            got.setdefault(u.action_id, []).append(replace(u, line=0))
    new_ups, old_ups = lists
    ids.update(x for x in new_ups.keys() | old_ups.keys() if new_ups.get(x) != old_ups.get(x))
    return ids, now.keys() ^ then.keys()


def _unlined(d: dict[str, Any]) -> dict[str, Any]:
    """An action's dict without the lines of it and its follow-ups: no page prints them, and
    a kept one keeps the lines it had when lines were added above it (tfcli.site.fields)."""
    ups = [{**u, "line": 0} for u in d["updates"]]
    return {**d, "line": 0, "updates": ups}


class _Stub:
    """What pages.action reads of a Site."""

    def __init__(self, today: date, view: Any, meeting_page: dict[str, str]) -> None:
        self.today, self.view, self.meeting_page = today, view, meeting_page
        self.shown: dict[int, dict[str, Any]] = {}


def patch(r: Rebuild) -> Result | None:
    """The site as a full build would make it, when the files that changed since the last
    build changed in actions and follow-ups only (see the module's doc); else None."""
    try:
        return _patch(r, r.config, r.path, r.last, r.inputs, r.today, r.internal, r.out, r.say)
    except UNSURE:
        return None


def _patch(
    rebuild: Rebuild,
    config: Config,
    path: Path,
    record: Record,
    inputs: Now,
    today: date,
    internal: bool,
    out: Path,
    say: Callable[[str], None],
) -> Result:
    from tfcli.action_views import View
    from tfcli.actions import track
    from tfcli.policy import is_public
    from tfcli.roster import Roster
    from tfcli.site import pages
    from tfcli.site.markdown import slug
    from tfcli.site.patch import _body_digest, _front_digest, _shown, changed_files, read_built
    from tfcli.site.policy import Policy

    token = record.token
    changed = (changed_files(record, inputs) if token else None) or []
    _check(0 < len(changed) <= fields.MAX_CHANGED)
    rows = list(record.rows)
    by_page = {r[5]: k for k, r in enumerate(rows) if r[5] is not None}
    shards: dict[int, Shard] = {}
    rests: dict[int, bytes] = {}
    kept: dict[int, list[Any]] = {}  # row -> [meeting as written, actions, updates, near]

    def entry(k: int) -> list[Any]:
        if k not in kept:
            name, _, digest, _, clean, page, _, _, _ = rows[k]
            _check(clean and page is not None)
            n = contexts.shard_of(name)
            if n not in shards:
                got = contexts.read(contexts.shard_file(config, out, n))
                _check(got is not None)
                assert got is not None
                rests[n], shards[n] = got
            e = shards[n].get(name)
            _check(e is not None and e[0] == token and e[1] == digest)
            assert e is not None
            values, actions, updates, near = pickle.loads(e[3])
            kept[k] = [Meeting(*values), actions, updates, near]
        return kept[k]

    policy = Policy(include_restricted=internal)
    group = config.group
    new_of: dict[int, Meeting] = {}
    fronts: dict[int, bytes] = {}
    affected: set[str] = set()
    new_count: dict[int, bool] = {}  # files whose actions were added or removed
    for i in changed:
        old = entry(i)[0]
        try:
            with open(rows[i][0], "rb") as f:
                data = f.read()
        except OSError:
            raise Unsure from None
        m, problems = rebuild.meeting(rows[i][0], data)
        front = _front_digest(data)
        _check(m is not None and not problems and front is not None)
        assert m is not None and front is not None
        _check(rows[i][3] == _body_digest(m))
        ids, added = _affected(m, old)
        hidden = rows[i][8]
        _check(not (hidden and (ids | added) & set(hidden)))
        affected |= ids | added
        if added:  # the tracker's meeting filter lists the meetings with an action
            _check(all(_shown(x, hidden).actions for x in (m, old)))
            new_count[i] = True
        new_of[i], fronts[i] = m, front
    _check(bool(affected))

    def shown(k: int, new: bool) -> Meeting:
        m = new_of[k] if new and k in new_of else entry(k)[0]
        return _shown(m, rows[k][8])

    # Each meeting's page by its id, as the kept follow-ups link them (and as found below).
    page_of: dict[str, str | None] = {}
    for i in new_of:
        for u, p, _ in entry(i)[2]:
            page_of[u.action_id.split("/")[0]] = p

    def meeting_of(x: str) -> int:
        """The row of the (published) meeting that raised `x`."""
        mid = x.split("/")[0]
        p = page_of.get(mid) or f"meetings/{slug(mid)}.html"  # a namesake's: told below
        _check(p in by_page)
        k = by_page[p]
        _check(entry(k)[0].id == mid and x.startswith(mid + "/"))
        page_of[mid] = p
        return k

    roster = Roster(config)
    changes: list[moves.Change] = []
    new_actions: dict[int, dict[str, dict[str, Any]]] = {}
    for x in sorted(affected):
        k = meeting_of(x)
        mine = [d for d in entry(k)[1] if d["id"] == x]
        # A public build shows neither a restricted action nor its follow-ups: what it hides
        # is not decided here.
        there = []
        for new in (False, True):
            m_k = new_of[k] if new and k in new_of else entry(k)[0]
            a_k = [a for a in m_k.actions if a.id == x]
            _check(len(a_k) < 2 and (internal or not a_k or is_public(m_k, a_k[0])))
            there.append(bool(a_k))
        _check(len(mine) == there[0] and any(there))
        history = [by_page.get(u["meeting_page"]) for d in mine for u in d["updates"]]
        _check(None not in history)
        ks = sorted({k, *(h for h in history if h is not None), *new_of})
        # The action's meeting, its history's and the changed ones; the changed ones may name
        # it without applying (an earlier meeting): track decides as the full build does.
        made: list[tuple[Tracked | None, dict[str, Any] | None]] = []
        for new in (False, True):
            ms = sorted((shown(n, new) for n in ks), key=lambda m: (m.date, m.id))
            _check(all(a.due_text is None for m in ms for a in m.actions if a.id == x))
            _check(all(u.due_text is None for m in ms for u in m.updates if u.action_id == x))
            # No loading problems: every meeting here is clean (its row's `clean`, or parsed
            # without one), so none has a `due:` in error (actions.track's INVALID).
            got = [t for t in track(Repo(config, ms, [], [])) if t.id == x]
            _check(len(got) == there[new])
            if not got:
                made.append((None, None))
                continue
            t = got[0]
            view = View(today, roster, {m.id: m.path for m in ms})
            stub = _Stub(today, view, {shown(n, new).id: str(rows[n][5]) for n in ks})
            made.append((t, pages.action(t, stub)))  # type: ignore[arg-type]
        (t_old, d_old), (t_new, d_new) = made
        acts = new_actions.setdefault(k, {d["id"]: d for d in entry(k)[1]})
        if d_old is not None and t_old is not None:
            _check(_unlined(pages.agreed(t_old, dict(d_old))) == _unlined(mine[0]))
            del acts[x]
        if d_new is not None and t_new is not None:
            acts[x] = pages.agreed(t_new, dict(d_new))
        changes.append((x, t_old, t_new, d_old, d_new))
    # Each meeting's actions in their order, as its page lists them.
    listed = {k: [got[a.id] for a in shown(k, True).actions] for k, got in new_actions.items()}
    for k, acts in new_actions.items():
        _check(len(listed[k]) == len(acts))

    from tfcli.site.render import environment

    env = environment(None, policy)
    contexts.compiled(env, config, out, record.rest)
    pieces = _Pieces(env)
    edits: dict[str, bytearray] = {}
    stamps = {rel: (d, st) for rel, d, st in record.stamps}

    def page(rel: str) -> bytearray:
        if rel not in edits:
            built = read_built(out, rel, stamps, record.saved - state.RACY_NS)
            _check(built is not None)
            assert built is not None
            edits[rel] = built
        return edits[rel]

    places = {shown(i, True).id: [a.id for a in shown(i, True).actions] for i in new_count}
    # An action removed stays named when follow-ups that could apply to it name it: those of
    # its history, or those of a changed meeting (one added with its id would take them up).
    ups = {u.action_id for i in new_of for u in shown(i, True).updates}
    named = {
        c[0]
        for c in changes
        if c[2] is None and ((c[1] is not None and bool(c[1].history)) or c[0] in ups)
    }
    redact = policy.redact
    files = moves.files_of(r[0] for r in record.rows if r[5] is not None)
    moves.aggregates(
        config, out, token, today, redact, roster, pieces, page, changes, (places, named, files)
    )
    if new_count:  # its row in the meetings list counts its actions
        body = fields._loop_body(fields.MEETINGS, "{% for m, page in items %}")
        _check(body is not None)
        row = env.from_string(str(body))
        for i in new_count:
            old_row, new_row = (
                row.render(m=shown(i, new), page=rows[i][5], group=group).encode()
                for new in (False, True)
            )
            _check(fields._swap(page(fields.MEETINGS), old_row, new_row, True))
    # The meeting pages: the actions' (their rows) and the changed ones' (their follow-ups).
    new_updates: dict[int, list[Any]] = {}
    for i in new_of:
        now = shown(i, True).updates
        for u in now:  # each action a new follow-up names was found above (it is affected)
            _check(u.action_id.split("/")[0] in page_of)
        new_updates[i] = [(u, page_of[u.action_id.split("/")[0]], pages.follow_up(u)) for u in now]
    from tfcli.site import search
    from tfcli.site.search import piece_name

    for k in sorted({*listed, *new_updates}):
        _check(rows[k][6] is not None or k in new_of)
        m_k, actions, updates, near = entry(k)
        actions = listed.get(k, actions)
        updates = new_updates.get(k, updates)
        rel = str(rows[k][5])
        html_k, at = fields._page(
            env,
            rel,
            policy,
            group,
            today,
            internal,
            shown(k, True),
            actions,
            updates,
            near,
            bytes(page(rel)),
            rows[k][6],
            rows[k][6] is not None,  # else its body is made again: only a changed file has it
        )
        _check(html_k is not None)
        assert html_k is not None
        edits[rel][:] = html_k
        name, entry_at = rows[k][0], rows[k][7]
        texts = [[a.text for a in shown(k, new).actions] for new in (False, True)]
        if k in new_of and texts[0] != texts[1]:  # its search entry shows its actions' texts
            _check(entry_at is not None)
            assert entry_at is not None
            made_entry = search.entry_of(policy, group, rel, shown(k, True))
            new_entry = search.script_json(made_entry).encode("utf-8")
            entry_at, rows = put_entry(page(piece_name(entry_at[0])), rows, entry_at, new_entry)
        m_new = new_of.get(k, m_k)
        st, front = (inputs.stats[k], fronts[k]) if k in new_of else (rows[k][1], rows[k][2])
        rows[k] = (name, st, front, rows[k][3], True, rel, at, entry_at, rows[k][8])
        blob = pickle.dumps((contexts.written(m_new), actions, updates, near), 5)
        shards[contexts.shard_of(name)][name] = (token, front, "", blob)
    others = [s for s in record.stamps if s[0] not in edits]
    _check(state._as_built(out, others, record.saved - state.RACY_NS) is not False)
    keep = (shards, rests)
    return state.finish(config, path, out, record, inputs, rows, stamps, edits, say, keep)
