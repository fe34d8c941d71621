"""MkDocs hooks: serve docs/generated/ at the site root beside the hand-written pages in docs/.

The generator writes its pages into docs/generated/ so that it never touches a hand-written
page; these hooks make those pages appear at the top of the site (generated/index.md becomes
the home page), put the generated navigation ahead of mkdocs.yml's own `nav:`, and, under `mkdocs serve`,
re-render the pages whenever facts/ or templates/ change (into .cache/preview/, which the
preview serves instead of docs/generated/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

GENERATED = "generated"
NAV_FILE = ".nav.yml"
_serving = False
_pages = Path()  # the folder of generated pages this build mounts


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _pages
    # `briefing build` points MkDocs at the pages it staged; a plain `mkdocs build` reads docs/generated/.
    staged = os.environ.get("BRIEFING_PAGES")
    _pages = Path(staged) if staged else Path(config.docs_dir) / GENERATED
    if _serving:
        from scripts.cli import PREVIEW, regenerate  # the CLI alone writes files

        root = Path(config.config_file_path).parent
        regenerate(root)
        _pages = root / PREVIEW
    nav_file = _pages / config.extra.get("briefing_nav", NAV_FILE)  # the benchmark's reference uses another
    if not nav_file.is_file():
        raise PluginError(
            "no pages to preview yet: fix the errors above"
            if _serving
            else "docs/generated/ is missing: build with `make site` (or `briefing build`)"
        )
    config.nav = yaml.safe_load(nav_file.read_text(encoding="utf-8")) + list(config.nav or [])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in list(files):
        if file.src_uri.startswith(GENERATED + "/"):
            files.remove(file)
    for path in sorted(_pages.rglob("*")):
        rel = path.relative_to(_pages).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")):
            continue
        if files.get_file_from_path(rel) is not None:
            raise PluginError(f"docs/{rel} is hand-written but the generator also makes it: rename one")
        # The menus name only some generated pages (a large registry's entities, sources and
        # pages per year are reached from their index pages), so MkDocs should not list the rest.
        inclusion = InclusionLevel.NOT_IN_NAV
        files.append(File(rel, str(_pages), config.site_dir, config.use_directory_urls, inclusion=inclusion))
    return files


# Raw HTML regions reach the page through scripts/markdown_raw.py, past MkDocs' own HTML
# parser: their anchors are added here so that MkDocs checks links to them too.
ID = re.compile(r'\bid="([^"]+)"')


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    if page.present_anchor_ids is not None:
        page.present_anchor_ids.update(ID.findall(html))
    return html
