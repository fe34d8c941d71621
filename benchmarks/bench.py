"""Benchmark: a synthetic registry of N facts through the whole build, stage by stage.

    .venv/bin/python -m benchmarks.bench [--sizes 1000 10000] [--repeat 3] [--out DIR] [--markdown FILE]

For each size it writes a realistic registry (many sources whose archived texts contain the
quotes, hundreds of entities, 1-3 citations per fact, disagreements) into a scratch project,
then measures, as the median of --repeat runs: load, check (quotes included), render and
write (the generator's stages), the same stages after a one-file edit (parse cache warm), and
`mkdocs build` with this site's configuration and with a reference configuration (a typical
Material setup: the usual extension set, navigation.sections, every page in the navigation,
no pruning) on the same generated pages, and the live preview after the edit (`mkdocs build
--dirty`, which rebuilds only the changed pages, as `briefing serve --dirty` does). It prints
one table per size, peak memory, page count, search index size and the largest page, and the
ratios the speed targets are set in.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from benchmarks.preview import preview_run, served_run
from benchmarks.process import REPO, run
from benchmarks.registry import generate
from briefing.files import write_changed
from briefing.load.history import History
from briefing.pipeline import BUILD, Options, check, load, remember, render

# --- measuring ---------------------------------------------------------------------------

REFERENCE_EXTENSIONS = """markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.betterem
  - pymdownx.caret
  - pymdownx.details
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.keys
  - pymdownx.mark
  - pymdownx.smartsymbols
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.tilde
"""


def reference_config(source: Path) -> str:
    """The site source's mkdocs.yml turned into a typical Material setup: the usual extensions,
    navigation.sections, no pruning, and every page in the navigation."""
    config = yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["features"] = ["navigation.sections", *config["theme"]["features"]]
    config["nav"] = full_nav(source / "docs")
    config.pop("not_in_nav", None)
    extensions = yaml.safe_dump({k: v for k, v in config.items() if k != "markdown_extensions"}, sort_keys=False)
    return extensions + REFERENCE_EXTENSIONS


def full_nav(docs: Path) -> list:
    """Every page in the navigation, by folder, as MkDocs' automatic navigation would."""
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    sections: dict[str, list[str]] = {}
    for page in pages:
        sections.setdefault(page.split("/")[0] if "/" in page else "", []).append(page)
    nav: list = list(sections.pop("", []))
    nav += [{folder.capitalize(): items} for folder, items in sections.items()]
    return nav


def zensical_config(source: Path) -> str:
    """The site source's mkdocs.yml for Zensical, which keeps its output inside the config's folder."""
    return (
        (source / "mkdocs.yml").read_text(encoding="utf-8").replace("site_dir: ../site\n", "site_dir: site-zensical\n")
    )


ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")  # the engines' builds


@dataclass
class Measured:
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def stages(root: Path, archive: Path) -> dict[str, float]:
    """The generator's stages once, in this process (pipeline.py); the parse cache is whatever is on disk."""
    options = Options(root, archive, strict=True, site_dir=root / "site")
    times = {}
    start = time.perf_counter()
    loaded = load(options, cache=True, config=True)
    times["load"] = time.perf_counter() - start
    start = time.perf_counter()
    checked = check(loaded.registry, options, loaded.remembered)
    remember(loaded, checked)
    times["check"] = time.perf_counter() - start
    errors = [str(p) for p in loaded.problems + checked.problems if p.severity == "error"]
    if errors:
        raise SystemExit("the synthetic registry has errors:\n" + "\n".join(errors[:10]))
    start = time.perf_counter()
    files, _ = render(options, loaded, checked, History(False, "not measured"))
    times["render"] = time.perf_counter() - start
    start = time.perf_counter()
    write_changed(root / BUILD, files)
    times["write"] = time.perf_counter() - start
    return times


def _worker(root: Path, archive: Path) -> None:
    gc.collect()
    print(json.dumps(stages(root, archive)))


def generator_run(root: Path, archive: Path) -> tuple[dict[str, float], float]:
    """Time the generator's stages in a fresh process; return the stage times and its peak memory."""
    command = [
        sys.executable,
        "-c",
        f"from benchmarks.bench import _worker; from pathlib import Path; _worker(Path({str(root)!r}), Path({str(archive)!r}))",
    ]
    _, peak, printed = run(command, REPO)
    return json.loads(printed.strip().splitlines()[-1]), peak


