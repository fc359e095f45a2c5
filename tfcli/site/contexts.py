"""What a cached full build keeps of each published meeting's page for tfcli.site.fields: the
page's context but the meeting (its actions as tracked and shown, its follow-ups, its
neighbours' ids, dates and pages) and the meeting as written (without its body and YAML
positions), pickled, in 64 shards `.tf/render-cache/fields-<folder>-NN`. Each entry is
tagged with the build's random token (the record of the build holds it: entries of another
build are not used), its file's front-matter digest and its page's render-cache key; each
shard with the inputs but the minutes it was made from (tf.yml, the code, the day...) and a
BLAKE2b digest of its bytes. Written whole (temporary file, then rename), best effort:
without them a display-field change is a full build."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tfcli.model import Config, Meeting
from tfcli.record import fields

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    from tfcli.site.gather import Site
    from tfcli.site.pages import Page

SHARDS = 64


def shard_of(name: str) -> int:
    return hashlib.blake2b(os.fsencode(name), digest_size=1).digest()[0] % SHARDS


def folder(config: Config, out: Path) -> Path:
    from tfcli.site.cache import CACHE_DIR

    return config.root / CACHE_DIR


def shard_file(config: Config, out: Path, n: int) -> Path:
    tag = hashlib.blake2b(os.fsencode(out), digest_size=8).hexdigest()
    return folder(config, out) / f"fields-{tag}-{n:02x}"


_BODY = fields(Meeting).index("body")


def written(m: Meeting) -> tuple[Any, ...]:
    """A meeting's fields as kept: without its body and YAML positions (no page needs
    them: the body's digest is in the record)."""
    values = list(Meeting._values(m))
    values[_BODY], values[-1] = "", {}
    return tuple(values)


Kept = dict[str, tuple[str, Callable[[], bytes]]]  # file -> its page's key, its entry


def kept(
    repo_meetings: list[Meeting], site: Site, every: list[Page], keys: list[str | None]
) -> Kept:
    """What a full build keeps of each published meeting (see the module's doc), by file,
    with its page's render-cache key (an entry is made again only when its page's key or
    its front matter changed): `every` and `keys` are the build's pages and their keys in
    pages.plan's order (the meeting pages last)."""
    raw = {m.path: m for m in repo_meetings}
    ms = site.repo.meetings
    start = len(every) - len(ms)

    def entry(m: Meeting, page: Page) -> bytes:
        ctx = page.context
        near = tuple((x[0].id, x[0].date, x[1]) if x else None for x in (ctx["prev"], ctx["next"]))
        return pickle.dumps((written(raw[m.path]), ctx["actions"], ctx["updates"], near), 5)

    got: Kept = {
        str(m.path): (key or "", partial(entry, m, page))
        for m, page, key in zip(ms, every[start:], keys[start:], strict=True)
    }
    from tfcli.site import moves

    got[""] = ("", partial(moves.made, site))  # the tracker's order (no file is named "")
    return got


# A shard: file -> (the build's token, its front matter's digest, its page's key, the entry).
Shard = dict[str, tuple[bytes, bytes, str, bytes]]


def keep(
    config: Config, out: Path, rest: bytes, token: bytes, entries: Kept, digests: dict[str, bytes]
) -> None:
    """Write the shards (best effort: without them, a field change is a full build). An
    entry whose page has the same key and whose file the same front matter as in the last
    shards, made from the same inputs but the minutes (`rest`: tf.yml, the code, the day...),
    is the same entry: taken from them, not made again (a third of a second at 5,000
    meetings)."""
    shards: list[Shard] = [{} for _ in range(SHARDS)]
    for name, (key, _) in entries.items():
        if name in digests:
            shards[shard_of(name)][name] = (token, digests[name], key, b"")
    for n, shard in enumerate(shards):
        got = read(shard_file(config, out, n))
        old = got[1] if got is not None and got[0] == rest else {}
        for name, (_, digest, key, _) in shard.items():
            was = old.get(name)
            same = was is not None and key and was[2] == key and was[1] == digest
            blob = was[3] if same and was is not None else entries[name][1]()
            shard[name] = (token, digest, key, blob)
        write(shard_file(config, out, n), marshal.dumps((rest, shard)))
    if "" in entries:
        from tfcli.site import moves

        moves.write(config, out, token, entries[""][1]())


def write(path: Path, payload: bytes) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.blake2b(payload, digest_size=16).digest() + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read(path: Path) -> tuple[bytes, Shard] | None:
    """A shard and the inputs it was made from (but the minutes)."""
    try:
        raw = path.read_bytes()
        payload = raw[16:]
        if raw[:16] != hashlib.blake2b(payload, digest_size=16).digest():
            return None
        got = marshal.loads(payload)
        ok = isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], dict)
        return got if ok else None
    except Exception:  # missing, damaged, foreign: a full build
        return None


def compiled(env: Environment, config: Config, out: Path, rest: bytes) -> None:
    """The built-in templates compiled once (a tenth of a second) for the patches of
    tfcli.site.fields and followups: kept beside the render cache, under a name from
    everything the record's key holds but the minutes' stats (tf's code, the libraries, the
    templates, Python), so that no other code reads them; those of other inputs removed."""
    from jinja2 import FileSystemBytecodeCache

    found = folder(config, out)
    prefix = f"jinja-{hashlib.blake2b(rest, digest_size=8).hexdigest()}-"
    if not any(found.glob(prefix + "*")):
        for old in found.glob("jinja-*"):
            with contextlib.suppress(OSError):
                old.unlink()
    env.bytecode_cache = _checked(FileSystemBytecodeCache)(str(found), prefix + "%s")
    _snippets(env)


def _checked(base: type[FileSystemBytecodeCache]) -> type[FileSystemBytecodeCache]:
    """jinja2's file cache with a BLAKE2b digest before each entry's bytes (written by
    `write`): a damaged entry is compiled again, never a traceback or other code."""

    class Checked(base):  # type: ignore[valid-type,misc]
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                raw = Path(self._get_cache_filename(bucket)).read_bytes()
                payload = raw[16:]
                if raw[:16] == hashlib.blake2b(payload, digest_size=16).digest():
                    bucket.bytecode_from_string(payload)
                    return
            except Exception:  # missing, damaged, foreign: compiled again
                pass
            bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            write(Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string())

    return Checked


def _snippets(env: Environment) -> None:
    """The templates' snippets a patch renders (`env.from_string`: a row, a cell, a count;
    some twenty in a meeting added, 0.04 s to compile) kept in the same cache, each named by
    its text; a damaged or foreign entry is compiled again (jinja2 checks it)."""
    cache, compile_ = env.bytecode_cache, cast(Any, env.compile)
    assert cache is not None

    def compile(
        source: Any, name: Any = None, filename: Any = None, raw: bool = False, defer: bool = False
    ) -> Any:
        if name is not None or filename is not None or raw or defer or not isinstance(source, str):
            return compile_(source, name, filename, raw, defer)  # a template: as before
        key = hashlib.blake2b(source.encode("utf-8"), digest_size=16).hexdigest()
        bucket = cache.get_bucket(env, f"snippet-{key}", None, source)
        if bucket.code is None:
            bucket.code = compile_(source)
            cache.set_bucket(bucket)
        return bucket.code

    env.compile = compile  # type: ignore[method-assign,assignment]
