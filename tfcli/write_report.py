"""Reports written where the user says: `--output FILE`, `tf export --sqlite FILE`, the
GitHub Actions step summary. Never over the group's records (tf.yml, minutes, templates),
a device, a FIFO or a folder; a file is replaced whole in one rename (tfcli.write's temp
copies), so a reader never sees half of one. Every OS failure is a DataError naming the file."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from tfcli.errors import DataError, UsageError
from tfcli.write import as_data_error, repo_root, sync_folder, temp_copy


def append_text(path: Path, text: str) -> None:
    """Append `text` (UTF-8) to `path`, creating it when missing: for reports outside the
    minutes such as $GITHUB_STEP_SUMMARY. A DataError naming the file when that fails."""
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise DataError(f"cannot write {path}: {e.strerror or e}") from None


# GitHub drops a step's whole summary when its file is over 1 MiB: every `--summary` of the
# step together (https://docs.github.com/actions: "Step isolation and limits").
SUMMARY_CAP = 1024 * 1024


def append_step_summary(text: str, command: str = "tf") -> bool:
    """Append Markdown to the GitHub Actions step summary ($GITHUB_STEP_SUMMARY); False when
    not running in a job that has one. A table that would take the file over SUMMARY_CAP is
    cut at a row (see capped); `command` names what lists every row."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        used = os.stat(target).st_size  # what earlier commands of the step wrote
    except OSError:
        used = 0  # missing: append_text creates it, or says why it cannot
    text = capped(text, SUMMARY_CAP - used, command)
    if text:
        append_text(Path(target), text)
    else:
        from tfcli.output import message

        message("tf: --summary: the step summary is full (1 MiB); nothing appended")
    return True


def capped(text: str, room: int, command: str) -> str:
    """`text` when it fits in `room` bytes (UTF-8). Else its Markdown table cut after the last
    row that fits, with a line saying how many rows were left out and where they all are;
    "" when not even that fits (an earlier command of the step filled the summary)."""
    if len(text.encode()) <= room:
        return text
    lines = text.splitlines(keepends=True)
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("|---")), len(lines))
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rows, n = lines[start:end], end - start

    def note(left: int) -> str:
        return (
            f"\n**{left} of {n} rows left out**: GitHub keeps at most 1 MiB of a step's "
            f"summary. This step's log lists them all; or run `{command}` again locally.\n"
        )

    size = len("".join(lines[:start] + lines[end:]).encode()) + len(note(n).encode())
    if size > room:
        return ""
    kept = 0
    for row in rows:
        size += len(row.encode())
        if size > room:
            break
        kept += 1
    return "".join(lines[: start + kept]) + note(n - kept) + "".join(lines[end:])


def output_target(path: Path) -> Path:
    """Where a report the user named (`--output`, `--sqlite`) may go: a new name in a folder
    that exists, or a regular file (through a link, its target). Else a UsageError (a device,
    FIFO, folder, a missing folder, the group's records) or a DataError (read-only)."""
    from tfcli.load import file_kind
    from tfcli.paths import display_path

    shown = display_path(path)
    with as_data_error(path, "nothing was written"):
        target = Path(os.path.realpath(path))
        try:
            st: os.stat_result | None = target.stat()
        except FileNotFoundError:
            st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{shown} is a folder; tf writes a report to a file", "name a file")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise UsageError(
            f"{shown} is {file_kind(st.st_mode)}, not a file; tf replaces only files",
            f"name a regular file; to send a listing there, redirect stdout: > {shown}",
        )
    if not target.parent.is_dir():
        raise UsageError(
            f"cannot write {shown}: the folder {display_path(target.parent)} does not exist",
            "create it first, or name a file in a folder that exists",
        )
    if record := _record(path, target):
        raise UsageError(
            f"{shown} is {record}; a report never replaces the group's records",
            "name a file outside the minutes and templates folders",
        )
    # Mode bits as well as access(): root may write anything, but a 0444 file says "keep".
    if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise DataError(
            f"{shown} is read-only; nothing was written",
            "make it writable (chmod u+w), or name another file",
        )
    return target


def _record(path: Path, target: Path) -> str | None:
    """What `path` (as named: a link in minutes/ is read as minutes) or its `target` is among
    the records (tf.yml, minutes, templates) of the working directory's repository, if any."""
    from tfcli.config import CONFIG_NAME
    from tfcli.load import load_config
    from tfcli.paths import below, within

    try:
        config, _ = load_config()
        root, folders = config.root, (config.minutes_dir, config.templates_dir)
    except DataError:  # an unreadable tf.yml: the default folders
        root = repo_root()
        folders = (root / "minutes", root / "templates")
    if within(target, root / CONFIG_NAME):
        return "the repository's tf.yml"
    named = os.path.abspath(path)
    for folder, what in zip(folders, ("minutes", "templates"), strict=True):
        if within(target, folder) or below(named, os.path.abspath(folder)):
            return f"inside the {what} folder"
    return None


def replace_output(path: Path, data: bytes) -> None:
    """Write a report to a file the user named (`--output`; where: output_target()),
    replaced whole in one rename, so a reader never sees half a file; its mode kept."""
    target = output_target(path)
    with as_data_error(path, "nothing was written"):
        tmp = temp_copy(target.parent, target.name, data)
        try:
            try:
                mode = target.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o644  # mkstemp's 0600 would hide a report from the group
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        sync_folder(target.parent)


def temp_beside(path: Path) -> Path:
    """An empty temp file beside where `path` goes, for a writer that needs a name (SQLite)."""
    target = output_target(path)
    with as_data_error(path, "nothing was written"):
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
    return Path(tmp)


def publish(tmp: Path, path: Path, overwrite: bool) -> None:
    """Move a temp file from temp_beside() into place in one rename: replacing `path` (checked
    again) only when `overwrite`, else refusing as create_new does. The temp file goes."""
    try:
        target = output_target(path)
        with as_data_error(path, "nothing was written"):
            try:
                mode = target.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o644  # mkstemp made it 0600, as create_new's files are not
            os.chmod(tmp, mode)
            if overwrite:
                os.replace(tmp, target)
            else:
                try:
                    os.link(tmp, target)  # fails when the name exists: check and create in one
                except FileExistsError:
                    raise UsageError(
                        f"{path} already exists; not overwriting it", "add --force to replace it"
                    ) from None
            sync_folder(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
