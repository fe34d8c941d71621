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

from collections.abc import Iterator

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

OPEN, CLOSE = "<!--raw-->\n", "\n<!--/raw-->"  # each on a line of its own


def regions(text: str) -> Iterator[tuple[int, int, int]]:
    """Where each marked region starts, where its HTML starts, and where it ends (its closing line).

    What the pattern `^<!--raw-->\\n(.*?)\\n<!--/raw-->$` (multiline, dot-all) matches, found with
    str.find: a regular expression's lazy `.*?` tries the closing line at every character.
    """
    at = 0
    while (start := text.find(OPEN, at)) != -1:
        if start and text[start - 1] != "\n":  # not at the start of a line
            at = start + 1
            continue
        body = start + len(OPEN)
        end = text.find(CLOSE, body)
        while end != -1 and not _line_ends(text, end + len(CLOSE)):
            end = text.find(CLOSE, end + 1)
        if end == -1:  # no closing line after this one: none after a later opening either
            return
        yield start, body, end
        at = end + len(CLOSE)


def _line_ends(text: str, at: int) -> bool:
    return at == len(text) or text[at] == "\n"


class RawRegions(Preprocessor):
    """Stash each marked region as one block of raw HTML."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!--raw-->" not in text:
            return lines
        stash = self.md.htmlStash
        pieces: list[str] = []
        at = 0
        for start, body, end in regions(text):
            pieces += [text[at:start], "\n", stash.store(text[body:end]), "\n"]
            at = end + len(CLOSE)
        pieces.append(text[at:])
        return "".join(pieces).split("\n")


class RawExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After 'normalize_whitespace' (30), which strips the stash's control characters from
        # the input, and before MkDocs' and Markdown's own HTML parsers (21 and 20).
        md.preprocessors.register(RawRegions(md), "briefing_raw", 25)


def makeExtension(**kwargs) -> RawExtension:
    return RawExtension(**kwargs)
