"""`tf new-meeting` (write the next meeting's skeleton) and `tf agenda` (print it to circulate)."""

from pathlib import Path
from typing import Annotated

import typer

from tfcli.cli.app import app
from tfcli.cli.common import Formats, TodayOption, given, load_repo, resolve_today
from tfcli.cli.complete import meeting_ids, when_completing
from tfcli.errors import UsageError
from tfcli.output import Format

AGENDA_FORMATS = Formats((Format.markdown, Format.html), Format.markdown)


@app.command("new-meeting")
def new_meeting(
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date of the meeting (default: the next one by the cadence in tf.yml).",
            metavar="YYYY-MM-DD",
            callback=given,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TITLE",
            help="Title; also names the file (default: the group's name).",
            callback=given,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the file to stdout; write nothing.")
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help="Open the new file in $EDITOR (or $VISUAL).")
    ] = False,
    today: TodayOption = None,
) -> None:
    """Write the next meeting's minutes skeleton: roster, standing agenda, open actions.

    The file is minutes/<date>-<title>.md, from templates/meeting.md if the group has one
    (else the built-in template); an existing file is never overwritten. The created path is
    printed on stdout. See docs/new-meeting.md.

    Examples:

      tf new-meeting

      tf new-meeting --date 2022-07-08 --title "Digital prevention workshop"

      tf new-meeting --dry-run | less
    """
    import contextlib

    from tfcli.write import locked

    if dry_run and edit:
        raise UsageError("--dry-run and --edit cannot be used together")
    editor = _editor() if edit else None
    # Locked from the read to the write: the carried actions are as the last change left them.
    with contextlib.nullcontext() if dry_run else locked():
        created = _new_meeting(day, title, dry_run, today)
    if editor and created:
        _open_editor(editor, created)  # not under the lock: an editor may stay open for hours


def _new_meeting(
    day: str | None, title: str | None, dry_run: bool, today: str | None
) -> Path | None:
    from tfcli import agenda
    from tfcli.dates import parse_iso
    from tfcli.output import message
    from tfcli.paths import display_path

    repo = load_repo()
    now = resolve_today(repo.config.timezone, today)
    nm = agenda.plan(repo, now, parse_iso(day, "--date") if day else None, title)
    shown = display_path(nm.path)
    exists = UsageError(
        f"{shown} already exists; not overwriting it",
        "edit that file, or choose another --date or --title",
    )
    taken = nm.path.exists() or nm.path.is_symlink()
    if taken and not dry_run:
        raise exists
    for other in nm.same_day:
        if taken and other.path == nm.path:
            continue  # the file this would be: no new one, no 'id: ...-b' (the run stops)
        message(
            f"tf new-meeting: warning: {display_path(other.path)} is already a meeting on "
            f"{nm.date.isoformat()}; the new one gets 'id: {nm.id}'"
        )
    for other in nm.upcoming:
        message(
            f"tf new-meeting: note: a meeting on {other.date.isoformat()} is already prepared "
            f"({display_path(other.path)})"
        )
    text, template = agenda.render(nm, repo.config)
    if dry_run:
        typer.echo(text, nl=False)
        agenda.ensure_valid(text, nm, repo.config, template)
        if taken:  # as the run itself would end: the dry run said "would create" a file there
            raise exists
        message(f"tf new-meeting: dry run, nothing written (would create {shown})")
        return None
    agenda.ensure_valid(text, nm, repo.config, template)
    from tfcli.write import create_new

    create_new(nm.path, text.encode("utf-8"))
    typer.echo(shown)
    n = len(nm.pending)
    message(
        f"tf new-meeting: created {shown} ({n} open action{'s' if n != 1 else ''} carried forward)"
    )
    return nm.path


def _editor() -> list[str]:
    import os
    import shlex

    for var in ("EDITOR", "VISUAL"):
        if value := os.environ.get(var, "").strip():
            try:
                words = shlex.split(value)
            except ValueError as e:
                raise UsageError(f"${var} cannot be read: {e}", f"${var}={value!r}") from None
            if words:
                return words
    raise UsageError(
        "--edit needs an editor, but $EDITOR and $VISUAL are not set",
        "e.g. export EDITOR=nano, or open the printed file yourself",
    )


def _open_editor(editor: list[str], path: Path) -> None:
    import os
    import signal
    import subprocess

    from tfcli.output import message

    # Ctrl-C in the editor is the editor's (as in git): tf ignores it and waits, from before
    # the editor starts; the editor itself gets the usual disposition back.
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    usual = signal.SIG_IGN if before is signal.SIG_IGN else signal.SIG_DFL
    try:
        posix = os.name == "posix"  # (no preexec_fn elsewhere)
        process = subprocess.Popen(
            [*editor, str(path)],
            preexec_fn=(lambda: signal.signal(signal.SIGINT, usual)) if posix else None,
        )
        code = process.wait()
    except OSError as e:
        # The file exists now: the command did its job (exit 0), only the editor is missing.
        message(
            f"tf: warning: cannot run the editor '{editor[0]}': {e.strerror or e}; "
            f"the file was created: {path}"
        )
        return
    finally:
        signal.signal(signal.SIGINT, before)
    if code:
        message(f"tf new-meeting: the editor exited with status {code}")


@app.command()
def agenda(
    meeting: Annotated[
        str | None,
        typer.Argument(
            help="Meeting id or date, or a file (default: the next meeting).",
            metavar="DATE|ID|PATH",
            callback=given,
            autocompletion=when_completing(meeting_ids),
        ),
    ] = None,
    fmt: Annotated[Format | None, AGENDA_FORMATS.option()] = None,
    today: TodayOption = None,
) -> None:
    """Print a meeting's agenda to circulate, with the pending action points to review.

    Markdown by default, or a small HTML page with --format html. Without DATE|ID|PATH: the
    next meeting on or after today (prepare it with 'tf new-meeting').

    Examples:

      tf agenda

      tf agenda 2022-07-08 --format html > agenda.html
    """
    from tfcli import circulate
    from tfcli.meetings import find_meeting

    fmt = AGENDA_FORMATS.pick(fmt)
    repo = load_repo()
    now = resolve_today(repo.config.timezone, today)
    m = find_meeting(repo, meeting) if meeting else circulate.upcoming(repo, now)
    if fmt is Format.html:
        typer.echo(circulate.agenda_html(m, repo, now), nl=False)
    else:
        typer.echo(circulate.agenda_markdown(m, repo, now), nl=False)
