"""The build as a library: load → check → render → write, one function a stage; nothing here prints.

Each stage takes what it needs and returns a value: `load` reads every input (the registry,
the engine's configuration mkdocs.yml, what the parse cache remembers), `check` returns the
problems and what the checks found (the quotes as their archives print them), `read_past`
reads the git history (after the checks: each past revision is checked with them, and with
what they found), `render` returns the site source's files, and `build` writes them: nothing
is written until every problem is known, and the output is staged beside its final place and
switched in only when the whole build has succeeded, so a failed build leaves build/ and site/
as they were. `build` returns a Report, which the `briefing` commands (commands/) print.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from briefing.check.active_content import ActiveContent
from briefing.check.checks import check_registry
from briefing.check.corrections import check_corrections, check_retractions
from briefing.check.coverage import check_coverage
from briefing.check.quotes import FoundQuotes, check_quotes, sha256_of
from briefing.files import replace_file, write_changed
from briefing.load.cache import ParseCache, TrackedCacheFiles
from briefing.load.config import CONFIG, read_config
from briefing.load.git import last_commit_time
from briefing.load.history import History, load_history
from briefing.load.model import Registry
from briefing.load.registry import load_registry
from briefing.problems import Problem, format_problem, sort_problems
from briefing.project import DEFAULTS, Settings, setting_place
from briefing.render.dependencies import changed_facts
from briefing.tools.linkcheck import BrokenLink, check_site
from briefing.write import output
from briefing.write.engine import engine_missing, run_engine
from briefing.write.search import pagefind_index

BUILD = Path("build")  # the site source: mkdocs.yml and docs/, which any mkdocs.yml-reading engine builds
PREVIEW = output.PREVIEW  # the live preview's site source: a preview never touches build/ and site/
CACHE = Path(".cache") / "briefing"
VERIFIED = "verified-quotes"  # the parse cache's map: quote key -> its archived words
FIGURES = "figures-found"  # the parse cache's map: keys of facts whose figures and support were found
STOPPED = "build stopped: nothing was written"
SEARCH_PLUGINS = ("search", "material/search")


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


@dataclass
class Report:
    """What a command did, for it to print: the problems, notes, and what was written."""

    registry: Registry = field(default_factory=Registry)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said before the problems: what happened on the way
    failures: list[str] = field(default_factory=list)  # said after them: why nothing was written
    files: dict[str, str | bytes] | None = None  # the site source, once written
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
    registry: Registry, options: Options, remembered: Remembered | None = None, archived: Registry | None = None
) -> Checked:
    """Cross-references, figures, quotes and coverage; what `remembered` holds is not looked for again.

    `archived`: the part of `registry` whose quotes and coverage are checked (the preview's
    sources an edit reaches, see `recheck`); the whole registry if None.
    """
    remembered = remembered or Remembered()
    archived = registry if archived is None else archived
    problems, figures = check_registry(registry, options.strict, remembered.figures)
    found = check_quotes(archived, options.archive_dir, options.strict, options.archive_shown, remembered.quotes)
    problems += found[0]
    coverage_problems, sentences = check_coverage(archived, options.archive_dir, options.strict)
    problems += coverage_problems
    problems += check_retractions(registry)
    return Checked(problems, figures, replace(found[1], sentences=sentences))


def recheck(options: Options, loaded: Loaded, earlier: Preview) -> Checked | None:
    """The checks after an edit of facts' words, from the last good ones: None if the edit is of another kind.

    What the full check says of `loaded` is what it said of the last registry, less what the checks
    say of the part the edit reaches (the edited facts, the sources they cite and every citation of
    those sources) before the edit, plus what they say of it after. Problems the part shows only
    because it is a part (an entity no fact of it names) are in both and cancel out. Anything that
    does not add up (the last check did not report what the part reported before) checks everything.
    """
    old, last, new = earlier.registry, earlier.checked, loaded.registry
    changed = None if old is None or last is None or not new.complete else changed_facts(old, new)
    if changed is None or not _same_places(old, new, changed):
        return None
    part, archived = _part(old, changed)
    before = check(part, options, loaded.remembered, archived)
    part, archived = _part(new, changed)
    after = check(part, options, loaded.remembered, archived)
    counted = Counter(last.problems)
    counted.update(after.problems)
    counted.subtract(before.problems)
    if any(n < 0 for n in counted.values()):
        return None
    cited = {c.source for f in new.facts if f.id in changed for c in f.citations}
    quotes = replace(
        after.quotes,
        verified=_renewed(last.quotes.verified, before.quotes.verified, after.quotes.verified),
        words=_outside(last.quotes.words, cited) | after.quotes.words,
        contexts=_outside(last.quotes.contexts, cited) | after.quotes.contexts,
        sentences={k: v for k, v in last.quotes.sentences.items() if k not in cited} | after.quotes.sentences,
    )
    return Checked(list(counted.elements()), _renewed(last.figures, before.figures, after.figures), quotes)


def _renewed(last: dict[str, str], before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """What a check found (keys of what it need not look for again), with the part's as it is now."""
    return {key: value for key, value in last.items() if key not in before} | after


