"""`tf render`: the minutes as a static site, built the way pelican and mkdocs build one.

gather (one read model for one day, filtered by the publication policy) -> pages (each
page's context) -> render (one Jinja2 environment) -> writer (the output folder only).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.record import Frozen
from tfcli.record import init as _init

# The pipeline's modules (Jinja2, markdown-it-py: a tenth of a second) are imported by
# build(): a rebuild with nothing changed (tfcli.site.state) imports none of them.
if TYPE_CHECKING:
    from tfcli.model import Repo
    from tfcli.site.contexts import Kept
    from tfcli.site.gather import Site
    from tfcli.site.pages import Page
    from tfcli.site.policy import Policy
    from tfcli.site.writer import Stamps, Stored

    # A task's answer to the parent: its path, where its body is in it, where its search
    # entries are (a piece of the index, with a cache), what writing it did.
    Made = tuple[str, tuple[int, int] | None, list[tuple[int, int]] | None, Stored]

ASSETS = ("site.css", "site.js", "search.js")


class Result(Frozen):
    __slots__ = (
        "out",
        "pages",
        "files",
        "changed",
        "removed",
        "meetings",
        "cached",
        "stamps",
        "rows",
        "kept",
    )
    out: Path
    pages: int  # HTML pages
    files: int  # every file, assets included
    changed: int
    removed: int
    meetings: int
    cached: int  # pages taken from the render cache
    stamps: Stamps  # every file as written (empty when nothing was built)
    # Each published meeting's file: its page, where its page's body is in the page's bytes,
    # and its search entry's piece and place in it (None when not known): tfcli.site.patch.
    rows: dict[str, tuple[str, tuple[int, int] | None, tuple[int, int, int] | None]]
    # What tfcli.site.fields keeps of each published meeting's page, by file (cached builds
    # with the built-in templates only).
    kept: Kept

    def __init__(
        self,
        out: Path,
        pages: int,
        files: int,
        changed: int,
        removed: int,
        meetings: int,
        cached: int,
        stamps: Stamps | None = None,
        rows: dict[str, tuple[str, tuple[int, int] | None, tuple[int, int, int] | None]]
        | None = None,
        kept: Kept | None = None,
    ) -> None:
        values = (out, pages, files, changed, removed, meetings, cached, stamps or {}, rows or {})
        _init(self, *values, kept or {})


def _where(html: bytes, body: str | None) -> tuple[int, int] | None:
    """Where a page's rendered body is in its bytes, when it is there once, as printed."""
    if not body:
        return None
    raw = body.encode("utf-8")
    at = html.find(raw)
    return (at, at + len(raw)) if at >= 0 and html.find(raw, at + 1) < 0 else None


def _with_dicts(site: Site, make: Callable[[], Page]) -> Page:
    """`make()` after every action's dict is made, the cyclic collector paused meanwhile
    and then kept off them (as before the fork in a build that makes them there)."""
    from tfcli.site import pages

    collecting = gc.isenabled()
    gc.disable()
    try:
        for t in site.tracked:
            pages.action(t, site)
        gc.freeze()
    finally:
        if collecting:
            gc.enable()
    return make()


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
    # The cyclic collector is paused while the site is gathered and every action's dict made:
    # what they make lives to the end, and each full collection walked all of it again
    # (half of the time of the actions' dicts, a fifth of gathering's: 0.45 s at 5,000).
    # Frozen before the pages are made, then collected as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(repo, today, out, policy, jobs, use_cache, progress, collecting)
    finally:
        if collecting:
            gc.enable()


