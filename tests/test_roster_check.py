"""`tf check`'s `roster` rule: participants and regrets are organisations (and groups) of
tf.yml's roster, so that a misspelt one is not one more organisation on the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_actions_cli
from test_actions_cli import Tf

tf = test_actions_cli.tf  # the in-process `tf` fixture

MEETING = "minutes/2022-07-08-tf.md"
REPRO = """---
date: 2022-07-08
participants: {international: [UNCHR, IOM], ngo: [La Strada]}
regrets:
  - Maria Popa (UNHRC)
  - {name: Ion Rusu, role: adviser}
  - {name: Ana Lupu, organisation: osce}
  - unhcr
---
"""
WARNINGS = [
    f"{MEETING}:3:32: warning [roster] 'UNCHR' in participants is not an organisation of the "
    "roster of tf.yml (did you mean 'UNHCR'?)",
    f"{MEETING}:3:50: warning [roster] the group 'ngo' in participants is not a group of "
    "tf.yml's organisations (government, international, ngos) (did you mean 'ngos'?)",
    f"{MEETING}:5:5: warning [roster] 'UNHRC' in regrets is not an organisation of the roster "
    "of tf.yml (did you mean 'UNHCR'?)",
]


@pytest.fixture
def repro(seed_repo: Path) -> Path:
    (seed_repo / MEETING).write_text(REPRO, encoding="utf-8")
    return seed_repo


def _config(root: Path, old: str, new: str) -> None:
    config = root / "tf.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def test_unknown_participants_and_groups_are_warnings(tf: Tf, repro: Path) -> None:
    r = tf("check", "--strict", cwd=repro)
    assert r.code == 1
    assert r.out.splitlines() == WARNINGS
    assert r.err == "tf check: 0 errors, 3 warnings in 2 files\n"
    assert tf("check", cwd=repro).code == 0  # warnings: only --strict fails


def test_without_index_the_same(tf: Tf, repro: Path) -> None:
    on = tf("check", "--strict", "--format", "json", cwd=repro, env={"TF_INDEX": "on"})
    off = tf("check", "--strict", "--format", "json", cwd=repro, env={"TF_INDEX": "off"})
    assert on == off
    assert on.out.count('"rule": "roster"') == 3


def test_no_roster_no_warning(tf: Tf, repro: Path) -> None:
    config = repro / "tf.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?ms)^organisations:.*?(?=^\S)", "", text), encoding="utf-8")
    r = tf("check", "--strict", cwd=repro)
    assert (r.code, r.out) == (0, "")


def test_a_roster_without_groups_checks_organisations_only(tf: Tf, repro: Path) -> None:
    for group in ("government", "international", "ngos"):
        _config(repro, f"    group: {group}\n", "")
    r = tf("check", "--strict", cwd=repro)
    assert r.out.splitlines() == [WARNINGS[0], WARNINGS[2]]


def test_a_changed_tf_yml_checks_again(tf: Tf, repro: Path) -> None:
    """The rule's problems are kept in the index with the file: keyed by the configuration."""
    env = {"TF_INDEX": "on"}
    assert tf("check", "--strict", cwd=repro, env=env).out.splitlines() == WARNINGS
    assert (repro / ".tf").is_dir()
    _config(repro, "    group: ngos\n  - name: CNPAC", "    group: ngo\n  - name: CNPAC")
    r = tf("check", "--strict", cwd=repro, env=env)  # CNPAC's group is now `ngo`
    assert r.out.splitlines() == [WARNINGS[0], WARNINGS[2]]
    _config(repro, "  - name: UNHCR\n", "  - name: UNHRC\n    short: UNCHR\n  - name: UNHCR\n")
    r = tf("check", "--strict", cwd=repro, env=env)
    assert r.out.splitlines() == []
    assert r == tf("check", "--strict", cwd=repro, env={"TF_INDEX": "off"})


def test_the_bundled_minutes_are_clean(tf: Tf) -> None:
    r = tf("check", "--strict")
    assert (r.code, r.out, r.err) == (0, "", "tf check: 0 errors, 0 warnings in 1 file\n")


def test_guests_observers_and_the_other_group_are_not_warned_about(tf: Tf, seed_repo: Path) -> None:
    """A guest need not be a member; `tf new-meeting` lists organisations without a group
    under `other`."""
    _config(seed_repo, "  - name: War Child\n    group: ngos\n", "  - name: War Child\n")
    (seed_repo / MEETING).write_text(
        "---\ndate: 2022-07-08\nparticipants:\n  other: [War Child]\n  international:\n"
        "    - {organisation: Nordic Donor Office, as: guest}\n"
        "    - {name: Sara Lind, organisation: Council of Europe, as: observer}\n"
        "    - {name: Tetiana Rudenko, organisation: OSCE Vienna, as: presenter}\n"
        "    - {name: Ion Rusu, organisation: Ministry of Finance, as: member}\n---\n",
        encoding="utf-8",
    )
    r = tf("check", "--strict", cwd=seed_repo)
    assert r.out.splitlines() == [
        f"{MEETING}:9:38: warning [roster] 'Ministry of Finance' in participants is not an "
        "organisation of the roster of tf.yml (did you mean 'Ministry of Education'?)"
    ]
    _config(seed_repo, "  - name: War Child\n", "  - name: War Child\n    group: ngos\n")
    r = tf("check", "--strict", cwd=seed_repo)
    assert r.out.splitlines()[0] == (
        f"{MEETING}:4:10: warning [roster] the group 'other' in participants is not a group of "
        "tf.yml's organisations (government, international, ngos) (use one of those groups, "
        "or give organisations of the roster this 'group:' in tf.yml)"
    )
