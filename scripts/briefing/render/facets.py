"""The search's facets on each page: what Pagefind lets a reader filter results by (search = "pagefind").

Pagefind keeps filters per page, read from `data-pagefind-filter` elements: the kind of page,
and the topics, entities, sources and verdicts of the facts it shows. Each value is the
element's text, escaped here, so a registry value (a name with `<`, a comma or a colon) stays a
value. The block is hidden, and `data-pagefind-ignore` keeps its words out of the index while
Pagefind still reads its filters.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from briefing.vocabulary import VERDICTS

if TYPE_CHECKING:
    from briefing.render.index import Index
    from briefing.render.kinds.base import Page

KIND_LABELS = {
    "home": "Home",
    "topic": "Topic",
    "entity": "Entity",
    "source": "Source",
    "timeline": "Timeline",
    "disagreements": "Disagreements",
    "changes": "Changes",
    "topics": "List",
    "entities": "List",
    "sources": "List",
    "downloads": "Downloads",
}
UNDISPUTED = "Not in a disagreement"


def facets(index: Index, page: Page, kind: str) -> str:
    """The hidden block of a page's filters, for Pagefind; '' unless the site searches with Pagefind."""
    if index.settings.search != "pagefind" or not page.searched:
        return ""
    kind_label = KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())
    values: dict[str, dict[str, None]] = {"kind": {kind_label: None}}  # each filter's values, once, in order
    facts = page.facts or []  # None: every fact (the home page), which would name every value
    verdicts = {f: VERDICTS[d.verdict].split(":")[0] for d in index.registry.disagreements for f in d.facts}
    for fact in facts:
        topic = index.topics.get(fact.topic)
        _add(values, "topic", topic.title if topic else None)
        for entity in fact.entities:
            _add(values, "entity", index.entities[entity].name if entity in index.entities else None)
        for citation in fact.citations:
            _add(values, "source", index.source_names.get(citation.source))
        _add(values, "verdict", verdicts.get(fact.id, UNDISPUTED))
    spans = "".join(
        f'<span data-pagefind-filter="{name}">{html.escape(value, quote=False)}</span>'
        for name, found in values.items()
        for value in found
    )
    return f'\n<!--raw-->\n<div class="search-facets" hidden data-pagefind-ignore>{spans}</div>\n<!--/raw-->\n'


def _add(values: dict[str, dict[str, None]], name: str, value: str | None) -> None:
    """Add `value` to the filter `name`, once (a dict: a page of hundreds of facts names many entities)."""
    if value:
        values.setdefault(name, {})[value] = None
