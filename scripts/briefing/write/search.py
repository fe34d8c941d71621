"""The built site's search index: Pagefind's, made over the staged site, or the engine's, made to show text.

Page titles reach the engines as HTML (front matter and navigation are escaped, since MkDocs
puts them into pages unescaped), and Material's search shows them as HTML. Zensical's search
reads a result's path (its breadcrumbs) as markup without decoding character references, so a
title such as "[No headline ...]" read "&#91;No headline ...&#93;" there. Its index's paths keep
references only for HTML's markup characters (& < >), which must stay escaped: Zensical turns
a path's markup into elements (an <img onerror> in a title would load, and break its results).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import cbor2

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
    """Index the staged `site` with the locked wheel's Pagefind into site/pagefind/, in a stable order; a problem at `where` if not."""
    with pagefind_started(site, where) as finished:
        return finished()


@contextmanager
def pagefind_started(site: Path, where: Loc) -> Iterator[Callable[[], Problem | None]]:
    """Pagefind started over the staged `site`, so that the build checks the site while it indexes.

    Calling what this yields waits for Pagefind and puts its index in a stable order (a problem at
    `where` if either fails); leaving the block first stops a Pagefind still running.
    """
    with _running(site, where) as ended:

        def finished() -> Problem | None:
            problem = ended()
            if problem is not None:
                return problem
            unordered = pagefind_in_order(site / PAGEFIND_FOLDER)
            if unordered is not None:
                return _pagefind_failed(where, f"Pagefind's index could not be put in a stable order: {unordered}")
            return None

        yield finished


def run_pagefind(site: Path, where: Loc) -> Problem | None:
    """Run the locked wheel's Pagefind over the staged `site`, writing site/pagefind/ as Pagefind does; a problem if not."""
    with _running(site, where) as ended:
        return ended()


@contextmanager
def _running(site: Path, where: Loc) -> Iterator[Callable[[], Problem | None]]:
    """Pagefind's process: what this yields waits for its end (a problem if it failed or could not
    start); leaving the block kills and reaps a Pagefind still running, and removes its files."""
    started = _start_pagefind(site, where)
    if isinstance(started, Problem):
        yield lambda: started
        return
    process, said, empty = started
    try:
        yield lambda: _wait_for_pagefind(site, where, process, said)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        said.close()
        empty.cleanup()


