"""A digest (`tf actions --by owner`, e-mail drafts) is an internal letter to the organisation
it names (tfcli/policy.py): a restricted action is listed, marked "(restricted)", only to an
organisation that owns it; never to another, by id only in the "no owner yet" section the
whole group reads, and never in anything published. On issue 8's corpus, whose restricted
action 2023-03-09/2 is IRC's, plus a meeting with a restricted action of a role and one
nobody owns yet."""

from __future__ import annotations

import json
import shutil
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
import test_actions_cli
from test_actions_cli import Tf

tf = test_actions_cli.tf  # the in-process `tf` fixture

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
TODAY = "2023-05-25"
LAWYER = "Follow up the case discussed with the family's lawyer"
EXTRA = """---
format: 1
date: 2023-05-18
title: Protection Working Group, extraordinary meeting
chair: Elena Ciobanu (UNHCR)
participants: [UNHCR, La Strada, IRC]
agenda:
  - title: Safe shelter
    visibility: restricted
  - Winter planning
actions:
  - id: 1
    text: Find a safe shelter for the two families
    owner: chairs
    due: 2023-05-30
    agenda: Safe shelter
  - id: 2
    text: Ask the municipality about the shelter address
    due: ASAP
    agenda: Safe shelter
  - id: 3
    text: Collect winter needs
    owner: CARE
    due: 2023-05-31
    agenda: Winter planning
status: draft
---

## Safe shelter {.restricted}

Confidential.

## Winter planning

CARE collects the needs.
"""
SHELTER = "Find a safe shelter for the two families"
ADDRESS = "Ask the municipality about the shelter address"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    dest = tmp_path / "pwg"
    shutil.copytree(CORPUS, dest)
    (dest / "minutes" / "2023-05-18-extraordinary.md").write_text(EXTRA, encoding="utf-8")
    return dest


def sections(markdown: str) -> dict[str, str]:
    parts = markdown.split("\n## ")[1:]
    return {p.split("\n", 1)[0]: p for p in parts}


def test_check_accepts_the_extra_meeting(tf: Tf, repo: Path) -> None:
    r = tf("check", "--today", TODAY, cwd=repo)
    assert r.code == 0, r.out
    mine = [ln for ln in r.out.splitlines() if "2023-05-18" in ln]
    assert [ln.split(" warning ")[1][:16] for ln in mine] == ["[action-owner] a"]  # the unowned


def test_markdown_digest_quotes_restricted_actions_only_to_their_owners(tf: Tf, repo: Path) -> None:
    r = tf("actions", "--by", "owner", "--today", TODAY, cwd=repo)
    assert r.code == 0, r.err
    s = sections(r.out)
    assert f"- **2023-03-09/2**: {LAWYER} (restricted) (due" in s["IRC"]
    # the role's action: under each of its members, marked
    for org in ("UNHCR", "La Strada"):
        assert f"- **2023-05-18/1**: {SHELTER} (restricted) (due" in s[org], org
    # the public action of the same meeting is not marked
    assert "- **2023-05-18/3**: Collect winter needs (due" in s["CARE"]
    others = {k: v for k, v in s.items() if k not in ("IRC", "UNHCR", "La Strada")}
    assert "No owner yet" in others and "CARE" in others
    for name, text in others.items():
        assert "lawyer" not in text and "2023-03-09/2" not in text, name
        assert "shelter" not in text.replace("2023-05-18/2**: (restricted", ""), name
    assert "lawyer" not in s["UNHCR"] + s["La Strada"]
    assert "shelter" not in s["IRC"]
    # nobody owns it yet: the whole group is asked, by id only
    assert (
        "- **2023-05-18/2**: (restricted: see the minutes of 2023-05-18) (as soon as possible"
        in s["No owner yet"]
    )
    assert ADDRESS not in r.out


def test_owner_filter_and_json(tf: Tf, repo: Path) -> None:
    r = tf("actions", "--by", "owner", "--owner", "CARE", "--today", TODAY, cwd=repo)
    assert r.code == 0 and "shelter" not in r.out and "lawyer" not in r.out, r.out
    r = tf("actions", "--by", "owner", "--format", "json", "--today", TODAY, cwd=repo)
    data = json.loads(r.out)
    marks = {
        (g["organisation"], a["id"], a["visibility"])
        for g in data
        for k in ("overdue", "due_soon", "undated")
        for a in g[k]
        if a["visibility"] == "restricted"
    }
    assert marks == {
        ("IRC", "2023-03-09/2", "restricted"),
        ("UNHCR", "2023-05-18/1", "restricted"),
        ("La Strada", "2023-05-18/1", "restricted"),
        (None, "2023-05-18/2", "restricted"),
    }


def _body(msg: Message) -> str:
    return "".join(
        str(p.get_payload(decode=True), "utf-8") for p in msg.walk() if not p.is_multipart()
    )


def test_email_drafts(tf: Tf, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    out.mkdir()
    r = tf("actions", "--by", "owner", "--eml", str(out), "--today", TODAY, cwd=repo)
    assert r.code == 0, r.err
    bodies = {p.stem: _body(message_from_bytes(p.read_bytes())) for p in sorted(out.glob("*.eml"))}
    assert "irc" in bodies and "care" in bodies
    for name, body in bodies.items():
        assert ("lawyer" in body) == (name == "irc"), name
        assert (SHELTER in body) == (name in ("unhcr", "la-strada")), name
        assert ADDRESS not in body, name
    assert "family&#x27;s lawyer (restricted)" in bodies["irc"] or (
        "family's lawyer (restricted)" in bodies["irc"]
    )


def test_never_in_the_public_site(tf: Tf, repo: Path) -> None:
    site = repo.parent / "site"
    r = tf("render", "--out", str(site), "--today", TODAY, cwd=repo)
    assert r.code == 0, r.err
    text = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    for secret in (LAWYER, SHELTER, ADDRESS, "2023-03-09/2", "2023-05-18/1", "2023-05-18/2"):
        assert secret.encode() not in text, secret
    assert b"Collect winter needs" in text
