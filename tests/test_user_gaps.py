"""Gaps a coordinator or a CI maintainer met: where global options go, an owner nobody is,
several people in a one-person field, a day-first date, a duplicate key hiding the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED, Tf

# -- 1. global options before or after the command name ---------------------------------------


def test_today_before_the_command_is_the_same_as_after_it(tf: Tf) -> None:
    after = tf("actions", "--overdue", "--today", "2022-07-09", "-f", "json")
    before = tf("--today", "2022-07-09", "actions", "--overdue", "-f", "json")
    assert (before.code, before.out, before.err) == (after.code, after.out, after.err)
    assert [a["id"] for a in json.loads(before.out)] == ["2022-06-24/1", "2022-06-24/2"]
    assert before.err == "tf actions: 2 actions, 2 overdue (today 2022-07-09)\n"


def test_today_before_the_command_reaches_every_command(tf: Tf) -> None:
    r = tf("--today", "2022-07-09", "list", "-f", "json")
    assert (r.code, json.loads(r.out)[0]["overdue_actions"]) == (0, 2)
    assert tf("--today", "2022-07-08", "list", "-f", "json").out != r.out


def test_the_commands_own_today_wins_over_the_root_one_and_the_root_one_over_tf_today(
    tf: Tf,
) -> None:
    r = tf("--today", "2022-07-01", "actions", "--today", "2022-07-09", "--overdue")
    assert r.err == "tf actions: 2 actions, 2 overdue (today 2022-07-09)\n"
    r = tf("--today", "2022-07-09", "actions", "--overdue", env={"TF_TODAY": "2022-07-01"})
    assert r.err == "tf actions: 2 actions, 2 overdue (today 2022-07-09)\n"
    r = tf("actions", "--overdue", env={"TF_TODAY": "2022-07-09"})
    assert r.err == "tf actions: 2 actions, 2 overdue (today 2022-07-09)\n"


def test_a_bad_root_today_is_a_usage_error_and_does_not_leak_into_the_next_run(tf: Tf) -> None:
    r = tf("--today", "9/7/2022", "list")
    assert (r.code, r.out, r.err) == (
        2,
        "",
        "tf: --today '9/7/2022' is not a date (write YYYY-MM-DD)\n",
    )
    tf("--today", "2030-01-01", "list")
    r = tf("actions", "--overdue", env={"TF_TODAY": "2022-07-09"})
    assert r.err == "tf actions: 2 actions, 2 overdue (today 2022-07-09)\n"


def test_a_root_only_option_after_the_command_says_where_it_goes(tf: Tf) -> None:
    r = tf("actions", "-C", "minutes")
    assert r.code == 2
    assert r.err.endswith(
        "Error: -C is an option of tf itself: put it before the command (tf -C DIR actions ...)\n"
    )
    r = tf("actions", "done", "--repo=x", "2022-06-24/1")
    assert r.err.endswith(
        "Error: --repo is an option of tf itself: put it before the command "
        "(tf --repo DIR actions done ...)\n"
    )
    r = tf("list", "--version")
    assert (r.code, r.err.splitlines()[-1]) == (
        2,
        "Error: --version is an option of tf itself: put it before the command (tf --version)",
    )


# -- 2. --owner nobody is --------------------------------------------------------------------

SMALL_TF = "format: 1\ngroup: Small Group\nminutes: minutes\n"
SMALL = """---
format: 1
date: 2022-06-24
title: Small Group
actions:
  - id: 1
    text: Write the report
    owner: Ana Popescu
    due: 2022-07-08
    status: done
  - id: 2
    text: Send the plan
    owner: Ion Rusu
    due: 2022-07-08
    status: open
---
"""


def _small(root: Path, roster: bool) -> Path:
    (root / "minutes").mkdir()
    (root / "tf.yml").write_text((SEED / "tf.yml").read_text("utf-8") if roster else SMALL_TF)
    (root / "minutes" / "2022-06-24-small.md").write_text(SMALL, "utf-8")
    return root


def test_an_owner_typo_without_organisations_in_tf_yml_is_a_usage_error(
    tf: Tf, tmp_path: Path
) -> None:
    root = _small(tmp_path, roster=False)
    for _ in ("cold", "warm"):
        r = tf("actions", "--owner", "Ion Rusi", "--overdue", "--exit-code", cwd=root)
        assert (r.code, r.out) == (2, "")
        assert r.err == "tf: --owner 'Ion Rusi' owns no action; did you mean 'Ion Rusu'?\n"
    r = tf("actions", "--owner", "ion  RUSU", "-f", "json", "--today", "2022-07-01", cwd=root)
    assert (r.code, [a["id"] for a in json.loads(r.out)]) == (0, ["2022-06-24/2"])


def test_an_owner_of_closed_actions_only_is_known_with_or_without_the_store(
    tf: Tf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the tracked store (a second run) only the open actions were read, and a person
    # whose actions are all done was told they are "no organisation or role in tf.yml".
    monkeypatch.setattr("tfcli.index.RACY_NS", 0)  # files just written: trusted by their stat
    root = _small(tmp_path, roster=True)
    for _ in ("cold", "warm", "warm again"):
        assert tf("actions", "--all", cwd=root).code == 0  # keeps .tf/tracked
        r = tf("actions", "--owner", "Ana Popescu", "-f", "json", cwd=root)
        assert (r.code, r.out) == (0, "[]\n"), r.err
    r = tf("actions", "--owner", "Ana Popesku", cwd=root)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: --owner 'Ana Popesku' is no organisation or role in tf.yml and owns no action; "
        "did you mean 'Ana Popescu'?\n"
    )
