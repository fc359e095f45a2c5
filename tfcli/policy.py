"""What of a meeting may be published, in one place: pure functions over the model, for any
publisher (`tf render`, exports) and for the rules of `tf check` that guard them.

- A restricted meeting (`visibility: restricted`) publishes nothing.
- In a public meeting, an agenda item marked `visibility: restricted` (and its sub-items),
  its body section (a heading ending in `{.restricted}`), an action marked restricted or
  recorded under a restricted item, and the follow-ups of such actions are left out.
- Contacts are never published; the attendance annex (`attendees:`) only when the publisher
  asks for it.
- A per-organisation digest (`tf actions --by owner`, e-mail drafts) is not published: it is
  an internal letter to the organisation it names. It may quote a restricted action to an
  organisation that owns it, marked so; never to any other, and the section addressed to the
  whole group ("no owner yet") names it by id only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set

from tfcli.model import Action, AgendaItem, Meeting
from tfcli.record import Frozen, init, replace

RESTRICTED_MARK = "{.restricted}"  # pandoc / attr_list heading attribute syntax
# A body longer than this (in characters), or with more `[` than that, is shown on its page
# as written, not formatted as Markdown (`tf check` warns, rule `body-size`): minutes' bodies
# are 2-10 KB with a few links, and markdown-it's work, linear, is up to 6 us a character,
# but 60-130 us for each `[` that opens no link (two minutes for a 2 MiB run of them).
MARKDOWN_LIMIT = 256 * 1024
BRACKET_LIMIT = 4096


def formatted(body: str) -> bool:
    """Whether a site formats `body` as Markdown (else it shows it as written)."""
    return len(body) <= MARKDOWN_LIMIT and body.count("[") <= BRACKET_LIMIT


# Each written to take linear time on any line: a file may hold a single 2 MiB line, and
# `[ \t]+(.*?)[ \t]*\Z` or a search for `[ \t]*{.restricted}` tries every split of a run
# of blanks (15 s on 40 KB of them).
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t](.*))?\Z")
_FENCE = re.compile(r" {0,3}(```+|~~~+)")
_NUMBERING = re.compile(r"(?:\d+(?:\.\d+)*[.)]?|[a-z][.)])\s+", re.IGNORECASE)


class Section(Frozen):
    """A Markdown heading of the body and how far its section reaches (a record, not a
    dataclass: `tf check` imports this module and no dataclass)."""

    __slots__ = ("level", "title", "restricted", "start", "end")
    level: int
    title: str  # without the restricted mark or closing #s
    restricted: bool  # the heading itself carries the mark
    start: int  # 0-based line index in the body
    end: int  # exclusive: the next heading of the same or a higher level

    def __init__(self, level: int, title: str, restricted: bool, start: int, end: int) -> None:
        init(self, level, title, restricted, start, end)


@functools.lru_cache(maxsize=4096)  # asked for every agenda item of every action
def key(title: str) -> str:
    """How a heading is matched to an agenda item: case, spacing, emphasis and a leading
    number (`2.`, `2.1`, `a)`) do not matter."""
    t = " ".join(title.replace("*", "").replace("_", " ").split())
    return _NUMBERING.sub("", t, count=1).casefold()


@functools.lru_cache(maxsize=16)  # the rules and a publisher ask for one body in turn
def sections(body: str) -> tuple[Section, ...]:
    """The ATX headings of a body (outside fenced code), each with its section's extent."""
    lines = body.split("\n")
    found: list[tuple[int, str, bool, int]] = []
    fence = ""
    for i, line in enumerate(lines):
        if m := _FENCE.match(line):
            if not fence:
                fence = m[1][0] * 3
            elif m[1].startswith(fence):
                fence = ""
            continue
        if fence or not (m := _HEADING.match(line)):
            continue
        text = (m[2] or "").strip(" \t")
        if (bare := text.rstrip("#")) != text and bare[-1:] in (" ", "\t"):
            text = bare.rstrip(" \t")  # closing #s
        if marked := text.endswith(RESTRICTED_MARK):
            text = text[: -len(RESTRICTED_MARK)]
        found.append((len(m[1]), text.strip(), marked, i))
    # A section ends at the next heading of its level or a higher one: the headings still
    # open are a stack (a search of the headings after each one would be quadratic).
    ends = [len(lines)] * len(found)
    open_: list[int] = []
    for n, (level, _, _, start) in enumerate(found):
        while open_ and found[open_[-1]][0] >= level:
            ends[open_.pop()] = start
        open_.append(n)
    out = [
        Section(level, title, marked, start, end)
        for (level, title, marked, start), end in zip(found, ends, strict=True)
    ]
    return tuple(out)


def agenda_items(m: Meeting) -> tuple[AgendaItem, ...]:
    """Every agenda item of the meeting, sub-items included, in order."""
    return tuple(i for item in m.agenda for i in item.walk())


def all_items_public(m: Meeting) -> bool:
    """Whether no agenda item (nor sub-item) of the meeting is restricted: most meetings."""
    for item in m.agenda:  # without making agenda_items(m)'s tuple
        if item.visibility != "public":
            return False
        if item.items and any(i.visibility != "public" for i in item.walk()):
            return False
    return True


def item_of(m: Meeting, title: str | None) -> AgendaItem | None:
    """The agenda item an action's `agenda:` or a heading names."""
    if not title:
        return None
    k = key(title)
    for item in m.agenda:  # as agenda_items(m) lists them, without making that tuple
        for i in item.walk() if item.items else (item,):
            if key(i.title) == k:
                return i
    return None


