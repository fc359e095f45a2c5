"""What a Word document pasted into the minutes leaves behind (tfcli/paste_rules.py): agenda
items numbered by hand, and HTML tags in the body, which the site shows as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_FILE, Tf

NAME = f"minutes/{SEED_FILE}"
HTML_HINT = (
    "(write Markdown: **bold**, *italics*, [text](https://...), '- ' or '1. ' before list "
    "items, a blank line between paragraphs)"
)


def _edit(repo: Path, old: str, new: str) -> int:
    """Replace `old` (once) in the seed meeting; the line number where `new` starts."""
    path = repo / NAME
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_numbered_agenda_is_one_warning_at_its_first_number(tf: Tf, seed_repo: Path) -> None:
    line = _edit(seed_repo, "  - Structured tour", "  - 3) Structured tour")
    _edit(seed_repo, "  - Wrap-up\n", "  - 6) Wrap-up\n")
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{line}:5: warning [agenda-number] agenda item '3) Structured tour de table "
        "on main anti-trafficking respon…' is numbered by hand: 'tf agenda' and the site number the "
        "agenda themselves ('3. 3) Structured tour de table on main anti-trafficking respon…') (drop "
        "the number: - Structured tour de table on main anti-trafficking responses)\n",
    )
    assert tf("check", "--strict", NAME, cwd=seed_repo).code == 1


@pytest.mark.parametrize("title", ["2022 review of the plan", "1.5 million children", "UN 2.0"])
def test_a_number_that_is_part_of_the_title_is_no_warning(
    tf: Tf, seed_repo: Path, title: str
) -> None:
    _edit(seed_repo, "  - Welcome remarks\n", f"  - {title}\n")
    assert tf("check", "--strict", NAME, cwd=seed_repo).out == ""


def test_html_in_the_body_is_one_warning_at_its_first_tag(tf: Tf, seed_repo: Path) -> None:
    line = _edit(
        seed_repo,
        "## Welcome remarks\n",
        "## Welcome remarks\n\nSee `<b>` and <https://www.anas.md/>.\n\n"
        '<p>Diana Doros <b>welcomed</b> the participants.</p>\n<a href="#">Program</a>\n',
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{line + 4}:1: warning [html] the body has HTML ('<p>'): the site shows HTML "
        f"of the minutes as text, tags and all, never as formatting {HTML_HINT}\n",
    )
    assert tf("check", "--strict", NAME, cwd=seed_repo).code == 1


@pytest.mark.parametrize(
    "tag",
    ["<o:p>", "<img src=x onerror=alert(1)>", "<script>", "<IFRAME src=y>", "</style>", "<hr/>"],
)
def test_office_and_page_tags_are_html_too(tf: Tf, seed_repo: Path, tag: str) -> None:
    """Word's `<o:p>`, and what a page from elsewhere brings (an image, a script): the site
    shows them as text as well."""
    line = _edit(seed_repo, "## Welcome remarks\n", f"## Welcome remarks\n\nIt {tag} here.\n")
    r = tf("check", NAME, cwd=seed_repo)
    assert r.out == (
        f"{NAME}:{line + 2}:4: warning [html] the body has HTML ('{tag}'): the site shows "
        f"HTML of the minutes as text, tags and all, never as formatting {HTML_HINT}\n"
    )


def test_html_in_code_is_no_warning(tf: Tf, seed_repo: Path) -> None:
    _edit(
        seed_repo,
        "## Welcome remarks\n",
        "## Welcome remarks\n\nWrite `<b>` as `**`; a link as <https://www.anas.md/>.\n\n"
        "```\n<p>as Word writes it</p>\n```\n\n    <br>\n",
    )
    assert tf("check", "--strict", NAME, cwd=seed_repo).out == ""


CHAIR = """chair:
  name: Diana Doros
  role: Head of the Coordination Directorate for Human Rights and Social Dialogue
  organisation: State Chancellery
"""
CO_CHAIRS = """co_chairs:
  - name: Martina Bogdeva
    role: Anti-Trafficking Specialist
    organisation: UNHCR
  - name: Diana Donoaga-Certan
    role: Protection Programme Coordinator
    organisation: IOM
