"""Small helpers shared by the tests."""

from __future__ import annotations

import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from fixture_registry import FILES

from briefing.pipeline import Options, gather


def problems(project, strict: bool = False, severity: str | None = None) -> list[str]:
    """Every problem the checks report for a project, as the contributor sees the first line."""
    options = Options(root=project.root, sources=project.archive, strict=strict, site_dir=Path("site"))
    _, found = gather(options)
    return [str(p) for p in found if severity is None or p.severity == severity]


def with_hints(project, strict: bool = False) -> list[tuple[str, str | None]]:
    options = Options(root=project.root, sources=project.archive, strict=strict, site_dir=Path("site"))
    _, found = gather(options)
    return [(str(p), p.hint) for p in found]


def only_problem(project, strict: bool = False) -> tuple[str, str | None]:
    """The one problem found, with its hint: a test of one bad input also proves nothing else is reported."""
    found = with_hints(project, strict)
    assert len(found) == 1, found
    return found[0]


def fact_entry(fact_id: str) -> str:
    """The fixture's `facts.yaml` entry for one fact, whole, so a test can remove it without copying it."""
    text = FILES["facts.yaml"]
    start = text.index(f"  - id: {fact_id}\n")
    end = text.find("  - id: ", start + 1)
    return text[start : end if end != -1 else len(text)]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove a failed build changed nothing."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


DANGEROUS_TAGS = {"script", "iframe", "style", "object", "embed", "form", "img", "base", "meta", "link", "svg"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def scheme_of(value: str) -> str:
    """An address as a browser reads its scheme: white space and control characters dropped, any case."""
    return "".join(ch for ch in value if ord(ch) > 32 and ord(ch) != 127).lower()


class Scan(HTMLParser):
    """What a browser would act on: elements, their attributes, event handlers, script addresses."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.elements: list[str] = []  # every element with the names of its attributes
        self.handlers: list[str] = []
        self.js_links: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.tags.append(tag)
        self.elements.append(" ".join([tag] + sorted(name for name, _ in attrs)))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and scheme_of(value or "").startswith(BAD_SCHEMES):
                self.js_links.append(f"<{tag} {name}={value}>")


def serve(folder: Path):
    """A folder on a loopback web server, as a reader (or `briefing archive`) reaches it; yields its address."""
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    in_background(server)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def in_background(server) -> None:
    """Serve from a daemon thread that looks for shutdown() every 0.05 s (by default 0.5 s: a test's teardown)."""
    import threading

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


def git(root: Path, *args: str, date: str = "2024-06-01T12:00:00+00:00") -> str:
    """Git in `root`, as a test author at `date`, with no user or system settings."""
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True).stdout


def commit(root: Path, message: str, date: str) -> str:
    """Everything in `root` committed at `date`; the commit's hash."""
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD").strip()


def stop_server(server: subprocess.Popen) -> None:
    """Stop a `briefing serve` started in a session of its own: Ctrl-C to its group, then a kill."""
    import signal

    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def refuse_elsewhere(context, site_url: str) -> list[str]:
    """Route a browser context's requests: the site's go through, any other is refused and listed."""
    foreign: list[str] = []

    def only_local(route) -> None:
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return foreign


# --- axe-core, a screen reader's rules, in a page ------------------------------------------------
# The light palette's scans run every rule, with touch targets of 24 px (axe's target-size, WCAG
# 2.5.8, off by default: before, table links were 15 px tall at 375 px, issue 23). The palettes
# differ in colours alone (CSS custom properties; briefing.css and briefing.js change nothing else
# by palette), so the dark scans run the rules that read colours: the other rules would give the
# light scan's answers, and the colour rules are most of a scan's time anyway.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
AXE_RUN = """([light, colours]) => axe.run(document, light
  ? {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}
  : {resultTypes: ['violations'], runOnly: {type: 'rule', values: colours}})"""


def axe_file() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def axe_serious(page, scheme: str) -> list[str]:
    """The serious and critical violations axe finds in the page as it is, in the palette `scheme`."""
    page.add_script_tag(path=str(axe_file()))
    result = page.evaluate(AXE_RUN, [scheme == "light", COLOUR_RULES])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
