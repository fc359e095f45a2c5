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
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from tfcli import __version__
from tfcli.model import Meeting
from tfcli.record import fields

CACHE_DIR = Path(".tf") / "render-cache"


# Libraries whose output is in the pages: a new version may render the same context (a
# body's Markdown, an escaped value) to other bytes.
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins")


def code_fingerprint(template_dirs: Iterable[Path]) -> str:
    """What every page depends on besides its context: all of tf's code (a date's format or
    a slug is made outside tfcli/site), the libraries that render, and the templates."""
    from importlib.metadata import PackageNotFoundError, version

    from tfcli.index import code_fingerprint as tf_code

    h = hashlib.sha256(__version__.encode() + b"\0" + tf_code())
    for name in _LIBRARIES:
        try:
            h.update(f"\0{name} {version(name)}".encode())
        except PackageNotFoundError:  # pragma: no cover - vendored or renamed
            h.update(f"\0{name} ?".encode())
    files: list[Path] = []
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


# Values that are their own text in a key (a date's repr is its value).
_SCALARS = frozenset({str, int, bool, float, type(None), date})


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Keys:
    def __init__(self, base: str):
        self.base = base
        self._meetings: dict[int, str] = {}
        # Dicts by identity (with the dict, so that its id is not reused): an action's dict
        # is on several pages (tracker, its meeting, its owners) and is hashed once.
        self._dicts: dict[int, tuple[object, str]] = {}

    def meeting(self, m: Meeting) -> str:
        key = self._meetings.get(id(m))
        if key is None:
            text = repr(tuple(getattr(m, f) for f in _MEETING_FIELDS))
            key = self._meetings[id(m)] = "meeting:" + _sha(text)
        return key

    def data(self, values: Iterable[dict[str, Any]]) -> None:
        """Dicts that hold plain data only (no meeting, nothing without a stable repr),
        such as the actions pages show: hashed by their repr at once (made in C), not
        value by value."""
        for d in values:
            text = repr(d)
            self._dicts[id(d)] = (d, text if " object at 0x" in text else _sha(text))

    def _plain(self, value: Any) -> Any:
        if type(value) in _SCALARS:
            return value
        if isinstance(value, Meeting):
            return self.meeting(value)
        if isinstance(value, dict):
            known = self._dicts.get(id(value))
            if known is None:
                # Most dicts a page holds are plain data (an action as a meeting page shows
                # it): their repr, made in C, is the text. One that may hold a meeting (whose
                # repr has positions no page shows) is walked value by value.
                text = repr(value)
                if "Meeting(" in text:
                    text = repr([(k, self._plain(v)) for k, v in value.items()])
                # An unstable repr stays in the page's text, so that the page is not cached.
                digest = text if " object at 0x" in text else _sha(text)
                known = self._dicts[id(value)] = (value, digest)
            return known[1]
        if isinstance(value, list | tuple):
            # Scalars kept as they are without a call: an attendance row is a thousand bools.
            return [v if type(v) in _SCALARS else self._plain(v) for v in value]
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
    return _sha("\0".join([base, *extra, *(k or "" for k in keys)]))


_CHECK = 16  # octets of blake2b before an entry's bytes


def _check(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECK).digest()


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder  # None: no cache (--no-cache)
        self.used: set[str] = set()

    def _file(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str | None) -> bytes | None:
        if self.folder is None or key is None:
            return None
        self.used.add(key)
        try:
            raw = self._file(key).read_bytes()
        except OSError:
            return None
        # An entry is its bytes' digest, then the bytes: an entry damaged or edited since
        # (a full disk, another tool) is not used, the page renders again.
        data = raw[_CHECK:]
        return data if raw[:_CHECK] == _check(data) else None

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
                f.write(_check(data) + data)
            os.replace(tmp, path)

    def prune(self) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        for p in self.folder.glob("*/*"):
            if p.name not in self.used:
                with contextlib.suppress(OSError):
                    p.unlink()
