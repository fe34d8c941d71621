"""The build as a library: load → check → render → write, one function a stage; nothing here prints.

Each stage takes what it needs and returns a value: `load` reads every input (the registry,
the engine's configuration mkdocs.yml, what the parse cache remembers), `check` returns the
problems and what the checks found (the quotes as their archives print them), `read_past`
reads the git history (after the checks: each past revision is checked with them, and with
what they found), `render` returns the site source's files, and `build` writes them: nothing
is written until every problem is known, and the output is staged beside its final place and
switched in only when the whole build has succeeded, so a failed build leaves build/ and site/
as they were. `build` returns a Report, which the `briefing` commands (commands/) print. The live
preview, which renders and checks again only what an edit reaches, is preview.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from briefing.check.active_content import ActiveContent, site_files
from briefing.check.checks import check_registry
from briefing.check.corrections import check_corrections, check_retractions
from briefing.check.coverage import check_coverage
from briefing.check.quotes import FoundQuotes, check_quotes
from briefing.forked import forked
from briefing.load.cache import ParseCache, TrackedCacheFiles
from briefing.load.config import read_config
from briefing.load.discovery import editor_schema_problems
from briefing.load.git import last_commit_time
from briefing.load.history import History, load_history
from briefing.load.model import Registry
from briefing.load.registry import load_registry
from briefing.problems import Problem, format_problem, sort_problems
from briefing.project import DEFAULTS, Settings, setting_place
from briefing.tools.linkcheck import BrokenLink, check_site
from briefing.write import output
from briefing.write.engine import engine_missing, give_back_memory, run_engine
from briefing.write.search import pagefind_started

BUILD = Path("build")  # the site source: mkdocs.yml and docs/, which any mkdocs.yml-reading engine builds
CACHE = Path(".cache") / "briefing"
VERIFIED = "verified-quotes"  # the parse cache's map: quote key -> its archived words
FIGURES = "figures-found"  # the parse cache's map: keys of facts whose figures and support were found
STOPPED = "build stopped: nothing was written"


@dataclass
class Options:
    """Where things are; relative paths are taken from the project root."""

    root: Path
    sources: Path
    strict: bool
    site_dir: Path
    settings: Settings = DEFAULTS

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

    @property
    def site_path(self) -> Path:
        return self.site_dir if self.site_dir.is_absolute() else self.root / self.site_dir

    @property
    def archive_dir(self) -> Path:
        return self.sources if self.sources.is_absolute() else self.root / self.sources

    @property
    def archive_shown(self) -> str:
        """The archive folder as messages name it: relative to the project."""
        return Path(os.path.relpath(self.archive_dir, self.root)).as_posix()

    @property
    def base_path(self) -> str:
        """The path the site is published under: '/briefing/' for https://example.org/briefing/."""
        path = urlsplit(self.settings.site_url).path.strip("/")
        return f"/{path}/" if path else "/"


@dataclass
class Remembered:
    """What earlier runs' checks found, from the parse cache: what need not be looked for again."""

    figures: dict[str, str] = field(default_factory=dict)
    quotes: dict[str, str] = field(default_factory=dict)


@dataclass
class Loaded:
    """Every input of a build, read once, and what is wrong with them."""

    registry: Registry
    problems: list[Problem]
    config: dict | None = None  # the engine's configuration (mkdocs.yml), if asked for and usable
    cache: ParseCache | None = None
    remembered: Remembered = field(default_factory=Remembered)


@dataclass
class Checked:
    """What the checks say of a registry, and what they found."""

    problems: list[Problem]
    figures: dict[str, str]  # keys of the facts whose figures and support were found
    quotes: FoundQuotes


PageMaker = Callable[[Options, Loaded, Checked, History], dict[str, str]]  # the pages of a rendering


@dataclass
class Report:
    """What a command did, for it to print: the problems, notes, and what was written."""

    registry: Registry = field(default_factory=Registry)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said before the problems: what happened on the way
    failures: list[str] = field(default_factory=list)  # said after them: why nothing was written
    files: dict[str, str | bytes] | None = None  # the site source once written; emptied when an engine builds it
    status: int = 0  # the exit status: 0 done, 1 the input has problems, 2 the command cannot run

    @property
    def errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def load(options: Options, cache: bool = False, config: bool = False, built: dict | None = None) -> Loaded:
    """Read the registry (and, with `config`, mkdocs.yml); with `cache`, through the parse cache in .cache/briefing/.

    `built`: the live preview's files as last loaded, by content: an unchanged file is not loaded again.
    """
    tracked = TrackedCacheFiles(options.root)  # git lists them while the registry loads
    parse_cache = ParseCache(options.root / CACHE) if cache else None
    registry, problems = load_registry(options.facts_dir, options.root, parse_cache, built)
    problems += editor_schema_problems(options.facts_dir, options.root, options.strict)
    remembered = Remembered()
    if parse_cache:
        remembered = Remembered(parse_cache.load_map(FIGURES), parse_cache.load_map(VERIFIED))
    engine_config = None
    if config:
        engine_config, config_problems = read_config(options.root)
        problems += config_problems
    problems += tracked.problems(options.strict)
    return Loaded(registry, problems, engine_config, parse_cache, remembered)


