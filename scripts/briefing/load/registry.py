"""The registry model: dataclasses for sources, entities, facts and disagreements, and their loading.

Loading reads every YAML file under facts/, validates it against the JSON Schema (the one
contract for the format) and builds the model. It never raises for a contributor's mistake:
everything wrong comes back as a list of located problems.
"""

from __future__ import annotations

import calendar
import copy
import difflib
import gc
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema
import jsonschema

from briefing.problems import Loc, Problem, error, package_folder
from briefing.vocabulary import MONTHS

if TYPE_CHECKING:
    from briefing.load.cache import ParseCache
from briefing.load.yaml_loader import YamlDocument, load_yaml_bytes

# The schema ships with the tool: facts/ holds it so that editors find it beside the data.
SCHEMA_PATH = package_folder("briefing.schema") / "registry.schema.json"
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SECTIONS = ("briefing", "topics", "sources", "entities", "facts", "disagreements", "coverage")
_SINGULAR = {
    "topics": "topic",
    "sources": "source",
    "entities": "entity",
    "facts": "fact",
    "disagreements": "disagreement",
    "variants": "variant",
    "citations": "citation",
    "key_numbers": "key number",
    "coverage": "coverage entry",
    "omitted": "omission",
}


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
    documents: list[YamlDocument] = field(default_factory=list, repr=False)
    # Ids of entries that failed validation: known, so references to them are not reported twice.
    invalid_ids: dict[str, set[str]] = field(default_factory=dict, repr=False)
    # False when some file or entry failed to load: checks that need the whole picture then wait.
    complete: bool = True
    # Each archived text's sentences in order, by source id, with what the briefing does with each:
    # set by the coverage check (check/coverage.py) for every source whose archive it read.
    sentences: dict[str, list[Sentence]] = field(default_factory=dict, repr=False)

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


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema that both the build and contributors' editors use, read as editors read it."""
    return _whole_value_patterns(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _whole_value_patterns(node: Any) -> Any:
    """A pattern's final `$` as JSON Schema (ECMA-262) means it: the end of the value.

    Python's `$` also matches before a final newline, so "corporate\n" would pass as an id.
    """
    if isinstance(node, dict):
        return {
            key: _anchor_end(value) if key == "pattern" and isinstance(value, str) else _whole_value_patterns(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_whole_value_patterns(item) for item in node]
    return node


def _anchor_end(pattern: str) -> str:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + "\\Z"
    return pattern


REGISTRY_SUFFIXES = (".yaml", ".yml")


def registry_files(facts_dir: Path) -> list[Path]:
    """Every registry file, in a stable order (see `find_registry_files`)."""
    return find_registry_files(facts_dir, facts_dir)[0]


def find_registry_files(facts_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """The registry: every *.yaml and *.yml file under facts/, in a stable order.

    Hidden files and folders (.git/, an editor's .swp) are not part of it. A name the build
    cannot show (not UTF-8), a suffix in capitals (x.YAML) and a symbolic link are problems
    at their path rather than files silently skipped or followed out of facts/.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for folder, dirs, names in os.walk(facts_dir):
        here = Path(folder)
        for name in sorted(dirs):
            if name.startswith("."):
                dirs.remove(name)
            elif (here / name).is_symlink():
                dirs.remove(name)
                problems.append(error(Loc(_display(here / name, root)), "registry folders must not be symbolic links"))
        for name in names:
            path = here / name
            if name.startswith(".") or not name.lower().endswith(REGISTRY_SUFFIXES):
                continue
            shown = _display(path, root)
            if shown != shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace"):
                problems.append(error(Loc(_printable(shown)), "file name is not UTF-8: rename the file"))
            elif not name.endswith(REGISTRY_SUFFIXES):
                stem = name[: name.rindex(".")]
                problems.append(
                    error(Loc(shown), "registry file names end in lowercase .yaml or .yml", f"rename it {stem}.yaml")
                )
            else:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(facts_dir).as_posix()), problems


def _printable(shown: str) -> str:
    """A file name that is not UTF-8, with its undecodable bytes written as \\xNN."""
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load_registry(facts_dir: Path, root: Path, cache: ParseCache | None = None) -> tuple[Registry, list[Problem]]:
    """Read every registry file under facts/ and load it (see `load_registry_texts`)."""
    texts: dict[str, bytes] = {}
    files, problems = find_registry_files(facts_dir, root)
    if not files and not problems:
        problems.append(error(Loc(_display(facts_dir, root)), "no registry files (*.yaml) found"))
    for path in files:
        display = _display(path, root)
        if _is_linked(path, facts_dir):
            problems.append(
                error(Loc(display), "registry files must not be symbolic links", "copy the file into facts/")
            )
            continue
        try:
            texts[display] = path.read_bytes()
        except OSError as exc:
            problems.append(error(Loc(display), f"cannot read file: {exc.strerror}"))
    registry, more = load_registry_texts(texts, cache)
    registry.complete &= not problems
    return registry, problems + more


def load_registry_texts(texts: dict[str, bytes], cache: ParseCache | None = None) -> tuple[Registry, list[Problem]]:
    """Parse and validate registry files given as bytes by path; build the model from what is valid.

    Used for the working tree and for other revisions (`briefing diff`) alike. With a cache,
    a file whose bytes were seen before (and were valid) is not parsed again.
    """
    validator = jsonschema.Draft7Validator(load_schema(), format_checker=FORMATS)
    registry = Registry()
    problems: list[Problem] = []
    with gc_paused():  # loading allocates millions of small objects that are all kept
        for display, raw in texts.items():
            key = cache.key(display, raw) if cache else ""
            doc = cache.get(key) if cache else None
            if doc is not None:
                registry.documents.append(doc)
                _add_entries(registry, doc, {})
                continue
            doc, load_problems = load_yaml_bytes(raw, display)
            problems += load_problems
            if doc is None:
                registry.complete = False
                continue
            registry.documents.append(doc)
            schema_problems, errors = validate_document(doc, validator)
            problems += schema_problems
            registry.complete &= not errors
            _add_entries(registry, doc, errors)
            if cache and not schema_problems:
                cache.put(key, doc)
    return registry, problems


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: large builds of long-lived objects make it rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _is_linked(path: Path, facts_dir: Path) -> bool:
    """True if the file, or a folder between it and facts/, is a symbolic link (it could point anywhere)."""
    while path != facts_dir and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def _display(path: Path, root: Path) -> str:
    """The path as the contributor knows it: relative to the project, links not followed."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


# --- schema validation -------------------------------------------------------------------

FORMATS = jsonschema.FormatChecker(formats=())


@cache
def _fast_validator():
    # compile() rewrites the $refs of the dict it is given: let it have its own copy.
    return fastjsonschema.compile(copy.deepcopy(load_schema()), formats={"partial-date": _is_real_date})


@FORMATS.checks("partial-date")
def _is_real_date(value: object) -> bool:
    """A date that matches the pattern but names no real day (2024-02-30) is refused too."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return True
    text = str(value)
    if not text[:4].isdigit() or any(not part.isdigit() for part in text.split("-")):
        return True  # the pattern reports it
    return parse_date(text) is not None


ItemKey = tuple[str, int | None]  # (section, index in it), or (section, None) for briefing and whole sections


def validate_document(
    doc: YamlDocument, validator: jsonschema.Draft7Validator
) -> tuple[list[Problem], dict[ItemKey, list[tuple[tuple, jsonschema.ValidationError]]]]:
    """Schema problems of one file, and the errors of each entry, with paths relative to the entry.

    A compiled validator answers first (about 15 times faster); only a file it rejects is
    validated again by `validator`, which lists every error with its path.
    """
    try:
        _fast_validator()(doc.data)
        return [], {}
    except fastjsonschema.JsonSchemaException:
        pass
    problems = []
    by_item: dict[ItemKey, list[tuple[tuple, jsonschema.ValidationError]]] = {}
    for err in validator.iter_errors(doc.data):
        path = tuple(err.absolute_path)
        problems += _schema_problems(doc, err, path)
        if len(path) >= 2 and isinstance(path[1], int):
            by_item.setdefault((path[0], path[1]), []).append((path[2:], err))
        else:
            by_item.setdefault((path[0] if path else "", None), []).append((path[1:], err))
    return problems, by_item


def _schema_problems(doc: YamlDocument, err: jsonschema.ValidationError, path: tuple) -> list[Problem]:
    what = _describe(doc, path)
    if path and isinstance(path[-1], str):
        named = f"field '{path[-1]}'"
    elif len(path) >= 3 and isinstance(path[-2], str):
        named = f"item {path[-1] + 1} of '{path[-2]}'"
    else:
        named = "value"
    kind = err.validator
    instance = err.instance
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(set(instance) - set(allowed))
        out = []
        for key in extra:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
            out.append(error(doc.key_loc(path + (key,)), f"{what}: unknown field '{key}'", hint))
        return out
    if kind == "required":
        missing = err.message.split("'")[1]
        return [error(doc.loc(path), f"{what}: missing required field '{missing}'")]
    if kind == "type":
        if path == ():
            return [
                error(
                    doc.loc(path),
                    "a registry file must be a mapping of sections",
                    "start with one of: " + ", ".join(f"'{s}:'" for s in SECTIONS),
                )
            ]
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
        hint = None
        if "string" in wanted and isinstance(instance, (int, float)) and not isinstance(instance, bool):
            hint = f'put it in quotes: "{instance}"'
        elif "string" in wanted and isinstance(instance, bool):
            hint = "put it in quotes"
        return [error(doc.loc(path), f"{what}: {named} must be {names}, not {_shown(instance)}", hint)]
    if kind == "pattern":
        message = err.schema.get("errorMessage", f"does not match {err.validator_value}")
        if message == "is blank":  # only white space; an empty value is reported as empty
            return [error(doc.loc(path), f"{what}: {named} is blank")] if instance else []
        bad = _bad_character(instance)
        if bad and "control" in message:
            message = f"contains the invisible character U+{ord(bad):04X}, which is not allowed"
            return [error(doc.loc(path), f"{what}: {named} {message}", "delete it and retype the text around it")]
        return [error(doc.loc(path), f"{what}: {named} {_shown(instance)} {message}")]
    if kind == "format":
        return [error(doc.loc(path), f"{what}: {named} {_shown(instance)} is not a real date")]
    if kind == "enum":
        choices = [str(c) for c in err.validator_value]
        close = difflib.get_close_matches(str(instance), choices, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else None
        return [error(doc.loc(path), f"{what}: {named} is {_shown(instance)}; use one of: {', '.join(choices)}", hint)]
    if kind in ("minItems", "minLength") and not instance:
        return [error(doc.loc(path), f"{what}: {named} is empty")]
    if kind == "minItems":
        return [error(doc.loc(path), f"{what}: {named} needs at least {err.validator_value} items")]
    if kind == "maxLength":
        return [
            error(
                doc.loc(path), f"{what}: {named} is {len(instance)} characters long; the limit is {err.validator_value}"
            )
        ]
    if kind == "uniqueItems":
        return [error(doc.loc(path), f"{what}: {named} lists the same item twice")]
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return [error(doc.loc(path), f"{what}: {named} must be {bound} {err.validator_value}, not {instance}")]
    if kind == "minProperties":
        return [error(doc.loc(path), f"{what}: is empty")]
    return [error(doc.loc(path), f"{what}: {named}: {err.message}")]


_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
}


def _shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _bad_character(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    for ch in text:
        code = ord(ch)
        if (code < 32 and ch not in "\t\n") or 0x7F <= code <= 0x9F or code in (0x061C, 0x200E, 0x200F):
            return ch
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return ch
    return None


def _describe(doc: YamlDocument, path: tuple) -> str:
    """Name the entry a path is in: "fact 'march-round'", "source #2", "briefing" or "file"."""
    if not path:
        return "file"
    section = path[0]
    if section == "briefing" or len(path) < 2 or not isinstance(path[1], int):
        return str(section)
    item = doc.data.get(section, [])[path[1]] if isinstance(doc.data, dict) else None
    name = _SINGULAR.get(section, section)
    if isinstance(item, dict) and isinstance(item.get("id"), str) and ID_PATTERN.fullmatch(item["id"]):
        return f"{name} '{item['id']}'"
    return f"{name} #{path[1] + 1}"


# --- building the model ------------------------------------------------------------------


def _add_entries(registry: Registry, doc: YamlDocument, errors: dict[ItemKey, list]) -> None:
    """Build every entry; an entry with schema errors is built without its invalid parts when it
    can stand without them, so the cross-reference and quote checks still see the rest of it."""
    if not isinstance(doc.data, dict) or ("", None) in errors and _unbuildable(errors[("", None)]):
        return
    for section, items in doc.data.items():
        if section not in SECTIONS:
            continue
        if section == "briefing":
            built = _build(_briefing, items, errors.get(("briefing", None), []), Origin(doc, ("briefing",)))
            if built:
                registry.briefings.append(built)
            continue
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            origin = Origin(doc, (section, index))
            built = _build(_BUILDERS[section], item, errors.get((section, index), []), origin)
            if built:
                getattr(registry, section).append(built)
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                registry.invalid_ids.setdefault(section, set()).add(item["id"])


def _unbuildable(errors: list) -> bool:
    return any(rel == () and err.validator != "additionalProperties" for rel, err in errors)


def _build(builder, item: Any, errors: list, origin: Origin):
    """The entry without the parts that failed validation, or None if it cannot stand without them."""
    if not isinstance(item, dict) or _unbuildable(errors):
        return None
    if errors:
        origin = Origin(origin.doc, origin.path, partial=True)
        item = copy.deepcopy(item)
        for rel, err in errors:
            if rel == ():  # unknown fields: drop them
                for key in set(item) - set(err.schema.get("properties", {})):
                    del item[key]
        # Remove invalid parts from the deepest and last up, so list indexes stay right.
        for rel in sorted({rel for rel, _ in errors if rel}, key=_removal_order, reverse=True):
            parent = item
            try:
                for step in rel[:-1]:
                    parent = parent[step]
                del parent[rel[-1]]
            except (KeyError, IndexError, TypeError):
                continue  # an ancestor was removed already
    try:
        return builder(item, origin)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # a required part was invalid; the schema problems say which


def _removal_order(rel: tuple) -> tuple:
    return tuple((1, step, "") if isinstance(step, int) else (0, 0, step) for step in rel)


def parse_date(value: str | int) -> PartialDate | None:
    """A schema-valid date string or year; None if no such day exists (2024-02-30)."""
    parts = [int(p) for p in str(value).split("-")]
    year, month, day = (parts + [None, None])[:3]
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)


def _date(value: Any) -> PartialDate | None:
    # Only schema-valid entries are built, so the date is real (see _is_real_date).
    return parse_date(value) if value is not None else None


def _value(data: dict | None) -> Value | None:
    if data is None:
        return None
    return Value(data["amount"], data["unit"], data.get("qualifier"))


def _citations(items: list[dict], origin: Origin, key: str = "citations") -> tuple[Citation, ...]:
    return tuple(
        Citation(
            c["source"],
            c["quote"],
            c.get("locator"),
            Origin(origin.doc, origin.path + (key, i)),
            c.get("speaker"),
            c.get("via"),
            c.get("role", "support"),
        )
        for i, c in enumerate(items)
    )


def _briefing(d: dict, o: Origin) -> Briefing:
    numbers = tuple(
        KeyNumber(n["fact"], n["label"], Origin(o.doc, o.path + ("key_numbers", i)))
        for i, n in enumerate(d.get("key_numbers", []))
    )
    return Briefing(d["title"], d["subject"], d["summary"], _date(d["as_of"]), tuple(d["key_points"]), numbers, o)


def _topic(d: dict, o: Origin) -> Topic:
    return Topic(d["id"], d["title"], d["description"], o)


def _source(d: dict, o: Origin) -> Source:
    return Source(
        id=d["id"],
        title=d["title"],
        publisher=d["publisher"],
        published=_date(d["published"]),
        kind=d["kind"],
        archive_file=d["archive"]["file"],
        archive_sha256=d["archive"]["sha256"],
        reliability=d["reliability"],
        summary=d["summary"],
        author=d.get("author"),
        url=d.get("url"),
        origin=o,
        based_on=tuple(Basis(b["relation"], b.get("source"), b.get("name")) for b in d.get("based_on", [])),
        retrieved=_date(d.get("retrieved")),
    )


def _entity(d: dict, o: Origin) -> Entity:
    control = d.get("controlled_by")
    return Entity(
        d["id"],
        d["name"],
        d["kind"],
        d["description"],
        tuple(d.get("aliases", [])),
        ControlledBy(control["entity"], control["fact"]) if control else None,
        o,
    )


def _fact(d: dict, o: Origin) -> Fact:
    return Fact(
        id=d["id"],
        statement=d["statement"],
        topic=d["topic"],
        date=_date(d.get("date")),
        entities=tuple(d["entities"]),
        claimed_by=tuple(d.get("claimed_by", [])),
        value=_value(d.get("value")),
        converted=tuple(
            Converted(c["amount"], c["unit"], c.get("qualifier"), c["source"]) for c in d.get("converted", [])
        ),
        tags=tuple(d.get("tags", [])),
        citations=_citations(d["citations"], o),
        note=d.get("note"),
        origin=o,
        derived=tuple(Derived(x["figure"], x["working"]) for x in d.get("derived", [])),
        outside_knowledge=d.get("outside_knowledge"),
        investors=tuple(d.get("investors", [])),
    )


def _disagreement(d: dict, o: Origin) -> Disagreement:
    variants = tuple(
        Variant(
            v["claim"],
            _value(v.get("value")),
            v.get("rank", "normal"),
            v.get("reason"),
            _citations(v["citations"], Origin(o.doc, o.path + ("variants", i))),
            Origin(o.doc, o.path + ("variants", i)),
            v.get("outside_knowledge"),
        )
        for i, v in enumerate(d["variants"])
    )
    return Disagreement(d["id"], d["subject"], tuple(d.get("facts", [])), d["verdict"], variants, d["note"], o)


def _coverage(d: dict, o: Origin) -> Coverage:
    omitted = tuple(
        Omission(
            d["source"],
            x["excerpt"],
            x["reason"],
            x["note"],
            Origin(o.doc, o.path + ("omitted", i)),
            x.get("fact"),
            x.get("duplicate_of"),
        )
        for i, x in enumerate(d["omitted"])
    )
    return Coverage(d["source"], omitted, o)


_BUILDERS = {
    "topics": _topic,
    "sources": _source,
    "entities": _entity,
    "facts": _fact,
    "disagreements": _disagreement,
    "coverage": _coverage,
}
