"""Evidence: a shown speaker stands in the source, one document is one source, counted sources carry
the statement, and each quote's link to the publisher's page finds that quote and no other."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from helpers import problems, with_hints

from briefing.check.evidence import paragraph
from briefing.check.fragments import fragment_context, text_fragment
from briefing.load.model import independent_sources
from briefing.load.registry import load_registry
from briefing.pipeline import Options, check
from briefing.render.pages import render_site

REPO = Path(__file__).resolve().parent.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"


def add_source(project, source_id: str, text: str, url: str | None = None) -> None:
    """An archive file and its source entry, appended to the fixture's sources."""
    (project.archive / f"{source_id}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    address = f"    url: {url}\n" if url else ""
    entry = f"""  - id: {source_id}
    title: A test source
    publisher: Publisher of {source_id}
    published: 2024-05
{address}    kind: news-report
    archive:
      file: {source_id}.txt
      sha256: {digest}
    reliability: A test.
    summary: A test.
"""
    path = project.facts / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")


def add_fact(project, text: str) -> None:
    path = project.facts / "facts.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def rendered(project) -> dict[str, str]:
    registry, found = load_registry(project.facts, project.root)
    assert found == []
    options = Options(root=project.root, sources=project.archive, strict=True, site_dir=Path("site"))
    found = check(registry, options)
    assert found.problems == []
    return render_site(registry, quotes=found.quotes)


# --- V7: one document is one source -----------------------------------------------------


def round_citing(source: str) -> str:
    """A fact whose one citation quotes planet's words from `source` (a second copy of planet)."""
    return f"""  - id: round-again
    statement: Acme raised 2 billion yuan.
    topic: funding
    entities: [acme]
    citations:
      - source: {source}
        quote: Acme Robotics has raised 2 billion yuan
"""


def test_the_same_text_with_other_white_space_is_one_source(project):
    """A copy of planet.txt re-wrapped (other line breaks, spaces) still cannot be a second source."""
    planet = (project.archive / "planet.txt").read_text(encoding="utf-8")
    add_source(project, "planet-rewrapped", "  " + planet.replace(" ", "\n").replace("\n\n\n", "\n \n") + "\n\n")
    add_fact(project, round_citing("planet-rewrapped"))
    assert problems(project, strict=True) == [
        "facts/sources.yaml:31:13: error: sources 'planet' and 'planet-rewrapped' have the same archived text once "
        "white space is set aside (planet.txt, planet-rewrapped.txt): one document is one source"
    ]


def test_the_same_bytes_under_another_file_name_is_one_source(project):
    add_source(project, "planet-copy", (project.archive / "planet.txt").read_text(encoding="utf-8"))
    add_fact(project, round_citing("planet-copy"))
    assert problems(project, strict=True) == [
        "facts/sources.yaml:32:15: error: sources 'planet' and 'planet-copy' have the same archived text "
        "(sha256 46c59734a21b...): one document is one source"
    ]


# --- V6: a speaker and a via stand in the quote's paragraph ------------------------------

LONG_PARAGRAPH = (
    "Huawei said nothing. The weather was fine. Markets rose. Acme hired staff. Prices fell. "
    "Trains were late. Acme Robotics will build a plant in Portville. Rain came later."
)


def speaker_case(project, text: str, quote: str, extra: str = "") -> list[str]:
    add_source(project, "talk", text)
    (project.facts / "more.yaml").write_text(
        f"""entities:
  - id: huawei
    name: Huawei
    kind: organisation
    description: A fictional firm for this test.
facts:
  - id: huawei-plant
    statement: Huawei says Acme will build a plant.
    topic: company
    entities: [acme, huawei]
    claimed_by: [huawei]
    citations:
      - source: talk
        quote: {quote}
        speaker: huawei
{extra}""",
        encoding="utf-8",
    )
    return problems(project, strict=True)


SPEAKER_MISSING = (
    "facts/more.yaml:15:18: error: speaker 'huawei' is not named in the quote's paragraph of source 'talk' "
    "(talk.txt): neither 'Huawei' nor an alias stands there"
)


def test_a_name_far_away_in_a_long_paragraph_is_not_the_speaker(project):
    """Eight sentences: the quote's sentence and two either side are its paragraph; Huawei is five away."""
    assert speaker_case(project, LONG_PARAGRAPH, "Acme Robotics will build a plant in Portville.") == [SPEAKER_MISSING]


def test_a_name_near_the_quote_is_found(project):
    text = LONG_PARAGRAPH.replace("Trains were late.", "Huawei’s chief said so.")
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.") == []


def test_a_text_without_blank_lines_is_read_line_by_line(project):
    text = "Huawei said nothing.\nAcme Robotics will build a plant in Portville.\n"
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.") == [SPEAKER_MISSING]


def test_blank_lines_make_paragraphs(project):
    text = "Huawei said:\nAcme Robotics will build a plant in Portville.\n\nHuawei again.\n"
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.") == []
    text = "Huawei said nothing.\n\nAcme Robotics will build a plant in Portville.\n"
    (project.archive / "talk.txt").unlink()
    (project.facts / "sources.yaml").write_text(
        (project.facts / "sources.yaml").read_text(encoding="utf-8").split("  - id: talk")[0], encoding="utf-8"
    )
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.") == [SPEAKER_MISSING]


def test_a_word_inside_another_is_not_the_name(project):
    text = "Huaweii and XHuawei said so. Acme Robotics will build a plant in Portville.\n"
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.") == [SPEAKER_MISSING]


def test_the_hint_shows_the_paragraph_without_control_characters(project):
    text = "Nobody \x1b[31msaid\x1b[0m it. Acme Robotics will build a plant in Portville.\n"
    speaker_case(project, text, "Acme Robotics will build a plant in Portville.")
    hints = [hint for message, hint in with_hints(project, strict=True) if "speaker 'huawei'" in message]
    assert hints == [
        "the paragraph reads: 'Nobody [31msaid [0m it. Acme Robotics will build a plant in Portville.'; "
        "words the source gives in its own voice have no 'speaker'"
    ]


def test_a_credit_line_after_the_quote_names_the_via(project):
    """'Source: Reuters' closing a news item credits the lines above it, not those after a blank line."""
    text = (
        "Huawei says Acme Robotics will build a plant in Portville.\nPrices fell.\nlink🔗 Source: Reuters\n"
        "Huawei, in a commentary, expects more plants.\n"
    )
    via = "        via: Reuters\n"
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.", via) == []


def test_a_credit_line_before_the_quote_does_not_name_the_via(project):
    text = "Source: Reuters\nHuawei says Acme Robotics will build a plant in Portville.\n"
    via = "        via: Reuters\n"
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.", via) == [
        "facts/more.yaml:16:14: error: via 'Reuters' is not named in the quote's paragraph of source 'talk' "
        "(talk.txt): 'reuters' not found"
    ]


