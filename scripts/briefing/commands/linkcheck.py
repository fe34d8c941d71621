"""`briefing linkcheck`: the internal links and anchors of a built site; with --external, the others too."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing.commands.common import add_fetch_flags, project_settings
from briefing.pipeline import Options
from briefing.tools.linkcheck import check_external, check_site
from briefing.write.output import made_by_a_build


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("linkcheck", help="check internal links and anchors of the built site")
    parser.add_argument("--site-dir", type=Path, default=Path("site"), help="built site (default: site)")
    parser.add_argument("--external", action="store_true", help="also fetch external links (needs the network)")
    add_fetch_flags(parser)
    parser.set_defaults(run=run, project=False)


def run(args: argparse.Namespace) -> int:
    root, settings = project_settings(args)
    if settings is None:
        return 1
    options = Options(root=root, sources=Path(), strict=False, site_dir=args.site_dir, settings=settings)
    site = options.site_path
    docs = root / "docs" if made_by_a_build(site) and (root / "docs").is_dir() else None
    return linkcheck(site, args.external, options.base_path, args.deadline, args.allow_private, docs)


def linkcheck(
    site: Path,
    external: bool,
    base: str = "/",
    deadline: float = 30.0,
    allow_private: bool = False,
    docs: Path | None = None,
) -> int:
    """Check the internal links and anchors of a built site; with `external`, fetch the others too.

    `docs`: the docs/ folder of the project whose build made the site, which tells its hand-written
    pages from the generated ones (check/active_content.py: the second are read once, the first by
    both parsers); None for a site of unknown origin, every page of which is read by both.
    """
    if not (site / "index.html").is_file():
        print(f"error: no site at {site.as_posix()}/: build it first", file=sys.stderr)
        return 1
    broken, urls = check_site(site, base, docs)
    pages = sum(1 for _ in site.rglob("*.html"))
    summary = f"{pages} pages: {len(broken)} broken internal links"
    if external:
        broken += check_external(urls, deadline, allow_private=allow_private)
        summary += f"; {len(urls)} external links checked"
    else:
        summary += f"; {len(urls)} external links not checked (--external)"
    for link in broken:
        print(f"error: {link}", file=sys.stderr)
    print(summary)
    return 1 if broken else 0
