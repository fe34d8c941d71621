"""The registry model: sources, entities, facts, disagreements and coverage, as frozen values.

Built by load/registry.py from files that passed the schema; read by the checks and the pages.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefing.load.yaml_loader import YamlDocument
from briefing.problems import Loc
from briefing.vocabulary import MONTHS


@dataclass(frozen=True)
class Origin:
    """Where an entry was written, so later checks can point at any of its fields."""

    doc: YamlDocument
    path: tuple
    # Built without the parts that failed validation: checks about what is absent must skip it.
    partial: bool = False

    def at(self, *fields: str | int) -> Loc:
        """The location of a field's value (or of the entry itself)."""
        return self.doc.loc(self.path + fields)

    def key_at(self, *fields: str | int) -> Loc:
        """The location of a field's key."""
        return self.doc.key_loc(self.path + fields)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a year, a month or a day; a month is not a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """year, month or day."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """2025, 2025-03 or 2025-03-04: as precise as it is known."""
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    @property
    def label(self) -> str:
        """A reader's form: '4 March 2025', 'March 2025' or '2025'."""
        if self.day:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    @property
    def short_label(self) -> str:
        """A compact form for lists: '4 Mar 2025', 'Mar 2025' or '2025'."""
        month = MONTHS[self.month][:3] if self.month else ""
        return " ".join(str(p) for p in (self.day, month, self.year) if p)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Sort a month before the days in it, and a year before its months."""
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class Value:
    """A structured value: an amount and its unit (ISO currency code or a word)."""

    amount: float | int
    unit: str
    qualifier: str | None = None


@dataclass(frozen=True)
class Converted:
    """The same amount in another currency, as one source converted it."""

    amount: float | int
    unit: str
    qualifier: str | None
    source: str


@dataclass(frozen=True)
class Citation:
    """A source's words backing a claim: its own, or a party's that it reports (`speaker`)."""

    source: str
    quote: str
    locator: str | None
    origin: Origin = field(repr=False, compare=False)
    speaker: str | None = None  # an entity id; None: the source's own voice
    via: str | None = None  # the report or wire the source names for these words
    role: str = "support"  # or "context": background, shown apart and not counted as a source

    @property
    def supports(self) -> bool:
        """True if the words count toward the claim's independent sources (not background)."""
        return self.role != "context"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    origin: Origin = field(repr=False, compare=False)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    published: PartialDate
    kind: str
    archive_file: str
    archive_sha256: str
    reliability: str
    summary: str
    author: str | None
    url: str | None
    origin: Origin = field(repr=False, compare=False)
    based_on: tuple[Basis, ...] = ()
    retrieved: PartialDate | None = None  # when the archived copy was taken (an access date)


