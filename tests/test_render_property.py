"""Property: whatever a restricted meeting says, and whatever contact a public one lists,
none of it appears anywhere in the public build (pages, search index, calendar)."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

from conftest import SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfcli.load import load_repo
from tfcli.site import build
from tfcli.site.policy import Policy

# Tokens no template or seed text contains: "Qx" and ten more letters.
token = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=10, max_size=10).map(lambda s: "Qx" + s)
FIELDS = ("title", "location", "agenda", "decision", "action", "owner", "body", "heading")


def restricted(day: str, secret: dict[str, str]) -> str:
    fm = {
        "format": 1,
        "date": day,
        "title": secret["title"],
        "location": secret["location"],
        "agenda": [secret["agenda"]],
        "decisions": [secret["decision"]],
        "actions": [
            {"id": 1, "text": secret["action"], "owner": secret["owner"], "due": "2022-08-01"}
        ],
        "visibility": "restricted",
    }
    return f"---\n{json.dumps(fm)}\n---\n\n## {secret['heading']}\n\n{secret['body']}\n"


def public(day: str, email: str, phone: str) -> str:
    fm = {
        "format": 1,
        "date": day,
        "contacts": [{"name": "Someone", "email": email, "phone": phone}],
        "visibility": "public",
    }
    return f"---\n{json.dumps(fm)}\n---\n\nWrite to {email} or call {phone}.\n"


# Restricted parts of a PUBLIC meeting, at every agenda depth (docs/render.md).
SUB = ("item", "sub", "subsub", "action", "sub_action", "body", "sub_body", "attendee")


def confidential(day: str, secret: dict[str, str]) -> str:
    """A public meeting with a restricted item (and its sub-items), a restricted sub-item
    and a restricted third-level item under public ones, actions under them, their body
    sections and a named attendee."""
    fm = {
        "format": 1,
        "date": day,
        "agenda": [
            "Welcome",
            {"title": secret["item"], "visibility": "restricted", "items": ["Inner point"]},
            {
                "title": "Updates",
                "items": [
                    {"title": secret["sub"], "visibility": "restricted"},
                    {
                        "title": "Partners",
                        "items": [{"title": secret["subsub"], "visibility": "restricted"}],
                    },
                ],
            },
        ],
        "actions": [
            {"id": 1, "text": secret["action"], "owner": "UNHCR", "agenda": "Inner point"},
            {"id": 2, "text": secret["sub_action"], "owner": "UNHCR", "agenda": secret["subsub"]},
            {"id": 3, "text": "Public work", "owner": "UNHCR", "agenda": "Partners"},
        ],
        "attendees": {"UNHCR": [secret["attendee"]]},
        "visibility": "public",
    }
    return (
        f"---\n{json.dumps(fm)}\n---\n\n## Welcome\n\nHello.\n\n"
        f"## {secret['item']} {{.restricted}}\n\n### Inner point\n\n{secret['body']}\n\n"
        f"## Updates\n\n### {secret['sub']} {{.restricted}}\n\n{secret['sub_body']}\n\n"
        f"### Partners\n\n#### {secret['subsub']} {{.restricted}}\n\n{secret['sub_body']}\n"
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.fixed_dictionaries({f: token for f in SUB}).filter(
        lambda d: len(set(d.values())) == len(d)
    )
)
def test_no_restricted_item_or_sub_item_in_the_public_build(secret: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        shutil.copytree(SEED, root, dirs_exist_ok=True)
        (root / "minutes" / "2022-07-01-open.md").write_text(
            confidential("2022-07-01", secret), encoding="utf-8"
        )
        repo = load_repo(root)
        assert len(repo.meetings) == 2 and not [p for p in repo.problems if p.severity == "error"]
        build(repo, date(2022, 7, 25), root / "_site", Policy(), jobs=1, use_cache=False)
        public = b"".join(p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file())
        assert b"Public work" in public and b"Partners" in public  # the page is there
        assert [s for s in secret.values() if s.encode() in public] == []
        # The internal build keeps every restricted part (so the test could fail), and
        # still never the attendance annex.
        build(repo, date(2022, 7, 25), root / "_int", Policy(True), jobs=1, use_cache=False)
        internal = b"".join(p.read_bytes() for p in (root / "_int").rglob("*") if p.is_file())
        assert [k for k, s in secret.items() if s.encode() not in internal] == ["attendee"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.fixed_dictionaries({f: token for f in FIELDS}),
    local=st.from_regex(r"[a-z][a-z0-9._]{2,10}", fullmatch=True),
    domain=st.from_regex(r"[a-z]{3,10}", fullmatch=True),
    phone=st.from_regex(r"\+3[0-9]{2} [0-9]{2} [0-9]{3} [0-9]{3}", fullmatch=True),
)
def test_nothing_restricted_or_personal_in_the_public_build(
    secret: dict[str, str], local: str, domain: str, phone: str
) -> None:
    email = f"{local}@{domain}.org"
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        shutil.copytree(SEED, root, dirs_exist_ok=True)
        minutes = root / "minutes"
        (minutes / "2022-07-01-closed.md").write_text(
            restricted("2022-07-01", secret), encoding="utf-8"
        )
        (minutes / "2022-07-08-open.md").write_text(
            public("2022-07-08", email, phone), encoding="utf-8"
        )
        repo = load_repo(root)
        assert len(repo.meetings) == 3, repo.problems  # both files read
        build(repo, date(2022, 7, 25), root / "_site", Policy(), jobs=1, use_cache=False)
        leaks = [email.encode(), phone.encode(), *(s.encode() for s in secret.values())]
        files = [p for p in (root / "_site").rglob("*") if p.is_file()]
        assert {p.name for p in files} >= {"calendar.ics", "search-00.js", "tracker.html"}
        for p in files:
            data = p.read_bytes()
            assert not [x for x in leaks if x in data], p
        # The internal build has the restricted meeting (so the test could fail).
        build(
            repo,
            date(2022, 7, 25),
            root / "_int",
            Policy(include_restricted=True),
            jobs=1,
            use_cache=False,
        )
        internal = b"".join(p.read_bytes() for p in (root / "_int").rglob("*") if p.is_file())
        assert all(s.encode() in internal for s in secret.values())
        assert email.encode() not in internal


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("0123456789+()-./ @a\x01\x85é\n"), max_size=30)
    | st.sampled_from(["2026-01-15/2", "a 0123 456 789", "+44 20 7946 0958", "(020) 7946 0958"])
)
def test_the_finalizer_redacts_whatever_redact_would(text: str) -> None:
    """The finalizer's quick test (which strings go through redaction) never lets through a
    string redaction or control stripping would change."""
    from markupsafe import escape

    from tfcli.site.render import environment, strip_controls

    policy = Policy()
    env = environment(None, policy)
    got = env.from_string("{{ x }}").render(x=text)
    assert got == str(escape(policy.redact(strip_controls(text))))
