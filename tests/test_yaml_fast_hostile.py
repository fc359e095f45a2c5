"""The line reader (tfcli.yamlfast) against hostile front matter: what it reads, it reads as
libyaml's composer and the event parser do (values, types, spans, key spans, source texts,
and no refusal by either); what it does not fully understand it leaves to them. Pinned
divergences found by a differential fuzzer, then generated lines nearer the edges of its
subset than tests/test_yaml_fastest.py's documents (odd characters and line breaks, long
keys, indicators, flow lists, odd indentation) and random edits of real front matter."""

from __future__ import annotations

import pytest
from test_yaml_fast import _same
from test_yaml_fastest import _agree

from tfcli import yamlfast

# libyaml refuses a key longer than 1,024 characters ("could not find expected ':'", or
# "mapping values are not allowed in this context" for the first key): the line reader read
# it as a key.
LONG_KEYS = [
    "k" * 1025 + ": v\n",
    "a: 1\n" + "k" * 1025 + ": v\n",
    "a:\n- " + "k" * 1025 + ": v\n",
    "a:\n  b:\n    " + "k" * 2000 + ":\n      c: 1\n",
]


@pytest.mark.parametrize("text", LONG_KEYS)
def test_a_key_longer_than_libyaml_takes_is_left_to_it(text: str) -> None:
    with pytest.raises(yamlfast.Fallback):
        yamlfast.read(text, 1)
    _same(text, 1)  # and the event parser's refusal is what parse says


@pytest.mark.parametrize("text", ["k" * 1024 + ": v\n", "a:\n- " + "k" * 1024 + ": v\n"])
def test_a_key_of_1024_characters_takes_the_line_reader(text: str) -> None:
    assert _agree(text, 1)
    _same(text, 1)
