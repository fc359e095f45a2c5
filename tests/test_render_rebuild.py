"""A rebuild with nothing changed (tfcli.site.state) takes the site as the last build left
it: only when every input is the same and every output file still holds what was written.
After any change (minutes, tf.yml, templates, the day, the kind of build, the output folder,
the record or the cache, a file of the site edited or deleted) the build runs and the site
is byte for byte a clean one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import run_tf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rebuilding import FULL, all_at_once, assert_clean, edited, render
from test_render_cache import (
    FIRST,
    SECOND,
    THIRD,
    TODAY,
    body_only,
    changed_config,
    changed_template,
    deleted_meeting,
    edit,
    files,
    follow_up_closes_an_earlier_action,
    renamed_file,
)

from tfcli import index
from tfcli.load import load_repo
from tfcli.policy import MARKDOWN_LIMIT
from tfcli.site import build, fields, patch, search
from tfcli.site.cache import CACHE_DIR
from tfcli.site.policy import Policy

pytestmark = pytest.mark.usefixtures("trusted_tracker")


def restricted_meeting(repo: Path) -> None:
    edit(repo / "minutes" / SECOND, "format: 1\n", "format: 1\nvisibility: restricted\n")


def new_meeting(repo: Path) -> None:
    text = (repo / "minutes" / THIRD).read_text(encoding="utf-8")
    later = text.replace("date: 2022-07-22", "date: 2022-08-05", 1)
    assert later != text
    (repo / "minutes" / "2022-08-05-anti-trafficking-task-force.md").write_text(later, "utf-8")


def template_in_a_subfolder(repo: Path) -> None:
    changed_template(repo)
    (repo / "templates" / "site" / "base.html").rename(repo / "templates" / "site" / "x.html")
    (repo / "templates" / "site" / "more").mkdir()
    (repo / "templates" / "site" / "more" / "y.html").write_text("{# nothing #}", "utf-8")


@pytest.mark.parametrize(
    "change",
    [
        follow_up_closes_an_earlier_action,
        renamed_file,
        deleted_meeting,
        new_meeting,
        restricted_meeting,
        changed_config,
        changed_template,
        template_in_a_subfolder,
        body_only,
    ],
)
def test_nothing_changed_is_the_last_build_anything_changed_is_a_clean_one(
    tracker: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    out = tmp_path / "site"
    first = render(out)
    assert first.loaded and first.result.changed == first.result.files
    again = render(out)
    assert not again.loaded  # nothing loaded, nothing rendered
    assert (again.result.pages, again.result.cached, again.result.changed) == (
        first.result.pages,
        first.result.pages,
        0,
    )
    assert (again.result.files, again.result.meetings) == (
        first.result.files,
        first.result.meetings,
    )
    change(tracker)
    after = render(out)
    assert after.loaded
    assert_clean(tracker, out, tmp_path)
    assert not render(out).loaded  # and recorded again


def test_the_day_the_kind_of_build_and_the_folder_are_inputs(tracker: Path, tmp_path: Path) -> None:
    restricted_meeting(tracker)
    out = tmp_path / "site"
    render(out)
    later = date(2022, 9, 30)
    assert render(out, later).loaded
    assert_clean(tracker, out, tmp_path, later)
    assert not render(out, later).loaded
    assert render(out, later, internal=True).loaded
    assert_clean(tracker, out, tmp_path, later, internal=True)
    assert not render(out, later, internal=True).loaded
    assert render(out, later).loaded  # public again: the restricted meeting's page goes
    assert_clean(tracker, out, tmp_path, later)
    other = tmp_path / "other"
    assert render(other, later).loaded
    assert not render(out, later).loaded  # each folder has its own record
    assert render(out, later, cache=False).loaded  # --no-cache builds


def damaged_record(repo: Path, out: Path) -> None:
    (record,) = (repo / CACHE_DIR).glob("built-*")
    raw = bytearray(record.read_bytes())
    raw[-3] ^= 1
    record.write_bytes(bytes(raw))


def truncated_record(repo: Path, out: Path) -> None:
    (record,) = (repo / CACHE_DIR).glob("built-*")
    record.write_bytes(record.read_bytes()[:40])


def deleted_cache(repo: Path, out: Path) -> None:
    shutil.rmtree(repo / CACHE_DIR)


def edited_page(repo: Path, out: Path) -> None:
    """Same size, at once: the times may be the build's own on a coarse clock."""
    page = out / "tracker.html"
    page.write_bytes(page.read_bytes().replace(b"Action tracker", b"Action Tracker"))


def deleted_page(repo: Path, out: Path) -> None:
    (out / "decisions.html").unlink()


def replaced_page(repo: Path, out: Path) -> None:
    page = out / "index.html"
    data = page.read_bytes()
    page.unlink()
    page.write_bytes(data)  # the same bytes in another file (inode): built again


