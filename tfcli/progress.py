"""A progress bar on stderr for long reads: only on a terminal, never in CI, and only once
the work looks like taking more than about a second. rich is imported only then."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import IO, Any

from tfcli.term import is_tty, real_stderr

AFTER = 0.2  # seconds: judge only after this long, so short work never pays for the import
LONGER_THAN = 1.0  # seconds expected in all: then the bar is worth showing


def wanted(stream: IO[str] | None) -> bool:
    if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
        return False
    return os.environ.get("TERM") != "dumb" and is_tty(stream)


class Progress:
    """Called as `progress(done, total)` after each file; `close()` removes the bar."""

    def __init__(
        self,
        what: str,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.stream = stream if stream is not None else real_stderr()
        self.on = wanted(self.stream)
        self.clock = clock
        self.start = clock()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.on or done <= 0:
            return
        if self.bar is None:
            elapsed = self.clock() - self.start
            if elapsed < AFTER or elapsed / done * total < LONGER_THAN:
                return
            self._show(total)
        self.bar.update(self.task, completed=done)

    def _show(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from tfcli.term import use_colour

        console = Console(
            file=self.stream,
            force_terminal=True,
            color_system="auto" if use_colour(self.stream) else None,
        )
        self.bar = Progress(
            TextColumn(self.what),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,  # gone once done: the output is what stays on the screen
        )
        self.bar.start()
        self.task = self.bar.add_task(self.what, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
