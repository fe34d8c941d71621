"""The words of a statement as the standards rules read them: hedges, and who may own a claim.

Words are compared folded (compatibility forms, typographic apostrophes) and lowercased. An
owner is a name a statement may give a claim to: a cited source's outlet, a speaker, a via;
a statement attributes its claim when it names one with a verb of saying.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from briefing.load.model import Entity, Fact, Source

# Hedges a quote may carry, as word sequences; "may" the month is told apart (see hedges_in).
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

WORD = re.compile(r"[^\W_]+")
_DOMAIN = re.compile(r"(?<=\w)\.[a-z]{2,6}$", re.I)  # "feedman.me" also goes by "feedman"
_DATE_WORDS = frozenset("in of since by until from to early late mid during before after last next this".split())


# --- words ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Compatibility forms and typographic apostrophes folded; case kept (see hedges_in)."""
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")


@lru_cache(maxsize=256)  # a statement is read by several rules in a row
def word_matches(text: str) -> list[re.Match]:
    return list(WORD.finditer(fold(text)))


def words(text: str) -> list[str]:
    """A text's words, folded and lowercased, for comparing phrases whatever their case or spacing."""
    return [m.group().casefold() for m in word_matches(text)]


def as_phrase(text: str) -> tuple[str, ...]:
    return tuple(words(text))


def at(haystack: list[str], needle: tuple[str, ...]) -> Iterator[int]:
    """Where `needle` starts as consecutive whole words in `haystack`."""
    n = len(needle)
    for i, word in enumerate(haystack):
        if n and word == needle[0] and tuple(haystack[i : i + n]) == needle:
            yield i


HEDGE_PHRASES = tuple(as_phrase(h) for h in HEDGES)
STATEMENT_HEDGE_PHRASES = tuple(as_phrase(h) for h in STATEMENT_HEDGES)
WHO_REPORTS_PHRASES = tuple(as_phrase(h) for h in WHO_REPORTS)


def hedges_in(text: str, phrases: tuple[tuple[str, ...], ...] = HEDGE_PHRASES) -> list[str]:
    """The hedges a text carries, as written; "May" the month ("in May", "May 2025") is not one."""
    found = word_matches(text)
    folded = [m.group().casefold() for m in found]
    present = set(folded)
    hedges = []
    for phrase in phrases:
        if phrase[0] not in present:
            continue
        for i in at(folded, phrase):
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
    return list(dict.fromkeys(n for n in names if as_phrase(n)))


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
    return list(dict.fromkeys(p for p in map(as_phrase, names) if p))


def attributed(statement: str, owners: Iterable[tuple[str, ...]]) -> bool:
    """True if the statement names an owner with a verb of saying: "AsianFin reports", "according to OpenAI"."""
    said = words(statement)
    for owner in owners:
        for i in at(said, owner):
            after = said[i + len(owner) : i + len(owner) + OWNER_REACH]
            if any(w in SAYING for w in after):
                return True
            if any(tuple(said[max(0, i - len(p)) : i]) == p for p in BEFORE_OWNER):
                return True
    return False
