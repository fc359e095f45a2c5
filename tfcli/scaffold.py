"""`tf init`: a new group's minutes repository in one step. The files are package data in
tfcli/defaults/init/ (the workflow there is also this repository's own); tf.yml and the
README are Jinja templates, and the first meeting is what `tf new-meeting` would write."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tfcli.errors import UsageError

WORKFLOW = ".github/workflows/minutes.yml"
# The workflow's line naming what pip installs; `--tf-package` makes its value the default.
PACKAGE_LINE = "  TF_PACKAGE: ${{ vars.TF_PACKAGE }}\n"
# A pip requirement as it may stand in YAML, a GitHub expression and a shell word unquoted
# and unescaped: no blanks, quotes, `$`, backslashes or braces.
_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+\-/:@=<>!~,%#\[\]]*")

# Target in the new repository -> file in tfcli/defaults/init/ (package data has no
# dot files), and whether it is a template.
FILES: tuple[tuple[str, str, bool], ...] = (
    ("tf.yml", "tf.yml", True),
    ("README.md", "README.md", True),
    ("templates/README.md", "templates-README.md", False),
    (WORKFLOW, "minutes.yml", False),
    (".pre-commit-config.yaml", "pre-commit-config.yaml", False),
    (".gitignore", "gitignore", False),
)


@dataclass
class Answers:
    group: str = "Task force"
    timezone: str = "UTC"
    cadence: str | None = None
    organisations: list[tuple[str, str | None]] = field(default_factory=list)  # name, group
    chairs: list[str] = field(default_factory=list)
    tf_package: str | None = None  # the pip requirement for tf (README, workflow default)


def builtin(name: str) -> str:
    from importlib.resources import files

    return files("tfcli").joinpath("defaults", "init", name).read_text(encoding="utf-8")


CADENCE_HINT = "write e.g. 'every 2 weeks', 'weekly', 'monthly'"


def check_answers(a: Answers) -> None:
    """What tf.yml would report as a problem is refused before anything is written."""
    from tfcli.config import parse_cadence, valid_zone, zone_hint

    if not a.group.strip():
        raise UsageError("the group needs a name", "e.g. --group 'Anti-Trafficking Task Force'")
    if not valid_zone(a.timezone):
        raise UsageError(f"unknown time zone '{a.timezone}'", zone_hint(a.timezone))
    if a.cadence and parse_cadence(a.cadence) is None:
        raise UsageError(f"cadence '{a.cadence}' is not understood", CADENCE_HINT)
    if any(not n for n, _ in a.organisations):
        raise UsageError(
            "an organisation needs a name", "e.g. --org 'government: State Chancellery'"
        )
    names: dict[str, str] = {}
    for n, _ in a.organisations:
        if n.casefold() in names:
            raise UsageError(f"organisation {n!r} is given twice", "give each one once")
        names[n.casefold()] = n
    if unknown := [c for c in a.chairs if c.casefold() not in names]:
        raise UsageError(
            f"chair {unknown[0]!r} is not one of the organisations",
            "add it with --org, or leave --chair out",
        )
    if a.tf_package is not None and not _REQUIREMENT.fullmatch(a.tf_package):
        raise UsageError(
            f"--tf-package {a.tf_package!r} is not a pip requirement tf can write into the "
            "workflow (no blanks, quotes, $, braces or backslashes)",
            "e.g. --tf-package git+https://github.com/ORG/tf@v1.0.0",
        )
    # The roster's spelling: a role must name organisations exactly as the roster does.
    a.chairs = [names[c.casefold()] for c in a.chairs]


def check_folder(root: Path) -> None:
    """The new repository's folder: missing (it is created) or a folder, nothing else."""
    from tfcli.load import file_kind
    from tfcli.paths import display_path

    if os.path.lexists(root) and not root.is_dir():
        if not root.exists():
            kind = "a broken link"
        else:
            kind = "a file" if root.is_file() else file_kind(os.stat(root).st_mode)
        raise UsageError(
            f"{display_path(root)} is not a folder (it is {kind})",
            "name a folder, or a new one for tf init to create",
        )


# -- answers asked on a terminal: each checked before the next question ---------------------


def zone_answer(text: str) -> str | None:
    """A typed time zone, trimmed, if it is an IANA name; None to ask again."""
    from tfcli.config import valid_zone

    return text.strip() if valid_zone(text.strip()) else None


def cadence_answer(text: str) -> tuple[bool, str | None]:
    """(understood, cadence) for a typed cadence; empty is understood as none."""
    from tfcli.config import parse_cadence

    rule = text.strip()
    return (not rule or parse_cadence(rule) is not None), rule or None