def test_paragraph_of_run_together_sentences():
    """A copy with no space after full stops ("listing.The") still has sentences."""
    text = "One.Two. Three.Four. Five.Six.Seven.Eight."
    start = text.index("Six")
    low, high = paragraph(text, start, start + 4)
    assert text[low:high] == "Four. Five.Six.Seven.Eight."


# --- support: what is counted carries the statement --------------------------------------


def test_context_is_shown_apart_and_not_counted(project):
    """The Wire as background: the fact is single-source, the key number lists only the Daily Planet."""
    project.edit(
        "facts.yaml",
        'quote: "secured 2 billion yuan - about $275 million - from investors led by Harbour Capital"\n',
        'quote: "secured 2 billion yuan - about $275 million - from investors led by Harbour Capital"\n'
        "        role: context\n",
    )
    pages = rendered(project)
    home = pages["index.md"]
    row = next(line for line in home.splitlines() if "The May 2024 round" in line)
    assert "Daily Planet" in row and "The Wire" not in row
    topic = pages["topics/funding/index.md"]
    block = topic[topic.index('id="may-2024-round"') :].split("</p>")[0]
    assert "Single source" in block and "independent sources" not in block
    assert re.search(r"Context \(not counted\): <a [^>]*>The Wire</a>", block)
    assert "Context, not counted as support:" in pages["sources/wire/index.md"]


def test_the_real_briefing_counts_only_supporting_sources():
    """Standards review, finding 1: OpenTools gives $137 million, not 'more than 1 billion yuan'."""
    registry, found = load_registry(REPO / "facts", REPO)
    assert found == []
    sources = {s.id: s for s in registry.sources}
    facts = {f.id: f for f in registry.facts}
    assert independent_sources(facts["march-2025-round-amount"].citations, sources) == 1
    assert independent_sources(facts["zhipu-founded-2019"].citations, sources) == 1
    assert independent_sources(facts["audit-ready-alternative"].citations, sources) == 1
    if SHARED_SOURCES.is_dir():
        options = Options(root=REPO, sources=SHARED_SOURCES, strict=True, site_dir=Path("site"))
        assert check(registry, options).problems == []


# --- links to the quote's words on the publisher's page -----------------------------------