def _build(
    repo: Repo,
    today: date,
    out: Path,
    policy: Policy,
    jobs: int | None,
    use_cache: bool,
    progress: Callable[[int, int], None] | None,
    collecting: bool,
) -> Result:
    from markupsafe import Markup

    from tfcli.site import ics, pages, search
    from tfcli.site.cache import CACHE_DIR, Cache, Keys, code_fingerprint, combined_key
    from tfcli.site.gather import gather
    from tfcli.site.markdown import make_renderer
    from tfcli.site.parallel import default_jobs, forks, run_all
    from tfcli.site.pieces import entries_at, search_entries_keys, search_pieces
    from tfcli.site.render import BUILTIN, environment, render
    from tfcli.site.writer import SiteWriter, check_out

    target = check_out(out, repo.config)
    site = gather(repo, today, policy)
    group_templates = repo.config.templates_dir / "site"
    env = environment(group_templates, policy)
    md = make_renderer()
    from tfcli.site.state import ids_unique

    cache = Cache(repo.config.root / CACHE_DIR if use_cache and ids_unique(repo) else None)
    base = f"{code_fingerprint([BUILTIN, group_templates])}\0{policy!r}"

    def full(page: Page) -> dict[str, Any]:
        common = {"root": page.root, "group": site.group, "internal": policy.internal}
        return {**common, "today": today, **page.context}

    def render_page(page: Page) -> tuple[bytes, tuple[int, int] | None]:
        ctx = full(page)
        body = None
        if page.markdown:
            ctx["body"] = body = Markup(md(*page.markdown))
        html = render(env, page.template, ctx).encode("utf-8")
        return html, _where(html, body)

    # Pages are written as they are made, so that a site's pages are never all in memory.
    # The output's stamps beside the cache, one file per output folder.
    name = f"stamps-{hashlib.sha256(bytes(target)).hexdigest()[:16]}"
    w = SiteWriter(target, cache.folder / name if cache.folder else None, keep=use_cache)
    entry_keys: list[str] = []
    kept: Kept = {}
    makers = pages.plan(site)
    made: list[Page | None] = [None] * len(makers)
    keys: list[str | None] = [None] * len(makers)
    todo = list(range(len(makers)))
    if not cache.folder and forks(jobs or default_jobs(), len(makers)):
        # A clean build forks its worker now, not after every action's dict is made: the
        # worker makes them all first, for the tracker and the organisation pages (which
        # show them all: its first tasks, from the back), while this process makes the
        # search index, the calendar and the small pages; then the two share the meeting
        # pages, this process making again the dicts of its own meetings' actions.
        makers[0] = partial(_with_dicts, site, makers[0])
        todo = pages.forked_order(site)
    else:
        # Every action as pages show it, made once before the workers fork (they share
        # it): made in each worker, the tracker's and the organisation pages' would be
        # made twice.
        for t in site.tracked:
            pages.action(t, site)
    # The gathered site and these dicts live until the end: the cyclic collector would
    # walk them again at every full collection while pages are made (0.6 s at 5,000).
    gc.freeze()
    if collecting:
        gc.enable()
    if cache.folder:
        # Keys are made here, once (an action is on several pages: its dict is hashed
        # once); only the pages not in the cache go to the workers.
        keyer = Keys(base)
        every = [make() for make in makers]
        keyer.data(site.shown.values())  # every action's dict, made with the pages
        keys = [keyer.page(full(p), p.markdown) for p in every]
        made = list(every)
        # Each meeting's search entry, by what it is made from (the meeting, its page, the
        # group's name; the policy is in `base`): one changed meeting makes one entry.
        entry_keys = [
            hashlib.sha256(
                f"{keyer.meeting(m)}\0{site.meeting_page[m.id]}\0{site.group}".encode()
            ).hexdigest()
            for m in site.repo.meetings
        ]
        if not any(p.is_file() for p in group_templates.rglob("*")):
            from tfcli.site import contexts

            kept = contexts.kept(repo.meetings, site, every, keys)
        todo = []
        for i, (page, key) in enumerate(zip(every, keys, strict=True)):
            data = cache.get(key)
            if data is None:
                todo.append(i)
            else:
                w.write(page.path, data)

    def page_task(i: int) -> tuple[str, bytes, tuple[int, int] | None]:
        page = made[i]
        if page is None:  # a clean build makes each context where it renders the page
            shown = len(site.shown)
            page = makers[i]()
            if len(site.shown) != shown:  # new actions' dicts: kept off the collector too
                gc.freeze()
        return page.path, *render_page(page)

    # The search index and the calendar join every meeting: keyed by every page's key,
    # made beside the pages (first: a long task started last leaves the other cores idle).
    joined: dict[str, tuple[str | None, Callable[[], bytes]]] = {
        **search_pieces(site, cache, base, entry_keys),
        "calendar.ics": (
            combined_key(base, keys, "ics", repo.config.timezone),
            lambda: ics.calendar(site),
        ),
    }
    # Where each entry is in its piece of the search index, for a patch (with a cache only).
    pieces_at: dict[str, list[tuple[int, int]] | None] = {}
    searched = {name for name in joined if name.startswith("assets/search-")}

    def note(name: str, data: bytes) -> None:
        if cache.folder and name in searched:
            pieces_at[name] = search.positions(data)

    missing = []
    for name, (key, _) in joined.items():
        data = cache.get(key)
        if data is None:
            missing.append(name)
        else:
            w.write(name, data)
            note(name, data)
    tasks: list[Callable[[], tuple[str, bytes, tuple[int, int] | None]]] = [
        *(partial(lambda name: (name, joined[name][1](), None), name) for name in missing),
        *(partial(page_task, i) for i in todo),
    ]
    task_keys = [*(joined[name][0] for name in missing), *(keys[i] for i in todo)]
    count = [0]

    body_at: dict[str, tuple[int, int]] = {}  # a meeting page's body, where it is in its bytes

    def make(n: int) -> Made:
        """Task `n` made, cached and written where it runs (a worker, when there are):
        only its path and what the parent keeps of it go back, not its bytes."""
        path, data, where = tasks[n]()
        cache.put(task_keys[n], data)
        at = search.positions(data) if cache.folder and path in searched else None
        return path, where, at, w.store(path, data)

    def done(n: int, result: Made) -> None:
        path, where, at, stored = result
        if where:
            body_at[path] = where
        if cache.folder and (key := task_keys[n]):
            cache.used.add(key)  # put by the worker, in its own copy of `cache`
        if at is not None:
            pieces_at[path] = at
        w.note(path, stored)
        count[0] += 1
        if progress:
            progress(count[0], len(tasks))

    def compile_templates() -> None:
        # Once in the parent: each forked worker compiled them again (0.085 s each). The
        # names pages use; one that fails is left to the page that uses it to report.
        for path in sorted(BUILTIN.glob("*.html")):
            try:
                env.get_template(path.name)
            except Exception:
                continue

    makes = [partial(make, n) for n in range(len(tasks))]
    run_all(makes, jobs or default_jobs(), done, compile_templates)
    if cache.folder:  # kept for the next change (a worker writes them when it makes a piece)
        cache.used.update(search_entries_keys(base, len(site.repo.meetings)))
    for name in ASSETS:
        w.write(f"assets/{name}", (BUILTIN / "assets" / name).read_bytes())
    if (group_templates / "search.html").is_file():  # perhaps one that loads search.LOADER
        w.write(search.LOADER, search.loader_js(len(site.repo.meetings)).encode("utf-8"))
    w.write("README.md", _readme(site))
    removed = w.finish()
    found = entries_at(site, pieces_at)
    rows = {
        str(m.path): (site.meeting_page[m.id], body_at.get(site.meeting_page[m.id]), at)
        for m, at in zip(site.repo.meetings, found, strict=True)
    }
    cache.prune()
    return Result(
        target,
        len(makers),
        len(w.written),
        w.changed,
        removed,
        len(site.repo.meetings),
        len(makers) - len(todo),
        w.records,
        rows,
        kept,
    )
