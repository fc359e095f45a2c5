"""Hostile text on its way out: GitHub workflow commands in CI logs, bidi controls on a
terminal, control characters in link addresses, empty option values."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_actions_cli
from conftest import SEED, Result, run_tf
from test_actions_cli import Tf

from tfcli.ci_guard import CommandGuard, neutralise_command
from tfcli.output import safe

tf = test_actions_cli.tf  # the in-process `tf` fixture
PWNED = "a\\n::error file=README::pwned ##[error]old"  # YAML escapes: written as in a file
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
NEWLINE_NAME = "2022-07-15-x\n::error file=y::pwned.md"

HOSTILE = f"""---
date: 2022-07-01
title: "Pay \\u202eexe.txt"
status: draft
agenda:
  - "Item \\u2066one\\u2069"
actions:
  - id: 1
    text: "{PWNED} \\u202e rtl"
    owner: "IOM"
    due: 2022-07-08
  - id: 2
    text: "bidi {BIDI.encode("unicode_escape").decode()}"
    owner: IOM
    due: 2022-07-09
---

## Item \u2066one\u2069

Body \u202e text
::error file=body::pwned
"""
BROKEN = """---
date: 2022-07-08
status: "x\\u202e\\n::error::status ##[warning]w"
---
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SEED, root, dirs_exist_ok=True)
    (root / "minutes" / "2022-07-01-hostile.md").write_text(HOSTILE, encoding="utf-8")
    (root / "minutes" / NEWLINE_NAME).write_text(
        "---\ndate: 2022-07-15\nstatus: draft\n---\n", encoding="utf-8"
    )
    (root / "minutes" / "2022-07-08-broken.md").write_text(BROKEN, encoding="utf-8")
    return root


COMMANDS = [
    *(("check", "-f", f) for f in ("text", "json", "github")),
    *(("list", "-f", f) for f in ("table", "json", "csv", "markdown")),
    ("show", "2022-07-01"),
    ("show", "2022-07-15"),
    *(("actions", "-f", f) for f in ("table", "json", "csv", "markdown", "github")),
    ("actions", "--by", "owner", "-f", "markdown"),
    ("actions", "--by", "owner", "-f", "json"),
    ("actions", "show", "2022-07-01/1"),
    ("actions", "show", "2022-07-01/1", "-f", "json"),
    ("agenda", "2022-07-01"),
    ("agenda", "2022-07-01", "-f", "html"),
    ("new-meeting", "--dry-run", "--date", "2022-07-22"),
    ("actions", "show", "x\n::error::usage ##[error]u"),  # an error quoting the command line
]
TODAY = ("--today", "2022-07-02")


def _run(root: Path, args: tuple[str, ...], env: dict[str, str] | None = None) -> Result:
    today = () if args[0] in ("list", "show") else TODAY
    return run_tf(*args, *today, cwd=root, env=env)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a).replace("\n", "|"))
def test_under_github_actions_no_line_is_a_workflow_command_unless_tf_wrote_it(
    hostile: Path, args: tuple[str, ...]
) -> None:
    r = _run(hostile, args, {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(hostile)})
    assert r.code in (0, 1, 2), r.err
    own = re.compile(r"::(error|warning) file=minutes/[^\n]*,line=\d+[^\n]*::[^\n]*\Z")
    for stream, text in (("stdout", r.out), ("stderr", r.err)):
        assert "<tf:" not in text  # the guard's mark never shows
        for line in re.split(r"\r\n|\r|\n", text):
            assert "##[" not in line, (stream, line)
            if line.lstrip().startswith("::"):
                assert stream == "stdout" and "github" in args and own.match(line), line


def test_github_annotations_still_work_and_carry_the_text_escaped(hostile: Path) -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(hostile)}
    r = _run(hostile, ("actions", "-f", "github"), env)
    first = next(line for line in r.out.splitlines() if "hostile" in line)
    assert first.startswith("::warning file=minutes/2022-07-01-hostile.md,line=8,")
    assert first.endswith("a%0A::error file=README::pwned \\x23#[error]old \\u202e rtl")
    r = _run(hostile, ("check", "-f", "github"), env)
    assert r.out == (
        "::error file=minutes/2022-07-08-broken.md,line=3,col=9,title=tf enum::'status' is "
        "'x\\u202e%0A::error::status \\x23#[warning]w'; allowed: draft, circulated, approved\n"
    )


def test_the_guard_shows_the_first_character_of_a_command_as_an_escape(hostile: Path) -> None:
    r = _run(hostile, ("actions", "-f", "csv"), {"GITHUB_ACTIONS": "true"})
    assert '\\x3a:error file=README::pwned \\x23#[error]old \\u202e rtl",' in r.out
    r = _run(hostile, ("list", "-f", "csv"), {"GITHUB_ACTIONS": "true"})
    assert '\n\\x3a:error file=y::pwned.md"\n' in r.out


