"""The link checker: internal links and anchors from the built HTML; external links on request."""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.tools import linkcheck
from briefing.tools.linkcheck import check_external, check_site


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_finds_missing_pages_anchors_and_unsafe_schemes(tmp_path):
    site = tmp_path / "site"
    write(
        site,
        "index.html",
        '<a href="a/">a</a><a href="a/#here">ok</a><a href="a/#gone">x</a>'
        '<a href="missing/">x</a><img src="img.png"><a href="javascript:alert(1)">x</a>'
        '<a href="/abs/">x</a><a href="#top">x</a><span id="top"></span><a href="../out.html">x</a>'
        '<a href="https://example.org/">ext</a><a href="mailto:a@b.c">mail</a><a href="//cdn.example/x">x</a>',
    )
    write(site, "a/index.html", '<h2 id="here">Here</h2><a href="../">home</a><a href="../index.html#top">top</a>')
    broken, external = check_site(site)
    assert [str(b) for b in broken] == [
        "index.html: broken link 'a/#gone': no anchor #gone in a/index.html",
        "index.html: broken link 'missing/': no such file",
        "index.html: broken link 'img.png': no such file",
        "index.html: broken link '/abs/': absolute path: the site must work from any folder",
        "index.html: broken link '../out.html': leads outside the site",
        # A page without the theme's content region is all content (check/active_content.py).
        "index.html:1:1: an <a href=javascript:alert(1)> attribute in this page: "
        "a 'javascript:' address: only http, https, mailto and relative addresses are allowed",
    ]
    assert external == {"https://example.org/", "https://cdn.example/x"}


def test_a_link_to_the_home_page_has_its_anchor_checked_from_any_folder(tmp_path):
    """'../#x' from a folder's page is the home page's anchor x: it was taken for './index.html' and never checked."""
    site = tmp_path / "site"
    write(site, "index.html", '<h1 id="top">Home</h1>')
    write(site, "a/index.html", '<a href="../#top">ok</a><a href="../#gone">x</a><a href="..#gone2">x</a>')
    write(site, "a/b/index.html", '<a href="../../#gone3">x</a><a href="../../index.html#top">ok</a>')
    assert [str(b) for b in check_site(site)[0]] == [
        "a/b/index.html: broken link '../../#gone3': no anchor #gone3 in index.html",
        "a/index.html: broken link '../#gone': no anchor #gone in index.html",
        "a/index.html: broken link '..#gone2': no anchor #gone2 in index.html",
    ]


def test_one_address_means_what_it_means_from_each_folder(tmp_path):
    """Verdicts are worked out once per folder and address: the same words from another folder, or from
    the 404 page (served anywhere, so linked from the root), are judged again."""
    site = tmp_path / "site"
    write(site, "index.html", '<a href="b/">ok</a><a href="/b/">x</a>')
    write(site, "b/index.html", '<a href="b/">x</a><a href="../b/">ok</a>')
    write(site, "c/index.html", '<a href="b/">x</a><a href="../b/">ok</a>')
    write(site, "404.html", '<a href="/b/">ok</a><a href="b/">ok</a>')
    assert [str(b) for b in check_site(site)[0]] == [
        "b/index.html: broken link 'b/': no such file",
        "c/index.html: broken link 'b/': no such file",
        "index.html: broken link '/b/': absolute path: the site must work from any folder",
    ]


def test_links_are_resolved_against_the_files_listed_before_the_search_index_is_written(tmp_path):
    """The build lists the site once MkDocs is done; Pagefind then writes in it while the links are
    checked. A file that appears after the list is no file a link may count on, whenever it comes."""
    from briefing.check.active_content import site_files

    site = tmp_path / "site"
    write(site, "index.html", '<a href="late.js">x</a><a href="early.js">ok</a>')
    (site / "early.js").write_text("", encoding="utf-8")
    listed = site_files(site)
    (site / "late.js").write_text("", encoding="utf-8")
    assert [str(b) for b in check_site(site, files=listed)[0]] == ["index.html: broken link 'late.js': no such file"]
    assert check_site(site)[0] == []  # listed now, it is there


@settings(max_examples=400, deadline=None)
@given(
    link=st.text(alphabet="ab/.#?:%20 \t\n\x01-_~+", max_size=14),
    name=st.sampled_from(["index.html", "a/index.html", "a/b/index.html", "404.html"]),
)
def test_a_plain_link_read_without_urlsplit_means_what_urlsplit_says(link, name):
    """Most links are plain paths ('../a/#x'), which the check splits itself; anything else goes through urlsplit."""
    files = {"index.html", "a/index.html", "a/b/index.html", "404.html", "b/x.png"}
    quick = linkcheck._SiteMap(files, {"", "a", "a/b", "b"}, "/")
    slow = linkcheck._SiteMap(files, {"", "a", "a/b", "b"}, "/")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linkcheck, "_PLAIN", re.compile(r"(?!)"))  # never plain: urlsplit for every link
        expected = slow.verdict(name, link)
    assert quick.verdict(name, link) == expected


