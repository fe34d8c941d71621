"""Reports for contributors: what changed between two versions of the registry, and its numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields

from briefing.load.model import Fact, Registry, Sentence, independent_sources

_COMPARED = [f.name for f in fields(Fact) if f.name not in ("id", "origin")]


@dataclass
class Diff:
    added: list[Fact]
    changed: list[tuple[Fact, Fact, list[str]]]  # old, new, names of the fields that differ
    removed: list[Fact]
    others: dict[str, tuple[list[str], list[str]]]  # section -> (added ids, removed ids)


def diff_registries(old: Registry, new: Registry) -> Diff:
    """Facts added, changed (and in which fields) and removed; ids added and removed elsewhere."""
    before = {f.id: f for f in old.facts}
    after = {f.id: f for f in new.facts}
    changed = []
    for fact_id, fact in after.items():
        if fact_id in before and before[fact_id] != fact:
            names = [n for n in _COMPARED if getattr(before[fact_id], n) != getattr(fact, n)]
            changed.append((before[fact_id], fact, names))
    others = {}
    for section in ("sources", "entities", "topics", "disagreements"):
        old_ids = [e.id for e in getattr(old, section)]
        new_ids = [e.id for e in getattr(new, section)]
        others[section] = ([i for i in new_ids if i not in old_ids], [i for i in old_ids if i not in new_ids])
    return Diff(
        added=[f for i, f in after.items() if i not in before],
        changed=changed,
        removed=[f for i, f in before.items() if i not in after],
        others=others,
    )


def format_diff(diff: Diff, base: str) -> str:
    """Markdown for a pull request's description."""

    def one_line(text: str) -> str:
        return " ".join(text.split())

    out = [f"## Registry changes since {base}", ""]
    if not (diff.added or diff.changed or diff.removed or any(a or r for a, r in diff.others.values())):
        return "\n".join(out + ["No changes to facts, sources, entities, topics or disagreements.", ""])
    for title, facts in (("Added facts", diff.added), ("Removed facts", diff.removed)):
        if facts:
            out += [f"### {title} ({len(facts)})", ""]
            out += [f"- `{f.id}`: {one_line(f.statement)}" for f in facts]
            out.append("")
    if diff.changed:
        out += [f"### Changed facts ({len(diff.changed)})", ""]
        for old, new, names in diff.changed:
            out.append(f"- `{new.id}` ({', '.join(names)}): {one_line(new.statement)}")
            if "statement" in names:
                out.append(f"  - was: {one_line(old.statement)}")
        out.append("")
    for section, (added, removed) in diff.others.items():
        if added or removed:
            parts = [
                f"added {', '.join(f'`{i}`' for i in added)}" if added else "",
                f"removed {', '.join(f'`{i}`' for i in removed)}" if removed else "",
            ]
            out.append(f"- {section.capitalize()}: " + "; ".join(p for p in parts if p))
    return "\n".join(out).rstrip() + "\n"


def format_stats(registry: Registry, sentences: dict[str, list[Sentence]]) -> str:
    """Counts, facts resting on one source, and what nothing refers to."""
    sources = {s.id: s for s in registry.sources}
    facts = registry.facts
    citations = sum(len(f.citations) for f in facts) + sum(
        len(v.citations) for d in registry.disagreements for v in d.variants
    )
    single = [f.id for f in facts if independent_sources(f.citations, sources) == 1]
    cited = Counter(s for f in facts for s in {c.source for c in f.citations})
    cited_anywhere = {c.source for f in facts for c in f.citations} | {
        c.source for d in registry.disagreements for v in d.variants for c in v.citations
    }
    named = {e for f in facts for e in (*f.entities, *f.claimed_by)}
    topics = Counter(f.topic for f in facts)
    lines = [
        f"facts          {len(facts)}",
        f"sources        {len(registry.sources)}",
        f"entities       {len(registry.entities)}",
        f"topics         {len(registry.topics)}",
        f"disagreements  {len(registry.disagreements)}",
        f"citations      {citations}",
        f"single-source  {len(single)} of {len(facts)} facts",
        "",
        "facts per topic:",
        *[f"  {t.id:<32} {topics[t.id]}" for t in registry.topics],
        "",
        "facts citing each source:",
        *[f"  {s.id:<32} {cited[s.id]}" for s in registry.sources],
        "",
        "single-source facts: " + (", ".join(single) or "none"),
        "unused sources: " + (", ".join(s.id for s in registry.sources if s.id not in cited_anywhere) or "none"),
        "unused entities: " + (", ".join(e.id for e in registry.entities if e.id not in named) or "none"),
        "",
        *format_coverage(registry, sentences),
    ]
    return "\n".join(lines) + "\n"


def format_coverage(registry: Registry, by_source: dict[str, list[Sentence]]) -> list[str]:
    """Each source's sentences: claim-bearing (used or omitted with a reason), used, omitted, not reviewed."""
    lines = [
        "coverage of each source's archived text (sentences):",
        f"  {'source':<32} {'sentences':>9} {'claim-bearing':>13} {'used':>5} {'omitted':>7} {'not reviewed':>12}",
    ]
    for source in registry.sources:
        sentences = by_source.get(source.id)
        if sentences is None:
            lines.append(f"  {source.id:<32} archive not read")
            continue
        count = Counter(s.status for s in sentences)
        claims = count["used"] + count["omitted"]
        lines.append(
            f"  {source.id:<32} {len(sentences):>9} {claims:>13} {count['used']:>5} {count['omitted']:>7}"
            f" {count['not-reviewed']:>12}"
        )
    return lines
