"""The built-in meeting.html and organisation.html (in base.html) as Python that writes the
same bytes: 4,772 of a clean build's 4,831 pages at 5,000 meetings, where Jinja2's
generators, look-ups and calls were a fifth of the build's CPU. Used only by the built-in
templates' environment (a group with any template of its own renders through Jinja2 as
written) and only for what pages.py puts in those pages' contexts; anything else raises Slow
and the template runs.

Each value goes through the environment's `printed` (the policy's finalizer, then
escaping), as `{{ x }}` does in the template; the text between is the compiled template's
(trim_blocks and lstrip_blocks applied). tests/test_render_rows.py builds sites both ways
(generated and hostile minutes, public and internal) and compares them byte for byte."""

from __future__ import annotations

from functools import partial
from typing import Any

from markupsafe import Markup

from tfcli.model import Meeting
from tfcli.site.rows import Slow, _join

_HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport"'
    ' content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-'
    'Policy" content="'
)


def render(env: Any, template: str, ctx: dict[str, Any]) -> str:
    """`template` (meeting.html or organisation.html) for `ctx` (the page's context, with
    base.html's `root`, `group`, `internal`, `today`; a meeting's `body`), as Jinja2 renders
    it with `env`."""
    if template == "meeting.html":
        m = ctx["m"]
        if type(m) is not Meeting:
            raise Slow
        main: Any = partial(_main, m=m)
    else:
        main = _organisation
    p = env.printed
    filters = env.filters
    long_date, weekday_date = filters["long_date"], filters["weekday_date"]
    root, group, internal, title = ctx["root"], ctx["group"], ctx["internal"], ctx["title"]
    r = p(root)
    out = [
        _HEAD,
        p(env.globals["csp"]),
        '">\n<meta name="referrer" content="no-referrer">\n<title>',
        p(title),
    ]
    add = out.append
    if group not in title:
        add(f" · {p(group)}")
    if internal:
        add(" (internal)")
    add(f'</title>\n<link rel="stylesheet" href="{r}assets/site.css">\n</head>\n<body>\n')
    add('<a class="skip" href="#main">Skip to content</a>\n')
    if internal:
        add(
            '<p class="internal" role="note"><strong>Internal:</strong> this build includes'
            " restricted meetings. Do not publish or forward it.</p>\n"
        )
    add(
        f'<header class="site">\n<p class="group"><a href="{r}index.html">{p(group)}</a></p>\n'
        f'<nav aria-label="Site">\n<ul>\n<li><a href="{r}meetings.html">Meetings</a></li>\n'
        f'<li><a href="{r}tracker.html">Actions</a></li>\n'
        f'<li><a href="{r}decisions.html">Decisions</a></li>\n'
        f'<li><a href="{r}attendance.html">Attendance</a></li>\n'
        f'<li><a href="{r}search.html">Search</a></li>\n'
        f'<li><a href="{r}calendar.ics">Calendar</a></li>\n</ul>\n</nav>\n</header>\n'
        '<main id="main">\n'
    )
    main(env, ctx, add=add, long_date=long_date, wd=weekday_date)
    add(f'</main>\n<footer class="site">\n<p>{p(group)}')
    if internal:
        add(" · internal build")
    add(f" · as of {p(long_date(ctx['today']))} · made with tf render</p>\n</footer>\n")
    add("</body>\n</html>\n")
    return "".join(out)


