"""In Chromium at 375 px: no heading's ¶ and no footnote's ↩ sits alone on a line (issue 23, item 6)."""

# ruff: noqa: F811  (the fixtures imported from test_browser are parameters of the tests here)
from __future__ import annotations

import pytest
from test_browser import all_pages, site_url  # noqa: F401 (fixtures)

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


def test_no_pilcrow_or_return_mark_alone_on_a_line_at_phone_width(browser, real_site, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    stray = {}
    for path in all_pages(real_site):
        page.goto(site_url + path)
        found = page.evaluate(STRAY)
        if found:
            stray[path] = found
    context.close()
    assert stray == {}
