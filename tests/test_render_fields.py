"""The meeting page shows the fields of issue 8 ("Minutes as groups really write them"):
several minute-takers, duration, purpose, language, a postponement, how participants take
part, nested agenda, the next meeting's end, deadlines in words, handovers and notes; and
never the attendance annex. On issue 8's corpus and on tests/fixtures/meeting-fields."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_golden
from test_render import Text
from test_render_quality import VALIDATOR, _missing

from tfcli import policy
from tfcli.load import load_repo
from tfcli.site import build
from tfcli.site.policy import Policy

CORPUS = FIXTURES / "corpus"
FIELDS = FIXTURES / "meeting-fields" / "good"


def _build(src: Path, dest: Path, today: date, **kw: bool) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".tf"))
    build(load_repo(dest), today, dest / "_site", Policy(**kw), jobs=1, use_cache=False)
    return dest / "_site"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(CORPUS, tmp_path_factory.mktemp("c") / "pwg", date(2023, 5, 25))


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """meeting-fields/good with its minutes in French, as an internal build."""
    dest = tmp_path_factory.mktemp("f") / "repo"
    shutil.copytree(FIELDS, dest)
    f = next((dest / "minutes").glob("2023-03-09-*.md"))
    f.write_text(f.read_text(encoding="utf-8").replace("language: en", "language: fr-CA"))
    out = dest / "_site"
    build(load_repo(dest), date(2023, 3, 20), out, Policy(include_restricted=True), jobs=1)
    return out


def page(site: Path, mid: str) -> str:
    return (site / "meetings" / f"{mid}.html").read_text(encoding="utf-8")


def test_golden_corpus_meetings(corpus: Path) -> None:
    # 2023-03-09: postponed, an observer and a guest, three levels of agenda, the restricted
    # item left out; 2023-01-05: deadlines in words, a handover; 2023-04-06: two minute-takers,
    # duration, purpose, language, a note history.
    for mid in ("2023-01-05", "2023-03-09", "2023-04-06"):
        assert_golden(page(corpus, mid), f"render/corpus-{mid}.html")


def test_golden_internal_meeting_in_another_language(french: Path) -> None:
    assert_golden(page(french, "2023-03-09"), "render/fields-2023-03-09-internal.html")


def test_corpus_meeting_fields_in_words(corpus: Path) -> None:
    march = Text.of(page(corpus, "2023-03-09"))
    assert (
        "Postponed: this meeting was first planned for Thursday 2 March 2023. "
        "Reason: Public holiday (Mărțișor week events at the venue)."
    ) in march
    assert "IOM (observer) UNFPA (guest)" in march
    assert (
        "Updates from partners Cash for protection (DRC) Legal aid "
        "Court fees for refugees without documents"
    ) in march
    april = Text.of(page(corpus, "2023-04-06"))
    assert "Duration 1 h 30 min" in april
    assert "Purpose Monthly coordination of the protection response for refugees" in april
    assert "Language of the minutes en" in april
    assert "Minute-takers Maria Popescu, UNHCR Ana Rusu, La Strada" in april
    assert "Outline shared with the chairs" in april  # the action's note history
    may = Text.of(page(corpus, "2023-05-04"))
    assert "Thursday 1 June 2023, 10:00–11:30" in may
    assert "end of the week: 5 May 2023 (20 days overdue)" in may
    jan = Text.of(page(corpus, "2023-01-05"))
    # handed over and re-dated: what holds now, and what the meeting agreed
    assert "IOM agreed: Health WG" in jan
    assert "agreed: End of month (31 January 2023)" in jan
    feb = Text.of(page(corpus, "2023-02-02"))
    assert "2023-01-05/1: due 31 March 2023; handed over to IOM;" in feb
    assert "2023-01-04-baseline/2: status done" in feb
    # the site speaks English; minutes in English carry no lang of their own
    assert ' lang="' not in page(corpus, "2023-04-06").split("<html", 1)[1].split(">", 1)[1]


def test_language_marks_the_minutes_not_the_sites_words(french: Path) -> None:
    html = page(french, "2023-03-09")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    for marked in (
        '<h1><span lang="fr-CA">Protection Working Group</span>',
        '<ol class="agenda" lang="fr-CA">',
        '<section class="body" aria-labelledby="h-minutes" lang="fr-CA">',
        '<dd lang="fr-CA">Monthly coordination',
    ):
        assert marked in html, marked
    assert '<dt lang="fr-CA">' not in html and "<dt>Purpose</dt>" in html


def test_the_attendance_annex_is_never_published(corpus: Path, french: Path) -> None:
    # Names that appear only in `attendees:` (Omar Saleh is also co-chair there, Sara Lind a
    # guest; Layla Haddad chairs): neither the public nor the internal build shows the others.
    for site, names in (
        (corpus, ("Ion Botnari", "Ahmad Karimi", "Sara Lind")),
        (french, ("Ahmad Karimi",)),
    ):
        text = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
        for name in names:
            assert name.encode() not in text, name
    assert b"Case conference" in b"".join(p.read_bytes() for p in french.rglob("*.html"))


def test_internal_build_marks_restricted_parts(french: Path) -> None:
    text = Text.of(page(french, "2023-03-09"))
    assert "Case conference (discussion) (restricted)" in text
    assert "Follow up the case discussed with the family's lawyer (restricted)" in text


class Outline(HTMLParser):
    """Headings in order and the parents of every list item."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.stack: list[str] = []
        self.orphans: list[str] = []

    VOID = frozenset(["br", "meta", "link", "input", "img", "hr"])

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "li" and (not self.stack or self.stack[-1] not in ("ol", "ul")):
            self.orphans.append(self.stack[-1] if self.stack else "")
        if tag in ("ol", "ul") and self.stack and self.stack[-1] in ("ol", "ul"):
            self.orphans.append(tag)  # a list straight in a list, not in an item
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass


@pytest.mark.parametrize("which", ["corpus", "french"])
def test_lists_and_headings_in_order(which: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(which)
    for p in sorted((site / "meetings").glob("*.html")):
        o = Outline()
        o.feed(p.read_text(encoding="utf-8"))
        assert o.orphans == [], p
        assert o.headings[0] == 1 and all(
            b <= a + 1 for a, b in zip(o.headings, o.headings[1:], strict=False)
        ), (p, o.headings)


def test_nu_validator_on_the_new_fields(corpus: Path, french: Path) -> None:
    if shutil.which("java") is None:
        _missing("Java (for the Nu checker)")
    for site in (corpus, french):
        p = subprocess.run(
            [VALIDATOR, "--root", str(site / "meetings"), "--show-warnings", "--no-langdetect"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (p.returncode, p.stdout + p.stderr) == (0, ""), site


def test_restricted_mark_in_words_for_internal_readers() -> None:
    body = (
        "## Case {.restricted}\n\nText.\n\n### Inner {.restricted} ##\n\n"
        "```\n## Code {.restricted}\n```\n\nWe wrote {.restricted} here.\n"
    )
    assert policy.marks_in_words(body) == (
        "## Case (restricted)\n\nText.\n\n### Inner (restricted) ##\n\n"
        "```\n## Code {.restricted}\n```\n\nWe wrote {.restricted} here.\n"
    )
    assert policy.marks_in_words("## Plain\n") == "## Plain\n"
