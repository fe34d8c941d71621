"""Standards checks: the newsroom's rules that a statement's own words can show are kept.

- Hedges. A quote that hedges ("reportedly", "could", "according to", "plans to", ...) backs
  a statement that hedges too, or says whose claim it is: an owner (a cited source's outlet,
  a speaker, a via) named with a verb of saying ("AsianFin reports", "according to OpenAI").
- "Reportedly" says who reports: a statement that writes "reportedly" or "allegedly" names
  its owner that way.
- An erroneous version is not repeated (erroneous.py). A disagreement's version ranked erroneous quotes the
  wrong words in its claim ("..."); those words stand in no statement, summary, entity name,
  alias or description (except as "<outlet>'s wording: "..."" for an outlet the version
  cites), and in no id.
- A statement stands alone: it does not open on a word whose antecedent would be on the page
  before it ("This", "It", "The same", ...).
- An outlet's description or assessment is dated by its article. A statement that opens on an
  outlet ("AsianFin says", "Tech in Asia's commentary calls") in its own voice (no speaker)
  has a date, and one that assesses or describes (a verb such as "calls", "describes",
  "argues"; the outlet's "commentary", "assessment" or "headline"; or the tag `assessment`)
  is dated to its article's month or day.
- An investor is an organisation or a person: a fact's `investors` are among its entities,
  never a place and never the briefing's subject.
- A rank is explained: a version ranked preferred or erroneous gives its `reason` (a
  verdict's reason is the disagreement's `note`, which the schema requires).
Each rule is a warning in `check` and an error with --strict.
"""

from __future__ import annotations

from briefing.check.erroneous import check_erroneous_wording
from briefing.check.wording import (
    OWNER_REACH,
    SAYING,
    STATEMENT_HEDGE_PHRASES,
    WHO_REPORTS_PHRASES,
    as_phrase,
    attributed,
    fact_owners,
    hedges_in,
    outlet_names,
    word_matches,
    words,
)
from briefing.load.model import Fact, PartialDate, Registry, Source
from briefing.problems import Problem, error, warning

# Opening words whose antecedent would be on the page before the statement.
NO_ANTECEDENT = (
    ("the", "same"), ("the", "latter"), ("the", "former"), ("this",), ("these",), ("those",), ("that",),
    ("it",), ("its",), ("it", "s"), ("such",), ("they",), ("their",), ("them",), ("he",), ("his",),
    ("she",), ("her",),
)  # fmt: skip
# After "<outlet>'s": the kinds of text that are the outlet's own assessment.
ASSESSING_NOUNS = frozenset("commentary assessment headline view analysis conclusion verdict editorial opinion".split())
# Verbs that describe or assess, rather than report an event.
ASSESSING = frozenset(
    """describe describes described call calls called argue argues argued present presents presented place
    places placed read reads counts count conclude concludes concluded characterise characterises
    characterised characterize characterizes characterized frame frames framed see sees judge judges assess
    assesses treat treats label labels dub dubs""".split()
)
ASSESSMENT_TAG = "assessment"
INVESTOR_KINDS = ("organisation", "person")


# --- the checks ---------------------------------------------------------------------------


def check_standards(registry: Registry, strict: bool) -> list[Problem]:
    """Every standards rule over the registry: warnings, or errors with `strict`."""
    make = error if strict else warning
    problems: list[Problem] = []
    sources = {s.id: s for s in registry.sources}
    entities = {e.id: e for e in registry.entities}
    for fact in registry.facts:
        if fact.origin.partial:
            continue  # judged once its own problems are fixed
        owners = fact_owners(fact, sources, entities)
        problems += _hedged(fact, owners, make)
        problems += _who_reports(fact, owners, make)
        problems += _stands_alone(fact, make)
        problems += _dated_by_article(fact, sources, make)
    problems += _investors(registry, make)
    problems += _ranks_explained(registry, make)
    problems += check_erroneous_wording(registry, make)
    return problems


