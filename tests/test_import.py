"""`tf import-actions` (issue 8 point 12): a tracker's open actions, from CSV as Excel writes
it and from .xlsx, into a baseline file that `tf check` accepts, with a report of what could
not be read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import SEED_FILE, run_tf

from tfcli.importer import _owners
from tfcli.tracker import normal

TODAY = ("--today", "2022-10-31")

# As Excel saves "CSV UTF-8" where the list separator is ';': a BOM, a title row merged
# across the columns, a blank row, the header on row 3, blank and comment-only rows.
CSV = (
    "\ufeffProtection Working Group - Action tracker;;;;;\r\n"
    ";;;;;\r\n"
    "No.;Action point;Responsible;Deadline (dd/mm/yyyy);Status;Comments\r\n"
    "1;Share the referral pathway;UNHCR, IOM;08/07/2022;Ongoing;Draft shared\r\n"
    "2;Update the 4W matrix;All members;next meeting;Open;\r\n"
    ";;;;;\r\n"
    "3;Invite the Ministry of Education;SC;8 July;Done;\r\n"
    "4.1;Map the hotlines;La Strada;2022-07-15;pending approval;\r\n"
    ";;;;;see the annex\r\n"
    '5;"Circulate the ""TOR""; comments by Friday";;2022-08-01;open;\r\n'
)

BASELINE = """\
---
format: 1
id: 2022-06-23-baseline
date: 2022-06-23
title: Action points imported from tracker.csv
status: approved
visibility: public
actions:
  - id: 1
    text: Share the referral pathway
    owner: [UNHCR, IOM]
    due: 2022-07-08
    status: in-progress
    note: "Comments: Draft shared"
  - id: 2
    text: Update the 4W matrix
    owner: All members
    due: next meeting
  - id: 4-1
    text: Map the hotlines
    owner: La Strada
    due: 2022-07-15
    note: "Status: pending approval"
  - id: 5
    text: Circulate the "TOR"; comments by Friday
    due: 2022-08-01
---

