"""The live preview (`briefing serve`): after an edit of facts' words, only what the edit reaches is checked and rendered again.

`preview` keeps its last rendering and its last good check (Preview). When only facts/ changed
and the edit is of facts' words (render/dependencies.py), `recheck` checks the part of the
registry the edit reaches and adds what that says to the last check, and only the pages that
show the edited facts are rendered again; the rest is reused. Either way the preview is byte
for byte what a cold rendering writes, and its problems are those of a full check
(tests/test_incremental.py).
"""

from __future__ import annotations

import gc
import os
import stat
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from briefing.check.quotes import sha256_of
from briefing.files import replace_file, write_changed
from briefing.load.config import CONFIG
from briefing.load.history import History
from briefing.load.model import Registry
from briefing.pipeline import Checked, Loaded, Options, Report, check, finish, load, remember
from briefing.render.dependencies import changed_facts, pages_showing
from briefing.write import output
from briefing.write.engine import FILE_READS, Rebuilds

PREVIEW = output.PREVIEW  # the live preview's site source: a preview never touches build/ and site/
SEARCH_PLUGINS = ("search", "material/search")


@dataclass
class Preview:
    """What the live preview was last made from, so that an edit re-renders only the pages it reaches."""

    stamp: tuple = ()  # the inputs last seen (inputs_stamp)
    hashed: dict = field(default_factory=dict)  # their hashes, by path, with each file's status then
    rendered_from: tuple = ()  # the inputs of the preview on disk: its last good rendering
    registry: Registry | None = None
    checked: Checked | None = None  # what the checks said of `registry`: an edit of facts' words reuses it
    history: History | None = None
    pages: dict[str, str] = field(default_factory=dict)  # render_site's pages and files, all of them
    rendered: set[str] | None = None  # the pages the last rendering made again; None: all of them
    written: dict[str, str | bytes] | None = None  # the preview's files as they were last written
    built: dict[str, Registry] = field(default_factory=dict)  # each registry file's entries, by content
    kept: dict = field(default_factory=dict)  # what an edit of some facts' words leaves as it was (Index.keep)
    searchless: tuple[str, str] = ("", "")  # the last mkdocs.yml, and it without search (see without_search)
    compared: tuple = ()  # the registries an edit was last compared between, and what changed_facts said
    pages_first: bool = False  # after an edit of facts' words, write the pages before the other files
    later: list = field(default_factory=list)  # then: makes the files that are not pages

    def changed_facts(self, new: Registry) -> set[str] | None:
        """The facts whose words alone changed since `registry` (None: anything else changed), found once
        for each edit: its check and its rendering both ask."""
        if self.registry is None:
            return None
        if not self.compared or self.compared[0] is not self.registry or self.compared[1] is not new:
            self.compared = (self.registry, new, changed_facts(self.registry, new))
        return self.compared[2]

    def render_pages(self, options: Options, loaded: Loaded, checked: Checked, history: History) -> dict[str, str]:
        """The pages, rendered again only where an edit of facts' words reaches; then remembered for the next.

        The downloads are joined from each fact's pieces, kept but for the facts the edit changed.
        With `pages_first`, after an edit of facts' words they are made after the pages are written
        (`files_later`): the last ones stand in for them until then.
        """
        from briefing.render.pages import render_site  # rendering needs Jinja; checking does not

        changed = None
        if self.registry is not None and self.history == _shown(history):
            changed = self.changed_facts(loaded.registry)
        only = None if changed is None else pages_showing(self.pages, changed)
        kept = {} if changed is None else {key: made for key, made in self.kept.items() if key[0] not in changed}
        templates, settings = options.root / "templates", options.settings
        later: list | None = [] if only is not None and self.pages_first else None
        quotes = checked.quotes
        made = render_site(loaded.registry, templates, settings, history, quotes, only=only, kept=kept, later=later)
        self.pages = made if only is None else {**self.pages, **made}
        self.registry, self.history, self.checked, self.rendered = loaded.registry, _shown(history), checked, only
        self.kept, self.compared, self.later = kept, (), later or []
        return self.pages

    def files_later(self) -> dict[str, str]:
        """The files render_pages left to make later (the downloads, the charts' data), now made; {} if none."""
        if not self.later:
            return {}
        files, self.later = self.later[0](), []
        self.pages.update(files)
        return {f"docs/{rel}": text for rel, text in files.items()}


