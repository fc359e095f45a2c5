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
        "tf: --today '9/7/2022' is not a date (write 2022-07-09 if it is 9 July, day first; "
        "2022-09-07 if it is 7 September, month first)\n",
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


# -- 3. several people in a one-person field --------------------------------------------------

SEVERAL = """---
format: 1
date: 2022-07-08
title: Anti-Trafficking Task Force
chair: Ana Popescu, Ion Rusu
co_chairs:
  - name: A. Popescu; I. Rusu
    organisation: UNHCR
  - Ministry of Labour and Social Protection
rapporteur: Maria de la Cruz and Diana Donoaga-Certan
actions:
  - id: 1
    text: Share the plan
    owner: Ana Popescu (UNHCR), Ion Rusu (IOM)
    due: 2022-07-22
  - id: 2
    text: Send the report
    owner: [Ministry of Labour and Social Protection, UNHCR, Ion Rusu (UNHCR)]
    due: 2022-07-22
  - id: 3
    text: Draft the note
    owner: Ion Rusu & UNHCR
    due: 2022-07-22
---
"""


def test_several_people_in_a_one_person_field_are_named_with_the_list_to_write(
    tf: Tf, seed_repo: Path
) -> None:
    (seed_repo / "minutes" / "2022-07-08-anti-trafficking-task-force.md").write_text(SEVERAL)
    r = tf(
        "check",
        "--today",
        "2022-07-09",
        "minutes/2022-07-08-anti-trafficking-task-force.md",
        cwd=seed_repo,
    )
    f = "minutes/2022-07-08-anti-trafficking-task-force.md"
    assert (r.code, r.out) == (
        0,
        "".join(
            f"{f}:{line}\n"
            for line in (
                "5:8: warning [one-person] 'chair' takes one person, but 'Ana Popescu, Ion Rusu' "
                "names 2 (name one chair here and the others under 'co_chairs')",
                "7:11: warning [one-person] 'co_chairs' takes one person per entry, but "
                "'A. Popescu; I. Rusu' names 2 (give each person an entry of their own under "
                "'co_chairs')",
                "10:13: warning [one-person] 'rapporteur' takes one person per entry, but "
                "'Maria de la Cruz and Diana Donoaga-Certan' names 2 (write a list, one entry each: "
                "rapporteur: [Maria de la Cruz, Diana Donoaga-Certan])",
                "14:12: warning [one-person] 'owner' takes one person or organisation per entry, but "
                "'Ana Popescu (UNHCR), Ion Rusu (IOM)' names 2 (write a list, one entry each: owner: "
                "[Ana Popescu (UNHCR), Ion Rusu (IOM)])",
                "22:12: warning [one-person] 'owner' takes one person or organisation per entry, but "
                "'Ion Rusu & UNHCR' names 2 (write a list, one entry each: owner: [Ion Rusu, UNHCR])",
            )
        ),
    )
    assert r.err == "tf check: 0 errors, 5 warnings in 1 file\n"


def test_only_names_of_people_are_taken_apart() -> None:
    from tfcli.people_rules import names_in

    roster = {"unhcr", "iom", "smith, jones and partners"}
    assert names_in("Ana Popescu, Ion Rusu", roster) == ["Ana Popescu", "Ion Rusu"]
    assert names_in("A. Popescu; I.R. Rusu", roster) == ["A. Popescu", "I.R. Rusu"]
    assert names_in("Jean-Luc O'Neil and Ana Popescu", roster) == ["Jean-Luc O'Neil", "Ana Popescu"]
    assert names_in("Ana Popescu (Smith, Jones & Co), IOM", roster) == [
        "Ana Popescu (Smith, Jones & Co)",
        "IOM",
    ]
    for one in (
        "Ana Popescu",
        "Ana Popescu (UNHCR)",
        "Ministry of Labour and Social Protection",
        "Centre of Assistance and Protection of Victims and Potential Victims of Trafficking",
        "Save the Children, Moldova",
        "Marks and Spencer",
        "UN Women, UNHCR",
        "UNHCR, IOM",  # organisations only: the [owner] error's case
        "Smith, Jones and Partners",  # an organisation of tf.yml
        "Caritas Czech Republic, Moldova Office",
        "Plan International, War Child",
    ):
        assert names_in(one, roster) is None, one


# -- 4. a date written day or month first -----------------------------------------------------

DAY_FIRST = """---
format: 1
date: 2022-07-08
title: Anti-Trafficking Task Force
actions:
  - id: 1
    text: Share the plan
    owner: UNHCR
    due: 08/07/2022
  - id: 2
    text: Send the report
    owner: UNHCR
    due: 07/13/2022
---
"""


