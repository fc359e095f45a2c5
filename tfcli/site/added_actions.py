"""A meeting added as the newest (tfcli.site.added) with actions of its own, or with follow-ups
that record something (a status, a note, a new deadline or owner) on earlier actions: those
actions tracked again over a small repo, and their pieces put in place by the machinery of
tfcli.site.moves, as tfcli.site.followups does for an edited meeting.

Each new action is tracked over the new meeting alone (no earlier follow-up may name its id:
the kept order's `named`, else the full build); each earlier action a follow-up records on,
over its meeting, the meetings of its history (their kept meetings) and, for its new state,
the new meeting; its old dict, made again, must be the kept one (else the full build). Then:
the new page lists the new actions and the follow-ups; the earlier actions' meeting pages are
rendered again with their kept contexts; the tracker's rows (moved when their order changes),
its counts and the index page's, the owners' organisation pages and the calendar's deadline
events are put in place (moves.aggregates); the tracker's meeting filter gets the new
meeting. A deadline in words, an action restricted in a public build, a follow-up naming an
action of the new meeting or a hidden one: the full build.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tfcli.model import Config, Meeting, Repo
from tfcli.site import moves
from tfcli.site.splice import _check, _template_text

TRACKER = "tracker.html"
Entry = list[Any]  # a kept page context: [meeting as written, actions, updates, near]


def needed(shown: Meeting) -> bool:
    """Whether the new meeting (as the site shows it) changes any action."""
    from tfcli.actions import records

    return bool(shown.actions) or any(records(u) or u.reopened for u in shown.updates)


class Plan:
    """What the new meeting changes in the actions: its page's actions and follow-ups, the
    changed actions (moves.Change), the earlier meetings' new lists of actions by row."""

    def __init__(self) -> None:
        self.actions: list[dict[str, Any]] = []
        self.ups: list[Any] = []
        self.changes: list[moves.Change] = []
        self.listed: dict[int, list[dict[str, Any]]] = {}


