"""Addresses made for readers: a quote's words on the publisher's page, a source's archived copies."""

from __future__ import annotations

import html

from briefing.load.model import PartialDate
from briefing.render.links import text_fragment, wayback


def test_a_short_quote_is_the_whole_directive_with_its_syntax_characters_encoded():
    assert text_fragment("https://example.org/a", "open-source, and more & less") == (
        "https://example.org/a#:~:text=open%2Dsource%2C%20and%20more%20%26%20less"
    )


def test_a_long_quote_is_found_by_its_first_and_last_words():
    words = "Zhipu has secured over 1 billion yuan ($140 million) in a new funding round led by state-backed firms"
    assert text_fragment("https://example.org/a#top", words) == (
        "https://example.org/a#top:~:text=Zhipu%20has%20secured%20over,led%20by%20state%2Dbacked%20firms"
    )


def test_wayback_looks_near_the_publication_date():
    assert wayback("https://example.org/a", PartialDate(2025, 6, None)) == (
        "https://web.archive.org/web/20250601/https://example.org/a"
    )


def test_source_pages_link_each_quote_to_the_publisher_s_page(real_site):
    page = html.unescape((real_site.root / "site" / "sources" / "tech-in-asia-2025-06" / "index.html").read_text())
    assert 'class="on-page" href="https://news.nestia.com/detail/' in page and "#:~:text=" in page
    assert "https://web.archive.org/web/20250601/https://news.nestia.com/" in page
