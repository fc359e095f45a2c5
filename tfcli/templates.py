"""Jinja2 templates for files `tf` writes: the group's own (`templates/` in the repo) or the
built-in defaults shipped in `tfcli/defaults/`.

Templates run in Jinja's sandbox (a template in a cloned repo must not run code), with
StrictUndefined (a misspelt variable is an error, not an empty string) and no autoescaping
(the output is Markdown). Values written into YAML go through the `yaml` filter.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tfcli.errors import DataError

# Characters a YAML comment must not contain: line breaks (YAML 1.1 counts NEL, LS, PS),
# anything PyYAML's reader refuses, and bidi controls (they reorder what a reader sees).
_NOT_IN_COMMENT = re.compile(
    r"[^\x20-\x7e\xa0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\ud7ff"
    r"\ue000-\ufffd\U00010000-\U0010ffff]"
)


def yaml_scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value`: plain when that is unambiguous,
    double-quoted (with escapes) otherwise: `Zoom`, `"a: b"`, `"yes"`, `"line\\nbreak"`."""
    from tfcli.yamlwrite import yaml_scalar as text_scalar

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):  # a participant that names a person: {name: Sara Lind}
        return "{" + ", ".join(f"{_in_flow(k)}: {_in_flow(v)}" for k, v in value.items()) + "}"
    return text_scalar(str(value))


def _in_flow(value: Any) -> str:
    """`yaml_scalar(value)` inside a flow mapping, where `,[]{}` end a plain scalar."""
    from tfcli.yamlwrite import quoted

    text = yaml_scalar(value)
    plain = not text.startswith('"') and isinstance(value, str)
    return quoted(value) if plain and any(c in text for c in ",[]{}") else text


def collapse_whitespace(value: Any) -> str:
    """The `oneline` filter, for a Markdown heading: every run of whitespace (line breaks
    too) becomes one space, ends trimmed. Nothing is escaped (unlike `output.one_line`)."""
    return " ".join(str(value).split())