"""
AS_ONE = "is read as one person's name, not as"


def test_a_person_written_as_a_word_table_cell_gets_the_mapping_to_write(
    tf: Tf, seed_repo: Path
) -> None:
    """The seed's Word document: `Chair: Diana Doros, Head of ..., State Chancellery
    Co-chairs: Martina Bogdeva, Anti-Trafficking Specialist, UNHCR Diana Donoaga-Certan, ...`:
    without a warning tf took each for one long name, and `tf new-meeting` carried it on."""
    line = _edit(
        seed_repo,
        CHAIR + CO_CHAIRS,
        "chair: Diana Doros, Head of the Coordination Directorate, State Chancellery\n"
        "co_chairs:\n  - Martina Bogdeva, UNHCR\n"
        "  - Martina Bogdeva, Anti-Trafficking Specialist, UNHCR Diana Donoaga-Certan, "
        "Protection Programme Coordinator, IOM\n"
        "rapporteur: [Ana Popescu, Ion Rusu]\n",
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{line}:8: warning [person-details] 'Diana Doros, Head of the Coordination "
        f"Directorate, State Ch…' in 'chair' {AS_ONE} a name, a role and an "
        "organisation (write chair: {name: Diana Doros, role: Head of the Coordination "
        "Directorate, organisation: State Chancellery})\n"
        f"{NAME}:{line + 2}:5: warning [person-details] 'Martina Bogdeva, UNHCR' in 'co_chairs' "
        f"{AS_ONE} a name and an organisation (write - Martina Bogdeva (UNHCR))\n"
        f"{NAME}:{line + 3}:5: warning [person-details] 'Martina Bogdeva, Anti-Trafficking "
        f"Specialist, UNHCR Diana D…' in 'co_chairs' {AS_ONE} a name, an organisation and "
        "more (write each person as a mapping, {name: ..., role: ..., organisation: ...}, "
        "one entry each under 'co_chairs')\n",
    )


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("Ana Popescu, Ion Rusu", "one-person"),  # several people: people_rules says so
        ("Ana Popescu, Ion Rusu, UNHCR", "one-person"),
        ("Ana Popescu, UNHCR, IOM", "one-person"),
        ("Ana Popescu (UNHCR), Head of Office, IOM", None),  # a bracket: not this rule's
        ("Ana Popescu, Head of Office, Some Unknown Body", None),  # not the roster's
        ("{name: 'Ana Popescu, Head of Office, UNHCR'}", None),  # a mapping says what it means
    ],
)
def test_what_is_not_one_person_with_details(
    tf: Tf, seed_repo: Path, value: str, rule: str | None
) -> None:
    _edit(seed_repo, CHAIR, f"chair: {value}\n")
    rules = [
        line.split("] ")[0].split("[")[1]
        for line in tf("check", NAME, cwd=seed_repo).out.splitlines()
    ]
    assert rules == ([rule] if rule else [])


@pytest.mark.parametrize("owner", ["TBD", "N/A", "to be confirmed"])
def test_an_owner_that_names_no_one_is_not_sent_to_the_roster(
    tf: Tf, seed_repo: Path, owner: str
) -> None:
    line = (
        _edit(
            seed_repo,
            "Europe recommendations on TiP\n    owner: chairs\n",
            f"Europe recommendations on TiP\n    owner: {owner}\n",
        )
        + 1
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{line}:12: warning [owner] owner '{owner}' of action 2022-06-24/1 is not in the "
        f"roster of tf.yml ('{owner}' names no one: leave 'owner' out until the group agrees "
        "one (tf check reminds you of an action without an owner))\n",
    )


@pytest.mark.parametrize(
    ("key", "means"),
    [("Reporting", "rapporteur"), ("Minute taker", "rapporteur"), ("Agreements", "decisions")],
)
def test_a_word_template_row_as_a_key_is_named_by_tfs_key(
    tf: Tf, seed_repo: Path, key: str, means: str
) -> None:
    line = _edit(seed_repo, "location: Zoom\n", f"location: Zoom\n{key}: N/A\n") + 1
    r = tf("check", NAME, cwd=seed_repo)
    assert r.out == (
        f"{NAME}:{line}:1: warning [unknown-key] unknown key '{key}' (kept as written) "
        f"(tf calls it '{means}': write '{means}:')\n"
    )


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("Zoom", "write HH:MM, 24-hour; a place or platform such as 'Zoom' goes in 'location:'"),
        (
            "MS  Teams",
            "write HH:MM, 24-hour; a place or platform such as 'MS  Teams' goes in 'location:'",
        ),
        ("TBD", "write HH:MM, 24-hour"),  # no place: the general hint
    ],
)
def test_a_platform_written_as_the_time_is_sent_to_location(
    tf: Tf, seed_repo: Path, value: str, hint: str
) -> None:
    """The seed's Word table has a row "Time | Zoom"."""
    line = _edit(seed_repo, "location: Zoom\n", f"time: {value}\n")
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        f"{NAME}:{line}:7: error [time] 'time' is '{value}', not a time in HH:MM form ({hint})\n",
    )


def test_a_person_with_details_is_told_at_the_entry_as_written(tf: Tf, seed_repo: Path) -> None:
    """An empty `- ` before it is left out of the model: the warning still points at the entry
    (it pointed at the empty one); a one-text `rapporteur:` is fixed in place, not as `- `."""
    line = _edit(seed_repo, CO_CHAIRS, "co_chairs:\n  -\n  - Martina Bogdeva, UNHCR\n")
    at = _edit(seed_repo, "location: Zoom\n", "location: Zoom\nrapporteur: Ana Popescu, UNHCR\n")
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{at + 1}:13: warning [person-details] 'Ana Popescu, UNHCR' in 'rapporteur' "
        f"{AS_ONE} a name and an organisation (write rapporteur: Ana Popescu (UNHCR))\n"
        f"{NAME}:{line + 3}:5: warning [person-details] 'Martina Bogdeva, UNHCR' in 'co_chairs' "
        f"{AS_ONE} a name and an organisation (write - Martina Bogdeva (UNHCR))\n",
    )


def test_a_numbered_agenda_item_is_told_at_its_own_line(tf: Tf, seed_repo: Path) -> None:
    """An empty `- ` before it is left out of the model (it pointed at the empty one)."""
    line = _edit(seed_repo, "  - Welcome remarks\n", "  -\n  - 1. Welcome remarks\n") + 1
    r = tf("check", NAME, cwd=seed_repo)
    assert r.out.startswith(f"{NAME}:{line}:5: warning [agenda-number] agenda item '1. Welcome ")


def test_a_numbered_title_of_an_agenda_mapping_is_told_at_its_title(
    tf: Tf, seed_repo: Path
) -> None:
    line = _edit(seed_repo, "  - title: Introduction", "  - title: 2) Introduction")
    r = tf("check", NAME, cwd=seed_repo)
    assert r.out.startswith(f"{NAME}:{line}:12: warning [agenda-number] agenda item '2) Intro")
    assert r.out.endswith(
        "(drop the number: title: Introduction of the Task Force (TF) on Trafficking in Perso…)\n"
    )
