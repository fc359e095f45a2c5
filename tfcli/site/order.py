"""The tracker's kept order (tfcli.site.moves): each row's id and sort key, as a cached full
build keeps them in `.tf/render-cache/order-<folder>`, tagged with the build's token; a
rebuild takes it only when its ids are the tracker's rows as built, in the same order.

The key is sort_key's, with the action's place among its meeting's actions for its line:
only actions of one meeting are told apart by it, their lines follow their places (actions
on one line keep their places: the sort is stable), and a line moves when lines are added
above, which the display-field rebuild allows without rewriting this file."""

from __future__ import annotations

import hashlib
import html
import itertools
import marshal
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.model import Config
from tfcli.site.splice import _check

if TYPE_CHECKING:
    from tfcli.actions import Tracked
    from tfcli.site.gather import Site

Key = str


def key_of(t: Tracked, place: int) -> Key:
    """actions.sort_key as one string that sorts the same (`place`, the action's among its
    meeting's, for its line): fixed-width numbers, then the meeting's id, ended by a NUL (a
    shorter id sorts first, as in the tuple), then the place. A list of strings loads in a
    fifth of the time of one of tuples (30,000 actions at 5,000 meetings)."""
    due = (t.due or date.max).toordinal()
    head = f"{t.due is None:d}{due:07d}{not t.urgent:d}{t.meeting.date.toordinal():07d}"
    return f"{head}{t.meeting.id}\0{place:0{PLACE}d}"


PLACE = 6  # digits of a key's place


def renumber(order: Order, ids: list[str]) -> None:
    """The places of a meeting's actions (`ids`, in order) after actions were added to it or
    removed: its others keep their order (and so their rows), but an action put in among
    them must be told apart by their places now."""
    pos = {x: n for n, x in enumerate(order.ids)}
    done = []
    for n, x in enumerate(ids):
        if x in pos:  # (else one added: put in later)
            at = pos[x]
            order.rekey(at, order.keys[at][:-PLACE] + f"{n:0{PLACE}d}")
            done.append(at)
    for at in done:
        _check(at == 0 or order.keys[at - 1] < order.keys[at])
        _check(at + 1 == len(order.keys) or order.keys[at] < order.keys[at + 1])


def place(t: Tracked) -> int:
    for n, a in enumerate(t.meeting.actions):
        if a is t.action:
            return n
    raise ValueError(t.id)


def made(site: Site) -> bytes:
    """The tracker's order of a full build: ids and keys, and the ids follow-ups name that
    no action shown has (an action added with one of them would take up its follow-ups)."""
    at = {id(a): n for m in site.repo.meetings for n, a in enumerate(m.actions)}
    ids = [t.id for t in site.tracked]
    keys = [key_of(t, at[id(t.action)]) for t in site.tracked]
    named = {u.action_id for m in site.repo.meetings for u in m.updates}
    files = files_of(str(m.path) for m in site.repo.meetings)
    return marshal.dumps((ids, keys, sorted(named.difference(ids)), files))


def files_of(names: Iterable[str]) -> bytes:
    """The published minutes files, as a digest: a file added or removed by a rebuild of
    another kind (a meeting added, with follow-ups of its own) makes the kept order unsure."""
    joined = "\0".join(sorted(names)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).digest()


def file(config: Config, out: Path) -> Path:
    from tfcli.site.contexts import folder

    tag = hashlib.blake2b(os.fsencode(out), digest_size=8).hexdigest()
    return folder(config, out) / f"order-{tag}"


def write(config: Config, out: Path, token: bytes, data: bytes) -> None:
    from tfcli.site.contexts import write as write_file

    write_file(file(config, out), marshal.dumps((token, data)))


