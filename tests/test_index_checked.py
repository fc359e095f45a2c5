"""`.tf/index-checked` (tfcli.index.CHECKED): an index shard found whole and valid is not
checked again while its bytes are the same; a changed, damaged or unknown one always is, and
a damaged or missing list of them changes nothing but the time."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_check_cache import _book, _repo
from test_rows import TODAY

from tfcli import index, rows
from tfcli.check import check_book


class Checks:
    """How many shards `rows.valid_many` checks."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        real = rows.valid_many

        def counted(*args: object) -> bool:
            self.n += 1
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(rows, "valid_many", counted)


def _shards(root: Path) -> int:
    return len(list((root / ".tf").glob("index-[0-9a-f][0-9a-f]")))


def test_an_unchanged_shard_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path / "repo")
    expected = check_book(_book(root, monkeypatch, "off"), TODAY)
    _book(root, monkeypatch, "on")  # cold: writes the index
    checks = Checks(monkeypatch)
    assert check_book(_book(root, monkeypatch, "on"), TODAY) == expected
    assert checks.n == _shards(root) > 1  # each shard checked whole, once
    assert (root / ".tf" / index.CHECKED).is_file()
    assert check_book(_book(root, monkeypatch, "on"), TODAY) == expected
    assert checks.n == _shards(root)  # none again
    changed = root / "minutes" / "2022-07-10-c.md"
    changed.write_text(changed.read_text() + "More.\n")
    assert check_book(_book(root, monkeypatch, "on"), TODAY) == expected  # (parsed again)
    _book(root, monkeypatch, "on")
    assert checks.n == _shards(root) + 1  # its shard, rewritten, is checked once more


@pytest.mark.parametrize("how", ["garbage", "empty", "not digests", "deleted"])
def test_a_damaged_list_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    root = _repo(tmp_path / "repo")
    expected = check_book(_book(root, monkeypatch, "off"), TODAY)
    _book(root, monkeypatch, "on")
    _book(root, monkeypatch, "on")
    kept = root / ".tf" / index.CHECKED
    head = kept.read_bytes()[: index._HEADER.size]
    if how == "garbage":
        kept.write_bytes(head + b"\x00\xff garbage")
    elif how == "empty":
        kept.write_bytes(b"")
    elif how == "not digests":
        import marshal

        kept.write_bytes(head + marshal.dumps([1, "x"]))
    else:
        kept.unlink()
    checks = Checks(monkeypatch)
    assert check_book(_book(root, monkeypatch, "on"), TODAY) == expected
    assert checks.n == _shards(root)


def test_a_damaged_shard_is_checked_whatever_the_list_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shard whose bytes changed (damaged in place, the same header): its digest is not
    in the list; its rows are checked, a bad one is not used (the file is parsed again)."""
    root = _repo(tmp_path / "repo")
    expected = check_book(_book(root, monkeypatch, "off"), TODAY)
    _book(root, monkeypatch, "on")
    _book(root, monkeypatch, "on")
    import marshal

    shard = max((root / ".tf").glob("index-[0-9a-f][0-9a-f]"), key=lambda p: p.stat().st_size)
    data = shard.read_bytes()
    head = data[: index._HEADER.size]
    entries = marshal.loads(data[len(head) :])
    real, entry = next((k, v) for k, v in entries.items() if v[3] is not None)
    entries[real] = (*entry[:3], (*entry[3][:1], "not a day", *entry[3][2:]), entry[4])
    shard.write_bytes(head + marshal.dumps(entries))
    assert check_book(_book(root, monkeypatch, "on"), TODAY) == expected
