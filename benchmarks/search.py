"""Search at scale: this site's built-in search on both engines against Pagefind, in a throttled browser.

    .venv/bin/python -m benchmarks.search [--sizes 1000 10000] [--out DIR] [--update docs/performance.md]

For each size it writes the synthetic registry of benchmarks/bench.py, builds its site source
with MkDocs (with and without the search plugin: the difference is the time search adds), with
Zensical, and indexes the MkDocs site with Pagefind (the `pagefind_bin` wheel's program). Then,
in Debian's Chromium throttled like a mid-range phone (4x CPU slowdown; 150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up, as Lighthouse's mobile profile), served gzip-compressed, it
opens the home page with an empty cache and records the bytes transferred on load, then turns
to search, types a word, and records the bytes transferred until the first result is shown and
how long that took. Material and Zensical are driven through their own search boxes; Pagefind
through its JavaScript API (pagefind/pagefind.js, the same calls a search box makes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.bench import generator_run, zensical_config
from benchmarks.pageweight import CHROMIUM, serve_compressed
from benchmarks.process import REPO, run
from benchmarks.registry import generate
from briefing.pipeline import BUILD

QUERY = "sovereign"  # a word of the synthetic registry, in many facts
CPU_SLOWDOWN = 4
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
START, END = "<!-- search:start -->\n", "<!-- search:end -->"
PAGEFIND_QUERY = """async (query) => {
  const pagefind = await import('./pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const first = search.results.length ? await search.results[0].data() : null;
  return [search.results.length, first && first.url];
}"""
ZENSICAL_INPUT_FOCUSED = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot);
  return !!(host && host.shadowRoot.activeElement && host.shadowRoot.activeElement.tagName === 'INPUT');
}"""
ZENSICAL_RETYPE = """(query) => {
  const input = [...document.body.children].find(e => e.shadowRoot).shadowRoot.querySelector('input');
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
}"""
ZENSICAL_RESULT = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot);
  return !!(host && host.shadowRoot.querySelector('a[role=option]'));
}"""


@dataclass
class Row:
    size: int
    search: str
    index_bytes: int  # on disk
    index_gzip: int  # as a host serves it
    load_bytes: int  # transferred on the home page's first load
    query_bytes: int  # transferred from turning to search to the first result
    first_result: float  # seconds from turning to search to the first result
    build_added: float  # seconds the search adds to the build (nan: not separable)
    results: int = 0
    failure: str = ""  # why the site could not be built, if it could not


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def _folder_sizes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    # Pagefind's chunks are compressed already; a host serves them as they are.
    return sum(p.stat().st_size for p in files), sum(min(p.stat().st_size, _gzip_size(p)) for p in files)


def pagefind_command(site: Path) -> list[str]:
    """Pagefind run from its wheel's own program over a built site, indexing each page's article."""
    from pagefind_bin import get_executable

    return [
        str(get_executable()),
        "--site",
        str(site),
        "--root-selector",
        "article",
        "--exclude-selectors",
        ".headerlink",
    ]


def builds(n: int, workdir: Path, reuse: bool = False) -> dict[str, tuple[Path, float | str]]:
    """The synthetic site of `n` facts built three ways; each search's site and the build time it added
    (or why its build failed). Each step's result is recorded in timings.json as it ends: with
    `reuse`, the steps an earlier run finished (a 100 000-fact run takes most of an hour) are not run again."""
    root = workdir / f"search-{n}"
    record = root / "timings.json"
    times = json.loads(record.read_text(encoding="utf-8")) if reuse and record.is_file() else {}

    def done(step: str, value: float | str) -> None:
        times[step] = value
        record.write_text(json.dumps(times), encoding="utf-8")

    if "generated" not in times:
        shutil.rmtree(root, ignore_errors=True)
        generator_run(root, generate(n, root))
        done("generated", 1.0)
    source = root / BUILD
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    config = yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if p != "search"]
    (source / "mkdocs-nosearch.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for name in ("mkdocs", "mkdocs-nosearch"):
        if name not in times:
            site = root / f"site-{name}"
            command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", f"{name}.yml", "--site-dir", str(site)]
            done(name, run(command, source, env)[0])
    if "zensical" not in times:
        (source / "zensical.yml").write_text(zensical_config(source), encoding="utf-8")
        try:
            done("zensical", run([sys.executable, "-m", "zensical", "build", "-f", "zensical.yml"], source, env)[0])
        except SystemExit as failed:  # its last line says why (at 100 000 facts: its search index's limits)
            done("zensical", "build fails: " + str(failed).strip().splitlines()[-1])
    if "pagefind" not in times:
        pagefind_site = root / "site-pagefind"
        shutil.rmtree(pagefind_site, ignore_errors=True)
        shutil.copytree(root / "site-mkdocs-nosearch", pagefind_site)
        # Pagefind takes settings from PAGEFIND_* variables and a pagefind.yml where it runs: neither here.
        quiet = {key: value for key, value in env.items() if not key.startswith("PAGEFIND_")}
        done("pagefind", run(pagefind_command(pagefind_site), root, quiet)[0])
    return _sites(root, times)


def _sites(root: Path, times: dict[str, float | str]) -> dict[str, tuple[Path, float | str]]:
    zensical = times["zensical"]
    return {
        "MkDocs + Material (lunr)": (root / "site-mkdocs", times["mkdocs"] - times["mkdocs-nosearch"]),
        "Zensical 0.0.73 (built-in)": (
            root / BUILD / "site-zensical",
            zensical if isinstance(zensical, str) else float("nan"),
        ),
        "Pagefind 1.5 (MkDocs site)": (root / "site-pagefind", times["pagefind"]),
    }


def browse(browser, site: Path, kind: str, query: str = QUERY) -> tuple[int, int, float, int]:
    """(bytes on load, bytes to the first result, seconds to the first result, results) on a throttled phone."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with serve_compressed(site) as base:
        context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        sizes: list[int] = []
        page.on("requestfinished", lambda request: sizes.append(_transferred(request)))
        page.goto(base, wait_until="networkidle", timeout=300_000)
        page.wait_for_timeout(1000)
        loaded = sum(sizes)
        results, shown = 0, True
        start = time.perf_counter()
        if kind.startswith("Pagefind"):
            results = page.evaluate(PAGEFIND_QUERY, query)[0]
        elif kind.startswith("Zensical"):
            page.keyboard.press("Control+k")  # its shortcut (the header's button is hidden at phone width)
            page.wait_for_function(ZENSICAL_INPUT_FOCUSED, timeout=300_000)
            page.keyboard.type(query)
            for _ in range(300):  # as on Material, a query typed before the index is ready is typed again
                try:
                    page.wait_for_function(ZENSICAL_RESULT, timeout=1000, polling=50)
                    break
                except PlaywrightTimeout:
                    page.evaluate(ZENSICAL_RETYPE, query)
            else:
                shown = False
        else:
            page.keyboard.press("/")  # Material's shortcut: it opens and focuses the search box at any width
            page.keyboard.type(query)
            first = page.locator(".md-search-result__item").first
            # Material drops a query typed before its worker has built the index: a reader types again.
            for _ in range(300):
                try:
                    first.wait_for(state="attached", timeout=1000)
                    break
                except PlaywrightTimeout:
                    page.fill(".md-search__input", query)
            else:
                shown = False
        seconds = time.perf_counter() - start if shown else float("nan")  # none in five minutes: no time
        page.wait_for_timeout(200)
        queried = sum(sizes) - loaded
        context.close()
    return loaded, queried, seconds, results


