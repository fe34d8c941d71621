"""Coverage: each archived sentence is used, omitted with a reason, or not reviewed; provenance dates.

The sentence splitter is tested on the cases news copy gives it; the coverage check on a
third fixture source with sentences no fact quotes; the source page on what it shows and,
above all, what it must not (a sentence of the publisher's that the briefing does not use).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import Project
from fixture_registry import HEADER
from helpers import problems
from hypothesis import given
from hypothesis import strategies as st

from briefing.check.coverage import split_sentences


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


# --- the splitter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Another one.", ["One sentence.", "Another one."]),
        # abbreviations and initials end no sentence
        (
            "It faces U.S. sanctions. Meta Platforms Inc. and Baidu Inc. Were named. Mr. Li spoke.",
            ["It faces U.S. sanctions.", "Meta Platforms Inc. and Baidu Inc. Were named.", "Mr. Li spoke."],
        ),
        (
            "Alibaba Group Holding Ltd. and Tencent Holdings Ltd. joined.",
            ["Alibaba Group Holding Ltd. and Tencent Holdings Ltd. joined."],
        ),
        # decimals and figures
        ("It raised $1.4 billion. It grew 3.5 percent.", ["It raised $1.4 billion.", "It grew 3.5 percent."]),
        ("Founded in 2019. 2020 was quiet.", ["Founded in 2019.", "2020 was quiet."]),
        # quotes: the closing mark stays with its sentence; sentences run together are split
        (
            "Zhang said: “We will open-source it.”Harbour Capital agreed. “Good,” he said.",
            ["Zhang said: “We will open-source it.”", "Harbour Capital agreed.", "“Good,” he said."],
        ),
        (
            "It moves toward a listing.The investment was led by Pudong.",
            ["It moves toward a listing.", "The investment was led by Pudong."],
        ),
        ("Built on ASP.NET and 01.ai models. Done.", ["Built on ASP.NET and 01.ai models.", "Done."]),
        ("Is it? Yes! Fine…Then more.", ["Is it?", "Yes!", "Fine…", "Then more."]),
        # footnote numbers printed against a word or after the full stop belong to their sentence
        ("It targets leadership by 20301.\nThis follows.", ["It targets leadership by 20301.", "This follows."]),
        ("National rivalries2. The U.S. acted.", ["National rivalries2.", "The U.S. acted."]),
        ("Says “secure it”.3 Then it acts.", ["Says “secure it”.3", "Then it acts."]),
        # lines are sentences; pieces with no letter or digit are not
        (
            "Introduction to Zhipu AI\nText follows here.\n……\n0  0\n",
            ["Introduction to Zhipu AI", "Text follows here.", "0  0"],
        ),
        ("A lowercase word after a stop. and goes on.", ["A lowercase word after a stop. and goes on."]),
        ("", []),
    ],
)
def test_sentences_split_as_news_copy_is_written(text, expected):
    assert sentences(text) == expected


@given(st.lists(st.sampled_from([*"ab AB.1!?”“\n…'", "U.S.", "Inc.", " 1.4 "]), max_size=40).map("".join))
def test_every_letter_and_digit_is_in_exactly_one_sentence(text):
    spans = split_sentences(text)
    assert spans == sorted(spans) and all(start < end for start, end in spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    covered = {i for start, end in spans for i in range(start, end)}
    assert all(i in covered for i, c in enumerate(text) if c.isalnum())
    assert split_sentences(text) == spans  # deterministic


# --- the check -------------------------------------------------------------------------------

NOTES = (
    "Acme Robotics opened a plant in Portville in 2024. "
    "Analysts believe the U.S. market will follow, said Dr. Brown of Example Inc. and others. "
    "Acme sells 1.4 million arms a year.\n"
    "Acme is the best robot maker on earth!\n"
    "Acme is the best robot maker on earth!\n"
    "The secret sentence about xyzzy plover is never quoted by anyone.\n"
)
NOTES_SOURCE = f"""  - id: notes
    title: Notes on Acme
    publisher: Notes Daily
    published: 2024-06
    url: https://notes.example/acme
    kind: news-report
    archive:
      file: notes.txt
      sha256: {hashlib.sha256(NOTES.encode()).hexdigest()}
    reliability: A test source.
    summary: A plant and some opinions.
    retrieved: 2024-07-02
