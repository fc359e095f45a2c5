"""A rebuild after a meeting's front matter changed in fields that only its own page, its row
of the meetings list, its line on the index page, its search entry and its calendar event
show (title, time, place, chairs, status...: DISPLAY), with or without its body: no meeting
but the changed ones is parsed, no action tracked, no other page rendered.

A full build keeps, per published meeting, what its page is made of besides the meeting
itself and the meeting as written (tfcli.site.contexts). A rebuild whose changed files
differ from the kept meetings in DISPLAY fields (and bodies) only renders each one's page
with that context, and puts its new row, line, entry and event in place of the old ones in
the other files (found by their old text, exactly once, else the full build). Who attended
(`participants:`) changes the attendance matrix and organisation pages too: tfcli.site.people
puts them in place. Any other field can change other pages (an action, a follow-up, the date,
the agenda's restricted items...): the full build.
"""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.model import Action, AgendaItem, Config, Meeting, Update
from tfcli.record import fields, replace
from tfcli.site import contexts, state
from tfcli.site.built import put_entry
from tfcli.site.contexts import Shard
from tfcli.site.state import Rebuild

if TYPE_CHECKING:
    from jinja2 import Environment

    from tfcli.site import Result
    from tfcli.site.policy import Policy

# Fields no page but the meeting's own, the meetings list, the index page, the search index
# and the calendar shows, and that nothing else is worked out from (tracking, the policy,
# attendance, deadlines in words, page addresses). `next_meeting` and `agenda` are not here:
# deadlines and the policy read them.
DISPLAY = frozenset(
    {
        "title",
        "time",
        "end_time",
        "location",
        "chair",
        "co_chairs",
        "rapporteurs",
        "duration",
        "purpose",
        "language",
        "postponed",
        "status",
        "silence_until",
        "previous",
        "links",
        "regrets",
    }
)
# Compared without their line numbers (no page prints one; a field added above them moves
# them all alike, so their order stays), and the body's first line is printed nowhere.
_LINED = frozenset({"actions", "updates", "agenda"})
_OTHERS = tuple(
    f for f in fields(Meeting) if f not in DISPLAY and f not in ("body", "spans", "body_line")
)


def _unlined(value: Any) -> Any:
    """Actions, follow-ups and agenda items with line 0 (and so their sub-items)."""
    if isinstance(value, tuple):
        return tuple(_unlined(v) for v in value)
    if isinstance(value, AgendaItem):
        return replace(value, line=0, items=_unlined(value.items))
    if isinstance(value, Action | Update):
        return replace(value, line=0)
    return value


def _same(m: Meeting, old: Meeting) -> bool:
    """Whether `m` is `old` but for DISPLAY fields, who attended (tfcli.site.people puts the
    attendance in place), its body and line numbers."""
    from tfcli.site.people import FIELDS

    for f in _OTHERS:
        if f in FIELDS:
            continue
        new, was = getattr(m, f), getattr(old, f)
        if new != was and (f not in _LINED or _unlined(new) != _unlined(was)):
            return False
    return True


MAX_CHANGED = 16  # files this path parses: more, and the full build is as quick

MEETINGS, INDEX, CALENDAR = ("meetings.html", "index.html", "calendar.ics")


def _loop_body(name: str, head: str) -> str | None:
    """The text a built-in template repeats for each item of the loop `head` opens."""
    from tfcli.site.render import BUILTIN

    text = (BUILTIN / name).read_text("utf-8")
    start = text.find(head)
    end = text.find("{% endfor %}", start)
    if start < 0 or end < 0 or text.count(head) != 1:
        return None
    return text[start + len(head) : end]


def _swap(data: bytearray, old: bytes, new: bytes, must: bool) -> bool:
    """`old` replaced by `new` in `data`, when `old` is there exactly once (or, unless
    `must`, not at all: a line the page does not show)."""
    at = data.find(old)
    if at < 0:
        return not must
    if data.find(old, at + 1) >= 0:
        return False
    data[at : at + len(old)] = new
    return True


