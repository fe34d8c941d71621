"""The quote check: every archive file is safe, present and unchanged, and every citation's words stand in it.

Where a quote stands is found by matching.py, on word boundaries; why one does not, by
misquotes.py. The site shows each quote as the archive has it: the matched span's own
characters, whatever the contributor typed (`FoundQuotes.words`, which the pages are given).
How many words a quote needs to be evidence is checked in references.py, with its length limit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefing.check.evidence import check_same_texts, check_speakers_in_text, fragment_contexts
from briefing.check.matching import ArchivedText
from briefing.check.misquotes import diagnose, not_found
from briefing.load.model import Citation, Registry, Sentence, Source
from briefing.problems import Loc, Problem, error, warning


def sha256_of(data: bytes) -> str:
    """The archive checksum recorded in the registry."""
    return hashlib.sha256(data).hexdigest()


# A failing quote's hint searches the source for where the quote parts from it: worth it for the
# few a contributor is fixing, not for thousands at once (a file pasted from the wrong source).
HINTED = 20
UNHINTED = f"no hint: only the first {HINTED} quotes not found get one; fix those and check again"


@dataclass
class FoundQuotes:
    """What the quote check found: kept for the next run, and given to the pages."""

    verified: dict[str, str] = field(default_factory=dict)  # quote key -> its archived words (the run's cache)
    words: dict[tuple[str, str], str] = field(default_factory=dict)  # (source id, quote as typed) -> as archived
    # The words just before and after a quote in its archive, where a link to the quote's words on the
    # publisher's page needs them (repeated words, a glued footnote), by (source id, quote as typed).
    contexts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # Each archived text's sentences with what the briefing does with each, by source id: what the
    # coverage check (coverage.py) returned, given to the pages with the quotes.
    sentences: dict[str, list[Sentence]] = field(default_factory=dict)


def check_quotes(
    registry: Registry,
    archive_dir: Path,
    strict: bool,
    shown_as: str | None = None,
    verified: Mapping[str, str] | None = None,
) -> tuple[list[Problem], FoundQuotes]:
    """Check archive files (safe name, present, checksum) and that every quote stands in its source.

    Returns the problems and the quotes found, as the archive prints them. `shown_as` is how
    messages name the archive folder. `verified` maps keys of quotes found before in an archive
    text with the same checksum (a cache kept between runs) to their archived words: those are
    not searched again.
    """
    known = verified or {}
    quotes = FoundQuotes()
    citations = _citations_by_source(registry)
    shown = shown_as or archive_dir.as_posix()
    if not archive_dir.is_dir():
        return [_unverified(citations, shown, strict)], quotes
    problems: list[Problem] = []
    failed = 0
    texts: dict[str, str] = {}
    for source in registry.sources:
        archived, source_problems = _read_archive(source, archive_dir, shown)
        problems += source_problems
        if archived is None:
            continue
        texts[source.id] = archived.text
        found: list[tuple[Citation, str]] = []
        for citation in citations.get(source.id, []):
            key = hashlib.sha256(f"{source.archive_sha256}\0{citation.quote}".encode()).hexdigest()
            words = known.get(key)
            if words is None:
                span = archived.find(citation.quote)
                words = archived.shown(span) if span else None
            if words is not None:
                quotes.verified[key] = words
                quotes.words[(source.id, citation.quote)] = words
                found.append((citation, words))
                continue
            failed += 1
            loc, where = citation.origin.at("quote"), f"in source '{source.id}' ({source.archive_file})"
            if failed <= HINTED:
                problems.append(diagnose(archived, citation.quote, loc, where))
            else:
                problems.append(not_found(loc, where, UNHINTED))
        problems += check_speakers_in_text(registry, source, archived, [citation for citation, _ in found])
        quotes.contexts.update(fragment_contexts(source, archived.text, found))
    return problems + check_same_texts(registry, texts), quotes


def _unverified(citations: dict[str, list[Citation]], shown: str, strict: bool) -> Problem:
    """No archive folder: every quote goes unverified (a warning, an error with --strict)."""
    count = sum(len(c) for c in citations.values())
    make = error if strict else warning
    return make(
        Loc(shown),
        f"archive folder not found: {count} quotes in {len(citations)} sources went unverified",
        "pass --sources DIR (or set BRIEFING_SOURCES) to the folder of archived source texts",
        code="archive-folder-missing",
    )


def _citations_by_source(registry: Registry) -> dict[str, list[Citation]]:
    out: dict[str, list[Citation]] = {}
    for _, citation in registry.citations():
        out.setdefault(citation.source, []).append(citation)
    return out


def _read_archive(source: Source, archive_dir: Path, shown: str) -> tuple[ArchivedText | None, list[Problem]]:
    name = source.archive_file
    where = source.origin.at("archive", "file")
    if Path(name).name != name or name in (".", "..") or "\\" in name or "\0" in name:
        return None, [
            error(
                where, f"archive file {name!r} must be a plain file name inside the archive folder", code="archive-name"
            )
        ]
    path = archive_dir / name
    if path.is_symlink():
        return None, [
            error(where, f"archive file {name!r} is a symbolic link; archive the text itself", code="archive-linked")
        ]
    if not path.is_file():
        return None, [
            error(
                where,
                f"archive file {name!r} not found in {shown}",
                "add the text file, or fix the name",
                code="archive-missing",
            )
        ]
    data = path.read_bytes()
    actual = sha256_of(data)
    if actual != source.archive_sha256:
        return None, [
            error(
                source.origin.at("archive", "sha256"),
                f"archive file {name!r} does not match the recorded sha256; the file's is {actual}",
                "if the file's text is the right one, record its checksum and re-check every quote from it",
                code="archive-changed",
            )
        ]
    try:
        return ArchivedText(data.decode("utf-8")), []
    except UnicodeDecodeError:
        return None, [error(where, f"archive file {name!r} is not UTF-8 text", code="archive-not-utf8")]
