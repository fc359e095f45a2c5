"""Who an owner is: the organisations and roles of tf.yml, the built-in role `all members`,
and `Name (Organisation)`, so that `--owner`, digests and pages agree on who owns what."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from tfcli.fields import parse_person
from tfcli.model import Config


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


ALL_MEMBERS = "all members"  # a built-in role: every organisation of the roster
UNGROUPED = "other"  # roster group for organisations without one, when others have one


class Roster:
    """The organisations and roles of tf.yml, to tell who an owner is."""

    def __init__(self, config: Config):
        self.names: dict[str, str] = {}  # folded name or short name -> organisation name
        for o in config.organisations:
            self.names[fold(o.name)] = o.name
            if o.short:
                self.names.setdefault(fold(o.short), o.name)
        self.roles = {fold(k): v for k, v in config.roles.items()}
        self.role_names = tuple(config.roles)
        if config.organisations and ALL_MEMBERS not in self.roles:  # tf.yml's own wins
            self.roles[ALL_MEMBERS] = tuple(o.name for o in config.organisations)
            self.role_names += (ALL_MEMBERS,)
        self._organisations: dict[str, tuple[str, ...]] = {}

    def organisation(self, text: str) -> str | None:
        return self.names.get(fold(text))

    def is_role(self, text: str) -> bool:
        return fold(text) in self.roles

    def organisations_of(self, owner: str) -> tuple[str, ...]:
        """The organisations behind one owner: a role's members, the organisation of
        'Name (Organisation)', or the organisation itself. Unknown names stand for themselves."""
        if (got := self._organisations.get(owner)) is None:  # thousands of actions, few owners
            got = self._organisations[owner] = self._organisations_of(owner)
        return got

    def _organisations_of(self, owner: str) -> tuple[str, ...]:
        if members := self.roles.get(fold(owner)):
            return tuple(dict.fromkeys(self.organisation(m) or m for m in members))
        person = parse_person(owner)
        org = person.organisation or person.name or owner
        return (self.organisation(org) or org,)

    def owns(self, owners: Iterable[str], query: str) -> bool:
        """Does `query` (an organisation's name or short name, a role, a person) own it?"""
        q = fold(query)
        org = self.organisation(query)
        for owner in owners:
            if fold(owner) == q:
                return True
            orgs = self.organisations_of(owner)
            if org and org in orgs:
                return True
            if not org and not self.is_role(query):
                person = parse_person(owner)
                if (person.name and fold(person.name) == q) or any(fold(o) == q for o in orgs):
                    return True
        return False

    def known(self, query: str) -> bool:
        return self.organisation(query) is not None or self.is_role(query)

    def unknown_owner(self, query: str, owners: Iterable[str]) -> str | None:
        """The error for `--owner X` when X is no organisation or role of tf.yml and no owner
        of any action (`owners`: of every action, any status, as written and after each
        handover), with the nearest of those names; None when X is known."""
        owners = set(owners)
        if self.known(query) or self.owns(owners, query):
            return None
        names = {fold(n): n for n in (*self.names.values(), *self.role_names)}
        for owner in sorted(owners):
            names.setdefault(fold(owner), owner)
            if (name := parse_person(owner).name) and name != owner:
                names.setdefault(fold(name), name)
        near = difflib.get_close_matches(fold(query), sorted(names), n=1, cutoff=0.6)
        hint = f"; did you mean '{names[near[0]]}'?" if near else ""
        roster = "is no organisation or role in tf.yml and " if self.roles or self.names else ""
        return f"'{query}' {roster}owns no action{hint}"
