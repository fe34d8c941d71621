"""The synthetic registry the measurements build: N facts with sources whose archived texts hold
their quotes, entities (a few in many facts, most in few), topics and disagreements, the same for
the same N and seed."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from benchmarks.process import REPO
from briefing.check.quotes import sha256_of

WORDS = (
    "state fund investor round capital model launch partner government city office market chip export "
    "license platform agent cloud research lab contract revenue valuation listing board shares stake policy "
    "programme region province ministry startup unicorn benchmark parameter dataset training inference "
    "deployment customer enterprise sovereign infrastructure standard alliance centre hub talent subsidy"
).split()
FILLER = "according to people familiar with the matter the company said in a statement on its website".split()
KINDS = ["organisation"] * 6 + ["person"] * 2 + ["place"] * 2 + ["model", "product", "programme", "policy"]
TOPICS = 12
FACTS_PER_FILE = 500


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    return f"{year}" if roll < 0.1 else f"{year}-{month:02d}" if roll < 0.3 else f"{year}-{month:02d}-{day:02d}"


def generate(n: int, root: Path, seed: int = 7) -> Path:
    """Write a project with `n` synthetic facts under `root`; return the archive folder."""
    rng = random.Random(seed)  # every part below draws from it in turn: the same registry for the same seed
    facts_dir, archive = root / "facts", root / "archive"
    facts_dir.mkdir(parents=True)
    archive.mkdir()
    n_sources, n_entities = max(20, n // 20), max(60, n // 25)
    topics = _topics(rng)
    entities = _entities(rng, n_entities)
    facts, source_quotes = _facts(rng, n, n_sources, n_entities, topics)
    sources = _sources(rng, source_quotes, archive)
    disagreements = _disagreements(rng, facts)
    used = {e for f in facts for e in f["entities"]}
    entities = [e for e in entities if e["id"] in used]
    _write(rng, facts_dir, topics, entities, facts, sources, disagreements)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns(".*"))
    if (REPO / "templates").is_dir():
        (root / "templates").symlink_to(REPO / "templates")
    return archive


def _topics(rng: random.Random) -> list[dict]:
    return [
        {
            "id": f"topic-{t:02d}",
            "title": f"Topic {t}: {_sentence(rng, 2, 4)}",
            "description": _sentence(rng, 10, 20) + ".",
        }
        for t in range(TOPICS)
    ]


def _entities(rng: random.Random, n_entities: int) -> list[dict]:
    entities = []
    for e in range(n_entities):
        kind = rng.choice(KINDS)
        name = f"{_sentence(rng, 1, 3)} {e}"
        entities.append(
            {
                "id": f"entity-{e:04d}",
                "name": name,
                "kind": kind,
                "aliases": [f"E{e}", f"{name} Ltd"],
                "description": _sentence(rng, 6, 12) + ".",
            }
        )
    return entities


def _facts(rng: random.Random, n: int, n_sources: int, n_entities: int, topics: list[dict]) -> tuple[list, list]:
    """The facts, and each source's quotes (what its archived text must hold)."""
    # A few entities are in many facts, most in few: as in a real briefing about one company.
    weights = [1 / (rank + 1) for rank in range(n_entities)]
    source_quotes: list[list[str]] = [[] for _ in range(n_sources)]
    facts = []
    for i in range(n):
        value = None
        if rng.random() < 0.2:
            value = {"amount": rng.randint(1, 900) * 1_000_000, "unit": rng.choice(["CNY", "USD"])}
        tagged = rng.random() < 0.05
        if tagged:
            value = {"amount": rng.randint(1, 900) * 1_000_000, "unit": "CNY"}
        citations = []
        for s in rng.sample(range(n_sources), rng.randint(1, 3)):
            quote = f"{_sentence(rng, 8, 20)} number {i}-{s}"
            if value:  # the value stands in every quote, its currency named: each counted source carries it
                millions = value["amount"] // 1_000_000
                quote += f" worth {millions} million yuan" if value["unit"] == "CNY" else f" worth ${millions} million"
            source_quotes[s].append(quote)
            citations.append({"source": f"source-{s:04d}", "quote": quote})
        fact = {
            "id": f"fact-{i:05d}",
            "statement": f"{_sentence(rng, 12, 28)} (fact {i}).",
            "topic": topics[rng.randrange(TOPICS)]["id"],
            "date": _date(rng),
            "entities": sorted(
                {f"entity-{e:04d}" for e in rng.choices(range(n_entities), weights, k=rng.randint(1, 4))}
            ),
            "citations": citations,
        }
        if value:
            fact["value"] = value
        if tagged:
            fact["tags"] = ["funding-round"]
        facts.append(fact)
    return facts, source_quotes


