"""Hand-written pages in docs/ are a pull request's to write: nothing in them may run or fetch in a reader's browser.

The build reads every built page with an HTML parser (check/active_content.py, from the link
check every build runs) and fails on active content; the previous site stays.
"""

from __future__ import annotations

import re

import pytest
from conftest import Project, make_project
from helpers import Scan, snapshot

from briefing.check.active_content import ActiveContent, scan_site
from briefing.tools.linkcheck import check_site

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
NO_SCRIPT = "pages carry no script (the site runs only its own)"
HANDLER = "event handlers run script, and " + NO_SCRIPT
SCHEME = "a 'javascript:' address: only http, https, mailto and relative addresses are allowed"
ELSEWHERE = "a file from another site: a reader's browser would ask that site for it; link to it instead (<a href>)"
HIDES = "a browser reads what it holds as text where a checker sees markup, a known way to hide script"

# name -> (the page's Markdown, the line of the payload in it, what is reported, why)
ATTACKS = {
    "script": ("<script>alert(1)</script>", "a <script> element", NO_SCRIPT),
    "script-upper": ("<SCRIPT SRC=x.js></SCRIPT>", "a <script> element", NO_SCRIPT),
    "img-onerror": ('<img src="../pic.png" onerror="alert(1)">', "an <img onerror> attribute", HANDLER),
    "a-javascript": ('<a href="javascript:alert(1)">x</a>', "an <a href=javascript:alert(1)> attribute", SCHEME),
    "md-javascript": ("[x](javascript:alert(1))", "an <a href=javascript:alert(1)> attribute", SCHEME),
    "entity-javascript": (
        '<a href="&#106;ava&#x09;script&colon;alert(1)">x</a>',
        "an <a href=java\\x09script:alert(1)> attribute",
        SCHEME,
    ),
    "spaced-javascript": (
        '<a href=" \x01JaVaScRiPt:alert(1)">x</a>',
        "an <a href= \\x01JaVaScRiPt:alert(1)> attribute",
        SCHEME,
    ),
    "attr-list-onclick": ('Click me\n{: onclick="alert(1)" }', "a <p onclick> attribute", HANDLER),
    "iframe": (
        '<iframe src="../pic.png"></iframe>',
        "an <iframe> element",
        "pages embed no other page, plugin or document",
    ),
    "object": (
        '<object data="../pic.png"></object>',
        "an <object> element",
        "pages embed no other page, plugin or document",
    ),
    "embed": ('<embed src="../pic.png">', "an <embed> element", "pages embed no other page, plugin or document"),
    "form": (
        '<form action="https://evil.example/"><input name=q></form>',
        "a <form> element",
        "pages collect nothing from readers",
    ),
    "base": (
        '<base href="https://evil.example/">',
        "a <base> element",
        "it would send every relative link of the page elsewhere",
    ),
    "meta-refresh": (
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "a <meta> element",
        "it can redirect the reader or change how the page is read",
    ),
    "style": (
        "<style>body{background:url(https://evil.example/t)}</style>",
        "a <style> element",
        "CSS can restyle the whole page and send what it shows to another site",
    ),
    "svg-script": ("<svg><script>alert(1)</script></svg>", "a <script> element", NO_SCRIPT),
    "svg-set": (
        '<svg><a href="../pic.png"><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
        "a <set> element",
        "SVG animation can turn a link into script",
    ),
    "svg-image": (
        '<svg><image href="https://evil.example/x.png"/></svg>',
        "an <image href=https://evil.example/x.png> attribute",
        ELSEWHERE,
    ),
    "math": (
        "<math><mtext><table><mglyph><style><img src=../pic.png onerror=alert(1)></style></mglyph></table></mtext></math>",
        "a <math> element",
        "browsers read MathML differently from any checker, a known way to slip script in",
    ),
    "link-stylesheet": (
        '<link rel="stylesheet" href="//evil.example/x.css">',
        "a <link> element",
        "a page loads no stylesheet or other file of its own (the site's are listed in mkdocs.yml)",
    ),
    "img-elsewhere": (
        '<img src="https://evil.example/track.png" alt="">',
        "an <img src=https://evil.example/track.png> attribute",
        ELSEWHERE,
    ),
    "img-backslashes": (
        '<img src="\\\\evil.example/track.png" alt="">',
        "an <img src=\\\\evil.example/track.png> attribute",
        ELSEWHERE,
    ),
    "srcset-elsewhere": (
        '<img src="../pic.png" srcset="https://evil.example/a.png 2x" alt="">',
        "an <img srcset=https://evil.example/a.png 2x> attribute",
        ELSEWHERE,
    ),
    "style-attr-url": (
        '<p style="background:\\75 rl(//evil.example/t)">x</p>',
        "a <p style=background:\\75 rl(//evil.example/t)> attribute",
        "a style that runs script or loads a file from another site",
    ),
    "ping": (
        '<a href="https://example.org/" ping="https://evil.example/">x</a>',
        "an <a ping> attribute",
        "pages embed, submit and report nothing",
    ),
    "noscript": (
        '<noscript><p title="</noscript><img src=../pic.png onerror=alert(1)>"></p></noscript>',
        "a <noscript> element",
        HIDES,
    ),
    "textarea": (
        '<textarea><p title="</textarea><img src=../pic.png onerror=alert(1)>"></p></textarea>',
        "a <textarea> element",
        HIDES,
    ),
    "comment-bang": ("<!-- a --!><img src=../pic.png onerror=alert(1)> -->", "an <img onerror> attribute", HANDLER),
    "cdata": (
        "<![CDATA[><img src=../pic.png onerror=alert(1)>]]>",
        "a <![CDATA[ declaration",
        "a CDATA section, which a browser and a checker read differently",
    ),
    "close-article": ("</article><script>alert(1)</script>", "a <script> element", NO_SCRIPT),
}
FRONT_MATTER = {  # what a hand-written page's front matter carries into the theme's head and header
    "title": ("title: '</title><script>alert(1)</script>'", "a <script> element", NO_SCRIPT),
    "description": (
        "description: '0;url=https://evil.example/\" http-equiv=\"refresh'",
        "a <meta http-equiv> attribute",
        "it can redirect the reader or change how the page is read",
    ),
}
FILES = {  # copied from docs/ as they are: all of them is content
    "evil.html": ("<!doctype html><p>hi</p>\n<script>alert(1)</script>\n", 2, "a <script> element", NO_SCRIPT),
    "evil.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg">\n<rect onmouseover="alert(1)"/></svg>\n',
        2,
        "a <rect onmouseover> attribute",
        HANDLER,
    ),
}
PAYLOAD_LINE = 6  # after three lines of front matter, the heading and a blank line


