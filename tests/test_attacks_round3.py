"""Round 3 of attacks, on the last session's surfaces: corrections and retractions, the Changes page
and its feed, the editors and repository settings, the history behind them, and kinds of page.

Each test is an attack a hostile pull request (or commit, or setting) could make, and asserts what
the build does with it: refuses it with a located error and writes nothing, or shows it as text.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import REPO, Project, make_project
from helpers import GIT_ENV, Scan, commit, git
from test_history_hostile import fast_import

from briefing.load import history as history_module
from briefing.project import read_settings, repository_problem, site_url_problem
from briefing.render import kinds as kinds_module
from briefing.vocabulary import SCHEMA_PATH

ATOM = "{http://www.w3.org/2005/Atom}"
# One line each: corrections and retractions take a line of at most 300 characters.
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "]]> <!-- x --> <![CDATA[ y ]]>",
    "{{ 7*7 }} {% raw %} {# c #}",
    "</textarea></details><script>alert(3)</script>",
    "[x](javascript:alert(4)) <a href='javascript:alert(5)'>y</a>",
    "&#x3C;script&#x3E;alert(6)&#x3C;/script&#x3E; &lt;b&gt;",
    "=cmd|' /C calc'!A0 +1 -1 @SUM(A1)",
    "}} , note = {pwned}, @misc{x, % $ # _ ^ ~ \\",
]
WORDS = [" ".join(p.split()) for p in HOSTILE]


def visible(page: str) -> str:
    """What a reader reads in a page's article: tags out, references decoded, white space single."""
    body = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def build(project: Project, *args: str) -> subprocess.CompletedProcess:
    result = project.run("build", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def start_history(project: Project) -> None:
    git(project.root, "init", "-q", "-b", "main")
    commit(project.root, "Publish the Acme briefing", "2024-06-01T09:00:00+00:00")


# --- hostile corrections, retractions, messages and authors through every output ------------------
CORRECTIONS = "    corrections:\n" + "".join(
    f"      - date: 2024-06-10\n        change: {json.dumps('Change ' + p)}\n        reason: {json.dumps('Reason ' + p)}\n"
    for p in HOSTILE
)
RETRACTION = "retractions:\n  - fact: open-source-promise\n    date: 2024-06-20\n    reason: {}\n"
ADA = "  - id: ada-lovelace\n    name: Ada Lovelace\n    kind: person\n    description: Founder of Acme.\n"
AUTHOR = '"><script>alert(7)</script> Evil\u202eAuthor'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Project:
    """Published; reworded with a correction per payload; a fact retracted with a hostile reason; hostile messages."""
    project = make_project(tmp_path_factory.mktemp("round3"), with_site_config=True)
    start_history(project)
    project.edit("facts.yaml", "Acme was founded in 2019.\n", "Acme was set up in 2019.\n")
    project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n' + CORRECTIONS,
    )
    git(project.root, "add", "-A")
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": AUTHOR, "GIT_COMMITTER_NAME": AUTHOR}
    env |= {"GIT_AUTHOR_DATE": "2024-06-10T09:00:00+00:00", "GIT_COMMITTER_DATE": "2024-06-10T09:00:00+00:00"}
    message = "Message " + " ".join(HOSTILE)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=project.root, env=env, check=True)
    text = (project.facts / "facts.yaml").read_text(encoding="utf-8")
    project.write("facts.yaml", text[: text.index("  - id: open-source-promise")])
    project.edit("entities.yaml", ADA, "")
    project.write("retractions.yaml", RETRACTION.format(json.dumps("Gone " + HOSTILE[1] + " " + HOSTILE[4])))
    commit(project.root, "Retract " + HOSTILE[2], "2024-06-20T09:00:00+00:00")
    (project.root / "briefing.toml").write_text(
        '[briefing]\neditors = ["A. Name", {}]\nrepository = "https://github.com/acme/briefing"\n'.format(
            json.dumps("B. </textarea> {{ 7*7 }} }} @misc{x, =cmd")
        ),
        encoding="utf-8",
    )
    result = build(project, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_corrections_reasons_and_messages_are_text_on_the_pages(hostile_site):
    site = hostile_site.root / "site"
    changes = (site / "changes" / "index.html").read_text(encoding="utf-8")
    topic = (site / "topics" / "company" / "index.html").read_text(encoding="utf-8")
    for page in (changes, topic):
        scan = Scan(page)
        assert scan.handlers == [] and scan.js_links == []
        assert "alert(" not in "".join(re.findall(r"<script[^>]*>(.*?)</script>", page, re.S))
    shown = visible(changes)
    for words in WORDS:
        assert f"Reason {words}" in shown and f"Change {words}" in shown, words
    assert "Gone " + WORDS[1] + " " + WORDS[4] in shown
    # {{ 7*7 }} was not evaluated (the page also shows commit hashes, which may hold "49" by chance)
    assert "Reason 49" not in shown and "Change 49" not in shown
    at_fact = visible(topic)
    for words in WORDS:
        assert f"Reason {words}" in at_fact, words
    assert "Gone " + WORDS[1] + " " + WORDS[4] in at_fact  # the notice at the retracted fact's anchor


def test_commit_authors_are_never_published(hostile_site):
    """The history reads only the committer's time from a commit: no name reaches any built file."""
    for path in (hostile_site.root / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".bib", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Evil\u202eAuthor" not in text and "EvilAuthor" not in text, path


def test_the_feed_carries_every_hostile_text_as_text(hostile_site):
    raw = (hostile_site.root / "site" / "changes.xml").read_bytes()
    tree = ET.fromstring(raw)
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    content = " ".join(e.text for e in tree.iter(ATOM + "content"))
    scan = Scan(content)  # the entries' HTML, as a feed reader renders it
    assert scan.handlers == [] and scan.js_links == [] and scan.tags == []
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
    for words in WORDS:
        assert f"Reason {words}" in text, words
    assert 'Message <script>alert(1)</script> "><img src=x' in text  # the message, cut short, as text
    titles = [e.text for e in tree.iter(ATOM + "title")]
    assert not any("Message" in t or "<" in t for t in titles)  # a message is never a title
    assert all(len(e.summary) < 300 for e in feed.entries)


def test_the_search_index_holds_the_reasons_as_text_and_not_the_changes_page(hostile_site):
    index = json.loads((hostile_site.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any(doc["location"].startswith("changes/") for doc in index["docs"])
    texts = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    assert "<script" not in texts and "<img" not in texts and "<textarea" not in texts
    assert "Reason &lt;script&gt;alert(1)&lt;/script&gt;" in texts


def test_the_editors_reach_the_cite_box_and_the_dataset_as_data(hostile_site):
    site = hostile_site.root / "site"
    topic = (site / "topics" / "company" / "index.html").read_text(encoding="utf-8")
    boxes = re.findall(r'data-editors="([^"]*)"', topic)
    name = "B. </textarea> {{ 7*7 }} }} @misc{x, =cmd"
    assert boxes and all(json.loads(html.unescape(b)) == ["A. Name", name] for b in boxes)
    home = (site / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', home, re.S).group(1)
    assert "</" not in block and json.loads(block)["editor"][1]["name"] == name


# --- the repository and site address: dot segments however written ---------------------------------
DOT_SEGMENTS = [
    "https://github.com/acme/briefing/%2e%2e/%2e%2e/evil/repo",
    "https://github.com/acme/briefing/%2E%2E/%2E%2E/evil/repo",
    "https://github.com/acme/briefing/.%2e/.%2E/evil/repo",
    "https://github.com/acme/briefing/%2e./x",
    "https://github.com/acme/%2e/briefing",
]


@pytest.mark.parametrize("url", DOT_SEGMENTS)
def test_a_percent_encoded_dot_segment_is_refused_in_the_repository_and_the_site_address(tmp_path, url):
    """Browsers read %2e as a dot: /acme/briefing/%2e%2e/%2e%2e/evil/repo is github.com/evil/repo."""
    for problem in (repository_problem(url), site_url_problem(url)):
        assert problem == "must not have '.' or '..' in its path (nor '%2e' for a dot, which browsers read as one)"
    (tmp_path / "briefing.toml").write_text(f'[briefing]\nrepository = "{url}"\n', encoding="utf-8")
    settings, found = read_settings(tmp_path)
    assert settings.repository == "" and [str(p.loc) for p in found] == ["briefing.toml:2:14"]


def test_a_repository_with_dot_segments_stops_the_build_and_writes_nothing(site_project):
    (site_project.root / "briefing.toml").write_text(f'[briefing]\nrepository = "{DOT_SEGMENTS[0]}"\n', "utf-8")
    result = build(site_project)
    assert result.returncode != 0
    assert result.stderr.startswith("briefing.toml:2:14: error: setting 'repository': must not have '.' or '..'")
    assert not (site_project.root / "site").exists() and not (site_project.root / "build").exists()


@pytest.mark.parametrize(
    "url",
    [
        'https://evil.example/"><script>alert(1)</script>',
        "javascript:alert(1)//https://github.com/",
        "https://github.com/x/y/../../",
        "https://a@b.example/x",
        "https:/evil.example/x",
        "https:///evil.example/x",
        "https://github.com\\@evil.example/x",
        "https://gіthub.com/acme/briefing",  # a Cyrillic і in the host
        "https://github.com/acme/briefing\u202e",
        "https://github.com/acme/briefing?x=1",
        "https://github.com/" + "a" * 500,
    ],
)
def test_other_repository_attacks_are_refused(url):
    assert repository_problem(url)


# --- dates of corrections and retractions --------------------------------------------------------
def test_a_correction_or_retraction_dated_before_its_fact_was_published_is_located(site_project):
    """A correction dated before the fact existed would be shown before the briefing began."""
    start_history(site_project)
    site_project.edit("facts.yaml", "Acme was founded in 2019.\n", "Acme was set up in 2019.\n")
    site_project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n'
        "    corrections:\n      - date: 2024-06-10\n        change: x\n        reason: y\n"
        "      - date: 1999-01-01\n        change: x\n        reason: y\n",
    )
    text = (site_project.facts / "facts.yaml").read_text(encoding="utf-8")
    site_project.write("facts.yaml", text[: text.index("  - id: open-source-promise")])
    site_project.edit("entities.yaml", ADA, "")
    site_project.write("retractions.yaml", RETRACTION.format("Withdrawn").replace("2024-06-20", "2020-01-01"))
    commit(site_project.root, "Reword and retract", "2024-06-10T09:00:00+00:00")
    result = build(site_project, "--strict", "--source-only")
    assert result.returncode == 1
    assert (
        "facts/facts.yaml:37:15: error: dated 1999-01-01, before fact 'acme-founded' was first published on 2024-06-01"
        " [dated-before-fact]" in result.stderr
    )
    assert (
        "facts/retractions.yaml:3:11: error: dated 2020-01-01, before fact 'open-source-promise' was first"
        " published on 2024-06-01 [dated-before-fact]" in result.stderr
    )
    assert not (site_project.root / "build").exists()


def test_a_correction_dated_in_the_future_is_refused(site_project):
    start_history(site_project)
    site_project.edit(
        "facts.yaml",
        '        quote: "May 2024. The firm was founded in 2019."\n',
        '        quote: "May 2024. The firm was founded in 2019."\n'
        "    corrections:\n      - date: 2999-01-01\n        change: x\n        reason: y\n",
    )
    result = build(site_project, "--source-only")
    assert result.returncode == 1 and "[dated-after-today]" in result.stderr
    assert not (site_project.root / "build").exists()


def test_a_retraction_of_a_fact_that_never_existed_is_an_error_when_strict(site_project):
    start_history(site_project)
    site_project.write(
        "retractions.yaml", RETRACTION.format(json.dumps(HOSTILE[1])).replace("open-source-promise", "made-up")
    )
    result = build(site_project, "--strict", "--source-only")
    assert result.returncode == 1
    assert "facts/retractions.yaml:2:11: error: retraction of 'made-up': no revision in the history" in result.stderr
    assert not (site_project.root / "build").exists()


def test_a_retraction_naming_a_hostile_id_is_refused_at_its_line(project):
    project.write("retractions.yaml", RETRACTION.format("x").replace("open-source-promise", '"a\\"><script>"'))
    result = project.run("check")
    assert result.returncode == 1 and "facts/retractions.yaml:2:11: error:" in result.stderr
    assert "is not a valid id" in result.stderr


@pytest.mark.parametrize(
    "line, why",
    [
        ("A\\u202eB", "invisible"),
        ("x" * 301, "long"),
        ("a\\nb", "single line"),
    ],
)
def test_a_reason_with_invisible_characters_a_second_line_or_too_long_is_refused(project, line, why):
    project.write("retractions.yaml", RETRACTION.format(f'"{line}"').replace("open-source-promise", "gone"))
    result = project.run("check")
    assert result.returncode == 1 and "facts/retractions.yaml:4:13: error:" in result.stderr, result.stderr


# --- the history: many commits, and facts/ as a link in a past commit -----------------------------
def test_ten_thousand_commits_are_read_within_the_bound(site_project, monkeypatch):
    start_history(site_project)
    fast_import(site_project.root, 10_000, (b"Acme was founded in 2019.", b"Acme was set up in 2019."))
    reads = []
    original = history_module._snapshot

    def counted(*args):
        reads.append(1)
        return original(*args)

    monkeypatch.setattr(history_module, "_snapshot", counted)
    result = build(site_project, "--source-only")
    assert result.returncode == 0, result.stderr
    page = (site_project.root / "build" / "docs" / "changes" / "index.md").read_text(encoding="utf-8")
    assert f"This page shows the last {history_module.MAX_REVISIONS} revisions" in page
    assert "Change 9999" in page and "Change 9000" not in page
    assert len(reads) <= 2  # two trees, each read and checked once


def test_facts_as_a_link_in_a_past_commit_is_passed_over(site_project, tmp_path):
    """A commit whose facts/ is a link to a folder of made-up facts: git holds only the link, never read."""
    start_history(site_project)
    elsewhere = site_project.root / "elsewhere"
    elsewhere.mkdir()
    for path in site_project.facts.iterdir():
        (elsewhere / path.name).write_bytes(path.read_bytes())
    (elsewhere / "facts.yaml").write_text(
        (elsewhere / "facts.yaml").read_text(encoding="utf-8").replace("founded in 2019.\n", "founded by Evil Corp.\n"),
        encoding="utf-8",
    )
    real = site_project.root / "facts-real"
    site_project.facts.rename(real)
    site_project.facts.symlink_to("elsewhere")
    commit(site_project.root, "facts through a link", "2024-06-02T09:00:00+00:00")
    site_project.facts.unlink()
    real.rename(site_project.facts)
    subprocess.run(["rm", "-r", str(elsewhere)], check=True)
    commit(site_project.root, "facts again", "2024-06-03T09:00:00+00:00")
    result = build(site_project, "--source-only")
    assert result.returncode == 0, result.stderr
    built = "".join(p.read_text(encoding="utf-8") for p in (site_project.root / "build").rglob("*.md"))
    assert "Evil Corp" not in built and "facts through a link" not in built


# --- kinds of page: installed code, and nothing a pull request commits -----------------------------
EVIL_KIND = """
from pathlib import Path
Path("KIND-RAN").write_text("a kind from the project folder ran")
from briefing.render.kinds.base import Kind
KIND = Kind("evil", "", lambda index: ())
"""


def test_a_kind_committed_in_the_project_folder_is_not_loaded(site_project, monkeypatch):
    """`python -m` puts the current folder on sys.path: a committed dist-info there must not add a kind."""
    (site_project.root / "evil_kind.py").write_text(EVIL_KIND, encoding="utf-8")
    info = site_project.root / "evil_kind-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-kind\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[briefing.kinds]\nevil = evil_kind:KIND\n", encoding="utf-8")
    monkeypatch.syspath_prepend("")  # the current folder, as `python -m briefing.cli` has it
    monkeypatch.delitem(sys.modules, "evil_kind", raising=False)
    result = build(site_project, "--source-only")
    assert result.returncode == 0, result.stderr
    assert not (site_project.root / "KIND-RAN").exists()
    assert "evil_kind" not in sys.modules
    assert [k.name for k in kinds_module.kinds()] == [k.name for k in kinds_module.BUILT_IN]


def test_the_schema_is_not_a_file_of_the_registrys_folder():
    assert not SCHEMA_PATH.resolve().is_relative_to((REPO / "facts").resolve())


RELAXED = {"type": "object"}  # a copy of the schema that allows anything


def test_a_relaxed_copy_of_the_schema_in_facts_relaxes_nothing(project):
    """A pull request that rewrites facts/registry.schema.json: the build checks against its own schema, and says so."""
    (project.facts / "registry.schema.json").write_text(json.dumps(RELAXED), encoding="utf-8")
    project.edit("facts.yaml", "entities: [acme]\n", "entities: [acme]\n    smuggled: <script>alert(1)</script>\n")
    result = project.run("check")
    assert result.returncode == 1
    assert "[unknown-field]" in result.stderr
    assert "facts/registry.schema.json:1:1: warning:" in result.stderr and "[schema-copy-differs]" in result.stderr
    strict = project.run("check", "--strict")
    assert "facts/registry.schema.json:1:1: error:" in strict.stderr and "[schema-copy-differs]" in strict.stderr


@pytest.mark.parametrize("kind", ["link-out", "fifo", "folder", "same-bytes"])
def test_the_editors_copy_of_the_schema_is_compared_never_followed_or_waited_on(project, tmp_path, kind):
    """A committed link, a named pipe (which an open would wait on for good) or a folder in its place is a warning."""
    copy = project.facts / "registry.schema.json"
    if kind == "link-out":
        (tmp_path / "elsewhere.json").write_bytes(SCHEMA_PATH.read_bytes())
        copy.symlink_to(tmp_path / "elsewhere.json")
    elif kind == "fifo":
        os.mkfifo(copy)
    elif kind == "folder":
        copy.mkdir()
    else:
        copy.write_bytes(SCHEMA_PATH.read_bytes())
    result = project.run("check", "--strict")
    if kind == "same-bytes":
        assert result.returncode == 0, result.stderr
        assert "schema-copy-differs" not in result.stderr
    else:
        assert result.returncode == 1
        assert "facts/registry.schema.json:1:1: error:" in result.stderr and "[schema-copy-differs]" in result.stderr


# --- what the history says on the terminal and in CI's log -----------------------------------------
FORGED = "x\n::error file=README.md,line=1::forged annotation\x1b]0;pwned\x07\x1b[2J.yaml"


@pytest.mark.parametrize("folder", [False, True])
def test_a_past_file_name_cannot_forge_a_ci_annotation_or_run_a_terminal_sequence(site_project, folder):
    """A name with a line break and escape sequences, in a past revision the history passes over with a warning."""
    start_history(site_project)
    where = site_project.facts / (FORGED.removesuffix(".yaml") if folder else "")
    where.mkdir(exist_ok=True)
    if folder:  # a folder too deep to read, under the forged name
        deep = where.joinpath(*["d"] * 40)
        deep.mkdir(parents=True)
        (deep / "x.yaml").write_text("facts: []\n", encoding="utf-8")
    else:  # a file over the loader's limit, under the forged name
        (where / FORGED).write_bytes(b"#" * (3 * 1024 * 1024))
    commit(site_project.root, "An odd name", "2024-06-02T09:00:00+00:00")
    subprocess.run(
        ["git", "rm", "-rq", "--", str(where if folder else where / FORGED)], cwd=site_project.root, check=True
    )
    commit(site_project.root, "Gone", "2024-06-03T09:00:00+00:00")
    result = build(site_project, "--source-only")
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
        assert not any(line.lstrip().startswith("::") for line in stream.splitlines()), stream


@pytest.mark.parametrize("report", ["text", "github"])
def test_a_file_name_in_facts_cannot_forge_a_line_in_a_report(project, report):
    """A committed name with a line break, an annotation and escape sequences: every report shows it as escapes."""
    (project.facts / "y\n::error file=README.md::x\x1b]0;pwned\x07\u202e.YAML").write_text(
        "facts: []\n", encoding="utf-8"
    )
    result = project.run("check", "--format", report)
    assert result.returncode == 1
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
        forged = [
            line for line in stream.splitlines() if line.lstrip().startswith("::") and "[registry-suffix]" not in line
        ]
        assert forged == [], stream
    assert "[registry-suffix]" in result.stdout + result.stderr


@pytest.mark.parametrize("report", ["text", "github"])
def test_a_key_quoted_in_a_message_cannot_forge_a_line_or_run_a_terminal_sequence(project, report):
    """A registry key the message repeats (an unknown field), with YAML escapes that make it ESC, BEL and RLO."""
    project.edit("facts.yaml", "entities: [acme]\n", 'entities: [acme]\n    "zz\\e]0;pwned\\a\\u202e": 1\n')
    result = project.run("check", "--format", report)
    assert result.returncode == 1, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    assert "\\x1b]0;pwned" in result.stdout + result.stderr  # shown, as an escape


# --- editors: names that read as blank -------------------------------------------------------------
@pytest.mark.parametrize("name", ["\u3164", "A\u3164B", "\u2800", "\u115f\u1160", "\uffa0"])
def test_an_editor_that_reads_as_blank_is_refused_at_its_line(tmp_path, name):
    """Hangul fillers and the braille blank are letters and signs that print as nothing: a citation would name no one."""
    (tmp_path / "briefing.toml").write_text(f"[briefing]\neditors = [{json.dumps(name)}]\n", encoding="utf-8")
    settings, found = read_settings(tmp_path)
    assert settings.editors == () and [str(p.loc) for p in found] == ["briefing.toml:2:11"]
    assert "contains the invisible or control character U+" in found[0].message
