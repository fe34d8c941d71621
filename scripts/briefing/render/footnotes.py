"""Footnotes: references marked in the text while views are built, numbered per page, notes appended.

Footnotes, and each fact's block, list line and timeline row, are written as raw HTML (for
footnotes, the markup Markdown's footnotes extension would make, which Material's tooltips
read), so Markdown passes them through instead of parsing them: most of the Markdown time on
a large site (see docs/performance.md). Footnote references are marked in the text and
numbered per page; links in raw HTML are relative to the page. The marks are control
characters, which registry text cannot contain.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from briefing.render.addresses import DOCS
from briefing.render.escaping import html_text

if TYPE_CHECKING:
    from briefing.render.index import Index

MARK = "\x1f"  # around a footnote label in rendered text
BACKREFS = "\x1d"  # where a note's links back to its references go, filled in per page
_MARKED = re.compile(f"{MARK}(c[0-9]+){MARK}")


def mark(label: str) -> Markup:
    """Where a footnote reference goes; the page numbers it (see `footnotes`)."""
    return Markup(f"{MARK}{label}{MARK}")


@dataclass
class Note:
    label: str
    source: Markup
    href: str
    published: str
    quote: Markup


def note(index: Index, label: str) -> Markup:
    """A citation's footnote as HTML: the source, its date, the quote, linked to the quote."""
    if ("_footnote.html.j2", label) in index.pieces:  # every page citing it shows the same note
        return index.pieces[("_footnote.html.j2", label)]
    citation = index.cited[label]
    source = index.sources[citation.source]
    link = DOCS + index.citation_address(citation)
    view = Note(label, html_text(source.publisher), link, source.published.label, html_text(index.words(citation)))
    return index.piece("_footnote.html.j2", label, note=view, backrefs=Markup(BACKREFS))


def footnotes(text: str, index: Index) -> str:
    """Number the page's footnote references in order and append their notes, as HTML."""
    numbers: dict[str, int] = {}
    refs: dict[str, int] = defaultdict(int)

    def reference(match: re.Match) -> str:
        label = match.group(1)
        number = numbers.setdefault(label, len(numbers) + 1)
        refs[label] += 1
        ref_id = f"fnref:{label}" if refs[label] == 1 else f"fnref{refs[label]}:{label}"
        # Out of search: in its text the number would glue to the word before it ("2025)11").
        return f'<sup id="{ref_id}" data-search-exclude><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'

    text = _MARKED.sub(reference, text)
    if not numbers:
        return text
    items = []
    for label, number in numbers.items():
        back = "".join(
            f'&#160;<a class="footnote-backref" href="#fnref{"" if k == 1 else k}:{label}" '
            f'title="Jump back to footnote {number} in the text">&#8617;</a>'
            for k in range(1, refs[label] + 1)
        )
        items.append(str(note(index, label)).replace(BACKREFS, back))
    notes = "".join(item + "\n" for item in items)
    return (
        text
        + f'\n<!--raw-->\n<div class="footnote" data-search-exclude>\n<hr />\n<ol>\n{notes}</ol>\n</div>\n<!--/raw-->\n'
    )
