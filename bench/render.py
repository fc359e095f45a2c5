"""`tf render` beside Hugo on the same generated minutes; prints a Markdown table.

    python bench/render.py                    # 1000 meetings, 3 runs
    python bench/render.py --sizes 1000,5000 --runs 3

Rows per size: a cold build (no index of the minutes, no render cache, fresh output
folder), the same with `--no-cache` (as the CI workflow builds: no render cache written),
a clean full build (--no-cache, fresh output folder, the index warm), a rebuild with nothing
changed, a rebuild after one meeting's body changed (its page and search entry
patched), one after its title changed (its page, row, index line, search entry and calendar
event put in place: tfcli/site/fields.py), after a follow-up's status, an action's text or
due date, or who attended changed (each put in place), after a copy of the last meeting was
added (a full build with the render cache: it has actions) and after `tf new-meeting` wrote
the next meeting's skeleton; then two Hugo (Debian `hugo`) builds of the same minutes files
as content, run in alternation: the peer the targets are read against, which makes the same
pages as `tf render` with a minimal layout (bench/hugo_site.py: index, meeting pages,
tracker, organisation pages, attendance matrix, decisions register, calendar and search
index, restricted meetings left out; bench/hugo_check.py compares the two sites' files), and
the peer used until 2026-11-30 (a page per meeting with agenda, body and decisions, and a
list page; taxonomies, RSS and sitemap off), kept as a second row. Wall time is the median of the
runs; CPU is user + system of the process and its children; peak memory is the largest
resident set of any one process.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate
from hugo_site import write_site

TF = [sys.executable, "-m", "tfcli", "render"]
HUGO_SAME = "hugo (the same pages, minimal layout: bench/hugo_site.py)"
HUGO_LIST = "hugo, meetings and a list only (the peer until 2026-11-30)"
HUGO_CONFIG = """baseURL = "http://example.invalid/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
contentDir = "{content}"
publishDir = "{out}"
[markup.goldmark.renderer]
unsafe = false
"""
SINGLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
</head><body><h1>{{ .Title }} {{ .Date.Format "2 January 2006" }}</h1>
<ol>{{ range .Params.agenda }}<li>{{ . }}</li>{{ end }}</ol>
{{ .Content }}
<ol>{{ range .Params.decisions }}<li>{{ . }}</li>{{ end }}</ol></body></html>
"""
LIST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
</head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></body></html>
"""


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one process and its children."""
    env = {**os.environ, "NO_COLOR": "1", "TF_TODAY": "2026-01-01"}
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    assert p.stderr is not None
    err = p.stderr.read().decode()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def median(rows: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    return (
        statistics.median(r[0] for r in rows),
        statistics.median(r[1] for r in rows),
        max(r[2] for r in rows),
    )


def hugo_site(root: Path) -> Path:
    site = root / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(
        HUGO_CONFIG.format(content=root / "minutes", out=root / "hugo-out"), encoding="utf-8"
    )
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(LIST, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(LIST, encoding="utf-8")
    return site


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rows: list[tuple[str, int, tuple[float, float, int]]] = []
    notes: list[str] = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            generate(n, root)
            out = root / "site"
            cold = []
            for _ in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(root / ".tf", ignore_errors=True)
                cold.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (cold: no index, no cache, all cores)", n, median(cold)))
            ci = []
            for _ in range(args.runs):  # as the CI workflow builds: a fresh clone, no cache kept
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(root / ".tf", ignore_errors=True)
                ci.append(run([*TF, "--out", str(out), "--no-cache"], root))
            rows.append(("tf render (cold, --no-cache: the CI workflow's build)", n, median(ci)))
            full = []
            for _ in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                full.append(run([*TF, "--out", str(out), "--no-cache"], root))
            rows.append(("tf render (clean: --no-cache, index warm)", n, median(full)))
            run([*TF, "--out", str(out)], root)  # warm the cache
            same = [run([*TF, "--out", str(out)], root) for _ in range(args.runs)]
            rows.append(("tf render (nothing changed)", n, median(same)))
            meeting = sorted((root / "minutes").glob("*.md"))[n // 2]
            inc = []
            for i in range(args.runs):
                with meeting.open("a", encoding="utf-8") as f:
                    f.write(f"\nOne more line, edit {i}.\n")
                inc.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (one meeting's body changed)", n, median(inc)))
            front = []
            for i in range(args.runs):  # a field: every page that shows it is made again
                text = meeting.read_text(encoding="utf-8")
                title = f"title: Edited {i} "
                meeting.write_text(text.replace("title: ", title, 1), encoding="utf-8")
                front.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (one meeting's title changed)", n, median(front)))
            status = []
            for i in range(args.runs):  # a follow-up's status: the actions' pages, the tracker...
                text = meeting.read_text(encoding="utf-8")
                was, now = ("done", "dropped") if i % 2 == 0 else ("dropped", "done")
                edited = text.replace(f"    status: {was}\n", f"    status: {now}\n", 1)
                assert edited != text, "no follow-up to change"
                meeting.write_text(edited, encoding="utf-8")
                status.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (a follow-up's status changed)", n, median(status)))
            text_edit = []
            for i in range(args.runs):  # an action's text: its row, pages and search entry
                text = meeting.read_text(encoding="utf-8")
                meeting.write_text(text.replace("    text: ", f"    text: Edited {i} ", 1), "utf-8")
                text_edit.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (an action's text changed)", n, median(text_edit)))
            due_edit = []
            for i in range(args.runs):  # an action's due date: its row may move in the tracker
                text = meeting.read_text(encoding="utf-8")
                m = re.search(r"\n    due: (\d{4}-\d\d-\d\d)\n", text)
                assert m, "no action with a due date"
                moved = date.fromisoformat(m[1]) + timedelta(days=i + 1)
                edited = text[: m.start(1)] + moved.isoformat() + text[m.end(1) :]
                meeting.write_text(edited, encoding="utf-8")
                due_edit.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (an action's due date changed)", n, median(due_edit)))
            people = []
            for _ in range(args.runs):  # who attended: the matrix, two pages
                text = meeting.read_text(encoding="utf-8")
                if "\n    - OSCE\n" in text:
                    text = text.replace("\n    - OSCE\n", "\n", 1)
                else:
                    text = text.replace(
                        "\n  international:\n", "\n  international:\n    - OSCE\n", 1
                    )
                meeting.write_text(text, encoding="utf-8")
                people.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (a participant added or removed)", n, median(people)))
            added = []
            last = sorted((root / "minutes").glob("*.md"))[-1]
            for i in range(args.runs):  # the next meeting's file: every aggregate page changes
                day = f"2026-11-{i + 1:02}"
                text = last.read_text(encoding="utf-8").replace(last.name[:10], day)
                (root / "minutes" / f"{day}-added.md").write_text(text, encoding="utf-8")
                added.append(run([*TF, "--out", str(out)], root))
            rows.append(("tf render (a meeting added)", n, median(added)))
            skeleton = []
            for i in range(args.runs):  # the next meeting as `tf new-meeting` writes it
                day = f"2026-11-{i + 10:02}"
                new = [sys.executable, "-m", "tfcli", "new-meeting", "--date", day]
                made = subprocess.run(new, cwd=root, capture_output=True, text=True)
                if made.returncode:  # e.g. too many open actions to carry forward
                    notes.append(f"{n}: no row for tf new-meeting: {made.stderr.strip()}")
                    break
                skeleton.append(run([*TF, "--out", str(out)], root))
            if skeleton:
                name = "tf render (the next meeting from tf new-meeting)"
                rows.append((name, n, median(skeleton)))
            if shutil.which("hugo"):
                peer = write_site(root, root / "hugo-same", root / "hugo-out")
                old = hugo_site(root)
                hugo: list[tuple[float, float, int]] = []
                lists: list[tuple[float, float, int]] = []
                for _ in range(args.runs):  # paired, alternating: the neighbours weigh on both
                    shutil.rmtree(root / "hugo-out", ignore_errors=True)
                    hugo.append(run(["hugo", "--quiet", "--source", str(peer)], root))
                    shutil.rmtree(root / "hugo-out", ignore_errors=True)
                    lists.append(run(["hugo", "--quiet", "--source", str(old)], root))
                rows.append((HUGO_SAME, n, median(hugo)))
                rows.append((HUGO_LIST, n, median(lists)))
    print(f"| build | meetings | wall, median of {args.runs} (s) | CPU (s) | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for name, n, (wall, cpu, rss) in rows:
        print(f"| {name} | {n} | {wall:.2f} | {cpu:.2f} | {rss} |")
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