def plan(
    config: Config,
    today: date,
    internal: bool,
    rows: list[Any],
    entry: Callable[[int], Entry],
    new: tuple[Meeting, Meeting, str],
    skeleton_ups: Callable[[Meeting], list[Any]],
) -> Plan:
    """The Plan for the new meeting `new` (as written, as shown, its page); else Unsure."""
    from tfcli.action_views import View
    from tfcli.actions import records, track
    from tfcli.policy import is_public
    from tfcli.record import replace
    from tfcli.roster import Roster
    from tfcli.site import pages
    from tfcli.site.followups import _Stub, _unlined
    from tfcli.site.markdown import slug
    from tfcli.site.patch import _shown

    written, shown, new_page = new
    roster = Roster(config)
    by_page = {r[5]: k for k, r in enumerate(rows) if r[5] is not None}
    own = [a.id for a in shown.actions]
    _check(len(set(own)) == len(own) and len(own) == len(written.actions))
    _check(internal or all(is_public(written, a) for a in written.actions))
    _check(all(a.due_text is None for a in shown.actions))
    _check(all(u.due_text is None and u.action_id not in own for u in shown.updates))
    out = Plan()

    def dict_of(t: Any, ms: list[Meeting], page_of: dict[str, str]) -> dict[str, Any]:
        view = View(today, roster, {m.id: m.path for m in ms})
        return pages.action(t, _Stub(today, view, page_of))  # type: ignore[arg-type]

    # Its own actions: tracked over it alone (no follow-up of it names them).
    tracked = {t.id: t for t in track(Repo(config, [shown], [], []))}
    _check(list(tracked) == own)
    for x in own:
        t = tracked[x]
        d = dict_of(t, [shown], {shown.id: new_page})
        out.actions.append(pages.agreed(t, dict(d)))
        out.changes.append((x, None, t, None, d))

    # Earlier actions a follow-up records on.
    recording = [u for u in shown.updates if records(u) or u.reopened]
    _check(len({u.action_id for u in recording}) == len(recording))
    pages_of: dict[str, str] = {}
    hidden = {h for r in rows if r[8] for h in r[8]}
    for u in recording:
        x = u.action_id
        _check(x not in hidden)
        mid = x.split("/")[0]
        p = f"meetings/{slug(mid)}.html"  # a namesake's: told below
        _check(p in by_page)
        k = by_page[p]
        m_k = entry(k)[0]
        _check(m_k.id == mid and rows[k][4])
        pages_of[x] = p
        mine = [d for d in (out.listed.get(k) or entry(k)[1]) if d["id"] == x]
        _check(len(mine) == 1)
        history = [by_page.get(h["meeting_page"]) for h in mine[0]["updates"]]
        _check(None not in history)
        ks = sorted({k, *(h for h in history if h is not None)})
        old_ms = sorted((_shown(entry(n)[0], rows[n][8]) for n in ks), key=lambda m: (m.date, m.id))
        page_of = {entry(n)[0].id: str(rows[n][5]) for n in ks}
        page_of[shown.id] = new_page
        made = []
        for ms in (old_ms, [*old_ms, shown]):
            _check(all(a.due_text is None for m in ms for a in m.actions if a.id == x))
            _check(all(v.due_text is None for m in ms for v in m.updates if v.action_id == x))
            # No loading problems: every meeting here is clean (its row's `clean`, or parsed
            # without one), so none has a `due:` in error (actions.track's INVALID).
            got = [t for t in track(Repo(config, ms, [], [])) if t.id == x]
            _check(len(got) == 1)
            made.append((got[0], dict_of(got[0], ms, page_of)))
        (t_old, d_old), (t_new, d_new) = made
        _check(_unlined(pages.agreed(t_old, dict(d_old))) == _unlined(mine[0]))
        acts = out.listed.setdefault(k, list(entry(k)[1]))
        n = next(n for n, d in enumerate(acts) if d["id"] == x)
        acts[n] = pages.agreed(t_new, dict(d_new))
        out.changes.append((x, t_old, t_new, d_old, d_new))

    # The page's follow-ups: those recording, linked to their action's meeting; the others as
    # the skeleton's (found in the tracker).
    quiet = skeleton_ups(replace(shown, updates=[u for u in shown.updates if u not in recording]))
    quiet_of = iter(quiet)
    for u in shown.updates:
        if u in recording:
            out.ups.append((u, pages_of[u.action_id], pages.follow_up(u)))
        else:
            out.ups.append(next(quiet_of))
    return out


def apply(
    config: Config,
    out_dir: Any,
    token: bytes,
    today: date,
    env: Any,
    policy: Any,
    page: Callable[[str], bytearray],
    plan_: Plan,
    shown: Meeting,
    files: tuple[bytes, bytes],
) -> bool:
    """The tracker, the counts, the owners' pages and the calendar (moves.aggregates), and the
    tracker's meeting filter, for the plan; else Unsure. `files`: the published files before
    and after (files_of). Whether the kept order was written (with the files after)."""
    from tfcli.roster import Roster
    from tfcli.site.splice import _Pieces

    pieces = _Pieces(env)
    named: set[str] = set()
    kept = moves.aggregates(
        config,
        out_dir,
        token,
        today,
        policy.redact,
        Roster(config),
        pieces,
        page,
        plan_.changes,
        ({}, named, files[0]),
        files[1],
    )
    if not shown.actions:
        return kept
    # The meeting filter lists the meetings with an action, the new one last.
    text = _template_text(TRACKER, "{% for mid in meetings %}", "{% endfor %}")
    option = env.from_string(text[len("{% for mid in meetings %}") : -len("{% endfor %}")])
    tracker = page(TRACKER)
    head = b'<select id="f-meeting" data-key="meeting">'
    a = tracker.find(head)
    _check(a >= 0 and tracker.find(head, a + 1) < 0)
    b = tracker.find(b"</select>", a)
    _check(b > a)
    tracker[b:b] = option.render(mid=shown.id).encode("utf-8")
    return kept


__all__ = ["Plan", "apply", "needed", "plan"]
