"""The quick path: `tf actions --format json` answered from `.tf/listing`, and the table
listing (the default format) written by the command's own function, before the Typer app is
imported (typer and its click are a third of a warm listing's CPU at 5,000 meetings, and
about 30 ms of a plain `tf actions` on a small repo).

It recognises only command lines whose parse is certain: `tf actions`, after `-C DIR`,
`--repo DIR` or `--repo=DIR` given once (DIR an existing readable folder: what the app takes
without a word, and changes into), followed by the listing's options that the kept listing
answers (tfcli.listing_store), each given once, written out in full (`--format json`,
`--format=json`, `-f json`; `table` likewise, or no format), with values that the app would
take as they are. Anything else (another command or format, other root options, `--help`, a
repeated option, a value that could be an option, `--`, a terminal on stdout where the pager
decides, shell completion, `TF_QUICK=off`) goes to the app, which parses it as always. The
JSON listing is made as the command makes it (`listing_store.answer`, else the actions read or
loaded and `listing_store.answer_from`, else `action_report.listing`: the functions the `tf
actions` command calls), also when the kept listing cannot answer (a first run: the app's
import is a tenth of a second of a cold listing). The table is written by
`action_report.listing`, which the command calls too. Either answer is the command's own
functions', so both paths write the same bytes (tests/test_quick.py runs command lines
through both)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

# The options of the `tf actions` listing that the kept listing answers, by every name.
_FLAGS = {"--overdue": "overdue", "--exit-code": "exit_code", "--no-pager": "no_pager"}
_VALUES = {
    "--due-within": "due_within",
    "--status": "status",
    "--format": "format",
    "-f": "format",
    "--today": "today",
    "--output": "output",
    "-o": "output",
    "--color": "color",
    "--colour": "color",
}
_COLORS = ("auto", "always", "never")  # tfcli.term.COLOR_CHOICES (a test keeps them equal)
_MOST_DAYS = 3650  # --due-within's maximum (a test keeps it that of the option)


class Listing:
    """The options of a listing the quick path may answer."""

    __slots__ = (
        "repo", "overdue", "exit_code", "due_within", "status", "today", "output", "table", "color"
    )  # fmt: skip

    def __init__(self) -> None:
        self.repo: str | None = None  # `-C DIR`
        self.overdue = self.exit_code = False
        self.due_within: int | None = None
        self.status: list[str] = []
        self.today: str | None = None
        self.output: Path | None = None
        self.table = False  # the table (the default format), else JSON
        self.color: str | None = None  # `--color`


def answered(argv: list[str]) -> bool:
    """Whether `tf ARGV` was answered here (its exit status set by SystemExit, as the app's
    would be). False: nothing was written; the app must run."""
    if os.environ.get("TF_QUICK") == "off" or "_TF_COMPLETE" in os.environ:
        return False
    if not hasattr(signal, "SIGPIPE"):  # a closed pipe is then click's to report (Windows)
        return False
    if argv and argv[0] == "check":
        return _check(argv[1:])
    if argv and argv[0] == "render":
        from tfcli.quick_render import answered as render

        return render(argv[1:])
    got = parse(argv)
    if got is None:
        return False
    from tfcli.term import is_tty

    if is_tty(sys.stdout):  # the pager's and the terminal's rules: the app's path
        return False
    back = None
    if got.repo is not None and (back := _enter(got.repo)) is None:
        return False
    import gc

    from tfcli.errors import EXIT_FINDINGS

    # A listing makes no cycles worth collecting, and the minutes it loads are hundreds of
    # thousands of objects that each collection walks (0.02-0.03 s of a cold one at 5,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        n = _table(got) if got.table else _json(got)
    finally:
        if collecting:
            gc.enable()
        if back is not None:
            os.close(back)
    if got.exit_code and n:
        sys.exit(EXIT_FINDINGS)
    return True


def _table(got: Listing) -> int:
    """The table listing, by the command's own function (tfcli.action_report.listing) from
    the actions it would read (tracked_store.tracked_actions): no kept text to go stale."""
    from tfcli import action_report, tracked_store
    from tfcli.output import Format
    from tfcli.reading import load_repo
    from tfcli.term import SETTINGS

    SETTINGS.color = got.color or "auto"  # as tfcli.cli.termopts sets it (and resets it)
    actions = tracked_store.tracked_actions(load_repo, bool(got.status))
    return action_report.listing(
        actions, lambda: Format.table, got.status, False, got.overdue, got.due_within,
        today=got.today, output=got.output,
    )  # fmt: skip


def _json(got: Listing) -> int:
    """The JSON listing, as the command makes it (tfcli.cli.actions_cmd): from `.tf/listing`
    when it answers; else from the actions it would read (tracked_store.tracked_actions,
    which keeps them), by the rows just kept or, when it kept none, by the listing's own
    function (tfcli.action_report.listing)."""
    from tfcli import listing_store, tracked_store

    args = (got.status, got.overdue, got.due_within, got.today, got.output)
    n = listing_store.answer(*args)
    if n is not None:
        return n
    from tfcli.reading import load_repo

    actions = tracked_store.tracked_actions(load_repo, bool(got.status), listing=True)
    n = listing_store.answer_from(actions, *args)
    if n is not None:
        return n
    from tfcli import action_report
    from tfcli.output import Format

    return action_report.listing(
        actions, lambda: Format.json, got.status, False, got.overdue, got.due_within,
        today=got.today, output=got.output,
    )  # fmt: skip


def _enter(folder: str) -> int | None:
    """Change into `folder` as `tf -C` does (tfcli.cli.app.root) when the app would take it
    without a word (it exists, is a folder, is readable: click's checks, a FIFO refused too)
    and can: a descriptor of the folder tf was started in, to go back. Else None, unmoved."""
    import stat

    try:
        if not stat.S_ISDIR(os.stat(folder).st_mode) or not os.access(folder, os.R_OK):
            return None
        back = os.open(".", os.O_RDONLY)
    except OSError:
        return None
    try:
        os.chdir(Path(folder))  # as the app: through Path
    except OSError:  # not searchable, or gone: the app says so
        os.close(back)
        return None
    return back


def parse(argv: list[str]) -> Listing | None:
    """The listing `argv` asks for, when it is certainly one the kept listing may answer and
    the app would parse it so; else None."""
    got = Listing()
    if argv[:1] in (["-C"], ["--repo"]) and len(argv) > 1:
        got.repo, argv = argv[1], argv[2:]
    elif argv and argv[0].startswith("--repo="):
        got.repo, argv = argv[0].partition("=")[2], argv[1:]
    if got.repo is not None and (not got.repo.strip() or got.repo.startswith("-")):
        return None
    if not argv or argv[0] != "actions":
        return None
    seen: set[str] = set()
    fmt = None
    args = iter(argv[1:])
    for arg in args:
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS and not eq:
            field = _FLAGS[name]
            value = None
        elif name in _VALUES:
            field = _VALUES[name]
            value = attached if eq else next(args, None)
            # A value that is missing, empty (a usage error) or looks like an option: the app
            # says what it makes of it.
            if value is None or not value.strip() or value.startswith("-"):
                return None
        else:
            return None
        if field in seen and field != "status":
            return None
        seen.add(field)
        if field in ("overdue", "exit_code"):
            setattr(got, field, True)
        elif field == "no_pager" or value is None:
            continue  # stdout is no terminal (see answered): nothing to page
        elif field == "due_within":
            if not (value.isascii() and value.isdigit()) or int(value) > _MOST_DAYS:
                return None
            got.due_within = int(value)
        elif field == "status":
            got.status.append(value)
        elif field == "format":
            fmt = value
        elif field == "today":
            got.today = value
        elif field == "output":
            got.output = Path(value)  # as tfcli.cli.common.given_path makes it
        elif field == "color":
            if value not in _COLORS:
                return None  # a wrong one (or in capitals, which click takes) is the app's
            got.color = value
    got.table = fmt in (None, "table")
    return got if got.table or fmt == "json" else None


# -- tf check ----------------------------------------------------------------------------------

_CHECK_FLAGS = {
    "--strict": ("strict", True),
    "--summary": ("summary", True),
    "--public": ("public", True),
    "--show-source": ("show_source", True),
    "--no-show-source": ("show_source", False),
}
_CHECK_VALUES = {"--format": "format", "-f": "format", "--today": "today"}
_CHECK_FORMATS = ("text", "json", "github")  # check_cmd.FORMATS (a test keeps them equal)


def _check(args: list[str]) -> bool:
    """`tf check ARGS` run here (tfcli.check_run, the command's own function) when their
    parse is certain; False: nothing was done."""
    got = parse_check(args)
    if got is None:
        return False
    from tfcli.term import is_tty

    if is_tty(sys.stdout):  # the source lines' and colours' defaults: the app's path
        return False
    from tfcli.check_run import run
    from tfcli.output import Format

    paths, options = got
    fmt = Format(str(options.pop("format", "text")))
    code = run(paths, fmt, **options)  # type: ignore[arg-type]
    if code:
        sys.exit(code)
    return True


def parse_check(args: list[str]) -> tuple[list[Path], dict[str, object]] | None:
    """The paths and options of `tf check ARGS` when the app would certainly parse them so
    (each option once, written in full; a format in lower case); else None."""
    paths: list[Path] = []
    options: dict[str, object] = {}
    it = iter(args)
    for arg in it:
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        value: object
        if name in _CHECK_FLAGS and not eq:
            field, value = _CHECK_FLAGS[name]
        elif name in _CHECK_VALUES:
            field = _CHECK_VALUES[name]
            text = attached if eq else next(it, None)
            if text is None or not text.strip() or text.startswith("-"):
                return None
            if field == "format" and text not in _CHECK_FORMATS:
                return None  # click's choice ignores case, and says what is wrong: the app
            value = text
        elif arg.startswith("-") or not arg.strip():
            return None  # an option not listed above, `--`, or an empty path: the app's
        else:
            paths.append(Path(arg))
            continue
        if field in options:
            return None
        options[field] = value
    return paths, options
