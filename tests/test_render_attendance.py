"""The attendance page of `tf render` counts organisations: a participant written as text
(`UNHCR`), the organisation of `Name (Organisation)` or of a mapping's `organisation:`; a
mapping without `organisation:` names a person, never an organisation (docs/format.md)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_tf
from test_render import Text

PEOPLE = """\
  ngos:
    - {name: Sara Lind}
    - {name: Ion Vasile, role: Legal adviser}
    - {name: Dan Popa, as: member}
    - {name: Ana Rusu, organisation: Terre des hommes}
    - Mihai Ene (Caritas)
"""


def test_a_person_written_as_a_mapping_is_no_organisation(seed_repo: Path) -> None:
    meeting = seed_repo / "minutes" / "2022-06-24-anti-trafficking-task-force.md"
    text = meeting.read_text(encoding="utf-8")
    assert text.count("  ngos:\n") == 1
    meeting.write_text(text.replace("  ngos:\n", PEOPLE), encoding="utf-8")
    out = seed_repo / "_site"
    r = run_tf("render", "--today", "2022-07-25", "--out", str(out), cwd=seed_repo)
    assert r.code == 0, r.err
    rows = Text.of((out / "attendance.html").read_text(encoding="utf-8"))
    for org in ("Terre des hommes", "Caritas", "La Strada", "UNHCR"):
        assert f"{org} 100% (1) ✓" in rows
    for person in ("Sara Lind", "Ion Vasile", "Dan Popa", "Ana Rusu", "Mihai Ene"):
        assert person not in rows
    pages = {p.name for p in (out / "organisations").iterdir()}
    assert {"terre-des-hommes.html", "caritas.html"} <= pages
    assert not {"sara-lind.html", "ion-vasile.html", "dan-popa.html"} & pages
    # The meeting's own page still names them, as written.
    page = Text.of((out / "meetings" / "2022-06-24.html").read_text(encoding="utf-8"))
    assert "Sara Lind" in page and "Ion Vasile" in page
