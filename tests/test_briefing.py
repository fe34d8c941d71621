"""The published briefing itself: the editorial rules its content must keep (issue 3)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import REPO

from briefing.check.references import MAX_QUOTE_WORDS
from briefing.pipeline import Options, gather

ARCHIVE = REPO.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def briefing():
    if not ARCHIVE.is_dir():
        pytest.fail(f"the source archive {ARCHIVE} is missing: the real briefing cannot be verified")
    registry, problems = gather(Options(REPO, ARCHIVE, strict=True, site_dir=REPO / "site"))
    assert [str(p) for p in problems] == [], "the strict check of the real registry must pass"
    return registry


def test_every_source_is_cited_by_at_least_five_facts(briefing):
    facts_per_source = Counter(s for f in briefing.facts for s in {c.source for c in f.citations})
    assert {s.id: facts_per_source[s.id] for s in briefing.sources if facts_per_source[s.id] < 5} == {}


def test_every_entity_and_topic_has_facts(briefing):
    named = {e for f in briefing.facts for e in (*f.entities, *f.claimed_by)}
    assert [e.id for e in briefing.entities if e.id not in named] == []
    assert [t.id for t in briefing.topics if t.id not in {f.topic for f in briefing.facts}] == []


def test_the_briefing_is_complete_enough(briefing):
    assert len(briefing.facts) > 60
    assert 6 <= len(briefing.briefing.key_points) <= 10
    assert len(briefing.disagreements) >= 4
    assert any(v.rank == "erroneous" for d in briefing.disagreements for v in d.variants)


def test_quotes_are_short(briefing):
    quotes = [c.quote for f in briefing.facts for c in f.citations]
    assert max(len(q.split()) for q in quotes) <= MAX_QUOTE_WORDS


def test_known_disagreements_are_recorded(briefing):
    """The disagreements the archive's README names are all on the page, each with its note."""
    quoted = {d.id: {(c.source, c.quote) for v in d.variants for c in v.citations} for d in briefing.disagreements}
    everything = " ".join(q for pairs in quoted.values() for _, q in pairs)
    for words in (
        "$137 million",
        "$140 million",
        "3 billion yuan ($410 million)",
        "US$1.4 billion",
        "Meta’s Qwen-2.5-VL",
    ):
        assert words in everything, words
    qwen = next(d for d in briefing.disagreements if any("Qwen" in c.quote for v in d.variants for c in v.citations))
    assert qwen.verdict == "erroneous" and qwen.variants[0].reason


def test_the_erroneous_claim_is_not_repeated_as_fact(briefing):
    assert not [f.id for f in briefing.facts if "Meta" in f.statement and "Qwen" in f.statement]
