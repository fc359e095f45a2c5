"""The minutes lifecycle rules of `tf check`: silence procedure and endorsement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import run_tf

from tfcli.check import check
from tfcli.load import load_repo


def _write(root: Path, files: dict[str, str]) -> Path:
    (root / "minutes").mkdir(exist_ok=True)
    (root / "tf.yml").write_text("group: Test group\n", encoding="utf-8")
    for name, front in files.items():
        (root / "minutes" / name).write_text(f"---\n{front}---\n", encoding="utf-8")
    return root


def _lines(root: Path, today: str) -> list[str]:
    repo = load_repo(root)
    return [
        f"{Path(p.path).name}:{p.line} [{p.rule}] {p.message}"
        for p in check(repo, date.fromisoformat(today))
    ]


SILENCE = {
    "2022-01-10-x.md": "date: 2022-01-10\nstatus: circulated\nsilence_until: 2022-01-20\n",
}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2022-01-19", []),
        ("2022-01-20", []),  # the last day of the silence procedure
        (
            "2022-01-21",
            [
                "2022-01-10-x.md:4 [silence-ended] silence procedure ended on 2022-01-20; "
                "mark the minutes approved"
            ],
        ),
    ],
)
def test_silence_ended(tmp_path: Path, today: str, expected: list[str]) -> None:
    assert _lines(_write(tmp_path, SILENCE), today) == expected


def test_silence_ended_only_for_circulated_minutes(tmp_path: Path) -> None:
    files = {
        "2022-01-10-x.md": "date: 2022-01-10\nstatus: approved\nsilence_until: 2022-01-20\n",
        "2022-01-11-x.md": "date: 2022-01-11\nstatus: draft\nsilence_until: 2022-01-20\n",
    }
    assert _lines(_write(tmp_path, files), "2022-03-01") == []


def test_circulated_without_silence_date(tmp_path: Path) -> None:
    files = {
        "2022-02-01-x.md": "date: 2022-02-01\nstatus: circulated\n",
        # circulated, to be endorsed by the next meeting: no silence date needed
        "2022-02-08-x.md": "date: 2022-02-08\nstatus: circulated\n",
        "2022-02-15-x.md": "date: 2022-02-15\nprevious:\n  meeting: 2022-02-08\n",
    }
    assert _lines(_write(tmp_path, files), "2022-02-10") == [
        "2022-02-01-x.md:3 [silence] minutes are circulated but have no 'silence_until' date"
    ]


def test_approved_but_a_held_meeting_lists_them_as_not_endorsed(tmp_path: Path) -> None:
    files = {
        "2022-03-01-x.md": "date: 2022-03-01\nstatus: approved\n",
        "2022-03-15-x.md": "date: 2022-03-15\nprevious:\n  meeting: 2022-03-01\n"
        "  endorsed: false\n",
    }
    root = _write(tmp_path, files)
    # before the meeting of 15 March (or on its day) 'endorsed: false' is simply the plan
    assert _lines(root, "2022-03-02") == []
    assert _lines(root, "2022-03-15") == []
    assert _lines(root, "2022-03-16") == [
        "2022-03-15-x.md:5 [endorsement] the minutes of 2022-03-01 are approved, but this "
        "meeting lists them as not endorsed"
    ]


def test_endorsed_but_not_approved(tmp_path: Path) -> None:
    files = {
        "2022-04-01-x.md": "date: 2022-04-01\nstatus: circulated\nsilence_until: 2022-04-30\n",
        "2022-04-15-x.md": "date: 2022-04-15\nprevious:\n  meeting: 2022-04-01\n  endorsed: true\n",
    }
    assert _lines(_write(tmp_path, files), "2022-04-16") == [
        "2022-04-01-x.md:3 [endorsement] the minutes were endorsed at the meeting of "
        "2022-04-15 but are still 'circulated'"
    ]


def test_previous_names_no_earlier_meeting(tmp_path: Path) -> None:
    files = {
        "2022-05-01-x.md": "date: 2022-05-01\nstatus: approved\n",
        "2022-05-15-x.md": "date: 2022-05-15\nprevious:\n  meeting: 2022-05-02\n",
        "2022-05-20-x.md": "date: 2022-05-20\nprevious:\n  meeting: 2022-05-20\n",
    }
    assert _lines(_write(tmp_path, files), "2022-06-01") == [
        "2022-05-15-x.md:4 [previous] previous meeting '2022-05-02' not found",
        "2022-05-20-x.md:4 [previous] previous meeting '2022-05-20' is not earlier than this one",
    ]


def test_lifecycle_warnings_through_tf_check(tmp_path: Path) -> None:
    files = {
        "2022-01-10-x.md": "date: 2022-01-10\nstatus: circulated\nsilence_until: 2022-01-20\n",
        "2022-01-24-x.md": "date: 2022-01-24\nprevious:\n  meeting: 2022-01-10\n  endorsed: true\n",
    }
    root = _write(tmp_path, files)
    r = run_tf("check", "--today", "2022-01-25", cwd=root)
    assert r.code == 0
    assert r.out == (
        "minutes/2022-01-10-x.md:3:1: warning [endorsement] the minutes were endorsed at the "
        "meeting of 2022-01-24 but are still 'circulated' (set 'status: approved')\n"
        "minutes/2022-01-10-x.md:4:1: warning [silence-ended] silence procedure ended on "
        "2022-01-20; mark the minutes approved "
        "(set 'status: approved', or 'draft' again if there were objections)\n"
    )
    assert r.err == "tf check: 0 errors, 2 warnings in 2 files\n"
    assert run_tf("check", "--strict", "--today", "2022-01-25", cwd=root).code == 1


def test_new_meeting_after_approved_minutes_is_clean_until_it_is_held(seed_repo: Path) -> None:
    """The seed's minutes are approved; the new meeting asks to endorse them. That is the plan,
    not a problem, until the new meeting has taken place."""
    assert run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo).code == 0
    assert _lines(seed_repo, "2022-06-25") == []
    made = (seed_repo / "minutes" / "2022-07-08-anti-trafficking-task-force.md").read_text()
    line = made.splitlines().index("  endorsed: false  # true once this meeting endorses "
                                   "the minutes of 2022-06-24") + 1  # fmt: skip
    assert _lines(seed_repo, "2022-07-09") == [
        f"2022-07-08-anti-trafficking-task-force.md:{line} [endorsement] the minutes of 2022-06-24 "
        "are approved, but this meeting lists them as not endorsed"
    ]