def edited_marker(repo: Path, out: Path) -> None:
    marker = out / ".tf-site"
    marker.write_text(marker.read_text("utf-8") + "gone.html\n", "utf-8")
    (out / "gone.html").write_text("left over", "utf-8")


def page_made_a_link(repo: Path, out: Path) -> None:
    page = out / "meetings.html"
    data = page.read_bytes()
    page.unlink()
    (out / "elsewhere.html").write_bytes(data)
    page.symlink_to(out / "elsewhere.html")


@pytest.mark.parametrize(
    "damage",
    [
        damaged_record,
        truncated_record,
        deleted_cache,
        edited_page,
        deleted_page,
        replaced_page,
        edited_marker,
        page_made_a_link,
    ],
)
def test_a_damaged_record_or_an_edited_site_builds_again(
    tracker: Path, tmp_path: Path, damage: Callable[[Path, Path], None]
) -> None:
    out = tmp_path / "site"
    render(out)
    damage(tracker, out)
    got = render(out)
    assert got.loaded
    extra = {"elsewhere.html"} if damage is page_made_a_link else set()
    clean = tmp_path / "clean"
    build(load_repo(tracker), TODAY, clean, Policy(), jobs=1, use_cache=False)
    assert {k: v for k, v in files(out).items() if k not in extra} == files(clean)
    assert not (out / "gone.html").exists()
    assert not render(out).loaded


