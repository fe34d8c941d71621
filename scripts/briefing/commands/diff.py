"""`briefing diff`: the facts added, changed and removed since a git revision, as Markdown for a pull request."""

from __future__ import annotations

import argparse
import sys

from briefing.commands.common import add_command
from briefing.load.git import GitError, run_git
from briefing.load.registry import load_registry, load_registry_texts
from briefing.load.revisions import revision_texts
from briefing.pipeline import Options
from briefing.tools.reports import diff_registries, format_diff


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands, "diff", "facts added, changed and removed since a git revision (Markdown, for a PR)", run
    )
    parser.add_argument("base", help="a git revision: main, HEAD~1, a commit")


def run(options: Options, args: argparse.Namespace) -> int:
    """The registry now against the registry at a revision, as Markdown on standard output."""
    base = args.base
    try:
        short = run_git(options.root, "rev-parse", "--short", "--verify", "--end-of-options", f"{base}^{{commit}}")
        label = short.decode("ascii", "replace").strip()
        old_texts, warnings = revision_texts(options.root, base)
    except GitError as exc:
        print(f"error: cannot read revision {base!r} with git: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {base}: {warning}", file=sys.stderr)
    old, _ = load_registry_texts(old_texts)
    new, _ = load_registry(options.facts_dir, options.root)
    print(format_diff(diff_registries(old, new), f"{base} ({label})"), end="")
    return 0