def yaml_comment(value: Any, limit: int = 72) -> str:
    """Text safe after `#` in YAML: one line, no control characters, shortened to `limit`."""
    text = collapse_whitespace(_NOT_IN_COMMENT.sub(" ", str(value)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def md_cell(value: Any) -> str:
    from tfcli.output import md_cell as cell

    return cell(collapse_whitespace("" if value is None else value))


def long_date(value: date) -> str:
    """`Friday 8 July 2022`: the `longdate` filter."""
    from tfcli.dates import long_date as long

    return long(value, weekday=True)


FILTERS = {
    "yaml": yaml_scalar,
    "comment": yaml_comment,
    "oneline": collapse_whitespace,
    "cell": md_cell,
    "longdate": long_date,
}


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # file name inside the templates folder, e.g. meeting.md
    text: str
    shown: str  # how messages name it: templates/meeting.md, or "built-in meeting.md"
    builtin: bool


def find(templates_dir: Path, name: str) -> Source:
    """The group's template `name` if the templates folder has it, else the built-in one."""
    from tfcli.errors import LoadError
    from tfcli.load import read_text
    from tfcli.paths import display_path

    own = templates_dir / name
    if own.exists() or own.is_symlink():  # a broken link is reported, not passed over
        shown = display_path(own)
        try:
            text = read_text(own)  # load.py is the one reader: UTF-8, size limit
        except LoadError as e:
            where = f"{shown}:{e.line}:{e.col}" if e.rule == "encoding" else shown
            hint = e.hint or "fix the template, or delete it to use the built-in one"
            message = e.message.removeprefix("cannot read file: ")
            raise DataError(f"cannot read template: {message}", hint, where) from None
        return Source(name, text, shown, builtin=False)
    from importlib.resources import files

    text = files("tfcli").joinpath("defaults", name).read_text(encoding="utf-8")
    return Source(name, text, f"built-in template {name}", builtin=True)


def _environment(source: Source) -> Any:
    """The sandboxed environment `source` renders in: its one template, tf's filters."""
    import jinja2

    from tfcli.sandbox import BoundedEnvironment

    return BoundedEnvironment(
        loader=jinja2.FunctionLoader(
            lambda name: (
                (source.text, _filename(source), lambda: True) if name == source.name else None
            )
        ),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _filename(source: Source) -> str:
    # The file name Jinja puts into tracebacks, so that a runtime error can be located.
    return f"<tf template {source.name}>"


def compiled(source: Source) -> Any:
    """`source` parsed and compiled as render() would, nothing run: a syntax error (or an
    unknown filter) is a DataError naming the template line. `tf check` uses it alone."""
    import jinja2

    env = _environment(source)
    env.add_filters(FILTERS)
    try:
        return env.get_template(source.name)
    except jinja2.TemplateSyntaxError as e:
        raise DataError(
            f"template syntax error: {one_line_safe(e.message or '')}",
            _fix_hint(source),
            f"{source.shown}:{e.lineno}",
        ) from None


def render(source: Source, context: dict[str, Any]) -> str:
    """Render with `context`; any template error is a DataError naming the template line."""
    import jinja2

    from tfcli.sandbox import LimitError, render_bounded

    filename = _filename(source)
    hint = "variables: " + ", ".join(sorted(context)) + " (see docs/templates.md)"
    template = compiled(source)
    try:
        return render_bounded(template, context)
    except Exception as e:  # a template may fail in many ways; each is the template's fault
        line = _template_line(e, filename)
        where = f"{source.shown}:{line}" if line else source.shown
        if isinstance(e, jinja2.UndefinedError):
            msg, why = f"template error: {e.message}", hint
        elif isinstance(e, LimitError | MemoryError | RecursionError):
            msg = f"template stopped: {e or 'it needs too much memory'}"
            why = "templates have limits, see docs/templates.md; " + _fix_hint(source)
        else:
            msg, why = f"template error: {type(e).__name__}: {e}", _fix_hint(source)
        raise DataError(one_line_safe(msg), why, where) from None


def one_line_safe(text: str) -> str:
    """Template text quoted in a message: control characters shown as escapes (no terminal
    tricks), newlines as \\n."""
    from tfcli.output import one_line as safe_line

    return safe_line(text)


def _fix_hint(source: Source) -> str:
    if source.builtin:
        return "this is a bug in tf; report it"
    return "fix the template, or delete it to use the built-in one"


def _template_line(error: BaseException, filename: str) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return lines[-1] if lines else None


# -- HTML ------------------------------------------------------------------------------------

_HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
  line-height: 1.5; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; }}
</style>
</head>
<body>
{body}</body>
</html>
"""


# Markdown beyond the limits that `tf render` formats (tfcli.policy.formatted): as written.
_AS_WRITTEN = (
    "<p><strong>Shown as written:</strong> beyond what tf formats as Markdown (at most "
    "{limit:,} characters, with at most {brackets:,} \u201c[\u201d).</p>\n<pre>{text}</pre>\n"
)


def markdown_to_html(text: str, tables: bool = True) -> str:
    """CommonMark (+ tables unless not `tables`) with raw HTML off: `<script>` in the text is
    shown, never run. The one way tf turns Markdown into HTML outside the site (drafted
    e-mails, the agenda's page): Markdown beyond the site's limits, whose work grows with
    each `[` that opens no link (two minutes for 2 MiB of them), is shown as written,
    escaped, as `tf render` shows such a body."""
    import html

    from tfcli.policy import BRACKET_LIMIT, MARKDOWN_LIMIT, formatted

    if not formatted(text):
        escaped = html.escape(text, quote=False)
        return _AS_WRITTEN.format(limit=MARKDOWN_LIMIT, brackets=BRACKET_LIMIT, text=escaped)
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    return str((md.enable("table") if tables else md).render(text))


def html_page(title: str, markdown: str) -> str:
    """A complete small HTML document: the Markdown rendered, the title escaped (control
    characters shown as escapes, as on a terminal, then HTML-escaped)."""
    import html

    from tfcli.output import safe

    body = markdown_to_html(markdown)
    return _HTML_PAGE.format(title=html.escape(" ".join(safe(title).split())), body=body)
