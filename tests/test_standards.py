"""Standards checks: hedges, who reports, erroneous wording, statements that stand alone, dates of an
outlet's own words, investors, reasons for ranks; warnings in `check`, errors with --strict."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from conftest import BRIEFING, REPO
from helpers import problems

from briefing.check.erroneous import owned_wording as _owned_wording
from briefing.check.erroneous import repeats as _repeats
from briefing.check.standards import check_standards
from briefing.check.wording import attributed, outlet_names, words
from briefing.check.wording import hedges_in as _hedges
from briefing.load.model import Basis, Source
from briefing.load.registry import load_registry
from briefing.render.funding import investor_ids
from briefing.render.pages import render_site

SOURCES = REPO.parent / "shared" / "sources"


def _source(publisher: str, *based_on: Basis) -> Source:
    return Source("s", "t", publisher, None, "repost", "f.txt", "0" * 64, "r", "s", None, None, None, based_on)


# --- the rules, as the contributor meets them ---------------------------------------------


def test_a_standards_problem_is_a_warning_in_check_and_an_error_with_strict(project):
    project.edit("facts.yaml", "statement: Acme was founded in 2019.", "statement: It was founded in 2019.")
    message = (
        "facts/facts.yaml:26:16: {}: fact 'acme-founded': the statement opens on 'It', which points back to "
        "something it does not name"
    )
    assert problems(project) == [message.format("warning")]
    assert problems(project, strict=True) == [message.format("error")]
    assert project.run("check").returncode == 0
    assert project.run("check", "--strict").returncode == 1


def test_the_fixture_and_the_real_registry_keep_every_standard(project):
    assert problems(project, strict=True) == []
    registry, found = load_registry(REPO / "facts", REPO)
    assert found == []
    assert [str(p) for p in check_standards(registry, strict=True)] == []


def test_the_real_briefing_checks_with_no_warning(tmp_path):
    """`briefing check --strict` on a copy of the real registry, against its archive: no error, no warning."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    env = {**os.environ, "BRIEFING_SOURCES": str(SOURCES)}
    result = subprocess.run([BRIEFING, "check", "--strict"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "0 error(s), 0 warning(s)" in result.stderr or "warning" not in result.stderr


# --- hedges and owners ----------------------------------------------------------------------


def test_hedges_are_whole_words_in_any_case_and_spacing():
    assert _hedges("Acme has REPORTEDLY won") == ["REPORTEDLY"]
    assert _hedges("Acme is   expected\nto win") == ["is expected to", "expected to"]
    assert _hedges("Acme won, according to the company.") == ["according to"]
    assert _hedges("The mayor spoke; Acme planned toys; it couldn’t") == []


def test_may_the_month_is_not_a_hedge_but_may_the_verb_is():
    assert _hedges("Acme opened in May 2025, by May, in early May, on 3 May") == []
    assert _hedges("Acme may open an office") == ["may"]
    assert _hedges("Acme MAY open an office") == ["MAY"]
    assert _hedges("May Acme open an office?") == ["May"]


def test_an_owner_owns_a_claim_only_with_a_verb_of_saying():
    owners = [tuple(words("Case Gazette"))]
    assert attributed("Case Gazette’s  commentary says Acme won", owners)
    assert attributed("CASE GAZETTE reports that Acme won", owners)
    assert attributed("Acme won, according to Case Gazette", owners)
    assert attributed("Acme won, as quoted by Case Gazette", owners)
    assert not attributed("Acme won, Case Gazette.", owners)
    assert not attributed("Case Gazette is a paper; Acme won a prize, some say", owners)  # too far
    assert not attributed("People say Acme won", owners)
    assert not attributed("Case Gazetteer says Acme won", owners)


def test_an_outlet_goes_by_its_publisher_and_the_outlet_it_copies():
    names = outlet_names(_source("AsianFin via feedman.me", Basis("repost", name="AsianFin (TMTPost)")))
    assert {"AsianFin", "TMTPost", "feedman.me", "feedman"} <= set(names)
    assert "BitcoinEthereumNews" in outlet_names(_source("BitcoinEthereumNews.com"))
    cited = _source("Case Gazette", Basis("cites", name="Reuters"))
    assert "Reuters" not in outlet_names(cited)  # a document it cites is not who it is


# --- erroneous wording ------------------------------------------------------------------------


def test_erroneous_wording_is_allowed_only_as_a_cited_outlets_wording():
    owners = [tuple(words("AsianFin"))]
    wrong = tuple(words("OpenAI for Nations"))
    assert not _repeats("Zhipu (AsianFin’s wording: “Chinese version of OpenAI for Nations”)", wrong, owners)
    assert not _repeats('Zhipu (AsianFin \'s  wording :  "OpenAI for Nations")', wrong, owners)
    assert _repeats('Zhipu (Reuters\' wording: "OpenAI for Nations")', wrong, owners)
    assert _repeats('AsianFin calls it "OpenAI for Nations"', wrong, owners)
    assert _repeats('(AsianFin\'s wording: "x") and openai   FOR nations', wrong, owners)
    assert _repeats("the OpenAI-for-Nations programme", wrong, owners)
    assert not _repeats("OpenAI for Countries", wrong, owners)
    assert _owned_wording("as AsianFin's wording: ", owners)
    assert not _owned_wording("as NotAsianFin's wording: ", owners)


def test_the_real_registry_no_longer_addresses_an_error():
    registry, _ = load_registry(REPO / "facts", REPO)
    ids = {e.id for e in registry.entities} | {f.id for f in registry.facts}
    assert not [i for i in ids if "for-nations" in i]
    assert "openai-for-countries" in ids
    names = [n for e in registry.entities for n in (e.name, *e.aliases)]
    assert not [n for n in names if re.search(r"for nations", n, re.I)]


# --- investors and the funding table -------------------------------------------------------


def test_a_place_among_a_rounds_entities_is_not_listed_as_an_investor(project):
    project.edit("facts.yaml", "entities: [acme, harbour-capital]\n", "entities: [acme, harbour-capital, portville]\n")
    registry, _ = load_registry(project.facts, project.root)
    table = _funding_table(render_site(registry)["topics/funding/index.md"])
    assert "harbour-capital" in table and "portville" not in table and "entities/acme/" not in table


def test_a_rounds_named_investors_are_the_ones_listed(project):
    project.edit(
        "facts.yaml",
        "entities: [acme, harbour-capital]\n",
        "entities: [acme, harbour-capital, ada-lovelace]\n    investors: [ada-lovelace]\n",
    )
    registry, _ = load_registry(project.facts, project.root)
    table = _funding_table(render_site(registry)["topics/funding/index.md"])
    assert "entities/ada-lovelace/" in table and "harbour-capital" not in table


def test_a_new_briefing_does_not_list_its_company_as_its_own_investor(tmp_path):
    folder = tmp_path / "new"
    result = subprocess.run(
        [BRIEFING, "init", "--subject", "Example Robotics", str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    facts = folder / "facts" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    round_fact = text.split("#\n# Disagreements")[0] + (
        "  - id: first-round\n"
        "    statement: Example Robotics raised money from Portville Fund in Portville.\n"
        "    topic: overview\n"
        "    entities: [example-robotics, portville-fund, portville]\n"
        "    tags: [funding-round]\n"
        "    citations:\n"
        "      - source: example-source\n"
        '        quote: "Example Robotics is the subject of this briefing."\n'
    )
    facts.write_text(round_fact, encoding="utf-8")
    with (folder / "facts" / "entities.yaml").open("a", encoding="utf-8") as out:
        out.write(
            "  - id: portville-fund\n    name: Portville Fund\n    kind: organisation\n    description: A fund.\n"
            "  - id: portville\n    name: Portville\n    kind: place\n    description: A city.\n"
        )
    registry, found = load_registry(folder / "facts", folder)
    assert found == []
    (fact,) = [f for f in registry.facts if f.id == "first-round"]
    index_like = type("I", (), {"briefing": registry.briefing, "entities": {e.id: e for e in registry.entities}})
    assert investor_ids(index_like, fact) == ("portville-fund",)
    table = _funding_table(render_site(registry)["topics/overview/index.md"])
    assert "entities/portville-fund/" in table
    assert "entities/example-robotics/" not in table and "entities/portville/" not in table


def test_the_real_funding_table_lists_no_place_and_not_the_company():
    registry, _ = load_registry(REPO / "facts", REPO)
    entities = {e.id: e for e in registry.entities}
    index_like = type("I", (), {"briefing": registry.briefing, "entities": entities})
    listed = {i for f in registry.facts if "funding-round" in f.tags for i in investor_ids(index_like, f)}
    assert listed and not [i for i in listed if entities[i].kind == "place"]
    assert registry.briefing.subject not in listed


def _funding_table(page: str) -> str:
    """The funding table's Investors cells."""
    return " ".join(re.findall(r'<td data-label="Investors">(.*?)</td>', page))
