"""The link check reads each page once, with the active-content check, half the pages on each core
(check/active_content.read_site): the same anchors, links and findings as a parse of its own."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from briefing import forked as forked_module
from briefing.check.active_content import read_page, read_site, scan_site, site_pages
from briefing.check.markup import Linked, take
from briefing.tools.linkcheck import check_site


class OldParser(HTMLParser):
    """The link check's own parse, as it was before it shared the active-content check's: each start tag
    as Python's parser reports it, read by the same rule (linkcheck.take)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Linked()

    def handle_starttag(self, tag, attrs):
        take(self.page, tag, attrs)

    handle_startendtag = handle_starttag


PAGES = [
    '<a href="a/#x" id=top>t</a><img src=i.png srcset="a.png 1x, b.png 2x,"><br name=n/>',
    '<link rel=canonical href="https://x/"><link rel=stylesheet href=s.css><meta name=viewport id=m>',
    "<svg><a xlink:href='#s'/><use href=\"#u\"/></svg><form action=/go><video poster=p.jpg>",
    '<p id="&amp;&#x41;">x</p><a href="a&amp;b?c=1&d=2">&lt;</a><!-- <a href=hidden> --><script>"<a href=s>"</script>',
    "<a href=unclosed <div id='q' name=\"r\"><area href=#m><a href>empty</a><img src='' srcset=''>",
]


def _old(text: str) -> tuple[set[str], list[str]]:
    parser = OldParser()
    parser.feed(text)
    parser.close()
    return parser.page.ids, parser.page.links


@pytest.mark.parametrize("text", PAGES)
def test_one_parse_gives_the_anchors_and_links_of_the_old_one(text):
    page = read_page(text).linked()
    assert (page.ids, page.links) == _old(text)


def test_the_real_sites_pages_give_the_same_anchors_and_links(real_site):
    pages = sorted((real_site.root / "site").rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = read_page(text).linked()
        assert (page.ids, page.links) == _old(text), path


def _by_page(reading, name):
    return reading.linked()


def _hostile_site(tmp_path):
    site = tmp_path / "site"
    for i in range(9):
        (site / f"p{i}").mkdir(parents=True)
        (site / f"p{i}" / "index.html").write_text(
            f'<a href="../p{(i + 1) % 9}/#n{i}" id=n{i}>x</a><img src=x onerror=go({i})><a href="../gone{i}/">y</a>',
            encoding="utf-8",
        )
    (site / "index.html").write_text("<a href=p0/>home</a><script>1</script>", encoding="utf-8")
    (site / "drawing.svg").write_text("<svg><script>2</script></svg>", encoding="utf-8")
    return site


def test_halves_on_two_cores_find_what_one_core_finds(tmp_path, monkeypatch):
    site = _hostile_site(tmp_path)
    monkeypatch.setattr(forked_module, "_can_fork", lambda: False)
    alone = check_site(site)
    found_alone, read_alone = read_site(site, also=_by_page)
    monkeypatch.setattr(forked_module, "_can_fork", lambda: hasattr(forked_module.os, "fork"))
    assert check_site(site) == alone
    found, read = read_site(site, also=_by_page)
    assert (found, read) == (found_alone, read_alone)
    assert scan_site(site) == found
    assert len(found) >= 11  # nine handlers, two scripts: every half was read
    assert sorted(read) == ["index.html", *(f"p{i}/index.html" for i in range(9))]
    assert len([b for b in alone[0] if "gone" in getattr(b, "target", "")]) == 9


def test_only_the_pages_listed_before_are_read(tmp_path):
    """The build lists the pages before Pagefind starts writing in the site: a file that appears after
    the list is not read, and the list's pages all are."""
    site = _hostile_site(tmp_path)
    listed = site_pages(site)
    (site / "late").mkdir()
    (site / "late" / "index.html").write_text("<script>late()</script><a href=../nowhere/>x</a>", encoding="utf-8")
    found, read = read_site(site, also=_by_page, names=listed)
    assert "late/index.html" not in read and not any("late" in str(f.loc) for f in found)
    assert sorted(read) == sorted(n for n in listed if n.endswith(".html"))
    assert any("late" in str(problem) for problem in check_site(site)[0])  # unlisted, it is read


def test_the_two_cores_get_about_as_many_bytes_each(tmp_path):
    """Pages differ a hundredfold in size (a topic against an entity): halves by count left one core
    reading 91 MB while the other read 55 MB at 10 000 facts. Each part is within the largest page."""
    from briefing.check.active_content import _halves

    site = tmp_path / "site"
    site.mkdir()
    sizes = [700_000, 650_000, *[60_000] * 30, *[20_000] * 10]
    for i, size in enumerate(sizes):
        (site / f"p{i:02}.html").write_text("x" * size, encoding="utf-8")
    names = site_pages(site)
    first, second = _halves(site, names)
    assert sorted(first + second) == names
    weight = [sum((site / n).stat().st_size for n in part) for part in (first, second)]
    assert abs(weight[0] - weight[1]) <= max(sizes)
    by_count = [sum(sizes[: len(sizes) // 2]), sum(sizes[len(sizes) // 2 :])]
    assert abs(by_count[0] - by_count[1]) > max(sizes)  # halves by count would fail the same test