def names(text: str) -> list[str]:
    """A comma-separated answer as its non-empty items."""
    return [n.strip() for n in text.split(",") if n.strip()]


def parse_org(text: str) -> tuple[str, str | None]:
    """`--org 'government: State Chancellery'` or `--org UNHCR`."""
    group, sep, name = text.partition(":")
    if not sep:
        return " ".join(text.split()), None
    return " ".join(name.split()), " ".join(group.split()) or None


def _render(name: str, context: dict[str, Any]) -> str:
    from tfcli import templates

    source = templates.Source(name, builtin(name), f"built-in {name}", builtin=True)
    return templates.render(source, context)


def plan(root: Path, a: Answers, today: date) -> dict[Path, bytes]:
    """Every file of the new repository, by path, nothing written yet."""
    from tfcli import agenda, yamlstrict
    from tfcli.config import build_config
    from tfcli.model import Repo

    check_answers(a)
    context = {
        "group": a.group,
        "timezone": a.timezone,
        "cadence": a.cadence,
        "organisations": [{"name": n, "group": g} for n, g in a.organisations],
        "chairs": a.chairs,
        "tf_package": a.tf_package,
    }
    out: dict[Path, bytes] = {}
    for target, source, is_template in FILES:
        text = _render(source, context) if is_template else builtin(source)
        if target == WORKFLOW and a.tf_package:  # the repository variable still wins
            assert PACKAGE_LINE in text, "the workflow lost its TF_PACKAGE line"
            default = f"  TF_PACKAGE: ${{{{ vars.TF_PACKAGE || '{a.tf_package}' }}}}\n"
            text = text.replace(PACKAGE_LINE, default)
        out[root / target] = text.encode("utf-8")
    # The first meeting: tf new-meeting's own plan and template, on the tf.yml just made.
    tree = yamlstrict.parse(out[root / "tf.yml"].decode("utf-8"))
    config, problems = build_config(root, root / "tf.yml", "tf.yml", tree)
    assert not problems, problems  # the answers were checked; a problem here is a bug
    nm = agenda.plan(Repo(config, [], [], []), today)
    text, template = agenda.render(nm, config)
    agenda.ensure_valid(text, nm, config, template)
    out[nm.path] = text.encode("utf-8")
    return out


# A repository made on GitHub with "Add a README" and a .gitignore template already has
# these two: the group's own are kept (tf's .gitignore lines added), not a reason to refuse.
KEPT = ("README.md", ".gitignore")


def write(files: dict[Path, bytes], root: Path) -> dict[Path, str]:
    """All files or none: when any exists, refuse naming every one of them; except the
    repository's own README.md (kept) and .gitignore (kept, tf's missing lines appended).
    Returns what was done to each file: 'created', 'kept' or 'added ...'."""
    from tfcli.paths import display_path
    from tfcli.write import create_new, replace_atomically

    def exists(p: Path) -> bool:
        return p.exists() or p.is_symlink()

    # A link is not kept: tf would write through it, maybe out of the repository.
    kept = {root / n for n in KEPT if (root / n).is_file() and not (root / n).is_symlink()}
    if existing := [display_path(p) for p in files if exists(p) and p not in kept]:
        raise UsageError(
            "not overwriting: "
            + ", ".join(existing)
            + (" exist" if len(existing) > 1 else " exists"),
            "run tf init in an empty folder, or move these files away first",
        )
    done: dict[Path, str] = {}
    for path, data in files.items():
        if path not in kept:
            create_new(path, data)
            done[path] = "created"
    for path in sorted(kept):
        done[path] = "kept"
        if path.name != ".gitignore":
            continue
        old = path.read_bytes()
        have = {line.strip() for line in old.decode("utf-8", "replace").splitlines()}
        ours = files[path].decode("utf-8").splitlines()
        add = [ln for ln in ours if ln.strip() and not ln.startswith("#") and ln not in have]
        if add:
            nl = "\r\n" if b"\r\n" in old else "\n"
            lead = nl if old and not old.endswith(b"\n") else ""
            block = lead + nl.join(["# tf's state and site (tf init)", *add]) + nl
            replace_atomically(path, old + block.encode("utf-8"), old)
            done[path] = "added " + ", ".join(add)
    return done


def organisations_of(groups: Sequence[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """Interactive answers (group, comma-separated names) as (name, group) pairs."""
    out: list[tuple[str, str | None]] = []
    for group, text in groups:
        out += [(n, group or None) for n in names(text)]
    return out
