"""`tf new-meeting` through the real entry point, in copies of the seed repo."""

from __future__ import annotations

import shlex
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, assert_golden, run_tf

from tfcli.actions import track
from tfcli.check import check
from tfcli.load import load_config, load_repo, read_meeting
from tfcli.model import Problem

NEW = Path("minutes/2022-07-08-anti-trafficking-task-force.md")


def test_seed_creates_the_meeting_of_8_july(seed_repo: Path) -> None:
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 0, r.err
    assert r.out == f"{NEW}\n"
    assert r.err == f"tf new-meeting: created {NEW} (2 open actions carried forward)\n"
    text = (seed_repo / NEW).read_text(encoding="utf-8")
    assert_golden(text, "new-meeting/2022-07-08-anti-trafficking-task-force.md")

    # the file reads back as the meeting it should be
    config, problems = load_config(seed_repo)
    m = read_meeting(seed_repo / NEW, config, problems)
    assert problems == []
    assert m is not None
    assert (m.id, m.status, m.location, m.time) == ("2022-07-08", "draft", "Zoom", None)
    assert m.chair and m.chair.name == "Diana Doros"
    assert [p.organisation for p in m.co_chairs] == ["UNHCR", "IOM"]
    assert list(m.participants) == ["government", "international", "ngos"]
    assert sum(len(v) for v in m.participants.values()) == 26
    assert [a.title for a in m.agenda] == [
        "Welcome and adoption of the agenda",
        "Endorsement of the previous minutes and review of pending action points",
        "Structured tour de table on main anti-trafficking responses",
        "Anti-trafficking digital prevention capacity",
        "Any other business",
        "Date of next meeting",
    ]
    # pre-filled follow-ups assert no status until a person writes one (docs/actions.md)
    assert [(u.action_id, u.status) for u in m.updates] == [
        ("2022-06-24/1", None),
        ("2022-06-24/2", None),
    ]
    assert m.actions == ()
    assert m.previous and (m.previous.meeting, m.previous.endorsed) == ("2022-06-24", False)
    assert m.next_meeting and str(m.next_meeting.date) == "2022-07-22"
    assert [f"## {a.title}" in m.body for a in m.agenda] == [True] * 6

    # both seed actions are carried forward, still open; the untouched entries are no
    # history (docs/actions.md): the meeting has not even been held
    repo = load_repo(seed_repo)
    assert [(t.id, t.status, t.history) for t in track(repo)] == [
        ("2022-06-24/1", "open", ()),
        ("2022-06-24/2", "open", ()),
    ]
    assert check(repo, date(2022, 6, 25)) == []

    c = run_tf("check", "--strict", "--today", "2022-06-25", cwd=seed_repo)
    assert (c.code, c.out) == (0, "")
    assert c.err == "tf check: 0 errors, 0 warnings in 2 files\n"


def test_marking_an_action_done_is_a_one_word_edit(seed_repo: Path) -> None:
    run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    path = seed_repo / NEW
    text = path.read_text(encoding="utf-8")
    first = "    status:  # open so far; empty = no change, or in-progress | done | dropped\n"
    assert text.count(first) == 2
    path.write_text(text.replace(first, first.replace(":  #", ": done  #"), 1), encoding="utf-8")
    repo = load_repo(seed_repo)
    assert [(t.id, t.status) for t in track(repo)] == [
        ("2022-06-24/1", "done"),
        ("2022-06-24/2", "open"),
    ]


def test_second_run_refuses_and_leaves_the_first_file_alone(seed_repo: Path) -> None:
    assert run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo).code == 0
    before = (seed_repo / NEW).read_bytes()
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 2
    assert r.out == ""
    assert r.err == (
        f"tf: {NEW} already exists; not overwriting it "
        "(edit that file, or choose another --date or --title)\n"
    )
    assert (seed_repo / NEW).read_bytes() == before
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [
        "2022-06-24-anti-trafficking-task-force.md",
        NEW.name,
    ]


