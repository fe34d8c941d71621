"""One home for the registry's words: each closed list read from the JSON Schema, and how a reader sees it.

The schema (briefing/schema/registry.schema.json) says which values a field takes; the command line's
choices are read from it here, and every label table below is keyed by exactly those values
(tests/test_architecture.py holds them to it). Month names are here too, in English whatever
the machine's locale.
"""

from __future__ import annotations

import json
from functools import cache

from briefing.problems import package_folder

SCHEMA_PATH = package_folder("briefing.schema") / "registry.schema.json"  # the build's; facts/ has a copy for editors


@cache
def schema_enum(definition: str, *path: str) -> tuple[str, ...]:
    """The values the schema allows at definitions/<definition>/properties/<path...>, in its order."""
    node = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["definitions"][definition]
    for part in path:
        node = node["items"] if part == "[]" else node["properties"][part]
    return tuple(node["enum"])


def entity_kinds() -> tuple[str, ...]:
    return schema_enum("entity", "kind")


def source_kinds() -> tuple[str, ...]:
    return schema_enum("source", "kind")


def relations() -> tuple[str, ...]:
    return schema_enum("source", "based_on", "[]", "relation")


def qualifiers() -> tuple[str, ...]:
    return schema_enum("value", "qualifier")


# --- how a reader sees each value -----------------------------------------------------------

KIND_TITLES = {  # entity kinds, as the entities page heads its groups (in this order)
    "organisation": "Organisations",
    "person": "People",
    "place": "Places",
    "model": "Models",
    "product": "Products and platforms",
    "programme": "Programmes",
    "policy": "Policies",
}
KIND_NAMES = {  # one of them, as an entity page names its kind
    "organisation": "Organisation",
    "person": "Person",
    "place": "Place",
    "model": "Model",
    "product": "Product or platform",
    "programme": "Programme",
    "policy": "Policy",
}
SOURCE_KINDS = {
    "news-report": "News report",
    "repost": "Repost of another outlet's article",
    "rewrite": "Rewrite of other outlets' reporting",
    "teaser": "Teaser of another article",
    "analysis": "Analysis",
    "primary-statement": "Primary statement",
}
VERDICTS = {
    "conflicting": "Conflicting: they cannot all be right",
    "reconcilable": "Reconcilable: they differ for a known reason",
    "erroneous": "Erroneous: a source is plainly wrong",
}
RANKS = {"preferred": "Preferred", "normal": "Reported", "erroneous": "Erroneous"}
RELATIONS = {"repost": "a repost of", "rewrite": "a rewrite of", "teaser": "a teaser of", "cites": "cites"}
# A value's qualifier in words ("more than 1 billion yuan") and as a chart's sign ("> 1bn").
QUALIFIER_WORDS = {
    "exactly": "",
    "about": "about",
    "more-than": "more than",
    "at-least": "at least",
    "up-to": "up to",
    "less-than": "less than",
}
QUALIFIER_SIGNS = {"exactly": "", "about": "~", "more-than": ">", "at-least": "≥", "up-to": "≤", "less-than": "<"}

# --- months ---------------------------------------------------------------------------------

MONTHS = [
    "",  # so that MONTHS[1] is January
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def month_year(year: int, month: int | None) -> str:
    """'March 2025', or '2025 (month unknown)' for a date known only to the year."""
    return f"{MONTHS[month]} {year}" if month else f"{year} (month unknown)"
