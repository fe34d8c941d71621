"""Schema validation: each rule's exact message, at the exact place, all reported together."""

from __future__ import annotations

import pytest
from helpers import problems, with_hints


def test_fixture_registry_is_clean(project):
    assert problems(project, strict=True) == []


def test_misspelled_key_names_the_key_and_suggests_the_right_one(project):
    project.edit(
        "facts.yaml", "      - source: planet\n        quote: Harbour", "      - sorce: planet\n        quote: Harbour"
    )
    found = with_hints(project)
    assert (
        "facts/facts.yaml:23:9: error: fact 'harbour-control': unknown field 'sorce'",
        "did you mean 'source'?",
    ) in found
    assert ("facts/facts.yaml:23:9: error: fact 'harbour-control': missing required field 'source'", None) in found


def test_fact_without_citations(project):
    project.edit(
        "facts.yaml",
        """    citations:
      - source: wire
        quote: "May 2024. The firm was founded in 2019."
""",
        "",
    )
    assert problems(project) == [
        "facts/facts.yaml:25:5: error: fact 'acme-founded': missing required field 'citations'"
    ]


def test_fact_with_empty_citation_list(project):
    project.edit(
        "facts.yaml",
        """    citations:
      - source: wire
        quote: "May 2024. The firm was founded in 2019."
""",
        "    citations: []\n",
    )
    assert problems(project) == ["facts/facts.yaml:30:16: error: fact 'acme-founded': field 'citations' is empty"]


def test_impossible_date_is_an_error_with_its_line(project):
    project.edit("facts.yaml", "date: 2024-05-03", "date: 2024-02-30")
    assert problems(project) == [
        "facts/facts.yaml:36:11: error: fact 'open-source-promise': field 'date' '2024-02-30' is not a real date"
    ]


@pytest.mark.parametrize(
    "old, new, where",
    [
        ("date: 2024-05-03", "date: 3 May 2024", "36:11: error: fact 'open-source-promise': field 'date' '3 May 2024'"),
        ('date: "2019"', "date: 1:30:00", "28:11: error: fact 'acme-founded': field 'date' '1:30:00'"),  # sexagesimal
    ],
    ids=["words", "sexagesimal-is-not-converted"],
)
def test_malformed_date(project, old, new, where):
    project.edit("facts.yaml", old, new)
    assert problems(project) == [f"facts/facts.yaml:{where} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"]


def test_bare_year_is_accepted(project):
    project.edit("facts.yaml", 'date: "2019"', "date: 2019")
    assert problems(project) == []


def test_norway_problem_is_caught_by_the_schema(project):
    project.edit("facts.yaml", "value: {amount: 2000000000, unit: CNY}", "value: {amount: 010, unit: NO}")
    assert problems(project) == [
        "facts/facts.yaml:8:21: error: fact 'may-2024-round': field 'amount' must be a number, not '010'",
        "facts/facts.yaml:8:32: error: fact 'may-2024-round': field 'unit' 'NO' is not a unit: an ISO currency "
        "code like CNY or USD, or a lowercase word like parameters",
    ]


@pytest.mark.parametrize(
    "bad_id",
    ["Acme/../x", "acme robotics", "Acme", "acme--x", "../etc", "-acme"],
)
def test_ids_must_be_slugs(project, bad_id):
    project.edit("entities.yaml", "  - id: portville", f"  - id: {bad_id!r}")
    found = problems(project)
    assert (
        f"facts/entities.yaml:13:9: error: entity #3: field 'id' {bad_id!r} is not a valid id: "
        "use lowercase letters, digits and single hyphens (like 'march-2025-round')"
    ) in found


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "/relative/path", "planet.example/x", "https://a b"],
)
def test_url_must_be_absolute_http(project, url):
    project.edit("sources.yaml", "url: https://planet.example/acme?id=1&ref=feed", f"url: {url!r}")
    assert problems(project) == [
        f"facts/sources.yaml:8:10: error: source 'planet': field 'url' {url!r} is not an absolute http:// or "
        "https:// address"
    ]


