"""References: every id is defined once, every reference names something defined, every quote is evidence.

Each problem points at the exact field, with the closest existing ids as a hint.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from briefing.load.model import Origin, Registry
from briefing.problems import Loc, Problem, error, warning

MAX_QUOTE_WORDS = 40
# What a quote needs to be evidence: at least three words, not all of them common ones, or a
# figure with its unit ("$140 million", "1 billion yuan", "30%"). "." or "the" prove nothing.
MIN_QUOTE_WORDS = 3
STOP_WORDS = frozenset(
    """a an the and or nor but of in on at to for by with from as into onto over under than then so
    is are was were be been being am do does did has have had it its it's this that these those there here
    he she they we you i me him her them us his hers their our your my not no yes if which who whom whose
    what when where why how all any some such very just also only""".split()
)
_WORD = re.compile(r"[^\W_]+")
_UNIT = re.compile(
    r"[$€£¥%]|\b(?:yuan|rmb|dollars?|euros?|pounds?|million|billion|trillion|bn|mn|percent|parameters?)\b", re.I
)


def too_short(quote: str) -> bool:
    """True if a quote is too short to prove anything (see MIN_QUOTE_WORDS)."""
    words = _WORD.findall(quote)
    if len(words) >= MIN_QUOTE_WORDS and any(w.lower() not in STOP_WORDS for w in words):
        return False
    return not (any(w[0].isdigit() for w in words) and _UNIT.search(quote))


def too_long(words: str, where: Loc, what: str, hint: str) -> list[Problem]:
    """A quote or an excerpt over MAX_QUOTE_WORDS words: it should carry a claim, not republish a text."""
    count = len(words.split())
    if count <= MAX_QUOTE_WORDS:
        return []
    return [error(where, f"{what} is {count} words long; the limit is {MAX_QUOTE_WORDS}", hint, code="too-many-words")]


def check_briefing(registry: Registry) -> list[Problem]:
    """The registry has one 'briefing:' section: the home page is made from it."""
    if not registry.briefings:
        where = Loc(registry.documents[0].path) if registry.documents else Loc("facts")
        return [
            error(
                where,
                "no 'briefing:' section in any registry file",
                "add one to facts/briefing.yaml",
                code="no-briefing",
            )
        ]
    first = registry.briefings[0].origin.at()
    return [
        error(extra.origin.key_at(), f"a second 'briefing:' section (the first is at {first})", code="second-briefing")
        for extra in registry.briefings[1:]
    ]


def check_unique_ids(registry: Registry) -> list[Problem]:
    """Each id is defined once: an id is a page's address and every reference's target."""
    problems = []
    for kind, entries in _sections(registry):
        seen: dict[str, Origin] = {}
        for entry in entries:
            if entry.id in seen:
                said = f"duplicate {kind} id '{entry.id}' (first defined at {seen[entry.id].at('id')})"
                hint = "ids are unique: rename one of the two"
                problems.append(error(entry.origin.at("id"), said, hint, code="duplicate-id"))
            else:
                seen[entry.id] = entry.origin
    return problems


def _sections(registry: Registry) -> list[tuple[str, list]]:
    return [
        ("topic", registry.topics),
        ("source", registry.sources),
        ("entity", registry.entities),
        ("fact", registry.facts),
        ("disagreement", registry.disagreements),
    ]


class Ids:
    """The ids defined for one kind of entry, to resolve references with a helpful hint.

    A hint compares the unknown id with every defined one, so it is worked out once per distinct
    unknown id, only for the first MAX_HINTED of them, against at most MAX_CANDIDATES ids: a file
    of a thousand unknown ids costs no more than twenty.
    """

    MAX_HINTED = 20
    MAX_CANDIDATES = 10_000

    def __init__(self, kind: str, entries: Iterable, invalid: set[str]) -> None:
        self.kind = kind
        self.ids = {e.id for e in entries}
        self.invalid = invalid
        self.hints: dict[str, str | None] = {}

    def check(self, ref: str, where: Loc) -> list[Problem]:
        """The problem of a reference to an undefined id, with the closest defined ids as a hint."""
        if ref in self.ids or ref in self.invalid:
            return []
        if ref not in self.hints:
            self.hints[ref] = self._hint(ref) if len(self.hints) < self.MAX_HINTED else None
        return [error(where, f"unknown {self.kind} '{ref}'", self.hints[ref], code="unknown-id")]

    def _hint(self, ref: str) -> str:
        candidates = sorted(self.ids)[: self.MAX_CANDIDATES]
        matcher = difflib.SequenceMatcher(None, ref)
        scored = []
        for i in candidates:
            matcher.set_seq2(i)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:  # upper bounds of ratio()
                scored.append((-matcher.ratio(), i))
        scored.sort()
        best = -scored[0][0] if scored else 0
        close = [i for score, i in scored[:3] if -score >= max(0.6, best - 0.1)]
        if not close:  # 'acme-robotics' for 'acme': look for ids sharing the first word
            stem = ref.split("-")[0]
            close = [i for i in candidates if i.split("-")[0] == stem][:3]
        if close:
            return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
        return f"no {self.kind} has a similar id; define it first"


def check_references(registry: Registry) -> list[Problem]:
    """Every topic, entity and fact a fact, entity, disagreement or the briefing names is defined."""
    inv = registry.invalid_ids
    topics = Ids("topic", registry.topics, inv.get("topics", set()))
    entities = Ids("entity", registry.entities, inv.get("entities", set()))
    facts = Ids("fact", registry.facts, inv.get("facts", set()))
    problems: list[Problem] = []
    for fact in registry.facts:
        problems += topics.check(fact.topic, fact.origin.at("topic"))
        for i, ref in enumerate(fact.entities):
            problems += entities.check(ref, fact.origin.at("entities", i))
        for i, ref in enumerate(fact.claimed_by):
            problems += entities.check(ref, fact.origin.at("claimed_by", i))
    by_id = {f.id: f for f in registry.facts}
    for entity in registry.entities:
        control = entity.controlled_by
        if control:
            problems += entities.check(control.entity, entity.origin.at("controlled_by", "entity"))
            found = facts.check(control.fact, entity.origin.at("controlled_by", "fact"))
            problems += found
            fact = by_id.get(control.fact)
            if not found and fact and not fact.origin.partial and not {entity.id, control.entity} <= set(fact.entities):
                problems.append(
                    error(
                        entity.origin.at("controlled_by", "fact"),
                        f"fact '{control.fact}' does not name both '{entity.id}' and '{control.entity}'",
                        "point to the fact that says who controls this entity",
                        code="control-fact-unrelated",
                    )
                )
    for disagreement in registry.disagreements:
        for i, ref in enumerate(disagreement.facts):
            problems += facts.check(ref, disagreement.origin.at("facts", i))
    briefing = registry.briefing
    if briefing:
        problems += entities.check(briefing.subject, briefing.origin.at("subject"))
        for i, ref in enumerate(briefing.key_points):
            problems += facts.check(ref, briefing.origin.at("key_points", i))
        valued = {f.id for f in registry.facts if f.value is not None or f.origin.partial}
        for number in briefing.key_numbers:
            found = facts.check(number.fact, number.origin.at("fact"))
            problems += found
            if not found and number.fact in facts.ids and number.fact not in valued:
                said = f"key number '{number.label}': fact '{number.fact}' has no value"
                problems.append(error(number.origin.at("fact"), said, code="key-number-without-value"))
    return problems


def check_citations(registry: Registry) -> list[Problem]:
    """Every citation names a defined source and quotes enough words, and not too many, to be evidence."""
    sources = Ids("source", registry.sources, registry.invalid_ids.get("sources", set()))
    problems: list[Problem] = []
    for _, citation in registry.citations():
        problems += sources.check(citation.source, citation.origin.at("source"))
        if too_short(citation.quote):
            problems.append(
                error(
                    citation.origin.at("quote"),
                    f"quote {citation.quote!r} is too short to be evidence",
                    f"quote at least {MIN_QUOTE_WORDS} words, not all common ones like 'the' or 'of', "
                    "or a figure with its unit ('$140 million')",
                    code="quote-too-short",
                )
            )
        else:
            problems += too_long(
                citation.quote, citation.origin.at("quote"), "quote", "quote only the words that carry the claim"
            )
    for fact in registry.facts:
        cited = {c.source for c in fact.citations}
        for i, converted in enumerate(fact.converted):
            unknown = sources.check(converted.source, fact.origin.at("converted", i, "source"))
            problems += unknown
            if not unknown and not fact.origin.partial and converted.source not in cited:
                said = f"converted figure comes from '{converted.source}', which fact '{fact.id}' does not cite"
                hint = "cite the source's words for the figure in 'citations'"
                where = fact.origin.at("converted", i, "source")
                problems.append(error(where, said, hint, code="converted-source-not-cited"))
        seen = set()
        for citation in fact.citations:
            key = (citation.source, " ".join(citation.quote.split()))
            if key in seen:
                problems.append(
                    warning(
                        citation.origin.at(), f"fact '{fact.id}' cites the same quote twice", code="quote-cited-twice"
                    )
                )
            seen.add(key)
    return problems


def check_unused(registry: Registry, strict: bool) -> list[Problem]:
    """Sources, entities and topics nothing uses: probably a typo or a forgotten fact (warnings unless strict)."""
    make = error if strict else warning
    cited = {c.source for _, c in registry.citations()}
    used_entities = {e for f in registry.facts for e in (*f.entities, *f.claimed_by)}
    used_entities |= {c.speaker for _, c in registry.citations() if c.speaker}
    used_topics = {f.topic for f in registry.facts}
    problems = []
    for source in registry.sources:
        if source.id not in cited:
            problems.append(
                make(source.origin.at("id"), f"source '{source.id}' is not cited by any fact", code="unused-source")
            )
    for entity in registry.entities:
        if entity.id not in used_entities:
            problems.append(
                make(entity.origin.at("id"), f"entity '{entity.id}' is not named by any fact", code="unused-entity")
            )
    for topic in registry.topics:
        if topic.id not in used_topics:
            problems.append(make(topic.origin.at("id"), f"topic '{topic.id}' has no facts", code="unused-topic"))
    return problems
