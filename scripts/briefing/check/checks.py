"""The whole-registry checks, run together: `check_registry`.

The schema checks each file on its own; these need the whole registry: ids and references
(references.py), who speaks (speakers.py), figures and dates (statements.py), disagreements
(disagreements.py), what the sources carry (evidence.py) and the newsroom's rules (standards.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from briefing.check.disagreements import check_disagreements
from briefing.check.evidence import check_same_archives, check_support
from briefing.check.references import (
    check_briefing,
    check_citations,
    check_references,
    check_unique_ids,
    check_unused,
)
from briefing.check.speakers import check_speakers
from briefing.check.standards import check_standards
from briefing.check.statements import check_figures
from briefing.load.model import Registry
from briefing.problems import Problem


def check_registry(
    registry: Registry, strict: bool, remembered: Mapping[str, str] | None = None
) -> tuple[list[Problem], dict[str, str]]:
    """All whole-registry problems; `strict` turns would-be warnings (unused entries) into errors.

    `remembered` holds the keys of facts whose figures and support were found before (a cache
    kept between runs): those are not read again. Returns the problems and this run's keys.
    """
    problems: list[Problem] = []
    problems += check_briefing(registry)
    problems += check_unique_ids(registry)
    problems += check_references(registry)
    problems += check_citations(registry)
    problems += check_speakers(registry)
    problems += check_same_archives(registry)
    remembered = remembered or {}
    figure_problems, found = check_figures(registry, remembered)
    support_problems, supported = check_support(registry, remembered)  # after the figures: parsed once
    problems += figure_problems + support_problems
    problems += check_disagreements(registry)
    problems += check_standards(registry, strict)
    if registry.complete:  # with entries missing, "unused" would be noise
        problems += check_unused(registry, strict)
    return problems, found | supported
