"""Figures and dates: every figure and date a statement gives stands in its quotes, or is marked as ours.

The figures are read as news copy writes them (figures.py); a figure must stand in a quote with
its currency and qualifier, and a year or month must be the fact's date or in its quotes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from briefing.check.figure_words import AMBIGUOUS, SUPPORTS, WORDING
from briefing.check.figures import MONTHS, amount, figures, month_names, months, supported, unread, years
from briefing.check.remembered import each_fact
from briefing.load.model import Registry
from briefing.problems import Loc, Problem, error


def check_figures(registry: Registry, remembered: Mapping[str, str]) -> tuple[list[Problem], dict[str, str]]:
    """Every figure a fact or a disputed version states stands in its own quotes, or is marked as ours.

    Returns the problems and the keys of the facts found clean (those in `remembered` are not read again).
    """
    problems, known = each_fact(registry.facts, figures_key, _fact_figures, remembered)
    for disagreement in registry.disagreements:
        for i, variant in enumerate(disagreement.variants):
            where = f"disagreement '{disagreement.id}', version {i + 1}"
            problems += _figures_in(variant.claim, variant.origin.at("claim"), variant.citations, [], where)
            if variant.value:
                problems += _value_in(variant.value, variant.origin.at("value", "amount"), variant.citations, [])
    return problems, known


def figures_key(fact) -> str:
    """What a fact's figure check depends on, as a hash: the same key, the same (clean) answer."""
    parts = (
        fact.statement,
        fact.date,
        fact.value,
        fact.converted,
        fact.derived,
        [(c.source, c.quote) for c in fact.citations],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _fact_figures(fact) -> list[Problem]:
    """A fact's statement, value and converted amounts against its quotes and date."""
    problems: list[Problem] = []
    derived = [f for d in fact.derived for f in figures(d.figure)]
    problems += _figures_in(fact.statement, fact.origin.at("statement"), fact.citations, derived, f"fact '{fact.id}'")
    if fact.value:
        problems += _value_in(fact.value, fact.origin.at("value", "amount"), fact.citations, derived)
    for i, converted in enumerate(fact.converted):
        own = tuple(c for c in fact.citations if c.source == converted.source)
        if own:  # otherwise the source is unknown or not cited, and that is the problem to report
            problems += _value_in(converted, fact.origin.at("converted", i, "amount"), own, derived)
    problems += _dates_in(fact.statement, fact.origin.at("statement"), fact.date, fact.citations, f"fact '{fact.id}'")
    for i, item in enumerate(fact.derived):
        if not figures(item.figure):
            problems.append(
                error(
                    fact.origin.at("derived", i, "figure"),
                    f"no figure in {item.figure!r}",
                    code="derived-without-figure",
                )
            )
    return problems


def _figures_in(text: str, where: Loc, citations: tuple, derived: list, owner: str) -> list[Problem]:
    """Each figure of a statement stands in a quote with its currency and qualifier, or is ours (derived)."""
    quoted = [f for c in citations for f in figures(c.quote)]
    problems = [
        error(
            where,
            f"{owner}: the statement's {piece!r} looks like a figure that cannot be read, so it cannot be checked",
            "write it as the checker reads figures: digits or number words with the scale and the currency, "
            "'1.5 billion yuan', 'US$140 million', 'a billion', 'about 30%'",
            code="unreadable-figure",
        )
        for piece in unread(text)
    ]
    for figure in figures(text):
        verdict, source = _judge(figure, quoted, derived)
        stated = f"{owner}: the statement's {figure.text!r}"
        if verdict == "missing":
            problems.append(
                error(
                    where,
                    f"{owner}: the figure {figure.text!r} is in none of its quotes",
                    _quoted_hint(quoted)
                    + "; if the figure is ours (a sum, a conversion, a count), add it under 'derived' with its working",
                    code="figure-not-quoted",
                )
            )
        elif verdict == "currency":
            problems.append(error(where, *_currency_problem(stated, figure, source), code="figure-currency"))
        elif verdict == "qualifier" and figure.qualifier is None:
            problems.append(
                error(
                    where,
                    f"{stated} drops the source's qualifier ({source.text!r})",
                    "keep the source's 'over', 'about', 'up to': a figure is as exact as the source makes it",
                    code="qualifier-dropped",
                )
            )
        elif verdict == "qualifier":
            problems.append(
                error(
                    where,
                    f"{stated} says {WORDING[figure.qualifier.split(', ')[0]]!r}, but the source writes {source.text!r}",
                    f"the source's {source.text!r} supports {_allowed(source.qualifier)}: a figure may be "
                    "less exact than its source, never more, and never in another direction",
                    code="qualifier-changed",
                )
            )
    return problems


def _judge(figure, quoted: list, derived: list):
    """'ok', or what keeps a figure from its quotes ('missing', 'currency', 'qualifier') and the quote's figure."""
    if any(
        figure.same_number(d) and d.currency == figure.currency and supported(figure.qualifier, d.qualifier)
        for d in derived
    ):
        return "ok", None
    same = [q for q in quoted if figure.same_number(q)]
    if not same:
        return "missing", None
    priced = [q for q in same if q.currency == figure.currency]
    if not priced:
        return "currency", same[0]
    if any(supported(figure.qualifier, q.qualifier) for q in priced):
        return "ok", None
    return "qualifier", priced[0]


def _currency_problem(subject: str, figure, source, value: bool = False) -> tuple[str, str]:
    """The message and hint for a figure whose currency is not its source's (`value`: a structured amount)."""
    quoted = repr(source.text)
    said = ":" if value else f" is in {_money(figure.currency)}, but"
    if source.currency in AMBIGUOUS and figure.currency:
        return (
            f"{subject}{said} the source's {quoted} does not say which currency: {AMBIGUOUS[source.currency]}",
            "state the currency only where the source does: quote its words that name the currency, or give the "
            "figure under 'derived' with the working that settles it",
        )
    if figure.currency is None and not value:
        return f"{subject} drops the source's currency ({quoted})", "write the currency the source writes"
    if figure.currency in AMBIGUOUS:
        return (
            f"{subject} does not say which currency ({AMBIGUOUS[figure.currency]}); the source writes {quoted}",
            "name the currency as the source does: 'US$', 'HK$', 'yuan', 'Singapore dollars'",
        )
    if source.currency is None:
        return (
            f"{subject}{said} its quote gives no currency ({quoted})",
            "quote the source's words that name the currency",
        )
    return (
        f"{subject}{said} the source's {quoted} is in {_money(source.currency)}",
        "write the currency the source writes; a conversion is ours, under 'derived' with its working",
    )


def _money(currency: str) -> str:
    return "an unnamed currency" if currency in AMBIGUOUS else currency


def _allowed(qualifier: str | None) -> str:
    """The qualifiers a source's qualifier supports, in words."""
    shown = sorted(
        (WORDING.get(q, "no qualifier") if q else "no qualifier") for q in SUPPORTS.get(qualifier, {qualifier})
    )
    return " or ".join(repr(s) if s != "no qualifier" else s for s in shown)


def _value_in(value, where: Loc, citations: tuple, derived: list) -> list[Problem]:
    """A structured value (amount, unit, qualifier) stands in a quote as the statement's figures must."""
    figure = amount(value.amount, value.unit, value.qualifier)
    quoted = [f for c in citations for f in figures(c.quote)]
    verdict, source = _judge(figure, quoted, derived)
    shown = f"the amount {value.amount:,} {value.unit}"
    if verdict == "missing":
        return [
            error(
                where,
                f"{shown} is in none of the quotes it rests on",
                _quoted_hint(quoted) + "; if it is ours (a sum, a conversion), add it under 'derived' with its working",
                code="amount-not-quoted",
            )
        ]
    if verdict == "currency":
        return [error(where, *_currency_problem(shown, figure, source, value=True), code="amount-currency")]
    if verdict == "qualifier":
        options = [q for q in SUPPORTS.get(source.qualifier, {source.qualifier}) if q != "nearly"]
        settings = " or ".join("no 'qualifier'" if q is None else f"'qualifier: {q}'" for q in sorted(options, key=str))
        return [
            error(
                where,
                f"{shown} has qualifier {value.qualifier or 'none'!r}, but the source writes {source.text!r}",
                f"set {settings}" if options else "the source's qualifier has no equivalent: quote another source",
                code="amount-qualifier",
            )
        ]
    return []


def _dates_in(text: str, where: Loc, date, citations: tuple, owner: str) -> list[Problem]:
    named_years, named_months = years(text), months(text)
    if not named_years and not named_months:
        return []
    quotes = " ".join(c.quote for c in citations)
    quoted_years, quoted_months, named = years(quotes), months(quotes), month_names(quotes)
    problems = []
    for year in sorted(named_years):
        if (date and date.year == year) or year in quoted_years:
            continue
        problems.append(
            error(
                where, f"{owner}: the year {year} is neither the fact's date nor in its quotes", code="year-not-quoted"
            )
        )
    for year, month in sorted(named_months):
        if date and date.year == year and date.month in (month, None):
            continue
        if (year, month) in quoted_months or (
            month in named and (year in quoted_years or (date and date.year == year))
        ):
            continue
        problems.append(
            error(
                where,
                f"{owner}: {MONTHS[month - 1].capitalize()} {year} is neither the fact's date nor in its quotes",
                code="month-not-quoted",
            )
        )
    return problems


def _quoted_hint(quoted: list) -> str:
    if not quoted:
        return "its quotes give no figure"
    texts = list(dict.fromkeys(q.text for q in quoted))
    # "over 1 billion yuan" is shown within "over 1 billion yuan ($140 million)", the conversion that follows it
    shown = [t for t in texts if not any(other != t and other.startswith(t) for other in texts)]
    return "its quotes give " + ", ".join(repr(t) for t in shown)
