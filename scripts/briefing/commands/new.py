"""`briefing new fact|source|entity|topic`: a valid entry with the next free id, in the right file; nothing
is written unless the registry with it checks."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from briefing import vocabulary
from briefing.check.quotes import sha256_of
from briefing.commands.common import (
    add_command,
    add_common,
    archive_name_problem,
    refuse_link,
    report_changed_value,
    report_lost_comment,
    write_or_say,
)
from briefing.files import read_regular
from briefing.load.model import Registry
from briefing.load.registry import load_registry, load_registry_texts
from briefing.pipeline import Options, check
from briefing.problems import Problem, format_problem, sort_problems

SECTIONS = {"fact": "facts", "source": "sources", "entity": "entities", "topic": "topics"}


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "new",
        "add a fact, source, entity or topic with the next free id (asks for what is missing)",
        run,
        False,
    )
    kinds = parser.add_subparsers(dest="what", required=True)
    fact = kinds.add_parser("fact", help="add a fact to the file that holds its topic")
    add_common(fact)
    _fact_flags(fact)
    source = kinds.add_parser("source", help="add a source; its archive file's sha256 is computed for you")
    add_source_flags(source)
    entity = kinds.add_parser("entity", help="add an entity")
    add_common(entity)
    entity.add_argument("--id", help="the entity's id (default: made from the name)")
    entity.add_argument("--name")
    entity.add_argument("--kind", choices=vocabulary.entity_kinds())
    entity.add_argument("--alias", action="append", help="another name or spelling (repeat)")
    entity.add_argument("--description", help="one line")
    topic = kinds.add_parser("topic", help="add a topic (a page of facts)")
    add_common(topic)
    topic.add_argument("--id", help="the topic's id (default: made from the title)")
    topic.add_argument("--title", help="the page's heading")
    topic.add_argument("--description", help="what it covers")


def _fact_flags(fact: argparse.ArgumentParser) -> None:
    fact.add_argument("--id", help="the fact's id (default: made from the statement)")
    fact.add_argument("--statement", help="one claim, in our own words")
    fact.add_argument("--topic", help="a topic id")
    fact.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources")
    fact.add_argument("--entity", action="append", help="an entity id it is about (repeat)")
    fact.add_argument("--claimed-by", action="append", help="an entity id whose claim it is (repeat)")
    fact.add_argument(
        "--cite", nargs=2, action="append", metavar=("SOURCE", "QUOTE"), help="a source id and its exact words (repeat)"
    )
    fact.add_argument(
        "--speaker",
        metavar="ENTITY",
        help="who speaks in the quoted words, when the source gives them as a party's (an entity id; every --cite)",
    )
    fact.add_argument("--via", metavar="NAME", help="the report or wire the source names for those words: Reuters")
    fact.add_argument("--value", nargs=2, metavar=("AMOUNT", "UNIT"), help="a structured value: 1000000000 CNY")
    fact.add_argument("--qualifier", choices=vocabulary.qualifiers())
    fact.add_argument("--tag", action="append", help="a kind of event, e.g. funding-round (repeat)")
    fact.add_argument("--note", help="an editorial note")


def add_source_flags(parser: argparse.ArgumentParser) -> None:
    """What a source says of itself (`new source`, and `archive`, which finds most of it on the page)."""
    add_common(parser)
    parser.add_argument("--id", help="the source's id (default: publisher and date)")
    for flag in ("title", "publisher", "author", "published", "url", "reliability", "summary"):
        parser.add_argument(f"--{flag}")
    parser.add_argument("--retrieved", metavar="DATE", help="when the copy was taken (archive: default today)")
    parser.add_argument("--kind", choices=vocabulary.source_kinds())
    parser.add_argument("--based-on", metavar="SOURCE_OR_NAME", help="what it is made from: a source id or a name")
    parser.add_argument("--relation", choices=vocabulary.relations(), help="to --based-on")
    parser.add_argument("--archive-file", help="the text's file name in the archive folder")


def run(options: Options, args: argparse.Namespace) -> int:
    return new(options, args.what, args)


def new(options: Options, kind: str, args: argparse.Namespace) -> int:
    """Scaffold a valid entry with the next free id in the right file; nothing is written unless it checks."""
    from briefing.tools.editing import LostComment, add_entry, changed_value
    from briefing.tools.entries import questions, target_file

    registry, _ = load_registry(options.facts_dir, options.root)
    existing = {name: [e.id for e in getattr(registry, name)] for name in ("topics", "entities", "sources")}
    values, missing = _ask_missing(vars(args), questions(kind, existing))
    if missing:
        flags = ", ".join("--" + m.replace("_", "-") for m in missing)
        print(f"error: missing {flags} (or run in a terminal to be asked)", file=sys.stderr)
        return 2
    section = SECTIONS[kind]
    entry, status = _entry(options, kind, values, {e.id for e in getattr(registry, section)})
    if entry is None:
        return status
    holdings = {doc.path: [] for doc in registry.documents}
    for item in getattr(registry, section):
        holdings.setdefault(item.origin.doc.path, []).append(item.topic if kind == "fact" else item.id)
    target = target_file(section, holdings, entry.get("topic"))
    path = options.root / target
    if refuse_link(path, options.root, "new"):
        return 1
    try:
        before = read_regular(path).decode("utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{target}: error: cannot read: {exc}; nothing was written", file=sys.stderr)
        return 1
    try:
        after = add_entry(before, section, entry, header=f"#\n# {section.capitalize()}.\n")
    except LostComment as lost:
        report_lost_comment(target, lost.line, lost.col, lost.text)
        return 1
    except ValueError as exc:
        print(f"{target}: error: {exc}; nothing was written", file=sys.stderr)
        return 1
    changed = changed_value(before, after, target, section) if before is not None else None
    if changed:
        report_changed_value(changed, "adding the entry")
        return 1
    problems = _problems_of_new_entry(options, registry, target, after, section, entry["id"])
    for problem in problems:
        print(format_problem(problem, after.splitlines() if problem.loc.path == target else None), file=sys.stderr)
    if any(p.severity == "error" for p in problems):
        print(f"not added: fix the {kind} above; nothing was written", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    if not write_or_say(path, after, target):
        return 1
    print(f"added {kind} '{entry['id']}' to {target}")
    return 0


def _entry(options: Options, kind: str, values: dict, taken: set[str]) -> tuple[dict | None, int]:
    """The new entry, or None and the exit status (the reason said) if its source's text is not there."""
    from briefing.tools.entries import entity_entry, fact_entry, source_entry, topic_entry

    if kind in ("fact", "entity", "topic"):
        return {"fact": fact_entry, "entity": entity_entry, "topic": topic_entry}[kind](values, taken), 0
    name_problem = archive_name_problem(values["archive_file"])
    if name_problem:  # before the file is opened: the name could point anywhere
        print(f"error: --archive-file {values['archive_file']!r} {name_problem}", file=sys.stderr)
        return None, 2
    archived = options.archive_dir / values["archive_file"]
    if archived.is_symlink():
        print(f"error: {archived.as_posix()} is a symbolic link: archive the text itself", file=sys.stderr)
        return None, 1
    if not archived.is_file():
        print(
            f"error: {archived.as_posix()} not found: put the source's text in the archive folder first",
            file=sys.stderr,
        )
        return None, 1
    return source_entry(values, taken, sha256_of(read_regular(archived))), 0