def _hedged(fact: Fact, owners: list[tuple[str, ...]], make) -> list[Problem]:
    """A hedged quote backs a statement that hedges too or says whose claim it is."""
    if hedges_in(fact.statement, STATEMENT_HEDGE_PHRASES) or attributed(fact.statement, owners):
        return []
    problems = []
    for citation in fact.citations:
        hedges = hedges_in(citation.quote) if citation.supports else []
        if hedges:
            problems.append(
                make(
                    fact.origin.at("statement"),
                    f"fact '{fact.id}': its quote from '{citation.source}' hedges ({hedges[0]!r}), but the "
                    "statement neither hedges nor says whose claim it is",
                    "keep the source's hedge in the statement ('has reportedly entered'), or name who says it "
                    "with a verb of saying ('AsianFin reports that ...', '... according to OpenAI')",
                    code="hedge-dropped",
                )
            )
            break  # one problem per statement: the fix is the same
    return problems


def _who_reports(fact: Fact, owners: list[tuple[str, ...]], make) -> list[Problem]:
    """A statement that says "reportedly" says who reports it."""
    hedges = hedges_in(fact.statement, WHO_REPORTS_PHRASES)
    if not hedges or attributed(fact.statement, owners):
        return []
    return [
        make(
            fact.origin.at("statement"),
            f"fact '{fact.id}': the statement says {hedges[0]!r} without saying who reports it",
            "name the outlet or speaker that reports it, as the source gives it: 'AsianFin reports that Zhipu "
            "has reportedly entered ...'",
            code="unattributed-hedge",
        )
    ]


def _stands_alone(fact: Fact, make) -> list[Problem]:
    """A statement read alone (search, a CSV row, an entity page) has no word pointing back."""
    opening = words(fact.statement)[:2]
    for phrase in NO_ANTECEDENT:
        if tuple(opening[: len(phrase)]) == phrase:
            shown = " ".join(m.group() for m in word_matches(fact.statement)[: len(phrase)])
            return [
                make(
                    fact.origin.at("statement"),
                    f"fact '{fact.id}': the statement opens on {shown!r}, which points back to something "
                    "it does not name",
                    "a statement is read alone (in search, an entity's page, facts.csv): name what "
                    "'" + shown + "' stands for",
                    code="opens-on-pointer",
                )
            ]
    return []


def _voice(fact: Fact, sources: dict[str, Source]) -> tuple[Source, str, bool] | None:
    """The outlet a statement opens on in its own voice (its source, and its name as written), and whether it
    assesses; None otherwise.

    The statement opens "<outlet> <verb>", "<outlet>'s <one or two words> <verb>" or "<outlet> and
    <outlet> (both) <verb>", the verb within OWNER_REACH words; and the outlet's citations have no speaker.
    """
    said = words(fact.statement)
    cited = [sources[c.source] for c in fact.citations if c.supports and c.source in sources]
    for source in dict.fromkeys(cited):
        for name in map(as_phrase, outlet_names(source)):
            if tuple(said[: len(name)]) != name:
                continue
            rest = said[len(name) : len(name) + OWNER_REACH]
            verb = next((i for i, w in enumerate(rest) if w in SAYING), None)
            noun = rest[:1] == ["s"] and any(w in ASSESSING_NOUNS for w in rest[1:3])
            if verb is None and not noun:
                continue
            if any(c.speaker for c in fact.citations if c.source == source.id and c.supports):
                return None  # a party's words, which the outlet reports
            assesses = noun or (verb is not None and rest[verb] in ASSESSING) or ASSESSMENT_TAG in fact.tags
            return source, " ".join(m.group() for m in word_matches(fact.statement)[: len(name)]), assesses
    if ASSESSMENT_TAG in fact.tags:  # marked by hand: the first outlet quoted in its own voice
        own = next((s for s in cited if not any(c.speaker for c in fact.citations if c.source == s.id)), None)
        if own is not None:
            return own, outlet_names(own)[0], True
    return None