def page(payload: str, front: str = "title: A page") -> str:
    return f"---\n{front}\n---\n# A page\n\n{payload}\n\nAfter it.\n"


def reported(stderr: str, source: str, line: int, built: str, what: str, why: str) -> bool:
    """Whether the build reported this, at the hand-written file's line, or in the built page.

    The build names the file in docs/ and its line; `briefing linkcheck`, which is given only the
    built site, names the built page and the line there.
    """
    where = rf"(?:{re.escape(source)}:{line}:\d+|{re.escape(built)}:\d+:\d+)"
    kind = "(?:a hand-written (?:page|file)|this page)"
    told = rf"(?:error: {where}|{where}: error): {re.escape(what)} in {kind}: {re.escape(why)}"  # either way round
    return re.search(rf"^{told}(?: \[active-content\])?$", stderr, re.M) is not None  # the build gives the code


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Project, object, dict]:
    """One project with a good site built, then every attack in a page of its own, built again."""
    project = make_project(tmp_path_factory.mktemp("hostile"), with_site_config=True)
    docs = project.root / "docs"
    (docs / "pic.png").write_bytes(PNG)
    assert project.run("build", "--strict").returncode == 0
    before = snapshot(project.root / "site")
    for name, (payload, _, _) in ATTACKS.items():
        (docs / f"p-{name}.md").write_text(page(payload), encoding="utf-8")
    for name, (front, _, _) in FRONT_MATTER.items():
        (docs / f"fm-{name}.md").write_text(page("Plain words.", front), encoding="utf-8")
    for name, (text, *_) in FILES.items():
        (docs / name).write_text(text, encoding="utf-8")
    result = project.run("build", "--strict")
    return project, result, before


def test_a_hostile_page_fails_the_build_and_the_previous_site_stays(hostile):
    project, result, before = hostile
    assert result.returncode == 1
    assert "mkdocs build failed: build/ and site/ are as they were" in result.stderr
    assert snapshot(project.root / "site") == before
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ATTACKS)
def test_each_kind_of_active_content_is_reported(hostile, name):
    _, result, _ = hostile
    payload, what, why = ATTACKS[name]
    lines = range(PAYLOAD_LINE, PAYLOAD_LINE + payload.count("\n") + 1)  # at the payload's line that carries it
    assert any(
        reported(result.stderr, f"docs/p-{name}.md", line, f"p-{name}/index.html", what, why) for line in lines
    ), result.stderr


@pytest.mark.parametrize("name", FRONT_MATTER)
def test_front_matter_cannot_carry_markup_into_the_head(hostile, name):
    _, result, _ = hostile
    _, what, why = FRONT_MATTER[name]
    assert reported(result.stderr, f"docs/fm-{name}.md", 2, f"fm-{name}/index.html", what, why), result.stderr


