"""Figures in running text, read the ways news copy writes them, so statements can be held to their quotes.

"1 billion", "1bn", "$9.9B", "1.5tn", "1,000 million", "US$1.4 billion", "HK$2 billion",
"1 billion RMB", "3 billion Hong Kong dollars", "a billion", "a dozen", "two hundred",
"twenty-three", "23 of 28": each becomes an exact number with its scale applied, the currency
it is written with before or after it (if any), and its qualifier ("over", "about", "up to"
in front; "or more", "+" behind). Numbers that are part of a name ("GLM-4.1V", "Qwen-2.5-VL",
"4.1V"), and the days of dates ("25 June"), are not figures; a bare year (1900 to 2100) is a
year. Text is read after compatibility folding (fullwidth "９" is 9), for figures only: the
quote check still holds a quote to the archive's own characters.

The words and signs it reads (scales, number words, currencies, qualifiers) and what a source's
qualifier supports are figure_words.py's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from functools import lru_cache

from briefing import vocabulary
from briefing.check.figure_words import (
    AMBIGUOUS,
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    MULTIPLIERS,
    QUALIFIERS,
    SCALES,
    SINGLE_LETTER_SCALES,
    SUPPORTS,
    TRAILING,
    WORD_NUMBERS,
)

MONTHS = [name.lower() for name in vocabulary.MONTHS[1:]]
MAX_DIGITS = 18  # significant digits read in a figure: the schema's amounts go to 10^18

_Q = re.escape


def _alternatives(words) -> str:
    """A regex alternation, longest first, with any white space in a phrase matching any run of it."""
    return "|".join(_Q(w).replace("\\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_DOLLARS = r"dollars?"
_AFTER_WORDS = (
    _alternatives(w for w in CURRENCY_AFTER if not w.endswith("dollar"))
    + "|"
    + "|".join(
        _Q(w[: -len("dollar")]).replace("\\ ", r"\s+") + _DOLLARS
        for w in sorted(CURRENCY_AFTER, key=len, reverse=True)
        if w.endswith("dollar")
    )
)
_BEFORE = "|".join(
    (r"(?<![^\W\d_])" + _Q(c) if c[0].isalpha() else _Q(c)) + r"\s?"  # "RMB 1 billion", "RMB1bn"
    for c in sorted(CURRENCY_BEFORE, key=len, reverse=True)
)
_BIG_SCALE = _alternatives(s for s in SCALES if len(s) > 1)
_WORD = _alternatives(WORD_NUMBERS)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_FIGURE = re.compile(
    rf"""
    (?=[$¥€£₩₹0-9]|(?<![^\W\d_])[^\W\d_])  # a figure starts with a sign, a digit or a word: fail fast elsewhere
    (?:(?P<currency>{_BEFORE})(?=[0-9])|(?<![\w,⁄-])(?<![^.]\.)(?<!^\.))  # after a sign, or not inside a name or number
    (?:
        (?P<number>(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?)
      | (?P<word>(?<![\w-])(?:
            (?P<half>half\s+an?)(?=[\s-]+(?:{_BIG_SCALE}|hundred|dozen)\b)
          | (?:{_TENS})[\s-](?:{_UNITS})\b
          | (?:a|an|one)(?=[\s-]+(?:{_BIG_SCALE}|hundred|dozen)\b)
          | (?!a\b|an\b|one\b)(?:{_WORD})
        )\b)
    )
    (?:[\s-](?P<multiplier>hundred|dozen)\b)?
    (?:(?P<gap>[\s-]?)(?P<scale>{_BIG_SCALE}|[bmk])(?![\w]))?
    (?:[\s-]?(?P<unit>%|percent\b|per\s+cent\b|(?:{_AFTER_WORDS})\b))?
    (?:\s?\(\s*(?P<paren>(?:{_AFTER_WORDS}))\s*\))?
    (?![\w⁄]|\.[0-9])
    """,
    re.I | re.X,
)
# The qualifier in front of a figure, read back from where the figure starts; and behind it.
_QUALIFIED = re.compile(rf"(?:^|(?<=[^\w]))(?P<qualifier>{_alternatives(QUALIFIERS)})\s*$", re.I)
_NEGATED = re.compile(r"(?:^|(?<=\W))(?:not|no|never|nor)\s+$", re.I)
_TRAILING = re.compile(
    rf"(?:(?P<sign>\+(?![0-9])|-plus\b)|-?(?P<odd>odd)\b|\s+(?P<words>{_alternatives(set(TRAILING) - {'+', '-plus', 'odd'})})\b)",
    re.I,
)
_MONTH_NEAR = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({'|'.join(MONTHS)})(?:\s+[0-9]{{1,2}},?)?\s+((?:19|20)[0-9]{{2}})\b", re.I)
_YEAR_MONTH = re.compile(r"\b((?:19|20)[0-9]{2})-([0-9]{2})\b")


@dataclass(frozen=True)
class Figure:
    """A number as the text writes it: its exact value with the scale applied, currency, qualifier.

    `currency` is an ISO code, a sign from AMBIGUOUS, or None; `start` and `end` are where it
    stands in the text as read (after folding), for the reader's own checks.
    """

    value: Decimal
    text: str
    currency: str | None = None
    qualifier: str | None = None
    percent: bool = False
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def same_number(self, other: Figure) -> bool:
        """The same number, both percentages or neither; currencies aside."""
        return self.value == other.value and self.percent == other.percent

    def same_amount(self, other: Figure) -> bool:
        """The same number, and no currencies that differ."""
        if self.currency and other.currency and self.currency != other.currency:
            return False
        return self.same_number(other)


@lru_cache(maxsize=65536)
def figures(text: str) -> tuple[Figure, ...]:
    """Every amount, count and percentage in a text; years and the days of dates are left out."""
    read, origin = readable(text)
    found: list[Figure] = []
    for match in _FIGURE.finditer(read):
        figure = _figure(text, read, origin, match, found[-1] if found else None)
        if figure is not None:
            found.append(figure)
    return tuple(found)


def _figure(text: str, read: str, origin: list[int], match: re.Match, before: Figure | None) -> Figure | None:
    number, word, half = match.group("number"), match.group("word"), match.group("half")
    scale, unit, paren = match.group("scale"), match.group("unit"), match.group("paren")
    currency = _currency(match.group("currency"), unit, paren)
    if number and len(number.replace(",", "").replace(".", "").lstrip("0")) > MAX_DIGITS:
        return None  # unread() reports it
    bare = not (scale or unit or currency or match.group("multiplier"))
    if number and bare and _is_year(number):
        return None
    if number and bare and _is_day(read, match.start("number"), match.end("number")):
        return None
    if scale and scale.lower() in SINGLE_LETTER_SCALES and match.group("gap") and not currency:
        return None  # "5 m" is a distance as often as an amount
    if scale and len(scale) == 1 and scale.lower() == "b" and not scale.isupper() and not currency:
        return None  # "5b" is a label as often as a number; "5B" and "$5b" are billions
    with localcontext() as context:
        context.prec = 60
        if half:
            value = Decimal("0.5")
        elif word:
            value = Decimal(_word_value(word))
        else:
            value = Decimal(number.replace(",", ""))
        value *= MULTIPLIERS.get((match.group("multiplier") or "").lower(), 1)
        value = value.scaleb(SCALES[scale.lower()]) if scale else value
    lead = _QUALIFIED.search(read, max(0, match.start() - 24), match.start())
    qualifier = QUALIFIERS[" ".join(lead.group("qualifier").lower().split())] if lead else None
    start = lead.start() if lead else match.start()
    if not lead and _NEGATED.search(read, max(0, match.start() - 8), match.start()):
        qualifier = "negated"  # "not 5 billion": no quote of a figure supports its negation
    end = match.end()
    trail = _TRAILING.match(read, end)
    if trail:
        said = trail.group("sign") or trail.group("odd") or trail.group("words")
        behind = TRAILING[" ".join(said.lower().split())]
        qualifier = behind if qualifier in (None, behind) else f"{qualifier}, {behind}"
        end = trail.end()
    percent = bool(unit) and (unit == "%" or unit.lower().startswith("per"))
    if (
        qualifier is None
        and before is not None
        and before.qualifier
        and re.fullmatch(r"\s*\(\s*", read[before.end : start])
    ):
        qualifier = before.qualifier  # "over 1 billion yuan ($140 million)": the conversion is "over" too
        close = re.compile(r"\s*\)").match(read, end)
        shown = text[origin[before.start] : origin[(close.end() if close else end) - 1] + 1]
        return Figure(value, shown, currency, qualifier, percent, start, end)
    shown = text[origin[start] : origin[end - 1] + 1].strip()
    return Figure(value, shown, currency, qualifier, percent, start, end)


def _word_value(word: str) -> int:
    parts = re.split(r"[\s-]+", word.lower())
    return sum(WORD_NUMBERS[p] for p in parts)


def _currency(before: str | None, unit: str | None, paren: str | None) -> str | None:
    """The currency a figure is written with, before or after it.

    What names one currency ("HK$", "RMB", "Hong Kong dollars") decides; two that differ match
    nothing. Only then the weak signs: a bare "$" is US dollars, then "¥" or "dollars" as written.
    """
    said = [CURRENCY_BEFORE[_plain(before)]] if before else []
    said += [CURRENCY_AFTER[_plain(w)] for w in (unit, paren) if w and _plain(w) in CURRENCY_AFTER]
    named = {c for c in said if c not in AMBIGUOUS} - ({"USD"} if before and _plain(before) == "$" else set())
    if named:
        return "/".join(sorted(named))
    if before and _plain(before) == "$":
        return "USD"
    return said[0] if said else None


def _plain(word: str) -> str:
    """A currency as written, to look up: lower case, one space, singular dollar."""
    word = " ".join(word.lower().split())
    return word[:-1] if word.endswith("dollars") else word


def amount(value: float | int, unit: str, qualifier: str | None = None) -> Figure:
    """A structured value as a figure, to compare with the figures of quotes."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return Figure(
        exact,
        f"{value:g} {unit}",
        unit if re.fullmatch(r"[A-Z]{3}", unit) else None,
        None if qualifier == "exactly" else qualifier,
    )


