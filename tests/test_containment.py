"""The repository is the boundary: folders, links and special files (issue 7, points 6-11),
and the config values that were quietly accepted (points 15, 16)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
import test_actions_cli
from conftest import SEED, SEED_FILE, run_tf
from test_actions_cli import Tf

from tfcli import load
from tfcli.errors import DataError, LoadError
from tfcli.write import replace_atomically

tf = test_actions_cli.tf  # the in-process CLI fixture, shared

OUTSIDE_TEXT = "root:x:0:0:SECRET-ROOT-LINE:/root:/bin/bash\n" * 50
TOP = "tf.yml:1:1"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """tmp/repo (tf.yml, the seed meeting, templates/) beside tmp/outside (a minutes folder
    and a file that must never be read or written)."""
    root = tmp_path / "repo"
    shutil.copytree(SEED, root)
    outside = tmp_path / "outside"
    (outside / "minutes").mkdir(parents=True)
    seed = (SEED / "minutes" / SEED_FILE).read_text()
    (outside / "minutes" / "2022-07-08-x.md").write_text(
        seed.replace("date: 2022-06-24", "date: 2022-07-08", 1)
    )
    (outside / "passwd").write_text(OUTSIDE_TEXT)
    return root


def set_key(root: Path, key: str, value: str) -> int:
    """Set `key: value` in tf.yml (appended when absent); its line number."""
    lines = (root / "tf.yml").read_text().splitlines()
    new = f"{key}: {value}"
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            lines[i] = new
            break
    else:
        lines.append(new)
        i = len(lines) - 1
    (root / "tf.yml").write_text("\n".join(lines) + "\n")
    return i + 1


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- 6: folders named in tf.yml ----------------------------------------------------------------


@pytest.mark.parametrize("key", ["minutes", "templates"])
@pytest.mark.parametrize("value", ["/etc", "..", "../outside/minutes", "link"])
def test_folders_in_tf_yml_must_resolve_inside_the_repo(
    tf: Tf, repo: Path, key: str, value: str
) -> None:
    (repo / "link").symlink_to(repo.parent / "outside" / "minutes")
    line = set_key(repo, key, value)
    before = snapshot(repo.parent / "outside")
    for args in (("check",), ("actions", "done", "2022-07-08/1", "--in-place"), ("list",)):
        r = tf(*args, cwd=repo)
        assert (r.code, r.out) == (3, "")
        what, hint = (
            (
                "a symbolic link to a folder",
                f"move the {key} into the repository instead of linking them",
            )
            if value == "link"
            else (
                "a folder",
                f"name a folder inside the folder holding tf.yml, e.g. '{key}: {key}'",
            )
        )
        assert r.err == (
            f"tf: tf.yml:{line}:{len(key) + 3}: '{key}' is '{value}', {what} outside the "
            f"repository; tf reads and writes nothing there ({hint})\n"
        )
    assert snapshot(repo.parent / "outside") == before


def test_folders_inside_the_repo_work_through_links_too(tf: Tf, repo: Path) -> None:
    (repo / "records").mkdir()
    (repo / "minutes").rename(repo / "records" / "minutes")
    set_key(repo, "minutes", "records/minutes")
    assert tf("check", "--strict", cwd=repo).code == 0
    (repo / "minutes").symlink_to("records/minutes")
    set_key(repo, "minutes", "minutes")
    assert tf("check", "--strict", cwd=repo).code == 0


def test_default_minutes_folder_linked_outside_is_refused(tf: Tf, repo: Path) -> None:
    (repo / "tf.yml").write_text("group: A\n")  # `minutes` by default
    shutil.rmtree(repo / "minutes")
    (repo / "minutes").symlink_to(repo.parent / "outside" / "minutes")
    r = tf("actions", cwd=repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: the minutes folder minutes links to a folder outside the repository; tf reads "
        "nothing there (the repository is the folder holding tf.yml: move the minutes into it)\n"
    )


# -- 7, 10: minutes that are links, special files ----------------------------------------------


def test_unreadable_minutes_are_errors_naming_the_cause(tf: Tf, repo: Path) -> None:
    m = repo / "minutes"
    (m / "2022-07-08-out.md").symlink_to(repo.parent / "outside" / "minutes" / "2022-07-08-x.md")
    (m / "2022-07-09-dangling.md").symlink_to("nowhere.md")
    (m / "2022-07-10-loop.md").symlink_to("2022-07-10-loop.md")
    (m / "2022-07-11-zero.md").symlink_to("/dev/zero")
    os.mkfifo(m / "2022-07-12-fifo.md")
    (m / "2022-07-13-folder.md").symlink_to(repo / "templates")
    r = tf("check", cwd=repo)
    outside = (
        "outside the repository; tf reads nothing there (the repository is the folder holding "
        "tf.yml: copy the file in instead of linking it)"
    )
    regular = "(tf reads only regular files: replace it with the file itself, or remove it)"
    assert r.code == 1
    assert r.out == (
        "minutes/2022-07-08-out.md:1:1: error [unreadable] cannot read file: it is a symbolic "
        f"link to a file {outside}\n"
        "minutes/2022-07-09-dangling.md:1:1: error [unreadable] cannot read file: it is a "
        "symbolic link to a file that does not exist\n"
        "minutes/2022-07-10-loop.md:1:1: error [unreadable] cannot read file: it is a loop of "
        "symbolic links\n"
        "minutes/2022-07-11-zero.md:1:1: error [unreadable] cannot read file: it is a symbolic "
        f"link to a file {outside}\n"
        "minutes/2022-07-12-fifo.md:1:1: error [unreadable] cannot read file: it is a FIFO "
        f"(named pipe), not a regular file {regular}\n"
        "minutes/2022-07-13-folder.md:1:1: error [unreadable] cannot read file: it is a symbolic "
        f"link to a folder, not a regular file {regular}\n"
    )
    assert r.err == "tf check: 6 errors, 0 warnings in 7 files\n"


def test_a_loop_of_links_is_an_answer_from_every_command(tf: Tf, repo: Path) -> None:
    """Path.resolve() raises on a loop: no command may end in an internal error."""
    (repo / "minutes" / "2022-07-10-loop.md").symlink_to("2022-07-10-loop.md")
    loop = "cannot read file: it is a loop of symbolic links"
    r = tf("check", cwd=repo / "templates")  # minutes shown relative to a sibling folder
    assert (r.code, r.out) == (1, f"../minutes/2022-07-10-loop.md:1:1: error [unreadable] {loop}\n")
    r = tf("check", "-f", "github", cwd=repo, env={"GITHUB_WORKSPACE": str(repo)})
    assert (r.code, r.out) == (
        1,
        f"::error file=minutes/2022-07-10-loop.md,line=1,col=1,title=tf unreadable::{loop}\n",
    )
    r = tf("show", "minutes/2022-07-10-loop.md", cwd=repo)
    assert (r.code, r.err.splitlines()[-1]) == (
        2,
        "tf: no meeting 'minutes/2022-07-10-loop.md' (the file could not be read as minutes; "
        "run 'tf check' on it)",
    )


def test_a_link_to_a_folder_is_not_followed_and_says_so(tf: Tf, repo: Path) -> None:
    (repo / "minutes" / "2023").symlink_to(repo.parent / "outside" / "minutes")
    r = tf("check", cwd=repo)
    assert (r.code, r.out) == (
        0,
        "minutes/2023:1:1: warning [not-minutes] not read: a symbolic link to a folder (tf does "
        "not follow them) (move the minutes into the minutes folder instead of linking them)\n",
    )


def test_a_link_to_a_file_outside_is_never_written(tf: Tf, repo: Path) -> None:
    target = repo.parent / "outside" / "minutes" / "2022-07-08-x.md"
    link = repo / "minutes" / "2022-07-08-x.md"
    link.symlink_to(target)
    before = target.read_bytes()
    r = tf("actions", "done", "2022-07-08/1", "--in-place", cwd=repo)
    assert r.code == 2 and "no action '2022-07-08/1'" in r.err  # its meeting was never read
    with pytest.raises(DataError) as e:
        load.read_bytes(link)  # what the editor reads
    assert "outside the repository" in e.value.message
    # the writer's own check, should a link change after it was read
    with pytest.raises(DataError, match="links to a file outside the repository"):
        replace_atomically(link, b"x", before)
    assert target.read_bytes() == before and link.is_symlink()


def test_a_link_inside_the_repo_is_followed_and_edited_at_its_target(tf: Tf, repo: Path) -> None:
    (repo / "archive").mkdir()
    real = repo / "archive" / "x.md"
    shutil.copy(repo.parent / "outside" / "minutes" / "2022-07-08-x.md", real)
    (repo / "minutes" / "2022-07-08-x.md").symlink_to("../archive/x.md")
    r = tf("actions", "done", "2022-07-08/1", "--in-place", cwd=repo)
    assert r.code == 0, r.err
    assert "status: done" in real.read_text()
    assert (repo / "minutes" / "2022-07-08-x.md").is_symlink()


# -- 8: tf.yml and templates linked outside; never a whole file in a message ---------------------


def test_tf_yml_linked_outside_is_refused_unread(tf: Tf, repo: Path) -> None:
    (repo / "tf.yml").unlink()
    (repo / "tf.yml").symlink_to(repo.parent / "outside" / "passwd")
    r = tf("check", cwd=repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        f"tf: {TOP}: cannot read config: it is a symbolic link to a file outside the "
        "repository; tf reads nothing there (the repository is the folder holding tf.yml: copy "
        "the file in instead of linking it)\n"
    )


def test_template_linked_outside_is_refused_unread(tf: Tf, repo: Path) -> None:
    (repo / "templates" / "meeting.md").symlink_to(repo.parent / "outside" / "passwd")
    r = tf("new-meeting", "--date", "2022-07-08", "--dry-run", cwd=repo)
    assert (r.code, r.out) == (3, "")
    assert "SECRET" not in r.err
    assert r.err == (
        "tf: templates/meeting.md: cannot read template: it is a symbolic "
        "link to a file outside the repository; tf reads nothing there (the repository is the "
        "folder holding tf.yml: copy the file in instead of linking it)\n"
    )


def test_messages_quote_a_short_excerpt_never_a_whole_file(tf: Tf, repo: Path) -> None:
    (repo / "tf.yml").write_text(OUTSIDE_TEXT)  # one long plain scalar, as /etc/passwd is
    r = tf("check", cwd=repo)
    assert r.code == 1
    assert r.out == (
        "tf.yml:1:1: error [type] 'value' must be a mapping (key: value lines), not "
        "'root:x:0:0:SECRET-ROOT-LINE:/root:/bin/bash root:x:0:0:SECR…'\n"
    )


# -- 9: bounded reads of regular files only ----------------------------------------------------


def test_a_fifo_template_fails_at_once(repo: Path) -> None:
    os.mkfifo(repo / "templates" / "meeting.md")
    start = time.monotonic()
    r = run_tf("new-meeting", "--date", "2022-07-08", "--dry-run", cwd=repo)  # a hang: timeout
    assert time.monotonic() - start < 30
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: templates/meeting.md: cannot read template: it is a FIFO "
        "(named pipe), not a regular file (tf reads only regular files: replace it with the "
        "file itself, or remove it)\n"
    )


def test_a_device_is_never_opened() -> None:
    with pytest.raises(LoadError) as e:
        load._read(Path("/dev/zero"), Path("/"))
    assert e.value.message == "cannot read file: it is a character device, not a regular file"


def test_reads_stop_at_the_limit_whatever_stat_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/proc files report size 0; a file can grow while read: the bound is the read itself."""
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 10_000)
    real_fstat, real_read = os.fstat, os.read
    asked: list[int] = []

    def fstat_says_empty(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, 1, 0, 0, 0, 0, 0, 0))

    def counting_read(fd: int, n: int) -> bytes:
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "fstat", fstat_says_empty)
    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(LoadError) as e:
        load._read(path, tmp_path, limit=100)
    assert (e.value.rule, e.value.message) == ("too-large", "file is larger than the 100 allowed")
    assert sum(asked) == 101
    assert load._read(path, tmp_path, limit=10_000) == b"x" * 10_000


