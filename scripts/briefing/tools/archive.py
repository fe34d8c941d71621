"""A saved page, a PDF or an address turned into an archived source text, and what it says of itself.

The main text is extracted (trafilatura for HTML, pypdf for PDF: picked by measuring on the
fixture pages in tests/fixtures/archive/, see README), named safely, and kept in the archive
folder by its sha256; the page's own metadata (title, author, date, from meta tags and
JSON-LD) fills what it can of a `new source` entry. The address and publisher are where the
page was fetched from: what it says of its own address and site (canonical, og:site_name) is
only reported, as a page can claim to be anyone's. Nothing is written here: the CLI writes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from briefing.tools.fetch import DEADLINE, EVERYWHERE, FetchError, fetch, shown

MAX_BYTES = 10 * 2**20  # a saved article is well under this; anything larger is refused unread
MIN_TEXT = 200  # characters of main text below which a page has no article
PDF_SECONDS = 60.0  # for reading one PDF's text
MAX_PAGES = 300  # distinct pages of a PDF
MAX_CHARS = 2_000_000  # characters of text from one PDF (a 300-page report has about 1 million)
CHILD_MEMORY = 2 * 2**30  # bytes of address space for the process that reads a PDF


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
    notes: tuple[str, ...] = ()  # what the page claims but is not recorded, and decoding warnings

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def retrieved_today() -> str:
    """The date the copy is taken, for the source's `retrieved` (YYYY-MM-DD): today, on this machine's clock."""
    return date.today().isoformat()


def read(location: str, deadline: float = DEADLINE, allow_private: bool = False) -> tuple[bytes, str, str | None]:
    """The bytes of a file or an http(s) address, with its kind ('html' or 'pdf') and the address it came from."""
    path = Path(location)
    if not path.is_file() and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", location):
        return _download(location, deadline, allow_private)
    if not path.is_file():
        raise ArchiveError(f"{shown(location)}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArchiveError(f"{location}: {size:,} bytes; the limit is {MAX_BYTES:,}")
    data = path.read_bytes()
    return data, _kind(data, path.suffix.lower()), None


def _download(url: str, deadline: float, allow_private: bool) -> tuple[bytes, str, str]:
    """A page from the network under fetch's rules: public addresses only, one deadline, MAX_BYTES."""
    if not re.match(r"(?i)https?://", url):
        raise ArchiveError(f"{shown(url)}: only http:// and https:// addresses can be archived")
    try:
        response = fetch(
            url,
            deadline=deadline,
            max_bytes=MAX_BYTES,
            allow=EVERYWHERE if allow_private else (),
            user_agent="briefing-archive/1",
        )
    except FetchError as exc:
        raise ArchiveError(f"{shown(url)}: cannot download it: {exc}") from None
    if not 200 <= response.status < 300:
        raise ArchiveError(f"{shown(url)}: cannot download it: HTTP {response.status}")
    kind = "pdf" if "pdf" in response.headers.get("Content-Type", "") else None
    return response.body, kind or _kind(response.body, _suffix(response.url)), response.url


def _suffix(url: str) -> str:
    try:
        return Path(urlsplit(url).path).suffix.lower()
    except ValueError:
        return ""


def _kind(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return "pdf"
    return "html"


def extract(data: bytes, kind: str, url: str | None = None, pdf_seconds: float = PDF_SECONDS) -> Extracted:
    """The main text and metadata of an HTML page or a PDF; ArchiveError if it has no article.

    `url` is the address the data was fetched from: the source's address and, by its host,
    its publisher. What the page says of its own address and site is only reported in `notes`.
    """
    found = _pdf(data, pdf_seconds) if kind == "pdf" else _html(data, url)
    text = _tidy(found.text)
    if len(text) < MIN_TEXT:
        raise ArchiveError(
            f"no article text found ({len(text)} characters after navigation, ads and comments "
            f"are removed; an article has at least {MIN_TEXT})"
        )
    host = _host(url)
    notes = list(found.notes)
    if host:
        notes.append(f"publisher '{shown(host)}': the host it was fetched from (pass --publisher to name it)")
    return Extracted(text, found.title, host, found.author, found.published, url, tuple(notes))


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _html(data: bytes, url: str | None) -> Extracted:
    import trafilatura  # a heavy import: only when a page is archived
    from trafilatura.deduplication import LRU_TEST

    LRU_TEST.clear()  # its de-duplication remembers text across calls: the same page, the same text
    html, warning = _decode(data)
    text = (
        trafilatura.extract(
            html, url=url, favor_precision=True, include_comments=False, include_tables=True, deduplicate=True
        )
        or ""
    )
    notes = [warning] if warning else []
    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is None:
        return Extracted(text, notes=tuple(notes))
    if meta.url and meta.url != url:
        notes.append(f"the page gives its address as '{shown(meta.url)}' (canonical or og:url); not recorded")
    if meta.sitename and meta.sitename != _host(url):
        notes.append(
            f"the page names its site '{shown(meta.sitename)}' (og:site_name or the like); not used as the publisher"
        )
    return Extracted(
        text, title=meta.title or None, author=meta.author or None, published=_date(meta.date), notes=tuple(notes)
    )


# Declared charsets a page may name: the WHATWG Encoding Standard's labels for real text
# encodings, each with the Python codec that reads it. Any other name (punycode, utf-7,
# unicode_escape, rot13, ...) is a Python codec that is no text encoding, some of them slow.
ENCODINGS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16le",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16": "utf-16",
    "utf-32": "utf-32",
    "utf-32-le": "utf-32le",
    "utf-32-be": "utf-32be",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 "
    "iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 "
    "windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022-jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
    "windows-949",
}
CODEC_OF_LABEL = {label: codec for codec, labels in ENCODINGS.items() for label in labels.split()}


