"""The built site's search index, made to show text on every engine.

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
from pathlib import Path

from briefing.files import read_regular, replace_file

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
