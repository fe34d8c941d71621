"""`briefing serve`: the live preview, re-rendered into .cache/preview/ whenever an input changes."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from briefing.commands.build import MATERIAL_END_OF_LIFE
from briefing.commands.common import add_command, print_problems, print_report
from briefing.load.model import Registry
from briefing.pipeline import Options
from briefing.preview import PREVIEW, Preview, preview, settle, woken_by_edits
from briefing.write import output
from briefing.write.engine import Rebuilds, die_with_parent, local_address, wait_until_listening

DIRTY_NOTE = (
    "note: --dirty: this preview has no search, since a partial rebuild cannot refresh its index; "
    "`briefing serve` without --dirty has it"
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = add_command(commands, "serve", "live preview: re-renders when facts/ or templates/ change", run)
    parser.add_argument(
        "--dev-addr", default="127.0.0.1:8000", type=_address, help="address to serve on (default: 127.0.0.1:8000)"
    )
    parser.add_argument(
        "--dirty", action="store_true", help="rebuild only the pages that changed (fast previews of a large registry)"
    )


def _address(text: str) -> str:
    """--dev-addr as MkDocs takes it, HOST:PORT; refused here, with how to write it, if it is not."""
    try:
        local_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT, such as 127.0.0.1:8000") from None
    return text


def run(options: Options, args: argparse.Namespace) -> int:
    return serve(options, args.dev_addr, args.dirty)


# Seconds between two looks for an edit: 0.1 s, or five times as long as a look takes (a look
# reads only the files whose status changed; at 10 000 facts it takes about 7 ms), at most 0.5 s.
# Where the kernel tells of changed files (watchdog), a change wakes the look at once.
LOOK_AGAIN = (0.1, 0.5)


def serve(options: Options, dev_addr: str, dirty: bool = False) -> int:
    """Live preview: render the site source into .cache/preview/, serve it with MkDocs, re-render on change.

    The server rebuilds when the preview's files change; this command watches facts/,
    templates/, docs/, mkdocs.yml and the archive and re-renders what changed (nothing when the
    inputs have problems: the last good preview stays). An edit of facts' words re-renders only the
    pages that show them (render/dependencies.py). With `dirty`, MkDocs rebuilds only the pages
    whose Markdown changed: a large registry's preview then follows an edit in seconds, without
    search (its index cannot be brought up to date by a partial rebuild).
    """
    refused = output.refusals(options.root, preview=True)
    if refused:
        print_problems(refused, Registry(), github=False)
        return 1
    if dirty:
        print(DIRTY_NOTE, file=sys.stderr)
    stamp, _ = _regenerate(options, None, dirty)
    settle()
    if not (options.root / PREVIEW / "mkdocs.yml").is_file():
        print("error: no preview to serve yet: fix the errors above", file=sys.stderr)
        return 1
    # MkDocs' server, rebuilding when the preview signals its files written (write/live_server.py)
    command = [sys.executable, "-m", "briefing.write.live_server", str(output.SIGNAL), "serve"]
    command += ["--dev-addr", dev_addr, "-f", str(PREVIEW / "mkdocs.yml")]
    print(MATERIAL_END_OF_LIFE, file=sys.stderr)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # its ten-line banner: the line above says it
    # The server dies with us, however we end: Ctrl-C, a SIGTERM or SIGHUP, or a SIGKILL.
    server = subprocess.Popen(
        command + (["--dirty"] if dirty else []), cwd=options.root, env=env, preexec_fn=die_with_parent
    )
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    pause = LOOK_AGAIN[0]
    try:
        # Its first build done: a preview written while that build reads the pages could take one away.
        wait_until_listening(server, dev_addr)
        rebuilds, edited = Rebuilds(dev_addr), woken_by_edits(options)
        while server.poll() is None:
            edited.wait(pause)
            edited.clear()
            started = time.perf_counter()
            stamp, changed = _regenerate(options, stamp, dirty, rebuilds if dirty else None)
            if changed:  # while MkDocs rebuilds on the other core
                settle()
            else:  # a look that found nothing: look again after five times as long, within bounds
                pause = min(LOOK_AGAIN[1], max(LOOK_AGAIN[0], 5 * (time.perf_counter() - started)))
        return server.returncode
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0


def _regenerate(
    options: Options, stamp: Preview | None, dirty: bool, server: Rebuilds | None = None
) -> tuple[Preview, bool]:
    """Re-render the preview if an input changed, and print what the rendering found; and whether one had."""
    stamp, report = preview(options, stamp, search=not dirty, server=server)
    if report is not None:
        print_report(report, github=False)
    return stamp, report is not None


def _interrupt(signum: int, frame: object) -> None:
    """A SIGTERM or SIGHUP ends the preview as Ctrl-C does, so its server is stopped too."""
    raise KeyboardInterrupt