# -- 10: tf.yml of the wrong kind; tf check on a device --------------------------------------


def test_tf_yml_that_is_no_regular_file_is_an_error(tf: Tf, repo: Path) -> None:
    (repo / "tf.yml").unlink()
    (repo / "tf.yml").mkdir()
    r = tf("check", cwd=repo)
    assert (r.code, r.err) == (
        3,
        f"tf: {TOP}: cannot read config: it is a folder, not a regular file (tf reads only "
        "regular files: replace it with the file itself, or remove it)\n",
    )
    (repo / "tf.yml").rmdir()
    os.mkfifo(repo / "tf.yml")
    r = tf("list", cwd=repo)
    assert r.code == 3 and "cannot read config: it is a FIFO (named pipe)" in r.err
    (repo / "tf.yml").unlink()
    (repo / "tf.yml").symlink_to("gone.yml")  # not silently the defaults
    r = tf("list", cwd=repo)
    assert (r.code, r.err) == (
        3,
        f"tf: {TOP}: cannot read config: it is a symbolic link to a file that does not exist\n",
    )


def test_a_broken_template_link_is_an_error_not_the_built_in(tf: Tf, repo: Path) -> None:
    (repo / "templates" / "meeting.md").symlink_to("gone.md")
    r = tf("new-meeting", "--date", "2022-07-08", "--dry-run", cwd=repo)
    assert (r.code, r.out, r.err) == (
        3,
        "",
        "tf: templates/meeting.md: cannot read template: it is a symbolic "
        "link to a file that does not exist (fix the template, or delete it to use the built-in "
        "one)\n",
    )


