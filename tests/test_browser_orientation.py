"""Every page of the briefing as published, on a phone, in Chromium at 375 px: it loads without a script error or
a request that leaves the site, nothing scrolls sideways, and no heading's ¶ and no footnote's ↩ sits
alone on a line (issue 23, item 6).

One visit of each page serves all three checks (`phone_tour`): a tour of the pages takes half a minute.
"""

# ruff: noqa: F811  (the fixtures imported from test_browser are parameters of the tests here)
from __future__ import annotations

from dataclasses import dataclass

import pytest
from helpers import refuse_elsewhere
from test_browser import all_pages, published_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# For each mark, whether it starts a line of its own: left of the last character of the text before it.
STRAY = """() => {
  const found = [];
  for (const mark of document.querySelectorAll('.md-content .headerlink, .md-content .footnote-backref')) {
    const walker = document.createTreeWalker(mark.parentElement.closest('h1, h2, h3, h4, p'), NodeFilter.SHOW_TEXT);
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (mark.contains(node)) break;
      if (node.textContent.trim()) last = node;
    }
    if (!last) continue;
    const text = last.textContent.replace(/\\s+$/, '');
    const range = document.createRange();
    range.setStart(last, text.length - 1);
    range.setEnd(last, text.length);
    if (mark.getBoundingClientRect().left < range.getBoundingClientRect().left) {
      found.push(mark.className + ' after: ' + text.slice(-40));
    }
  }
  return found;
}"""


@dataclass
class Tour:
    pages: dict[str, dict]  # each page's width and stray marks
    errors: list[str]  # script errors, with the page they came from
    foreign: list[str]  # requests for anything outside the site, refused


@pytest.fixture(scope="module")
def phone_tour(browser, published_site, published_url) -> Tour:
    """Each page of the briefing as published, as a phone shows it, what its scripts said went wrong,
    and what it asked of other sites."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    tour = Tour({}, [], refuse_elsewhere(context, published_url))
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and tour.errors.append(f"{page.url}: {msg.text}"))
    page.on("pageerror", lambda exc: tour.errors.append(f"{page.url}: {exc}"))
    for path in all_pages(published_site):
        page.goto(published_url + path, wait_until="load")
        width, stray = page.evaluate("document.documentElement.scrollWidth"), page.evaluate(STRAY)
        tour.pages[path] = {"width": width, "stray": stray}
    context.close()
    return tour


def test_every_page_loads_without_errors_or_requests_elsewhere(phone_tour):
    assert len(phone_tour.pages) > 70
    assert phone_tour.foreign == []
    assert phone_tour.errors == []


def test_no_page_scrolls_sideways_on_a_phone(phone_tour):
    wide = [f"{path}: {seen['width']}px" for path, seen in phone_tour.pages.items() if seen["width"] > 375]
    assert wide == []


def test_no_pilcrow_or_return_mark_alone_on_a_line_at_phone_width(phone_tour):
    stray = {path: seen["stray"] for path, seen in phone_tour.pages.items() if seen["stray"]}
    assert stray == {}
