"""Hostile git history: what a pull request's commits can carry never crashes a build, forges a
date, or puts unchecked text on the site (the Changes page, the feed, notices, search)."""

from __future__ import annotations

import html
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import BRIEFING, Project, make_project
from helpers import GIT_ENV, commit, git, stop_server

from briefing.check.quotes import FoundQuotes
from briefing.load import history as history_module
from briefing.load.registry import load_registry
from briefing.load.revisions import RevisionReader
from briefing.pipeline import Checked, Loaded, Options, read_past

RETRACTED = '  - id: open-source-promise\n    statement: "Ada Lovelace said'


@pytest.fixture
def repo(site_project: Project) -> Project:
    """The fixture registry, published in one commit."""
    git(site_project.root, "init", "-q", "-b", "main")
    commit(site_project.root, "Publish the Acme briefing", "2024-06-01T09:00:00+00:00")
    return site_project


def reword(project: Project, n: int) -> None:
    """A small real change: the founding fact's wording, alternating."""
    old, new = ("founded", "set up") if n % 2 == 0 else ("set up", "founded")
    project.edit("facts.yaml", f"Acme was {old} in 2019.\n", f"Acme was {new} in 2019.\n")


def build(project: Project, *args: str) -> subprocess.CompletedProcess:
    result = project.run("build", "--source-only", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def changes(project: Project) -> str:
    return (project.root / "build" / "docs" / "changes" / "index.md").read_text(encoding="utf-8")


def feed_bytes(project: Project) -> bytes:
    return (project.root / "build" / "docs" / "changes.xml").read_bytes()


def everything_built(project: Project) -> str:
    """Every text file the build wrote, in one string."""
    texts = []
    for folder in (project.root / "build", project.root / "site"):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and path.suffix in (".md", ".html", ".xml", ".json", ".csv", ".bib", ".txt", ".js"):
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


# H1: characters Python's splitlines() takes for line ends, in a subject.
LINE_BREAKERS = ["\u2028", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2029"]


def test_line_separators_in_a_subject_are_spaces(repo):
    for n, ch in enumerate(LINE_BREAKERS):
        reword(repo, n)
        commit(repo.root, f"Punctuation{ch}fixed {n}", f"2024-06-{n + 2:02d}T09:00:00+00:00")
    build(repo)
    page = changes(repo)
    for n in range(len(LINE_BREAKERS)):
        assert f"“Punctuation fixed {n}”" in page
    assert page.count("\n## ") == len(LINE_BREAKERS) + 1


# H2: a message that is not UTF-8.
def test_a_message_that_is_not_utf8_is_text_with_replacement_characters(repo):
    reword(repo, 0)
    git(repo.root, "add", "-A")
    env = {**os.environ, **GIT_ENV, "GIT_COMMITTER_DATE": "2024-06-02T09:00:00+00:00"}
    subprocess.run(
        [b"git", b"-c", b"i18n.commitEncoding=bogus-enc", b"commit", b"-q", b"-m", b"Caf\xe9 \xff fixed"],
        cwd=repo.root,
        env=env,
        check=True,
        capture_output=True,
    )
    build(repo)
    assert "“Caf\ufffd \ufffd fixed”" in changes(repo)


# H3: a subject that once forged a whole revision, with its date.
def test_a_subject_cannot_forge_a_revision_or_its_date(repo):
    first = git(repo.root, "rev-parse", "HEAD").strip()
    reword(repo, 0)
    forged = f"Punctuation\u2028{first}\t1999-01-01T00:00:00+00:00\tInitial publication (reviewed)"
    commit(repo.root, forged, "2024-06-02T09:00:00+00:00")
    build(repo)
    page = changes(repo)
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert [h.split(" {")[0] for h in headings] == ["## 2 June 2024", "## 1 June 2024"]
    assert "1 January 1999" not in page  # the subject stays the subject's text, on its line
    assert f"“Punctuation {first} 1999-01-01T00:00:00+00:00 Initial publication" in page
    feed = feedparser.parse(feed_bytes(repo))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.updated == "2024-06-02T09:00:00+00:00"
    assert [e.updated[:10] for e in feed.entries] == ["2024-06-02", "2024-06-01"]


# H4: a made-up fact, committed and reverted.
MADE_UP = """  - id: made-up-sale
    statement: Acme secretly sold its arm controller to Evil Corp in 2024.
    topic: company
    entities: [acme]
    citations:
      - source: no-such-source
        quote: Acme sold the arm controller to Evil Corp in secret.
  - id: made-up-quote
    statement: Harbour Capital threatened to pull its money from Acme.
    topic: funding
    entities: [acme, harbour-capital]
    citations:
      - source: planet
        quote: Harbour Capital will pull every yuan out of Acme tomorrow.
"""
MADE_UP_WORDS = ("secretly sold", "Evil Corp", "threatened to pull", "pull every yuan")


def test_a_reverted_unchecked_fact_is_never_published(repo):
    facts = repo.facts / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    facts.write_text(original + MADE_UP, encoding="utf-8")
    commit(repo.root, "Add two facts (reviewed)", "2024-06-02T09:00:00+00:00")
    facts.write_text(original, encoding="utf-8")
    commit(repo.root, "Revert", "2024-06-03T09:00:00+00:00")
    result = repo.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    built = everything_built(repo)
    for words in MADE_UP_WORDS:
        assert words not in built, words
    assert "Add two facts (reviewed)" not in built  # the unchecked revision's message neither
    search = json.loads((repo.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any(w in doc["text"] for doc in search["docs"] for w in MADE_UP_WORDS)
    topic = (repo.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    notice = topic.split('<div class="retracted" id="made-up-sale">')[1].split("</div>")[0]
    assert "Its earlier text was never published" in notice
    page = changes(repo)
    assert page.count("(its text was never published: the revision that held it did not pass the checks)") == 4
    assert "(not shown: this revision did not pass the checks)" in page
    feed = feedparser.parse(feed_bytes(repo))
    assert not feed.bozo and all(w not in e.summary + e.title for e in feed.entries for w in MADE_UP_WORDS)


def test_a_notice_shows_the_last_text_that_passed_the_checks(repo):
    """Checked wording, then an unchecked rewording, then the retraction: the notice quotes the checked one."""
    repo.edit(
        "facts.yaml",
        '      - source: planet\n        quote: "We will',
        '      - source: nowhere\n        quote: "We will',
    )
    repo.edit("facts.yaml", "open-source its arm controller in 2024.", "give away its arm controller, Evil Corp says.")
    commit(repo.root, "An unchecked rewording", "2024-06-02T09:00:00+00:00")
    text = (repo.facts / "facts.yaml").read_text(encoding="utf-8")
    repo.write("facts.yaml", text[: text.index("  - id: open-source-promise")])
    commit(repo.root, "Retract the promise", "2024-06-03T09:00:00+00:00")
    build(repo)
    topic = (repo.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert "This fact said: “Ada Lovelace said Acme would open-source its arm controller in 2024.”" in topic
    assert "Evil Corp" not in everything_built(repo)


# H5: a fact removed or renamed and not committed.
def remove_promise(project: Project) -> None:
    text = (project.facts / "facts.yaml").read_text(encoding="utf-8")
    project.write("facts.yaml", text[: text.index("  - id: open-source-promise")])
    project.edit("entities.yaml", "  - id: ada-lovelace\n    name: Ada Lovelace\n    kind: person\n", "")
    project.edit("entities.yaml", "    description: Founder of Acme.\n", "")


@pytest.mark.parametrize("change", ["remove", "rename"])
def test_an_uncommitted_removal_or_rename_builds(repo, change):
    if change == "remove":
        remove_promise(repo)
    else:
        repo.edit("facts.yaml", "id: open-source-promise", "id: open-source-pledge")
    assert repo.run("check", "--strict").returncode == 0
    build(repo, "--strict")
    # The fact has no page and no notice (its removal is not committed): its statement, unlinked.
    assert "- Ada Lovelace said Acme would open-source its arm controller in 2024.\n" in changes(repo)


def test_serve_survives_an_uncommitted_removal(repo, tmp_path):
    log = tmp_path / "serve.log"
    env = {**os.environ, "BRIEFING_SOURCES": str(repo.archive)}
    env.pop("GITHUB_ACTIONS", None)
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    preview = repo.root / ".cache" / "preview" / "docs" / "topics" / "company" / "index.md"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [BRIEFING, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for _ in range(300):
            if preview.is_file() or server.poll() is not None:
                break
            time.sleep(0.2)
        assert preview.is_file(), log.read_text(encoding="utf-8")
        remove_promise(repo)
        for _ in range(300):
            if "open-source-promise" not in preview.read_text(encoding="utf-8") or server.poll() is not None:
                break
            time.sleep(0.2)
        assert server.poll() is None, log.read_text(encoding="utf-8")
        assert "open-source-promise" not in preview.read_text(encoding="utf-8")
        assert "Traceback" not in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")
    finally:
        stop_server(server)


# H6: a registry file renamed to a name that is not ASCII.
def test_a_file_renamed_to_a_non_ascii_name_retracts_nothing(repo):
    git(repo.root, "mv", "facts/facts.yaml", "facts/géopolitique.yaml")
    commit(repo.root, "Rename the facts file", "2024-06-02T09:00:00+00:00")
    build(repo)
    page = changes(repo)
    assert "**Retracted**" not in page and page.count("\n## ") == 1  # the rename is no change to readers
    topic = (repo.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert 'class="retracted"' not in topic
    result = repo.run("diff", "HEAD~1")
    assert result.returncode == 0, result.stderr
    assert "No changes to facts" in result.stdout
    result = repo.run("diff", "HEAD")
    assert result.returncode == 0 and "No changes to facts" in result.stdout, result.stdout + result.stderr


# H7: a project in a subfolder of its repository.
def test_a_project_in_a_subfolder_of_its_repository(tmp_path):
    outer = tmp_path / "outer"
    project = make_project(outer / "sub", with_site_config=True)  # outer/sub/project
    git(outer, "init", "-q", "-b", "main")
    commit(outer, "Publish", "2024-06-01T09:00:00+00:00")
    reword(project, 0)
    commit(outer, "Reword", "2024-06-02T09:00:00+00:00")
    build(project)
    page = changes(project)
    assert "“Reword”" in page and "founded</del> <ins>" in page
    assert "not available" not in page
    reword(project, 1)
    result = project.run("diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "- `acme-founded` (statement): Acme was founded in 2019." in result.stdout


# H8: characters XML 1.0 forbids.
def test_the_feed_is_well_formed_xml_whatever_the_subject(repo):
    reword(repo, 0)
    git(repo.root, "add", "-A")
    message = "Colour \x1b[31mred\x1b[0m and \x01 bell \x7f and \ufffe end".encode()
    env = {**os.environ, **GIT_ENV, "GIT_COMMITTER_DATE": "2024-06-02T09:00:00+00:00"}
    # An encoding git does not know: it stores the bytes as given (U+FFFE included).
    subprocess.run(
        [b"git", b"-c", b"i18n.commitEncoding=bogus-enc", b"commit", b"-q", b"-m", message],
        cwd=repo.root,
        env=env,
        check=True,
        capture_output=True,
    )
    build(repo)
    data = feed_bytes(repo)
    root = ET.fromstring(data)  # raises on a character XML forbids
    contents = [html.unescape(e.text) for e in root.iter("{http://www.w3.org/2005/Atom}content")]
    assert any("Colour [31mred [0m and bell and end" in c for c in contents)  # the message, as text
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.bozo_exception


def test_a_long_subject_with_direction_marks_is_cut_and_plain(repo):
    reword(repo, 0)
    commit(repo.root, "Fix \u202eevil\u202c " + "x" * 5000, "2024-06-02T09:00:00+00:00")
    build(repo)
    line = next(x for x in changes(repo).splitlines() if "“Fix" in x)
    assert "\u202e" not in line and "Fix evil xxx" in line
    assert len(line) < 400 and line.endswith("…”.")


# H9: a blob over the loader's limit.
def test_an_oversize_blob_is_passed_over_unread(repo, monkeypatch):
    big = repo.facts / "zz-notes.yaml"
    big.write_bytes(b"#" * (2 * 1024 * 1024) + b"\n")  # one byte over the limit
    commit(repo.root, "Notes", "2024-06-02T09:00:00+00:00")
    big.unlink()
    reword(repo, 0)
    commit(repo.root, "No notes", "2024-06-03T09:00:00+00:00")
    result = build(repo)
    assert "facts/zz-notes.yaml is 2,097,153 bytes, over the limit of 2,097,152: passed over" in result.stderr
    page = changes(repo)
    assert "**Retracted**" not in page and "No notes" in page
    # And it is never read: every object read is within the limit.
    sizes = []
    read = RevisionReader.read

    def spy(self, oid, kind, limit):
        data = read(self, oid, kind, limit)
        sizes.append(len(data or b""))
        return data

    monkeypatch.setattr(RevisionReader, "read", spy)
    history, _ = read_in_process(repo)
    assert history.available and sizes and max(sizes) <= 2 * 1024 * 1024
    assert any("zz-notes.yaml" in w for w in history.warnings)


def read_in_process(project: Project, registry=None):
    """The history as a build reads it, after checks that found nothing to remember; and its warnings."""
    options = Options(root=project.root, sources=project.archive, strict=False, site_dir=Path("site"))
    registry = registry or load_registry(project.facts, project.root)[0]
    return read_past(options, Loaded(registry, []), Checked([], {}, FoundQuotes()))


# H10: many commits: a fixed number of git processes, each blob parsed once, a bound.
def test_git_runs_a_fixed_number_of_times_and_each_blob_is_parsed_once(repo, monkeypatch):
    for n in range(30):
        reword(repo, n)
        commit(repo.root, f"Change {n}", f"2024-06-02T09:{n:02d}:00+00:00")
    started = []

    class CountPopen(subprocess.Popen):  # subprocess.run starts its process through it too
        def __init__(self, args, *a, **k):
            started.append(args)
            super().__init__(args, *a, **k)

    monkeypatch.setattr(subprocess, "Popen", CountPopen)
    import briefing.load.registry as registry_module

    parsed = []
    load = registry_module.load_yaml_bytes

    def count_parse(raw, display):
        parsed.append(display)
        return load(raw, display)

    monkeypatch.setattr(registry_module, "load_yaml_bytes", count_parse)
    registry, _ = load_registry(repo.facts, repo.root)
    parsed.clear()
    history, _ = read_in_process(repo, registry)
    assert len(history.revisions) == 31
    assert len(started) <= 5, started
    assert len(parsed) <= len(list(repo.facts.glob("*.yaml"))) + 30, parsed


def fast_import(root: Path, count: int, wordings: tuple[bytes, bytes] | None = None) -> None:
    """`count` commits that each change a comment in facts/facts.yaml (or, given two wordings of one
    of its texts, alternate them), through one git fast-import."""
    text = (root / "facts" / "facts.yaml").read_bytes()
    stream = []
    for n in range(count):
        if wordings:
            data = text.replace(wordings[0], wordings[1]) if n % 2 == 0 else text
            message = f"Change {n}".encode()
        else:
            data = text + f"# revision {n}\n".encode()
            message = f"Comment {n}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer T <t@example.org> {1718000000 + n * 60} +0000\n".encode())
        stream.append(b"data %d\n%s\n" % (len(message), message))
        if n == 0:
            stream.append(b"from refs/heads/main^0\n")
        stream.append(b"M 100644 inline facts/facts.yaml\ndata %d\n%s\n" % (len(data), data))
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), env=env, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, env=env, check=True)


def test_the_history_read_is_bounded_and_says_so(repo):
    fast_import(repo.root, history_module.MAX_REVISIONS)
    reword(repo, 0)
    commit(repo.root, "The last real change", "2024-07-01T09:00:00+00:00")
    build(repo)
    page = changes(repo)
    assert f"This page shows the last {history_module.MAX_REVISIONS} revisions of the registry" in page
    assert "The last real change" in page and "Publish the Acme briefing" not in page
    # What came before the revisions read is not dated: not "first published" on the first one read.
    company = (repo.root / "build" / "docs" / "topics" / "company" / "index.md").read_text(encoding="utf-8")
    assert "First published" not in company


def test_the_cache_is_plain_data_and_a_warm_read_reads_no_blob(repo, monkeypatch):
    for n in range(3):
        reword(repo, n)
        commit(repo.root, f"Change {n}", f"2024-06-0{n + 2}T09:00:00+00:00")
    registry, _ = load_registry(repo.facts, repo.root)
    first = history_module.read_history(repo.root, registry, lambda past: [])
    # As a JSON cache gives it back: lists as tuples, as the parse cache's maps do.
    text = json.dumps(first.snapshots)

    def tuples(value):
        if isinstance(value, list):
            return tuple(tuples(v) for v in value)
        return {k: tuples(v) for k, v in value.items()} if isinstance(value, dict) else value

    reloaded = tuples(json.loads(text))
    kinds = []
    read = RevisionReader.read

    def spy(self, oid, kind, limit):
        kinds.append(kind)
        return read(self, oid, kind, limit)

    monkeypatch.setattr(RevisionReader, "read", spy)
    second = history_module.read_history(repo.root, registry, lambda past: ["quote-not-found"], reloaded)
    assert b"blob" not in kinds
    assert second.revisions == first.revisions and second.first == first.first


# Past revisions the build would refuse: passed over, never read as "everything retracted".
def test_a_past_symbolic_link_or_submodule_in_facts_is_passed_over(repo):
    (repo.facts / "passwd.yaml").symlink_to("/etc/passwd")
    commit(repo.root, "A link", "2024-06-02T09:00:00+00:00")
    (repo.facts / "passwd.yaml").unlink()
    reword(repo, 0)
    commit(repo.root, "No link", "2024-06-03T09:00:00+00:00")
    build(repo)
    page = changes(repo)
    assert "A link" not in page and "**Retracted**" not in page and "root:" not in page


# Git is a reader here: the repository's own settings run nothing.
def test_the_repositorys_settings_run_nothing(repo, tmp_path):
    marker = tmp_path / "ran"
    script = tmp_path / "tool.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    reword(repo, 0)
    commit(repo.root, "Signed", "2024-06-02T09:00:00+00:00")
    raw = git(repo.root, "cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    signed = head + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n x\n -----END PGP SIGNATURE-----\n\n" + message
    oid = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo.root,
            input=signed.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    git(repo.root, "update-ref", "refs/heads/main", oid)
    for key, value in (
        ("log.showSignature", "true"),
        ("gpg.program", str(script)),
        ("core.fsmonitor", str(script)),
        ("core.hooksPath", str(tmp_path)),
        ("core.pager", str(script)),
    ):
        git(repo.root, "config", key, value)
    (tmp_path / "post-checkout").symlink_to(script)
    (repo.root / ".gitattributes").write_text("*.yaml diff=evil filter=evil\n", encoding="utf-8")
    git(repo.root, "config", "diff.evil.textconv", str(script))
    git(repo.root, "config", "filter.evil.smudge", str(script))
    history, _ = read_in_process(repo)  # the history's own git commands, not the rest of the build's
    assert history.revisions[-1].subject == "Signed"
    assert not marker.exists()
    result = repo.run("diff", "HEAD~1")
    assert result.returncode == 0 and not marker.exists(), result.stderr


def test_without_the_archive_past_revisions_are_not_shown_unchecked(repo, tmp_path):
    reword(repo, 0)
    commit(repo.root, "Reword", "2024-06-02T09:00:00+00:00")
    result = repo.run("build", "--source-only", env={"BRIEFING_SOURCES": str(tmp_path / "nowhere")})
    assert result.returncode == 0, result.stderr
    page = changes(repo)
    assert "The history is not available in this build:** the archive of source texts is not in this build" in page
    assert "Reword" not in page and "Acme was" not in page


def test_a_history_that_cannot_be_read_never_stops_a_build(repo, monkeypatch):
    def broken(*args, **kwargs):
        raise history_module.GitError("the repository is damaged")

    monkeypatch.setattr(history_module, "read_history", broken)
    history, warnings = read_in_process(repo)
    assert not history.available and history.reason == "the git history could not be read"
    assert warnings == [
        "warning: the git history could not be read (the repository is damaged); the Changes page says so"
    ]


def test_a_cache_entry_of_another_shape_is_a_miss(repo):
    reword(repo, 0)
    commit(repo.root, "Reword", "2024-06-02T09:00:00+00:00")
    registry, _ = load_registry(repo.facts, repo.root)
    cache = history_module.read_history(repo.root, registry, lambda past: []).snapshots
    forged = {
        tree: {
            "checked": True,
            "facts": {'x" onmouseover="alert(1)': ["Forged", "h", "company", "d"]},
            "disagreements": {},
        }
        for tree in cache
    }
    history = history_module.read_history(repo.root, registry, lambda past: [], forged)
    assert "Forged" not in repr(history) and "onmouseover" not in repr(history)
    assert history.revisions[-1].changed[0][1:] == ("Acme was founded in 2019.", "Acme was set up in 2019.")
