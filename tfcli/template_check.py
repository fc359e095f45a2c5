"""The `template` rule of `tf check`: each of the group's own templates read and compiled the
way `tf new-meeting` (templates/meeting.md) and `tf render` (templates/site/*.html) would,
nothing rendered, so that a template which cannot be read or parsed is a located problem
before a command that needs it fails."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from tfcli.errors import DataError, LoadError
from tfcli.model import Problem, Repo, Severity
from tfcli.paths import display_path

RULE = "template"
SITE_HINT = "fix the template in templates/site/, or remove it to use the built-in one"


TEMPLATE = "meeting.md"  # tfcli.agenda's (a test keeps them equal): that module is not needed


def templates(repo: Repo, today: date) -> Iterable[Problem]:
    folder = repo.config.templates_dir
    own = folder / TEMPLATE
    if own.exists() or own.is_symlink():
        yield from _meeting_template(folder, TEMPLATE)
    for path in _site_templates(folder / "site"):
        yield from _site_template(repo, folder / "site", path)


def _meeting_template(folder: Path, name: str) -> Iterator[Problem]:
    from tfcli import templates as tpl

    try:
        tpl.compiled(tpl.find(folder, name))
    except DataError as e:
        yield _located(e, display_path(folder / name))


def _site_templates(folder: Path) -> list[Path]:
    """The group's page templates: the `.html` files below templates/site/, of any kind (a
    FIFO or a broken link is listed, then reported by reading it)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p for p in folder.rglob("*.html") if not p.name.startswith("."))


def _site_template(repo: Repo, folder: Path, path: Path) -> Iterator[Problem]:
    import jinja2

    from tfcli.load import read_text
    from tfcli.site.policy import Policy
    from tfcli.site.render import environment

    shown = display_path(path)
    try:
        text = read_text(path, repo.config.root)
    except LoadError as e:
        msg = e.message.removeprefix("cannot read file: ")
        hint = e.hint or SITE_HINT
        yield Problem(
            shown, e.line, e.col, Severity.ERROR, RULE, f"cannot read template: {msg}", hint
        )
        return
    env = environment(folder, Policy())
    name = path.relative_to(folder).as_posix()
    try:
        env.compile(text, name, shown)
    except jinja2.TemplateSyntaxError as e:
        from tfcli.templates import one_line_safe

        msg = f"template syntax error: {one_line_safe(e.message or '')}"
        yield Problem(shown, e.lineno or 1, 1, Severity.ERROR, RULE, msg, SITE_HINT)


def _located(e: DataError, shown: str) -> Problem:
    """A DataError of tfcli.templates (`where` is `path`, `path:line` or `path:line:col`)."""
    parts = (e.where or shown).rsplit(":", 2)
    numbers = [int(p) for p in parts[1:] if p.isdigit()]
    line, col = [*numbers, 1, 1][:2]
    return Problem(shown, line, col, Severity.ERROR, RULE, e.message, e.hint)
