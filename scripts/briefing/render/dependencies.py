"""Which generated pages an edit reaches, so that the live preview re-renders only those.

An edit that changes only the words of facts (a statement, a note, a quote, a locator) leaves
every page where it was: the same pages, titles, listings, counts and navigation. It reaches the
pages that show those facts, and each of them names the fact by its id (its block's anchor, a
link to it, the anchor of its quote on a source page), so those are the pages whose text holds
the id; the files that are not pages (the downloads, the feed) are made again every time. Any
other edit (a fact added, removed or moved to another topic, date, entity or source; a figure;
a topic, entity, source or disagreement; the history) may move pages or change the menus:
then every page is rendered again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace

from briefing.load.model import Citation, Fact, Registry

# The parts of a fact an edit may change without moving it or changing any count or menu.
WORDS = ("statement", "note", "outside_knowledge")
CITATION_WORDS = ("quote", "locator")


def changed_facts(old: Registry, new: Registry) -> set[str] | None:
    """The ids of the facts whose words alone changed; None if anything else changed (render everything)."""
    rest = [f.name for f in fields(Registry) if f.name not in ("facts", "documents")]
    if any(getattr(old, name) != getattr(new, name) for name in rest):
        return None
    if [f.id for f in old.facts] != [f.id for f in new.facts]:
        return None
    changed = set()
    for before, after in zip(old.facts, new.facts, strict=True):
        if before == after:
            continue
        if _shape(before) != _shape(after):
            return None
        changed.add(after.id)
    return changed


def _shape(fact: Fact) -> Fact:
    """A fact without its words: what places it on the site."""
    citations = tuple(replace(c, **{name: _blank(c, name) for name in CITATION_WORDS}) for c in fact.citations)
    return replace(fact, citations=citations, **{name: _blank(fact, name) for name in WORDS})


def _blank(item: Fact | Citation, name: str) -> str | None:
    return None if getattr(item, name) is None else ""


def pages_showing(pages: Mapping[str, str], ids: Iterable[str]) -> set[str]:
    """The paths of the Markdown pages whose text names one of `ids` (as a whole id, not part of a longer one)."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    # An id ends where no letter, digit or single hyphen follows: 'f-1' is in '#f-1' and in
    # 'f-1--2' (its second quote's anchor), not in 'f-10' or 'f-1-b'.
    named = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, wanted)) + r")(?!\w|-\w)")
    return {
        path
        for path, text in pages.items()
        if path.endswith(".md") and any(i in text for i in wanted) and named.search(text)
    }
