"""Several people pasted as one text (from a Word table's cell) where tf.yml's schema takes
one person: `chair:`, an entry of `co_chairs:` or `rapporteur:`, an owner of an action or a
follow-up; and an entry of `participants:` or `regrets:` (one person or organisation each).
"Ana Popescu, Ion Rusu" would be one chair, one owner, one participant: the digest, the site,
its attendance page and `--owner` would know neither of them.

The rule is narrow, since organisations' names hold commas and "and" too ("Ministry of
Labour and Social Protection"): the text splits at `,` `;` `&` or the word `and` (outside
parentheses) into two or more parts, each a person's name (two to four words, each
capitalised or an initial such as `A.`, particles such as `de` or `van` between them, none a
word of organisations' names such as Office or International; an `(Organisation)` after it
is allowed) or an organisation or role of tf.yml, at least one of
them a person; and the whole text is no organisation or role of tf.yml."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from tfcli import entries
from tfcli.fields import excerpt
from tfcli.model import (
    Action,
    Config,
    Meeting,
    Person,
    Problem,
    Repo,
    Severity,
    Update,
    YamlPath,
    place,
)
from tfcli.paths import display_path
from tfcli.roster import ALL_MEMBERS, fold

_PARENS = re.compile(r"\([^()]*\)")
_SPLIT = re.compile(r"\s*(?:[,;&]|\band\b)\s*")
_SEPARATOR = re.compile(r"[,;&]|\band\b")
_INITIAL = re.compile(r"(?:[^\W\d_]\.)+\Z")
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "la",
        "le",
        "dos",
        "das",
        "bin",
        "al",
        "y",
    ]
)
# Words of organisations' names, never of a person's: `Plan International, Moldova Office`.
_ORG_WORDS = frozenset(
    [
        "agency",
        "aid",
        "association",
        "bank",
        "borders",
        "bureau",
        "centre",
        "center",
        "child",
        "children",
        "church",
        "commission",
        "committee",
        "council",
        "court",
        "department",
        "directorate",
        "foundation",
        "fund",
        "group",
        "inspectorate",
        "institute",
        "international",
        "ministry",
        "mission",
        "nations",
        "network",
        "office",
        "organisation",
        "organization",
        "partners",
        "police",
        "programme",
        "program",
        "relief",
        "republic",
        "school",
        "service",
        "services",
        "society",
        "team",
        "union",
        "university",
        "unit",
        "women",
    ]
)


def _word(w: str, first: bool) -> bool:
    if _INITIAL.match(w) and w[0].isupper():
        return True  # `A.`, `A.B.`
    if not first and w in _PARTICLES:
        return True
    core = w.replace("-", "").replace("'", "").replace("’", "")
    # Capitalised, not an acronym (`UN`, `IOM` are organisations' names).
    return core.isalpha() and w[0].isupper() and (len(core) == 1 or not core[1:].isupper())


def is_name(text: str) -> bool:
    """A person's name: 'Ana Popescu', 'A. Popescu', 'Maria de la Cruz', 'Diana Donoaga-Certan'."""
    words = text.split()
    if not 2 <= len(words) <= 4 or any(w.casefold() in _ORG_WORDS for w in words):
        return False
    return all(_word(w, i == 0) for i, w in enumerate(words))


# The last tf.yml's names (its organisations, the same tuple, and its roles): the rules run
# once per file read, 5,000 times in a cold run, and the roster does not change between them.
_KNOWN: list[tuple[object, tuple[str, ...], frozenset[str]]] = []


def known_names(config: Config) -> frozenset[str]:
    roles = tuple(config.roles)
    if _KNOWN and _KNOWN[0][0] is config.organisations and _KNOWN[0][1] == roles:
        return _KNOWN[0][2]
    names = {n for o in config.organisations for n in (o.name, o.short) if n}
    known = frozenset(fold(n) for n in (*names, *roles, ALL_MEMBERS))
    _KNOWN[:] = [(config.organisations, roles, known)]
    return known


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,9}\Z")  # `UNHCR`, `IOM`, `UNFPA`


