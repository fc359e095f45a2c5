"""Who an owner is: the organisations and roles of tf.yml, the built-in role `all members`,
and `Name (Organisation)`, so that `--owner`, digests and pages agree on who owns what."""

from __future__ import annotations

import difflib
import re
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
        self.shorts = {o.name: o.short for o in config.organisations}  # for hints
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
        near = self.nearest(query, owners)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        roster = "is no organisation or role in tf.yml and " if self.roles or self.names else ""
        return f"'{query}' {roster}owns no action{hint}"

    def nearest(self, query: str, owners: Iterable[str]) -> list[str]:
        """What `query` most likely meant, quoted for a hint (at most 3): a name of the roster,
        a short name, a role or an owner written the same but for case, spaces and dots
        (`I.O.M.`), as initials (`International Organization for Migration` for `IOM`), in part
        (`Ministry of Labour`, `La Strada Moldova`), else by spelling (`State Chancelery`).
        An organisation is offered with its short name: 'Ministry of ...' (MLSP)."""
        names: dict[str, tuple[str, str]] = {}  # folded -> (as written, whom it names)
        for org, short in self.shorts.items():
            names.setdefault(fold(org), (org, org))
            if short:
                names.setdefault(fold(short), (short, org))
        for role in self.role_names:
            names.setdefault(fold(role), (role, role))
        for owner in sorted(owners):
            for name in (owner, parse_person(owner).name):
                if name:
                    names.setdefault(fold(name), (name, self.organisation(owner) or owner))
        keys = sorted(names)
        q, squashed, words = fold(query), _squash(query), set(_words(query))
        found = (
            [k for k in keys if _squash(k) == squashed]
            or [k for k in keys if _initials(q) == _squash(k) or _initials(k) == squashed]
            or [k for k in keys if words & _significant(k) and words <= set(_words(k))]
            or [k for k in keys if _significant(k) and set(_words(k)) <= words]
            or spelled_like(q, keys)
        )
        out: dict[str, str] = {}  # whom -> how it is offered
        for k in found:
            written, whom = names[k]
            short = self.shorts.get(whom)
            if whom in out:
                continue
            if short and fold(short) != fold(whom):  # the form nearer what was typed first
                first, other = (
                    (short, whom) if k == fold(short) and len(query.split()) < 2 else (whom, short)
                )
                out[whom] = f"'{first}' ({other})"
            else:
                out[whom] = f"'{written}'"
        return list(out.values())[:3]

    def short_for(self, text: str) -> str | None:
        """The organisation of the roster without a short name whose initials `text` is
        (`IOM` for International Organization for Migration): `short: IOM` would make it
        one."""
        squashed = _squash(text)
        found = [o for o, s in self.shorts.items() if not s and _initials(o) == squashed]
        return found[0] if len(found) == 1 else None


_SMALL = frozenset({"of", "for", "and", "the", "in", "on", "to", "at", "&"})


def _squash(text: str) -> str:
    """`I.O.M.` and `iom`, `People-in-Need` and `people in need`: the same."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _significant(text: str) -> set[str]:
    return set(_words(text)) - _SMALL


def _initials(text: str) -> str | None:
    """`International Organization for Migration` -> `iom`; None for fewer than 2 words."""
    words = [w for w in (_squash(w) for w in text.split()) if w and w not in _SMALL]
    return "".join(w[0] for w in words) if len(words) > 1 else None


def spelled_like(query: str, keys: list[str]) -> list[str]:
    """The key (at most one) `query` is most likely a misspelling of. An acronym (one word of
    at most five letters) must be nearer: `IMO` and `IOM`, `UNOPS` and `UNDP`, a letter or two
    apart, are other organisations as often as typos; `UNCHR` still finds `UNHCR`."""
    short = len(_squash(query)) <= 5 and " " not in query.strip()
    return difflib.get_close_matches(query, keys, n=1, cutoff=0.75 if short else 0.6)
