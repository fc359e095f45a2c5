"""Generate a realistic minutes repo of N meetings for benchmarks (deterministic, seeded).

python bench/gen.py 1000 /tmp/tf-bench-1000
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

ORGS = [
    ("State Chancellery", "SC", "government"),
    ("General Prosecutor's Office", "GPO", "government"),
    ("Ministry of Labour and Social Protection", "MLSP", "government"),
    ("Border Police General Inspectorate", "BPGI", "government"),
    ("UNHCR", "UNHCR", "international"),
    ("IOM", "IOM", "international"),
    ("OSCE", "OSCE", "international"),
    ("UNICEF", "UNICEF", "international"),
    ("La Strada", "LS", "ngos"),
    ("Plan International", "PI", "ngos"),
]
STATUSES = ["open", "in-progress", "done", "dropped"]
PARAGRAPH = (
    "The representative informed the participants that 1,646 children were enrolled and that "
    "78 of 108 accommodation centres remain open; the Task Force agreed to follow up. "
) * 4


def config() -> str:
    lines = [
        "group: Benchmark Task Force",
        "timezone: Europe/Chisinau",
        "cadence: every 2 weeks",
        "organisations:",
    ]
    lines += [f"  - {{name: {n}, short: {s}, group: {g}}}" for n, s, g in ORGS]
    lines += ["roles:", "  chairs: [State Chancellery, UNHCR, IOM]"]
    return "\n".join(lines) + "\n"


def meeting(i: int, day: date, rng: random.Random, earlier: list[str]) -> str:
    fm = [
        "---",
        "format: 1",
        f"date: {day.isoformat()}",
        "title: Benchmark Task Force",
        "time: 10:00",
        "location: Zoom",
        "chair: Diana Doros (State Chancellery)",
        "co_chairs: [Martina Bogdeva (UNHCR), Diana Donoaga-Certan (IOM)]",
        "participants:",
    ]
    for group in ("government", "international", "ngos"):
        fm.append(f"  {group}:")
        fm += [f"    - {n}" for n, _, g in ORGS if g == group]
    items = [f"Agenda item {k}" for k in range(1, 7)]
    fm.append("agenda:")
    fm += [f"  - {t}" for t in items]
    fm.append("actions:")
    for k in range(1, 4):
        owner = rng.choice(["chairs", *(s for _, s, _ in ORGS)])
        due = day + timedelta(days=rng.randint(7, 60))
        fm += [
            f"  - id: {k}",
            f"    text: Follow up on item {k} of meeting {i}",
            f"    owner: {owner}",
            f"    due: {due.isoformat()}",
        ]
    if earlier:
        fm.append("updates:")
        for target in rng.sample(earlier[-30:], k=min(3, len(earlier))):
            fm += [f"  - action: {target}", f"    status: {rng.choice(STATUSES)}"]
    fm += ["decisions:", "  - The minutes of the previous meeting were endorsed."]
    fm += ["status: approved", "visibility: public", "---", ""]
    body = "".join(f"## {t}\n\n{PARAGRAPH}\n\n" for t in items)
    return "\n".join(fm) + body


def generate(n: int, root: Path) -> None:
    rng = random.Random(n)
    (root / "minutes").mkdir(parents=True, exist_ok=True)
    (root / "tf.yml").write_text(config(), encoding="utf-8")
    start = date(2025, 12, 1) - timedelta(days=3 * n)  # all in the past of TF_TODAY
    earlier: list[str] = []
    for i in range(n):
        day = start + timedelta(days=3 * i)  # dense enough that n meetings stay plausible
        (root / "minutes" / f"{day.isoformat()}-benchmark.md").write_text(
            meeting(i, day, rng, earlier), encoding="utf-8"
        )
        earlier += [f"{day.isoformat()}/{k}" for k in range(1, 4)]


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
