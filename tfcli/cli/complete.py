"""Shell completion: `tf completion bash|zsh|fish` prints the script to install, and the
functions that complete meeting ids, action ids, owners and statuses from the repository.

Nothing here runs on a normal start: the functions import the loader only when the shell
asks (`_TF_COMPLETE` set), and they never print or fail, since the prompt is theirs."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tfcli.cli.app import app

SHELLS = ("bash", "zsh", "fish")
# Typer reads the signature of every completion function when it builds the commands; on a
# normal start (no shell asking) they are left out so that this costs nothing.
COMPLETING = bool(os.environ.get("_TF_COMPLETE"))


def when_completing(fn: Callable[..., Any]) -> Callable[..., Any] | None:
    return fn if COMPLETING else None


STATUSES = ("open", "in-progress", "done", "dropped")


def _root(ctx: Any) -> Path | None:
    """`tf -C DIR ...`: the repository the completed command will run in."""
    try:
        repo = ctx.find_root().params.get("repo")
    except AttributeError:
        return None
    return Path(repo) if repo else None


def _repo(ctx: Any) -> Any:
    from tfcli.load import load_repo

    return load_repo(_root(ctx))


def _matching(pairs: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    low = incomplete.lower()
    return [(v, h[:60]) for v, h in pairs if v.lower().startswith(low)]


def meeting_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        repo = _repo(ctx)
        return _matching([(m.id, m.title or "") for m in reversed(repo.meetings)], incomplete)
    except Exception:  # a broken repo must not break the shell prompt
        return []


def action_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        from tfcli.actions import track

        tracked = track(_repo(ctx))
        return _matching([(t.id, t.action.text) for t in tracked], incomplete)
    except Exception:
        return []


def owners(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Organisations and roles from the roster in tf.yml: an organisation by its short name
    when it has one (a full name with spaces would reach bash as several words)."""
    try:
        from tfcli.load import load_config

        config, _ = load_config(_root(ctx))
    except Exception:
        return []
    pairs: list[tuple[str, str]] = []
    for org in config.organisations:
        pairs.append((org.short, org.name) if org.short else (org.name, org.group or ""))
    pairs += [(role, ", ".join(members)) for role, members in config.roles.items()]
    return _matching(pairs, incomplete)


def statuses(incomplete: str) -> list[str]:
    return [s for s in STATUSES if s.startswith(incomplete)]


def shells(incomplete: str) -> list[str]:
    return [s for s in SHELLS if s.startswith(incomplete)]


@app.command()
def completion(
    shell: Annotated[
        str, typer.Argument(help="bash, zsh or fish.", autocompletion=when_completing(shells))
    ],
) -> None:
    """Print the shell completion script for tf: commands, options, meeting ids, action ids
    and owners from the roster. Install it once, then open a new shell.

    Examples:

      tf completion bash > ~/.local/share/bash-completion/completions/tf

      tf completion zsh > ~/.zfunc/_tf    # fpath+=(~/.zfunc) before compinit

      tf completion fish > ~/.config/fish/completions/tf.fish
    """
    from typer._completion_shared import get_completion_script

    from tfcli.errors import UsageError

    if shell not in SHELLS:
        raise UsageError(f"no completion for '{shell}'", f"use one of: {', '.join(SHELLS)}")
    typer.echo(get_completion_script(prog_name="tf", complete_var="_TF_COMPLETE", shell=shell))
