"""The seventh-wave user trial: what a coordinator, a CI maintainer and a careless contributor
hit trying tf (tests/test_user_trial.py has the earlier trials)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_tf


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (("check", "--format", "yaml"), "text, json, github"),
        (("check", "-f", "csv"), "text, json, github"),
        (("agenda", "--format", "pdf"), "markdown, html"),
        (("list", "--format", "yaml"), "table, json, csv, markdown, xlsx"),
        (("actions", "--format", "yaml"), "table, json, csv, markdown, github, xlsx"),
    ],
)
def test_an_unknown_format_names_only_the_command_s_own(
    args: tuple[str, ...], allowed: str
) -> None:
    # Click's enum choice listed all eight formats ('table', ..., 'html', 'xlsx') for every
    # command, so `tf check --format yaml` offered csv, which tf check then refused.
    r = run_tf(*args)
    assert (r.code, r.out) == (2, "")
    value = args[-1]
    assert r.err == f"tf: --format {value} is not available here (use one of: {allowed})\n"


def test_format_is_still_read_in_any_case() -> None:
    r = run_tf("list", "--format", "CSV")
    assert r.code == 0 and r.out.startswith("date,id,title,")


@pytest.mark.parametrize("command", ["show", "agenda"])
def test_a_meeting_whose_file_does_not_load_is_named(seed_repo: Path, command: str) -> None:
    # A contributor's `!!python/object` left the meeting out; `tf show 2022-07-08` then said
    # only "no meeting '2022-07-08' (see 'tf list')", which does not list it either.
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text("---\ndate: 2022-07-08\nx: !!python/object:os.system {}\n---\n", "utf-8")
    r = run_tf(command, "2022-07-08", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err.splitlines()[-1] == (
        "tf: no meeting '2022-07-08' (minutes/2022-07-08-next.md could not be read as minutes; "
        "run 'tf check minutes/2022-07-08-next.md')"
    )
    r = run_tf(command, "2022-07", cwd=seed_repo)  # not a date: no file is guessed
    assert r.err.splitlines()[-1] == "tf: no meeting '2022-07' (see 'tf list')"


@pytest.mark.parametrize("columns", ["80", "100"])
def test_tf_init_s_example_can_be_pasted(columns: str) -> None:
    # The long example was one paragraph that click rewrapped: '--org "international:   UNHCR"'
    # (spaces inside the quotes) and options broken across lines without a backslash.
    r = run_tf("init", "--help", env={"COLUMNS": columns})
    example = r.out.split("Examples:")[1].split("Arguments:")[0]
    assert example == (
        "\n\n    tf init minutes-repo\n\n"
        '    tf init . --no-input --group "Anti-Trafficking Task Force" \\\n'
        '      --timezone Europe/Chisinau --cadence "every 2 weeks" \\\n'
        '      --org "government: State Chancellery" --org "international: UNHCR" \\\n'
        '      --chair "State Chancellery" --chair UNHCR\n\n'
    )


def test_no_upcoming_meeting_names_the_group_s_latest(seed_repo: Path) -> None:
    # The hint named 2022-06-24 (the seed meeting) in every group's repository.
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text("---\ndate: 2022-07-08\n---\n", "utf-8")
    r = run_tf("agenda", "--today", "2022-07-09", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: no meeting on or after 2022-07-09 (prepare it with 'tf new-meeting', "
        "or name a meeting: tf agenda 2022-07-08)\n"
    )
    for m in (seed_repo / "minutes").iterdir():
        m.unlink()
    r = run_tf("agenda", "--today", "2022-07-09", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: no meeting on or after 2022-07-09 (prepare it with 'tf new-meeting')\n",
    )


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("Chisinau", "did you mean 'Europe/Chisinau'?"),
        ("europe/chisinau", "did you mean 'Europe/Chisinau'?"),
        ("New York", "did you mean 'America/New_York'?"),
        ("UTC+2", "use an IANA name such as Europe/Chisinau"),
    ],
)
def test_a_city_for_a_time_zone_gets_the_zone_meant(tmp_path: Path, zone: str, hint: str) -> None:
    # A coordinator in Chisinau types her city; the hint gave only an example.
    r = run_tf("init", "g", "--no-input", "--timezone", zone, cwd=tmp_path)
    assert (r.code, r.err) == (2, f"tf: unknown time zone '{zone}' ({hint})\n")
    assert not (tmp_path / "g").exists()


def test_tf_yml_s_time_zone_gets_the_zone_meant(seed_repo: Path) -> None:
    cfg = seed_repo / "tf.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("timezone: Europe/Chisinau", "timezone: Chisinau", 1), "utf-8")
    r = run_tf("check", cwd=seed_repo)
    assert r.code == 1
    assert r.out == (
        "tf.yml:4:11: error [timezone] unknown time zone 'Chisinau'; using UTC "
        "(did you mean 'Europe/Chisinau'?)\n"
    )


@pytest.mark.parametrize("index", ["on", "off"])
def test_follow_ups_of_a_file_that_does_not_load_name_that_file(tracker: Path, index: str) -> None:
    # One broken file in a pull request made every later follow-up of its actions an error
    # "unknown action '2022-06-24/1' (did you mean '2022-07-08/1'?)": the action exists, and
    # the suggested "fix" would point the follow-up at another action.
    seed = tracker / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    seed.write_text(seed.read_text("utf-8").replace("format: 1\n", "format: 1\noops: [\n"), "utf-8")
    later = tracker / "minutes" / "2022-07-08-anti-trafficking-task-force.md"
    text = later.read_text("utf-8")
    later.write_text(text.replace("---\n", "---\nprevious: {meeting: 2022-06-24}\n", 1), "utf-8")
    env = {"TF_INDEX": index}
    for _ in range(2):  # the second run answers from .tf/check when there is one
        r = run_tf(
            "check", "minutes/2022-07-08-anti-trafficking-task-force.md", cwd=tracker, env=env
        )
        assert r.code == 1
        fix = "(fix minutes/2022-06-24-anti-trafficking-task-force.md first)"
        assert r.out == (
            "minutes/2022-07-08-anti-trafficking-task-force.md:2:1: warning [previous] previous "
            f"meeting '2022-06-24' not found: its file does not load {fix}\n"
            "minutes/2022-07-08-anti-trafficking-task-force.md:8:1: error [update-target] update "
            f"points at action '2022-06-24/1', of a meeting whose file does not load {fix}\n"
            "minutes/2022-07-08-anti-trafficking-task-force.md:11:1: error [update-target] update "
            f"points at action '2022-06-24/2', of a meeting whose file does not load {fix}\n"
            "minutes/2022-07-08-anti-trafficking-task-force.md:24:5: warning [action-field] "
            "action has no 'due' date (add 'due: YYYY-MM-DD' or words such as 'due: next "
            "meeting', so it can be tracked)\n"
        )


def test_no_actions_on_a_terminal_is_no_table(seed_repo: Path) -> None:
    # `tf actions --overdue` with nothing overdue showed a lone header line on a terminal.
    from terminal_helpers import run_on_terminal

    out = run_on_terminal(
        "actions", "--overdue", "--today", "2022-06-25", cwd=seed_repo, columns=80
    )
    assert out == ""
    # Into a pipe the header stays, for the scripts that read it.
    r = run_tf("actions", "--overdue", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.out, r.err) == (
        "ID  Due  When  Status  Owner  Text  Meeting\n",
        "tf actions: no overdue action points (today 2022-06-25)\n",
    )


@pytest.mark.parametrize("command", ["show", "done"])
def test_a_meeting_id_for_an_action_says_so(seed_repo: Path, command: str) -> None:
    # `tf actions show 2022-06-24` said "no action '2022-06-24'" and offered its actions as
    # typing errors ("did you mean 2022-06-24/1 or ...?").
    r = run_tf("actions", command, "2022-06-24", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: '2022-06-24' is a meeting, not an action (name one of its actions, e.g. "
        "2022-06-24/1; to list them: tf actions --all --meeting 2022-06-24)\n"
    )


def test_a_word_table_cell_pasted_as_text_gets_the_list_to_write(seed_repo: Path) -> None:
    # The Word minutes list participants and agenda in one cell; pasted as they are, tf check
    # said what a list is, but not what to write.
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(
        "---\ndate: 2022-07-08\n"
        "participants: State Chancellery, General Prosecutor's Office, UNHCR\n"
        "agenda: Welcome remarks; Tour de table; AOB\n"
        "decisions: The ToR were approved, with changes.\n"
        "actions:\n  id: 1\n  text: Share the recommendations\n---\n",
        "utf-8",
    )
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    hints = [line.rsplit(" (", 1)[1] for line in r.out.splitlines() if "[type]" in line]
    assert hints == [
        "write it as a list: [State Chancellery, General Prosecutor's Office, UNHCR])",
        "write it as a list: [Welcome remarks, Tour de table, AOB])",
        "write one '- ' line per item)",  # a comma inside a decision: not a flow list
        "put '- ' before its first key)",
    ]


@pytest.mark.parametrize("package", [None, "git+https://github.com/ORG/tf@v1.0.0"])
def test_the_group_s_readme_installs_tf_with_pipx(tmp_path: Path, package: str | None) -> None:
    # The scaffold's README said `pip install '...'`, which Debian, Ubuntu and other Linux
    # systems refuse outside a virtual environment (PEP 668: externally-managed-environment).
    extra = ("--tf-package", package) if package else ()
    r = run_tf("init", "g", "--no-input", *extra, cwd=tmp_path)
    assert r.code == 0, r.err
    readme = (tmp_path / "g" / "README.md").read_text("utf-8")
    shown = package or "git+https://github.com/ORG/tf@TAG"
    assert f"\n```sh\npipx install '{shown}'" in readme
    assert "pip install '" not in readme


def test_a_dry_run_onto_an_existing_file_ends_as_the_run_would(seed_repo: Path) -> None:
    # The dry run said "would create minutes/2022-07-08-...md" (and "the new one gets
    # 'id: 2022-07-08-b'") for a file that exists, which the run itself refuses (exit 2).
    made = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert made.code == 0, made.err
    refused = (
        "tf: minutes/2022-07-08-anti-trafficking-task-force.md already exists; not overwriting "
        "it (edit that file, or choose another --date or --title)\n"
    )
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out, r.err) == (2, "", refused)
    r = run_tf("new-meeting", "--today", "2022-06-25", "--dry-run", cwd=seed_repo)
    assert (r.code, r.err) == (2, refused)
    assert r.out.startswith("---\nformat: 1\n") and "\ndate: 2022-07-08\n" in r.out  # shown


def test_a_person_who_owns_actions_is_a_known_owner(seed_repo: Path) -> None:
    # `tf actions --owner "Hanna Ursol" --overdue --exit-code` (a CI gate per focal point)
    # failed with exit 2, "'Hanna Ursol' is no organisation or role in tf.yml", whenever
    # none of her actions was overdue: only roster names counted as known.
    f = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    text = f.read_text("utf-8")
    f.write_text(text.replace("owner: chairs", "owner: Hanna Ursol (UNHCR)", 1), "utf-8")
    for name in ("Hanna Ursol", "hanna ursol"):
        args = ("--owner", name, "--overdue", "--exit-code", "--today", "2022-07-01")
        r = run_tf("actions", *args, "--format", "json", cwd=seed_repo)
        assert (r.code, r.out) == (0, "[]\n"), r.err
        r = run_tf("actions", *args[:3], "--today", "2022-07-09", cwd=seed_repo)
        assert r.code == 0 and "Hanna Ursol (UNHCR)" in r.out
    r = run_tf("actions", "--owner", "Hana Ursol", "--today", "2022-07-01", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: --owner 'Hana Ursol' is no organisation or role in tf.yml and owns no action; "
        "did you mean 'Hanna Ursol'?\n",
    )


def test_the_rename_hint_names_the_file_as_tf_would(seed_repo: Path) -> None:
    # A file saved from Word as "Minutes 24 June.md" was told to become
    # "2022-07-08-Minutes 24 June.md": spaces and capitals, unlike every name tf writes.
    f = seed_repo / "minutes" / "Minutes 8 July.md"
    f.write_text("---\ndate: 2022-07-08\n---\n", "utf-8")
    r = run_tf("check", str(f.relative_to(seed_repo)), cwd=seed_repo)
    assert r.out == (
        "minutes/Minutes 8 July.md:2:1: warning [filename-date] file name does not start with "
        "the meeting date 2022-07-08 (rename it to 2022-07-08-minutes-8-july.md)\n"
    )
