"""`tf render`: the minutes as a static website (tfcli/site)."""

from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import TodayOption


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
    from tfcli.site.run import render as run

    run(out, include_restricted, jobs, no_cache, today, typer.echo)
