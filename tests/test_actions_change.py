"""`tf actions done/start/reopen/drop/due`: where the change goes, and that every other byte
of every file stays as it was."""
# ruff: noqa: F811  (the fixtures imported from test_actions_cli are parameters here)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_tf
from test_actions_cli import Tf, tf  # noqa: F401  (fixtures)

DRAFT = "minutes/2022-07-22-anti-trafficking-task-force.md"
JULY8 = "minutes/2022-07-08-anti-trafficking-task-force.md"
SEED = "minutes/2022-06-24-anti-trafficking-task-force.md"
AFTER_LAST_UPDATE = "    note: Waiting for two NGOs\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def assert_only(root: Path, before: dict[str, bytes], changed: dict[str, bytes]) -> None:
    """Every file is byte-identical to `before`, except those in `changed`, which are exactly
    the given bytes."""
    after = snapshot(root)
    assert set(after) == set(before)
    for name, data in after.items():
        assert data == changed.get(name, before[name]), name


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ("done", "2022-06-24/2", "--note", "Sent: 21 July # by e-mail"),
            '  - action: 2022-06-24/2\n    status: done\n    note: "Sent: 21 July # by e-mail"\n',
        ),
        (("start", "2022-07-08/2"), "  - action: 2022-07-08/2\n    status: in-progress\n"),
        # closed in 2022-07-08: the reopening says so (docs/actions.md, update-reopen)
        (
            ("reopen", "2022-06-24/1"),
            "  - action: 2022-06-24/1\n    status: open\n    reopened: true\n",
        ),
        (
            ("drop", "2022-07-08/3", "--note", "Covered by UNICEF"),
            "  - action: 2022-07-08/3\n    status: dropped\n    note: Covered by UNICEF\n",
        ),
        (("due", "2022-07-08/2", "2022-08-01"), "  - action: 2022-07-08/2\n    due: 2022-08-01\n"),
    ],
)
def test_change_goes_to_the_latest_draft_as_an_update(
    tf: Tf, tracker: Path, args: tuple[str, ...], lines: str
) -> None:
    before = snapshot(tracker)
    r = tf("actions", *args, cwd=tracker)
    assert (r.code, r.out) == (0, "")
    draft = before[DRAFT].decode()
    assert_only(
        tracker,
        before,
        {DRAFT: draft.replace(AFTER_LAST_UPDATE, AFTER_LAST_UPDATE + lines).encode()},
    )
    assert r.err.startswith(f"tf actions: {args[1]}: ")
    assert r.err.endswith(
        f"recorded as a follow-up in the draft minutes of 2022-07-22: {DRAFT}:10\n"
    )
    check = tf("check", cwd=tracker)
    assert "[update" not in check.out and "[action-status]" not in check.out


def test_effective_state_after_the_change(tf: Tf, tracker: Path) -> None:
    tf("actions", "done", "2022-06-24/2", "--note", "Sent on 21 July", cwd=tracker)
    tf("actions", "due", "2022-07-08/1", "2022-08-12", cwd=tracker)
    one = json.loads(tf("actions", "show", "2022-06-24/2", "-f", "json", cwd=tracker).out)
    assert (one["status"], one["closed_in"], one["original_status"]) == (
        "done",
        "2022-07-22",
        "open",
    )
    assert [u["meeting"] for u in one["updates"]] == ["2022-07-08", "2022-07-22"]
    # the draft already follows 2022-07-08/1 up (due 2022-07-29): that entry is revised
    two = json.loads(tf("actions", "show", "2022-07-08/1", "-f", "json", cwd=tracker).out)
    assert (two["due"], two["original_due"], two["postponements"]) == (
        "2022-08-12",
        "2022-07-15",
        1,
    )
    assert [(u["meeting"], u["due"]) for u in two["updates"]] == [("2022-07-22", "2022-08-12")]


