"""Figures in statements: read as the source writes them, with currency and qualifier, or refused.

Each attack here passed the old reader: a currency written after the number, a sign another
country's dollar shares, a figure written as words or an abbreviation, a qualifier the source
never gave. The corpus cases tests/bad_input/figure-*.yaml run the same attacks through a build.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import problems

from briefing.check.figure_words import SUPPORTS
from briefing.check.figures import amount, figures, supported, unread, years


def read(text: str) -> list[tuple[str, Decimal, str | None, str | None]]:
    return [(f.text, f.value, f.currency, f.qualifier) for f in figures(text)]


# Each currency's spellings of an amount, before and after the number, by what they must read as.
CURRENCIES = {
    ("CNY", 10**9): [
        "1 billion RMB",
        "RMB1bn",
        "RMB 1 billion",
        "1 billion renminbi",
        "1 billion yuan",
        "CNY 1 billion",
    ],
    ("HKD", 2 * 10**9): ["HK$2 billion"],
    ("SGD", 10**9): ["S$1 billion"],
    ("TWD", 10**9): ["NT$1 billion"],
    ("AUD", 10**9): ["A$1 billion"],
    ("CAD", 10**9): ["C$1 billion"],
    ("EUR", 10**9): ["€1 billion", "EUR 1 billion"],
    ("GBP", 10**9): ["£1 billion"],
    ("JPY", 10**9): ["JPY 1 billion", "1 billion yen"],
    ("HKD", 3 * 10**9): ["3 billion Hong Kong dollars", "$3 billion (Hong Kong dollars)"],  # the words name it
    ("SGD", 3 * 10**9): ["3 billion Singapore dollars"],
    ("USD", 3 * 10**9): ["3 billion US dollars", "3 billion U.S. dollars"],
    ("USD", 10**9): ["$1 billion (US dollars)"],
    ("USD", 14 * 10**8): ["US$1.4 billion", "$1.4 billion"],  # a bare $ is US dollars, as the news copy writes it
    ("¥", 5 * 10**9): ["¥5 billion"],  # yen or yuan
    ("dollars", 7 * 10**9): ["7 billion dollars"],  # whose?
    ("HKD/USD", 5 * 10**9): ["HK$5 billion (US dollars)"],  # two that differ match nothing
}


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [(text, value, currency) for (currency, value), texts in CURRENCIES.items() for text in texts],
)
def test_currencies_before_and_after_the_number(text, value, currency):
    [figure] = figures(text)
    assert (figure.value, figure.currency) == (Decimal(value), currency)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a billion", 10**9),
        ("A billion", 10**9),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a billion", 5 * 10**8),
        ("a hundred million", 10**8),
        ("two hundred", 200),
        ("twenty-three", 23),
        ("twenty three", 23),
        ("5bn", 5 * 10**9),
        ("5 mn", 5 * 10**6),
        ("5m", 5 * 10**6),
        ("$5 m", 5 * 10**6),
        ("$9.9B", 99 * 10**8),
        ("9B", 9 * 10**9),
        ("1.5tn", 15 * 10**11),
        ("1,000 million", 10**9),
        ("９ billion", 9 * 10**9),  # fullwidth digits are digits
        ("٩ billion", 9 * 10**9),  # so are those of other scripts
        ("5\u00a0billion", 5 * 10**9),
        ("…1 billion", 10**9),
    ],
)
def test_words_abbreviations_and_other_digits_are_read(text, value):
    assert [f.value for f in figures(text)] == [Decimal(value)]


def test_values_are_exact():
    """'1.0000000001 billion' is not '1 billion': no float tolerance to hide a changed digit."""
    assert figures("1.0000000001 billion")[0].value != figures("1 billion")[0].value
    assert figures("0.9 billion")[0].value == figures("900 million")[0].value
    assert amount(1.4e9, "USD").value == figures("$1.4 billion")[0].value


@pytest.mark.parametrize(
    "text",
    ["GLM-4.1V-9B", "Qwen-2.5-VL", "in 2019", "on 25 June", "June 25, 2025", "a 5 m wall", "one of the firms"],
)
def test_names_years_and_dates_are_not_figures(text):
    assert figures(text) == ()


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("over 5 billion", "more-than"),
        ("more than 5 billion", "more-than"),
        ("at least 5 billion", "at-least"),
        ("5 billion or more", "at-least"),
        ("10+", "at-least"),
        ("$1 billion-plus", "at-least"),
        ("less than 5 billion", "less-than"),
        ("under 5 billion", "less-than"),
        ("up to 5 billion", "up-to"),
        ("no more than 5 billion", "up-to"),
        ("not more than 5 billion", "up-to"),
        ("5 billion or less", "up-to"),
        ("nearly 5 billion", "nearly"),
        ("almost 5 billion", "nearly"),
        ("about 5 billion", "about"),
        ("some 5 billion", "about"),
        ("~$5 billion", "about"),
        ("20-odd", "about"),
        ("not 5 billion", "negated"),
        ("about 5 billion or more", "about, at-least"),
        ("5 billion plus interest", None),
    ],
)
def test_qualifiers_in_front_and_behind(text, qualifier):
    assert figures(text)[0].qualifier == qualifier


def test_a_conversion_in_brackets_carries_the_qualifier_of_what_it_converts():
    [yuan, dollars] = figures("secured over 1 billion yuan ($140 million) in")
    assert dollars.qualifier == yuan.qualifier == "more-than"
    assert dollars.text == "over 1 billion yuan ($140 million)"
    [_, own] = figures("up to 100 billion yuan (~$14.7 billion)")
    assert own.qualifier == "about"


def test_the_rule_for_qualifiers():
    """Less exact in the same direction passes; more exact, or another direction, does not."""
    assert supported("about", None) and supported(None, None)
    assert not supported("less-than", None) and not supported("at-least", None) and not supported("up-to", None)
    assert supported("at-least", "more-than") and not supported(None, "more-than")
    assert not supported("more-than", "at-least")
    assert supported("up-to", "less-than") and not supported("less-than", "up-to")
    assert supported("about", "nearly") and supported("less-than", "nearly") and not supported("more-than", "nearly")
    assert not supported("about", "more-than") and not supported(None, "about")
    assert not supported("more-than", "negated") and supported("negated", "negated")
    for quoted, allowed in SUPPORTS.items():
        assert quoted in allowed  # a source always supports its own qualifier


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("several billion yuan", "several billion yuan"),
        ("1-2 billion yuan", "1-2 billion yuan"),
        ("2,5 billion", "2,5 billion"),
        ("raised .5 billion", "raised .5 billion"),
        ("1 000 000 yuan", "1 000 000 yuan"),
        ("raised 50亿元 in", "raised 50亿元 in"),
        ("a 1½ billion deal", "a 1½ billion"),
        ("Acme raised " + "9" * 5000 + " yuan", "999999999999... (5,000 digits)"),
        ("rose 10² yuan", "²"),
    ],
)
def test_what_cannot_be_read_is_named(text, piece):
    assert piece in unread(text)


@pytest.mark.parametrize(
    "text",
    [
        "Acme raised 1 billion yuan ($140 million) from 23 of 28 backers.",
        "GLM-4.1V-9B",
        "01.ai",
        "hundreds of millions",
    ],
)
def test_what_is_read_is_not_named_as_unread(text):
    assert unread(text) == []


def test_reading_a_long_number_is_bounded():
    """No int() of a 5,000-digit string and no quadratic scan: it is simply not a figure."""
    text = "9" * 5000
    assert figures(text) == () and unread(text) == ["999999999999... (5,000 digits)"]
    assert years("２０２６") == {2026}


# --- through the build: each attack is refused at the statement, with the reason ------------


SOURCE_TEXT = (
    "Acme raised 1 billion RMB in March. Acme secured over 1 billion yuan ($140 million) in May. "
    "A rival took HK$2 billion. A Tokyo fund gave ¥5 billion.\n"
)


def with_source(project, statement: str, quote: str, value: str = "") -> list[str]:
    """The problems of one fact quoting a text of our own, as a contributor sees them."""
    import hashlib

    (project.archive / "own.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    sha = hashlib.sha256(SOURCE_TEXT.encode()).hexdigest()
    project.write(
        "case.yaml",
        f"""sources:
  - id: own
    title: Own
    publisher: Own
    published: 2024-05
    kind: news-report
    archive: {{file: own.txt, sha256: {sha}}}
    reliability: Made up.
    summary: Made up.
