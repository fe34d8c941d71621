"""Where a quote stands in an archived text: the text folded once, and the match held to word boundaries.

A quote proves something only if a reader finds those words in the source, as words. So:
- Matching forgives only what a faithful copy of the same article can differ in: white space
  (including none at all after punctuation, as in run-together sentences), typographic quote
  marks, apostrophes and dashes, and Unicode canonical equivalence (é as one character or
  two). Compatibility folding (fullwidth Ｚ, mathematical 𝐙, superscript ¹, the ﬁ ligature)
  is only for saying why a quote fails (misquotes.py).
- The match starts and ends on word boundaries of the archived text: not inside a word, not
  inside a contraction or a possessive (an apostrophe between two letters joins them: "can"
  is not in "can't", nor "Zhipu" in "Zhipu's"), and not inside a number ("40 million" is not
  in "$140 million", nor "000" in "1,000"). A footnote number printed against a word
  ("rivalries2.") is not part of the word, nor one digit printed against a year after "by",
  "in", "since" and the like and before a sentence's punctuation, in a source that prints its
  footnotes that way ("by 20301." is 2030, note 1); no other number is ever shortened ("2048"
  is not in "20480 tokens", nor in "the limit is 20480.").
The quote check (quotes.py) and the coverage check (coverage.py) both find quotes here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
}


def normalise(text: str, form: str = "NFD") -> tuple[str, list[int]]:
    """Fold text for comparison, and map each folded character back to its index in `text`.

    White space is dropped except a single space between two letters or digits, so
    "listing.The" matches "listing. The" but "Zhipuhas" does not match "Zhipu has". `form`
    is the Unicode decomposition: canonical (NFD) for matching, compatibility (NFKD) only to
    recognise a look-alike character and say so. Runs of plain ASCII are copied as slices, so
    a long archive folds at near C speed.
    """
    text, origin = _decomposed(text, form)
    out: list[str] = []
    where: list[int] = []
    at = 0
    for gap in _SPACES.finditer(text):
        start, end = gap.span()
        out.append(text[at:start])
        where.extend(origin[at:start] if origin is not None else range(at, start))
        if start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
            out.append(" ")
            where.append(origin[start] if origin is not None else start)
        at = end
    out.append(text[at:])
    where.extend(origin[at:] if origin is not None else range(at, len(text)))
    return "".join(out), where


_SPACES = re.compile(r"\s+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _decomposed(text: str, form: str) -> tuple[str, list[int] | None]:
    """Each non-ASCII character decomposed and its typographic marks folded; the map back (None: the same)."""
    if text.isascii():
        return text, None
    parts: list[str] = []
    origin: list[int] = []
    at = 0
    for run in _NON_ASCII.finditer(text):
        parts.append(text[at : run.start()])
        origin.extend(range(at, run.start()))
        for index in range(run.start(), run.end()):
            for part in unicodedata.normalize(form, text[index]):
                parts.append(_FOLD.get(part, part))
                origin.append(index)
        at = run.end()
    parts.append(text[at:])
    origin.extend(range(at, len(text)))
    return "".join(parts), origin


def _is_word(char: str) -> bool:
    """Part of a word: a letter, a digit, or a combining mark (the accent of a decomposed é)."""
    return char.isalnum() or unicodedata.category(char).startswith("M")


# The apostrophes a contraction or a possessive is printed with; the fold makes them all "'"
# (the modifier letter ʼ is a letter already).
APOSTROPHES = frozenset("'" + "".join(k for k, v in _FOLD.items() if v == "'"))


def _joins(text: str, index: int, where: list[int] | None = None) -> bool:
    """An apostrophe printed between two word characters ("can't", "Zhipu's") is inside a word.

    In folded text, `where` maps back to the archive: characters run together only because the
    fold dropped white space between them ("said 'no'" folds to "said'no'") are not joined.
    """
    if not (0 < index < len(text) - 1 and text[index] in APOSTROPHES):
        return False
    if not (_is_word(text[index - 1]) and _is_word(text[index + 1])):
        return False
    return where is None or (where[index - 1] == where[index] - 1 and where[index + 1] == where[index] + 1)


# (archived text, quote) -> where the quote stands in it: a pure function of the two, kept in memory only.
FOUND: dict[tuple[str, str], Span | None] = {}
FOUND_LIMIT = 1 << 18  # quotes remembered at most (a live preview of 100,000 facts has about 200,000)


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the archived text: [start, end) in the text's own characters."""

    start: int
    end: int


