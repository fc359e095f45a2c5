"""The Typer application and its global options. Commands live in the *_cmd modules."""

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from tfcli import __version__

HELP = """Keep a task force's minutes as a living record: check them, track their action
points, prepare the next meeting.

Exit codes: 0 clean; 1 findings (problems found, or actions matched with --exit-code);
2 usage error; 3 data cannot be read or written (the minutes folder, tf.yml, a file to
change, the output); 70 internal error (a bug).

Examples:

  tf check

  tf list

  tf show 2022-06-24

  tf actions --overdue

  tf new-meeting --dry-run

  tf agenda --format html > agenda.html
"""

# Options of the root only: after a command name, the error says to put them before it.
ROOT_ONLY = ("-C", "--repo", "--version")

# `tf --help` lists the commands in the order a newcomer uses them, not alphabetically.
ORDER = (
    *("init", "check", "list", "show", "actions", "new-meeting", "agenda", "render"),
    *("export", "import-actions"),
)


class _Ordered(typer.core.TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tfcli.cli.lazy import Commands
        from tfcli.cli.termopts import add_to

        self.commands = Commands(self.commands, app)  # each built when first looked up

        add_to(self)  # --color, --no-pager here and on each command (tfcli/cli/termopts.py)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        from tfcli.cli.termopts import reset

        reset()  # each run starts from the defaults (tests run many in one process)
        return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        from typer._click.exceptions import NoSuchOption, UsageError  # typer's own click

        try:
            return super().invoke(ctx)
        except NoSuchOption as e:  # `tf actions -C DIR`: say where tf's own options go
            if e.option_name not in ROOT_ONLY:
                raise
            name, path = e.option_name, (e.ctx.command_path if e.ctx else "tf").split(" ", 1)
            where = "tf --version" if name == "--version" else f"tf {name} DIR {path[-1]} ..."
            msg = f"{name} is an option of tf itself: put it before the command ({where})"
            raise UsageError(msg, e.ctx) from None

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> None:
        # Only when the shell asks (_TF_COMPLETE set): typer's completion classes, and the
        # variable named after `tf` even when run as `python -m tfcli`.
        if os.environ.get("_TF_COMPLETE"):
            from typer._completion_classes import completion_init

            completion_init()
            super()._main_shell_completion(ctx_args, "tf", "_TF_COMPLETE")


def _plain_required_metavars() -> None:
    """Typer writes a required argument as `{ID}` in a usage line, which reads as a shell
    brace or a set; tf's usage lines name it plainly (`tf actions done [OPTIONS] ID`), as
    click and the docs do. Only the usage line changes; optional ones stay `[DIR]`. An
    argument without a metavar is named in capitals like the others (`[PATHS]...`, `SHELL`;
    Typer wrote `[paths]...`)."""
    from typer.core import TyperArgument

    braced = TyperArgument.make_metavar

    def make_metavar(self: TyperArgument, ctx: Any, *, usage: bool = False) -> str:
        var = braced(self, ctx, usage=usage)
        if self.metavar is None and self.name:
            var = var.replace(self.name, self.name.upper(), 1)
        plain = usage and self.required and var.startswith("{") and var.endswith("}")
        return var[1:-1] if plain else var

    TyperArgument.make_metavar = make_metavar  # type: ignore[method-assign]
    # And so do the errors: "Missing argument 'SHELL'", as "Missing argument 'ID'".
    TyperArgument.human_readable_name = property(  # type: ignore[method-assign,assignment]
        lambda self: self.metavar if self.metavar is not None else (self.name or "").upper()
    )


_plain_required_metavars()

app = typer.Typer(
    cls=_Ordered,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tf {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo",
            "-C",
            metavar="DIR",
            help="Run as if started in this folder (tf.yml is looked up from there).",
            file_okay=False,
            exists=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Pretend today is YYYY-MM-DD, for any command (as $TF_TODAY; a command's own "
            "--today wins).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
) -> None:
    if repo is not None:
        os.chdir(repo)  # so that paths on the command line are relative to DIR too
    if today is not None:  # `tf --today D COMMAND`: as TF_TODAY; a command's own --today wins
        from tfcli import dates

        dates.parse_iso(today, "--today")  # a bad or empty one is an error, even if unread
        dates.root_today = today
        ctx.call_on_close(lambda: setattr(dates, "root_today", None))  # this run's only
