"""Each page's context, from the gathered site. Pure: no I/O, no HTML (the templates make it).

A Page names its place in the site, its template and its context; `Page.root` is the
relative way back to the site's root, so that every link works opened from disk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from tfcli.action_views import as_json, owner_label, when_style
from tfcli.actions import Tracked
from tfcli.dates import long_date
from tfcli.deadlines import INVALID, INVALID_DUE
from tfcli.model import CLOSED_STATUSES, Meeting, Update
from tfcli.policy import is_public
from tfcli.site import closed
from tfcli.site.gather import SOON_DAYS, Site, organisation_of
from tfcli.site.markdown import markdown, slug
from tfcli.site.policy import safe_url
from tfcli.site.search import pieces

RECENT = 10  # meetings on the index page
SITE_LANG = "en"  # the language of the site's own words (base.html's `lang`)


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # in the site, '/'-separated
    template: str
    context: dict[str, Any]
    markdown: tuple[str, str] | None = None  # (text, doc id): rendered as `body` when needed

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


@cache
def _org_slug(name: str) -> str:
    """Slugs of owners' organisations, made once each: a few dozen names on thousands of
    rows (folding a name is a tenth of a rebuild's page dicts)."""
    return slug(name)


def action(t: Tracked, site: Site) -> dict[str, Any]:
    """An action as pages show it: the tracker row and the documented JSON object
    (action_views), plus where its meeting's page is and which organisations own it. Made
    once per build (pages share it; nothing changes it)."""
    d = site.shown.get(id(t))
    if d is not None:
        return d
    d = site.shown[id(t)] = as_json(t, site.view)
    # The tracker row's fields (action_views.row) from what the JSON object has already
    # worked out; `due` stays the date to format, `due_text` the agreed words beside it.
    d["overdue"] = "overdue" if d["overdue"] else ""
    d["when"] = d["hint"]
    d["when_style"] = when_style(t, site.today)
    d["status_style"] = None if t.is_open else "dim"  # done and dropped fade
    d["owner"] = owner_label(t.owners)
    pages = site.meeting_page
    d["meeting_page"] = pages.get(t.meeting.id)
    d["org_slugs"] = " ".join(_org_slug(o) for o in d["organisations"])
    # A `due:` in error (tf check names it) is not the absence of one: "invalid due date",
    # as every view of tf says (action_views.undated), the action's and a follow-up's.
    d["invalid_due"] = t.due_kind == INVALID
    ds = t.deadlines  # (the action's own, then one per follow-up)
    for n, u in enumerate(d["updates"], 1):
        u["meeting_page"] = pages.get(u["meeting"])
        u["invalid_due"] = n < len(ds) and (x := ds[n]) is not None and x.kind == INVALID
    return d


def _counts(site: Site) -> dict[str, int]:
    return {
        "open": sum(t.is_open for t in site.tracked),
        "overdue": sum(t.overdue(site.today) for t in site.tracked),
        "closed": sum(not t.is_open for t in site.tracked),
    }


def next_of(m: Meeting, page: str) -> dict[str, Any]:
    """The index page's next meeting when its minutes are prepared: `m`, on `page` (also
    what tfcli.site.fields puts in place when one of its fields changes)."""
    return {
        "date": m.date,
        "time": m.time,
        "end_time": m.end_time,
        "location": m.location,
        "agenda": [i.title for i in m.agenda],
        "page": page,
    }


def _next_meeting(site: Site) -> dict[str, Any] | None:
    """The next meeting: one already prepared (dated today or later), else what the latest
    minutes say of it (`next_meeting:`)."""
    meetings = site.repo.meetings
    upcoming = [m for m in meetings if m.date >= site.today]
    if upcoming:
        return next_of(upcoming[0], site.meeting_page[upcoming[0].id])
    if meetings and (nm := meetings[-1].next_meeting):
        return {
            "date": nm.date,
            "time": nm.time,
            "end_time": nm.end_time,
            "location": nm.location,
            "agenda": list(nm.agenda),
            "page": None,
        }
    return None


def index(site: Site) -> Page:
    recent = list(reversed(site.repo.meetings[-RECENT:]))
    ctx: dict[str, Any] = {"title": site.group, "counts": _counts(site)}
    ctx["next"] = _next_meeting(site)
    ctx["recent"] = [(m, site.meeting_page[m.id]) for m in recent]
    ctx["meetings"] = len(site.repo.meetings)
    return Page("index.html", "index.html", ctx)


def meeting(site: Site, m: Meeting, i: int) -> Page:
    ms = site.repo.meetings
    prev_m, next_m = (ms[i - 1] if i > 0 else None), (ms[i + 1] if i + 1 < len(ms) else None)
    mine = sorted(site.by_meeting.get(m.id, ()), key=lambda t: t.action.line)
    ctx = {
        "title": f"{site.title(m)}, {long_date(m.date)}",
        "m": m,
        # The minutes' own words carry their language when it is not the site's (WCAG 3.1.2).
        "lang": m.language if m.language and m.language.casefold() != SITE_LANG else None,
        "duration": duration(m.duration),
        "actions": [agreed(t, action(t, site)) for t in mine],
        "updates": [
            (
                u,
                site.meeting_page.get(u.action_id.split("/")[0]),
                follow_up(u, (m.id, "updates", u.line) in site.unread),
            )
            for u in m.updates
        ],
        "links": [(link.title, safe_url(link.url)) for link in m.links],
        "prev": (prev_m, site.meeting_page[prev_m.id]) if prev_m else None,
        "next": (next_m, site.meeting_page[next_m.id]) if next_m else None,
    }
    return Page(site.meeting_page[m.id], "meeting.html", ctx, markdown(site.policy, m))


def follow_up(u: Update, invalid: bool = False) -> str:
    """What a follow-up recorded, in words: `status done; due next meeting; handed over to
    IOM; the note; 28 April 2023: a later note`; `invalid`: its `due:` is in error."""
    due = u.due_text or (long_date(u.due) if u.due else None)
    parts = [
        f"status {u.status}" if u.status else "",
        f"due {due}" if due else INVALID_DUE if invalid else "",
        f"handed over to {', '.join(u.owners)}" if u.owners else "",
        u.note or "",
        *(f"{long_date(n.date)}: {n.text}" if n.date else n.text for n in u.notes),
    ]
    # A follow-up with only its `action:` line (as `tf new-meeting` carries open actions
    # forward) records nothing: no history event, and the page must not claim it was discussed.
    return "; ".join(p for p in parts if p) or "nothing recorded"


def duration(minutes: int | None) -> str | None:
    """`90` -> `1 h 30 min`, `120` -> `2 h`, `45` -> `45 min`."""
    if not minutes:
        return None
    h, mins = divmod(minutes, 60)
    return " ".join(x for x in (f"{h} h" if h else "", f"{mins} min" if mins else "") if x)


def agreed(t: Tracked, d: dict[str, Any]) -> dict[str, Any]:
    """A meeting page shows what the meeting agreed when it is no longer what holds: the
    deadline in its words with the date they resolved to, and the first owners. A copy: the
    action's dict is shared by every page of the build (the tracker must not show these)."""
    d = dict(d)
    first = t.deadlines[0] if t.deadlines else None
    if first and (first.day, first.text) != (t.due, t.due_text):
        d["agreed_due"] = {"text": first.text, "day": first.day}
    if first and first.kind == INVALID and t.due_kind != INVALID:  # re-dated since
        d["agreed_due"] = {"text": INVALID_DUE, "day": None}
    if t.owners != t.action.owners:
        d["agreed_owner"] = owner_label(t.action.owners)
    if not is_public(t.meeting, t.action):  # only an internal build has it: say so
        d["restricted"] = True
    return d


def tracker(site: Site) -> Page:
    rows = [action(t, site) for t in site.tracked]
    owners = [(slug(o), o) for o in site.organisations() if site.actions_of(o)]
    meetings = [m.id for m in site.repo.meetings if m.actions]
    ctx: dict[str, Any] = {"title": "Action tracker", "rows": rows, "owners": owners}
    ctx["meetings"] = meetings
    ctx["counts"] = _counts(site)
    return Page("tracker.html", "tracker.html", ctx)


def organisation(site: Site, org: str) -> Page:
    mine = [action(t, site) for t in site.actions_of(org)]
    shut = [t for t in site.actions_of(org) if t.status in CLOSED_STATUSES]
    roles = [
        r
        for r, members in site.repo.config.roles.items()
        if org in (site.roster.organisation(x) or x for x in members)
    ]
    due_soon = [action(t, site) for t in site.soon.get(org, ())]
    attended = site.attended.get(org, [])
    total = len(site.repo.meetings)
    ctx = {
        "title": org,
        "org": org,
        "overdue": [a for a in mine if a["overdue"]],
        "due_soon": due_soon,
        "open": [a for a in mine if a["status"] not in ("done", "dropped") and not a["overdue"]],
        # By what their compact rows show: tfcli.site.closed.
        "closed": [action(t, site) for t in closed.ordered(shut)],
        "roles": roles,
        "attended": [(mid, site.meeting_page[mid]) for mid in attended],
        "rate": _rate(len(attended), total),
        "total": total,
        "soon_days": SOON_DAYS,
    }
    return Page(site.org_page[org], "organisation.html", ctx)


def _rate(n: int, total: int) -> str:
    return f"{round(100 * n / total)}%" if total else "–"


def attendance(site: Site) -> Page:
    ms = site.repo.meetings
    rows = []
    for org in site.organisations():
        went = set(site.attended.get(org, ()))
        cells = [m.id in went for m in ms]
        rows.append((org, site.org_page[org], cells, len(went), _rate(len(went), len(ms))))
    cols = [(m, site.meeting_page[m.id]) for m in ms]
    return Page(
        "attendance.html", "attendance.html", {"title": "Attendance", "rows": rows, "cols": cols}
    )


def decisions(site: Site) -> Page:
    items = [(m, site.meeting_page[m.id], d) for m in site.repo.meetings for d in m.decisions]
    return Page("decisions.html", "decisions.html", {"title": "Decisions", "items": items})


def meetings(site: Site) -> Page:
    items = [(m, site.meeting_page[m.id]) for m in reversed(site.repo.meetings)]
    return Page("meetings.html", "meetings.html", {"title": "Meetings", "items": items})


def search(site: Site) -> Page:
    files = [name for name, _, _ in pieces(len(site.repo.meetings))]
    return Page("search.html", "search.html", {"title": "Search", "index_files": files})


# The pages that join every meeting but show no action's dict: plan's attendance,
# decisions, meetings, index and search, after the tracker and the organisation pages.
_WHOLE = 5


def plan(site: Site) -> list[Callable[[], Page]]:
    """Every page, as the function that makes it: a page's context is made where the page
    is rendered (in a worker, when pages render in parallel). The big ones come first:
    pages start in this order, and a long one started last leaves the other cores idle."""
    return [
        partial(tracker, site),
        *(partial(organisation, site, org) for org in site.organisations()),
        partial(attendance, site),
        partial(decisions, site),
        partial(meetings, site),
        partial(index, site),
        partial(search, site),
        *(partial(meeting, site, m, i) for i, m in enumerate(site.repo.meetings)),
    ]


def showing_all(site: Site) -> int:
    """How many of `plan`'s first pages need every action's dict (the tracker and the
    organisation pages); the others need their own meeting's at most."""
    return 1 + len(site.organisations())


def forked_order(site: Site) -> list[int]:
    """`plan`'s pages in the order for a worker forked before any action's dict is made
    (tfcli.site.parallel: this process takes from the front, the worker from the back):
    the pages that need no dict, then the meeting pages by how many actions they show (this
    process makes its meetings' dicts again, the worker has them all), then the pages that
    show every action, the tracker last (the worker's first: it makes every dict)."""
    heavy = showing_all(site)
    small = heavy + _WHOLE
    by_meeting = site.by_meeting
    ms = site.repo.meetings
    mine = sorted(range(len(ms)), key=lambda i: len(by_meeting.get(ms[i].id, ())))
    return [*range(heavy, small), *(small + i for i in mine), *reversed(range(heavy))]


def all_pages(site: Site) -> Iterator[Page]:
    yield index(site)
    yield meetings(site)
    for i, m in enumerate(site.repo.meetings):
        yield meeting(site, m, i)
    yield tracker(site)
    for org in site.organisations():
        yield organisation(site, org)
    yield attendance(site)
    yield decisions(site)
    yield search(site)


__all__ = ["Page", "all_pages", "organisation_of", "plan"]
