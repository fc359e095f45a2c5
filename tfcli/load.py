"""The only code that reads minutes and config from disk.

Per file, every failure becomes a located Problem; only a repo that cannot be read at all
(missing minutes folder, unparsable tf.yml) raises DataError.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

from tfcli import frontmatter, yamlstrict
from tfcli.config import CONFIG_NAME, build_config
from tfcli.errors import DataError, LoadError
from tfcli.model import Config, Meeting, Problem, Repo, Severity
from tfcli.schema import build_meeting

# Files in the minutes folder that are not meetings.
SKIP_NAMES = {"readme.md", "index.md", "changelog.md"}


@functools.cache
def _cwd() -> Path:
    return Path.cwd().resolve()


def display_path(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when below it."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(_cwd()))
    except ValueError:
        try:
            return str(path.resolve().relative_to(_cwd()))
        except ValueError:
            return os.path.relpath(path, _cwd())


def workspace_path(shown: str) -> str:
    """A displayed path as GitHub wants it in an annotation: relative to $GITHUB_WORKSPACE,
    else to the enclosing git checkout, whatever folder tf was started in."""
    path = Path(shown).resolve()
    roots = [Path(w) for w in [os.environ.get("GITHUB_WORKSPACE", "")] if w]
    roots += [d for d in (_cwd(), *_cwd().parents) if (d / ".git").exists()][:1]
    for root in roots:
        try:
            return path.relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return shown


def find_config(start: Path) -> Path | None:
    """tf.yml in `start` or the nearest parent, as git finds .git."""
    for d in (start, *start.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> tuple[Config, list[Problem]]:
    start = (start or Path.cwd()).resolve()
    path = find_config(start)
    if path is None:
        return build_config(start, None, "", None)
    shown = display_path(path)
    try:
        text = frontmatter.decode(_read(path))
        tree = yamlstrict.parse(text)
    except LoadError as e:
        where = f"{shown}:{e.line}:{e.col}"
        raise DataError(f"cannot read config: {e.message}", e.hint, where) from None
    return build_config(path.parent, path, shown, tree)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > frontmatter.MAX_FILE_BYTES:  # don't read a huge file only to refuse it
            raise LoadError(
                "too-large",
                f"file is {size:,} bytes, more than the {frontmatter.MAX_FILE_BYTES:,} allowed",
                hint="split it, or move attachments out of the minutes",
            )
        return path.read_bytes()
    except OSError as e:
        raise LoadError("unreadable", f"cannot read file: {e.strerror or e}") from None


def read_text(path: Path) -> str:
    """A text file that is not minutes (a template): UTF-8 with or without BOM, newlines as
    \\n, the same size limit as minutes. A LoadError (rule, message, line) otherwise."""
    return frontmatter.decode(_read(path))


# Minutes in another format: worth a warning, since tf would otherwise skip them silently.
OTHER_FORMATS = {".txt", ".doc", ".docx", ".odt", ".rtf"}


def is_minutes_file(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".markdown")


def meeting_files(config: Config, problems: list[Problem]) -> list[Path]:
    """The minutes files below the minutes folder (`*.md` in any case, `*.markdown`), minus
    README/index files and anything hidden or starting with `_`; files that look like minutes
    in another format are reported."""
    folder = config.minutes_dir
    if not folder.is_dir():
        raise DataError(
            f"minutes folder not found: {display_path(folder)}",
            "run tf inside the minutes repository, set 'minutes:' in tf.yml, or run 'tf init'",
        )
    files = []
    for p in folder.rglob("*"):
        if any(part.startswith((".", "_")) for part in p.relative_to(folder).parts):
            continue
        if is_minutes_file(p) and p.name.lower() not in SKIP_NAMES and p.is_file():
            files.append(p)
        elif p.suffix.lower() in OTHER_FORMATS:
            problems.append(
                Problem(
                    display_path(p),
                    1,
                    1,
                    Severity.WARNING,
                    "not-minutes",
                    f"not read: tf reads minutes from Markdown files, not {p.suffix} files",
                    "convert it to Markdown with front matter as docs/format.md describes, "
                    "or move it out of the minutes folder",
                )
            )
    return sorted(files)


def read_meeting(path: Path, config: Config, problems: list[Problem]) -> Meeting | None:
    shown = display_path(path)
    try:
        split = frontmatter.split(frontmatter.decode(_read(path)))
        tree = yamlstrict.parse(split.front_matter, line_offset=split.front_matter_line - 1)
    except LoadError as e:
        problems.append(Problem(shown, e.line, e.col, Severity.ERROR, e.rule, e.message, e.hint))
        return None
    return build_meeting(
        path, shown, tree, split.body, split.body_line, config.visibility, problems
    )


def load_repo(start: Path | None = None, extra: Iterable[Path] = ()) -> Repo:
    """Every meeting in the minutes folder (plus `extra` files), sorted by date and id."""
    config, problems = load_config(start)
    files = meeting_files(config, problems)
    known = {p.resolve() for p in files}
    files += [p for p in extra if p.resolve() not in known]
    meetings = [m for p in files if (m := read_meeting(p, config, problems))]
    meetings.sort(key=lambda m: (m.date, m.id))
    return Repo(config, meetings, problems, files)


def read_bytes(path: Path) -> bytes:
    """One file exactly as on disk (for the editor, which must keep every byte), with the
    same size limit; a DataError naming the file when it cannot be read."""
    try:
        return _read(path)
    except LoadError as e:
        raise DataError(e.message, e.hint, display_path(path)) from None