"""
NOTES_FACT = """facts:
  - id: portville-plant
    statement: Acme opened a plant in Portville.
    topic: company
    date: 2024
    entities: [acme, portville]
    citations:
      - source: notes
        quote: Acme Robotics opened a plant in Portville
"""
COVERAGE = """coverage:
  - source: notes
    omitted:
      - excerpt: Analysts believe the U.S. market will follow
        reason: unnamed-source
        note: Unnamed analysts.
      - excerpt: the best robot maker on earth
        reason: promotional
        note: Nothing to check.
"""


def with_notes(project: Project, coverage: str = COVERAGE) -> Project:
    (project.archive / "notes.txt").write_text(NOTES, encoding="utf-8")
    project.edit("sources.yaml", "sources:\n", "sources:\n" + NOTES_SOURCE)
    project.write("notes.yaml", HEADER + NOTES_FACT)
    if coverage:
        project.write("coverage.yaml", HEADER + coverage)
    return project


def statuses(project: Project) -> list[str]:
    from briefing.pipeline import Options, check, load

    options = Options(root=project.root, sources=project.archive, strict=True, site_dir=Path("site"))
    return [s.status for s in check(load(options).registry, options).quotes.sentences["notes"]]


def test_each_sentence_is_used_omitted_or_not_reviewed(project):
    with_notes(project)
    assert problems(project, strict=True) == []
    # the promotional line is printed twice: one excerpt names both prints of the one sentence
    assert statuses(project) == ["used", "omitted", "not-reviewed", "omitted", "omitted", "not-reviewed"]


def test_not_reviewed_is_never_an_error(project):
    with_notes(project, coverage="")
    assert problems(project, strict=True) == []
    assert statuses(project).count("not-reviewed") == 5


@pytest.mark.parametrize(
    ("excerpt", "message"),
    [
        ("Analysts believe the US market", "excerpt not found in source 'notes' (notes.txt)"),
        ("nalysts believe the U.S.", "excerpt starts or ends inside a word or a number in source 'notes' (notes.txt)"),
        ("in 2024. Analysts believe", "excerpt runs across two sentences of source 'notes' (notes.txt)"),
        ("Acme", "excerpt stands in 3 different sentences of source 'notes' (notes.txt)"),
        (" ".join(["word"] * 41), "excerpt is 41 words long; the limit is 40"),
    ],
)
def test_an_excerpt_must_name_one_sentence_of_the_text(project, excerpt, message):
    with_notes(project, coverage=COVERAGE.replace("Analysts believe the U.S. market will follow", excerpt))
    found = problems(project)
    assert any(line.startswith("facts/coverage.yaml:5:") and f"error: {message}" in line for line in found), found


def test_a_quoted_sentence_listed_as_omitted_warns_and_fails_strict(project):
    with_notes(
        project, coverage=COVERAGE.replace("Analysts believe the U.S. market will follow", "in Portville in 2024")
    )
    message = "this sentence of source 'notes' is quoted by fact 'portville-plant' and also listed as omitted"
    assert problems(project) == [f"facts/coverage.yaml:5:18: warning: {message}"]
    assert problems(project, strict=True) == [f"facts/coverage.yaml:5:18: error: {message}"]
    assert statuses(project)[0] == "used"  # the quote wins


def test_a_sentence_is_listed_once(project):
    twice = (
        COVERAGE
        + """      - excerpt: the U.S. market will follow, said Dr. Brown
        reason: opinion
        note: Again.
"""
    )
    with_notes(project, coverage=twice)
    assert problems(project) == [
        "facts/coverage.yaml:11:18: error: this sentence of source 'notes' is already listed as omitted (line 5)"
    ]


def test_references_are_checked(project):
    bad = """coverage:
  - source: note
    omitted:
      - excerpt: Analysts believe the U.S. market will follow
        reason: restates
        fact: portville-plants
        note: Unknown fact.
      - excerpt: the best robot maker on earth
        reason: duplicate
        duplicate_of: wires
        note: Unknown source.