def _part(registry: Registry, changed: set[str]) -> tuple[Registry, Registry]:
    """What an edit of the `changed` facts' words reaches: for the whole-registry checks, and for quotes and coverage.

    The first holds those facts and every fact citing one of their sources; the second, only
    those sources, with the disagreements citing them and their coverage.
    """
    cited = {c.source for f in registry.facts if f.id in changed for c in f.citations}
    facts = [f for f in registry.facts if f.id in changed or any(c.source in cited for c in f.citations)]
    part = replace(registry, facts=facts, invalid_ids=_known(registry.invalid_ids, "facts", registry.facts))
    disputed = [d for d in registry.disagreements if any(c.source in cited for v in d.variants for c in v.citations)]
    sources = [s for s in registry.sources if s.id in cited]
    coverage = [c for c in registry.coverage if c.source in cited]
    known = _known(part.invalid_ids, "sources", registry.sources)
    return part, replace(part, sources=sources, disagreements=disputed, coverage=coverage, invalid_ids=known)


def _known(invalid: dict[str, set[str]], section: str, entries: list) -> dict[str, set[str]]:
    """Entries left out of a part are known, as those that failed validation are: no reference to them is reported."""
    return {**invalid, section: invalid.get(section, set()) | {entry.id for entry in entries}}


def _outside(found: dict[tuple[str, str], str], sources: set[str]) -> dict:
    """What the quote check found, less what it found in `sources`."""
    return {key: value for key, value in found.items() if key[0] not in sources}


def _same_places(old: Registry, new: Registry, changed: set[str]) -> bool:
    """Whether every value outside the `changed` facts is where it was: the last check's locations hold."""
    before = {doc.path: doc for doc in old.documents}
    if before.keys() != {doc.path for doc in new.documents}:
        return False
    edited = {}
    for fact in new.facts:
        if fact.id in changed:
            edited.setdefault(fact.origin.doc.path, []).append(fact.origin.path)
    for doc in new.documents:
        was = before[doc.path]
        if was is doc or was.lines == doc.lines:
            continue
        inside = edited.get(doc.path, [])
        for places in ("values", "keys"):
            kept = [_unedited(getattr(d, places), inside) for d in (was, doc)]
            if kept[0] != kept[1]:
                return False
    return True


def _unedited(places: dict[tuple, tuple[int, int]], inside: list[tuple]) -> dict:
    return {path: at for path, at in places.items() if not any(path[: len(i)] == i for i in inside)}


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

    def passes(past: Registry) -> bool:
        """No error a build would stop at (an unused entry a retraction leaves is only untidy)."""
        problems, found = check_registry(past, False, figures)
        quote_problems, verified = check_quotes(past, options.archive_dir, True, options.archive_shown, quotes)
        figures.update(found)
        quotes.update(verified.verified)
        return not any(p.severity == "error" for p in problems + quote_problems)

    return load_history(options.root, options.archive_dir, loaded.registry, passes, loaded.cache)


