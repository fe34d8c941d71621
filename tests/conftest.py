"""Shared fixtures: a tiny project written into tmp_path, and the CLI run through its entry point, main(argv)."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixture_registry import ARCHIVE, FILES
from hypothesis import settings

# Property tests draw the same examples on every run, so a red CI run is the change's and no draw's,
# and nothing is written to .hypothesis/; HYPOTHESIS_PROFILE=explore draws new ones, many more.
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # benchmarks/, the measurements the tests share code with (not shipped)
BRIEFING = str(Path(sys.executable).parent / "briefing")


@dataclass
class Project:
    """A project folder with facts/, an archive beside it, and the repo's site configuration."""

    root: Path
    archive: Path

    @property
    def facts(self) -> Path:
        return self.root / "facts"

    def write(self, name: str, text: str) -> Path:
        """Write a registry file whole, as an editor saves (a watcher never reads it half-written)."""
        path = self.facts / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.test-tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        return path

    def edit(self, name: str, old: str, new: str) -> Path:
        path = self.facts / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        return self.write(name, text.replace(old, new, 1))

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        """Run `briefing ARGS` in the project, as a contributor would (in this process: `run_briefing`)."""
        full_env = {**os.environ, "BRIEFING_SOURCES": str(self.archive), **(env or {})}
        full_env.pop("GITHUB_ACTIONS", None)
        return run_briefing(list(args), self.root, full_env)


# What only a process of its own can do: serve (it waits for signals), a fault that kills the
# process, another hash seed. Everything else runs main(argv) in the test's own process.
NEEDS_A_PROCESS = ("BRIEFING_FAULT", "PYTHONHASHSEED")


def _fresh_process_caches() -> None:
    """Drop what a process remembers between runs: the signing key, and trafilatura's record of the
    text it has seen (it leaves out segments seen before, so a second extraction would differ)."""
    from briefing.load import cache

    cache._keys.clear()
    if "trafilatura" in sys.modules:
        from trafilatura.meta import reset_caches

        reset_caches()


def run_briefing(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`briefing ARGV` in `cwd` with exactly the environment `env`, as subprocess.run would give it back.

    In this process where it can be (briefing.cli.main, 0.3 s of imports saved a run): the current
    folder and os.environ are set for the call and restored after, what it prints is captured, that
    of the engine it starts too (file descriptors 1 and 2 are redirected), and the caches a process
    keeps (the signing key) are dropped first, as a new process starts without them.
    """
    env = dict(os.environ if env is None else env)
    if (argv and argv[0] == "serve") or any(name in env for name in NEEDS_A_PROCESS):
        return subprocess.run([BRIEFING, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    from briefing.cli import main

    _fresh_process_caches()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryFile() as fd_out, tempfile.TemporaryFile() as fd_err:
        sys.stdout.flush()
        sys.stderr.flush()
        saved_fds = os.dup(1), os.dup(2)
        os.dup2(fd_out.fileno(), 1)
        os.dup2(fd_err.fileno(), 2)
        try:
            os.environ.clear()
            os.environ.update(env)
            os.chdir(cwd)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(argv))
                except SystemExit as exit:  # argparse's usage errors
                    code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
        finally:
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            os.dup2(saved_fds[0], 1)
            os.dup2(saved_fds[1], 2)
            os.close(saved_fds[0])
            os.close(saved_fds[1])
            _fresh_process_caches()
        fd_out.seek(0)
        fd_err.seek(0)
        stdout = out.getvalue() + fd_out.read().decode("utf-8", "replace")
        stderr = err.getvalue() + fd_err.read().decode("utf-8", "replace")
    return subprocess.CompletedProcess([BRIEFING, *argv], code, stdout, stderr)


def make_project(root: Path, with_site_config: bool = False) -> Project:
    """Write the fixture registry and archive; optionally the site configuration for MkDocs builds."""
    archive = root / "archive"
    archive.mkdir(parents=True)
    for name, text in ARCHIVE.items():
        (archive / name).write_text(text, encoding="utf-8")
    project = Project(root / "project", archive)
    project.facts.mkdir(parents=True)
    for name, text in FILES.items():
        project.write(name, text)
    if with_site_config:
        shutil.copy(REPO / "mkdocs.yml", project.root / "mkdocs.yml")
        shutil.copytree(REPO / "docs", project.root / "docs", ignore=shutil.ignore_patterns(".*"))
        for shared in ("scripts", "templates"):
            (project.root / shared).symlink_to(REPO / shared)
    return project


@pytest.fixture(scope="session", autouse=True)
def own_cache_key(tmp_path_factory):
    """The per-user key that signs the caches (load/cache.py) in a test folder, never the real user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path)


