"""Per-organisation digest of action points: what is overdue and what is due soon, worded to
be pasted into an e-mail or a chat message (`tf actions --by owner`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tfcli import policy
from tfcli.action_views import View
from tfcli.action_views import as_json as action_json
from tfcli.actions import Tracked, last_day, sort_key
from tfcli.dates import long_date
from tfcli.errors import UsageError
from tfcli.fields import parse_person
from tfcli.output import md_text
from tfcli.roster import Roster


@dataclass
class Entry:
    tracked: Tracked
    shared: str  # "together with UNHCR and IOM, as chairs", or ""
    owned: bool = True  # in a section of an organisation that owns it (else: "no owner yet")

    @property
    def restricted(self) -> bool:
        return not policy.is_public(self.tracked.meeting, self.tracked.action)

    @property
    def text(self) -> str:
        """As the letter may quote it (tfcli.policy): a restricted action marked to its owners,
        by id only in the section the whole group reads."""
        return policy.digest_text(self.tracked.meeting, self.tracked.action, self.owned) or ""


@dataclass
class Group:
    organisation: str
    overdue: list[Entry] = field(default_factory=list)
    due_soon: list[Entry] = field(default_factory=list)
    undated: list[Entry] = field(default_factory=list)  # open, no date: ASAP, ongoing, words
    unowned: bool = False  # the section of the actions nobody owns yet


NO_OWNER = "No owner yet"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _shared(roster: Roster, owner: str, org: str, everyone: list[str]) -> str:
    """How `org` shares the action: 'together with UNHCR and IOM, as chairs'."""
    others = list(dict.fromkeys(o for o in everyone if o != org))
    role = f", as {owner}" if roster.is_role(owner) else ""
    person = parse_person(owner)
    who = f"assigned to {person.name}" if person.organisation and person.name else ""
    together = f"together with {_and(others)}{role}" if others else role.lstrip(", ")
    return "; ".join(x for x in (who, together) if x)


def parse_by(text: str) -> str:
    """`--by`: only `owner` is known."""
    if text.strip().lower() != "owner":
        raise UsageError(f"--by {text} is not known", "use --by owner")
    return "owner"


def groups(
    tracked: Sequence[Tracked],
    roster: Roster,
    today: date,
    within: int,
    owner: str | None = None,
) -> list[Group]:
    """Open actions overdue or due by today + `within` days, and open actions without a date
    (ASAP, ongoing, words tf cannot date: never overdue, but still to do), under each
    organisation that owns them (a role counts for each of its members), in roster order,
    then by name; actions nobody owns yet last, in their own section. With `owner` (as
    `--owner`), only the sections it names: an organisation's own, a role's members', a
    person's organisation."""
    by_org: dict[str, Group] = {}
    last = last_day(today, within)
    only = roster.organisation(owner) if owner else None
    nobody = Group(NO_OWNER, unowned=True)
    for t in sorted(tracked, key=sort_key):
        if not t.is_open or (t.due is not None and t.due > last):
            continue
        if not t.owners:
            if not owner:
                _bucket(nobody, t, today).append(Entry(t, "", owned=False))
            continue
        everyone = [o for who in t.owners for o in roster.organisations_of(who)]
        for who in t.owners:
            if owner and not roster.owns((who,), owner):
                continue
            for org in roster.organisations_of(who):
                if only and org != only:
                    continue
                bucket = _bucket(by_org.setdefault(org, Group(org)), t, today)
                # `t` is the only action added in this turn: checking the last entry is
                # enough (all entries made the digest quadratic in an organisation's actions).
                if not bucket or bucket[-1].tracked is not t:
                    bucket.append(Entry(t, _shared(roster, who, org, everyone)))
    order = {name: i for i, name in enumerate(dict.fromkeys(roster.names.values()))}
    out = sorted(
        by_org.values(), key=lambda g: (order.get(g.organisation, len(order)), g.organisation)
    )
    return out + ([nobody] if nobody.overdue or nobody.due_soon or nobody.undated else [])