def test_check_on_a_device_is_a_usage_error(tf: Tf, repo: Path) -> None:
    r = tf("check", "/dev/null", cwd=repo)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("tf: /dev/null is outside the repository; tf reads nothing there")
    os.mkfifo(repo / "pipe.md")
    r = tf("check", "pipe.md", cwd=repo)
    assert (r.code, r.err) == (
        2,
        "tf: pipe.md is a FIFO (named pipe), not a minutes file (minutes are Markdown files: "
        "*.md)\n",
    )


# -- 11: tf check and the loader use one selection -------------------------------------------

DUPLICATE = "---\ndate: 2022-07-08\ntitle: A\ntitle: B\n---\n"
DUPLICATE_ERROR = (
    "error [yaml] duplicate key 'title' (lines 3 and 4) (keep one of them; tf reads the last)\n"
)


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("minutes/_drafts", "minutes/_drafts/2022-07-08-x.md"),
        ("minutes/_drafts/2022-07-08-x.md", "minutes/_drafts/2022-07-08-x.md"),
        ("minutes/.2022-07-08-x.md", "minutes/.2022-07-08-x.md"),
    ],
)
def test_a_path_the_loader_skips_is_checked_when_named(
    tf: Tf, repo: Path, path: str, named: str
) -> None:
    (repo / "minutes" / "_drafts").mkdir()
    (repo / named).write_text(DUPLICATE)
    r = tf("check", path, cwd=repo)
    assert r.code == 1
    assert r.out == f"{named}:4:1: {DUPLICATE_ERROR}"
    assert r.err == "tf check: 1 error, 0 warnings in 1 file\n"


