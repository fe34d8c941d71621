"""What Pagefind indexes of a built site (search = "pagefind", now the briefing's search): every page a
reader searches, and not the Changes page or the parts of a split listing, as with the engines' own search."""

from __future__ import annotations

import gzip
import json
import re

from briefing.write.search import PAGEFIND_MARK


def test_the_changes_page_and_split_listings_stay_out_of_pagefind(site_project):
    (site_project.root / "briefing.toml").write_text(
        '[briefing]\nsearch = "pagefind"\nlisting_limit = 1\n', encoding="utf-8"
    )
    result = site_project.run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    site = site_project.root / "site"
    indexed = set()
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(PAGEFIND_MARK)
        indexed.add(json.loads(data[len(PAGEFIND_MARK) :])["url"])
    built = {"/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    assert "/changes/" in built and "/changes/" not in indexed
    assert "data-pagefind-body" not in (site / "changes" / "index.html").read_text(encoding="utf-8")
    split_parts = {url for url in built if url.startswith(("/timeline/", "/entities/acme/", "/sources/wire/"))}
    split_parts -= {"/timeline/", "/entities/acme/", "/sources/wire/"}
    assert split_parts and not split_parts & indexed  # each fact is found where it is shown in full
    assert {"/timeline/", "/entities/acme/", "/sources/wire/", "/topics/funding/2024/"} <= indexed
    assert not (site / "search" / "search_index.json").exists()  # the engine's own search is off


def test_a_label_and_its_value_are_two_words_in_the_index(built_site):
    """Pagefind joins a <dt> and its <dd> when no space stands between them ('KindOrganisation' in an
    excerpt, and a word no one types): the entity and source pages keep a space between the two."""
    (built_site.root / "briefing.toml").write_text('[briefing]\nsearch = "pagefind"\n', encoding="utf-8")
    result = built_site.run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    site = built_site.root / "site"
    texts = {}
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(PAGEFIND_MARK) :])
        texts[data["url"]] = data["content"]
    entity, source = texts["/entities/acme/"], texts["/sources/wire/"]
    assert "Kind Organisation" in entity and "KindOrganisation" not in entity, entity[:300]
    assert "Publisher " in source and not re.search(r"Publisher\S", source), source[:600]
