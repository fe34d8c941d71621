"""The built site's search index: Pagefind's, made over the staged site, or the engine's, made to show text.

Page titles reach the engines as HTML (front matter and navigation are escaped, since MkDocs
puts them into pages unescaped), and Material's search shows them as HTML. Zensical's search
reads a result's path (its breadcrumbs) as markup without decoding character references, so a
title such as "[No headline ...]" read "&#91;No headline ...&#93;" there. Its index's paths keep
references only for HTML's markup characters (& < >), which must stay escaped: Zensical turns
a path's markup into elements (an <img onerror> in a title would load, and break its results).
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import tempfile
from pathlib import Path

from briefing.files import read_regular, replace_file
from briefing.problems import Loc, Problem, error

ZENSICAL_INDEX = "search.json"


def zensical_index_as_text(site: Path) -> None:
    """Turn the breadcrumbs' character references into characters, except & < >, in Zensical's search index."""
    index = site / ZENSICAL_INDEX
    try:
        data = json.loads(read_regular(index))
    except (OSError, ValueError):
        return  # no index (search turned off), or not one Zensical wrote: left as it is
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("path"), list):
            item["path"] = [_markup_only_escaped(part) if isinstance(part, str) else part for part in item["path"]]
    replace_file(index, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), durable=False)


def _markup_only_escaped(text: str) -> str:
    """`text` with every reference decoded and & < > escaped again: '&#91;A&#93; &lt;b&gt;' -> '[A] &lt;b&gt;'."""
    return html.escape(html.unescape(text), quote=False)


# --- Pagefind: the site's search when briefing.toml says search = "pagefind" ------------------

PAGEFIND_FOLDER = "pagefind"  # in the site: Pagefind's index and its search script
PAGEFIND_TIMEOUT = 1800  # seconds: 10,000 facts take about a minute
# What Pagefind indexes: each page's content the site's template marks with data-pagefind-body
# (assets/main.html), without the permalinks, the facts' meta lines and the other parts that
# Material's search leaves out too (data-search-exclude).
PAGEFIND_EXCLUDE = ".headerlink, [data-search-exclude]"


def pagefind_index(site: Path, where: Loc) -> Problem | None:
    """Index the staged `site` with the locked wheel's Pagefind, into site/pagefind/; a problem at `where` if not.

    The program comes from the `pagefind_bin` wheel (never one found on PATH, never a download),
    runs in an empty folder of its own (it reads a pagefind.yml where it runs) with no PAGEFIND_*
    variable (each would change a setting, the output folder among them), and only over a site
    that holds no symbolic link, so that it reads and writes inside the staged site only.
    """
    linked = _first_link(site)
    if linked is not None:
        return error(
            where,
            f"the built site holds a symbolic link ({linked.relative_to(site).as_posix()}); "
            "Pagefind would read through it, so the site was not indexed",
            "remove the link from docs/ or the engine's configuration",
            code="search-site-link",
        )
    try:
        from pagefind_bin import get_executable

        program = str(get_executable())
    except (ImportError, OSError, RuntimeError) as exc:
        return _pagefind_failed(where, f"Pagefind is not installed in this environment ({exc})")
    command = [program, "--site", str(site), "--output-subdir", PAGEFIND_FOLDER, "--exclude-selectors"]
    command += [PAGEFIND_EXCLUDE, "--silent"]
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="pagefind-") as empty:
        try:
            result = subprocess.run(
                command, cwd=empty, env=env, capture_output=True, timeout=PAGEFIND_TIMEOUT, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return _pagefind_failed(where, f"Pagefind could not index the site: {exc}")
    if result.returncode != 0 or not (site / PAGEFIND_FOLDER / "pagefind.js").is_file():
        said = "".join(c if c.isprintable() else " " for c in result.stderr.decode("utf-8", "replace"))
        said = " ".join(said.split())[-500:] or f"exit status {result.returncode}"
        return _pagefind_failed(where, f"Pagefind could not index the site: {said}")
    return None


def _pagefind_failed(where: Loc, message: str) -> Problem:
    return error(
        where,
        message,
        'requirements.txt installs Pagefind (`.venv/bin/pip install -r requirements.txt`); search = "builtin" builds without it',
        code="search-index-failed",
    )


def _first_link(site: Path) -> Path | None:
    """The first symbolic link under `site` (links not followed), or None."""
    for folder, names, files in os.walk(site):
        for name in sorted(names + files):
            if os.path.islink(os.path.join(folder, name)):
                return Path(folder, name)
    return None
