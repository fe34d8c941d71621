"""The contributor's commands through the real `briefing` entry point: new, fmt, diff, stats, --help."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest
import yaml
from conftest import BRIEFING, REPO, run_briefing
from helpers import fact_entry

from briefing.tools.entries import target_file

NEW = ("fact", "source", "entity", "topic")
SUBCOMMANDS = ["check", "build", "serve", "linkcheck", "stats", "diff", "fmt", "new", *(f"new {kind}" for kind in NEW)]


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(project, command):
    result = project.run(*command.split(), "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: briefing {command}")


def test_new_source_then_new_fact_scaffold_valid_entries(project):
    (project.archive / "gazette.txt").write_text(
        "Acme hired 40 engineers in June 2024, the company said.\n", encoding="utf-8"
    )
    result = project.run(
        "new", "source", "--title", "Acme hires", "--publisher", "Portville Gazette", "--published", "2024-06",
        "--kind", "news-report", "--archive-file", "gazette.txt", "--reliability", "Local paper.",
        "--summary", "Says Acme hired engineers.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added source 'portville-gazette-2024-06' to facts/sources.yaml\n"
    result = project.run(
        "new", "fact", "--statement", "Acme hired 40 engineers in June 2024.", "--topic", "company",
        "--date", "2024-06", "--entity", "acme", "--value", "40", "engineers",
        "--cite", "portville-gazette-2024-06", "Acme hired 40 engineers in June 2024",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added fact 'acme-hired-40-engineers-june-2024' to facts/facts.yaml\n"
    facts = (project.facts / "facts.yaml").read_text(encoding="utf-8")
    assert facts.endswith(
        "  - id: acme-hired-40-engineers-june-2024\n"
        "    statement: Acme hired 40 engineers in June 2024.\n"
        "    topic: company\n"
        "    date: 2024-06\n"
        "    entities: [acme]\n"
        "    value: {amount: 40, unit: engineers}\n"
        "    citations:\n"
        "      - source: portville-gazette-2024-06\n"
        "        quote: Acme hired 40 engineers in June 2024\n"
    )
    sources = (project.facts / "sources.yaml").read_text(encoding="utf-8")
    assert "    archive: {file: gazette.txt, sha256: " in sources
    assert project.run("check", "--strict").returncode == 0


def founding_fact(quote: str) -> list[str]:
    """`briefing new fact` for Acme's founding, citing the wire's `quote`."""
    statement = ["--statement", "Acme was founded in 2019.", "--topic", "company", "--entity", "acme"]
    return ["new", "fact", *statement, "--cite", "wire", quote]


def test_new_fact_with_a_wrong_quote_writes_nothing(project):
    before = (project.facts / "facts.yaml").read_bytes()
    result = project.run(*founding_fact("The firm was created in 2019."))
    assert result.returncode == 1
    assert "facts/facts.yaml:49:16: error: quote not found in source 'wire' (wire.txt)" in result.stderr
    assert "not added: fix the fact above; nothing was written" in result.stderr
    assert (project.facts / "facts.yaml").read_bytes() == before


def test_new_fact_gets_the_next_free_id(project):
    args = founding_fact("The firm was founded in 2019.")
    assert project.run(*args).stdout == "added fact 'acme-was-founded-2019' to facts/facts.yaml\n"
    assert project.run(*args).stdout == "added fact 'acme-was-founded-2019-2' to facts/facts.yaml\n"


def test_new_without_required_flags_says_which(project):
    result = project.run("new", "entity", "--name", "Globex")
    assert result.returncode == 2
    assert result.stderr == "error: missing --kind, --description (or run in a terminal to be asked)\n"


def test_new_asks_for_what_is_missing_in_a_terminal(project):
    """Driven through a pseudo-terminal, as a person at a keyboard would."""
    answers = [b"Globex Corporation\n", b"A fictional rival of Acme.\n"]
    text = converse(project, ["new", "entity", "--kind", "organisation"], answers)
    assert "Name [existing: acme, harbour-capital, portville, ada-lovelace]:" in text
    assert "One-line description:" in text
    assert "added entity 'globex-corporation' to facts/entities.yaml" in text
    entities = (project.facts / "entities.yaml").read_text(encoding="utf-8")
    assert entities.endswith(
        "  - id: globex-corporation\n    name: Globex Corporation\n    kind: organisation\n"
        "    description: A fictional rival of Acme.\n"
    )


def test_where_new_entries_go():
    files = {
        "facts/facts-funding.yaml": ["funding", "funding"],
        "facts/facts-company.yaml": ["company"],
        "facts/x.yaml": [],
    }
    assert target_file("facts", files, "company") == "facts/facts-company.yaml"
    assert target_file("facts", files, "products") == "facts/facts-products.yaml"  # the naming the project uses
    assert target_file("facts", {"facts/facts.yaml": ["a", "b"]}, "new-topic") == "facts/facts.yaml"
    assert target_file("entities", {"facts/a.yaml": ["x"], "facts/b.yaml": ["y", "z"]}) == "facts/b.yaml"
    assert target_file("sources", {}) == "facts/sources.yaml"


UNFORMATTED = """# yaml-language-server: $schema=registry.schema.json
# A comment the formatter keeps.
topics:
  - title: "Extra"   # and this one
    description: 'More.'
    id: "extra"
