"""A Markdown extension that passes the generator's finished HTML through untouched, for speed.

The generator marks the regions of a page that are already final HTML (fact blocks, lists,
tables, charts, footnotes) with `<!--raw-->` and `<!--/raw-->` lines. Python-Markdown would run
its HTML parser, written in Python, over every tag of them; instead each region goes into
Markdown's own stash of raw HTML and comes back, unchanged, after rendering.

The stash's placeholders are made of control characters that Markdown strips from its input,
so no text in a page (and no registry value, which is escaped besides) can forge one. Any
engine that runs Python-Markdown with this extension gets the same output.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

RAW = re.compile(r"^<!--raw-->\n(.*?)\n<!--/raw-->$", re.S | re.M)


class RawRegions(Preprocessor):
    """Stash each marked region as one block of raw HTML."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!--raw-->" not in text:
            return lines
        stash = self.md.htmlStash
        return RAW.sub(lambda m: "\n" + stash.store(m.group(1)) + "\n", text).split("\n")


class RawExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After 'normalize_whitespace' (30), which strips the stash's control characters from
        # the input, and before MkDocs' and Markdown's own HTML parsers (21 and 20).
        md.preprocessors.register(RawRegions(md), "briefing_raw", 25)


def makeExtension(**kwargs) -> RawExtension:
    return RawExtension(**kwargs)