def _article_date(published: PartialDate) -> tuple[PartialDate, ...]:
    """The dates that are an article's: its day, or its month (or its year, if that is all we know)."""
    dates = [published]
    if published.month:
        dates.append(PartialDate(published.year, published.month))
    return tuple(dict.fromkeys(dates))


def _dated_by_article(fact: Fact, sources: dict[str, Source], make) -> list[Problem]:
    """An outlet's own words are dated: a description or an assessment by its article."""
    voice = _voice(fact, sources)
    if voice is None:
        return []
    source, outlet, assesses = voice
    allowed = _article_date(source.published)
    wanted = " or ".join(d.iso for d in allowed)
    if fact.date is None:
        return [
            make(
                fact.origin.key_at("statement"),
                f"fact '{fact.id}' gives {outlet}'s own words (source '{source.id}') but has no date",
                f"an outlet's description or assessment is dated by its article: 'date: {wanted}' (the "
                f"article of '{source.id}'); an event it reports is dated by the event",
                code="own-words-undated",
            )
        ]
    if assesses and fact.date not in allowed:
        return [
            make(
                fact.origin.at("date"),
                f"fact '{fact.id}' records {outlet}'s own description or assessment but is dated "
                f"{fact.date.iso}, not by its article ({wanted})",
                f"an outlet's description or assessment is dated by its article: 'date: {wanted}'; a date the "
                "statement is about belongs in the statement ('the 2017 plan')",
                code="own-words-misdated",
            )
        ]
    return []


def _investors(registry: Registry, make) -> list[Problem]:
    """A fact's investors are organisations or people among its entities, never a place or the subject."""
    entities = {e.id: e for e in registry.entities}
    invalid = registry.invalid_ids.get("entities", set())
    subject = registry.briefing.subject if registry.briefing else None
    problems = []
    for fact in registry.facts:
        if fact.origin.partial:
            continue
        for i, investor in enumerate(fact.investors):
            where = fact.origin.at("investors", i)
            entity = entities.get(investor)
            if investor in invalid:
                continue
            if entity is None:
                problems.append(
                    error(
                        where,
                        f"fact '{fact.id}': unknown entity '{investor}' among its investors",
                        code="unknown-investor",
                    )
                )
            elif investor == subject:
                problems.append(
                    make(
                        where,
                        f"fact '{fact.id}': investor '{investor}' is the briefing's subject, which raised the money",
                        "list the organisations that put money in, not the company that received it",
                        code="investor-is-subject",
                    )
                )
            elif entity.kind not in INVESTOR_KINDS:
                problems.append(
                    make(
                        where,
                        f"fact '{fact.id}': investor '{investor}' is a {entity.kind}; an investor is an "
                        "organisation or a person",
                        "name the investing organisation (a city's fund, 'state-owned entities in Zhuhai' "
                        "as the statement's words); a place stays among the fact's entities",
                        code="investor-kind",
                    )
                )
            elif investor not in fact.entities:
                problems.append(
                    make(
                        where,
                        f"fact '{fact.id}': investor '{investor}' is not among the fact's entities",
                        f"add '{investor}' to 'entities'",
                        code="investor-not-entity",
                    )
                )
    return problems


def _ranks_explained(registry: Registry, make) -> list[Problem]:
    """A version ranked above or below the others says why, in its own `reason`."""
    problems = []
    for disagreement in registry.disagreements:
        for i, variant in enumerate(disagreement.variants):
            if variant.rank == "preferred" and not (variant.reason or "").strip():
                problems.append(
                    make(
                        variant.origin.at("rank"),
                        f"disagreement '{disagreement.id}', version {i + 1} is ranked preferred without a reason",
                        "say in 'reason' why this version is followed (the sources' standing, what the "
                        "others get wrong); the verdict's reason goes in the disagreement's 'note'",
                        code="preferred-without-reason",
                    )
                )
    return problems
