"""The one entry point, and (with output.py) the only code that writes to disk.

The pipeline reads top to bottom: load → check → render → write. Nothing is written until
every problem is known; output is staged beside its final place and swapped in only when
the whole build has succeeded, so a failed build leaves build/ and site/ as they were.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml

from briefing.check.checks import check_registry
from briefing.check.coverage import check_coverage
from briefing.check.quotes import check_quotes, sha256_of
from briefing.files import write_changed
from briefing.load.cache import ParseCache, TrackedCacheFiles
from briefing.load.registry import Registry, find_registry_files, load_registry, load_registry_texts, load_schema
from briefing.load.yaml_loader import load_yaml_bytes
from briefing.problems import Loc, Problem, format_github, format_problem, sort_problems
from briefing.project import DEFAULTS, Settings, find_root, read_settings
from briefing.tools.linkcheck import check_external, check_site
from briefing.tools.reports import diff_registries, format_diff, format_stats
from briefing.write import output

if TYPE_CHECKING:
    from briefing.tools.editing import LostComment as LostCommentType

BUILD = Path("build")  # the site source: mkdocs.yml and docs/, which any mkdocs.yml-reading engine builds
# The live preview's site source: a preview never touches the built build/ and site/.
PREVIEW = Path(".cache") / "preview"
ENGINES = ("mkdocs", "zensical")
MATERIAL_END_OF_LIFE = (
    "note: Material for MkDocs reaches end of life on 5 May 2027; `briefing build --engine zensical` "
    "builds this site with its successor (README: Engines)"
)
CACHE = Path(".cache") / "briefing"
VERIFIED = "verified-quotes-2"  # quote key -> its archived words
FIGURES = "figures-found"  # keys of facts whose figures stand in their quotes
HISTORY = "history"  # commit -> what the registry said at it


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


def gather(options: Options, cache: bool = False) -> tuple[Registry, list[Problem]]:
    """Load and check everything; return the registry and every problem found, sorted.

    With `cache`, parsed files are kept in .cache/briefing/ so that the next run re-parses
    only the files that changed.
    """
    tracked = TrackedCacheFiles(options.root)  # git lists them while the registry loads
    parse_cache = ParseCache(options.root / CACHE) if cache else None
    registry, problems = load_registry(options.facts_dir, options.root, parse_cache)
    problems += check(registry, options, parse_cache)
    problems += tracked.problems(options.strict)
    return registry, sort_problems(problems)


def check(registry: Registry, options: Options, parse_cache: ParseCache | None = None) -> list[Problem]:
    """Cross-references and quotes; the quotes found before are remembered in the parse cache."""
    figures_known = parse_cache.load_map(FIGURES) if parse_cache else None
    problems = check_registry(registry, options.strict, figures_known)
    verified = parse_cache.load_map(VERIFIED) if parse_cache else None
    problems += check_quotes(registry, options.archive_dir, options.strict, _shown(options), verified)
    problems += check_coverage(registry, options.archive_dir, options.strict)
    if parse_cache:
        parse_cache.save_map(FIGURES, figures_known)
        parse_cache.save_map(VERIFIED, verified)
        parse_cache.prune()
    return problems


def _shown(options: Options) -> str:
    """The archive folder as messages name it: relative to the project."""
    return Path(os.path.relpath(options.archive_dir, options.root)).as_posix()


def report(problems: list[Problem], registry: Registry, github: bool) -> None:
    """Print problems the way the reader needs them: annotated source lines, or GitHub commands."""
    lines = {doc.path: doc.lines for doc in registry.documents}
    for problem in problems:
        if github:
            print(format_github(problem))
        else:
            print(format_problem(problem, lines.get(problem.loc.path)), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if problems and not github:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def cmd_check(options: Options, github: bool) -> int:
    """Validate only: fast, no rendering, no MkDocs."""
    registry, problems = gather(options, cache=True)
    report(problems, registry, github)
    if any(p.severity == "error" for p in problems):
        return 1
    print(f"ok: {len(registry.facts)} facts, {len(registry.sources)} sources, {len(registry.entities)} entities")
    return 0


def cmd_build(options: Options, github: bool, engine: str | None = "mkdocs") -> int:
    """Check, render the site source, build the site with `engine` (None: the source only), switch both in."""
    site = options.site_path
    refusal = _overlap(site, options)
    if refusal:
        print(f"error: --site-dir {options.site_dir.as_posix()}: {refusal}; nothing was touched", file=sys.stderr)
        return 2
    refused = output.refusals(options.root, site)
    if refused:
        report(refused, Registry(), github)
        print("build stopped: nothing was written", file=sys.stderr)
        return 1
    if engine and not _engine_installed(engine):
        return 2
    with output.build_lock(options.root) as lock:
        recovered = output.recover(options.root, site)
        if recovered:
            print(f"note: {recovered}", file=sys.stderr)
        registry, files, problems = prepare(options, github)
        if files is None:
            print("build stopped: nothing was written", file=sys.stderr)
            return 1
        staged = output.stage(options.root, site)
        output.write_files(staged.source, files)
        if engine and not _build_site(options, staged, lock, engine):
            output.discard(staged)
            print(f"{engine} build failed: build/ and site/ are as they were", file=sys.stderr)
            return 1
        output.switch(options.root, staged, options.root / BUILD, site if engine else None)
    if not engine:
        count = sum(rel.endswith(".md") for rel in files)
        print(f"wrote the site source, {count} pages, to {BUILD.as_posix()}/")
        return 0
    if engine == "mkdocs":
        print(MATERIAL_END_OF_LIFE, file=sys.stderr)
    print(f"site built: {options.site_dir.as_posix().rstrip('/')}/index.html")
    return 0


def prepare(options: Options, github: bool, cache: bool = True) -> tuple[Registry, dict | None, list[Problem]]:
    """Load, check and render: the site source's files, or None (and the problems printed) if any is wrong."""
    from briefing.render.pages import render_site  # rendering needs Jinja; checking does not
    from briefing.render.site_source import read_config, site_source

    registry, problems = gather(options, cache=cache)
    config, config_problems = read_config(options.root)
    problems += config_problems
    files = None
    if config is not None and not any(p.severity == "error" for p in problems):
        history = _history(options, registry, cache)
        pages = render_site(registry, options.root / "templates", options.settings, history)
        files, source_problems = site_source(options.root, config, pages, options.settings)
        problems += source_problems
    report(sort_problems(problems), registry, github)
    if any(p.severity == "error" for p in problems):
        return registry, None, problems
    return registry, files, problems


