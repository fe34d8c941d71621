"""Corrections as the editors publish them: why a fact changed or was retracted, at the fact, on
the Changes page (by day, with the changed words marked) and kept out of search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import Project
from helpers import Scan, commit, git
from test_history import OPEN_SOURCE

from briefing.render.changes import diff_markup, word_diff

REWORDED = "Acme was set up in 2019.\n"
CORRECTION = """    corrections:
      - date: 2024-06-10
        change: "'founded' became 'set up'."
        reason: The wire's later copy says the firm was set up, not founded.
"""
RETRACTION = """retractions:
  - fact: open-source-promise
    date: 2024-06-20
    reason: Ada Lovelace's company withdrew the promise; the quote no longer stands.
"""


@pytest.fixture
def corrected(site_project: Project) -> tuple[Project, list[str]]:
    return corrected_history(site_project)


def corrected_history(site_project: Project) -> tuple[Project, list[str]]:
    """Published on 1 June; reworded with a correction on 10 June; on 20 June, in two commits, a fact
    retracted (and why) and another's date made more precise."""
    root = site_project.root
    git(root, "init", "-q", "-b", "main")
    first = commit(root, "Publish the Acme briefing", "2024-06-01T09:00:00+00:00")
    site_project.edit("facts.yaml", "Acme was founded in 2019.\n", REWORDED)
    site_project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n' + CORRECTION,
    )
    second = commit(
        root,
        "Reword the founding (a long developer message that goes on and on) " + "x" * 200,
        "2024-06-10T09:00:00+00:00",
    )
    site_project.edit("facts.yaml", OPEN_SOURCE, "")
    third = commit(root, "Retract the open-source promise", "2024-06-20T09:00:00+00:00")
    site_project.write("retractions.yaml", RETRACTION)
    site_project.edit("facts.yaml", "    date: 2024-05\n", "    date: 2024-05-03\n")
    fourth = commit(root, "Say why, and date the round to the day", "2024-06-20T10:00:00+00:00")
    return site_project, [first, second, third, fourth]


