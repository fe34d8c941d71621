"""`briefing stats`: counts, single-source facts, unused sources and entities, each source's coverage."""

from __future__ import annotations

import argparse
import sys

from briefing.check.coverage import check_coverage
from briefing.commands.common import add_common, project_options
from briefing.load.registry import load_registry
from briefing.tools.reports import format_stats


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("stats", help="counts, single-source facts, unused sources and entities")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = project_options(args)
    if options is None:
        return 1
    registry, problems = load_registry(options.facts_dir, options.root)
    problems += check_coverage(registry, options.archive_dir, options.strict)
    print(format_stats(registry), end="")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"(the registry has {errors} error(s); `briefing check` lists them)", file=sys.stderr)
    return 0
