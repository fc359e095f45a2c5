"""A command's help names its arguments as its usage line does."""

from __future__ import annotations

from conftest import Tf


def test_agenda_help_names_its_argument_as_the_usage_line(tf: Tf) -> None:
    r = tf("agenda", "--help")
    text = " ".join(r.out.split())
    assert r.code == 0 and "Usage: tf agenda [OPTIONS] [DATE|ID|PATH]" in text
    assert (
        "Markdown by default, or a small HTML page with --format html. Without DATE|ID|PATH: "
        "the next meeting on or after today" in text
    )
    assert "MEETING" not in text