"""


def test_fmt_checks_and_writes_the_canonical_form(project):
    project.write("extra.yaml", UNFORMATTED)
    result = project.run("fmt", "--check", "facts/extra.yaml")
    assert result.returncode == 1
    assert result.stderr == "facts/extra.yaml: not in the canonical form (run `briefing fmt`)\n"
    result = project.run("fmt", "facts/extra.yaml")
    assert result.returncode == 0 and result.stdout == "formatted facts/extra.yaml\n"
    assert (project.facts / "extra.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=registry.schema.json\n"
        "# A comment the formatter keeps.\n"
        "topics:\n"
        "  - id: extra\n"
        "    title: Extra     # and this one\n"  # a comment keeps its column
        "    description: More.\n"
    )
    assert project.run("fmt", "--check", "facts/extra.yaml").returncode == 0
    assert project.run("check").returncode == 0


def test_fmt_keeps_comments_inside_lists_and_at_the_end(project):
    extra = (
        "topics:\n"
        "  - id: extra\n"
        "    title: Extra\n"
        "    description: More.\n"
        "facts:\n"
        "  - id: extra-fact\n"
        "    statement: Acme was founded in 2019.\n"
        "    topic: extra\n"
    )
    project.write(
        "extra.yaml",
        extra
        + (
            "    entities: [acme,  # why it is about Acme\n"
            "      # and a line of its own\n"
            "      portville]\n"
            "    citations:\n"
            "      - source: wire\n"
            '        quote: "The firm was founded in 2019."\n'
            "# The end of the file.\n"
        ),
    )
    assert project.run("fmt", "facts/extra.yaml").returncode == 0
    assert (project.facts / "extra.yaml").read_text(encoding="utf-8") == extra + (
        "    entities:\n"
        "      - acme  # why it is about Acme\n"
        "      # and a line of its own\n"
        "      - portville\n"
        "    citations:\n"
        "      - source: wire\n"
        "        quote: The firm was founded in 2019.\n"
        "# The end of the file.\n"
    )
    assert project.run("fmt", "--check", "facts/extra.yaml").returncode == 0
    result = project.run(
        "new", "fact", "--statement", "Acme raised money.", "--topic", "extra", "--entity", "acme",
        "--cite", "planet", "Acme Robotics has raised 2 billion yuan",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = (project.facts / "extra.yaml").read_text(encoding="utf-8")
    assert text.endswith("        quote: Acme Robotics has raised 2 billion yuan\n# The end of the file.\n")
    assert "      - acme  # why it is about Acme\n      # and a line of its own\n" in text


def test_fmt_quotes_what_a_yaml_1_1_reader_would_not_read_as_text(project):
    words = ["yes", "on", "No", "OFF", "y", "n", "~", "null", "12:30", "1_000", "0x1F", "2024-01-01", "True"]
    project.write("extra.yaml", "topics:\n  - id: extra\n    title: Extra\n    description: More.\n")
    project.edit(
        "extra.yaml",
        "    description: More.\n",
        "    description: More.\n    tags: [" + ", ".join(f'"{w}"' for w in words) + "]\n",
    )
    project.run("fmt", "facts/extra.yaml")
    text = (project.facts / "extra.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["topics"][0]["tags"] == words  # PyYAML reads YAML 1.1
    assert project.run("fmt", "--check", "facts/extra.yaml").returncode == 0


def test_fmt_refuses_to_lose_a_comment_it_cannot_keep(project):
    original = "topics:\n  - {id: extra,  # a comment in a flow mapping\n     title: Extra, description: More.}\n"
    project.write("extra.yaml", original)
    result = project.run("fmt", "facts/extra.yaml")
    assert result.returncode == 1
    assert result.stderr == (
        "facts/extra.yaml:2:18: error: rewriting this file would lose the comment '# a comment in a flow mapping' "
        "[comment-would-be-lost]\n"
        "  hint: comments inside { } cannot be kept: move it onto a line of its own above, or write the mapping "
        "as a block; nothing was written\n"
    )
    assert (project.facts / "extra.yaml").read_text(encoding="utf-8") == original


def test_fmt_never_parses_what_the_build_refuses(project):
    project.write("bad.yaml", "a: &x [1]\nb: *x\n")
    result = project.run("fmt")
    assert result.returncode == 1
    assert "facts/bad.yaml:1:4: error: YAML anchors and aliases are not allowed" in result.stderr


def test_the_repository_registry_is_in_canonical_form():
    result = run_briefing(["fmt", "--check"], REPO)
    assert result.returncode == 0, result.stderr


def git(project, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True)


def test_diff_lists_facts_added_changed_and_removed_since_a_commit(project):
    git(project, "init", "-q")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    project.edit("facts.yaml", "statement: Acme was founded in 2019.", "statement: Acme was set up in 2019.")
    project.edit("facts.yaml", fact_entry("harbour-control"), "")
    project.edit(
        "entities.yaml",
        "controlled_by: {entity: portville, fact: harbour-control}",
        "controlled_by: {entity: portville, fact: harbour-owner}",
    )
    project.write(
        "more.yaml",
        "facts:\n  - id: harbour-owner\n    statement: Portville controls Harbour Capital.\n    topic: funding\n"
        "    entities: [harbour-capital, portville]\n    citations:\n      - source: planet\n"
        "        quote: Harbour Capital is controlled by the city of Portville.\n",
    )
    result = project.run("diff", "HEAD")
    assert result.returncode == 0, result.stderr
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=project.root, capture_output=True, text=True
    ).stdout.strip()
    assert result.stdout == (
        f"## Registry changes since HEAD ({head})\n\n"
        "### Added facts (1)\n\n"
        "- `harbour-owner`: Portville controls Harbour Capital.\n\n"
        "### Removed facts (1)\n\n"
        "- `harbour-control`: Harbour Capital is controlled by the city of Portville.\n\n"
        "### Changed facts (1)\n\n"
        "- `acme-founded` (statement): Acme was set up in 2019.\n"
        "  - was: Acme was founded in 2019.\n"
    )


def test_diff_of_an_unknown_revision(project):
    git(project, "init", "-q")
    result = project.run("diff", "no-such-branch")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read revision 'no-such-branch' with git:")


def test_stats(project):
    result = project.run("stats")
    assert result.returncode == 0
    assert result.stdout == (
        "facts          4\n"
        "sources        2\n"
        "entities       4\n"
        "topics         2\n"
        "disagreements  1\n"
        "citations      7\n"
        "single-source  3 of 4 facts\n"
        "\n"
        "facts per topic:\n"
        "  funding                          2\n"
        "  company                          2\n"
        "\n"
        "facts citing each source:\n"
        "  planet                           3\n"
        "  wire                             2\n"
        "\n"
        "single-source facts: harbour-control, acme-founded, open-source-promise\n"
        "unused sources: none\n"
        "unused entities: none\n"
        "\n"
        "coverage of each source's archived text (sentences):\n"
        "  source                           sentences claim-bearing  used omitted not reviewed\n"
        "  planet                                   3             3     3       0            0\n"
        "  wire                                     2             2     2       0            0\n"
    )


# --- `briefing new topic` (issue 23, item 8c) ---------------------------------------------------


def converse(project, argv: list[str], answers: list[bytes]) -> str:
    """`briefing ARGV` in a pseudo-terminal, each answer typed when a question (ending in ':') is asked."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real entry point, with the terminal as its stdin
        os.chdir(project.root)
        os.environ["BRIEFING_SOURCES"] = str(project.archive)
        os.execv(BRIEFING, [BRIEFING, *argv])
    transcript, replies = b"", iter(answers)
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        if chunk.rstrip().endswith(b":"):
            os.write(fd, next(replies, b"\n"))  # an optional question: left empty
    os.waitpid(pid, 0)
    return transcript.decode()