def _ask_missing(told: dict, fields: list[tuple[str, str, bool, bool]]) -> tuple[dict, list[str]]:
    """What the flags said, with an answer asked in a terminal for each required one not given; what is
    still missing."""
    values = dict(told)
    interactive = sys.stdin.isatty()
    missing = []
    for name, question, required, repeatable in fields:
        if values.get(name):
            continue
        if interactive:
            answer = input(f"{question}: ").strip()
            if answer and name == "cite":
                source, _, quote = answer.partition("|")
                values[name] = [(source.strip(), quote.strip())]
            elif answer:
                values[name] = answer.split() if repeatable else answer
        if required and not values.get(name):
            missing.append(name)
    return values, missing


def _problems_of_new_entry(
    options: Options, registry: Registry, target: str, text: str, section: str, entry_id: str
) -> list[Problem]:
    """Check the registry as it would be with the new entry; keep the problems that are the entry's."""
    texts = {doc.path: "\n".join(doc.lines).encode("utf-8") for doc in registry.documents}
    texts[target] = text.encode("utf-8")
    changed, problems = load_registry_texts(dict(sorted(texts.items())))
    problems += check(changed, replace(options, strict=False)).problems
    new_entry = next((e for e in getattr(changed, section) if e.id == entry_id and e.origin.doc.path == target), None)
    start = new_entry.origin.at().line if new_entry else 1
    return sort_problems(
        p
        for p in problems
        if p.loc.path == target and p.loc.line >= start and "is not cited by any fact" not in p.message
    )