def _start_pagefind(
    site: Path, where: Loc
) -> tuple[subprocess.Popen, IO[bytes], tempfile.TemporaryDirectory] | Problem:
    """Pagefind's process, the file its errors go to and its empty working folder; or why it cannot run.

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
    empty = tempfile.TemporaryDirectory(prefix="pagefind-")
    said = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(
            command, cwd=empty.name, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=said
        )
    except OSError as exc:
        said.close()
        empty.cleanup()
        return _pagefind_failed(where, f"Pagefind could not index the site: {exc}")
    return process, said, empty


def _wait_for_pagefind(site: Path, where: Loc, process: subprocess.Popen, said: IO[bytes]) -> Problem | None:
    """Pagefind's end: a problem if it took too long, failed or wrote no search script."""
    try:
        process.wait(timeout=PAGEFIND_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.wait()
        return _pagefind_failed(where, f"Pagefind could not index the site: {exc}")
    if process.returncode != 0 or not (site / PAGEFIND_FOLDER / "pagefind.js").is_file():
        said.seek(0)
        text = "".join(c if c.isprintable() else " " for c in said.read().decode("utf-8", "replace"))
        text = " ".join(text.split())[-500:] or f"exit status {process.returncode}"
        return _pagefind_failed(where, f"Pagefind could not index the site: {text}")
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


# --- Pagefind's index in a stable order -------------------------------------------------------
#
# Pagefind 1.5.2 keeps its filters in a hash map seeded at random on each run, so the filter
# files (filter/*.pf_filter) list their values, and the metadata (pagefind.<hash>.pf_meta) its
# filters, in a different order each time; the files are named by their content's hash, and
# pagefind-entry.json names the metadata, so all three change (Pagefind issue #638; fixed in
# Pagefind's source after 1.5.2, which sorts both by name). The words, pages and fragments are
# already stable. pagefind_in_order() sorts the same two lists the same way and names the files
# as Pagefind does; its search reads filter values into a sorted map, so results do not change.

PAGEFIND_FORMATS = ("1.5.2",)  # the Pagefind versions whose index files pagefind_in_order() knows
PAGEFIND_MARK = b"pagefind_dcd"  # what every compressed index file starts with, once decompressed


def pagefind_in_order(bundle: Path) -> str | None:
    """Sort Pagefind's filters and filter values by name in `bundle`, so that two runs write the same bytes; why not, or None."""
    try:
        entry = json.loads(read_regular(bundle / "pagefind-entry.json"))
        if not isinstance(entry, dict) or entry.get("version") not in PAGEFIND_FORMATS:
            version = entry.get("version") if isinstance(entry, dict) else None
            return (
                f"Pagefind {version} is not a version whose index write/search.py knows ({', '.join(PAGEFIND_FORMATS)})"
            )
        languages = entry.get("languages")
        if not isinstance(languages, dict):
            return "pagefind-entry.json names no languages"
        writes: dict[Path, bytes] = {}
        removals: set[Path] = set()
        for language in sorted(languages):
            meta_name = languages[language].get("hash") if isinstance(languages[language], dict) else None
            if not isinstance(meta_name, str):
                return f"pagefind-entry.json names no metadata for {language!r}"
            new_name = _language_in_order(bundle, language, meta_name, writes, removals)
            languages[language]["hash"] = new_name
        entry["languages"] = dict(sorted(languages.items(), key=lambda item: item[0].encode("utf-8")))
    except (OSError, ValueError, KeyError, TypeError, cbor2.CBORError) as exc:
        return str(exc)
    for path in sorted(removals - set(writes)):
        path.unlink()
    for path, data in sorted(writes.items()):
        replace_file(path, data, durable=False)
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    replace_file(bundle / "pagefind-entry.json", text.encode("utf-8"), durable=False)
    return None


def _language_in_order(bundle: Path, language: str, meta_name: str, writes: dict, removals: set) -> str:
    """One language's metadata and filter files in order, added to `writes` and `removals`; the metadata's new name."""
    meta_path = bundle / f"pagefind.{meta_name}.pf_meta"
    meta = _read_index(meta_path)
    if not (isinstance(meta, list) and len(meta) == 6 and meta[0] in PAGEFIND_FORMATS):
        raise ValueError(f"{meta_path.name} is not Pagefind 1.5's metadata")
    filters, sorts = meta[3], meta[4]
    if not all(_is_pair(item, str, str) for item in filters) or not all(_is_pair(item, str, list) for item in sorts):
        raise ValueError(f"{meta_path.name}: its filters or sorts are not Pagefind 1.5's")
    named: dict[str, str] = {}
    ordered = []
    for name, file_name in sorted(filters, key=lambda item: item[0].encode("utf-8")):
        path = bundle / "filter" / f"{file_name}.pf_filter"
        index = _read_index(path)
        if not (_is_pair(index, str, list) and index[0] == name and all(_is_pair(v, str, list) for v in index[1])):
            raise ValueError(f"{path.name} is not Pagefind 1.5's index of the filter {name!r}")
        index[1].sort(key=lambda value: value[0].encode("utf-8"))
        data = cbor2.dumps(index)
        full = f"{language}_{_pagefind_hash(data)}"
        short = full[: len(language) + 8]
        while short in named and len(short) < len(full):  # Pagefind's rule: lengthen a name until it is free
            short = full[: len(short) + 1]
        named[short] = name
        ordered.append([name, short])
        removals.add(path)
        writes[bundle / "filter" / f"{short}.pf_filter"] = _compressed(data)
    meta[3] = ordered
    meta[4] = sorted(sorts, key=lambda item: item[0].encode("utf-8"))
    data = cbor2.dumps(meta)
    new_name = f"{language}_{_pagefind_hash(data)[: len(language) + 8]}"
    removals.add(meta_path)
    writes[bundle / f"pagefind.{new_name}.pf_meta"] = _compressed(data)
    return new_name


def _read_index(path: Path) -> object:
    """A compressed index file's CBOR, decoded; ValueError unless re-encoding it gives its bytes back."""
    data = gzip.decompress(read_regular(path))
    if not data.startswith(PAGEFIND_MARK):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    data = data[len(PAGEFIND_MARK) :]
    decoded = cbor2.loads(data)
    if cbor2.dumps(decoded) != data:  # a form cbor2 would not write back as it was: a format this code does not know
        raise ValueError(f"{path.name} is not in the CBOR form of Pagefind 1.5")
    return decoded


def _is_pair(item: object, first: type, second: type) -> bool:
    return isinstance(item, list) and len(item) == 2 and isinstance(item[0], first) and isinstance(item[1], second)


def _pagefind_hash(data: bytes) -> str:
    """Pagefind's name for `data`: its SHA-1 as hexadecimal bytes without leading zeros, as Pagefind writes them."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _compressed(data: bytes) -> bytes:
    """An index file as Pagefind's search reads it: gzip (no time, no name) of the mark and the CBOR."""
    return gzip.compress(PAGEFIND_MARK + data, compresslevel=9, mtime=0)