def is_public(m: Meeting, part: AgendaItem | Action | Section | None = None) -> bool:
    """Whether the meeting (no `part`) or one part of it may be published."""
    if m.visibility != "public":
        return False
    if part is None:
        return True
    if isinstance(part, AgendaItem):
        return part.visibility == "public"
    if isinstance(part, Section):
        return not any(s.start <= part.start < s.end for s in restricted_sections(m))
    item = item_of(m, part.agenda)
    return part.visibility == "public" and (item is None or item.visibility == "public")


def action_text_for(t_meeting: Meeting, action: Action, audience: str) -> str:
    """An action's text as a document for `audience` (a meeting's visibility) may quote it:
    a restricted action (or one of a restricted meeting) is named by its id only in a public
    agenda or skeleton, which the whole group reads and may publish."""
    if audience != "public" or is_public(t_meeting, action):
        return action.text
    return f"(restricted: see the minutes of {t_meeting.id})"


DIGEST_MARK = "(restricted)"


def digest_text(t_meeting: Meeting, action: Action, owned_by_reader: bool) -> str | None:
    """An action's text in a digest addressed to one organisation (`owned_by_reader`: it owns
    the action) or to the whole group (False): a public action as written; a restricted one
    marked to its owners, by id only to the group. None: not at all (no other organisation's
    letter ever lists it; tfcli.digest only files an action under its owners)."""
    if is_public(t_meeting, action):
        return action.text
    return (
        f"{action.text} {DIGEST_MARK}"
        if owned_by_reader
        else action_text_for(t_meeting, action, "public")
    )


def follow_up_is_public(m: Meeting, target: Meeting | None, action: Action | None) -> bool:
    """A follow-up in `m` (an `updates:` entry) of `action`, agreed in `target`: published
    with its meeting, unless the action it follows is not (its note would tell of it)."""
    if not is_public(m):
        return False
    return target is None or action is None or is_public(target, action)


def restricted_sections(m: Meeting) -> list[Section]:
    """Sections marked restricted, and those of restricted agenda items even when the mark
    was forgotten (`tf check` reports that; a publisher still leaves them out)."""
    hidden = {key(i.title) for i in agenda_items(m) if i.visibility != "public"}
    if not hidden and RESTRICTED_MARK not in m.body:
        return []
    return [s for s in sections(m.body) if s.restricted or key(s.title) in hidden]


def public_body(m: Meeting) -> str:
    """The body without its restricted sections (nothing when the meeting is restricted)."""
    if not is_public(m):
        return ""
    hidden = restricted_sections(m)
    if not hidden:  # the common case: the body as it is (split and joined, the same text)
        return m.body
    lines = m.body.split("\n")
    drop = [False] * len(lines)
    for s in hidden:
        drop[s.start : s.end] = [True] * (s.end - s.start)
    return "\n".join(line for line, gone in zip(lines, drop, strict=True) if not gone)


def marks_in_words(body: str) -> str:
    """The body for a reader of an internal build: a restricted heading says "(restricted)"
    instead of its `{.restricted}` mark, which is syntax for tf, not words for a person."""
    if RESTRICTED_MARK not in body:
        return body
    lines = body.split("\n")
    for s in sections(body):
        if s.restricted:
            head, _, tail = lines[s.start].rpartition(RESTRICTED_MARK)
            lines[s.start] = f"{head.rstrip()} (restricted){tail}"
    return "\n".join(lines)


def publishes_attendees(include_attendees: bool = False) -> bool:
    """The attendance annex names people: published only when asked (contacts never are)."""
    return include_attendees


def hidden_actions(meetings: list[Meeting]) -> set[str]:
    """Ids of the actions no publisher may show (restricted, or of a restricted meeting or
    item): their follow-ups in later public minutes are left out too."""
    hidden: set[str] = set()
    for m in meetings:
        if not m.actions:
            continue
        if m.visibility != "public":
            hidden.update(a.id for a in m.actions)
            continue
        if all_items_public(m):  # the common case: no item to look up
            hidden.update(a.id for a in m.actions if a.visibility != "public")
            continue
        # is_public(m, a) for each action, with the meeting's items looked up once (by
        # key, the first of equal keys, as item_of finds it): O(items + actions).
        items: dict[str, str] = {}
        for i in agenda_items(m):
            items.setdefault(key(i.title), i.visibility)
        for a in m.actions:
            seen = items.get(key(a.agenda)) if a.agenda else None
            if a.visibility != "public" or seen not in (None, "public"):
                hidden.add(a.id)
    return hidden


def _items(items: tuple[AgendaItem, ...]) -> tuple[AgendaItem, ...]:
    if all(i.visibility == "public" for item in items for i in item.walk()):
        return items  # nothing to leave out: the same (frozen) items, not copies
    return tuple(replace(i, items=_items(i.items)) for i in items if i.visibility == "public")


def public_view(m: Meeting, hidden: Set[str]) -> Meeting:
    """A copy of a public meeting as it may be published: restricted agenda items, actions,
    follow-ups of `hidden` actions and body sections left out, no attendance annex and no
    contacts. The meeting itself when none of these is in it (it is frozen; most are so)."""
    agenda, body = _items(m.agenda), public_body(m)
    actions = m.actions
    if hidden and any(a.id in hidden for a in actions):
        actions = tuple(a for a in actions if a.id not in hidden)
    updates = m.updates
    if hidden and any(u.action_id in hidden for u in updates):
        updates = tuple(u for u in updates if u.action_id not in hidden)
    same = agenda is m.agenda and actions is m.actions and updates is m.updates
    if same and body is m.body and not m.attendees and not m.contacts:
        return m
    return replace(
        m, agenda=agenda, actions=actions, updates=updates, body=body, attendees={}, contacts=()
    )
