"""Generate a realistic minutes repo of N meetings for benchmarks (deterministic, seeded).

    python bench/gen.py 1000 /tmp/tf-bench-1000

The shape follows what coordination groups write (issue "Fast at any size"): per meeting
about 6.5 actions, 7 follow-ups of earlier actions (done, in progress, postponed, dropped),
8 participating organisations from a roster of 22, 6 agenda items, decisions and links;
about 2.8 KB of front matter and 4.7 KB of body. One meeting a day, ending on END, so
10,000 meetings still start after 1980 (Taskwarrior refuses earlier dates); one in twenty
is restricted. `tf check --strict` is clean on the result.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

END = date(2026, 10, 31)
GROUPS = ("government", "international", "ngos")
ORGS = [
    ("State Chancellery", "SC", "government"),
    ("General Prosecutor's Office", "GPO", "government"),
    ("Ministry of Labour and Social Protection", "MLSP", "government"),
    ("Border Police General Inspectorate", "BPGI", "government"),
    ("Ministry of Education", "MoE", "government"),
    ("Ministry of Health", "MoH", "government"),
    ("National Agency for Social Assistance", "ANAS", "government"),
    ("UNHCR", "UNHCR", "international"),
    ("IOM", "IOM", "international"),
    ("OSCE", "OSCE", "international"),
    ("UNICEF", "UNICEF", "international"),
    ("UNFPA", "UNFPA", "international"),
    ("UNODC", "UNODC", "international"),
    ("ILO", "ILO", "international"),
    ("UNDP", "UNDP", "international"),
    ("La Strada", "LS", "ngos"),
    ("Plan International", "PI", "ngos"),
    ("IRC Moldova", "IRC", "ngos"),
    ("People in Need", "PIN", "ngos"),
    ("ADRA Moldova", "ADRA", "ngos"),
    ("CNPAC", "CNPAC", "ngos"),
    ("War Child", "WC", "ngos"),
]
ITEMS = [
    "Welcome remarks and adoption of the agenda",
    "Endorsement of the previous minutes and review of pending action points",
    "Structured tour de table on main anti-trafficking responses",
    "Update on referral pathways for victims and potential victims of trafficking",
    "Prevention messaging at border crossing points",
    "AOB and date of the next meeting",
]
VERBS = ["Share", "Circulate", "Prepare", "Map", "Follow up on", "Draft", "Present", "Compile"]
THINGS = [
    "the updated referral pathway with the members",
    "the list of focal points for case management in each region",
    "recommendations on prevention amid mass migration flows",
    "the self-assessment checklist with ministries and agencies",
    "figures on identified victims for the quarterly report",
    "the terms of reference of the sub-group on labour exploitation",
    "a joint message on safe employment for the hotline",
]
PARAGRAPH = (
    "The representative of {org} informed the participants that 1,646 children were enrolled "
    "in schools and that 78 of 108 accommodation centres remain open. The Task Force discussed "
    "the referral of identified cases, the capacity of shelters in the northern region and the "
    "need for a common message at border crossing points; members agreed to follow up. "
)


def config() -> str:
    lines = [
        "format: 1",
        "group: Benchmark Task Force",
        "minutes: minutes",
        "timezone: UTC",
        "cadence: every day",
        "organisations:",
    ]
    lines += [f"  - {{name: {n}, short: {s}, group: {g}}}" for n, s, g in ORGS]
    lines += ["roles:", "  chairs: [State Chancellery, UNHCR, IOM]"]
    return "\n".join(lines) + "\n"


def meeting(i: int, day: date, rng: random.Random, open_ids: list[str]) -> tuple[str, list[str]]:
    """One meeting's file text, and the ids of the actions it creates."""
    present = sorted(rng.sample(range(len(ORGS)), 8))
    fm = [
        "---",
        "format: 1",
        f"date: {day.isoformat()}",
        "title: Benchmark Task Force",
        "time: '10:00'",
        "location: Zoom",
        "chair: Diana Doros (State Chancellery)",
        "co_chairs: [Martina Bogdeva (UNHCR), Diana Donoaga-Certan (IOM)]",
        "participants:",
    ]
    for group in GROUPS:
        names = [ORGS[k][0] for k in present if ORGS[k][2] == group]
        if names:
            fm.append(f"  {group}:")
            fm += [f"    - {n}" for n in names]
    fm.append("agenda:")
    fm += [f"  - {t}" for t in ITEMS]
    fm.append("actions:")
    ids = []
    for k in range(1, rng.randint(4, 9) + 1):
        owner = rng.choice(["chairs", *(ORGS[j][1] for j in present)])
        due = day + timedelta(days=rng.randint(7, 45))
        fm += [
            f"  - id: {k}",
            f"    text: {rng.choice(VERBS)} {rng.choice(THINGS)} (meeting {i})",
            f"    owner: {owner}",
            f"    due: {due.isoformat()}",
            f"    agenda: {ITEMS[rng.randint(2, 4)]}",
        ]
        ids.append(f"{day.isoformat()}/{k}")
    targets = rng.sample(open_ids[-60:], k=min(7, len(open_ids[-60:])))
    if targets:
        fm.append("updates:")
    for target in targets:
        roll = rng.random()
        fm.append(f"  - action: {target}")
        if roll < 0.7:
            fm.append("    status: done")
            open_ids.remove(target)
        elif roll < 0.8:
            fm.append("    status: dropped")
            fm.append("    note: No longer needed after the change of procedure.")
            open_ids.remove(target)
        elif roll < 0.9:
            fm.append("    status: in-progress")
        else:
            fm.append(f"    due: {(day + timedelta(days=rng.randint(7, 30))).isoformat()}")
            fm.append("    note: Postponed at the owner's request.")
    fm += [
        "decisions:",
        "  - The minutes of the previous meeting were endorsed.",
        "  - The sub-group on labour exploitation meets before the next plenary.",
        "links:",
        "  - title: National referral mechanism, action plan 2022-2024",
        "    url: https://example.org/nrm/action-plan",
        "  - title: Weekly situation report",
        f"    url: https://example.org/reports/{day.isoformat()}",
        "status: approved",
        f"visibility: {'restricted' if i % 20 == 7 else 'public'}",
        "---",
        "",
    ]
    body = "".join(
        f"## {t}\n\n"
        + "".join(PARAGRAPH.format(org=ORGS[j][0]) for j in rng.sample(present, 2))
        + "\n\n"
        for t in ITEMS
    )
    return "\n".join(fm) + body, ids


def generate(n: int, root: Path) -> None:
    rng = random.Random(n)
    (root / "minutes").mkdir(parents=True, exist_ok=True)
    (root / "tf.yml").write_text(config(), encoding="utf-8")
    start = END - timedelta(days=n - 1)
    open_ids: list[str] = []
    for i in range(n):
        day = start + timedelta(days=i)
        text, ids = meeting(i, day, rng, open_ids)
        (root / "minutes" / f"{day.isoformat()}-benchmark.md").write_text(text, encoding="utf-8")
        open_ids += ids


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
