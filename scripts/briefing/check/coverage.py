"""Coverage: which sentences of each archived text the briefing uses, and why it leaves others out.

An omission should be a decision, not an accident. So each archived text is split into
sentences (`split_sentences`, deterministic), and each sentence is:
- used: a citation's quote stands in it (found as the quote check finds it);
- omitted: the registry's `coverage` section lists it, by a verbatim excerpt, with a reason;
- not reviewed: neither. Most sentences of a news text carry no claim, so this is never an
  error: the counts are shown on the source page and by `briefing stats`.
An excerpt is checked like a quote (found on word boundaries, at most 40 words) and must name
one sentence: it may not run across two, nor stand in two different ones (a copy that prints a
sentence twice prints the same sentence, and both prints take its status). A sentence both
quoted and listed as omitted is a warning, an error with --strict.
Only statuses are returned (`check_coverage`'s sentences): the site never republishes a sentence.
"""

from __future__ import annotations

import bisect
import itertools
import re
from pathlib import Path

from briefing.check.matching import ArchivedText, Span, _ends_clean, _starts_clean, normalise
from briefing.check.misquotes import diagnose
from briefing.check.quotes import _read_archive
from briefing.check.references import Ids, too_long
from briefing.load.model import Citation, Omission, Registry, Sentence, Source
from briefing.problems import Problem, error, warning

Sentences = dict[str, list[Sentence]]  # each archived text's sentences in order, by source id