class ArchivedText:
    """A source's archived text, folded once (when first needed) so every quote is a substring search."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def mapped(self) -> tuple[str, list[int]]:
        """The folded text with the map back to the archive's characters, made once per source."""
        return normalise(self.text)

    @cached_property
    def footnoted(self) -> bool:
        """Whether the text prints footnote numbers against words ("rivalries2."), as a cut-off reference list leaves them."""
        return _FOOTNOTED.search(self.text) is not None

    @cached_property
    def compatible(self) -> tuple[str, list[int]]:
        """The same with look-alike characters folded too: only to explain a quote that fails."""
        return normalise(self.text, "NFKD")

    def find(self, quote: str) -> Span | None:
        """The first place the quote stands in the text on word boundaries, or None.

        Remembered for the process by the text and the quote (FOUND): the live preview checks every
        quote again after each edit, and the coverage check looks for those the quote check found.
        """
        key = (self.text, quote)
        if key not in FOUND:
            if len(FOUND) >= FOUND_LIMIT:
                FOUND.clear()
            FOUND[key] = _find(normalise(quote)[0], *self.mapped, footnoted=self.footnoted)
        return FOUND[key]

    def shown(self, span: Span) -> str:
        """The archive's own characters for a span, on one line, as a reader sees them."""
        return " ".join(self.text[span.start : span.end].split())

    def contains(self, quote: str) -> bool:
        return self.find(quote) is not None


def _find(quote: str, text: str, where: list[int], boundaries: bool = True, footnoted: bool = False) -> Span | None:
    """The first occurrence of folded `quote` in folded `text` whose ends fall on word boundaries."""
    if not quote:
        return None
    at = text.find(quote)
    while at != -1:
        end = at + len(quote)
        if not boundaries or (_starts_clean(text, at, where) and _ends_clean(text, end, where, footnoted)):
            return Span(where[at], where[end - 1] + 1)
        at = text.find(quote, at + 1)
    return None


def _starts_clean(text: str, at: int, where: list[int] | None = None) -> bool:
    if _joins(text, at, where) or (at > 0 and _joins(text, at - 1, where)):
        return False  # at the apostrophe of "can't", or just after it
    if at == 0 or not _is_word(text[at]):
        return True
    before = text[at - 1]
    if _is_word(before):
        return False
    return not (text[at].isdigit() and before in ".," and at >= 2 and text[at - 2].isdigit())


# A footnote number printed against the word it follows ("rivalries2."), as copies with their
# reference list cut off print them: the word ends before it.
_FOOTNOTE = re.compile(r"[0-9]{1,2}(?![^\W_])")
# "by 20301." is 2030, note 1 -- but only after a word that takes a year ("by", "in", "since"),
# before a sentence's punctuation, in a text that prints footnotes against its words: "holds
# 20480 tokens" and "the limit is 20480." are numbers, not 2048.
_YEAR_FOOTNOTE = re.compile(
    r"(?<![^\W\d_])(?:in|by|since|until|till|from|to|before|after|of|through|during) "
    r"(?:19|20)[0-9]{2}[0-9](?=[.,;:!?)\]](?![0-9])|$)",
    re.I,
)
_FOOTNOTED = re.compile(r"[a-z][0-9]{1,2}[.,;:](?:\s|$)")


def _ends_clean(text: str, end: int, where: list[int] | None = None, footnoted: bool = False) -> bool:
    if end < len(text) and (_joins(text, end, where) or _joins(text, end - 1, where)):
        return False  # before the apostrophe of "can't" or "Zhipu's", or on it
    if end == len(text) or not _is_word(text[end - 1]):
        return True
    after = text[end]
    if text[end - 1].islower() and _FOOTNOTE.match(text, end):
        return True
    if footnoted:
        year = _YEAR_FOOTNOTE.search(text, max(0, end - 13))
        if year and year.end() == end + 1:  # the year ends the quote; its one-digit note follows
            return True
    if _is_word(after):
        return False
    return not (text[end - 1].isdigit() and after in ".," and end + 1 < len(text) and text[end + 1].isdigit())