def _bucket(g: Group, t: Tracked, today: date) -> list[Entry]:
    if t.due is None:
        return g.undated
    return g.overdue if t.overdue(today) else g.due_soon


def as_json(gs: Sequence[Group], v: View) -> list[dict[str, Any]]:
    """The digest as data: per organisation, the JSON objects of docs/actions.md."""
    return [
        {
            "organisation": None if g.unowned else g.organisation,
            "overdue": [_json(e, v) for e in g.overdue],
            "due_soon": [_json(e, v) for e in g.due_soon],
            "undated": [_json(e, v) for e in g.undated],
        }
        for g in gs
    ]


def _json(e: Entry, v: View) -> dict[str, Any]:
    """The action's JSON object, and whether it is restricted (a key only the digest adds):
    JSON is for the secretariat's scripts, which decide what a letter may quote."""
    return {**action_json(e.tracked, v), "visibility": "restricted" if e.restricted else "public"}


def _strong(text: str) -> str:
    return f"**{text}**"


def _line(e: Entry, today: date, esc: Callable[[str], str], strong: Callable[[str], str]) -> str:
    t = e.tracked
    if t.due is None:  # "as soon as possible", "ongoing", or the words as written
        when = esc(t.due_text) if t.due_text and t.due_kind == "words" else t.hint(today)
    elif t.due_text:
        when = f"due {esc(t.due_text)}, {long_date(t.due)}, {t.hint(today)}"
    else:
        when = f"due {long_date(t.due)}, {t.hint(today)}"
    extra = f"; {esc(e.shared)}" if e.shared else ""
    agreed = f"agreed on {long_date(t.meeting.date)}"
    return f"- {strong(t.id)}: {esc(e.text)} ({when}{extra}; {agreed})"


def _within(within: int) -> str:
    return "today" if within == 0 else f"in the next {within} day{'s' if within != 1 else ''}"


def letter(
    g: Group,
    group_name: str,
    today: date,
    within: int,
    esc: Callable[[str], str] = md_text,
    strong: Callable[[str], str] = _strong,
) -> list[str]:
    """One organisation's message as lines, user text through `esc` (Markdown by default;
    plain text for the text part of an e-mail, tfcli.mail)."""
    days = _within(within)
    out = [
        f"Dear colleagues at {esc(g.organisation)},",
        "",
        f"this is a friendly reminder of the {esc(group_name)} action points in your care.",
        "",
    ]
    if g.unowned:
        out = [
            "Dear colleagues,",
            "",
            f"these {esc(group_name)} action points have no owner yet: "
            "could the group agree who takes each of them?",
            "",
        ]
    if g.overdue:
        out += [f"{strong('Past the agreed date')}: we would be grateful for a short update.", ""]
        out += [_line(e, today, esc, strong) for e in g.overdue] + [""]
    if g.due_soon:
        out += [f"{strong(f'Due {days}:')}", ""]
        out += [_line(e, today, esc, strong) for e in g.due_soon] + [""]
    if g.undated:
        out += [f"{strong('Open, without a date:')}", ""]
        out += [_line(e, today, esc, strong) for e in g.undated] + [""]
    out += [
        "If any of these is already done, a short reply is enough and we will record it. "
        "Thank you for your work!",
        "",
    ]
    return out


def render(gs: Sequence[Group], group_name: str, today: date, within: int) -> str:
    """The digest as Markdown, one section per organisation."""
    days = _within(within)
    out = [
        f"# {md_text(group_name)}: action points by organisation",
        "",
        f"As of {long_date(today)}: action points that are overdue or due {days}, "
        "and open ones without a date.",
        "",
    ]
    if not gs:
        out += ["Nothing is overdue, due soon or open without a date. Thank you all!", ""]
        return "\n".join(out)
    for g in gs:
        out += [f"## {md_text(g.organisation)}", ""]
        out += letter(g, group_name, today, within)
    return "\n".join(out)
