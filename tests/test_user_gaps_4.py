"""Rough edges a secretary met: text whose ': ' made YAML read a mapping (`- Updates:
members`), a status written as a key of its own (`done: yes`), and a row of `tf actions`
whose deadline is invalid."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Tf

NAME = "minutes/2022-07-01-x.md"


def _write(repo: Path, front: str) -> None:
    text = f"---\ndate: 2022-07-01\ntitle: X\n{front}---\n## Welcome\n"
    (repo / NAME).write_text(text, "utf-8")


# -- 1. text that YAML read as a mapping ---------------------------------------------------------

COLON = """agenda:
  - Welcome
  - Updates: members
  - title: AOB
    items:
      - Legal: aid
  - Title: Tour de table
decisions:
  - Agreed: "yes, we agree"
participants:
  - UNHCR
  - IOM: Maria
regrets:
  ngos:
    - Strada: 'the "draft"'
next_meeting:
  agenda:
    - Deferred:
actions:
  - id: 1
    text: Do it
    owner: UNHCR
    due: 2022-07-08
    notes:
      - Called: 2022-07-04
"""


def _colon(line: int, col: int, text: str, key: str, quoted: str) -> str:
    return (
        f"{NAME}:{line}:{col}: error [type] '{text}' is read as a mapping, not as text: YAML "
        f"takes the ': ' after '{key}' for a key (quote the text: - {quoted})\n"
    )


def test_text_read_as_a_mapping_is_one_error_with_the_text_quoted(tf: Tf, seed_repo: Path) -> None:
    _write(seed_repo, COLON)
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        _colon(6, 5, "Updates: members", "Updates", '"Updates: members"')
        + _colon(9, 9, "Legal: aid", "Legal", '"Legal: aid"')
        + f"{NAME}:10:5: error [required] agenda item needs a 'title'\n"
        + f"{NAME}:10:5: warning [unknown-key] unknown key 'Title' (kept as written) "
        "(write 'title:' (keys are lower case))\n"
        + _colon(12, 5, "Agreed: yes, we agree", "Agreed", '"Agreed: yes, we agree"')
        + _colon(15, 5, "IOM: Maria", "IOM", '"IOM: Maria"')
        + _colon(18, 7, 'Strada: the "draft"', "Strada", "'Strada: the \"draft\"'")
        + _colon(21, 7, "Deferred:", "Deferred", '"Deferred:"')
        + _colon(28, 9, "Called: 2022-07-04", "Called", '"Called: 2022-07-04"'),
    )
    assert r.err == "tf check: 8 errors, 1 warning in 1 file\n"


def test_quoted_the_text_reads_as_written(tf: Tf, seed_repo: Path) -> None:
    _write(seed_repo, 'agenda:\n  - "Updates: members"\ndecisions:\n  - "Agreed: all"\n')
    assert tf("check", NAME, cwd=seed_repo).code == 0
    r = tf("show", "2022-07-01", cwd=seed_repo)
    assert "Updates: members" in r.out and "Agreed: all" in r.out


# -- 2. a status written as a key of its own -----------------------------------------------------


def test_a_status_written_as_a_key_gets_the_status_line_to_write(tf: Tf, seed_repo: Path) -> None:
    actions = "".join(
        f"  - id: {i}\n    text: T\n    owner: UNHCR\n    due: 2022-07-08\n    {line}\n"
        for i, line in enumerate(
            ["done: yes", "closed: true", "completed: 2022-07-05", "Dropped: yes", "done: no"], 1
        )
    )
    _write(seed_repo, f"actions:\n{actions}updates:\n  - action: 2022-06-24/1\n    done: true\n")
    r = tf("check", NAME, cwd=seed_repo)
    state = "tf reads the state from 'status:'"
    assert (r.code, r.out) == (
        0,  # warnings: the key is kept as written
        "".join(
            f"{NAME}:{line}:5: warning [unknown-key] unknown key '{key}' (kept as written) "
            f"({hint})\n"
            for line, key, hint in [
                (9, "done", f"{state}: write 'status: done'"),
                (14, "closed", f"{state}: write 'status: done'"),
                (19, "completed", f"{state}: write 'status: done'"),
                (24, "Dropped", f"{state}: write 'status: dropped'"),
                (29, "done", f"{state} (open, in-progress, done, dropped): remove this line"),
                (32, "done", f"{state}: write 'status: done'"),
            ]
        ),
    )


def test_minutes_approved_as_a_key_and_a_status_word_as_a_value(tf: Tf, seed_repo: Path) -> None:
    _write(
        seed_repo,
        "approved: true\nactions:\n  - {id: 1, text: T, owner: UNHCR, due: 2022-07-08, "
        "status: closed}\n",
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        f"{NAME}:4:1: warning [unknown-key] unknown key 'approved' (kept as written) (tf reads "
        "the state from 'status:': write 'status: approved')\n"
        f"{NAME}:6:61: error [enum] 'status' is 'closed'; allowed: open, in-progress, done, "
        "dropped (did you mean 'done'?)\n",
    )


# -- 3. an invalid deadline in the table ---------------------------------------------------------

DUES = "".join(
    f"  - id: {i}\n    text: T{i}\n    owner: UNHCR\n{due}"
    for i, due in enumerate(
        [
            "    due: 2022-07-08\n",
            "    due: 2022-13-45\n",
            "    due: 8 July\n",
            "    due: [2022-07-08]\n",
            "",  # no deadline
            "    due:\n",  # empty: a warning, no deadline, in a file with errors
            "    due: 2022-7-8\n    status: done\n",
        ],
        1,
    )
)


def test_an_invalid_due_is_no_action_without_a_deadline_in_the_table(
    tf: Tf, seed_repo: Path
) -> None:
    _write(seed_repo, f"actions:\n{DUES}")
    tables = [
        tf("actions", "--all", "--today", "2022-07-05", cwd=seed_repo, env=env)
        for env in ({}, {}, {"TF_INDEX": "off"})  # cold, warm (kept listings), no index
    ]
    r = tables[0]
    assert r.code == 0 and tables[1] == tables[2] == r
    w = " " * 57
    assert r.out == (
        f"ID            Due         When              Status  Owner   Text{w}Meeting\n"
        "2022-06-24/1  2022-07-08  in 3 days         open    chairs  Share OSCE and Council of "
        "Europe recommendations on TiP      2022-06-24\n"
        "2022-06-24/2  2022-07-08  in 3 days         open    chairs  Send the Action Plan with "
        "integrated recommendations on TiP  2022-06-24\n"
        f"2022-07-01/1  2022-07-08  in 3 days         open    UNHCR   T1  {w}2022-07-01\n"
        f"2022-07-01/2              invalid due date  open    UNHCR   T2  {w}2022-07-01\n"
        f"2022-07-01/3              invalid due date  open    UNHCR   T3  {w}2022-07-01\n"
        f"2022-07-01/4              invalid due date  open    UNHCR   T4  {w}2022-07-01\n"
        f"2022-07-01/5              no due date       open    UNHCR   T5  {w}2022-07-01\n"
        f"2022-07-01/6              no due date       open    UNHCR   T6  {w}2022-07-01\n"
        f"2022-07-01/7              done              done    UNHCR   T7  {w}2022-07-01\n"
    )
    assert r.err == (
        f"tf: warning: 4 errors in 1 file, used as read: {NAME}; run 'tf check'\n"
        "tf actions: 9 actions, 0 overdue (today 2022-07-05)\n"
    )


def test_json_and_csv_keep_an_invalid_due_as_no_deadline_told_invalid(
    tf: Tf, seed_repo: Path
) -> None:
    _write(seed_repo, f"actions:\n{DUES}")
    csv = tf("actions", "--format", "csv", "--today", "2022-07-05", cwd=seed_repo).out
    assert "2022-07-01/2,,invalid due date,open,UNHCR,T2,2022-07-01,\n" in csv
    got = tf("actions", "--format", "json", "--today", "2022-07-05", cwd=seed_repo).out
    two = next(a for a in json.loads(got) if a["id"] == "2022-07-01/2")
    assert (two["due"], two["due_text"], two["due_kind"], two["hint"]) == (
        None,
        None,
        None,
        "invalid due date",
    )
