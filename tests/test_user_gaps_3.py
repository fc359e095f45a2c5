"""Rough edges a coordinator or a CI maintainer met in a new-user trial: text YAML drops as a
comment (`title: Meeting #5`), render and actions over minutes with errors, hints that point
at the wrong id, column or key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_FILE, Tf

from tfcli import comments

NAME = f"minutes/{SEED_FILE}"


def _edit(repo: Path, old: str, new: str) -> int:
    """Replace `old` (once) in the seed meeting; the line number where `new` starts."""
    path = repo / NAME
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    return text[: text.index(old)].count("\n") + 1


# -- 1. text after ` #` that YAML read as a comment --------------------------------------------

SPACE = "if it is a comment, put a space after '#'"


def test_check_warns_where_a_comment_cut_a_plain_text(tf: Tf, seed_repo: Path) -> None:
    title = _edit(seed_repo, "title: Anti-Trafficking Task Force\n", "title: Meeting #5\n")
    item = _edit(seed_repo, "  - Wrap-up\n", "  - Wrap-up of items #3 and #4\n")
    text = _edit(
        seed_repo,
        "    text: Share OSCE and Council of Europe recommendations on TiP\n",
        "    text: Share the list #urgent   # as agreed\n",
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        0,
        f"{NAME}:{title}:16: warning [comment] '#5' is read as a YAML comment and left out: "
        "the value is 'Meeting' (if '#5' belongs to the text, quote the value: "
        f'title: "Meeting #5"; {SPACE})\n'
        f"{NAME}:{item}:22: warning [comment] '#3 and #4' is read as a YAML comment and left "
        "out: the value is 'Wrap-up of items' (if '#3 and #4' belongs to the text, quote the "
        f'value: - "Wrap-up of items #3 and #4"; {SPACE})\n'
        f"{NAME}:{text}:26: warning [comment] '#urgent   # as agreed' is read as a YAML comment "
        "and left out: the value is 'Share the list' (if '#urgent   # as agreed' belongs to "
        f'the text, quote the value: text: "Share the list #urgent   # as agreed"; {SPACE})\n',
    )
    assert tf("check", "--strict", NAME, cwd=seed_repo).code == 1


@pytest.mark.parametrize(
    "text",
    [
        "title: Meeting  # the fifth\n",  # a comment written as one
        "# a line of comment #5\ntitle: Meeting\n",
        "  # indented #5\ntitle: Meeting\n",
        'title: "Meeting" #5\n',
        "title: 'Meeting' #5\n",
        "date: 2022-07-08 #moved\n",  # not text
        "id: 3 #was-4\n",
        "flag: true #x\n",
        "title: C# for beginners\n",  # no space before '#': text
        "text: |\n  Share #5 now\n",  # a block text: '#' is text
        "title: Budget #\n",
        "agenda:\n  - 'Quoted #7' #8\n",
        "agenda: #items\n  - a\n",  # a block below is the value
        "agenda: #items\n- a\n",
        "agenda:\n  - #3\n    - sub\n",
        "agenda:\n  - #3\n    title: x\n",
        "title: #5 meeting\n",  # `[empty]` says so
    ],
)
def test_plain_comments_and_other_values_stay_silent(text: str) -> None:
    assert comments.lost_text(text) == []


def test_a_value_that_is_all_comment_is_told_empty() -> None:
    got = comments.lost_text(
        "agenda:\n  - #3 Updates\n  - Welcome\ndecisions:\n  - #5 agreed\n"
        "actions:\n  - id: 1\n    text: #urgent share\n    owner: IOM\nnotes: #x\n",
        line_offset=1,
    )
    assert [(e.line, e.col, e.message, e.hint) for e in got] == [
        (
            3 + i,
            col,
            f"'{lost}' is read as a YAML comment and left out: the value is empty",
            f"if '{lost}' is the text, quote it: \"{lost}\"; {SPACE}",
        )
        for i, col, lost in [(0, 5, "#3 Updates"), (3, 5, "#5 agreed"), (6, 11, "#urgent share"),
                             (8, 8, "#x")]
    ]  # fmt: skip


def test_a_multiline_plain_text_and_its_place() -> None:
    (e,) = comments.lost_text("notes: the first line\n  and the second #2\n", line_offset=1)
    assert (e.line, e.col, e.message) == (
        3,
        18,
        "'#2' is read as a YAML comment and left out: the value is 'the first line and the second'",
    )
    assert e.hint == (
        "if '#2' belongs to the text, quote the value: \"the first line and the second #2\"; "
        + SPACE
    )


def test_a_value_with_double_quotes_is_quoted_with_single_ones() -> None:
    (e,) = comments.lost_text('title: The "plan" #2\n')
    assert e.hint is not None and e.hint.startswith(
        "if '#2' belongs to the text, quote the value: title: 'The \"plan\" #2';"
    )


# -- 2. render and actions over minutes with errors ---------------------------------------------

USED = f"tf: warning: 2 errors in 1 file, used as read: {NAME}; run 'tf check'\n"


def _two_errors(repo: Path) -> None:
    _edit(repo, "  - id: 2\n", "  - id: 1\n")  # the same action id twice
    _edit(
        repo,
        "    due: 2022-07-08\n    status: open\n    agenda: Welcome",
        "    due: 2022-13-45\n    status: open\n    agenda: Welcome",
    )


def test_actions_and_render_say_which_files_with_errors_they_use(
    tf: Tf, seed_repo: Path, tmp_path: Path
) -> None:
    _two_errors(seed_repo)
    r = tf("actions", "--today", "2022-07-01", cwd=seed_repo)
    assert (r.code, r.err) == (
        0,
        USED + "tf actions: 2 actions, 0 overdue (today 2022-07-01)\n",
    )
    assert tf("actions", "--today", "2022-07-01", cwd=seed_repo).err.startswith(USED)  # warm
    r = tf("actions", "--format", "json", "--today", "2022-07-01", cwd=seed_repo)
    assert (r.code, r.err.startswith(USED)) == (0, True)
    r = tf("render", "--out", str(tmp_path / "site"), cwd=seed_repo)
    assert (r.code, r.err.startswith(USED)) == (0, True)


# -- 3. the id to add is a free one --------------------------------------------------------------


def test_a_missing_action_id_gets_the_first_free_one(tf: Tf, seed_repo: Path) -> None:
    line = _edit(
        seed_repo,
        "decisions:\n",
        "  - id: 4\n    text: Third\n    owner: IOM\n    due: 2022-07-08\n"
        "  - text: Fourth\n    owner: IOM\n    due: 2022-07-08\ndecisions:\n",
    )
    r = tf("check", NAME, cwd=seed_repo)
    assert (r.code, r.out) == (
        1,
        f"{NAME}:{line + 4}:5: error [action-id] action has no 'id' (add 'id: 3': short, "
        "unique in this meeting, never renumbered)\n",
    )


# -- 4. a deadline in words is pointed at where it is written -------------------------------------


def test_due_words_point_at_the_value_in_actions_and_follow_ups(tf: Tf, tracker: Path) -> None:
    later = tracker / "minutes" / "2022-07-22-anti-trafficking-task-force.md"
    later.write_text(
        later.read_text("utf-8").replace("    due: 2022-07-29\n", "    due: when the funds come\n")
    )
    r = tf("check", "--today", "2022-07-25", "minutes/2022-07-22-anti-trafficking-task-force.md",
           cwd=tracker)  # fmt: skip
    (line,) = [x for x in r.out.splitlines() if "[due-words]" in x]
    assert line.startswith(
        "minutes/2022-07-22-anti-trafficking-task-force.md:8:10: info [due-words] deadline "
        "'when the funds come' of 2022-07-08/1 is kept as written"
    )


# -- 6. a bracket left open where a person goes ---------------------------------------------------


def test_a_bracket_left_open_in_a_person_is_told(tf: Tf, seed_repo: Path) -> None:
    _edit(seed_repo, "chair:\n  name: Diana Doros\n", "chair:\n  name: Diana Doros (State\n")
    line = _edit(seed_repo, "    - UNHCR\n    - IOM\n", "    - UNHCR\n    - IOM)\n")
    owner = _edit(seed_repo, "    owner: chairs\n    due: 2022-07-08\n    status: open\n    agenda: Welcome",
                  "    owner: Ana Popescu (IOM\n    due: 2022-07-08\n    status: open\n    agenda: Welcome")  # fmt: skip
    r = tf("check", NAME, cwd=seed_repo)
    one = "it is read as one name, not as 'Name (Organisation)'"
    brackets = "".join(x for x in r.out.splitlines(keepends=True) if "[bracket]" in x)
    assert (r.code, brackets) == (
        0,
        f"{NAME}:7:9: warning [bracket] 'Diana Doros (State' has a '(' that is not closed: "
        f"{one} (close it: 'Diana Doros (State)')\n"
        f"{NAME}:{line + 1}:7: warning [bracket] 'IOM)' has a ')' that no '(' opens: {one} "
        "(remove the ')', or add the '(' it closes)\n"
        f"{NAME}:{owner}:12: warning [bracket] 'Ana Popescu (IOM' has a '(' that is not "
        f"closed: {one} (close it: 'Ana Popescu (IOM)')\n",
    )


# -- 7. --out as typed ------------------------------------------------------------------------------


def test_render_names_out_as_typed(tf: Tf, seed_repo: Path) -> None:
    r = tf("render", "--out", "/", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: --out / would write into or around the minutes folder (choose a folder of its "
        "own, such as _site)\n",
    )
    (seed_repo / "busy").mkdir()
    (seed_repo / "busy" / "x").write_text("x")
    r = tf("render", "--out", "busy/", cwd=seed_repo)
    assert r.err.startswith("tf: --out busy is a folder tf render did not make")


# -- 8. an unknown action id before the date typed after it ----------------------------------------


def test_due_of_an_unknown_action_names_the_id_first(tf: Tf, seed_repo: Path) -> None:
    r = tf("actions", "due", "2022-06-24/9", "tomorrow", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: no action '2022-06-24/9' (did you mean 2022-06-24/2 or 2022-06-24/1?)\n",
    )
    r = tf("actions", "due", "2022-06-24/1", "tomorrow", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: due date 'tomorrow' is not a date (write YYYY-MM-DD, or words such as 'next "
        "meeting', 'end of month', 'ongoing')\n",
    )


def test_a_suggested_action_id_is_named_once(tf: Tf, seed_repo: Path) -> None:
    _edit(seed_repo, "  - id: 2\n", "  - id: 1\n")
    r = tf("actions", "done", "2022-06-24/3", cwd=seed_repo)
    assert r.err.endswith("tf: no action '2022-06-24/3' (did you mean 2022-06-24/1?)\n")


# -- 9. an empty listing says so in words --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "open action points"),
        (("--overdue",), "overdue action points"),
        (("--status", "dropped"), "action points with status dropped"),
        (("--all", "--search", "zzz"), "action points matching 'zzz'"),
        (("--due-within", "3", "--owner", "IOM"), "open action points due within 3 days of IOM"),
        (("--meeting", "2022-06-24", "--status", "dropped"),
         "action points with status dropped from meeting 2022-06-24"),
    ],
)  # fmt: skip
def test_an_empty_table_says_what_it_has_none_of(
    tf: Tf, seed_repo: Path, args: tuple[str, ...], words: str
) -> None:
    _edit(seed_repo, "due: 2022-07-08\n    status: open\n    agenda: Welcome",
          "due: 2022-07-08\n    status: done\n    agenda: Welcome")  # fmt: skip
    _edit(seed_repo, "due: 2022-07-08\n    status: open\n    agenda: Intro",
          "due: 2022-07-08\n    status: done\n    agenda: Intro")  # fmt: skip
    for _ in range(2):  # cold, then warm
        r = tf("actions", "--today", "2022-07-01", *args, cwd=seed_repo)
        assert (r.code, r.out, r.err) == (
            0,
            "ID  Due  When  Status  Owner  Text  Meeting\n",
            f"tf actions: no {words} (today 2022-07-01)\n",
        )


def test_an_empty_json_or_csv_listing_keeps_its_form(tf: Tf, seed_repo: Path) -> None:
    count = "tf actions: no overdue action points of OSCE (today 2023-01-01)\n"
    r = tf("actions", "--overdue", "--today", "2023-01-01", "--owner", "OSCE", "-f", "json",
           cwd=seed_repo)  # fmt: skip
    assert (r.code, r.out, r.err) == (0, "[]\n", count)
    r = tf("actions", "--overdue", "--today", "2023-01-01", "--owner", "OSCE", "-f", "csv",
           cwd=seed_repo)  # fmt: skip
    assert (r.code, r.out.count("\n"), r.out.startswith("id,"), r.err) == (0, 1, True, count)