def test_approved_minutes_are_refused_without_a_later_draft(tf: Tf, seed_repo: Path) -> None:
    before = snapshot(seed_repo)
    r = tf("actions", "done", "2022-06-24/1", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: the minutes of 2022-06-24 are approved and no later meeting is in draft or "
        "circulated to record the change of 2022-06-24/1 in (create the next meeting first "
        "('tf new-meeting'), or pass --in-place to edit the approved minutes on purpose)\n"
    )
    assert_only(seed_repo, before, {})


def test_in_place_on_approved_minutes_when_asked(tf: Tf, seed_repo: Path) -> None:
    before = snapshot(seed_repo)
    r = tf("actions", "done", "2022-06-24/1", "--in-place", "--note", "Sent: 5 July", cwd=seed_repo)
    assert r.code == 0, r.err
    seed = before[SEED].decode()
    old = "    status: open\n    agenda: Welcome remarks\n"
    assert seed.count(old) == 1
    new = '    status: done\n    agenda: Welcome remarks\n    note: "Sent: 5 July"\n'
    assert_only(seed_repo, before, {SEED: seed.replace(old, new).encode()})
    assert r.err == (
        "tf actions: 2022-06-24/1: status done, a note, recorded in place (approved minutes, "
        f"as asked with --in-place): {SEED}:59\n"
    )


def test_in_place_in_own_draft_when_no_later_meeting(tf: Tf, tracker: Path) -> None:
    before = snapshot(tracker)
    r = tf("actions", "due", "2022-07-22/1", "2022-08-19", cwd=tracker)
    assert r.code == 0, r.err
    draft = before[DRAFT].decode().replace("due: 2022-08-05", "due: 2022-08-19")
    assert_only(tracker, before, {DRAFT: draft.encode()})
    r = tf("actions", "start", "2022-07-22/1", cwd=tracker)
    after = draft.replace("due: 2022-08-19\n", "due: 2022-08-19\n    status: in-progress\n")
    assert_only(tracker, before, {DRAFT: after.encode()})
    assert r.err.endswith(f"recorded in place: {DRAFT}:11\n")


COMMENTED = """\
---
format: 1
date: 2022-08-05   # moved from 4 August
title: 'Anti-Trafficking Task Force'
status: circulated
actions:
  - id: 1
    text: "Prepare the evaluation"    # the chairs asked
    owner: chairs
    due: 2022-09-01
updates: []   # nothing yet
# visibility decided on 5 August
visibility: restricted
---

## Item

Body text: kept # as is.
"""


EMPTY = "updates: []   # nothing yet\n"
FILLED = "updates:   # nothing yet\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    ("args", "old", "new"),
    [
        (
            ("done", "2022-07-08/1", "--note", "Mapped: 12 hotlines"),
            EMPTY,
            FILLED + '  - action: 2022-07-08/1\n    status: done\n    note: "Mapped: 12 hotlines"\n',
        ),
        (("start", "2022-07-08/2"), EMPTY, FILLED + "  - action: 2022-07-08/2\n    status: in-progress\n"),
        (("reopen", "2022-06-24/1"), EMPTY, FILLED + "  - action: 2022-06-24/1\n    status: open\n    reopened: true\n"),
        (
            ("drop", "2022-07-08/3", "--note", "- not needed"),
            EMPTY,
            FILLED + '  - action: 2022-07-08/3\n    status: dropped\n    note: "- not needed"\n',
        ),
        (("due", "2022-07-08/2", "2022-08-01"), EMPTY, FILLED + "  - action: 2022-07-08/2\n    due: 2022-08-01\n"),
        # the meeting's own action: no later meeting, minutes circulated -> in place
        (("due", "2022-08-05/1", "2022-09-15"), "due: 2022-09-01\n", "due: 2022-09-15\n"),
        (
            ("done", "2022-08-05/1", "--note", "Evaluated"),
            "due: 2022-09-01\n",
            "due: 2022-09-01\n    status: done\n    note: Evaluated\n",
        ),
    ],
)  # fmt: skip
def test_crlf_bom_and_comments_survive(
    tf: Tf, tracker: Path, newline: str, args: tuple[str, ...], old: str, new: str
) -> None:
    path = tracker / "minutes" / "2022-08-05-anti-trafficking-task-force.md"
    data = b"\xef\xbb\xbf" + COMMENTED.replace("\n", newline).encode()
    path.write_bytes(data)
    before = snapshot(tracker)
    r = tf("actions", *args, cwd=tracker)
    assert r.code == 0, r.err
    assert COMMENTED.count(old) == 1
    edited = COMMENTED.replace(old, new)
    expected = b"\xef\xbb\xbf" + edited.replace("\n", newline).encode()
    assert_only(tracker, before, {str(path.relative_to(tracker)): expected})
    where = "in place" if old != EMPTY else "as a follow-up in the circulated minutes of 2022-08-05"
    assert f"recorded {where}: " in r.err


