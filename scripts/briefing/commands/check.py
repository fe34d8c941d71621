"""`briefing check`: validate the registry only (fast: no rendering, no MkDocs)."""

from __future__ import annotations

import argparse

from briefing.commands.common import add_command, print_problems
from briefing.pipeline import Options, gather


def add_parser(commands: argparse._SubParsersAction) -> None:
    add_command(commands, "check", "validate the registry only (fast; no MkDocs)", run)


def run(options: Options, args: argparse.Namespace) -> int:
    """Load and check everything; print the problems, or what the registry holds."""
    registry, problems = gather(options, cache=True)
    print_problems(problems, registry, args.format == "github")
    if any(p.severity == "error" for p in problems):
        return 1
    print(f"ok: {len(registry.facts)} facts, {len(registry.sources)} sources, {len(registry.entities)} entities")
    return 0
