"""`tf actions` through the real entry point: listing, formats, CI options, digest, show."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import conftest
import pytest
from conftest import ROOT, SEED, Tf, assert_golden, run_tf

from tfcli.output import safe

tf = conftest.tf  # the in-process `tf` fixture (other test modules take it from here)
TODAY = "2022-07-25"


def ids(out: str) -> list[str]:
    return [a["id"] for a in json.loads(out)]


# -- the seed repo (the "done when") ---------------------------------------------------


def test_seed_overdue_on_9_july_lists_both_chairs_actions() -> None:
    r = run_tf("actions", "--overdue", "--today", "2022-07-09")
    assert r.code == 0
    assert_golden(r.out, "actions/seed-overdue.table.txt")
    lines = r.out.splitlines()[1:]
    assert [ln.split()[0] for ln in lines] == ["2022-06-24/1", "2022-06-24/2"]
    assert all(" chairs " in ln and "1 day overdue" in ln for ln in lines)
    assert r.err == "tf actions: 2 actions, 2 overdue (today 2022-07-09)\n"


def test_seed_nothing_overdue_on_the_due_date_itself(tf: Tf) -> None:
    r = run_tf("actions", "--overdue", "--today", "2022-07-08", "--format", "json")
    assert (r.code, r.out) == (0, "[]\n")
    r = tf("actions", "--today", "2022-07-08", "--format", "json")
    assert [a["hint"] for a in json.loads(r.out)] == ["due today", "due today"]


def test_seed_owner_unhcr_matches_the_chairs_role(tf: Tf) -> None:
    r = run_tf("actions", "--owner", "UNHCR", "--today", "2022-07-09", "--format", "json")
    data = json.loads(r.out)
    assert [(a["id"], a["owners"]) for a in data] == [
        ("2022-06-24/1", ["chairs"]),
        ("2022-06-24/2", ["chairs"]),
    ]
    assert ids(tf("actions", "--owner", "iom", "--format", "json").out) == [
        "2022-06-24/1",
        "2022-06-24/2",
    ]
    r = tf("actions", "--owner", "La Strada", "--format", "json")
    assert (r.out, r.code) == ("[]\n", 0)


def test_owner_not_in_roster_is_hinted(tf: Tf) -> None:
    # A typo must not let `--overdue --owner X --exit-code` pass in CI: a usage error.
    r = tf("actions", "--owner", "UNHRC", "--overdue", "--exit-code", "--today", "2022-07-09")
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: --owner 'UNHRC' is no organisation or role in tf.yml and owns no action; "
        "did you mean 'UNHCR'?\n"
    )


# -- every format, golden ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "github"])
def test_formats_golden(tf: Tf, tracker: Path, fmt: str) -> None:
    r = tf("actions", "--today", TODAY, "--format", fmt, cwd=tracker)
    assert r.code == 0, r.err
    ext = {"table": "txt", "markdown": "md", "github": "txt"}.get(fmt, fmt)
    assert_golden(r.out, f"actions/list.{fmt}.{ext}")
    assert r.err == "tf actions: 5 actions, 2 overdue (today 2022-07-25)\n"


def test_all_statuses_golden(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "--all", "--today", TODAY, cwd=tracker)
    assert_golden(r.out, "actions/all.table.txt")


def test_json_shape_and_round_trip(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "--all", "--today", TODAY, "--format", "json", cwd=tracker)
    data = json.loads(r.out)
    keys = [
        "id", "meeting", "meeting_date", "local_id", "file", "line", "text", "owners",
        "organisations", "agenda", "note", "status", "due", "original_status", "original_due",
        "overdue", "days_left", "hint", "postponements", "closed_in", "updates", "due_text",
        "due_kind", "original_due_text", "original_owners", "notes",
    ]  # fmt: skip
    assert all(list(a) == keys for a in data)
    plan = next(a for a in data if a["id"] == "2022-06-24/2")
    assert plan == {
        "id": "2022-06-24/2",
        "meeting": "2022-06-24",
        "meeting_date": "2022-06-24",
        "local_id": "2",
        "file": "minutes/2022-06-24-anti-trafficking-task-force.md",
        "line": 65,
        "text": "Send the Action Plan with integrated recommendations on TiP",
        "owners": ["chairs"],
        "organisations": ["State Chancellery", "UNHCR", "IOM"],
        "agenda": "Introduction of the Task Force (TF) on Trafficking in Persons. "
        "Discussion on the TF TOR",
        "note": None,
        "status": "in-progress",
        "due": "2022-07-22",
        "original_status": "open",
        "original_due": "2022-07-08",
        "overdue": True,
        "days_left": -3,
        "hint": "3 days overdue",
        "postponements": 1,
        "closed_in": None,
        "updates": [
            {
                "meeting": "2022-07-08",
                "date": "2022-07-08",
                "file": "minutes/2022-07-08-anti-trafficking-task-force.md",
                "line": 10,
                "status": "in-progress",
                "due": "2022-07-22",
                "note": "Draft circulated: comments by 15 July",
                "due_text": None,
                "owners": [],
                "notes": [],
            }
        ],
        "due_text": None,
        "due_kind": "date",
        "original_due_text": None,
        "original_owners": ["chairs"],
        "notes": [],
    }
    nodue = next(a for a in data if a["id"] == "2022-07-08/3")
    assert (nodue["due"], nodue["days_left"], nodue["overdue"]) == (None, None, False)
    done = next(a for a in data if a["id"] == "2022-06-24/1")
    assert (done["status"], done["closed_in"], done["hint"], done["overdue"]) == (
        "done",
        "2022-07-08",
        "done",
        False,
    )
    hostile = next(a for a in data if a["id"] == "2022-07-08/2")
    assert hostile["text"].endswith("100%: \x1b[31mred\x1b[0m\nsecond line")
    assert "\x1b" not in r.out  # JSON escapes control characters


def test_csv_round_trips_through_the_csv_module(tf: Tf, tracker: Path) -> None:
    args = ("actions", "--all", "--today", TODAY, "--format")
    out = tf(*args, "csv", cwd=tracker).out
    # no byte-order mark: CSV is for scripts; Excel users get --format xlsx (docs/actions.md)
    assert out.startswith("id,due,when,status,owner,text,meeting,due_text\n")
    rows = list(csv.DictReader(io.StringIO(out)))
    data = json.loads(tf(*args, "json", cwd=tracker).out)
    assert [r["id"] for r in rows] == [a["id"] for a in data]
    for row, a in zip(rows, data, strict=True):
        assert row == {
            "id": a["id"],
            "due": a["due"] or "",
            "when": a["hint"],
            "status": a["status"],
            "owner": ", ".join(a["owners"]),
            "text": safe(a["text"]),  # newlines survive; ESC and the like shown as escapes
            "meeting": a["meeting"],
            "due_text": a["due_text"] or "",
        }


def test_user_text_is_never_markup(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "--search", "pipe", "--today", TODAY, cwd=tracker)
    assert "[bold]sample[/bold] at 100%: \\x1b[31mred\\x1b[0m" in r.out
    assert "\x1b" not in r.out
    md = tf("actions", "--search", "pipe", "-f", "markdown", cwd=tracker).out
    assert (
        "Circulate the \\| pipe & \\<b\\>markup\\</b\\> \\[bold\\]sample\\[/bold\\] at 100%: "
        "\\\\x1b\\[31mred\\\\x1b\\[0m second line |" in md
    )


def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tfcli.action_views import COLUMNS
    from tfcli.output import Format, write_rows

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    rows = [{"id": "2022-06-24/1", "when": "1 day overdue", "when_style": "red", "text": "[b]x"}]
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Tty()
    write_rows(rows, COLUMNS, Format.table, out)
    assert "\x1b[31m1 day overdue" in out.getvalue() and "[b]x" in out.getvalue()
    plain = io.StringIO()
    write_rows(rows, COLUMNS, Format.table, plain)
    assert "\x1b" not in plain.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = Tty()
    write_rows(rows, COLUMNS, Format.table, out)
    assert "\x1b[31m" not in out.getvalue()


# -- CI ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--overdue", "--today", "2022-07-09", "--exit-code"), 1),
        (("--overdue", "--today", "2022-07-08", "--exit-code"), 0),
        (("--overdue", "--today", "2022-07-09"), 0),  # listing alone never fails
        (("--format", "github", "--today", "2022-07-09", "--exit-code"), 1),
    ],
)
def test_exit_code(args: tuple[str, ...], code: int) -> None:
    r = run_tf("actions", *args)
    assert r.code == code, r.err
    assert "Traceback" not in r.err


def test_github_annotations_escape_minutes_text(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "--overdue", "--today", TODAY, "--format", "github", cwd=tracker)
    lines = r.out.splitlines()
    assert len(lines) == 2 and all(ln.startswith("::warning file=minutes/") for ln in lines)
    assert lines[1].startswith(
        "::warning file=minutes/2022-07-08-anti-trafficking-task-force.md,line=19,"
        "title=Action 2022-07-08/2%3A 3 days overdue::"
    )
    assert "100%25: \\x1b[31mred\\x1b[0m%0Asecond line" in lines[1]


def test_step_summary_is_appended(tf: Tf, tracker: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    args = ("actions", "--overdue", "--today", TODAY, "--summary", "--format", "github")
    r = tf(*args, cwd=tracker, env=env)
    assert r.code == 0
    tf("actions", "--overdue", "--today", "2022-06-01", "--summary", cwd=tracker, env=env)
    assert_golden(summary.read_text(encoding="utf-8"), "actions/step-summary.md")
    r = tf(*args, cwd=tracker)
    assert "$GITHUB_STEP_SUMMARY is not set; no summary written" in r.err


def test_step_summary_that_cannot_be_written_is_a_data_error(tf: Tf, tmp_path: Path) -> None:
    r = tf(
        "actions", "--summary", "--today", "2022-07-09", env={"GITHUB_STEP_SUMMARY": str(tmp_path)}
    )
    assert (r.code, r.err.splitlines()[-1]) == (3, f"tf: cannot write {tmp_path}: Is a directory")


# -- digest ------------------------------------------------------------------------------------


def test_digest_by_owner_markdown(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "--by", "owner", "--format", "markdown", "--today", TODAY, cwd=tracker)
    assert r.code == 0, r.err
    assert_golden(r.out, "actions/digest.md")
    again = tf("actions", "--by", "owner", "--today", TODAY, cwd=tracker)
    assert again.out == r.out  # markdown is the default for --by owner


def test_digest_by_owner_json_and_window(tf: Tf, tracker: Path) -> None:
    args = ("actions", "--by", "owner", "--today", TODAY, "--format", "json")
    data = json.loads(tf(*args, "--due-within", "14", cwd=tracker).out)
    assert [
        (g["organisation"], [a["id"] for a in g["overdue"]], [a["id"] for a in g["due_soon"]])
        for g in data
    ] == [
        ("State Chancellery", ["2022-06-24/2"], []),
        ("UNHCR", ["2022-06-24/2", "2022-07-08/2"], []),
        ("IOM", ["2022-06-24/2"], []),
        ("OSCE", [], ["2022-07-22/1"]),
        ("La Strada", [], ["2022-07-08/1"]),
    ]
    r = tf("actions", "--by", "owner", "--owner", "OSCE", "--today", TODAY, cwd=tracker)
    assert "Nothing is overdue, due soon or open without a date." in r.out


def test_digest_honours_owner_and_the_other_filters(tf: Tf, tracker: Path) -> None:
    args = ("actions", "--by", "owner", "--today", TODAY, "--due-within", "14")

    def sections(*extra: str) -> list[tuple[str, list[str], list[str]]]:
        data = json.loads(tf(*args, *extra, "--format", "json", cwd=tracker).out)
        return [
            (g["organisation"], [a["id"] for a in g["overdue"]], [a["id"] for a in g["due_soon"]])
            for g in data
        ]

    # UNHCR's own section only: as one of the chairs, and through 'Martina Bogdeva (UNHCR)'
    assert sections("--owner", "unhcr") == [("UNHCR", ["2022-06-24/2", "2022-07-08/2"], [])]
    assert sections("--owner", "chairs") == [
        ("State Chancellery", ["2022-06-24/2"], []),
        ("UNHCR", ["2022-06-24/2"], []),
        ("IOM", ["2022-06-24/2"], []),
    ]
    assert sections("--owner", "Martina Bogdeva") == [("UNHCR", ["2022-07-08/2"], [])]
    assert sections("--meeting", "2022-07-08") == [
        ("UNHCR", ["2022-07-08/2"], []),
        ("La Strada", [], ["2022-07-08/1"]),
    ]
    assert sections("--search", "digital") == [("OSCE", [], ["2022-07-22/1"])]
    md = tf(*args, "--owner", "UNHCR", cwd=tracker).out
    assert [ln for ln in md.splitlines() if ln.startswith("## ")] == ["## UNHCR"]
    assert "together with State Chancellery and IOM, as chairs" in md


def test_digest_with_nothing_due(tf: Tf) -> None:
    r = tf("actions", "--by", "owner", "--today", "2022-06-01")
    assert r.out == (
        "# Anti-Trafficking Task Force: action points by organisation\n\n"
        "As of 1 June 2022: action points that are overdue or due in the next 7 days, and open "
        "ones without a date.\n\n"
        "Nothing is overdue, due soon or open without a date. Thank you all!\n"
    )


# -- show --------------------------------------------------------------------------------------


def test_show_full_history(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "show", "2022-06-24/2", "--today", TODAY, cwd=tracker)
    assert r.code == 0, r.err
    assert_golden(r.out, "actions/show.txt")
    r = tf("actions", "show", "2022-06-24/1", "--today", TODAY, cwd=tracker)
    assert "Closed in:      2022-07-08" in r.out
    assert "status done; note: Shared by e-mail on 5 July; closed here" in r.out
    r = tf("actions", "show", "2022-07-08/2", "--today", TODAY, cwd=tracker)
    assert "\\x1b[31mred" in r.out and "\x1b" not in r.out


def test_show_json_is_the_list_object(tf: Tf, tracker: Path) -> None:
    one = json.loads(tf("actions", "show", "2022-07-08/1", "-f", "json", cwd=tracker).out)
    listed = json.loads(tf("actions", "--all", "-f", "json", cwd=tracker).out)
    assert one == next(a for a in listed if a["id"] == "2022-07-08/1")
    assert one["original_due"] == "2022-07-15" and one["due"] == "2022-07-29"


def test_show_unknown_and_ambiguous_ids(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "show", "2022-07-08/7", cwd=tracker)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: no action '2022-07-08/7' (did you mean 2022-07-08/4 or 2022-07-08/3 or "
        "2022-07-08/2?)\n"
    )
    r = tf("actions", "show", "2", cwd=tracker)
    assert r.err == (
        "tf: action id '2' is ambiguous: it could be 2022-06-24/2, 2022-07-08/2 (use the full id)\n"
    )


# -- usage errors and help ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (("--status", "closed"), "tf: --status 'closed' is not an action status (use one of: "),
        (("--status", "don"), "tf: --status 'don' is not an action status (did you mean 'done'?)"),
        (("--by", "meeting"), "tf: --by meeting is not known (use --by owner)"),
        (("--format", "text"), "tf: --format text is not available here"),
        (("--by", "owner", "--format", "csv"), "tf: --format csv is not available here"),
        (("--meeting", "2099-01-01"), "tf: no meeting '2099-01-01'"),
        (("--today", "9 July"), "tf: --today '9 July' is not a date (write YYYY-MM-DD)"),
    ],
)
def test_usage_errors(tf: Tf, args: tuple[str, ...], err: str) -> None:
    r = tf("actions", *args)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith(err), r.err


@pytest.mark.parametrize(
    ("args", "option", "sub"),
    [
        (("--overdue", "show", "2022-06-24/1"), "--overdue", "show"),
        (("-f", "json", "show", "2022-06-24/1"), "--format", "show"),
        (("--today", "2022-07-09", "done", "2022-06-24/1"), "--today", "done"),
        (("--owner", "UNHCR", "--by", "owner", "start", "1"), "--owner", "start"),
    ],
)
def test_listing_options_with_a_subcommand_are_refused(
    tf: Tf, seed_repo: Path, args: tuple[str, ...], option: str, sub: str
) -> None:
    before = {p: p.read_bytes() for p in (seed_repo / "minutes").iterdir()}
    r = tf("actions", *args, cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        f"tf: {option} is an option of the listing; it does nothing for 'tf actions {sub}' "
        f"(leave it out, or give it after '{sub}' if 'tf actions {sub} --help' lists it)\n"
    )
    assert {p: p.read_bytes() for p in (seed_repo / "minutes").iterdir()} == before
    ok = tf("actions", "show", "2022-06-24/1", "-f", "json", "--today", "2022-07-09")
    assert (ok.code, json.loads(ok.out)["hint"]) == (0, "1 day overdue")


def test_due_within_is_bounded(tf: Tf) -> None:
    r = run_tf("actions", "--due-within", "9999999")
    assert r.code == 2 and "Traceback" not in r.err
    assert "Invalid value for '--due-within': 9999999 is not in the range 0<=x<=3650." in r.err
    r = tf("actions", "--due-within", "3650", "--by", "owner", "--today", "9999-12-30")
    assert r.code == 0, r.err  # the window ends past 9999-12-31: no overflow
    assert "in the next 3650 days" in r.out


def test_search_help_names_what_is_searched(tf: Tf) -> None:
    flat = " ".join(tf("actions", "--help").out.split())
    assert (
        "Only actions with TEXT in their id, text, owners, agenda item, note or the note of a "
        "follow-up (case and runs of spaces do not matter)." in flat
    )


def test_today_from_environment(tf: Tf) -> None:
    r = tf("actions", "--overdue", "-f", "json", env={"TF_TODAY": "2022-07-09"})
    assert len(json.loads(r.out)) == 2
    r = tf("actions", "--overdue", "--today", "2022-07-08", env={"TF_TODAY": "2022-07-09"})
    assert r.err == "tf actions: no overdue action points (today 2022-07-08)\n"
    r = tf("actions", env={"TF_TODAY": "soon"})
    assert (r.code, r.err) == (2, "tf: $TF_TODAY 'soon' is not a date (write YYYY-MM-DD)\n")


def test_meeting_and_search_filters(tf: Tf, tracker: Path) -> None:
    r = tf("actions", "--meeting", "2022-07-08", "--all", "-f", "json", cwd=tracker)
    assert ids(r.out) == ["2022-07-08/4", "2022-07-08/2", "2022-07-08/1", "2022-07-08/3"]
    r = tf("actions", "--search", "HOTLINES", "-f", "json", cwd=tracker)
    assert ids(r.out) == ["2022-07-08/1"]
    r = tf("actions", "--status", "in-progress", "--status", "done", "-f", "json", cwd=tracker)
    assert ids(r.out) == ["2022-06-24/1", "2022-07-08/4", "2022-06-24/2", "2022-07-08/3"]


def test_help_names_the_boundaries(tf: Tf) -> None:
    r = tf("actions", "--help")
    flat = " ".join(r.out.split())
    assert "An action due today is NOT overdue" in flat
    assert "$TF_TODAY" in flat and "never the runner's UTC date" in flat
    assert "due on or before today + N days, overdue ones included" in flat
    assert "exit 1 when at least one action matched" in flat


# -- the group's date, with the runner in UTC --------------------------------------------------

# Runs the real entry point in a process with TZ=UTC and the clock pinned to `now`.
CLOCK = """
import datetime as dt, sys
import tfcli.dates
NOW = dt.datetime.fromisoformat(sys.argv[1])
class Pinned(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW.astimezone(tz)
tfcli.dates.datetime = Pinned
sys.argv = ["tf", *sys.argv[2:]]
from tfcli.cli import main
main()
"""


def write_due_dates(root: Path) -> None:
    shutil.copy(SEED / "tf.yml", root / "tf.yml")
    (root / "minutes").mkdir()
    (root / "minutes" / "2022-06-24-a.md").write_text(
        "---\ndate: 2022-06-24\nactions:\n"
        "  - {id: y, text: Due yesterday, owner: IOM, due: 2022-07-07}\n"
        "  - {id: t, text: Due today, owner: IOM, due: 2022-07-08}\n"
        "  - {id: m, text: Due tomorrow, owner: IOM, due: 2022-07-09}\n---\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("now_utc", "local", "hints"),
    [
        ("2022-07-08T20:30:00+00:00", "23:30 on 8 July", ["1 day overdue", "due today", "due tomorrow"]),
        ("2022-07-08T21:30:00+00:00", "00:30 on 9 July", ["2 days overdue", "1 day overdue", "due today"]),
    ],
)  # fmt: skip
def test_boundary_through_the_cli_with_runner_in_utc(
    tmp_path: Path, now_utc: str, local: str, hints: list[str]
) -> None:
    write_due_dates(tmp_path)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "GITHUB_"))}
    env.update({"TZ": "UTC", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)})
    p = subprocess.run(
        [sys.executable, "-c", CLOCK, now_utc, "actions", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert [a["hint"] for a in data] == hints, local
    assert [a["overdue"] for a in data] == [h.endswith("overdue") for h in hints]
    overdue = subprocess.run(
        [sys.executable, "-c", CLOCK, now_utc, "actions", "--overdue", "--exit-code"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert overdue.returncode == 1
    assert overdue.stderr.endswith(
        f"overdue (today {'2022-07-08' if '23:30' in local else '2022-07-09'})\n"
    )


def test_untouched_follow_ups_are_no_history(tf: Tf, seed_repo: Path) -> None:
    """`tf new-meeting` carries every open action forward as an entry naming it only: that
    is no event of its history (the meeting has not even been held); a note is."""
    assert tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo).code == 0
    new = seed_repo / "minutes/2022-07-08-anti-trafficking-task-force.md"
    text = new.read_text(encoding="utf-8")
    first = "  - action: 2022-06-24/2"
    assert text.count(first) == 1
    new.write_text(text.replace(first, f"{first}\n    note: Draft circulated"), encoding="utf-8")
    r = tf("actions", "show", "2022-06-24/1", "--today", "2022-07-09", cwd=seed_repo)
    assert r.out.split("History:\n")[1] == (
        "  2022-06-24: agreed, status open, due 2022-07-08, owner chairs\n"
        "  (no follow-ups in later meetings)\n"
    )
    r = tf("actions", "show", "2022-06-24/2", "--today", "2022-07-09", cwd=seed_repo)
    assert r.out.split("History:\n")[1] == (
        "  2022-06-24: agreed, status open, due 2022-07-08, owner chairs\n"
        "  2022-07-08: note: Draft circulated "
        "(minutes/2022-07-08-anti-trafficking-task-force.md:78)\n"
    )
    got = json.loads(tf("actions", "-f", "json", "--today", "2022-07-09", cwd=seed_repo).out)
    assert [(a["id"], a["status"], [u["note"] for u in a["updates"]]) for a in got] == [
        ("2022-06-24/1", "open", []),
        ("2022-06-24/2", "open", ["Draft circulated"]),
    ]
    r = tf("render", "--today", "2022-07-09", cwd=seed_repo)
    assert r.code == 0, r.err
    page = (seed_repo / "_site/tracker.html").read_text(encoding="utf-8")
    assert "mentioned, no change" not in page
    assert page.count('<ul class="history">') == 1
    assert '<li><a href="meetings/2022-07-08.html">2022-07-08</a>: Draft circulated</li>' in page
    # The draft's own page lists what it follows up without claiming it was discussed.
    page = (seed_repo / "_site/meetings/2022-07-08.html").read_text(encoding="utf-8")
    assert '<a href="../meetings/2022-06-24.html">2022-06-24/1</a>: nothing recorded</li>' in page
    assert '<a href="../meetings/2022-06-24.html">2022-06-24/2</a>: Draft circulated</li>' in page


def test_step_summary_stays_under_githubs_cap(tf: Tf, tracker: Path, tmp_path: Path) -> None:
    """GitHub drops a step's whole summary over 1 MiB: the table is cut at a row, saying how
    many rows were left out and where they all are."""
    from tfcli.write_report import SUMMARY_CAP

    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    args = ("actions", "--overdue", "--today", TODAY, "--summary", "--format", "json")
    assert tf(*args, cwd=tracker, env=env).code == 0
    whole = summary.read_text(encoding="utf-8")
    head, rows = whole.split("|---|---|---|---|---|---|\n")
    first, _, end = rows.splitlines(keepends=True)
    assert end == "\n"
    # room for all but one byte: the first row and the note fit, the second not
    earlier = "x" * (SUMMARY_CAP - len(whole.encode())) + "\n"
    summary.write_text(earlier, encoding="utf-8")
    r = tf(*args, cwd=tracker, env=env)
    assert (r.code, r.err) == (0, "tf actions: 2 actions, 2 overdue (today 2022-07-25)\n")
    got = summary.read_text(encoding="utf-8")
    assert len(got.encode()) <= SUMMARY_CAP
    assert got == earlier + head + "|---|---|---|---|---|---|\n" + first + (
        "\n**1 of 2 rows left out**: GitHub keeps at most 1 MiB of a step's summary. This "
        "step's log lists them all; or run `tf actions --overdue` again locally.\n\n"
    )
    # a summary already full: nothing is appended, and tf says so
    summary.write_text("x" * (SUMMARY_CAP - 10), encoding="utf-8")
    r = tf(*args, cwd=tracker, env=env)
    assert r.code == 0
    assert r.err.splitlines()[0] == (
        "tf: --summary: the step summary is full (1 MiB); nothing appended"
    )
    assert summary.read_text(encoding="utf-8") == "x" * (SUMMARY_CAP - 10)


def test_summary_cut_at_a_row() -> None:
    from tfcli.write_report import capped

    base = "\n### head\n\n| A | B |\n|---|---|\n"
    rows = [f"| {n} | {'é' * 150} |\n" for n in (1, 2, 3)]  # 300 bytes of text each
    text = base + "".join(rows) + "\n"
    assert capped(text, len(text.encode()), "tf check") == text
    note = (
        "\n**2 of 3 rows left out**: GitHub keeps at most 1 MiB of a step's summary. "
        "This step's log lists them all; or run `tf check` again locally.\n"
    )
    room = len((base + rows[0] + note + "\n").encode())
    assert capped(text, room, "tf check") == base + rows[0] + note + "\n"
    assert capped(text, room + 300, "tf check") == base + rows[0] + note + "\n"
    assert capped(text, room - 1, "tf check") == base + note.replace("2 of", "3 of") + "\n"
    assert capped(text, len(base) + 20, "tf check") == ""


def test_more_annotations_than_github_shows_get_a_notice(tf: Tf, seed_repo: Path) -> None:
    """GitHub shows 10 warnings per step and drops the rest silently: with 11, a notice first
    says how many there are in all; with 10, none."""
    items = "".join(
        f"  - id: {n}\n    text: Task {n}\n    owner: IOM\n    due: 2022-08-01\n"
        for n in range(1, 12)
    )
    path = seed_repo / "minutes/2022-07-29-x.md"
    path.write_text(f"---\ndate: 2022-07-29\nactions:\n{items}---\n", encoding="utf-8")
    args = ("actions", "--overdue", "--format", "github", "--meeting", "2022-07-29")
    r = tf(*args, "--today", "2022-08-02", cwd=seed_repo)
    lines = r.out.splitlines()
    assert lines[0] == (
        "::notice title=tf actions%3A more annotations than GitHub shows::tf actions: 11 "
        "warnings in all; GitHub shows only the first 10 of each kind here. This step's log "
        "lists them all, and so does the job summary with --summary."
    )
    assert len(lines) == 12
    assert all(line.startswith("::warning file=minutes/2022-07-29-x.md,") for line in lines[1:])
    path.write_text(path.read_text().replace("    due: 2022-08-01\n", "", 1))
    r = tf(*args, "--today", "2022-08-02", cwd=seed_repo)
    assert [line[:9] for line in r.out.splitlines()] == ["::warning"] * 10
