"""The agenda `tf agenda` circulates before a meeting: its details, its agenda items, and
the action points pending before it (tfcli.agenda.pending_actions), as Markdown or as a
small HTML page."""

from __future__ import annotations

from datetime import date

from tfcli.actions import Tracked
from tfcli.agenda import pending_actions
from tfcli.errors import UsageError
from tfcli.model import Meeting, Repo
from tfcli.policy import action_text_for


def upcoming(repo: Repo, today: date) -> Meeting:
    """The next meeting on or after today."""
    for m in repo.meetings:
        if m.date >= today:
            return m
    # The example is this group's latest meeting: a fixed date named one it never held.
    latest = f", or name a meeting: tf agenda {repo.meetings[-1].id}" if repo.meetings else ""
    raise UsageError(
        f"no meeting on or after {today.isoformat()}", f"prepare it with 'tf new-meeting'{latest}"
    )


def agenda_markdown(m: Meeting, repo: Repo, today: date) -> str:
    from tfcli.dates import long_date
    from tfcli.output import md_text

    cfg = repo.config
    title = m.title or cfg.group
    out = [f"# {md_text(title)}", ""]
    details = [
        ("Date", long_date(m.date, weekday=True)),
        ("Time", f"{m.time}–{m.end_time}" if m.time and m.end_time else m.time),
        ("Location", m.location),
        ("Chair", m.chair.label() if m.chair else None),
        ("Co-chairs", "; ".join(p.label() for p in m.co_chairs)),
        ("Minutes to endorse", m.previous.meeting if m.previous else None),
    ]
    lines = [f"**{k}:** {md_text(v)}" for k, v in details if v]
    out += [line + "  " for line in lines[:-1]] + lines[-1:]  # hard line breaks between
    out += ["", "## Agenda", ""]
    for i, item in enumerate(m.agenda, 1):
        extra = ", ".join(x for x in (item.type, item.presenter) if x)
        out.append(f"{i}. {md_text(item.title)}" + (f" ({md_text(extra)})" if extra else ""))
    if not m.agenda:
        out.append("No agenda items yet.")
    pending = pending_actions(repo, m.date)
    dated = [t for t in pending if t.due is not None]
    undated = [t for t in pending if t.due is None]
    out += ["", "## Pending action points", ""]
    out += _pending_table(dated, today, m.visibility) if dated else []
    if not pending:
        out.append("No pending action points.")
    elif not dated:
        out.append("None with a date.")
    if undated:  # never overdue, so easily forgotten: listed on their own
        out += ["", "### Open, without a date", ""]
        out += _pending_table(undated, today, m.visibility)
    return "\n".join(out) + "\n"


def _pending_table(pending: list[Tracked], today: date, audience: str) -> list[str]:
    from tfcli.action_views import owner_label, undated
    from tfcli.dates import relative
    from tfcli.output import md_text

    out = ["| Action | What | Owner | Due | Status |", "|---|---|---|---|---|"]
    for t in pending:
        if t.due is not None:  # (a `due:` in error has none: undated says so)
            hint = relative(t.due, today)  # words: "next meeting (2022-07-22), in 2 days"
            due = f"{t.due_label}, {hint}" if t.due_text else f"{t.due_label} ({hint})"
        else:
            due = t.due_text or undated(t)
        text = action_text_for(t.meeting, t.action, audience)
        cells = (t.id, text, owner_label(t.owners), due, t.status)
        out.append("| " + " | ".join(md_text(c) for c in cells) + " |")
    return out


def agenda_html(m: Meeting, repo: Repo, today: date) -> str:
    from tfcli.templates import html_page

    title = f"{m.title or repo.config.group} — {m.date.isoformat()}"
    return html_page(title, agenda_markdown(m, repo, today))
