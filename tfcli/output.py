"""The one place that turns rows and problems into text: table, JSON, CSV, Markdown and
GitHub workflow annotations. User text never reaches a terminal unescaped."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import IO, Any

from tfcli.model import Problem


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    github = "github"
    text = "text"
    html = "html"
    xlsx = "xlsx"  # a workbook: tfcli.emit writes it, as bytes


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    style: str | None = None  # table view only: bold, dim, red, green or yellow
    style_key: str | None = None  # row key holding a per-row style (table view only)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def safe(text: str) -> str:
    """Control characters (ESC, BEL, CR...) shown as escapes so minutes text can never move
    the cursor, change colours or rewrite a terminal line."""
    return _CONTROL.sub(lambda m: repr(m[0])[1:-1], text)


def use_colour(stream: IO[str]) -> bool:
    return (
        stream is not None and stream.isatty() and not os.environ.get("NO_COLOR")
    )  # no-color.org: set and non-empty


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


_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def write_json(data: Any, out: IO[str]) -> None:
    """UTF-8 JSON; the characters json leaves raw that a terminal could act on (DEL, C1
    controls such as U+009B, line separators) are written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable)
    out.write(_JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n")


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


_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}


def cell_width(text: str) -> int:
    """Terminal columns a string takes: wide East Asian characters count 2, combining 0."""
    import unicodedata

    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def write_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: IO[str]) -> None:
    """Aligned columns. On a terminal, the widest columns wrap to fit its width and colour may
    be used; into a pipe, every row stays one line. Our own renderer: rich's Table took seconds
    for a few thousand rows."""
    colour = use_colour(out)
    head = [c.header for c in columns]
    body = [[one_line(_plain(r.get(c.key))) for c in columns] for r in rows]
    widths = [
        max([cell_width(h), *(cell_width(row[i]) for row in body)]) for i, h in enumerate(head)
    ]
    if out.isatty():
        import shutil

        room = shutil.get_terminal_size().columns - 2 * (len(columns) - 1)
        while sum(widths) > room and max(widths) > 20:
            widest = widths.index(max(widths))
            widths[widest] = max(20, widths[widest] - (sum(widths) - room))
    last = len(columns) - 1

    def line(cells: list[str], styles: list[str | None]) -> None:
        parts = [
            _wrap(c, w) if cell_width(c) > w else [c] for c, w in zip(cells, widths, strict=True)
        ]
        for k in range(max(len(p) for p in parts)):
            out_cells = []
            for i, p in enumerate(parts):
                text = p[k] if k < len(p) else ""
                pad = "" if i == last else " " * (widths[i] - cell_width(text))
                if colour and styles[i] and text:
                    text = f"\x1b[{_SGR.get(styles[i] or '', '0')}m{text}\x1b[0m"
                out_cells.append(text + pad)
            out.write("  ".join(out_cells).rstrip() + "\n")

    line(head, ["bold"] * len(columns))
    for r, cells in zip(rows, body, strict=True):
        line(cells, [(c.style_key and r.get(c.style_key)) or c.style for c in columns])


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
    from tfcli.load import workspace_path

    props = [f"file={gh_property(workspace_path(file))}", f"line={line}"]
    if col:
        props.append(f"col={col}")
    if title:
        props.append(f"title={gh_property(title)}")
    return f"::{level} {','.join(props)}::{gh_data(message)}"


# -- problems --------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """safe(), and newlines shown as \\n: one problem is always one line."""
    return safe(text).replace("\n", "\\n")


def problem_line(p: Problem, colour: bool = False) -> str:
    sev = p.severity.value
    if colour:
        sev = f"\x1b[{'31' if sev == 'error' else '33'}m{sev}\x1b[0m"
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
    for p in problems:
        if fmt is Format.github:
            msg = f"{p.message} ({p.hint})" if p.hint else p.message
            out.write(annotation(p.severity.value, msg, p.path, p.line, p.col, f"tf {p.rule}"))
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