def test_hostile_and_romanian_titles_give_safe_names_inside_minutes(seed_repo: Path) -> None:
    r = run_tf("new-meeting", "--today", "2022-06-25", "--title", "../../etc/x", cwd=seed_repo)
    assert (r.code, r.out) == (0, "minutes/2022-07-08-etc-x.md\n")
    r = run_tf(
        "new-meeting", "--today", "2022-06-25", "--title", "Întâlnire grup de lucru", cwd=seed_repo
    )
    assert (r.code, r.out) == (0, "minutes/2022-07-08-intalnire-grup-de-lucru.md\n")
    # the second meeting on the same date is told and gets its own id
    assert r.err.startswith(
        "tf new-meeting: warning: minutes/2022-07-08-etc-x.md is already a meeting on "
        "2022-07-08; the new one gets 'id: 2022-07-08-b'\n"
    )
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [
        "2022-06-24-anti-trafficking-task-force.md",
        "2022-07-08-etc-x.md",
        "2022-07-08-intalnire-grup-de-lucru.md",
    ]
    assert not (seed_repo.parent / "etc").exists()
    ro = (seed_repo / "minutes/2022-07-08-intalnire-grup-de-lucru.md").read_text(encoding="utf-8")
    assert "\nid: 2022-07-08-b\n" in ro
    assert "\ntitle: Întâlnire grup de lucru\n" in ro
    hostile = (seed_repo / "minutes/2022-07-08-etc-x.md").read_text(encoding="utf-8")
    assert "\ntitle: ../../etc/x\n" in hostile
    c = run_tf("check", "--today", "2022-06-25", cwd=seed_repo)
    assert c.code == 0 and c.out == "", c.out


def test_title_with_yaml_and_markdown_syntax_stays_text(seed_repo: Path) -> None:
    title = 'Review: "yes" #1 <script>alert(1)</script>'
    r = run_tf("new-meeting", "--today", "2022-06-25", "--title", title, cwd=seed_repo)
    assert r.code == 0, r.err
    assert r.out == "minutes/2022-07-08-review-yes-1-script-alert-1-script.md\n"
    config, problems = load_config(seed_repo)
    m = read_meeting(seed_repo / r.out.strip(), config, problems)
    assert m and m.title == title and problems == []


def test_dry_run_prints_the_file_and_writes_nothing(seed_repo: Path) -> None:
    r = run_tf("new-meeting", "--today", "2022-06-25", "--dry-run", cwd=seed_repo)
    assert r.code == 0, r.err
    assert_golden(r.out, "new-meeting/2022-07-08-anti-trafficking-task-force.md")
    assert r.err == f"tf new-meeting: dry run, nothing written (would create {NEW})\n"
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [
        "2022-06-24-anti-trafficking-task-force.md"
    ]


def test_date_option_and_bad_date(seed_repo: Path) -> None:
    r = run_tf("new-meeting", "--today", "2022-06-25", "--date", "2022-07-12", cwd=seed_repo)
    assert (r.code, r.out) == (0, "minutes/2022-07-12-anti-trafficking-task-force.md\n")
    text = (seed_repo / r.out.strip()).read_text(encoding="utf-8")
    assert "\ndate: 2022-07-12\n" in text and "\n  date: 2022-07-26\n" in text
    r = run_tf("new-meeting", "--date", "12 July", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == "tf: --date '12 July' is not a date (write YYYY-MM-DD)\n"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # Python's date.fromisoformat takes these; the format asks for YYYY-MM-DD only
        ("20220712", "tf: --date '20220712' is not a date (write YYYY-MM-DD)\n"),
        ("2022-W28-2", "tf: --date '2022-W28-2' is not a date (write YYYY-MM-DD)\n"),
        ("2022-07-12T10:00", "tf: --date '2022-07-12T10:00' is not a date (write YYYY-MM-DD)\n"),
        ("2022-02-30", "tf: --date '2022-02-30' is not a real date (check day and month)\n"),
    ],
)
def test_date_option_is_strictly_iso(seed_repo: Path, text: str, error: str) -> None:
    r = run_tf("new-meeting", "--today", "2022-06-25", "--date", text, cwd=seed_repo)
    assert (r.code, r.out, r.err) == (2, "", error)
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [
        "2022-06-24-anti-trafficking-task-force.md"
    ]


