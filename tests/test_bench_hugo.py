"""bench/hugo_site.py: Hugo's peer of `tf render` writes its project and builds the same pages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from gen import generate
from hugo_site import LAYOUTS, write_site


def _public(repo: Path) -> list[dict[str, object]]:
    out = []
    for f in sorted((repo / "minutes").glob("*.md")):
        front = yaml.safe_load(f.read_text(encoding="utf-8").split("\n---\n")[0][4:])
        if front.get("visibility") != "restricted":
            out.append(front)
    return out


def test_the_project_is_written(tmp_path: Path) -> None:
    generate(40, tmp_path / "repo")
    site = write_site(tmp_path / "repo", tmp_path / "site", tmp_path / "out")
    for rel in LAYOUTS:
        assert (site / "layouts" / rel).is_file(), rel
    config = (site / "config.toml").read_text(encoding="utf-8")
    # gen.py makes one meeting in twenty restricted: the 8th and the 28th of 40
    assert 'excludeFiles = ["2026-09-29-benchmark.md", "2026-10-19-benchmark.md"]' in config
    assert len(list((site / "organisations").glob("*.md"))) == 22 + 1  # and the section's
    assert (site / "organisations" / "general-prosecutor-s-office.md").is_file()
    assert (site / "data" / "tf.yaml").read_bytes() == (tmp_path / "repo" / "tf.yml").read_bytes()


@pytest.mark.skipif(shutil.which("hugo") is None, reason="Debian's hugo is not installed")
def test_hugo_builds_the_same_pages(tmp_path: Path) -> None:
    repo, out = tmp_path / "repo", tmp_path / "out"
    generate(40, repo)
    site = write_site(repo, tmp_path / "site", out)
    built = subprocess.run(
        ["hugo", "--printPathWarnings", "--source", str(site)], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    assert "WARN" not in built.stdout + built.stderr
    public = _public(repo)
    pages = sorted(p.stem for p in (out / "meetings").glob("*.html"))
    assert pages == [str(m["date"]) for m in public]
    assert len(list((out / "organisations").glob("*.html"))) == 22
    actions = sum(len(m["actions"]) for m in public)  # type: ignore[arg-type]
    assert (out / "tracker.html").read_text(encoding="utf-8").count("<tr><td>") == actions
    search = json.loads((out / "search.json").read_text(encoding="utf-8"))
    assert [e["date"] for e in search] == pages
    everything = "".join(f.read_text(encoding="utf-8") for f in out.rglob("*") if f.is_file())
    for day in ("2026-09-29", "2026-10-19"):  # the restricted meetings: page, actions, follow-ups
        assert f"meetings/{day}" not in everything and f"{day}/" not in everything
    assert "2026-09-28/" in everything  # (what the check looks for is there for the others)