def names_in(
    text: str, known: frozenset[str] | set[str], acronyms: bool = False
) -> list[str] | None:
    """The people (and organisations) `text` names when it names several; else None. With
    `acronyms` (no roster in tf.yml to tell organisations by), an acronym counts as an
    organisation, and several of them are enough: `UNHCR and IOM`."""
    if not _SEPARATOR.search(text) or fold(text) in known:  # nearly every value: no separator
        return None
    held = _PARENS.findall(text)  # `Ana Popescu (Smith, Jones & Co)`: no split inside
    masked = _PARENS.sub("\0", text)
    parts = [p for p in _SPLIT.split(masked) if p.strip()]
    if len(parts) < 2 or len(parts) > 8:
        return None
    people = 0
    for p in parts:
        bare = p.replace("\0", " ").strip()
        if is_name(bare) or (acronyms and _ACRONYM.match(bare)):
            people += 1
        elif fold(bare) not in known:
            return None
    if not people:
        return None  # `UNHCR, IOM` as an owner: tfcli.check.unknown_owners says so
    out = []
    for p in parts:
        while "\0" in p:
            p = p.replace("\0", held.pop(0), 1)
        out.append(p.strip())
    return out


def several_people(repo: Repo, today: date) -> Iterable[Problem]:
    from tfcli import paste_rules  # it reads this module's names

    known = known_names(repo.config)
    acronyms = not repo.config.organisations  # else `UNHCR, IOM` is tfcli.check's [owner]
    memo = _several_memo(known, acronyms)  # the same organisations meet after meeting

    def several(text: str) -> list[str] | None:
        if (got := memo.get(text, memo)) is memo:
            got = memo[text] = names_in(text, known, acronyms)
        return got  # type: ignore[return-value]

    for m in repo.meetings:
        for at, text, field in _one_person_values(m, several):
            names = several(text)
            if names is None:
                continue
            if field in paste_rules.PERSON_FIELDS and paste_rules.details(text, known):
                continue  # `Name, Role, Organisation`: one person, as paste_rules says
            line, col = place(m.spans, at)
            if field == "chair":
                hint = "name one chair here and the others under 'co_chairs'"
            elif field in ATTENDANCE:
                entries = ", ".join(f"'- {n}'" for n in names)
                hint = f"give each an entry of their own under '{field}': {entries}"
            elif at[-1] == "name":
                hint = f"give each person an entry of their own under '{field}'"
            else:
                hint = f"write a list, one entry each: {field}: [{', '.join(names)}]"
            each = "" if field == "chair" else " per entry"
            if field in ATTENDANCE or field == "owner":
                each = " or organisation per entry"
            yield Problem(
                display_path(m.path),
                line,
                col,
                Severity.WARNING,
                "one-person",
                f"'{field}' takes one person{each}, but '{excerpt(text)}' names {len(names)}",
                hint,
            )


ATTENDANCE = ("participants", "regrets")

# `names_in`'s answers for the last roster: kept across files (the index runs this rule for
# each file it reads, one meeting at a time, and the same values come back meeting after
# meeting). Bounded: a repo of ever new values does not grow it without end.
_SEVERAL: list[tuple[frozenset[str], bool, dict[str, list[str] | None]]] = []


def _several_memo(known: frozenset[str], acronyms: bool) -> dict[str, list[str] | None]:
    if _SEVERAL and _SEVERAL[0][0] is known and _SEVERAL[0][1] == acronyms:
        memo = _SEVERAL[0][2]
        if len(memo) < 20_000:
            return memo
    memo = {}
    _SEVERAL[:] = [(known, acronyms, memo)]
    return memo


