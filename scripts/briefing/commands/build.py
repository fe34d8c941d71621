"""`briefing build`: check, render the site source build/, build the site with an engine, switch both in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing.commands.common import add_command, print_report
from briefing.pipeline import BUILD, Options, build
from briefing.write.engine import ENGINES

MATERIAL_END_OF_LIFE = (
    "note: Material for MkDocs reaches end of life on 5 May 2027; `briefing build --engine zensical` "
    "builds this site with its successor (README: Engines)"
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = add_command(commands, "build", "check, render the pages and build the site", run)
    parser.add_argument("--site-dir", type=Path, default=Path("site"), help="output folder (default: site)")
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="the static-site engine that builds site/ from the site source (default: mkdocs)",
    )
    parser.add_argument("--source-only", action="store_true", help="write the site source build/ only, build no site")


def run(options: Options, args: argparse.Namespace) -> int:
    """Build, and say what was built or why nothing was."""
    engine = None if args.source_only else args.engine
    report = build(options, engine)
    print_report(report, args.format == "github")
    if report.files is None or report.status:
        return report.status or 1
    if not engine:
        count = sum(rel.endswith(".md") for rel in report.files)
        print(f"wrote the site source, {count} pages, to {BUILD.as_posix()}/")
        return 0
    if engine == "mkdocs":
        print(MATERIAL_END_OF_LIFE, file=sys.stderr)
    print(f"site built: {options.site_dir.as_posix().rstrip('/')}/index.html")
    return 0
