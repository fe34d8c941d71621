"""The live preview at scale: how long an edit takes to show, measured two ways.

`preview_run`: the generator's part in the process `briefing serve --dirty` keeps, then MkDocs'
dirty rebuild as a command of its own. `served_run`: the whole way, as a contributor waits for it,
with `briefing serve --dirty` running: from the file saved to the served page carrying the new
words, both watchers' polling and MkDocs' rebuild in its server included.

    .venv/bin/python -m benchmarks.preview [--size 10000] [--edits 5] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.process import REPO, free_port, run
from briefing.files import replace_file
from briefing.pipeline import Options
from briefing.preview import PREVIEW, preview, settle

BRIEFING = str(Path(sys.executable).parent / "briefing")


def _preview_worker(root: Path, archive: Path, edits: int) -> None:
    """The live preview as `briefing serve --dirty` keeps it, in one process: a first rendering and
    MkDocs build, then one-fact edits, each re-rendered (only the pages it reaches) and rebuilt dirty."""
    options = Options(root, archive, strict=True, site_dir=root / "site")
    state, _ = preview(options, None, search=False)
    settle()  # as serve does after each rendering
    site = root / "site-preview"
    shutil.rmtree(site, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml", "--site-dir", str(site)]
    run(command, root / PREVIEW, env)
    edited = root / "facts" / "facts-000.yaml"
    original = edited.read_text(encoding="utf-8")
    seen: dict[str, list] = {"render": [], "render_cpu": [], "mkdocs": [], "pages": [], "load": []}
    try:
        for r in range(edits):
            edited.write_text(original.replace("(fact 0).", f"(fact 0, served{' again' * r}).", 1), encoding="utf-8")
            start, cpu = time.perf_counter(), time.process_time()
            state, _ = preview(options, state, search=False)
            seen["render"].append(time.perf_counter() - start)
            seen["render_cpu"].append(time.process_time() - cpu)  # the same on a busy machine
            seen["pages"].append(-1 if state.rendered is None else len(state.rendered))
            seen["mkdocs"].append(run([*command, "--dirty"], root / PREVIEW, env)[0])
            seen["load"].append(os.getloadavg()[0])  # wall times on a shared machine need it beside them
            settle()
    finally:
        edited.write_text(original, encoding="utf-8")
    print(json.dumps(seen))


def preview_run(root: Path, archive: Path, edits: int) -> dict[str, list]:
    """Time the live preview after one-fact edits in a fresh process (see _preview_worker)."""
    code = "from benchmarks.preview import _preview_worker; from pathlib import Path; "
    code += f"_preview_worker(Path({str(root)!r}), Path({str(archive)!r}), {edits})"
    _, peak, printed = run([sys.executable, "-c", code], REPO)
    return {**json.loads(printed.strip().splitlines()[-1]), "peak_mib": [peak]}


def _get(url: str, timeout: float = 5) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _reloaded(page: str, base: str, words: str, within: float) -> None:
    """Wait as a browser showing `page` does: MkDocs' live-reload script asks the server for the
    site's version and is answered once a rebuild is done, then the page is loaded again; until
    it carries `words`. (Reading the page every few milliseconds instead would keep the server busy
    and slow the preview it measures.)"""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        text = _get(page)
        if words in text:
            return
        found = re.search(r"livereload\((\d+), (\d+)\)", text)
        if found is None:  # not served yet, or the page was between two rebuilds
            time.sleep(0.05)
            continue
        _get(f"{base}livereload/{found[1]}/{found[2]}", timeout=60)  # answered when a newer build is up
    raise SystemExit(f"the edit did not reach {page} in {within:.0f} s")


def served_run(
    root: Path, archive: Path, edits: int, start_within: float = 900, edit_within: float = 120
) -> dict[str, list]:
    """`briefing serve --dirty` on the registry; for each one-fact edit, the seconds from the file
    saved to the served topic page carrying the new words, as a browser showing it reloads it."""
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BRIEFING_SOURCES=str(archive))
    edited = root / "facts" / "facts-000.yaml"
    original = edited.read_text(encoding="utf-8")
    seen: dict[str, list] = {"seconds": [], "load": []}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [BRIEFING, "serve", "--root", str(root), "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + start_within
            while not _get(base) and server.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
            shown = [p for p in (root / PREVIEW / "docs" / "topics").rglob("index.md") if "(fact 0)." in p.read_text()]
            if not shown or server.poll() is not None:
                log.seek(0)
                raise SystemExit("briefing serve --dirty did not start:\n" + log.read().decode()[-3000:])
            page = base + shown[0].parent.relative_to(root / PREVIEW / "docs").as_posix() + "/"
            for r in range(edits):
                words = f"(fact 0, live{' again' * r})."
                replace_file(edited, original.replace("(fact 0).", words, 1).encode("utf-8"), durable=False)
                start = time.perf_counter()
                _reloaded(page, base, words, within=edit_within)
                seen["seconds"].append(time.perf_counter() - start)
                seen["load"].append(os.getloadavg()[0])
                time.sleep(1)  # both watchers settle before the next edit
        finally:
            replace_file(edited, original.encode("utf-8"), durable=False)
            server.terminate()
            server.wait(timeout=60)
    return seen


def main(argv: list[str] | None = None) -> int:
    from benchmarks.registry import generate

    parser = argparse.ArgumentParser(prog="python -m benchmarks.preview", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="facts in the synthetic registry (default: 10000)")
    parser.add_argument("--edits", type=int, default=5, help="one-fact edits measured (default: 5)")
    parser.add_argument("--out", type=Path, default=REPO / ".cache" / "bench", help="scratch folder")
    args = parser.parse_args(argv)
    root = args.out / f"preview-{args.size}"
    if not (root / "facts").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        generate(args.size, root)
    archive = root / "archive"
    parts = preview_run(root, archive, args.edits)
    whole = served_run(root, archive, args.edits)
    print(json.dumps({"parts": parts, "served": whole}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
