"""The quote check: white space, Unicode form and typographic marks are forgiven; words are not."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import only_problem, problems, with_hints
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefing.check.matching import ArchivedText, normalise
from briefing.check.misquotes import diagnose
from briefing.problems import Loc

SOURCE = ArchivedText(
    "The company’s founder said: “We will open‑source it.”The round—led by Harbour—closed.\n\n\n"
    "Ｆｕｌｌｗｉｄｔｈ text and\u00a0a non-breaking space. Cafe\u0301 society paid $140 million, or 1,000 yuan."
)


@pytest.mark.parametrize(
    "quote",
    [
        "The company's founder said",  # straight apostrophe for a curly one
        'said: "We will open-source it."',  # straight quotes, plain hyphen for U+2011
        'open-source it." The round',  # a space where the copy runs sentences together
        "The round - led by Harbour - closed",  # spaced hyphens for unspaced em dashes
        "closed. Ｆｕｌｌｗｉｄｔｈ text",  # blank lines
        "Caf\u00e9 society paid",  # é as one character where the source has e and a combining accent
        "and a non-breaking space",
        "The   company’s\nfounder",
    ],
)
def test_forgiven_differences(quote):
    assert SOURCE.contains(quote)


@pytest.mark.parametrize(
    "quote",
    [
        "The company's founder says",  # one changed word
        "The companys founder said",  # a dropped apostrophe is a different word
        "Thecompany's founder said",  # two words run into one
        "The company's fo under said",  # a word split in two
        "the company's founder said",  # case differs
        "",
        "   ",
        "closed. Fullwidth text",  # the source prints fullwidth letters: a look-alike is not the same
        "Cafe society paid",  # an accent dropped
        "40 million, or",  # cut out of "$140 million"
        "000 yuan",  # cut out of "1,000"
        "paid $1",  # the start of "$140"
        "ompany's founder said",  # starts inside a word
        "The company's found",  # ends inside a word
    ],
)
def test_real_differences_fail(quote):
    assert not SOURCE.contains(quote)


def test_normalise_maps_back_to_the_original():
    folded, where = normalise("a\u2019  b")
    assert folded == "a'b"
    assert where == [0, 1, 4]
    folded, where = normalise("a  b")
    assert (folded, where) == ("a b", [0, 1, 3])


def test_quote_with_one_changed_word_fails_with_a_located_hint(project):
    project.edit(
        "facts.yaml",
        'quote: "Acme Robotics has raised 2 billion yuan ($280 million)',
        'quote: "Acme Robotics has raised 2 billion dollars ($280 million)',
    )
    assert only_problem(project) == (
        "facts/facts.yaml:15:16: error: quote not found in source 'planet' (planet.txt)",
        "matches the source up to 'Acme Robotics has raised 2 billion'; then the quote has "
        "'dollars ($280 million) in a round led by...' where the source has "
        "'yuan ($280 million) in a round led by Ha...'",
    )


def test_quote_that_is_nowhere_in_the_source(project):
    project.edit(
        "facts.yaml",
        'quote: "We will open-source our arm controller this year."',
        "quote: Completely invented words here.",
    )
    assert only_problem(project) == (
        "facts/facts.yaml:41:16: error: quote not found in source 'planet' (planet.txt)",
        "no passage of the source starts like this quote; copy the words from the archived text",
    )


def test_quotes_of_disagreement_variants_are_checked_too(project):
    project.edit("disagreements.yaml", "quote: about $275 million", "quote: roughly $275 million")
    assert problems(project) == ["facts/disagreements.yaml:19:20: error: quote not found in source 'wire' (wire.txt)"]


def test_changed_archive_file_fails_its_checksum(project):
    (project.archive / "wire.txt").write_text("Something else entirely.\n", encoding="utf-8")
    actual = hashlib.sha256(b"Something else entirely.\n").hexdigest()
    assert problems(project) == [
        f"facts/sources.yaml:22:15: error: archive file 'wire.txt' does not match the recorded sha256; the file's is {actual}"
    ]


def test_missing_archive_folder_counts_unverified_quotes(project):
    for path in project.archive.iterdir():
        path.unlink()
    project.archive.rmdir()
    expected = "../archive:1:1: warning: archive folder not found: 7 quotes in 2 sources went unverified"
    assert problems(project) == [expected]
    assert problems(project, strict=True) == [expected.replace("warning", "error")]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
        min_size=3,
        max_size=12,
    ),
    st.data(),
)
def test_any_run_of_whole_words_is_found_and_shown_as_printed(words, data):
    """A quote of whole words from a text is found, and shown in the text's own characters."""
    words = [w for w in (" ".join(w.split()) for w in words) if w]
    assume(words)  # words of spaces only leave no word to quote
    text = ArchivedText(" ".join(words) + ".")
    start = data.draw(st.integers(0, max(0, len(words) - 1)))
    end = data.draw(st.integers(start + 1, len(words)))
    quote = " ".join(words[start:end])
    span = text.find(quote)
    if span is not None:
        assert text.shown(span) == " ".join(quote.split())
    if all(w[0].isalnum() and w[-1].isalnum() and w.isalnum() and w.isascii() for w in words):
        assert span is not None


