"""Start-up of `tf` against a bare Typer hello-world app, measured in one run.

    python bench/startup.py                 # 21 alternating rounds
    python bench/startup.py --runs 41 --importtime
    python bench/startup.py --baseline /tmp/tf-main   # also another checkout's tf (before/after)

Each round runs every case once, in turn, as a fresh process (the order rotates from round
to round, so that a busy neighbour does not always hit the same case), and the figure is the
median CPU time (user + system, from os.wait4) of each case over the rounds, with its ratio
to the hello-world app's. The tf cases run on the bundled repo (this checkout's own tf.yml
and minutes/), after a first run that compiles every module and brings the index (.tf/) up
to date, so a warm `tf actions` imports no YAML (and, stdout being a pipe, both `tf actions`
and `tf actions --format json` are answered before Typer is imported: tfcli/quick.py). They
run as a user runs them: `python -m tfcli` (as bench/run.py; the console script costs the
same, measured with `run.py --rounds`), "today" from the clock in the group's time zone.
With --baseline DIR the same tf cases also run in DIR, another checkout (`python -m tfcli`
takes tfcli/ from the folder it runs in), in the same rounds. CPU time, not wall time, is
the figure on a shared machine. Target (issue 11): `tf actions` ≤ 1.3× the hello-world app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import HELLO, TF

ROOT = Path(__file__).resolve().parent.parent
CASES: list[tuple[str, list[str]]] = [
    ("tf --version", ["--version"]),
    ("tf actions", ["actions"]),
    ("tf actions --format json", ["actions", "--format", "json"]),  # tfcli/quick.py
    ("tf check", ["check"]),
]
TARGET = 1.3  # `tf actions` ÷ hello-world


def cpu_ms(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return (usage.ru_utime + usage.ru_stime) * 1000


def imported(cmd: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    """The modules a run imports (from -X importtime), in import order."""
    err = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], cwd=cwd, env=env, capture_output=True, text=True
    ).stderr
    return [line.split("|")[-1].strip() for line in err.splitlines() if line.startswith("import")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=21, help="rounds (default 21)")
    ap.add_argument(
        "--importtime", action="store_true", help="also list what each tf case imports beyond Typer"
    )
    ap.add_argument("--baseline", type=Path, help="another checkout of tf to measure alongside")
    args = ap.parse_args()
    # As a user runs it: "today" from the clock in the group's time zone (no TF_TODAY).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    env["NO_COLOR"] = "1"
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # modules compiled, as in any installed tf
    with tempfile.TemporaryDirectory() as d:
        hello = Path(d) / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        cases = [("Typer hello-world app", [sys.executable, str(hello)], ROOT)]
        cases += [(name, [*TF, *argv], ROOT) for name, argv in CASES]
        if args.baseline:
            base = args.baseline.resolve()
            cases += [(f"{name} (baseline)", [*TF, *argv], base) for name, argv in CASES]
        for _, cmd, cwd in cases:  # compile, and bring the index up to date
            subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for r in range(args.runs):
            for name, cmd, cwd in cases[r % len(cases) :] + cases[: r % len(cases)]:
                times[name].append(cpu_ms(cmd, cwd, env))
        typer_mods = set(imported(cases[0][1], ROOT, env)) if args.importtime else set()
    floor = statistics.median(times[cases[0][0]])
    print(
        f"Start-up on the bundled repo, index warm: median CPU (user + sys) of {args.runs} "
        "alternating runs; ratio = ÷ the Typer hello-world app.\n"
    )
    print("| command | CPU ms | min | max | × hello |")
    print("|---|---:|---:|---:|---:|")
    for name, _, _ in cases:
        t = times[name]
        cells = [name, f"{statistics.median(t):.0f}", f"{min(t):.0f}", f"{max(t):.0f}"]
        cells.append(f"{statistics.median(t) / floor:.2f}")
        print("| " + " | ".join(cells) + " |")
    ratio = statistics.median(times["tf actions"]) / floor
    verdict = "met" if ratio <= TARGET else "not met"
    print(f"\n`tf actions` ÷ hello-world: {ratio:.2f} (target ≤ {TARGET}: {verdict})")
    if args.baseline:
        before = statistics.median(times["tf actions (baseline)"]) / floor
        print(f"baseline's `tf actions` ÷ hello-world: {before:.2f}")
    if args.importtime:
        for name, cmd, cwd in cases[1:]:
            extra = [m for m in imported(cmd, cwd, env) if m not in typer_mods]
            print(f"\n{name} imports beyond the hello-world app ({len(extra)}):")
            print("  " + " ".join(extra))


if __name__ == "__main__":
    main()
