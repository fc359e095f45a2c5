"""Benchmark `tf` on generated repos; prints a Markdown table of median wall times.

    python bench/run.py                   # sizes 100 and 1000, 5 runs each
    python bench/run.py --sizes 100,1000,5000 --runs 7

Speed is proven here, not by timed tests. Each command runs as a fresh process, as a user or
CI would run it. Comparisons with Taskwarrior and Hugo are planned to sit beside these rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate

TF = [sys.executable, "-m", "tfcli"]


def median_ms(cmd: list[str], cwd: Path, runs: int) -> float:
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2026-01-01"}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    here = Path.cwd()
    rows = [
        (
            "python -c 'import typer'",
            0,
            median_ms([sys.executable, "-c", "import typer"], here, args.runs),
        ),
        ("tf --help", 0, median_ms([*TF, "--help"], here, args.runs)),
        ("tf --version", 0, median_ms([*TF, "--version"], here, args.runs)),
    ]
    commands = [
        ["check"],
        ["list", "--format", "csv"],
        ["actions", "--overdue", "--format", "csv"],
    ]
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            generate(n, root)
            for cmd in commands:
                probe = subprocess.run([*TF, *cmd, "--help"], cwd=root, capture_output=True)
                if probe.returncode != 0:
                    continue  # command not in this version of tf
                rows.append((f"tf {' '.join(cmd)}", n, median_ms([*TF, *cmd], root, args.runs)))
    print(f"| command | meetings | median of {args.runs} (ms) |")
    print("|---|---:|---:|")
    for name, n, ms in rows:
        print(f"| `{name}` | {n or ''} | {ms:.0f} |")


if __name__ == "__main__":
    main()
