"""How the index (tfcli.index) keeps a meeting, and `.tf/config` what tf.yml gave: pickled,
naming nothing but the model's classes and the values they hold (a meeting's positions apart,
tfcli.spanmap). A pickle that names anything else (a hostile or foreign file) is refused: the
file is parsed instead."""

from __future__ import annotations

import copy
import io
import os
import pickle
from pathlib import Path
from typing import Any, ClassVar

from tfcli import spanmap
from tfcli.model import Config, Meeting, Problem

# A meeting as kept: pickled (meeting, problems), and its spans.
Blob = tuple[bytes, bytes]
CONFIG_FILE = "config"  # what tf.yml gave, so that a warm run imports no YAML at all

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
_MODEL = ("tfcli.model", "tfcli.model_config")  # the modules of the model's records


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
        if (module, name) in _ALLOWED or module in _MODEL:
            got = self.found[module, name] = super().find_class(module, name)
            return got
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")


def _encode(meeting: Meeting | None, problems: list[Problem], own: bool = False) -> Blob:
    """An entry's pickle, and its meeting's spans apart (tfcli.spanmap: the front matter
    while they are unmade, as a cold run leaves them; made on first use when read back).
    `own`: the meeting is the caller's own copy, its spans taken from it (no second copy)."""
    spans = b""
    if meeting is not None:
        spans = spanmap.dumps(meeting.spans)
        if not own:
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


# -- .tf/config ---------------------------------------------------------------------------------


def _config_key(path: Path, data: bytes) -> bytes:
    from tfcli.stamped import _digest

    return _digest(f"{path}\0{os.getcwd()}\0".encode("utf-8", "surrogateescape") + data)


def cached_config(path: Path, data: bytes) -> tuple[Config, list[Problem]] | None:
    """What tf.yml's bytes `data` gave last time (no YAML imported), when they did."""
    from tfcli.index import enabled
    from tfcli.stamped import _read_file

    if not enabled():
        return None
    key = _config_key(path, data)
    got = _read_file(path.parent / ".tf", CONFIG_FILE, key, lambda f: _Unpickler(f).load())
    if isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], Config):
        config, problems = got
        if isinstance(problems, list) and all(isinstance(p, Problem) for p in problems):
            return config, problems
    return None


def keep_config(path: Path, data: bytes, config: Config, problems: list[Problem]) -> None:
    from tfcli.index import enabled
    from tfcli.stamped import _write_file

    if enabled():
        payload = _pickle((config, problems))
        _write_file(path.parent, CONFIG_FILE, _config_key(path, data), payload)
