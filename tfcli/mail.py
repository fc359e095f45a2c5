"""The per-organisation digest as e-mail drafts (`tf actions --by owner --eml DIR`): one
standards-conforming .eml per organisation that a mail client opens as an unsent draft.
Nothing is sent: tf has no SMTP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

from tfcli.dates import long_date
from tfcli.digest import Group, letter
from tfcli.errors import UsageError
from tfcli.model import Config
from tfcli.output import md_text, safe
from tfcli.slug import slugify


def _plain(text: str) -> str:
    """User text in the plain-text part and in headers: one line, controls escaped."""
    return " ".join(safe(text).split())


def _html(markdown: str) -> str:
    """The Markdown letter (every markup character of user text already escaped by md_text)
    as HTML, with raw HTML off as a second guard: minutes text stays text in any client."""
    from tfcli.templates import markdown_to_html

    return markdown_to_html(markdown, tables=False)


def addresses(config: Config, organisation: str) -> tuple[str, ...]:
    return next((o.email for o in config.organisations if o.name == organisation), ())


def draft(g: Group, config: Config, today: date, within: int, now: datetime) -> EmailMessage:
    name = config.group
    msg = EmailMessage()
    if to := addresses(config, g.organisation):
        msg["To"] = ", ".join(to)
    msg["Subject"] = _plain(f"{name}: action points for {g.organisation}, as of {long_date(today)}")
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid("tf", domain="tf.invalid")  # no DNS lookup for a hostname
    msg["X-Unsent"] = "1"  # Outlook, Thunderbird and Apple Mail open the file as a draft
    text = "\n".join(letter(g, name, today, within, _plain, lambda s: s))
    msg.set_content(text)
    title = md_text(f"{name}: action points for {g.organisation}")
    body = _html("\n".join(letter(g, name, today, within)))
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{_html(title).strip().removeprefix('<p>').removesuffix('</p>')}</title>"
        f"</head><body>\n{body}</body></html>\n"
    )
    msg.add_alternative(page, subtype="html")
    return msg


def file_names(gs: Sequence[Group]) -> list[str]:
    """`<organisation>.eml`, unique even when two names fold to the same slug."""
    out: list[str] = []
    for g in gs:
        base = slugify(g.organisation, 50) or "organisation"
        name, n = f"{base}.eml", 2
        while name in out:
            name, n = f"{base}-{n}.eml", n + 1
        out.append(name)
    return out


def check_folder(folder: Path, config: Config) -> None:
    """`--eml DIR` must be a folder (created when missing) outside the group's records: a
    draft in minutes/ would be read as a minutes file; a file named as DIR said 'File
    exists'."""
    import os

    from tfcli.paths import below, display_path, within

    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--eml {shown} is not a folder", "name a folder for the drafts")
    named = os.path.abspath(folder)
    for records, what in ((config.minutes_dir, "minutes"), (config.templates_dir, "templates")):
        if within(folder, records) or below(named, os.path.abspath(records)):
            raise UsageError(
                f"--eml {shown} is inside the {what} folder; drafts never go among the "
                "group's records",
                "name a folder outside the minutes and templates folders, e.g. --eml drafts",
            )


def write_drafts(
    gs: Sequence[Group],
    config: Config,
    folder: Path,
    today: date,
    within: int,
    now: datetime | None = None,
) -> tuple[list[Path], list[str]]:
    """Every draft, or none: when any target exists, refuse naming them all. Returns the
    files written and the organisations that have no address (their drafts have no To)."""
    from zoneinfo import ZoneInfo

    from tfcli.paths import display_path
    from tfcli.write import create_new

    now = now or datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0)

    check_folder(folder, config)
    targets = [folder / n for n in file_names(gs)]
    if existing := [display_path(p) for p in targets if p.exists()]:
        raise UsageError(
            f"not overwriting: {', '.join(existing)} already exist"
            if len(existing) > 1
            else f"not overwriting: {existing[0]} already exists",
            "choose another --eml folder, or move the old drafts away first",
        )
    for g, path in zip(gs, targets, strict=True):
        create_new(path, draft(g, config, today, within, now).as_bytes(policy=SMTP))
    missing = [g for g in gs if not g.unowned and not addresses(config, g.organisation)]
    return targets, [g.organisation for g in missing]  # "no owner yet": for the secretariat