def _one_person_values(
    m: Meeting, several: Callable[[str], list[str] | None]
) -> Iterator[tuple[YamlPath, str, str]]:
    """Each value where one person goes: where it is, its text, its key."""
    people: list[tuple[YamlPath, Person]] = [(("chair",), m.chair)] if m.chair else []
    people += _entries(m, ("co_chairs",), m.co_chairs)
    people += _entries(m, ("rapporteur",), m.rapporteurs)
    for at, p in people:
        if not _SEPARATOR.search(p.name or "") and not _SEPARATOR.search(p.organisation or ""):
            continue  # names one at most, either way: no position asked (a cold read's spans
            # are gone, and asking for one reads the whole file's YAML again)
        if m.spans.get((*at, "name")) is not None:  # a mapping: its name alone
            if p.name:
                yield (*at, "name"), p.name, str(at[0])
        elif p.name:
            yield at, f"{p.name} ({p.organisation})" if p.organisation else p.name, str(at[0])
    for key, groups in (("participants", m.participants), ("regrets", m.regrets)):
        for group, group_of in groups.items():
            for i, p in enumerate(group_of):
                # Names of organisations hold "and" and commas: only an entry that names
                # several people has its position asked (see above). (`several` remembers:
                # the same organisations attend meeting after meeting.)
                if several(p.name or "") is None and (
                    not p.organisation or several(f"{p.name} ({p.organisation})") is None
                ):
                    continue
                text = f"{p.name} ({p.organisation})" if p.organisation else p.name or ""
                entry = entries.entry(m, (key, group) if group else (key,), i, len(group_of))
                if m.spans.get((*entry, "name")) is not None:
                    yield (*entry, "name"), p.name or "", key
                else:
                    yield entry, text, key
    for at, owner, _ in owner_paths(m, lambda o: several(o) is not None):
        yield at, owner, "owner"


def unclosed_brackets(repo: Repo, today: date) -> Iterable[Problem]:
    """`chair: Ana Popescu (IOM`: a bracket left open (or a `)` never opened) in a value where
    a person goes, so `Name (Organisation)` is not read as a name and an organisation: the
    attendance, the roster and `--owner` would not know the organisation."""
    for m in repo.meetings:
        for at, text in _person_texts(m):
            opened = text.count("(") - text.count(")")
            if not opened:
                continue
            line, col = place(m.spans, at)
            what, hint = (
                ("a '(' that is not closed", f"close it: '{excerpt(text)})'")
                if opened > 0
                else ("a ')' that no '(' opens", "remove the ')', or add the '(' it closes")
            )
            yield Problem(
                display_path(m.path),
                line,
                col,
                Severity.WARNING,
                "bracket",
                f"'{excerpt(text)}' has {what}: it is read as one name, not as "
                "'Name (Organisation)'",
                hint,
            )


def _person_texts(m: Meeting) -> Iterator[tuple[YamlPath, str]]:
    """Each text with a bracket where a person goes (a text entry, a mapping's name or
    organisation, an owner), and where it is (positions are asked for these only)."""
    people: list[tuple[YamlPath, Person]] = [(("chair",), m.chair)] if m.chair else []
    people += _entries(m, ("co_chairs",), m.co_chairs, True)
    people += _entries(m, ("rapporteur",), m.rapporteurs, True)
    for key, groups in (("participants", m.participants), ("regrets", m.regrets)):
        for group, group_of in groups.items():
            people += _entries(m, (key, group) if group else (key,), group_of, True)
    for at, p in people:
        for part, text in (("name", p.name), ("organisation", p.organisation)):
            if text and ("(" in text or ")" in text):
                mapped = m.spans.get((*at, part)) is not None
                yield ((*at, part) if mapped else at), text
    for at, owner, _ in owner_paths(m, lambda o: "(" in o or ")" in o):
        yield at, owner


def _entries(
    m: Meeting, at: YamlPath, people: tuple[Person, ...], bracketed: bool = False
) -> list[tuple[YamlPath, Person]]:
    """Each person of the list at `at` with its own path (tfcli.entries), for those that may
    be told about: with a separator (or, `bracketed`, a bracket) in it."""
    out = []
    for i, p in enumerate(people):
        text = f"{p.name or ''}\0{p.organisation or ''}"
        if ("(" in text or ")" in text) if bracketed else _SEPARATOR.search(text):
            out.append((entries.entry(m, at, i, len(people)), p))
    return out


def owner_paths(
    m: Meeting, wanted: Callable[[str], bool]
) -> Iterator[tuple[YamlPath, str, Action | Update]]:
    """Each owner of an action or a follow-up `wanted` picks, with its own path (the entry as
    written, not as counted: an action or an owner left out comes before it) and whose it is."""
    items: tuple[tuple[str, tuple[Action | Update, ...]], ...] = (
        ("actions", m.actions),
        ("updates", m.updates),
    )
    for key, listed in items:
        for i, a in enumerate(listed):
            for k, owner in enumerate(a.owners):
                if not wanted(owner):
                    continue
                at: YamlPath = (key, entries.action(m, a.line, i, key), "owner")
                yield entries.entry(m, at, k, len(a.owners)), owner, a
