"""`tf actions --by owner --eml DIR`: drafts parsed back with the email package; focal-point
addresses in tf.yml validated and kept out of everything else."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import test_actions_cli
from test_actions_cli import TODAY, Tf

tf = test_actions_cli.tf  # the in-process `tf` fixture


@pytest.fixture
def roster(tracker: Path) -> Path:
    cfg = tracker / "tf.yml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace(
        "  - name: UNHCR\n    short: UNHCR\n",
        "  - name: UNHCR\n    short: UNHCR\n    email: [focal@unhcr.example, second@unhcr.example]\n",
    )
    text = text.replace(
        "  - name: IOM\n    short: IOM\n",
        "  - name: IOM\n    short: IOM\n    email: iom-focal@iom.example\n",
    )
    cfg.write_text(text, encoding="utf-8")
    return tracker


def test_one_draft_per_organisation_parses_back(tf: Tf, roster: Path) -> None:
    out = roster / "drafts"
    r = tf("actions", "--by", "owner", "--eml", str(out), "--today", TODAY, cwd=roster)
    assert r.code == 0, r.err
    names = ["state-chancellery.eml", "unhcr.eml", "iom.eml", "la-strada.eml"]
    assert r.out == "".join(f"drafts/{n}\n" for n in names)
    assert "no e-mail address for State Chancellery in tf.yml" in r.err
    assert sorted(p.name for p in out.iterdir()) == sorted(names)

    raw = (out / "unhcr.eml").read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF, as RFC 5322 says
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert msg["To"] == "focal@unhcr.example, second@unhcr.example"
    # Python may fold the whole value onto a continuation line; unfolded it is the same.
    assert (
        " ".join(msg["Subject"].split())
        == "Anti-Trafficking Task Force: action points for UNHCR, as of 25 July 2022"
    )
    assert msg["X-Unsent"] == "1"
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@tf.invalid>")
    assert parsedate_to_datetime(msg["Date"]).tzinfo is not None
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Dear colleagues at UNHCR,\n")
    assert (
        "- 2022-06-24/2: Send the Action Plan with integrated recommendations on TiP (due 22 July "
        "2022, 3 days overdue; together with State Chancellery and IOM, as chairs; agreed on 24 June 2022)"
    ) in text
    # User text is literal in both parts: no markup, no escape sequences, no HTML injection.
    assert "Circulate the | pipe & <b>markup</b> [bold]sample[/bold] at 100%: \\x1b[31mred" in text
    html = msg.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert "<li><strong>2022-06-24/2</strong>: Send the Action Plan" in html
    assert "Circulate the | pipe &amp; &lt;b&gt;markup&lt;/b&gt; [bold]sample[/bold]" in html
    assert "<b>" not in html and "\x1b" not in html

    iom = BytesParser(policy=policy.default).parsebytes((out / "iom.eml").read_bytes())
    assert iom["To"] == "iom-focal@iom.example"
    assert "To" not in BytesParser(policy=policy.default).parsebytes(
        (out / "la-strada.eml").read_bytes()
    )


def test_existing_drafts_are_never_overwritten(tf: Tf, roster: Path) -> None:
    out = roster / "drafts"
    out.mkdir()
    (out / "unhcr.eml").write_text("mine", encoding="utf-8")
    (out / "iom.eml").write_text("mine", encoding="utf-8")
    r = tf("actions", "--by", "owner", "--eml", str(out), "--today", TODAY, cwd=roster)
    assert r.code == 2
    assert "not overwriting: drafts/unhcr.eml, drafts/iom.eml already exist" in r.err
    assert sorted(p.name for p in out.iterdir()) == ["iom.eml", "unhcr.eml"]  # nothing written
    assert (out / "unhcr.eml").read_text(encoding="utf-8") == "mine"


def test_eml_needs_by_owner_and_no_format(tf: Tf, roster: Path) -> None:
    r = tf("actions", "--eml", "x", cwd=roster)
    assert r.code == 2 and "add --by owner" in r.err
    r = tf("actions", "--by", "owner", "--eml", "x", "--format", "json", cwd=roster)
    assert r.code == 2 and "--format does not apply" in r.err
    assert not (roster / "x").exists()


def test_bad_addresses_are_reported_and_addresses_never_shown(tf: Tf, roster: Path) -> None:
    cfg = roster / "tf.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "  - name: OSCE\n", "  - name: OSCE\n    email: [osce@, ok@osce.example]\n"
        ),
        encoding="utf-8",
    )
    r = tf("check", cwd=roster)
    assert "[roster] 'osce@' is not an e-mail address; left out" in r.out
    for args in (
        ("actions", "--all", "--format", "json"),
        ("actions", "--by", "owner", "--format", "json"),
        ("show", "2022-07-08"),
        ("list", "--format", "json"),
        ("agenda", "2022-07-22", "--format", "html"),
    ):
        r = (
            tf(*args, "--today", TODAY, cwd=roster)
            if args[0] == "actions"
            else tf(*args, cwd=roster)
        )
        assert "example" not in r.out, args