@pytest.mark.parametrize("char", ["\u202e", "\u200f", "\u061c", "\u2066"])
def test_bidi_and_control_characters_in_text(project, char):
    project.edit("facts.yaml", "statement: Acme was founded", f'statement: "Acme was{char} founded')
    project.edit("facts.yaml", "in 2019.\n    topic: company", 'in 2019."\n    topic: company')
    assert with_hints(project) == [
        (
            f"facts/facts.yaml:26:16: error: fact 'acme-founded': field 'statement' contains the invisible "
            f"character U+{ord(char):04X}, which is not allowed",
            "delete it and retype the text around it",
        )
    ]


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd", "../planet.txt", "sub/planet.txt", "..\\planet.txt", "planet\\x.txt", ".hidden", "a\u0000b"],
)
def test_archive_file_must_be_a_plain_name(project, name):
    project.edit("sources.yaml", "file: planet.txt", f"file: {name!r}".replace("'a\\x00b'", '"a\\0b"'))
    found = problems(project)
    assert found[0].startswith("facts/sources.yaml:11:13: error: source 'planet': field 'file'")
    assert found[0].endswith(
        "is not a plain file name inside the archive folder (no folders, '..', backslashes or leading dot)"
    )


def test_unknown_enum_value_suggests_the_closest(project):
    project.edit("entities.yaml", "kind: place", "kind: plase")
    assert with_hints(project) == [
        (
            "facts/entities.yaml:15:11: error: entity 'portville': field 'kind' is 'plase'; use one of: organisation, "
            "person, place, model, product, programme, policy",
            "did you mean 'place'?",
        )
    ]


def test_all_problems_of_all_files_in_one_run(project):
    project.edit("facts.yaml", "date: 2024-05-03", "date: 2024-02-30")
    project.edit("entities.yaml", "kind: place", "kind: plase")
    project.edit("sources.yaml", "kind: repost", "kind: reposted")
    assert [p.split(": error")[0] for p in problems(project)] == [
        "facts/entities.yaml:15:11",
        "facts/facts.yaml:36:11",
        "facts/sources.yaml:19:11",
    ]


def test_file_that_is_not_a_mapping(project):
    project.write("extra.yaml", "- just\n- a list\n")
    assert with_hints(project) == [
        (
            "facts/extra.yaml:1:1: error: a registry file must be a mapping of sections",
            "start with one of: 'briefing:', 'topics:', 'sources:', 'entities:', 'facts:', 'disagreements:', "
            "'coverage:', 'retractions:'",
        )
    ]


def test_unknown_section(project):
    project.write("extra.yaml", "fact:\n  - id: x\n")
    assert with_hints(project)[0] == (
        "facts/extra.yaml:1:1: error: file: unknown field 'fact'",
        "did you mean 'facts'?",
    )


def test_blank_text_is_refused(project):
    project.edit("facts.yaml", "statement: Acme was founded in 2019.", 'statement: "   "')
    assert problems(project) == ["facts/facts.yaml:26:16: error: fact 'acme-founded': field 'statement' is blank"]


def test_independent_sources_follow_lineage_and_via():
    """A repost, a rewrite or a teaser counts with what it is made from; one wire via two outlets counts once."""
    from briefing.load.model import Basis, Citation, Source, independent_sources

    def source(sid: str, publisher: str, *based_on: Basis) -> Source:
        return Source(
            sid, "T", publisher, None, "news-report", "f.txt", "0" * 64, "R.", "S.", None, None, None, based_on
        )

    sources = {
        "original": source("original", "Cryptopolitan"),
        "repost": source("repost", "BitcoinEthereumNews.com", Basis("repost", source="original")),
        "repost-by-name": source("repost-by-name", "Aggregator", Basis("repost", name="Cryptopolitan")),
        "citing": source("citing", "Tech in Asia", Basis("cites", name="Reuters")),
        "other": source("other", "AsianFin"),
    }

    def cite(sid: str, via: str | None = None) -> Citation:
        return Citation(sid, "q", None, None, None, via)

    assert independent_sources((cite("original"), cite("repost")), sources) == 1
    assert independent_sources((cite("repost"), cite("repost-by-name"), cite("original")), sources) == 1
    assert independent_sources((cite("citing"), cite("other")), sources) == 2  # citing Reuters is not being Reuters
    assert independent_sources((cite("citing", "Reuters"), cite("other", " reuters ")), sources) == 1
