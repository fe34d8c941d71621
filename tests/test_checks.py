"""Cross-reference checks: unknown ids with the closest existing ones, duplicates with both places."""

from __future__ import annotations

import pytest
from helpers import fact_entry, only_problem, problems, with_hints


def test_unknown_source_names_the_id_and_suggests_the_closest(project):
    project.edit(
        "facts.yaml",
        '      - source: wire\n        quote: "May 2024.',
        '      - source: wires\n        quote: "May 2024.',
    )
    assert with_hints(project) == [
        ("facts/facts.yaml:31:17: error: unknown source 'wires'", "did you mean 'wire'?"),
    ]


def test_unknown_source_with_nothing_close(project):
    project.edit(
        "facts.yaml",
        '      - source: wire\n        quote: "May 2024.',
        '      - source: reuters\n        quote: "May 2024.',
    )
    assert with_hints(project) == [
        ("facts/facts.yaml:31:17: error: unknown source 'reuters'", "no source has a similar id; define it first"),
    ]


def test_unknown_entity_and_topic(project):
    project.edit("facts.yaml", "entities: [acme]", "entities: [acme, acme-robotics]")
    project.edit("facts.yaml", 'topic: company\n    date: "2019"', 'topic: companies\n    date: "2019"')
    assert with_hints(project) == [
        ("facts/facts.yaml:27:12: error: unknown topic 'companies'", "did you mean 'company'?"),
        ("facts/facts.yaml:29:22: error: unknown entity 'acme-robotics'", "did you mean 'acme'?"),
    ]


def test_same_fact_id_in_two_files_names_both_places(project):
    project.write("more.yaml", "facts:\n" + fact_entry("acme-founded"))
    assert only_problem(project) == (
        "facts/more.yaml:2:9: error: duplicate fact id 'acme-founded' (first defined at facts/facts.yaml:25:9)",
        "ids are unique: rename one of the two",
    )


def test_duplicate_entity_id_in_the_same_file(project):
    project.edit("entities.yaml", "  - id: ada-lovelace", "  - id: portville")
    assert problems(project)[0] == (
        "facts/entities.yaml:17:9: error: duplicate entity id 'portville' (first defined at facts/entities.yaml:13:9)"
    )


def test_unused_source_and_entity_warn_and_fail_when_strict(project):
    project.edit(
        "entities.yaml",
        "  - id: ada-lovelace",
        "  - id: grace-hopper\n    name: Grace Hopper\n    kind: person\n    description: x\n  - id: ada-lovelace",
    )
    assert problems(project) == ["facts/entities.yaml:17:9: warning: entity 'grace-hopper' is not named by any fact"]
    assert problems(project, strict=True) == [
        "facts/entities.yaml:17:9: error: entity 'grace-hopper' is not named by any fact"
    ]


def test_unused_checks_wait_while_entries_are_broken(project):
    # The only fact naming ada-lovelace is invalid: report that, not a knock-on "unused" warning.
    project.edit("facts.yaml", "claimed_by: [ada-lovelace]", "claimed_by: ada-lovelace")
    assert problems(project) == [
        "facts/facts.yaml:38:17: error: fact 'open-source-promise': field 'claimed_by' must be a list, not 'ada-lovelace'"
    ]


@pytest.mark.parametrize(
    ("folder", "name", "message", "hint"),
    [
        (
            "facts",
            "briefing.yaml",
            "facts/disagreements.yaml:1:1: error: no 'briefing:' section in any registry file",
            "add one to facts/briefing.yaml",
        ),
        (
            "archive",
            "wire.txt",
            "facts/sources.yaml:21:13: error: archive file 'wire.txt' not found in ../archive",
            "add the text file, or fix the name",
        ),
    ],
)
def test_a_missing_file_is_one_located_problem(project, folder, name, message, hint):
    (getattr(project, folder) / name).unlink()
    assert only_problem(project) == (message, hint)


def test_key_point_and_key_number_must_name_facts_with_values(project):
    project.edit(
        "briefing.yaml", "key_points: [may-2024-round, acme-founded]", "key_points: [may-2024-round, acme-founding]"
    )
    project.edit("briefing.yaml", "fact: may-2024-round", "fact: acme-founded")
    assert with_hints(project) == [
        ("facts/briefing.yaml:7:32: error: unknown fact 'acme-founding'", "did you mean 'acme-founded'?"),
        ("facts/briefing.yaml:9:13: error: key number 'The May 2024 round': fact 'acme-founded' has no value", None),
    ]


def test_converted_figure_must_come_from_a_cited_source(project):
    project.edit(
        "facts.yaml",
        "qualifier: about, source: wire}",
        "qualifier: about, source: planet}\n      - {amount: 1, unit: USD, source: wire}",
    )
    project.edit(
        "facts.yaml", '      - source: wire\n        quote: "secured', '      - source: planet\n        quote: "secured'
    )
    found = problems(project)
    assert (
        "facts/facts.yaml:12:40: error: converted figure comes from 'wire', which fact 'may-2024-round' does not cite"
        in found
    )


def test_controlled_by_must_point_to_a_fact_naming_both(project):
    project.edit("entities.yaml", "fact: harbour-control}", "fact: acme-founded}")
    assert problems(project) == [
        "facts/entities.yaml:12:46: error: fact 'acme-founded' does not name both 'harbour-capital' and 'portville'"
    ]


def test_single_variant_disagreement_must_be_erroneous(project):
    text = (project.facts / "disagreements.yaml").read_text(encoding="utf-8")
    second = text[text.index("      - claim: About $275 million") : text.index("    note: Both convert")]
    project.edit("disagreements.yaml", second, "")
    assert problems(project) == [
        "facts/disagreements.yaml:8:7: error: disagreement 'may-round-dollars' has one variant that is not marked erroneous"
    ]


def test_quote_over_forty_words(project):
    words = " ".join(["word"] * 41)
    project.edit("facts.yaml", "quote: Harbour Capital is controlled by the city of Portville.", f"quote: {words}")
    found = with_hints(project)
    assert (
        "facts/facts.yaml:24:16: error: quote is 41 words long; the limit is 40",
        "quote only the words that carry the claim",
    ) in found


def test_unknown_source_of_a_converted_figure(project):
    project.edit("facts.yaml", "unit: USD, source: planet}", "unit: USD, source: plnet}")
    assert with_hints(project) == [("facts/facts.yaml:10:48: error: unknown source 'plnet'", "did you mean 'planet'?")]


def test_the_checks_fill_nothing_they_are_given(project):
    """The checks return what they find: the registry after them is the registry before, byte for byte.

    Before: the coverage check wrote each source's sentences into `registry.sentences`, so what a
    page showed depended on whether that check had run on the registry it was given.
    """
    import pickle
    from pathlib import Path

    from briefing.pipeline import Options, check, load

    options = Options(root=project.root, sources=project.archive, strict=True, site_dir=Path("site"))
    registry = load(options).registry
    before = pickle.dumps(registry)
    checked = check(registry, options)
    assert pickle.dumps(registry) == before
    assert set(checked.quotes.sentences) == {s.id for s in registry.sources}  # what coverage found is returned
