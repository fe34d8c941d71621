"""A saved page, a PDF or an address turned into an archived source text, and what it says of itself.

The main text is extracted (trafilatura for HTML, pypdf for PDF: picked by measuring on the
fixture pages in tests/fixtures/archive/, see README), named safely, and kept in the archive
folder by its sha256; the page's own metadata (title, site, author, date, from meta tags and
JSON-LD) fills what it can of a `new source` entry. Nothing is written here: the CLI writes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

MAX_BYTES = 10 * 2**20  # a saved article is well under this; anything larger is refused unread
MIN_TEXT = 200  # characters of main text below which a page has no article
TIMEOUT = 20  # seconds for a download


class ArchiveError(ValueError):
    """Why a page cannot be archived: said to the contributor, nothing written."""


@dataclass(frozen=True)
class Extracted:
    """A page's main text and what it says of itself (None where it says nothing)."""

    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def read(location: str) -> tuple[bytes, str, str | None]:
    """The bytes of a file or an http(s) address, with its kind ('html' or 'pdf') and its address."""
    path = Path(location)
    if not path.is_file() and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", location):
        return _download(location)
    if not path.is_file():
        raise ArchiveError(f"{location}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArchiveError(f"{location}: {size:,} bytes; the limit is {MAX_BYTES:,}")
    data = path.read_bytes()
    return data, _kind(data, path.suffix.lower()), None


def _download(url: str) -> tuple[bytes, str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArchiveError(f"{url}: only http:// and https:// addresses can be archived")
    request = urllib.request.Request(url, headers={"User-Agent": "briefing-archive/1"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (scheme checked)
            final = response.geturl()
            if urlsplit(final).scheme not in ("http", "https"):
                raise ArchiveError(f"{url}: redirected to {final}, which is not http(s)")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise ArchiveError(f"{url}: {int(declared):,} bytes; the limit is {MAX_BYTES:,}")
            data = response.read(MAX_BYTES + 1)
            kind = "pdf" if "pdf" in response.headers.get("Content-Type", "") else None
    except (urllib.error.URLError, OSError) as exc:
        raise ArchiveError(f"{url}: cannot download it: {getattr(exc, 'reason', exc)}") from None
    if len(data) > MAX_BYTES:
        raise ArchiveError(f"{url}: more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}")
    return data, kind or _kind(data, Path(urlsplit(final).path).suffix.lower()), final


def _kind(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return "pdf"
    return "html"


def extract(data: bytes, kind: str, url: str | None = None) -> Extracted:
    """The main text and metadata of an HTML page or a PDF; ArchiveError if it has no article."""
    found = _pdf(data) if kind == "pdf" else _html(data, url)
    text = _tidy(found.text)
    if len(text) < MIN_TEXT:
        raise ArchiveError(
            f"no article text found ({len(text)} characters after navigation, ads and comments "
            f"are removed; an article has at least {MIN_TEXT})"
        )
    return Extracted(text, found.title, found.publisher, found.author, found.published, found.url or url)


def _html(data: bytes, url: str | None) -> Extracted:
    import trafilatura  # a heavy import: only when a page is archived

    html = _decode(data)
    text = (
        trafilatura.extract(
            html, url=url, favor_precision=True, include_comments=False, include_tables=True, deduplicate=True
        )
        or ""
    )
    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is None:
        return Extracted(text)
    return Extracted(
        text,
        title=meta.title or None,
        publisher=meta.sitename or None,
        author=meta.author or None,
        published=_date(meta.date),
        url=meta.url or None,
    )


def _decode(data: bytes) -> str:
    """An HTML page's text: as its <meta charset> says, else UTF-8, else Windows-1252 (as browsers guess)."""
    match = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
    for encoding in ([match.group(1).decode("ascii")] if match else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _pdf(data: bytes) -> Extracted:
    import io

    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        info = reader.metadata or {}
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise ArchiveError(f"not a readable PDF: {exc}") from None
    created = str(info.get("/CreationDate") or "")
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", created)
    published = "-".join(p for p in match.groups() if p) if match else None
    return Extracted(text, title=_clean(info.get("/Title")), author=_clean(info.get("/Author")), published=published)


def _clean(value) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _date(value: str | None) -> str | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    return "-".join(p for p in match.groups() if p) if match else None


def _tidy(text: str) -> str:
    """One paragraph a line, blank lines between, no trailing white space; NFC."""
    paragraphs = [" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines()]
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def file_name(extracted: Extracted) -> str:
    """A safe archive name: words of the title (or address), then the start of the text's hash."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", extracted.title or extracted.url or "page").lower())
    stem = "-".join(words[:8])[:60].strip("-") or "page"
    return f"{stem}-{extracted.sha256[:12]}.txt"
