"""Why a quote is not found in its source, with the source's own words as the hint.

Three diagnoses, each with its code: the words stand in the source only cut inside a word or a
number (quote-cut-mid-word); they stand there only if look-alike characters count as the same,
fullwidth Ｚ, mathematical 𝐙, superscript ¹, the ﬁ ligature (quote-look-alike); or they part from
the source somewhere (quote-not-found, with where they part).
"""

from __future__ import annotations

from briefing.check.matching import ArchivedText, Span, _find, _is_word, _joins, normalise
from briefing.problems import Loc, Problem, error


def diagnose(archived: ArchivedText, quote: str, loc: Loc, where: str) -> Problem:
    """The problem with a quote not found `where` (e.g. "in source 'x' (x.txt)"), and the nearest passage that would be."""
    text, mapped = archived.mapped
    cut = _find(normalise(quote)[0], text, mapped, boundaries=False)
    if cut is not None:
        return error(
            loc,
            f"quote starts or ends inside a word or a number {where}",
            f"the source's words there are {_whole_words(archived, cut)!r}: quote whole words, and whole numbers",
            code="quote-cut-mid-word",
        )
    compat_span = _find(normalise(quote, "NFKD")[0], *archived.compatible, footnoted=archived.footnoted)
    if compat_span is not None:
        return error(
            loc,
            f"quote matches {where} only if look-alike characters (fullwidth, mathematical, superscript, "
            "ligatures) count as the same",
            f"the source prints {archived.shown(compat_span)!r}: copy its characters",
            code="quote-look-alike",
        )
    return not_found(loc, where, mismatch_hint(archived, quote))


def not_found(loc: Loc, where: str, hint: str) -> Problem:
    """A quote whose words are not in the source: the diagnosis when no other fits, or with no diagnosis at all."""
    return error(loc, f"quote not found {where}", hint, code="quote-not-found")


def _whole_words(archived: ArchivedText, span: Span) -> str:
    text = archived.text
    start, end = span.start, span.end
    while start > 0 and (_is_word(text[start - 1]) or _inside(text, start - 1)):
        start -= 1
    while end < len(text) and (_is_word(text[end]) or _inside(text, end)):
        end += 1
    return _clip(text[start:end], size=80)


def mismatch_hint(archived: ArchivedText, quote: str) -> str:
    """Say where the quote parts from the source, in the source's own words."""
    folded_text, where = archived.mapped
    folded, qwhere = normalise(quote)
    low, high = 0, len(folded)
    while low < high:  # the longest prefix of the quote found in the text
        mid = (low + high + 1) // 2
        if folded[:mid] in folded_text:
            low = mid
        else:
            high = mid - 1
    if low < min(12, len(folded)):
        return "no passage of the source starts like this quote; copy the words from the archived text"
    start = folded_text.find(folded[:low])
    matched = quote[: qwhere[low - 1] + 1]
    quote_rest = quote[qwhere[low] :] if low < len(qwhere) else ""
    source_at = where[start + low] if start + low < len(where) else len(archived.text)
    source_rest = archived.text[source_at:]
    return (
        f"matches the source up to {_clip(matched, tail=True)!r}; "
        f"then the quote has {_clip(quote_rest)!r} where the source has {_clip(source_rest)!r}"
    )


def _in_number(text: str, index: int) -> bool:
    """A '.' or ',' between two digits ("1,000", "1.4") belongs to the number."""
    return text[index] in ".," and 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()


def _inside(text: str, index: int) -> bool:
    """A character that joins what is around it into one word or number."""
    return _in_number(text, index) or _joins(text, index)


def _clip(text: str, tail: bool = False, size: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    return "..." + text[-size:] if tail else text[:size] + "..."