def test_an_anchor_alone_is_looked_up_in_its_own_page_even_beside_another_page_of_its_folder(tmp_path, monkeypatch):
    """'#x' means this page's x: two pages of one folder do not share what it means, as '../x/' does."""
    monkeypatch.setattr("briefing.forked._can_fork", lambda: False)  # every page read by one process
    site = tmp_path / "site"
    write(site, "a.html", '<h2 id="x">x</h2><a href="#x">here</a><a href="c.html#y">there</a>')
    write(site, "b.html", '<a href="#x">not here</a><a href="c.html#y">there too</a><a href="#">top</a>')
    write(site, "c.html", '<p id="y">y</p><a href="a.html#x">back</a><a href="b.html#x">nowhere</a>')
    assert [str(b) for b in check_site(site)[0]] == [
        "b.html: broken link '#x': no anchor #x in b.html",
        "c.html: broken link 'b.html#x': no anchor #x in b.html",
    ]


def test_404_page_links_from_the_root(tmp_path):
    site = tmp_path / "site"
    region = '<article class="md-content__inner">{}</article>'
    write(site, "index.html", '<link rel="stylesheet" href="assets/x.css">' + region.format(""))
    # The theme's stylesheet, from the root on the 404 page: the home page's own, so no active content.
    write(
        site,
        "404.html",
        '<link rel="stylesheet" href="/assets/x.css">' + region.format('<a href="/">home</a><a href="/nope/">x</a>'),
    )
    (site / "assets").mkdir()
    (site / "assets" / "x.css").write_text("", encoding="utf-8")
    assert [str(b) for b in check_site(site)[0]] == ["404.html: broken link '/nope/': no such file"]


@pytest.fixture
def server(tmp_path):
    (tmp_path / "ok.html").write_text("fine", encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def do_HEAD(self):  # like some real servers: no HEAD for this one
            if self.path == "/no-head.html":
                self.send_error(405)
            else:
                super().do_HEAD()

        def log_message(self, *args):
            pass

    (tmp_path / "no-head.html").write_text("fine", encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_external_check_reports_failures_only(server):
    closed = "http://127.0.0.1:9/nothing-listens-here"
    unusable = "http:///no-host"
    broken = check_external(
        {f"{server}/ok.html", f"{server}/no-head.html", f"{server}/missing.html", closed, unusable},
        deadline=5,
        allow_private=True,  # the test server is on loopback, which is refused otherwise
    )
    assert sorted((b.target, b.reason.split(":")[0]) for b in broken) == sorted(
        [(closed, "unreachable"), (unusable, "unreachable"), (f"{server}/missing.html", "HTTP 404")]
    )


def test_linkcheck_command_with_external_links(site_project, server):
    site_project.edit("sources.yaml", "url: https://planet.example/acme?id=1&ref=feed", f"url: {server}/missing.html")
    assert site_project.run("build", "--strict").returncode == 0
    result = site_project.run("linkcheck")
    assert result.returncode == 0
    assert re.search(r"\d+ external links not checked \(--external\)", result.stdout)
    result = site_project.run("linkcheck", "--external", "--allow-private")
    assert result.returncode == 1
    assert f"error: (external): broken link '{server}/missing.html': HTTP 404" in result.stderr


def test_linkcheck_names_a_hand_written_file_and_its_line_in_a_site_a_build_made(built_site):
    """As the build does: told the site came from this project's build (its marker), the command knows
    which pages docs/ holds, so it reads the generated ones once and names a contributor's file and line."""
    hostile = "<p>notes</p>\n\n<img src=index.html onerror=alert(1)>\n"
    (built_site.root / "docs" / "extra.html").write_text(hostile, encoding="utf-8")
    (built_site.root / "site" / "extra.html").write_text(hostile, encoding="utf-8")  # as a build copies it
    result = built_site.run("linkcheck")
    assert result.returncode == 1
    assert "error: docs/extra.html:3:1: an <img onerror> attribute in a hand-written file" in result.stderr
    (built_site.root / "site" / ".briefing-site").unlink()  # a site of unknown origin: the built page and its line
    result = built_site.run("linkcheck")
    assert result.returncode == 1
    assert "error: extra.html:3:1: an <img onerror> attribute in this page" in result.stderr, result.stderr
    assert "docs/extra.html" not in result.stderr


def test_a_page_planted_beside_the_marker_is_still_read_as_a_browser_reads_it(built_site):
    """The marker only says which pages came from docs/: a page put in the site afterwards, under
    it, is taken for a generated one, and what a browser would run in it is reported all the same."""
    planted = built_site.root / "site" / "planted" / "index.html"
    planted.parent.mkdir()
    planted.write_text("<p>x</p>\n<svg><style><a href='javascript:alert(1)'>x</a></style></svg>\n", encoding="utf-8")
    assert (built_site.root / "site" / ".briefing-site").is_file()
    result = built_site.run("linkcheck")
    assert result.returncode == 1
    assert "error: planted/index.html:2:1: an <a href=javascript:alert(1)> attribute in this generated page" in (
        result.stderr
    ), result.stderr
