"""What changed: the Changes page, the Atom feed and retraction notices, from a project's git history."""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest
from conftest import Project
from fixture_registry import FILES
from helpers import commit, git


def open_source_fact() -> str:
    """The fixture's open-source-promise fact, as its YAML text: the fact these tests retract."""
    text = FILES["facts.yaml"]
    start = text.index("  - id: open-source-promise\n")
    following = text.find("\n  - id: ", start + 1)
    return text[start : following + 1 if following != -1 else len(text)]


OPEN_SOURCE = open_source_fact()


@pytest.fixture
def history_project(site_project: Project) -> tuple[Project, list[str]]:
    """Three revisions: the registry published, a statement reworded, a fact retracted."""
    root = site_project.root
    git(root, "init", "-q", "-b", "main")
    first = commit(root, "Publish the Acme briefing", "2024-06-01T09:00:00+00:00")
    site_project.edit("facts.yaml", "Acme was founded in 2019.\n", "Acme was set up in 2019.\n")
    second = commit(root, "Reword the founding", "2024-06-10T09:00:00+00:00")
    site_project.edit("facts.yaml", OPEN_SOURCE, "")
    third = commit(root, "Retract the open-source promise <b>now</b> *really*", "2024-06-20T09:00:00+00:00")
    return site_project, [first, second, third]


def build(project: Project) -> Path:
    result = project.run("build", "--source-only")
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "build" / "docs"


