"""Benchmark `tf` on generated repos, side by side with the tools people would use instead.

    python bench/run.py                          # sizes 100 and 1000, 5 runs each
    python bench/run.py --sizes 1000,5000,10000 --runs 5
    python bench/run.py --sizes 5000 --rounds 15   # the warm listing against Taskwarrior
    python bench/run.py --sizes 5000 --rounds 15 --check --baseline /tmp/old   # tf check
    python bench/run.py --sizes 5000 --rounds 15 --check --edit comment   # a front-matter edit

Prints one Markdown table: the median wall time, the median CPU time and the peak memory
(max RSS) of each command, run as a fresh process as a user or CI runs it, and its ratio to
the peer on the same row. Peers, measured in the same run on the same machine:
- a bare Typer hello-world app (the floor for any Typer CLI's start-up);
- Taskwarrior (`task +OVERDUE export`, Debian's `taskwarrior`) holding the same actions with
  the same due dates and effective statuses, imported from `tf actions --all --format json`;
  its overdue count is cross-checked against tf's, and the run stops if they differ.
"Warm" runs repeat a command on an unchanged repo (the index in `.tf/` is up to date); "cold"
runs first delete tf's own state folder (`.tf/`, where the index lives), as a fresh CI clone
would have none; "warm, 1 file changed" changes one meeting before each run.
CPU time (user + system, the process and its children) is the figure to compare on a shared
machine: wall time also counts the waits for a busy CPU.
`--rounds N` measures only the warm `tf actions --overdue --format json` and Taskwarrior's
export, in N alternating rounds (a busy neighbour then hits both alike): tf as users run it
(the `tf` console script), as `python -m tfcli`, and with `TF_QUICK=off` (the same listing
through Typer), beside the hello-world app. `--rounds N --check [--baseline DIR]`: the same
for a warm `tf check` after one meeting changed, and for the tf whose code is in DIR (e.g. a
`git archive` of an older commit) on its own copy of the repo; `--edit` says which change
(a body line, a comment line in the front matter, an action's text, a follow-up added).
Speed is proven here, not by timed tests.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import END, generate

TF = [sys.executable, "-m", "tfcli"]
SCRIPT = Path(sys.executable).parent / "tf"  # the console script, what users run
TODAY = "2026-11-29"  # after END: every generated deadline is in the past or the near past
HELLO = """import typer
app = typer.Typer()
@app.command()
def hello() -> None:
    print("hi")
app()
"""


@dataclass
class Timing:
    wall_ms: float
    cpu_ms: float
    peak_mib: float


def measure(
    cmd: list[str], cwd: Path, runs: int, env: dict[str, str], before: Callable[[], None]
) -> Timing:
    """Medians over `runs` fresh processes; `before` runs ahead of each (e.g. drop caches)."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        before()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not all children's
        walls.append((time.perf_counter() - t0) * 1000)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed in {cwd}")
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return Timing(statistics.median(walls), statistics.median(cpus), max(peaks))


def change_one(root: Path, edit: str = "body") -> Callable[[], None]:
    """Before each run: one meeting changed, as after one commit (`edit`, see EDITS): a line
    added to its body; a comment line added at the top of its front matter (every line below
    moves); one action's text changed; or a follow-up of an earlier action added to the
    newest meeting (another action each run)."""
    files = sorted((root / "minutes").iterdir())
    path = files[-1] if edit == "follow-up" else files[len(files) // 2]
    runs = iter(range(1 << 30))
    earlier = (
        [f"{f.name[:10]}/{m}" for f in files[-40:-2] for m in _ids(f)]
        if edit == "follow-up"
        else []
    )

    def change() -> None:
        n = next(runs)
        text = path.read_text(encoding="utf-8")
        if edit == "body":
            text += "\nOne more line of the minutes.\n"
        elif edit == "comment":
            text = text.replace("---\n", f"---\n# reviewed ({n})\n", 1)
        elif edit == "text":
            head, sep, rest = text.partition("\n    text: ")
            line, nl, tail = rest.partition("\n")
            text = f"{head}{sep}{line.split(' (edit ')[0]} (edit {n}){nl}{tail}"
        else:  # follow-up: one more, of an action not yet followed up here
            target = next(x for x in earlier[n:] if f"action: {x}\n" not in text)
            entry = f"updates:\n  - action: {target}\n    note: Discussed again.\n"
            text = text.replace("updates:\n", entry, 1)
        path.write_text(text, encoding="utf-8")

    return change


EDITS = ("body", "comment", "text", "follow-up")


def _ids(path: Path) -> list[str]:
    """The local ids of the actions in a generated meeting (`  - id: N` lines)."""
    lines = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].splitlines()
    return [x.split(": ", 1)[1] for x in lines if x.startswith("  - id: ")]


