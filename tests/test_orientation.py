"""Finding one's way (issue 23, item 6): sources by publisher and date, summaries, short links, footnote marks that
stay with their words, the search text, a last-updated date, and the 'Report an error' link with its repository."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import REPO
from helpers import Scan, snapshot

from briefing.load.history import History
from briefing.load.registry import load_registry
from briefing.project import Settings, read_settings, repository_problem
from briefing.render.pages import render_site


def pages_with(project, **settings) -> dict[str, str]:
    registry, problems = load_registry(project.facts, project.root)
    assert problems == []
    return render_site(registry, settings=Settings(**settings))


def report_links(page: str) -> list[str]:
    """The links' addresses, as a browser reads the attribute."""
    return [
        html.unescape(link)
        for link in re.findall(
            r'<p class="fact-report" data-search-exclude><a href="([^"]*)" rel="nofollow noopener">', page
        )
    ]


def test_every_fact_links_to_a_prefilled_issue_naming_it_and_its_address(project):
    pages = pages_with(project, repository="https://github.com/acme/briefing")
    topic = pages["topics/company/index.md"]
    facts = re.findall(r'<h3 class="fact" id="([^"]+)"', topic)
    links = report_links(topic)
    assert len(links) == len(facts) > 0
    for fact, link in zip(facts, links, strict=True):
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/acme/briefing/issues/new")
        query = parse_qs(parts.query)
        assert query["title"] == [f"Error in fact {fact}"]
        assert f"Fact: {fact}\nAddress: topics/company/#{fact}\n" in query["body"][0]


def test_the_address_is_absolute_when_the_site_s_is_known(project):
    pages = pages_with(project, repository="https://git.example.org/team/b/", site_url="https://example.org/b/")
    link = report_links(pages["topics/funding/index.md"])[0]
    body = parse_qs(urlsplit(link).query)["body"][0]
    assert "Address: https://example.org/b/topics/funding/#may-2024-round\n" in body
    assert link.startswith("https://git.example.org/team/b/issues/new?")


def test_without_a_repository_there_is_no_link(project):
    assert "fact-report" not in "".join(pages_with(project).values())


REFUSED = {
    "http://github.com/acme/briefing": "must be an https:// address",
    "javascript:alert(1)": "must be an https:// address",
    "data:text/html,<script>alert(1)</script>": "must be an https:// address",
    "//github.com/acme/briefing": "must be an https:// address",
    'https://github.com/acme/b" onmouseover="alert(1)': "must not contain '\"'",
    "https://github.com/acme/b'><script>alert(1)</script>": "must not contain",
    "https://github.com/acme/b?x=1": "no query (?) or fragment (#)",
    "https://github.com/acme/b#x": "no query (?) or fragment (#)",
    "https://user:pw@github.com/acme/b": "user name or password",
    "https://github.com/acme/../b": "'.' or '..'",
    "https://github.com/acme/b\u202e": "not an address of a host",
    "https://github.com/acme/b c": "must not contain U+0020",
}


@pytest.mark.parametrize("url", list(REFUSED), ids=range(len(REFUSED)))
def test_a_repository_that_is_not_a_plain_https_address_is_refused_at_its_line(tmp_path, url):
    assert REFUSED[url] in (repository_problem(url) or "")
    quoted = url.replace("\\", "\\\\").replace('"', '\\"')
    (tmp_path / "briefing.toml").write_text(f'[briefing]\nrepository = "{quoted}"\n', encoding="utf-8")
    settings, found = read_settings(tmp_path)
    assert settings.repository == ""
    assert len(found) == 1 and str(found[0].loc) == "briefing.toml:2:14"
    assert found[0].message.startswith("setting 'repository': ") and REFUSED[url] in found[0].message


def test_a_hostile_repository_stops_the_build_before_anything_is_written(site_project):
    root = site_project.root
    (root / "briefing.toml").write_text(
        '[briefing]\nrepository = "javascript:alert(document.cookie)//https://github.com/"\n', encoding="utf-8"
    )
    before = snapshot(root)
    result = site_project.run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("briefing.toml:2:14: error: setting 'repository': must be an https:// address")
    assert snapshot(root) == before and not (root / "site").exists()


def test_an_accepted_awkward_repository_stays_one_inert_link(site_project):
    """The oddest address the rule accepts: its characters are encoded, the link has no handler and one target."""
    awkward = "https://example.org/a;b,c(d)*+$!~:@/x_y"
    assert repository_problem(awkward) is None
    (site_project.root / "briefing.toml").write_text(f'[briefing]\nrepository = "{awkward}"\n', encoding="utf-8")
    result = site_project.run("build")
    assert result.returncode == 0, result.stderr
    page = (Path(site_project.root) / "site" / "topics" / "company" / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<a href="([^"]*)" rel="nofollow noopener">Report an error in this fact</a>', page)
    links = [html.unescape(link) for link in found]
    assert len(links) == 2
    assert all(link.startswith("https://example.org/a;b,c%28d%29*+$%21~:@/x_y/issues/new?title=") for link in links)
    scan = Scan(page)
    assert (scan.handlers, scan.js_links) == ([], [])


# --- sources by publisher and date, summaries, short links, dates -------------------------------


