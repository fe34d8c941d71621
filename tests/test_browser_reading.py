"""The built-HTML check reads pages as a browser does (lexbor, check/browser_reading.py), and with
Python's parser where it needs lines: a generated page only where lexbor finds something or the
page holds markup the two read apart, a contributor's page always. Every attack is found either way."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pages_hostile import ATTACKS, SCHEME, built_page

from briefing.check.active_content import read_page, scan_site
from briefing.check.browser_reading import _watched, is_odd, read_as_browser
from briefing.check.markup import Element, element_problems

RAW = {name: attack for name, attack in ATTACKS.items() if attack[0].startswith("<")}  # HTML as it is, not Markdown


def _site(tmp_path, page: str, hand_written: str | None = None):
    """A built site: a plain home page (the theme's reference) and `page` at a/index.html."""
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "a").mkdir(parents=True)
    docs.mkdir()
    (site / "index.html").write_text(built_page("<p>home</p>").replace("../assets", "assets"), encoding="utf-8")
    (site / "a" / "index.html").write_text(page, encoding="utf-8")
    if hand_written is not None:
        (docs / "a.md").write_text(hand_written, encoding="utf-8")
    return site, docs


@pytest.mark.parametrize("name", sorted(RAW))
def test_every_attack_in_a_generated_page_is_found_as_in_a_contributor_s(tmp_path, name):
    payload, what, why = RAW[name]
    site, docs = _site(tmp_path, built_page("<p>Before.</p>\n" + payload))
    generated = [str(f) for f in scan_site(site, docs=docs)]  # lexbor first, Python's parser for the lines
    unknown = [str(f) for f in scan_site(site)]  # of unknown origin: both readings, always
    assert (
        f"a/index.html:4:1: {what} in this generated page: a bug in the generator, please report it: {why}" in generated
    )
    assert f"a/index.html:4:1: {what} in this page: {why}" in unknown


def test_what_only_a_browser_sees_is_found_at_its_line(tmp_path):
    """Inside an SVG, <style> holds markup, not text: a browser makes a live link of what Python's parser
    reads as a style sheet's text."""
    payload = '<svg><style>\n<a href="javascript:alert(1)">x</a></style></svg>'
    assert [f.what for f in read_page(built_page(payload)).odd] == []
    python = [e.tag for e in read_page(built_page(payload)).elements]
    assert "a" not in python  # Python's parser sees no link at all
    site, docs = _site(tmp_path, built_page(payload), hand_written=f"# A\n\n{payload}\n")
    style = "a <style> element in {}: CSS can restyle the whole page and send what it shows to another site"
    link = "an <a href=javascript:alert(1)> attribute in {}: " + SCHEME
    assert [str(f) for f in scan_site(site, docs=docs)] == [
        "docs/a.md:3:6: " + style.format("a hand-written page"),
        "docs/a.md:4:10: " + link.format("a hand-written page"),  # at the address
    ]
    (docs / "a.md").unlink()  # the same page, generated
    generated = "this generated page: a bug in the generator, please report it"
    assert [str(f) for f in scan_site(site, docs=docs)] == [
        "a/index.html:3:1: " + style.format(generated),
        "a/index.html:4:1: " + link.format(generated),
    ]


def test_markup_the_two_read_apart_sends_a_generated_page_to_both(tmp_path):
    hidden = "<!--><img src=x onerror=alert(1)>-->"
    assert is_odd(hidden) and not is_odd("<p>a -- b</p><!-- a comment -->")
    site, docs = _site(tmp_path, built_page(hidden))
    found = [f.message for f in scan_site(site, docs=docs)]
    assert any(m.startswith("a comment in this generated page") for m in found)
    assert any(m.startswith("an <img onerror> attribute in this generated page") for m in found)


def test_a_duplicate_attribute_is_read_as_a_browser_reads_it(tmp_path):
    """A browser keeps the first of two attributes of one name: a generated page's second href
    leads nowhere. A contributor's page is read by Python's parser too, which reports it."""
    payload = '<a href="../" href="javascript:alert(1)">x</a>'
    assert read_as_browser(payload).linked().links == ["../"]
    site, docs = _site(tmp_path, built_page(payload), hand_written=f"# A\n\n{payload}\n")
    assert [f.loc.line for f in scan_site(site, docs=docs)] == [3]
    (docs / "a.md").unlink()
    assert scan_site(site, docs=docs) == []