def _transferred(request) -> int:
    if not request.url.startswith("http"):
        return 0
    sizes = request.sizes()
    return sizes["requestHeadersSize"] + sizes["responseHeadersSize"] + sizes["responseBodySize"]


def measure(sizes: list[int], workdir: Path, reuse: bool = False) -> list[Row]:
    from playwright.sync_api import sync_playwright

    rows = []
    for n in sizes:
        print(f"search: building {n:,} facts three ways ...", file=sys.stderr, flush=True)
        sites = builds(n, workdir, reuse)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for kind, (site, added) in sites.items():
                if isinstance(added, str):  # the build failed: nothing to measure, and the reason said
                    rows.append(Row(n, kind, 0, 0, 0, 0, float("nan"), float("nan"), failure=added))
                    continue
                index = {
                    "M": site / "search" / "search_index.json",
                    "Z": site / "search.json",
                    "P": site / "pagefind",
                }[kind[0]]
                raw, packed = _folder_sizes(index) if index.is_dir() else (index.stat().st_size, _gzip_size(index))
                print(f"search: {n:,} facts, {kind} in the browser ...", file=sys.stderr, flush=True)
                loaded, queried, seconds, results = browse(browser, site, kind)
                rows.append(Row(n, kind, raw, packed, loaded, queried, seconds, added, results))
            browser.close()
    return rows


QUOTE_QUERY = "number"  # a word of every quote of the synthetic registry, and of nothing else it shows