@dataclass
class Result:
    size: int
    cold: dict[str, Measured]
    edit: dict[str, Measured]
    generator_peak: float
    ours: Measured
    reference: Measured
    preview: Measured  # mkdocs build --dirty after a one-file edit, as `briefing serve --dirty` rebuilds
    zensical: Measured  # the same site source built by Zensical (empty if it is not installed)
    served: dict[str, list] = field(default_factory=dict)  # briefing serve --dirty: render and mkdocs times
    command: Measured = field(default_factory=Measured)  # `briefing build` whole, cold, with Pagefind
    pages: int = 0
    search_index: int = 0
    largest_page: tuple[int, str] = (0, "")

    @property
    def generator_cold(self) -> float:
        return sum(m.median for m in self.cold.values())

    @property
    def generator_edit(self) -> float:
        return sum(m.median for m in self.edit.values())

    @property
    def whole(self) -> float:
        return self.generator_cold + self.ours.median

    @property
    def whole_reference(self) -> float:
        return self.generator_cold + self.reference.median


def measure(n: int, workdir: Path, repeat: int, compare: bool = True) -> Result:
    """One size through every stage; with `compare`, also the reference configuration and Zensical."""
    root = workdir / f"bench-{n}"
    shutil.rmtree(root, ignore_errors=True)
    archive = generate(n, root)
    cold, edit, peak = _generator_times(root, archive, repeat)
    generator_run(root, archive)
    ours, reference, zensical = _engine_builds(root, repeat if n <= 2000 else 1, compare)
    site = root / "site-mkdocs"
    html = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    search_index = (site / "search" / "search_index.json").stat().st_size
    preview = _dirty_rebuilds(root, archive, site, repeat)
    served = {**preview_run(root, archive, repeat), "live": served_run(root, archive, repeat)["seconds"]}
    command = command_builds(root, archive, repeat if n <= 2000 else 1)  # last: it replaces build/
    return Result(
        n,
        cold,
        edit,
        peak,
        ours,
        reference,
        preview,
        zensical,
        served,
        pages=len(html),
        search_index=search_index,
        largest_page=max(html),
        command=command,
    )


EDITED = Path("facts") / "facts-000.yaml"  # the file a contributor edits: one statement in it


def _generator_times(root: Path, archive: Path, repeat: int) -> tuple[dict, dict, float]:
    """The generator's stages cold (no parse cache, no generated pages) and after a one-file edit; its peak memory."""
    cold: dict[str, Measured] = {k: Measured() for k in ("load", "check", "render", "write")}
    edit: dict[str, Measured] = {k: Measured() for k in ("load", "check", "render", "write")}
    peak = 0.0
    for _ in range(repeat):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        shutil.rmtree(root / BUILD, ignore_errors=True)
        times, rss = generator_run(root, archive)
        peak = max(peak, rss)
        for k, v in times.items():
            cold[k].seconds.append(v)
    edited = root / EDITED
    original = edited.read_text(encoding="utf-8")
    for r in range(repeat):
        edited.write_text(original.replace("(fact 0).", f"(fact 0, edited{' again' * r}).", 1), encoding="utf-8")
        times, rss = generator_run(root, archive)
        for k, v in times.items():
            edit[k].seconds.append(v)
    edited.write_text(original, encoding="utf-8")
    return cold, edit, peak


HALVES = "briefing.write.mkdocs_halves"


