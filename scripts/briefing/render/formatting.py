"""Numbers as a reader says them: 'more than 1 billion yuan', '$140 million'."""

from __future__ import annotations

from briefing.load.model import Value
from briefing.vocabulary import QUALIFIER_WORDS

CURRENCIES = {"USD": ("$", ""), "CNY": ("", " yuan"), "EUR": ("€", ""), "GBP": ("£", "")}


def format_amount(amount: float | int, unit: str, qualifier: str | None = None) -> str:
    """'more than 1 billion yuan', '$140 million', '10 billion parameters'."""
    number = _words(amount)
    prefix, suffix = CURRENCIES.get(unit, ("", f" {unit}"))
    text = f"{prefix}{number}{suffix}"
    words = QUALIFIER_WORDS.get(qualifier or "exactly", "")
    return f"{words} {text}" if words else text


def _words(amount: float | int) -> str:
    # 1000000000 -> "1 billion", 137220000 -> "137.22 million", 23 -> "23"
    for size, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if amount >= size:
            return f"{amount / size:.2f}".rstrip("0").rstrip(".") + f" {name}"
    return f"{amount:,.2f}".rstrip("0").rstrip(".") if isinstance(amount, float) else f"{amount:,}"


def format_value(value: Value) -> str:
    """A fact's or variant's value as a reader says it."""
    return format_amount(value.amount, value.unit, value.qualifier)