def _main(env: Any, ctx: dict[str, Any], m: Meeting, add: Any, long_date: Any, wd: Any) -> None:
    """meeting.html's `main` block."""
    p = env.printed
    lang = ctx["lang"]
    person = env.fast_macros["person"]
    title = p(m.title or ctx["group"])
    add('<article class="minutes">\n<h1>')
    add(f'<span lang="{p(lang)}">{title}</span>' if lang else title)
    add(f' <span class="date">{p(wd(m.date))}</span></h1>\n')
    if m.visibility == "restricted":
        add('<p class="internal" role="note"><strong>Restricted meeting.</strong></p>')
    if m.postponed:
        pp = m.postponed
        add(
            '<p class="notice" role="note"><strong>Postponed:</strong> this meeting was first'
            " planned for "
        )
        if pp.from_date:
            add(f'<time datetime="{p(pp.from_date.isoformat())}">{p(wd(pp.from_date))}</time>')
        else:
            add("another date")
        if pp.reason:
            reason = p(pp.reason)
            add(
                f'. Reason: <span lang="{p(lang)}">{reason}</span>'
                if lang
                else f". Reason: {reason}"
            )
        add(".</p>")
    add(
        f'<dl class="details">\n<dt>Date</dt><dd><time datetime="{p(m.date.isoformat())}">'
        f"{p(wd(m.date))}</time></dd>\n"
    )
    if m.time:
        add(f"<dt>Time</dt><dd>{p(m.time)}")
        if m.end_time:
            add(f"–{p(m.end_time)}")
        add("</dd>")
    if ctx["duration"]:
        add(f"<dt>Duration</dt><dd>{p(ctx['duration'])}</dd>")
    if m.location:
        add(f"<dt>Location</dt><dd>{p(m.location)}</dd>")
    if m.purpose:
        add(f'<dt>Purpose</dt><dd lang="{p(lang)}">' if lang else "<dt>Purpose</dt><dd>")
        add(f"{p(m.purpose)}</dd>")
    if m.language:
        add(f"<dt>Language of the minutes</dt><dd>{p(m.language)}</dd>")
    if m.chair:
        add(f"<dt>Chair</dt><dd>{p(person(m.chair))}</dd>")
    if m.co_chairs:
        add("<dt>Co-chairs</dt>")
        for x in m.co_chairs:
            add(f"<dd>{p(person(x))}</dd>")
    if m.rapporteurs:
        add("<dt>Minute-takers</dt>" if len(m.rapporteurs) > 1 else "<dt>Minute-taker</dt>")
        for x in m.rapporteurs:
            add(f"<dd>{p(person(x))}</dd>")
    add(f"<dt>Minutes</dt><dd>{p(m.status)}")
    if m.silence_until:
        s = m.silence_until
        add(
            f' (silence procedure until <time datetime="{p(s.isoformat())}">'
            f"{p(long_date(s))}</time>)"
        )
    add("</dd>\n")
    if m.previous:
        add(f"<dt>Endorses</dt><dd>minutes of {p(m.previous.meeting)}")
        if m.previous.endorsed:
            add(" (endorsed)")
        add("</dd>")
    add("</dl>\n")
    for heading, key, groups in (
        ("Participants", "participants", m.participants),
        ("Regrets", "regrets", m.regrets),
    ):
        if not groups:
            continue
        add(
            f'<section class="people" aria-labelledby="h-{key}">\n<h2 id="h-{key}">{heading}</h2>\n'
        )
        for group_name, people in groups.items():
            if group_name:
                add(f"<h3>{p(env.filters['group_label'](group_name))}</h3>")
            add("<ul>\n")
            for x in people:
                add(f"<li>{p(x.label())}")
                if x.attends_as:
                    add(f' <span class="note">({p(x.attends_as)})</span>')
                add("</li>\n")
            add("</ul>\n")
        add("</section>\n")
    if m.agenda:
        add('<section aria-labelledby="h-agenda">\n<h2 id="h-agenda">Agenda</h2>\n')
        add(p(Markup(_agenda(p, m.agenda, 1, lang))))
        add("\n</section>\n")
    add(
        f'<section class="body" aria-labelledby="h-minutes" lang="{p(lang)}">'
        if lang
        else '<section class="body" aria-labelledby="h-minutes">'
    )
    add(f'\n<h2 id="h-minutes">Minutes</h2>\n{p(ctx["body"])}\n</section>\n')
    if m.decisions:
        add(
            '<section aria-labelledby="h-decisions">\n<h2 id="h-decisions">Decisions</h2>\n'
            '<ol class="decisions"'
        )
        add(f' lang="{p(lang)}">\n' if lang else ">\n")
        for d in m.decisions:
            add(f"<li>{p(d)}</li>\n")
        add("</ol>\n</section>\n")
    _rest(env, ctx, m, add, long_date, wd)


def _agenda(p: Any, items: Any, depth: int, lang: Any) -> str:
    """meeting.html's `agenda_list` macro."""
    out = ['<ol class="agenda sub"' if depth > 1 else '<ol class="agenda"']
    add = out.append
    if lang and depth == 1:
        add(f' lang="{p(lang)}"')
    add(">\n")
    for item in items:
        add(f"<li>{p(item.title)}")
        if item.type or item.presenter:
            said = _join([x for x in (item.type, item.presenter) if x])
            add(f' <span class="note">({p(said)})</span>')
        if item.visibility == "restricted":
            add(' <strong class="restricted">(restricted)</strong>')
        if item.items and depth < 3:
            add(p(Markup(_agenda(p, item.items, depth + 1, lang))))
        add("</li>\n")
    add("</ol>")
    return "".join(out)