@pytest.mark.parametrize("name", FILES)
def test_html_and_svg_files_copied_from_docs_are_checked_whole(hostile, name):
    _, result, _ = hostile
    _, line, what, why = FILES[name]
    assert reported(result.stderr, f"docs/{name}", line, name, what, why), result.stderr


def test_the_theme_and_the_generated_pages_are_not_reported(hostile):
    _, result, _ = hostile
    errors = [line for line in result.stderr.splitlines() if "error: " in line]
    assert errors and all(re.match(r"(error: )?(docs/)?(p-|fm-|evil)", line) for line in errors), errors


# In docs/notes/index.md: its raw HTML's addresses then mean the same to both engines (Zensical
# reads them from the Markdown file, MkDocs from the page's address).
LEGITIMATE = """---
title: Notes & "quotes"
description: What <b> means, & more
---
# Notes

A code block shows markup as text:

```html
<script>alert(1)</script>
<img src=x onerror=alert(1)>
```

Inline too: `<iframe src="https://evil.example/">`, and &lt;script&gt; in words.

A picture from this site:

<figure><img src="../pic.png" srcset="../pic.png 2x" alt="Also this site's" style="width: 10em"></figure>

A link to [an https page](https://example.org/a?b=c&d=e), to [mail](mailto:a@example.org), and
<a href="http://example.org/">a plain one</a>.

<!-- a comment for the next editor -->

<svg viewBox="0 0 10 10" role="img"><title>A square</title><rect width="10" height="10"/></svg>
"""


def test_a_legitimate_page_builds(site_project: Project):
    docs = site_project.root / "docs"
    (docs / "pic.png").write_bytes(PNG)
    (docs / "notes").mkdir()
    (docs / "notes" / "index.md").write_text(LEGITIMATE, encoding="utf-8")
    result = site_project.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    built = (site_project.root / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in built  # shown, as text
    scan = Scan(built.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0])
    assert "script" not in scan.tags and not scan.handlers and not scan.js_links
    # og:title and og:description are escaped, once: a hand-written page's and a generated one's alike.
    assert '<meta property="og:title" content="Notes &amp; &#34;quotes&#34;">' in built
    assert '<meta property="og:description" content="What means, &amp; more">' in built


@pytest.mark.engines
def test_zensical_builds_are_checked_too(site_project: Project):
    docs = site_project.root / "docs"
    (docs / "pic.png").write_bytes(PNG)
    (docs / "notes").mkdir()
    (docs / "notes" / "index.md").write_text(LEGITIMATE, encoding="utf-8")
    assert site_project.run("build", "--strict", "--engine", "zensical").returncode == 0
    before = snapshot(site_project.root / "site")
    hostile = page('<img src="../pic.png" onerror="alert(1)">\n\n## A <script>alert(2)</script> heading')
    (docs / "notes" / "index.md").write_text(hostile, encoding="utf-8")
    result = site_project.run("build", "--strict", "--engine", "zensical")
    assert result.returncode == 1
    assert reported(
        result.stderr, "docs/notes/index.md", PAYLOAD_LINE, "notes/index.html", "an <img onerror> attribute", HANDLER
    )
    # Zensical copies the heading's markup into the table of contents: one error, not two.
    script = [line for line in result.stderr.splitlines() if "a <script> element" in line]
    assert len(script) == 1 and reported(
        result.stderr, "docs/notes/index.md", PAYLOAD_LINE + 2, "notes/index.html", "a <script> element", NO_SCRIPT
    )
    assert snapshot(site_project.root / "site") == before


# --- the check itself, given the project's docs/: errors at the hand-written file's line --------------


def built_page(region: str, head: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>t</title>{head}<script>theme()</script></head><body>\n"
        f'<article class="md-content__inner md-typeset">\n{region}\n</article>\n'
        '<script src="../assets/bundle.js"></script></body></html>'
    )