"""
    with_notes(project, coverage=bad)
    found = problems(project)
    assert found[:3] == [
        "facts/coverage.yaml:3:13: error: unknown source 'note'",
        "facts/coverage.yaml:7:15: error: unknown fact 'portville-plants'",
        "facts/coverage.yaml:11:23: error: unknown source 'wires'",
    ]


@pytest.mark.parametrize(
    ("omission", "message"),
    [
        ("reason: duplicate", "coverage.yaml:5:9: error: coverage entry #1: missing required field 'duplicate_of'"),
        ("reason: restates", "coverage.yaml:5:9: error: coverage entry #1: missing required field 'fact'"),
        ("reason: boring", "coverage.yaml:6:17: error: coverage entry #1: field 'reason' is 'boring'; use one of:"),
        (
            "reason: opinion\n        note: |\n          two\n          lines",
            "coverage.yaml:7:15: error: coverage entry #1: field 'note'",
        ),
    ],
)
def test_reasons_come_from_the_vocabulary_with_what_they_need(project, omission, message):
    with_notes(project, coverage=COVERAGE.replace("reason: unnamed-source\n        note: Unnamed analysts.", omission))
    assert any(message in p for p in problems(project)), problems(project)


def test_stats_prints_each_sources_coverage(project):
    with_notes(project)
    result = project.run("stats")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[-4:] if line.startswith("  ")}
    # sentences, claim-bearing, used, omitted, not reviewed
    assert rows["notes"] == ["6", "4", "1", "3", "2"]
    assert rows["planet"] == ["3", "3", "3", "0", "0"]
    assert "coverage of each source's archived text (sentences):" in result.stdout
    missing = project.run("stats", "--sources", str(project.root / "nowhere"))
    assert "  notes                            archive not read" in missing.stdout


# --- the source page and the downloads ---------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    from conftest import make_project

    project = with_notes(make_project(tmp_path_factory.mktemp("coverage"), with_site_config=True))
    result = project.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    return project


def test_the_source_page_lists_each_sentence_by_its_status(built):
    page = (built.root / "build" / "docs" / "sources" / "notes" / "index.md").read_text(encoding="utf-8")
    assert "## What this briefing uses of this source { data-search-exclude }" in page
    assert (
        "<summary>6 sentences in the archived copy: 1 used, 3 left out with a reason, 2 not reviewed</summary>" in page
    )
    items = re.findall(r"<li class=\"([a-z-]+)\">(.*?)</li>", page)
    assert [status for status, _ in items] == ["used", "omitted", "not-reviewed", "omitted", "omitted", "not-reviewed"]
    assert items[0][1] == (
        '<span class="sentence-number">Sentence 1:</span> <strong>used</strong>, quoted for '
        '<a href="../../sources/notes/#portville-plant">portville-plant</a>'
    )
    assert items[1][1] == (
        '<span class="sentence-number">Sentence 2:</span> <strong>left out</strong> (credited only to unnamed '
        "sources), <q>Analysts believe the U.S. market will follow</q> &mdash; Unnamed analysts."
    )
    assert items[5][1] == '<span class="sentence-number">Sentence 6:</span> <strong>not reviewed</strong>'
    assert "Retrieved</dt> <dd>2 July 2024 (when the archived copy was taken)" in page


def test_no_unused_sentence_is_published(built):
    """The publisher's words the briefing does not use appear in no built file: page, search, data."""
    for folder in ("build", "site"):
        for path in (built.root / folder).rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".json", ".csv", ".bib", ".xml", ".txt"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert "xyzzy" not in text, path
                assert "said Dr. Brown" not in text, path  # an omitted sentence beyond its excerpt
                assert "1.4 million arms" not in text, path  # a sentence not reviewed


