"""Running `tf` with stdout on a pseudo-terminal of a chosen size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")


def run_on_terminal(
    *args: str,
    cwd: Path,
    columns: int,
    lines: int = 200,
    env: dict[str, str] | None = None,
    code: int = 0,
) -> str:
    """`tf ARGS` with stdout on a pseudo-terminal of the given size (stderr on a pipe)."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    full = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    for k in ("COLUMNS", "LINES", "FORCE_COLOR", "CLICOLOR_FORCE", "PAGER", "CI"):
        full.pop(k, None)
    full.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8"})
    full.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "tfcli", *args],
        cwd=cwd,
        env=full,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=60)
    assert proc.returncode == code, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
