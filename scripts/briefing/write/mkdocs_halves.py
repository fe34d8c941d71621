"""MkDocs' build on two cores: a forked copy converts and writes half the pages.

MkDocs converts every page's Markdown on one core (9-11 s at 10 000 facts) while the second
waits. Its build first gathers the files and the navigation, then converts each page, then
writes each page through the theme. Here the process forks when the first page is about to be
converted: each copy converts and writes its own half of the pages, split by bytes. Both copies
read the front matter of every page in the navigation, whose `icon`, `subtitle` and `status`
the theme shows on every page, and convert a navigation page with no title in mkdocs.yml, whose
title comes from its heading. The theme's own files (the 404 page, the sitemap, its assets) are
written by this process only. Each page is converted and written by one copy, which knows what
a single process knows at that point, so the site is byte for byte the one a single process
builds (tests/test_mkdocs_halves.py).

`briefing build` runs it as `python -m briefing.write.mkdocs_halves build ...`, with MkDocs' own
arguments. Where forking is not safe (forked.py), MkDocs runs as it is. Its console shows
warnings and errors only, and every warning counts for `--strict` (warnings_only), which
`--quiet` would prevent.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from briefing.forked import by_size, can_fork, size_of
from briefing.write.engine import die_with_parent


class Halves:
    """Which copy this is, and which pages are its own."""

    def __init__(self) -> None:
        self.child = 0  # in this process: the copy's pid; 0 before the fork, or with no fork
        self.forked = False
        self.is_child = False
        self.mine: set[str] = set()  # the src_uri of the pages this copy converts and writes
        self.in_nav: set[str] = set()
        self.convert: Any = mkdocs_build._populate_page  # MkDocs' own steps, as install found them
        self.write: Any = mkdocs_build._build_page

    def split(self, files: Files, config: Any) -> None:
        """Fork, if that is safe, and keep the lighter half of the pages; the child takes the heavier."""
        self.forked = True
        lighter, heavier = by_bytes({f.src_uri: size_of(f.abs_src_path) for f in files.documentation_pages()})
        if not (can_fork() and no_plugin_runs(config)):
            self.mine = lighter | heavier
            return
        parent = os.getpid()
        pid = os.fork()
        self.is_child, self.child = pid == 0, pid
        if self.is_child:  # a copy never outlives MkDocs: a killed build leaves no writer behind
            die_with_parent()
            if os.getppid() != parent:
                os._exit(1)
        self.mine = heavier if self.is_child else lighter  # this copy also writes the theme's files

    def populate(self, page: Page, config: Any, files: Files, dirty: bool = False) -> None:
        """Convert the page if it is this copy's; read a navigation page's front matter either way."""
        if not self.forked:
            self.split(files, config)
        uri = page.file.src_uri
        if uri in self.mine or (uri in self.in_nav and "title" not in vars(page)):
            self.convert(page, config, files, dirty)
        elif uri in self.in_nav:
            page.read_source(config)

    def build_page(self, page: Page, *args: Any, **kwargs: Any) -> None:
        """Write the page if it is this copy's."""
        if page.file.src_uri in self.mine:
            self.write(page, *args, **kwargs)

    def theme_file(self, build: Any) -> Any:
        """The theme's own files, written by the parent only."""

        def written_once(*args: Any, **kwargs: Any) -> None:
            if not self.is_child:
                build(*args, **kwargs)

        return written_once

    def finish(self, failed: bool) -> None:
        """The child leaves with its status; the parent waits for it, and fails if it failed."""
        if self.is_child:
            os._exit(1 if failed else 0)
        if self.child:
            _, status = os.waitpid(self.child, 0)
            self.child = 0
            if os.waitstatus_to_exitcode(status) != 0 and not failed:
                raise Abort("Aborted: the pages built on the second core failed (their messages are above)")


def by_bytes(sizes: dict[str, int]) -> tuple[set[str], set[str]]:
    """The pages in two halves of about as many bytes each (forked.by_size): (lighter, heavier)."""
    lighter, heavier = sorted(by_size(sizes), key=lambda half: sum(sizes[uri] for uri in half))
    return set(lighter), set(heavier)


def no_plugin_runs(config: Any) -> bool:
    """Whether every plugin is switched off (`enabled: false`): a plugin may gather every page as it is
    written (the engine's own search does, for its index), and would see only a copy's half."""
    return all(getattr(getattr(plugin, "config", None), "enabled", True) is False for plugin in config.plugins.values())


def install(halves: Halves) -> None:
    """Put `halves` into MkDocs' build: its steps as this module describes."""
    build, navigation = mkdocs_build.build, mkdocs_build.get_navigation
    copy_static_files = Files.copy_static_files

    def get_navigation(files: Files, config: Any) -> Navigation:
        nav = navigation(files, config)
        halves.in_nav = {page.file.src_uri for page in nav.pages}
        return nav

    def build_both(config: Any, **kwargs: Any) -> None:
        try:
            build(config, **kwargs)
        except BaseException:
            halves.finish(failed=True)
            raise
        halves.finish(failed=False)

    def static_files(files: Files, *args: Any, **kwargs: Any) -> None:
        if not halves.is_child:
            copy_static_files(files, *args, **kwargs)

    mkdocs_build.build = build_both
    mkdocs_build.get_navigation = get_navigation
    mkdocs_build._populate_page = halves.populate
    mkdocs_build._build_page = halves.build_page
    mkdocs_build._build_theme_template = halves.theme_file(mkdocs_build._build_theme_template)
    mkdocs_build._build_extra_template = halves.theme_file(mkdocs_build._build_extra_template)
    Files.copy_static_files = static_files  # type: ignore[method-assign]


def warnings_only() -> None:
    """MkDocs' console shows its warnings and errors only, as `--quiet` would show errors, and every
    warning still counts for `--strict`: `--quiet` drops warnings before `--strict` counts them, so
    that `mkdocs build --strict --quiet` fails on no warning at all."""
    for handler in logging.getLogger("mkdocs").handlers:
        handler.addFilter(lambda record: record.levelno >= logging.WARNING)


# MkDocs' steps this replaces (MkDocs 1.6): where a version lacks one, MkDocs runs as it is.
STEPS = ("build", "get_navigation", "_populate_page", "_build_page", "_build_theme_template", "_build_extra_template")


def main() -> None:
    """`mkdocs` with the build on two cores, and its warnings counted."""
    if all(callable(getattr(mkdocs_build, step, None)) for step in STEPS):
        install(Halves())
    build = mkdocs_build.build

    def counted(config: Any, **kwargs: Any) -> None:
        warnings_only()  # here: MkDocs' command line has made its console by now
        build(config, **kwargs)

    mkdocs_build.build = counted
    from mkdocs.__main__ import cli

    cli()


if __name__ == "__main__":
    main()
