"""End to end: the real registry and the fixture built with `mkdocs build --strict`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, Project
from helpers import snapshot
from scripts.linkcheck import check_site
from scripts.registry import load_registry

ARCHIVE = REPO.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Project:
    """The repository's own registry and site configuration, built once in a temporary folder."""
    if not ARCHIVE.is_dir():
        pytest.fail(f"the source archive {ARCHIVE} is missing: the real briefing cannot be verified")
    root = tmp_path_factory.mktemp("real") / "project"
    root.mkdir()
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("generated", ".*"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for shared in ("scripts", "templates"):
        (root / shared).symlink_to(REPO / shared)
    project = Project(root, ARCHIVE)
    result = project.run("build", "--strict", env={"SOURCE_DATE_EPOCH": "1750000000"})
    assert result.returncode == 0, result.stderr
    return project


def test_real_briefing_has_a_page_for_every_source_entity_and_topic(real_site):
    registry, problems = load_registry(real_site.facts, real_site.root)
    assert problems == []
    site = real_site.root / "site"
    assert (site / "index.html").is_file()
    for kind, entries in (("sources", registry.sources), ("entities", registry.entities), ("topics", registry.topics)):
        for entry in entries:
            assert (site / kind / entry.id / "index.html").is_file(), f"{kind}/{entry.id}"
    for page in ("timeline", "disagreements", "methodology", "sources", "entities", "topics"):
        assert (site / page / "index.html").is_file(), page


def test_search_index_contains_fact_statements_with_their_anchors(real_site):
    registry, _ = load_registry(real_site.facts, real_site.root)
    index = json.loads((real_site.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"]: doc["title"] for doc in index["docs"]}
    for fact in registry.facts:
        location = f"topics/{fact.topic}/#{fact.id}"
        assert location in locations, location
        assert " ".join(locations[location].split()) == " ".join(fact.statement.split())


def test_every_internal_link_and_anchor_resolves(real_site):
    broken, external = check_site(real_site.root / "site")
    assert broken == []
    assert all(link.startswith("https://") for link in external)


def test_every_citation_footnote_links_to_its_quote_on_the_source_page(real_site):
    site = real_site.root / "site"
    html = (site / "topics" / "funding" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../sources/investors-king-2025-03/#march-2025-round-amount"' in html
    source = (site / "sources" / "investors-king-2025-03" / "index.html").read_text(encoding="utf-8")
    assert 'id="march-2025-round-amount"' in source


def test_no_request_leaves_the_site(real_site):
    """No web fonts, no CDN scripts or styles: every asset a page loads is the site's own."""
    tag = re.compile(r"<(script|link|img|iframe|source|video|audio)\b[^>]*>", re.I)
    url = re.compile(r"\b(?:src|href)=\"([^\"]*)\"")
    for page in (real_site.root / "site").rglob("*.html"):
        for element in tag.finditer(page.read_text(encoding="utf-8")):
            text = element.group(0)
            if text.lower().startswith("<link") and re.search(r'rel="(canonical|alternate)"', text):
                continue  # not loaded by the browser
            for target in url.findall(text):
                assert not target.startswith(("http:", "https:", "//")), f"{page}: {text}"


def test_same_input_gives_byte_identical_site(site_project, tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert site_project.run("build", "--strict", env={**env, "PYTHONHASHSEED": "1"}).returncode == 0
    first = snapshot(site_project.root / "site")
    # Recreate the registry files in another order, and build with another hash seed.
    for path in sorted(site_project.facts.glob("*.yaml"), reverse=True):
        text = path.read_bytes()
        path.unlink()
        path.write_bytes(text)
    assert site_project.run("build", "--strict", env={**env, "PYTHONHASHSEED": "2"}).returncode == 0
    second = snapshot(site_project.root / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_disagreements_page_lists_every_disagreement_with_citations_and_note(real_site):
    import html as html_lib

    registry, _ = load_registry(real_site.facts, real_site.root)
    page = (real_site.root / "site" / "disagreements" / "index.html").read_text(encoding="utf-8")
    visible = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for d in registry.disagreements:
        assert f'id="{d.id}"' in page, d.id
        assert " ".join(d.note.split()) in visible, d.id
        for number, variant in enumerate(d.variants, 1):
            assert f"#{d.id}--{number}" in page, f"{d.id}: variant {number} has no citation link"
