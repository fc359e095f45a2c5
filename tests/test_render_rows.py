"""The built-in action macros run as Python (tfcli.site.rows): the same bytes as the
template, for generated and hostile minutes and for arbitrary actions; a group's own
`_macros.html` still decides."""

from __future__ import annotations

import importlib
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from test_render_hostile import hostile_meeting

from tfcli.load import load_repo
from tfcli.model import NextMeeting, Person, Postponed, Previous
from tfcli.site import build
from tfcli.site.policy import Policy

render = importlib.import_module("tfcli.site.render")  # the package's `render` is a function


def files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def both_ways(root: Path, today: date, policy: Policy, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build with the Python macros and one with the template's: the same files."""
    build(load_repo(root), today, root / "_fast", policy, jobs=1, use_cache=False)
    with monkeypatch.context() as m:
        m.setattr(render, "FAST", False)
        build(load_repo(root), today, root / "_slow", policy, jobs=1, use_cache=False)
    fast, slow = files(root / "_fast"), files(root / "_slow")
    assert fast.keys() == slow.keys()
    for name in fast:
        assert fast[name] == slow[name], name


@pytest.mark.parametrize("internal", [False, True])
def test_generated_minutes_render_the_same_both_ways(
    internal: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from gen import generate

    generate(120, tmp_path)
    both_ways(tmp_path, date(2026, 1, 1), Policy(include_restricted=internal), monkeypatch)


@pytest.mark.parametrize("internal", [False, True])
def test_hostile_minutes_render_the_same_both_ways(
    internal: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SEED, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".tf"))
    for day in ("2022-07-01", "2022-07-02"):
        (tmp_path / "minutes" / f"{day}-hostile.md").write_text(hostile_meeting(day))
    restricted = hostile_meeting("2022-07-03", "restricted")
    (tmp_path / "minutes" / "2022-07-03-closed.md").write_text(restricted)
    both_ways(tmp_path, date(2022, 7, 25), Policy(include_restricted=internal), monkeypatch)


# Text that the finalizer and escaping change: markup, an address, a phone number, controls.
text = st.one_of(
    st.sampled_from(["", "a <b> & 'c' \"d\"", "x@example.org", "+41 22 123 45 67", "\x1b[1m"]),
    st.text(max_size=12),
)
day = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31)))
note = st.fixed_dictionaries({"date": day, "text": text})
update = st.fixed_dictionaries(
    {
        "meeting": text,
        "meeting_page": st.one_of(st.none(), text),
        "status": st.one_of(st.none(), text),
        "due": day,
        "due_text": st.one_of(st.none(), text),
        "owners": st.lists(text, max_size=2),
        "note": st.one_of(st.none(), text),
        "notes": st.lists(note, max_size=2),
        "invalid_due": st.booleans(),
    }
)
action = st.fixed_dictionaries(
    {
        "id": text,
        "text": text,
        "note": st.one_of(st.none(), text),
        "notes": st.lists(note, max_size=2),
        "updates": st.lists(update, max_size=2),
        "owner": text,
        "due": day,
        "due_text": st.one_of(st.none(), text),
        "when": text,
        "postponements": st.integers(0, 3),
        "status": text,
        "overdue": st.booleans(),
        "meeting": text,
        "meeting_page": st.one_of(st.none(), text),
        "invalid_due": st.booleans(),
    },
    optional={
        "restricted": st.just(True),
        "agreed_owner": text,
        "agreed_due": st.fixed_dictionaries({"text": st.one_of(st.none(), text), "day": day}),
    },
)
PAGE = """{% from "_macros.html" import action_table, status, due, history %}
{{ action_table(rows, root, caption) }}{{ action_table(rows, root, caption, show_meeting=False) }}
{{ action_table(rows, root, caption, compact=True) }}{{ action_table(rows, root, caption, False, True) }}
{% for a in rows %}{{ status(a) }}|{{ due(a) }}|{{ history(a, root) }}{% endfor %}"""


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("group-templates")


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(action, max_size=3),
    root=st.sampled_from(["", "../"]),
    caption=text,
    sandboxed=st.booleans(),
)
def test_any_action_renders_the_same_both_ways(
    rows: list[dict[str, Any]], root: str, caption: str, sandboxed: bool, empty: Path
) -> None:
    """Both environments: the sandboxed one (a group with templates of its own, but not
    `_macros.html`) runs the built-in macros as Python too."""
    group = empty if sandboxed else None  # nothing overridden
    fast = render.environment(group, Policy())
    assert isinstance(fast, SandboxedEnvironment) is sandboxed
    ran: list[str] = []
    invoke = Macro._invoke
    Macro._invoke = lambda self, *a: ran.append(self.name) or invoke(self, *a)  # type: ignore[method-assign]
    try:
        got = fast.from_string(PAGE).render(rows=rows, root=root, caption=caption)
    finally:
        Macro._invoke = invoke  # type: ignore[method-assign]
    assert ran == []  # every call went to the Python version
    slow = render.environment(group, Policy())
    slow.fast_macros = {}
    assert got == slow.from_string(PAGE).render(rows=rows, root=root, caption=caption)


