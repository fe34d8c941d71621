"""`briefing check`: validate the registry only (fast: no rendering, no MkDocs)."""

from __future__ import annotations

import argparse

from briefing.commands.common import add_common, print_problems, project_options
from briefing.pipeline import gather


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("check", help="validate the registry only (fast; no MkDocs)")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load and check everything; print the problems, or what the registry holds."""
    options = project_options(args)
    if options is None:
        return 1
    registry, problems = gather(options, cache=True)
    print_problems(problems, registry, args.format == "github")
    if any(p.severity == "error" for p in problems):
        return 1
    print(f"ok: {len(registry.facts)} facts, {len(registry.sources)} sources, {len(registry.entities)} entities")
    return 0
