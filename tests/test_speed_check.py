"""The live preview checks every quote again after each edit: where a quote stands in an archived
text is remembered for the process (check/matching.py FOUND), by the text and the quote themselves, so
an unchanged text is not folded again and a changed one is searched afresh."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import Project
from fixture_registry import ARCHIVE

from briefing.check import matching
from briefing.load.registry import load_registry
from briefing.pipeline import Options, check


@pytest.fixture
def folds(monkeypatch) -> list[str]:
    """Every text the checks fold (matching.normalise), from a clean memory."""
    monkeypatch.setattr(matching, "FOUND", {})
    seen: list[str] = []
    original = matching.normalise

    def counting(text: str, *args, **kwargs):
        seen.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(matching, "normalise", counting)
    return seen


def _check(project: Project):
    registry, _ = load_registry(project.facts, project.root)
    return check(registry, Options(root=project.root, sources=project.archive, strict=False, site_dir=Path("site")))


def test_a_second_check_folds_no_archived_text_again(project: Project, folds: list[str]):
    first = _check(project)
    assert set(ARCHIVE.values()) <= set(folds)  # the first check folds each archived text
    folds.clear()
    again = _check(project)
    assert not set(ARCHIVE.values()) & set(folds)
    assert again.problems == first.problems and again.quotes.sentences == first.quotes.sentences


def test_a_changed_archived_text_is_searched_afresh(project: Project, folds: list[str]):
    assert not [p for p in _check(project).problems if p.severity == "error"]
    changed = ARCHIVE["planet.txt"].replace("Harbour Capital is controlled by", "Harbour Capital is owned by")
    (project.archive / "planet.txt").write_text(changed, encoding="utf-8")
    old, new = (hashlib.sha256(t.encode("utf-8")).hexdigest() for t in (ARCHIVE["planet.txt"], changed))
    project.edit("sources.yaml", old, new)
    errors = [p.message for p in _check(project).problems if p.severity == "error"]
    assert "quote not found in source 'planet' (planet.txt)" in errors  # not the place remembered from before


def test_the_memory_is_bounded(project: Project, folds: list[str], monkeypatch):
    monkeypatch.setattr(matching, "FOUND_LIMIT", 2)
    _check(project)
    assert len(matching.FOUND) <= 2
