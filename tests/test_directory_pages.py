"""A kind with more entities than a listing holds is listed on pages of their own by the names'
first letters (render/kinds/entities.py), and more sources by year of publication
(render/kinds/sources.py): the Entities and Sources pages stay short however many there are; and a
split funding topic tables each part's rounds on that part (render/funding.py), not all on its first page."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from conftest import Project

from briefing.load.model import PartialDate
from briefing.load.registry import load_registry
from briefing.project import DEFAULTS
from briefing.render.kinds.entities import letters, name_order, shelves
from briefing.render.kinds.sources import periods
from briefing.render.pages import render_site


@dataclass
class Named:
    name: str


@dataclass
class Dated:
    id: str
    published: PartialDate


def test_every_shelf_holds_at_most_a_listing_and_every_entity_is_on_one():
    names = [f"Sino {word}" for word in ("Alpha", "Beta", "Gamma", "Delta")] + ["Sigma", "Sun", "Star"]
    names += [
        "Émile Borel",
        "emma",
        "智谱",
        "01.AI",
        "—",
        "Zhipu",
        "Zhipu",
        "Zhipu",
    ]  # accents, no Latin, one name 3 times
    members = sorted((Named(n) for n in names), key=name_order)
    found = shelves(members, limit=2)
    keys = [key for key, _ in found]
    assert len(keys) == len(set(keys)) and keys[-1] == "other"
    assert sorted(id(e) for _, shelf in found for e in shelf) == sorted(id(e) for e in members)
    for key, shelf in found:
        if key != "other":
            assert all(letters(e.name).startswith(key) for e in shelf), key
        # a shelf is longer than the limit only when its names cannot be told apart by more letters
        assert len(shelf) <= 2 or len({letters(e.name) for e in shelf}) == 1 or key == "other", key
    by_key = dict(found)
    assert [e.name for e in by_key["e"]] == ["Émile Borel", "emma"]  # accents folded: É files under e
    assert {e.name for e in by_key["other"]} == {"智谱", "—"}
    assert [e.name for e in by_key["zhipu"]] == ["Zhipu"] * 3  # the same name: one shelf, whatever the limit
    assert "sinoa" in by_key and "sinob" in by_key  # a crowded "s" is split by as many letters as it takes


def _pages(project: Project, limit: int) -> dict[str, str]:
    registry, problems = load_registry(project.facts, project.root)
    assert not [p for p in problems if p.severity == "error"]
    return render_site(registry, settings=replace(DEFAULTS, listing_limit=limit))


def test_the_entities_page_links_to_its_shelves_when_a_kind_is_too_long(project: Project):
    project.edit(
        "entities.yaml",
        "  - id: portville\n",
        "  - id: hostile\n    name: '<script>alert(1)</script> ](javascript:x)'\n    kind: organisation\n"
        "    description: 'A name that is markup.'\n  - id: portville\n",
    )
    short = _pages(project, limit=150)
    assert not [path for path in short if "--" in path]  # nothing split at the default limit
    pages = _pages(project, limit=1)
    index = pages["entities/index.md"]
    shelf_pages = sorted(path for path in pages if path.startswith("entities/organisation--"))
    assert shelf_pages == [
        "entities/organisation--a/index.md",
        "entities/organisation--h/index.md",
        "entities/organisation--s/index.md",
    ]
    # The organisations are linked by shelf, with how many each holds; the one person and place are listed.
    assert "3 in all, too many for one page" in index
    assert '<li><a href="../entities/organisation--a/">A</a> <span class="shelf-count">(1)</span></li>' in index
    assert "(../entities/acme/index.md)" not in index
    assert "[Ada Lovelace](../entities/ada-lovelace/index.md)" in index
    listed = []
    for path in shelf_pages:
        page = pages[path]
        assert "[All entities](../../entities/index.md)" in page
        listed += re.findall(r"^- \[.*?\]\(\.\./\.\./entities/([a-z0-9-]+)/index\.md\)", page, re.M)
    assert sorted(listed) == ["acme", "harbour-capital", "hostile"]  # each organisation on one shelf
    hostile = pages["entities/organisation--s/index.md"]
    assert "<script>" not in hostile and "](javascript:" not in hostile
    assert 'title: "Organisations: S"' in hostile
    # No shelf can take an entity's page: an id has single hyphens only.
    assert not any(path.removeprefix("entities/").split("/")[0] == "organisation--s" for path in short)


def test_more_sources_than_a_listing_are_tabled_by_year_of_publication(project: Project):
    pages = _pages(project, limit=1)
    index = pages["sources/index.md"]
    periods = sorted(path for path in pages if path.startswith("sources/published--"))
    assert periods and all(path.endswith("/index.md") for path in periods)
    assert "<table" not in index and "sources, too many for one table" in index
    tabled = []
    for path in periods:
        page = pages[path]
        label = re.search(r"^# Sources published in (.+)$", page, re.M)[1]
        assert f"were published in {label}. [All sources](../../sources/index.md)" in page
        tabled += re.findall(r'<a href="\.\./\.\./sources/([a-z0-9-]+)/">', page)
        assert f'<a href="../{path.removesuffix("index.md")}">{label}</a>' in index  # linked from the Sources page
    assert sorted(tabled) == sorted(s.id for s in load_registry(project.facts, project.root)[0].sources)
    whole = _pages(project, limit=150)["sources/index.md"]
    assert "<table" in whole and "published--" not in whole  # one table while they fit


def test_a_crowded_year_of_sources_is_split_by_month_and_each_source_is_on_one_page():
    def source(name: str, date: str) -> Dated:
        return Dated(name, PartialDate(*(int(part) for part in date.split("-"))))

    sources = [source("a", "2024-03-02"), source("b", "2024"), source("c", "2024-03-01"), source("d", "2024-07")]
    sources += [source("e", "2023-05-05"), source("f", "2025-01-01"), source("g", "2025-02-01")]
    found = periods(sources, limit=2)
    assert [(key, label, [s.id for s in group]) for key, label, group in found] == [
        ("2023", "2023", ["e"]),
        ("2024-no-month", "2024 (month unknown)", ["b"]),
        ("2024-03", "March 2024", ["c", "a"]),  # by date within the page
        ("2024-07", "July 2024", ["d"]),
        ("2025", "2025", ["f", "g"]),  # two fit: not split
    ]


def test_a_split_funding_topic_tables_each_rounds_on_its_own_part(project: Project):
    pages = _pages(project, limit=1)
    first, part = pages["topics/funding/index.md"], pages["topics/funding/2024/index.md"]
    assert "## Funding rounds" in first and "<svg" in first  # the chart of every round stays on the first page
    assert "Each page of this topic tables the rounds among its facts." in first
    assert '<td data-label="Date">' not in first  # no table of every round
    assert part.count('<td data-label="Date">') == 1 and "May 2024" in part.split("## Funding rounds")[1]
    assert "<svg" not in part.split("## Funding rounds")[1].split("</table>")[0]
    whole = _pages(project, limit=150)["topics/funding/index.md"]  # one page: chart and table, as before
    assert whole.count('<td data-label="Date">') == 1 and "<svg" in whole and "Each page of this topic" not in whole


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_split_pages_build_on_both_engines_with_every_link_checked(site_project: Project, engine: str):
    (site_project.root / "briefing.toml").write_text("[briefing]\nlisting_limit = 1\n", encoding="utf-8")
    result = site_project.run("build", "--strict", "--engine", engine)
    assert result.returncode == 0, result.stdout + result.stderr
    site = site_project.root / "site"
    for page in ("entities/organisation--a", "sources/published--2024-05", "topics/funding/2024"):
        assert (site / page / "index.html").is_file(), page
    index = (site / "entities" / "index.html").read_text(encoding="utf-8")
    assert 'href="../entities/organisation--a/"' in index or 'href="organisation--a/"' in index


@dataclass
class DatedFact:
    date: PartialDate | None


def test_an_overview_of_many_parts_lists_them_under_a_heading_per_year():
    """At 100 000 facts the timeline's overview listed 734 parts in one section, which Zensical's search refused."""
    from briefing.render.addresses import page_file
    from briefing.render.environment import environment
    from briefing.render.listings import PARTS_UNDER_YEARS, Part, listing

    def parts(years: tuple[int, ...]) -> list[Part]:
        made = [
            Part(page_file(f"timeline/{y}-{m:02d}"), f"{m:02d}/{y}", "month", [DatedFact(PartialDate(y, m))])
            for y in years
            for m in range(1, 13)
        ]
        return made + [Part(page_file("timeline/undated"), "Undated", "month", [DatedFact(None)])]

    many = listing(None, parts((2023, 2024, 2025)), None, "timeline/index.md", "Timeline")  # type: ignore[arg-type]
    assert len(many.parts) > PARTS_UNDER_YEARS
    assert [(year, len(links)) for year, links in many.years] == [
        ("2023", 12),
        ("2024", 12),
        ("2025", 12),
        ("Undated", 1),
    ]
    text = environment().get_template("_listing.md.j2").render(listing=many)
    assert "## By date\n\n### 2023\n\n- [01/2023](" in text and "### Undated\n\n- [Undated](" in text
    few = listing(None, parts((2024,)), None, "timeline/index.md", "Timeline")  # type: ignore[arg-type]
    assert few.years == [] and "###" not in environment().get_template("_listing.md.j2").render(listing=few)