def write_wrong_quotes(project, count: int, quote: str) -> None:
    """A file of `count` facts, each citing planet with `quote` ({n} in it made the fact's number)."""
    entries = "".join(
        f"  - id: wrong-{n}\n    statement: S {n}.\n    topic: funding\n    entities: [acme]\n"
        f"    citations:\n      - source: planet\n        quote: {quote.format(n=n)}\n"
        for n in range(count)
    )
    project.write("wrong.yaml", "facts:\n" + entries)


def test_many_failing_quotes_are_all_reported_and_the_first_ones_hinted(project):
    """A file of wrong quotes costs about what a passing check does: the costly hint goes to the first few."""
    from briefing.check.quotes import HINTED, UNHINTED

    write_wrong_quotes(project, HINTED + 5, "Acme Robotics has raised 1{n:02d} billion yuan")
    found = [(m, h) for m, h in with_hints(project) if "quote not found" in m]
    assert len(found) == HINTED + 5
    assert [h for _, h in found].count(UNHINTED) == 5
    assert found[0][1].startswith("matches the source up to 'Acme Robotics has raised'")


PLANET = ArchivedText("Acme Robotics has raised 2 billion yuan ($280 million) in a round. The ﬁrm is new.")


@pytest.mark.parametrize(
    ("quote", "code", "message"),
    [
        ("cme Robotics has raised", "quote-cut-mid-word", "quote starts or ends inside a word or a number in P"),
        ("Robotics has raised 2 billion yua", "quote-cut-mid-word", "quote starts or ends inside a word or a number in P"),
        ("80 million) in a round", "quote-cut-mid-word", "quote starts or ends inside a word or a number in P"),
        ("Ａｃｍｅ Robotics has raised", "quote-look-alike", "quote matches in P only if look-alike characters "
         "(fullwidth, mathematical, superscript, ligatures) count as the same"),
        ("The firm is new", "quote-look-alike", "quote matches in P only if look-alike characters "
         "(fullwidth, mathematical, superscript, ligatures) count as the same"),
        ("Acme Robotics has raised 3 billion yuan", "quote-not-found", "quote not found in P"),
        ("Completely invented words", "quote-not-found", "quote not found in P"),
    ],
)  # fmt: skip
def test_each_diagnosis_of_a_quote_not_found_has_its_own_code(quote, code, message):
    """Tools and tests match on the code: a quote cut inside a word, one typed in look-alike characters, other words."""
    assert not PLANET.contains(quote)
    loc = Loc("facts/a.yaml", 3, 16)
    found = diagnose(PLANET, quote, loc, "in P")
    assert (found.code, found.message, found.loc, found.severity) == (code, message, loc, "error")


def test_the_check_reports_each_diagnosis_with_its_code_and_the_quotes_past_the_first_ones_as_not_found(project):
    """Past HINTED failures the quotes are not diagnosed (that is what costs): their code is quote-not-found."""
    from briefing.check.quotes import HINTED, UNHINTED
    from briefing.pipeline import Options, gather

    write_wrong_quotes(project, HINTED + 2, "cme Robotics has raised 2 billion yuan")
    _, found = gather(Options(root=project.root, sources=project.archive, strict=False, site_dir=Path("site")))
    codes = [(p.code, p.hint == UNHINTED) for p in found if p.code.startswith("quote-")]
    assert codes == [("quote-cut-mid-word", False)] * HINTED + [("quote-not-found", True)] * 2
    assert [p.message for p in found if p.code == "quote-not-found"] == [
        "quote not found in source 'planet' (planet.txt)"
    ] * 2