@dataclass(frozen=True)
class Basis:
    """What a source is made from: a source we hold (`source`) or one we know by name."""

    relation: str  # repost, rewrite, teaser or cites
    source: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class ControlledBy:
    entity: str
    fact: str


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    description: str
    aliases: tuple[str, ...]
    controlled_by: ControlledBy | None
    origin: Origin = field(repr=False, compare=False)


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    topic: str
    date: PartialDate | None
    entities: tuple[str, ...]
    claimed_by: tuple[str, ...]
    value: Value | None
    converted: tuple[Converted, ...]
    tags: tuple[str, ...]
    citations: tuple[Citation, ...]
    note: str | None
    origin: Origin = field(repr=False, compare=False)
    derived: tuple[Derived, ...] = ()
    outside_knowledge: str | None = None
    investors: tuple[str, ...] = ()  # entity ids: who put money in, for a funding round
    # Why what it says changed, oldest first. Left out of the repr, which the history compares:
    # giving a reason is not a change to the fact.
    corrections: tuple[Correction, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class EditorsNote:
    """When the editors published a change and why: what a correction and a retraction share."""

    date: PartialDate
    reason: str
    origin: Origin = field(repr=False, compare=False)


@dataclass(frozen=True)
class Correction(EditorsNote):
    """One published change to a fact: when, what changed and why, in the editors' words."""

    change: str


@dataclass(frozen=True)
class Retraction(EditorsNote):
    """Why a fact was taken out of the registry (its id stays reserved)."""

    fact: str


@dataclass(frozen=True)
class Derived:
    """A figure that is ours (a sum, a conversion, a count), with how we got it."""

    figure: str
    working: str


@dataclass(frozen=True)
class Variant:
    claim: str
    value: Value | None
    rank: str
    reason: str | None
    citations: tuple[Citation, ...]
    origin: Origin = field(repr=False, compare=False)
    outside_knowledge: str | None = None


@dataclass(frozen=True)
class Disagreement:
    id: str
    subject: str
    facts: tuple[str, ...]
    verdict: str
    variants: tuple[Variant, ...]
    note: str
    origin: Origin = field(repr=False, compare=False)


@dataclass(frozen=True)
class Omission:
    """A sentence of a source the briefing leaves out, named by an excerpt, with the reason."""

    source: str
    excerpt: str
    reason: str  # out-of-scope, restates, opinion, promotional, duplicate or unnamed-source
    note: str
    origin: Origin = field(repr=False, compare=False)
    fact: str | None = None  # for 'restates': the fact that carries the claim
    duplicate_of: str | None = None  # for 'duplicate': the source the briefing uses for it


@dataclass(frozen=True)
class Coverage:
    """One `coverage` entry: the sentences of a source that the briefing leaves out."""

    source: str
    omitted: tuple[Omission, ...]
    origin: Origin = field(repr=False, compare=False)


@dataclass(frozen=True)
class Sentence:
    """What the briefing does with one sentence of an archived text (never the sentence's words)."""

    used_by: tuple[Citation, ...] = ()  # the citations whose quotes stand in it
    omission: Omission | None = None  # the registry's reason for leaving it out
    excerpt: str | None = None  # the omission's excerpt as the archive prints it

    @property
    def status(self) -> str:
        """used, omitted or not-reviewed."""
        return "used" if self.used_by else "omitted" if self.omission else "not-reviewed"


@dataclass(frozen=True)
class KeyNumber:
    fact: str
    label: str
    origin: Origin = field(repr=False, compare=False)


@dataclass(frozen=True)
class Briefing:
    title: str
    subject: str
    summary: str
    as_of: PartialDate
    key_points: tuple[str, ...]
    key_numbers: tuple[KeyNumber, ...]
    origin: Origin = field(repr=False, compare=False)


def independent_sources(citations: tuple[Citation, ...], sources: dict[str, Source]) -> int:
    """How many independent sources back a claim: words with one origin count once.

    Only supporting citations count (`role: context` is background). A citation's origin is
    its `via` (two outlets relaying one wire story are one source), else its source's: what a
    repost, rewrite or teaser is based on, followed back to the first document, else the publisher.
    """
    return len({citation_origin(c, sources) for c in citations if c.supports})


def citation_origin(citation: Citation, sources: dict[str, Source]) -> str:
    """Where a citation's words come from, by name: its via, or its source's origin."""
    return _name(citation.via) if citation.via else source_origin(sources[citation.source], sources)


def source_origin(source: Source, sources: dict[str, Source], seen: frozenset[str] = frozenset()) -> str:
    """The first document a repost, rewrite or teaser leads back to, by name; else its publisher."""
    for basis in source.based_on:
        if basis.relation == "cites":
            continue  # it credits the other for some claims; the rest is its own
        if basis.name:
            return _name(basis.name)
        if basis.source in sources and basis.source not in seen:
            return source_origin(sources[basis.source], sources, seen | {source.id})
    return _name(source.publisher)


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Registry:
    """Everything in facts/, in the order it was written (files sorted by path)."""

    briefings: list[Briefing] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    retractions: list[Retraction] = field(default_factory=list)
    documents: list[YamlDocument] = field(default_factory=list, repr=False)
    # Ids of entries that failed validation: known, so references to them are not reported twice.
    invalid_ids: dict[str, set[str]] = field(default_factory=dict, repr=False)
    # False when some file or entry failed to load: checks that need the whole picture then wait.
    complete: bool = True

    def citations(self) -> Iterator[tuple[str, Citation]]:
        """Every citation, the facts' then the disagreements' versions', with what cites it: "fact 'x'"."""
        for fact in self.facts:
            for citation in fact.citations:
                yield f"fact '{fact.id}'", citation
        for disagreement in self.disagreements:
            for number, variant in enumerate(disagreement.variants, 1):
                for citation in variant.citations:
                    yield f"version {number} of disagreement '{disagreement.id}'", citation

    @property
    def omissions(self) -> list[Omission]:
        """Every omitted sentence the registry lists, in the order written."""
        return [o for entry in self.coverage for o in entry.omitted]

    @property
    def briefing(self) -> Briefing | None:
        return self.briefings[0] if self.briefings else None


def parse_date(value: str | int) -> PartialDate | None:
    """A schema-valid date string or year; None if no such day exists (2024-02-30)."""
    parts = [int(p) for p in str(value).split("-")]
    year, month, day = (parts + [None, None])[:3]
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)
