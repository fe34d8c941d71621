"""Hostile text in every field is shown literally; the built HTML gains no script, frame, style,
event handler or javascript: link from content, and the search index stays escaped."""

from __future__ import annotations

import copy
import csv
import hashlib
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import REPO, Project
from helpers import Scan, commit, git
from test_cite import latex_text

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[x](javascript:alert(3))",
    "text {: onclick=alert(4) }",
    '--8<-- "mkdocs.yml"',
    "{{ 7*7 }} and {% if true %}yes{% endif %}",
    "a | b | c",
    "line\n# h",
    "[^1]: x",
    "---",
    "<iframe src=//evil.example></iframe><style>body{display:none}</style>",
    "<a href='javascript:alert(5)'>click</a>",
    # What an attacker tries against attributes and markers:
    'say "hi" and \'bye\' " onmouseover="alert(6)',
    "[x](y) and [a](autofocus/onfocus=alert(7)//)",
    "/onx=alert(8)// and /onfocus=alert(9)",
    "&#106;avascript:alert(10) &#x3C;script&#x3E; &lt;b&gt; &amp;",
    "JaVaScRiPt:alert(11) and java\tscript:alert(12)",
    "//evil.example/x and data:text/html,<script>alert(13)</script>",
    "briefingraw000000",  # the raw-HTML placeholder the build once used, as a paragraph of its own
    "<!--raw-->\n<b onclick=alert(14)>raw</b>\n<!--/raw-->",
    '=HYPERLINK("https://evil.example","click")',  # a spreadsheet formula, for the CSV downloads
    "@SUM(A1) and +cmd",
]
MARKER = PAYLOADS.index("briefingraw000000")
# The baseline: the same registry with harmless words in place of each payload.
HARMLESS = [f"plain words {i}" for i in range(len(PAYLOADS))]
# A source address passes the schema (http(s), a host) and still carries what ended the
# attribute once: a Markdown link, quote marks, an event handler, character references.
HOSTILE_URL = (
    "https://feedman.me/[a](autofocus/onfocus=document.body.dataset.pwned=document.domain//)"
    "'onmouseover='alert(1)'/&#34;onx=1&quot;//evil.example/}note={x}@misc{y,"
)
HARMLESS_URL = "https://example.org/a?b=c&d=e"


def archive_text(texts: list[str]) -> str:
    """The archived source prints every text twice: once quoted by a fact, once left out (coverage).

    Each quoted line also names its speaker and the wire it credits (the via two texts on), as a
    source must for the site to show "Evil Corp, as reported by ... (from Wire ...)".
    """
    said = [SAID + t.replace("\n", " ") + f" . {SPEAKER} says, via {via(texts, i)} ." for i, t in enumerate(texts)]
    return "\n".join(said + [LEFT + t.replace("\n", " ") + " ." for t in texts]) + "\n"


SAID = "The source said: "  # a quote is at least three words, so each starts with these
SPEAKER = "Evil Corp"  # an alias of the hostile entity, named beside every quote


def via(texts: list[str], i: int) -> str:
    """The wire the quote of text i credits: hostile words the source names beside it."""
    return "Wire " + texts[(i + 2) % len(texts)].replace("\n", " ")


LEFT = "The source also said: "  # the sentences the coverage section lists as omitted
REASONS = ["out-of-scope", "opinion", "promotional", "unnamed-source"]


def quoted(text: str) -> str:
    return SAID + text.replace("\n", " ")