def render(
    options: Options, loaded: Loaded, checked: Checked, history: History, earlier: Preview | None = None
) -> tuple[dict, list[Problem]]:
    """The site source's files by path (pages, navigation, configuration, hand-written pages), and problems.

    With `earlier` (the live preview's last rendering), only the pages an edit of facts' words
    reaches are rendered again (render/dependencies.py), and `earlier` is brought up to date.
    """
    from briefing.render.dependencies import pages_showing
    from briefing.render.pages import render_site  # rendering needs Jinja; checking does not
    from briefing.render.site_source import site_source

    only = None
    if earlier is not None and earlier.registry is not None and earlier.history == _shown(history):
        changed = changed_facts(earlier.registry, loaded.registry)
        only = None if changed is None else pages_showing(earlier.pages, changed)
    templates = options.root / "templates"
    pages = render_site(loaded.registry, templates, options.settings, history, checked.quotes, only=only)
    if earlier is not None:
        pages = pages if only is None else {**earlier.pages, **pages}
        earlier.registry, earlier.history, earlier.checked = loaded.registry, _shown(history), checked
        earlier.pages, earlier.rendered = pages, only
    return site_source(options.root, loaded.config, pages, options.settings)


def _shown(history: History) -> History:
    """The history as the pages show it: without the snapshots kept for the cache."""
    return replace(history, snapshots={})


def prepare(options: Options, cache: bool = True, earlier: Preview | None = None) -> Report:
    """Load, check and render: a report whose files are the site source, or None if any input is wrong.

    `earlier`: the live preview's last rendering, to render again only what an edit reaches.
    """
    loaded = load(options, cache, config=True, built=earlier.built if earlier is not None else None)
    checked = recheck(options, loaded, earlier) if earlier is not None else None
    checked = checked or check(loaded.registry, options, loaded.remembered)
    remember(loaded, checked)
    report = Report(loaded.registry, loaded.problems + checked.problems)
    if loaded.config is not None and not report.errors:
        history, report.notes = read_past(options, loaded, checked)
        report.problems += check_corrections(loaded.registry, history, options.strict)
        report.files, source_problems = render(options, loaded, checked, history, earlier)
        report.problems += source_problems
    report.problems = sort_problems(report.problems)
    if report.errors:
        report.files, report.status = None, 1
    return report


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
        if engine:
            built = run_engine(staged, lock, engine, last_commit_time(options.root))
            broken = check_site(staged.site, options.base_path, docs=options.root / "docs")[0] if built else []
            if not built or broken:
                output.discard(staged)
                report.failures += [_site_problem(found) for found in broken]
                report.failures.append(f"{engine} build failed: build/ and site/ are as they were")
                report.files, report.status = None, 1
                return report
            pagefind = options.settings.search == "pagefind"
            unindexed = pagefind_index(staged.site, setting_place(options.root, "search")) if pagefind else None
            if unindexed:  # the site is switched in with its search index, or not at all
                output.discard(staged)
                report.problems.append(unindexed)
                report.failures.append("search index failed: build/ and site/ are as they were")
                report.files, report.status = None, 1
                return report
        output.switch(options.root, staged, options.root / BUILD, site if engine else None)
    return report


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


@dataclass
class Preview:
    """What the live preview was last made from, so that an edit re-renders only the pages it reaches."""

    stamp: tuple = ()  # the inputs last seen (inputs_stamp)
    rendered_from: tuple = ()  # the inputs of the preview on disk: its last good rendering
    registry: Registry | None = None
    checked: Checked | None = None  # what the checks said of `registry`: an edit of facts' words reuses it
    history: History | None = None
    pages: dict[str, str] = field(default_factory=dict)  # render_site's pages and files, all of them
    rendered: set[str] | None = None  # the pages the last rendering made again; None: all of them
    written: dict[str, str | bytes] | None = None  # the preview's files as they were last written
    built: dict[str, Registry] = field(default_factory=dict)  # each registry file's entries, by content


