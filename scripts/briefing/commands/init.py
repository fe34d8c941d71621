"""`briefing init`: a new briefing project in an empty folder, which checks and builds at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("init", help="start a new briefing in an empty folder (it checks and builds at once)")
    parser.add_argument("folder", type=Path, help="a new or empty folder")
    parser.add_argument("--subject", required=True, help='what the briefing is about: "Example Robotics"')
    parser.set_defaults(run=run, project=False)


def run(args: argparse.Namespace) -> int:
    """Write the new project, or say why not (then nothing was written)."""
    from briefing.project import subject_problem
    from briefing.tools.init import project_files, refusal, write_project

    folder = args.folder
    subject = args.subject.strip(" ")
    why = subject_problem(subject)
    if why:
        print(f"error: --subject: {why}; nothing was written", file=sys.stderr)
        return 2
    files = project_files(subject)
    why = refusal(folder) or write_project(folder, files)
    if why:
        print(f"error: {why}; nothing was written", file=sys.stderr)
        return 2
    print(f"created a briefing on {subject} in {folder.as_posix()}/ ({len(files)} files)")
    print(f"next: cd {folder.as_posix()} && briefing build, then open site/index.html (README.md says more)")
    return 0