class _Pieces:
    """The environment and the loop bodies of the built-in templates a patch renders."""

    def __init__(self, config: Config, policy: Policy, out: Path, rest: bytes) -> None:
        from tfcli.site.render import environment

        self.env: Environment = environment(None, policy)
        contexts.compiled(self.env, config, out, rest)
        self.row = self._template(MEETINGS, "{% for m, page in items %}")
        self.item = self._template(INDEX, "{% for m, page in recent %}")
        self.next = self._section(INDEX, '<section aria-labelledby="h-next">')

    def _section(self, name: str, head: str) -> Any:
        """The built-in template's text from `head` to its section's end, compiled."""
        from tfcli.site.render import BUILTIN

        text = (BUILTIN / name).read_text("utf-8")
        start = text.find(head)
        end = text.find("</section>", start)
        if start < 0 or end < 0 or text.count(head) != 1:
            return None
        return self.env.from_string(text[start : end + len("</section>")])

    def _template(self, name: str, head: str) -> Any:
        body = _loop_body(name, head)
        return None if body is None else self.env.from_string(body)


def patch(r: Rebuild) -> Result | None:
    """The site as a full build would make it, when the files that changed since the last
    build (at most MAX_CHANGED, the same files) changed in DISPLAY fields and bodies only;
    else None."""
    from tfcli.site.patch import _body_digest, _front_digest, _shown, changed_files, read_built
    from tfcli.site.policy import Policy

    token = r.last.token
    changed = changed_files(r.last, r.inputs) if token else None
    if not changed or len(changed) > MAX_CHANGED:
        return None
    rows = list(r.last.rows)
    shards: dict[int, Shard] = {}
    rests: dict[int, bytes] = {}
    policy = Policy(include_restricted=r.internal)
    work: list[tuple[int, Meeting, Meeting, Meeting, Any, bytes]] = []
    for i in changed:
        name, _, digest, _, clean, page, _, entry_at, hidden = rows[i]
        if not clean or page is None or entry_at is None:
            return None
        n = contexts.shard_of(name)
        if n not in shards:
            got = contexts.read(contexts.shard_file(r.config, r.out, n))
            if got is None:
                return None
            rests[n], shards[n] = got
        kept_entry = shards[n].get(name)
        if kept_entry is None or kept_entry[0] != token or kept_entry[1] != digest:
            return None
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError:
            return None
        m, problems = r.meeting(name, data)
        front = _front_digest(data)
        if m is None or problems or front is None:
            return None
        values, actions, updates, near = pickle.loads(kept_entry[3])
        old = Meeting(*values)
        if not _same(m, old):
            return None
        # The index page's next meeting is the first meeting from today on (meetings are
        # in date order): its date, time, place and agenda are printed there.
        first = m.date >= r.today and (near[0] is None or near[0][1] < r.today)
        ctx = (actions, updates, near, first)
        work.append((i, m, _shown(m, hidden), _shown(old, hidden), ctx, front))
    pieces = _Pieces(r.config, policy, r.out, r.last.rest)
    if pieces.row is None or pieces.item is None or pieces.next is None:
        return None
    edits: dict[str, bytearray] = {}
    from tfcli.site.search import piece_name

    for i, *_ in work:
        entry_at = rows[i][7]
        assert entry_at is not None  # checked above
        edits[str(rows[i][5])] = edits[piece_name(entry_at[0])] = bytearray()
    for rel in (MEETINGS, INDEX, CALENDAR):
        edits[rel] = bytearray()
    others = [s for s in r.last.stamps if s[0] not in edits]
    if state._as_built(r.out, others, r.last.saved - state.RACY_NS) is False:
        return None
    stamps = {rel: (d, st) for rel, d, st in r.last.stamps}
    for rel in edits:
        built = read_built(r.out, rel, stamps, r.last.saved - state.RACY_NS)
        if built is None:
            return None
        edits[rel] = built
    group = r.config.group
    tz = r.config.timezone
    attendance: list[tuple[str, Meeting, Meeting]] = []  # who attended: people.splice
    for i, m, shown, was, (actions, updates, near, first), front in work:
        name, _, _, body, _, page, body_at, entry_at, hidden = rows[i]
        assert page is not None and entry_at is not None  # checked above
        html, at = _page(
            pieces.env,
            page,
            policy,
            group,
            r.today,
            r.internal,
            shown,
            actions,
            updates,
            near,
            bytes(edits[page]),
            body_at,
            body == _body_digest(m),
        )
        if html is None:
            return None
        edits[page][:] = html
        args = {"group": group}
        for rel, template in ((MEETINGS, pieces.row), (INDEX, pieces.item)):
            old_text = template.render(m=was, page=page, **args).encode("utf-8")
            new_text = template.render(m=shown, page=page, **args).encode("utf-8")
            if old_text != new_text and not _swap(edits[rel], old_text, new_text, rel == MEETINGS):
                return None
        if first:
            from tfcli.site.pages import next_of

            old_text, new_text = (
                pieces.next.render(next=next_of(x, page), **args).encode("utf-8")
                for x in (was, shown)
            )
            if old_text != new_text and not _swap(edits[INDEX], old_text, new_text, True):
                return None
        from tfcli.site import ics, search

        old_event, old_zoned = ics.meeting_event(policy, group, tz, was)
        new_event, new_zoned = ics.meeting_event(policy, group, tz, shown)
        if old_zoned != new_zoned or not _swap(edits[CALENDAR], old_event, new_event, True):
            return None
        new = search.script_json(search.entry_of(policy, group, page, shown)).encode("utf-8")
        entry_at, rows = put_entry(edits[piece_name(entry_at[0])], rows, entry_at, new)
        rows[i] = (
            name,
            r.inputs.stats[i],
            front,
            _body_digest(m),
            True,
            page,
            at,
            entry_at,
            hidden,
        )
        blob = pickle.dumps((contexts.written(m), actions, updates, near), 5)
        shards[contexts.shard_of(name)][name] = (token, front, "", blob)  # made here: no page key
        attendance.append((page, was, shown))
    from tfcli.site import people

    def read(rel: str) -> bytearray | None:
        if rel not in edits:
            built = read_built(r.out, rel, stamps, r.last.saved - state.RACY_NS)
            if built is None:
                return None
            edits[rel] = built
        return edits[rel]

    if not people.splice(r.config, pieces.env, attendance, read):
        return None
    keep = (shards, rests)
    return state.finish(r.config, r.path, r.out, r.last, r.inputs, rows, stamps, edits, r.say, keep)


