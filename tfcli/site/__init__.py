"""`tf render`: the minutes as a static site, built the way pelican and mkdocs build one.

gather (one read model for one day, filtered by the publication policy) -> pages (each
page's context) -> render (one Jinja2 environment) -> writer (the output folder only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tfcli.model import Repo
from tfcli.site import ics, pages, search
from tfcli.site.gather import Site, gather
from tfcli.site.markdown import make_renderer
from tfcli.site.policy import Policy
from tfcli.site.render import BUILTIN, environment, render
from tfcli.site.writer import SiteWriter, check_out

ASSETS = ("site.css", "site.js", "search.js")


@dataclass(frozen=True, slots=True)
class Result:
    out: Path
    pages: int  # HTML pages
    files: int  # every file, assets included
    changed: int
    removed: int
    meetings: int


def _readme(site: Site) -> str:
    kind = (
        "INTERNAL build: it includes restricted meetings. Do not publish this folder."
        if site.policy.internal
        else "Public build: restricted meetings, contacts, e-mail addresses and phone "
        "numbers are left out."
    )
    return (
        f"{site.group}: minutes as a website, made by `tf render`.\n\n{kind}\n\n"
        "Open index.html in a browser; it works from disk, without a network.\n"
    )


def build(repo: Repo, today: date, out: Path, policy: Policy) -> Result:
    target = check_out(out, repo.config)
    site = gather(repo, today, policy)
    env = environment(repo.config.templates_dir / "site", policy)
    md = make_renderer()
    w = SiteWriter(target)
    n = 0
    for page in pages.all_pages(site, md):
        common = {"root": page.root, "group": site.group, "internal": policy.internal}
        common["today"] = today
        w.write(page.path, render(env, page.template, {**common, **page.context}))
        n += 1
    for name in ASSETS:
        w.write(f"assets/{name}", (BUILTIN / "assets" / name).read_bytes())
    w.write("assets/search-index.js", search.index_js(site))
    w.write("calendar.ics", ics.calendar(site))
    w.write("README.md", _readme(site))
    removed = w.finish()
    return Result(target, n, len(w.written), w.changed, removed, len(site.repo.meetings))
