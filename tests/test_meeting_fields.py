"""The meeting fields real minutes have (issue 8, points 6-8 and 13): schema and checks,
`tf show`, restricted parts of a public meeting and the publication policy, messages, slugs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_golden, run_tf

from tfcli import policy
from tfcli.load import load_repo, read_meeting
from tfcli.model import Config, Meeting, Postponed, Problem
from tfcli.slug import slugify

GOOD = FIXTURES / "meeting-fields" / "good"
BAD = FIXTURES / "meeting-fields" / "bad"


def load(tmp_path: Path, front: str, body: str = "") -> tuple[Meeting | None, list[str]]:
    path = tmp_path / "2023-03-09-x.md"
    path.write_text(f"---\ndate: 2023-03-09\n{front}---\n{body}", encoding="utf-8")
    problems: list[Problem] = []
    m = read_meeting(path, Config(root=tmp_path), problems)
    return m, [
        f"{p.line}:{p.rule}: {p.message}" + (f" ({p.hint})" if p.hint else "") for p in problems
    ]


@pytest.fixture(scope="module")
def good() -> Meeting:
    repo = load_repo(GOOD)
    return next(m for m in repo.meetings if m.id == "2023-03-09")


# -- the corpus ---------------------------------------------------------------------------


def test_good_minutes_pass_check_with_only_their_unknown_keys() -> None:
    r = run_tf("check", "--today", "2023-04-01", cwd=GOOD)
    assert (r.code, r.err) == (0, "tf check: 0 errors, 2 warnings in 2 files\n")
    assert [line.split(" (known keys")[0] for line in r.out.splitlines()] == [
        "minutes/2023-03-09-protection-working-group.md:67:1: warning [unknown-key] "
        "unknown key 'sector' (kept as written)",
        "minutes/2023-03-09-protection-working-group.md:68:1: warning [unknown-key] "
        "unknown key 'donor_codes' (kept as written)",
    ]


def test_show_has_every_field_and_the_unknown_keys() -> None:
    r = run_tf("show", "2023-03-09", "--today", "2023-03-20", cwd=GOOD)
    assert r.code == 0, r.err
    assert_golden(r.out, "meeting-fields/show-2023-03-09.txt")


def test_check_reports_each_new_rule() -> None:
    r = run_tf("check", "--today", "2023-06-01", cwd=BAD)
    assert r.code == 1
    assert_golden(r.out, "meeting-fields/check-bad.txt")
    assert r.err == "tf check: 14 errors, 9 warnings in 3 files\n"


# -- the model ----------------------------------------------------------------------------


def test_fields_are_read(good: Meeting) -> None:
    assert [p.label() for p in good.rapporteurs] == ["Rania Nasser (UNHCR)", "Tom Becker (IRC)"]
    assert (good.duration, good.purpose[:7] if good.purpose else None, good.language) == (
        90,
        "Monthly",
        "en",
    )
    assert good.postponed == Postponed(date(2023, 3, 2), "Public holiday (Isra and Mi'raj)")
    assert [(p.label(), p.attends_as) for p in good.participants[""]][2:] == [
        ("DRC", "member"),
        ("OHCHR", "observer"),
        ("Sara Lind (Nordic Donor Office)", "guest"),
    ]
    assert good.attendees == {
        "UNHCR": ("Layla Haddad", "Rania Nasser"),
        "IRC": ("Omar Saleh", "Tom Becker"),
        "DRC": ("Ahmad Karimi",),
    }
    assert good.next_meeting and good.next_meeting.end_time == "11:30"
    assert [(i.title, i.visibility) for i in policy.agenda_items(good)] == [
        ("Welcome and adoption of the agenda", "public"),
        ("Endorsement of the previous minutes and review of pending action points", "public"),
        ("Updates from partners", "public"),
        ("Cash for protection", "public"),
        ("Legal aid", "public"),
        ("Case conference", "restricted"),
        ("AOB", "public"),
        ("Training calendar", "public"),
    ]
    assert [(a.local_id, a.visibility) for a in good.actions] == [
        ("1", "public"),
        ("2", "restricted"),
    ]
    assert good.extra == {"sector": "Protection", "donor_codes": ["ECHO-22", "BPRM-7"]}


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("90", 90), ("90 min", 90), ("2 h", 120), ("1 h 30", 90), ("1h30min", 90), ("2 hours", 120)],
)
def test_durations(tmp_path: Path, value: str, minutes: int) -> None:
    m, problems = load(tmp_path, f"duration: {value}\n")
    assert (m and m.duration, problems) == (minutes, [])


def test_bad_duration_names_every_accepted_form(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "duration: an hour or so\n")
    assert problems == [
        "3:duration: duration 'an hour or so' is not a length of time "
        "(write minutes (90), '90 min', '2 h' or '1 h 30')"
    ]
    _, problems = load(tmp_path, "duration: 25 h\n")
    assert problems == ["3:duration: duration '25 h' is not between 1 minute and 24 hours"]


def test_old_minutes_keep_their_meaning(tmp_path: Path) -> None:
    """Format 1 files without the new fields read exactly as before: everything public."""
    m, problems = load(
        tmp_path,
        "rapporteur: Ana (UNHCR)\nagenda: [A, {title: B, type: decision}]\n"
        "actions: [{id: 1, text: T, owner: X, due: 2023-03-20, agenda: B}]\n",
        "## A\n\n## B\n",
    )
    assert problems == []
    assert m is not None
    assert [p.label() for p in m.rapporteurs] == ["Ana (UNHCR)"]
    assert [(i.title, i.items, i.visibility) for i in m.agenda] == [
        ("A", (), "public"),
        ("B", (), "public"),
    ]
    assert policy.is_public(m, m.actions[0]) and policy.public_body(m) == m.body


# -- messages name every accepted form (point 13) -----------------------------------------


def test_several_rapporteurs_and_messages_that_name_every_form(tmp_path: Path) -> None:
    m, problems = load(tmp_path, "rapporteur: [A (UNHCR), {name: B, organisation: IRC}]\n")
    assert problems == [] and m and len(m.rapporteurs) == 2
    _, problems = load(tmp_path, "rapporteur: {x: 1}\nchair: [A, B]\nco_chairs: true\n")
    assert problems == [
        "4:type: 'chair' must be a person: text ('Name (Organisation)') or a mapping "
        "(name, role, organisation), not a list (name one chair here and the others under "
        "'co_chairs')",
        "5:type: 'co_chairs' must be a person: text ('Name (Organisation)') or a mapping "
        "(name, role, organisation), or a list of them, not the boolean true",
        "3:type: 'x: 1' is read as a mapping, not as text: YAML takes the ': ' after 'x' for "
        'a key (quote the text: rapporteur: "x: 1")',
    ]
    _, problems = load(tmp_path, "participants: UNHCR\nlanguage: Français\n")
    assert problems == [
        "4:language: language 'Français' is not a language code (write 'language: fr')",
        "3:type: 'participants' must be a list of persons (lines starting with '- '), or a "
        "mapping of groups to such lists, not 'UNHCR' (write it as a list: [UNHCR])",
    ]


def test_did_you_mean_never_suggests_what_would_be_refused(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2023-03-09-a.md").write_text(
        "---\ndate: 2023-03-09\nactions: [{id: 1, text: T, owner: X, due: 2023-03-20}]\n"
        "updates: [{action: 2023-03-09/2, status: done}]\nprevious: {meeting: 2023-03-9}\n---\n",
        encoding="utf-8",
    )
    r = run_tf("check", cwd=tmp_path)
    assert r.out.splitlines() == [
        "minutes/2023-03-09-a.md:4:1: error [update-target] update points at unknown action "
        "'2023-03-09/2' (see 'tf actions --all' for the ids)",
        "minutes/2023-03-09-a.md:5:1: warning [previous] previous meeting '2023-03-9' not found "
        "(name it by id, e.g. 2022-06-24)",
    ]


# -- the publication policy ---------------------------------------------------------------


def test_policy(good: Meeting) -> None:
    case = policy.item_of(good, "case conference")
    assert case is not None and not policy.is_public(good, case)
    assert policy.is_public(good) and policy.is_public(good, good.actions[0])
    assert not policy.is_public(good, good.actions[1])
    body = policy.public_body(good)
    assert "Chatham House" not in body and "2023-03-09/2" not in body
    assert "## AOB\n\n### Training calendar" in body and "### Legal aid" in body
    hidden = [s.title for s in policy.sections(good.body) if not policy.is_public(good, s)]
    assert hidden == ["Case conference"]
    assert not policy.publishes_attendees() and policy.publishes_attendees(True)


def test_policy_hides_a_restricted_item_whose_mark_was_forgotten(tmp_path: Path) -> None:
    m, _ = load(
        tmp_path,
        "agenda: [A, {title: B, visibility: restricted, items: [B1]}]\n",
        "## 1. A\n\nopen\n\n## 2. B\n\nsecret\n\n### B1\n\nsecret too\n\n## C\n\n```\n# x\n```\n",
    )
    assert m is not None and [i.visibility for i in policy.agenda_items(m)] == [
        "public",
        "restricted",
        "restricted",
    ]
    assert policy.public_body(m) == "## 1. A\n\nopen\n\n## C\n\n```\n# x\n```\n"
    m.visibility = "restricted"
    assert policy.public_body(m) == "" and not policy.is_public(m)


def test_follow_ups_of_restricted_actions_are_not_published(good: Meeting) -> None:
    later = Meeting(Path("x.md"), "2023-04-06", date(2023, 4, 6))
    assert not policy.follow_up_is_public(later, good, good.actions[1])
    assert policy.follow_up_is_public(later, good, good.actions[0])
    later.visibility = "restricted"
    assert not policy.follow_up_is_public(later, good, good.actions[0])


def test_grouped_participants_say_how_they_take_part(tmp_path: Path) -> None:
    m, problems = load(
        tmp_path,
        "participants:\n  un: [UNHCR, {organisation: OHCHR, as: observer}]\n"
        "  donors: [{name: Sara Lind, as: guest}]\n",
    )
    assert problems == [] and m is not None
    assert {g: [(p.label(), p.attends_as) for p in ps] for g, ps in m.participants.items()} == {
        "un": [("UNHCR", None), ("OHCHR", "observer")],
        "donors": [("Sara Lind", "guest")],
    }


# -- slugs (point 13) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Ομάδα εργασίας για την προστασία", "omada-ergasias-gia-tin-prostasia"),
        ("Συνάντηση Αύγουστος", "synantisi-avgoustos"),
        ("Ευρώπη", "evropi"),
        ("αυτό", "afto"),
        ("Μπακογιάννη Ντόρα", "bakogianni-dora"),
        ("Αγγελική Λαμπράκης", "angeliki-lamprakis"),
        ("Ђорђе Њива", "djordje-njiva"),
        ("اجتماع مجموعة العمل", "meeting-b3acba"),
        ("اجتماع آخر", "meeting-1e584c"),
        ("WG اجتماع", "wg-ead9ee"),
        ("a" * 100 + "会", "a" * 53 + "-e05b0f"),
    ],
)
def test_slugs_transliterate_or_keep_a_hash(title: str, slug: str) -> None:
    assert slugify(title) == slug


# -- tf render uses the policy --------------------------------------------------------------


def test_render_leaves_out_restricted_parts_and_the_annex(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(GOOD, tmp_path / "repo")
    r = run_tf("render", "--out", "_site", "--today", "2023-04-01", cwd=tmp_path / "repo")
    assert r.code == 0, r.err
    site = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (tmp_path / "repo" / "_site").rglob("*")
        if p.is_file()
    )
    assert "Circulate the updated referral pathway" in site and "Legal aid" in site
    for secret in ("Chatham House", "family", "Case conference", "2023-03-09/2", "Ahmad Karimi"):
        assert secret not in site, secret
    r = run_tf("render", "--out", "_internal", "--include-restricted", cwd=tmp_path / "repo")
    assert r.code == 0, r.err
    internal = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (tmp_path / "repo" / "_internal").rglob("*")
        if p.is_file()
    )
    assert "Chatham House" in internal and "2023-03-09/2" in internal


def test_a_later_public_meeting_naming_a_restricted_action_is_reported(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(GOOD, tmp_path, dirs_exist_ok=True)
    (tmp_path / "minutes" / "2023-04-06-pwg.md").write_text(
        "---\ndate: 2023-04-06\nagenda: [Review of pending action points]\n"
        "updates: [{action: 2023-03-09/2, status: done}]\n---\n\n"
        "## Review of pending action points\n\n| 2023-03-09/1 | open |\n| 2023-03-09/2 | done |\n",
        encoding="utf-8",
    )
    r = run_tf("check", "--today", "2023-04-10", cwd=tmp_path)
    assert [line for line in r.out.splitlines() if "restricted" in line] == [
        "minutes/2023-04-06-pwg.md:10:1: error [restricted-action] restricted action "
        "2023-03-09/2 is named in the public section '## Review of pending action points' "
        "(leave it out of this section (a table of pending actions too), move it under a "
        "restricted item's heading, or mark that section {.restricted})"
    ]


def test_a_restricted_action_is_not_quoted_in_the_next_public_meeting_or_agenda(
    tmp_path: Path,
) -> None:
    import shutil

    shutil.copytree(GOOD, tmp_path, dirs_exist_ok=True)
    secret = "Follow up the case discussed with the family's lawyer"
    r = run_tf("new-meeting", "--today", "2023-03-20", "--date", "2023-03-23", cwd=tmp_path)
    assert r.code == 0, r.err
    text = (tmp_path / r.out.strip()).read_text(encoding="utf-8")
    assert secret not in text
    # followed up by id in the front matter, never named in the public body
    assert "  - action: 2023-03-09/2  # (restricted: see the minutes of 2023-03-09)\n" in text
    assert "- 2023-03-09/2:" not in text
    assert "- 2023-03-09/1: Circulate the updated referral pathway\n" in text
    r = run_tf("check", "--today", "2023-03-20", cwd=tmp_path)
    assert "error" not in r.out, r.out
    r = run_tf("agenda", "--today", "2023-03-20", cwd=tmp_path)
    assert r.code == 0 and secret not in r.out
    assert "| 2023-03-09/2 | (restricted: see the minutes of 2023-03-09) |" in r.out
