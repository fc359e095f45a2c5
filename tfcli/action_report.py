"""What `tf actions` writes besides the listing: the digest per organisation (to stdout or
as e-mail drafts), the GitHub step summary and the count line on stderr."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tfcli.output import Format, message

if TYPE_CHECKING:  # the digest module only for --by owner; the rest not for a kept listing
    from tfcli.action_views import View
    from tfcli.actions import Query, Tracked
    from tfcli.digest import Group
    from tfcli.model import Repo


def parse_by(by: str) -> None:
    """`--by`'s value checked (the digest's module is imported only for --by)."""
    from tfcli.digest import parse_by as parse

    parse(by)


def digest(
    repo: Repo, chosen: list[Tracked], v: View, query: Query, fmt: Format, eml: Path | None
) -> None:
    """`--by owner`: the digest in `fmt` (markdown, json) to stdout, or drafts into `eml`."""
    from tfcli import digest as d
    from tfcli.output import write_json

    days = 7 if query.due_within is None else query.due_within
    groups = d.groups(chosen, v.roster, v.today, days, query.owner)
    if eml is not None:
        drafts(repo, groups, v, days, eml)
    elif fmt is Format.json:
        write_json(d.as_json(groups, v), sys.stdout)
    else:
        sys.stdout.write(d.render(groups, repo.config.group, v.today, days))


def drafts(repo: Repo, groups: list[Group], v: View, days: int, folder: Path) -> None:
    from tfcli.mail import write_drafts
    from tfcli.paths import display_path

    written, unaddressed = write_drafts(groups, repo.config, folder, v.today, days)
    for path in written:
        sys.stdout.write(display_path(path) + "\n")
    for name in unaddressed:
        message(f"tf actions: no e-mail address for {name} in tf.yml; its draft has no recipient")
    message(f"tf actions: {len(written)} e-mail draft{'s' if len(written) != 1 else ''} written")


def summary(chosen: list[Tracked], day: date, query: Query) -> None:
    """`--summary`: a Markdown table appended to $GITHUB_STEP_SUMMARY, when it is set."""
    from tfcli.action_views import summary as table
    from tfcli.write_report import append_step_summary

    text = table(chosen, day, "overdue" if query.overdue else "matching")
    if not append_step_summary(text):
        message("tf actions: --summary: $GITHUB_STEP_SUMMARY is not set; no summary written")


def counts(chosen: list[Tracked], v: View) -> None:
    """The count line on stderr: `tf actions: 2 actions, 1 overdue (today 2022-07-09)`."""
    from tfcli.listing_store import count_line

    message(count_line(len(chosen), sum(t.overdue(v.today) for t in chosen), v.today))
