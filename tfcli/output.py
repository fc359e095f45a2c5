"""The one place that turns rows and problems into text: table, JSON, CSV, Markdown and
GitHub workflow annotations. User text never reaches a terminal unescaped."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import IO, Any, BinaryIO, TextIO, cast

from tfcli.model import Problem, Severity
from tfcli.record import Frozen
from tfcli.record import init as _init


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    github = "github"
    text = "text"
    html = "html"
    xlsx = "xlsx"  # a workbook: tfcli.emit writes it, as bytes


class Column(Frozen):
    __slots__ = ("key", "header", "style", "style_key", "kind", "drop", "min")
    key: str
    header: str
    style: str | None  # table view only: bold, dim, red, green or yellow
    style_key: str | None  # row key holding a per-row style (table view only)
    # Terminal layout (tfcli.table): "text" wraps at words, "id" (ids, paths) loses its
    # middle to an ellipsis, "fixed" (dates, numbers) keeps its width; `drop` > 0 marks a
    # column left out on a narrow terminal, lowest first; `min` the narrowest it may get.
    kind: str
    drop: int
    min: int

    def __init__(
        self,
        key: str,
        header: str,
        style: str | None = None,
        style_key: str | None = None,
        kind: str = "text",
        drop: int = 0,
        min: int = 0,
    ) -> None:
        _init(self, key, header, style, style_key, kind, drop, min)


# C0 and C1 controls, line and paragraph separators, and the bidirectional controls (LRM, RLM,
# ALM, embeddings, overrides, isolates), which reorder what a reader sees ("Trojan Source"),
# each to its escape: a table, not a regular expression (compiling that took 0.6 ms a start).
_CONTROL_RANGES = [(0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x61C, 0x61C), (0x200E, 0x200F)]
_CONTROL_RANGES += [(0x2028, 0x202E), (0x2066, 0x2069)]
_CONTROL = {c: repr(chr(c))[1:-1] for lo, hi in _CONTROL_RANGES for c in range(lo, hi + 1)}


def safe(text: str) -> str:
    """Control characters (ESC, BEL, CR, bidi overrides...) shown as escapes so minutes text
    can never move the cursor, change colours, rewrite a terminal line or reorder text. A lone
    surrogate (an undecodable byte of a command line or file name) is shown as its escape too:
    a stream that encodes strictly would otherwise fail on it."""
    if text.isprintable():  # each of them is unprintable
        return text
    return text.translate(_CONTROL).encode("utf-8", "backslashreplace").decode("utf-8")


def use_colour(stream: IO[str]) -> bool:
    from tfcli.term import use_colour as decide  # --color, NO_COLOR, FORCE_COLOR, TERM...

    return decide(stream)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_JSON_RAW = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def write_json(data: Any, out: IO[str]) -> None:
    """UTF-8 JSON; the characters json leaves raw that a terminal could act on (DEL, C1
    controls such as U+009B, line separators, bidi controls) are written as \\u escapes."""
    out.write(_json_text(data) + "\n")


def _json_text(data: Any) -> str:
    from tfcli.jsontext import dumps  # json.dumps(indent=2)'s text, without its Python encoder

    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", dumps(data, _jsonable))


def json_item(value: Any) -> str:
    """`value` as write_json writes it as an item of a list (`[value, ...]`): what a listing
    kept for later (tfcli.listing_store) joins with `,\\n  ` between `[\\n  ` and `\\n]\\n`."""
    text = _json_text([value])
    assert text.startswith("[\n  ") and text.endswith("\n]"), text
    return text[4:-2]


# The characters that can start Markdown markup wherever they stand. `(`, `!` and `+` need no
# escape: with `[` `]` escaped no link or image can form, and a line never starts with user
# text. `&` is escaped only where it would start an entity.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md_text(text: str) -> str:
    """User text as literal Markdown inline text: one line, control characters shown as
    escapes, every markup character escaped, so minutes text can neither format, link, embed
    an image nor inject HTML wherever the Markdown is rendered (GitHub step summaries, mail)."""
    flat = " ".join(safe(text).split())
    return _ENTITY.sub(r"\\&", flat.translate(_MD_SPECIAL))


def md_cell(value: Any) -> str:
    """A Markdown table cell: literal text that cannot break out of its cell."""
    return md_text(_plain(value))


def csv_cell(value: Any) -> str:
    """A CSV cell: newlines kept (CSV quotes them), other control characters escaped as on a
    terminal, and text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
    prefixed with `'`, as OWASP advises, since secretariats open these files in Excel."""
    text = safe(_plain(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def markdown_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    lines = [
        "| " + " | ".join(c.header for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(md_cell(r.get(c.key)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    out: IO[str] | None = None,
    json_rows: Sequence[dict[str, Any]] | None = None,
) -> None:
    """Rows as the chosen format. JSON gets `json_rows` (the full documented shape) when given."""
    out = out or sys.stdout
    if fmt is Format.json:
        write_json(list(json_rows if json_rows is not None else rows), out)
    elif fmt is Format.csv:
        w = csv.writer(out, lineterminator="\n")
        w.writerow([c.key for c in columns])
        for r in rows:
            w.writerow([csv_cell(r.get(c.key)) for c in columns])
    elif fmt is Format.markdown:
        out.write(markdown_table(rows, columns))
    else:
        write_table(rows, columns, out)


def cell_width(text: str) -> int:
    """Terminal columns a string takes: wide East Asian characters count 2, combining 0."""
    from tfcli.table import cell_width as measure

    return measure(text)


def write_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: IO[str]) -> None:
    """Aligned columns laid out by tfcli.table: fitted to the width of a terminal, one row
    per line on a pipe; colour only where tfcli.term allows it."""
    from tfcli.table import render
    from tfcli.term import is_tty, width

    if not rows and is_tty(out):  # a lone header says nothing; stderr gives the count ("0 actions")
        return
    body = [[one_line(_plain(r.get(c.key))) for c in columns] for r in rows]
    render(rows, columns, body, out, width(out), use_colour(out))


# -- GitHub workflow commands ----------------------------------------------------------------
# https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts


def gh_data(text: str) -> str:
    """GitHub's escaping of workflow-command data, after safe() so that no escape sequence
    from the minutes reaches the Actions log either."""
    return safe(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: str) -> str:
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str, message: str, file: str, line: int, col: int | None = None, title: str = ""
) -> str:
    from tfcli.paths import workspace_path

    props = [f"file={gh_property(workspace_path(file))}", f"line={line}"]
    if col:
        props.append(f"col={col}")
    if title:
        props.append(f"title={gh_property(title)}")
    return f"{_COMMAND_MARK}::{level} {','.join(props)}::{gh_data(message)}"


GITHUB_SHOWN = 10  # annotations of each level GitHub shows per step; it drops the rest silently


def overflow_notice(command: str, counts: dict[str, int]) -> str:
    """One `::notice` line when a level has more annotations than GitHub shows (counts: level
    -> number, e.g. {"error": 3, "warning": 40}), saying how many there are in all; else "".
    Printed before them: notices have their own limit, which the ones after may fill."""
    if all(n <= GITHUB_SHOWN for n in counts.values()):
        return ""
    words = " and ".join(f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n)
    text = (
        f"{command}: {words} in all; GitHub shows only the first {GITHUB_SHOWN} of each kind "
        "here. This step's log lists them all, and so does the job summary with --summary."
    )
    title = f"{command}: more annotations than GitHub shows"
    return f"{_COMMAND_MARK}::notice title={gh_property(title)}::{gh_data(text)}\n"


# -- GitHub Actions logs -----------------------------------------------------------------------
# The runner reads every line a step prints, on stdout and on stderr, and runs it as a workflow
# command when it starts with `::` after blanks (`::error::`, `::add-mask::`,
# `::stop-commands::`), or holds `##[` anywhere (the older syntax). Minutes text must not:
# under GitHub Actions, tf's two streams pass through a guard that shows the first `:` or `#` of
# such a line as an escape (`\x3a:error`), unless tf itself wrote the line (annotation() marks
# its lines with a random per-run token that the guard strips). `::stop-commands::` was not
# chosen: its marker lines would land in the JSON or CSV a job sends to a file.

_COMMAND_MARK = ""  # set by guard_ci_streams()
_LINE_END = re.compile(r"(\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")
_LEGACY_COMMAND = re.compile(r"#(?=#\[)")


def neutralise_command(line: str, mark: str = "") -> str:
    """One line (without its end) as the guard writes it: tf's own marked command unmarked,
    anything else that GitHub would run as a workflow command made inert."""
    if mark and line.startswith(mark):
        return _LEGACY_COMMAND.sub(r"\\x23", line[len(mark) :])
    body = line.lstrip()  # str.isspace covers every character .NET's TrimStart removes
    if body.startswith("::"):
        cut = len(line) - len(body)
        line = line[:cut] + "\\x3a" + line[cut + 1 :]
    return _LEGACY_COMMAND.sub(r"\\x23", line)


class CommandGuard(io.TextIOBase):
    """A text stream that writes whole lines through neutralise_command(); a last line
    without its end waits for finish()."""

    def __init__(self, inner: TextIO, mark: str) -> None:
        self._inner, self._mark, self._pending = inner, mark, ""

    # Properties, as on io.TextIOBase itself (read-only there); click reads them.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._inner.errors

    @property
    def buffer(self) -> BinaryIO:
        """The underlying byte stream: a binary format (xlsx) is a file, not log lines, so
        it passes unchanged (the workflow-command guard is for text)."""
        return self._inner.buffer

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if not isinstance(s, str):  # click probes for binary streams with write(b"")
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        parts = _LINE_END.split(self._pending + s)
        self._pending = parts.pop()
        lines = (p if i % 2 else neutralise_command(p, self._mark) for i, p in enumerate(parts))
        self._inner.write("".join(lines))
        return len(s)

    def flush(self) -> None:
        self._inner.flush()

    def finish(self) -> None:
        if self._pending:
            self._inner.write(neutralise_command(self._pending, self._mark))
            self._pending = ""
        self._inner.flush()


def guard_ci_streams() -> None:
    """Under GitHub Actions (GITHUB_ACTIONS=true), guard stdout and stderr; elsewhere the
    output stays byte for byte as it is."""
    global _COMMAND_MARK
    if os.environ.get("GITHUB_ACTIONS") != "true" or _COMMAND_MARK:
        return
    import atexit
    import secrets

    _COMMAND_MARK = f"<tf:{secrets.token_hex(16)}>"
    out, err = CommandGuard(sys.stdout, _COMMAND_MARK), CommandGuard(sys.stderr, _COMMAND_MARK)
    sys.stdout, sys.stderr = cast(TextIO, out), cast(TextIO, err)
    atexit.register(err.finish)  # atexit runs in reverse order: stdout first
    atexit.register(out.finish)


# -- problems --------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """safe(), and newlines shown as \\n: one problem is always one line."""
    return safe(text).replace("\n", "\\n")


def problem_line(p: Problem, colour: bool = False) -> str:
    sev = p.severity.value
    if colour:
        from tfcli.term import paint

        sev = paint(sev, {"error": "red", "warning": "yellow"}.get(sev, "green"), True)
    hint = f" ({one_line(p.hint)})" if p.hint else ""
    return f"{one_line(p.path)}:{p.line}:{p.col}: {sev} [{p.rule}] {one_line(p.message)}{hint}"


def problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "path": p.path,
        "line": p.line,
        "column": p.col,
        "severity": p.severity.value,
        "rule": p.rule,
        "message": p.message,
        "hint": p.hint,
    }


def write_problems(problems: Sequence[Problem], fmt: Format, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if fmt is Format.json:
        write_json([problem_dict(p) for p in problems], out)
        return
    colour = fmt is not Format.github and use_colour(out)
    if fmt is Format.github:
        levels = [p.severity.value for p in problems]
        out.write(overflow_notice("tf check", {k: levels.count(k) for k in ("error", "warning")}))
    for p in problems:
        if fmt is Format.github:
            msg = f"{p.message} ({p.hint})" if p.hint else p.message
            level = "notice" if p.severity is Severity.INFO else p.severity.value
            out.write(annotation(level, msg, p.path, p.line, p.col, f"tf {p.rule}"))
        else:
            out.write(problem_line(p, colour))
        out.write("\n")


PROBLEM_COLUMNS = (
    Column("where", "Where"),
    Column("severity", "Severity"),
    Column("rule", "Rule"),
    Column("message", "Problem"),
)


def problems_summary(problems: Sequence[Problem], headline: str) -> str:
    """A Markdown block for the GitHub step summary: a heading, then a table of problems."""
    head = f"\n### {md_text(headline)}\n\n"
    if not problems:
        return head + "No problems.\n\n"
    rows = [
        {
            "where": f"{p.path}:{p.line}:{p.col}",
            "severity": p.severity.value,
            "rule": p.rule,
            "message": f"{p.message} ({p.hint})" if p.hint else p.message,
        }
        for p in problems
    ]
    return head + markdown_table(rows, PROBLEM_COLUMNS) + "\n"


def count_words(errors: int, warnings: int) -> str:
    e = f"{errors} error{'s' if errors != 1 else ''}"
    w = f"{warnings} warning{'s' if warnings != 1 else ''}"
    return f"{e}, {w}"


def message(text: str) -> None:
    """Messages for people go to stderr, so stdout stays data."""
    sys.stderr.write(safe(text) + "\n")