def _history(options: Options, registry: Registry, cache: bool):
    """The registry's git history, each past revision's errors checked as a build checks them; never an error.

    The snapshots are kept in the parse cache (if `cache`) with the stamp of the archive they were checked against.
    """
    from briefing.load.history import History, archive_stamp, read_history

    if not options.archive_dir.is_dir():
        return History(False, "the archive of source texts is not in this build, so past revisions could not be checked")
    parse_cache = ParseCache(options.root / CACHE) if cache else None
    figures = dict(parse_cache.load_map(FIGURES)) if parse_cache else {}
    quotes = dict(parse_cache.load_map(VERIFIED)) if parse_cache else {}

    def passes(past: Registry) -> bool:
        """No error a build would stop at (an unused entry a retraction leaves is only untidy)."""
        found, verified = dict(figures), dict(quotes)
        problems = check_registry(past, False, found)
        problems += check_quotes(past, options.archive_dir, True, _shown(options), verified)
        figures.update(found)
        quotes.update(verified)
        return not any(p.severity == "error" for p in problems)

    stamp = archive_stamp(options.archive_dir)
    stored = parse_cache.load_map(HISTORY) if parse_cache else {}
    kept = stored.get("snapshots") if stored.get("archive") == stamp else None
    snapshots = dict(kept) if isinstance(kept, dict) else {}
    try:
        history = read_history(options.root, registry, passes, snapshots)
    except Exception as exc:  # noqa: BLE001 - a repository can hold anything: its history never stops a build
        print(f"warning: the git history could not be read ({exc}); the Changes page says so", file=sys.stderr)
        return History(False, "the git history could not be read")
    for warning in history.warnings:
        print(f"warning: history: {warning}", file=sys.stderr)
    if parse_cache:
        parse_cache.save_map(HISTORY, {"archive": stamp, "snapshots": snapshots})
    return history


def _engine_installed(engine: str) -> bool:
    """Whether the engine can run here; if not, say how to install it."""
    import importlib.util

    if importlib.util.find_spec(engine) is not None:
        return True
    print(
        f"error: {engine} is not installed in this environment: "
        f"`.venv/bin/pip install {engine}` (make test installs it)",
        file=sys.stderr,
    )
    return False


