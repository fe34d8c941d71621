"""Search on the second engine: ?q= deep links and keyboard-only use (issue 23 item 7, issue 24).

Zensical draws its search dialog in a shadow root and used to ignore ?q=; the site's script
(assets/main.html) opens the dialog and types the query. Its index now waits for a reader to
turn to search, so its keyboard shortcut (Ctrl+K) must still open the dialog the first time.
"""

from __future__ import annotations

import html
import json

import pytest
from helpers import serve
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser  # and each Zensical test: engines

RESULTS = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot);
  return host ? [...host.shadowRoot.querySelectorAll('a[role=option]')].map(a => a.getAttribute('href')) : [];
}"""
ZENSICAL_FOCUSED = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot);
  return !!(host && host.shadowRoot.activeElement && host.shadowRoot.activeElement.tagName === 'INPUT');
}"""
ZENSICAL_OPENED = "() => !![...document.body.children].find(e => e.shadowRoot)"


def open_zensical_search(page: Page) -> None:
    """Ctrl+K, as a reader presses it, until Zensical's search box has the focus. Pressed before
    Zensical's script listens (a loaded machine runs it late), the key opens nothing, and a reader
    presses it again; a dialog that opened but is slow to take the focus is waited for, never closed."""
    for _ in range(3):
        page.keyboard.press("Control+k")
        try:
            page.wait_for_function(ZENSICAL_FOCUSED, timeout=5_000)
            return
        except PlaywrightTimeout:
            if page.evaluate(ZENSICAL_OPENED):
                break
    page.wait_for_function(ZENSICAL_FOCUSED, timeout=10_000)


STATUS = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot);
  const status = host && host.shadowRoot.querySelector('[role=status]');
  return status ? status.textContent : '';
}"""


@pytest.fixture(scope="module")
def zensical_url(zensical_site) -> str:
    yield from serve(zensical_site.root / "site")


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def tab_to(page: Page, css_class: str, presses: int) -> None:
    """Press Tab until the focused element has `css_class`: the control is reached by the keyboard alone."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("c => document.activeElement.classList.contains(c)", css_class):
            return
    pytest.fail(f"Tab never reached .{css_class}")


def _results(page: Page, anchor: str) -> list[str]:
    page.wait_for_function(f"() => ({RESULTS})().some(href => href.includes('#{anchor}'))", timeout=20_000)
    return page.evaluate(RESULTS)


@pytest.mark.engines
def test_a_q_link_opens_zensical_search_with_the_query(page, zensical_url):
    """Before: the page opened with search closed and the query dropped."""
    page.goto(zensical_url + "?q=whopping")  # words of a quote
    results = _results(page, "march-2025-round-amount")
    assert all("?h=whopping" in href for href in results)
    assert "result" in page.evaluate(STATUS)  # the live count a screen reader announces


@pytest.mark.engines
def test_a_q_link_finds_an_alias_on_zensical(page, zensical_url):
    page.goto(zensical_url + "topics/?q=AIDP")
    assert any("#aidp-2017" in href for href in _results(page, "aidp-2017"))


@pytest.mark.engines
def test_zensical_search_by_keyboard_only(page, zensical_url):
    """Before: the shortcut did nothing while the held index had not arrived."""
    page.goto(zensical_url + "timeline/", wait_until="networkidle")
    page.keyboard.press("Control+k")  # once: the first press must open it
    # Typed once its field has the focus the shortcut gives it (a fixed pause was too short under load).
    page.wait_for_function(
        "() => { const host = [...document.body.children].find(e => e.shadowRoot);"
        " const focused = host && host.shadowRoot.activeElement; return !!focused && focused.tagName === 'INPUT'; }",
        timeout=20_000,
    )
    page.keyboard.type("Shangcheng")
    _results(page, "hangzhou-investors-controlled-by-government")
    page.keyboard.press("Enter")  # the first result is selected as the reader types
    page.wait_for_url(lambda url: "?h=Shangcheng" in url)


@pytest.mark.engines
def test_zensical_search_button_is_reached_by_tab(page, zensical_url):
    page.goto(zensical_url, wait_until="networkidle")
    tab_to(page, "md-search__button", 20)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    page.keyboard.type("whopping")
    _results(page, "march-2025-round-amount")


HOSTILE_TITLE = '[Money] <img src=x onerror="window.pwned=1"> & funding'


@pytest.mark.engines
def test_a_title_with_markup_stays_inert_in_zensicals_breadcrumbs(browser, site_project):
    """Zensical turns a result's path into elements: the references of < > & must stay, and [ ] show as text.

    A first version decoded every reference: Zensical then made the title's <img> (it loaded, and
    its onerror attribute broke the results list).
    """
    site_project.edit("topics.yaml", "title: Funding", f"title: '{HOSTILE_TITLE}'")  # the menu, so the breadcrumbs
    result = site_project.run("build", "--strict", "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    site = site_project.root / "site"
    paths = [
        part
        for item in json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
        for part in item["path"]
    ]
    assert html.unescape(HOSTILE_TITLE) in [html.unescape(part) for part in paths]
    assert not [part for part in paths if "<" in part or "&#91;" in part]
    for address in serve(site):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request, asked=asked: asked.append(request.url))
        page.goto(address + "?q=Money")
        page.wait_for_function(f"() => ({RESULTS})().some(href => href.includes('topics/funding/'))", timeout=10_000)
        shown = page.evaluate(
            """() => [...document.body.children].find(e => e.shadowRoot).shadowRoot.querySelector('ol').innerText"""
        )
        assert "[Money]" in shown and "&#91;" not in shown
        assert page.evaluate("window.pwned") is None
        count = "() => [...document.body.children].find(e => e.shadowRoot).shadowRoot.querySelectorAll('img').length"
        assert page.evaluate(count) == 0
        assert not [url for url in asked if url.endswith("/x")]
        context.close()


@pytest.mark.engines
def test_a_hostile_q_is_typed_as_text(page, zensical_url):
    page.goto(zensical_url + '?q=<img src=x onerror="window.pwned=1">')
    page.wait_for_function(
        """() => { const host = [...document.body.children].find(e => e.shadowRoot);
                   const input = host && host.shadowRoot.querySelector('input[role=combobox]');
                   return input && input.value.startsWith('<img'); }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwned") is None


@pytest.fixture(scope="module")
def mkdocs_url(real_site) -> str:
    yield from serve(real_site.root / "site")


@pytest.mark.parametrize("engine", ["mkdocs", pytest.param("zensical", marks=pytest.mark.engines)])
def test_search_by_keyboard_only_on_both_engines(page, request, engine):
    """From a page's load to a search result's page, without the mouse: the shortcut, typing, Enter."""
    url = request.getfixturevalue(f"{engine}_url")
    page.goto(url + "timeline/", wait_until="networkidle")
    if engine == "mkdocs":
        page.keyboard.press("/")  # Material's shortcut: focuses the search box, which asks for the index
        expect(page.locator(".md-search__input")).to_be_focused(timeout=10_000)
        first = page.locator(".md-search-result__item").first
        for _ in range(4):  # a query typed before Material's worker is ready is dropped: a reader types again
            page.keyboard.press("Control+a")
            page.keyboard.type("whopping")
            try:
                first.wait_for(timeout=4_000)
                break
            except PlaywrightTimeout:
                continue
        first.wait_for(timeout=10_000)
        page.keyboard.press("ArrowDown")  # the first result
    else:
        open_zensical_search(page)
        page.keyboard.type("whopping")
        _results(page, "march-2025-round-amount")
    page.keyboard.press("Enter")
    page.wait_for_url("**/topics/funding/**")
