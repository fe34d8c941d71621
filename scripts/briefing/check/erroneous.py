"""An erroneous version is not repeated: its wrong words stand in no text, name or id of ours.

A disagreement's version ranked erroneous quotes the wrong words in its claim ("..."); those
words stand in no statement, summary, entity name, alias or description (except as
"<outlet>'s wording: "..."" for an outlet the version cites), and in no id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.check.wording import WORD, as_phrase, at, fold, outlet_names, words
from briefing.load.model import Origin, Registry
from briefing.problems import Problem

_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")


def check_erroneous_wording(registry: Registry, make) -> list[Problem]:
    """The wrong words of a version ranked erroneous stand nowhere as ours: not in a text, a name or an id."""
    sources = {s.id: s for s in registry.sources}
    problems: list[Problem] = []
    wrong: list[tuple[tuple[str, ...], str, list[tuple[str, ...]]]] = []  # words, as quoted, who may be quoted
    for disagreement in registry.disagreements:
        for i, variant in enumerate(disagreement.variants):
            if variant.rank != "erroneous" or disagreement.origin.partial:
                continue
            where = f"disagreement '{disagreement.id}', version {i + 1}"
            quoted = [m.group(1) for m in _QUOTED.finditer(fold(variant.claim))]
            if not quoted:
                problems.append(
                    make(
                        variant.origin.at("claim"),
                        f"{where} is ranked erroneous, but its claim does not quote the wrong words",
                        "put the words the source gets wrong in double quotation marks: AsianFin calls Qwen-2.5-VL "
                        '"Meta\'s Qwen-2.5-VL"',
                        code="erroneous-words-unquoted",
                    )
                )
                continue
            cited = [words(c.quote) for c in variant.citations]
            owners = [
                p
                for c in variant.citations
                if c.source in sources
                for p in map(as_phrase, outlet_names(sources[c.source]))
            ]
            for phrase in quoted:
                tokens = as_phrase(phrase)
                if not tokens:
                    continue
                if not any(next(at(q, tokens), None) is not None for q in cited):
                    said = f"{where}: the claim's quoted words {phrase!r} are in none of its quotes"
                    hint = "quote the wrong words as the source prints them"
                    problems.append(make(variant.origin.at("claim"), said, hint, code="claim-words-unquoted"))
                    continue
                wrong.append((tokens, phrase, owners))
    if wrong:
        problems += _wrong_words_repeated(registry, wrong, make)
    return problems


def _wrong_words_repeated(registry: Registry, wrong: list, make) -> list[Problem]:
    """Each text and id read once; a phrase is looked for only where its first word stands."""
    problems = []
    for text, origin, fields, what in _texts(registry):
        present = set(words(text))
        for tokens, phrase, owners in wrong:
            if present.issuperset(tokens) and repeats(text, tokens, owners):
                problems.append(
                    make(
                        origin.at(*fields),
                        f"{what} repeats {phrase!r}, the wording of a version ranked erroneous",
                        "say it in correct words; where the wrong wording must be shown, quote it as the "
                        f"outlet's: (<outlet>'s wording: \"{phrase}\")",
                        code="repeats-erroneous-words",
                    )
                )
    for entry_id, origin, what in _ids(registry):
        parts = entry_id.split("-")
        present = set(parts)
        for tokens, phrase, _ in wrong:
            if present.issuperset(tokens) and next(at(parts, tokens), None) is not None:
                problems.append(
                    make(
                        origin.at("id"),
                        f"{what} id '{entry_id}' spells {phrase!r}, the wording of a version ranked erroneous",
                        "rename the id (and every reference to it): an address must not repeat an error",
                        code="id-spells-erroneous-words",
                    )
                )
    return problems


def _texts(registry: Registry) -> Iterator[tuple[str, Origin, tuple, str]]:
    """Every text the site shows as ours: the text, its entry's origin and field, and what it is."""
    briefing = registry.briefing
    if briefing:
        yield briefing.title, briefing.origin, ("title",), "the briefing's title"
        yield briefing.summary, briefing.origin, ("summary",), "the briefing's summary"
        for number in briefing.key_numbers:
            yield number.label, number.origin, ("label",), f"key number '{number.label}'"
    for topic in registry.topics:
        yield topic.title, topic.origin, ("title",), f"topic '{topic.id}'"
        yield topic.description, topic.origin, ("description",), f"topic '{topic.id}'"
    for source in registry.sources:
        yield source.summary, source.origin, ("summary",), f"the summary of source '{source.id}'"
    for entity in registry.entities:
        yield entity.name, entity.origin, ("name",), f"the name of entity '{entity.id}'"
        for i, alias in enumerate(entity.aliases):
            yield alias, entity.origin, ("aliases", i), f"an alias of entity '{entity.id}'"
        yield entity.description, entity.origin, ("description",), f"the description of entity '{entity.id}'"
    for fact in registry.facts:
        yield fact.statement, fact.origin, ("statement",), f"the statement of fact '{fact.id}'"


def _ids(registry: Registry) -> Iterator[tuple[str, Origin, str]]:
    for kind, entries in (
        ("topic", registry.topics),
        ("source", registry.sources),
        ("entity", registry.entities),
        ("fact", registry.facts),
        ("disagreement", registry.disagreements),
    ):
        for entry in entries:
            yield entry.id, entry.origin, kind


def repeats(text: str, tokens: tuple[str, ...], owners: list[tuple[str, ...]]) -> bool:
    """True if the words stand in the text other than inside "<owner>'s wording: "..."" for an owner."""
    folded = fold(text)
    found = list(WORD.finditer(folded))
    said = [m.group().casefold() for m in found]
    allowed = [
        (m.start(1), m.end(1))
        for m in _QUOTED.finditer(folded)
        if owned_wording(folded[max(0, m.start() - WORDING_REACH) : m.start()], owners)
    ]
    for i in at(said, tokens):
        start, end = found[i].start(), found[i + len(tokens) - 1].end()
        if not any(low <= start and end <= high for low, high in allowed):
            return True
    return False


WORDING_REACH = 200  # characters before a quotation that "<outlet>'s wording:" is looked for in
_WORDING = re.compile(r"'\s*s\s+wording\s*:\s*$", re.I)


def owned_wording(before: str, owners: list[tuple[str, ...]]) -> bool:
    """True if the text ends "<owner>'s wording:", an owner being an outlet the erroneous version cites."""
    match = _WORDING.search(before)
    if not match:
        return False
    named = words(before[: match.start()])
    return any(len(o) <= len(named) and tuple(named[len(named) - len(o) :]) == o for o in owners)