def quotes(n: int, workdir: Path) -> list[tuple[str, int, float, int, list[tuple[int, int, float, int]]]]:
    """The `n`-fact site built by `briefing build` with search = "pagefind", without the quotes' words
    (search_quotes_limit below n, as the builtin search needs) and with them: per build, its label,
    the Pagefind index's bytes, the build time, the largest fragment, and browse() for QUERY and QUOTE_QUERY."""
    from playwright.sync_api import sync_playwright

    root = workdir / f"quotes-{n}"
    shutil.rmtree(root, ignore_errors=True)
    archive = generate(n, root)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    built = []
    for label, limit in (("without quotes", min(n - 1, 2000)), ("with quotes", n)):
        settings = f'[briefing]\nsearch = "pagefind"\nsearch_quotes_limit = {limit}\n'
        (root / "briefing.toml").write_text(settings, encoding="utf-8")
        site = root / f"site-{limit}"
        print(f"search: {n:,} facts with Pagefind, {label} ...", file=sys.stderr, flush=True)
        command = [
            str(Path(sys.executable).parent / "briefing"),
            "build",
            "--root",
            str(root),
            "--sources",
            str(archive),
        ]
        seconds = run([*command, "--site-dir", str(site)], root, env)[0]
        fragments = [p.stat().st_size for p in (site / "pagefind" / "fragment").iterdir()]
        built.append((label, _folder_sizes(site / "pagefind")[0], seconds, max(fragments), site))
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for label, size, seconds, largest, site in built:
            rows.append(
                (label, size, seconds, largest, [browse(browser, site, "Pagefind", q) for q in (QUERY, QUOTE_QUERY)])
            )
        browser.close()
    return rows


def quotes_table(n: int, rows: list) -> str:
    lines = [
        f"{n:,} facts, Pagefind over `briefing build`'s site, phone profile as above; first query `{QUERY}`, "
        f"then (another page, empty cache) the quote-only word `{QUOTE_QUERY}`.",
        "",
        "| quotes' words | index on disk | largest fragment | build | first query | first result | results "
        "| quote query | its first result | its results |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, size, seconds, largest, ((_, q1, s1, r1), (_, q2, s2, r2)) in rows:
        lines.append(
            f"| {label} | {size / 2**20:.1f} MiB | {largest / 2**10:,.0f} KiB | {seconds:.0f} s | {q1 / 2**10:,.0f} KiB "
            f"| {s1:.1f} s | {r1:,} | {q2 / 2**10:,.0f} KiB | {s2:.1f} s | {r2:,} |"
        )
    return "\n".join(lines) + "\n"


def table(rows: list[Row]) -> str:
    lines = [
        f"Phone profile: {CPU_SLOWDOWN}x CPU slowdown, {NETWORK['latency']} ms round trip, "
        f"{NETWORK['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s down; served gzip-compressed; "
        f"query `{QUERY}`; one run of each on {os.cpu_count()} cores.",
        "",
        "| facts | search | index on disk | index served | home page load | first query | first result | build time added |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.failure:
            lines.append(f"| {r.size:,} | {r.search} | {r.failure} | | | | | |")
            continue
        added = "not separable" if r.build_added != r.build_added else f"{r.build_added:.1f} s"
        first = "none in 5 min" if r.first_result != r.first_result else f"{r.first_result:.1f} s"
        lines.append(
            f"| {r.size:,} | {r.search} | {r.index_bytes / 2**20:.1f} MiB | {r.index_gzip / 2**10:,.0f} KiB | "
            f"{r.load_bytes / 2**10:,.0f} KiB | {r.query_bytes / 2**10:,.0f} KiB | {first} | {added} |"
        )
    return "\n".join(lines) + "\n"


def _size(line: str) -> int:
    """The number of facts a row of the table is for (0 for any other line)."""
    match = re.match(r"\| ([\d,]+) \|", line)
    return int(match.group(1).replace(",", "")) if match else 0


def merged(page: str, text: str) -> str:
    """The new table, with the page's rows for the sizes this run did not measure kept (a run of
    --sizes 100000 adds its rows to those of 1 000 and 10 000 facts), in order of size."""
    old = page.split(START, 1)[1].split(END, 1)[0] if START in page else ""
    new = text.rstrip("\n").split("\n")
    measured = {_size(line) for line in new} - {0}
    kept = [line for line in old.split("\n") if _size(line) and _size(line) not in measured]
    rows = sorted(kept + [line for line in new if _size(line)], key=_size)  # stable: a size's rows keep their order
    note = [
        f"Rows for {', '.join(f'{n:,}' for n in sorted({_size(k) for k in kept}))} facts are from an earlier run.",
        "",
    ]
    header = [line for line in new if not _size(line)]
    return "\n".join(header[:1] + (note if kept else [""]) + header[2:] + rows) + "\n"


def update(page: Path, text: str) -> None:
    """Put `text` between the page's search markers (a section is added at the end if it has none)."""
    body = page.read_text(encoding="utf-8")
    if START not in body:
        body = body.rstrip("\n") + "\n\n## Search at scale\n\n" + START + END + "\n"
    text = merged(body, text)
    before, rest = body.split(START, 1)
    page.write_text(before + START + text + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--update", type=Path, help="put the table into this page, between its search markers")
    parser.add_argument("--reuse", action="store_true", help="measure the sites an earlier run built in --out")
    parser.add_argument(
        "--quotes", action="store_true", help="Pagefind only: the index without and with the quotes' words"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.quotes:
        for n in args.sizes:
            print(quotes_table(n, quotes(n, args.out)))
        return 0
    text = table(measure(args.sizes, args.out, args.reuse))
    print(text)
    if args.update:
        update(args.update, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