def test_the_file_count_is_the_files_reported_on(tf: Tf, repo: Path) -> None:
    (repo / "minutes" / "2022-07-08-x.md").write_text(DUPLICATE)
    r = tf("check", f"minutes/{SEED_FILE}", cwd=repo)
    assert (r.code, r.err) == (0, "tf check: 0 errors, 0 warnings in 1 file\n")
    r = tf("check", "minutes", cwd=repo)
    assert (r.code, r.err) == (1, "tf check: 1 error, 0 warnings in 2 files\n")
    r = tf("check", "tf.yml", cwd=repo)
    assert (r.code, r.err) == (0, "tf check: 0 errors, 0 warnings in 1 file\n")


def test_paths_the_loader_cannot_read_as_minutes_are_refused(tf: Tf, repo: Path) -> None:
    (repo / "docs").mkdir()
    (repo / "docs" / "guide.md").write_text("# not minutes\n")
    (repo / "sub").mkdir()
    (repo / "sub" / "tf.yml").write_text("group: other\n")
    (repo / "minutes" / "empty").mkdir()
    (repo / "out.md").symlink_to(repo.parent / "outside" / "passwd")
    assert [(r.code, r.out, r.err) for r in map(lambda p: tf("check", p, cwd=repo), [
        "docs", "sub/tf.yml", "minutes/empty", "out.md", "../outside/minutes"
    ])] == [
        (2, "", "tf: docs is outside the minutes folder minutes (tf reads minutes only there; "
                "'minutes:' in tf.yml names it)\n"),
        (2, "", "tf: sub/tf.yml is not the tf.yml of this repository (tf.yml)\n"),
        (2, "", "tf: minutes/empty holds no minutes files (minutes are Markdown files: *.md)\n"),
        (2, "", "tf: out.md is outside the repository; tf reads nothing there (the repository "
                "is ., the folder holding tf.yml)\n"),
        (2, "", "tf: ../outside/minutes is outside the repository; tf reads nothing there (the "
                "repository is ., the folder holding tf.yml)\n"),
    ]  # fmt: skip


