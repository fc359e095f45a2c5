"""Byte-preserving edits of a minutes file's front matter.

Minutes are records: an edit changes only the lines it must. We never re-serialise YAML.
Instead the file is parsed once with positions (`yamlstrict`), new text is spliced in at
those positions matching the file's own indentation and line endings, and the result is
parsed again and compared with the intended value before anything is written: if the two
differ, we refuse. Comments, key order, quoting, blank lines, the body, CRLF line endings
and a BOM all stay as they were.
"""

from __future__ import annotations

import codecs
import copy
import re
from pathlib import Path
from typing import Any

from tfcli import frontmatter, yamlstrict
from tfcli.errors import DataError, LoadError
from tfcli.load import read_bytes
from tfcli.model import YamlPath
from tfcli.yamlwrite import yaml_scalar

# Line separators YAML counts as line breaks but our line numbering does not.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


def _get(value: Any, path: YamlPath) -> Any:
    for p in path:
        value = value[p]
    return value


class Document:
    """One minutes file, opened for editing. Collect edits, then `render()` the new bytes."""

    def __init__(self, path: Path, data: bytes, shown: str | None = None):
        self.path = path
        self.shown = shown or str(path)
        self.data = data  # what the edit is based on: the write checks the file still holds it
        self.bom = data.startswith(codecs.BOM_UTF8)
        try:
            split = frontmatter.split(frontmatter.decode(data))
            raw = data[len(codecs.BOM_UTF8) :] if self.bom else data
            text = raw.decode("utf-8")
            if re.search("\r(?!\n)", text):
                raise self._refuse(
                    "it has line breaks made of a lone CR (old Mac style)",
                    "convert it to LF or CRLF line endings first",
                )
            if any(c in split.front_matter for c in _ODD_BREAKS):
                raise self._refuse(
                    "its front matter contains Unicode line or paragraph separators",
                    "remove them (they are invisible), then try again",
                )
            self.tree = yamlstrict.parse(split.front_matter, split.front_matter_line - 1)
        except LoadError as e:
            raise DataError(
                f"cannot edit: {e.message}", e.hint or "run 'tf check'", f"{self.shown}:{e.line}"
            ) from None
        if not isinstance(self.tree.value, dict):
            raise self._refuse("its front matter is not a mapping", "run 'tf check'")
        self.lines = text.split("\n")
        self.lines = [ln + "\n" for ln in self.lines[:-1]] + [self.lines[-1]]
        self.close_line = split.body_line - 1  # the closing '---'
        self.body = split.body
        self.value: dict[str, Any] = self.tree.value
        self.expected: dict[str, Any] = copy.deepcopy(self.value)
        self.replaced: dict[int, str] = {}  # line number -> new text of that line ("" deletes)
        self.inserted: dict[int, list[str]] = {}  # after line number -> new lines
        self.result: yamlstrict.Tree | None = None  # the edited front matter, after render()

    def _refuse(self, why: str, hint: str) -> DataError:
        return DataError(f"tf cannot edit {self.shown} safely: {why}; nothing was written", hint)

    # -- reading the layout ----------------------------------------------------------------

    def line(self, n: int) -> str:
        """Text of file line `n` (1-based) without its line ending."""
        return self.lines[n - 1].rstrip("\n").rstrip("\r")

    def ending(self, n: int) -> str:
        """The line ending to use for a line inserted after line `n`: the same as its own."""
        for ln in (self.lines[n - 1], self.lines[0]):
            if ln.endswith("\r\n"):
                return "\r\n"
            if ln.endswith("\n"):
                return "\n"
        return "\n"

    def is_flow(self, path: YamlPath) -> bool:
        span = self.tree.spans[path]
        return self.line(span.line)[span.col - 1 : span.col] in ("[", "{")

    def last_line(self, path: YamlPath) -> int:
        """The last line holding text of the value at `path` (block collections end where
        the next token starts, so they are measured by their scalars and flow parts)."""
        last = self.tree.spans[path].line
        for p, span in self.tree.spans.items():
            if p[: len(path)] != path:
                continue
            value = _get(self.value, p)
            if isinstance(value, dict | list) and not self.is_flow(p):
                continue
            end = span.end_line
            if span.end_col == 1 and end > span.line:  # a block scalar: ends before this line
                end -= 1
                while end > span.line and not self.line(end).strip():
                    end -= 1
            last = max(last, end)
        return last

    def sequence_indent(self) -> int:
        """How far this file indents block lists under their key (2 for `key:\\n  - x`)."""
        for key, value in self.value.items():
            if isinstance(value, list) and value and not self.is_flow((key,)):
                return self.tree.spans[(key,)].col - self.tree.key_spans[(key,)].col
        return 2

    # -- edits -----------------------------------------------------------------------------

    def _insert(self, after: int, lines: list[str]) -> None:
        nl = self.ending(after)
        self.inserted.setdefault(after, []).extend(ln + nl for ln in lines)

    def _clear_value(self, key: str) -> int:
        """`key: []` or `key: ~` or `key:` → `key:` (comments kept). Returns the key's line."""
        ks, vs = self.tree.key_spans[(key,)], self.tree.spans[(key,)]
        if vs.line != ks.line or vs.end_line != ks.line:
            raise self._refuse(f"'{key}:' has its empty value on another line", "edit by hand")
        text, n = self.line(ks.line), ks.line
        if vs.col == vs.end_col:  # nothing written after the colon
            return n
        rest = text[vs.end_col - 1 :]
        new = text[: vs.col - 1].rstrip() + (rest if rest.strip() else "")
        if new != text:
            self.replaced[n] = new + self.lines[n - 1][len(text) :]
        return n

    def append_update(self, entry: dict[str, str | bool]) -> None:
        """Add `entry` as the last item of the front matter's `updates:` list."""
        value = self.value.get("updates")
        base = self.tree.spans[()].col - 1
        if "updates" not in self.value:
            dash = base + self.sequence_indent()
            self._insert(self.close_line - 1, [" " * base + "updates:", *_item(entry, dash)])
            self.expected["updates"] = [entry]
            return
        if value is None or value == []:
            n = self._clear_value("updates")
            dash = self.tree.key_spans[("updates",)].col - 1 + self.sequence_indent()
            self._insert(n, _item(entry, dash))
            self.expected["updates"] = [entry]
            return
        if not isinstance(value, list) or self.is_flow(("updates",)):
            raise self._refuse(
                "its 'updates:' is not a block list ('- ' lines)",
                "write 'updates:' as a block list, or add the update by hand",
            )
        last = ("updates", len(value) - 1)
        dash = self.tree.spans[("updates",)].col - 1
        first = self.tree.spans[("updates", 0)]
        indent = (
            first.col - 1
            if isinstance(value[0], dict) and not self.is_flow(("updates", 0))
            else dash + 2
        )
        self._insert(self.last_line(last), _item(entry, dash, indent))
        self.expected["updates"].append(entry)

    def set_keys(self, path: YamlPath, values: dict[str, str | bool]) -> None:
        """Set scalar keys of the block mapping at `path` (an action, an update): in place
        when present (only the value is replaced; a comment after it stays), else as new lines
        after its last key, indented like its other keys."""
        item = _get(self.value, path)
        if not isinstance(item, dict) or self.is_flow(path):
            line = self.tree.spans[path].line
            raise self._refuse(
                f"the entry on line {line} is not written as 'key: value' lines", "edit by hand"
            )
        indent = self.tree.spans[path].col - 1
        new_lines = []
        for key, text in values.items():
            if key not in item:
                new_lines.append(" " * indent + f"{key}: {yaml_scalar(text)}")
                continue
            at = (*path, key)
            span = self.tree.spans[at]
            first = self.line(span.line)
            if isinstance(item[key], dict | list) or first[span.col - 1 : span.col] in ("|", ">"):
                raise self._refuse(f"'{key}' is not a one-line value", "edit it by hand")
            if span.line == span.end_line and span.col == span.end_col:  # `key:` left empty
                head = first[: span.col - 1].rstrip() + " "
                tail = first[span.col - 1 :]
            else:
                head, tail = first[: span.col - 1], self.line(span.end_line)[span.end_col - 1 :]
            self.replaced[span.line] = head + yaml_scalar(text) + tail + self._end_of(span.end_line)
            for n in range(span.line + 1, span.end_line + 1):
                self.replaced[n] = ""
        if new_lines:
            self._insert(self.last_line(path), new_lines)
        target = _get(self.expected, path)
        target.update(values)

    def append_note(self, path: YamlPath, day: str, text: str) -> None:
        """Add `{date: day, text: text}` to the `notes:` list of the block mapping at `path`
        (an action, an update), creating the list after its last key when it has none."""
        item = _get(self.value, path)
        if not isinstance(item, dict) or self.is_flow(path):
            line = self.tree.spans[path].line
            raise self._refuse(
                f"the entry on line {line} is not written as 'key: value' lines", "edit by hand"
            )
        entry: dict[str, str | bool] = {"date": day, "text": text}
        notes = item.get("notes")
        indent = self.tree.spans[path].col - 1
        if notes is None:
            if "notes" in item:
                raise self._refuse("its 'notes:' is empty but present", "edit it by hand")
            dash = indent + self.sequence_indent()
            self._insert(self.last_line(path), [" " * indent + "notes:", *_item(entry, dash)])
        else:
            at = (*path, "notes")
            if not isinstance(notes, list) or not notes or self.is_flow(at):
                raise self._refuse("its 'notes:' is not a block list ('- ' lines)", "edit by hand")
            dash = self.tree.spans[at].col - 1
            first = self.tree.spans[(*at, 0)]
            flow = isinstance(notes[0], dict) and not self.is_flow((*at, 0))
            self._insert(self.last_line(at), _item(entry, dash, first.col - 1 if flow else None))
        target = _get(self.expected, path)
        target.setdefault("notes", []).append(entry)

    def _end_of(self, n: int) -> str:
        ln = self.lines[n - 1]
        return ln[len(ln.rstrip("\r\n")) :]

    # -- result ----------------------------------------------------------------------------

    def render(self) -> bytes:
        """The edited file. Raises DataError (and nothing is written) unless it parses back
        to exactly the intended front matter and the same body."""
        out: list[str] = []
        for n, ln in enumerate(self.lines, 1):
            out.append(self.replaced.get(n, ln))
            out.extend(self.inserted.get(n, ()))
        data = (codecs.BOM_UTF8 if self.bom else b"") + "".join(out).encode("utf-8")
        try:
            split = frontmatter.split(frontmatter.decode(data))
            tree = yamlstrict.parse(split.front_matter, split.front_matter_line - 1)
        except LoadError as e:
            raise self._refuse(f"the edit would not parse ({e.message})", "edit by hand") from None
        if tree.value != self.expected or split.body != self.body:
            raise self._refuse("the edit would not read back as intended", "edit by hand")
        self.result = tree
        return data


def _item(entry: dict[str, str | bool], dash: int, indent: int | None = None) -> list[str]:
    """A block-list item `- key: value` with its other keys below, aligned."""
    indent = indent if indent is not None and indent > dash else dash + 2
    lines = []
    for i, (key, text) in enumerate(entry.items()):
        prefix = " " * dash + "-" + " " * (indent - dash - 1) if i == 0 else " " * indent
        lines.append(f"{prefix}{key}: {yaml_scalar(text)}")
    return lines


def open_document(path: Path, shown: str | None = None) -> Document:
    """The minutes file at `path`, read by tfcli.load (DataError when it cannot be read)."""
    return Document(path, read_bytes(path), shown)
