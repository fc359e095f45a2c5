"""Do `tf render` and Hugo's peer (bench/hugo_site.py) make the same pages? Prints Markdown.

    python bench/hugo_check.py              # a generated repo of 1000 meetings
    python bench/hugo_check.py --repo /work/corpus/1000

Builds both sites from one copy of the minutes (tf: a public build, TF_TODAY=2026-01-01;
Hugo: params.today the same day), then counts files and bytes by kind and the rows each
aggregate holds: meeting pages, organisation pages, tracker rows, decisions, calendar
events, search entries. Exit status 1 when a count differs or Hugo printed a warning.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate
from hugo_site import write_site

KINDS = (
    ("meeting pages", re.compile(r"meetings/[^/]+\.html")),
    ("organisation pages", re.compile(r"organisations/[^/]+\.html")),
    ("index and meetings list", re.compile(r"(index|meetings)\.html")),
    ("tracker", re.compile(r"tracker\.html")),
    ("attendance matrix", re.compile(r"attendance\.html")),
    ("decisions register", re.compile(r"decisions\.html")),
    ("calendar", re.compile(r"calendar\.ics")),
    ("search index", re.compile(r"(assets/search-\d+\.js|search\.json)")),
)


def kind(rel: str) -> str:
    return next((k for k, pat in KINDS if pat.fullmatch(rel)), "other")


def by_kind(out: Path) -> tuple[Counter[str], Counter[str]]:
    files: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for f in out.rglob("*"):
        if f.is_file() and f.name != ".tf-site":
            k = kind(f.relative_to(out).as_posix())
            files[k] += 1
            size[k] += f.stat().st_size
    return files, size


def rows(out: Path, hugo: bool) -> dict[str, int]:
    """What each aggregate holds: counted from the files, each tool's own markup."""
    tracker = (out / "tracker.html").read_text(encoding="utf-8")
    decisions = (out / "decisions.html").read_text(encoding="utf-8")
    ics = (out / "calendar.ics").read_text(encoding="utf-8")
    if hugo:
        search = len(json.loads((out / "search.json").read_text(encoding="utf-8")))
        actions = tracker.count("<tr><td>")
    else:
        js = "".join(p.read_text(encoding="utf-8") for p in (out / "assets").glob("search-*.js"))
        search = len(re.findall(r'\{"date":"', js))
        actions = len(re.findall(r"<tr[^>]*>\s*<th scope=\"row\">", tracker))
    return {
        "tracker rows (actions)": actions,
        "decisions": decisions.count("<tr") - 1,  # less the header row
        "calendar events": ics.count("BEGIN:VEVENT"),
        "search entries (meetings)": search,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--meetings", type=int, default=1000)
    ap.add_argument("--repo", type=Path, help="a minutes repo to copy (else one is generated)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "repo"
        if args.repo:
            shutil.copytree(args.repo, root, ignore=shutil.ignore_patterns(".tf", "_site"))
        else:
            generate(args.meetings, root)
        env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2026-01-01"}
        tf_out, hugo_out = Path(d) / "tf", Path(d) / "hugo"
        tf = [sys.executable, "-m", "tfcli", "render", "--out", str(tf_out)]
        subprocess.run(tf, cwd=root, env=env, check=True, capture_output=True)
        site = write_site(root, Path(d) / "hugo-site", hugo_out)
        built = subprocess.run(
            ["hugo", "--printPathWarnings", "--source", str(site)],
            env=env,
            capture_output=True,
            text=True,
        )
        warnings = [ln for ln in (built.stdout + built.stderr).splitlines() if "WARN" in ln]
        if built.returncode:
            print(built.stdout, built.stderr, file=sys.stderr)
            return 1
        (tf_files, tf_bytes), (h_files, h_bytes) = by_kind(tf_out), by_kind(hugo_out)
        print("| kind | tf files | Hugo files | tf bytes | Hugo bytes |")
        print("|---|---:|---:|---:|---:|")
        for k in [*(k for k, _ in KINDS), "other"]:
            print(f"| {k} | {tf_files[k]} | {h_files[k]} | {tf_bytes[k]:,} | {h_bytes[k]:,} |")
        total = (sum(tf_files.values()), sum(h_files.values()))
        size = (sum(tf_bytes.values()), sum(h_bytes.values()))
        print(f"| all | {total[0]} | {total[1]} | {size[0]:,} | {size[1]:,} |")
        ours, theirs = rows(tf_out, hugo=False), rows(hugo_out, hugo=True)
        print("\n| held | tf | Hugo |\n|---|---:|---:|")
        for k, v in ours.items():
            print(f"| {k} | {v} | {theirs[k]} |")
        same = [tf_files[k] == h_files[k] for k in ("meeting pages", "organisation pages")]
        bad = not all(same) or ours != theirs or warnings
        for w in warnings:
            print(f"hugo: {w}", file=sys.stderr)
        print(f"\n{'DIFFERENT' if bad else 'same'} pages; Hugo warnings: {len(warnings)}")
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