def test_repeated_words_get_prefix_and_suffix():
    text = "Reports say Acme grew fast in May.\nThen Acme grew fast again, analysts said.\n"
    assert fragment_context(text, "Acme grew fast") == ("Reports say", "in May.")
    assert fragment_context(text, "Acme grew fast again,") == ("", "")  # unique as a whole


def test_a_long_quote_is_judged_by_its_start_words():
    text = "The firm said it would grow. The firm said it would list its shares in Shanghai next year, or later.\n"
    words = "The firm said it would list its shares in Shanghai next year,"
    assert fragment_context(text, words) == ("it would grow.", "or later.")
    assert text_fragment("https://x.example/a", words, "it would grow.", "or later.") == (
        "https://x.example/a#:~:text=it%20would%20grow.-,The%20firm%20said%20it,in%20Shanghai%20next%20year%2C"
        ",-or%20later."
    )


def test_a_footnote_glued_to_the_last_word_becomes_the_suffix():
    text = "Companies serve as proxies in national technological rivalries2.\nThe U.S. acted.\n"
    words = "proxies in national technological rivalries"
    assert fragment_context(text, words) == ("", "2.")
    assert text_fragment("https://x.example/a#top", words, "", "2.").endswith(
        ":~:text=proxies%20in%20national%20technological%20rivalries,-2."
    )


def test_the_source_page_links_a_repeated_quote_with_its_context(project):
    add_source(
        project,
        "echo",
        "In a note, Acme Robotics said sales grew fast in May.\nLater, Acme Robotics said sales grew fast in June.\n",
        url="https://echo.example/story",
    )
    add_fact(
        project,
        """  - id: sales-grew
    statement: Acme said its sales grew fast in May and in June.
    topic: company
    entities: [acme]
    citations:
      - source: echo
        quote: Acme Robotics said sales grew fast in June.
      - source: echo
        quote: Acme Robotics said sales grew fast
""",
    )
    page = rendered(project)["sources/echo/index.md"]
    links = [html.unescape(link) for link in re.findall(r'class="on-page" href="([^"]*)"', page)]
    assert links == [
        "https://echo.example/story#:~:text=Acme%20Robotics%20said%20sales%20grew%20fast%20in%20June.",
        "https://echo.example/story#:~:text=In%20a%20note%2C-,Acme%20Robotics%20said%20sales%20grew%20fast,-in%20May.",
    ]


def test_sentences_run_together_need_no_suffix():
    """'architecture.As China': the quote ends at its full stop, so the next word is not glued to it."""
    text = "It chose its own architecture.As China grew, it grew.\n"
    assert fragment_context(text, "It chose its own architecture.") == ("", "")


def test_a_value_shown_as_a_key_number_is_carried_by_every_counted_source(project):
    """A statement without a figure cannot hide a source that does not give the fact's value."""
    add_fact(
        project,
        """  - id: money-from-harbour
    statement: Acme raised money from Harbour Capital.
    topic: funding
    entities: [acme, harbour-capital]
    value: {amount: 2000000000, unit: CNY}
    citations:
      - source: planet
        quote: Acme Robotics has raised 2 billion yuan ($280 million) in a round led by Harbour Capital
      - source: wire
        quote: The firm was founded in 2019.
""",
    )
    assert problems(project, strict=True) == [
        "facts/facts.yaml:52:16: error: fact 'money-from-harbour': source 'wire' carries none of the statement's "
        "figures ('2,000,000,000 CNY'), so it cannot count as one of its sources"
    ]


def test_a_paragraph_is_read_at_most_reach_characters_either_side(project):
    """One enormous sentence between the name and the quote: the name is too far to be the speaker."""
    text = "Huawei said this. " + "word " * 1000 + "end. Acme Robotics will build a plant in Portville.\n"
    assert speaker_case(project, text, "Acme Robotics will build a plant in Portville.") == [SPEAKER_MISSING]


def test_a_remembered_clean_answer_does_not_survive_a_changed_role(project):
    """The parse cache remembers supported facts; dropping 'role: context' must be judged again."""
    add_fact(
        project,
        """  - id: round-with-background
    statement: Acme raised 2 billion yuan.
    topic: funding
    entities: [acme]
    citations:
      - source: planet
        quote: Acme Robotics has raised 2 billion yuan
      - source: wire
        quote: The firm was founded in 2019.
        role: context
""",
    )
    assert project.run("check", "--strict").returncode == 0
    assert project.run("check", "--strict").returncode == 0  # the answer is remembered now
    project.edit("facts.yaml", "        role: context\n", "")  # the fixture has no other
    result = project.run("check", "--strict")
    assert result.returncode == 1
    assert "facts/facts.yaml:51:16: error: fact 'round-with-background': source 'wire' carries none" in result.stderr
