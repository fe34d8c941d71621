"""The whole-registry checks: ids and references, citations and speakers, figures and dates, disagreements.

The schema checks each file on its own; these checks need the whole registry: every id is
defined once and every reference names something that exists, every figure and date a
statement gives stands in its quotes, and (from evidence.py and standards.py) what the sources
carry and the newsroom's rules. Each returns problems pointing at the exact field, with the
closest existing ids as a hint; `check_registry` runs them all.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping

from briefing.check.evidence import check_same_archives, check_support
from briefing.check.figures import (
    AMBIGUOUS,
    MONTHS,
    SUPPORTS,
    WORDING,
    amount,
    figures,
    month_names,
    months,
    supported,
    unread,
    years,
)
from briefing.check.standards import check_standards
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


def check_registry(
    registry: Registry, strict: bool, remembered: Mapping[str, str] | None = None
) -> tuple[list[Problem], dict[str, str]]:
    """All whole-registry problems; `strict` turns would-be warnings (unused entries) into errors.

    `remembered` holds the keys of facts whose figures and support were found before (a cache
    kept between runs): those are not read again. Returns the problems and this run's keys.
    """
    problems: list[Problem] = []
    problems += _check_briefing(registry)
    problems += _check_unique_ids(registry)
    problems += _check_references(registry)
    problems += _check_citations(registry)
    problems += _check_speakers(registry)
    problems += check_same_archives(registry)
    remembered = remembered or {}
    figure_problems, found = _check_figures(registry, remembered)
    support_problems, supported = check_support(registry, remembered)  # after the figures: parsed once
    problems += figure_problems + support_problems
    problems += _check_disagreements(registry)
    problems += check_standards(registry, strict)
    if registry.complete:  # with entries missing, "unused" would be noise
        problems += _check_unused(registry, strict)
    return problems, found | supported


def _check_briefing(registry: Registry) -> list[Problem]:
    if not registry.briefings:
        where = Loc(registry.documents[0].path) if registry.documents else Loc("facts")
        return [error(where, "no 'briefing:' section in any registry file", "add one to facts/briefing.yaml")]
    first = registry.briefings[0].origin.at()
    return [
        error(extra.origin.key_at(), f"a second 'briefing:' section (the first is at {first})")
        for extra in registry.briefings[1:]
    ]


def _check_unique_ids(registry: Registry) -> list[Problem]:
    problems = []
    for kind, entries in _sections(registry):
        seen: dict[str, Origin] = {}
        for entry in entries:
            if entry.id in seen:
                problems.append(
                    error(
                        entry.origin.at("id"),
                        f"duplicate {kind} id '{entry.id}' (first defined at {seen[entry.id].at('id')})",
                        "ids are unique: rename one of the two",
                    )
                )
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


class _Ids:
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
        if ref in self.ids or ref in self.invalid:
            return []
        if ref not in self.hints:
            self.hints[ref] = self._hint(ref) if len(self.hints) < self.MAX_HINTED else None
        return [error(where, f"unknown {self.kind} '{ref}'", self.hints[ref])]

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


def _check_references(registry: Registry) -> list[Problem]:
    inv = registry.invalid_ids
    topics = _Ids("topic", registry.topics, inv.get("topics", set()))
    entities = _Ids("entity", registry.entities, inv.get("entities", set()))
    facts = _Ids("fact", registry.facts, inv.get("facts", set()))
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
                problems.append(
                    error(number.origin.at("fact"), f"key number '{number.label}': fact '{number.fact}' has no value")
                )
    return problems


def _check_citations(registry: Registry) -> list[Problem]:
    sources = _Ids("source", registry.sources, registry.invalid_ids.get("sources", set()))
    problems: list[Problem] = []
    for _, citation in registry.citations():
        problems += sources.check(citation.source, citation.origin.at("source"))
        words = len(citation.quote.split())
        if too_short(citation.quote):
            problems.append(
                error(
                    citation.origin.at("quote"),
                    f"quote {citation.quote!r} is too short to be evidence",
                    f"quote at least {MIN_QUOTE_WORDS} words, not all common ones like 'the' or 'of', "
                    "or a figure with its unit ('$140 million')",
                )
            )
        elif words > MAX_QUOTE_WORDS:
            problems.append(
                error(
                    citation.origin.at("quote"),
                    f"quote is {words} words long; the limit is {MAX_QUOTE_WORDS}",
                    "quote only the words that carry the claim",
                )
            )
    for fact in registry.facts:
        cited = {c.source for c in fact.citations}
        for i, converted in enumerate(fact.converted):
            unknown = sources.check(converted.source, fact.origin.at("converted", i, "source"))
            problems += unknown
            if not unknown and not fact.origin.partial and converted.source not in cited:
                problems.append(
                    error(
                        fact.origin.at("converted", i, "source"),
                        f"converted figure comes from '{converted.source}', which fact '{fact.id}' does not cite",
                        "cite the source's words for the figure in 'citations'",
                    )
                )
        seen = set()
        for citation in fact.citations:
            key = (citation.source, " ".join(citation.quote.split()))
            if key in seen:
                problems.append(warning(citation.origin.at(), f"fact '{fact.id}' cites the same quote twice"))
            seen.add(key)
    return problems


def _check_speakers(registry: Registry) -> list[Problem]:
    """Who speaks: each speaker and each source's basis exists; a party's claim has that party's words."""
    inv = registry.invalid_ids
    entities = _Ids("entity", registry.entities, inv.get("entities", set()))
    sources = _Ids("source", registry.sources, inv.get("sources", set()))
    problems: list[Problem] = []
    for _, citation in registry.citations():
        if citation.speaker:
            problems += entities.check(citation.speaker, citation.origin.at("speaker"))
    for source in registry.sources:
        for i, basis in enumerate(source.based_on):
            if basis.source:
                problems += sources.check(basis.source, source.origin.at("based_on", i, "source"))
                if basis.source == source.id:
                    problems.append(
                        error(source.origin.at("based_on", i, "source"), "a source cannot be based on itself")
                    )
    for fact in registry.facts:
        if fact.origin.partial:
            continue
        speakers = {c.speaker for c in fact.citations if c.supports}
        for i, party in enumerate(fact.claimed_by):
            if party in entities.ids and party not in speakers:
                problems.append(
                    error(
                        fact.origin.at("claimed_by", i),
                        f"fact '{fact.id}' is shown as a claim by '{party}', but no citation gives {party}'s words",
                        f"mark the citation whose words are the party's with 'speaker: {party}'; words in the "
                        "source's own voice (a headline, its commentary) are the outlet's claim, not the party's, "
                        "and background ('role: context') is not what the claim rests on",
                    )
                )
    return problems


