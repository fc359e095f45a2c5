"""What the terminal allows: colour (by the common conventions), width, and the pager.

The global options `--color` and `--no-pager` set `SETTINGS`; every other module asks here.
Nothing here imports more than the standard library, so start-up stays fast."""

from __future__ import annotations

import io
import os
import signal
import sys
from collections.abc import Callable
from typing import IO, Any


class Settings:
    """Set by the global options; a plain class, as a dataclass costs start-up time."""

    __slots__ = ("color", "pager")

    def __init__(self) -> None:
        self.color = "auto"  # auto | always | never (--color)
        self.pager = True  # --no-pager sets False


SETTINGS = Settings()

COLOR_CHOICES = ("auto", "always", "never")


def _env(name: str) -> str:
    return os.environ.get(name, "")


def is_tty(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # a closed stream
        return False


def use_colour(stream: IO[str] | None) -> bool:
    """--color wins; then NO_COLOR (no-color.org: set and non-empty), then FORCE_COLOR
    (force-color.org: set and non-empty) and CLICOLOR_FORCE (bixense.com/clicolors: not 0);
    then CLICOLOR=0 and TERM=dumb say no; else colour only on a terminal."""
    if SETTINGS.color != "auto":
        return SETTINGS.color == "always"
    if _env("NO_COLOR"):
        return False
    if _env("FORCE_COLOR") or _env("CLICOLOR_FORCE") not in ("", "0"):
        return True
    if _env("CLICOLOR") == "0" or _env("TERM") == "dumb":
        return False
    return is_tty(stream)


_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}


def paint(text: str, style: str | None, colour: bool) -> str:
    """`text` in one of the styles above when colour is on; the words never change."""
    if not (colour and style and text):
        return text
    return f"\x1b[{_SGR.get(style, '0')}m{text}\x1b[0m"


def width(stream: IO[str] | None = None) -> int | None:
    """The width to lay tables out for: the terminal's columns ($COLUMNS wins, as in
    shutil), or None on a pipe, where rows keep their full values on one line each."""
    if not is_tty(stream if stream is not None else sys.stdout):
        return None
    import shutil

    return max(shutil.get_terminal_size().columns, 20)


# -- the pager -------------------------------------------------------------------------------
# Git's rules (git help config, core.pager): only when stdout is a terminal; $GIT_PAGER (here
# $TF_PAGER), else $PAGER, else `less`; an empty value or `cat` means no pager; LESS=FRX and
# LV=-c are set when not already set; the command runs through the shell.


def pager_command() -> str | None:
    if not SETTINGS.pager or not is_tty(sys.stdout):
        return None
    for name in ("TF_PAGER", "PAGER"):
        if name in os.environ:
            cmd = os.environ[name].strip()
            break
    else:
        import shutil

        cmd = "less" if shutil.which("less") else ""  # e.g. Windows without git's less
    return None if cmd in ("", "cat") else cmd


class _Buffer(io.StringIO):
    """Holds what a paged command writes to stdout or stderr, in order, until it ends. It
    stands for the terminal the text will reach, so tables are laid out and coloured for it."""

    def __init__(self, real: IO[str], log: list[tuple[bool, str]], is_out: bool) -> None:
        super().__init__()
        self.real, self.log, self.is_out = real, log, is_out

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as StringIO does: click tests streams with b""
            raise TypeError(f"string argument expected, got {type(text).__name__}")
        self.log.append((self.is_out, text))
        return len(text)

    def isatty(self) -> bool:
        return is_tty(self.real)


def real_stderr() -> IO[str]:
    """stderr as the terminal sees it (a progress bar must not wait for the pager)."""
    return sys.stderr.real if isinstance(sys.stderr, _Buffer) else sys.stderr


def start_paging(at_end: Callable[[Callable[[], None]], Any]) -> None:
    """Hold stdout and stderr until the command ends (`at_end` registers the function to
    call then). Output that fits on the screen is then written as it came, interleaved as
    it was; longer output goes to the pager, and the messages on stderr follow it."""
    if pager_command() is None or isinstance(sys.stdout, _Buffer):
        return
    log: list[tuple[bool, str]] = []
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Buffer(out, log, True), _Buffer(err, log, False)

    def flush() -> None:
        sys.stdout, sys.stderr = out, err
        page(log, out, err)

    at_end(flush)


def _rows(text: str, columns: int) -> int:
    from tfcli.table import cell_width

    return sum(max(1, -(-cell_width(line) // columns)) for line in text.split("\n"))


def page(log: list[tuple[bool, str]], out: IO[str], err: IO[str]) -> None:
    import shutil

    cmd = pager_command()
    size = shutil.get_terminal_size()
    text = "".join(t for is_out, t in log if is_out)
    if cmd is None or _rows(text.rstrip("\n"), size.columns) < size.lines:
        for is_out, t in log:
            (out if is_out else err).write(t)
            (out if is_out else err).flush()
        return
    _run_pager(cmd, text, out)
    err.write("".join(t for is_out, t in log if not is_out))
    err.flush()


_PIPE = hasattr(signal, "SIGPIPE")  # not on Windows


def _run_pager(cmd: str, text: str, out: IO[str]) -> None:
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    out.flush()
    try:
        proc = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        out.write(text)
        return
    # Ctrl-C belongs to the pager while it runs (as in git): tf only waits for it. A pager
    # that quits early (or never started) must show as BrokenPipeError here, not kill tf.
    old: Any = signal.signal(signal.SIGINT, signal.SIG_IGN)
    old_pipe: Any = signal.signal(signal.SIGPIPE, signal.SIG_IGN) if _PIPE else None
    try:
        assert proc.stdin is not None
        try:
            proc.stdin.write(text.encode(getattr(out, "encoding", None) or "utf-8", "replace"))
            proc.stdin.close()
        except BrokenPipeError:  # the reader quit early (`q` in less): nothing to do
            pass
        code = proc.wait()
    finally:
        signal.signal(signal.SIGINT, old)
        if _PIPE:
            signal.signal(signal.SIGPIPE, old_pipe)
    if code == 127:  # the shell could not find the pager: the output must still be seen
        out.write(text)