@pytest.fixture
def site_project(tmp_path: Path) -> Project:
    return make_project(tmp_path, with_site_config=True)


@pytest.fixture(scope="session")
def _built_template(tmp_path_factory) -> Path:
    """The fixture project built once per worker: what `built_site` copies instead of building again."""
    root = tmp_path_factory.mktemp("built-template")
    result = make_project(root, with_site_config=True).run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    where = str(root).encode()
    named = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and where in p.read_bytes()]
    assert named == [], "a copy of this build would point back at it"
    return root


@pytest.fixture
def built_site(_built_template: Path, tmp_path: Path) -> Project:
    """`site_project` after `briefing build --strict`: a copy of one build (its outputs hold no absolute path)."""
    shutil.copytree(_built_template, tmp_path, symlinks=True, dirs_exist_ok=True)
    return Project(tmp_path / "project", tmp_path / "archive")


SHARED_SOURCES = REPO.parent / "shared" / "sources"


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name`, made by `make` in whichever pytest-xdist worker asks first, and reused by the
    others (each worker has a session of its own): it is read, never changed, by the tests."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, which every worker's own folder is in
    folder, made = base / name, base / f"{name}.made"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait while one makes it
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def repository_project(root: Path, settings: bool) -> Project:
    """A copy of this repository's briefing in `root`: its registry, docs/ and mkdocs.yml (and, with
    `settings`, its briefing.toml); the generator and templates linked, the archive beside the repository."""
    if not SHARED_SOURCES.is_dir():
        pytest.fail(f"the source archive {SHARED_SOURCES} is missing: the real briefing cannot be verified")
    root.mkdir(parents=True)
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns(".*"))
    for name in ("mkdocs.yml", "briefing.toml") if settings else ("mkdocs.yml",):
        shutil.copy(REPO / name, root / name)
    for shared in ("scripts", "templates"):
        (root / shared).symlink_to(REPO / shared)
    return Project(root, SHARED_SOURCES)


def _built(project: Project, *flags: str) -> None:
    result = project.run("build", "--strict", *flags, env={"SOURCE_DATE_EPOCH": "1750000000"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Project:
    """The repository's registry and site configuration without its briefing.toml, so with the engine's
    own search (which the tests of that search use), built once for every worker."""
    folder = made_once(tmp_path_factory, "real", lambda folder: _built(repository_project(folder / "project", False)))
    return Project(folder / "project", SHARED_SOURCES)


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Project:
    """The briefing as it is published: with its briefing.toml, so Pagefind's search and the site's own
    search box, built once for every worker. What a reader sees page by page is checked on it."""
    made = made_once(tmp_path_factory, "published", lambda folder: _built(repository_project(folder / "project", True)))
    return Project(made / "project", SHARED_SOURCES)


@pytest.fixture(scope="session")
def zensical_site(real_site, tmp_path_factory) -> Project:
    """The same project built by the second engine, Zensical, from the same site source."""

    def build(folder: Path) -> None:
        root = folder / "project"
        shutil.copytree(real_site.root, root, symlinks=True, ignore=shutil.ignore_patterns("site", "build", ".cache"))
        result = Project(root, real_site.archive).run(
            "build", "--strict", "--engine", "zensical", env={"SOURCE_DATE_EPOCH": "1750000000"}
        )
        assert result.returncode == 0, result.stdout + result.stderr

    return Project(made_once(tmp_path_factory, "zensical", build) / "project", real_site.archive)


CHROMIUM = Path("/usr/bin/chromium")
# Flags for a sandboxed, offline machine: no background calls to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for every browser test file (Playwright's sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make browser` installs it (`make test` runs it first)")
    from playwright.sync_api import BrowserContext

    close = BrowserContext.close

    def leave_then_close(context: BrowserContext, *args, **kwargs) -> None:
        """Each page goes to about:blank first: Debian's Chromium can hang for good when a context
        closes while a page is still navigating or fetching (a whole run stalled so, on a loaded machine)."""
        for open_page in context.pages:
            try:
                open_page.goto("about:blank", timeout=10_000)
            except Exception:  # a page that cannot leave is closed with its context all the same
                pass
        close(context, *args, **kwargs)

    BrowserContext.close = leave_then_close
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    BrowserContext.close = close


