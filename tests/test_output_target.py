"""Where `--output FILE` and `tf export --sqlite FILE` may write: a new name in a folder that
exists, or an existing regular file (through a link, its target). Never a device, a FIFO, a
folder, a read-only file or the group's records. Tests never point tf at real device nodes:
a FIFO made here stands for them, and a faked stat for a character device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import test_actions_cli
from test_actions_cli import Tf

from tfcli import write_report
from tfcli.errors import UsageError

tf = test_actions_cli.tf  # the in-process `tf` fixture
MINUTES = "minutes/2022-06-24-anti-trafficking-task-force.md"
TODAY = ("--today", "2022-07-02")


def test_a_fifo_is_refused_and_stays_a_fifo(tf: Tf, seed_repo: Path) -> None:
    fifo = seed_repo / "pipe"
    os.mkfifo(fifo)
    for args in (("actions", "-f", "csv", "-o", "pipe", *TODAY), ("export", "--sqlite", "pipe")):
        r = tf(*args, "--force" if "export" in args else "--all", cwd=seed_repo)
        assert (r.code, r.out) == (2, ""), r.err
        assert "tf: pipe is a FIFO (named pipe), not a file; tf replaces only files" in r.err
        assert "redirect stdout: > pipe" in r.err
        assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_device_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "device"
    real_stat = Path.stat

    def stat_(self: Path, **kw: bool) -> os.stat_result:
        if self == fake:
            return os.stat_result((stat.S_IFCHR | 0o666, 0, 0, 1, 0, 0, 0, 0, 0, 0))
        return real_stat(self, **kw)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "stat", stat_)
    with pytest.raises(UsageError, match="device is a character device, not a file"):
        write_report.replace_output(fake, b"x")
    assert not os.path.lexists(fake)


def test_a_folder_and_a_missing_folder_are_refused(tf: Tf, seed_repo: Path) -> None:
    (seed_repo / "out").mkdir()
    r = tf("actions", "-f", "csv", "-o", "out", *TODAY, cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: out is a folder; tf writes a report to a file (name a file)\n",
    )
    r = tf("export", "--sqlite", "nonexist/x.db", cwd=seed_repo)
    assert r.code == 2
    assert "the folder nonexist does not exist" in r.err
    assert not (seed_repo / "nonexist").exists()


def test_a_read_only_file_is_refused_and_kept(tf: Tf, seed_repo: Path) -> None:
    kept = seed_repo / "kept.csv"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o444)
    for args in (
        ("actions", "-f", "csv", "-o", "kept.csv", *TODAY),
        ("export", "--sqlite", "kept.csv", "--force"),
    ):
        r = tf(*args, cwd=seed_repo)
        assert r.code == 3, r.err
        assert "kept.csv is read-only; nothing was written" in r.err
        assert kept.read_text(encoding="utf-8") == "old\n"
        assert kept.stat().st_mode & 0o777 == 0o444


def test_a_link_is_written_through_and_stays_a_link(tf: Tf, seed_repo: Path) -> None:
    (seed_repo / "real.csv").write_text("old\n", encoding="utf-8")
    (seed_repo / "real.csv").chmod(0o640)
    (seed_repo / "link.csv").symlink_to("real.csv")
    r = tf("actions", "-f", "csv", "-o", "link.csv", *TODAY, cwd=seed_repo)
    assert r.code == 0, r.err
    assert (seed_repo / "link.csv").is_symlink()
    assert (seed_repo / "real.csv").read_text(encoding="utf-8").startswith("id,due,")
    assert (seed_repo / "real.csv").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("export", "--sqlite", MINUTES, "--force"), "inside the minutes folder"),
        (("export", "--sqlite", "minutes/new.db"), "inside the minutes folder"),
        (("actions", "-f", "csv", "-o", "tf.yml", *TODAY), "the repository's tf.yml"),
        (
            ("actions", "-f", "csv", "-o", "templates/meeting.md", *TODAY),
            "inside the templates folder",
        ),
    ],
)
def test_the_records_are_never_replaced(
    tf: Tf, seed_repo: Path, args: tuple[str, ...], what: str
) -> None:
    def records() -> dict[Path, bytes]:  # .tf/ is tf's own state (the index), not a record
        files = seed_repo.rglob("*")
        return {p: p.read_bytes() for p in files if p.is_file() and ".tf" not in p.parts}

    before = records()
    r = tf(*args, cwd=seed_repo)
    assert r.code == 2, r.err
    assert f" is {what}; a report never replaces the group's records" in r.err
    assert records() == before


def test_tf_list_writes_to_output_like_tf_actions(tf: Tf, seed_repo: Path) -> None:
    r = tf("list", "-f", "xlsx", "-o", "m.xlsx", cwd=seed_repo)
    assert (r.code, r.out) == (0, ""), r.err
    assert (seed_repo / "m.xlsx").read_bytes().startswith(b"PK\x03\x04")
    r = tf("list", "-f", "csv", "--output", "m.csv", cwd=seed_repo)
    assert (r.code, r.out) == (0, "")
    assert (seed_repo / "m.csv").read_text(encoding="utf-8").startswith("date,id,title,")
    os.mkfifo(seed_repo / "pipe")
    assert tf("list", "-o", "pipe", cwd=seed_repo).code == 2


def test_a_link_in_the_minutes_folder_is_a_record_wherever_it_points(
    tf: Tf, seed_repo: Path
) -> None:
    (seed_repo / "outside.csv").write_text("old\n", encoding="utf-8")
    (seed_repo / "minutes" / "link.md").symlink_to("../outside.csv")
    r = tf("actions", "-f", "csv", "-o", "minutes/link.md", *TODAY, cwd=seed_repo)
    assert r.code == 2 and "is inside the minutes folder" in r.err, r.err
    assert (seed_repo / "outside.csv").read_text(encoding="utf-8") == "old\n"
