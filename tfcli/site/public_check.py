"""`tf check --public`: personal contact data written into public minutes, where anyone with
the repository reads it (the site redacts it, the files do not). Contacts belong under
`contacts:`, which is never published."""

from __future__ import annotations

from collections.abc import Iterator

from tfcli.model import Meeting, Person, Problem, Repo, Severity
from tfcli.paths import display_path
from tfcli.site.policy import Policy, personal_data

RULE = "public-contact"
HINT = "move it under 'contacts:', which is never published, or remove it"


def _people(m: Meeting) -> Iterator[tuple[tuple[str | int, ...], Person]]:
    if m.chair:
        yield ("chair",), m.chair
    for i, p in enumerate(m.rapporteurs):
        yield (("rapporteur", i) if i or len(m.rapporteurs) > 1 else ("rapporteur",)), p
    for i, p in enumerate(m.co_chairs):
        yield ("co_chairs", i), p
    for key, groups in (("participants", m.participants), ("regrets", m.regrets)):
        for g, people in groups.items():
            for i, p in enumerate(people):
                yield ((key, g, i) if g else (key, i)), p


def _texts(m: Meeting) -> Iterator[tuple[int, bool, str]]:
    """(line, text) of every published text of a meeting: front-matter fields (at the line
    of their value) and body lines. `contacts:` is left out: it is the place for them."""
    fields: list[tuple[tuple[str | int, ...], str | None]] = [
        (("title",), m.title),
        (("location",), m.location),
    ]
    fields += [(("agenda", i), f"{a.title} {a.presenter or ''}") for i, a in enumerate(m.agenda)]
    fields += [(("decisions", i), d) for i, d in enumerate(m.decisions)]
    for i, a in enumerate(m.actions):
        fields += [(("actions", i), " ".join([a.text, a.note or "", *a.owners]))]
    fields += [(("links", i), f"{k.title} {k.url or ''}") for i, k in enumerate(m.links)]
    fields += [(("updates", i), u.note) for i, u in enumerate(m.updates)]
    if m.next_meeting:
        fields += [
            (("next_meeting",), " ".join([m.next_meeting.location or "", *m.next_meeting.agenda]))
        ]
    for path, p in _people(m):
        fields.append((path, " ".join(x for x in (p.name, p.role, p.organisation) if x)))
    for path, text in fields:
        if text:
            yield m.line_of(*path), False, text
    for i, line in enumerate(m.body.split("\n")):
        yield m.body_line + i, True, line


def problems(repo: Repo) -> list[Problem]:
    policy = Policy()
    out = []
    for m in repo.meetings:
        if not policy.publishes(m):
            continue
        seen: set[tuple[int, int, str]] = set()
        for line, in_body, text in _texts(m):
            for offset, kind in personal_data(text):
                col = offset + 1 if in_body else 1  # a body line is the file's line
                if (line, col, kind) in seen:
                    continue
                seen.add((line, col, kind))
                out.append(
                    Problem(
                        display_path(m.path),
                        line,
                        col,
                        Severity.WARNING,
                        RULE,
                        f"{kind} in public minutes",
                        HINT,
                    )
                )
    return out
