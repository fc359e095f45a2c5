"""The search index's pieces in a build (tfcli.site.search): each piece's key, what makes it
(its entries taken from the last build's piece where their meeting did not change), and
where each meeting's entry is in the pieces as written (for tfcli.site.patch)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tfcli.site.cache import Cache
    from tfcli.site.gather import Site


def search_pieces(
    site: Site, cache: Cache, base: str, entry_keys: list[str]
) -> dict[str, tuple[str | None, Callable[[], bytes]]]:
    """The search index's pieces (tfcli.site.search), each with its key (by the entries of
    its meetings: one changed meeting makes one piece again) and what makes it."""
    from tfcli.site import search
    from tfcli.site.cache import combined_key

    out: dict[str, tuple[str | None, Callable[[], bytes]]] = {}
    for name, s, e in search.pieces(len(site.repo.meetings)):
        mine: list[str | None] = [*entry_keys[s:e]]
        key = combined_key(base, mine, "search", name) if entry_keys else None
        entries = entries_key(base, name) if entry_keys else None
        out[name] = (key, partial(search_piece, site, cache, entries, entry_keys[s:e], s, e))
    return out


def entries_key(base: str, name: str) -> str | None:
    from tfcli.site.cache import combined_key

    return combined_key(base, [], "search-entries", name)


def search_entries_keys(base: str, meetings: int) -> list[str]:
    from tfcli.site import search

    return [k for name, _, _ in search.pieces(meetings) if (k := entries_key(base, name))]


def search_piece(
    site: Site, cache: Cache, key: str | None, entry_keys: list[str], start: int, end: int
) -> bytes:
    """One piece of the search index, its entries taken from the last build's piece where
    their meeting did not change (kept in the cache under `key` as lines of `entry-key TAB
    entry-json`: JSON has no raw tab or line break)."""
    from tfcli.site import search

    ms = site.repo.meetings[start:end]
    if key is None:
        return search.piece_js([search.entry_json(site, m) for m in ms]).encode("utf-8")
    known: dict[str, str] = {}
    for line in (cache.get(key) or b"").decode("utf-8", "replace").split("\n"):
        k, tab, entry = line.partition("\t")
        if tab:
            known[k] = entry
    parts = [
        known.get(k) or search.entry_json(site, m) for k, m in zip(entry_keys, ms, strict=True)
    ]
    lines = (f"{k}\t{e}" for k, e in zip(entry_keys, parts, strict=True))
    cache.put(key, "\n".join(lines).encode("utf-8"))
    return search.piece_js(parts).encode("utf-8")


def entries_at(
    site: Site, found: dict[str, list[tuple[int, int]] | None]
) -> list[tuple[int, int, int] | None]:
    """Where each meeting's entry is in the search index as written: its piece's number and
    the entry's place in the piece's bytes (`found`: each piece's, search.positions)."""
    from tfcli.site import search

    at: list[tuple[int, int, int] | None] = []
    for n, (name, s, e) in enumerate(search.pieces(len(site.repo.meetings))):
        got = found.get(name)
        if got is None or len(got) != e - s:
            at += [None] * (e - s)
        else:
            at += [(n, a, b) for a, b in got]
    return at
