"""`briefing archive`: a saved page, a PDF or an address becomes an archived text and a checked source."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import pytest
import yaml
from conftest import Project
from helpers import serve

from briefing.tools.archive import MAX_BYTES, ArchiveError, extract, read

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
FLAGS = ["--kind", "news-report", "--reliability", "Local paper.", "--summary", "Reports the round."]
GAZETTE = ["--publisher", "The Portville Gazette"]


def minimal_pdf(lines: list[str], title: str) -> bytes:
    """A small, valid PDF with one page of text: enough to test extraction without a PDF writer."""
    text = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    stream = zlib.compress(text.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author (Lois Lane) /CreationDate (D:20240503120000Z) >>".encode(),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


@pytest.mark.parametrize("name", ["news-article", "blog-post"])
def test_the_main_text_without_navigation_ads_or_comments(name):
    data, kind, _ = read(str(FIXTURES / f"{name}.html"))
    page = extract(data, kind)
    assert page.text == (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    for boilerplate in ("Subscribe", "Advertisement", "Great news for the city", "Popular posts", "Share this"):
        assert boilerplate not in page.text


def test_what_the_page_says_of_itself():
    """Title, author and date are taken; its site name and address are only reported: a page can claim any."""
    data, kind, _ = read(str(FIXTURES / "news-article.html"))
    page = extract(data, kind)
    assert (page.title, page.publisher, page.author, page.published, page.url) == (
        "Portville robot maker Acme raises 2 billion yuan",
        None,
        "Clark Kent",
        "2024-05-03",
        None,
    )
    assert (
        "the page names its site 'The Portville Gazette' (og:site_name or the like); not used as the publisher"
        in page.notes
    )


def test_a_pdf(tmp_path):
    lines = [f"Line {n}: Acme Robotics has raised 2 billion yuan in a round led by Harbour Capital." for n in range(4)]
    path = tmp_path / "report.pdf"
    path.write_bytes(minimal_pdf(lines, "Acme annual report"))
    data, kind, _ = read(str(path))
    page = extract(data, kind)
    assert kind == "pdf"
    assert page.text.split() == " ".join(lines).split()
    assert (page.title, page.author, page.published) == ("Acme annual report", "Lois Lane", "2024-05-03")


def test_a_page_with_no_article_is_refused():
    data, kind, _ = read(str(FIXTURES / "no-article.html"))
    with pytest.raises(ArchiveError, match="no article text found"):
        extract(data, kind)


def test_refusals_before_reading(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(ArchiveError, match="the limit is"):
        read(str(big))
    for address in ("file:///etc/passwd", "ftp://example.org/a.html", "javascript:alert(1)"):
        with pytest.raises(ArchiveError, match="only http:// and https:// addresses"):
            read(address)


@pytest.fixture
def served():
    """The fixture pages on a loopback web server."""
    yield from (address.rstrip("/") for address in serve(FIXTURES))


def test_archive_a_saved_page_adds_a_checked_source(project: Project):
    result = project.run("archive", str(FIXTURES / "news-article.html"), *GAZETTE, *FLAGS)
    assert result.returncode == 0, result.stderr
    expected = (FIXTURES / "news-article.txt").read_bytes()
    sha = hashlib.sha256(expected).hexdigest()
    name = f"portville-robot-maker-acme-raises-2-billion-yuan-{sha[:12]}.txt"
    assert (project.archive / name).read_bytes() == expected
    assert f"archived {len(expected.decode()):,} characters as" in result.stdout
    sources = yaml.safe_load((project.facts / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    added = sources[-1]
    assert added["archive"] == {"file": name, "sha256": sha}
    assert (added["title"], added["publisher"], added["author"], added["published"]) == (
        "Portville robot maker Acme raises 2 billion yuan",
        "The Portville Gazette",
        "Clark Kent",
        "2024-05-03",
    )
    assert project.run("check").returncode == 0
    # the same text again: no second copy, and no second source (one archived document is one source)
    again = project.run("archive", str(FIXTURES / "news-article.html"), *GAZETTE, *FLAGS)
    assert again.returncode == 1
    assert "have the same archived text" in again.stderr and "nothing was written" in again.stderr
    assert len(list(project.archive.glob("portville-*"))) == 1
    assert (project.archive / name).read_bytes() == expected


def test_archive_an_address(project: Project, served):
    """The address and the publisher (its host) are where the page was fetched; the page's own claims are notes."""
    result = project.run("archive", f"{served}/blog-post.html", "--allow-private", *FLAGS)
    assert result.returncode == 0, result.stderr
    sources = yaml.safe_load((project.facts / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    assert sources[-1]["url"] == f"{served}/blog-post.html"
    assert sources[-1]["publisher"] == "127.0.0.1"
    assert (
        "note: the page names its site 'Robot Notes' (og:site_name or the like); not used as the publisher"
        in result.stderr
    )


def test_archive_never_overwrites_another_text(project: Project):
    name = "taken.txt"
    (project.archive / name).write_text("Another text entirely.\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in project.archive.iterdir()}
    facts = (project.facts / "sources.yaml").read_bytes()
    result = project.run("archive", str(FIXTURES / "news-article.html"), "--archive-file", name, *GAZETTE, *FLAGS)
    assert result.returncode == 1
    assert "holds another text" in result.stderr and "nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in project.archive.iterdir()} == before
    assert (project.facts / "sources.yaml").read_bytes() == facts


def test_archive_refuses_a_page_with_no_article_and_writes_nothing(project: Project):
    before = sorted(p.name for p in project.archive.iterdir())
    result = project.run("archive", str(FIXTURES / "no-article.html"), *FLAGS)
    assert result.returncode == 1
    assert result.stderr.startswith("error: no article text found")
    assert sorted(p.name for p in project.archive.iterdir()) == before


def test_a_source_that_does_not_check_leaves_no_archived_text(project: Project):
    before = sorted(p.name for p in project.archive.iterdir())
    result = project.run("archive", str(FIXTURES / "news-article.html"), *GAZETTE, "--kind", "news-report")
    assert result.returncode == 2  # no reliability or summary
    assert "missing --reliability, --summary" in result.stderr
    assert sorted(p.name for p in project.archive.iterdir()) == before