def registry(texts: list[str], url: str) -> dict[str, dict]:
    """A registry with one of `texts` in every text field (and in the archive it quotes)."""

    def payload(i: int) -> str:
        return texts[i % len(texts)]

    def one_line(i: int) -> str:
        return payload(i).replace("\n", " ")

    sha = hashlib.sha256(archive_text(texts).encode("utf-8")).hexdigest()
    facts = [
        {
            "id": f"fact-{i}",
            "statement": f"Fact {i}: {payload(i)}",
            "topic": "hostile-topic",
            "date": f"2024-{i % 12 + 1:02d}",
            "entities": ["evil-corp"],
            "value": {"amount": 1000000 * (i + 1), "unit": "USD"},
            "tags": ["funding-round"],
            "note": f"Note {i}: {payload(i + 3)}",
            "outside_knowledge": f"Ours {i}: {payload(i + 5)}",
            # The figures the statement and value add to the quotes: ours, with hostile working.
            "derived": [
                {"figure": str(i), "working": f"Working {one_line(i + 4)}"},
                {"figure": f"${i + 1} million", "working": f"Sum {one_line(i + 6)}"},
            ],
            "citations": [
                {
                    "source": "hostile-source",
                    "quote": quoted(payload(i)),
                    "locator": one_line(i + 1),
                    "speaker": "evil-corp",
                    "via": via(texts, i),
                }
            ],
            # Why it was reworded since the revision before (see `earlier`): the editors' words, hostile too.
            "corrections": [
                {"date": "2024-06-02", "change": f"Change {one_line(i + 2)}", "reason": f"Why {one_line(i + 7)}"}
            ],
        }
        for i in range(len(texts))
    ]
    return {
        "briefing.yaml": {
            "briefing": {
                "title": f"Title {one_line(0)}",
                "subject": "evil-corp",
                "summary": "Summary " + " ".join(texts),
                "as_of": "2024",
                "key_points": ["fact-0", "fact-1", "fact-7"],
                "key_numbers": [{"fact": "fact-2", "label": f"Label {one_line(2)}"}],
            }
        },
        "registry.yaml": {
            "topics": [{"id": "hostile-topic", "title": f"Topic {one_line(3)}", "description": texts[MARKER]}],
            "sources": [
                {
                    "id": "hostile-source",
                    "title": f"Source {one_line(5)}",
                    "publisher": f"Publisher {one_line(6)}",
                    "author": one_line(7),
                    "based_on": [{"name": f"Origin {one_line(8)}", "relation": "repost"}],
                    "published": "2024-05-03",
                    "url": url,
                    "kind": "news-report",
                    "archive": {"file": "hostile.txt", "sha256": sha},
                    "reliability": texts[MARKER],
                    "summary": payload(10),
                    "retrieved": "2024-05-04",
                }
            ],
            "coverage": [
                {
                    "source": "hostile-source",
                    "omitted": [
                        {
                            "excerpt": LEFT + one_line(i),
                            "reason": REASONS[i % len(REASONS)],
                            "note": f"Left {one_line(i + 1)}",
                        }
                        for i in range(len(texts))
                    ],
                }
            ],
            "entities": [
                {
                    "id": "evil-corp",
                    "name": f"Evil {one_line(0)}",
                    "kind": "organisation",
                    "aliases": [one_line(i) for i in range(3)] + [SPEAKER],
                    "description": one_line(11),
                }
            ],
            "facts": facts,
            "retractions": [{"fact": "fact-gone", "date": "2024-06-02", "reason": f"Gone because {one_line(9)}"}],
            "disagreements": [
                {
                    "id": "hostile-disagreement",
                    "subject": f"Subject {one_line(1)}",
                    "facts": ["fact-0"],
                    "verdict": "erroneous",
                    "variants": [
                        {
                            "claim": f'{payload(2)} ("{SAID.strip(": ")}": its wrong words)',
                            "rank": "erroneous",
                            "reason": payload(5),
                            "outside_knowledge": payload(7),
                            "citations": [{"source": "hostile-source", "quote": quoted(payload(2))}],
                        },
                        {"claim": payload(6), "citations": [{"source": "hostile-source", "quote": quoted(payload(6))}]},
                    ],
                    "note": payload(8),
                }
            ],
        },
    }