def test_date_at_the_end_of_the_calendar_is_a_usage_error(seed_repo: Path) -> None:
    r = run_tf("new-meeting", "--date", "9999-12-31", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: no date after 9999-12-31 by cadence 'every 2 weeks': the calendar ends on "
        "9999-12-31 (give an earlier --date)\n"
    )
    config = (seed_repo / "tf.yml").read_text(encoding="utf-8")
    (seed_repo / "tf.yml").write_text(
        config.replace("cadence: every 2 weeks", "cadence: every 999 months"), encoding="utf-8"
    )
    r = run_tf("new-meeting", "--date", "9950-01-01", "--dry-run", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("tf: no date after 9950-01-01 by cadence 'every 999 months'")
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [
        "2022-06-24-anti-trafficking-task-force.md"
    ]


def test_latest_meeting_long_past_gives_a_date_not_before_today(seed_repo: Path) -> None:
    r = run_tf("new-meeting", "--today", "2022-09-03", "--dry-run", cwd=seed_repo)
    assert r.code == 0
    assert r.err.endswith("(would create minutes/2022-09-16-anti-trafficking-task-force.md)\n")


def test_no_cadence_and_no_meetings_means_today(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("group: Working group on data\n", encoding="utf-8")
    r = run_tf("new-meeting", "--today", "2023-03-01", cwd=tmp_path)
    assert r.code == 0, r.err
    assert r.out == "minutes/2023-03-01-working-group-on-data.md\n"
    assert r.err == f"tf new-meeting: created {r.out.strip()} (0 open actions carried forward)\n"
    text = (tmp_path / r.out.strip()).read_text(encoding="utf-8")
    assert_golden(text, "new-meeting/no-config-no-meetings.md")
    assert run_tf("check", "--strict", "--today", "2023-03-01", cwd=tmp_path).code == 0


def test_template_override(seed_repo: Path) -> None:
    (seed_repo / "templates" / "meeting.md").write_text(
        "---\n"
        "date: {{ date }}\n"
        "title: {{ title | yaml }}\n"
        "agenda:\n"
        "{% for item in agenda %}\n"
        "  - {{ item.title | yaml }}\n"
        "{% endfor %}\n"
        "---\n"
        "# {{ group }}, {{ date | longdate }}\n"
        "{% for a in pending %}\n"
        "- [ ] {{ a.id }} ({{ a.owners }}, due {{ a.due }}): {{ a.text }}\n"
        "{% endfor %}\n",
        encoding="utf-8",
    )
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 0, r.err
    assert (seed_repo / NEW).read_text(encoding="utf-8") == (
        "---\n"
        "date: 2022-07-08\n"
        "title: Anti-Trafficking Task Force\n"
        "agenda:\n"
        "  - Welcome and adoption of the agenda\n"
        "  - Endorsement of the previous minutes and review of pending action points\n"
        "  - Structured tour de table on main anti-trafficking responses\n"
        "  - Anti-trafficking digital prevention capacity\n"
        "  - Any other business\n"
        "  - Date of next meeting\n"
        "---\n"
        "# Anti-Trafficking Task Force, Friday 8 July 2022\n"
        "- [ ] 2022-06-24/1 (chairs, due 2022-07-08): "
        "Share OSCE and Council of Europe recommendations on TiP\n"
        "- [ ] 2022-06-24/2 (chairs, due 2022-07-08): "
        "Send the Action Plan with integrated recommendations on TiP\n"
    )


def test_agenda_override_in_tf_yml(seed_repo: Path) -> None:
    with (seed_repo / "tf.yml").open("a", encoding="utf-8") as f:
        f.write("agenda:\n  - Opening\n  - Follow-up of action points\n  - Closing\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", "--dry-run", cwd=seed_repo)
    assert r.code == 0, r.err
    assert (
        "agenda:\n"
        "  - Opening\n"
        "  - Follow-up of action points\n"
        "  - Structured tour de table on main anti-trafficking responses\n"
        "  - Anti-trafficking digital prevention capacity\n"
        "  - Closing\n"
        "previous:\n"
    ) in r.out
    # the pending actions are listed under the item about action points
    section = r.out.split("## Follow-up of action points\n")[1].split("\n## ")[0]
    assert "- 2022-06-24/1: Share OSCE" in section


def _template(seed_repo: Path, text: str) -> None:
    (seed_repo / "templates" / "meeting.md").write_text(text, encoding="utf-8")


def test_template_syntax_error_names_file_and_line(seed_repo: Path) -> None:
    _template(seed_repo, "---\ndate: {{ date }}\n{% if title %}\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: templates/meeting.md:4: template syntax error: Unexpected end of template. "
        "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. "
        "The innermost block that needs to be closed is 'if'. "
        "(fix the template, or delete it to use the built-in one)\n"
    )
    assert not (seed_repo / NEW).exists()


def test_template_undefined_variable_names_file_and_line(seed_repo: Path) -> None:
    _template(seed_repo, "---\ndate: {{ date }}\n\ntitle: {{ titel }}\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err.startswith("tf: templates/meeting.md:4: template error: 'titel' is undefined (")
    assert "title, today, visibility (see docs/templates.md))\n" in r.err
    assert not (seed_repo / NEW).exists()


def test_template_cannot_reach_python_internals(seed_repo: Path) -> None:
    _template(seed_repo, "---\ndate: {{ date }}\n---\n{{ date.__class__.__mro__ }}\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err.startswith("tf: templates/meeting.md:4: template error: ")
    assert not (seed_repo / NEW).exists()


def test_template_output_that_would_fail_check_is_not_written(seed_repo: Path) -> None:
    _template(seed_repo, "---\ndate: {{ date }}\nstatus: {{ title }}\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: templates/meeting.md produced minutes that do not pass 'tf check': line 3: "
        "'status' is 'Anti-Trafficking Task Force'; allowed: draft, circulated, approved "
        "(fix the template; 'tf new-meeting --dry-run' shows what it produces)\n"
    )
    assert not (seed_repo / NEW).exists()
    # --dry-run still shows what the template produced, then fails the same way
    r = run_tf("new-meeting", "--today", "2022-06-25", "--dry-run", cwd=seed_repo)
    assert r.code == 3
    assert r.out == "---\ndate: 2022-07-08\nstatus: Anti-Trafficking Task Force\n---\n"


def test_edit_opens_the_editor_on_the_new_file(seed_repo: Path) -> None:
    script = "import sys; open(sys.argv[1], 'a', encoding='utf-8').write('EDITED\\n')"
    editor = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    r = run_tf(
        "new-meeting",
        "--today",
        "2022-06-25",
        "--edit",
        cwd=seed_repo,
        env={"EDITOR": editor, "VISUAL": ""},
    )
    assert (r.code, r.out) == (0, f"{NEW}\n"), r.err
    assert (seed_repo / NEW).read_text(encoding="utf-8").endswith("\nEDITED\n")


def test_edit_without_an_editor_is_refused_before_writing(seed_repo: Path) -> None:
    r = run_tf(
        "new-meeting",
        "--today",
        "2022-06-25",
        "--edit",
        cwd=seed_repo,
        env={"EDITOR": "", "VISUAL": ""},
    )
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: --edit needs an editor, but $EDITOR and $VISUAL are not set "
        "(e.g. export EDITOR=nano, or open the printed file yourself)\n"
    )
    assert not (seed_repo / NEW).exists()
    r = run_tf("new-meeting", "--dry-run", "--edit", cwd=seed_repo)
    assert (r.code, r.err) == (2, "tf: --dry-run and --edit cannot be used together\n")


def test_editor_that_cannot_run(seed_repo: Path) -> None:
    r = run_tf(
        "new-meeting",
        "--today",
        "2022-06-25",
        "--edit",
        cwd=seed_repo,
        env={"EDITOR": "no-such-editor-tf --wait"},
    )
    assert r.code == 0  # the file was created: the command did its job; scripts can rely on it
    assert r.out == f"{NEW}\n"
    assert (
        "tf: warning: cannot run the editor 'no-such-editor-tf': No such file or directory; "
        "the file was created: " in r.err
    )


def test_error_messages_never_pass_control_characters_to_the_terminal(seed_repo: Path) -> None:
    _template(seed_repo, "---\ndate: {{ date }}\nstatus: {{ title }}\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", "--title", "\x1b[2Jx", cwd=seed_repo)
    assert r.code == 3
    assert "\x1b" not in r.err
    assert r.err.startswith(
        "tf: templates/meeting.md produced minutes that do not pass 'tf check': line 3: "
        "character U+001B is not allowed in YAML"
    )
    _template(seed_repo, "---\n{{ 1 // 0 }}\x1b[2J\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 3 and "\x1b" not in r.err
    assert r.err.startswith("tf: templates/meeting.md:2: template error: ZeroDivisionError: ")


def test_unreadable_template_is_located_and_nothing_written(seed_repo: Path) -> None:
    (seed_repo / "templates" / "meeting.md").write_bytes(b"---\ndate: {{ date }}\x00\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: templates/meeting.md:2:1: cannot read template: file contains NUL bytes "
        "(binary file?) (fix the template, or delete it to use the built-in one)\n"
    )
    assert not (seed_repo / NEW).exists()


def test_unreadable_file_on_the_date_is_not_duplicated(seed_repo: Path) -> None:
    broken = seed_repo / "minutes" / "2022-07-08-draft.md"
    broken.write_text("---\ndate: 2022-07-08\ntitle: A\ntitle: B\n---\n", encoding="utf-8")
    for extra in ((), ("--dry-run",), ("--date", "2022-07-08")):
        r = run_tf("new-meeting", "--today", "2022-06-25", *extra, cwd=seed_repo)
        assert (r.code, r.out) == (2, ""), extra
        assert r.err.endswith(
            "tf: minutes/2022-07-08-draft.md is named for 2022-07-08 but cannot be read as a "
            "meeting; not creating a second file for that date (run 'tf check' to see what is "
            "wrong with it, or give --date another day)\n"
        )
    # docs/new-meeting.md quotes the message as it is
    docs = (ROOT / "docs" / "new-meeting.md").read_text(encoding="utf-8")
    assert r.err.splitlines()[-1] in [line.strip() for line in docs.splitlines()]
    assert sorted(p.name for p in (seed_repo / "minutes").iterdir()) == [
        "2022-06-24-anti-trafficking-task-force.md",
        "2022-07-08-draft.md",
    ]
    # another day is fine
    r = run_tf("new-meeting", "--today", "2022-06-25", "--date", "2022-07-09", cwd=seed_repo)
    assert (r.code, r.out) == (0, "minutes/2022-07-09-anti-trafficking-task-force.md\n")


def test_template_not_utf8_message_is_the_one_documented(seed_repo: Path) -> None:
    (seed_repo / "templates" / "meeting.md").write_bytes(b"---\ntitle: \xe9\n---\n")
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err.startswith("tf: templates/meeting.md:2:8: cannot read template: byte 0xe9 ")
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    assert r.err.rstrip("\n") in docs.splitlines()
    assert not (seed_repo / NEW).exists()


def test_a_person_among_the_participants_stays_a_person(tmp_path: Path) -> None:
    """Without a roster the next meeting lists the previous one's participants. A mapping
    without `organisation:` names a person (docs/format.md, Persons; the site counts it for
    no organisation): it was written as its bare name, which reads as an organisation, so
    the site listed `Sara Lind` as an organisation again from the next meeting on."""
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("group: G\ntimezone: UTC\n")
    (tmp_path / "minutes" / "2022-06-24-g.md").write_text(
        "---\ndate: 2022-06-24\ntitle: G\nparticipants:\n  - UNHCR\n  - name: Sara Lind\n"
        "  - {name: 'Lind, Sara [x] {y}'}\n  - name: Ion Popescu\n    organisation: IOM\n"
        "  - Ana Pop (OSCE)\n---\nBody\n"
    )
    r = run_tf("new-meeting", "--date", "2022-07-08", "--today", "2022-06-30", cwd=tmp_path)
    assert r.code == 0, r.err
    problems: list[Problem] = []
    m = read_meeting(tmp_path / "minutes" / "2022-07-08-g.md", load_config(tmp_path)[0], problems)
    assert problems == [] and m is not None
    assert [(p.name, p.organisation, p.is_person) for p in m.participants[""]] == [
        ("UNHCR", None, False),
        ("Sara Lind", None, True),
        ("Lind, Sara [x] {y}", None, True),
        ("Ion Popescu", "IOM", False),
        ("Ana Pop", "OSCE", False),
    ]
