"""How tf ends once the answer is out (tfcli.entry._leave): the exit handlers run, the streams
are flushed, the exit status is the command's, and a full disk at the last flush is exit 3."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import atexit, sys
from tfcli.entry import _leave
atexit.register(lambda: sys.stdout.write(" and the exit handler's"))
sys.stdout.write("the answer")  # still in the buffer: _leave must flush it
_leave({code!r})
"""


def _leave(code: object, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(code=code)],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )


def test_the_exit_handlers_run_and_the_output_is_flushed() -> None:
    for code, status in ((0, 0), (None, 0), (1, 1), (2, 2)):
        r = _leave(code)
        assert (r.returncode, r.stdout, r.stderr) == (
            status,
            "the answer and the exit handler's",
            "",
        )


def test_a_text_exit_is_said_on_stderr_with_status_1() -> None:
    r = _leave("tf: gone")
    assert (r.returncode, r.stderr) == (1, "tf: gone\n")


FULL = """
import errno, io, sys
from tfcli.entry import _leave

class Full(io.StringIO):
    def flush(self):
        raise OSError(errno.ENOSPC, "No space left on device")

sys.stdout = Full()
sys.stdout.write("the answer")
_leave(0)
"""


def test_a_full_disk_at_the_last_flush_is_exit_3() -> None:
    r = subprocess.run([sys.executable, "-c", FULL], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (3, "tf: cannot write the output: No space left on device\n")
