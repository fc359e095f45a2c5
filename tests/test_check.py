"""`tf check` on a folder with one broken file per rule: golden output in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_golden, run_tf

BROKEN = FIXTURES / "broken"
AS_CI = {"GITHUB_WORKSPACE": str(BROKEN)}  # annotations name files from the workspace root


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_broken_folder_matches_golden(fmt: str) -> None:
    r = run_tf("check", "--format", fmt, "--today", "2022-06-01", cwd=BROKEN, env=AS_CI)
    assert r.code == 1
    assert_golden(r.out, f"check/broken.{fmt}.txt")
    assert r.err == "tf check: 36 errors, 16 warnings in 35 files\n"


def test_every_rule_has_a_fixture() -> None:
    rules = {p["rule"] for p in json.loads(run_tf("check", "-f", "json", cwd=BROKEN).out)}
    assert rules == {
        "action-field", "action-id", "action-owner", "date", "empty", "encoding", "enum", "filename-date", "format",
        "front-matter", "future-approved", "meeting-id", "owner", "required", "roster", "time",
        "type", "not-minutes", "unknown-key", "url", "yaml",
    }  # fmt: skip


def test_one_line_per_problem_and_no_traceback() -> None:
    r = run_tf("check", cwd=BROKEN)
    lines = r.out.splitlines()
    assert len(lines) == 52
    assert all(":" in line and ("error [" in line or "warning [" in line) for line in lines)
    assert "Traceback" not in r.err


def test_github_annotations_cannot_be_injected() -> None:
    r = run_tf("check", "--format", "github", cwd=BROKEN, env=AS_CI)
    notice, *lines = r.out.splitlines()
    # GitHub shows 10 annotations of each kind per step: one notice first says how many
    assert notice == (
        "::notice title=tf check%3A more annotations than GitHub shows::tf check: 36 errors "
        "and 16 warnings in all; GitHub shows only the first 10 of each kind here. This step's "
        "log lists them all, and so does the job summary with --summary."
    )
    assert len(lines) == 52
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    injected = [line for line in lines if "escape-injection" in line]
    assert injected == [
        "::error file=minutes/2022-01-29-escape-injection.md,line=3,col=9,title=tf enum::"
        "'status' is 'approved\\x1b[2J%0A::error::injected'; allowed: draft, circulated, approved"
    ]


def test_strict_fails_on_warnings_only(tmp_path: Path) -> None:
    root = tmp_path
    (root / "minutes").mkdir()
    (root / "minutes" / "2022-01-01-x.md").write_text("---\ndate: 2022-01-01\nlocaton: Zoom\n---\n")
    assert run_tf("check", cwd=root).code == 0
    r = run_tf("check", "--strict", cwd=root)
    assert r.code == 1
    assert r.out == (
        "minutes/2022-01-01-x.md:3:1: warning [unknown-key] unknown key 'locaton' "
        "(kept as written) (did you mean 'location'?)\n"
    )


def test_check_given_file_reports_only_that_file() -> None:
    r = run_tf("check", "minutes/2022-01-14-bad-time.md", cwd=BROKEN)
    assert r.code == 1
    assert r.out == (
        "minutes/2022-01-14-bad-time.md:3:7: error [time] 'time' is '9.30', not a time in "
        "HH:MM form (write 09:30)\n"
        "minutes/2022-01-14-bad-time.md:4:11: error [time] 'end_time' is '25:00', not a time "
        "in HH:MM form (write HH:MM, 24-hour)\n"
    )


def test_bundled_minutes_are_clean() -> None:
    r = run_tf("check", "--strict")
    assert (r.code, r.out) == (0, "")
    assert r.err == "tf check: 0 errors, 0 warnings in 1 file\n"


def test_summary_appends_a_table_to_the_step_summary(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("earlier steps\n")
    r = run_tf("check", "--summary", cwd=BROKEN, env={"GITHUB_STEP_SUMMARY": str(target)})
    assert r.code == 1
    text = target.read_text(encoding="utf-8")
    assert text.startswith("earlier steps\n\n### tf check: 36 errors, 16 warnings in 35 files\n")
    assert_golden(text, "check/summary.md")
    r = run_tf("check", "--summary", cwd=BROKEN)
    assert r.err.endswith(
        "tf check: --summary: $GITHUB_STEP_SUMMARY is not set; no summary written\n"
    )


def test_the_rules_share_one_effective_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule over follow-ups reads the same tracked actions: computed once per check,
    and afresh for the next check (the repo may have changed in between)."""
    from datetime import date

    from tfcli import action_rules, check, load

    repo = load.load_repo(FIXTURES / "broken")
    real = action_rules.Tracks
    calls: list[int] = []

    def counting(book: object) -> object:
        calls.append(1)
        return real(book)  # type: ignore[arg-type]

    monkeypatch.setattr(action_rules, "Tracks", counting)
    first = check.check(repo, date(2022, 7, 25))
    assert len(calls) == 1
    assert check.check(repo, date(2022, 7, 25)) == first
    assert len(calls) == 2


def test_an_owner_out_of_the_roster_is_located_at_itself(seed_repo: Path) -> None:
    # The warning points at the owner in a list (and at an inline mapping's owner), so that
    # an editor's jump and the annotation land on it, not on column 1 of the line.
    (seed_repo / "minutes" / "2022-07-08-tf.md").write_text(
        "---\nformat: 1\ndate: 2022-07-08\ntitle: T\nactions:\n"
        "  - id: 1\n    text: x\n    owner: [IOM, UNCHR]\n    due: 2022-07-20\n"
        "  - {id: 2, text: y, owner: UNHRC, due: 2022-07-20}\n---\n",
        encoding="utf-8",
    )
    r = run_tf("check", "minutes/2022-07-08-tf.md", cwd=seed_repo)
    assert [line.split(" warning")[0] for line in r.out.splitlines()] == [
        "minutes/2022-07-08-tf.md:8:18:",
        "minutes/2022-07-08-tf.md:10:29:",
    ]