def test_files_old_enough_are_compared_by_their_stamps_alone(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after a build the files with its latest times are read once (a later edit on
    a coarse clock could have the same times: the marker, written last, and any written in
    the same tick; the others are older than any later edit could be); the record is then
    renewed and later rebuilds read none."""
    from tfcli.site import writer

    out = tmp_path / "site"
    render(out)
    stats = {p: p.stat() for p in out.rglob("*") if p.is_file()}
    latest = max(max(st.st_mtime_ns, st.st_ctime_ns) for st in stats.values())
    ticked = sorted(
        p.read_bytes() for p, st in stats.items() if max(st.st_mtime_ns, st.st_ctime_ns) >= latest
    )
    assert out / ".tf-site" in [p for p, st in stats.items() if st.st_ctime_ns == latest]
    reads: list[bytes] = []
    real = writer.digest
    monkeypatch.setattr(writer, "digest", lambda raw: reads.append(raw) or real(raw))
    assert not render(out).loaded
    assert sorted(reads) == ticked
    import time

    real_now = time.time_ns
    with monkeypatch.context() as m:  # three seconds later: each read again, trusted after
        m.setattr(time, "time_ns", lambda: real_now() + 3 * 10**9)
        reads.clear()
        assert not render(out).loaded
        assert sorted(reads) == ticked
    reads.clear()
    assert not render(out).loaded
    assert reads == []
    page = out / "tracker.html"
    st = page.stat()
    edited_page(tracker, out)
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))  # its times put back: not its ctime
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)


def test_the_command_says_its_warnings_again(tracker: Path, tmp_path: Path) -> None:
    """As a user runs it (a process, the index's margin of two seconds for the minutes)."""
    import time

    (tracker / "minutes" / "2022-09-01-broken.md").write_text("---\ndate: [\n---\n", "utf-8")
    time.sleep(2.2)  # the minutes' times can be trusted
    out = tmp_path / "site"
    args = ("render", "--today", TODAY.isoformat(), "--out", str(out))
    first = run_tf(*args, cwd=tracker)
    assert first.code == 0, first.err
    warning = first.err.splitlines()[0]
    assert "skipped" in warning and "2022-09-01-broken.md" in warning
    again = run_tf(*args, cwd=tracker)
    assert (again.code, again.out) == (0, first.out)
    assert again.err.splitlines()[0] == warning
    pages = int(first.err.split(" pages, ")[0].rsplit(" ", 1)[1])
    files = int(first.err.split(" files changed")[0].rsplit(" ", 1)[1])
    assert f"{pages} pages, {pages} from the cache, 0 of {files} files changed" in again.err
    assert_clean(tracker, out, tmp_path)


# -- only bodies changed: the pages patched ------------------------------------------------


def first_body(repo: Path) -> None:
    edit(
        repo / "minutes" / FIRST, "\n## Wrap-up", "\nA new line, with <b>markup</b>.\n\n## Wrap-up"
    )


def third_body(repo: Path) -> None:
    edit(
        repo / "minutes" / THIRD,
        "To be written.",
        "Written at last: *see* [the plan](https://x.org).",
    )


def secret_section(repo: Path) -> None:
    with (repo / "minutes" / THIRD).open("a", encoding="utf-8") as f:
        f.write("\n## Shelters {.restricted}\n\nThe addresses: 12 Main St.\n\n## Next\n\nOpen.\n")


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize(
    "changes",
    [
        [first_body],
        [third_body],
        [first_body, third_body],  # the second entry of the search index moves
        [third_body, first_body, lambda repo: edit(repo / "minutes" / THIRD, "Written", "Done")],
        [lambda repo: edit(repo / "minutes" / THIRD, "The addresses", "Their addresses")],
        [lambda repo: edit(repo / "minutes" / THIRD, "Open.", "Closed.")],
        [lambda repo: edit(repo / "minutes" / THIRD, "## Next", "## Next {.restricted}")],
        # Too long to format (a warning, body-size): the page shows it as written.
        [lambda repo: edit(repo / "minutes" / THIRD, "To be written.", "[" * (MARKDOWN_LIMIT + 1))],
    ],
)
@pytest.mark.parametrize("per_piece", [2, 100])  # the index in pieces of [1st, 2nd], [3rd]
def test_a_changed_body_patches_its_page_and_the_search_index(
    tracker: Path,
    tmp_path: Path,
    changes: list[Callable[[Path], None]],
    internal: bool,
    per_piece: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "PER_PIECE", per_piece)
    secret_section(tracker)
    out = tmp_path / "site"
    first = render(out, internal=internal)
    for change in changes:
        change(tracker)
        got = render(out, internal=internal)
        assert not got.loaded  # one file parsed, nothing else
        assert got.result.changed <= 2 and got.result.pages == first.result.pages
        assert_clean(tracker, out, tmp_path, internal=internal)
    assert not render(out, internal=internal).loaded


# Text that is hard on the search index's pieces: JSON escapes, what separates two entries,
# characters escaped for a script, a line separator, an address the public build redacts.
_PIECES = st.sampled_from(
    ["a", " ", "\n", "<", ">", "&", '"', "\\", '},{"', "\u2028", "é", "*", "# ", "x@y.org"]
)


_MORE = ["2022-08-05-x.md", "2022-08-19-x.md"]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    per_piece=st.sampled_from([1, 2, 100]),
    internal=st.booleans(),
    edits=st.lists(
        st.tuples(
            st.sampled_from([FIRST, THIRD, *_MORE]), st.lists(_PIECES, max_size=12).map("".join)
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_random_body_edits_patch_to_a_clean_site(
    tracker: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    per_piece: int,
    internal: bool,
    edits: list[tuple[str, str]],
) -> None:
    """Bodies edited at random, one after another: each rebuild patches the pages and the
    search index's pieces (parsing one file) into what a clean build writes."""
    repo = tmp_path_factory.mktemp("random")
    shutil.copytree(tracker, repo, dirs_exist_ok=True)
    monkeypatch.chdir(repo)
    monkeypatch.setattr(search, "PER_PIECE", per_piece)
    secret_section(repo)
    third = (repo / "minutes" / THIRD).read_text(encoding="utf-8")
    for name in _MORE:  # five meetings: pieces of two hold entries after the first
        (repo / "minutes" / name).write_text(third.replace("2022-07-22", name[:10]), "utf-8")
    out = repo / "_site"
    render(out, internal=internal)
    for name, text in edits:
        path = repo / "minutes" / name
        body = path.read_text(encoding="utf-8")
        path.write_text(body.replace("\n## ", f"\n{text}\n\n## ", 1), encoding="utf-8")
        got = render(out, internal=internal)
        assert not got.loaded
        assert_clean(repo, out, repo, internal=internal)


@pytest.mark.parametrize(
    "change",
    [
        lambda repo: edit(repo / "minutes" / SECOND, "chairs reported", "chairs said"),  # warns
        lambda repo: (third_body(repo), edit(repo / "minutes" / THIRD, "format: 1", "format: [")),
        lambda repo: (  # an action's text (a title alone: tests/test_render_rebuild_fields.py)
            third_body(repo),
            edit(repo / "minutes" / THIRD, "Prepare the digital", "Prepare the online"),
        ),
        lambda repo: (third_body(repo), changed_template(repo)),
        lambda repo: (third_body(repo), deleted_meeting(repo)),
        lambda repo: (
            [third_body(repo)]
            + [
                (repo / "minutes" / f"2022-08-{n:02}-x.md").write_text(
                    (repo / "minutes" / THIRD)
                    .read_text("utf-8")
                    .replace("2022-07-22", f"2022-08-{n:02}"),
                    "utf-8",
                )
                for n in range(1, 3)
            ]
        ),
    ],
)
def test_other_changes_are_built_in_full(
    tracker: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    edited(tracker, tmp_path, [change], by=FULL)


def test_many_changed_bodies_are_built_in_full(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patch, "MAX_PATCHED", 1)
    monkeypatch.setattr(fields, "MAX_CHANGED", 1)
    edited(tracker, tmp_path, [first_body, third_body], by=FULL)


def test_a_group_template_disables_patches(tracker: Path, tmp_path: Path) -> None:
    changed_template(tracker)
    edited(tracker, tmp_path, [first_body], by=FULL)


def test_minutes_changed_a_moment_ago_are_parsed_and_compared(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the index's margin a file's stat proves nothing: every such file is parsed
    (its body compared by digest) until it is older; one that loads with a problem, such
    as the second meeting, cannot be told unchanged so: the build runs."""
    out = tmp_path / "site"
    render(out)
    monkeypatch.setattr(index, "RACY_NS", 10**15)  # every file changed "a moment ago"
    assert render(out).loaded
    monkeypatch.setattr(index, "RACY_NS", 0)
    (tracker / "minutes" / SECOND).unlink()
    render(out)
    monkeypatch.setattr(index, "RACY_NS", 10**15)  # every file changed "a moment ago"
    first_body(tracker)
    got = render(out)
    assert not got.loaded and got.result.changed == 2
    assert_clean(tracker, out, tmp_path)
    again = render(out)
    assert not again.loaded and again.result.changed == 0
    monkeypatch.setattr(index, "RACY_NS", 0)
    assert not render(out).loaded
    assert_clean(tracker, out, tmp_path)


def test_a_page_edited_by_hand_is_not_patched(tracker: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(out)
    edited = out / "meetings" / "2022-06-24.html"
    edited.write_bytes(edited.read_bytes().replace(b"Wrap-up", b"Wrap-Up"))
    first_body(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)


def test_without_the_index_every_build_is_a_full_one(
    tracker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    render(out)
    monkeypatch.setenv("TF_INDEX", "off")  # stats are not to be trusted
    assert render(out).loaded
    first_body(tracker)
    assert render(out).loaded
    assert_clean(tracker, out, tmp_path)


def test_concurrent_rebuilds_each_give_a_clean_site(tracker: Path, tmp_path: Path) -> None:
    """Processes building into their folders at once share the cache and the index; each
    folder's record is its own."""
    import time

    folders = [tmp_path / name for name in ("a", "b", "c")]

    time.sleep(2.2)  # the minutes' times can be trusted
    all_at_once(tracker, folders)
    first_body(tracker)
    time.sleep(2.2)
    all_at_once(tracker, folders)  # patched, each folder
    for f in folders:
        assert_clean(tracker, f, tmp_path)
    # The builds above fingerprinted tf's code as it is now; this process may have done so
    # earlier in the session (functools.cache), before an edit or a checkout of tf meanwhile.
    index.code_fingerprint.cache_clear()
    for f in folders:
        assert not render(f).loaded


def test_a_patch_imports_no_templates_and_no_pages(tracker: Path, tmp_path: Path) -> None:
    """A body-only rebuild renders Markdown alone: no Jinja2, no page contexts, no gathering."""
    import time

    from test_startup import _imported

    modules = tmp_path / "modules.txt"
    args = ["render", "--today", TODAY.isoformat(), "--out", str(tmp_path / "site")]
    time.sleep(2.2)  # the minutes' times can be trusted
    assert "jinja2" in _imported(args, tracker, modules)  # a full build (so the test can fail)
    first_body(tracker)
    time.sleep(2.2)
    got = _imported(args, tracker, modules)
    assert "tfcli.site.patch" in got and "markdown_it" in got
    assert not got & {"jinja2", "tfcli.site.pages", "tfcli.site.gather", "tfcli.actions"}
    assert_clean(tracker, tmp_path / "site", tmp_path)


def test_the_racy_time_is_the_output_clock_unless_it_spans_file_systems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record's time is the latest time an output file had, plus the margin (files older
    than that need no reading); with a folder of the output on another file system (another
    clock), the wall clock's time after the writes."""
    import time

    from tfcli.site import state

    out = tmp_path / "site"
    (out / "meetings").mkdir(parents=True)
    late = time.time_ns() + 10**12  # a file's change time ahead of the wall clock
    stamps = [("index.html", (1, 5, 1, late)), ("meetings/a.html", (1, 5, 2, 5))]
    assert state.saved_at(out, stamps) == late + state.RACY_NS
    real = os.stat

    def mounted(path: object, *args: object, **kw: object) -> os.stat_result:
        st = real(path, *args, **kw)  # type: ignore[arg-type]
        if Path(str(path)) != out / "meetings":
            return st
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev + 1, *tuple(st)[3:10]))

    monkeypatch.setattr(os, "stat", mounted)
    before = time.time_ns()
    assert before <= state.saved_at(out, stamps) <= time.time_ns()
