"""The quote check: every citation's words must stand in the archived text of its source.

Only differences a copy of the same article can show are forgiven: white space (including
none at all after punctuation, as in run-together sentences), Unicode form, and typographic
quote marks, apostrophes and dashes. A changed word, or two words run into one, fails.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cached_property
from pathlib import Path

from .problems import Loc, Problem, error, warning
from .registry import Citation, Registry, Source

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
}


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold text for comparison, and map each folded character back to its index in `text`.

    White space is dropped except a single space between two letters or digits, so
    "listing.The" matches "listing. The" but "Zhipuhas" does not match "Zhipu has".
    """
    out: list[str] = []
    where: list[int] = []
    gap: int | None = None  # where the current run of white space started
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char):
            if part.isspace():
                gap = index if gap is None else gap
                continue
            part = _FOLD.get(part, part)
            if gap is not None and out and out[-1].isalnum() and part.isalnum():
                out.append(" ")
                where.append(gap)
            gap = None
            out.append(part)
            where.append(index)
    return "".join(out), where


_TABLE = str.maketrans(_FOLD)
_LONE_SPACE = re.compile(r"(?<![^\W_])\s++|\s++(?![^\W_])")  # white space not between two letters/digits
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """What `normalise` gives, without the map, at C speed: for matching many quotes fast."""
    text = unicodedata.normalize("NFKD", text).translate(_TABLE)
    return _SPACES.sub(" ", _LONE_SPACE.sub("", text))


class ArchivedText:
    """A source's archived text, folded once (when first needed) so every quote is a substring test."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def mapped(self) -> tuple[str, list[int]]:
        """The folded text with the map back to the archive's characters, made once per source."""
        return normalise(self.text)

    def contains(self, quote: str) -> bool:
        """True if the quote, folded the same way, stands in the text."""
        folded = fold(quote)
        return bool(folded) and folded in self.folded

    def mismatch_hint(self, quote: str) -> str:
        """Say where the quote parts from the source, in the source's own words."""
        folded_text, where = self.mapped  # the map back to the text: only once a quote fails
        folded, qwhere = normalise(quote)
        low, high = 0, len(folded)
        while low < high:  # the longest prefix of the quote found in the text
            mid = (low + high + 1) // 2
            if folded[:mid] in folded_text:
                low = mid
            else:
                high = mid - 1
        if low < min(12, len(folded)):
            return "no passage of the source starts like this quote; copy the words from the archived text"
        start = folded_text.find(folded[:low])
        matched = quote[: qwhere[low - 1] + 1]
        quote_rest = quote[qwhere[low] :] if low < len(qwhere) else ""
        source_at = where[start + low] if start + low < len(where) else len(self.text)
        source_rest = self.text[source_at:]
        return (
            f"matches the source up to {_clip(matched, tail=True)!r}; "
            f"then the quote has {_clip(quote_rest)!r} where the source has {_clip(source_rest)!r}"
        )


def _clip(text: str, tail: bool = False, size: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    return "..." + text[-size:] if tail else text[:size] + "..."


def sha256_of(data: bytes) -> str:
    """The archive checksum recorded in the registry."""
    return hashlib.sha256(data).hexdigest()


# A failing quote's hint searches the source for where the quote parts from it: worth it for the
# few a contributor is fixing, not for thousands at once (a file pasted from the wrong source).
HINTED = 20
UNHINTED = f"no hint: only the first {HINTED} quotes not found get one; fix those and check again"


def check_quotes(
    registry: Registry, archive_dir: Path, strict: bool, shown_as: str | None = None, verified: set[str] | None = None
) -> list[Problem]:
    """Check archive files (safe name, present, checksum) and that every quote stands in its source.

    `shown_as` is how messages name the archive folder (relative to the project, usually).
    `verified` holds keys of quotes found before in an archive text with the same checksum (a
    cache kept between runs): those are not searched again. On return it holds this run's keys.
    """
    known = set(verified or ())
    verified = set() if verified is None else verified
    verified.clear()
    citations = _citations_by_source(registry)
    shown = shown_as or archive_dir.as_posix()
    if not archive_dir.is_dir():
        count = sum(len(c) for c in citations.values())
        make = error if strict else warning
        return [
            make(
                Loc(shown),
                f"archive folder not found: {count} quotes in {len(citations)} sources went unverified",
                "pass --sources DIR (or set BRIEFING_SOURCES) to the folder of archived source texts",
            )
        ]
    problems: list[Problem] = []
    failed = 0
    for source in registry.sources:
        archived, source_problems = _read_archive(source, archive_dir, shown)
        problems += source_problems
        if archived is None:
            continue
        for citation in citations.get(source.id, []):
            key = hashlib.sha256(f"{source.archive_sha256}\0{citation.quote}".encode()).hexdigest()
            if key in known or archived.contains(citation.quote):
                verified.add(key)
            else:
                failed += 1
                problems.append(
                    error(
                        citation.origin.at("quote"),
                        f"quote not found in source '{source.id}' ({source.archive_file})",
                        archived.mismatch_hint(citation.quote) if failed <= HINTED else UNHINTED,
                    )
                )
    return problems


def _citations_by_source(registry: Registry) -> dict[str, list[Citation]]:
    out: dict[str, list[Citation]] = {}
    for fact in registry.facts:
        for citation in fact.citations:
            out.setdefault(citation.source, []).append(citation)
    for disagreement in registry.disagreements:
        for variant in disagreement.variants:
            for citation in variant.citations:
                out.setdefault(citation.source, []).append(citation)
    return out


def _read_archive(source: Source, archive_dir: Path, shown: str) -> tuple[ArchivedText | None, list[Problem]]:
    name = source.archive_file
    where = source.origin.at("archive", "file")
    if Path(name).name != name or name in (".", "..") or "\\" in name or "\0" in name:
        return None, [error(where, f"archive file {name!r} must be a plain file name inside the archive folder")]
    path = archive_dir / name
    if path.is_symlink():
        return None, [error(where, f"archive file {name!r} is a symbolic link; archive the text itself")]
    if not path.is_file():
        return None, [error(where, f"archive file {name!r} not found in {shown}", "add the text file, or fix the name")]
    data = path.read_bytes()
    actual = sha256_of(data)
    if actual != source.archive_sha256:
        return None, [
            error(
                source.origin.at("archive", "sha256"),
                f"archive file {name!r} does not match the recorded sha256; the file's is {actual}",
                "if the file's text is the right one, record its checksum and re-check every quote from it",
            )
        ]
    try:
        return ArchivedText(data.decode("utf-8")), []
    except UnicodeDecodeError:
        return None, [error(where, f"archive file {name!r} is not UTF-8 text")]
