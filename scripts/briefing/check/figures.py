"""Figures in running text, read the ways news copy writes them, so statements can be held to their quotes.

"1 billion", "1bn", "1,000 million", "$140 million", "US$1.4 billion", "10-billion",
"100 billion yuan", "three", "23 of 28": each becomes a number with its scale applied, the
currency it is written with (if any), and the qualifier in front of it ("over", "more than",
"about", "up to", ...). Numbers that are part of a name ("GLM-4.1V", "Qwen-2.5-VL", "4.1V"),
and the days of dates ("25 June"), are not figures; a bare year (1900 to 2100) is a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = "january february march april may june july august september october november december".split()
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
CURRENCIES = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
}  # fmt: skip
QUALIFIERS = {
    "over": "more-than", "more than": "more-than", "above": "more-than", "exceeding": "more-than",
    "in excess of": "more-than", "upwards of": "more-than",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "nearly": "about", "almost": "about", "~": "about", "an estimated": "about",
    "up to": "up-to", "as much as": "up-to", "at least": "at-least", "no less than": "at-least",
    "less than": "less-than", "under": "less-than", "below": "less-than", "fewer than": "less-than",
}  # fmt: skip

_QUALIFIER = "|".join(sorted((re.escape(q).replace("\\ ", r"\s+") for q in QUALIFIERS), key=len, reverse=True))
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"""
    (?=[$¥€£0-9]|(?<![a-z])[a-z])  # a figure starts with a sign, a digit or a word: fail fast elsewhere
    (?P<currency>US\$|[$¥€£]|\b(?:RMB|CNY|USD|EUR|GBP)\s?)?
    (?:
        (?P<number>(?<![\w.,-])(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?)
      | (?P<word>\b(?<!-)(?:{_WORDS}|one(?=[\s-]+(?:{_SCALE})\b)))
    )
    (?:[\s-]?(?P<scale>{_SCALE})(?![\w]))?
    (?:\s?(?P<unit>%|percent\b|per\s+cent\b|yuan\b|dollars?\b|euros?\b|pounds?\b))?
    (?![\w]|\.[0-9])
    """,
    re.I | re.X,
)
# The qualifier in front of a figure, read back from where the figure starts.
_QUALIFIED = re.compile(rf"(?:^|(?<=[^\w]))(?P<qualifier>{_QUALIFIER})\s*$", re.I)
_MONTH_NEAR = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({'|'.join(MONTHS)})(?:\s+[0-9]{{1,2}},?)?\s+((?:19|20)[0-9]{{2}})\b", re.I)
_YEAR_MONTH = re.compile(r"\b((?:19|20)[0-9]{2})-([0-9]{2})\b")


@dataclass(frozen=True)
class Figure:
    """A number as the text writes it: its value with the scale applied, currency, qualifier."""

    value: float
    text: str
    currency: str | None = None
    qualifier: str | None = None
    percent: bool = False

    def same_amount(self, other: Figure) -> bool:
        """The same number, and no currencies that differ."""
        if (self.currency and other.currency and self.currency != other.currency) or self.percent != other.percent:
            return False
        return abs(self.value - other.value) <= 1e-9 * max(abs(self.value), abs(other.value), 1)


@lru_cache(maxsize=65536)
def figures(text: str) -> tuple[Figure, ...]:
    """Every amount, count and percentage in a text; years and the days of dates are left out."""
    found = []
    for match in _FIGURE.finditer(text):
        number, word = match.group("number"), match.group("word")
        scale, unit = match.group("scale"), match.group("unit")
        currency = match.group("currency")
        if word:
            value = float(WORD_NUMBERS.get(word.lower(), 1))
        else:
            value = float(number.replace(",", ""))
        bare = not (scale or unit or currency)
        if number and bare and _is_year(number):
            continue
        if number and bare and _is_day(text, match.start("number"), match.end("number")):
            continue
        if scale and scale.lower() in ("m", "k") and not currency:
            continue  # "5 m" is a distance as often as an amount
        value *= SCALES[scale.lower()] if scale else 1
        code = None
        for part in (currency, unit):
            if part:
                code = CURRENCIES.get(part.strip().lower(), code)
        before = _QUALIFIED.search(text, max(0, match.start() - 16), match.start())
        qualifier = QUALIFIERS[" ".join(before.group("qualifier").lower().split())] if before else None
        text_of = text[before.start() : match.end()] if before else match.group(0)
        percent = bool(unit) and (unit == "%" or unit.lower().startswith("per"))
        found.append(Figure(value, text_of.strip(), code, qualifier, percent))
    return tuple(found)


def amount(value: float, unit: str) -> Figure:
    """A structured value as a figure, to compare with the figures of quotes."""
    return Figure(float(value), f"{value:g} {unit}", unit if re.fullmatch(r"[A-Z]{3}", unit) else None)


def years(text: str) -> set[int]:
    """The years a text names on their own (not amounts)."""
    return {
        int(m.group(0))
        for m in re.finditer(r"(?<![\w.,$-])(?:19|20)[0-9]{2}(?![\w%]|[.,][0-9])", text)
        if not _FIGURE_AFTER.match(text, m.end())
    }


_FIGURE_AFTER = re.compile(rf"[\s-]?(?:{_SCALE})\b|\s?(?:%|percent|yuan|dollars)", re.I)


def months(text: str) -> set[tuple[int, int]]:
    """The (year, month) pairs a text names: "March 2025", "June 25, 2025", "2025-03"."""
    found = {(int(y), MONTHS.index(m.lower()) + 1) for m, y in _MONTH_YEAR.findall(text)}
    found |= {(int(y), int(m)) for y, m in _YEAR_MONTH.findall(text) if 1 <= int(m) <= 12}
    return found


def month_names(text: str) -> set[int]:
    """The months a text names, with or without a year."""
    return {MONTHS.index(m.group(0).lower()) + 1 for m in _MONTH_NEAR.finditer(text)}


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100


def _is_day(text: str, start: int, end: int) -> bool:
    """'25' in '25 June' or 'June 25, 2025': the day of a date, not a figure."""
    if not (len(text[start:end]) <= 2 and text[start:end].isdigit() and 1 <= int(text[start:end]) <= 31):
        return False
    after = re.match(r"\s*(?:st|nd|rd|th)?\s+([A-Za-z]+)", text[end:])
    before = re.search(r"([A-Za-z]+)\.?\s+$", text[:start])
    return any(m and m.group(1).lower() in MONTHS for m in (after, before))
