"""End to end: the real registry and the fixture built with `mkdocs build --strict`."""

from __future__ import annotations

import json
import re

import pytest
from helpers import snapshot

from briefing.load.registry import load_registry
from briefing.tools.linkcheck import check_site
from briefing.vocabulary import SCHEMA_PATH


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


@pytest.mark.parametrize("search", ["builtin", "pagefind"])
def test_same_input_gives_byte_identical_site(site_project, tmp_path, search):
    """With Pagefind too: its filter index, written in a random order, is put in order (write/search.py)."""
    (site_project.root / "briefing.toml").write_text(f'[briefing]\nsearch = "{search}"\n', encoding="utf-8")
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
        for number in range(1, len(d.variants) + 1):
            assert f"#{d.id}--{number}" in page, f"{d.id}: variant {number} has no citation link"


def test_downloads_match_the_site_and_their_documentation(real_site):
    import csv

    site = real_site.root / "site"
    data = json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))
    registry, _ = load_registry(real_site.facts, real_site.root)
    assert [f["id"] for f in data["facts"]] == [f.id for f in registry.facts]
    for fact in data["facts"]:  # every record leads to its fact, and every quote to its source page
        page, anchor = fact["page"].split("#")
        assert f'id="{anchor}"' in (site / page / "index.html").read_text(encoding="utf-8"), fact["page"]
        for citation in fact["citations"]:
            page, anchor = citation["source_page"].split("#")
            assert f'id="{anchor}"' in (site / page / "index.html").read_text(encoding="utf-8"), citation
    assert (site / "data" / "registry.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()
    assert (real_site.root / "facts" / "registry.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()
    methodology = (real_site.root / "docs" / "methodology.md").read_text(encoding="utf-8")
    for name in ("facts.csv", "citations.csv"):
        header = next(csv.reader((site / "data" / name).open(encoding="utf-8-sig")))
        documented = methodology.split(f"Columns of `{name}`:", 1)[1].split("\n\n", 2)[1]
        assert re.findall(r"^\| `([a-z_]+)` \|", documented, re.M) == header, name
    rows = list(csv.DictReader((site / "data" / "citations.csv").open(encoding="utf-8-sig")))
    assert len(rows) == sum(len(f.citations) for f in registry.facts) + sum(
        len(v.citations) for d in registry.disagreements for v in d.variants
    )


def test_csv_cells_that_look_like_formulas_are_defused(tmp_path):
    from briefing.render.csv_text import _cell

    assert [_cell(v) for v in ("=HYPERLINK(1)", "+1", "-1", "@x", "plain", 3)] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-1",
        "'@x",
        "plain",
        3,
    ]


def test_set_aside_html_comes_back_whole(real_site):
    """The hook sets the generated raw HTML aside while Markdown runs: all of it must return."""
    for page in (real_site.root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "briefingraw" not in text and "<!--raw-->" not in text, page
    funding = (real_site.root / "site" / "topics" / "funding" / "index.html").read_text(encoding="utf-8")
    registry, _ = load_registry(real_site.facts, real_site.root)
    assert funding.count('<h3 class="fact" id=') == sum(f.topic == "funding" for f in registry.facts)


@pytest.mark.engines
def test_zensical_builds_the_same_pages_from_the_same_source_with_no_broken_link(real_site, zensical_site):
    """The second engine reads the same build/ folder: the same pages, every link and anchor resolving."""
    mkdocs_pages = {
        p.relative_to(real_site.root / "site").as_posix() for p in (real_site.root / "site").rglob("*.html")
    }
    zensical = zensical_site.root / "site"
    zensical_pages = {p.relative_to(zensical).as_posix() for p in zensical.rglob("*.html")}
    assert zensical_pages == mkdocs_pages
    assert snapshot(zensical_site.root / "build") == snapshot(real_site.root / "build")
    broken, _ = check_site(zensical)
    assert broken == []
    result = zensical_site.run("linkcheck")
    assert result.returncode == 0 and " 0 broken internal links" in result.stdout, result.stderr


def test_search_index_does_not_run_words_together(real_site):
    """The hidden search text of a fact starts after a space, so names do not run into the next word."""
    index = json.loads((real_site.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    registry, _ = load_registry(real_site.facts, real_site.root)
    names = {e.name for e in registry.entities}
    joined = [
        (doc["location"], name + match.group(1))
        for doc in index["docs"]
        for name in names
        for match in re.finditer(re.escape(name) + r"([A-Z]\w*)", doc["text"])
    ]
    assert joined == []


def test_a_published_address_gives_a_sitemap_of_every_page_canonical_links_and_previews(site_project):
    result = site_project.run("build", "--strict", env={"BRIEFING_SITE_URL": "https://example.org/briefing/"})
    assert result.returncode == 0, result.stderr
    site = site_project.root / "site"
    pages = sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("index.html"))
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert [f"https://example.org/briefing/{page}" for page in pages] == sorted(
        re.findall(r"<loc>([^<]+)</loc>", sitemap)
    )
    funding = (site / "topics" / "funding" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/briefing/topics/funding/">' in funding
    assert '<meta property="og:url" content="https://example.org/briefing/topics/funding/">' in funding
    assert '<meta name="description" content="Money raised.">' in funding
    descriptions = {
        re.search(r'<meta name="description" content="([^"]*)"', p.read_text()).group(1)
        for p in site.rglob("*.html")
        if "404" not in p.name
    }
    assert len(descriptions) > 10  # each page its own, not the site's one description


# The part of schema.org's vocabulary the site uses: each type with the properties it may have.
SCHEMA_ORG = {
    "Dataset": {"name", "description", "license", "isAccessibleForFree", "temporalCoverage", "distribution"},
    "DataDownload": {"name", "description", "encodingFormat", "contentUrl"},
    "ClaimReview": {"url", "claimReviewed", "reviewBody", "itemReviewed", "reviewRating", "author"},
    "Claim": {"appearance"},
    "CreativeWork": {"name", "datePublished", "publisher", "url"},
    "Organization": {"name"},
    "Rating": {"ratingValue", "worstRating", "bestRating", "alternateName"},
}


def _schema_org_problems(node, where: str) -> list[str]:
    if isinstance(node, list):
        return [p for item in node for p in _schema_org_problems(item, where)]
    if not isinstance(node, dict):
        return []
    kind = node.get("@type")
    if kind not in SCHEMA_ORG:
        return [f"{where}: unknown type {kind!r}"]
    problems = [
        f"{where}: {kind} has no property {k!r}" for k in node if not k.startswith("@") and k not in SCHEMA_ORG[kind]
    ]
    for key, value in node.items():
        problems += _schema_org_problems(value, f"{where}/{kind}.{key}")
    return problems


def test_json_ld_uses_schema_org_types_and_marks_every_erroneous_claim(real_site):
    site = real_site.root / "site"
    blocks = {}
    for page in ("index.html", "disagreements/index.html"):
        found = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', (site / page).read_text(encoding="utf-8"), re.S
        )
        assert len(found) == 1, page
        blocks[page] = json.loads(found[0])
        assert _schema_org_problems(blocks[page], page) == []
    dataset = blocks["index.html"]
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    for download in dataset["distribution"]:
        assert (site / download["contentUrl"]).is_file(), download
    registry, _ = load_registry(real_site.facts, real_site.root)
    erroneous = [v.claim for d in registry.disagreements for v in d.variants if v.rank == "erroneous"]
    reviews = blocks["disagreements/index.html"]
    assert [r["claimReviewed"] for r in reviews] == erroneous and erroneous
    assert any("Meta" in claim for claim in erroneous)  # AsianFin's "Meta's Qwen-2.5-VL"


def test_the_sources_as_references_and_the_data_package(real_site):
    site = real_site.root / "site" / "data"
    registry, _ = load_registry(real_site.facts, real_site.root)
    bib = (site / "sources.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@online\{([a-z0-9-]+),$", bib, re.M) == [s.id for s in registry.sources]
    assert bib.count("{") == bib.count("}")
    csl = json.loads((site / "sources.csl.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in csl] == [s.id for s in registry.sources]
    assert all(item["issued"]["date-parts"][0][0] == 2025 for item in csl)
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["encoding"] == "utf-8"  # with a byte order mark, which UTF-8 readers skip
        header = (site / resource["path"]).read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert [f["name"] for f in resource["schema"]["fields"]] == header