def test_latest_draft_or_circulated_meeting_wins(tf: Tf, tracker: Path) -> None:
    (tracker / "minutes" / "2022-08-05-x.md").write_text(
        "---\ndate: 2022-08-05\nstatus: circulated\n---\n", encoding="utf-8"
    )
    (tracker / "minutes" / "2022-08-19-x.md").write_text(
        "---\ndate: 2022-08-19\nstatus: approved\n---\n", encoding="utf-8"
    )
    before = snapshot(tracker)
    r = tf("actions", "done", "2022-07-08/3", cwd=tracker)
    assert r.code == 0, r.err
    name = "minutes/2022-08-05-x.md"
    expected = "---\ndate: 2022-08-05\nstatus: circulated\nupdates:\n  - action: 2022-07-08/3\n"
    expected += "    status: done\n---\n"
    assert_only(tracker, before, {name: expected.encode()})


def test_refuses_a_change_a_later_follow_up_would_override(tf: Tf, tracker: Path) -> None:
    before = snapshot(tracker)
    r = tf("actions", "done", "2022-06-24/2", "--in-place", cwd=tracker)
    assert r.code == 2
    assert r.err == (
        "tf: a later follow-up of 2022-06-24/2 in meeting 2022-07-08 (line 10) would still "
        "decide its state, so a change in its own minutes would have no effect (record the "
        "change in a meeting after 2022-07-08, or edit that update)\n"
    )
    # a stale draft older than an approved meeting that already followed the action up
    (tracker / "minutes" / "2022-07-01-x.md").write_text(
        "---\ndate: 2022-07-01\nstatus: draft\n---\n", encoding="utf-8"
    )
    (tracker / "minutes" / "2022-07-22-anti-trafficking-task-force.md").unlink()
    before = snapshot(tracker)
    r = tf("actions", "done", "2022-06-24/2", cwd=tracker)
    assert r.code == 2 and "in meeting 2022-07-08 (line 10) would still decide" in r.err
    assert_only(tracker, before, {})