def test_changes_page_lists_each_revision_newest_first(history_project):
    project, commits = history_project
    page = (build(project) / "changes" / "index.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert [h.split(" {")[0] for h in headings] == ["## 20 June 2024", "## 10 June 2024", "## 1 June 2024"]
    assert headings[1] == "## 10 June 2024 { #d-2024-06-10 }"
    second = page.split("## 10 June 2024")[1].split("## 1 June 2024")[0]
    assert "**Reworded**" in second and f"From the registry's history: commit {commits[1][:10]}, " in second
    assert "[Acme was set up in 2019.]" in second and "founded</del> <ins>" in second
    third = page.split("## 20 June 2024")[1].split("## 10 June 2024")[0]
    assert "**Retracted**" in third
    assert "Ada Lovelace said Acme would open-source its arm controller in 2024." in third
    assert "../topics/company/index.md#open-source-promise" in third
    first = page.split("## 1 June 2024")[1]
    added = first.split("**Added**")[1].split("**Disagreements**")[0]
    assert added.count("\n- [") == 4
    assert "**Disagreements**" in first and ": added" in first
    assert "not available" not in page


def test_commit_subjects_are_text_not_markup(history_project):
    project, _ = history_project
    page = (build(project) / "changes" / "index.md").read_text(encoding="utf-8")
    subject = next(line for line in page.splitlines() if "“Retract the" in line)
    assert "<b>" not in subject and "&lt;b&gt;" in subject
    assert "*really*" not in subject and "&#42;really&#42;" in subject


def test_a_retracted_fact_keeps_its_address(history_project):
    project, _ = history_project
    docs = build(project)
    topic = (docs / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert '<div class="retracted" id="open-source-promise">' in topic
    assert "Retracted on 20 June 2024." in topic
    assert "Ada Lovelace said Acme would open-source its arm controller in 2024." in topic.split("## Retracted")[1]
    # a fact never retracted has no notice, and a fact put back loses its notice
    project.write("facts.yaml", (project.facts / "facts.yaml").read_text(encoding="utf-8") + OPEN_SOURCE)
    commit(project.root, "Restore the promise", "2024-06-25T09:00:00+00:00")
    topic = (build(project) / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert 'class="retracted"' not in topic and "## Retracted" not in topic


def test_each_fact_says_when_it_was_published_and_changed(history_project):
    project, _ = history_project
    docs = build(project)
    company = (docs / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    funding = (docs / "topics" / "funding" / "index.md").read_text(encoding="utf-8")
    # the briefing's first publication is not repeated at each fact; a later change is shown
    assert "First published" not in company + funding
    assert "Changed 10 June 2024</span>" in company and 'class="published"' not in funding


def test_the_feed_is_atom_with_an_entry_per_revision(history_project):
    project, commits = history_project
    result = project.run("build", "--source-only", env={"BRIEFING_SITE_URL": "https://example.org/acme/"})
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((project.root / "build" / "docs" / "changes.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Acme Robotics at a glance: what changed"
    assert feed.feed.id == "https://example.org/acme/changes/"
    days = ["2024-06-20", "2024-06-10", "2024-06-01"]
    assert [e.id for e in feed.entries] == [f"https://example.org/acme/changes/#d-{d}" for d in days]
    title = "20 June 2024: Retracted: Ada Lovelace said Acme would open-source its arm controller in 2024."
    assert feed.entries[0].title == title
    assert feed.entries[0].link == "https://example.org/acme/changes/#d-2024-06-20"
    assert feed.entries[0].updated == "2024-06-20T09:00:00+00:00"
    assert feed.entries[1].summary == "Reworded: Acme was set up in 2019."
    assert commits[1][:10] in feed.entries[1].content[0].value
    assert feed.feed.updated == "2024-06-20T09:00:00+00:00"


def test_every_page_links_the_feed(history_project):
    project, _ = history_project
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    html = (project.root / "site" / "topics" / "funding" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert (project.root / "site" / "changes.xml").is_file()


def test_without_git_the_page_says_history_is_not_available(site_project):
    page = (build(site_project) / "changes" / "index.md").read_text(encoding="utf-8")
    assert "The history is not available in this build:** this copy of the project has no git history" in page
    feed = feedparser.parse((site_project.root / "build" / "docs" / "changes.xml").read_bytes())
    assert not feed.bozo and feed.entries == []
    topic = (site_project.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert "First published" not in topic


def test_a_shallow_clone_says_so(history_project, tmp_path):
    project, _ = history_project
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{project.root}", str(clone))
    shallow = Project(clone, project.archive)
    page = (build(shallow) / "changes" / "index.md").read_text(encoding="utf-8")
    assert "only part of its git history (a shallow clone)" in page


def test_the_workflows_check_out_the_whole_history():
    import yaml
    from conftest import REPO

    for name in ("site.yml", "external-links.yml"):
        workflow = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
        main = next(
            s for s in steps if s.get("uses", "").startswith("actions/checkout") and s["with"]["path"] == "main"
        )
        assert main["with"]["fetch-depth"] == 0, name


def test_new_evidence_under_the_same_words_is_a_change_and_layout_is_not(history_project):
    project, _ = history_project
    project.edit("facts.yaml", "    date: 2024-05\n", "    date: 2024-05-03\n")
    commit(project.root, "Date the round to the day", "2024-07-01T09:00:00+00:00")
    project.edit("facts.yaml", "  - id: harbour-control\n", "\n  - id: harbour-control\n")
    commit(project.root, "Only a blank line", "2024-07-02T09:00:00+00:00")
    docs = build(project)
    page = (docs / "changes" / "index.md").read_text(encoding="utf-8")
    newest = page.split("\n## ")[1]
    assert newest.startswith("1 July 2024") and "**Evidence or figures revised (the statement stands)**" in newest
    assert "[Acme raised 2 billion yuan in a round led by Harbour Capital.]" in newest
    assert "2 July 2024" not in page
    funding = (docs / "topics" / "funding" / "index.md").read_text(encoding="utf-8")
    assert "Changed 1 July 2024" in funding


def test_a_commit_whose_registry_did_not_load_is_passed_over(history_project):
    """A broken commit (its build refused) retracts nothing; the next is compared with the last good one."""
    project, _ = history_project
    text = (project.facts / "facts.yaml").read_text(encoding="utf-8")
    project.write("facts.yaml", text + "  - id: [unclosed\n")
    commit(project.root, "A broken edit", "2024-07-01T09:00:00+00:00")
    project.write("facts.yaml", text.replace("Acme was set up in 2019.", "Acme was established in 2019."))
    commit(project.root, "The fix", "2024-07-02T09:00:00+00:00")
    page = (build(project) / "changes" / "index.md").read_text(encoding="utf-8")
    newest = page.split("\n## ")[1]
    assert newest.startswith("2 July 2024") and "**Reworded**" in newest and "**Added**" not in newest
    assert "set up</del> <ins>" in newest  # compared with the last revision that loaded
    assert "1 July 2024" not in page and page.count("**Retracted**") == 1  # only the real retraction


def _commit_each(project: Project, messages: list[str]) -> None:
    root = project.root
    git(root, "init", "-q", "-b", "main")
    for n, message in enumerate(messages):
        old, new = ("founded", "set up") if n % 2 == 0 else ("set up", "founded")
        project.edit("facts.yaml", f"Acme was {old} in 2019.\n", f"Acme was {new} in 2019.\n")
        commit(root, message, f"2024-06-{n + 1:02d}T09:00:00+00:00")


def test_hostile_commit_messages_stay_text(tmp_path):
    from conftest import make_project
    from helpers import Scan
    from test_unsafe_content import HARMLESS, PAYLOADS

    built = {}
    for name, messages in (("hostile", PAYLOADS), ("harmless", HARMLESS)):
        project = make_project(tmp_path / name, with_site_config=True)
        _commit_each(project, [m.replace("\n", " ") for m in messages])
        result = project.run("build")
        assert result.returncode == 0, result.stdout + result.stderr
        built[name] = project.root / "site"
    hostile = Scan((built["hostile"] / "changes" / "index.html").read_text(encoding="utf-8"))
    harmless = Scan((built["harmless"] / "changes" / "index.html").read_text(encoding="utf-8"))
    assert hostile.elements == harmless.elements
    assert hostile.handlers == harmless.handlers and hostile.js_links == []
    feed = feedparser.parse((built["hostile"] / "changes.xml").read_bytes())
    assert not feed.bozo
    # the messages are in the entries' content, as text: the first line, shortened
    contents = [html.unescape(re.sub(r"<[^>]+>", " ", e.content[0].value)) for e in feed.entries]
    for message in PAYLOADS:
        assert any(" ".join(message.split())[:60] in " ".join(c.split()) for c in contents), message