def _page(
    env: Environment,
    page: str,
    policy: Policy,
    group: str,
    today: date,
    internal: bool,
    m: Meeting,
    actions: list[dict[str, Any]],
    updates: list[Any],
    near: tuple[Any, Any],
    old: bytes,
    body_at: tuple[int, int] | None,
    same_body: bool,
) -> tuple[bytes | None, tuple[int, int] | None]:
    """`m`'s page as pages.meeting and the build make it, its body taken from the old page
    when it did not change."""
    from markupsafe import Markup

    from tfcli.dates import long_date
    from tfcli.site import _where
    from tfcli.site.markdown import markdown
    from tfcli.site.pages import SITE_LANG, duration
    from tfcli.site.policy import safe_url
    from tfcli.site.render import render

    if same_body and body_at is not None:
        body = old[body_at[0] : body_at[1]].decode("utf-8")
    else:
        from tfcli.site.markdown import make_renderer

        body = make_renderer()(*markdown(policy, m))
    prev, nxt = ((Meeting(Path(), x[0], x[1]), x[2]) if x else None for x in near)
    ctx = {
        "root": "../" * page.count("/"),
        "group": group,
        "internal": internal,
        "today": today,
        "title": f"{m.title or group}, {long_date(m.date)}",
        "m": m,
        "lang": m.language if m.language and m.language.casefold() != SITE_LANG else None,
        "duration": duration(m.duration),
        "actions": actions,
        "updates": updates,
        "links": [(link.title, safe_url(link.url)) for link in m.links],
        "prev": prev,
        "next": nxt,
        "body": Markup(body),
    }
    html = render(env, "meeting.html", ctx).encode("utf-8")
    return html, _where(html, Markup(body))
