"""Search on the second engine: ?q= deep links and keyboard-only use (issue 23 item 7, issue 24).

Zensical draws its search dialog in a shadow root and used to ignore ?q=; the site's script
(assets/main.html) opens the dialog and types the query. Its index now waits for a reader to
turn to search, so its keyboard shortcut (Ctrl+K) must still open the dialog the first time.
"""

from __future__ import annotations

import pytest
from helpers import serve
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.engines]

RESULTS = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot);
  return host ? [...host.shadowRoot.querySelectorAll('a[role=option]')].map(a => a.getAttribute('href')) : [];
}"""
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


def _results(page: Page, anchor: str) -> list[str]:
    page.wait_for_function(f"() => ({RESULTS})().some(href => href.includes('#{anchor}'))", timeout=10_000)
    return page.evaluate(RESULTS)


def test_a_q_link_opens_zensical_search_with_the_query(page, zensical_url):
    """Before: the page opened with search closed and the query dropped."""
    page.goto(zensical_url + "?q=whopping")  # words of a quote
    results = _results(page, "march-2025-round-amount")
    assert all("?h=whopping" in href for href in results)
    assert "result" in page.evaluate(STATUS)  # the live count a screen reader announces


def test_a_q_link_finds_an_alias_on_zensical(page, zensical_url):
    page.goto(zensical_url + "topics/?q=AIDP")
    assert any("#aidp-2017" in href for href in _results(page, "aidp-2017"))


def test_zensical_search_by_keyboard_only(page, zensical_url):
    """Before: the shortcut did nothing while the held index had not arrived."""
    page.goto(zensical_url + "timeline/", wait_until="networkidle")
    page.keyboard.press("Control+k")
    page.wait_for_function("() => !!([...document.body.children].find(e => e.shadowRoot) || {}).shadowRoot")
    page.wait_for_timeout(300)
    page.keyboard.type("Shangcheng")
    _results(page, "hangzhou-investors-controlled-by-government")
    page.keyboard.press("Enter")  # the first result is selected as the reader types
    page.wait_for_url(lambda url: "?h=Shangcheng" in url)


def test_zensical_search_button_is_reached_by_tab(page, zensical_url):
    page.goto(zensical_url, wait_until="networkidle")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('md-search__button')"):
            break
    else:
        pytest.fail("Tab never reached the search button")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    page.keyboard.type("whopping")
    _results(page, "march-2025-round-amount")