# --- how the tests are spread over the workers (`make test`: pytest-xdist, -n auto) -----------
# Files with tests of 10 s and more each (a plain install into a new venv, a live preview that
# follows edits, a venv made again): started first, so that no worker is left with one at the end.
LONG_FIRST = ("test_init.py", "test_serve.py", "test_makefile.py", "test_history_hostile.py")


@functools.cache
def _has_module_fixture(path: Path) -> bool:
    """Whether a test file makes something once for all its tests (a site built, a server started)."""
    return path.suffix == ".py" and path.is_file() and 'scope="module"' in path.read_text(encoding="utf-8")


def pytest_collection_modifyitems(items) -> None:
    """Long files first, then the files with a module fixture (the sort is stable: files keep their order)."""
    items.sort(key=lambda item: (item.path.name not in LONG_FIRST, not _has_module_fixture(item.path)))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: runs without it (-p no:xdist) need none
def pytest_xdist_make_scheduler(config, log):
    """`-n` without --dist: as --dist load, but a file with a module fixture goes whole to one worker.

    Spread over two workers, each would make the fixture (build its site) again. The workers take
    the tests in the order above: the long ones and the whole files first, the quick ones last.
    """
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleFixture(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if _has_module_fixture(config.rootpath / path) else nodeid

    config.option.loadscopereorder = False
    return ByModuleFixture(config, log)


# --- the suite leaves the developer's checkout and environment as it found them --------------
# Outputs and caches a test might write into the checkout by mistake (all ignored by git, so
# `git status` alone would not show them), and the .venv's install stamps and interpreter.
WATCHED = ("site", "build", ".cache/briefing", ".cache/build", ".cache/preview", "site-zensical",
           "build-artifacts", "facts", "docs", "templates")  # fmt: skip


def untouched_state(repo: Path, venv: Path | None) -> dict[str, object]:
    """What a test must not change: git's view of the checkout, watched folders, the .venv stamps."""
    status = subprocess.run(
        ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"], cwd=repo, capture_output=True
    ).stdout
    state: dict[str, object] = {"git status": status}
    for name in WATCHED:
        if name == "build-artifacts" and os.environ.get("BRIEFING_SCREENSHOTS"):
            continue  # screenshots asked for there (CI uploads them)
        folder = repo / name
        state[name] = sorted(
            (p.relative_to(repo).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
            for p in (folder.rglob("*") if folder.is_dir() else [])
            if p.is_file() and "__pycache__" not in p.parts
        )
    if venv is not None:
        python = venv / "bin" / "python"
        for path in sorted(venv.glob(".installed-*")) + [venv / "pyvenv.cfg", python.resolve()]:
            state[str(path)] = path.stat().st_mtime_ns if path.exists() else None
    return state


def _own_venv() -> Path | None:
    return Path(sys.prefix) if sys.prefix != sys.base_prefix else None


def pytest_sessionstart(session) -> None:
    """`make test` asks for the guard: the whole run must leave the checkout and .venv as they were."""
    if os.environ.get("BRIEFING_GUARD_CHECKOUT"):
        session.config.untouched_before = untouched_state(REPO, _own_venv())


def pytest_sessionfinish(session, exitstatus) -> None:
    before = getattr(session.config, "untouched_before", None)
    if before is None:
        return
    after = untouched_state(REPO, _own_venv())
    changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    if changed:
        message = "error: the test run changed what it must leave alone: " + ", ".join(changed)
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(message, red=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