def _overlap(site: Path, options: Options) -> str | None:
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


def regenerate(options: Options, previous: tuple | None) -> tuple | None:
    """For live preview: re-render the site source into PREVIEW if an input changed; keep the last good one.

    Returns the stamp of the inputs rendered from (`previous` if nothing changed or the inputs
    have problems, which are printed).
    """
    from briefing.render.index import TEMPLATES

    root = options.root
    folders = (options.facts_dir, TEMPLATES, root / "templates", options.archive_dir, root / "docs")
    stamp = _inputs_stamp(tuple(f for f in folders if f.is_dir()), (root / "mkdocs.yml",))
    if stamp == previous:
        return previous
    _, files, problems = prepare(options, github=False)
    if files is None:
        print("preview not updated: fix the errors above", file=sys.stderr, flush=True)
        return stamp
    written = write_changed(root / PREVIEW, files)
    if "mkdocs.yml" in written:  # every page shows the navigation: `serve --dirty` must rebuild them all
        for page in (root / PREVIEW).rglob("*.md"):
            os.utime(page)
    return stamp


def _inputs_stamp(folders: tuple[Path, ...], files: tuple[Path, ...] = ()) -> tuple:
    """Every file the pages are made from, with a hash of its bytes: the same stamp, the same pages.

    Contents, not modification times, which some file systems keep to the second.
    """
    paths = [path for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()]
    paths += [path for path in files if path.is_file()]
    return tuple((path.as_posix(), sha256_of(path.read_bytes())) for path in paths)


def _build_site(options: Options, staged: output.Staged, lock: int, engine: str) -> bool:
    """Build the staged site source into the staged site with `engine`, strictly; check its links."""
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch(options.root))
    if engine == "mkdocs":
        env["NO_MKDOCS_2_WARNING"] = "1"  # its ten-line banner; the build says the same in one line
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
        command += ["-f", str(staged.source / "mkdocs.yml"), "--site-dir", str(staged.site)]
        cwd = staged.source
    else:  # Zensical takes its folders from its config, inside the config's folder: a copy beside the source
        config = staged.folder / "zensical.yml"
        settings = yaml.safe_load((staged.source / "mkdocs.yml").read_text(encoding="utf-8"))
        settings["docs_dir"], settings["site_dir"] = "source/docs", "site"
        if settings.get("theme", {}).get("custom_dir"):
            settings["theme"]["custom_dir"] = "source/" + settings["theme"]["custom_dir"]
        config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
        command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", str(config)]
        cwd = staged.folder  # Zensical keeps its cache where it runs: not in the source
    # The engine holds the build lock with us, and dies with us: a killed build leaves no writer behind.
    result = subprocess.run(command, cwd=cwd, env=env, pass_fds=(lock,), preexec_fn=_die_with_parent)
    if engine == "zensical" and result.returncode == 0:
        staged.site.rmdir()
        shutil.move(staged.folder / "site", staged.site)
    broken = check_site(staged.site, _base_path(options.settings))[0] if result.returncode == 0 else []
    for link in broken:
        print(f"error: {link}", file=sys.stderr)
    return result.returncode == 0 and not broken


def _die_with_parent() -> None:
    """In the child: ask Linux to kill it when the build that started it dies (a no-op elsewhere)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _source_date_epoch(root: Path) -> str:
    """The last commit's time, so the sitemap's dates depend on the input, not the clock."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True)
        return out.stdout.strip() or "0"
    except (OSError, subprocess.CalledProcessError):
        return "0"


def cmd_serve(options: Options, dev_addr: str, dirty: bool = False) -> int:
    """Live preview: render the site source into .cache/preview/, serve it with MkDocs, re-render on change.

    The server rebuilds when the preview's files change; this command watches facts/,
    templates/, docs/, mkdocs.yml and the archive and re-renders what changed (nothing when the
    inputs have problems: the last good preview stays). With `dirty`, MkDocs rebuilds only the
    pages whose Markdown changed: a large registry's preview then follows an edit in seconds.
    """
    refused = output.refusals(options.root, preview=True)
    if refused:
        report(refused, Registry(), github=False)
        return 1
    stamp = regenerate(options, None)
    if not (options.root / PREVIEW / "mkdocs.yml").is_file():
        print("error: no preview to serve yet: fix the errors above", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr, "-f", str(PREVIEW / "mkdocs.yml")]
    print(MATERIAL_END_OF_LIFE, file=sys.stderr)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # its ten-line banner: the line above says it
    # The server dies with us, however we end: Ctrl-C, a SIGTERM or SIGHUP, or a SIGKILL.
    server = subprocess.Popen(
        command + (["--dirty"] if dirty else []), cwd=options.root, env=env, preexec_fn=_die_with_parent
    )
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    try:
        while server.poll() is None:
            time.sleep(0.5)
            stamp = regenerate(options, stamp)
        return server.returncode
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0


