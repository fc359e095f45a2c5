"""`tf render`: the minutes as a static site, built the way pelican and mkdocs build one.

gather (one read model for one day, filtered by the publication policy) -> pages (each
page's context) -> render (one Jinja2 environment) -> writer (the output folder only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from tfcli.model import Repo
from tfcli.site import ics, pages, search
from tfcli.site.cache import CACHE_DIR, Cache, Keys, code_fingerprint, combined_key
from tfcli.site.gather import Site, gather
from tfcli.site.markdown import make_renderer
from tfcli.site.pages import Page
from tfcli.site.parallel import default_jobs, render_all
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
    cached: int  # pages taken from the render cache


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


def build(
    repo: Repo,
    today: date,
    out: Path,
    policy: Policy,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Build the site into `out`. `progress(done, total)` is called as pages render."""
    target = check_out(out, repo.config)
    site = gather(repo, today, policy)
    group_templates = repo.config.templates_dir / "site"
    env = environment(group_templates, policy)
    md = make_renderer()
    cache = Cache(repo.config.root / CACHE_DIR if use_cache else None)
    base = f"{code_fingerprint([BUILTIN, group_templates])}\0{policy!r}"

    def full(page: Page) -> dict[str, Any]:
        common = {"root": page.root, "group": site.group, "internal": policy.internal}
        return {**common, "today": today, **page.context}

    def render_page(page: object) -> bytes:
        assert isinstance(page, Page)
        ctx = full(page)
        if page.markdown:
            ctx["body"] = Markup(md(*page.markdown))
        return render(env, page.template, ctx).encode("utf-8")

    all_pages = list(pages.all_pages(site))
    keyer = Keys(base)
    # Without a cache (--no-cache) no key is made: a clean build renders every page anyway.
    keys = [keyer.page(full(p), p.markdown) if cache.folder else None for p in all_pages]
    html: list[bytes | None] = [cache.get(k) for k in keys]
    todo = [i for i, h in enumerate(html) if h is None]
    count = [0]

    def step(n: int) -> None:
        count[0] += n
        if progress:
            progress(count[0], len(todo))

    done = render_all([all_pages[i] for i in todo], render_page, jobs or default_jobs(), step)
    for i, data in zip(todo, done, strict=True):
        html[i] = data
        cache.put(keys[i], data)
    w = SiteWriter(target)
    for page, made in zip(all_pages, html, strict=True):
        assert made is not None
        w.write(page.path, made)
    for name in ASSETS:
        w.write(f"assets/{name}", (BUILTIN / "assets" / name).read_bytes())
    # Made from the same model as the pages: cached under a key of all the pages' keys.
    tz = repo.config.timezone
    index_key = combined_key(base, keys, "search-index.js")
    w.write("assets/search-index.js", cache.make(index_key, lambda: search.index_js(site).encode()))
    w.write(
        "calendar.ics", cache.make(combined_key(base, keys, "ics", tz), lambda: ics.calendar(site))
    )
    w.write("README.md", _readme(site))
    removed = w.finish()
    cache.prune()
    return Result(
        target,
        len(all_pages),
        len(w.written),
        w.changed,
        removed,
        len(site.repo.meetings),
        len(all_pages) - len(todo),
    )