def test_a_later_note_in_place_joins_the_note_history(tf: Tf, tracker: Path) -> None:
    draft = tracker / DRAFT
    draft.write_text(
        draft.read_text(encoding="utf-8").replace(
            "due: 2022-08-05", "due: 2022-08-05\n    note: Ask OSCE"
        ),
        encoding="utf-8",
    )
    before = snapshot(tracker)
    env = {"TF_TODAY": "2022-07-27"}
    r = tf("actions", "done", "2022-07-22/1", "--note", "Done: see #12", cwd=tracker, env=env)
    assert r.code == 0, r.err
    added = (
        "    note: Ask OSCE\n"
        "    status: done\n"
        "    notes:\n"
        "      - date: 2022-07-27\n"
        '        text: "Done: see #12"\n'
    )
    after = before[DRAFT].decode().replace("    note: Ask OSCE\n", added)
    assert_only(tracker, before, {DRAFT: after.encode()})
    # a third note joins the list, the first two stay as they were
    r = tf("actions", "start", "2022-07-22/1", "--note", "Reopened", cwd=tracker, env=env)
    assert r.code == 0, r.err
    third = added.replace("done", "in-progress") + (
        "      - date: 2022-07-27\n        text: Reopened\n"
    )
    after = before[DRAFT].decode().replace("    note: Ask OSCE\n", third)
    assert_only(tracker, before, {DRAFT: after.encode()})
    shown = tf("actions", "show", "2022-07-22/1", "--today", "2022-07-27", cwd=tracker).out
    assert (
        "Note:           Ask OSCE\nNotes:\n  2022-07-27: Done: see #12\n  2022-07-27: Reopened\n"
        in (shown)
    )


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (("done", "2022-06-24/9"), "tf: no action '2022-06-24/9' (did you mean "),
        (("done", "1"), "tf: action id '1' is ambiguous: it could be 2022-06-24/1, 2022-07-08/1"),
        (("due", "2022-07-08/2", "1 August"), "tf: due date '1 August' is not a date (write YYYY-MM-DD)\n"),
        (("due", "2022-07-08/2", "2022-7-8"), "tf: due date '2022-7-8' is not a date (write 2022-07-08)\n"),
        (("due", "2022-07-08/2", "20220708"), "tf: due date '20220708' is not a date (write YYYY-MM-DD)\n"),
        (("due", "2022-07-08/2", "2022-02-30"), "tf: due date '2022-02-30' is not a real date (check day and month)\n"),
        (("done", "2022-07-08/2", "--note", "  "), "tf: --note must be some text"),
    ],
)  # fmt: skip
def test_unknown_ambiguous_and_bad_input_change_nothing(
    tf: Tf, tracker: Path, args: tuple[str, ...], err: str
) -> None:
    before = snapshot(tracker)
    r = tf("actions", *args, cwd=tracker)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith(err), r.err
    assert_only(tracker, before, {})


def test_no_change_writes_nothing(tf: Tf, tracker: Path) -> None:
    before = snapshot(tracker)
    r = tf("actions", "done", "2022-06-24/1", cwd=tracker)
    assert (r.code, r.err) == (0, "tf actions: 2022-06-24/1 is already done; nothing written\n")
    r = tf("actions", "due", "2022-07-08/1", "2022-07-29", cwd=tracker)
    assert r.err == "tf actions: 2022-07-08/1 is already due 2022-07-29; nothing written\n"
    assert_only(tracker, before, {})


def test_change_through_the_real_entry_point(tracker: Path) -> None:
    before = snapshot(tracker)
    r = run_tf("actions", "done", "2022-07-08/2", "--note", "Circulated", cwd=tracker)
    assert r.code == 0, r.err
    lines = "  - action: 2022-07-08/2\n    status: done\n    note: Circulated\n"
    draft = before[DRAFT].decode().replace(AFTER_LAST_UPDATE, AFTER_LAST_UPDATE + lines)
    assert_only(tracker, before, {DRAFT: draft.encode()})
    assert not list((tracker / "minutes").glob(".*"))  # no temp file left behind


def test_a_failed_write_is_an_answer_not_a_traceback(
    tf: Tf, tracker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tfcli import write

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write.os, "replace", refuse)  # the rename that publishes the edit
    before = snapshot(tracker)
    r = tf("actions", "done", "2022-07-08/2", cwd=tracker)
    assert (r.code, r.err) == (
        3,
        f"tf: cannot write {DRAFT}: Permission denied; nothing was changed\n",
    )
    assert_only(tracker, before, {})


# -- follow-ups already in the meeting (pre-filled by tf new-meeting) --------------------------

NEW = "minutes/2022-07-08-anti-trafficking-task-force.md"
CHOICES = "  # open so far; empty = no change, or in-progress | done | dropped\n"
PREFILLED = "  - action: 2022-06-24/{n}  # {text}\n    status:" + CHOICES
TEXTS = {
    1: "Share OSCE and Council of Europe recommendations on TiP",
    2: "Send the Action Plan with integrated recommendations on TiP",
}


def prefilled(n: int) -> str:
    return PREFILLED.format(n=n, text=TEXTS[n])


