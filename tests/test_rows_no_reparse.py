"""The one-file rules the index runs for every file it reads (`rows.of_meeting`) find what
they need in the line reader's record of lines: for a file they have nothing to say about,
libyaml's composer never runs again. A rule that asks for a position the model does not
keep (an entry past the kept ones) on a released parse composes the whole front matter
(0.3 ms a file: the tenth wave's [person-details] did so for every file, two thirds of a
cold listing's index rows at 5,000 meetings)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tfcli import rows, yamlnodes
from tfcli.load import load_config, read_meeting
from tfcli.model import Problem


def _no_compose(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    composed: list[str] = []
    real = yamlnodes.compose

    def spy(text: str) -> object:
        composed.append(text)
        return real(text)

    monkeypatch.setattr(yamlnodes, "compose", spy)
    return composed


def _rows_of(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(files with nothing to say, libyaml compositions their rules made)."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        config, _ = load_config()
        composed = _no_compose(monkeypatch)
        clean = 0
        for p in sorted((folder / "minutes").iterdir()):
            problems: list[Problem] = []
            m = read_meeting(p, config, problems)
            if m is None or problems:
                continue
            before = len(composed)
            row = rows.of_meeting(m, config)
            if row[-1] == ():  # the one-file rules' problems: none
                clean += 1
                assert len(composed) == before, p
        return clean, len(composed)
    finally:
        os.chdir(here)


def test_generated_minutes_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    generate(60, tmp_path)
    clean, composed = _rows_of(tmp_path, monkeypatch)
    assert clean == 60 and composed == 0