def _rest(env: Any, ctx: dict[str, Any], m: Meeting, add: Any, long_date: Any, wd: Any) -> None:
    p = env.printed
    lang, root = ctx["lang"], ctx["root"]
    actions, updates, links = ctx["actions"], ctx["updates"], ctx["links"]
    if actions:
        add(
            '<section aria-labelledby="h-action-points">\n<h2 id="h-action-points">Action'
            " points</h2>\n"
        )
        caption = "Action points agreed at this meeting, with their status on " + long_date(
            ctx["today"]
        )
        table = env.fast_macros["action_table"](actions, root, caption, show_meeting=False)
        add(f"{p(table)}\n</section>\n")
    if updates:
        add(
            '<section aria-labelledby="h-followups">\n<h2 id="h-followups">Follow-ups of'
            " earlier action points</h2>\n<ul>\n"
        )
        for u, page, said in updates:
            if page:
                add(f'<li><a href="{p(root)}{p(page)}">{p(u.action_id)}</a>: {p(said)}</li>\n')
            else:
                add(f"<li>{p(u.action_id)}: {p(said)}</li>\n")
        add("</ul>\n</section>\n")
    if links:
        add(
            '<section aria-labelledby="h-links">\n<h2 id="h-links">Links</h2>\n<ul class="links">\n'
        )
        for title, url in links:
            if url:
                add(
                    f'<li><a href="{p(url)}">{p(title)}</a> <span class="url">{p(url)}</span>'
                    "</li>\n"
                )
            else:
                add(f"<li>{p(title)}</li>\n")
        add("</ul>\n</section>\n")
    nm = m.next_meeting
    if nm:
        add(
            '<section aria-labelledby="h-next-meeting">\n<h2 id="h-next-meeting">Next meeting'
            "</h2>\n"
        )
        if nm.date:
            add(f'<p><time datetime="{p(nm.date.isoformat())}">{p(wd(nm.date))}</time>')
            if nm.time:
                add(f", {p(nm.time)}")
                if nm.end_time:
                    add(f"–{p(nm.end_time)}")
            elif nm.end_time:
                add(f", until {p(nm.end_time)}")
            if nm.location:
                add(f", {p(nm.location)}")
            add("</p>")
        if nm.agenda:
            add(f'<ul lang="{p(lang)}">\n' if lang else "<ul>\n")
            for topic in nm.agenda:
                add(f"<li>{p(topic)}</li>\n")
            add("</ul>\n")
        add("</section>\n")
    add("</article>\n")
    prev, nxt = ctx["prev"], ctx["next"]
    if prev or nxt:
        add('<nav class="pager" aria-label="Meetings">\n<ul>\n')
        if prev:
            add(
                f'<li><a rel="prev" href="{p(root)}{p(prev[1])}">← Previous: '
                f"{p(long_date(prev[0].date))}</a></li>"
            )
        if nxt:
            add(
                f'<li><a rel="next" href="{p(root)}{p(nxt[1])}">Next: '
                f"{p(long_date(nxt[0].date))} →</a></li>"
            )
        add("</ul>\n</nav>\n")


_SECTIONS = (
    ("overdue", "Overdue action points"),
    ("due_soon", ""),
    ("open", "Open action points, not overdue"),
    ("closed", "Closed action points"),
)


def _organisation(env: Any, ctx: dict[str, Any], add: Any, long_date: Any, wd: Any) -> None:
    """organisation.html's `main` block."""
    p = env.printed
    root, attended, total = ctx["root"], ctx["attended"], ctx["total"]
    add(f"<h1>{p(ctx['org'])}</h1>\n")
    if ctx["roles"]:
        add(f"<p>Member of: {p(_join(ctx['roles']))}.</p>")
    add(f"<p>Attended {p(len(attended))} of {p(total)} meeting")
    add(f"s ({p(ctx['rate'])}).</p>\n" if total != 1 else f" ({p(ctx['rate'])}).</p>\n")
    table = env.fast_macros["action_table"]
    for key, caption in _SECTIONS:
        if key == "due_soon":
            caption = f"Due in the next {ctx['soon_days']} days"
        add(f'<section aria-labelledby="h-{key}">\n<h2 id="h-{key}">{p(caption)}</h2>\n')
        items = ctx[key]
        if items:
            add(f"{p(table(items, root, caption, compact=key == 'closed'))}\n")
        else:
            add("<p>None.</p>\n")
        add("</section>\n")
    add('<section aria-labelledby="h-attendance">\n<h2 id="h-attendance">Attendance</h2>\n')
    if attended:
        r = p(root)
        add('<ul class="meetings">\n')
        for mid, page in attended:
            add(f'<li><a href="{r}{p(page)}">{p(mid)}</a></li>\n')
        add("</ul>\n")
    else:
        add("<p>No recorded attendance.</p>\n")
    add("</section>\n")