tracker_row = st.tuples(action, text).map(lambda x: {**x[0], "org_slugs": x[1]})


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(tracker_row, max_size=3), sandboxed=st.booleans())
def test_any_tracker_row_renders_the_same_both_ways(
    rows: list[dict[str, Any]], sandboxed: bool, empty: Path
) -> None:
    """tracker.html's `tracker_rows` as Python: the page the template makes, byte for byte."""
    group = empty if sandboxed else None
    ctx = {"title": "Action tracker", "rows": rows, "owners": [("a", "A")], "meetings": ["m"]}
    ctx |= {"counts": {"open": 2, "overdue": 1, "closed": 0}, "root": "", "group": "G"}
    ctx |= {"internal": False, "today": date(2026, 1, 1)}
    fast = render.environment(group, Policy())
    ran: list[str] = []
    invoke = Macro._invoke
    Macro._invoke = lambda self, *a: ran.append(self.name) or invoke(self, *a)  # type: ignore[method-assign]
    try:
        got = fast.get_template("tracker.html").render(ctx)
    finally:
        Macro._invoke = invoke  # type: ignore[method-assign]
    assert ran == []
    slow = render.environment(group, Policy())
    slow.fast_macros = {}
    assert got == slow.get_template("tracker.html").render(ctx)


def test_the_built_in_macros_run_as_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """No template macro runs for a table of actions (the test of the point of rows.py)."""
    ran: list[str] = []
    invoke = Macro._invoke
    monkeypatch.setattr(
        Macro, "_invoke", lambda self, *a: ran.append(self.name) or invoke(self, *a)
    )
    env = render.environment(None, Policy())
    row = {"id": "1", "text": "t", "note": None, "notes": [], "updates": [], "owner": "o"}
    row |= {"due": None, "due_text": None, "when": "", "postponements": 0, "status": "open"}
    row |= {"overdue": False, "meeting": "m", "meeting_page": None, "invalid_due": False}
    html = env.from_string(PAGE).render(rows=[row], root="", caption="c")
    assert '<span class="status s-open">open</span>|no due date|' in html
    assert ran == []


def test_a_group_macros_file_and_other_values_run_the_template(tmp_path: Path) -> None:
    """The group's `_macros.html` replaces the built-in one, macros and all (the built-in
    tracker's rows call it too); a built-in macro given something else than an action's
    dict runs as the template says."""
    (tmp_path / "_macros.html").write_text(
        (render.BUILTIN / "_macros.html")
        .read_text(encoding="utf-8")
        .replace('<span class="status s-{{ a.status }}">', '<span class="mine">')
    )
    (tmp_path / "page.html").write_text(PAGE)
    row = {"id": "1", "text": "t", "note": None, "notes": [], "updates": [], "owner": "o"}
    row |= {"due": None, "due_text": None, "when": "", "postponements": 0, "status": "open"}
    row |= {"overdue": False, "meeting": "m", "meeting_page": None, "invalid_due": False}
    group = render.environment(tmp_path, Policy())
    html = group.get_template("page.html").render(rows=[row], root="", caption="c")
    assert html.count('<span class="mine">open</span>') == 5  # four tables, one status
    assert "s-open" not in html

    class Action:  # attributes, not keys: not the Python version's
        def __init__(self) -> None:
            self.status, self.overdue = "done", True

    ctx = {"title": "T", "rows": [row | {"org_slugs": "o"}], "owners": [], "meetings": []}
    ctx |= {"counts": {"open": 1, "overdue": 0, "closed": 0}, "root": "", "group": "G"}
    tracker = group.get_template("tracker.html").render(ctx, internal=False, today=date.today())
    assert '<td><span class="mine">open</span></td>' in tracker

    env = render.environment(None, Policy())
    got = env.from_string('{% from "_macros.html" import status %}{{ status(a) }}').render(
        a=Action()
    )
    assert got == '<span class="status s-done">done</span> <strong class="overdue">overdue</strong>'


