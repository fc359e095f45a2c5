"""What a Word document pasted into the minutes leaves behind that tf would otherwise pass in
silence: agenda items numbered by hand (`tf agenda` and the site number them again: "1. 1.
Welcome remarks") and HTML tags in the body (the site shows them as text, never as
formatting: tfcli/site/markdown's `js-default` preset). One warning per file each, at the
first one found, so a pasted document gives two lines, not hundreds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from tfcli.fields import excerpt
from tfcli.model import Problem, Repo, Severity, place
from tfcli.paths import display_path

_NUMBERED = re.compile(r"\d{1,2}[.)]\s+(?=\S)")  # `1. Welcome remarks`, `2) AOB`
# The tags Word's HTML export leaves (not `<https://...>`, Markdown's own link form).
_TAG = re.compile(
    r"</?(?:p|b|i|u|em|strong|br|a|ul|ol|li|span|div|font|table|tr|td|th|h[1-6]|sup|sub)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_CODE = re.compile(r"`[^`\n]*`")  # `<b>` in a code span is meant as text


def numbered_agenda(repo: Repo, today: date) -> Iterable[Problem]:
    for m in repo.meetings:
        for i, item in enumerate(m.agenda):
            found = _NUMBERED.match(item.title)
            if not found:
                continue
            bare = item.title[found.end() :]
            line, col = place(m.spans, ("agenda", i))
            yield Problem(
                display_path(m.path),
                line,
                col,
                Severity.WARNING,
                "agenda-number",
                f"agenda item '{excerpt(item.title)}' is numbered by hand: 'tf agenda' and the "
                f"site number the agenda themselves ('1. {excerpt(item.title)}')",
                f"drop the number: - {excerpt(bare)}",
            )
            break


def html_tags(repo: Repo, today: date) -> Iterable[Problem]:
    for m in repo.meetings:
        if "<" not in m.body:  # nearly every body
            continue
        fence = False
        for n, text in enumerate(m.body.split("\n")):
            if text.lstrip().startswith(("```", "~~~")):
                fence = not fence
            if fence or text.startswith(("    ", "\t")):
                continue
            tag = _TAG.search(_CODE.sub(lambda c: " " * len(c.group()), text))
            if tag is None:
                continue
            yield Problem(
                display_path(m.path),
                m.body_line + n,
                tag.start() + 1,
                Severity.WARNING,
                "html",
                f"the body has HTML ('{excerpt(tag.group())}'): the site shows HTML of the "
                "minutes as text, tags and all, never as formatting",
                "write Markdown: **bold**, *italics*, [text](https://...), '- ' or '1. ' "
                "before list items, a blank line between paragraphs",
            )
            break
