"""Standards checks: the newsroom's rules that a statement's own words can show are kept.

- Hedges. A quote that hedges ("reportedly", "could", "according to", "plans to", ...) backs
  a statement that hedges too, or says whose claim it is: an owner (a cited source's outlet,
  a speaker, a via) named with a verb of saying ("AsianFin reports", "according to OpenAI").
- "Reportedly" says who reports: a statement that writes "reportedly" or "allegedly" names
  its owner that way.
- An erroneous version is not repeated. A disagreement's version ranked erroneous quotes the
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

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from briefing.load.model import Entity, Fact, Origin, PartialDate, Registry, Source
from briefing.problems import Problem, error, warning

# Hedges a quote may carry, as word sequences; "may" the month is told apart (see _hedges).
HEDGES = (
    "reportedly", "allegedly", "supposedly", "purportedly", "reputedly", "said to", "could", "may",
    "might", "threatens to", "threatened to", "threaten to", "plans to", "planned to", "plan to",
    "aims to", "aimed to", "aim to", "is expected to", "are expected to", "was expected to",
    "were expected to", "expected to", "according to", "believed to", "is believed", "potentially",
    "possibly", "rumoured", "rumored", "seen as",
)  # fmt: skip
# Hedges a statement may keep in place of naming an owner: the quotes' own, and a few more.
STATEMENT_HEDGES = HEDGES + ("would", "probably", "likely", "appears to", "appear to", "seems to")
# Words that say someone else's claim is being told: "X reportedly did" must say who reports.
WHO_REPORTS = ("reportedly", "allegedly", "supposedly", "purportedly", "reputedly")
# Verbs of saying: an owner named within OWNER_REACH words before one of them owns the claim.
SAYING = frozenset(
    """say says said saying report reports reported reporting write writes wrote written describe describes
    described describing call calls called argue argues argued note notes noted claim claims claimed warn
    warns warned put puts give gives gave quote quotes quoted add adds added count counts counted name names
    named present presents presented place places placed emphasise emphasises emphasised emphasize emphasizes
    emphasized stress stresses stressed characterise characterises characterised characterize characterizes
    characterized conclude concludes concluded read reads set sets state states stated attribute attributes
    attributed cite cites cited citing credit credits credited mention mentions mentioned point points
    pointed suggest suggests suggested insist insists insisted deny denies denied believe believes believed
    expect expects expected estimate estimates estimated tell tells told announce announces announced
    disclose discloses disclosed frame frames framed see sees saw judge judges judged assess assesses
    assessed treat treats treated label labels labelled labeled dub dubs dubbed""".split()
)
OWNER_REACH = 5
# Phrases that put the owner after the claim: "according to X", "quoted by X", "citing X".
BEFORE_OWNER = (("according", "to"), ("citing",), ("by",), ("cites",), ("quoting",))
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

_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_DOMAIN = re.compile(r"(?<=\w)\.[a-z]{2,6}$", re.I)  # "feedman.me" also goes by "feedman"
_DATE_WORDS = frozenset("in of since by until from to early late mid during before after last next this".split())


# --- words ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Compatibility forms and typographic apostrophes folded; case kept (see _hedges)."""
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")


@lru_cache(maxsize=256)  # a statement is read by several rules in a row
def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(_fold(text)))


def words(text: str) -> list[str]:
    """A text's words, folded and lowercased, for comparing phrases whatever their case or spacing."""
    return [m.group().casefold() for m in _words(text)]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(words(text))


def _at(haystack: list[str], needle: tuple[str, ...]) -> Iterator[int]:
    """Where `needle` starts as consecutive whole words in `haystack`."""
    n = len(needle)
    for i, word in enumerate(haystack):
        if n and word == needle[0] and tuple(haystack[i : i + n]) == needle:
            yield i


_HEDGE_PHRASES = tuple(_phrase(h) for h in HEDGES)
_STATEMENT_HEDGE_PHRASES = tuple(_phrase(h) for h in STATEMENT_HEDGES)
_WHO_REPORTS_PHRASES = tuple(_phrase(h) for h in WHO_REPORTS)


def _hedges(text: str, phrases: tuple[tuple[str, ...], ...] = _HEDGE_PHRASES) -> list[str]:
    """The hedges a text carries, as written; "May" the month ("in May", "May 2025") is not one."""
    found = _words(text)
    folded = [m.group().casefold() for m in found]
    present = set(folded)
    hedges = []
    for phrase in phrases:
        if phrase[0] not in present:
            continue
        for i in _at(folded, phrase):
            if phrase == ("may",) and _is_month(found, i):
                continue
            hedges.append(" ".join(m.group() for m in found[i : i + len(phrase)]))
    return hedges


def _is_month(found: list[re.Match], i: int) -> bool:
    word = found[i].group()
    if word != "May":
        return False
    before = found[i - 1].group().casefold() if i else ""
    after = found[i + 1].group() if i + 1 < len(found) else ""
    return after[:1].isdigit() or before in _DATE_WORDS or before[:1].isdigit()


# --- owners: who a statement may say a claim is ---------------------------------------------


