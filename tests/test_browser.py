"""The briefing in a real browser: Debian's Chromium, driven headless by Playwright.

The real site is built once and served on 127.0.0.1. These tests do what a reader does:
search, hover a footnote, follow a citation, copy a fact's link, read on a phone, in the dark
palette, in print, with a screen reader's rules (axe-core). Screenshots for a person to look at
are taken when BRIEFING_SCREENSHOTS names a folder for them (CI: build-artifacts/screenshots/):
a test run writes nothing into the checkout unless asked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import axe_serious, refuse_elsewhere, serve
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

A11Y_PAGES = {
    "home": "",
    "topic": "topics/funding/",
    "entity": "entities/shangcheng-capital/",
    "source": "sources/investors-king-2025-03/",
    "disagreements": "disagreements/",
    "timeline": "timeline/",
    "topics": "topics/",
    "entities": "entities/",
    "sources": "sources/",
    "methodology": "methodology/",
    "performance": "performance/",
    "changes": "changes/",
}


@pytest.fixture(scope="session")
def site_url(real_site) -> str:
    yield from serve(real_site.root / "site")


@pytest.fixture(scope="session")
def published_url(published_site) -> str:
    """The briefing as readers get it (Pagefind's search and the site's own box), served."""
    yield from serve(published_site.root / "site")


@pytest.fixture(scope="session")
def zensical_url(zensical_site) -> str:
    yield from serve(zensical_site.root / "site")


@pytest.fixture(params=["mkdocs", "zensical"])
def any_url(request) -> str:
    """The site as each engine built it from the same source: what a reader does works on both."""
    return request.getfixturevalue("site_url" if request.param == "mkdocs" else "zensical_url")


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def all_pages(real_site) -> list[str]:
    site = real_site.root / "site"
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html"))


def in_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""",
        selector,
    )


FOCUSED_INPUT = """() => { let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return !!a && a.tagName === 'INPUT'; }"""


def search(page: Page, site_url: str, query: str, anchor: str) -> None:
    """Type into the site's search box and open the result that links to `anchor`."""
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input, .md-search__button").first.click()
    # Type only once the search's input has the focus: Zensical opens its dialog (in a shadow root)
    # a moment after the click, and letters typed before then were lost ('whopping' became 'ng').
    page.wait_for_function(FOCUSED_INPUT, timeout=10_000)
    page.keyboard.type(query)
    # Material lists results in .md-search-result; Zensical as options of its search dialog.
    result = page.locator(f".md-search-result a[href*='#{anchor}'], a[role=option][href*='#{anchor}']").first
    expect(result).to_be_attached(timeout=10_000)
    if not result.is_visible():  # Material folds extra matches of a page under "more"
        result.locator("xpath=ancestor::details").first.locator("summary").click()
    result.click()
    page.wait_for_url(f"**#{anchor}")
    page.wait_for_timeout(300)  # Material scrolls to the anchor after load


def test_search_for_an_investor_opens_its_fact(page, any_url):
    search(page, any_url, "Shangcheng", "hangzhou-investors-controlled-by-government")
    assert "/topics/funding/" in page.url
    heading = "h3#hangzhou-investors-controlled-by-government"
    expect(page.locator(heading)).to_contain_text("Shangcheng Capital")
    assert in_viewport(page, heading)


def test_search_by_an_alias_lands_on_the_fact(page, any_url):
    # "AIDP" is an alias of the 2017 plan's entity; the fact's statement does not contain it.
    search(page, any_url, "AIDP", "aidp-2017")
    expect(page.locator("h3#aidp-2017")).to_contain_text("New Generation Artificial Intelligence Development Plan")
    assert "AIDP" not in page.locator("h3#aidp-2017").inner_text()
    assert in_viewport(page, "h3#aidp-2017")


def test_search_by_words_of_a_quote_lands_on_the_fact(page, any_url):
    search(page, any_url, "whopping", "march-2025-round-amount")
    assert in_viewport(page, "h3#march-2025-round-amount")


