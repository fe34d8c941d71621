"""Evidence checks: what the site promises about its sources must be true of their texts.

A fact's "N independent sources", "Claim by X" and "X, as reported by Y (from Z)" are
promises to the reader. So:
- A speaker is found in the source: the entity's name or an alias stands in the quote's
  paragraph (text between blank lines; in a text without blank lines, its line; in a
  paragraph of more than five sentences, the quote's sentences and two either side). A `via`
  is found the same way, by its distinctive words, or in a credit line after the quote
  ("Source: Reuters") before the next blank line.
- One document is one source: two sources with the same archive (by checksum, or by text
  once white space is set aside) are refused.
- A citation counts only if it supports the statement: its source's quotes for the fact carry
  one of the statement's figures (or the fact's conversion from that source) and, when both
  name years, one of the statement's years. Background is marked `role: context`.
Whether the words mean what the statement says is the editor's judgement; these checks only
refuse what the texts plainly contradict.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.check.figures import Figure, amount, figures, years
from briefing.check.fragments import fragment_context
from briefing.check.remembered import each_fact
from briefing.load.model import Citation, Fact, Registry, Source
from briefing.problems import Problem, error

if TYPE_CHECKING:
    from briefing.check.matching import ArchivedText

# Words that name no particular document or outlet: a `via` needs at least one other word,
# and only the other words are looked for in the source.
GENERIC = frozenset(
    """a an the and or of in on at to for by with from as its it's his her their our s
    report reports statement statements post posts blog article articles announcement announcements
    release releases press interview website site account official annual filing paper note letter
    document page story news""".split()
)
SENTENCES_IN_A_PARAGRAPH = 5  # a longer paragraph is read as the quote's sentences and two either side
WINDOW = 2
_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # remembered answers are this code's
REACH = 3000  # characters either side of a quote that its paragraph, or a credit line, may be found in
HINT_CHARS = 300

_TOKEN = re.compile(r"[^\W_]+")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
# A sentence ends at . ! ? or …, after any closing quotes or brackets, before white space or a
# capital letter (copies run sentences together: "listing.The investment").
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*(?=\s|[A-Z\u201c\"])")
_CREDIT = re.compile(r"\bsources?\s*:\s*(\S[^\n]*)$", re.I | re.M)
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """Text as names are compared: compatibility forms, case and typographic apostrophes folded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded.replace("\u2019", "'").replace("\u2018", "'")


def tokens(text: str) -> list[str]:
    """The words of a text, folded."""
    return _TOKEN.findall(fold(text))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """True if `needle` stands in `haystack` as consecutive whole words."""
    n = len(needle)
    if not n:
        return False
    first = needle[0]
    return any(haystack[i : i + n] == needle for i, word in enumerate(haystack) if word == first)


# --- the paragraph around a quote ---------------------------------------------------------


def paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the paragraph around text[start:end] is: see the module's docstring.

    At most REACH characters either side of the quote are read, so a text of one huge paragraph
    costs no more per quote than an ordinary one.
    """
    starts, ends = _breaks(text)
    i = bisect.bisect_right(ends, start)  # the breaks that end before the quote starts
    low = ends[i - 1] if i else 0
    j = bisect.bisect_left(starts, end)  # the first break that starts after the quote ends
    high = starts[j] if j < len(starts) else len(text)
    low, high = max(low, start - REACH), min(high, end + REACH)
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, low, high)]
    bounds = [low] + [c for c in cuts if low < c < high] + [high]
    if len(bounds) - 1 <= SENTENCES_IN_A_PARAGRAPH:
        return low, high
    first = max(i for i, b in enumerate(bounds[:-1]) if b <= start)
    last = min(i for i, b in enumerate(bounds) if b >= end)
    return bounds[max(0, first - WINDOW)], bounds[min(len(bounds) - 1, last + WINDOW)]


@lru_cache(maxsize=8)
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """Where paragraph breaks start and end: blank lines, or every line break in a text without them."""
    found = list(_BLANK_LINE.finditer(text)) or list(re.finditer(r"\n", text))
    return [m.start() for m in found], [m.end() for m in found]


def shown(text: str, size: int = HINT_CHARS) -> str:
    """Archived text for a hint: one line, no control characters, clipped."""
    flat = " ".join(_UNPRINTABLE.sub(" ", text).split())
    return flat if len(flat) <= size else flat[: size - 3] + "..."


# --- speakers and vias, in the archived text --------------------------------------------


def check_speakers_in_text(
    registry: Registry, source: Source, archived: ArchivedText, citations: Iterable[Citation]
) -> list[Problem]:
    """Each speaker and via of a found quote stands in the quote's paragraph of `source`'s text."""
    entities = {e.id: e for e in registry.entities}
    problems: list[Problem] = []
    for citation in citations:
        if not (citation.speaker or citation.via):
            continue
        span = archived.find(citation.quote)
        if span is None:
            continue  # the quote check reports it
        low, high = paragraph(archived.text, span.start, span.end)
        words = tokens(archived.text[low:high])
        hint = f"the paragraph reads: {shown(archived.text[low:high])!r}"
        entity = entities.get(citation.speaker) if citation.speaker else None
        if entity and not any(_contains(words, tokens(name)) for name in _names(entity)):
            problems.append(
                error(
                    citation.origin.at("speaker"),
                    f"speaker '{entity.id}' is not named in the quote's paragraph of source '{source.id}'"
                    f" ({source.archive_file}): neither {entity.name!r} nor an alias stands there",
                    hint + "; words the source gives in its own voice have no 'speaker'",
                    code="speaker-not-in-paragraph",
                )
            )
        if citation.via:
            distinctive = [w for w in tokens(citation.via) if w not in GENERIC]
            if not distinctive:
                said = f"via {citation.via!r} names no particular document or outlet"
                hint = "name whose report or statement it is, as the source does ('Reuters', 'OpenAI's blog post')"
                problems.append(error(citation.origin.at("via"), said, hint, code="vague-via"))
            elif not (_all_in(distinctive, words) or _credited(archived.text, span.end, distinctive)):
                missing = [w for w in distinctive if w not in words]
                said = (
                    f"via {citation.via!r} is not named in the quote's paragraph of source '{source.id}'"
                    f" ({source.archive_file}): {', '.join(repr(w) for w in missing)} not found"
                )
                told = hint + "; a via is where the source says the words come from, in its own words"
                problems.append(error(citation.origin.at("via"), said, told, code="via-not-in-paragraph"))
    return problems


def _names(entity) -> list[str]:
    """An entity's name and aliases that could name it in a text (not an alias of only common words)."""
    return [n for n in (entity.name, *entity.aliases) if any(w not in GENERIC for w in tokens(n))]


def _all_in(wanted: list[str], words: list[str]) -> bool:
    present = set(words)
    return all(w in present for w in wanted)


def _credited(text: str, after: int, wanted: list[str]) -> bool:
    """A credit line ("Source: Reuters") after the quote, before the next blank line, names it."""
    blank = _BLANK_LINE.search(text, after, after + REACH)
    section = text[after : blank.start() if blank else after + REACH]
    return any(_all_in(wanted, tokens(m.group(1))) for m in _CREDIT.finditer(section))


# --- one document is one source ---------------------------------------------------------


def check_same_archives(registry: Registry) -> list[Problem]:
    """Two sources with one archive checksum are one document, registered twice."""
    return _one_document(
        registry.sources,
        lambda source: source.archive_sha256,
        "sha256",
        lambda earlier, source: f"(sha256 {source.archive_sha256[:12]}...)",
        lambda earlier, source: earlier.id == source.id,  # one id twice: the duplicate is the problem
    )


def check_same_texts(registry: Registry, texts: dict[str, str]) -> list[Problem]:
    """Two sources whose archived texts differ only in white space are one document too."""
    return _one_document(
        [s for s in registry.sources if s.id in texts],
        lambda source: " ".join(texts[source.id].split()),
        "file",
        lambda earlier, source: f"once white space is set aside ({earlier.archive_file}, {source.archive_file})",
        lambda earlier, source: earlier.archive_sha256 == source.archive_sha256,  # check_same_archives says so
    )


def _one_document(
    sources: list[Source],
    key: Callable[[Source], str],
    field: str,
    how: Callable[[Source, Source], str],
    said: Callable[[Source, Source], bool],
) -> list[Problem]:
    """Each source whose `key` an earlier one has is that document again, unless `said` already."""
    first: dict[str, Source] = {}
    problems = []
    for source in sources:
        if source.origin.partial:
            continue  # judged once its own problems are fixed
        earlier = first.setdefault(key(source), source)
        if earlier is not source and not said(earlier, source):
            problems.append(
                error(
                    source.origin.at("archive", field),
                    f"sources '{earlier.id}' and '{source.id}' have the same archived text {how(earlier, source)}: "
                    "one document is one source",
                    f"cite '{earlier.id}' and remove '{source.id}'; a repost of it has a copy of its own",
                    code="same-document",
                )
            )
    return problems


# --- links to a quote's words on the publisher's page -----------------------------------


