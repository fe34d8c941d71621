"""The live preview's writer is files.write_changed: it never writes through a link planted where a
temporary file used to go (`.NAME.tmp`, a fixed name beside each page)."""

from __future__ import annotations

from pathlib import Path

from conftest import Project

from briefing.pipeline import Options
from briefing.preview import PREVIEW, preview


def test_the_preview_never_writes_through_a_planted_temporary_name(site_project: Project, tmp_path):
    options = Options(root=site_project.root, sources=site_project.archive, strict=False, site_dir=Path("site"))
    stamp, report = preview(options, None)
    assert report is not None and report.files is not None
    page = site_project.root / PREVIEW / "docs" / "index.md"
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n", encoding="utf-8")
    page.with_name(f".{page.name}.tmp").symlink_to(victim)
    site_project.edit("briefing.yaml", "title: ", "title: Changed ")
    _, again = preview(options, stamp)
    assert again is not None and again.files is not None
    assert victim.read_text(encoding="utf-8") == "untouched\n"
    assert "Changed" in page.read_text(encoding="utf-8")
