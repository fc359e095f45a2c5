"""`tf render`'s work, shared by the command (tfcli.cli.render_cmd) and the quick path
(tfcli.quick_render), which runs it before the Typer app is imported."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

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


def render(
    out: Path | None,
    include_restricted: bool,
    jobs: int | None,
    no_cache: bool,
    today: str | None,
    echo: Callable[[str], None],
) -> None:
    """The site built (or patched) into `out`; the summary on stderr, the folder by `echo`.

    Python's cycle collector is off until the minutes are loaded: a rebuild that patches
    the site (tfcli.site.state.PATHS) makes no cycles worth collecting, and each collection
    walks every object its modules and kept contexts made (0.03-0.05 s of a meeting added
    at 5,000 meetings); a full build loads and renders with it on, as before."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        _render(out, include_restricted, jobs, no_cache, today, echo, collecting)
    finally:
        if collecting:
            gc.enable()


def _render(
    out: Path | None,
    include_restricted: bool,
    jobs: int | None,
    no_cache: bool,
    today: str | None,
    echo: Callable[[str], None],
    collecting: bool,
) -> None:
    import gc

    from tfcli.load import load_config
    from tfcli.output import message
    from tfcli.paths import display_path
    from tfcli.reading import load_repo, resolve_today
    from tfcli.site import state

    config, problems = load_config()
    now = resolve_today(config.timezone, today)
    target = out if out is not None else config.root / "_site"

    def full(repo: Repo) -> Result:
        from tfcli.site import build
        from tfcli.site.policy import Policy

        policy = Policy(include_restricted=include_restricted)
        with _progress() as progress:
            return build(repo, now, target, policy, jobs, not no_cache, progress)

    def load() -> Repo:
        if collecting:
            gc.enable()
        return load_repo()

    result = state.build(
        config, problems, now, target, include_restricted, not no_cache, full, load, message
    )
    kind = "internal (includes restricted meetings)" if include_restricted else "public"
    message(
        f"tf render: {kind} site of {result.meetings} meeting"
        f"{'s' if result.meetings != 1 else ''}: {result.pages} pages, "
        f"{result.cached} from the cache, {result.changed} of {result.files} files changed"
        + (f", {result.removed} removed" if result.removed else "")
    )
    echo(display_path(result.out))
