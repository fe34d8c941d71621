"""A Markdown extension that drops inline syntax this site never uses, for speed.

Python-Markdown tries every inline pattern on every piece of text. Generated pages use links,
emphasis, code, footnote markers, entities and inline HTML only (registry text is escaped), so
the patterns for reference-style links, images, autolinks, underscore emphasis and hard line
breaks only cost time. Hand-written pages must not rely on them either (the build warns about
unresolved links, and a test builds every page). The fenced code blocks MkDocs always enables are
looked for only on a page that has a fence.
"""

from __future__ import annotations

from collections.abc import Callable

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


FENCES = ("```", "~~~")  # a fenced code block opens with one of these (fenced_code's FENCED_BLOCK_RE)


class LeanExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        for name in UNUSED:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        if "fenced_code_block" in md.preprocessors:  # MkDocs always adds fenced_code
            fenced = md.preprocessors["fenced_code_block"]
            fenced.run = only_with_fences(fenced.run)


def only_with_fences(run: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    """fenced_code's preprocessor, run only on a page with a fence: its pattern, tried at every
    line of a page with none, is about 8 % of a generated page's Markdown time."""

    def guarded(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return run(lines) if any(fence in text for fence in FENCES) else lines

    return guarded


def makeExtension(**kwargs) -> LeanExtension:
    return LeanExtension(**kwargs)
