"""Rough edges found around lists: a problem of a participant, a regret, a co-chair or an
owner points at that entry's own line even when an entry before it was left out (empty,
`- IOM: Maria`, `- true`, an action without an id); a follow-up's invalid `due:`; empty
listings as JSON, CSV and Markdown."""

from __future__ import annotations

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