Imported with `tf import-actions` from tracker.csv (header on row 3): 4 action points, each \
as the tracker words it. This file is a baseline, not a meeting: follow its actions up in \
later meetings (`action: 2022-06-23-baseline/<id>`), and leave it as it is.
"""

REPORT = """\
tf import-actions: tracker.csv: row 4, Deadline (dd/mm/yyyy): '08/07/2022' read day first, as 2022-07-08
tf import-actions: tracker.csv: row 5, Deadline (dd/mm/yyyy): 'next meeting' is not a date; kept as the deadline's words
tf import-actions: tracker.csv: row 8, Status: 'pending approval' is no status tf knows; the action is open, the word kept in the note
tf import-actions: tracker.csv: row 8, No.: '4.1' is written 4-1 (an action id has letters, digits, '-' and '_')
tf import-actions: tracker.csv: row 9, Action point: empty; row not imported
tf import-actions: tracker.csv: row 10, Responsible: empty; imported with no owner yet
tf import-actions: tracker.csv: 1 done or dropped row left out (--all imports them)
"""


def _csv(repo: Path, text: str = CSV, encoding: str = "utf-8") -> Path:
    path = repo / "tracker.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_as_excel_writes_it(seed_repo: Path) -> None:
    _csv(seed_repo)
    r = run_tf("import-actions", "tracker.csv", "--dry-run", *TODAY, cwd=seed_repo)
    assert (r.code, r.out) == (0, BASELINE)
    assert r.err == REPORT + (
        "tf import-actions: tracker.csv: dry run, nothing written "
        "(would create minutes/2022-06-23-baseline.md)\n"
    )
    assert not (seed_repo / "minutes" / "2022-06-23-baseline.md").exists()

    r = run_tf("import-actions", "tracker.csv", *TODAY, cwd=seed_repo)
    assert (r.code, r.out) == (0, "minutes/2022-06-23-baseline.md\n")
    assert r.err.endswith(
        "tf import-actions: tracker.csv: created minutes/2022-06-23-baseline.md "
        "(4 actions; follow them up as 2022-06-23-baseline/<id>)\n"
    )
    written = seed_repo / "minutes" / "2022-06-23-baseline.md"
    assert written.read_text(encoding="utf-8") == BASELINE
    check = run_tf("check", *TODAY, cwd=seed_repo)
    assert check.code == 0, check.out
    assert "error" not in check.out
    # the first meeting carries the imported actions forward, and does not endorse a baseline
    nm = run_tf("new-meeting", "--dry-run", *TODAY, cwd=seed_repo).out
    assert "  - action: 2022-06-23-baseline/4-1  # Map the hotlines\n" in nm
    assert "previous:\n  meeting: 2022-06-24\n" in nm

    # never overwrites: the same import again is refused and changes nothing
    r = run_tf("import-actions", "tracker.csv", *TODAY, cwd=seed_repo)
    assert r.code == 2
    assert r.err.endswith("already exists; not overwriting it (choose another date or title)\n")
    assert written.read_text(encoding="utf-8") == BASELINE


def test_windows_1252_with_commas_and_all(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("group: WG\nvisibility: restricted\n", encoding="utf-8")
    _csv(
        tmp_path,
        "N°,Action à mener,Responsable,Échéance,Statut,Commentaires,Réunion\r\n"
        "1,Préparer la note,CARE,ASAP,En cours,,12/05/2022\r\n"
        "2,Diffuser le rapport,IRC,30/06/2022,Terminé,envoyé,\r\n",
        "cp1252",
    )
    r = run_tf("import-actions", "tracker.csv", "--all", "--dry-run", *TODAY, cwd=tmp_path)
    assert r.code == 0, r.err
    assert r.out.splitlines()[1:] == [
        "format: 1",
        "id: 2022-10-30-baseline",
        "date: 2022-10-30",
        "title: Action points imported from tracker.csv",
        "status: approved",
        "visibility: restricted",
        "actions:",
        "  - id: 1",
        "    text: Préparer la note",
        "    owner: CARE",
        "    due: ASAP",
        "    status: in-progress",
        '    note: "Réunion: 12/05/2022"',
        "  - id: 2",
        "    text: Diffuser le rapport",
        "    owner: IRC",
        "    due: 2022-06-30",
        "    status: done",
        '    note: "Commentaires: envoyé"',
        "---",
        "",
        r.out.splitlines()[-1],
    ]
    assert r.err.splitlines()[0] == (
        "tf import-actions: tracker.csv: row 2, Échéance: 'ASAP' is not a date; kept as the "
        "deadline's words"
    )


def _xlsx(path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Read me"
    cover["A1"] = "How to use this tracker"
    ws = wb.create_sheet("Actions 2022")
    ws["A1"] = "GBV Sub-Working Group: action points"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["#", "Agreed next step", "Focal point", "By when", "Progress", "Remarks"])
    ws.append(
        [
            1.0,
            "Circulate the\nsafety audit",
            "UNFPA; Health WG",
            datetime(2022, 7, 8),
            "Not started",
            None,
        ]
    )
    ws.append([2, "Share the 5W", "UNHCR & IOM", "8 July", "in progress", "partly"])
    ws.append(
        [
            2,
            "Train focal points",
            "the focal points of CARE, IRC and DRC",
            "end of month",
            None,
            None,
        ]
    )
    ws.append([None, None, None, None, None, None])
    wb.save(path)


def test_xlsx_with_a_cover_sheet_merged_title_and_excel_dates(seed_repo: Path) -> None:
    _xlsx(seed_repo / "tracker.xlsx")
    r = run_tf(
        "import-actions",
        "tracker.xlsx",
        "--column",
        "action=agreed NEXT step",
        "--column",
        "owner=C",
        "--date",
        "2022-06-20",
        "--dry-run",
        *TODAY,
        cwd=seed_repo,
    )
    assert r.code == 0, r.err
    head, _, body = r.out.partition("\n---\n\n")
    assert head.splitlines()[8:] == [
        "  - id: 1",
        '    text: "Circulate the\\nsafety audit"',
        "    owner: [UNFPA, Health WG]",
        "    due: 2022-07-08",
        "  - id: 2",
        "    text: Share the 5W",
        "    owner: [UNHCR, IOM]",
        "    due: 2022-07-08",
        "    status: in-progress",
        '    note: "Remarks: partly"',
        "  - id: r6",
        "    text: Train focal points",
        "    owner: the focal points of CARE, IRC and DRC",
        "    due: end of month",
    ]
    assert body.startswith(
        "Imported with `tf import-actions` from tracker.xlsx, sheet 'Actions 2022' (header on "
        "row 3): 3 action points"
    )
    assert r.err.splitlines()[:3] == [
        "tf import-actions: tracker.xlsx: row 5, By when: '8 July' has no year; read as 2022-07-08",
        "tf import-actions: tracker.xlsx: row 6, By when: 'end of month' is not a date; kept as "
        "the deadline's words",
        "tf import-actions: tracker.xlsx: row 6, #: '2' is used twice; the action is r6",
    ]


def test_what_cannot_be_imported_is_an_answer(seed_repo: Path) -> None:
    _xlsx(seed_repo / "tracker.xlsx")
    r = run_tf("import-actions", "tracker.xlsx", "--sheet", "Actions", *TODAY, cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: tracker.xlsx has no sheet 'Actions' (its sheets: Read me, Actions 2022)\n",
    )
    r = run_tf("import-actions", "tracker.xlsx", "--sheet", "Read me", *TODAY, cwd=seed_repo)
    assert r.code == 3
    assert r.err == (
        "tf: found no header row naming the actions in tracker.xlsx (sheet 'Read me') (name "
        "the columns, e.g. --column action='Agreed action' --column owner=C; see "
        "docs/import.md for the header words tf knows)\n"
    )
    r = run_tf("import-actions", "tracker.xlsx", "--column", "what", *TODAY, cwd=seed_repo)
    assert r.code == 2 and "--column 'what' is not ROLE=HEADER" in r.err
    (seed_repo / "fake.xlsx").write_text("No.;Action\n1;x\n", encoding="utf-8")
    r = run_tf("import-actions", "fake.xlsx", *TODAY, cwd=seed_repo)
    assert (r.code, r.err) == (
        3,
        "tf: fake.xlsx is not an Excel workbook (.xlsx) (save it again as .xlsx or .csv)\n",
    )
    _csv(seed_repo, "No.;Action;Status\n1;Done already;done\n")
    r = run_tf("import-actions", "tracker.csv", *TODAY, cwd=seed_repo)
    assert (r.code, r.out) == (0, "")
    assert r.err.endswith("no open action to import; nothing written\n")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Deadline (dd/mm/yyyy):", "deadline"), ("  ÉCHÉANCE ", "echeance"), ("No.", "no")],
)
def test_headers_are_compared_loosely(header: str, expected: str) -> None:
    assert normal(header) == expected


def test_owners_are_split_only_where_the_roster_says_so() -> None:
    known = {"unhcr", "iom", "chairs"}
    assert _owners("UNHCR, IOM", known) == ["UNHCR", "IOM"]
    assert _owners("UNHCR and chairs", known) == ["UNHCR", "chairs"]
    assert _owners("Ministry of Labour and Social Protection", known) == [
        "Ministry of Labour and Social Protection"
    ]
    assert _owners("CARE, IRC; UNHCR\nIOM", known) == ["CARE, IRC", "UNHCR", "IOM"]
    assert _owners("", known) == []


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(seed_repo: Path) -> None:
    import os

    os.mkfifo(seed_repo / "tracker.csv")
    r = run_tf("import-actions", "tracker.csv", *TODAY, cwd=seed_repo)
    assert (r.code, r.err) == (
        3,
        "tf: tracker.csv is not a regular file (give the tracker's .csv or .xlsx)\n",
    )


def test_a_tracker_too_large_for_one_file_is_refused_with_the_way_out(seed_repo: Path) -> None:
    rows = "".join(
        f"{i};Action number {i}: a longer text of what the group agreed to do;UNHCR\n"
        for i in range(1, 4001)
    )
    _csv(seed_repo, "No.;Action;Responsible\n" + rows)
    r = run_tf("import-actions", "tracker.csv", *TODAY, cwd=seed_repo)
    assert (r.code, r.out) == (3, "")
    assert r.err.startswith(
        "tf: 4000 actions are too many for one baseline file: its front matter would be "
    )
    assert r.err.endswith(
        "more than 262,144 (import the tracker in parts: a sheet at a time with --sheet, or a "
        "CSV of fewer rows, each with its own --date)\n"
    )
    assert list((seed_repo / "minutes").iterdir()) == [seed_repo / "minutes" / SEED_FILE]


def test_tfs_own_csv_comes_back_without_its_formula_guard(tmp_path: Path) -> None:
    # tf writes '=HYPERLINK(...) so that Excel shows text; reading it back must drop the '
    # that tf added, and only that one (a quote before anything else is the person's).
    from tfcli.output import csv_cell
    from tfcli.tracker import read

    texts = ['=HYPERLINK("x")', "+373 22 00", "-1 day", "@UNHCR", "'quoted'", "plain"]
    import csv

    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["Action", "Owner"], *([csv_cell(t), "IOM"] for t in texts)])
    table = read(path, None, {})
    assert [row[0] for row in table.rows[1:]] == texts
