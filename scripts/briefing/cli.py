"""The `briefing` command line: the argument parser, and one module per command in commands/.

The build itself is a library (pipeline.py); the commands only turn flags into its options
and print what it reports.
"""

from __future__ import annotations

import argparse
import sys

from briefing.commands import archive, build, check, diff, fmt, init, linkcheck, new, serve, stats
from briefing.commands.common import project_options

COMMANDS = (check, build, linkcheck, serve, stats, diff, fmt, init, new, archive)  # in the order --help lists them


def parser() -> argparse.ArgumentParser:
    """Every command's arguments; each sets `run`, what runs it, and `project`, whether it reads a project."""
    top = argparse.ArgumentParser(prog="briefing", description="Build the research briefing site.")
    commands = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one command; exit status 1 means the input has problems, 2 the command cannot run."""
    args = parser().parse_args(argv)
    if not args.project:  # init makes a project; linkcheck reads only a built site and the settings
        return args.run(args)
    options = project_options(args)  # from the flags and briefing.toml: None if the settings are wrong
    return 1 if options is None else args.run(options, args)


if __name__ == "__main__":
    sys.exit(main())
