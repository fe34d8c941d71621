"""The Atom feed of what changed: one id per briefing, reader-facing entries, escaped text."""

from __future__ import annotations

import html
import json
import shutil
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import Project
from helpers import Scan, commit, git
from test_corrections import CORRECTION, corrected_history

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corrected(site_project: Project) -> tuple[Project, list[str]]:
    return corrected_history(site_project)


def feed_of(project: Project, site_url: str | None = None) -> ET.Element:
    env = {"BRIEFING_SITE_URL": site_url} if site_url else None
    result = project.run("build", "--source-only", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    raw = (project.root / "build" / "docs" / "changes.xml").read_bytes()
    assert b"CDATA" not in raw
    return ET.fromstring(raw)


def test_the_feed_id_is_the_changes_page_address_when_the_site_is_known(corrected):
    project, _ = corrected
    feed = feed_of(project, "https://example.org/acme/")
    assert feed.find(f"{ATOM}id").text == "https://example.org/acme/changes/"
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"https://example.org/acme/changes/#d-2024-06-{d}" for d in ("20", "10", "01")]


def test_without_an_address_the_id_is_the_briefings_own(corrected, tmp_path):
    """From the subject and the repository's first commit: the same in a clone, another for another repository."""
    project, _ = corrected
    identity = feed_of(project).find(f"{ATOM}id").text
    assert identity.startswith("urn:uuid:") and identity != "urn:briefing:changes"
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{project.root}", str(clone))
    assert feed_of(Project(clone, project.archive)).find(f"{ATOM}id").text == identity
    other = tmp_path / "other"
    shutil.copytree(project.root, other, symlinks=True, ignore=shutil.ignore_patterns(".git", "build"))
    git(other, "init", "-q", "-b", "main")
    commit(other, "Another briefing from the same files", "2024-07-01T09:00:00+00:00")
    assert feed_of(Project(other, project.archive)).find(f"{ATOM}id").text != identity
    entry_ids = [e.find(f"{ATOM}id").text for e in feed_of(project).findall(f"{ATOM}entry")]
    assert len(set(entry_ids)) == 3 and all(i.startswith("urn:uuid:") for i in entry_ids)


def test_the_build_never_writes_briefing_toml(corrected):
    project, _ = corrected
    toml = project.root / "briefing.toml"
    before = toml.read_bytes() if toml.exists() else None
    feed_of(project)
    assert (toml.read_bytes() if toml.exists() else None) == before


def test_entries_say_what_changed_with_the_reasons_and_the_marked_words(corrected):
    project, _ = corrected
    feed = feed_of(project, "https://example.org/acme/")
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == [
        "20 June 2024: Retracted: Ada Lovelace said Acme would open-source its arm controller in 2024."
        " (and 1 more change)",
        "10 June 2024: Reworded: Acme was set up in 2019.",
        "1 June 2024: Added: Acme raised 2 billion yuan in a round led by Harbour Capital. (and 4 more changes)",
    ]
    for entry in entries:
        assert len(entry.find(f"{ATOM}summary").text) < 300
    assert entries[1].find(f"{ATOM}summary").text == (
        "Reworded: The wire's later copy says the firm was set up, not founded."
    )
    content = entries[1].find(f"{ATOM}content")
    assert content.get("type") == "html"
    body = content.text  # the HTML, once unescaped by the XML parser
    assert "<del>" in body and "founded</del>" in body and "set up</ins>" in body
    assert '<a href="https://example.org/acme/topics/company/#acme-founded">' in body
    assert "Corrected 10 June 2024: The wire&#39;s later copy says" in body.replace("'", "&#39;")
    assert entries[0].find(f"{ATOM}link").get("href") == "https://example.org/acme/changes/#d-2024-06-20"
    parsed = feedparser.parse((project.root / "build" / "docs" / "changes.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries[1].content[0].type == "text/html"


def test_relative_links_without_an_address(corrected):
    project, _ = corrected
    body = feed_of(project).findall(f"{ATOM}entry")[1].find(f"{ATOM}content").text
    assert '<a href="topics/company/#acme-founded">' in body


HOSTILE = '<script>alert("x")</script> ]]> <![CDATA[ x ]]> &amp; "q" \'a\' {: onclick=y } [l](javascript:alert("y"))'


def test_hostile_statements_and_reasons_stay_text_in_the_feed(site_project: Project):
    root = site_project.root
    git(root, "init", "-q", "-b", "main")
    commit(root, "Publish", "2024-06-01T09:00:00+00:00")
    site_project.edit("facts.yaml", "statement: Acme was founded in 2019.\n", f"statement: {json.dumps(HOSTILE)}\n")
    text = (site_project.facts / "facts.yaml").read_text(encoding="utf-8")
    assert "<script>" in text
    site_project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n'
        + CORRECTION.replace("The wire's later copy says the firm was set up, not founded.", json.dumps(HOSTILE)),
    )
    commit(root, "Hostile </title> ]]> <b>", "2024-06-10T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    assert result.returncode == 0, result.stdout + result.stderr
    raw = (root / "build" / "docs" / "changes.xml").read_bytes()
    assert b"<script" not in raw and b"<![CDATA[" not in raw
    feed = ET.fromstring(raw)
    entry = feed.findall(f"{ATOM}entry")[0]
    assert HOSTILE in entry.find(f"{ATOM}summary").text
    assert HOSTILE in entry.find(f"{ATOM}title").text
    body = entry.find(f"{ATOM}content").text
    scan = Scan(body)
    assert scan.tags == [] and scan.handlers == [] and scan.js_links == []
    assert {e.split()[0] for e in scan.elements} <= {"h3", "ul", "li", "a", "br", "del", "ins", "span", "p", "small"}
    assert HOSTILE in html.unescape(body)


def test_a_retraction_in_the_feed_carries_its_reason(corrected):
    project, _ = corrected
    entry = feed_of(project).findall(f"{ATOM}entry")[0]
    assert "withdrew the promise" in entry.find(f"{ATOM}summary").text
    assert "withdrew the promise" in entry.find(f"{ATOM}content").text


def test_a_day_whose_texts_were_never_published_says_so_once():
    from markupsafe import Markup

    from briefing.render.changes import UNPUBLISHED, Day, Item, Link, entry_summary, entry_title

    day = Day("2026-12-02")
    for kind in ("added", "changed"):
        day.items[kind] += [Item(Link(Markup(UNPUBLISHED), None), plain=UNPUBLISHED) for _ in range(3)]
    assert entry_title(day) == "2 December 2026: 6 changes whose text was never published"
    assert UNPUBLISHED not in entry_summary(day) and "never published" in entry_summary(day)
    day.items["added"].append(Item(Link(Markup("Acme was founded."), "topics/company/"), plain="Acme was founded."))
    assert entry_title(day) == "2 December 2026: Added: Acme was founded. (and 6 more changes)"
    assert entry_summary(day) == "Added: Acme was founded."
