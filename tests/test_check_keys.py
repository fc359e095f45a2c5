"""`.tf/check` kept per key (tfcli.check_cache): after a front-matter edit only the actions the
changed file names (then and now) are followed again, and the answer is the one every rule
run over every row gives (`TF_INDEX=off`), whatever the edits: follow-ups added, removed,
retargeted, reopened; ids changed; actions moved between files; files renamed, added,
removed, made invalid and mended; lines moved; body tables; deadlines in words (the
action's, a follow-up's; a next meeting agreed); endorsements; another day."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_check_cache import _problems, _repo

from tfcli import action_rules, check, check_cache
from tfcli.rows import Book

TODAY = date(2022, 7, 25)
DAYS = [f"2022-{6 + i // 3:02d}-{3 + 9 * (i % 3):02d}" for i in range(9)]  # 2022-06-03...
STATUSES = [None, "open", "in-progress", "done", "dropped"]
DUES = [None, "2022-08-01", "next meeting", "some day", "ASAP"]
LOCAL = ["1", "2", "3"]


def _meetings(n: int) -> list[dict[str, Any]]:
    """`n` meetings that follow each other's actions up: most rules have something to say."""
    out: list[dict[str, Any]] = []
    for i in range(n):
        day = DAYS[i % len(DAYS)]
        m: dict[str, Any] = {
            "name": f"{day}-m{i}.md",
            "front": {"date": day, "status": ["draft", "circulated", "approved"][i % 3]},
            "actions": [
                # The first due "next meeting": dated by the meetings after its own.
                {
                    "id": int(k),
                    "text": f"Do {k}",
                    "owner": "IOM",
                    "due": "next meeting" if k == "1" else "2022-07-01",
                }
                for k in LOCAL[: 1 + i % 3]
            ],
            "updates": [],
            "table": [],
        }
        if i:
            prev = out[i - 1]
            m["front"]["previous"] = {"meeting": prev["front"]["date"], "endorsed": True}
            m["updates"] = [{"action": f"{prev['front']['date']}/1", "status": "done"}]
            if i > 1:  # closed by the meeting before: a silent reopen
                m["updates"].append(
                    {"action": f"{out[i - 2]['front']['date']}/1", "status": "open"}
                )
            m["table"] = [(f"{prev['front']['date']}/1", "open")]
        out.append(m)
    return out


def _text(m: dict[str, Any]) -> str:
    if m.get("broken"):  # invalid YAML: the file's rows are gone until it is mended
        return "---\ndate: [2022-06-03\n---\nMinutes.\n"
    front = {**m["front"], "actions": m["actions"], "updates": m["updates"]}
    if not front["actions"]:
        del front["actions"]
    if not front["updates"]:
        del front["updates"]
    body = "Minutes.\n"
    if m["table"]:
        body += "\n| Action | Status |\n|---|---|\n"
        body += "".join(f"| {a} | {s} |\n" for a, s in m["table"])
    return "---\n" + m.get("comment", "") + yaml.safe_dump(front, sort_keys=False) + "---\n" + body


def _write(root: Path, meetings: list[dict[str, Any]]) -> None:
    folder = root / "minutes"
    wanted = {m["name"]: _text(m) for m in meetings}
    for f in folder.glob("*.md"):
        if f.name not in wanted:
            f.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def _target(meetings: list[dict[str, Any]], n: int) -> str:
    ids = [
        f"{m['front'].get('id', m['front']['date'])}/{a['id']}"
        for m in meetings
        for a in m["actions"]
    ]
    return [*ids, "2022-06-10/9", "nowhere/1"][n % (len(ids) + 2)]


