"""What the checks remember between runs: a fact found clean under a key is not read again under it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from briefing.load.model import Fact
from briefing.problems import Problem


def each_fact(
    facts: Iterable[Fact],
    key: Callable[[Fact], str],
    check: Callable[[Fact], list[Problem]],
    remembered: Mapping[str, str] | None,
) -> tuple[list[Problem], dict[str, str]]:
    """Check every fully loaded fact whose key is not remembered; the problems, and the keys of the clean facts.

    A fact built without its invalid parts is left until they are fixed.
    """
    known: dict[str, str] = {}
    problems: list[Problem] = []
    for fact in facts:
        if fact.origin.partial:
            continue
        fact_key = key(fact)
        found = [] if remembered and fact_key in remembered else check(fact)
        problems += found
        if not found:
            known[fact_key] = ""
    return problems, known