def supported(stated: str | None, quoted: str | None) -> bool:
    """Whether a statement's qualifier says no more than the source's (see SUPPORTS)."""
    return stated == quoted or stated in SUPPORTS.get(quoted, frozenset())


# Things that look like a figure but were not read as one: a statement must not carry them unread.
_LOOKS_LIKE_A_FIGURE = re.compile(
    rf"""
      \b(?:{_BIG_SCALE})\b                                   # a scale word no figure took ("several billion")
    | (?:[$€£¥₩₹])\s?[0-9]                                   # a currency sign before digits
    | (?<![\w.,-])[0-9][0-9.,]*(?:[bmk]|bn|mn|tn)\b          # an abbreviated amount
    | [0-9]\s?(?:%|percent\b)                                # a percentage
    | [0-9][0-9,.]{{{MAX_DIGITS},}}                           # more digits than any figure has
    | \b[0-9]{{1,3}}(?:\ [0-9]{{3}})+\b                        # thousands grouped with spaces
    | [0-9]\s?[万亿千百元兆]                                   # Chinese units
    | [0-9]⁄|⁄[0-9]                                          # a fraction
    | (?<![\w.])\.[0-9]                                      # a decimal point with no digit before it
    """,
    re.I | re.X,
)


def unread(text: str) -> list[str]:
    """The pieces of a text that look like figures but cannot be read as one, as the text writes them."""
    read, origin = readable(text)
    taken = [(f.start, f.end) for f in figures(text)]
    found = []
    for match in _LOOKS_LIKE_A_FIGURE.finditer(read):
        if not any(start <= match.start() and match.end() <= end for start, end in taken):
            piece = text[origin[match.start()] : origin[match.end() - 1] + 1]
            found.append(_around(text, origin[match.start()], origin[match.end() - 1] + 1, piece))
    superscripts = [c for c in text if unicodedata.decomposition(c).startswith(("<super>", "<sub>")) and _digit(c)]
    if superscripts:
        found.append("".join(superscripts))
    return list(dict.fromkeys(found))


