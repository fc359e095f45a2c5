"""Hostile bodies cost tf linear work: the redaction of e-mail addresses and the reading of a
body's headings give what their plain regular expressions give, on inputs on which those
take hours (a 2 MiB run of letters before one `@`, a line of 2 MiB of blanks)."""

from __future__ import annotations

import random
import re

from tfcli import policy
from tfcli.site.policy import EMAIL_REDACTED, Policy, personal_data

# The plain forms, as they were: the reference for what a linear rewrite must find.
EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*\Z")
MARK = re.compile(r"[ \t]*\{\.restricted\}[ \t]*\Z")
MB = 1024 * 1024


def _reference_sections(body: str) -> list[tuple[int, str, bool, int, int]]:
    lines = body.split("\n")
    found: list[tuple[int, str, bool, int]] = []
    fence = ""
    for i, line in enumerate(lines):
        if m := re.match(r" {0,3}(```+|~~~+)", line):
            if not fence:
                fence = m[1][0] * 3
            elif m[1].startswith(fence):
                fence = ""
            continue
        if fence or not (m := HEADING.match(line)):
            continue
        text = re.sub(r"[ \t]+#+\Z", "", m[2] or "")
        found.append((len(m[1]), MARK.sub("", text).strip(), bool(MARK.search(text)), i))
    return [
        (lv, t, mk, s, next((s2 for lv2, _, _, s2 in found[n + 1 :] if lv2 <= lv), len(lines)))
        for n, (lv, t, mk, s) in enumerate(found)
    ]


def _random(alphabet: list[str], seed: int, count: int = 20000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def test_redaction_finds_what_the_plain_pattern_finds() -> None:
    atoms = ["a", "b", ".", "+", "-", "@", ":", "_", "é", " ", "1", "\n", "mailto:", "MAILTO:"]
    for text in [*_random(atoms, 1), "a@b.c.@d.e", "x@o.lm.@otm.-", "xmailto:a@b.c d@e.f"]:
        assert Policy().redact(text) == Policy().redact(EMAIL.sub(EMAIL_REDACTED, text)), text
        expected = [m.start() for m in EMAIL.finditer(text)]
        assert [at for at, kind in personal_data(text) if kind == "e-mail address"] == expected


def test_sections_are_what_the_plain_patterns_find() -> None:
    atoms = ["#", "#", " ", "\t", "a", "{.restricted}", "\n", "```", "~~~", "b c", "\r", "}"]
    for body in _random(atoms, 2):
        got = [(s.level, s.title, s.restricted, s.start, s.end) for s in policy.sections(body)]
        assert got == _reference_sections(body), repr(body)


def test_hostile_lines_are_read_in_linear_time() -> None:
    # Each took the plain patterns hours (quadratic: 4 s at 40 KB, 15 s for the blanks).
    redacted = Policy().redact("a" * (2 * MB) + "@example.org")
    assert redacted == EMAIL_REDACTED
    assert Policy().redact("a." * MB + "@b") == "a." * MB + "@b"
    body = "# a" + " \t" * MB + "x\n" + "# b" + " " * MB + "{.restricted}\n"
    assert [(s.title[:1], s.restricted) for s in policy.sections(body)] == [
        ("a", False),
        ("b", True),
    ]
    many = "# a {.restricted}\n" * 100_000  # a section's end: no search of the headings after it
    assert policy.sections(many)[-2].end == 99_999
    assert policy.marks_in_words(many) == "# a (restricted)\n" * 100_000