def taskwarrior(root: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]] | None:
    """A Taskwarrior database in `root/.task` holding the repo's actions; None without `task`.
    The actions are converted in a child process (`--tasks-for ROOT`): Linux counts the RSS
    a process had when it forked or exec'd into its child's peak, so this process must not
    grow by the 30,000 actions' JSON, or every peak measured after would be that size."""
    if not shutil.which("task"):
        return None
    ours = int(
        subprocess.run(
            [sys.executable, __file__, "--tasks-for", str(root)],
            env=env,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    tw_env = {
        **env,
        "TASKRC": str(root / ".taskrc"),
        "TASKDATA": str(root / ".task"),
        "TZ": "UTC",
    }
    (root / ".taskrc").write_text("data.location=" + str(root / ".task") + "\n")
    cmd = ["task", "rc.confirmation=off", "rc.gc=off", "rc.verbose=nothing"]
    subprocess.run(
        [*cmd, "import", str(root / "tasks.json")], env=tw_env, check=True, capture_output=True
    )
    counted = subprocess.run(
        [*cmd, "+OVERDUE", "count"], env=tw_env, capture_output=True, check=True, text=True
    ).stdout
    if int(counted) != ours:
        raise SystemExit(f"overdue counts differ: tf {ours}, Taskwarrior {counted.strip()}")
    return [*cmd, "+OVERDUE", "export"], tw_env


def tasks_for(root: Path) -> int:
    """In a child process: write `root/tasks.json`, the repo's actions as Taskwarrior tasks
    (the same due dates and effective statuses), and return how many tf finds overdue."""
    env = {**os.environ, "NO_COLOR": "1"}
    data = json.loads(
        subprocess.run(
            [*TF, "actions", "--all", "--format", "json", "--today", TODAY],
            cwd=root,
            env=env,
            capture_output=True,
            check=True,
        ).stdout
    )
    state = {"open": "pending", "in-progress": "pending", "done": "completed"}
    tasks = []
    for a in data:
        task = {
            "description": a["text"],
            "status": state.get(a["status"], "deleted"),
            "entry": a["meeting_date"].replace("-", "") + "T000000Z",
            "project": "tf",
        }
        if a["due"]:
            # tf: overdue when the due day has passed; Taskwarrior compares instants, so the
            # deadline is the last second of the due day (both run in UTC here).
            task["due"] = a["due"].replace("-", "") + "T235959Z"
        if task["status"] != "pending":
            task["end"] = task["entry"]
        tasks.append(task)
    (root / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    return sum(1 for a in data if a["overdue"])


def cpu_ms(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}")
    return (usage.ru_utime + usage.ru_stime) * 1000


def rounds(
    sizes: list[int],
    n: int,
    env: dict[str, str],
    check: bool = False,
    baseline: str = "",
    edit: str = "body",
) -> None:
    """The warm listing (`check`: a warm `tf check` after one meeting changed by `edit`, and
    with `baseline`, the same by the tf in that folder, on a copy of the repo) against
    Taskwarrior's export in `n` alternating rounds per size."""
    listing = ["actions", "--overdue", "--format", "json"]
    tf = [str(SCRIPT)] if SCRIPT.exists() else TF
    print(
        f"Median CPU ms (user + sys; min-max) of {n} alternating rounds, today {TODAY}; "
        "ratio = ÷ Taskwarrior's in the same rounds.\n"
    )
    print("| meetings | command | CPU ms | min-max | × Taskwarrior |")
    print("|---:|---|---:|---:|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as d:
            root = Path(d) / "repo"
            root.mkdir()
            generate(size, root)
            (Path(d) / "hello.py").write_text(HELLO, encoding="utf-8")
            tw = taskwarrior(root, env)
            if tw is None:
                raise SystemExit("Taskwarrior (`task`) is not installed")
            app_env = {**env, "TF_QUICK": "off"}
            nothing: Callable[[], None] = lambda: None  # noqa: E731
            hello = [sys.executable, str(Path(d) / "hello.py")]
            cases = [
                ("Taskwarrior `task +OVERDUE export`", tw[0], tw[1], root, nothing),
                ("`tf actions --overdue --format json`", [*tf, *listing], env, root, nothing),
                ("the same, `python -m tfcli`", [*TF, *listing], env, root, nothing),
                ("the same through Typer (`TF_QUICK=off`)", [*tf, *listing], app_env, root,
                 nothing),
                ("Typer hello-world app", hello, env, root, nothing),
            ]  # fmt: skip
            if check:
                changed = change_one(root, edit)
                cases = [
                    cases[0],
                    (f"`tf check`, 1 file changed ({edit})", [*tf, "check"], env, root, changed),
                    ("the same through Typer (`TF_QUICK=off`)", [*tf, "check"], app_env, root,
                     changed),
                ]  # fmt: skip
                if baseline:  # its own copy: the index is keyed by tf's code
                    other = Path(d) / "baseline"
                    shutil.copytree(root, other, ignore=shutil.ignore_patterns(".tf", ".task*"))
                    old_env = {**env, "PYTHONPATH": baseline}
                    label = f"`tf check` of {baseline}, 1 file changed"
                    cases.append((label, [*TF, "check"], old_env, other, change_one(other, edit)))
            time.sleep(2.1)  # files written in the last 2 s are never trusted by their times
            for _, cmd, case_env, cwd, before in cases * 2:  # stores written, modules compiled
                before()
                cpu_ms(cmd, cwd, case_env)
            times: list[list[float]] = [[] for _ in cases]
            for r in range(n):
                order = [*range(len(cases))]
                for i in order[r % len(order) :] + order[: r % len(order)]:
                    cases[i][4]()
                    times[i].append(cpu_ms(cases[i][1], cases[i][3], cases[i][2]))
            peer = statistics.median(times[0])
            for (label, *_), t in zip(cases, times, strict=True):
                med = statistics.median(t)
                cells = [str(size), label, f"{med:.0f}", f"{min(t):.0f}-{max(t):.0f}"]
                print("| " + " | ".join([*cells, f"{med / peer:.2f}"]) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rounds", type=int, help="only the warm listing and Taskwarrior, N rounds")
    ap.add_argument(
        "--check", action="store_true", help="with --rounds: `tf check`, 1 file changed, instead"
    )
    ap.add_argument("--baseline", default="", help="with --check: also the tf in this folder")
    ap.add_argument(
        "--edit",
        choices=EDITS,
        default="body",
        help="with --check: the change before each run (body: a line added to one meeting's "
        "body; comment: a comment line at the top of its front matter; text: one action's text "
        "changed; follow-up: a follow-up of an earlier action added to the newest meeting)",
    )
    ap.add_argument("--tasks-for", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tasks_for:
        print(tasks_for(args.tasks_for))
        return
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": TODAY, "TZ": "UTC"}
    # Compiled modules cached, as in any installed tf (and in Typer's installed package): a
    # machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile tf at every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("TF_QUICK", None)
    if args.rounds:
        sizes = [int(s) for s in args.sizes.split(",")]
        rounds(sizes, args.rounds, env, args.check, args.baseline, args.edit)
        return
    subprocess.run([*TF, "--version"], env=env, capture_output=True, check=True)
    subprocess.run([*TF, "actions"], env=env, capture_output=True, cwd=Path(__file__).parent.parent)
    nothing: Callable[[], None] = lambda: None  # noqa: E731
    rows: list[tuple[str, str, Timing, Timing | None]] = []
    with tempfile.TemporaryDirectory() as d:
        hello = Path(d) / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        floor = measure([sys.executable, str(hello)], Path(d), args.runs, env, nothing)
        rows.append(("Typer hello-world app", "", floor, None))
        rows.append(
            (
                "tf --version",
                "",
                measure([*TF, "--version"], Path(d), args.runs, env, nothing),
                floor,
            )
        )
    seed = Path(__file__).resolve().parent.parent
    rows.append(
        (
            "tf actions (bundled repo)",
            "1",
            measure([*TF, "actions"], seed, args.runs, env, nothing),
            floor,
        )
    )
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            generate(n, root)
            drop = functools.partial(shutil.rmtree, root / ".tf", ignore_errors=True)
            tw = taskwarrior(root, env)
            peer = measure(tw[0], root, args.runs, tw[1], nothing) if tw else None
            if peer:
                rows.append(("Taskwarrior `task +OVERDUE export`", str(n), peer, None))
            kinds: list[tuple[str, Callable[[], None]]] = [("cold", drop), ("warm", nothing)]
            cases: list[tuple[str, list[str], Timing | None, list[tuple[str, Callable[[], None]]]]]
            cases = [
                (
                    "tf actions --overdue --format json",
                    ["actions", "--overdue", "--format", "json"],
                    peer,
                    [],
                ),
                ("tf check", ["check"], peer, [("warm, 1 file changed", change_one(root))]),
                ("tf list --format csv", ["list", "--format", "csv"], None, []),
            ]
            for label, cmd, ref, extra in cases:
                for kind, before in [*kinds, *extra]:
                    t = measure([*TF, *cmd], root, args.runs, env, before)
                    rows.append((f"{label} ({kind})", str(n), t, ref))
    print(
        f"Median of {args.runs} runs; repos end {END}, today {TODAY}; ratios = tf / peer, "
        "of CPU time (the figure that holds on a shared machine) and of peak memory.\n"
    )
    print("| command | meetings | wall (ms) | CPU (ms) | peak (MiB) | × peer CPU | × peer memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, size, t, ref in rows:
        ratio = f"{t.cpu_ms / ref.cpu_ms:.2f}" if ref else ""
        mem = f"{t.peak_mib / ref.peak_mib:.2f}" if ref else ""
        cells = [name, size, f"{t.wall_ms:.0f}", f"{t.cpu_ms:.0f}", f"{t.peak_mib:.0f}", ratio, mem]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
