"""The group's template is written by any contributor: rendering it ends quickly, in bounded
memory, whatever it says (issue 7, point 12; docs/templates.md, Limits)."""

from __future__ import annotations

import resource
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from conftest import run_tf

from tfcli import sandbox
from tfcli.errors import DataError
from tfcli.templates import Source, render

CONTEXT = {"title": "Task force", "date": date(2022, 7, 8), "items": ["a", "b"]}


def _render(text: str) -> str:
    return render(Source("meeting.md", text, "templates/meeting.md", builtin=False), CONTEXT)


def _refused(text: str) -> str:
    with pytest.raises(DataError) as e:
        _render(text)
    assert e.value.exit_code == 3
    assert e.value.hint is not None and e.value.hint.startswith("templates have limits")
    return f"{e.value.where}: {e.value.message}"


HOSTILE = {
    "nested ranges": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "templates/meeting.md:1: template stopped: a range of 100,000 numbers (at most 10,000)",
    ),
    "nested loops within the range limit": (
        "{% set r = range(10000) %}\n{% for i in r %}{% for j in r %}{% for k in r %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "templates/meeting.md:2: template stopped: rendering took more than 1 second",
    ),
    "string repetition": (
        "{{ 'x' * 10**10 }}",
        "templates/meeting.md:1: template stopped: a repeated value of 10,000,000,000 "
        "characters or items (at most 1,000,000)",
    ),
    "list repetition": (
        "{% set s = 'x' * 1000 %}{{ [s] * 10000 }}",
        "templates/meeting.md:1: template stopped: a repeated value of 10,010,000 characters "
        "or items (at most 1,000,000)",
    ),
    "a megabyte in a loop": (
        "{% for i in range(10000) %}{{ 'x' * 10**6 }}{% endfor %}",
        "templates/meeting.md: template stopped: the output is longer than 2,097,152 characters",
    ),
    "doubling with ~": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "templates/meeting.md:1: template stopped: a string made with ~ of 1,048,576 "
        "characters or items (at most 1,000,000)",
    ),
    "doubling in a set block": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
        "{% set t %}{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = t %}{% endfor %}",
        "templates/meeting.md:1: template stopped: text written has more than 1,000,000 characters or items",
    ),
    "text thrown away": (
        "{% set s = 'x' * 10**6 %}{% set t %}{% for i in range(100) %}{{ s }}{% endfor %}"
        "{% endset %}",
        "templates/meeting.md:1: template stopped: the template wrote more than 10,000,000 "
        "characters in all",
    ),
    "template text thrown away": (
        "{% set t %}{% for i in range(10000) %}" + "y" * 2000 + "{% endfor %}{% endset %}",
        "templates/meeting.md:1: template stopped: the template wrote more than 10,000,000 "
        "characters in all",
    ),
    "doubling macro": (
        "{% macro f(n) %}{% if n %}{% set s = f(n-1) %}{{ s }}{{ s }}{% endif %}x{% endmacro %}"
        "{{ f(60) }}",
        "templates/meeting.md:1: template stopped: a value returned by a call has more than "
        "1,000,000 characters or items",
    ),
    "huge power": (
        "{{ 10 ** 100000 }}",
        "templates/meeting.md:1: template stopped: a number of more than 4,096 bits",
    ),
    "padding method": (
        "{{ 'x'.ljust(10**10) }}",
        "templates/meeting.md:1: template stopped: ljust() width 10,000,000,000 (at most 1,000,000)",
    ),
    "padding filter": (
        "{{ 'x' | center(10**9) }}",
        "templates/meeting.md:1: template stopped: center argument 1,000,000,000 "
        "(at most 1,000,000)",
    ),
    "%-format width": (
        "{{ '%10000000000s' % 'x' }}",
        "templates/meeting.md:1: template stopped: a formatted string of 10,000,000,013 "
        "characters or items (at most 1,000,000)",
    ),
    "format width": (
        "{{ '{:>10000000000}'.format('x') }}",
        "templates/meeting.md:1: template stopped: a formatted string of 10,000,000,015 "
        "characters or items (at most 1,000,000)",
    ),
    "width from a value": (
        "{{ '%*s' % (10**9, 'x') }}",
        "templates/meeting.md:1: template stopped: a formatted string of 1,000,000,003 "
        "characters or items (at most 1,000,000)",
    ),
    "nested format width": (
        "{{ '{:>{}}'.format('x', 10**9) }}",
        "templates/meeting.md:1: template stopped: a formatted string of 1,000,000,006 "
        "characters or items (at most 1,000,000)",
    ),
    "replace": (
        "{% set s = 'x' * 10**5 %}{{ s.replace('x', s) }}",
        "templates/meeting.md:1: template stopped: a replace() result of 10,000,000,000 "
        "characters or items (at most 1,000,000)",
    ),
    "join": (
        "{% set s = 'x' * 10**4 %}{{ ([s] * 90) | join(s) }}",
        "templates/meeting.md:1: template stopped: a joined string of 1,790,090 characters or "
        "items (at most 1,000,000)",
    ),
    "endless recursion": (
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "templates/meeting.md:1: template stopped: maximum recursion depth exceeded",
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_template_is_stopped_with_a_located_error(name: str) -> None:
    text, message = HOSTILE[name]
    assert _refused(text).startswith(message)


@pytest.mark.parametrize(
    "name", ["string repetition", "a megabyte in a loop", "text thrown away", "doubling macro"]
)
def test_memory_stays_bounded(name: str) -> None:
    tracemalloc.start()
    try:
        _refused(HOSTILE[name][0])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024


def test_a_legitimately_large_template_still_works() -> None:
    line = (
        "{{ title | upper }} {{ date }} {{ items | join(', ') }} {{ '%05d' % i }} {{ i * 3 }}"
        " {{ '%d' % 20220708 }} {{ '{}'.format(10**12) }} {{ '%s' | format(10**7) }}"
    )
    text = "{% for i in range(1000) %}" + line + " {{ 'y' * 1000 }}\n{% endfor %}{{ 'z' * 999999 }}"
    out = _render(text)  # 2,070,627 characters: just under the limit of 2 MiB
    assert out.count("\n") == 1000 and len(out) == 2_070_627
    assert out.startswith(
        "TASK FORCE 2022-07-08 a, b 00000 0 20220708 1000000000000 10000000 " + "y" * 1000 + "\n"
    )
    assert out.endswith("z" * 999999)


def test_the_address_space_cap_is_lifted_after_rendering() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    _refused(HOSTILE["string repetition"][0])
    _render("{{ title }}")
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_weight_counts_a_string_each_time_a_list_holds_it() -> None:
    s = "x" * 1000
    assert sandbox.weight([s, s, (s, {"k": s})]) == 3 + 1000 + 2 + 1000 + 1 + 1 + 1000 + 1000
    assert sandbox.weight([s] * 10_000, budget=5000) <= 5000 + 1001 + 10_000


def test_tf_new_meeting_stops_a_hostile_template_with_exit_3(seed_repo: Path) -> None:
    (seed_repo / "templates" / "meeting.md").write_text(
        "---\n{% for i in range(10**6) %}{% endfor %}\n", encoding="utf-8"
    )
    r = run_tf("new-meeting", "--dry-run", "--today", "2022-07-01", cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: templates/meeting.md:2: template stopped: a range of 1,000,000 numbers (at most "
        "10,000) (templates have limits, see docs/templates.md; fix the template, or delete it "
        "to use the built-in one)\n"
    )
