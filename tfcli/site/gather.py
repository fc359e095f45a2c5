"""Gather once: the one read model of the repository a site is built from, for one day.

Everything a page shows comes from here, already filtered by the publication policy: the
published meetings, their tracked actions (`actions.track`), the roster, attendance, and the
page address of each meeting and organisation. Pages never go back to the repo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tfcli import digest
from tfcli.action_views import View
from tfcli.actions import Tracked, last_day, sort_key, track
from tfcli.deadlines import unread_dues
from tfcli.model import Config, Meeting, Person, Repo
from tfcli.roster import Roster
from tfcli.site.markdown import slug
from tfcli.site.policy import Policy

# A meeting id that is its own slug (markdown.slug): `2023-06-24`, `2023-06-24-board`.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOON_DAYS = 14  # "due soon" on an organisation's page, as `tf actions --by owner` words it


@dataclass(slots=True)
class Site:
    repo: Repo  # as the policy lets the site see it
    policy: Policy
    today: date
    tracked: list[Tracked]  # by deadline (tracker order)
    roster: Roster
    view: View  # for action_views.as_json
    meeting_page: dict[str, str] = field(default_factory=dict)  # meeting id -> path in site
    org_page: dict[str, str] = field(default_factory=dict)  # organisation -> path in site
    attended: dict[str, list[str]] = field(default_factory=dict)  # org -> meeting ids
    by_org: dict[str, list[Tracked]] = field(default_factory=dict)  # org -> its actions
    by_meeting: dict[str, list[Tracked]] = field(default_factory=dict)  # meeting id -> actions
    soon: dict[str, list[Tracked]] = field(default_factory=dict)  # org -> due soon (digest)
    # An action as pages show it (pages.action), made once: it is on the tracker, on its
    # meeting's page and on its owners' pages, and the render cache keys it once by identity.
    shown: dict[int, dict[str, Any]] = field(default_factory=dict)
    # organisations(), once gathered: it walks every action, and the pages ask 3-4 times.
    orgs: list[str] | None = None
    # (meeting id, "updates", line) of the follow-ups whose `due:` is in error (tf check):
    # deadlines.unread_dues, for the meeting pages' follow-ups.
    unread: set[tuple[str, str, int]] = field(default_factory=set)

    @property
    def group(self) -> str:
        return self.repo.config.group

    def title(self, m: Meeting) -> str:
        return m.title or self.group

    def organisations(self) -> list[str]:
        """tf.yml's organisations in its order, then any other that attended or owns an
        action, by name (worked out once: `gather` asks when `attended` and `tracked` are
        complete)."""
        if self.orgs is None:
            self.orgs = self._organisations()
        return self.orgs

    def _organisations(self) -> list[str]:
        known = [o.name for o in self.repo.config.organisations]
        seen = set(known)
        others: set[str] = set()
        for org in self.attended:
            if org not in seen:
                others.add(org)
        owners = {owner for t in self.tracked for owner in t.action.owners}
        for owner in sorted(owners):  # each once (30,000 actions at 5,000, a few dozen owners)
            others.update(o for o in self.roster.organisations_of(owner) if o not in seen)
        return known + sorted(others, key=str.casefold)

    def actions_of(self, org: str) -> list[Tracked]:
        return self.by_org.get(org, [])


def organisation_of(p: Person, roster: Roster) -> str:
    """The organisation a participant entry stands for: `UNHCR`, `Name (UNHCR)` or a mapping's
    `organisation:`; none ("") for a mapping without one: it names a person."""
    text = p.organisation or ("" if p.is_person else p.name) or ""
    return roster.organisation(text) or text


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


class _Owners(Roster):
    """The roster, each owner's organisations worked out once per build (the tracker, the
    organisation pages and every action's JSON ask for them)."""

    def __init__(self, config: Config):
        super().__init__(config)
        self._orgs: dict[str, tuple[str, ...]] = {}

    def organisations_of(self, owner: str) -> tuple[str, ...]:
        orgs = self._orgs.get(owner)
        if orgs is None:
            orgs = self._orgs[owner] = super().organisations_of(owner)
        return orgs


def due_soon(tracked: list[Tracked], roster: Roster, today: date) -> dict[str, list[Tracked]]:
    """Each organisation's actions due soon, as `digest.groups(tracked, roster, today,
    SOON_DAYS)` has them in its groups' `due_soon` (`tracked` in tracker order): only this
    of the digest, without its words for the other sections (a test holds them equal)."""
    last = last_day(today, SOON_DAYS)
    soon: dict[str, list[Tracked]] = {}
    unowned: list[Tracked] | None = None  # the digest's section of actions nobody owns
    for t in tracked:
        due = t.due
        if not t.is_open or (due is not None and due > last):
            continue
        if not t.owners:
            unowned = unowned or []  # the section is there when any is overdue or undated
            if due is not None and due >= today:
                unowned.append(t)
            continue
        if due is None or due < today:
            continue
        for who in t.owners:
            for org in roster.organisations_of(who):
                mine = soon.setdefault(org, [])
                if not mine or mine[-1] is not t:
                    mine.append(t)
    if unowned is not None:  # last, under its name (as the digest's groups come)
        soon[digest.NO_OWNER] = unowned
    return soon


def gather(repo: Repo, today: date, policy: Policy) -> Site:
    public = policy.filter(repo)
    roster = _Owners(public.config)
    tracked = sorted(track(public), key=sort_key)
    view = View(today, roster, {m.id: m.path for m in public.meetings})  # View.of's
    site = Site(public, policy, today, tracked, roster, view)
    if public.problems:
        site.unread = unread_dues(public)
    taken: set[str] = set()
    # Each participant entry's organisation worked out once: the same few dozen entries
    # recur in every meeting (38,000 at 5,000 meetings).
    org_of: dict[tuple[str | None, str | None, bool], str] = {}
    for m in public.meetings:
        name = m.id if _SLUG.fullmatch(m.id) else slug(m.id)
        site.meeting_page[m.id] = f"meetings/{_unique(name, taken)}.html"
        went: dict[str, None] = {}
        for ps in m.participants.values():
            for p in ps:
                key = (p.organisation, p.name, p.is_person)
                org = org_of.get(key)
                if org is None:
                    org = org_of[key] = organisation_of(p, roster)
                went[org] = None
        for org in went:
            if org:
                site.attended.setdefault(org, []).append(m.id)
    owning: dict[tuple[str, ...], tuple[str, ...]] = {}  # the same few owners on every action
    for t in tracked:
        site.by_meeting.setdefault(t.meeting.id, []).append(t)
        if (orgs := owning.get(owners := t.action.owners)) is None:
            mine = (o for owner in owners for o in roster.organisations_of(owner))
            orgs = owning[owners] = tuple(dict.fromkeys(mine))
        for org in orgs:
            site.by_org.setdefault(org, []).append(t)
    site.soon = due_soon(tracked, roster, today)
    taken = set()
    for org in site.organisations():
        site.org_page[org] = f"organisations/{_unique(slug(org), taken)}.html"
    return site