def check(
    registry: Registry,
    options: Options,
    remembered: Remembered | None = None,
    archived: Registry | None = None,
    whole: bool = True,
) -> Checked:
    """Cross-references, figures, quotes and coverage; what `remembered` holds is not looked for again.

    `archived`: the part of `registry` whose quotes and coverage are checked (the preview's
    sources an edit reaches, see `recheck`); the whole registry if None. `whole=False` leaves
    out the whole-registry checks (check_registry), which `prepare` runs on another core.
    """
    remembered = remembered or Remembered()
    archived = registry if archived is None else archived
    problems, figures = check_registry(registry, options.strict, remembered.figures) if whole else ([], {})
    found = check_quotes(archived, options.archive_dir, options.strict, options.archive_shown, remembered.quotes)
    problems += found[0]
    coverage_problems, sentences = check_coverage(archived, options.archive_dir, options.strict)
    problems += coverage_problems
    problems += check_retractions(registry)
    return Checked(problems, figures, replace(found[1], sentences=sentences))


def remember(loaded: Loaded, checked: Checked) -> None:
    """Keep what the checks found in the parse cache for the next run; drop what this run did not use."""
    if loaded.cache:
        loaded.cache.save_map(FIGURES, checked.figures)
        loaded.cache.save_map(VERIFIED, checked.quotes.verified)
        loaded.cache.prune()


def gather(options: Options, cache: bool = False) -> tuple[Registry, list[Problem]]:
    """Load and check: the registry and every problem, sorted (what `briefing check` reports)."""
    loaded = load(options, cache)
    checked = check(loaded.registry, options, loaded.remembered)
    remember(loaded, checked)
    return loaded.registry, sort_problems(loaded.problems + checked.problems)


def read_past(options: Options, loaded: Loaded, checked: Checked) -> tuple[History, list[str]]:
    """The registry's git history, each past revision's errors checked as this build checks them, and warnings."""
    if not options.archive_dir.is_dir():
        return History(
            False, "the archive of source texts is not in this build, so past revisions could not be checked"
        ), []
    figures, quotes = dict(checked.figures), dict(checked.quotes.verified)

    def passes(past: Registry) -> list[str]:
        """The codes of the errors a build would stop at (an unused entry a retraction leaves is only untidy)."""
        problems, found = check_registry(past, False, figures)
        quote_problems, verified = check_quotes(past, options.archive_dir, True, options.archive_shown, quotes)
        figures.update(found)
        quotes.update(verified.verified)
        return [p.code for p in problems + quote_problems if p.severity == "error"]

    return load_history(options.root, options.archive_dir, loaded.registry, passes, loaded.cache)


def render(
    options: Options, loaded: Loaded, checked: Checked, history: History, pages: PageMaker | None = None
) -> tuple[dict, list[Problem]]:
    """The site source's files by path (pages, navigation, configuration, hand-written pages), and problems.

    `pages` makes the pages (`render_pages` if None): the live preview's renders again only what an
    edit reaches (preview.py).
    """
    from briefing.render.site_source import site_source  # rendering needs Jinja; checking does not

    made = (pages or render_pages)(options, loaded, checked, history)
    return site_source(options.root, loaded.config, made, options.settings)


def render_pages(
    options: Options, loaded: Loaded, checked: Checked, history: History, only: set[str] | None = None
) -> dict[str, str]:
    """Every page and file render_site makes (with `only`, those pages alone)."""
    from briefing.render.pages import render_site

    templates = options.root / "templates"
    return render_site(loaded.registry, templates, options.settings, history, checked.quotes, only=only)


def prepare(options: Options, cache: bool = True) -> Report:
    """Load, check and render: a report whose files are the site source, or None if any input is wrong.

    The whole-registry checks run on a second core (forked.py) while the quotes are checked
    and the pages rendered; the rendering is kept only if no check finds an error, so the report
    is the one that checking everything first and rendering after gives.
    """
    loaded = load(options, cache, config=True)
    registry, remembered = loaded.registry, loaded.remembered
    with forked(lambda: check_registry(registry, options.strict, remembered.figures)) as whole:
        part = check(registry, options, remembered, whole=False)
        early = None
        if loaded.config is not None and not any(p.severity == "error" for p in loaded.problems + part.problems):
            try:  # the past is read with the figures found before: only how much is checked again differs
                early = rendered(options, loaded, replace(part, figures=dict(remembered.figures)))
            except Exception:  # noqa: BLE001 - a registry with errors may not render; finish() says which
                early = None
        problems, figures = whole.result()
    return finish(options, loaded, Checked(problems + part.problems, figures, part.quotes), made=early)