def preview(
    options: Options, previous: Preview | None, search: bool = True, server: Rebuilds | None = None
) -> tuple[Preview, Report | None]:
    """For the live preview: re-render the site source into PREVIEW if an input changed; keep the last good one.

    Returns what the preview was made from (`previous` if nothing changed) and the report of the
    rendering (None if nothing changed); the preview is written only if it has no errors. When
    only facts/ changed since `previous`, only the pages the edit reaches are rendered again.
    Without `search`, the preview has no search (see `without_search`); with it, the engine's own
    search, even where the build's is Pagefind's (which a preview does not run). With `server`
    (a server that rebuilds only what changed), after an edit of facts' words the pages are written
    first, and the downloads and the charts' data once it shows them (it serves no page while it
    rebuilds): an edited page shows sooner.
    """
    if options.settings.search == "pagefind":  # the preview runs no Pagefind: the engine's own search serves it
        options = replace(options, settings=replace(options.settings, search="builtin"))
    root = options.root
    known = previous.hashed if previous else None
    folders = tuple(f for f in preview_inputs(options) if f.is_dir())
    stamp, hashed = inputs_stamp(folders, (root / "mkdocs.yml",), known)
    if previous is not None and stamp == previous.stamp:
        return replace(previous, hashed=hashed), None
    earlier = Preview() if previous is None else replace(previous, pages=dict(previous.pages))
    if _besides(stamp, options.facts_dir) != _besides(earlier.rendered_from, options.facts_dir):
        earlier = Preview(built=earlier.built)  # not only facts/ changed: render every page
    earlier.pages_first = server is not None
    report, keep_found = _prepare(options, earlier)
    if report.files is None:
        keep_found()
        report.failures.append("preview not updated: fix the errors above")
        return replace(previous or Preview(), stamp=stamp, hashed=hashed), report
    earlier.stamp = earlier.rendered_from = stamp
    earlier.hashed = hashed
    files = report.files if search else {**report.files, CONFIG: _without_search(earlier, report.files[CONFIG])}
    written = _write_preview(root / PREVIEW, files, previous.written if previous else None)
    earlier.written = files
    if "mkdocs.yml" in written:  # every page shows the navigation: `serve --dirty` must rebuild them all
        for page in (root / PREVIEW).rglob("*.md"):
            os.utime(page)
    waits = server is not None and bool(earlier.later) and bool(written)  # for a rebuild the signal starts
    if waits:
        server.mark()
    _signal(root, written)
    keep_found()  # while the server rebuilds the pages on the other core
    later = earlier.files_later()
    if later:
        if waits:
            server.wait()
        earlier.written, report.files = {**files, **later}, {**report.files, **later}
        _signal(root, _write_preview(root / PREVIEW, earlier.written, files))
    return earlier, report


def _signal(root: Path, written: set[str]) -> None:
    """Tell the preview's server (write/live_server.py) that files are written: it rebuilds now."""
    if written:
        replace_file(root / output.SIGNAL, b"written\n", durable=False)


def preview_inputs(options: Options) -> tuple[Path, ...]:
    """The folders the preview is made from (and mkdocs.yml): the registry, the templates, the archive, docs/."""
    from briefing.render.environment import TEMPLATES

    root = options.root
    return (options.facts_dir, TEMPLATES, root / "templates", options.archive_dir, root / "docs")