def _engine_builds(root: Path, builds: int, compare: bool) -> tuple[Measured, Measured, Measured]:
    """MkDocs with this site's configuration and, with `compare`, the reference one and Zensical, `builds` times."""
    source = root / BUILD
    (source / "mkdocs-reference.yml").write_text(reference_config(source), encoding="utf-8")
    (source / "zensical.yml").write_text(zensical_config(source), encoding="utf-8")
    ours, reference, zensical = Measured(), Measured(), Measured()
    for _ in range(builds):  # a large reference build takes minutes: once is enough there
        # ours as `briefing build` runs MkDocs (write/mkdocs_halves.py: with the engine's own search, which
        # this registry has, on one core, as it must); the reference as MkDocs alone
        configs = (("mkdocs.yml", ours, HALVES), ("mkdocs-reference.yml", reference, "mkdocs"))
        for config, measured, module in configs if compare else configs[:1]:
            site = root / f"site-{config.split('.')[0]}"
            shutil.rmtree(site, ignore_errors=True)
            command = [sys.executable, "-m", module, "build", "--quiet", "-f", config, "--site-dir", str(site)]
            seconds, rss, _ = run(command, source, ENV)
            measured.seconds.append(seconds)
            measured.peak_mib = max(measured.peak_mib, rss)
        if compare and importlib.util.find_spec("zensical"):  # the same site source, built by the other engine
            shutil.rmtree(source / "site-zensical", ignore_errors=True)
            shutil.rmtree(source / ".cache", ignore_errors=True)
            seconds, rss, _ = run([sys.executable, "-m", "zensical", "build", "-f", "zensical.yml"], source, ENV)
            zensical.seconds.append(seconds)
            zensical.peak_mib = max(zensical.peak_mib, rss)
    return ours, reference, zensical


def command_builds(root: Path, archive: Path, builds: int) -> Measured:
    """`briefing build` as CI runs it, cold (no parse cache, site source or site) and with this
    briefing's search, Pagefind: every check, MkDocs, the check of the built HTML and the index."""
    settings = root / "briefing.toml"
    settings.write_text('[briefing]\nsearch = "pagefind"\n', encoding="utf-8")
    site = root / "site-command"
    command = [str(Path(sys.executable).parent / "briefing"), "build", "--root", str(root)]
    command += ["--sources", str(archive), "--site-dir", str(site)]
    measured = Measured()
    try:
        for _ in range(builds):
            for folder in (root / ".cache", root / BUILD, site):
                shutil.rmtree(folder, ignore_errors=True)
            seconds, rss, _ = run(command, root, ENV)
            measured.seconds.append(seconds)
            measured.peak_mib = max(measured.peak_mib, rss)
    finally:
        settings.unlink()
    return measured


def _dirty_rebuilds(root: Path, archive: Path, site: Path, repeat: int) -> Measured:
    """After a one-file edit, the generator rewrites the pages whose Markdown changed and MkDocs
    rebuilds only those (`mkdocs build --dirty`) into the site built before."""
    edited = root / EDITED
    original = edited.read_text(encoding="utf-8")
    preview = Measured()
    for r in range(repeat):
        edited.write_text(original.replace("(fact 0).", f"(fact 0, previewed{' again' * r}).", 1), encoding="utf-8")
        generator_run(root, archive)
        command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "--quiet", "--site-dir", str(site)]
        preview.seconds.append(run(command, root / BUILD, ENV)[0])
    edited.write_text(original, encoding="utf-8")
    return preview