def test_the_search_index_is_fetched_only_when_a_reader_turns_to_search(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(site_url + "topics/funding/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if "search_index" in url]
    page.keyboard.press("/")  # Material's shortcut to search; on a phone, the search icon
    page.keyboard.type("whopping")
    expect(page.locator(".md-search-result a[href*='#march-2025-round-amount']").first).to_be_attached(timeout=10_000)
    assert [url for url in asked if url.endswith("/search/search_index.json")]
    page.goto(site_url + "?q=Shangcheng")  # arriving with a query searches at once
    expect(page.locator(".md-search-result a[href*='hangzhou-investors']").first).to_be_attached(timeout=10_000)
    context.close()


def test_footnote_shows_the_quote_on_hover_and_on_focus(page, any_url):
    page.goto(any_url + "topics/funding/")
    marker = page.locator("h3#march-2025-round-amount + p.fact-meta a.footnote-ref").first
    marker.hover()
    tooltip = page.locator("[role=tooltip]:visible")
    expect(tooltip).to_have_count(1)
    expect(tooltip).to_contain_text("Investors King")
    expect(tooltip).to_contain_text("Zhipu has secured over 1 billion yuan ($140 million)")
    assert marker.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    box, tip = marker.bounding_box(), tooltip.bounding_box()
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= page.viewport_size["width"]
    assert abs(tip["y"] - (box["y"] + box["height"])) < 20 or abs(tip["y"] + tip["height"] - box["y"]) < 20
    tooltip.hover()  # the pointer can move onto it, to follow its link
    page.wait_for_timeout(500)
    expect(tooltip).to_have_count(1)
    page.mouse.move(0, 0)
    expect(tooltip).to_have_count(0)
    marker.focus()  # keyboard readers get the same, and Escape closes it
    expect(tooltip).to_contain_text("March 2025")
    page.keyboard.press("Escape")
    expect(tooltip).to_have_count(0)


def test_footnote_previews_cost_nothing_at_page_load(page, site_url):
    page.goto(site_url + "timeline/")
    page.wait_for_load_state("load")
    assert page.locator("a.footnote-ref").count() > 50
    assert page.locator("[role=tooltip], .md-tooltip2").count() == 0  # one preview, made when first wanted
    page.locator("a.footnote-ref").nth(40).hover()
    expect(page.locator("[role=tooltip]:visible")).to_have_count(1)
    page.locator("a.footnote-ref").nth(41).hover()
    expect(page.locator("[role=tooltip]")).to_have_count(1)


def test_citation_link_lands_on_the_quote_on_the_source_page(page, site_url):
    page.goto(site_url + "topics/funding/")
    # One click from the fact: the source's name links to the quote on the source's page.
    page.locator("h3#march-2025-round-amount + p.fact-meta a", has_text="Investors King").first.click()
    page.wait_for_url("**/sources/investors-king-2025-03/#march-2025-round-amount")
    page.wait_for_timeout(300)
    quote = "h3#march-2025-round-amount + blockquote"
    expect(page.locator(quote)).to_contain_text("Zhipu has secured over 1 billion yuan")
    assert in_viewport(page, quote)
    # The same from the footnote at the bottom of the page.
    page.goto(site_url + "topics/funding/")
    footnote = page.locator("div.footnote li").first
    target = footnote.locator("a").first.get_attribute("href")
    footnote.locator("a").first.click()
    anchor = target.split("#")[1]
    page.wait_for_url(f"**#{anchor}")
    page.wait_for_timeout(300)
    # The anchor is the fact's heading (its first quote follows it) or, for a further quote, the quote.
    target = page.locator(f"[id='{anchor}']")
    quote = target if target.evaluate("e => e.tagName") == "P" else page.locator(f"[id='{anchor}'] + blockquote")
    expect(quote).to_contain_text("“")
    assert quote.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")


def test_a_further_quote_has_its_own_anchor(page, site_url):
    page.goto(site_url + "sources/investors-king-2025-03/#march-2025-round-amount--2")
    page.wait_for_timeout(300)
    quote = page.locator("p#march-2025-round-amount--2")
    expect(quote).to_contain_text("attracted investments from Hangzhou Municipal Construction Investment Group")
    assert in_viewport(page, "p#march-2025-round-amount--2")
    assert page.locator("h3#march-2025-round-amount").count() == 1


def test_copy_link_puts_the_fact_address_on_the_clipboard(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + "topics/funding/")
    heading = page.locator("h3#march-2025-round-amount")
    heading.hover()
    heading.locator("a.headerlink").click()
    expect(heading.locator(".copied")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == site_url + "topics/funding/#march-2025-round-amount"
    context.close()


def test_search_loads_without_errors_or_requests_elsewhere(browser, site_url):
    """Material's search loads its index and worker from the site alone (every page's own load is
    test_browser_orientation's phone tour)."""
    context = browser.new_context()
    foreign = refuse_elsewhere(context, site_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"{page.url}: {msg.text}"))
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type("Zhipu")
    results = page.locator(".md-search-result__item").first
    for _ in range(3):  # a query typed before the worker is ready is dropped: type again
        try:
            expect(results).to_be_attached(timeout=7_000)
            break
        except AssertionError:
            page.keyboard.press("Backspace")
            page.keyboard.type("u")
    expect(results).to_be_attached(timeout=7_000)
    context.close()
    assert foreign == []
    assert errors == []


@pytest.fixture(scope="module")
def tab(browser):
    """One tab per window size and palette, which the axe scans share: a new context per scan cost
    a second or more on a busy machine, 48 times. Each scan still loads its page afresh."""
    tabs: dict[tuple[int, str], Page] = {}

    def open_tab(width: int, scheme: str) -> Page:
        if (width, scheme) not in tabs:
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            tabs[width, scheme] = context.new_page()
        return tabs[width, scheme]

    yield open_tab
    for page in tabs.values():
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", sorted(A11Y_PAGES))
def test_accessibility_has_no_serious_violations(tab, published_url, name, scheme, width):
    """Every kind of page of the briefing as published, in both palettes, on a phone and a desktop."""
    page = tab(width, scheme)
    page.goto(published_url + A11Y_PAGES[name])
    assert axe_serious(page, scheme) == []


def test_pages_print_without_navigation(page, site_url):
    page.goto(site_url + "topics/funding/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    expect(page.locator("h3#march-2025-round-amount")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_for_review(browser, published_url, scheme):
    """Not an assertion of looks: pictures a person reviews (CI uploads them from build-artifacts/)."""
    named = os.environ.get("BRIEFING_SCREENSHOTS")
    if not named:  # pictures in a temporary folder would be seen by no one
        pytest.skip("BRIEFING_SCREENSHOTS=DIR takes screenshots for review into DIR (CI sets it)")
    shots_dir = Path(named)
    shots_dir.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    shots = (
        ("home", ""),
        ("topic", "topics/funding/"),
        ("source", "sources/investors-king-2025-03/"),
        ("changes", "changes/"),
    )
    for name, path in shots:
        page.goto(published_url + path)
        page.screenshot(path=str(shots_dir / f"{name}-{scheme}.png"), full_page=True)
        assert (shots_dir / f"{name}-{scheme}.png").stat().st_size > 10_000
    phone = browser.new_context(color_scheme=scheme, viewport={"width": 375, "height": 740}, is_mobile=True)
    mobile = phone.new_page()
    mobile.goto(published_url)
    mobile.screenshot(path=str(shots_dir / f"home-phone-{scheme}.png"))
    phone.close()
    context.close()


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> str:
    """The site built with hostile text in every field (see test_unsafe_content.py), served locally."""
    from test_unsafe_content import HOSTILE_URL, PAYLOADS, build

    yield from serve(build(tmp_path_factory.mktemp("hostile-browser"), PAYLOADS, HOSTILE_URL).root / "site")


# Each of the first 80 links of the article takes the focus in turn, as a reader tabbing through
# would give it (focus events and all), in one call rather than 80 round trips to the browser.
FOCUS_EACH_LINK = """() => {
  let focused = 0;
  for (const link of [...document.querySelectorAll('article a')].slice(0, 80)) {
    link.focus();
    if (document.activeElement === link) focused += 1;
  }
  return focused;
}"""


@pytest.mark.parametrize(
    "path", ["", "sources/hostile-source/", "topics/hostile-topic/", "timeline/", "disagreements/"]
)
def test_hostile_text_runs_no_script_in_a_real_browser(browser, hostile_url, path):
    """Load, focus every link and hover every footnote: no alert, no handler, no mark on the body."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_url + path)
    focused = page.evaluate(FOCUS_EACH_LINK)
    assert focused > 0
    for ref in page.locator("a.footnote-ref").all()[:10]:
        page.keyboard.press("Escape")  # the last preview closed, so it covers no marker
        ref.hover()
        expect(page.locator("[role=tooltip]:visible")).to_have_count(1)  # the footnote, hostile text and all
    page.wait_for_timeout(200)
    assert dialogs == []
    marks = page.evaluate("Object.keys(document.body.dataset)")
    assert [m for m in marks if not m.startswith("md")] == []  # the theme's own are mdColorScheme, ...
    assert page.evaluate("document.querySelectorAll('[autofocus],[onfocus],[onmouseover],[onclick]').length") == 0
    context.close()


PHONE = {"width": 375, "height": 800}


def test_no_word_is_broken_inside_a_table_cell_on_a_phone(browser, site_url):
    """At 375 px every table cell wraps between words: no 'Constructi/on' across two lines."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    broken = []
    for path in ("topics/funding/", "sources/", "timeline/", "disagreements/", ""):
        page.goto(site_url + path)
        broken += page.evaluate(
            r"""() => {
              const found = [];
              for (const cell of document.querySelectorAll('.md-content td')) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  const re = /[^\s\u2010-\u2014/-]+/g; let m;  // a line may break at a hyphen, a dash or a slash
                  while ((m = re.exec(node.data))) {
                    const range = document.createRange();
                    range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (tops.size > 1) found.push(m[0]);
                  }
                }
              }
              return found;
            }"""
        )
    context.close()
    assert broken == []


def test_chart_text_is_at_least_11_px_on_a_phone(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sizes = []
    for path in ("topics/funding/", "timeline/"):
        page.goto(site_url + path)
        sizes += page.evaluate(
            """() => [...document.querySelectorAll('figure.chart svg text')].map(t =>
                 parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
        )
    context.close()
    assert sizes and min(sizes) >= 11, min(sizes)


def test_a_keyboard_reaches_the_content_within_ten_stops_on_a_phone(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for path in ("", "topics/funding/", "sources/investors-king-2025-03/"):
        page.goto(site_url + path)
        page.wait_for_timeout(200)
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('.md-content')"):
                break
        else:
            pytest.fail(f"{path or 'home'}: 10 Tab stops and still outside the content")
    context.close()


def test_cite_gives_a_ready_citation_by_keyboard(page, site_url):
    page.goto(site_url + "topics/funding/")
    summary = page.locator("h3#march-2025-round-amount ~ details.cite > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    body = page.locator("h3#march-2025-round-amount ~ details.cite .cite-body").first
    expect(body).to_contain_text("url = {")  # made by the script ("BibTeX" is in the text it replaces)
    text = body.inner_text()
    address = site_url + "topics/funding/#march-2025-round-amount"
    assert f"url = {{{address}}}" in text and "accessed " in text and '"type": "webpage"' in text
    assert "In March 2025 Zhipu raised more than 1 billion yuan" in text
