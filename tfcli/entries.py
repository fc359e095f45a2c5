"""Where an entry the builder kept is written. The model keeps only the usable entries of a
list (`participants`, `regrets`, `co_chairs`, an `owner:` list, `actions`, `updates`): an
empty `- `, a `- IOM: Maria` read as a mapping, a `- true` are left out (the first silently,
the others with an error of their own). So the i-th participant of the model need not be the
i-th entry written, and a rule that counts entries points at the wrong line.

`entry` answers with the entry's own path. When the list as written has no more entries than
the model kept (nearly always: one position look-up), the two agree. Only when some were left
out (a file already with a problem to show) is the file read again, its list's values walked
as the builder walks them (tfcli.fields), and the kept ones matched to what they became."""

from __future__ import annotations

from typing import Any

from tfcli.model import Meeting, YamlPath

# A list's kept entries' written positions, per file and list (a rule asks once per entry).
_MEMO: dict[tuple[int, YamlPath], tuple[Meeting, list[int] | None]] = {}


def entry(m: Meeting, at: YamlPath, i: int, kept: int) -> YamlPath:
    """The path of the `i`-th of the `kept` entries the model holds of the list at `at`."""
    if m.spans.get((*at, kept)) is None:  # as many written as kept (or the list is one text)
        return (*at, i)
    key = (id(m), at)
    got = _MEMO.get(key)
    if got is None or got[0] is not m:
        if len(_MEMO) > 64:
            _MEMO.clear()
        got = _MEMO[key] = (m, _written(m, at))
    found = got[1]
    if found is None or len(found) != kept:
        return (*at, i)  # unsure (the file changed since): as counted
    return (*at, found[i])


def action(m: Meeting, line: int, counted: int, key: str = "actions") -> int:
    """The written position of the action (with key `updates`: the follow-up; `agenda`: the
    item) that starts on `line` (`Action.line`, `Update.line`, `AgendaItem.line`); `counted`,
    its position in the model, if none."""
    i = 0
    while (span := m.spans.get((key, i))) is not None:
        if span.line == line:
            return i
        i += 1
    return counted


def _written(m: Meeting, at: YamlPath) -> list[int] | None:
    """The positions of the entries of the list at `at` the builder keeps; None when the file
    cannot be read again."""
    from tfcli import frontmatter, yamlstrict
    from tfcli.errors import TfError
    from tfcli.fields import Fields
    from tfcli.load import read_text

    try:
        split = frontmatter.split(read_text(m.path))
        value: Any = yamlstrict.parse(split.front_matter, split.front_matter_line - 1).value
    except (TfError, OSError, ValueError):
        return None
    for step in at:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    if not isinstance(value, list):
        return None
    f = Fields("", {}, {}, [])  # the builder's own reading; its problems are told already
    if at[-1] == "owner":
        return [j for j, v in enumerate(value) if f.text(v, ())]
    attends = at[0] == "participants"
    return [j for j, v in enumerate(value) if f.person(v, (at[0], j), attends) is not None]