@pytest.mark.parametrize("hostile", [False, True])
def test_meeting_pages_are_made_as_python(
    hostile: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in meeting.html and organisation.html run as tfcli.site.builtin_pages for
    every such page of generated and hostile minutes (so that the comparisons above compare
    it)."""
    from tfcli.site import builtin_pages

    made: list[str] = []
    declined: list[Exception] = []
    python = builtin_pages.render

    def counted(env: Any, template: str, ctx: dict[str, Any]) -> str:
        try:
            html = python(env, template, ctx)
        except Exception as e:
            declined.append(e)
            raise
        made.append(ctx["m"].id if template == "meeting.html" else ctx["org"])
        return html

    monkeypatch.setattr(builtin_pages, "render", counted)
    if hostile:
        shutil.copytree(SEED, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".tf"))
        for day in ("2022-07-01", "2022-07-02"):
            (tmp_path / "minutes" / f"{day}-hostile.md").write_text(hostile_meeting(day))
    else:
        sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
        from gen import generate

        generate(60, tmp_path)
    repo = load_repo(tmp_path)
    build(repo, date(2026, 1, 1), tmp_path / "_site", Policy(), jobs=1, use_cache=False)
    assert not declined
    shown = [m for m in repo.meetings if m.visibility != "restricted"]
    orgs = {p.name.removesuffix(".html") for p in (tmp_path / "_site" / "organisations").iterdir()}
    assert len(made) == len(shown) + len(orgs) and len(shown) > 0 and len(orgs) > 0


_words = st.sampled_from(["", "a <b> & 'c'", "x@example.org", "+41 22 123 45 67", "Été"])
_person = st.builds(
    Person,
    name=st.one_of(st.none(), _words),
    organisation=st.one_of(st.none(), _words),
    role=st.one_of(st.none(), _words),
    attends_as=st.one_of(st.none(), _words),
)


@settings(max_examples=60, deadline=None)
@given(
    language=st.sampled_from([None, "en", "fr", "pt-BR"]),
    silence=day,
    rapporteurs=st.lists(_person, max_size=3),
    chair=st.one_of(st.none(), _person),
    people=st.lists(_person, max_size=3),
    postponed=st.one_of(st.none(), st.builds(Postponed, day, st.one_of(st.none(), _words))),
    upcoming=st.one_of(
        st.none(),
        st.builds(
            NextMeeting,
            day,
            st.one_of(st.none(), st.just("10:00")),
            st.one_of(st.none(), st.just("12:00")),
            st.one_of(st.none(), _words),
            st.lists(_words, max_size=2).map(tuple),
        ),
    ),
    previous=st.one_of(st.none(), st.builds(Previous, _words, st.sampled_from([None, True]))),
    purpose=st.one_of(st.none(), _words),
    title=st.one_of(st.none(), _words),
)
def test_a_meeting_page_as_python_is_the_template(
    language: Any,
    silence: Any,
    rapporteurs: list[Person],
    chair: Any,
    people: list[Person],
    postponed: Any,
    upcoming: Any,
    previous: Any,
    purpose: Any,
    title: Any,
) -> None:
    """builtin_pages's meeting page against meeting.html's, for fields the generated and
    hostile minutes leave out (a language, a silence procedure, minute-takers, `as:`...)."""
    from tfcli.record import replace
    from tfcli.site import builtin_pages, pages
    from tfcli.site.gather import gather

    repo = load_repo(SEED)
    site = gather(repo, date(2022, 7, 25), Policy())
    m = replace(
        site.repo.meetings[0],
        language=language,
        silence_until=silence,
        rapporteurs=tuple(rapporteurs),
        chair=chair,
        participants={"": tuple(people), "ngos": tuple(people)} if people else {},
        postponed=postponed,
        next_meeting=upcoming,
        previous=previous,
        purpose=purpose,
        title=title,
    )
    page = pages.meeting(site, m, 0)
    ctx = {"root": page.root, "group": site.group, "internal": False, "today": date(2022, 7, 25)}
    ctx = {**ctx, **page.context, "body": Markup("<p>b</p>\n")}
    fast = render.environment(None, Policy())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "FAST", False)
        slow = render.environment(None, Policy())
    want = slow.get_template("meeting.html").render(ctx)
    assert builtin_pages.render(fast, "meeting.html", ctx) == want
