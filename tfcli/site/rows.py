"""The built-in `_macros.html`'s action macros (`action_table`, `status`, `due`, `history`)
and tracker.html's `tracker_rows`, meeting.html's `person`, as Python that writes the same
bytes: a row is a dozen macro calls and some forty printed values, and Jinja2's macro calls
are most of a clean build's template time. A deadline's HTML is remembered by its values.

Only the built-in macros are replaced, and only when they are called with the dicts pages.py
makes (render.py's context checks the macro's file): a group's own `_macros.html`, or a call
with anything else, runs the template as written. Every value still goes through the
environment's `printed` (the policy's finalizer, then escaping), in the template's order;
tests/test_render_rows.py renders both ways and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from tfcli.model import Person

Printed = Callable[[Any], str]
MACROS = ("action_table", "status", "due", "history")  # of _macros.html
TRACKER_MACROS = ("tracker_rows",)  # of tracker.html
MEETING_MACROS = ("person",)  # of meeting.html
DUES_SIZE = 50_000  # deadlines' HTML remembered at most (a few thousand at 5,000 meetings)


_OVERDUE_CLASS = ' class="is-overdue"'


class Slow(Exception):
    """Not what the Python version knows: run the template."""


def _plain(d: Any) -> dict[str, Any]:
    # `a.x` reads a dict's key (render._DictFirst); anything else is the template's business.
    if type(d) is not dict:
        raise Slow
    return d


def macros(printed: Printed, long_date: Callable[[Any], str]) -> dict[str, Callable[..., Markup]]:
    """The four macros, for an environment whose printed values go through `printed`."""

    def status_html(a: dict[str, Any]) -> str:
        s = printed(a["status"])
        out = f'<span class="status s-{s}">{s}</span>'
        return out + ' <strong class="overdue">overdue</strong>' if a["overdue"] else out

    dues: dict[tuple[Any, Any, Any, Any], str] = {}  # the same deadline on many rows and pages

    def due_html(a: dict[str, Any]) -> str:
        key = (a["due_text"], a["due"], a["when"], a["invalid_due"])
        got = dues.get(key)
        if got is None:
            if len(dues) >= DUES_SIZE:
                dues.clear()
            got = dues[key] = _due_html(a)
        return got

    def _due_html(a: dict[str, Any]) -> str:
        text, day = a["due_text"], a["due"]
        out = ""
        if text:
            out = printed(text) + (": " if day else "")
        if day:
            return (
                f'{out}<time datetime="{printed(day.isoformat())}">{printed(long_date(day))}'
                f'</time> <span class="when">({printed(a["when"])})</span>'
            )
        if text:
            return f'{out} <span class="when">({printed(a["when"])})</span>'
        return "invalid due date" if a["invalid_due"] else "no due date"

    def history_html(a: dict[str, Any], root: Any) -> str:
        updates = a["updates"]
        if not updates:
            return ""
        out = ['<ul class="history">\n']
        add = out.append
        for u in updates:
            u = _plain(u)
            page = u["meeting_page"]
            if page:
                add(f'<li><a href="{printed(root)}{printed(page)}">{printed(u["meeting"])}</a>:')
            else:
                add(f"<li>{printed(u['meeting'])}:")
            status, due, owners, note, notes = (
                u["status"],
                u["due"],
                u["owners"],
                u["note"],
                u["notes"],
            )
            if status:
                add(f" status {printed(status)}")
            invalid = u["invalid_due"]  # (a `due:` in error: never with a date)
            if due:
                add(f"{';' if status else ''} due {printed(long_date(due))}")
            elif invalid:
                add(f"{';' if status else ''} invalid due date")
            if u["due_text"]:
                add(f" ({printed(u['due_text'])})")
            if owners:
                add(
                    f"{';' if status or due or invalid else ''} handed over to"
                    f" {printed(_join(owners))}"
                )
            if note:
                add(f"{';' if status or due or invalid or owners else ''} {printed(note)}")
            for n in notes:
                add("; ")
                add(_note(n, printed, long_date))
            if not (status or due or invalid or note or owners or notes):
                add(" mentioned, no change")
            add("</li>\n")
        add("</ul>\n")
        return "".join(out)

    def meeting_cell(a: dict[str, Any], root: Any) -> str:
        page = a["meeting_page"]
        if page:
            return f'<td><a href="{printed(root)}{printed(page)}">{printed(a["meeting"])}</a></td>'
        return f"<td>{printed(a['meeting'])}</td>"

    def status(a: Any) -> Markup:
        return Markup(status_html(_plain(a)))

    def due(a: Any) -> Markup:
        return Markup(due_html(_plain(a)))

    def history(a: Any, root: Any) -> Markup:
        return Markup(history_html(_plain(a), root))

    def action_table(
        actions: Any, root: Any, caption: Any, show_meeting: Any = True, compact: Any = False
    ) -> Markup:
        out = [
            '<div class="scroll">\n<table class="actions compact">\n<caption>'
            if compact
            else '<div class="scroll">\n<table class="actions">\n<caption>',
            printed(caption),
            '</caption>\n<thead>\n<tr><th scope="col">ID</th><th scope="col">Action</th>',
            "" if compact else '<th scope="col">Owner</th><th scope="col">Due</th>',
            '<th scope="col">Status</th>',
            '<th scope="col">Meeting</th>' if show_meeting else "",
            "</tr>\n</thead>\n<tbody>\n",
        ]
        add = out.append
        for a in actions:
            a = _plain(a)
            if compact:
                add(f'<tr>\n<th scope="row">{printed(a["id"])}</th>\n<td>{printed(a["text"])}')
                if "restricted" in a:
                    add(' <strong class="restricted">(restricted)</strong>')
                add(f"</td>\n<td>{status_html(a)}</td>\n")
                if show_meeting:
                    add(meeting_cell(a, root))
                add("</tr>\n")
                continue
            add('<tr class="is-overdue">\n' if a["overdue"] else "<tr>\n")
            add(f'<th scope="row">{printed(a["id"])}</th>\n<td>')
            add(printed(a["text"]))
            if "restricted" in a:
                add(' <strong class="restricted">(restricted)</strong>')
            if a["note"]:
                add(f'<br><span class="note">{printed(a["note"])}</span>')
            for n in a["notes"]:
                add(f'<br><span class="note">{_note(n, printed, long_date)}</span>')
            add(history_html(a, root))
            add(f"</td>\n<td>{printed(a['owner'])}")
            if "agreed_owner" in a:
                add(f'<br><span class="note">agreed: {printed(a["agreed_owner"])}</span>')
            add("</td>\n<td>")
            add(due_html(a))
            if a["postponements"]:
                add(f'<br><span class="note">postponed {printed(a["postponements"])}×</span>')
            if "agreed_due" in a:
                add(_agreed_due(_plain(a["agreed_due"]), printed, long_date))
            add(f"</td>\n<td>{status_html(a)}</td>\n")
            if show_meeting:
                add(meeting_cell(a, root))
            add("</tr>\n")
        add("</tbody>\n</table>\n</div>\n")
        return Markup("".join(out))

    def tracker_rows(rows: Any, root: Any) -> Markup:
        """tracker.html's rows: 30,000 at 5,000 meetings, 0.75 s as the template's loop."""
        out: list[str] = []
        add = out.append
        for a in rows:
            a = _plain(a)
            status, overdue = a["status"], a["overdue"]
            meeting = printed(a["meeting"])
            add(
                f'<tr data-orgs="{printed(a["org_slugs"])}" data-status="{printed(status)}'
                f"{' overdue' if overdue else ''}"
                f"{'' if status in ('done', 'dropped') else ' open-any'}"
                f'" data-meeting="{meeting}"{_OVERDUE_CLASS if overdue else ""}>\n'
                f'<th scope="row">{printed(a["id"])}</th>\n'
                f"<td>{printed(a['text'])}"
            )
            if a["note"]:
                add(f'<br><span class="note">{printed(a["note"])}</span>')
            add(history_html(a, root))
            add(f"</td>\n<td>{printed(a['owner'])}</td>\n<td>")
            add(due_html(a))
            if a["postponements"]:
                add(f'<br><span class="note">postponed {printed(a["postponements"])}×</span>')
            add(f"</td>\n<td>{status_html(a)}</td>\n<td>")
            page = a["meeting_page"]
            add(f'<a href="{printed(page)}">{meeting}</a>' if page else meeting)
            add("</td>\n</tr>\n")
        return Markup("".join(out))

    def person(p: Any) -> Markup:
        """meeting.html's `person`: a chair's or minute-taker's name, role, organisation."""
        if type(p) is not Person:
            raise Slow
        name, role, org = p.name, p.role, p.organisation
        out = printed(name) if name else ""
        if role:
            out = f"{out}, {printed(role)}"
        if org:
            out = f"{out}, {printed(org)}" if name else f"{out}{printed(org)}"
        return Markup(out)

    return {
        "person": person,
        "action_table": action_table,
        "status": status,
        "due": due,
        "history": history,
        "tracker_rows": tracker_rows,
    }


def _note(n: Any, printed: Printed, long_date: Callable[[Any], str]) -> str:
    n = _plain(n)
    day = n["date"]
    return f"{printed(long_date(day))}: {printed(n['text'])}" if day else printed(n["text"])


def _agreed_due(d: dict[str, Any], printed: Printed, long_date: Callable[[Any], str]) -> str:
    text, day = d["text"], d["day"]
    if text:
        said = printed(text) + (f" ({printed(long_date(day))})" if day else "")
    else:
        said = printed(long_date(day)) if day else ""
    return f'<br><span class="note">agreed: {said}</span>'


def _join(items: Any) -> str:
    """`items|join(", ")` as Jinja2 makes it with autoescape on, for items without
    `__html__` (with one, the filter escapes the rest: the template does that)."""
    if type(items) is not list or any(hasattr(x, "__html__") for x in items):
        raise Slow
    return ", ".join(str(x) for x in items)