def finish(
    options: Options,
    loaded: Loaded,
    checked: Checked,
    pages: PageMaker | None = None,
    made: tuple[list[str], list[Problem], dict] | None = None,
    remembered: bool = True,
) -> Report:
    """After the checks: remember what they found, read the history and render, unless there are errors.

    `made`: what `rendered` gave before the checks ended (prepare), used if there are no errors.
    Without `remembered`, the caller remembers (the live preview does once the pages are written).
    """
    if remembered:
        remember(loaded, checked)
    report = Report(loaded.registry, loaded.problems + checked.problems)
    if loaded.config is not None and not report.errors:
        report.notes, more, report.files = made or rendered(options, loaded, checked, pages)
        report.problems += more
    report.problems = sort_problems(report.problems)
    if report.errors:
        report.files, report.status = None, 1
    return report


def rendered(
    options: Options, loaded: Loaded, checked: Checked, pages: PageMaker | None = None
) -> tuple[list[str], list[Problem], dict]:
    """The history's notes, the problems of the corrections and of the site source, and its files."""
    history, notes = read_past(options, loaded, checked)
    problems = check_corrections(loaded.registry, history, options.strict)
    files, source_problems = render(options, loaded, checked, history, pages)
    return notes, problems + source_problems, files


def build(options: Options, engine: str | None = "mkdocs") -> Report:
    """Check, render the site source, build the site with `engine` (None: the source only), switch both in."""
    site = options.site_path
    refusal = site_refusal(site, options)
    if refusal:
        shown = options.site_dir.as_posix()
        return Report(failures=[f"error: --site-dir {shown}: {refusal}; nothing was touched"], status=2)
    refused = output.refusals(options.root, site)
    if refused:
        return Report(problems=refused, failures=[STOPPED], status=1)
    missing = engine_missing(engine) if engine else None
    if missing:
        return Report(failures=[missing], status=2)
    with output.build_lock(options.root) as lock:
        recovered = output.recover(options.root, site)
        report = prepare(options)
        report.notes[:0] = [f"note: {recovered}"] if recovered else []
        if report.files is None:
            report.failures.append(STOPPED)
            return report
        staged = output.stage(options.root, site)
        output.write_files(staged.source, report.files)
        if engine:  # written: the engine reads them from there, and needs the memory they hold
            report.files = {}
            give_back_memory()
            if not _site_made(options, staged, lock, engine, report):
                output.discard(staged)
                report.files, report.status = None, 1
                return report
        output.switch(options.root, staged, options.root / BUILD, site if engine else None)
    return report


def _site_made(options: Options, staged: output.Staged, lock: int, engine: str, report: Report) -> bool:
    """Build the staged site with `engine`, check its links and pages and, with Pagefind, index it
    meanwhile (the site is switched in with its index, or not at all); False, with why, if not."""
    if not run_engine(staged, lock, engine, last_commit_time(options.root)):
        report.failures.append(f"{engine} build failed: build/ and site/ are as they were")
        return False
    files = site_files(staged.site)  # listed before Pagefind writes its folder in the site
    pagefind = options.settings.search == "pagefind"
    with pagefind_started(staged.site, setting_place(options.root, "search")) if pagefind else _nothing() as indexed:
        broken = check_site(staged.site, options.base_path, docs=options.root / "docs", files=files)[0]
        if broken:
            report.failures += [_site_problem(found) for found in broken]
            report.failures.append(f"{engine} build failed: build/ and site/ are as they were")
            return False
        unindexed = indexed()
    if unindexed:
        report.problems.append(unindexed)
        report.failures.append("search index failed: build/ and site/ are as they were")
        return False
    return True


@contextmanager
def _nothing() -> Iterator[Callable[[], None]]:
    """No search index to wait for: the engine's own search, made with the site."""
    yield lambda: None


def site_refusal(site: Path, options: Options) -> str | None:
    """Why `site` cannot be the output folder: it is, holds or sits in an input; None if it can be."""
    resolved = site.resolve()
    root = options.root.resolve()
    if resolved == root or root.is_relative_to(resolved):
        return "it holds the whole project"
    inputs = {
        "facts/": options.facts_dir,
        "docs/": options.root / "docs",
        "templates/": options.root / "templates",
        "scripts/": options.root / "scripts",
        "build/ (the site source)": options.root / BUILD,
        ".git/": options.root / ".git",
        ".cache/": options.root / ".cache",
        "the archive folder": options.archive_dir,
    }
    for name, path in inputs.items():
        path = path.resolve()
        if resolved == path or resolved.is_relative_to(path) or path.is_relative_to(resolved):
            return f"the build would replace {name}, an input"
    return output.site_refusal(site, options.root / "site")


def _site_problem(found: BrokenLink | ActiveContent) -> str:
    """A broken link as `error: ...`; active content where its author wrote it, `docs/x.md:3:1: error: ...`."""
    return format_problem(found.problem) if isinstance(found, ActiveContent) else f"error: {found}"
