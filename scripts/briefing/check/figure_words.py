"""The words and signs news copy writes figures with, and what a source's qualifier supports.

Currencies: a symbol or code that names one currency ("US$", "HK$", "S$", "NT$", "RMB", "€",
"yuan", "Hong Kong dollars") is its ISO code; a bare "$" is US dollars, as the news copy this
tool reads writes it. A sign the reader cannot tell apart -- "¥" (yen or yuan), "dollars" with
no country -- is kept as written (AMBIGUOUS) and stands for no ISO currency.

Qualifiers (SUPPORTS): a statement may be less precise than its source, never differently
directed. The source's "5 billion" supports "5 billion" and "about 5 billion"; "over 5 billion"
supports "over" and "at least"; "under" supports "under" and "up to"; "nearly" supports
"nearly", "about", "under" and "up to"; "at least", "up to" and "about" support only themselves.
figures.py reads figures with these tables.
"""

from __future__ import annotations

from briefing import vocabulary

SCALES = {
    "thousand": 3, "million": 6, "billion": 9, "trillion": 12,
    "k": 3, "m": 6, "b": 9, "bn": 9, "bln": 9, "mn": 6, "mln": 6, "tn": 12, "trn": 12,
}  # fmt: skip
SINGLE_LETTER_SCALES = ("k", "m", "b")  # only attached ("5m") or with a currency ("$5 m"): "5 m" may be metres
WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
MULTIPLIERS = {"hundred": 100, "dozen": 12}
# Signs and codes written before the number: each names one currency, except AMBIGUOUS ones.
CURRENCY_BEFORE = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD",
    "hk$": "HKD", "hkd": "HKD", "s$": "SGD", "sg$": "SGD", "sgd": "SGD", "nt$": "TWD", "twd": "TWD",
    "a$": "AUD", "au$": "AUD", "aud": "AUD", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "nz$": "NZD", "nzd": "NZD",
    "r$": "BRL", "brl": "BRL", "rmb": "CNY", "cny": "CNY", "cn¥": "CNY", "jp¥": "JPY", "jpy": "JPY",
    "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "chf": "CHF", "₩": "KRW", "krw": "KRW", "₹": "INR",
    "inr": "INR", "¥": "¥",
}  # fmt: skip
# Words and codes written after the number ("1 billion RMB", "3 billion Hong Kong dollars").
CURRENCY_AFTER = {
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "yen": "JPY", "jpy": "JPY",
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP",
    "gbp": "GBP", "usd": "USD", "hkd": "HKD", "sgd": "SGD", "twd": "TWD", "aud": "AUD", "cad": "CAD",
    "nzd": "NZD", "chf": "CHF", "krw": "KRW", "inr": "INR",
    "us dollar": "USD", "u.s. dollar": "USD", "american dollar": "USD", "hong kong dollar": "HKD",
    "singapore dollar": "SGD", "taiwan dollar": "TWD", "new taiwan dollar": "TWD", "taiwanese dollar": "TWD",
    "australian dollar": "AUD", "canadian dollar": "CAD", "new zealand dollar": "NZD", "dollar": "dollars",
}  # fmt: skip
AMBIGUOUS = {"¥": "'¥' is yen or yuan", "dollars": "'dollars' alone does not say whose"}
QUALIFIERS = {
    "over": "more-than", "more than": "more-than", "above": "more-than", "exceeding": "more-than",
    "in excess of": "more-than", "upwards of": "more-than", "greater than": "more-than",
    "at least": "at-least", "no less than": "at-least", "not less than": "at-least", "no fewer than": "at-least",
    "not fewer than": "at-least", "not under": "at-least", "not below": "at-least", "a minimum of": "at-least",
    "less than": "less-than", "under": "less-than", "below": "less-than", "fewer than": "less-than",
    "up to": "up-to", "as much as": "up-to", "as many as": "up-to", "at most": "up-to", "no more than": "up-to",
    "not more than": "up-to", "not over": "up-to", "not above": "up-to", "not exceeding": "up-to",
    "a maximum of": "up-to",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly", "not quite": "nearly",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "~": "about", "an estimated": "about", "estimated": "about", "circa": "about", "approx.": "about",
}  # fmt: skip
# Behind the figure: "5 billion or more", "10+", "20-odd", "1 billion or so".
TRAILING = {
    "+": "at-least", "-plus": "at-least", "or more": "at-least", "or above": "at-least", "or over": "at-least",
    "and up": "at-least", "and upwards": "at-least",
    "or less": "up-to", "or fewer": "up-to", "or under": "up-to", "or below": "up-to",
    "or so": "about", "odd": "about",
}  # fmt: skip
# What each qualifier of a source supports in a statement: the same, or less precise in the same direction.
SUPPORTS: dict[str | None, frozenset[str | None]] = {
    None: frozenset({None, "about"}),
    "more-than": frozenset({"more-than", "at-least"}),
    "at-least": frozenset({"at-least"}),
    "less-than": frozenset({"less-than", "up-to"}),
    "up-to": frozenset({"up-to"}),
    "nearly": frozenset({"nearly", "about", "less-than", "up-to"}),
    "about": frozenset({"about"}),
}
WORDING = {
    **{q: words for q, words in vocabulary.QUALIFIER_WORDS.items() if words},
    "nearly": "nearly",
    "negated": "'not'",
}
