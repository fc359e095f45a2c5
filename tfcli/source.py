"""`tf check --show-source`: each problem with the line it is about and a caret under the
column (as ruff and rustc show them), then a count by rule and by file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from tfcli.model import Problem, Severity
from tfcli.output import one_line, problem_line, safe
from tfcli.table import char_width
from tfcli.term import paint

# Rules about the file as a whole, or whose file cannot be shown as text.
NO_SOURCE = {"encoding", "too-large", "unreadable", "not-minutes"}
TAB = 4
MAX_FILES = 5  # files named in the summary; the rest are counted


def _reader() -> Callable[[str], list[str] | None]:
    """The lines of a file as tf read it (BOM dropped, newlines as \\n), once per file;
    None when it cannot be read now."""
    cache: dict[str, list[str] | None] = {}

    def lines(path: str) -> list[str] | None:
        if path not in cache:
            from tfcli.errors import TfError
            from tfcli.load import read_text

            try:
                cache[path] = read_text(Path(path)).split("\n")
            except (TfError, OSError, ValueError):
                cache[path] = None
        return cache[path]

    return lines


def _cells(line: str) -> list[tuple[str, int]]:
    """Each character as shown (tabs as spaces, control characters escaped) and its width."""
    out = []
    for ch in line:
        shown = " " * TAB if ch == "\t" else safe(ch)
        out.append((shown, sum(char_width(c) for c in shown)))
    return out


def excerpt(line: str, col: int, room: int | None) -> tuple[str, int]:
    """The line as shown, clipped to `room` columns around `col` (1-based, in characters),
    and the display column of the caret (0-based) in it."""
    cells = _cells(line)
    at = min(max(col, 1), len(cells) + 1) - 1
    start, end = 0, len(cells)
    if room is not None and sum(w for _, w in cells) > room:
        room = max(room, 10)
        start = at
        used = 0
        while start > 0 and used + cells[start - 1][1] <= room // 3:  # context on the left
            start -= 1
            used += cells[start][1]
        end, used = start, 1 if start else 0
        while end < len(cells) and used + cells[end][1] <= room - 1:
            used += cells[end][1]
            end += 1
    text = "".join(s for s, _ in cells[start:end])
    caret = sum(w for _, w in cells[start:at])
    if start:
        text, caret = "…" + text, caret + 1
    if end < len(cells):
        text += "…"
    return text, caret


def write_with_source(
    problems: Sequence[Problem], out: IO[str], colour: bool, room: int | None
) -> None:
    """Each problem's usual line, then its source line with a caret, then a blank line."""
    lines = _reader()
    for p in problems:
        out.write(problem_line(p, colour) + "\n")
        text = None if p.rule in NO_SOURCE or p.line < 1 else lines(p.path)
        if text is None or p.line > len(text):
            continue
        gutter = len(str(p.line))
        width = None if room is None else room - gutter - 3
        shown, caret = excerpt(text[p.line - 1], p.col, width)
        style = "red" if p.severity is Severity.ERROR else "yellow"
        bar = paint("|", "dim", colour)
        out.write(f"{' ' * gutter} {bar}\n")
        out.write(f"{paint(str(p.line), 'dim', colour)} {bar} {shown}\n".rstrip() + "\n")
        out.write(f"{' ' * gutter} {bar} {' ' * caret}{paint('^', style, colour)}\n\n")
    if problems:
        out.write(summary(problems) + "\n")


def summary(problems: Sequence[Problem]) -> str:
    """Two lines: how many problems of each rule, and in each file (most first)."""
    rules = Counter(p.rule for p in problems).most_common()
    files = Counter(p.path for p in problems).most_common()
    by_file = [f"{one_line(f)} {n}" for f, n in files[:MAX_FILES]]
    if len(files) > MAX_FILES:
        by_file.append(f"and {len(files) - MAX_FILES} more files")
    return (
        "By rule: " + ", ".join(f"{r} {n}" for r, n in rules) + "\nBy file: " + ", ".join(by_file)
    )