def test_outside_github_actions_the_output_is_unchanged(hostile: Path) -> None:
    inside = _run(hostile, ("actions", "-f", "csv"), {"GITHUB_ACTIONS": "true"})
    outside = _run(hostile, ("actions", "-f", "csv"), {"GITHUB_ACTIONS": "false"})
    assert "\n::error file=README::pwned ##[error]old" in outside.out
    assert outside.out.replace("\n::", "\n\\x3a:").replace("##[", "\\x23#[") == inside.out


def test_neutralise_command_covers_blanks_the_old_syntax_and_tf_own_lines() -> None:
    assert neutralise_command("  \t::warning::x") == "  \t\\x3a:warning::x"
    assert neutralise_command("\u3000::x::y") == "\u3000\\x3a:x::y"  # .NET trims it too
    assert neutralise_command("text ###[error]x") == "text #\\x23#[error]x"
    assert neutralise_command("a :: b") == "a :: b"
    assert neutralise_command("M::error::x", "M") == "::error::x"
    assert neutralise_command("::error::x", "M") == "\\x3a:error::x"


def test_the_guard_sees_whole_lines_across_writes_and_line_ends() -> None:
    inner = io.StringIO()
    g = CommandGuard(inner, "M")
    g.write("a\r:")
    g.write(":error::x\n")
    g.write("M::warning::own\n::tail")
    assert inner.getvalue() == "a\r\\x3a:error::x\n::warning::own\n"
    g.finish()
    assert inner.getvalue().endswith("\n\\x3a:tail")
    with pytest.raises(TypeError):
        g.write(b"")  # type: ignore[arg-type]


# -- bidi controls -----------------------------------------------------------------------------


def test_safe_escapes_bidi_controls() -> None:
    assert safe("a\u202eb\u2067c\u200fd\u061c") == "a\\u202eb\\u2067c\\u200fd\\u061c"


@pytest.mark.parametrize("args", COMMANDS[:-1], ids=lambda a: " ".join(a))
def test_bidi_controls_never_reach_the_output_raw(hostile: Path, args: tuple[str, ...]) -> None:
    r = _run(hostile, args)
    assert not set(BIDI) & set(r.out + r.err), [c for c in BIDI if c in r.out + r.err]
    if args[0] not in ("list", "new-meeting") and args[:2] != ("show", "2022-07-15"):
        assert "\\u202e" in r.out.replace("\\\\u202e", "\\u202e")


def test_json_escapes_bidi_controls(hostile: Path) -> None:
    r = _run(hostile, ("actions", "-f", "json"))
    assert '"text": "bidi \\u202a\\u202b' in r.out
    texts = {a["id"]: a["text"] for a in json.loads(r.out)}
    assert texts["2022-07-01/1"].endswith("\u202e rtl")


# -- link addresses ----------------------------------------------------------------------------


def test_a_link_address_with_a_control_character_is_refused(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2022-07-01-a.md").write_text(
        '---\ndate: 2022-07-01\nlinks:\n  - title: Report\n    url: "https://a.example/\\e[2J"\n'
        '  - title: Photo\n    url: "https://b.example/\\u202egpj.exe"\n  - url: https://c.example/ok\n---\n',
        encoding="utf-8",
    )
    r = run_tf("check", cwd=tmp_path)
    assert r.code == 1
    assert r.out == (
        "minutes/2022-07-01-a.md:5:10: error [url] link 'https://a.example/\\x1b[2J' contains "
        "the control character U+001B (write the address as plain text, or percent-encode "
        "the character)\n"
        "minutes/2022-07-01-a.md:7:10: error [url] link 'https://b.example/\\u202egpj.exe' "
        "contains the control character U+202E (write the address as plain text, or "
        "percent-encode the character)\n"
    )


# -- empty option values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("actions", "--today", ""), "'--today'"),
        (("check", "--today", " "), "'--today'"),
        (("actions", "show", "2022-06-24/1", "--today", ""), "'--today'"),
        (("actions", "--owner", ""), "'--owner'"),
        (("actions", "--meeting", ""), "'--meeting'"),
        (("actions", "--search", " "), "'--search'"),
        (("new-meeting", "--dry-run", "--date", ""), "'--date'"),
        (("new-meeting", "--dry-run", "--title", ""), "'--title'"),
        (("agenda", ""), "'DATE|ID|PATH'"),
        (("actions", "--by", "owner", "--eml", ""), "'--eml'"),
        (("actions", "--by", ""), "'--by'"),
        (("actions", "-o", ""), "'--output' / '-o'"),
        (("export", "--sqlite", ""), "'--sqlite'"),
        (("init", "", "--no-input"), "'DIR'"),
        (("init", "x", "--no-input", "--timezone", ""), "'--timezone'"),
        (("init", "x", "--no-input", "--group", " "), "'--group'"),
        (("init", "x", "--no-input", "--cadence", ""), "'--cadence'"),
    ],
)
def test_an_empty_option_value_is_a_usage_error(
    args: tuple[str, ...], name: str, tmp_path: Path
) -> None:
    # An empty value is often an unset shell variable: never "the current folder", "UTC".
    r = run_tf(*args, cwd=tmp_path)
    assert (r.code, r.out) == (2, "")
    assert r.err.endswith(
        f"Error: Invalid value for {name}: is empty; give a value, or leave it out\n"
    )


