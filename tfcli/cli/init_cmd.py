"""`tf init`: start a new group's minutes repository. Logic in tfcli.scaffold."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import TodayOption, given, given_path
from tfcli.scaffold import Answers


@app.command("init")
def init(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of the new repository (created if missing).",
            metavar="DIR",
            parser=given_path,
        ),
    ] = Path("."),
    group: Annotated[
        str | None,
        typer.Option("--group", metavar="NAME", callback=given, help="The group's name."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", metavar="TZ", callback=given, help="IANA time zone, e.g. Europe/Chisinau."
        ),
    ] = None,
    cadence: Annotated[
        str | None,
        typer.Option(
            "--cadence",
            metavar="RULE",
            callback=given,
            help="How often the group meets, e.g. 'every 2 weeks'.",
        ),
    ] = None,
    orgs: Annotated[
        list[str] | None,
        typer.Option(
            "--org",
            metavar="[GROUP:]NAME",
            help="An organisation of the roster, optionally in a group: "
            "--org 'government: State Chancellery' (repeatable).",
        ),
    ] = None,
    chairs: Annotated[
        list[str] | None,
        typer.Option(
            "--chair", metavar="NAME", help="A chairing organisation (repeatable; one of --org)."
        ),
    ] = None,
    tf_package: Annotated[
        str | None,
        typer.Option(
            "--tf-package",
            metavar="REQ",
            callback=given,
            help="The pip requirement for tf, pinned, e.g. git+https://github.com/ORG/tf@v1.0.0: "
            "written into the README and as the workflow's default (the repository variable "
            "TF_PACKAGE overrides it).",
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask; use the options and the defaults."),
    ] = False,
    today: TodayOption = None,
) -> None:
    """Start a new group's minutes repository: a commented tf.yml, minutes/ with the first
    meeting's skeleton, templates/, a GitHub Actions workflow, a pre-commit config, a
    .gitignore and a README. Nothing is overwritten: when any of these files exists, tf
    lists them and writes nothing.

    On a terminal, tf asks for what the options do not give (group name, time zone,
    cadence, organisations by group, chairs); elsewhere, or with --no-input, the options
    and the defaults are used. See docs/init.md.

    Examples:

      tf init minutes-repo

    \b
      tf init . --no-input --group "Anti-Trafficking Task Force" \\
        --timezone Europe/Chisinau --cadence "every 2 weeks" \\
        --org "government: State Chancellery" --org "international: UNHCR" \\
        --chair "State Chancellery" --chair UNHCR
    """
    from tfcli import scaffold
    from tfcli.dates import today as today_in
    from tfcli.output import message
    from tfcli.paths import display_path

    a = Answers(
        group=group or "Task force",
        timezone=timezone or "UTC",
        cadence=cadence,
        organisations=[scaffold.parse_org(o) for o in orgs or []],
        chairs=[" ".join(c.split()) for c in chairs or []],
        tf_package=tf_package,
    )
    if not no_input and _interactive():
        _ask(a, group is None, timezone is None, cadence is None, orgs is None, chairs is None)
    scaffold.check_answers(a)  # before the time zone decides "today"
    root = folder.resolve()
    scaffold.check_folder(root)
    files = scaffold.plan(root, a, today_in(a.timezone, today))
    done = scaffold.write(files, root)
    created = [p for p, what in done.items() if what == "created"]
    for path in created:
        typer.echo(display_path(path))
    for path, what in done.items():
        if what != "created":
            typer.echo(display_path(path))  # changed, or kept: the user's own
            message(
                f"tf init: {display_path(path)}: yours, kept"
                + (f"; {what.removeprefix('added ')} added to it" if what != "kept" else "")
            )
    # In a clone (GitHub's "Add a README") or a folder of a repository: no `git init`.
    in_git = any((p / ".git").exists() for p in (root, *root.parents))
    message(
        f"tf init: created {len(created)} files in {display_path(root)}; next: "
        + ("'tf check', then commit" if in_git else "git init, then 'tf check' and commit")
        + " (docs/init.md)"
    )


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(a: Answers, group: bool, tz: bool, cadence: bool, orgs: bool, chairs: bool) -> None:
    """Prompts for what the options left open; tfcli.scaffold checks each answer."""
    from tfcli import scaffold
    from tfcli.errors import UsageError

    if group:
        a.group = typer.prompt("Group name", default=a.group).strip() or a.group
    while tz:
        text = typer.prompt("Time zone (IANA, e.g. Europe/Chisinau)", default=a.timezone)
        if zone := scaffold.zone_answer(text):
            a.timezone = zone
            break
        from tfcli.config import zone_hint

        hint = zone_hint(text.strip())  # as --timezone says it
        typer.echo(f"'{text.strip()}' is not an IANA time zone name ({hint})", err=True)
    while cadence:
        text = typer.prompt("Cadence (e.g. every 2 weeks; empty: none)", default="")
        understood, a.cadence = scaffold.cadence_answer(text)
        if understood:
            break
        typer.echo(
            f"cadence '{text.strip()}' is not understood ({scaffold.CADENCE_HINT})", err=True
        )
    if orgs:
        text = typer.prompt(
            "Groups of organisations (comma-separated; empty: one list)", default=""
        )
        pairs = []
        for g in scaffold.names(text) or [""]:
            label = f"Organisations in '{g}'" if g else "Organisations"
            pairs.append((g, typer.prompt(f"{label} (comma-separated)", default="")))
        a.organisations = scaffold.organisations_of(pairs)
    while chairs and a.organisations:
        text = typer.prompt("Chairs (organisations, comma-separated; empty: none)", default="")
        a.chairs = scaffold.names(text)
        try:
            scaffold.check_answers(a)
            break
        except UsageError as e:  # a chair that is not in the roster: ask again
            typer.echo(str(e), err=True)