def _check_figures(registry: Registry, remembered: Mapping[str, str]) -> tuple[list[Problem], dict[str, str]]:
    """Every figure a fact or a disputed version states stands in its own quotes, or is marked as ours.

    Returns the problems and the keys of the facts found clean (those in `remembered` are not read again).
    """
    known: dict[str, str] = {}
    problems: list[Problem] = []
    for fact in registry.facts:
        if fact.origin.partial:
            continue
        key = _figures_key(fact)
        if key in remembered:
            known[key] = ""
            continue
        before = len(problems)
        problems += _fact_figures(fact)
        if len(problems) == before:
            known[key] = ""
    for disagreement in registry.disagreements:
        for i, variant in enumerate(disagreement.variants):
            where = f"disagreement '{disagreement.id}', version {i + 1}"
            problems += _figures_in(variant.claim, variant.origin.at("claim"), variant.citations, [], where)
            if variant.value:
                problems += _value_in(variant.value, variant.origin.at("value", "amount"), variant.citations, [])
    return problems, known


def _figures_key(fact) -> str:
    """What a fact's figure check depends on, as a hash: the same key, the same (clean) answer."""
    parts = (
        fact.statement,
        fact.date,
        fact.value,
        fact.converted,
        fact.derived,
        [(c.source, c.quote) for c in fact.citations],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _fact_figures(fact) -> list[Problem]:
    """A fact's statement, value and converted amounts against its quotes and date."""
    problems: list[Problem] = []
    derived = [f for d in fact.derived for f in figures(d.figure)]
    problems += _figures_in(fact.statement, fact.origin.at("statement"), fact.citations, derived, f"fact '{fact.id}'")
    if fact.value:
        problems += _value_in(fact.value, fact.origin.at("value", "amount"), fact.citations, derived)
    for i, converted in enumerate(fact.converted):
        own = tuple(c for c in fact.citations if c.source == converted.source)
        if own:  # otherwise the source is unknown or not cited, and that is the problem to report
            problems += _value_in(converted, fact.origin.at("converted", i, "amount"), own, derived)
    problems += _dates_in(fact.statement, fact.origin.at("statement"), fact.date, fact.citations, f"fact '{fact.id}'")
    for i, item in enumerate(fact.derived):
        if not figures(item.figure):
            problems.append(error(fact.origin.at("derived", i, "figure"), f"no figure in {item.figure!r}"))
    return problems


def _figures_in(text: str, where: Loc, citations: tuple, derived: list, owner: str) -> list[Problem]:
    """Each figure of a statement stands in a quote with its currency and qualifier, or is ours (derived)."""
    quoted = [f for c in citations for f in figures(c.quote)]
    problems = [
        error(
            where,
            f"{owner}: the statement's {piece!r} looks like a figure that cannot be read, so it cannot be checked",
            "write it as the checker reads figures: digits or number words with the scale and the currency, "
            "'1.5 billion yuan', 'US$140 million', 'a billion', 'about 30%'",
        )
        for piece in unread(text)
    ]
    for figure in figures(text):
        verdict, source = _judge(figure, quoted, derived)
        stated = f"{owner}: the statement's {figure.text!r}"
        if verdict == "missing":
            problems.append(
                error(
                    where,
                    f"{owner}: the figure {figure.text!r} is in none of its quotes",
                    _quoted_hint(quoted)
                    + "; if the figure is ours (a sum, a conversion, a count), add it under 'derived' with its working",
                )
            )
        elif verdict == "currency":
            problems.append(error(where, *_currency_problem(stated, figure, source)))
        elif verdict == "qualifier" and figure.qualifier is None:
            problems.append(
                error(
                    where,
                    f"{stated} drops the source's qualifier ({source.text!r})",
                    "keep the source's 'over', 'about', 'up to': a figure is as exact as the source makes it",
                )
            )
        elif verdict == "qualifier":
            problems.append(
                error(
                    where,
                    f"{stated} says {WORDING[figure.qualifier.split(', ')[0]]!r}, but the source writes {source.text!r}",
                    f"the source's {source.text!r} supports {_allowed(source.qualifier)}: a figure may be "
                    "less exact than its source, never more, and never in another direction",
                )
            )
    return problems


def _judge(figure, quoted: list, derived: list):
    """'ok', or what keeps a figure from its quotes ('missing', 'currency', 'qualifier') and the quote's figure."""
    if any(
        figure.same_number(d) and d.currency == figure.currency and supported(figure.qualifier, d.qualifier)
        for d in derived
    ):
        return "ok", None
    same = [q for q in quoted if figure.same_number(q)]
    if not same:
        return "missing", None
    priced = [q for q in same if q.currency == figure.currency]
    if not priced:
        return "currency", same[0]
    if any(supported(figure.qualifier, q.qualifier) for q in priced):
        return "ok", None
    return "qualifier", priced[0]


def _currency_problem(subject: str, figure, source, value: bool = False) -> tuple[str, str]:
    """The message and hint for a figure whose currency is not its source's (`value`: a structured amount)."""
    quoted = repr(source.text)
    said = ":" if value else f" is in {_money(figure.currency)}, but"
    if source.currency in AMBIGUOUS and figure.currency:
        return (
            f"{subject}{said} the source's {quoted} does not say which currency: {AMBIGUOUS[source.currency]}",
            "state the currency only where the source does: quote its words that name the currency, or give the "
            "figure under 'derived' with the working that settles it",
        )
    if figure.currency is None and not value:
        return f"{subject} drops the source's currency ({quoted})", "write the currency the source writes"
    if figure.currency in AMBIGUOUS:
        return (
            f"{subject} does not say which currency ({AMBIGUOUS[figure.currency]}); the source writes {quoted}",
            "name the currency as the source does: 'US$', 'HK$', 'yuan', 'Singapore dollars'",
        )
    if source.currency is None:
        return (
            f"{subject}{said} its quote gives no currency ({quoted})",
            "quote the source's words that name the currency",
        )
    return (
        f"{subject}{said} the source's {quoted} is in {_money(source.currency)}",
        "write the currency the source writes; a conversion is ours, under 'derived' with its working",
    )


def _money(currency: str) -> str:
    return "an unnamed currency" if currency in AMBIGUOUS else currency


def _allowed(qualifier: str | None) -> str:
    """The qualifiers a source's qualifier supports, in words."""
    shown = sorted(
        (WORDING.get(q, "no qualifier") if q else "no qualifier") for q in SUPPORTS.get(qualifier, {qualifier})
    )
    return " or ".join(repr(s) if s != "no qualifier" else s for s in shown)


def _value_in(value, where: Loc, citations: tuple, derived: list) -> list[Problem]:
    """A structured value (amount, unit, qualifier) stands in a quote as the statement's figures must."""
    figure = amount(value.amount, value.unit, value.qualifier)
    quoted = [f for c in citations for f in figures(c.quote)]
    verdict, source = _judge(figure, quoted, derived)
    shown = f"the amount {value.amount:,} {value.unit}"
    if verdict == "missing":
        return [
            error(
                where,
                f"{shown} is in none of the quotes it rests on",
                _quoted_hint(quoted) + "; if it is ours (a sum, a conversion), add it under 'derived' with its working",
            )
        ]
    if verdict == "currency":
        return [error(where, *_currency_problem(shown, figure, source, value=True))]
    if verdict == "qualifier":
        options = [q for q in SUPPORTS.get(source.qualifier, {source.qualifier}) if q != "nearly"]
        settings = " or ".join("no 'qualifier'" if q is None else f"'qualifier: {q}'" for q in sorted(options, key=str))
        return [
            error(
                where,
                f"{shown} has qualifier {value.qualifier or 'none'!r}, but the source writes {source.text!r}",
                f"set {settings}" if options else "the source's qualifier has no equivalent: quote another source",
            )
        ]
    return []


def _dates_in(text: str, where: Loc, date, citations: tuple, owner: str) -> list[Problem]:
    named_years, named_months = years(text), months(text)
    if not named_years and not named_months:
        return []
    quotes = " ".join(c.quote for c in citations)
    quoted_years, quoted_months, named = years(quotes), months(quotes), month_names(quotes)
    problems = []
    for year in sorted(named_years):
        if (date and date.year == year) or year in quoted_years:
            continue
        problems.append(error(where, f"{owner}: the year {year} is neither the fact's date nor in its quotes"))
    for year, month in sorted(named_months):
        if date and date.year == year and date.month in (month, None):
            continue
        if (year, month) in quoted_months or (
            month in named and (year in quoted_years or (date and date.year == year))
        ):
            continue
        problems.append(
            error(
                where, f"{owner}: {MONTHS[month - 1].capitalize()} {year} is neither the fact's date nor in its quotes"
            )
        )
    return problems


def _quoted_hint(quoted: list) -> str:
    if not quoted:
        return "its quotes give no figure"
    texts = list(dict.fromkeys(q.text for q in quoted))
    # "over 1 billion yuan" is shown within "over 1 billion yuan ($140 million)", the conversion that follows it
    shown = [t for t in texts if not any(other != t and other.startswith(t) for other in texts)]
    return "its quotes give " + ", ".join(repr(t) for t in shown)


def _check_disagreements(registry: Registry) -> list[Problem]:
    problems = []
    for disagreement in registry.disagreements:
        if disagreement.origin.partial:
            continue  # some variants failed validation; judge the whole once they are fixed
        variants = disagreement.variants
        if len(variants) == 1 and variants[0].rank != "erroneous":
            problems.append(
                error(
                    disagreement.origin.at("variants"),
                    f"disagreement '{disagreement.id}' has one variant that is not marked erroneous",
                    "record each version the sources give, or mark a wrong claim 'rank: erroneous' with a reason",
                )
            )
        if disagreement.verdict == "erroneous" and not any(v.rank == "erroneous" for v in variants):
            problems.append(
                error(
                    disagreement.origin.at("verdict"),
                    f"disagreement '{disagreement.id}' is 'erroneous' but no variant has 'rank: erroneous'",
                )
            )
    return problems


def _check_unused(registry: Registry, strict: bool) -> list[Problem]:
    make = error if strict else warning
    cited = {c.source for _, c in registry.citations()}
    used_entities = {e for f in registry.facts for e in (*f.entities, *f.claimed_by)}
    used_entities |= {c.speaker for _, c in registry.citations() if c.speaker}
    used_topics = {f.topic for f in registry.facts}
    problems = []
    for source in registry.sources:
        if source.id not in cited:
            problems.append(make(source.origin.at("id"), f"source '{source.id}' is not cited by any fact"))
    for entity in registry.entities:
        if entity.id not in used_entities:
            problems.append(make(entity.origin.at("id"), f"entity '{entity.id}' is not named by any fact"))
    for topic in registry.topics:
        if topic.id not in used_topics:
            problems.append(make(topic.origin.at("id"), f"topic '{topic.id}' has no facts"))
    return problems