# A sentence ends at . ! ? or an ellipsis, with any closing quotes or brackets after it (and a
# footnote number printed after them, "leadership.”3"), and at every line break.
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?:[0-9]{1,2}(?=\s))?")
_OPENING = "\"'\u201c\u2018(["
# Words a full stop follows without ending the sentence ("Alibaba Group Holding Ltd. and",
# "Meta Platforms Inc. said"); a single letter is an initial or part of one ("U.S.", "J. Smith").
ABBREVIATIONS = frozenset(
    "Inc Ltd Co Corp Plc Mr Mrs Ms Dr Prof St Jr Sr vs No Nos Gov Gen Sen Rep Dept Mt Ft "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec approx".split()
)
_LAST_WORD = re.compile(r"([^\W_]+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as [start, end) spans, white space trimmed; pieces with no letter or digit are dropped."""
    cuts = {0, len(text)}
    cuts.update(m.end() for m in re.finditer(r"\n", text))
    for match in _END.finditer(text):
        if _ends_sentence(text, match.start(), match.end()):
            cuts.add(match.end())
    spans = []
    ordered = sorted(cuts)
    for start, end in itertools.pairwise(ordered):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(c.isalnum() for c in text[start:end]):
            spans.append((start, end))
    return spans


def _ends_sentence(text: str, at: int, after: int) -> bool:
    """Whether the punctuation at text[at:after] ends a sentence."""
    single = text[at] == "." and text[at + 1 : at + 2] not in (".", "!", "?", "\u2026")
    if single and 0 < at and text[at - 1].isdigit() and text[at + 1 : at + 2].isdigit():
        return False  # a decimal: "1.4"
    if single:
        word = _LAST_WORD.search(text, max(0, at - 20), at)
        if word and (len(word.group(1)) == 1 and word.group(1).isalpha() or word.group(1) in ABBREVIATIONS):
            return False  # "U.S. sanctions", "Inc. and"
    if after == len(text):
        return True
    nxt = text[after]
    if nxt.isspace():
        rest = text[after:].lstrip()
        return not rest or not rest[0].islower()
    # Sentences run together ("listing.The investment"): a capitalised word or an opening quote,
    # but not a name with a dot inside it ("ASP.NET", "01.ai").
    follows = text[after + 1 : after + 2]
    return nxt in _OPENING or (nxt.isupper() and follows.islower())


def find_all(archived: ArchivedText, words: str) -> list[Span]:
    """Every place `words` stand in the text on word boundaries, as the quote check finds a quote."""
    folded = normalise(words)[0]
    text, where = archived.mapped
    found = []
    at = text.find(folded) if folded else -1
    while at != -1:
        end = at + len(folded)
        if _starts_clean(text, at, where) and _ends_clean(text, end, where, archived.footnoted):
            found.append(Span(where[at], where[end - 1] + 1))
        at = text.find(folded, at + 1)
    return found


def check_coverage(registry: Registry, archive_dir: Path, strict: bool) -> tuple[list[Problem], Sentences]:
    """Check every omission against its source's text; return the problems and each source's sentences.

    The sentences, with their status, are there for every source whose archive was read.
    """
    problems = _check_references(registry)
    by_source: Sentences = {}
    if not archive_dir.is_dir():
        return problems, by_source  # the quote check says the archive is missing
    omissions: dict[str, list[Omission]] = {}
    for omission in registry.omissions:
        omissions.setdefault(omission.source, []).append(omission)
    citations = _citations_by_source(registry)
    for source in registry.sources:
        archived, unread = _read_archive(source, archive_dir, "")
        if archived is None or unread:
            continue  # the quote check reports why
        sentences, found = _source_coverage(source, archived, citations.get(source.id, []), omissions, strict)
        by_source[source.id] = sentences
        problems += found
    return problems, by_source


def _check_references(registry: Registry) -> list[Problem]:
    sources = Ids("source", registry.sources, registry.invalid_ids.get("sources", set()))
    facts = Ids("fact", registry.facts, registry.invalid_ids.get("facts", set()))
    problems = []
    for entry in registry.coverage:
        problems += sources.check(entry.source, entry.origin.at("source"))
    for omission in registry.omissions:
        if omission.fact:
            problems += facts.check(omission.fact, omission.origin.at("fact"))
        if omission.duplicate_of:
            problems += sources.check(omission.duplicate_of, omission.origin.at("duplicate_of"))
        hint = "a few of the sentence's words are enough to name it"
        problems += too_long(omission.excerpt, omission.origin.at("excerpt"), "excerpt", hint)
    return problems


def _citations_by_source(registry: Registry) -> dict[str, list[tuple[Citation, str]]]:
    """Each source's citations, with what cites them for a message: "fact 'x'"."""
    out: dict[str, list[tuple[Citation, str]]] = {}
    for owner, citation in registry.citations():
        out.setdefault(citation.source, []).append((citation, owner))
    return out


def _source_coverage(
    source: Source,
    archived: ArchivedText,
    citations: list[tuple[Citation, str]],
    omissions: dict[str, list[Omission]],
    strict: bool,
) -> tuple[list[Sentence], list[Problem]]:
    """Each sentence of one source with the citations quoting it and the omission listing it."""
    text = archived.text
    spans = split_sentences(text)
    starts = [start for start, _ in spans]
    # A sentence printed twice (a copy that repeats the article) is one sentence: keyed by its words.
    keys = [" ".join(text[start:end].split()) for start, end in spans]
    used: dict[str, list[tuple[Citation, str]]] = {}
    for citation, owner in citations:
        span = archived.find(citation.quote)
        if span is None:
            continue  # the quote check reports it
        first = max(0, bisect.bisect_right(starts, span.start) - 1)
        for i in range(first, len(spans)):
            if spans[i][0] >= span.end:
                break
            if spans[i][1] > span.start:
                used.setdefault(keys[i], []).append((citation, owner))
    problems: list[Problem] = []
    listed: dict[str, tuple[Omission, str]] = {}
    for omission in omissions.get(source.id, []):
        key, problem = _omitted_sentence(source, archived, omission, spans, keys)
        if problem:
            problems.append(problem)
        elif key in listed:
            earlier = listed[key][0].origin.at("excerpt")
            said = f"this sentence of source '{source.id}' is already listed as omitted (line {earlier.line})"
            hint = "list each omitted sentence once"
            problems.append(error(omission.origin.at("excerpt"), said, hint, code="omitted-twice"))
        else:
            listed[key] = (omission, _shown(archived, omission.excerpt))
            if key in used:
                make = error if strict else warning
                problems.append(
                    make(
                        omission.origin.at("excerpt"),
                        f"this sentence of source '{source.id}' is quoted by {used[key][0][1]} and also listed as "
                        "omitted",
                        "a sentence a fact quotes is used: remove the omission, or the quote",
                        code="omitted-but-quoted",
                    )
                )
    sentences = []
    for key in keys:
        omission, excerpt = listed.get(key, (None, None))
        by = tuple(dict.fromkeys(citation for citation, _ in used.get(key, ())))
        sentences.append(Sentence(by, None if by else omission, None if by else excerpt))
    return sentences, problems


def _omitted_sentence(
    source: Source, archived: ArchivedText, omission: Omission, spans: list[tuple[int, int]], keys: list[str]
) -> tuple[str, Problem | None]:
    """The key of the one sentence an omission's excerpt names, or the problem with it."""
    where = omission.origin.at("excerpt")
    named = f"source '{source.id}' ({source.archive_file})"
    found = find_all(archived, omission.excerpt)
    if not found:
        why = diagnose(archived, omission.excerpt, where, f"in {named}")
        message = "excerpt" + why.message.removeprefix("quote")
        return "", error(where, message, why.hint, code="excerpt-not-found")
    inside = {
        keys[i] for span in found for i, (start, end) in enumerate(spans) if start <= span.start and span.end <= end
    }
    if not inside:
        return "", error(
            where,
            f"excerpt runs across two sentences of {named}",
            "an omission names one sentence: quote words from one of them",
            code="excerpt-across-sentences",
        )
    if len(inside) > 1:
        return "", error(
            where,
            f"excerpt stands in {len(inside)} different sentences of {named}",
            "quote more of the sentence you mean, so that the words name it alone",
            code="excerpt-ambiguous",
        )
    return inside.pop(), None


def _shown(archived: ArchivedText, excerpt: str) -> str:
    """The excerpt as the archive prints it."""
    span = archived.find(excerpt)
    return archived.shown(span) if span else excerpt
