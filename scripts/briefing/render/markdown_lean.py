"""A Markdown extension that drops inline syntax this site never uses, for speed.

Python-Markdown tries every inline pattern on every piece of text. Generated pages use links,
emphasis, code, footnote markers, entities and inline HTML only (registry text is escaped), so
the patterns for reference-style links, images, autolinks, underscore emphasis and hard line
breaks only cost time. Hand-written pages must not rely on them either (the build warns about
unresolved links, and a test builds every page).
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

UNUSED = (
    "reference",
    "short_reference",
    "image_link",
    "image_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "em_strong2",
)


class LeanExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        for name in UNUSED:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)


def makeExtension(**kwargs) -> LeanExtension:
    return LeanExtension(**kwargs)