def _interrupt(signum: int, frame: object) -> None:
    """A SIGTERM or SIGHUP ends the preview as Ctrl-C does, so its server is stopped too."""
    raise KeyboardInterrupt


def _base_path(settings: Settings) -> str:
    """The path the site is published under: '/briefing/' for https://example.org/briefing/."""
    return (
        "/" + urlsplit(settings.site_url).path.strip("/") + "/" if urlsplit(settings.site_url).path.strip("/") else "/"
    )


def cmd_linkcheck(
    site: Path, external: bool, base: str = "/", deadline: float = 30.0, allow_private: bool = False
) -> int:
    """Check the internal links and anchors of a built site; with `external`, fetch the others too."""
    if not (site / "index.html").is_file():
        print(f"error: no site at {site.as_posix()}/: build it first", file=sys.stderr)
        return 1
    broken, urls = check_site(site, base)
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


def cmd_stats(options: Options) -> int:
    """Counts, single-source facts, and unused sources and entities."""
    registry, problems = load_registry(options.facts_dir, options.root)
    problems += check_coverage(registry, options.archive_dir, options.strict)
    print(format_stats(registry), end="")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"(the registry has {errors} error(s); `briefing check` lists them)", file=sys.stderr)
    return 0


def cmd_diff(options: Options, base: str) -> int:
    """Facts added, changed and removed since a git revision, as Markdown for a pull request."""
    from briefing.load.history import GitError, revision_texts, run_git

    try:
        short = run_git(options.root, "rev-parse", "--short", "--verify", "--end-of-options", f"{base}^{{commit}}")
        label = short.decode("ascii", "replace").strip()
        old_texts, warnings = revision_texts(options.root, base)
    except GitError as exc:
        print(f"error: cannot read revision {base!r} with git: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {base}: {warning}", file=sys.stderr)
    old, _ = load_registry_texts(old_texts)
    new, _ = load_registry(options.facts_dir, options.root)
    print(format_diff(diff_registries(old, new), f"{base} ({label})"), end="")
    return 0


def cmd_fmt(options: Options, paths: list[Path], check: bool) -> int:
    """Rewrite registry files in the canonical form (key order, quoting); --check only reports.

    Every file is read and formatted first; if any has a problem, none is written. A symbolic
    link in facts/ is neither read nor written through: it is an error at its path.
    """
    from briefing.files import read_regular, replace_file
    from briefing.tools.editing import LostComment, changed_value, format_text

    if paths:
        targets, problems = paths, []
    else:
        targets, problems = find_registry_files(options.facts_dir, options.root)
    failed = bool(problems)
    report(problems, Registry(), github=False)
    formatted_files: list[tuple[Path, str, str]] = []
    links: set[Path] = set()  # each said once
    for path in targets:
        display = Path(os.path.relpath(path, options.root)).as_posix()
        if _refuse_link(path, options.root, "fmt", links):
            failed = True
            continue
        try:
            raw = read_regular(path)
        except OSError as exc:
            print(f"{display}: error: cannot read: {exc.strerror or exc}", file=sys.stderr)
            failed = True
            continue
        doc, problems = load_yaml_bytes(raw, display)
        if doc is None:  # never hand the round-trip parser what the build refuses
            report(problems, Registry(), github=False)
            failed = True
            continue
        text = raw.decode("utf-8")
        try:
            formatted = format_text(text)
        except LostComment as lost:
            _report_lost_comment(display, lost)
            failed = True
            continue
        changed = changed_value(text, formatted, display)
        if changed:
            _report_changed_value(changed, "formatting")
            failed = True
            continue
        if formatted == text:
            continue
        if check:
            print(f"{display}: not in the canonical form (run `briefing fmt`)", file=sys.stderr)
            failed = True
        else:
            formatted_files.append((path, display, formatted))
    if failed:
        if formatted_files:
            print("nothing was formatted: fix the errors above first", file=sys.stderr)
        return 1
    for path, display, formatted in formatted_files:
        try:
            replace_file(path, formatted.encode("utf-8"))
        except OSError as exc:
            print(f"{display}: error: not written: {exc}", file=sys.stderr)
            return 1
        print(f"formatted {display}")
    return 0


