"""What a first-time user hit trying tf on real and messy minutes (the user-trial review)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_tf

HEAD = "---\nformat: 1\ntitle: T\nstatus: draft\n"


@pytest.mark.parametrize("value", ["", " ~", " null", "  # to be fixed"])
def test_an_empty_date_is_an_error_not_a_meeting_that_vanishes(seed_repo: Path, value: str) -> None:
    # `date:` left empty made the file count as checked (0 errors) while every other
    # command silently left the meeting out.
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(f"{HEAD}date:{value}\n---\n", encoding="utf-8")
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.code == 1
    assert r.out == (
        "minutes/2022-07-08-next.md:5:1: error [required] 'date' is empty "
        "(write the day of the meeting: 'date: YYYY-MM-DD')\n"
    )


@pytest.mark.parametrize("value", ["2", '"1"', "1.0", "true"])
def test_tf_yml_of_another_format_is_an_error(seed_repo: Path, value: str) -> None:
    # A meeting's `format: 2` was refused, tf.yml's read as if it were format 1.
    cfg = seed_repo / "tf.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("format: 1", f"format: {value}", 1))
    r = run_tf("check", cwd=seed_repo)
    assert r.code == 1
    assert r.out == (
        f"tf.yml:1:9: error [format] format {value if value != 'true' else 'True'!s} is not "
        "supported; this tf reads format 1 (upgrade tf, or set 'format: 1')\n"
    ).replace('"1"', "'1'")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tf_imports_the_tracker_it_exports(seed_repo: Path, fmt: str) -> None:
    # A group moving to a new repository imports the tracker tf wrote; its action column is
    # headed 'Text', which import-actions did not know (exit 3, "found no header row").
    out = seed_repo / f"tracker.{fmt}"
    assert run_tf("actions", "--format", fmt, "-o", str(out), cwd=seed_repo).code == 0
    r = run_tf("import-actions", str(out), "--dry-run", "--date", "2022-06-01", cwd=seed_repo)
    assert r.code == 0, r.err
    assert (
        "  - id: 2022-06-24-1\n    text: Share OSCE and Council of Europe recommendations" in r.out
    )
    assert "    owner: chairs\n    due: 2022-07-08\n" in r.out


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("10:00-12:00", "write 'time: 10:00' and, on a line of its own, 'end_time: 12:00'"),
        ("9.30 – 11.00", "write 'time: 09:30' and, on a line of its own, 'end_time: 11:00'"),
        ("10am", "write 10:00 (24-hour)"),
    ],
)
def test_a_time_span_says_where_the_end_goes(seed_repo: Path, value: str, hint: str) -> None:
    # The group's Word minutes give "Time 10:00-12:00"; the hint said only "write HH:MM".
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(f"{HEAD}date: 2022-07-08\ntime: {value}\n---\n", encoding="utf-8")
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.out == (
        f"minutes/2022-07-08-next.md:6:7: error [time] 'time' is '{value}', not a time in "
        f"HH:MM form ({hint})\n"
    )


def test_a_date_with_a_time_says_where_the_time_goes(seed_repo: Path) -> None:
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(
        f"{HEAD}date: 2022-07-08 9:30\nactions:\n"
        "  - {id: 1, text: T, owner: UNHCR, due: 2022-07-22T17:00:00}\n---\n",
        encoding="utf-8",
    )
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.out == (
        "minutes/2022-07-08-next.md:5:7: error [date] 'date' is '2022-07-08 9:30', not a date "
        "in YYYY-MM-DD form (write 'date: 2022-07-08' and, on a line of its own, 'time: 09:30')\n"
        "minutes/2022-07-08-next.md:7:41: error [date] 'due' is '2022-07-22T17:00:00', not a "
        "date in YYYY-MM-DD form (write 2022-07-22)\n"
    )


@pytest.mark.parametrize(
    ("yaml_text", "where", "hint"),
    [
        (
            "location: *important* session",
            "6:21: error [yaml] invalid YAML: did not find expected alphabetic or numeric character",
            "quote a text that starts with '*' (YAML reads it as a reference): "
            '"*important* item"',
        ),
        (
            "decisions:\n  - **Agreed**: the TOR",
            "7:6: error [yaml] invalid YAML: did not find expected alphabetic or numeric character",
            "quote a text that starts with '*' (YAML reads it as a reference): "
            '"*important* item"',
        ),
        (
            "decisions:\n  - [TOR](https://example.org/tor) approved",
            "7:10: error [yaml] invalid YAML: did not find expected '-' indicator",
            "quote a text that starts with '[' (YAML reads it as a list or mapping): "
            '"[report](https://example.org) shared"',
        ),
        (
            "decisions:\n  - a\n - b",
            "8:2: error [yaml] invalid YAML: did not find expected key",
            "check the indentation: the items of one list or mapping must line up",
        ),
    ],
)
def test_markdown_at_the_start_of_a_value_gets_a_hint(
    seed_repo: Path, yaml_text: str, where: str, hint: str
) -> None:
    # Minutes are written by people who write Markdown: `*important*` and `[link](url)`
    # gave libyaml's words only, or an indentation hint that sent them the wrong way.
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(f"{HEAD}date: 2022-07-08\n{yaml_text}\n---\n", encoding="utf-8")
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.out == f"minutes/2022-07-08-next.md:{where} ({hint})\n"


FM = "---\nformat: 1\ndate: 2022-07-08\ntitle: T\nstatus: draft\n---\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (FM.encode("utf-32"), "file is UTF-32 (save it as UTF-8)"),  # was "UTF-16"
        (FM.encode("utf-16-le"), "file is UTF-16 (without a byte-order mark) (save it as UTF-8)"),
        (FM.encode("utf-16-be"), "file is UTF-16 (without a byte-order mark) (save it as UTF-8)"),
        (
            b"\n\r\n" + FM.encode(),
            "file does not start with front matter (remove the blank lines before the '---' "
            "of line 3)",
        ),
    ],
)
def test_odd_encodings_and_layouts_are_named(seed_repo: Path, data: bytes, message: str) -> None:
    (seed_repo / "minutes" / "2022-07-08-next.md").write_bytes(data)
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.code == 1
    assert r.out.split(": error ", 1)[1] == f"[{_rule(message)}] {message}\n"


def _rule(message: str) -> str:
    return "front-matter" if "front matter" in message else "encoding"


def test_the_first_meeting_of_a_new_group_lists_each_item_once(tmp_path: Path) -> None:
    # tf init's standing item "Review of pending action points" came after the built-in
    # "Endorsement of the previous minutes and review of pending action points".
    r = run_tf("init", "g", "--no-input", "--today", "2026-11-29", cwd=tmp_path)
    assert r.code == 0, r.err
    text = (tmp_path / "g" / "minutes" / "2026-11-29-task-force.md").read_text(encoding="utf-8")
    agenda = text.split("\nagenda:\n", 1)[1].split("\n# ", 1)[0]
    assert agenda == (
        "  - Welcome and adoption of the agenda\n"
        "  - Endorsement of the previous minutes and review of pending action points\n"
        "  - Updates from members (tour de table)\n"
        "  - Any other business\n"
        "  - Date of next meeting"
    )


def test_a_minutes_folder_linked_from_elsewhere_is_called_a_link(
    seed_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # "'minutes' is 'minutes', a folder outside the repository" named no cause.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (seed_repo / "minutes").rename(elsewhere / "minutes")
    (seed_repo / "minutes").symlink_to(elsewhere / "minutes")
    r = run_tf("check", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: tf.yml:3:10: 'minutes' is 'minutes', a symbolic link to a folder outside the "
        "repository; tf reads and writes nothing there (move the minutes into the repository "
        "instead of linking them)\n"
    )


def test_keys_written_as_in_word_minutes_are_named(seed_repo: Path) -> None:
    # `Date:` gave "missing required field 'date' (add 'date: YYYY-MM-DD')" beside a line
    # that has one, and `deadline:` listed every key instead of naming `due`.
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(
        "---\nformat: 1\nDate: 2022-07-08\ntitle: T\nVenue: Zoom\nactions:\n"
        "  - {id: 1, text: T, owner: UNHCR, deadline: 2022-07-22}\n---\n",
        encoding="utf-8",
    )
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    lines = [line.split(": ", 1)[1] for line in r.out.splitlines()]
    assert lines == [
        "error [required] missing required field 'date' (write the key 'Date' of line 3 as "
        "'date:')",
        "warning [unknown-key] unknown key 'Date' (kept as written) (write 'date:' (keys are "
        "lower case))",
        "warning [unknown-key] unknown key 'Venue' (kept as written) (tf calls it 'location': "
        "write 'location:')",
        "warning [action-field] action has no 'due' date (add 'due: YYYY-MM-DD' or words such "
        "as 'due: next meeting', so it can be tracked)",
        "warning [unknown-key] unknown key 'deadline' (kept as written) (tf calls it 'due': "
        "write 'due:')",
    ]


@pytest.mark.parametrize(
    ("where", "err"),
    [
        (
            "minutes",
            "tf: --eml minutes is inside the minutes folder; drafts never go among the group's "
            "records (name a folder outside the minutes and templates folders, e.g. --eml "
            "drafts)\n",
        ),
        (
            "templates/drafts",
            "tf: --eml templates/drafts is inside the templates folder; drafts never go among "
            "the group's records (name a folder outside the minutes and templates folders, "
            "e.g. --eml drafts)\n",
        ),
        ("tf.yml", "tf: --eml tf.yml is not a folder (name a folder for the drafts)\n"),
    ],
)
def test_drafts_never_go_among_the_records(seed_repo: Path, where: str, err: str) -> None:
    # `--eml minutes` wrote unhcr.eml & co. into the minutes folder (exit 0); a file as the
    # folder said "cannot write tf.yml/state-chancellery.eml: File exists" (exit 3).
    r = run_tf("actions", "--by", "owner", "--eml", where, "--today", "2022-07-09", cwd=seed_repo)
    assert (r.code, r.out, r.err) == (2, "", err)
    assert not list(seed_repo.rglob("*.eml"))


def test_drafts_go_to_a_new_folder(seed_repo: Path) -> None:
    r = run_tf(
        "actions", "--by", "owner", "--eml", "drafts", "--today", "2022-07-09", cwd=seed_repo
    )
    assert r.code == 0
    assert r.out == "drafts/state-chancellery.eml\ndrafts/unhcr.eml\ndrafts/iom.eml\n"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("10:00:00", "write 10:00"),
        ("2pm", "write 14:00 (24-hour)"),
        ("9.30 a.m.", "write 09:30 (24-hour)"),
        ("12 am", "write 00:00 (24-hour)"),
        ("10:00 CET", "write 10:00: times are in the group's time zone (tf.yml)"),
        ("24:00", "write HH:MM, 24-hour"),
    ],
)
def test_times_written_by_hand_get_their_fix(seed_repo: Path, value: str, hint: str) -> None:
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(f"{HEAD}date: 2022-07-08\ntime: {value}\n---\n", encoding="utf-8")
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.out.endswith(f"not a time in HH:MM form ({hint})\n"), r.out


def test_init_in_a_repository_made_on_github_keeps_its_readme_and_gitignore(
    tmp_path: Path,
) -> None:
    # GitHub's "Add a README" and .gitignore template: tf init refused the whole scaffold
    # ("not overwriting: README.md, .gitignore exist"), on the first command a group runs.
    (tmp_path / "README.md").write_text("# Our group\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_bytes(b"*.pyc\r\n_site/")
    r = run_tf("init", "--no-input", "--today", "2026-11-29", cwd=tmp_path)
    assert r.code == 0, r.err
    assert r.out.splitlines()[-2:] == [".gitignore", "README.md"]
    assert r.err == (
        "tf init: .gitignore: yours, kept; .tf/, site/, .venv/, __pycache__/ added to it\n"
        "tf init: README.md: yours, kept\n"
        "tf init: created 5 files in .; next: git init, then 'tf check' and commit "
        "(docs/init.md)\n"
    )
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Our group\n"
    assert (tmp_path / ".gitignore").read_bytes() == (
        b"*.pyc\r\n_site/\r\n# tf's state and site (tf init)\r\n.tf/\r\nsite/\r\n.venv/\r\n"
        b"__pycache__/\r\n"
    )
    assert run_tf("check", "--strict", cwd=tmp_path).code == 0
    # Run again: everything else exists now, so nothing is written.
    again = run_tf("init", "--no-input", "--today", "2026-11-29", cwd=tmp_path)
    assert again.code == 2 and "not overwriting: tf.yml, templates/README.md" in again.err


def test_under_github_actions_an_error_that_stops_tf_is_an_annotation_too(
    seed_repo: Path,
) -> None:
    # A broken tf.yml stops every job (exit 3) with a line in the log only: the pull request
    # that broke it showed no annotation on tf.yml.
    cfg = seed_repo / "tf.yml"
    good = cfg.read_text(encoding="utf-8")
    cfg.write_text(good + "timezone: UTC\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(seed_repo)}
    r = run_tf("check", "--format", "github", cwd=seed_repo, env=env)
    assert (r.code, r.out) == (3, "")
    assert r.err.splitlines() == [
        "tf: tf.yml:90:1: cannot read config: duplicate key 'timezone' (lines 4 and 90) "
        "(keep one of them)",
        "::error file=tf.yml,line=90,col=1,title=tf::cannot read config: duplicate key "
        "'timezone' (lines 4 and 90) (keep one of them)",
    ]
    # Elsewhere, and for errors without a place, the message alone.
    assert run_tf("check", cwd=seed_repo).err.count("\n") == 1
    cfg.write_text(good, encoding="utf-8")
    r = run_tf("actions", "show", "9/9", cwd=seed_repo, env=env)
    assert (r.code, r.err) == (2, "tf: no action '9/9' (see 'tf actions --all')\n")


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        (
            "status: Adopted",
            "'status' is 'Adopted'; allowed: draft, circulated, approved "
            "(did you mean 'approved'?)",
        ),
        (
            "actions: [{id: 1, text: T, owner: UNHCR, due: 2022-07-22, status: finished}]",
            "'status' is 'finished'; allowed: open, in-progress, done, dropped "
            "(did you mean 'done'?)",
        ),
        (
            "actions: [{id: 1, text: T, owner: UNHCR, due: 2022-07-22, status: Cancelled}]",
            "'status' is 'Cancelled'; allowed: open, in-progress, done, dropped "
            "(did you mean 'dropped'?)",
        ),
    ],
)
def test_status_words_of_trackers_get_the_word_tf_reads(
    seed_repo: Path, line: str, hint: str
) -> None:
    # 'finished' or 'Adopted' gave the allowed list and no suggestion (too far for difflib).
    f = seed_repo / "minutes" / "2022-07-08-next.md"
    f.write_text(f"---\nformat: 1\ntitle: T\ndate: 2022-07-08\n{line}\n---\n", encoding="utf-8")
    r = run_tf("check", "minutes/2022-07-08-next.md", cwd=seed_repo)
    assert r.out.split(" error [enum] ", 1)[1] == hint + "\n"


def test_init_refuses_a_linked_gitignore_before_writing_anything(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "gitignore"
    outside.write_text("*.pyc\n", encoding="utf-8")
    repo = tmp_path / "g"
    repo.mkdir()
    (repo / ".gitignore").symlink_to(outside)
    r = run_tf("init", "--no-input", cwd=repo)
    assert r.code == 2 and "not overwriting: .gitignore exists" in r.err
    assert [p.name for p in repo.iterdir()] == [".gitignore"]
    assert outside.read_text(encoding="utf-8") == "*.pyc\n"
