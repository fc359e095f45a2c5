"""`tf render` on hostile minutes: whatever a file says, in its body, in any front-matter
field or in its name, the site has no script but its own, no event handler attribute, no
script URL; restricted meetings and contacts stay out of the public build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from conftest import SEED, SEED_FILE
from test_render_quality import VALIDATOR, _missing

from tfcli.load import load_repo
from tfcli.site import build, search
from tfcli.site.policy import Policy

# One payload that tries every way out of every context: element, attribute, URL, script,
# JSON inside a script, and a line separator that ends a JavaScript string in old engines.
EVIL = (
    "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    "\"><svg onload=alert(3)>' onmouseover='alert(4)' <a href=\"javascript:alert(5)\">x</a>"
    "\u2028\u2029]]>-->"
)
Q = json.dumps(EVIL)  # as a YAML double-quoted scalar (JSON strings are YAML)
SCRIPT_URLS = [
    "javascript:alert(6)",
    "JaVaScRiPt:alert(7)",
    " javascript:alert(8)",
    "java\tscript:alert(9)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "data:image/png;base64,iVBORw0KGgo=",  # markdown-it itself lets data:image/png through
    "file:///etc/passwd",
]
SECRET = "Zanzibar-restricted-7781"

BODY = f"""
# {EVIL}

<script>alert('raw')</script>
<div onclick="alert(1)">raw html block</div>
<iframe src="javascript:alert(1)"></iframe>

{chr(10).join(f"- [link {i}]({u!s}) ![img {i}]({u!s}) <{u}>" for i, u in enumerate(SCRIPT_URLS))}
- [entity](&#106;avascript:alert(10)) [ref][r] [angle](<javascript:alert(11)>)
- footnote[^x] and a task:
- [ ] {EVIL}

[r]: javascript:alert(12)
[^x]: {EVIL}

Call +373 22 123 456 or write to someone@example.org.

```html
{EVIL}
```
"""


def hostile_meeting(day: str, visibility: str = "public", extra: str = "") -> str:
    people = f"{{name: {Q}, role: {Q}, organisation: {Q}}}"
    return f"""---
format: 1
date: {day}
title: {Q}
time: {Q}
end_time: {Q}
location: {Q}
purpose: {Q}
postponed: {{from: 2022-06-30, reason: {Q}}}
chair: {people}
co_chairs: [{people}, {Q}]
rapporteur: {people}
participants:
  {Q}: [{Q}, {people}]
  government: [State Chancellery]
regrets:
  {Q}: [{Q}]
agenda:
  - {Q}
  - {{title: {Q}, type: {Q}, presenter: {Q}}}
  - {{title: {Q}, items: [{Q}, {{title: {Q}, presenter: {Q}, items: [{Q}]}}]}}
actions:
  - {{id: 1, text: {Q}, owner: {Q}, due: 2022-07-01, note: {Q}, agenda: {Q}}}
  - {{id: 2, text: {Q}, owner: [{Q}, chairs], due: {Q}}}
  - {{id: 3, text: {Q}, owner: chairs, due: {Q}, notes: [{{date: 2022-07-01, text: {Q}}}]}}
decisions: [{Q}]
links:
{chr(10).join(f"  - {{title: {Q}, url: {json.dumps(u)}}}" for u in SCRIPT_URLS)}
  - {{title: {Q}, url: {Q}}}
contacts:
  - {{name: {Q}, organisation: {Q}, email: contact-leak@example.org, phone: "+373 69 999 999"}}
next_meeting:
  date: {Q}
  time: {Q}
  end_time: {Q}
  location: {Q}
  agenda: [{Q}]
updates:
  - {{action: 2022-06-24/1, status: done, note: {Q}}}
  - {{action: 2022-06-24/2, owner: {Q}, due: {Q}, notes: [{{text: {Q}}}]}}
previous: {{meeting: {Q}}}
{Q}: {Q}
status: approved
visibility: {visibility}
{extra}---
{BODY}
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SEED, root, dirs_exist_ok=True)
    config = (root / "tf.yml").read_text(encoding="utf-8")
    config = config.replace("group: Anti-Trafficking Task Force", f"group: {Q}")
    config = config.replace(
        "  - name: War Child\n", f"  - name: {Q}\n    short: EVIL\n  - name: War Child\n"
    )
    (root / "tf.yml").write_text(config, encoding="utf-8")
    names = ['2022-07-01-"><script>alert(1)<!--.md', "2022-07-02-<img src=x onerror=alert(1)>.md"]
    (root / "minutes" / names[0]).write_text(hostile_meeting("2022-07-01"), encoding="utf-8")
    (root / "minutes" / names[1]).write_text(hostile_meeting("2022-07-02"), encoding="utf-8")
    restricted = hostile_meeting("2022-07-03", "restricted").replace("## ", f"## {SECRET} ")
    restricted = restricted.replace("decisions: [", f"decisions: [{SECRET}, ")
    (root / "minutes" / "2022-07-03-closed-session.md").write_text(restricted, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def public(repo: Path) -> Path:
    loaded = load_repo(repo)
    assert len(loaded.meetings) == 4, loaded.problems  # the hostile files are read, not skipped
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "PER_PIECE", 2)  # the search index in two pieces
        build(loaded, date(2022, 7, 25), repo / "_site", Policy())
    return repo / "_site"


@pytest.fixture(scope="module")
def internal(repo: Path) -> Path:
    build(load_repo(repo), date(2022, 7, 25), repo / "_internal", Policy(include_restricted=True))
    return repo / "_internal"


