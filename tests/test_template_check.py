"""`tf check` reads and compiles the group's templates as `tf new-meeting` and `tf render`
would (nothing rendered): one that cannot be read or parsed is a located `template` error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import test_actions_cli
from test_actions_cli import Tf

tf = test_actions_cli.tf  # the in-process `tf` fixture


def _check(tf: Tf, repo: Path) -> tuple[int, list[str]]:
    r = tf("check", "--strict", "--format", "text", "--today", "2022-07-02", cwd=repo)
    return r.code, [line for line in r.out.splitlines() if "template" in line]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda p: p.write_text("{% if x %}\nno end\n", encoding="utf-8"),
            "templates/meeting.md:2:1: error [template] template syntax error: Unexpected end "
            "of template.",
        ),
        (
            lambda p: p.write_bytes(b"---\ndate: \xff\n"),
            "templates/meeting.md:2:7: error [template] cannot read template:",
        ),
        (
            lambda p: os.mkfifo(p),
            "templates/meeting.md:1:1: error [template] cannot read template:",
        ),
        (
            lambda p: p.symlink_to("/etc/passwd"),
            "templates/meeting.md:1:1: error [template] cannot read template: it is a symbolic "
            "link to a file outside the repository",
        ),
        (
            lambda p: p.write_text("{{ x | nosuchfilter }}\n", encoding="utf-8"),
            "templates/meeting.md:1:1: error [template] template syntax error: No filter named "
            "'nosuchfilter'.",
        ),
    ],
    ids=["syntax", "not-utf8", "fifo", "link-outside", "unknown-filter"],
)
def test_a_broken_meeting_template_is_a_located_error(
    tf: Tf, seed_repo: Path, make: object, expected: str
) -> None:
    assert callable(make)
    make(seed_repo / "templates" / "meeting.md")
    code, lines = _check(tf, seed_repo)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_a_broken_site_template_is_a_located_error(tf: Tf, seed_repo: Path) -> None:
    site = seed_repo / "templates" / "site"
    site.mkdir()
    (site / "meeting.html").write_text("<p>\n{{ m.title }\n", encoding="utf-8")
    os.mkfifo(site / "base.html")
    (site / "index.html").write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    code, lines = _check(tf, seed_repo)
    assert code == 1
    assert [line.split(" (")[0].split(": ", 1)[0] for line in lines] == [
        "templates/site/base.html:1:1",
        "templates/site/meeting.html:2:1",
    ], lines
    assert "template syntax error: unexpected '}'" in lines[1]


def test_good_templates_pass(tf: Tf, seed_repo: Path) -> None:
    from tfcli.scaffold import builtin as _  # noqa: F401  (the package data is there)

    (seed_repo / "templates" / "meeting.md").write_bytes(
        (Path(__file__).parent.parent / "tfcli" / "defaults" / "meeting.md").read_bytes()
    )
    assert _check(tf, seed_repo) == (0, [])


def test_the_meeting_templates_name_is_the_agendas() -> None:
    from tfcli import agenda, template_check

    assert template_check.TEMPLATE == agenda.TEMPLATE
