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
    line = _edit(seed_repo, "  - Welcome remarks\n", "  - 1. Welcome remarks\n")
    _edit(seed_repo, "  - Wrap-up\n", "  - 6) Wrap-up\n")
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{line}:5: warning [agenda-number] agenda item '1. Welcome remarks' is "
        "numbered by hand: 'tf agenda' and the site number the agenda themselves "
        "('1. 1. Welcome remarks') (drop the number: - Welcome remarks)\n",
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


def test_html_in_code_is_no_warning(tf: Tf, seed_repo: Path) -> None:
    _edit(
        seed_repo,
        "## Welcome remarks\n",
        "## Welcome remarks\n\nWrite `<b>` as `**`; a link as <https://www.anas.md/>.\n\n"
        "```\n<p>as Word writes it</p>\n```\n\n    <br>\n",
    )
    assert tf("check", "--strict", NAME, cwd=seed_repo).out == ""
