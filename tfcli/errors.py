"""Errors that end a command. Each carries its exit code; `entry.run` is the one boundary
that turns them into a message on stderr."""

from __future__ import annotations

# Documented exit codes (README, `tf --help`).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_INTERNAL = 70


class TfError(Exception):
    exit_code = EXIT_DATA

    def __init__(self, message: str, hint: str | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where  # "path:line:col" when the error has a place

    def render(self) -> str:
        head = f"{self.where}: " if self.where else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"tf: {head}{self.message}{tail}"


class UsageError(TfError):
    """The command line asks for something impossible (unknown action id, bad --today)."""

    exit_code = EXIT_USAGE


class DataError(TfError):
    """The minutes folder or tf.yml cannot be read at all."""

    exit_code = EXIT_DATA


class LoadError(Exception):
    """One file (or part of it) cannot be read; becomes a Problem, never escapes a command."""

    def __init__(
        self, rule: str, message: str, line: int = 1, col: int = 1, hint: str | None = None
    ):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.col = col
        self.hint = hint
