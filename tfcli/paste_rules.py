"""What a Word document pasted into the minutes leaves behind that tf would otherwise pass in
silence: agenda items numbered by hand (`tf agenda` and the site number them again: "1. 1.
Welcome remarks") and HTML tags in the body (the site shows them as text, never as
formatting: tfcli/site/markdown's `js-default` preset), one warning per file each, at the
first one found, so a pasted document gives two lines, not hundreds; and a person written as
Word's tables write one, `Diana Doros, Head of ..., State Chancellery`, which tf would read
as one long name (the roster, the attendance page and `tf new-meeting` carry it so)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from tfcli import body_html, entries, people_rules
from tfcli.fields import excerpt
from tfcli.model import Meeting, Person, Problem, Repo, Severity, YamlPath, place
from tfcli.paths import display_path
from tfcli.roster import fold

_NUMBERED = re.compile(r"\d{1,2}[.)]\s+(?=\S)")  # `1. Welcome remarks`, `2) AOB`


def numbered_agenda(repo: Repo, today: date) -> Iterable[Problem]:
    for m in repo.meetings:
        for i, item in enumerate(m.agenda):
            found = _NUMBERED.match(item.title)
            if not found:
                continue
            bare = item.title[found.end() :]
            # the item as written: an empty `- ` before it is left out of the model
            at: YamlPath = ("agenda", entries.action(m, item.line, i, "agenda"))
            # `- title: 1. Welcome` (a mapping): its title is what to change
            title = m.spans.get((*at, "title")) is not None
            line, col = place(m.spans, (*at, "title") if title else at)
            yield Problem(
                display_path(m.path),
                line,
                col,
                Severity.WARNING,
                "agenda-number",
                f"agenda item '{excerpt(item.title)}' is numbered by hand: 'tf agenda' and the "
                f"site number the agenda themselves ('{i + 1}. {excerpt(item.title)}')",
                f"drop the number: {'title: ' if title else '- '}{excerpt(bare)}",
            )
            break


def html_tags(repo: Repo, today: date) -> Iterable[Problem]:
    for m in repo.meetings:
        if "<" not in m.body:  # nearly every body
            continue
        found = next(body_html.tags(m.body), None)  # not in code: as CommonMark reads it
        if found is not None:
            n, col, tag = found
            yield Problem(
                display_path(m.path),
                m.body_line + n,
                col + 1,
                Severity.WARNING,
                "html",
                f"the body has HTML ('{excerpt(tag)}'): the site shows HTML of the "
                "minutes as text, tags and all, never as formatting",
                "write Markdown: **bold**, *italics*, [text](https://...), '- ' or '1. ' "
                "before list items, a blank line between paragraphs",
            )


PERSON_FIELDS = ("chair", "co_chairs", "rapporteur")


def details(text: str, known: frozenset[str] | set[str]) -> list[str] | None:
    """`Name, Organisation` or `Name, Role..., Organisation`, one person as a Word table's cell
    reads: its parts, or None. The organisation is one of tf.yml's (roster or role) and no
    part between is one, so `Ana Popescu, Ion Rusu, UNHCR` stays the several people
    tfcli.people_rules says it is."""
    if "," not in text or "(" in text or ")" in text:
        return None
    parts = [p.strip() for p in text.split(",")]
    if not all(parts) or not people_rules.is_name(parts[0]) or fold(parts[-1]) not in known:
        return None
    if len(parts) > 2 and (
        any(fold(p) in known for p in parts[1:-1]) or people_rules.names_in(text, known) is not None
    ):
        return None
    return parts


def _flow(text: str) -> str:
    from tfcli.yamlwrite import quoted, yaml_scalar

    return quoted(text) if any(c in text for c in "{}[],") else yaml_scalar(text)


def person_details(repo: Repo, today: date) -> Iterable[Problem]:
    known = people_rules.known_names(repo.config)
    for m in repo.meetings:
        for at, p in _people(m):
            parts = details(p.name or "", known) if p.organisation is None else None
            if parts is None or p.role or m.spans.get((*at, "name")) is not None:
                continue  # a mapping's name is the mapping's own business
            field = str(at[0])
            # `rapporteur: Name, Org` written as one text is fixed in place, not as an entry
            head = f"{field}: " if field == "chair" or m.spans.get(at) is None else "- "
            if len(parts) == 2:
                what = "a name and an organisation"
                hint = f"write {head}{_flow(f'{parts[0]} ({parts[1]})')}"
            elif len(parts) == 3:
                what = "a name, a role and an organisation"
                name, role, org = (_flow(x) for x in parts)
                hint = f"write {head}{{name: {name}, role: {role}, organisation: {org}}}"
            else:
                what = "a name, an organisation and more"
                hint = (
                    "write each person as a mapping, {name: ..., role: ..., organisation: ...}"
                    + ("" if field == "chair" else f", one entry each under '{field}'")
                )
            line, col = place(m.spans, at)
            yield Problem(
                display_path(m.path),
                line,
                col,
                Severity.WARNING,
                "person-details",
                f"'{excerpt(p.name or '')}' in '{field}' is read as one person's name, not as "
                f"{what}",
                hint,
            )


def _people(m: Meeting) -> list[tuple[YamlPath, Person]]:
    people: list[tuple[YamlPath, Person]] = [(("chair",), m.chair)] if m.chair else []
    for key, listed in (("co_chairs", m.co_chairs), ("rapporteur", m.rapporteurs)):
        # the entry as written, not as counted: an empty `- ` before it was left out. Looked
        # up only for a name with a comma: on a released parse, the look-up of an entry past
        # the kept ones runs libyaml's composer over the whole front matter (0.3 ms a file).
        people += [
            (entries.entry(m, (key,), i, len(listed)), p)
            for i, p in enumerate(listed)
            if "," in (p.name or "")
        ]
    return [(at, p) for at, p in people if "," in (p.name or "")]