def test_commands_that_write_are_guarded_too(hostile: Path, tmp_path: Path) -> None:
    shutil.copytree(hostile, tmp_path, dirs_exist_ok=True)
    env = {"GITHUB_ACTIONS": "true"}
    note = "x\n::error::note ##[error]n"
    for args in (
        ("actions", "done", "2022-07-01/1", "--note", note, "--in-place"),
        ("new-meeting", "--date", "2022-07-22", "--title", "t\n::error::title", *TODAY),
    ):
        r = run_tf(*args, cwd=tmp_path, env=env)
        assert r.code == 0, r.err
        for line in (r.out + r.err).splitlines():
            assert not line.lstrip().startswith("::") and "##[" not in line, line


def test_binary_and_file_output_work_under_github_actions(hostile: Path, tmp_path: Path) -> None:
    """The guard wraps stdout in CI; a binary format (xlsx) goes through it unchanged, and the
    commands that write files (drafts, a database, a scaffold, a site) work there too."""
    env = {"GITHUB_ACTIONS": "true"}
    for args in (("actions", "-f", "xlsx", *TODAY), ("list", "-f", "xlsx")):
        p = subprocess.run(
            [sys.executable, "-m", "tfcli", *args],
            cwd=hostile,
            env={**os.environ, **env, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            timeout=60,
        )
        assert p.returncode == 0, p.stderr.decode()
        assert p.stdout.startswith(b"PK\x03\x04")  # a zip: the workbook, byte for byte
    repo = tmp_path / "repo"
    shutil.copytree(hostile, repo)
    for args in (
        ("actions", "--by", "owner", "--eml", str(tmp_path / "drafts"), *TODAY),
        ("export", "--sqlite", str(tmp_path / "m.db")),
        ("init", str(tmp_path / "new"), "--no-input"),
        ("render", "--out", str(tmp_path / "site")),
    ):
        r = run_tf(*args, cwd=repo, env=env)
        assert r.code in (0, 1), (args, r.err)
        assert "Traceback" not in r.err
        for line in (r.out + r.err).splitlines():
            assert not line.lstrip().startswith("::") and "##[" not in line, line


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_a_link_address_with_a_zero_width_character_is_refused(tmp_path: Path, char: str) -> None:
    """Invisible: an address with a zero-width space looks like another address."""
    (tmp_path / "minutes").mkdir()
    escaped = f"\\u{ord(char):04x}"
    (tmp_path / "minutes" / "2022-07-01-a.md").write_text(
        f'---\ndate: 2022-07-01\nlinks:\n  - url: "https://exam{escaped}ple.org/"\n---\n',
        encoding="utf-8",
    )
    r = run_tf("check", cwd=tmp_path)
    assert r.code == 1
    assert f"contains the control character U+{ord(char):04X}" in r.out, r.out


def test_safe_escapes_exactly_what_its_regular_expression_did() -> None:
    """output.safe's table (no regex compiled at start-up) against the expression it replaced,
    over every code point."""
    from tfcli.output import safe

    before = re.compile(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
    )
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert safe(every) == before.sub(lambda m: repr(m[0])[1:-1], every)
    assert safe("a\x1b[31mb\u202ec\td\u2028") == "a\\x1b[31mb\\u202ec\td\\u2028"


def test_safe_escapes_a_lone_surrogate() -> None:
    """An undecodable byte of a command line or file name reaches tf as a lone surrogate: a
    message that quotes it must still be written to a stream that encodes strictly."""
    assert safe("--today '\udcff'\n") == "--today '\\udcff'\n"
    assert safe("é\udcff\x1b") == "é\\udcff\\x1b"
    safe("a\ud800b").encode("utf-8")  # strict: raises if one were left


def test_a_lone_surrogate_on_the_command_line_is_a_usage_error(tf: Tf) -> None:
    r = tf("actions", "--format", "json", "--today", "\udcff")
    assert r.code == 2
    assert "\\udcff" in r.err and "\udcff" not in r.err


@pytest.mark.skipif(sys.platform != "linux", reason="a folder name of any bytes: Linux")
def test_a_repository_in_a_folder_whose_name_is_not_utf8(tf: Tf, tmp_path: Path) -> None:
    """A repository below a folder named in another encoding (`R\xe9unions` in Latin-1, an
    older system's): its name holds a lone surrogate, and the index's and the configuration
    cache's keys could not encode it (an internal error, exit 70, for every command)."""
    root = Path(os.fsdecode(bytes(tmp_path) + b"/R\xe9unions"))
    shutil.copytree(SEED, root)
    for env in ({}, {"TF_INDEX": "off"}):
        for _ in range(2):  # the index made, then read
            r = tf("check", cwd=root, env=env)
            assert (r.code, r.err) == (0, "tf check: 0 errors, 0 warnings in 1 file\n")
            r = tf("actions", "--format", "json", "--today", "2022-07-09", cwd=root, env=env)
            assert r.code == 0 and len(json.loads(r.out)) == 2
