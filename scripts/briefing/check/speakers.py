"""Who speaks: each speaker and each source's basis exists, and a party's claim has that party's words."""

from __future__ import annotations

from briefing.check.references import Ids
from briefing.load.model import Registry
from briefing.problems import Problem, error


def check_speakers(registry: Registry) -> list[Problem]:
    """Who speaks: each speaker and each source's basis exists; a party's claim has that party's words."""
    inv = registry.invalid_ids
    entities = Ids("entity", registry.entities, inv.get("entities", set()))
    sources = Ids("source", registry.sources, inv.get("sources", set()))
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
                        error(
                            source.origin.at("based_on", i, "source"),
                            "a source cannot be based on itself",
                            code="based-on-itself",
                        )
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
                        code="claim-without-party-words",
                    )
                )
    return problems