def fragment_contexts(
    source: Source, text: str, found: Iterable[tuple[Citation, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """The words around each found quote (with its words as the archive prints them) whose link to
    the publisher's page needs them, by (source id, quote as typed)."""
    if not source.url:
        return {}
    lines = "\n".join(" ".join(line.split()) for line in text.splitlines())
    contexts = {}
    for citation, words in found:
        context = fragment_context(lines, words)
        if context != ("", ""):
            contexts[(citation.source, citation.quote)] = context
    return contexts


# --- support: a counted citation carries the statement ----------------------------------


def check_support(
    registry: Registry, remembered: Mapping[str, str] | None = None
) -> tuple[list[Problem], dict[str, str]]:
    """Each source counted for a fact carries its figures and its year; background is marked context.

    `remembered` holds the keys of facts found supported before (the parse cache's map of clean
    answers): those are not read again. Returns the problems and the keys of this run's supported facts.
    """
    problems, known = each_fact(registry.facts, _support_key, _fact_support, remembered)
    for disagreement in registry.disagreements:
        for variant in disagreement.variants:
            for i, citation in enumerate(variant.citations):
                if not citation.supports:
                    said = f"disagreement '{disagreement.id}': a version's citations give it; none is context"
                    hint = "put background in the disagreement's note"
                    where = variant.origin.at("citations", i, "role")
                    problems.append(error(where, said, hint, code="version-only-context"))
    return problems, known


def _support_key(fact: Fact) -> str:
    """What a fact's support depends on, with this code's version: the same key, the same (clean) answer."""
    parts = (
        fact.statement,
        fact.value,
        fact.converted,
        fact.derived,
        [(c.source, c.quote, c.role) for c in fact.citations],
    )
    return "support:" + hashlib.sha256(f"{_VERSION}\0{parts!r}".encode()).hexdigest()


def _fact_support(fact: Fact) -> list[Problem]:
    supporting = [c for c in fact.citations if c.supports]
    if not supporting:
        return [
            error(
                fact.origin.at("citations"),
                f"fact '{fact.id}' has no supporting citation: every one is marked 'role: context'",
                "a fact rests on at least one source whose words carry it",
                code="no-supporting-citation",
            )
        ]
    stated = _stated_figures(fact)
    named_years = years(fact.statement)
    if not stated and not named_years:
        return []  # nothing to carry: the quotes are not read again
    if stated:
        quoted_anywhere = [f for c in fact.citations for f in figures(c.quote)]
        stated = [s for s in stated if any(s.same_amount(q) for q in quoted_anywhere)]
    problems = []
    by_source: dict[str, list[Citation]] = {}
    for citation in supporting:
        by_source.setdefault(citation.source, []).append(citation)
    for source, group in by_source.items():
        quoted = [f for c in group for f in figures(c.quote)]
        carries = any(s.same_amount(q) for s in stated for q in quoted) or any(
            _carried(c, quoted) for c in fact.converted if c.source == source
        )
        first = group[0]
        if stated and not carries:
            problems.append(
                error(
                    first.origin.at("quote"),
                    f"fact '{fact.id}': source '{source}' carries none of the statement's figures "
                    f"({', '.join(repr(s.text) for s in stated)}), so it cannot count as one of its sources",
                    "mark the citation 'role: context' (shown as background, not counted), or quote the "
                    "source's words for the figure",
                    code="source-lacks-figures",
                )
            )
            continue
        quoted_years = set().union(*(years(c.quote) for c in group)) if named_years else set()
        if quoted_years and not quoted_years & named_years:
            problems.append(
                error(
                    first.origin.at("quote"),
                    f"fact '{fact.id}': source '{source}' dates its words to "
                    f"{', '.join(map(str, sorted(quoted_years)))}, not to the statement's "
                    f"{', '.join(map(str, sorted(named_years)))}, so it cannot count as one of its sources",
                    "mark the citation 'role: context' (shown as background, not counted), or quote the "
                    "source's words for the statement's event",
                    code="source-lacks-dates",
                )
            )
    return problems


def _stated_figures(fact: Fact) -> list[Figure]:
    """The statement's figures and its value, but not ours (derived): a figure in no quote at all is
    the figure check's to report."""
    derived = [f for d in fact.derived for f in figures(d.figure)]
    stated = list(figures(fact.statement))
    if fact.value:
        value = amount(fact.value.amount, fact.value.unit)
        stated.append(replace(value, text=f"{fact.value.amount:,} {fact.value.unit}"))
    return [s for s in stated if not any(s.same_amount(d) for d in derived)]


def _carried(converted, quoted: list[Figure]) -> bool:
    """The source's quotes give its conversion of the fact's value."""
    figure = amount(converted.amount, converted.unit)
    return any(figure.same_amount(q) for q in quoted)
