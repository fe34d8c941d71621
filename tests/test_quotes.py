"""The quote check: white space, Unicode form and typographic marks are forgiven; words are not."""

from __future__ import annotations

import hashlib
import os

import pytest
from helpers import problems, with_hints
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.quotes import ArchivedText, fold, normalise

SOURCE = ArchivedText(
    "The company’s founder said: “We will open‑source it.”The round—led by Harbour—closed.\n\n\n"
    "Ｆｕｌｌｗｉｄｔｈ text and\u00a0a non-breaking space."
)


@pytest.mark.parametrize(
    "quote",
    [
        "The company's founder said",  # straight apostrophe for a curly one
        'said: "We will open-source it."',  # straight quotes, plain hyphen for U+2011
        'open-source it." The round',  # a space where the copy runs sentences together
        "The round - led by Harbour - closed",  # spaced hyphens for unspaced em dashes
        "closed. Fullwidth text",  # blank lines, and NFKC-equivalent letters
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
    assert with_hints(project) == [
        (
            "facts/facts.yaml:15:16: error: quote not found in source 'planet' (planet.txt)",
            "matches the source up to 'Acme Robotics has raised 2 billion'; then the quote has "
            "'dollars ($280 million) in a round led by...' where the source has "
            "'yuan ($280 million) in a round led by Ha...'",
        )
    ]


def test_quote_that_is_nowhere_in_the_source(project):
    project.edit(
        "facts.yaml", 'quote: "We will open-source our arm controller this year."', "quote: Completely invented."
    )
    assert with_hints(project) == [
        (
            "facts/facts.yaml:41:16: error: quote not found in source 'planet' (planet.txt)",
            "no passage of the source starts like this quote; copy the words from the archived text",
        )
    ]


def test_quotes_of_disagreement_variants_are_checked_too(project):
    project.edit("disagreements.yaml", "quote: about $275 million", "quote: about $270 million")
    assert problems(project) == ["facts/disagreements.yaml:18:20: error: quote not found in source 'wire' (wire.txt)"]


def test_changed_archive_file_fails_its_checksum(project):
    (project.archive / "wire.txt").write_text("Something else entirely.\n", encoding="utf-8")
    actual = hashlib.sha256(b"Something else entirely.\n").hexdigest()
    assert problems(project) == [
        f"facts/sources.yaml:22:15: error: archive file 'wire.txt' does not match the recorded sha256; the file's is {actual}"
    ]


def test_missing_archive_file(project):
    (project.archive / "wire.txt").unlink()
    assert with_hints(project) == [
        (
            "facts/sources.yaml:21:13: error: archive file 'wire.txt' not found in ../archive",
            "add the text file, or fix the name",
        )
    ]


def test_symlinked_archive_file_is_refused(project, tmp_path):
    real = tmp_path / "elsewhere.txt"
    (project.archive / "wire.txt").rename(real)
    os.symlink(real, project.archive / "wire.txt")
    assert problems(project) == [
        "facts/sources.yaml:21:13: error: archive file 'wire.txt' is a symbolic link; archive the text itself"
    ]


def test_missing_archive_folder_counts_unverified_quotes(project):
    for path in project.archive.iterdir():
        path.unlink()
    project.archive.rmdir()
    expected = "../archive:1:1: warning: archive folder not found: 7 quotes in 2 sources went unverified"
    assert problems(project) == [expected]
    assert problems(project, strict=True) == [expected.replace("warning", "error")]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Mn", "Me", "Mc")), max_size=60))
def test_fast_fold_agrees_with_the_mapped_normalisation(text):
    """Matching uses `fold`; hints use `normalise`: they must fold alike (combining marks aside)."""
    assert fold(text) == normalise(text)[0]


def test_many_failing_quotes_are_all_reported_and_the_first_ones_hinted(project):
    """A file of wrong quotes costs about what a passing check does: the costly hint goes to the first few."""
    from scripts.quotes import HINTED, UNHINTED

    entries = "".join(
        f"  - id: wrong-{n}\n    statement: S {n}.\n    topic: funding\n    entities: [acme]\n"
        f"    citations:\n      - source: planet\n        quote: Acme Robotics has raised {n + 100} billion yuan\n"
        for n in range(HINTED + 5)
    )
    project.write("wrong.yaml", "facts:\n" + entries)
    found = [(m, h) for m, h in with_hints(project) if "quote not found" in m]
    assert len(found) == HINTED + 5
    assert [h for _, h in found].count(UNHINTED) == 5
    assert found[0][1].startswith("matches the source up to 'Acme Robotics has raised'")
