"""The MkDocs step's Markdown work cut without changing a page: raw regions found with str.find
(markdown_raw.regions) and fenced code looked for only on a page with a fence (markdown_lean)."""

from __future__ import annotations

import random
import re

import markdown
import pytest

from briefing.render import markdown_lean
from briefing.render.markdown_raw import regions

# The pattern the regions were found with before; regions() must find exactly its matches.
OLD_RAW = re.compile(r"^<!--raw-->\n(.*?)\n<!--/raw-->$", re.S | re.M)
PIECES = ["<!--raw-->", "<!--/raw-->", "\n", "\n", "x", " ", "<p>a</p>", "```", "~~~", "py", "*b*", "<!--raw--", "-->"]
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "def_list", "footnotes"]  # MkDocs' and this site's


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))) for _ in range(count)]


TRICKY = [
    "<!--raw-->\n<p>a</p>\n<!--/raw-->",
    "<!--raw-->\n\n<!--/raw-->",
    "<!--raw-->\n<!--/raw-->",  # no line between: not a region
    "x<!--raw-->\n<p>a</p>\n<!--/raw-->",  # not at the start of a line
    "<!--raw-->\n<p>a</p>\n<!--/raw--> tail\n<!--/raw-->\n",  # the first closing is not alone on its line
    "<!--raw-->\na\n<!--raw-->\nb\n<!--/raw-->\n<!--/raw-->",  # an opening inside a region is its HTML
    "<!--raw-->\nnever closed\n<!--raw-->\nb\n",
    "a\n<!--raw-->\n1\n<!--/raw-->\nb\n<!--raw-->\n2\n<!--/raw-->",
]


@pytest.mark.parametrize("text", TRICKY)
def test_regions_are_the_old_patterns_matches(text):
    assert [(m.start(), m.start(1), m.end(1)) for m in OLD_RAW.finditer(text)] == list(regions(text))


def test_regions_are_the_old_patterns_matches_in_random_texts():
    for text in _texts(5000, 24):
        assert [(m.start(), m.start(1), m.end(1)) for m in OLD_RAW.finditer(text)] == list(regions(text)), text


class OldRawRegions(markdown.preprocessors.Preprocessor):
    """The preprocessor as it was: the same stash, by the pattern."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!--raw-->" not in text:
            return lines
        stash = self.md.htmlStash
        return OLD_RAW.sub(lambda m: "\n" + stash.store(m.group(1)) + "\n", text).split("\n")


class OldRaw(markdown.extensions.Extension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(OldRawRegions(md), "briefing_raw", 25)


class Unguarded(markdown_lean.LeanExtension):
    """The lean extension as it was: fenced_code runs on every page."""

    def extendMarkdown(self, md) -> None:
        for name in markdown_lean.UNUSED:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)


PAGES = [
    "# Title\n\n```python\nprint(1)\n```\n",
    "Text\n\n~~~\ncode\n~~~\n",
    "<!--raw-->\n<pre>```\nnot a fence in raw HTML?\n```</pre>\n<!--/raw-->\n\nafter",
    "# Page {: #anchor }\n\nA footnote[^1].\n\n[^1]: The note.\n",
    "Term\n: its definition\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "<!--raw-->\n<ul><li>x</li></ul>\n<!--/raw-->\n\n<!--raw-->\n<p>y</p>\n<!--/raw-->",
]


def test_pages_convert_to_the_same_html():
    new = markdown.Markdown(extensions=[*EXTENSIONS, "briefing.render.markdown_lean", "briefing.render.markdown_raw"])
    old = markdown.Markdown(extensions=[*EXTENSIONS, Unguarded(), OldRaw()])
    for page in PAGES + _texts(1000, 25):
        assert new.reset().convert(page) == old.reset().convert(page), page


def test_a_fence_is_still_code_and_a_page_without_one_skips_the_search():
    md = markdown.Markdown(extensions=[*EXTENSIONS, "briefing.render.markdown_lean"])
    assert "<code" in md.convert("```\nx = 1\n```\n")
    fenced = md.preprocessors["fenced_code_block"]
    searched = []
    pattern = fenced.FENCED_BLOCK_RE
    fenced.FENCED_BLOCK_RE = type("Spy", (), {"search": lambda self, *a: searched.append(a) or pattern.search(*a)})()
    md.reset()
    md.convert("Plain text, no fence.\n\n<!--raw-->\n<p>x</p>\n<!--/raw-->\n")
    assert searched == []
    md.reset()
    md.convert("~~~\ncode\n~~~\n")
    assert searched
