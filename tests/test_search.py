"""Search on both engines: Zensical's result breadcrumbs as text (issue 23 item 7), and the held index."""

from __future__ import annotations

import json
import os

import pytest

from briefing.write.search import zensical_index_as_text

INDEX = {
    "config": {"lang": ["en"]},
    "items": [
        {
            "location": "sources/x/",
            "title": "[No headline]",
            "text": "",
            "path": ["Sources", "&#91;No headline&#93; &#42; &#39;&#34;"],
        },
        {"location": "", "title": "Home", "text": "<p>a &amp; b</p>", "path": ["A &#38; B &lt;i&gt;"]},
        {"location": "odd/", "title": "Odd", "text": ""},
    ],
}


def test_breadcrumbs_in_zensicals_index_become_text(tmp_path):
    """Before: the path read '&#91;No headline&#93;' in Zensical's search results."""
    (tmp_path / "search.json").write_text(json.dumps(INDEX), encoding="utf-8")
    zensical_index_as_text(tmp_path)
    items = json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["path"] == ["Sources", "[No headline] * '\""]  # quotes are text in an element
    assert items[1]["path"] == ["A &amp; B &lt;i&gt;"]  # Zensical reads a path as markup: these stay escaped
    assert items[1]["text"] == "<p>a &amp; b</p>"  # the text is HTML to it, and stays so
    assert items[2] == INDEX["items"][2]


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'{"items": 3}'])
def test_an_index_it_does_not_know_is_left_alone(tmp_path, content):
    (tmp_path / "search.json").write_bytes(content)
    zensical_index_as_text(tmp_path)
    assert (tmp_path / "search.json").read_bytes() == content


def test_no_index_no_file(tmp_path):
    zensical_index_as_text(tmp_path)
    assert not (tmp_path / "search.json").exists()


def test_a_link_where_the_index_goes_is_neither_read_nor_written_through(tmp_path):
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere.json"
    site.mkdir()
    elsewhere.write_text(json.dumps(INDEX), encoding="utf-8")
    before = elsewhere.read_bytes()
    (site / "search.json").symlink_to(elsewhere)
    zensical_index_as_text(site)
    assert elsewhere.read_bytes() == before
    assert os.path.islink(site / "search.json")


@pytest.mark.engines
def test_zensical_build_shows_titles_as_text_in_its_search(zensical_site):
    items = json.loads((zensical_site.root / "site" / "search.json").read_text(encoding="utf-8"))["items"]
    paths = [part for item in items for part in item.get("path", [])]
    assert len(paths) > 100
    assert not [part for part in paths if "&#" in part]  # only &amp; &lt; &gt; stay references