class Order:
    """The tracker's rows: their ids as printed (`raw`), as written, and their keys; changed
    through `take`, `put` and `rekey`, which keep `ranks` and `uid_ranks` up to date."""

    def __init__(
        self, raw: list[bytes], ids: list[str], keys: list[Key], named: set[str], files: bytes
    ) -> None:
        self.raw, self.ids, self.keys = raw, ids, keys
        self.named, self.files = named, files  # (see made)
        self._ranks: dict[bytes, Key] | None = None
        self._uids: dict[bytes, Key] | None = None

    def ranks(self) -> dict[bytes, Key]:
        """Each row's key by its id as printed: they compare as the rows' places do (the keys
        rise row by row, checked), and stay when a row is put in or taken out above (a
        dict of places was made again after each move: 30,000 rows at 5,000 meetings)."""
        if self._ranks is None:
            keys = self.keys
            _check(all(a < b for a, b in itertools.pairwise(keys)))
            self._ranks = dict(zip(self.raw, keys, strict=True))
        return self._ranks

    def uid_ranks(self) -> dict[bytes, Key]:
        """`ranks` by the calendar UIDs' ids (splice._calendar's order): as uids."""
        if self._uids is None:
            self.ranks()  # (the keys' rise checked)
            self._uids = uids(self.raw, self.keys)
            if len(self._uids) != len(self.raw):  # two ids, one UID: made again each time
                self._uids = None
                return uids(self.raw, self.keys)
        return self._uids

    def take(self, n: int) -> None:
        """Row n taken out."""
        if self._ranks is not None:
            del self._ranks[self.raw[n]]
        if self._uids is not None:
            del self._uids[_uid(self.raw[n])]
        del self.raw[n], self.ids[n], self.keys[n]

    def put(self, p: int, raw: bytes, x: str, key: Key) -> None:
        """A row put in at place p."""
        self.raw.insert(p, raw)
        self.ids.insert(p, x)
        self.keys.insert(p, key)
        if self._ranks is not None:
            _check(raw not in self._ranks)
            self._ranks[raw] = key
        if self._uids is not None:
            uid = _uid(raw)
            if uid in self._uids:
                self._uids = None
            else:
                self._uids[uid] = key

    def rekey(self, at: int, key: Key) -> None:
        """Row `at`'s key changed (its place among its meeting's actions)."""
        self.keys[at] = key
        self._ranks = self._uids = None

    def positions(self) -> dict[bytes, int]:
        return {x: n for n, x in enumerate(self.raw)}

    def data(self) -> bytes:
        return marshal.dumps((self.ids, self.keys, sorted(self.named), self.files))


def _uid(x: bytes) -> bytes:
    """A row's id as printed, as its calendar UID has it."""
    return (html.unescape(x.decode()).encode() if b"&" in x else x).replace(b"/", b"-")


def uids(raw: list[bytes], values: list[Key] | None = None) -> dict[bytes, Any]:
    """Each tracker row's place (or its value in `values`) by its calendar UID's id
    (splice._calendar's order)."""
    vals: Any = range(len(raw)) if values is None else values
    joined = b"\0".join(raw)
    # The common case at C speed (30,000 rows at 5,000 meetings): nothing escaped.
    if raw and b"&" not in joined and joined.count(b"\0") == len(raw) - 1:
        return dict(zip(joined.replace(b"/", b"-").split(b"\0"), vals, strict=True))
    return {_uid(x): v for x, v in zip(raw, vals, strict=True)}


def read(config: Config, out: Path, token: bytes, raw: list[bytes], files: bytes) -> Order:
    """The kept order, when its ids are the tracker's rows' (`raw`, as printed), in order
    (else Unsure: the full build)."""
    path = file(config, out)
    try:
        raw_file = path.read_bytes()
    except OSError:
        raw_file = b""
    payload = raw_file[16:]
    _check(
        len(raw_file) > 16 and raw_file[:16] == hashlib.blake2b(payload, digest_size=16).digest()
    )
    got: Any = marshal.loads(payload)
    _check(isinstance(got, tuple) and len(got) == 2 and got[0] == token)
    ids, keys, named, files_then = marshal.loads(got[1])
    _check(files_then == files)
    raw = list(raw)
    _check(len(raw) == len(ids) == len(keys))
    if b"\0".join(raw) != "\0".join(ids).encode():  # as printed: escaped
        _check(all(html.unescape(r.decode()) == x for r, x in zip(raw, ids, strict=True)))
    _check(all(type(k) is str for k in keys))
    return Order(raw, ids, keys, set(named), files)