def preview(options: Options, previous: Preview | None, search: bool = True) -> tuple[Preview, Report | None]:
    """For the live preview: re-render the site source into PREVIEW if an input changed; keep the last good one.

    Returns what the preview was made from (`previous` if nothing changed) and the report of the
    rendering (None if nothing changed); the preview is written only if it has no errors. When
    only facts/ changed since `previous`, only the pages the edit reaches are rendered again.
    Without `search`, the preview has no search (see `without_search`); with it, the engine's own
    search, even where the build's is Pagefind's (which a preview does not run).
    """
    from briefing.render.environment import TEMPLATES

    if options.settings.search == "pagefind":  # the preview runs no Pagefind: the engine's own search serves it
        options = replace(options, settings=replace(options.settings, search="builtin"))
    root = options.root
    folders = (options.facts_dir, TEMPLATES, root / "templates", options.archive_dir, root / "docs")
    stamp = inputs_stamp(tuple(f for f in folders if f.is_dir()), (root / "mkdocs.yml",))
    if previous is not None and stamp == previous.stamp:
        return previous, None
    earlier = Preview() if previous is None else replace(previous, pages=dict(previous.pages))
    if _besides(stamp, options.facts_dir) != _besides(earlier.rendered_from, options.facts_dir):
        earlier = Preview(built=earlier.built)  # not only facts/ changed: render every page
    report = prepare(options, earlier=earlier)
    if report.files is None:
        report.failures.append("preview not updated: fix the errors above")
        return replace(previous or Preview(), stamp=stamp), report
    earlier.stamp = earlier.rendered_from = stamp
    files = report.files if search else {**report.files, CONFIG: without_search(report.files[CONFIG])}
    written = _write_preview(root / PREVIEW, files, previous.written if previous else None)
    earlier.written = files
    if "mkdocs.yml" in written:  # every page shows the navigation: `serve --dirty` must rebuild them all
        for page in (root / PREVIEW).rglob("*.md"):
            os.utime(page)
    return earlier, report


def _write_preview(folder: Path, files: dict[str, str | bytes], before: dict | None) -> set[str]:
    """Make `folder` hold `files`, writing only those that changed; the names of those written.

    When the preview's files are the ones written last time, the changed ones are known without
    reading any file back (at 10,000 facts, 100 MB); otherwise, as a build writes, by comparing.
    """
    if before is None or before.keys() != files.keys() or not (folder / CONFIG).is_file():
        return write_changed(folder, files)
    changed = {rel for rel, content in files.items() if content != before[rel]}
    for rel in sorted(changed):
        content = files[rel]
        replace_file(folder / rel, content if isinstance(content, bytes) else content.encode("utf-8"), durable=False)
    return changed


def without_search(config: str) -> str:
    """The site source's mkdocs.yml without the search plugin, for `serve --dirty`, whose partial
    rebuilds cannot refresh its index: Material's search merges the entries of one rebuilt page only
    and keeps the old entries of the others, so a preview would find words no page has any more."""
    settings = yaml.safe_load(config)
    plugins = settings.get("plugins") or []
    names = plugins if isinstance(plugins, dict) else [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
    kept = [p for p, name in zip(plugins, names, strict=True) if name not in SEARCH_PLUGINS]
    settings["plugins"] = {p: plugins[p] for p in kept} if isinstance(plugins, dict) else kept
    return yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)


def _besides(stamp: tuple, folder: Path) -> list:
    """The entries of a stamp for the files outside `folder`."""
    inside = folder.as_posix() + "/"
    return [entry for entry in stamp if not entry[0].startswith(inside)]


def inputs_stamp(folders: tuple[Path, ...], files: tuple[Path, ...] = ()) -> tuple:
    """Every file the pages are made from, with a hash of its bytes: the same stamp, the same pages.

    Contents, not modification times, which some file systems keep to the second.
    """
    paths = [path for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()]
    paths += [path for path in files if path.is_file()]
    return tuple((path.as_posix(), sha256_of(path.read_bytes())) for path in paths)


def _site_problem(found: BrokenLink | ActiveContent) -> str:
    """A broken link as `error: ...`; active content where its author wrote it, `docs/x.md:3:1: error: ...`."""
    return format_problem(found.problem) if isinstance(found, ActiveContent) else f"error: {found}"
