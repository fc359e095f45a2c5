"""`tf init`: the scaffold of a new group's repository, asked for or given by options."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import test_actions_cli
from conftest import run_tf
from test_actions_cli import Tf

tf = test_actions_cli.tf  # the in-process `tf` fixture

FILES = [
    "tf.yml",
    "README.md",
    "templates/README.md",
    ".github/workflows/minutes.yml",
    ".pre-commit-config.yaml",
    ".gitignore",
    "minutes/2026-03-02-anti-trafficking-task-force.md",
]
OPTIONS = (
    "--no-input",
    "--group",
    "Anti-Trafficking Task Force",
    "--timezone",
    "Europe/Chisinau",
    "--cadence",
    "every 2 weeks",
    "--org",
    "government: State Chancellery",
    "--org",
    "international: UNHCR",
    "--org",
    "La Strada",
    "--chair",
    "State Chancellery",
    "--chair",
    "unhcr",
    "--today",
    "2026-03-02",
)


def files_in(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_with_options_writes_a_checked_repository(tf: Tf, tmp_path: Path) -> None:
    r = tf("init", "group", *OPTIONS, cwd=tmp_path)
    assert r.code == 0, r.err
    assert r.out == "".join(f"group/{f}\n" for f in FILES)
    assert "tf init: created 7 files in group" in r.err
    root = tmp_path / "group"
    assert files_in(root) == sorted(FILES)
    cfg = (root / "tf.yml").read_text(encoding="utf-8")
    assert "group: Anti-Trafficking Task Force\n" in cfg
    assert "timezone: Europe/Chisinau   # decides" in cfg
    assert "cadence: every 2 weeks      # weekly" in cfg
    assert (
        "  - name: State Chancellery\n    group: government\n    # short: ABC" in cfg
        and "  - name: La Strada\nroles:" in cfg
    )
    assert "  chairs:\n    - State Chancellery\n    - UNHCR\n" in cfg  # the roster's spelling
    meeting = (root / FILES[-1]).read_text(encoding="utf-8")
    assert "date: 2026-03-02\n" in meeting and "status: draft\n" in meeting
    assert "  government:\n    - State Chancellery\n" in meeting
    assert ".tf/\n_site/\nsite/\n" in (root / ".gitignore").read_text(encoding="utf-8")
    assert (
        (root / "README.md")
        .read_text(encoding="utf-8")
        .startswith("# Minutes of Anti-Trafficking Task Force\n")
    )
    r = tf("check", "--strict", cwd=root)
    assert (r.code, r.out) == (0, ""), r.err


def test_init_refuses_to_overwrite_and_writes_nothing(tf: Tf, tmp_path: Path) -> None:
    (tmp_path / "tf.yml").write_text("group: Mine\n", encoding="utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "minutes.yml").write_text("x", encoding="utf-8")
    r = tf("init", *OPTIONS, cwd=tmp_path)
    assert r.code == 2
    assert (
        "tf: not overwriting: tf.yml, .github/workflows/minutes.yml exist (run tf init in an "
        "empty folder, or move these files away first)"
    ) in r.err
    assert files_in(tmp_path) == [".github/workflows/minutes.yml", "tf.yml"]
    assert (tmp_path / "tf.yml").read_text(encoding="utf-8") == "group: Mine\n"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--timezone", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (("--cadence", "now and then"), "cadence 'now and then' is not understood"),
        (("--org", "UNHCR", "--chair", "IOM"), "chair 'IOM' is not one of the organisations"),
        (("--org", "UNHCR", "--org", "unhcr"), "organisation 'unhcr' is given twice"),
        (("--org", "government: "), "an organisation needs a name"),
    ],
)
def test_init_refuses_bad_answers(
    tf: Tf, tmp_path: Path, args: tuple[str, ...], error: str
) -> None:
    r = tf("init", "--no-input", *args, cwd=tmp_path)
    assert r.code == 2 and error in r.err
    assert files_in(tmp_path) == []


def test_hostile_names_stay_data(tf: Tf, tmp_path: Path) -> None:
    group = 'Task: "force" #1 {{ x }} \u2028 <b>'
    r = tf(
        "init",
        "--no-input",
        "--group",
        group,
        "--org",
        "ngos: A: B",
        "--today",
        "2026-03-02",
        cwd=tmp_path,
    )
    assert r.code == 0, r.err
    cfg = (tmp_path / "tf.yml").read_text(encoding="utf-8")
    assert cfg.startswith('# Settings of the minutes of Task: "force" #1 {{ x }} <b>.\n')
    assert 'group: "Task: \\"force\\" #1 {{ x }} \\L <b>"\n' in cfg
    assert '  - name: "A: B"\n    group: ngos\n' in cfg
    r = tf("check", "--strict", cwd=tmp_path)
    assert r.code == 0, r.out + r.err
    r = tf("show", "2026-03-02", cwd=tmp_path)
    assert r.out.startswith('Task: "force" #1 {{ x }} <b> — 2026-03-02\n')  # never run as Jinja


def test_init_asks_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tfcli.cli import app, init_cmd

    monkeypatch.setattr(init_cmd, "_interactive", lambda: True)
    monkeypatch.chdir(tmp_path)
    answers = [
        "Refugee Protection Working Group",
        "Europe/Atlantis",  # refused: asked again
        "Europe/Chisinau",
        "sometimes",  # refused: asked again
        "monthly",
        "government, international",
        "State Chancellery, Ministry of Labour",
        "UNHCR, IOM",
        "IOM, WHO",  # WHO is not an organisation: asked again
        "UNHCR",
    ]
    result = CliRunner().invoke(
        app, ["init", "--today", "2026-03-02"], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "'Europe/Atlantis' is not an IANA time zone name" in result.output
    assert "cadence 'sometimes' is not understood" in result.output
    assert "chair 'WHO' is not one of the organisations" in result.output
    cfg = (tmp_path / "tf.yml").read_text(encoding="utf-8")
    assert "group: Refugee Protection Working Group\n" in cfg
    assert "timezone: Europe/Chisinau" in cfg and "cadence: monthly" in cfg
    assert "  - name: Ministry of Labour\n    group: government\n" in cfg
    assert "  - name: IOM\n    group: international\n" in cfg
    assert "  chairs:\n    - UNHCR\n" in cfg
    assert (tmp_path / "minutes" / "2026-03-02-refugee-protection-working-group.md").is_file()


def test_a_folder_without_minutes_points_to_tf_init(tmp_path: Path) -> None:
    r = run_tf("actions", cwd=tmp_path)
    assert r.code == 3 and "or run 'tf init'" in r.err


def test_new_group_end_to_end(tmp_path: Path) -> None:
    """tf init in an empty folder, then the first steps of a group, as processes."""
    root = tmp_path / "repo"
    assert run_tf("init", "repo", *OPTIONS, cwd=tmp_path).code == 0
    r = run_tf("new-meeting", "--today", "2026-03-02", cwd=root)
    assert (r.code, r.out) == (0, "minutes/2026-03-16-anti-trafficking-task-force.md\n"), r.err
    r = run_tf("check", "--strict", cwd=root)
    assert (r.code, r.out) == (0, ""), r.err
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(tmp_path),
        "PATH": str(Path(git).parent),
    }
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Start the minutes"]):
        subprocess.run([git, *cmd], cwd=root, env=env, check=True, capture_output=True)
    tracked = subprocess.run(
        [git, "ls-files"], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    assert sorted(tracked) == sorted([*FILES, "minutes/2026-03-16-anti-trafficking-task-force.md"])


def test_new_group_renders_its_site(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    assert run_tf("init", "repo", *OPTIONS, cwd=tmp_path).code == 0
    r = run_tf("render", "--out", "site", cwd=root)
    assert r.code == 0, r.err
    assert (root / "site" / "index.html").is_file()
    assert (root / "site" / "calendar.ics").is_file()


def test_without_a_cadence_the_next_meeting_asks_for_a_date(tf: Tf, tmp_path: Path) -> None:
    # The scaffold's first meeting is today; "today" again would collide with it.
    assert tf("init", "g", "--no-input", "--today", "2026-03-02", cwd=tmp_path).code == 0
    r = tf("new-meeting", "--today", "2026-03-02", cwd=tmp_path / "g")
    assert r.code == 2
    assert r.err == (
        "tf: a meeting is held today (2026-03-02) and tf.yml has no 'cadence:', so tf cannot "
        "tell the next meeting's date (pass --date YYYY-MM-DD, or set e.g. 'cadence: every 2 "
        "weeks' in tf.yml)\n"
    )
    r = tf("new-meeting", "--today", "2026-03-02", "--date", "2026-03-16", cwd=tmp_path / "g")
    assert r.code == 0, r.err


def test_init_refuses_a_path_that_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    for name, kind in (("file", "a file"), ("pipe", "a FIFO (named pipe)")):
        r = run_tf("init", name, "--no-input", cwd=tmp_path)
        assert (r.code, r.err) == (
            2,
            f"tf: {name} is not a folder (it is {kind}) (name a folder, or a new one for tf "
            "init to create)\n",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "pipe"]


def test_the_prompt_answers_are_checked_in_scaffold() -> None:
    from tfcli import scaffold

    assert scaffold.zone_answer(" Europe/Chisinau ") == "Europe/Chisinau"
    assert scaffold.zone_answer("Mars/Olympus") is None
    assert scaffold.cadence_answer(" every 2 weeks ") == (True, "every 2 weeks")
    assert scaffold.cadence_answer("  ") == (True, None)
    assert scaffold.cadence_answer("now and then") == (False, "now and then")
    assert scaffold.names(" UNHCR, ,IOM ,") == ["UNHCR", "IOM"]