# -- 15, 16: config values that were quietly accepted ------------------------------------------


@pytest.mark.parametrize(
    ("roles", "where", "message"),
    [
        ("{chairs: 3}", "2:17", "role 'chairs' must be a list of organisations; it is the "
         "number 3 (write e.g. chairs: [State Chancellery, UNHCR])"),
        ("{chairs: UNHCR}", "2:17", "role 'chairs' must be a list of organisations; it is "
         "'UNHCR' (write e.g. chairs: [State Chancellery, UNHCR])"),
        ("{chairs: []}", "2:17", "role 'chairs' must be a list of organisations; it names no "
         "organisation (write e.g. chairs: [State Chancellery, UNHCR])"),
        ("{chairs: [UNHRC]}", "2:18", "role 'chairs' names 'UNHRC', which is not in "
         "'organisations' (did you mean 'UNHCR'?)"),
        ("{chairs: [UNHCR, 7]}", "2:25", "'chairs' must be the name of an organisation, not the "
         "number 7"),
    ],
)  # fmt: skip
def test_a_role_is_a_list_of_known_organisations(
    tf: Tf, repo: Path, roles: str, where: str, message: str
) -> None:
    (repo / "tf.yml").write_text(f"organisations: [UNHCR, IOM]\nroles: {roles}\n")
    r = tf("check", cwd=repo)
    assert r.code == 1
    rule = "roster" if "which is not in" in message else "type"
    lines = [line for line in r.out.splitlines() if line.startswith("tf.yml")]
    assert lines == [f"tf.yml:{where}: error [{rule}] {message}"]


def test_an_empty_timezone_is_an_error(tf: Tf, repo: Path) -> None:
    for value in ('""', "", "'  '"):
        line = set_key(repo, "timezone", value)
        r = tf("check", cwd=repo)
        assert r.code == 1
        assert r.out == (
            f"tf.yml:{line}:1: error [timezone] 'timezone' is empty; using UTC (use an IANA "
            "name such as Europe/Chisinau, or remove the line for UTC)\n"
        )


def test_an_empty_title_is_reported(tf: Tf, repo: Path) -> None:
    seed = repo / "minutes" / SEED_FILE
    text = seed.read_text()
    seed.write_text(text.replace("title: Anti-Trafficking Task Force", 'title: ""', 1))
    r = tf("check", "--strict", cwd=repo)
    line = text.splitlines().index("title: Anti-Trafficking Task Force") + 1
    assert (r.code, r.out) == (
        1,
        f"minutes/{SEED_FILE}:{line}:1: warning [empty] 'title' is empty (write it, or remove "
        "the line)\n",
    )


def test_a_long_value_is_quoted_short(tf: Tf, repo: Path) -> None:
    seed = repo / "minutes" / SEED_FILE
    text = seed.read_text()
    long_date = "8.7 soon" * 100  # a mistyped date: an error (other words are a deadline)
    seed.write_text(text.replace("due: 2022-07-08", f"due: {long_date}", 1))
    r = tf("check", cwd=repo)
    assert r.code == 1
    line = text.splitlines().index("    due: 2022-07-08") + 1
    assert r.out == (
        f"minutes/{SEED_FILE}:{line}:10: error [date] 'due' is '{long_date[:59]}…', not a date "
        "in YYYY-MM-DD form (write it as YYYY-MM-DD, e.g. 2022-07-08)\n"
    )