@pytest.mark.parametrize(
    ("quote", "message", "hint"),
    [
        (".", "quote '.' is too short to be evidence", None),
        ("led by", "quote 'led by' is too short to be evidence", None),  # two words
        ("in the and", "quote 'in the and' is too short to be evidence", None),  # common words only
        ("in a round", None, None),  # three words, one of them not a stop word: enough
        (
            "cme Robotics has raised 2 billion yuan",
            "quote starts or ends inside a word or a number in source 'planet' (planet.txt)",
            "the source's words there are 'Acme Robotics has raised 2 billion yuan': quote whole words, and whole numbers",
        ),
        (
            "80 million) in a round led by Harbour Capital",
            "quote starts or ends inside a word or a number in source 'planet' (planet.txt)",
            "the source's words there are '280 million) in a round led by Harbour Capital': "
            "quote whole words, and whole numbers",
        ),
        (
            "Ａｃｍｅ Robotics has raised 2 billion yuan",
            "quote matches in source 'planet' (planet.txt) only if look-alike characters (fullwidth, mathematical, "
            "superscript, ligatures) count as the same",
            "the source prints 'Acme Robotics has raised 2 billion yuan': copy its characters",
        ),
        (
            "𝐀𝐜𝐦𝐞 Robotics has raised 2 billion yuan",
            "quote matches in source 'planet' (planet.txt) only if look-alike characters (fullwidth, mathematical, "
            "superscript, ligatures) count as the same",
            "the source prints 'Acme Robotics has raised 2 billion yuan': copy its characters",
        ),
        (
            "2 billion yuan ($²⁸⁰ million)",
            "quote matches in source 'planet' (planet.txt) only if look-alike characters (fullwidth, mathematical, "
            "superscript, ligatures) count as the same",
            "the source prints '2 billion yuan ($280 million)': copy its characters",
        ),
    ],
)
def test_quotes_that_prove_nothing_are_refused_at_their_place(project, quote, message, hint):
    project.edit(
        "facts.yaml",
        '"Acme Robotics has raised 2 billion yuan ($280 million) in a round led by Harbour Capital"',
        f'"{quote}"',
    )
    # Whether the quote still carries the statement's figures is the support check's (test_evidence.py).
    found = [(p, h) for p, h in with_hints(project) if ":15:16:" in p and "statement's figures" not in p]
    if message is None:
        assert found == []
        return
    hints = {p.removeprefix("facts/facts.yaml:15:16: error: "): h for p, h in found}
    assert message in hints
    if hint:
        assert hints[message] == hint
        assert len(found) == 1


def test_published_quotes_are_the_archives_characters(site_project):
    """Typed with straight marks, shown as the source prints them (curly), on every output."""
    site_project.edit(
        "facts.yaml",
        'quote: "We will open-source our arm controller this year."',
        "quote: 'The company''s founder, Ada Lovelace, said: \"We will open-source our arm controller this year.\"'",
    )
    assert site_project.run("build", "--strict").returncode == 0
    printed = "The company’s founder, Ada Lovelace, said: “We will open-source our arm controller this year.”"
    source_page = (site_project.root / "site" / "sources" / "planet" / "index.html").read_text(encoding="utf-8")
    assert printed in source_page and "The company's founder" not in source_page
    topic_page = (site_project.root / "site" / "topics" / "company" / "index.html").read_text(encoding="utf-8")
    assert printed in topic_page  # the footnote
    citations = (site_project.root / "site" / "data" / "citations.csv").read_text(encoding="utf-8")
    assert printed.replace('"', '""') in citations or printed in citations


CONTRACTIONS = ArchivedText(
    "Officials said Zhipu can\u2019t list in Hong Kong. Zhipu won't wait. Zhipu\u2019s rivals will. He said "
    "\u2018no\u2019 and left. The investors\u2019 money stays. It targets leadership by 20301. Its rivalries2. "
    "The context window holds 20480 tokens. Its limit is 20480."
)


@pytest.mark.parametrize(
    "quote",
    [
        "Officials said Zhipu can",  # cut from "can't"
        "Officials said Zhipu can'",  # ends on the apostrophe of "can't"
        "t list in Hong Kong",  # starts after it
        "'t list in Hong Kong",  # starts on it
        "Hong Kong. Zhipu won",  # cut from "won't"
        "Zhipu won't wait. Zhipu",  # cut from "Zhipu's"
        "The context window holds 2048",  # a number cut to a year, a word after it
        "Its limit is 2048",  # at a sentence's end too: "is" does not take a year
    ],
)
def test_a_quote_cannot_end_inside_a_contraction_possessive_or_number(quote):
    assert not CONTRACTIONS.contains(quote)
    found = diagnose(CONTRACTIONS, quote, Loc("facts/a.yaml"), "in source 'a' (a.txt)")
    assert (found.message, found.code) == (
        "quote starts or ends inside a word or a number in source 'a' (a.txt)",
        "quote-cut-mid-word",
    )


def test_the_year_at_the_end_of_a_sentence_stands_only_in_a_text_with_footnotes():
    assert not ArchivedText("Its limit is 20480. It is new.").contains("Its limit is 2048")


@pytest.mark.parametrize(
    "quote",
    [
        "Officials said Zhipu can't list",
        "Zhipu's rivals will",
        "He said 'no' and left",  # quote marks, not contractions: the fold ran "said 'no' and" together
        "He said",
        "no' and left",
        "The investors",  # a plural possessive ends the word
        "The investors' money stays",
        "It targets leadership by 2030",  # footnote 1 printed against the year
        "Its rivalries",  # footnote 2 printed against the word
        "The context window holds 20480 tokens",
    ],
)
def test_whole_words_around_apostrophes_are_found(quote):
    assert CONTRACTIONS.contains(quote)


def test_the_hint_shows_the_whole_contraction(project):
    project.edit("facts.yaml", 'quote: "We will open-source our arm controller this year."', "quote: The company")
    assert (
        "facts/facts.yaml:41:16: error: quote starts or ends inside a word or a number in source 'planet' (planet.txt)",
        "the source's words there are 'The company’s': quote whole words, and whole numbers",
    ) in with_hints(project)
