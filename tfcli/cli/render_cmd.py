"""`tf render`: the minutes as a static website (tfcli/site)."""

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import TodayOption, load_repo, resolve_today

if TYPE_CHECKING:
    from tfcli.model import Repo
    from tfcli.site import Result


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal (a long build shows it is alive);
    nothing on a pipe or in CI logs."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Rendering pages", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@app.command("render")
def render(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the site (default: _site in the repository). A new or empty "
            "folder, or one tf render made before; never the minutes folder.",
            metavar="DIR",
        ),
    ] = None,
    include_restricted: Annotated[
        bool,
        typer.Option(
            "--include-restricted",
            help="Internal build: include restricted meetings (every page says so).",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Render on N processes (default: every core).", min=1, metavar="N"
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Render every page again, ignoring and keeping .tf/render-cache."
        ),
    ] = False,
    today: TodayOption = None,
) -> None:
    """Build the minutes as a static website that works opened from disk, without a network.

    Pages: the index, one per meeting, the action tracker, one per organisation, the
    attendance matrix, the decisions register, search, and calendar.ics. The public build
    leaves out restricted meetings, contacts, e-mail addresses and phone numbers. The
    folder's path is printed on stdout. See docs/render.md.

    Examples:

      tf render

      tf render --out /tmp/tf-site --today 2022-07-01

      tf render --include-restricted --out internal-site

    Pages whose content did not change are taken from .tf/render-cache in the repository
    (safe to delete); --no-cache renders everything.
    """
    from tfcli.load import load_config
    from tfcli.output import message
    from tfcli.paths import display_path
    from tfcli.site import state

    config, problems = load_config()
    now = resolve_today(config.timezone, today)
    target = out if out is not None else config.root / "_site"

    def full(repo: "Repo") -> "Result":
        from tfcli.site import build
        from tfcli.site.policy import Policy

        policy = Policy(include_restricted=include_restricted)
        with _progress() as progress:
            return build(repo, now, target, policy, jobs, not no_cache, progress)

    result = state.build(
        config, problems, now, target, include_restricted, not no_cache, full, load_repo, message
    )
    kind = "internal (includes restricted meetings)" if include_restricted else "public"
    message(
        f"tf render: {kind} site of {result.meetings} meeting"
        f"{'s' if result.meetings != 1 else ''}: {result.pages} pages, "
        f"{result.cached} from the cache, {result.changed} of {result.files} files changed"
        + (f", {result.removed} removed" if result.removed else "")
    )
    typer.echo(display_path(result.out))
