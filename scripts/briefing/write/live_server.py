"""`mkdocs serve` for the live preview: it rebuilds when the preview says its files are written, not when a poll notices.

MkDocs' own server polls the whole site source every 0.5 s (30 ms a look at 10 000 facts), then
waits 0.1 s for the files to stop changing. The preview knows better: it writes every file of an
edit, then replaces one signal file (output.SIGNAL). This server watches that file only, with the
kernel's notifications where watchdog has them (one folder, not recursive), else by polling it
every 50 ms, and rebuilds at once. The preview watches every input itself, so nothing is lost by
not watching the site source.

MkDocs also compiles the theme's templates again for every rebuild (a third of a one-page
rebuild at 10 000 facts); here they are compiled once for the server's life and kept in its
memory, each under a checksum of its source, so an edited override is compiled again.

    python -m briefing.write.live_server SIGNAL serve [mkdocs serve's arguments]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import mkdocs.theme
import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.__main__ import cli
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.livereload import LiveReloadServer

from briefing.write.engine import FILE_READS

POLL = 0.05  # seconds between two looks at the signal where the kernel cannot tell us


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory for the server's life (never on disk: nothing to tamper with)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:  # the bucket checks the source's checksum and drops a stale one
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class InstalledListedOnce(jinja2.FileSystemLoader):
    """The theme's loader, listing an installed theme's folder once for the server's life (Material's
    holds 14 000 files, a sixth of a one-page rebuild) and the others, such as an override, each time."""

    listed: dict[str, list[str]] = {}

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if folder not in self.listed or not _installed(folder):
                self.listed[folder] = jinja2.FileSystemLoader(folder, followlinks=self.followlinks).list_templates()
            found.update(self.listed[folder])
        return sorted(found)


def _installed(folder: str) -> bool:
    """Whether `folder` is in this environment's installed packages (which a preview does not change)."""
    return Path(folder).resolve().is_relative_to(Path(sys.prefix).resolve())


def _theme_environment(get_env: Callable, cache: CompiledTemplates) -> Callable:
    """Theme.get_env, with `cache` as each new environment's bytecode cache, and its installed folders listed once."""

    def with_cache(theme: mkdocs.theme.Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = cache
        if type(env.loader) is jinja2.FileSystemLoader:
            loader = env.loader
            env.loader = InstalledListedOnce(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    return with_cache


class SignalledServer(LiveReloadServer):
    """MkDocs' server, rebuilding when the signal file is replaced, and only then."""

    signal: Path

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.build_delay = 0  # the signal comes once every file is written: no quiet to wait for
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._on_event  # type: ignore[method-assign]
        try:
            self.observer = watchdog.observers.Observer()
            self.observer.schedule(handler, str(self.signal.parent), recursive=False)
        except OSError:  # no notifications left to the user (inotify's limits): look instead
            self.observer = watchdog.observers.polling.PollingObserver(timeout=POLL)
            self.observer.schedule(handler, str(self.signal.parent), recursive=False)
        self._watched_paths[str(self.signal)] = 1  # so that serve() starts the observer

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """The site source, its config and theme are not watched: the preview signals their changes."""

    def _on_event(self, event: watchdog.events.FileSystemEvent) -> None:
        """Rebuild when the signal file is replaced (or made), whatever else happens in its folder."""
        if event.is_directory or event.event_type in FILE_READS:  # a read changes nothing
            return
        touched = {Path(str(event.src_path)), Path(str(getattr(event, "dest_path", "") or event.src_path))}
        if self.signal in touched:
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()


def main(argv: list[str]) -> None:
    """Run `mkdocs serve` with the signalled server, watching the signal file named first."""
    SignalledServer.signal = Path(argv[0]).resolve()
    mkdocs_serve.LiveReloadServer = SignalledServer  # type: ignore[misc]
    mkdocs.theme.Theme.get_env = _theme_environment(mkdocs.theme.Theme.get_env, CompiledTemplates())  # type: ignore[method-assign]
    cli.main(args=argv[1:], prog_name="mkdocs")


if __name__ == "__main__":
    main(sys.argv[1:])
