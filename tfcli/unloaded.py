"""Problems that say more than they know when a file does not load: a follow-up of an
action of that file's meeting ("unknown action '2025-06-18/4' (did you mean
'2025-06-21/4'?)") or a `previous:` naming it. The action exists; its file has an error. The
message says so and names the file to fix, so that no one "corrects" a right reference.

Applied to `tf check`'s final list, after the rules and their cache: what it reads (the
problems and the loaded files' paths) is the same with or without `.tf/check`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tfcli.model import Problem, Severity
from tfcli.record import replace

_TARGET = "update points at unknown action '"
_PREVIOUS = "previous meeting '"


def _named(p: Problem) -> str | None:
    """The meeting id a problem names as missing, if it is one of those above."""
    if p.rule == "update-target" and p.message.startswith(_TARGET):
        return p.message[len(_TARGET) :].rstrip("'").rsplit("/", 1)[0]
    if (
        p.rule == "previous"
        and p.message.startswith(_PREVIOUS)
        and p.message.endswith("' not found")
    ):
        return p.message[len(_PREVIOUS) : -len("' not found")]
    return None


def blame_unloaded(problems: list[Problem], loaded: Callable[[], Iterable[str]]) -> list[Problem]:
    """`problems` with those naming the meeting of a file that does not load told so.
    `loaded`: the shown paths of the files that loaded (asked only when needed)."""
    if not any(_named(p) for p in problems):
        return problems
    ok = set(loaded())
    broken: dict[str, str] = {}  # a date -> the first file of that date that does not load
    for p in problems:
        name = p.path.replace("\\", "/").rsplit("/", 1)[-1]
        if p.severity is Severity.ERROR and p.path not in ok and name[:10] not in broken:
            broken[name[:10]] = p.path
    out = []
    for p in problems:
        meeting = _named(p)
        path = broken.get(meeting[:10]) if meeting else None
        if path is None or meeting is None:
            out.append(p)
        elif p.rule == "update-target":
            what = p.message[len(_TARGET) - len("action '") :]
            out.append(
                replace(
                    p,
                    message=f"update points at {what}, of a meeting whose file does not load",
                    hint=f"fix {path} first",
                )
            )
        else:
            out.append(
                replace(
                    p,
                    message=f"previous meeting '{meeting}' not found: its file does not load",
                    hint=f"fix {path} first",
                )
            )
    return out