def _refuse_link(path: Path, root: Path, command: str, said: set[Path] | None = None) -> bool:
    """Say so, at its path, if `path` or a folder on the way to it from the project is a symbolic link."""
    from briefing.files import linked_part

    link = linked_part(path, root)
    if link is None:
        return False
    if said is not None and link in said:
        return True
    if said is not None:
        said.add(link)
    shown = Path(os.path.relpath(link, root)).as_posix()
    problem = Problem(
        Loc(shown),
        f"this is a symbolic link: `briefing {command}` neither reads nor writes through one",
        hint="put the file itself here (a link could point anywhere); nothing was written",
    )
    print(format_problem(problem), file=sys.stderr)
    return True


def _report_changed_value(where: Loc, action: str) -> None:
    """The rewrite would change what the file says (a form the editor cannot keep); nothing was written."""
    problem = Problem(
        where,
        f"{action} would change this value",
        hint="write it more plainly (a |+ block's trailing blank lines cannot be kept); nothing was written",
    )
    print(format_problem(problem), file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    """A new briefing project in an empty folder, which checks and builds at once."""
    from briefing.project import subject_problem
    from briefing.tools.init import project_files, refusal, write_project

    folder = args.folder
    subject = args.subject.strip(" ")
    why = subject_problem(subject)
    if why:
        print(f"error: --subject: {why}; nothing was written", file=sys.stderr)
        return 2
    files = project_files(subject)
    why = refusal(folder) or write_project(folder, files)
    if why:
        print(f"error: {why}; nothing was written", file=sys.stderr)
        return 2
    print(f"created a briefing on {subject} in {folder.as_posix()}/ ({len(files)} files)")
    print(f"next: cd {folder.as_posix()} && briefing build, then open site/index.html (README.md says more)")
    return 0


def _report_lost_comment(display: str, lost: LostCommentType) -> None:
    """A comment the rewrite would drop: where it is and what to do; nothing was written."""
    problem = Problem(
        Loc(display, lost.line, lost.col),
        f"rewriting this file would lose the comment {lost.text!r}",
        hint="comments inside { } cannot be kept: move it onto a line of its own above, or write the "
        "mapping as a block; nothing was written",
    )
    print(format_problem(problem), file=sys.stderr)


def cmd_archive(options: Options, args: argparse.Namespace) -> int:
    """Keep a page's main text in the archive folder, then add its source with what the page says of itself."""
    from briefing.files import read_regular, replace_file
    from briefing.tools.archive import ArchiveError, extract, file_name, read, retrieved_today

    try:
        data, kind, url = read(args.location, args.deadline, args.allow_private)
        page = extract(data, kind, url)
        for note in page.notes:  # what the page claims of itself, not recorded
            print(f"note: {note}", file=sys.stderr)
    except ArchiveError as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 1
    name = args.archive_file or file_name(page)
    problem = _archive_name_problem(name)
    if problem:
        print(f"error: --archive-file {name!r} {problem}", file=sys.stderr)
        return 2
    target = options.archive_dir / name
    if target.is_symlink():
        print(f"error: {target.as_posix()} is a symbolic link; nothing was written: remove it", file=sys.stderr)
        return 1
    try:
        held = read_regular(target) if target.exists() else None
        if held is not None and held != page.data:
            print(
                f"error: {target.as_posix()} holds another text (sha256 {sha256_of(held)}); "
                f"nothing was written: choose another --archive-file",
                file=sys.stderr,
            )
            return 1
        created = held is None
        if created:
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, page.data)
    except OSError as exc:
        print(f"error: {target.as_posix()}: {exc.strerror or exc}; nothing was written", file=sys.stderr)
        return 1
    print(f"archived {len(page.text):,} characters as {target.as_posix()} (sha256 {page.sha256})")
    found = {"title": page.title, "publisher": page.publisher, "author": page.author, "published": page.published}
    found["url"] = page.url
    found["retrieved"] = retrieved_today()  # unless --retrieved says when the saved page was taken
    for key, value in found.items():
        if value and not getattr(args, key, None):
            setattr(args, key, value)
    args.archive_file = name
    status = cmd_new(options, "source", args)
    if status != 0 and created:
        target.unlink()  # the source was not added: the archive is as it was
        print(f"removed {target.as_posix()} again, as the source was not added", file=sys.stderr)
    return status