def _digit(char: str) -> bool:
    return unicodedata.normalize("NFKC", char).isdigit()


def _around(text: str, start: int, end: int, piece: str) -> str:
    """The piece in its whole word, with the word on either side, so the contributor finds it."""
    digits = sum(c.isdigit() for c in piece)
    if digits > MAX_DIGITS:
        return f"{piece[:12]}... ({digits:,} digits)"
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    shown = " ".join(text[:start].split()[-1:] + text[start:end].split() + text[end:].split()[:1])
    return shown if len(shown) <= 60 else shown[:57] + "..."


@lru_cache(maxsize=65536)
def readable(text: str) -> tuple[str, list[int]]:
    """The text as the figure reader reads it, and the index in `text` of each of its characters.

    Compatibility folding (NFKC) character by character, so fullwidth "９" and a non-breaking
    space read as "9" and " "; digits of other scripts ("٩") as ASCII digits; superscript and
    subscript digits (footnote marks) are left out.
    """
    if text.isascii():
        return text, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            out.append(char)
            origin.append(index)
            continue
        if unicodedata.decomposition(char).startswith(("<super>", "<sub>")):
            continue
        for part in unicodedata.normalize("NFKC", char):
            if unicodedata.category(part) == "Nd":
                part = str(unicodedata.decimal(part))
            out.append(part)
            origin.append(index)
    return "".join(out), origin


