"""Quotes' words in search (issue 24 item 2): with Pagefind always, since a query fetches only the chunks
it needs (docs/performance.md, "Search at scale"); with the engine's own search up to search_quotes_limit facts."""

from __future__ import annotations

import re

import pytest

QUOTE_WORDS = "open-source our arm controller"  # a fixture fact's quote, in no statement


@pytest.mark.parametrize(
    ("search", "limit", "found"), [("builtin", 1, False), ("builtin", 2000, True), ("pagefind", 1, True)]
)
def test_quotes_are_searched_with_pagefind_past_the_limit(site_project, search, limit, found):
    settings = f'[briefing]\nsearch = "{search}"\nsearch_quotes_limit = {limit}\n'
    (site_project.root / "briefing.toml").write_text(settings, encoding="utf-8")
    result = site_project.run("build", "--strict", "--source-only")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in (site_project.root / "build").rglob("*.md"))
    hidden = " ".join(re.findall(r'<span class="search-text" hidden>(.*?)</span>', pages))
    assert hidden  # the aliases are there in every case
    assert (QUOTE_WORDS in hidden) is found