def test_downloads_carry_retrieved_role_and_coverage(built):
    data = built.root / "site" / "data"
    csl = {item["id"]: item for item in json.loads((data / "sources.csl.json").read_text(encoding="utf-8"))}
    assert csl["notes"]["accessed"] == {"date-parts": [[2024, 7, 2]]}
    assert "accessed" not in csl["planet"]  # no date recorded, none made up
    bib = (data / "sources.bib").read_text(encoding="utf-8")
    assert "@online{notes,\n" in bib and "  urldate = {2024-07-02},\n" in bib
    assert bib.count("urldate") == 1
    facts = json.loads((data / "facts.json").read_text(encoding="utf-8"))
    notes = next(s for s in facts["sources"] if s["id"] == "notes")
    assert notes["retrieved"] == "2024-07-02"
    assert notes["coverage"]["sentences"] == 6 and notes["coverage"]["not_reviewed"] == 2
    assert [o["excerpt"] for o in notes["coverage"]["omitted"]] == [
        "Analysts believe the U.S. market will follow",
        "the best robot maker on earth",
        "the best robot maker on earth",
    ]
    rows = list(csv.DictReader(io.StringIO((data / "citations.csv").read_text(encoding="utf-8-sig"))))
    assert {row["role"] for row in rows} == {"support"}
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    citations = next(r for r in package["resources"] if r["name"] == "citations")
    assert "role" in [f["name"] for f in citations["schema"]["fields"]]


def test_a_context_citation_is_marked_in_the_citations_csv(site_project):
    site_project.edit(
        "facts.yaml",
        "        quote: Harbour Capital is controlled by the city of Portville.\n",
        "        quote: Harbour Capital is controlled by the city of Portville.\n"
        "      - source: wire\n        quote: from investors led by Harbour Capital\n        role: context\n",
    )
    result = site_project.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    text = (site_project.root / "site" / "data" / "citations.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["record"], r["source"], r["role"]) for r in rows if r["role"] == "context"] == [
        ("harbour-control", "wire", "context")
    ]


# --- retrieved: recorded by new source and archive ------------------------------------------


def test_new_source_records_retrieved_and_refuses_a_bad_date(project):
    (project.archive / "notes.txt").write_text(NOTES, encoding="utf-8")
    flags = ["--title", "Notes", "--publisher", "Notes Daily", "--published", "2024-06", "--kind", "news-report"]
    flags += ["--archive-file", "notes.txt", "--reliability", "A test.", "--summary", "Notes."]
    before = (project.facts / "sources.yaml").read_bytes()
    bad = project.run("new", "source", *flags, "--retrieved", "2024-02-30")
    assert bad.returncode == 1
    assert "field 'retrieved' '2024-02-30' is not a real date" in bad.stderr
    assert (project.facts / "sources.yaml").read_bytes() == before
    good = project.run("new", "source", *flags, "--retrieved", "2024-07-02")
    assert good.returncode == 0, good.stderr
    added = yaml.safe_load((project.facts / "sources.yaml").read_text(encoding="utf-8"))["sources"][-1]
    assert str(added["retrieved"]) == "2024-07-02"


FIXTURES = Path(__file__).parent / "fixtures" / "archive"
ARCHIVE_FLAGS = [
    "--kind",
    "news-report",
    "--reliability",
    "A test.",
    "--summary",
    "What it says.",
    "--publisher",
    "Gazette",
]


def test_archive_records_today_unless_told(project):
    before = datetime.date.today().isoformat()
    result = project.run("archive", str(FIXTURES / "news-article.html"), *ARCHIVE_FLAGS)
    after = datetime.date.today().isoformat()
    assert result.returncode == 0, result.stderr
    added = yaml.safe_load((project.facts / "sources.yaml").read_text(encoding="utf-8"))["sources"][-1]
    assert str(added["retrieved"]) in (before, after)


def test_archive_takes_retrieved_from_the_flag(project):
    result = project.run("archive", str(FIXTURES / "news-article.html"), *ARCHIVE_FLAGS, "--retrieved", "2024-05-04")
    assert result.returncode == 0, result.stderr
    added = yaml.safe_load((project.facts / "sources.yaml").read_text(encoding="utf-8"))["sources"][-1]
    assert str(added["retrieved"]) == "2024-05-04"
    refused = project.run(
        "archive", str(FIXTURES / "blog-post.html"), *ARCHIVE_FLAGS, "--retrieved", "yesterday", "--id", "second"
    )
    assert refused.returncode == 1
    assert "field 'retrieved' 'yesterday' is not a date" in refused.stderr
    assert not [p for p in project.archive.iterdir() if p.name.startswith("blog")]  # the copy was taken back