def build(project: Project, *args: str) -> Path:
    result = project.run("build", "--source-only", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "build" / "docs"


def test_word_diff_marks_only_the_changed_words():
    assert word_diff("Acme was founded in 2019.", "Acme was set up in 2019.") == [
        ("same", "Acme was"),
        ("del", "founded"),
        ("ins", "set up"),
        ("same", "in 2019."),
    ]
    assert word_diff("same words", "same words") == [("same", "same words")]


def test_the_diff_is_escaped_and_says_what_each_mark_is():
    hostile_old = 'Acme <script>alert(1)</script> said *x* & [a](javascript:alert(2)) "q"'
    hostile_new = "Acme <img src=x onerror=alert(3)> said *x* & ]]> {: onclick=y }"
    markup = str(diff_markup(hostile_old, hostile_new))
    scan = Scan(markup)
    assert set(scan.elements) == {"del", "ins", "span class"}
    assert scan.handlers == [] and scan.js_links == []
    assert '<del><span class="md-visually-hidden">removed: </span>' in markup
    assert '<ins><span class="md-visually-hidden">added: </span>' in markup
    assert "&lt;script&gt;" in markup and "&lt;img" in markup and "&#42;x&#42;" in markup


def test_the_changes_page_groups_by_day_with_the_editors_reasons(corrected):
    project, commits = corrected
    page = (build(project) / "changes" / "index.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 20 June 2024 { #d-2024-06-20 }",
        "## 10 June 2024 { #d-2024-06-10 }",
        "## 1 June 2024 { #d-2024-06-01 }",
    ]
    tenth = page.split("## 10 June 2024")[1].split("\n## ")[0]
    assert "**Reworded**" in tenth
    assert (
        'Acme was <del><span class="md-visually-hidden">removed: </span>founded</del> '
        '<ins><span class="md-visually-hidden">added: </span>set up</ins> in 2019.'
    ) in tenth
    assert (
        "**Corrected 10 June 2024:** The wire&#39;s later copy says" in tenth
        or "**Corrected 10 June 2024:** The wire's later copy says" in tenth
    )
    # the commit message is secondary, its first line shortened, after the changes
    meta = tenth.split("From the registry's history: ")[1]
    assert meta.startswith(f"commit {commits[1][:10]}, “Reword the founding")
    assert "x" * 120 not in meta and "…”" in meta
    twentieth = page.split("## 20 June 2024")[1].split("\n## ")[0]
    assert "**Retracted**" in twentieth and twentieth.count("**Retracted**") == 1
    assert "<br>**Why:** Ada Lovelace" in twentieth
    assert (
        "Ada Lovelace&#39;s company withdrew the promise" in twentieth
        or "Ada Lovelace's company withdrew the promise" in twentieth
    )
    assert f"commit {commits[2][:10]}" in twentieth and f"commit {commits[3][:10]}" in twentieth


def test_the_changes_page_stays_out_of_search(corrected):
    project, _ = corrected
    page = (build(project) / "changes" / "index.md").read_text(encoding="utf-8")
    front = page.split("\n---\n", 1)[0]
    assert "search:\n  exclude: true" in front
    topic = (project.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert "exclude" not in topic.split("\n---\n", 1)[0]


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_built_search_index_has_no_changes_page(corrected, engine):
    project, _ = corrected
    result = project.run("build", "--engine", engine)
    if "not installed" in result.stderr:
        pytest.skip(result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    # Material writes search/search_index.json ("docs"); Zensical 0.0.73 search.json ("items")
    name = "search/search_index.json" if engine == "mkdocs" else "search.json"
    index = json.loads((project.root / "site" / name).read_text(encoding="utf-8"))
    entries = index.get("docs") or index.get("items") or []
    locations = [d.get("location", "") for d in entries]
    assert any(loc.startswith("topics/company/") for loc in locations), locations[:5]
    assert not [loc for loc in locations if loc.startswith("changes/")]
    assert not [d for d in entries if "set up</ins>" in json.dumps(d) or "Reworded" in d.get("text", "")]


def test_the_fact_says_when_and_why_it_was_corrected(corrected):
    project, _ = corrected
    company = (build(project) / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    block = company.split('id="acme-founded"')[1].split('<h3 class="fact"')[0]
    assert "<strong>Corrected 10 June 2024:</strong> The wire's later copy says the firm was set up" in block
    # "First published" only where it differs from the briefing's first publication
    assert "First published" not in block and "Changed 10 June 2024" in block


def test_first_published_is_shown_for_a_fact_added_later(corrected):
    project, _ = corrected
    project.edit(
        "facts.yaml",
        "  - id: acme-founded\n",
        """  - id: acme-founded-late
    statement: Acme was founded in 2019, the wire says.
    topic: company
    entities: [acme]
    citations:
      - source: wire
        quote: "May 2024. The firm was founded in 2019."
  - id: acme-founded
""",
    )
    commit(project.root, "Add a fact", "2024-07-01T09:00:00+00:00")
    company = (build(project) / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    block = company.split('id="acme-founded-late"')[1].split('<h3 class="fact"')[0]
    assert "First published 1 July 2024" in block


def test_a_retraction_notice_says_why(corrected):
    project, _ = corrected
    topic = (build(project) / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    notice = topic.split('<div class="retracted" id="open-source-promise">')[1].split("</div>")[0]
    assert "Retracted on 20 June 2024." in notice
    assert "<em>Why:</em> Ada Lovelace's company withdrew the promise" in notice


def test_a_correction_without_history_is_shown_under_its_own_date(site_project):
    site_project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n' + CORRECTION,
    )
    page = (build(site_project) / "changes" / "index.md").read_text(encoding="utf-8")
    day = page.split("## 10 June 2024 { #d-2024-06-10 }")[1]
    assert "**Corrected**" in day and "The wire&#39;s later copy" in day.replace("'", "&#39;")


def test_hostile_reasons_stay_text_on_the_page(site_project):
    hostile = "<script>alert(1)</script> *x* [a](javascript:alert(2)) {: onclick=y }"
    site_project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n'
        + CORRECTION.replace("The wire's later copy says the firm was set up, not founded.", json.dumps(hostile)),
    )
    docs = build(site_project)
    for page in (docs / "changes" / "index.md", docs / "topics" / "company" / "index.md"):
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text and "](javascript" not in text and "{: onclick" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &#42;x&#42;" in text


def test_retraction_reasons_outside_a_change_keep_their_date(site_project):
    site_project.write("retractions.yaml", RETRACTION.replace("open-source-promise", "an-old-fact"))
    page = (build(site_project) / "changes" / "index.md").read_text(encoding="utf-8")
    day = page.split("## 20 June 2024 { #d-2024-06-20 }")[1]
    assert "**Retracted**" in day and "an-old-fact" in day


def _problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: (error|warning): ", line)]


def _published(project: Project) -> None:
    git(project.root, "init", "-q", "-b", "main")
    commit(project.root, "Publish the Acme briefing", "2024-06-01T09:00:00+00:00")


def _reworded(project: Project, correction: str = "") -> None:
    project.edit("facts.yaml", "Acme was founded in 2019.\n", REWORDED)
    if correction:
        project.edit("facts.yaml", QUOTE_LINE, QUOTE_LINE + correction)


QUOTE_LINE = '        quote: "May 2024. The firm was founded in 2019."\n'
MISSING = "fact 'acme-founded': its statement or value changed on {} without a correction"


def test_a_committed_rewording_without_a_correction_is_a_warning_and_strict_stops(site_project):
    _published(site_project)
    _reworded(site_project)
    commit(site_project.root, "Reword", "2024-06-10T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    assert result.returncode == 0, result.stderr
    line = next(p for p in _problems(result.stderr) if "without a correction" in p)
    assert line.startswith("facts/facts.yaml:26:16: warning: " + MISSING.format("2024-06-10"))
    assert "hint: add under the fact: corrections: [{date: 2024-06-10," in result.stderr
    strict = site_project.run("build", "--source-only", "--strict")
    assert strict.returncode == 1 and "facts/facts.yaml:26:16: error: " + MISSING.format("2024-06-10") in strict.stderr


def test_an_uncommitted_rewording_without_a_correction_is_a_warning(site_project):
    _published(site_project)
    _reworded(site_project)
    result = site_project.run("build", "--source-only")
    assert "facts/facts.yaml:26:16: warning: " + MISSING.format("2024-06-01") in result.stderr


def test_a_changed_value_needs_a_correction_too(site_project):
    _published(site_project)
    site_project.edit(
        "facts.yaml",
        "value: {amount: 2000000000, unit: CNY}",
        "value: {amount: 2000000000, unit: CNY, qualifier: about}",
    )
    commit(site_project.root, "Hedge the amount", "2024-06-10T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    assert "fact 'may-2024-round': its statement or value changed on 2024-06-10 without a correction" in result.stderr


def test_an_older_correction_does_not_cover_a_new_change(site_project):
    """A correction dated before the change (say, one left from an earlier rewording) gives no reason for it."""
    _published(site_project)
    _reworded(site_project, CORRECTION.replace("2024-06-10", "2024-06-05"))
    commit(site_project.root, "Reword", "2024-06-10T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    assert MISSING.format("2024-06-10") in result.stderr


def test_a_correction_on_or_after_the_change_satisfies_the_rule(site_project):
    _published(site_project)
    _reworded(site_project, CORRECTION)
    commit(site_project.root, "Reword", "2024-06-10T09:00:00+00:00")
    result = site_project.run("build", "--source-only", "--strict")
    assert result.returncode == 0, result.stderr
    assert "without a correction" not in result.stderr


def test_only_the_newest_revision_is_held_to_the_rule(site_project):
    """Revisions before the newest (as the real briefing's were, before corrections existed) are left alone."""
    _published(site_project)
    _reworded(site_project)
    commit(site_project.root, "Reword", "2024-06-10T09:00:00+00:00")
    site_project.edit("facts.yaml", "    date: 2024-05\n", "    date: 2024-05-03\n")
    commit(site_project.root, "Date the round", "2024-06-11T09:00:00+00:00")
    result = site_project.run("build", "--source-only", "--strict")
    assert result.returncode == 0, result.stderr


def test_a_retraction_without_a_reason_is_a_warning(site_project):
    _published(site_project)
    site_project.edit("facts.yaml", OPEN_SOURCE, "")
    commit(site_project.root, "Retract", "2024-06-20T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    # at the file that holds its topic's other facts, where the reason can go
    message = "facts/facts.yaml:1:1: warning: fact 'open-source-promise' was retracted on 2024-06-20 without a reason"
    assert message in result.stderr
    assert "retractions: [{fact: open-source-promise, date: 2024-06-20, reason: why}]" in result.stderr
    site_project.write("retractions.yaml", RETRACTION)
    result = site_project.run("build", "--source-only")
    assert result.returncode == 0, result.stderr
    assert "without a reason" not in result.stderr


def test_a_retraction_of_a_fact_still_there_is_an_error(project):
    project.write("retractions.yaml", RETRACTION)
    result = project.run("check")
    assert result.returncode == 1
    (line,) = _problems(result.stderr)
    assert line.startswith(
        "facts/retractions.yaml:2:11: error: retraction of 'open-source-promise': that fact is still in the registry"
    )


def test_the_registry_is_not_touched_by_the_rule(site_project):
    _published(site_project)
    _reworded(site_project)
    before = {p: p.read_bytes() for p in site_project.facts.rglob("*")}
    site_project.run("build", "--source-only")
    assert {p: p.read_bytes() for p in site_project.facts.rglob("*")} == before


def test_the_word_diff_keeps_both_texts_and_stays_cheap_on_repetitive_text(monkeypatch):
    """Any rewording: the shared and taken-out words are the old text, the shared and put-in words the new.
    The word matcher is never given more than DIFF_CELLS pairs of words: its time grows with the cube
    of a repetitive text's length (32 s for 1,000 words of "the")."""
    import random

    from briefing.render import changes

    sizes = []

    class Counting(changes.SequenceMatcher):
        def __init__(self, junk, a, b, autojunk):
            sizes.append(len(a) * len(b))
            super().__init__(junk, a, b, autojunk=autojunk)

    monkeypatch.setattr(changes, "SequenceMatcher", Counting)
    rng = random.Random(23)
    pairs = [("the " * 1000, "the a " * 500), ("a b " * 300 + "x", "a b " * 300 + "y")]
    for _ in range(300):
        words = ["Acme", "raised", "2", "billion", "yuan", "the", "a", "<b>", "&", "*x*"]
        pairs.append(tuple(" ".join(rng.choices(words, k=rng.randint(0, 40))) for _ in range(2)))
    for old, new in pairs:
        pieces = word_diff(old, new)
        assert " ".join(w for kind, w in pieces if kind != "ins" and w).split() == old.split()
        assert " ".join(w for kind, w in pieces if kind != "del" and w).split() == new.split()
    assert sizes and max(sizes) <= changes.DIFF_CELLS


def test_a_correction_dated_after_today_is_an_error(project):
    """A date far ahead would satisfy the rule for every later change: it is refused."""
    project.edit("facts.yaml", QUOTE_LINE, QUOTE_LINE + CORRECTION.replace("2024-06-10", "2099-06-10"))
    project.write("retractions.yaml", RETRACTION.replace("open-source-promise", "gone-fact").replace("2024", "2099"))
    result = project.run("check")
    assert result.returncode == 1
    lines = _problems(result.stderr)
    assert lines == [
        "facts/facts.yaml:34:15: error: dated 2099-06-10, after today: a correction or a retraction says when it was made"
        " [dated-after-today]",
        "facts/retractions.yaml:3:11: error: dated 2099-06-20, after today: a correction or a retraction says when it"
        " was made [dated-after-today]",
    ]


def test_a_retraction_of_a_fact_never_published_is_a_warning(site_project):
    """A typo in the id would leave the real retraction without its reason."""
    _published(site_project)
    site_project.edit("facts.yaml", OPEN_SOURCE, "")
    site_project.write("retractions.yaml", RETRACTION.replace("open-source-promise", "open-source-promis"))
    commit(site_project.root, "Retract", "2024-06-20T09:00:00+00:00")
    result = site_project.run("build", "--source-only")
    assert (
        "facts/retractions.yaml:2:11: warning: retraction of 'open-source-promis': no revision in the history"
        " published and removed that fact" in result.stderr
    )
    assert "fact 'open-source-promise' was retracted on 2024-06-20 without a reason" in result.stderr
