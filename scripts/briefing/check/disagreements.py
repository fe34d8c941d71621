"""Disagreements: each records more than one version, or marks its one wrong claim erroneous."""

from __future__ import annotations

from briefing.load.model import Registry
from briefing.problems import Problem, error


def check_disagreements(registry: Registry) -> list[Problem]:
    """A disagreement gives two versions or more, and an 'erroneous' verdict has an erroneous version."""
    problems = []
    for disagreement in registry.disagreements:
        if disagreement.origin.partial:
            continue  # some variants failed validation; judge the whole once they are fixed
        variants = disagreement.variants
        if len(variants) == 1 and variants[0].rank != "erroneous":
            said = f"disagreement '{disagreement.id}' has one variant that is not marked erroneous"
            hint = "record each version the sources give, or mark a wrong claim 'rank: erroneous' with a reason"
            problems.append(error(disagreement.origin.at("variants"), said, hint, code="single-version"))
        if disagreement.verdict == "erroneous" and not any(v.rank == "erroneous" for v in variants):
            said = f"disagreement '{disagreement.id}' is 'erroneous' but no variant has 'rank: erroneous'"
            problems.append(error(disagreement.origin.at("verdict"), said, code="erroneous-without-version"))
    return problems
