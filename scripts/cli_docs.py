"""The option blocks of docs/cli.md, generated from the commands themselves, so that the
reference cannot drift from `tf --help`.

    python scripts/cli_docs.py           # rewrite docs/cli.md in place
    python scripts/cli_docs.py --check   # exit 1 when docs/cli.md is stale (tests do this)

Each `## \\`tf NAME\\`` heading is followed by a fenced block with the command's synopsis and
a table of its arguments and options with their help text (between `<!-- options -->`
markers); only those are replaced, the prose around them is written by hand."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import typer

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
WIDTH = 95
HEADING = re.compile(
    r"^## `(tf [a-z -]+)`\n\n```\n(.*?)```\n(?:\n<!-- options -->\n.*?<!-- /options -->\n)?",
    re.M | re.S,
)
FORMATS = re.compile(r"^Output format: ([a-z, ]+) \(")


# typer vendors its own click (typer._click): parameters and commands are read by duck typing.


def command(path: str) -> Any:
    """`tf actions show` -> the click command."""
    from tfcli.cli import app

    cmd = typer.main.get_command(app)
    for name in path.split()[1:]:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    return cmd


def _metavar(p: Any) -> str:
    if p.param_type_name == "option" and (m := FORMATS.match(p.help or "")):
        return "|".join(f.strip() for f in m[1].split(","))
    return str(p.metavar or (p.name or "").upper())


def _word(p: Any) -> str | None:
    if p.param_type_name == "argument":
        word = _metavar(p) + ("..." if p.nargs == -1 else "")
        return word if p.required else f"[{word}]"
    if p.param_type_name != "option" or p.hidden or p.name == "help":
        return None
    name = max(p.opts, key=len)
    word = name if p.is_flag else f"{name} {_metavar(p)}"
    if p.required:
        return word
    return f"[{word}]..." if p.multiple else f"[{word}]"


def synopsis(path: str) -> str:
    words = [w for p in command(path).params if (w := _word(p))]
    indent = " " * (len(path) + 1)
    lines = [path]
    for w in words:  # wrap between options, never inside one
        if len(lines[-1]) + 1 + len(w) > WIDTH:
            lines.append(indent + w)
        else:
            lines[-1] += " " + w
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def options(path: str) -> str:
    """The arguments and options of `path` as a Markdown table, from their help text."""
    rows = []
    for p in command(path).params:
        if p.param_type_name == "argument":
            names = f"`{_metavar(p)}`"
        elif p.hidden or p.name == "help" or p.param_type_name != "option":
            continue
        else:
            long_first = sorted([*p.opts, *p.secondary_opts], key=lambda o: -len(o))
            names = ", ".join(f"`{o}`" for o in long_first)
        rows.append(f"| {names} | {_cell(getattr(p, 'help', None) or '')} |")
    if not rows:
        return ""
    table = "\n".join(["| argument or option | meaning |", "|---|---|", *rows])
    return f"\n<!-- options -->\n{table}\n<!-- /options -->\n"


def update(text: str) -> str:
    return HEADING.sub(lambda m: f"## `{m[1]}`\n\n```\n{synopsis(m[1])}```\n{options(m[1])}", text)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = update(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            print(f"{DOC} is stale: run python scripts/cli_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
