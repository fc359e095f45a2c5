"""The guard of tf's output under GitHub Actions: no line of minutes text can pose as a
workflow command. Kept apart from tfcli.output (which marks tf's own command lines with
MARK) so that the stream guard needs nothing but the standard library."""

from __future__ import annotations

import io
import os
import re
import sys
from typing import BinaryIO, TextIO, cast

# The runner reads every line a step prints, on stdout and on stderr, and runs it as a workflow
# command when it starts with `::` after blanks (`::error::`, `::add-mask::`,
# `::stop-commands::`), or holds `##[` anywhere (the older syntax). Minutes text must not:
# under GitHub Actions, tf's two streams pass through a guard that shows the first `:` or `#`
# of such a line as an escape (`\x3a:error`), unless tf itself wrote the line
# (output.annotation() marks its lines with a random per-run token that the guard strips).
# `::stop-commands::` was not chosen: its marker lines would land in the JSON or CSV a job
# sends to a file.

MARK = ""  # set by guard_ci_streams()
_LINE_END = re.compile(r"(\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")
_LEGACY_COMMAND = re.compile(r"#(?=#\[)")


def neutralise_command(line: str, mark: str = "") -> str:
    """One line (without its end) as the guard writes it: tf's own marked command unmarked,
    anything else that GitHub would run as a workflow command made inert."""
    if mark and line.startswith(mark):
        return _LEGACY_COMMAND.sub(r"\\x23", line[len(mark) :])
    body = line.lstrip()  # str.isspace covers every character .NET's TrimStart removes
    if body.startswith("::"):
        cut = len(line) - len(body)
        line = line[:cut] + "\\x3a" + line[cut + 1 :]
    return _LEGACY_COMMAND.sub(r"\\x23", line)


class CommandGuard(io.TextIOBase):
    """A text stream that writes whole lines through neutralise_command(); a last line
    without its end waits for finish()."""

    def __init__(self, inner: TextIO, mark: str) -> None:
        self._inner, self._mark, self._pending = inner, mark, ""

    # Properties, as on io.TextIOBase itself (read-only there); click reads them.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._inner.errors

    @property
    def buffer(self) -> BinaryIO:
        """The underlying byte stream: a binary format (xlsx) is a file, not log lines, so
        it passes unchanged (the workflow-command guard is for text)."""
        return self._inner.buffer

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if not isinstance(s, str):  # click probes for binary streams with write(b"")
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        parts = _LINE_END.split(self._pending + s)
        self._pending = parts.pop()
        lines = (p if i % 2 else neutralise_command(p, self._mark) for i, p in enumerate(parts))
        self._inner.write("".join(lines))
        return len(s)

    def flush(self) -> None:
        self._inner.flush()

    def finish(self) -> None:
        if self._pending:
            self._inner.write(neutralise_command(self._pending, self._mark))
            self._pending = ""
        self._inner.flush()


def guard_ci_streams() -> None:
    """Under GitHub Actions (GITHUB_ACTIONS=true), guard stdout and stderr; elsewhere the
    output stays byte for byte as it is."""
    global MARK
    if os.environ.get("GITHUB_ACTIONS") != "true" or MARK:
        return
    import atexit
    import secrets

    MARK = f"<tf:{secrets.token_hex(16)}>"
    out, err = CommandGuard(sys.stdout, MARK), CommandGuard(sys.stderr, MARK)
    sys.stdout, sys.stderr = cast(TextIO, out), cast(TextIO, err)
    atexit.register(err.finish)  # atexit runs in reverse order: stdout first
    atexit.register(out.finish)
