"""Edges of the shared core found in review: pipes, -C, path arguments, writes, YAML limits."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, SEED, SEED_FILE, run_tf

from tfcli import yamlstrict
from tfcli.errors import DataError, UsageError
from tfcli.output import use_colour
from tfcli.write import create_new, replace_atomically

BROKEN = FIXTURES / "broken"


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="POSIX pipes")
def test_a_closed_pipe_ends_quietly_not_as_findings(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from gen import generate

    generate(200, tmp_path)  # 600 actions: far more JSON than a pipe buffers
    p = subprocess.Popen(
        [sys.executable, "-m", "tfcli", "actions", "--all", "--format", "json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert p.stdout is not None
    p.stdout.readline()
    p.stdout.close()  # the reader goes away, as `| head -1` does
    _, err = p.communicate(timeout=60)
    assert p.returncode == -signal.SIGPIPE  # 141 in a shell: not 1 ("findings")
    assert b"Traceback" not in err


def test_dash_c_runs_as_if_started_there(tmp_path: Path) -> None:
    r = run_tf("-C", str(SEED), "check", f"minutes/{SEED_FILE}", cwd=tmp_path)
    assert (r.code, r.err) == (0, "tf check: 0 errors, 0 warnings in 1 file\n")
    r = run_tf("-C", str(tmp_path / "nowhere"), "list", cwd=tmp_path)
    assert r.code == 2 and "does not exist" in r.err


def test_check_paths_are_normalised_and_typos_refused() -> None:
    r = run_tf("check", "minutes/../minutes/2022-01-14-bad-time.md", cwd=BROKEN)
    assert r.code == 1 and r.out.count("[time]") == 2
    r = run_tf("check", "minutes/2022-02-02-minutes.txt", cwd=BROKEN)
    assert (r.code, r.err) == (
        2,
        "tf: minutes/2022-02-02-minutes.txt is not a minutes file "
        "(minutes are Markdown files: *.md)\n",
    )
    assert run_tf("check", "minutes/nope.md", cwd=BROKEN).code == 2


def test_other_commands_name_the_files_they_skip() -> None:
    r = run_tf("list", "--format", "csv", cwd=BROKEN)
    assert r.code == 0
    assert (
        "tf: warning: skipped minutes/2022-01-04-duplicate-key.md:5:1: "
        "duplicate key 'title' (lines 3 and 5)\n" in r.err
    )
    assert "\ntf: warning: 19 more errors in 10 files, used as read: " in r.err
    assert r.err.endswith("minutes/2022-01-15-bad-status.md and 7 more; run 'tf check'\n")


def test_other_commands_show_a_tf_yml_problem_on_one_line(tmp_path: Path) -> None:
    # A value from tf.yml with a line break must not make a warning span lines (or forge
    # another one): shown escaped, as tf check shows it.
    shutil.copytree(SEED, tmp_path, dirs_exist_ok=True)
    cfg = tmp_path / "tf.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(
        text.replace("    short: UNHCR\n", '    short: UNHCR\n    email: "a@x\\r\\nBcc: y"\n', 1),
        encoding="utf-8",
    )
    r = run_tf("actions", "--today", "2022-07-01", cwd=tmp_path)
    warning = [ln for ln in r.err.splitlines() if "e-mail" in ln]
    assert warning == [
        "tf: warning: tf.yml:36:12: 'a@x\\r\\nBcc: y' is not an e-mail address; left out"
    ]


def test_replace_keeps_a_symlink_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    replace_atomically(link, b"new", b"old")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_write_failures_are_data_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(DataError, match="cannot write"):
        create_new(tmp_path / "file" / "sub" / "m.md", b"x")  # a file where a folder should be
    with pytest.raises(DataError, match="cannot write"):
        replace_atomically(tmp_path / "file" / "m.md", b"x", b"")


def test_create_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "m.md"
    create_new(target, b"first")
    with pytest.raises(UsageError, match="already exists"):
        create_new(target, b"second")
    assert target.read_bytes() == b"first"


def test_huge_numbers_stay_text() -> None:
    digits = "1" * 5000  # int() of this would raise in Python 3.11
    assert yamlstrict.parse(f"a: {digits}\n").value == {"a": digits}
    assert yamlstrict.parse("a: 123456789012345678\n").value == {"a": 123456789012345678}


@pytest.mark.parametrize("value", ["true", "1.0"])
def test_format_must_be_the_integer_1(tmp_path: Path, value: str) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2022-01-01-x.md").write_text(
        f"---\nformat: {value}\ndate: 2022-01-01\n---\n"
    )
    r = run_tf("check", cwd=tmp_path)
    assert r.code == 1 and "[format]" in r.out


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "expected"), [({}, True), ({"NO_COLOR": ""}, True), ({"NO_COLOR": "1"}, False)]
)
def test_no_color_follows_no_color_org(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert use_colour(_Tty()) is expected
    assert use_colour(io.StringIO()) is False


def test_strict_dates_on_the_command_line() -> None:
    for bad in ("20220709", "2022-W28-1"):
        r = run_tf("actions", "--today", bad)
        assert (r.code, r.err) == (2, f"tf: --today '{bad}' is not a date (write YYYY-MM-DD)\n")
    r = run_tf("actions", env={"TF_TODAY": "2022-13-01"})
    assert (r.code, r.err) == (
        2,
        "tf: $TF_TODAY '2022-13-01' is not a real date (check day and month)\n",
    )
    assert os.environ.get("TF_TODAY") is None


def test_annotations_name_files_from_the_workspace_root(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(BROKEN, tmp_path / "repo")
    (tmp_path / "repo" / ".git").mkdir()  # a checkout, as in CI
    r = run_tf("check", "-f", "github", cwd=tmp_path / "repo" / "minutes")
    assert "::error file=minutes/2022-01-14-bad-time.md,line=3," in r.out
    r = run_tf(
        "check", "-f", "github", cwd=tmp_path / "repo", env={"GITHUB_WORKSPACE": str(tmp_path)}
    )
    assert "::error file=repo/minutes/2022-01-14-bad-time.md,line=3," in r.out


def test_check_tf_yml_and_folders_without_minutes(seed_repo: Path) -> None:
    r = run_tf("check", "tf.yml", cwd=seed_repo)
    assert (r.code, r.out) == (0, "")
    r = run_tf("check", "templates", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: templates is outside the minutes folder minutes (tf reads minutes only there; "
        "'minutes:' in tf.yml names it)\n",
    )


def test_an_owner_written_as_one_comma_text_is_an_error(seed_repo: Path) -> None:
    seed = seed_repo / "minutes" / SEED_FILE
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("owner: chairs", "owner: IOM, UNHCR", 1)
    )
    r = run_tf("check", cwd=seed_repo)
    assert r.code == 1
    assert r.out == (
        f"minutes/{SEED_FILE}:61:12: error [owner] owner 'IOM, UNHCR' of action 2022-06-24/1 is "
        "one text, not a list of owners (write a list: owner: [IOM, UNHCR])\n"
    )


def test_config_problems_are_warnings_not_skipped_files(seed_repo: Path) -> None:
    cfg = seed_repo / "tf.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8")
        .replace("Europe/Chisinau", "Europe/Chisinu")
        .replace("every 2 weeks", "sometimes")
    )
    r = run_tf("list", "-f", "csv", cwd=seed_repo)
    assert r.code == 0
    assert r.err == (
        "tf: warning: tf.yml:4:11: unknown time zone 'Europe/Chisinu'; using UTC\n"
        "tf: warning: tf.yml:5:10: cadence 'sometimes' is not understood\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_exit_3_not_a_bug() -> None:
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "tfcli", "check", "-f", "json"],
            cwd=BROKEN,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert p.returncode == 3
    assert "cannot write the output: No space left on device" in p.stderr


def test_an_unsupported_format_is_not_used(seed_repo: Path) -> None:
    seed = seed_repo / "minutes" / SEED_FILE
    seed.write_text(seed.read_text(encoding="utf-8").replace("format: 1", "format: 2", 1))
    r = run_tf("actions", "-f", "csv", cwd=seed_repo)
    assert r.out == "id,due,when,status,owner,text,meeting,due_text\n"
    assert f"skipped minutes/{SEED_FILE}:2:9: format 2 is not supported" in r.err


@pytest.mark.parametrize("args", [("actions", "-f", "json"), ("check", "-f", "json")])
def test_a_closed_stdout_is_exit_3_not_a_bug(args: tuple[str, ...]) -> None:
    # `tf ... >&-`: Python starts with sys.stdout None; writing to it was an internal error.
    p = subprocess.run(
        [sys.executable, "-m", "tfcli", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
    )
    assert p.returncode == 3, p.stderr
    assert "tf: cannot write the output: standard output is closed\n" in p.stderr
    assert "internal error" not in p.stderr


@pytest.mark.parametrize("command", [("check",), ("actions", "-f", "csv"), ("list", "-f", "csv")])
def test_a_file_removed_while_tf_reads_is_left_out_not_a_finding(
    seed_repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
) -> None:
    # Another hand (or a `git checkout`) removes a file between tf listing the minutes and
    # reading it: it is not there to check. It was an 'unreadable' error (exit 1).
    import tfcli.load
    from tfcli.cli import main

    listed = tfcli.load.walk

    def walk(folder: Path, problems: list[Any], stats: Any = None) -> list[Path]:
        return [*listed(folder, problems, stats), folder / "2022-07-08-removed.md"]

    monkeypatch.setattr(tfcli.load, "walk", walk)
    monkeypatch.chdir(seed_repo)
    monkeypatch.setattr(sys, "argv", ["tf", *command])
    code: object = 0  # the quick path (tfcli/quick.py) returns; the app exits
    try:
        main()
    except SystemExit as end:
        code = end.code
    got = capsys.readouterr()
    assert code == 0, got.err
    assert "file was removed while tf was reading the minutes; left out" in got.out + got.err
    assert "minutes/2022-07-08-removed.md" in got.out + got.err
    assert "unreadable" not in got.out + got.err
