"""Text fragments: a link to a quote's words on the publisher's own page (`#:~:text=`), and the
words around a quote that such a link needs where the quote's words alone are ambiguous.

The quote check finds those words in the archived text (`fragment_context`); the pages make
the links (`text_fragment`) from what it found.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

# A long quote is found by its first and last words (start,end), as the fragment syntax allows.
FRAGMENT_WORDS = 10
EDGE_WORDS = 4
CONTEXT_WORDS = 3  # words of prefix or suffix context, where the quote's words alone are ambiguous


def text_fragment(url: str, words: str, prefix: str = "", suffix: str = "") -> str:
    """`url` with a text directive for `words`: percent-encoded, '-', ',' and '&' included.

    `prefix` and `suffix` are the words just before and after the quote (`fragment_context`):
    the directive is then `prefix-,start,end,-suffix`, which a browser matches only there.
    """
    tokens = words.split()
    if len(tokens) > FRAGMENT_WORDS:
        directive = f"{_encode(' '.join(tokens[:EDGE_WORDS]))},{_encode(' '.join(tokens[-EDGE_WORDS:]))}"
    else:
        directive = _encode(" ".join(tokens))
    if prefix:
        directive = f"{_encode(prefix)}-,{directive}"
    if suffix:
        directive = f"{directive},-{_encode(suffix)}"
    return url + (":~:text=" if "#" in url else "#:~:text=") + directive


def fragment_context(text: str, words: str) -> tuple[str, str]:
    """The words before and after `words` in `text` (one line per paragraph, single spaces) that a
    link to them needs: both where the directive's start words stand in the text more than once,
    the suffix where the quote's last word has a footnote number printed against it ("rivalries2.").
    ("", "") when the plain directive is enough. Context never crosses a line: a browser matches it
    within the page's block of text.
    """
    flat, lowered = _flat(text)
    at = flat.find(words)
    while at > 0 and flat[at - 1].isalnum():  # the quote starts a word
        at = flat.find(words, at + 1)
    if at == -1:
        return "", ""
    tokens = words.split()
    start = " ".join(tokens[:EDGE_WORDS]) if len(tokens) > FRAGMENT_WORDS else words
    repeated = lowered.count(start.lower()) > 1
    after = text[at + len(words) :].split("\n", 1)[0]
    glued = bool(after) and after[0].isalnum() and words[-1].isalnum()
    if not (repeated or glued):
        return "", ""
    before = text[:at].rsplit("\n", 1)[-1]
    prefix = " ".join(before.split()[-CONTEXT_WORDS:]) if repeated else ""
    return prefix, " ".join(after.split()[:CONTEXT_WORDS])


@lru_cache(maxsize=4)
def _flat(text: str) -> tuple[str, str]:
    """The text on one line, and lowercased: made once per text however many quotes it has."""
    flat = text.replace("\n", " ")
    return flat, flat.lower()


def _encode(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")