def _sources(rng: random.Random, source_quotes: list[list[str]], archive: Path) -> list[dict]:
    """The sources, each with its archived text written: its quotes among filler."""
    sources = []
    for s, quotes in enumerate(source_quotes):
        lines = []
        for quote in quotes:
            lines.append(f"{' '.join(rng.sample(FILLER, 6)).capitalize()}: {quote} and more.")
        text = "\n\n".join(lines) + "\n"
        (archive / f"source-{s:04d}.txt").write_text(text, encoding="utf-8")
        sources.append(
            {
                "id": f"source-{s:04d}",
                "title": _sentence(rng, 5, 10),
                "publisher": f"Publisher {s % 40}",
                "published": _date(rng),
                "url": f"https://news.example/{s}",
                "kind": rng.choice(["news-report", "repost", "analysis", "primary-statement"]),
                "archive": {"file": f"source-{s:04d}.txt", "sha256": sha256_of(text.encode("utf-8"))},
                "reliability": _sentence(rng, 8, 14) + ".",
                "summary": _sentence(rng, 20, 40) + ".",
            }
        )
    return sources


def _disagreements(rng: random.Random, facts: list[dict]) -> list[dict]:
    disagreements = []
    for d in range(len(facts) // 50):
        a, b = rng.sample(facts, 2)
        disagreements.append(
            {
                "id": f"disagreement-{d:04d}",
                "subject": _sentence(rng, 4, 8),
                "facts": [a["id"], b["id"]],
                "verdict": "reconcilable",
                "variants": [
                    {"claim": _sentence(rng, 6, 12) + ".", "citations": [dict(a["citations"][0])]},
                    {
                        "claim": _sentence(rng, 6, 12) + ".",
                        "rank": "preferred",
                        "reason": _sentence(rng, 6, 12) + ".",
                        "citations": [dict(b["citations"][0])],
                    },
                ],
                "note": _sentence(rng, 15, 30) + ".",
            }
        )
    return disagreements


def _write(rng: random.Random, facts_dir: Path, topics, entities, facts, sources, disagreements) -> None:
    """The registry's files, as a team splits them: facts by the 500, sources by the 400."""
    valued = [f["id"] for f in facts if "value" in f][:5]
    files = {
        "briefing.yaml": {
            "briefing": {
                "title": "Synthetic briefing",
                "subject": entities[0]["id"],
                "summary": _sentence(rng, 30, 50) + ".",
                "as_of": "2025",
                "key_points": [f["id"] for f in facts[:8]],
                "key_numbers": [{"fact": f, "label": f"Figure {k}"} for k, f in enumerate(valued)],
            }
        },
        "topics.yaml": {"topics": topics},
        "entities.yaml": {"entities": entities},
        "disagreements.yaml": {"disagreements": disagreements},
    }
    for k in range(0, len(sources), 400):
        files[f"sources-{k // 400:02d}.yaml"] = {"sources": sources[k : k + 400]}
    for k in range(0, len(facts), FACTS_PER_FILE):
        files[f"facts-{k // FACTS_PER_FILE:03d}.yaml"] = {"facts": facts[k : k + FACTS_PER_FILE]}
    header = "# yaml-language-server: $schema=registry.schema.json\n"
    for name, data in files.items():
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096)
        (facts_dir / name).write_text(header + text, encoding="utf-8")
