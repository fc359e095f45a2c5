"""How the index (tfcli.index) keeps a meeting: pickled, naming nothing but the model's classes
and the values they hold, its positions apart (tfcli.spanmap). A pickle that names anything
else (a hostile or foreign file) is refused: the file is parsed instead."""

from __future__ import annotations

import copy
import io
import pickle
from typing import Any, ClassVar

from tfcli import spanmap
from tfcli.model import Meeting, Problem

# A meeting as kept: pickled (meeting, problems), and its spans.
Blob = tuple[bytes, bytes]

# What an entry's pickle may name: the model's classes and the values they hold. Anything
# else (a hostile or foreign file) makes the entry unusable: the file is parsed instead.
_ALLOWED = {
    ("pathlib", "PosixPath"),
    ("pathlib", "PurePosixPath"),
    ("pathlib", "WindowsPath"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
}


def _pickle(value: object) -> bytes:
    buf = io.BytesIO()
    # The model's records pickle as a call of their class with every field, read in C
    # (tfcli.record): half the cost to read back of the default, a __setstate__ per object.
    pickle.Pickler(buf, protocol=5).dump(value)
    return buf.getvalue()


class _Unpickler(pickle.Unpickler):
    found: ClassVar[dict[tuple[str, str], Any]] = {}  # shared: each entry is its own pickle

    def find_class(self, module: str, name: str) -> Any:
        if (got := self.found.get((module, name))) is not None:
            return got
        if (module, name) in _ALLOWED or module == "tfcli.model":
            got = self.found[module, name] = super().find_class(module, name)
            return got
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")


def _encode(meeting: Meeting | None, problems: list[Problem]) -> Blob:
    """An entry's pickle, and its meeting's spans apart (tfcli.spanmap: the front matter
    while they are unmade, as a cold run leaves them; made on first use when read back)."""
    spans = b""
    if meeting is not None:
        spans = spanmap.dumps(meeting.spans)
        meeting = copy.copy(meeting)
        meeting.spans = {}
    return _pickle((meeting, problems)), spans


def _decode(blob: bytes, spans: bytes) -> tuple[Meeting | None, list[Problem]]:
    meeting, problems = _Unpickler(io.BytesIO(blob)).load()
    if not (meeting is None or isinstance(meeting, Meeting)) or not all(
        isinstance(p, Problem) for p in problems
    ):
        raise pickle.UnpicklingError("not an entry")
    if meeting is not None:
        meeting.spans = spanmap.loads(spans)
    return meeting, list(problems)