def years(text: str) -> set[int]:
    """The years a text names on their own (not amounts)."""
    read = readable(text)[0]
    return {
        int(m.group(0))
        for m in re.finditer(r"(?<![\w.,$-])(?:19|20)[0-9]{2}(?![\w%]|[.,][0-9])", read)
        if not _FIGURE_AFTER.match(read, m.end())
    }


_FIGURE_AFTER = re.compile(rf"[\s-]?(?:{_BIG_SCALE})\b|\s?(?:%|percent|{_AFTER_WORDS})\b", re.I)


def months(text: str) -> set[tuple[int, int]]:
    """The (year, month) pairs a text names: "March 2025", "June 25, 2025", "2025-03"."""
    read = readable(text)[0]
    found = {(int(y), MONTHS.index(m.lower()) + 1) for m, y in _MONTH_YEAR.findall(read)}
    found |= {(int(y), int(m)) for y, m in _YEAR_MONTH.findall(read) if 1 <= int(m) <= 12}
    return found


def month_names(text: str) -> set[int]:
    """The months a text names, with or without a year."""
    return {MONTHS.index(m.group(0).lower()) + 1 for m in _MONTH_NEAR.finditer(readable(text)[0])}


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100


def _is_day(text: str, start: int, end: int) -> bool:
    """'25' in '25 June' or 'June 25, 2025': the day of a date, not a figure."""
    if not (len(text[start:end]) <= 2 and text[start:end].isdigit() and 1 <= int(text[start:end]) <= 31):
        return False
    after = re.match(r"\s*(?:st|nd|rd|th)?\s+([A-Za-z]+)", text[end:])
    before = re.search(r"([A-Za-z]+)\.?\s+$", text[:start])
    return any(m and m.group(1).lower() in MONTHS for m in (after, before))