def test_the_real_site_s_links_and_anchors_are_the_same_in_both_readings(real_site):
    pages = sorted((real_site.root / "site").rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        browser, python = read_as_browser(text).linked(), read_page(text).linked()
        assert (browser.ids, browser.links) == (python.ids, python.links), path


def test_only_elements_a_finding_can_be_about_are_kept_and_every_link_and_anchor():
    page = (
        '<div class="x" aria-label="y"><span data-x="1">t</span><a href="../b/#c">b</a><h2 id="h">h</h2>'
        '<svg viewBox="0 0 1 1"><path d="M0"/><a xlink:href="#h"/></svg><p onclick="go()">p</p>'
        '<a href="/abs/">a</a><button formaction="go">x</button><a href="../b/" ping="p">z</a>'
        '<img src="p.png" style="x" name="n" srcset="a.png 1x, b.png 2x"></div>'
    )
    reading = read_as_browser(page)
    kept = [(e.tag, e.attrs, e.svg) for e in reading.elements]
    assert kept == [
        ("p", [("onclick", "go()")], False),
        ("a", [("href", "/abs/")], False),  # not plainly relative: element_problems reads it
        ("button", [("formaction", "go")], False),  # whatever it holds
        ("a", [("href", "../b/"), ("ping", "p")], False),
        ("img", [("src", "p.png"), ("style", "x"), ("name", "n"), ("srcset", "a.png 1x, b.png 2x")], False),
    ]
    assert reading.linked().ids == {"h", "n"}
    assert reading.linked().links == ["../b/#c", "#h", "/abs/", "../b/", "p.png", "a.png", "b.png"]
    assert (reading.linked().ids, reading.linked().links) == (
        read_page(page).linked().ids,
        read_page(page).linked().links,
    )


def test_a_plain_address_on_a_submitting_attribute_is_still_found(tmp_path):
    for n, (payload, what) in enumerate(
        (
            ('<button formaction="go">x</button>', "a <button formaction> attribute"),
            ('<a href="../" ping="count">x</a>', "an <a ping> attribute"),
        )
    ):
        site, docs = _site(tmp_path / str(n), built_page(payload))
        assert [f.message.split(" in this")[0] for f in scan_site(site, docs=docs)] == [what]


def test_the_theme_s_elements_are_counted_in_a_generated_page_as_in_any(tmp_path):
    site, docs = _site(tmp_path, built_page(""))
    assert scan_site(site, docs=docs) == []
    (site / "a" / "index.html").write_text(built_page("", head="<script>theme()</script>"), encoding="utf-8")
    assert [str(f.loc) for f in scan_site(site, docs=docs)] == ["a/index.html:1:1"]
    elsewhere = built_page("").replace("../assets/bundle.js", "https://cdn.example/bundle.js")
    (site / "a" / "index.html").write_text(elsewhere, encoding="utf-8")
    assert [f.message.split(":")[0] for f in scan_site(site, docs=docs)] == [
        "a <script src=https",
        "a <script> element in this generated page",
    ]


@settings(max_examples=600, deadline=None)
@given(
    tag=st.sampled_from(
        ["a", "area", "img", "use", "p", "video", "button", "image", "source"]
    ),  # none in WHY: those are kept whatever they hold
    name=st.sampled_from(["href", "src", "xlink:href", "action", "poster", "data", "cite", "srcset", "ping", "id"]),
    value=st.text(alphabet="jJavscrip:t/\\. \t\x01#%hH?wm@d-", max_size=16)
    | st.sampled_from(["https://x/", "HTTPS://x", "mailto:a@b", "javascript:x", "//x", "../x/#y", "data:x"]),
)
def test_an_attribute_left_out_is_one_no_check_can_find_anything_in(tag, name, value):
    """The reading leaves out an element only where markup.element_problems would find nothing in it."""
    if not _watched(tag, name, value):
        element = Element(tag, [(name, value)], 1, f"<{tag}>", inside=True)
        assert element_problems(element, xml=False) == []


def test_addresses_that_can_run_or_load_are_watched():
    for tag, name, value in [
        ("a", "href", "javascript:alert(1)"),
        ("a", "href", "JaVaScRiPt:alert(1)"),
        ("a", "href", " javascript:x"),
        ("a", "href", "java\tscript:x"),
        ("img", "src", "//evil.example/x.png"),
        ("img", "src", "\\\\evil.example/x.png"),
        ("img", "src", "https://evil.example/x.png"),
        ("a", "href", "data:text/html,x"),
        ("button", "formaction", "go"),
        ("p", "onclick", "x"),
    ]:
        assert _watched(tag, name, value), (tag, name, value)
    for tag, name, value in [("a", "href", "../x/#y"), ("a", "href", "https://x/#:~:text=a"), ("img", "src", "p.png")]:
        assert not _watched(tag, name, value), (tag, name, value)