def test_new_topic_adds_a_topic_with_an_id_from_its_title(project):
    args = ["new", "topic", "--title", "Products and services", "--description", "What Acme sells."]
    result = project.run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added topic 'products-services' to facts/topics.yaml\n"
    assert project.run(*args).stdout == "added topic 'products-services-2' to facts/topics.yaml\n"
    topics = yaml.safe_load((project.facts / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    assert topics[2] == {"id": "products-services", "title": "Products and services", "description": "What Acme sells."}
    assert [t["id"] for t in topics] == ["funding", "company", "products-services", "products-services-2"]


def test_new_topic_asks_and_lists_the_topics_there_are(project):
    text = converse(project, ["new", "topic"], [b"Products\n", b"What Acme sells.\n"])
    assert "Title (a page's heading: Funding, Products) [existing: funding, company]:" in text
    assert "added topic 'products' to facts/topics.yaml" in text


def test_the_new_fact_prompt_lists_the_topics(project):
    """Before: "Topic id:" and nothing else; a contributor had to open topics.yaml to find one."""
    flags = ["--statement", "Acme was founded in 2019.", "--entity", "acme", "--date", "2019"]
    flags += ["--cite", "wire", "The firm was founded in 2019."]
    text = converse(project, ["new", "fact", *flags], [b"company\n"])
    assert "Topic id [one of: funding, company]:" in text
    assert "added fact 'acme-was-founded-2019' to facts/facts.yaml" in text


def test_a_long_list_is_cut_with_a_count(project):
    from briefing.tools.entries import MAX_LISTED, questions

    ids = [f"e{i}" for i in range(MAX_LISTED + 3)]
    asked = dict((name, q) for name, q, _, _ in questions("fact", {"entities": ids}))
    assert asked["entity"].endswith(f"[one of: {', '.join(ids[:MAX_LISTED])} and 3 more]")


def test_a_new_source_or_entity_shows_what_there_is_already():
    from briefing.tools.entries import questions

    existing = {"sources": ["planet", "wire"], "entities": ["acme"], "topics": ["funding"]}
    assert questions("source", existing)[0][1] == "Title (the headline as printed) [existing: planet, wire]"
    assert questions("entity", existing)[0][1] == "Name [existing: acme]"
    assert questions("entity", {})[0][1] == "Name"  # nothing yet: nothing listed


def test_a_prompt_never_prints_an_id_a_terminal_would_run():
    """A broken registry's id with a control sequence (a window title, a colour) is left out of the list."""
    from briefing.tools.entries import questions

    hostile = ["\x1b]0;pwned\x07", "ok\x1b[2J", "../x", "Upper"]
    asked = dict((name, q) for name, q, _, _ in questions("fact", {"topics": ["funding", *hostile]}))
    assert asked["topic"] == "Topic id [one of: funding]"


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--id", "../../evil"], "field 'id' '../../evil' is not a valid id"),
        (["--id", "x\ny"], "is not a valid id"),
        (["--id", "funding"], "funding"),  # taken: one id, one topic
        (["--title", "Evil\nTitle"], "must be a single line"),
        (["--title", "  "], "field 'title' is blank"),
    ],
)
def test_new_topic_refuses_hostile_input_and_writes_nothing(project, flags, message):
    before = {p: p.read_bytes() for p in project.root.parent.rglob("*") if p.is_file()}
    given = {"--title": "Products", "--description": "What Acme sells."}
    for flag, value in zip(flags[::2], flags[1::2], strict=True):
        given[flag] = value
    result = project.run("new", "topic", *[x for pair in given.items() for x in pair])
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    after = {p: p.read_bytes() for p in project.root.parent.rglob("*") if p.is_file()}
    assert after == before  # nothing written, inside the project or beside it


def test_yaml_in_a_new_topic_stays_text(project):
    """Words that look like YAML (a new entry, a key, a comment) are the description, and only that."""
    description = "a: b\n- id: injected\n  title: T # not a comment\n&anchor *alias !!python/object"
    result = project.run("new", "topic", "--title", "Ok", "--description", description)
    assert result.returncode == 0, result.stderr
    topics = yaml.safe_load((project.facts / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    assert [t["id"] for t in topics] == ["funding", "company", "ok"]
    assert topics[2]["description"] == description