def woken_by_edits(options: Options) -> threading.Event:
    """An event set when the kernel says a file changed among the preview's inputs, so that an edit
    is looked at at once rather than at the next look; never set where it cannot say (the looks
    then find the edit, as they would anyway: the event only wakes them)."""
    import watchdog.events
    import watchdog.observers

    woken = threading.Event()

    def changed(event: watchdog.events.FileSystemEvent) -> None:
        if event.event_type not in FILE_READS:
            woken.set()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    folders = [(f, True) for f in preview_inputs(options) if f.is_dir()] + [(options.root, False)]
    observer = watchdog.observers.Observer()
    observer.daemon = True  # it ends with the preview
    try:
        for folder, recursive in folders:
            observer.schedule(handler, str(folder), recursive=recursive)
        observer.start()
    except OSError:  # no notifications left to the user (inotify's limits): the looks alone find edits
        pass
    return woken


def settle() -> None:
    """Between edits, once a preview is written: collect what the last rendering left, then freeze
    what is kept, so the next edit's garbage collections do not walk the whole registry and every
    page again (at 10 000 facts a full walk took 0.2-0.3 s of every other edit)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _prepare(options: Options, earlier: Preview) -> tuple[Report, Callable[[], None]]:
    """Load, check and render as `pipeline.prepare` does, again only where the edit since `earlier` reaches;
    and how to keep what the checks found in the parse cache (after the pages are written)."""
    loaded = load(options, cache=True, config=True, built=earlier.built)
    checked = recheck(options, loaded, earlier) or check(loaded.registry, options, loaded.remembered)
    return finish(options, loaded, checked, earlier.render_pages, remembered=False), lambda: remember(loaded, checked)


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


def _without_search(earlier: Preview, config: str) -> str:
    """`without_search`, once for each mkdocs.yml: reading and writing YAML after every edit is slow."""
    if earlier.searchless[0] != config:
        earlier.searchless = (config, without_search(config))
    return earlier.searchless[1]


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


RECENT = 2_000_000_000  # ns: a file changed this recently may change again within its clock's grain


def inputs_stamp(
    folders: tuple[Path, ...], files: tuple[Path, ...] = (), known: dict | None = None
) -> tuple[tuple, dict]:
    """Every file the pages are made from, with a hash of its bytes: the same stamp, the same pages;
    and the hashes by path, with each file's status, for the next call (`known`).

    Contents, not modification times, which some file systems keep to the second: a file is read
    again unless its status (size, modification and change times, inode) is what `known` holds and
    it last changed more than 2 s ago, so a preview polling 10 000 facts' files reads none of them.
    """
    paths = [path for folder in folders for path in sorted(folder.rglob("*"))] + list(files)
    now, hashed = time.time_ns(), {}
    for path in paths:
        try:
            info = path.stat()  # one look at each: whether it is a file, and its status
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        status = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        seen = (known or {}).get(path.as_posix())
        settled = seen is not None and seen[0] == status and now - info.st_ctime_ns > RECENT
        hashed[path.as_posix()] = (status, seen[1] if settled else sha256_of(path.read_bytes()))
    return tuple((name, digest) for name, (_, digest) in hashed.items()), hashed


def recheck(options: Options, loaded: Loaded, earlier: Preview) -> Checked | None:
    """The checks after an edit of facts' words, from the last good ones: None if the edit is of another kind.

    What the full check says of `loaded` is what it said of the last registry, less what the checks
    say of the part the edit reaches (the edited facts, the sources they cite and every citation of
    those sources) before the edit, plus what they say of it after. Problems the part shows only
    because it is a part (an entity no fact of it names) are in both and cancel out. Anything that
    does not add up (the last check did not report what the part reported before) checks everything.
    """
    old, last, new = earlier.registry, earlier.checked, loaded.registry
    changed = None if last is None or not new.complete else earlier.changed_facts(new)
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
    """The places outside the edited facts' (`inside`: their paths in the document)."""
    edited, sizes = set(inside), {len(i) for i in inside}
    return {path: at for path, at in places.items() if not any(path[:n] in edited for n in sizes)}


def _shown(history: History) -> History:
    """The history as the pages show it: without the snapshots kept for the cache."""
    return replace(history, snapshots={})