def earlier(texts: list[str], url: str) -> dict[str, dict]:
    """The registry a revision before: every statement and disagreement worded otherwise, and
    one more fact, since retracted. So the Changes page, the feed and a retraction notice carry
    the texts too (old wording and new)."""
    files = registry(texts, url)
    facts = files["registry.yaml"]["facts"]
    del files["registry.yaml"]["retractions"]  # the fact it names is still here
    for fact in facts:
        del fact["corrections"]  # nothing changed yet
    gone = {**copy.deepcopy(facts[1]), "id": "fact-gone", "statement": f"Gone: {facts[1]['statement']}"}
    for i, fact in enumerate(facts):
        fact["statement"] = f"Earlier {i}: {texts[(i + 1) % len(texts)]}"
        fact["citations"][0]["quote"] = quoted(texts[(i + 1) % len(texts)])  # its figures stand in it
        fact["citations"][0]["via"] = via(texts, i + 1)  # the wire named beside that quote
    facts.append(gone)
    files["registry.yaml"]["disagreements"][0]["subject"] = f"Earlier subject {texts[3]}"
    return files


def build(root: Path, texts: list[str], url: str) -> Project:
    archive = root / "archive"
    archive.mkdir(parents=True)
    (archive / "hostile.txt").write_text(archive_text(texts), encoding="utf-8")
    project = Project(root / "project", archive)
    project.facts.mkdir(parents=True)
    git(project.root, "init", "-q", "-b", "main")
    for n, files in enumerate((earlier(texts, url), registry(texts, url))):
        for name, data in files.items():
            project.write(name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        commit(project.root, f"Revision {n}", f"2024-06-{n + 1:02d}T09:00:00+00:00")
    shutil.copy(REPO / "mkdocs.yml", project.root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", project.root / "docs", ignore=shutil.ignore_patterns(".*"))
    for shared in ("scripts", "templates"):
        (project.root / shared).symlink_to(REPO / shared)
    result = project.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    hostile = build(tmp_path_factory.mktemp("hostile"), PAYLOADS, HOSTILE_URL)
    baseline = build(tmp_path_factory.mktemp("benign"), HARMLESS, HARMLESS_URL)
    return hostile.root / "site", baseline.root / "site"


def test_no_markup_from_content_reaches_the_html(sites):
    hostile, baseline = sites
    pages = sorted(p.relative_to(hostile) for p in hostile.rglob("*.html"))
    assert pages == sorted(p.relative_to(baseline) for p in baseline.rglob("*.html"))
    for rel in pages:
        page = Scan((hostile / rel).read_text(encoding="utf-8"))
        base = Scan((baseline / rel).read_text(encoding="utf-8"))
        # The same elements, with the same attributes, with hostile text as with harmless text
        # (but for the word diff's marks, which follow the words that differ).
        marks = {"del", "ins", "span class"} if rel.as_posix() == "changes/index.html" else set()
        assert sorted(page.tags) == sorted(base.tags), rel
        assert sorted(e for e in page.elements if e not in marks) == sorted(
            e for e in base.elements if e not in marks
        ), rel
        assert page.handlers == [], rel
        assert page.js_links == [], rel


def visible(page: str) -> str:
    body = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_payloads_are_shown_literally(sites):
    hostile, _ = sites
    topic = visible((hostile / "topics" / "hostile-topic" / "index.html").read_text(encoding="utf-8"))
    for i, p in enumerate(PAYLOADS):
        assert " ".join(f"Fact {i}: {p}".split()) in topic, p
    # The fields a reader sees beside a statement: our own knowledge, derived figures, the origin named.
    for i in range(len(PAYLOADS)):
        for shown in (f"Ours {i}: {PAYLOADS[(i + 5) % len(PAYLOADS)]}", f"Working {PAYLOADS[(i + 4) % len(PAYLOADS)]}"):
            assert " ".join(shown.split()) in topic, shown
        assert " ".join(f"from Wire {PAYLOADS[(i + 2) % len(PAYLOADS)]};".split()) in topic
    # A forged raw-HTML marker as a paragraph of its own stays text, and pulls no fact block up.
    assert topic.startswith("Topic text {: onclick=alert(4) } ¶ briefingraw000000 Funding rounds ¶ Funding rounds over")
    source = visible((hostile / "sources" / "hostile-source" / "index.html").read_text(encoding="utf-8"))
    assert "How far to trust it ¶ briefingraw000000 About this copy ¶" in source
    home = visible((hostile / "index.html").read_text(encoding="utf-8"))
    assert "Summary " + " ".join(" ".join(PAYLOADS).split()) in home
    assert "49" not in topic  # {{ 7*7 }} was not evaluated
    assert "site_name" not in topic  # the snippet was not included


def test_what_changed_shows_old_new_and_retracted_wording_literally(sites):
    hostile, _ = sites
    page = (hostile / "changes" / "index.html").read_text(encoding="utf-8")
    changes = visible(page)
    # the word diff without the words put in (and the hidden labels): the old wording
    unlabelled = re.sub(r'<span class="md-visually-hidden">[^<]*</span>', "", page)
    old = visible(re.sub(r"<ins>.*?</ins>", "", unlabelled, flags=re.S))
    for i, p in enumerate(PAYLOADS):
        assert " ".join(f"Fact {i}: {p}".split()) in changes, p  # the new wording
        assert " ".join(f"Earlier {i}: {PAYLOADS[(i + 1) % len(PAYLOADS)]}".split()) in old, p  # the old
        assert " ".join(f"Why {PAYLOADS[(i + 7) % len(PAYLOADS)]}".split()) in changes, p  # the editors' reason
    assert " ".join(f"Gone because {PAYLOADS[9]}".split()) in changes
    assert " ".join(f"Subject {PAYLOADS[1]}".split()) in changes
    topic = visible((hostile / "topics" / "hostile-topic" / "index.html").read_text(encoding="utf-8"))
    assert " ".join(f"Gone: Fact 1: {PAYLOADS[1]}".split()) in topic  # the retraction notice at its anchor


def test_the_feed_is_atom_and_carries_the_text_as_text(sites):
    hostile, _ = sites
    feed = feedparser.parse((hostile / "changes.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert {entry.summary_detail.type for entry in feed.entries} == {"text/plain"}
    assert all(len(entry.summary) < 300 for entry in feed.entries)
    raw = ET.fromstring((hostile / "changes.xml").read_bytes())  # the HTML content as the feed carries it
    content = " ".join(e.text for e in raw.iter("{http://www.w3.org/2005/Atom}content"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
    for i, p in enumerate(PAYLOADS):
        assert " ".join(f"Fact {i}: {p}".split()) in text, p
    assert " ".join(f"Gone: Fact 1: {PAYLOADS[1]}".split()) in text
    assert " ".join(f"Gone because {PAYLOADS[9]}".split()) in text


def test_titles_and_navigation_are_escaped(sites):
    hostile, _ = sites
    page = (hostile / "entities" / "evil-corp" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title
    assert html.unescape(title) == "Evil <script>alert(1)</script> - Zhipu AI briefing"
    nav = page.split('<nav class="md-nav md-nav--primary"', 1)[1].split('<div class="md-content"', 1)[0]
    assert "<script" not in nav
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt;" in nav


def test_search_index_text_stays_escaped(sites):
    hostile, _ = sites
    index = json.loads((hostile / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            scan = Scan(doc[field])  # Material shows these snippets as HTML
            assert (scan.tags, scan.handlers, scan.js_links) == ([], [], []), doc["location"]


def test_downloads_keep_the_text_and_start_no_formula(sites):
    hostile, _ = sites
    data = json.loads((hostile / "data" / "facts.json").read_text(encoding="utf-8"))
    assert [f["statement"] for f in data["facts"]] == [f"Fact {i}: {p}" for i, p in enumerate(PAYLOADS)]
    # Quotes are shown as the archive prints them, white space collapsed.
    assert [f["citations"][0]["quote"] for f in data["facts"]] == [" ".join(quoted(p).split()) for p in PAYLOADS]
    assert data["sources"][0]["url"] == HOSTILE_URL
    for name in ("facts.csv", "citations.csv"):
        rows = list(csv.reader(io.StringIO((hostile / "data" / name).read_text(encoding="utf-8"))))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], name
    rows = list(csv.reader(io.StringIO((hostile / "data" / "citations.csv").read_text("utf-8"))))
    locators = [row[rows[0].index("locator")] for row in rows]
    assert '\'=HYPERLINK("https://evil.example","click")' in locators  # shown as text, not run


def test_reference_files_keep_each_source_one_entry_with_its_fields(sites):
    hostile, _ = sites
    bib = (hostile / "data" / "sources.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@.*$", bib, re.M) == ["@online{hostile-source,"]
    fields = re.findall(r"^  (\w+) = \{(.*)\},?$", bib, re.M)
    assert [name for name, _ in fields] == ["title", "author", "organization", "date", "year", "url", "urldate", "note"]
    assert dict(fields)["urldate"] == "2024-05-04"
    for name, value in fields:  # braces only as escapes or balanced: no field ends early
        bare = re.sub(r"\\[{}]", "", value)
        depth = 0
        for c in bare:
            depth += {"{": 1, "}": -1}.get(c, 0)
            assert depth >= 0, (name, value)
        assert depth == 0, (name, value)
    assert latex_text(dict(fields)["title"]) == " ".join(f"Source {PAYLOADS[5]}".split())  # as LaTeX prints it
    assert dict(fields)["url"] == HOSTILE_URL.replace("{", "%7B").replace("}", "%7D")
    csl = json.loads((hostile / "data" / "sources.csl.json").read_text(encoding="utf-8"))
    assert csl[0]["title"] == f"Source {PAYLOADS[5]}".replace("\n", " ") and csl[0]["URL"] == HOSTILE_URL
    assert csl[0]["accessed"] == {"date-parts": [[2024, 5, 4]]}


def test_coverage_shows_excerpts_and_notes_literally(sites):
    """What the registry says of an omitted sentence reaches the page and facts.json as text; the
    sentence itself, beyond its excerpt, reaches neither."""
    hostile, _ = sites
    page = (hostile / "sources" / "hostile-source" / "index.html").read_text(encoding="utf-8")
    shown = visible(page)
    for i, p in enumerate(PAYLOADS):
        left = " ".join(f"{LEFT}{p}".split())
        note = " ".join(f"Left {PAYLOADS[(i + 1) % len(PAYLOADS)]}".split())
        assert f"{left} — {note}" in shown, p
        assert f"{left} ." not in shown  # the excerpt, not the sentence
    data = json.loads((hostile / "data" / "facts.json").read_text(encoding="utf-8"))
    coverage = data["sources"][0]["coverage"]
    # Every quoted sentence is used; the credit line beside it ("Evil Corp says, via Wire ...") is a
    # sentence of its own that makes no claim, so it is not reviewed.
    assert coverage["used"] == len(PAYLOADS) and coverage["not_reviewed"] == len(PAYLOADS)
    assert [o["excerpt"] for o in coverage["omitted"]] == [" ".join(f"{LEFT}{p}".split()) for p in PAYLOADS]
    assert [o["note"] for o in coverage["omitted"]] == [
        f"Left {PAYLOADS[(i + 1) % len(PAYLOADS)]}".replace("\n", " ") for i in range(len(PAYLOADS))
    ]
    assert data["sources"][0]["retrieved"] == "2024-05-04"


def test_no_template_puts_a_value_in_an_attribute_that_markdown_parses():
    """Values inside HTML attributes are written only in raw regions, which Markdown never parses."""
    attribute = re.compile(r"""=["'][^"']*\{\{""")
    offenders = []
    for path in sorted((REPO / "templates").glob("*.md.j2")):
        outside = re.sub(r"^<!--raw-->\n.*?\n<!--/raw-->$", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
        offenders += [f"{path.name}: {line.strip()}" for line in outside.splitlines() if attribute.search(line)]
    assert offenders == []


# Fields that take a constrained value (an id, a date, an address, a file name, a hash, a
# unit, a word from a list): hostile text there is refused at its place, never rendered.
CONSTRAINED = [
    ("topics.yaml", ("topics", 0, "id")),
    ("sources.yaml", ("sources", 0, "id")),
    ("sources.yaml", ("sources", 0, "published")),
    ("sources.yaml", ("sources", 0, "url")),
    ("sources.yaml", ("sources", 0, "kind")),
    ("sources.yaml", ("sources", 0, "archive", "file")),
    ("sources.yaml", ("sources", 0, "archive", "sha256")),
    ("sources.yaml", ("sources", 0, "retrieved")),
    ("entities.yaml", ("entities", 0, "id")),
    ("entities.yaml", ("entities", 0, "kind")),
    ("entities.yaml", ("entities", 1, "controlled_by", "entity")),
    ("facts.yaml", ("facts", 0, "id")),
    ("facts.yaml", ("facts", 0, "topic")),
    ("facts.yaml", ("facts", 0, "date")),
    ("facts.yaml", ("facts", 0, "entities", 0)),
    ("facts.yaml", ("facts", 0, "value", "unit")),
    ("facts.yaml", ("facts", 0, "value", "qualifier")),
    ("facts.yaml", ("facts", 0, "converted", 0, "source")),
    ("facts.yaml", ("facts", 0, "tags", 0)),
    ("facts.yaml", ("facts", 0, "citations", 0, "source")),
    ("facts.yaml", ("facts", 3, "claimed_by", 0)),
    ("briefing.yaml", ("briefing", "subject")),
    ("briefing.yaml", ("briefing", "as_of")),
    ("briefing.yaml", ("briefing", "key_points", 0)),
    ("disagreements.yaml", ("disagreements", 0, "id")),
    ("disagreements.yaml", ("disagreements", 0, "verdict")),
]
ATTRIBUTE_ATTACKS = [
    '"><script>alert(1)</script>',
    "x' onmouseover='alert(1)",
    "[x](y)",
    "a/onx=alert(1)",
    "&#106;avascript:alert(1)",
    "javascript:alert(1)",
    "JaVa\tScRiPt:alert(1)",
    "//evil.example/x",
    "data:text/html,<b>x</b>",
    "valid-looking\n",
]


@pytest.mark.parametrize("attack", ATTRIBUTE_ATTACKS)
def test_hostile_text_in_a_constrained_field_is_refused_there(attack):
    from fixture_registry import FILES

    from briefing.load.registry import load_registry_texts

    for name, path in CONSTRAINED:
        data = yaml.safe_load(FILES[name])
        holder = data
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = attack
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        _, found = load_registry_texts({f"facts/{name}": text.encode("utf-8")})
        field = [k for k in path if isinstance(k, str)][-1]
        located = [
            p for p in found if p.severity == "error" and f"'{field}'" in p.message and repr(attack) in p.message
        ]
        assert located, f"{name} {path}: {attack!r} was not refused: {[str(p) for p in found]}"


def test_hostile_text_stays_inside_the_json_ld(sites):
    hostile, _ = sites
    page = (hostile / "disagreements" / "index.html").read_text(encoding="utf-8")
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "<" not in block  # no text in it can close the script or open a comment
    (review,) = json.loads(block)
    assert review["claimReviewed"] == f'{PAYLOADS[2]} ("{SAID.strip(": ")}": its wrong words)'  # the claim, as text