@lru_cache(maxsize=1024)
def outlet_names(source: Source) -> list[str]:
    """The names an outlet goes by: its publisher's and those of the outlet a repost, rewrite or teaser
    copies, in their parts ("AsianFin (TMTPost)": AsianFin, TMTPost; "X via Y": X, Y; "X.com": X and X.com)."""
    names = []
    for written in [source.publisher] + [b.name for b in source.based_on if b.name and b.relation != "cites"]:
        for part in re.split(r"[()]|\bvia\b", written):
            part = part.strip(" ,;")
            if part:
                names += [part, _DOMAIN.sub("", part)]
    return list(dict.fromkeys(n for n in names if _phrase(n)))


def _via_names(via: str) -> list[str]:
    """A via and its owner: "OpenAI's blog post" is OpenAI's."""
    owner = re.split(r"['\u2019]s\b", via, maxsplit=1)[0]
    return [via, owner]


def fact_owners(fact: Fact, sources: dict[str, Source], entities: dict[str, Entity]) -> list[tuple[str, ...]]:
    """Every name that may own a fact's claim: its sources' outlets, its speakers and its vias."""
    names: list[str] = []
    for citation in fact.citations:
        if not citation.supports:
            continue
        if citation.source in sources:
            names += outlet_names(sources[citation.source])
        if citation.via:
            names += _via_names(citation.via)
        entity = entities.get(citation.speaker or "")
        if entity:
            names += [entity.name, *entity.aliases]
    return list(dict.fromkeys(p for p in map(_phrase, names) if p))


def attributed(statement: str, owners: Iterable[tuple[str, ...]]) -> bool:
    """True if the statement names an owner with a verb of saying: "AsianFin reports", "according to OpenAI"."""
    said = words(statement)
    for owner in owners:
        for i in _at(said, owner):
            after = said[i + len(owner) : i + len(owner) + OWNER_REACH]
            if any(w in SAYING for w in after):
                return True
            if any(tuple(said[max(0, i - len(p)) : i]) == p for p in BEFORE_OWNER):
                return True
    return False


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
    problems += _erroneous_wording(registry, make)
    return problems


def _hedged(fact: Fact, owners: list[tuple[str, ...]], make) -> list[Problem]:
    """A hedged quote backs a statement that hedges too or says whose claim it is."""
    if _hedges(fact.statement, _STATEMENT_HEDGE_PHRASES) or attributed(fact.statement, owners):
        return []
    problems = []
    for citation in fact.citations:
        hedges = _hedges(citation.quote) if citation.supports else []
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
    hedges = _hedges(fact.statement, _WHO_REPORTS_PHRASES)
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
            shown = " ".join(m.group() for m in _words(fact.statement)[: len(phrase)])
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
        for name in map(_phrase, outlet_names(source)):
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
            return source, " ".join(m.group() for m in _words(fact.statement)[: len(name)]), assesses
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


# --- erroneous wording ----------------------------------------------------------------------


def _erroneous_wording(registry: Registry, make) -> list[Problem]:
    """The wrong words of a version ranked erroneous stand nowhere as ours: not in a text, a name or an id."""
    sources = {s.id: s for s in registry.sources}
    problems: list[Problem] = []
    wrong: list[tuple[tuple[str, ...], str, list[tuple[str, ...]]]] = []  # words, as quoted, who may be quoted
    for disagreement in registry.disagreements:
        for i, variant in enumerate(disagreement.variants):
            if variant.rank != "erroneous" or disagreement.origin.partial:
                continue
            where = f"disagreement '{disagreement.id}', version {i + 1}"
            quoted = [m.group(1) for m in _QUOTED.finditer(_fold(variant.claim))]
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
                for p in map(_phrase, outlet_names(sources[c.source]))
            ]
            for phrase in quoted:
                tokens = _phrase(phrase)
                if not tokens:
                    continue
                if not any(next(_at(q, tokens), None) is not None for q in cited):
                    problems.append(
                        make(
                            variant.origin.at("claim"),
                            f"{where}: the claim's quoted words {phrase!r} are in none of its quotes",
                            "quote the wrong words as the source prints them",
                            code="claim-words-unquoted",
                        )
                    )
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
            if present.issuperset(tokens) and _repeats(text, tokens, owners):
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
            if present.issuperset(tokens) and next(_at(parts, tokens), None) is not None:
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


def _repeats(text: str, tokens: tuple[str, ...], owners: list[tuple[str, ...]]) -> bool:
    """True if the words stand in the text other than inside "<owner>'s wording: "..."" for an owner."""
    folded = _fold(text)
    found = list(_WORD.finditer(folded))
    said = [m.group().casefold() for m in found]
    allowed = [
        (m.start(1), m.end(1))
        for m in _QUOTED.finditer(folded)
        if _owned_wording(folded[max(0, m.start() - WORDING_REACH) : m.start()], owners)
    ]
    for i in _at(said, tokens):
        start, end = found[i].start(), found[i + len(tokens) - 1].end()
        if not any(low <= start and end <= high for low, high in allowed):
            return True
    return False


WORDING_REACH = 200  # characters before a quotation that "<outlet>'s wording:" is looked for in
_WORDING = re.compile(r"'\s*s\s+wording\s*:\s*$", re.I)


def _owned_wording(before: str, owners: list[tuple[str, ...]]) -> bool:
    """True if the text ends "<owner>'s wording:", an owner being an outlet the erroneous version cites."""
    match = _WORDING.search(before)
    if not match:
        return False
    named = words(before[: match.start()])
    return any(len(o) <= len(named) and tuple(named[len(named) - len(o) :]) == o for o in owners)