def test_a_pre_filled_follow_up_is_changed_not_repeated(tf: Tf, seed_repo: Path) -> None:
    assert tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo).code == 0
    before = snapshot(seed_repo)
    new = before[NEW].decode()
    assert new.count(prefilled(1)) == 1 and new.count(prefilled(2)) == 1
    r = tf("actions", "done", "2022-06-24/1", "--note", "x", cwd=seed_repo)
    assert r.code == 0, r.err
    one = prefilled(1).replace("status:  #", "status: done  #") + "    note: x\n"
    assert_only(seed_repo, before, {NEW: new.replace(prefilled(1), one).encode()})
    line = new[: new.index(prefilled(1))].count("\n") + 1
    assert r.err == (
        "tf actions: 2022-06-24/1: status done, a note, recorded in its follow-up in the draft "
        f"minutes of 2022-07-08: {NEW}:{line}\n"
    )
    # start, due and done: still the one entry, every value replaced within its line
    for args in (("start",), ("due", "2022-07-22"), ("done",)):
        assert tf("actions", args[0], "2022-06-24/2", *args[1:], cwd=seed_repo).code == 0
    two = prefilled(2).replace("status:  #", "status: done  #") + "    due: 2022-07-22\n"
    assert_only(seed_repo, before, {NEW: new.replace(prefilled(1), one).replace(prefilled(2), two).encode()})  # fmt: skip
    check = tf("check", cwd=seed_repo)
    assert "update-duplicate" not in check.out and "[update" not in check.out


def test_a_later_note_of_a_follow_up_is_kept_with_the_first(tf: Tf, seed_repo: Path) -> None:
    """Issue 8.5: `start --note X` then `done --note Y` keeps both, Y dated."""
    assert tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo).code == 0
    assert tf("actions", "start", "2022-06-24/1", "--note", "Draft sent", cwd=seed_repo).code == 0
    before = snapshot(seed_repo)
    env = {"TF_TODAY": "2022-07-05"}
    r = tf("actions", "done", "2022-06-24/1", "--note", "Sent", cwd=seed_repo, env=env)
    assert r.code == 0, r.err
    started = before[NEW].decode()
    entry = started[started.index("  - action: 2022-06-24/1") :]
    entry = entry[: entry.index("  - action: 2022-06-24/2")]
    done = entry.replace("status: in-progress", "status: done").replace(
        "    note: Draft sent\n",
        "    note: Draft sent\n    notes:\n      - date: 2022-07-05\n        text: Sent\n",
    )
    assert "status: in-progress" in entry and done != entry
    assert_only(seed_repo, before, {NEW: started.replace(entry, done).encode()})
    data = json.loads(
        tf("actions", "show", "2022-06-24/1", "--format", "json", cwd=seed_repo, env=env).out
    )
    [u] = data["updates"]
    assert (u["status"], u["note"], u["notes"]) == (
        "done",
        "Draft sent",
        [{"date": "2022-07-05", "text": "Sent"}],
    )


def test_the_last_of_duplicate_follow_ups_is_changed(tf: Tf, tracker: Path) -> None:
    draft = tracker / DRAFT
    text = draft.read_text(encoding="utf-8")
    extra = "  - action: 2022-07-08/1\n    status: open\n"
    draft.write_text(text.replace(AFTER_LAST_UPDATE, AFTER_LAST_UPDATE + extra), encoding="utf-8")
    before = snapshot(tracker)
    assert tf("actions", "start", "2022-07-08/1", cwd=tracker).code == 0
    done = before[DRAFT].decode().replace(extra, extra.replace("open", "in-progress"))
    assert_only(tracker, before, {DRAFT: done.encode()})


def test_a_follow_up_on_one_line_is_refused_not_reformatted(tf: Tf, tracker: Path) -> None:
    draft = tracker / DRAFT
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace(AFTER_LAST_UPDATE, AFTER_LAST_UPDATE + "  - {action: 2022-06-24/2}\n"), encoding="utf-8")  # fmt: skip
    before = snapshot(tracker)
    r = tf("actions", "done", "2022-06-24/2", cwd=tracker)
    assert (r.code, r.err) == (
        3,
        f"tf: tf cannot edit {DRAFT} safely: the entry on line 10 is not written as 'key: value' "
        "lines; nothing was written (edit by hand)\n",
    )
    assert_only(tracker, before, {})