OWN_SCRIPTS = {"assets/site.js", "assets/search.js", "assets/search-00.js", "assets/search-01.js"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite"}
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]")


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.in_script = True
            src = re.sub(r"^(\.\./)+", "", a.get("src") or "")
            self.scripts.append(src)
            if src not in OWN_SCRIPTS or set(a) != {"src"}:
                self.problems.append(f"foreign script {attrs}")
        if tag in {"iframe", "object", "embed", "base", "frame", "svg", "math"}:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRS and value is not None:
                probe = _IGNORED.sub("", value).lower()
                scheme = probe.split(":", 1)[0] if ":" in probe.split("/", 1)[0] else ""
                if scheme not in ("", "http", "https", "mailto"):
                    self.problems.append(f"script URL {name}={value!r} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data[:40]!r}")


def outputs(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def audit(site: Path) -> list[str]:
    problems = []
    html_files = [p for p in outputs(site) if p.suffix == ".html"]
    assert len(html_files) > 10
    for p in html_files:
        a = Audit()
        a.feed(p.read_text(encoding="utf-8"))
        a.close()
        problems += [f"{p.relative_to(site)}: {x}" for x in a.problems]
    return problems


def test_public_site_has_no_foreign_script(public: Path) -> None:
    assert audit(public) == []


def test_internal_site_has_no_foreign_script(internal: Path) -> None:
    assert audit(internal) == []


def test_the_hostile_text_is_there_as_text(public: Path) -> None:
    """The audit must have something to find: the payload is shown, escaped, everywhere."""
    page = (public / "meetings" / "2022-07-01.html").read_text(encoding="utf-8")
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert page.count(escaped) >= 20  # title, people, agenda, actions, decisions, body...
    assert "&lt;script&gt;alert('raw')&lt;/script&gt;" in page
    # the fields of issue 8 are read (not dropped as invalid) and shown escaped
    assert "<dt>Purpose</dt><dd>&lt;/script&gt;" in page
    assert "Reason: &lt;/script&gt;" in page
    assert '<ol class="agenda sub">\n<li>&lt;/script&gt;' in page
    for name in ("tracker", "decisions", "attendance", "index"):
        assert escaped in (public / f"{name}.html").read_text(encoding="utf-8"), name


def test_links_keep_only_safe_schemes(public: Path) -> None:
    page = (public / "meetings" / "2022-07-01.html").read_text(encoding="utf-8")
    assert "[link 0](javascript:alert(6))" in page  # refused: left as the text it was
    assert 'href="#fn-2022-07-01-1"' in page  # footnote ids carry the meeting's id


def test_search_index_is_plain_data(public: Path) -> None:
    entries = []
    for n in (0, 1):
        js = (public / "assets" / f"search-0{n}.js").read_text(encoding="utf-8")
        prefix, suffix = "window.TF_SEARCH = (window.TF_SEARCH || []).concat(", ");\n"
        assert js.startswith(prefix) and js.endswith(suffix)
        body = js[len(prefix) : -len(suffix)]
        assert not set("<>&\u2028\u2029") & set(body)
        entries += json.loads(body)
    assert not (public / "assets" / "search-02.js").exists()
    assert [e["url"] for e in entries] == [
        "meetings/2022-06-24.html",
        "meetings/2022-07-01.html",
        "meetings/2022-07-02.html",
    ]
    assert EVIL.replace("\u2028", " ").replace("\u2029", " ").split()[0] in entries[1]["title"]
    page = (public / "search.html").read_text(encoding="utf-8")
    assert page.count('<script src="assets/search-0') == 2


def test_restricted_meeting_and_contacts_stay_out(public: Path) -> None:
    for p in outputs(public):
        data = p.read_bytes()
        assert SECRET.encode() not in data, p
        assert b"2022-07-03" not in data, p
        for leak in (
            b"contact-leak@example.org",
            b"someone@example.org",
            b"+373 69 999 999",
            b"+373 22 123 456",
        ):
            assert leak not in data, (p, leak)
    page = (public / "meetings" / "2022-07-01.html").read_text(encoding="utf-8")
    assert "Call [phone removed] or write to [e-mail removed]." in page


def test_internal_build_says_so_everywhere(internal: Path) -> None:
    pages = [p for p in outputs(internal) if p.suffix == ".html"]
    assert (internal / "meetings" / "2022-07-03.html").exists()
    for p in pages:
        assert "<strong>Internal:</strong> this build includes restricted meetings" in p.read_text(
            encoding="utf-8"
        ), p
    assert "INTERNAL build" in (internal / "README.md").read_text(encoding="utf-8")
    assert SECRET in (internal / "meetings" / "2022-07-03.html").read_text(encoding="utf-8")
    for p in outputs(internal):  # contacts are never published, not even internally
        assert b"contact-leak@example.org" not in p.read_bytes(), p


def test_calendar_of_hostile_minutes_parses(public: Path) -> None:
    cal = icalendar.Calendar.from_ical((public / "calendar.ics").read_bytes())
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert sum(u.startswith("meeting-") for u in uids) == 3


def test_hostile_site_is_valid_html(public: Path) -> None:
    """Escaped right, hostile text is only text: the Nu checker finds nothing to say."""
    if shutil.which("java") is None:
        _missing("Java (for the Nu checker)")
    p = subprocess.run(
        [VALIDATOR, "--root", str(public), "--show-warnings", "--no-langdetect"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (p.returncode, p.stdout + p.stderr) == (0, "")


def test_seed_file_untouched(repo: Path) -> None:
    assert (repo / "minutes" / SEED_FILE).read_bytes() == (
        SEED / "minutes" / SEED_FILE
    ).read_bytes()
