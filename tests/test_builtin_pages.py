"""tfcli.site.builtin_pages against the built-in templates for the branches that the sites
of tests/test_render_rows.py never reach (a meeting's end time and duration, co-chairs, a
restricted agenda item, a follow-up of an action without a page, a link without an address,
an organisation that attended nothing): an edit of meeting.html or organisation.html that
is not made in builtin_pages.py too fails here."""

from __future__ import annotations

import importlib
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from tfcli.load import load_repo
from tfcli.model import AgendaItem, Person
from tfcli.record import replace
from tfcli.site import builtin_pages, pages
from tfcli.site.gather import gather
from tfcli.site.policy import Policy

render = importlib.import_module("tfcli.site.render")
TODAY = date(2022, 7, 25)
_words = st.sampled_from(["", "a <b> & 'c' \"d\"", "x@example.org", "+41 22 123 45 67", "Été"])
_some = st.one_of(st.none(), _words)
_person = st.builds(Person, name=_some, organisation=_some, role=_some)
_item = st.builds(
    AgendaItem,
    title=_words,
    type=_some,
    presenter=_some,
    visibility=st.sampled_from(["public", "restricted"]),
)
_items = st.lists(
    st.builds(lambda i, sub: replace(i, items=tuple(sub)), _item, st.lists(_item, max_size=2)),
    max_size=3,
)


@lru_cache(maxsize=1)
def _site() -> Any:
    return gather(load_repo(SEED), TODAY, Policy())


def _both(template: str, ctx: dict[str, Any]) -> tuple[str, str]:
    fast = render.environment(None, Policy())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "FAST", False)
        slow = render.environment(None, Policy())
    return builtin_pages.render(fast, template, ctx), slow.get_template(template).render(ctx)


def _base(site: Any, context: dict[str, Any]) -> dict[str, Any]:
    return {"root": "../", "group": site.group, "internal": False, "today": TODAY, **context}


@settings(max_examples=80, deadline=None)
@given(
    times=st.sampled_from([(None, None), ("10:00", None), ("10:00", "12:00"), (None, "12:00")]),
    duration=st.one_of(st.none(), st.integers(1, 200)),
    location=_some,
    co_chairs=st.lists(_person, max_size=2),
    agenda=_items,
    decisions=st.lists(_words, max_size=2),
    updates=st.lists(st.tuples(_words, st.one_of(st.none(), _words), _words), max_size=2),
    links=st.lists(st.tuples(_words, _some), max_size=2),
    ends=st.sampled_from([(False, False), (True, False), (False, True), (True, True)]),
    language=st.sampled_from([None, "fr"]),
)
def test_a_meeting_page_as_python_is_the_template_in_every_branch(
    times: tuple[Any, Any],
    duration: Any,
    location: Any,
    co_chairs: list[Person],
    agenda: list[AgendaItem],
    decisions: list[str],
    updates: list[tuple[str, Any, str]],
    links: list[tuple[str, Any]],
    ends: tuple[bool, bool],
    language: Any,
) -> None:
    site = _site()
    ms = site.repo.meetings
    m = replace(
        ms[0],
        time=times[0],
        end_time=times[1],
        duration=duration,
        location=location,
        co_chairs=tuple(co_chairs),
        agenda=tuple(agenda),
        decisions=tuple(decisions),
        language=language,
    )
    page = pages.meeting(site, m, 0)
    ctx = _base(site, {**page.context, "body": Markup("<p>b</p>\n")})
    ctx["updates"] = [(SimpleNamespace(action_id=a), p, s) for a, p, s in updates]
    ctx["links"] = links
    ctx["prev"] = (ms[0], "m/a.html") if ends[0] else None
    ctx["next"] = (ms[-1], "m/c.html") if ends[1] else None
    fast, slow = _both("meeting.html", ctx)
    assert fast == slow


@pytest.mark.parametrize("attended", [False, True])
@pytest.mark.parametrize("total", [0, 1, 7])
def test_an_organisation_page_as_python_is_the_template(attended: bool, total: int) -> None:
    site = _site()
    org = next(o for o in site.org_page if site.actions_of(o))
    page = pages.organisation(site, org)
    ctx = _base(site, page.context)
    ctx["total"] = total
    ctx["attended"] = ctx["attended"] if attended else []
    ctx["roles"] = ["<chairs>", "x@example.org"] if attended else []
    fast, slow = _both("organisation.html", ctx)
    assert fast == slow
    assert ("No recorded attendance." in fast) is not attended or not page.context["attended"]