def cmd_new(options: Options, kind: str, args: argparse.Namespace) -> int:
    """Scaffold a valid entry with the next free id in the right file; nothing is written unless it checks."""
    from briefing.files import read_regular, replace_file
    from briefing.tools.editing import (
        FIELDS,
        LostComment,
        add_entry,
        changed_value,
        entity_entry,
        fact_entry,
        source_entry,
        target_file,
    )

    values = {name: getattr(args, name, None) for name in vars(args)}
    missing = _ask_missing(kind, values, FIELDS[kind])
    if missing:
        flags = ", ".join("--" + m.replace("_", "-") for m in missing)
        print(f"error: missing {flags} (or run in a terminal to be asked)", file=sys.stderr)
        return 2
    registry, _ = load_registry(options.facts_dir, options.root)
    section = {"fact": "facts", "source": "sources", "entity": "entities"}[kind]
    taken = {e.id for e in getattr(registry, section)}
    if kind == "fact":
        entry = fact_entry(values, taken)
    elif kind == "entity":
        entry = entity_entry(values, taken)
    else:
        name_problem = _archive_name_problem(values["archive_file"])
        if name_problem:  # before the file is opened: the name could point anywhere
            print(f"error: --archive-file {values['archive_file']!r} {name_problem}", file=sys.stderr)
            return 2
        archived = options.archive_dir / values["archive_file"]
        if archived.is_symlink():
            print(f"error: {archived.as_posix()} is a symbolic link: archive the text itself", file=sys.stderr)
            return 1
        if not archived.is_file():
            print(
                f"error: {archived.as_posix()} not found: put the source's text in the archive folder first",
                file=sys.stderr,
            )
            return 1
        entry = source_entry(values, taken, sha256_of(read_regular(archived)))
    holdings = {doc.path: [] for doc in registry.documents}
    for item in getattr(registry, section):
        holdings.setdefault(item.origin.doc.path, []).append(item.topic if kind == "fact" else item.id)
    target = target_file(section, holdings, entry.get("topic"))
    path = options.root / target
    if _refuse_link(path, options.root, "new"):
        return 1
    try:
        before = read_regular(path).decode("utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{target}: error: cannot read: {exc}; nothing was written", file=sys.stderr)
        return 1
    try:
        after = add_entry(before, section, entry, header=f"#\n# {section.capitalize()}.\n")
    except LostComment as lost:
        _report_lost_comment(target, lost)
        return 1
    except ValueError as exc:
        print(f"{target}: error: {exc}; nothing was written", file=sys.stderr)
        return 1
    changed = changed_value(before, after, target, section) if before is not None else None
    if changed:
        _report_changed_value(changed, "adding the entry")
        return 1
    problems = _problems_of_new_entry(options, registry, target, after, section, entry["id"])
    lines = {target: after.splitlines()}
    for problem in problems:
        print(format_problem(problem, lines.get(problem.loc.path)), file=sys.stderr)
    if any(p.severity == "error" for p in problems):
        print(f"not added: fix the {kind} above; nothing was written", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        replace_file(path, after.encode("utf-8"))
    except OSError as exc:
        print(f"{target}: error: not written: {exc}", file=sys.stderr)
        return 1
    print(f"added {kind} '{entry['id']}' to {target}")
    return 0


def _archive_name_problem(name: str) -> str | None:
    """The schema's rule for an archive file name, applied before anything is read."""
    rule = load_schema()["definitions"]["source"]["properties"]["archive"]["properties"]["file"]
    return None if re.search(rule["pattern"], name) else rule["errorMessage"]


def _ask_missing(kind: str, values: dict, fields: list[tuple[str, str, bool, bool]]) -> list[str]:
    """Ask in a terminal for each required answer not given as a flag; return what is still missing."""
    interactive = sys.stdin.isatty()
    missing = []
    for name, question, required, repeatable in fields:
        if values.get(name):
            continue
        if interactive:
            answer = input(f"{question}: ").strip()
            if answer and name == "cite":
                source, _, quote = answer.partition("|")
                values[name] = [(source.strip(), quote.strip())]
            elif answer:
                values[name] = answer.split() if repeatable else answer
        if required and not values.get(name):
            missing.append(name)
    return missing


def _problems_of_new_entry(
    options: Options, registry: Registry, target: str, text: str, section: str, entry_id: str
) -> list[Problem]:
    """Check the registry as it would be with the new entry; keep the problems that are the entry's."""
    texts = {doc.path: "\n".join(doc.lines).encode("utf-8") for doc in registry.documents}
    texts[target] = text.encode("utf-8")
    changed, problems = load_registry_texts(dict(sorted(texts.items())))
    problems += check(changed, replace(options, strict=False))
    new = next((e for e in getattr(changed, section) if e.id == entry_id and e.origin.doc.path == target), None)
    start = new.origin.at().line if new else 1
    return sort_problems(
        p
        for p in problems
        if p.loc.path == target and p.loc.line >= start and "is not cited by any fact" not in p.message
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Build the research briefing site.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--root",
            type=Path,
            help="project folder (default: the nearest folder up from here with mkdocs.yml and facts/)",
        )
        p.add_argument(
            "--sources",
            type=Path,
            help="folder of archived source texts (default: $BRIEFING_SOURCES, else briefing.toml's archive)",
        )
        p.add_argument("--strict", action="store_true", help="treat warnings and unverified quotes as errors")
        p.add_argument(
            "--format",
            choices=("text", "github"),
            default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
            help="how to print problems (default: github inside GitHub Actions)",
        )

    check = sub.add_parser("check", help="validate the registry only (fast; no MkDocs)")
    common(check)
    build = sub.add_parser("build", help="check, render the pages and build the site")
    common(build)
    build.add_argument("--site-dir", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="the static-site engine that builds site/ from the site source (default: mkdocs)",
    )
    build.add_argument("--source-only", action="store_true", help="write the site source build/ only, build no site")
    links = sub.add_parser("linkcheck", help="check internal links and anchors of the built site")
    links.add_argument("--site-dir", type=Path, default=Path("site"), help="built site (default: site)")
    links.add_argument("--external", action="store_true", help="also fetch external links (needs the network)")
    _fetch_flags(links)
    serve = sub.add_parser("serve", help="live preview: re-renders when facts/ or templates/ change")
    common(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve.add_argument(
        "--dirty", action="store_true", help="rebuild only the pages that changed (fast previews of a large registry)"
    )

    stats = sub.add_parser("stats", help="counts, single-source facts, unused sources and entities")
    common(stats)
    diff = sub.add_parser("diff", help="facts added, changed and removed since a git revision (Markdown, for a PR)")
    common(diff)
    diff.add_argument("base", help="a git revision: main, HEAD~1, a commit")
    fmt = sub.add_parser("fmt", help="write registry files in the canonical form (key order, quoting)")
    common(fmt)
    fmt.add_argument("paths", nargs="*", type=Path, help="files to format (default: every registry file)")
    fmt.add_argument("--check", action="store_true", help="only report files that are not in the canonical form")

    init = sub.add_parser("init", help="start a new briefing in an empty folder (it checks and builds at once)")
    init.add_argument("folder", type=Path, help="a new or empty folder")
    init.add_argument("--subject", required=True, help='what the briefing is about: "Example Robotics"')
    new = sub.add_parser("new", help="add a fact, source or entity with the next free id (asks for what is missing)")
    kinds = new.add_subparsers(dest="what", required=True)
    fact = kinds.add_parser("fact", help="add a fact to the file that holds its topic")
    common(fact)
    fact.add_argument("--id", help="the fact's id (default: made from the statement)")
    fact.add_argument("--statement", help="one claim, in our own words")
    fact.add_argument("--topic", help="a topic id")
    fact.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources")
    fact.add_argument("--entity", action="append", help="an entity id it is about (repeat)")
    fact.add_argument("--claimed-by", action="append", help="an entity id whose claim it is (repeat)")
    fact.add_argument(
        "--cite", nargs=2, action="append", metavar=("SOURCE", "QUOTE"), help="a source id and its exact words (repeat)"
    )
    fact.add_argument(
        "--speaker",
        metavar="ENTITY",
        help="who speaks in the quoted words, when the source gives them as a party's (an entity id; every --cite)",
    )
    fact.add_argument("--via", metavar="NAME", help="the report or wire the source names for those words: Reuters")
    fact.add_argument("--value", nargs=2, metavar=("AMOUNT", "UNIT"), help="a structured value: 1000000000 CNY")
    fact.add_argument("--qualifier", choices=["exactly", "about", "more-than", "at-least", "up-to", "less-than"])
    fact.add_argument("--tag", action="append", help="a kind of event, e.g. funding-round (repeat)")
    fact.add_argument("--note", help="an editorial note")
    source = kinds.add_parser("source", help="add a source; its archive file's sha256 is computed for you")
    archive = sub.add_parser(
        "archive", help="keep a saved page's, a PDF's or an address's main text in the archive, and add its source"
    )
    archive.add_argument("location", help="a saved .html or .pdf file, or an http(s) address")
    _fetch_flags(archive)
    for parser_ in (source, archive):
        common(parser_)
        parser_.add_argument("--id", help="the source's id (default: publisher and date)")
        for flag in ("title", "publisher", "author", "published", "url", "reliability", "summary"):
            parser_.add_argument(f"--{flag}")
        parser_.add_argument("--retrieved", metavar="DATE", help="when the copy was taken (archive: default today)")
        parser_.add_argument(
            "--kind", choices=["news-report", "repost", "rewrite", "teaser", "analysis", "primary-statement"]
        )
        parser_.add_argument("--based-on", metavar="SOURCE_OR_NAME", help="what it is made from: a source id or a name")
        parser_.add_argument("--relation", choices=["repost", "rewrite", "teaser", "cites"], help="to --based-on")
        parser_.add_argument("--archive-file", help="the text's file name in the archive folder")
    entity = kinds.add_parser("entity", help="add an entity")
    common(entity)
    entity.add_argument("--id", help="the entity's id (default: made from the name)")
    entity.add_argument("--name")
    entity.add_argument(
        "--kind", choices=["organisation", "person", "place", "model", "product", "programme", "policy"]
    )
    entity.add_argument("--alias", action="append", help="another name or spelling (repeat)")
    entity.add_argument("--description", help="one line")
    return parser


def _fetch_flags(parser: argparse.ArgumentParser) -> None:
    """The options of a command that fetches addresses a page wrote (archive, linkcheck)."""
    parser.add_argument(
        "--deadline",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="for each fetch, redirects included (default: 30)",
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="also fetch loopback, private and link-local addresses (refused by default; for tests and intranets)",
    )


def _seconds(text: str) -> float:
    """A deadline: a number of seconds above 0 and at most a day."""
    value = float(text)
    if not 0 < value <= 86400:
        raise ValueError(text)
    return value


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand; exit status 1 means the input has problems."""
    args = _parser().parse_args(argv)
    root = getattr(args, "root", None) or find_root(Path.cwd())
    if args.command == "init":
        return cmd_init(args)
    settings, problems = read_settings(root, os.environ)  # BRIEFING_SITE_URL: where a deployment publishes it
    if problems:
        report(problems, Registry(), github=False)
        return 1
    if args.command == "linkcheck":
        site = args.site_dir if args.site_dir.is_absolute() else root / args.site_dir
        return cmd_linkcheck(site, args.external, _base_path(settings), args.deadline, args.allow_private)
    sources = args.sources or Path(os.environ.get("BRIEFING_SOURCES") or settings.archive)
    options = Options(
        root=root,
        sources=sources,
        strict=args.strict,
        site_dir=getattr(args, "site_dir", Path("site")),
        settings=settings,
    )
    github = args.format == "github"
    if args.command == "check":
        return cmd_check(options, github)
    if args.command == "serve":
        return cmd_serve(options, args.dev_addr, args.dirty)
    if args.command == "stats":
        return cmd_stats(options)
    if args.command == "diff":
        return cmd_diff(options, args.base)
    if args.command == "fmt":
        return cmd_fmt(options, args.paths, args.check)
    if args.command == "new":
        return cmd_new(options, args.what, args)
    if args.command == "archive":
        return cmd_archive(options, args)
    return cmd_build(options, github, engine=None if args.source_only else args.engine)


if __name__ == "__main__":
    sys.exit(main())
