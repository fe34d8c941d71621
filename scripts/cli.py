"""The one entry point, and the only module that writes to disk.

The pipeline reads top to bottom: load → check → render → write. Nothing is written until
every problem is known; output is staged beside its final place and swapped in only when
the whole build has succeeded, so a failed build leaves docs/ and site/ as they were.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .checks import check_registry
from .linkcheck import check_external, check_site
from .problems import Problem, format_github, format_problem, sort_problems
from .quotes import check_quotes
from .registry import Registry, load_registry

GENERATED = Path("docs") / "generated"
DEFAULT_SOURCES = Path("..") / "shared" / "sources"


@dataclass
class Options:
    """Where things are; relative paths are taken from the project root."""

    root: Path
    sources: Path
    strict: bool
    site_dir: Path

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

    @property
    def archive_dir(self) -> Path:
        return self.sources if self.sources.is_absolute() else self.root / self.sources


def gather(options: Options) -> tuple[Registry, list[Problem]]:
    """Load and check everything; return the registry and every problem found, sorted."""
    registry, problems = load_registry(options.facts_dir, options.root)
    problems += check_registry(registry, options.strict)
    shown = os.path.relpath(options.archive_dir, options.root)
    problems += check_quotes(registry, options.archive_dir, options.strict, Path(shown).as_posix())
    return registry, sort_problems(problems)


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
    registry, problems = gather(options)
    report(problems, registry, github)
    if any(p.severity == "error" for p in problems):
        return 1
    print(f"ok: {len(registry.facts)} facts, {len(registry.sources)} sources, {len(registry.entities)} entities")
    return 0


def cmd_build(options: Options, github: bool, mkdocs: bool = True) -> int:
    """Check, render, then write generated pages and the site, each swapped in atomically."""
    from .pages import render_site  # rendering needs Jinja; checking does not

    registry, problems = gather(options)
    report(problems, registry, github)
    if any(p.severity == "error" for p in problems):
        print("build stopped: nothing was written", file=sys.stderr)
        return 1
    pages = render_site(registry)
    generated = options.root / GENERATED
    previous = _stage_generated(generated, pages)
    if not mkdocs:
        _discard(previous)
        count = sum(rel.endswith(".md") for rel in pages)
        print(f"wrote {count} pages and {len(pages) - count} other files to {GENERATED.as_posix()}/")
        return 0
    ok = _build_site(options)
    if not ok:
        _restore(generated, previous)
        print("mkdocs build failed: docs/ and site/ are as they were", file=sys.stderr)
        return 1
    _discard(previous)
    print(f"site built: {(options.site_dir / 'index.html').as_posix()}")
    return 0


def regenerate(root: Path) -> bool:
    """For live preview: re-render docs/generated/ in place; on problems keep the last good pages."""
    from .pages import render_site

    sources = Path(os.environ.get("BRIEFING_SOURCES", DEFAULT_SOURCES))
    options = Options(root=root, sources=sources, strict=False, site_dir=Path("site"))
    registry, problems = gather(options)
    report(problems, registry, github=False)
    if any(p.severity == "error" for p in problems):
        print("preview not updated: fix the errors above", file=sys.stderr)
        return False
    _write_changed(root / GENERATED, render_site(registry))
    return True


def _write_changed(folder: Path, pages: dict[str, str]) -> None:
    """Write only pages whose text changed (so the preview's file watcher settles), drop stale ones."""
    for rel, text in sorted(pages.items()):
        target = folder / rel
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8", newline="\n")
        temporary.replace(target)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in pages:
            path.unlink()


def _stage_generated(generated: Path, pages: dict[str, str]) -> Path | None:
    """Write pages to a fresh folder beside docs/generated and swap it in; return the old one."""
    generated.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".generated-new-", dir=generated.parent))
    for rel, text in sorted(pages.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    previous = None
    if generated.exists():
        previous = Path(tempfile.mkdtemp(prefix=".generated-old-", dir=generated.parent))
        previous.rmdir()
        generated.rename(previous)
    staging.rename(generated)
    return previous


def _restore(generated: Path, previous: Path | None) -> None:
    shutil.rmtree(generated, ignore_errors=True)
    if previous is not None:
        previous.rename(generated)


def _discard(previous: Path | None) -> None:
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def _build_site(options: Options) -> bool:
    """Run `mkdocs build --strict` into a temporary folder, then swap it in for site/."""
    site = options.site_dir if options.site_dir.is_absolute() else options.root / options.site_dir
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's end-of-life banner
    env.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch(options.root))
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=options.root, env=env)
    broken = check_site(staging)[0] if result.returncode == 0 else []
    for link in broken:
        print(f"error: {link}", file=sys.stderr)
    if result.returncode != 0 or broken:
        shutil.rmtree(staging, ignore_errors=True)
        return False
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
        old.rmdir()
        site.rename(old)
    staging.rename(site)
    _discard(old)
    return True


def _source_date_epoch(root: Path) -> str:
    """The last commit's time, so the sitemap's dates depend on the input, not the clock."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True
        )
        return out.stdout.strip() or "0"
    except (OSError, subprocess.CalledProcessError):
        return "0"


def cmd_serve(options: Options, dev_addr: str) -> int:
    """Run MkDocs' live-reloading server; the hooks re-render the pages on every change."""
    env = dict(os.environ, BRIEFING_SOURCES=str(options.archive_dir), NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", dev_addr]
    try:
        return subprocess.run(command, cwd=options.root, env=env).returncode
    except KeyboardInterrupt:
        return 0


def cmd_linkcheck(site: Path, external: bool) -> int:
    """Check the internal links and anchors of a built site; with `external`, fetch the others too."""
    if not (site / "index.html").is_file():
        print(f"error: no site at {site.as_posix()}/: build it first", file=sys.stderr)
        return 1
    broken, urls = check_site(site)
    pages = sum(1 for _ in site.rglob("*.html"))
    summary = f"{pages} pages: {len(broken)} broken internal links"
    if external:
        broken += check_external(urls)
        summary += f"; {len(urls)} external links checked"
    else:
        summary += f"; {len(urls)} external links not checked (--external)"
    for link in broken:
        print(f"error: {link}", file=sys.stderr)
    print(summary)
    return 1 if broken else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Build the research briefing site.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
        p.add_argument(
            "--sources",
            type=Path,
            default=Path(os.environ.get("BRIEFING_SOURCES", DEFAULT_SOURCES)),
            help="folder of archived source texts (default: $BRIEFING_SOURCES or ../shared/sources)",
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
    build.add_argument("--no-mkdocs", action="store_true", help="write docs/generated/ only")
    links = sub.add_parser("linkcheck", help="check internal links and anchors of the built site")
    links.add_argument("--site-dir", type=Path, default=Path("site"), help="built site (default: site)")
    links.add_argument("--external", action="store_true", help="also fetch external links (needs the network)")
    serve = sub.add_parser("serve", help="live preview: re-renders when facts/ or templates/ change")
    common(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand; exit status 1 means the input has problems."""
    args = _parser().parse_args(argv)
    if args.command == "linkcheck":
        return cmd_linkcheck(args.site_dir, args.external)
    options = Options(
        root=args.root,
        sources=args.sources,
        strict=args.strict,
        site_dir=getattr(args, "site_dir", Path("site")),
    )
    github = args.format == "github"
    if args.command == "check":
        return cmd_check(options, github)
    if args.command == "serve":
        return cmd_serve(options, args.dev_addr)
    return cmd_build(options, github, mkdocs=not args.no_mkdocs)


if __name__ == "__main__":
    sys.exit(main())