def test_errors_name_the_hand_written_file_and_line(tmp_path):
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "notes").mkdir(parents=True)
    (docs / "deep").mkdir(parents=True)
    home = built_page("<p>home</p>").replace("../assets", "assets")
    (site / "index.html").write_text(home, encoding="utf-8")
    notes = "# Notes\n\n" + "Words.\n\n" * 4 + "<script>alert(1)</script>\n\nAnd [x](javascript:alert(1)).\n"
    (docs / "notes.md").write_text(notes, encoding="utf-8")
    (site / "notes" / "index.html").write_text(
        built_page('<h1>Notes</h1><script>alert(1)</script><p>And <a href="javascript:alert(1)">x</a>.</p>'),
        encoding="utf-8",
    )
    (docs / "deep" / "index.md").write_text("# Deep\n\n<p onclick='go()'>x</p>\n", encoding="utf-8")
    (site / "deep").mkdir()
    (site / "deep" / "index.html").write_text(built_page("<p onclick='go()'>x</p>"), encoding="utf-8")
    found = scan_site(site, docs=docs)
    assert (
        str(found[0].problem)
        == "docs/deep/index.md:3:1: error: a <p onclick> attribute in a hand-written page: " + HANDLER
    )
    assert [str(f) for f in found] == [
        "docs/deep/index.md:3:1: a <p onclick> attribute in a hand-written page: " + HANDLER,
        "docs/notes.md:11:1: a <script> element in a hand-written page: " + NO_SCRIPT,
        "docs/notes.md:13:9: an <a href=javascript:alert(1)> attribute in a hand-written page: " + SCHEME,
    ]
    # check_site reports them with the broken links; without docs/, at the built page's line.
    assert [str(f) for f in check_site(site)[0] if isinstance(f, ActiveContent)] == [
        "deep/index.html:3:1: a <p onclick> attribute in this page: " + HANDLER,
        "notes/index.html:3:1: a <script> element in this page: " + NO_SCRIPT,
        "notes/index.html:3:1: an <a href=javascript:alert(1)> attribute in this page: " + SCHEME,
    ]


def test_the_theme_s_own_elements_outside_the_content_are_expected_once_each(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(built_page("").replace("../assets", "assets"), encoding="utf-8")
    (site / "a" / "index.html").write_text(built_page(""), encoding="utf-8")
    assert scan_site(site) == []
    twice = built_page("", head="<script>theme()</script>")  # the theme's script, one more time
    (site / "a" / "index.html").write_text(twice, encoding="utf-8")
    assert [str(f) for f in scan_site(site)] == ["a/index.html:1:1: a <script> element in this page: " + NO_SCRIPT]
    elsewhere = built_page("").replace("../assets/bundle.js", "https://cdn.example/bundle.js")
    (site / "a" / "index.html").write_text(elsewhere, encoding="utf-8")
    assert [str(f) for f in scan_site(site)] == [
        "a/index.html:5:1: a <script src=https://cdn.example/bundle.js> attribute in this page: " + ELSEWHERE,
        "a/index.html:5:1: a <script> element in this page: " + NO_SCRIPT,
    ]


def test_markup_a_browser_reads_apart_from_the_checker_is_itself_an_error(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    tricks = [
        "<!-- a --!><img src=x onerror=alert(1)> -->",
        "<!--><img src=x onerror=alert(1)>-->",
        "<!---><img src=x onerror=alert(1)>-->",
        "<![CDATA[><img src=x onerror=alert(1)>]]>",
        '<?xml-stylesheet href="evil.xsl"?>',
        '<p title="</title><img src=x onerror=alert(1)>">x</p>',
    ]
    (site / "index.html").write_text(built_page("\n".join(tricks)), encoding="utf-8")
    found = [str(f) for f in scan_site(site)]
    comment = "a comment in this page: a comment a browser ends earlier than it seems to, a known way to hide markup"
    # and the <img onerror> each of the first four lines shows a browser, which lexbor's reading sees
    handler = "an <img onerror> attribute in this page: " + HANDLER
    assert found == [
        f"index.html:3:1: {comment}",
        f"index.html:3:1: {handler}",
        f"index.html:4:1: {comment}",
        f"index.html:4:1: {handler}",
        f"index.html:5:1: {comment}",
        f"index.html:5:1: {handler}",
        "index.html:6:1: a <![CDATA[ declaration in this page: a CDATA section, which a browser and a checker read differently",
        f"index.html:6:1: {handler}",
        "index.html:7:1: a <? declaration in this page: a processing instruction (an XML stylesheet can run script)",
        "index.html:8:1: a <p> element in this page: markup inside a tag's attributes, which a browser and a checker may read apart",
    ]


def test_a_generated_page_with_active_content_is_a_bug_to_report(tmp_path):
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "topics").mkdir(parents=True)
    docs.mkdir()
    (site / "index.html").write_text(built_page("").replace("../assets", "assets"), encoding="utf-8")
    (site / "topics" / "index.html").write_text(built_page("<script>x()</script>"), encoding="utf-8")
    assert [str(f) for f in scan_site(site, docs=docs)] == [
        "topics/index.html:3:1: a <script> element in this generated page: a bug in the generator, please report it: "
        + NO_SCRIPT
    ]


def test_the_real_briefing_s_pages_pass(real_site):
    assert scan_site(real_site.root / "site", docs=real_site.root / "docs") == []


@pytest.mark.engines
def test_the_real_briefing_s_pages_pass_with_zensical(zensical_site):
    assert scan_site(zensical_site.root / "site", docs=zensical_site.root / "docs") == []