def test_a_date_that_reads_two_ways_gets_both_readings(tf: Tf, seed_repo: Path) -> None:
    # The hint said "write 2022-07-08": 8 July, read day first without a word, for minutes
    # typed in the US (7 August).
    name = "minutes/2022-07-08-anti-trafficking-task-force.md"
    (seed_repo / name).write_text(DAY_FIRST, "utf-8")
    r = tf("check", name, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        f"{name}:9:10: error [date] 'due' is '08/07/2022', not a date in YYYY-MM-DD form "
        "(write 2022-07-08 if it is 8 July, day first; 2022-08-07 if it is 7 August, month "
        "first)\n"
        f"{name}:13:10: error [date] 'due' is '07/13/2022', not a date in YYYY-MM-DD form "
        "(write 2022-07-13)\n",
    )
    r = tf("actions", "due", "2022-06-24/1", "08/07/2022", cwd=seed_repo)
    assert (r.code, r.out, r.err) == (
        2,
        "",
        f"tf: warning: 2 errors in 1 file, used as read: {name}; run 'tf check'\n"
        "tf: due date '08/07/2022' is not a date (write 2022-07-08 if it is 8 July, day first; "
        "2022-08-07 if it is 7 August, month first)\n",
    )


# -- 5. a duplicate key hides nothing else ----------------------------------------------------

TWICE = """---
format: 1
date: 2022-07-08
title: Anti-Trafficking Task Force
title: Second title
status: aproved
actions:
  - id: 1
    text: Share the plan
    owner: UNHCR
    due: 2022-7-22
---
"""


def test_a_duplicate_key_is_reported_with_the_files_other_problems(tf: Tf, seed_repo: Path) -> None:
    name = "minutes/2022-07-08-anti-trafficking-task-force.md"
    (seed_repo / name).write_text(TWICE, "utf-8")
    for env in ({}, {"TF_INDEX": "off"}):
        r = tf("check", cwd=seed_repo, env=env)
        assert (r.code, r.out) == (
            1,
            f"{name}:5:1: error [yaml] duplicate key 'title' (lines 4 and 5) (keep one of them; "
            "tf reads the last)\n"
            f"{name}:6:9: error [enum] 'status' is 'aproved'; allowed: draft, circulated, "
            "approved (did you mean 'approved'?)\n"
            f"{name}:11:10: error [date] 'due' is '2022-7-22', not a date in YYYY-MM-DD form "
            "(write 2022-07-22)\n",
        )
    # The listings skip the file, as before (which title is meant is unsure) ...
    r = tf("list", "-f", "json", cwd=seed_repo)
    assert [m["date"] for m in json.loads(r.out)] == ["2022-06-24"]
    assert r.err.startswith(
        f"tf: warning: skipped {name}:5:1: duplicate key 'title' (lines 4 and 5)\n"
    )
    # ... and so do the commands that change it.
    r = tf("actions", "done", "2022-07-08/1", cwd=seed_repo)
    assert (r.code, r.err.splitlines()[0], r.err.splitlines()[-1]) == (
        2,
        f"tf: warning: skipped {name}:5:1: duplicate key 'title' (lines 4 and 5)",
        "tf: no action '2022-07-08/1' (did you mean 2022-06-24/1 or 2022-06-24/2?)",
    )
    assert (seed_repo / name).read_text("utf-8") == TWICE


# -- a new user's first commands -----------------------------------------------------------------


def test_a_meeting_named_by_a_date_written_another_way_gets_the_iso_form(tf: Tf) -> None:
    for ref in ("2022-6-24", "24/06/2022"):
        r = tf("show", ref)
        assert (r.code, r.out, r.err) == (
            2,
            "",
            f"tf: no meeting '{ref}' (dates are YYYY-MM-DD: write 2022-06-24)\n",
        )
    r = tf("show", "2022-06-25")
    assert (r.code, r.err) == (2, "tf: no meeting '2022-06-25' (see 'tf list')\n")


def test_a_hidden_file_named_on_the_command_line_gets_a_plain_new_name(
    tf: Tf, seed_repo: Path
) -> None:
    name = "minutes/.2022-07-08-x.md"
    (seed_repo / name).write_text("---\nformat: 1\ndate: 2022-07-08\ntitle: X\n---\n", "utf-8")
    r = tf("check", name, cwd=seed_repo)
    assert r.out == (
        f"{name}:3:1: warning [filename-date] file name does not start with the meeting date "
        "2022-07-08 (rename it to 2022-07-08-x.md)\n"
    )


def test_due_within_says_it_wants_a_number_of_days(tf: Tf) -> None:
    r = tf("actions", "--due-within", "7d")
    assert (r.code, r.err.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '--due-within': '7d' is not a valid number of days.",
    )
    r = tf("actions", "--due-within", "3651")
    assert r.err.splitlines()[-1] == (
        "Error: Invalid value for '--due-within': 3651 is not in the range 0<=x<=3650."
    )


def test_the_one_person_rule_reads_no_yaml_again(
    seed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A meeting's parse is released once it is built: a position asked for later reads the
    whole file's YAML again (3 s at 5,000 meetings when the rule asked for every chair)."""
    from datetime import date

    from tfcli import yamlnodes
    from tfcli.load import load_repo
    from tfcli.people_rules import several_people

    monkeypatch.setenv("TF_INDEX", "off")
    repo = load_repo(seed_repo)
    assert repo.meetings[0].chair is not None and repo.meetings[0].co_chairs
    composed: list[str] = []
    real = yamlnodes.compose
    monkeypatch.setattr(yamlnodes, "compose", lambda text: composed.append(text) or real(text))
    assert list(several_people(repo, date(2026, 11, 29))) == []
    assert composed == []
