"""Rough edges found around lists: a problem of a participant, a regret, a co-chair or an
owner points at that entry's own line even when an entry before it was left out (empty,
`- IOM: Maria`, `- true`, an action without an id); a follow-up's invalid `due:`; empty
listings as JSON, CSV and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Tf

NAME = "minutes/2022-07-08-x.md"


def _write(repo: Path, front: str) -> None:
    text = f"---\ndate: 2022-07-08\ntitle: X\n{front}---\n## Welcome\n"
    (repo / NAME).write_text(text, "utf-8")


# -- 1. the entry's own line, not its count -------------------------------------------------------

MIXED = """participants:
  - IOM: Maria
  - UNHCR
  -
  - true
  - UNCHR
  - Ana Popescu, Ion Rusu
regrets:
  - {role: adviser}
  - Maria Popa (UNHRC)
  - Ana Lupu (IOM
co_chairs:
  - ""
  - Ana Popescu and Ion Rusu
actions:
  - text: no id, left out
    owner: UNHCR
    due: 2022-08-01
  - id: 1
    text: Do it
    owner: [IOM, "", "Ana Popescu, Ion Rusu", "Mihai (UNHCR", UNCHR]
    due: 2022-08-01
"""


def _at(line: int, col: int, rest: str) -> str:
    return f"{NAME}:{line}:{col}: {rest}"


MIXED_OUT = [
    _at(
        5,
        5,
        "error [type] 'IOM: Maria' is read as a mapping, not as text: YAML takes the ': ' "
        "after 'IOM' for a key (quote the text: - \"IOM: Maria\")",
    ),
    _at(
        8,
        5,
        "error [type] 'participants' must be a person: text ('Name (Organisation)') or a "
        "mapping (name, role, organisation), not the boolean true",
    ),
    _at(
        9,
        5,
        "warning [roster] 'UNCHR' in participants is not an organisation of the roster of "
        "tf.yml (did you mean 'UNHCR'?)",
    ),
    _at(
        10,
        5,
        "warning [one-person] 'participants' takes one person or organisation per entry, "
        "but 'Ana Popescu, Ion Rusu' names 2 (give each an entry of their own under "
        "'participants': '- Ana Popescu', '- Ion Rusu')",
    ),
    _at(12, 5, "error [required] a person needs 'name' or 'organisation'"),
    _at(
        13,
        5,
        "warning [roster] 'UNHRC' in regrets is not an organisation of the roster of tf.yml "
        "(did you mean 'UNHCR'?)",
    ),
    _at(
        14,
        5,
        "warning [bracket] 'Ana Lupu (IOM' has a '(' that is not closed: it is read as "
        "one name, not as 'Name (Organisation)' (close it: 'Ana Lupu (IOM)')",
    ),
    _at(
        14,
        5,
        "warning [roster] 'Ana Lupu (IOM' in regrets is not an organisation of the roster "
        "of tf.yml (add it to 'organisations' in tf.yml, or write a person as 'Name "
        "(Organisation)')",
    ),
    _at(
        17,
        5,
        "warning [one-person] 'co_chairs' takes one person per entry, but 'Ana Popescu "
        "and Ion Rusu' names 2 (write a list, one entry each: co_chairs: [Ana Popescu, Ion "
        "Rusu])",
    ),
    _at(
        19,
        5,
        "error [action-id] action has no 'id' (add 'id: 2': short, unique in this "
        "meeting, never renumbered)",
    ),
    _at(
        24,
        22,
        "warning [one-person] 'owner' takes one person or organisation per entry, but "
        "'Ana Popescu, Ion Rusu' names 2 (write a list, one entry each: owner: [Ana Popescu, "
        "Ion Rusu])",
    ),
    _at(
        24,
        47,
        "warning [bracket] 'Mihai (UNHCR' has a '(' that is not closed: it is read as "
        "one name, not as 'Name (Organisation)' (close it: 'Mihai (UNHCR)')",
    ),
    _at(
        24,
        63,
        "warning [owner] owner 'UNCHR' of action 2022-07-08/1 is not in the roster of "
        "tf.yml (did you mean 'UNHCR'?)",
    ),
]


@pytest.mark.parametrize("index", ["on", "off"])
def test_problems_of_entries_point_at_the_entry_written(
    tf: Tf, seed_repo: Path, index: str
) -> None:
    _write(seed_repo, MIXED)
    r = tf("check", "--strict", NAME, cwd=seed_repo, env={"TF_INDEX": index})
    assert r.out.splitlines() == MIXED_OUT
    again = tf("check", "--strict", NAME, cwd=seed_repo, env={"TF_INDEX": index})
    assert again.out == r.out  # the index's kept problems too


def test_a_clean_file_with_an_empty_entry_points_at_the_entry(tf: Tf, seed_repo: Path) -> None:
    """An empty `- ` is left out without a word, in a file the lean builder reads."""
    _write(seed_repo, "participants:\n  -\n  - UNHCR\n  - UNCHR\nregrets:\n  ngos: ['', Strada]\n")
    r = tf("check", "--strict", NAME, cwd=seed_repo)
    assert r.out.splitlines() == [
        _at(
            7,
            5,
            "warning [roster] 'UNCHR' in participants is not an organisation of the roster "
            "of tf.yml (did you mean 'UNHCR'?)",
        ),
        _at(
            9,
            14,
            "warning [roster] 'Strada' in regrets is not an organisation of the roster of "
            "tf.yml (did you mean 'La Strada'?)",
        ),
    ]


# -- 2. a follow-up's invalid due date -------------------------------------------------------------

AGREED = "minutes/2022-07-08-agreed.md"
LATER = "minutes/2022-09-01-later.md"


def _follow_ups(repo: Path, updates: str) -> None:
    (repo / AGREED).write_text(
        "---\ndate: 2022-07-08\nactions:\n"
        "  - {id: 1, text: Map shelters, owner: IOM, due: 2022-08-01}\n"
        "  - {id: 2, text: Train staff, owner: UNHCR, due: 2022-08-01}\n"
        "  - {id: 3, text: Share list, owner: IOM, due: 2022-08-01}\n---\n",
        "utf-8",
    )
    (repo / LATER).write_text(f"---\ndate: 2022-09-01\nupdates:\n{updates}---\n", "utf-8")


POSTPONED = """  - action: 2022-07-08/1
    due: 2022-13-45
  - action: 2022-07-08/2
    status: in-progress
    due: 31/10/2022
  - action: 2022-07-08/3
    new_due: 2022-10-15
"""


def test_check_names_a_follow_ups_invalid_due(tf: Tf, seed_repo: Path) -> None:
    _follow_ups(seed_repo, POSTPONED)
    r = tf("check", LATER, cwd=seed_repo)
    assert (r.code, r.out.splitlines()) == (
        1,
        [
            f"{LATER}:5:10: error [date] '2022-13-45' is not a real date (check day and month)",
            f"{LATER}:8:10: error [date] 'due' is '31/10/2022', not a date in YYYY-MM-DD form "
            "(write 2022-10-31)",
            f"{LATER}:10:5: warning [unknown-key] unknown key 'new_due' (kept as written) (tf "
            "calls it 'due': write 'due:')",
        ],
    )


@pytest.mark.parametrize("index", ["on", "off"])
def test_a_follow_ups_invalid_due_lists_as_an_actions_does(
    tf: Tf, seed_repo: Path, index: str
) -> None:
    """Not the deadline it meant to move (61 days overdue), and not 'no due date'."""
    _follow_ups(seed_repo, POSTPONED)
    env = {"TF_INDEX": index}
    args = ("actions", "--meeting", "2022-07-08", "--today", "2022-10-01")
    for _ in range(2):  # the second run: with what the first kept
        r = tf(*args, cwd=seed_repo, env=env)
        assert r.out.splitlines() == [
            "ID            Due         When              Status       Owner  Text          Meeting",
            "2022-07-08/3  2022-08-01  61 days overdue   open         IOM    Share list    "
            "2022-07-08",
            "2022-07-08/1              invalid due date  open         IOM    Map shelters  "
            "2022-07-08",
            "2022-07-08/2              invalid due date  in-progress  UNHCR  Train staff   "
            "2022-07-08",
        ]
    r = tf(*args, "--format", "csv", cwd=seed_repo, env=env)
    assert r.out.splitlines()[1:] == [
        "2022-07-08/3,2022-08-01,61 days overdue,open,IOM,Share list,2022-07-08,",
        "2022-07-08/1,,invalid due date,open,IOM,Map shelters,2022-07-08,",
        "2022-07-08/2,,invalid due date,in-progress,UNHCR,Train staff,2022-07-08,",
    ]
    overdue = tf(*args, "--overdue", "--format", "json", cwd=seed_repo, env=env)
    assert [a["id"] for a in json.loads(overdue.out)] == ["2022-07-08/3"]
    shown = tf("actions", "show", "2022-07-08/1", "--today", "2022-10-01", cwd=seed_repo, env=env)
    assert shown.out.splitlines()[4:7] == [
        "Due:            invalid due date",
        "Original due:   2022-08-01",
        "Postponements:  0",
    ]
    assert shown.out.splitlines()[-1] == (
        f"  2022-09-01: due 2022-08-01 -> invalid due date ({LATER}:4)"
    )


def test_an_invalid_due_is_told_as_such_in_every_view(tf: Tf, seed_repo: Path) -> None:
    """Not 'no due date', and not the deadline it meant to move: the JSON hint, an annotation's
    title and text, the digest by owner, `tf show`, and the agenda of the next meeting (whose
    own view of the earlier minutes kept no problem, so lost the mark)."""
    _follow_ups(seed_repo, "  - {action: 2022-07-08/1, due: 2022-13-45}\n")
    (seed_repo / "minutes/2022-10-15-next.md").write_text("---\ndate: 2022-10-15\n---\n", "utf-8")
    today = ("--today", "2022-10-01")
    r = tf("actions", "--meeting", "2022-07-08", "--format", "json", *today, cwd=seed_repo)
    mine = [a for a in json.loads(r.out) if a["id"] == "2022-07-08/1"]
    assert [(a["due"], a["hint"], a["overdue"]) for a in mine] == [
        (None, "invalid due date", False)
    ]
    r = tf("actions", "--meeting", "2022-07-08", "--format", "github", *today, cwd=seed_repo)
    assert (
        f"::warning file={AGREED},line=4,title=Action 2022-07-08/1%3A invalid due date::"
        "2022-07-08/1 (IOM; invalid due date): Map shelters"
    ) in r.out.splitlines()
    r = tf("actions", "--by", "owner", *today, cwd=seed_repo)
    assert "- **2022-07-08/1**: Map shelters (invalid due date; agreed on 8 July 2022)" in (
        r.out.splitlines()
    )
    r = tf("show", "2022-07-08", *today, cwd=seed_repo)
    assert "  2022-07-08/1  [open]  invalid due date  owner: IOM" in r.out.splitlines()
    r = tf("agenda", "2022-10-15", *today, cwd=seed_repo)
    assert "| 2022-07-08/1 | Map shelters | IOM | invalid due date | open |" in (r.out.splitlines())


def test_a_valid_due_after_an_invalid_one_wins(tf: Tf, seed_repo: Path) -> None:
    _follow_ups(seed_repo, "  - {action: 2022-07-08/1, due: 2022-13-45}\n")
    (seed_repo / "minutes/2022-09-15-x.md").write_text(
        "---\ndate: 2022-09-15\nupdates:\n  - {action: 2022-07-08/1, due: 2022-11-01}\n---\n",
        "utf-8",
    )
    r = tf("actions", "show", "2022-07-08/1", "--today", "2022-10-01", cwd=seed_repo)
    assert r.out.splitlines()[4:7] == [
        "Due:            2022-11-01 (in 31 days)",
        "Original due:   2022-08-01",
        "Postponements:  1",
    ]


# -- 3. an empty listing in every format -----------------------------------------------------------

HEADER = "id,due,when,status,owner,text,meeting,due_text\n"
MARKDOWN = "| ID | Due | When | Status | Owner | Text | Meeting |\n|---|---|---|---|---|---|---|\n"


@pytest.mark.parametrize("index", ["on", "off"])
@pytest.mark.parametrize(
    ("fmt", "out"),
    [("json", "[]\n"), ("csv", HEADER), ("markdown", MARKDOWN), ("github", "")],
)
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--overdue",), "overdue action points"),
        ((), "open action points"),
        (("--due-within", "0"), "open action points due within 0 days"),
        (("--status", "done"), "action points with status done"),
        (("--owner", "OSCE"), "open action points of OSCE"),
    ],
)
def test_an_empty_listing_keeps_its_form_and_says_so_on_stderr(
    tf: Tf, seed_repo: Path, index: str, fmt: str, out: str, args: tuple[str, ...], words: str
) -> None:
    seed = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    seed.write_text(seed.read_text("utf-8").replace("    status: open\n", "    status: dropped\n"))
    env = {"TF_INDEX": index}
    for _ in range(3):  # cold, then from what the first kept (the JSON's own store too)
        r = tf("actions", "--today", "2020-01-01", "--format", fmt, *args, cwd=seed_repo, env=env)
        assert (r.code, r.out, r.err) == (0, out, f"tf actions: no {words} (today 2020-01-01)\n")


def test_an_empty_digest_says_so_on_stderr(tf: Tf, seed_repo: Path) -> None:
    args = ("actions", "--by", "owner", "--overdue", "--today", "2020-01-01")
    for fmt in ("json", "markdown"):
        r = tf(*args, "--format", fmt, cwd=seed_repo)
        assert r.err == "tf actions: no overdue action points (today 2020-01-01)\n"
    assert tf(*args, "--format", "json", cwd=seed_repo).out == "[]\n"


# -- 5. odd inputs around these --------------------------------------------------------------------


def test_a_handover_to_an_owner_not_in_the_roster_is_told(tf: Tf, seed_repo: Path) -> None:
    """A follow-up's `owner:` hands the action over: a misspelt one would hide it from
    `--owner UNHCR` as an action's would."""
    _follow_ups(
        seed_repo,
        '  - {action: 2022-07-08/1, owner: ["", "  UNCHR ", IOM, "UNHCR, IOM"]}\n'
        "  - action: 2022-07-08/2\n    owner: Ana Popescu (UNHCR)\n",
    )
    r = tf("check", "--strict", LATER, cwd=seed_repo)
    assert r.out.splitlines() == [
        f"{LATER}:4:40: warning [owner] owner 'UNCHR' of the follow-up of 2022-07-08/1 is not "
        "in the roster of tf.yml (did you mean 'UNHCR'?)",
        f"{LATER}:4:57: error [owner] owner 'UNHCR, IOM' of the follow-up of 2022-07-08/1 is "
        "one text, not a list of owners (write a list: owner: [UNHCR, IOM])",
    ]


def test_a_handover_to_no_one_is_told_to_leave_the_owner_out_of_the_follow_up(
    tf: Tf, seed_repo: Path
) -> None:
    """An action's `owner: TBD` is left out until one is agreed (tf check reminds of an
    action without one); a follow-up's is no handover at all: the action keeps its owner."""
    _follow_ups(
        seed_repo,
        "  - {action: 2022-07-08/1, owner: TBD}\n"
        "actions:\n  - {id: 1, text: Plan, owner: TBD, due: 2022-10-01}\n",
    )
    r = tf("check", LATER, cwd=seed_repo)
    assert r.out.splitlines() == [
        f"{LATER}:4:35: warning [owner] owner 'TBD' of the follow-up of 2022-07-08/1 is not in "
        "the roster of tf.yml ('TBD' names no one: leave 'owner' out of the follow-up (the "
        "action keeps its owner))",
        f"{LATER}:6:32: warning [owner] owner 'TBD' of action 2022-09-01/1 is not in the roster "
        "of tf.yml ('TBD' names no one: leave 'owner' out until the group agrees one (tf check "
        "reminds you of an action without an owner))",
    ]


def test_a_follow_up_written_as_its_action_id_alone(tf: Tf, seed_repo: Path) -> None:
    _follow_ups(seed_repo, "  - 2022-07-08/1\n  - action: 2022-07-08/99\n    due: 2022-13-01\n")
    r = tf("check", LATER, cwd=seed_repo)
    assert (r.code, r.out.splitlines()) == (
        1,
        [
            f"{LATER}:4:5: error [type] a follow-up must be a mapping (key: value lines), not the "
            "text '2022-07-08/1' (name the action under 'action:': - action: 2022-07-08/1)",
            f"{LATER}:5:1: error [update-target] update points at unknown action "
            "'2022-07-08/99' (did you mean '2022-07-08/3'?)",
            f"{LATER}:6:10: error [date] '2022-13-01' is not a real date (check day and month)",
        ],
    )
    r = tf("actions", "--meeting", "2022-07-08", "--today", "2022-10-01", cwd=seed_repo)
    assert r.code == 0
    assert r.out.count("61 days overdue") == 3  # the unknown action's date changes none


def test_an_empty_mapping_where_a_list_goes(tf: Tf, seed_repo: Path) -> None:
    (seed_repo / LATER).write_text("---\ndate: 2022-09-01\nupdates: {}\nregrets: []\n---\n")
    r = tf("check", LATER, cwd=seed_repo)
    assert r.out == (
        f"{LATER}:3:10: error [type] 'updates' must be a list (lines starting with '- '), not "
        "a mapping\n"
    )


def test_a_bad_address_of_a_list_is_told_at_its_entry(tf: Tf, seed_repo: Path) -> None:
    cfg = seed_repo / "tf.yml"
    text = cfg.read_text("utf-8")
    assert "  - name: IOM\n    short: IOM\n" in text
    emails = "    email:\n      - a@iom.int\n      - ''\n      - not an address\n"
    cfg.write_text(
        text.replace("  - name: IOM\n    short: IOM\n", f"  - name: IOM\n    short: IOM\n{emails}")
    )
    line = cfg.read_text("utf-8").splitlines().index("      - not an address") + 1
    r = tf("check", cwd=seed_repo)
    assert r.out == (
        f"tf.yml:{line}:9: error [roster] 'not an address' is not an e-mail address; left out "
        "(write one address per entry, e.g. name@example.org)\n"
    )


def test_a_restricted_action_after_one_left_out_is_told_at_its_own_line(
    tf: Tf, seed_repo: Path
) -> None:
    _write(
        seed_repo,
        "agenda: [Welcome]\nactions:\n  - text: no id, left out\n    owner: IOM\n"
        "    due: 2022-08-01\n  - id: 1\n    text: Quiet\n    owner: IOM\n    due: 2022-08-01\n"
        "    agenda: Welcome\n    visibility: restricted\n",
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert [ln for ln in r.out.splitlines() if "restricted-action" in ln] == [
        f"{NAME}:14:1: error [restricted-action] restricted action 2022-07-08/1 is recorded "
        "under the public agenda item 'Welcome' (line 4) (mark the agenda item 'visibility: "
        "restricted' too, or name a restricted item in the action's 'agenda:')",
    ]


# -- an acronym is not offered for another one letter away ------------------------------------------


def test_an_acronym_gets_a_near_acronym_only_when_nearer(tf: Tf, seed_repo: Path) -> None:
    """`IMO` is not `IOM` mistyped, nor `UNOPS` `UNDP` (a letter or two apart, but other
    organisations): they are told to be added; `UNCHR` (two letters swapped) is still
    `UNHCR`, for a participant and for an owner alike."""
    _write(
        seed_repo,
        "participants: [IMO, UNOPS, UNCHR]\nactions:\n"
        "  - {id: 1, text: Do it, owner: [IMO, UNCHR], due: 2022-08-01}\n",
    )
    r = tf("check", "--strict", NAME, cwd=seed_repo)
    add = "add it to 'organisations' in tf.yml, or write a person as 'Name (Organisation)'"
    assert r.out.splitlines() == [
        _at(
            4,
            16,
            f"warning [roster] 'IMO' in participants is not an organisation of the "
            f"roster of tf.yml ({add})",
        ),
        _at(
            4,
            21,
            f"warning [roster] 'UNOPS' in participants is not an organisation of the "
            f"roster of tf.yml ({add})",
        ),
        _at(
            4,
            28,
            "warning [roster] 'UNCHR' in participants is not an organisation of the "
            "roster of tf.yml (did you mean 'UNHCR'?)",
        ),
        _at(
            6,
            34,
            "warning [owner] owner 'IMO' of action 2022-07-08/1 is not in the roster "
            "of tf.yml (add it to 'organisations' in tf.yml, or under 'roles:' for a "
            "sub-group or role, e.g. 'Health WG: [UNFPA, IRC]')",
        ),
        _at(
            6,
            39,
            "warning [owner] owner 'UNCHR' of action 2022-07-08/1 is not in the "
            "roster of tf.yml (did you mean 'UNHCR'?)",
        ),
    ]


def test_show_tells_a_follow_ups_invalid_due(tf: Tf, seed_repo: Path) -> None:
    """`tf show` of the meeting that recorded it: not a follow-up that changed nothing."""
    _follow_ups(seed_repo, POSTPONED)
    r = tf("show", "2022-09-01", "--today", "2022-10-01", cwd=seed_repo)
    lines = r.out.splitlines()
    start = lines.index("Follow-ups of earlier actions")
    assert lines[start + 1 : start + 4] == [
        "  2022-07-08/1: invalid due date",
        "  2022-07-08/2: in-progress, invalid due date",
        "  2022-07-08/3: mentioned, no change",
    ]