def table(result: Result) -> str:
    """One size's measurements as a Markdown table, with the ratios the targets are set in."""
    whole = result.whole
    rows = [
        ("load (parse + validate)", result.cold["load"].median, result.edit["load"].median, ""),
        ("check (references + quotes)", result.cold["check"].median, result.edit["check"].median, ""),
        ("render (Jinja)", result.cold["render"].median, result.edit["render"].median, ""),
        ("write (changed files only)", result.cold["write"].median, result.edit["write"].median, ""),
        ("generator, all stages", result.generator_cold, result.generator_edit, f"{result.generator_peak:.0f} MiB"),
        (
            "mkdocs build, this site's config",
            result.ours.median,
            result.preview.median,
            f"{result.ours.peak_mib:.0f} MiB",
        ),
        ("mkdocs build, reference config", result.reference.median, None, f"{result.reference.peak_mib:.0f} MiB"),
        ("zensical build, the same site source", result.zensical.median, None, f"{result.zensical.peak_mib:.0f} MiB"),
        ("whole build (generator + mkdocs)", whole, result.generator_edit + result.preview.median, ""),
        (
            "`briefing build`, the whole command (+ built-HTML check, Pagefind)",
            result.command.median,
            None,
            f"{result.command.peak_mib:.0f} MiB",
        ),
    ]
    lines = [
        f"### {result.size:,} facts",
        "",
        "| stage | cold (s) | after a one-file edit (s) | peak memory |",
        "|---|---:|---:|---:|",
    ]
    for name, cold, warm, memory in rows:
        lines.append(f"| {name} | {cold:.2f} | {'' if warm is None else f'{warm:.2f}'} | {memory} |")
    lines += [
        "",
        f"- pages: {result.pages:,}; search index: {result.search_index / 2**20:.1f} MiB; "
        f"largest page: {result.largest_page[1]} ({result.largest_page[0] / 2**10:.0f} KiB)",
        f"- speed-up over the reference configuration: {result.whole_reference / whole:.1f}x "
        f"(whole build {result.whole_reference:.1f} s → {whole:.1f} s)"
        if result.reference.seconds
        else "- the reference configuration and Zensical were not built at this size (--compare-up-to)",
        f"- after a one-file edit, MkDocs rebuilds only the pages whose Markdown changed (`mkdocs build --dirty`, "
        f"as `briefing serve --dirty` does): the preview follows an edit in "
        f"{result.generator_edit + result.preview.median:.1f} s instead of a whole build's {whole:.1f} s",
        f"- edit → preview through `briefing serve --dirty` (one process keeps the last rendering and check; "
        f"only the part of the registry an edit of words reaches is checked again, and only the pages it reaches "
        f"are rendered again, {_median(result.served['pages']):.0f} pages; no search): "
        f"{_median(result.served['render']):.2f} s generator ({_median(result.served['render_cpu']):.2f} s of CPU) + "
        f"{_median(result.served['mkdocs']):.2f} s MkDocs = "
        f"**{_median(result.served['render']) + _median(result.served['mkdocs']):.2f} s**; "
        f"the preview process's peak memory {_median(result.served['peak_mib']):.0f} MiB; "
        f"load average {_median(result.served['load']):.1f}",
        f"- edit → page, the whole way (`briefing serve --dirty` running; from the file saved to the served page "
        f"carrying the new words, both watchers' polling and MkDocs' rebuild in its server included): "
        f"**{_median(result.served['live']):.2f} s** (median; {min(result.served['live']):.2f}-"
        f"{max(result.served['live']):.2f} s over {len(result.served['live'])} edits)",
        f"- generator share of the cold whole build: {100 * result.generator_cold / whole:.1f} %; "
        f"after a one-file edit: {100 * result.generator_edit / whole:.2f} % of the cold whole build",
        "",
    ]
    return "\n".join(lines)


def _median(values: list) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of facts (default: 1000 10000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown (default: 3)")
    parser.add_argument("--out", type=Path, default=REPO / ".cache" / "bench", help="scratch folder")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument(
        "--update",
        type=Path,
        help="put the tables into this page, between its <!-- bench:start --> and <!-- bench:end --> lines",
    )
    parser.add_argument(
        "--compare-up-to",
        type=int,
        default=10000,
        help="build the reference configuration and Zensical only up to this many facts (default: 10000)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {os.uname().machine}"
    machine += f", load average {os.getloadavg()[0]:.1f} at the start"
    results = []
    for n in args.sizes:
        print(f"measuring {n:,} facts ...", file=sys.stderr, flush=True)
        results.append(measure(n, args.out, args.repeat, n <= args.compare_up_to))
        print(table(results[-1]), flush=True)
    report = [
        f"Machine: {machine}. Median of {args.repeat} runs (one mkdocs run per configuration above 2 000 facts).",
        "",
    ]
    report += [table(r) for r in results]
    if len(results) >= 2:
        small, large = results[0], results[-1]
        report.append(
            f"Growth: whole build at {large.size:,} facts / at {small.size:,} facts = "
            f"{large.whole / small.whole:.1f} (for {large.size / small.size:.0f}x the facts)."
        )
    text = "\n".join(report) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.update:
        page = args.update.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
        before, rest = page.split(start, 1)
        args.update.write_text(before + start + text + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")
    from benchmarks import search  # the search table: built-in search on both engines against Pagefind

    search.main(
        ["--sizes", *map(str, args.sizes), "--out", str(args.out)]
        + (["--update", str(args.update)] if args.update else [])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
