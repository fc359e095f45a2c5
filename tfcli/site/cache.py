"""The render cache: a page is rendered again only when what it is made from changed.

A page's key is a SHA-256 of everything its HTML depends on: the code and templates that
render it (tfcli/site/*.py, the built-in and the group's site templates, tf's version) and
the page's full context (its model objects by their dataclass repr, the Markdown source of
its body). Equal keys give equal bytes, so a cached page is exactly what a clean build would
write. The cache lives in `<repo>/.tf/render-cache/`, outside the output; deleting it only
makes the next build slower. Entries this build did not use are removed at the end."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tfcli import __version__
from tfcli.model import Meeting
from tfcli.record import fields

CACHE_DIR = Path(".tf") / "render-cache"
_CODE = Path(__file__).resolve().parent


def code_fingerprint(template_dirs: Iterable[Path]) -> str:
    """What every page depends on besides its context: tf's code for sites and templates."""
    h = hashlib.sha256(__version__.encode())
    files = sorted(_CODE.glob("*.py"))
    for folder in template_dirs:
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    for f in files:
        h.update(str(f).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


# A meeting is hashed once per build, by every field but the YAML positions (no page shows
# them; an action's line is in the action): most pages hold several meetings (previous and
# next, recent, lists), and repr() of a whole meeting is the costliest part of a key.
_MEETING_FIELDS = tuple(n for n in fields(Meeting) if n != "spans")


class Keys:
    def __init__(self, base: str):
        self.base = base
        self._meetings: dict[int, str] = {}

    def _meeting(self, m: Meeting) -> str:
        key = self._meetings.get(id(m))
        if key is None:
            text = repr(tuple(getattr(m, f) for f in _MEETING_FIELDS))
            key = self._meetings[id(m)] = "meeting:" + hashlib.sha256(text.encode()).hexdigest()
        return key

    def _plain(self, value: Any) -> Any:
        if isinstance(value, Meeting):
            return self._meeting(value)
        if isinstance(value, dict):
            return [(k, self._plain(v)) for k, v in value.items()]
        if isinstance(value, list | tuple):
            return [self._plain(v) for v in value]
        return value

    def page(self, context: dict[str, Any], markdown: object) -> str | None:
        """The key of one page, or None when its context has a value without a stable repr
        (an object shown by its address), which is then never cached."""
        items = sorted(context.items(), key=lambda kv: kv[0])
        text = repr((self._plain(items), markdown))
        if " object at 0x" in text:
            return None
        return hashlib.sha256(f"{self.base}\0{text}".encode()).hexdigest()


def combined_key(base: str, keys: list[str | None], *extra: str) -> str | None:
    """The key of a file made from the same model as all the pages (search index, calendar):
    it changes when any page's key changes."""
    if any(k is None for k in keys):
        return None
    return hashlib.sha256("\0".join([base, *extra, *(k or "" for k in keys)]).encode()).hexdigest()


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder  # None: no cache (--no-cache)
        self.used: set[str] = set()
        self.hits = 0

    def _file(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str | None) -> bytes | None:
        if self.folder is None or key is None:
            return None
        self.used.add(key)
        try:
            data = self._file(key).read_bytes()
        except OSError:
            return None
        self.hits += 1
        return data

    def put(self, key: str | None, data: bytes) -> None:
        """Best effort: a cache that cannot be written only makes the next build slower."""
        if self.folder is None or key is None:
            return
        self.used.add(key)
        path = self._file(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)

    def make(self, key: str | None, fn: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key`, else `fn()` (then cached)."""
        data = self.get(key)
        if data is None:
            data = fn()
            self.put(key, data)
        return data

    def prune(self) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        for p in self.folder.glob("*/*"):
            if p.name not in self.used:
                with contextlib.suppress(OSError):
                    p.unlink()