def test_sources_are_named_by_publisher_and_date_in_the_menu_and_the_listing(project):
    project.edit(
        "sources.yaml", "title: Portville startup secures funding", "title: '[No headline in the copy: it says so]'"
    )
    pages = pages_with(project)
    nav = yaml.safe_load(pages[".nav.yml"])
    assert nav[-1]["Sources"] == [
        {"Sources": "sources/index.md"},
        {"Daily Planet, 3 May 2024": "sources/planet/index.md"},
        {"The Wire, May 2024": "sources/wire/index.md"},
    ]
    listing = pages["sources/index.md"]
    assert '<a href="../sources/wire/">The Wire, May 2024</a>' in listing
    assert (
        "No headline" not in pages[".nav.yml"] and "No headline" not in listing.split('<td data-label="Headline">')[0]
    )
    assert pages["sources/wire/index.md"].startswith('---\ntitle: "The Wire, May 2024"\n')
    assert "\n# The Wire, May 2024\n" in pages["sources/wire/index.md"]


def test_sources_with_the_same_publisher_and_date_are_numbered(project):
    project.edit("sources.yaml", "publisher: The Wire", "publisher: Daily Planet")
    project.edit("sources.yaml", "published: 2024-05\n", "published: 2024-05-03\n")
    nav = yaml.safe_load(pages_with(project)[".nav.yml"])
    assert [next(iter(e)) for e in nav[-1]["Sources"][1:]] == [
        "Daily Planet, 3 May 2024 (1)",
        "Daily Planet, 3 May 2024 (2)",
    ]


def test_a_hostile_publisher_is_shown_as_text_in_the_menu_and_the_listing(project):
    project.edit("sources.yaml", "publisher: The Wire", "publisher: '<script>alert(1)</script> & [x](javascript:y)'")
    pages = pages_with(project)
    assert "<script>" not in pages[".nav.yml"] and "&lt;script&gt;" in pages[".nav.yml"]
    assert "<script>" not in pages["sources/index.md"] and "](javascript" not in pages["sources/index.md"]


def test_an_entity_has_a_summary_box(project):
    page = pages_with(project)["entities/acme/index.md"]
    box = page.split('<div class="admonition info entity-summary">', 1)[1].split("</div>", 1)[0]
    assert "<dt>Kind</dt> <dd>Organisation</dd>" in box
    assert "<dt>Also written</dt> <dd>Acme</dd>" in box
    assert "<dt>Facts about it</dt> <dd>3 facts</dd>" in box
    assert '<dd><a href="../../disagreements/#may-round-dollars">The dollar value of the May 2024 round</a></dd>' in box
    assert '<dt>First dated fact</dt> <dd><a href="../../topics/company/#acme-founded">2019</a></dd>' in box
    assert (
        '<dt>Latest dated fact</dt> <dd><a href="../../topics/company/#open-source-promise">3 May 2024</a></dd>' in box
    )
    portville = pages_with(project)["entities/portville/index.md"]
    assert "<dt>Facts about it</dt> <dd>1 fact</dd>" in portville


def test_the_disagreements_page_opens_with_a_summary_table(project):
    page = pages_with(project)["disagreements/index.md"]
    table = page.split('<table class="stack disagreement-summary" data-search-exclude>', 1)[1].split("</table>")[0]
    assert '<a href="#may-round-dollars">The dollar value of the May 2024 round</a>' in table
    assert '<td data-label="Verdict">Reconcilable</td>' in table
    assert '<td data-label="Sources">Daily Planet <em>vs</em> The Wire (preferred)</td>' in table
    assert page.index("disagreement-summary") < page.index("{ #may-round-dollars }")


def test_links_name_where_they_lead_not_the_whole_statement(project):
    pages = pages_with(project)
    timeline = pages["timeline/index.md"]
    assert 'Acme was founded in 2019. (<a href="../topics/company/#acme-founded">in Company</a>)' in timeline
    assert ">Acme was founded in 2019.</a>" not in timeline
    related = pages["disagreements/index.md"].split("Related: ", 1)[1].split("\n")[0]
    assert related == (
        "Acme raised 2 billion yuan in a round led by Harbour Capital. "
        "([in Funding](../topics/funding/index.md#may-2024-round))"
    )


def test_footnote_marks_stay_with_their_words_and_out_of_search(project):
    page = pages_with(project)["topics/funding/index.md"]
    assert re.search(r'<sup id="fnref:c\d+" data-search-exclude><a class="footnote-ref"', page)
    assert "<sup>,</sup>" not in page
    notes = re.findall(r'<li id="fn:c\d+"><p>.*?</p></li>', page)
    assert notes and all(
        re.search(r'<span class="footnote-end">”(&#160;<a class="footnote-backref"[^>]*>&#8617;</a>)+</span></p>', n)
        for n in notes
    )
    css = (REPO / "scripts" / "briefing" / "assets" / "briefing.css").read_text(encoding="utf-8")
    assert ".md-typeset .footnote-end {\n  white-space: nowrap;" in css
    assert ".md-typeset .headerlink,\n.md-typeset .footnote-backref {\n  display: inline;" in css


def test_every_page_says_when_its_facts_last_changed(project):
    registry, problems = load_registry(project.facts, project.root)
    history = History(True, last={"acme-founded": "2026-11-02", "may-2024-round": "2026-12-01"})
    pages = render_site(registry, history=history)
    assert "Last updated 1 December 2026 (the latest change to its facts)</p>" in pages["topics/funding/index.md"]
    assert "Last updated 2 November 2026" in pages["topics/company/index.md"]
    assert "Last updated 1 December 2026" in pages["index.md"]  # the whole briefing's
    for path, text in pages.items():
        if path.endswith(".md"):
            assert text.count('class="page-updated"') <= 1, path
    assert "page-updated" not in "".join(render_site(registry).values())  # no history, no date


def test_the_search_index_has_no_footnote_numbers_glued_to_words(built_site):
    index = json.loads((built_site.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "<sup>" not in text
    assert "(May 2024) Preferred: The wire gives the conversion" in text