facts:
  - id: case-fact
    statement: "{statement}"
    topic: funding
    entities: [acme]
{value}    citations:
      - source: own
        quote: "{quote}"
""",
    )
    return problems(project)


@pytest.mark.parametrize(
    ("statement", "quote", "message"),
    [
        (
            "Zhipu raised $1 billion.",
            "Acme raised 1 billion RMB in March",
            "the statement's '$1 billion' is in USD, but the source's '1 billion RMB' is in CNY",
        ),
        (
            "Zhipu raised 1 billion.",
            "Acme raised 1 billion RMB in March",
            "the statement's '1 billion' drops the source's currency ('1 billion RMB')",
        ),
        (
            "Acme raised a billion dollars.",
            "Acme secured over 1 billion yuan ($140 million) in May",
            "the statement's 'a billion dollars' does not say which currency",
        ),
        (
            "Acme raised less than 1 billion yuan.",
            "Acme raised 1 billion RMB in March",
            "the statement's 'less than 1 billion yuan' says 'less than', but the source writes '1 billion RMB'",
        ),
        (
            "Acme raised $140 million.",
            "Acme secured over 1 billion yuan ($140 million) in May",
            "the statement's '$140 million' drops the source's qualifier ('over 1 billion yuan ($140 million)')",
        ),
        (
            "A rival took US$2 billion.",
            "A rival took HK$2 billion",
            "the statement's 'US$2 billion' is in USD, but the source's 'HK$2 billion' is in HKD",
        ),
        (
            "A Tokyo fund gave 5 billion yuan.",
            "A Tokyo fund gave ¥5 billion",
            "the source's '¥5 billion' does not say which currency: '¥' is yen or yuan",
        ),
    ],
)
def test_attacks_on_a_statement_are_refused(project, statement, quote, message):
    found = with_source(project, statement, quote)
    assert any(message in p for p in found), found


@pytest.mark.parametrize(
    ("statement", "quote"),
    [
        ("Acme raised 1 billion yuan.", "Acme raised 1 billion RMB in March"),
        ("Acme raised about 1 billion yuan.", "Acme raised 1 billion RMB in March"),
        ("Acme secured at least 1 billion yuan.", "Acme secured over 1 billion yuan ($140 million) in May"),
        (
            "Acme secured over a billion yuan (US$140 million).",
            "Acme secured over 1 billion yuan ($140 million) in May",
        ),
        ("A Tokyo fund gave Acme ¥5 billion.", "A Tokyo fund gave ¥5 billion"),
    ],
)
def test_faithful_statements_pass(project, statement, quote):
    assert with_source(project, statement, quote) == []


def test_a_value_in_a_currency_the_source_leaves_open_is_refused(project):
    found = with_source(
        project,
        "A Tokyo fund gave Acme ¥5 billion.",
        "A Tokyo fund gave ¥5 billion",
        "    value: {amount: 5000000000, unit: JPY}\n",
    )
    assert found == [
        "facts/case.yaml:15:21: error: the amount 5,000,000,000 JPY: the source's '¥5 billion' does not say "
        "which currency: '¥' is yen or yuan"
    ]


def test_a_value_more_exact_than_its_source_is_refused_with_the_settings_that_would_pass(project):
    from helpers import with_hints

    with_source(
        project,
        "Acme secured over 1 billion yuan.",
        "Acme secured over 1 billion yuan ($140 million) in May",
        "    value: {amount: 1000000000, unit: CNY}\n",
    )
    assert with_hints(project) == [
        (
            "facts/case.yaml:15:21: error: the amount 1,000,000,000 CNY has qualifier 'none', "
            "but the source writes 'over 1 billion yuan'",
            "set 'qualifier: at-least' or 'qualifier: more-than'",
        )
    ]
