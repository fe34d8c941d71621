"""`briefing stats`: counts, single-source facts, unused sources and entities, each source's coverage."""

from __future__ import annotations

import argparse
import sys

from briefing.check.coverage import check_coverage
from briefing.commands.common import add_command
from briefing.load.registry import load_registry
from briefing.pipeline import Options
from briefing.tools.reports import format_stats


def add_parser(commands: argparse._SubParsersAction) -> None:
    add_command(commands, "stats", "counts, single-source facts, unused sources and entities", run)


def run(options: Options, args: argparse.Namespace) -> int:
    """Print the registry's numbers (even when it has errors: they are counted, not listed)."""
    registry, problems = load_registry(options.facts_dir, options.root)
    coverage_problems, sentences = check_coverage(registry, options.archive_dir, options.strict)
    problems += coverage_problems
    print(format_stats(registry, sentences), end="")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"(the registry has {errors} error(s); `briefing check` lists them)", file=sys.stderr)
    return 0