def _edit(meetings: list[dict[str, Any]], how: str, n: int, k: int) -> None:
    """One edit of the model `meetings` (`n`, `k`: which meeting, action, value...)."""
    if not meetings:
        return
    m = meetings[n % len(meetings)]
    other = meetings[k % len(meetings)]
    ups, acts = m["updates"], m["actions"]
    if how == "add follow-up":
        up: dict[str, Any] = {"action": _target(meetings, k)}
        if STATUSES[k % 5]:
            up["status"] = STATUSES[k % 5]
        if DUES[(k // 5) % 5]:
            up["due"] = DUES[(k // 5) % 5]
        if k % 7 == 0:
            up["reopened"] = True
        ups.insert(k % (len(ups) + 1), up)
    elif how == "remove follow-up" and ups:
        ups.pop(k % len(ups))
    elif how == "retarget" and ups:
        ups[k % len(ups)]["action"] = _target(meetings, k // 3)
    elif how == "status" and acts:
        a = acts[k % len(acts)]
        a.pop("status", None)
        if STATUSES[k % 5]:
            a["status"] = STATUSES[k % 5]
    elif how == "due" and acts:
        acts[k % len(acts)]["due"] = DUES[k % 5] or "2022-07-01"
    elif how == "action id" and acts:
        acts[k % len(acts)]["id"] = [1, 2, 3, 4, "x"][k % 5]
    elif how == "meeting id":
        if k % 3 == 0:
            m["front"].pop("id", None)
        else:
            m["front"]["id"] = other["front"].get("id", other["front"]["date"])
    elif how == "date":
        m["front"]["date"] = DAYS[k % len(DAYS)]
    elif how == "meeting status":
        m["front"]["status"] = ["draft", "circulated", "approved"][k % 3]
        if k % 2:
            m["front"]["silence_until"] = DAYS[k % len(DAYS)]
    elif how == "move action" and acts and other is not m:
        other["actions"].append(acts.pop(k % len(acts)))
    elif how == "rename":
        m["name"] = f"{m['front']['date']}-r{k}.md"
        if any(x is not m and x["name"] == m["name"] for x in meetings):
            m["name"] = f"{m['front']['date']}-r{k}-{n}.md"
    elif how == "comment":  # every line below moves; no value changes
        m["comment"] = m.get("comment", "") + f"# note {k}\n"
    elif how == "swap" and len(ups) > 1:  # two follow-ups change places (and lines)
        ups[0], ups[-1] = ups[-1], ups[0]
    elif how == "table":
        m["table"] = [*m["table"], (_target(meetings, k), ["open", "done", "closed"][k % 3])]
    elif how == "add":
        day = DAYS[k % len(DAYS)]
        meetings.append(
            {
                "name": f"{day}-n{n}-{k}.md",
                "front": {"date": day},
                "actions": [{"id": 1, "text": "New", "owner": "IOM", "due": "next meeting"}],
                "updates": [{"action": _target(meetings, k), "status": "done"}],
                "table": [],
            }
        )
    elif how == "remove" and len(meetings) > 1:
        meetings.remove(m)
    elif how == "previous":  # the lifecycle rules: endorsement of another meeting's minutes
        m["front"].pop("previous", None)
        if k % 4:
            named = other["front"].get("id", other["front"]["date"]) if k % 4 > 1 else "2022-06-04"
            m["front"]["previous"] = {"meeting": named, "endorsed": bool(k % 2)}
    elif how == "next meeting":  # dates a "next meeting" deadline of the newest minutes
        m["front"].pop("next_meeting", None)
        if k % 3:
            m["front"]["next_meeting"] = {"date": [*DAYS, "2022-10-01"][k % (len(DAYS) + 1)]}
    elif how == "follow-up words" and ups:  # a follow-up's deadline in words, or none
        u = ups[k % len(ups)]
        u.pop("due", None)
        if DUES[k % 5]:
            u["due"] = DUES[k % 5]
    elif how == "reopened" and ups:
        u = ups[k % len(ups)]
        if u.pop("reopened", None) is None:
            u["reopened"] = True
    elif how == "invalid":  # the file stops (or starts again) being read
        m["broken"] = not m.get("broken")


EDITS = [
    "add follow-up", "remove follow-up", "retarget", "status", "due", "action id", "meeting id",
    "date", "meeting status", "move action", "rename", "comment", "swap", "table", "add",
    "remove", "previous", "next meeting", "follow-up words", "reopened", "invalid",
]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(2, 6),
    edits=st.lists(
        st.tuples(st.sampled_from(EDITS), st.integers(0, 50), st.integers(0, 200), st.booleans()),
        min_size=1,
        max_size=6,
    ),
)
def test_after_any_front_matter_edits_the_same_problems_as_without_an_index(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
    edits: list[tuple[str, int, int, bool]],
) -> None:
    root = tmp_path / "repo"
    shutil.rmtree(root, ignore_errors=True)
    _repo(root, {})
    meetings = _meetings(size)
    _write(root, meetings)
    _problems(root, monkeypatch, "on", TODAY)
    for how, n, k, later in edits:
        _edit(meetings, how, n, k)
        _write(root, meetings)
        today = date(2022, 8, 30) if later else TODAY
        expected = _problems(root, monkeypatch, "off", today)
        assert _problems(root, monkeypatch, "on", today) == expected, how
        assert _problems(root, monkeypatch, "on", today) == expected, how  # from .tf/check


class Scopes:
    """What the rules were run for: the action ids of each Tracks made, and how many times the
    rules about meetings ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ids: list[set[str] | None] = []
        self.meetings = 0
        real = action_rules.Tracks
        first = check.CACHED_RULES[0]

        def tracks(book: Book) -> Any:
            scope = book.cache.get("scope")
            self.ids.append(None if scope is None else set(scope))  # type: ignore[call-overload]
            return real(book)

        def counted(book: Book, today: date) -> Any:
            self.meetings += 1
            return first(book, today)

        monkeypatch.setattr(action_rules, "Tracks", tracks)
        monkeypatch.setattr(check, "CACHED_RULES", [counted, *check.CACHED_RULES[1:]])

    def again(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> list[set[str] | None]:
        """The scopes of a check with the index (which says what one without says)."""
        expected = _problems(root, monkeypatch, "off", TODAY)
        self.ids, self.meetings = [], 0
        assert _problems(root, monkeypatch, "on", TODAY) == expected
        return self.ids


def test_a_front_matter_edit_follows_only_the_actions_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path / "repo", {})
    meetings = _meetings(8)
    for m in meetings[3:]:  # (a table naming an action is run again with it: see below)
        m["table"] = []
    _write(root, meetings)
    scopes = Scopes(monkeypatch)
    first = _problems(root, monkeypatch, "on", TODAY)
    assert scopes.ids == [None] and scopes.meetings == 1  # a whole run
    assert {p.rule for p in first} >= {"update-reopen", "body-status"}
    # A comment line at the top of one meeting's front matter: its rows' lines move.
    meetings[5]["comment"] = "# checked\n"
    _write(root, meetings)
    assert scopes.again(root, monkeypatch) == [
        {"2022-07-21/1", "2022-07-21/2", "2022-07-21/3", "2022-07-12/1", "2022-07-03/1"}
    ]  # its own actions and those it follows up, then and now: no other
    assert scopes.meetings == 0  # no header changed: the rules about meetings kept theirs
    # A follow-up added to the newest meeting: its target and the meeting's own.
    meetings[-1]["updates"].append({"action": "2022-07-12/2", "note": "again"})
    _write(root, meetings)
    assert scopes.again(root, monkeypatch) == [
        {"2022-08-12/1", "2022-08-12/2", "2022-08-03/1", "2022-07-21/1", "2022-07-12/2"}
    ]
    # A table naming an action: the table's file and the actions it names are run again.
    meetings[2]["table"].append(("2022-07-21/2", "done"))
    _write(root, meetings)
    assert scopes.again(root, monkeypatch) == [
        {"2022-06-21/1", "2022-06-21/2", "2022-06-21/3", "2022-06-12/1", "2022-06-03/1"}
        | {"2022-07-21/2"}  # named in the table
        | {"2022-06-12/2"}  # of the meeting whose table names 2022-06-12/1, one of these
    ]
    # Another date: the header changed; the rules about meetings run again.
    meetings[4]["front"]["date"] = "2022-07-13"
    _write(root, meetings)
    scopes.again(root, monkeypatch)
    assert scopes.meetings == 1


@pytest.mark.parametrize("how", ["deleted", "foreign", "garbage", "one damaged"])
def test_damaged_facts_make_a_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """`.tf/check-facts` missing, of another answer, or damaged: the rules run whole."""
    import marshal

    from tfcli import index

    root = _repo(tmp_path / "repo", {})
    meetings = _meetings(5)
    _write(root, meetings)
    _problems(root, monkeypatch, "on", TODAY)
    facts = root / ".tf" / check_cache.FACTS
    data = facts.read_bytes()
    head = index._HEADER.size
    if how == "deleted":
        facts.unlink()
    elif how == "foreign":
        facts.write_bytes(data[:head] + marshal.dumps((b"12345678", marshal.loads(data[head:])[1])))
    elif how == "garbage":
        facts.write_bytes(data[:head] + b"\x00garbage")
    else:
        token, known = marshal.loads(data[head:])
        known[2] = b"\x00"
        facts.write_bytes(data[:head] + marshal.dumps((token, known)))
    meetings[2]["updates"] = []
    _write(root, meetings)
    scopes = Scopes(monkeypatch)
    expected = _problems(root, monkeypatch, "off", TODAY)
    scopes.ids.clear()
    assert _problems(root, monkeypatch, "on", TODAY) == expected
    assert None in scopes.ids  # the facts of the changed file unknown: every action again
    assert _problems(root, monkeypatch, "on", TODAY) == expected


def _check_both(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The problems with the index (from the kept answer, and again) and without: the same."""
    got = _problems(root, monkeypatch, "on", TODAY)
    assert got == _problems(root, monkeypatch, "off", TODAY)
    assert _problems(root, monkeypatch, "on", TODAY) == got
    return got


def test_a_moved_line_of_a_follow_up_is_reported_where_it_is_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two keys of a follow-up swapped: its row is the same (it starts on the same line), the
    line of its `status:` is not. Its action is followed again: the problem names the line."""
    root = _repo(tmp_path / "repo", {})
    (root / "minutes" / "2022-06-03-a.md").write_text(
        "---\ndate: 2022-06-03\nactions:\n  - {id: 1, text: T, owner: IOM, due: 2022-07-01,"
        " status: done}\n---\n"
    )
    later = root / "minutes" / "2022-06-10-b.md"
    text = "---\ndate: 2022-06-10\nupdates:\n  - action: 2022-06-03/1\n{}---\n"
    later.write_text(text.format("    note: n\n    status: open\n"))
    before = _check_both(root, monkeypatch)
    assert [(p.rule, p.line) for p in before] == [("update-reopen", 6)]
    later.write_text(text.format("    status: open\n    note: n\n"))
    assert [(p.rule, p.line) for p in _check_both(root, monkeypatch)] == [("update-reopen", 5)]


def test_a_later_meeting_dates_a_next_meeting_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "next meeting" in the newest minutes cannot be dated (a note); once a later meeting is
    added it can: the note goes, though the action's own file has not changed."""
    root = _repo(tmp_path / "repo", {})
    (root / "minutes" / "2022-06-03-a.md").write_text(
        "---\ndate: 2022-06-03\nactions:\n  - {id: 1, text: T, owner: IOM, due: next meeting}\n---\n"
    )
    assert [p.rule for p in _check_both(root, monkeypatch)] == ["due-words"]
    (root / "minutes" / "2022-06-10-b.md").write_text("---\ndate: 2022-06-10\n---\n")
    assert _check_both(root, monkeypatch) == []


def test_a_table_of_a_meeting_without_actions_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path / "repo", {})
    (root / "minutes" / "2022-06-03-a.md").write_text(
        "---\ndate: 2022-06-03\nactions:\n  - {id: 1, text: T, owner: IOM, due: 2022-07-01}\n---\n"
    )
    table = root / "minutes" / "2022-06-10-b.md"
    text = "---\ndate: 2022-06-10\n---\n| Action | Status |\n|---|---|\n| 2022-06-03/1 | {} |\n"
    table.write_text(text.format("open"))
    assert _check_both(root, monkeypatch) == []
    table.write_text(text.format("done"))
    assert [p.rule for p in _check_both(root, monkeypatch)] == ["body-status"]
    table.write_text(text.format("open"))
    assert _check_both(root, monkeypatch) == []


def test_problems_that_tie_are_in_the_order_a_whole_run_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two follow-ups on one line, of unknown actions: two problems with one place and rule,
    in the order they are found. An edit that follows them again runs every rule."""
    root = _repo(tmp_path / "repo", {})
    first = root / "minutes" / "2022-06-03-a.md"
    text = "---\ndate: 2022-06-03\nactions:\n  - {{id: {}, text: T, owner: IOM, due: 2022-07-01}}\n---\n"
    first.write_text(text.format(1))
    (root / "minutes" / "2022-06-10-b.md").write_text(
        "---\ndate: 2022-06-10\nupdates: [{action: 2022-06-03/7}, {action: 2022-06-03/2}]\n---\n"
    )
    got = _check_both(root, monkeypatch)
    assert [(p.line, p.rule) for p in got] == [(3, "update-target")] * 2
    scopes = Scopes(monkeypatch)
    first.write_text(text.format(3))  # another id: every unknown action's suggestion again
    # Run for these actions, then whole: with a scope they might come out the other way round.
    assert scopes.again(root, monkeypatch) == [
        {"2022-06-03/1", "2022-06-03/3", "2022-06-03/7", "2022-06-03/2"},
        None,
    ]
    again = _check_both(root, monkeypatch)
    assert [p.message for p in again] == [p.message for p in got]  # (the hints are new)


def test_a_date_moved_past_the_newest_meeting_dates_its_next_meeting_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest minutes' "next meeting" is a note; another meeting's date moved after them
    dates it, though neither the action's file nor anything it names has changed."""
    root = _repo(tmp_path / "repo", {})
    meetings = _meetings(3)
    _write(root, meetings)
    before = _check_both(root, monkeypatch)
    assert [(p.path, p.rule) for p in before if p.rule == "due-words"] == [
        ("minutes/2022-06-21-m2.md", "due-words")
    ]
    meetings[0]["front"]["date"] = "2022-08-21"
    _write(root, meetings)
    after = _check_both(root, monkeypatch)
    assert [(p.path, p.rule) for p in after if p.rule == "due-words"] == [
        ("minutes/2022-06-03-m0.md", "due-words")
    ]
