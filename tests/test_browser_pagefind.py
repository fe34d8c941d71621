# ruff: noqa: F811
"""The site's own search over Pagefind (briefing.toml: search = "pagefind"), the same on both engines.

The real briefing built with Pagefind by MkDocs and by Zensical: a quote's words, an alias and a
facet find the right facts; the search is used from the keyboard alone; ?q= opens it; axe passes
with it open in both palettes at 375 and 1280 px; a hostile title and query stay text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import Project, repository_project
from helpers import axe_serious, serve
from playwright.sync_api import Page, expect
from test_browser_search import page, tab_to  # noqa: F401 (the fixture each test takes: 1280 px, a context of its own)
from test_page_weight import _weights_within_limit

pytestmark = pytest.mark.browser

ENGINES = ["mkdocs", pytest.param("zensical", marks=pytest.mark.engines)]
RESULT_LINKS = "() => [...document.querySelectorAll('.briefing-search__results a')].map(a => a.getAttribute('href'))"


def pagefind_project(root: Path, engine: str) -> Project:
    """The repository's briefing with search = "pagefind" (whatever its briefing.toml says), built by `engine`."""
    project = repository_project(root, settings=True)
    settings = (root / "briefing.toml").read_text(encoding="utf-8")
    if "search =" not in settings:
        settings += 'search = "pagefind"\n'
    (root / "briefing.toml").write_text(settings.replace('search = "builtin"', 'search = "pagefind"'), encoding="utf-8")
    result = project.run("build", "--strict", "--engine", engine, env={"SOURCE_DATE_EPOCH": "1750000000"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site" / "pagefind" / "pagefind.js").is_file()
    return project


@pytest.fixture(scope="module", params=ENGINES)
def pagefind_site(request, tmp_path_factory) -> Path:
    """The briefing as published (Pagefind's search), built by each engine."""
    if request.param == "mkdocs":
        return request.getfixturevalue("published_site").root / "site"
    return (
        pagefind_project(tmp_path_factory.mktemp(f"pagefind-{request.param}") / "project", request.param).root / "site"
    )


@pytest.fixture(scope="module")
def site_url(pagefind_site):
    yield from serve(pagefind_site)


def press_slash(page: Page) -> None:
    """The shortcut, once the search script is ready (its button in the header), and the box focused."""
    expect(page.locator(".briefing-search-button")).to_be_visible(timeout=15_000)
    page.keyboard.press("/")
    expect(page.locator("#briefing-search-input")).to_be_focused(timeout=15_000)


def results(page: Page, anchor: str) -> list[str]:
    """The result links once one leads to `anchor`."""
    page.wait_for_function(f"() => ({RESULT_LINKS})().some(href => href.includes({anchor!r}))", timeout=30_000)
    return page.evaluate(RESULT_LINKS)


def test_a_quote_s_words_find_their_fact(page, site_url):
    page.goto(site_url + "?q=whopping")
    found = results(page, "#march-2025-round-amount")
    assert any("topics/funding/#march-2025-round-amount" in href for href in found)
    expect(page.locator("#briefing-search-count")).to_have_text(re.compile(r"^\d+ results?"))


def test_an_alias_finds_its_entity_s_facts(page, site_url):
    page.goto(site_url + "topics/?q=AIDP")
    assert any("#aidp-2017" in href for href in results(page, "#aidp-2017"))


def test_a_facet_keeps_only_its_pages(page, site_url):
    page.goto(site_url + "?q=Shangcheng")
    results(page, "topics/")
    page.locator(".briefing-search__filters summary").click()
    page.locator(".briefing-search__facet", has_text="Kind of page").get_by_label("Entity", exact=False).first.check()
    page.wait_for_function(
        f"() => {{ const r = ({RESULT_LINKS})(); return r.length && r.every(h => h.includes('/entities/')); }}",
        timeout=15_000,
    )
    assert any("entities/shangcheng-capital/" in href for href in page.evaluate(RESULT_LINKS))


def test_a_verdict_facet_without_words_lists_the_disputed_facts_pages(page, site_url):
    page.goto(site_url)
    press_slash(page)
    page.locator(".briefing-search__filters summary").click()
    page.locator(".briefing-search__facet", has_text="Verdict").get_by_label("Erroneous", exact=False).check()
    found = results(page, "/")
    assert found and not any("methodology" in href for href in found)


def test_search_by_keyboard_only(page, site_url):
    """The shortcut, typing, the arrow to the first result, Enter: the result's page, without the mouse."""
    page.goto(site_url + "timeline/", wait_until="networkidle")
    press_slash(page)
    page.keyboard.type("whopping")
    results(page, "#march-2025-round-amount")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + first, wait_until="load")  # the result's page, loaded


def test_ctrl_k_opens_escape_closes_and_focus_returns(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+k")
    expect(page.locator("dialog.briefing-search")).to_be_visible()
    expect(page.locator("#briefing-search-input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("dialog.briefing-search")).to_be_hidden()


def test_the_header_button_is_reached_by_tab(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    tab_to(page, "briefing-search-button", 30)
    page.keyboard.press("Enter")
    expect(page.locator("#briefing-search-input")).to_be_focused()


def test_pagefind_is_fetched_only_when_a_reader_turns_to_search(page, site_url):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(site_url + "timeline/", wait_until="networkidle")
    assert not [url for url in asked if "/pagefind/" in url or "search_index" in url or url.endswith("search.json")]
    press_slash(page)  # typed before the box opens, words are lost
    page.keyboard.type("whopping")
    results(page, "#march-2025-round-amount")
    assert [url for url in asked if url.endswith("/pagefind/pagefind.js")]


def test_a_hostile_q_is_typed_as_text(page, site_url):
    page.goto(site_url + '?q=<img src=x onerror="window.pwned=1">')
    expect(page.locator("#briefing-search-input")).to_have_value('<img src=x onerror="window.pwned=1">')
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwned") is None
    assert page.locator("dialog img").count() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_with_search_open(browser, site_url, scheme, width):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "?q=Shangcheng")
    results(page, "/")
    page.locator(".briefing-search__filters summary").click()
    serious = axe_serious(page, scheme)
    context.close()
    assert serious == []


def test_every_page_kind_weighs_at_most_150_kb(browser, pagefind_site):
    """Pagefind's script and index are not part of a first load: the site's search box is all a page carries."""
    assert (pagefind_site / "pagefind" / "pagefind.js").is_file()
    _weights_within_limit(pagefind_site, browser)


HOSTILE = '<img src=x onerror="window.pwned=true">'


@pytest.mark.parametrize("engine", ENGINES)
def test_a_hostile_title_and_statement_stay_text_in_the_results(browser, site_project, engine):
    """Pagefind keeps a page's text, and its excerpts carry <mark>: the results show markup as text."""
    (site_project.root / "briefing.toml").write_text('[briefing]\nsearch = "pagefind"\n', encoding="utf-8")
    site_project.edit("topics.yaml", "title: Funding", f"title: '[Money] {HOSTILE} & funding'")
    site_project.edit(
        "facts.yaml", "statement: Acme was founded in 2019.", f"statement: 'Acme was founded in 2019. {HOSTILE}'"
    )
    result = site_project.run("build", "--strict", "--engine", engine)
    assert result.returncode == 0, result.stdout + result.stderr
    for address in serve(site_project.root / "site"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request, asked=asked: asked.append(request.url))
        for query, expected in (("Money", f"[Money] {HOSTILE} & funding"), ("founded", f"2019. {HOSTILE}")):
            page.goto(address + "?q=" + query)
            page.wait_for_function(f"() => ({RESULT_LINKS})().length > 0", timeout=15_000)
            page.wait_for_timeout(300)
            shown = page.locator(".briefing-search__results").inner_text()
            assert expected in shown, shown  # as the page reads: text, the title as written
            assert page.locator("dialog img").count() == 0
            assert page.evaluate("window.pwned") is None
        assert not [url for url in asked if url.endswith("/x")]
        context.close()


PAGEFIND_SEARCH = """async ([query, filters]) => {
  const pagefind = await import(new URL('/pagefind/pagefind.js', location.href).href);
  await pagefind.init();
  const search = await pagefind.search(query, {filters});
  const data = await Promise.all(search.results.map(result => result.data()));
  return {
    ids: search.results.map(result => [result.id, result.score]),
    filters: search.filters, totals: search.totalFilters, every: await pagefind.filters(),
    data: data.map(d => [d.url, d.excerpt, d.meta, d.filters, d.sub_results.map(s => [s.url, s.excerpt])]),
  };
}"""
SEARCHES = [
    ("whopping", {}),
    ("AIDP", {}),
    ("Shangcheng", {"kind": "Entity"}),
    (None, {"verdict": "Erroneous"}),
    ("funding", {"topic": {"any": ["Funding and valuation", "Policy context"]}, "kind": "Topic"}),
    (None, {"entity": "Shangcheng Capital"}),
]


def test_pagefind_s_own_script_finds_the_same_in_the_ordered_index(browser, pagefind_site, tmp_path):
    """Pagefind's JavaScript and WebAssembly, in Chromium, over its own index and over the one put in order:
    the same results, scores, excerpts and filter counts for words, facets and facets alone."""
    from briefing.problems import Loc
    from briefing.write.search import run_pagefind

    unordered = tmp_path / "site"
    shutil.copytree(pagefind_site, unordered, ignore=shutil.ignore_patterns("pagefind"))
    assert run_pagefind(unordered, Loc("briefing.toml")) is None
    assert {p.name for p in (unordered / "pagefind" / "filter").iterdir()} != {
        p.name for p in (pagefind_site / "pagefind" / "filter").iterdir()
    }  # Pagefind's own order: other files, named by other hashes
    found = []
    for site in (pagefind_site, unordered):
        for address in serve(site):
            context = browser.new_context()
            page = context.new_page()
            page.goto(address + "methodology/")
            found.append([page.evaluate(PAGEFIND_SEARCH, [query, filters]) for query, filters in SEARCHES])
            page.goto("about:blank")
            context.close()
    assert all(result["ids"] for result in found[0])  # each search finds something
    assert found[0] == found[1]


def test_opened_as_files_the_box_says_it_needs_the_site_served(page, pagefind_site):
    """Offline from a served folder it works (nothing leaves the site); from file:// the browser refuses
    Pagefind's module, and the box says why instead of waiting for ever."""
    page.goto((pagefind_site / "index.html").as_uri() + "?q=whopping")
    expect(page.locator("#briefing-search-count")).to_have_text(
        "The search could not be loaded: it needs the site served (not opened as files).", timeout=15_000
    )
    expect(page.locator("#briefing-search-input")).to_have_value("whopping")