def _decode(data: bytes) -> tuple[str, str | None]:
    """An HTML page's text, and a warning if it names no text encoding we read.

    As its <meta charset> says (a WHATWG label), else UTF-8, else Windows-1252 (as browsers guess);
    a name that is no text encoding is not used: the page is read as UTF-8 with replacement.
    """
    match = re.search(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?([^\s"'/>;]{1,64})""", data[:4096], re.I)
    declared = match.group(1).decode("ascii", "replace").strip().lower() if match else None
    codec = CODEC_OF_LABEL.get(declared or "")
    if declared and not codec:
        warning = f"the page declares charset '{shown(declared)}', which is no text encoding; read it as UTF-8"
        return data.decode("utf-8", "replace"), warning
    for encoding in ([codec] if codec else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace"), None


def _pdf(data: bytes, seconds: float) -> Extracted:
    """A PDF's text, read by pypdf in a child process that is ended after `seconds`."""
    import json
    import os
    import subprocess
    import sys

    scripts = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [scripts, os.environ.get("PYTHONPATH")]))}
    child = "from briefing.tools.archive import _pdf_child; _pdf_child()"
    command = [sys.executable, "-P", "-c", child, str(MAX_PAGES), str(MAX_CHARS)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=seconds, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise ArchiveError(f"reading the PDF took longer than {seconds:g} s; the limit is {seconds:g} s") from None
    try:
        found = json.loads(done.stdout)
    except ValueError:
        raise ArchiveError(f"not a readable PDF: {shown(done.stderr.decode('utf-8', 'replace')[-300:])}") from None
    if "error" in found:
        raise ArchiveError(found["error"])
    created = found["created"]
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", created)
    published = "-".join(p for p in match.groups() if p) if match else None
    return Extracted(found["text"], title=_clean(found["title"]), author=_clean(found["author"]), published=published)


def _pdf_child() -> None:
    """In the child process: a PDF from stdin to JSON on stdout, within the page and character caps of argv."""
    import json
    import logging
    import sys

    logging.disable(logging.CRITICAL)  # pypdf's warnings about a broken file: as many as the file asks for
    try:
        import resource  # Unix: a PDF that asks for more memory than this fails instead of swapping

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    except (ImportError, ValueError, OSError):
        pass

    print(json.dumps(_pdf_text(sys.stdin.buffer.read(), int(sys.argv[1]), int(sys.argv[2]))))


def _pdf_text(data: bytes, max_pages: int, max_chars: int) -> dict[str, str]:
    import io

    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if len(reader.pages) > max_pages:
            return {"error": f"the PDF has {len(reader.pages):,} pages; the limit is {max_pages:,}"}
        seen: set[tuple[int, int]] = set()
        texts: list[str] = []
        size = 0
        for number, page in enumerate(reader.pages, 1):
            ref = page.indirect_reference
            key = (ref.idnum, ref.generation) if ref is not None else (-number, 0)
            if key in seen:
                return {"error": f"the PDF lists one page object more than once (page {number}); refused"}
            seen.add(key)
            texts.append(page.extract_text() or "")
            size += len(texts[-1])
            if size > max_chars:
                return {"error": f"the PDF has more than {max_chars:,} characters of text; the limit is {max_chars:,}"}
        info = reader.metadata or {}
        return {
            "text": "\n\n".join(texts),
            "title": str(info.get("/Title") or ""),
            "author": str(info.get("/Author") or ""),
            "created": str(info.get("/CreationDate") or ""),
        }
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        return {"error": f"not a readable PDF: {shown(str(exc))}"}


def _clean(value) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _date(value: str | None) -> str | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    return "-".join(p for p in match.groups() if p) if match else None


def _tidy(text: str) -> str:
    """One paragraph a line, blank lines between, no trailing white space; NFC."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate (from a broken PDF) as '?'
    paragraphs = [" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines()]
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def file_name(extracted: Extracted) -> str:
    """A safe archive name: words of the title (or address), then the start of the text's hash."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", extracted.title or extracted.url or "page").lower())
    stem = "-".join(words[:8])[:60].strip("-") or "page"
    return f"{stem}-{extracted.sha256[:12]}.txt"
