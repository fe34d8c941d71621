"""Hostile files under .cache/ and hostile --site-dir folders: a pull request can commit anything
under .cache/ (`git add -f`), so nothing read there may run code, vouch for a quote or a figure,
or make the build move, delete or write anything outside its own folders."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest
from conftest import Project, run_briefing
from helpers import git, snapshot

from briefing.load.cache import ParseCache, _version
from briefing.load.registry import load_registry
from briefing.pipeline import CACHE, FIGURES, VERIFIED

MADE_UP = "Harbour Capital is owned by the Moon."
REAL = "Harbour Capital is controlled by the city of Portville."


def sign(key: bytes, name: str, body: bytes) -> bytes:
    """An entry as load/cache.py signs it (written out here, so that the format itself is under test)."""
    mac = hmac.new(key, name.encode() + b"\0" + body, hashlib.sha256).hexdigest().encode()
    return b"briefing-cache 1\n" + mac + b"\n" + body


def key_path() -> Path:
    """The tests' own key (conftest.py puts XDG_CACHE_HOME in a test folder)."""
    return Path(os.environ["XDG_CACHE_HOME"]) / "briefing" / "key"


def map_name(name: str) -> str:
    return f"{name}-{_version().hex()[:16]}"


class Payload:
    """A pickle that, when loaded, writes a file: what a pull request could commit as a cache entry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def forge(path: Path, value: object, form: str) -> None:
    """A cache entry as an attacker can write it: a pickle, unsigned JSON, or JSON signed with a key of their own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if form == "pickle":
        path.write_bytes(pickle.dumps(value))
        return
    body = json.dumps(value).encode()
    if form == "unsigned":
        path.write_bytes(b"briefing-cache 1\n" + b"0" * 64 + b"\n" + body)
    else:
        path.write_bytes(sign(os.urandom(32), path.name, body))


def quote_key(project: Project, quote: str) -> str:
    archive_sha = hashlib.sha256((project.archive / "planet.txt").read_bytes()).hexdigest()
    return hashlib.sha256(f"{archive_sha}\0{quote}".encode()).hexdigest()


# --- C1: no entry can run code ----------------------------------------------------------------


def test_a_pickle_in_the_caches_runs_no_code_on_check(project, tmp_path):
    marker = tmp_path / "pwned"
    folder = project.root / CACHE
    names = [map_name(VERIFIED), map_name(FIGURES)]
    for path in sorted(project.facts.glob("*.yaml")):
        names.append(ParseCache(folder).key(f"facts/{path.name}", path.read_bytes()))
    for name in names:
        forge(folder / name, Payload(marker), "pickle")
    result = project.run("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert b"pickle" not in b"".join(p.read_bytes()[:20] for p in folder.iterdir())  # replaced by signed JSON
    assert all(p.read_bytes().startswith(b"briefing-cache 1\n") for p in folder.iterdir())


def test_entries_are_json_and_a_warm_load_keeps_every_position(project):
    folder = project.root / CACHE
    cold, _ = load_registry(project.facts, project.root, ParseCache(folder))
    entries = [p for p in folder.iterdir()]
    assert entries
    for entry in entries:
        head, mac, body = entry.read_bytes().split(b"\n", 2)
        assert head == b"briefing-cache 1" and len(mac) == 64
        json.loads(body)
    warm, _ = load_registry(project.facts, project.root, ParseCache(folder))
    for a, b in zip(cold.documents, warm.documents, strict=True):
        assert (a.path, a.data, a.lines, a.values, a.keys) == (b.path, b.data, b.lines, b.values, b.keys)


# --- C2: a forged entry vouches for nothing ----------------------------------------------------


@pytest.mark.parametrize("form", ["pickle", "unsigned", "other-key"])
def test_a_committed_map_of_verified_quotes_cannot_publish_a_made_up_quote(site_project, form):
    project = site_project
    project.edit("facts.yaml", f"quote: {REAL}", f"quote: {MADE_UP}")
    forge(project.root / CACHE / map_name(VERIFIED), {quote_key(project, MADE_UP): MADE_UP}, form)
    result = project.run("build", "--strict")
    assert result.returncode == 1, result.stderr
    assert "quote not found" in result.stderr or "not found in" in result.stderr, result.stderr
    assert "build stopped: nothing was written" in result.stderr
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("form", ["pickle", "unsigned", "other-key"])
def test_a_forged_figure_check_is_not_taken(project, form):
    from briefing.check.statements import figures_key

    project.edit("facts.yaml", "Acme raised 2 billion yuan", "Acme raised 8 billion yuan")
    registry, _ = load_registry(project.facts, project.root)
    forged = {figures_key(f): "" for f in registry.facts}
    forge(project.root / CACHE / map_name(FIGURES), forged, form)
    result = project.run("check", "--strict")
    assert result.returncode == 1
    assert "the figure '8 billion yuan' is in none of its quotes" in result.stderr


def test_a_signed_entry_under_another_name_is_a_miss(project):
    """The name is signed too: a parse entry of one file copied over another's is not read as it."""
    folder = project.root / CACHE
    assert project.run("check").returncode == 0
    cache = ParseCache(folder)
    facts = cache.key("facts/facts.yaml", (project.facts / "facts.yaml").read_bytes())
    topics = cache.key("facts/topics.yaml", (project.facts / "topics.yaml").read_bytes())
    (folder / facts).write_bytes((folder / topics).read_bytes())
    registry, problems = load_registry(project.facts, project.root, ParseCache(folder))
    assert problems == [] and len(registry.facts) == 4


def test_the_key_is_the_users_own_and_made_private(project, tmp_path):
    home = tmp_path / "xdg"
    result = project.run("check", env={"XDG_CACHE_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    key = home / "briefing" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    assert not any(p.name == "key" for p in project.root.rglob("*"))  # never inside the project
    # Without XDG_CACHE_HOME: under $HOME/.cache.
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    env["HOME"] = str(tmp_path / "home")
    run = run_briefing(["check"], project.root, {**env, "BRIEFING_SOURCES": str(project.archive)})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "home" / ".cache" / "briefing" / "key").stat().st_size == 32


def _attacker_key(tmp_path: Path) -> Path:
    known = tmp_path / "known-key"
    known.write_bytes(b"k" * 32)
    known.chmod(0o600)
    return known


@pytest.mark.parametrize("how", ["symlink", "readable", "other-owner"])
def test_a_key_that_is_not_the_users_own_turns_the_caches_off(project, tmp_path, how):
    """A key others could know signs nothing and verifies nothing: the forged quote is still refused."""
    home = tmp_path / "xdg"
    key = home / "briefing" / "key"
    key.parent.mkdir(parents=True)
    known = _attacker_key(tmp_path)
    if how == "symlink":
        key.symlink_to(known)
    else:
        key.write_bytes(known.read_bytes())
        key.chmod(0o644 if how == "readable" else 0o600)
        if how == "other-owner":
            if os.getuid() != 0:
                pytest.skip("only root can give a file to another user")
            os.chown(key, 65534, 65534)
    project.edit("facts.yaml", f"quote: {REAL}", f"quote: {MADE_UP}")
    name = map_name(VERIFIED)
    path = project.root / CACHE / name
    path.parent.mkdir(parents=True)
    path.write_bytes(sign(b"k" * 32, name, json.dumps({quote_key(project, MADE_UP): MADE_UP}).encode()))
    result = project.run("check", "--strict", env={"XDG_CACHE_HOME": str(home)})
    assert result.returncode == 1
    assert "note: caches are off: the key" in result.stderr
    assert "quote not found" in result.stderr or "not found in" in result.stderr, result.stderr
    assert known.read_bytes() == b"k" * 32


def test_a_cache_folder_that_is_a_link_is_not_pruned(project, tmp_path):
    """Old code pruned every file it did not ask for: through a link, another folder's files."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.txt").write_text("years of work\n", encoding="utf-8")
    (project.root / ".cache").mkdir()
    (project.root / CACHE).symlink_to(victim)
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    assert snapshot(victim) == {"thesis.txt": b"years of work\n"}


# --- tracked files under .cache/ -----------------------------------------------------------------


def test_a_tracked_file_under_cache_is_a_warning_and_an_error_when_strict(project):
    git(project.root, "init", "-q")
    entry = project.root / ".cache" / "briefing" / "deadbeef"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"anything")
    git(project.root, "add", "-f", ".cache/briefing/deadbeef")
    result = project.run("check")
    assert result.returncode == 0, result.stderr
    assert ".cache/briefing/deadbeef:1:1: warning: a file under .cache/ is tracked by git" in result.stderr
    strict = project.run("check", "--strict")
    assert strict.returncode == 1
    assert ".cache/briefing/deadbeef:1:1: error: a file under .cache/ is tracked by git" in strict.stderr
    assert "git rm --cached" in strict.stderr


# --- C3: the build record ------------------------------------------------------------------------


@pytest.fixture
def built(built_site: Project) -> Project:
    return built_site


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "shared" / "sources"
    victim.mkdir(parents=True)
    (victim / "text.txt").write_text("an archived text\n", encoding="utf-8")
    return victim


def _record(project: Project) -> Path:
    return project.root / ".cache" / "build" / "commit.json"


RECORD_ERROR = ".cache/build/commit.json:1:1: error: the build record"


@pytest.mark.parametrize("signed", [False, True])
def test_a_committed_build_record_cannot_move_or_delete_anything(built, tmp_path, signed):
    victim = _victim(tmp_path)
    gone = tmp_path / "shared" / ".gone"
    moves = json.dumps([[str(victim), str(gone), str(gone)]]).encode()
    record = _record(built)
    # Signed with this user's own key: the shape of the moves is checked all the same.
    record.write_bytes(sign(key_path().read_bytes(), "commit.json", moves) if signed else moves)
    site = snapshot(built.root / "site")
    result = built.run("build", "--strict")
    assert result.returncode == 1
    assert RECORD_ERROR in result.stderr
    assert ("names a move the build never makes" if signed else "was not written by a build of yours") in result.stderr
    assert "build stopped: nothing was written" in result.stderr
    assert snapshot(victim) == {"text.txt": b"an archived text\n"} and not gone.exists()
    assert snapshot(built.root / "site") == site and record.is_file()


def test_a_record_with_relative_paths_out_of_the_project_is_refused(built, tmp_path):
    victim = _victim(tmp_path)
    rel = os.path.relpath(victim, built.root)
    name = os.path.relpath(tmp_path / "shared" / ".gone", built.root)
    _record(built).write_bytes(sign(key_path().read_bytes(), "commit.json", json.dumps([[rel, name, name]]).encode()))
    result = built.run("build", "--strict")
    assert result.returncode == 1 and RECORD_ERROR in result.stderr
    assert snapshot(victim) == {"text.txt": b"an archived text\n"}


def test_a_record_of_another_site_folder_is_refused(built, tmp_path):
    """A well-formed move onto a folder other than this build's site: refused, with how to go on."""
    victim = _victim(tmp_path)
    new = built.root / ".site-new-abc123"
    new.mkdir()
    moves = [[str(new), str(victim), str(built.root / ".site-old-.site-new-abc123")]]
    _record(built).write_bytes(sign(key_path().read_bytes(), "commit.json", json.dumps(moves).encode()))
    result = built.run("build", "--strict")
    assert result.returncode == 1 and RECORD_ERROR in result.stderr
    assert "delete .cache/build/commit.json" in result.stderr
    assert snapshot(victim) == {"text.txt": b"an archived text\n"} and new.is_dir()


def test_a_staging_folder_that_is_a_link_is_refused(built, tmp_path):
    """Old code removed every folder in .cache/build/ it found as left over: through a link, anyone's."""
    victim = _victim(tmp_path).parent
    staging = built.root / ".cache" / "build"
    shutil.rmtree(staging)
    staging.symlink_to(victim)
    result = built.run("build", "--strict")
    assert result.returncode == 1
    assert ".cache/build:1:1: error: .cache/build/ is a symbolic link, not a folder of the build's own" in result.stderr
    assert snapshot(victim) == {"sources/text.txt": b"an archived text\n"}


# --- C4: the lock and the files the build writes -------------------------------------------------


def test_a_lock_that_is_a_link_is_refused_and_its_target_untouched(built, tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("do not truncate me\n", encoding="utf-8")
    lock = built.root / ".cache" / "build.lock"
    lock.unlink()
    lock.symlink_to(outside)
    result = built.run("build", "--strict")
    assert result.returncode == 1
    assert ".cache/build.lock:1:1: error: the build lock is a symbolic link" in result.stderr
    assert outside.read_text(encoding="utf-8") == "do not truncate me\n"


def test_the_lock_itself_opens_no_link(tmp_path):
    """Even past the check before it (a link made in between): O_NOFOLLOW, and a located refusal."""
    from briefing.write.output import Refused, build_lock

    outside = tmp_path / "precious.txt"
    outside.write_text("keep\n", encoding="utf-8")
    (tmp_path / "p" / ".cache").mkdir(parents=True)
    (tmp_path / "p" / ".cache" / "build.lock").symlink_to(outside)
    with pytest.raises(Refused) as refused, build_lock(tmp_path / "p"):
        pass
    assert str(refused.value.problem).startswith(".cache/build.lock:1:1: error: the build lock cannot be opened")
    assert outside.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("what", ["a symbolic link", "a file"])
def test_a_cache_folder_that_is_a_link_or_a_file_stops_the_build(built, tmp_path, what):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = built.root / ".cache"
    shutil.rmtree(cache)
    if what == "a file":
        cache.write_text("committed\n", encoding="utf-8")
    else:
        cache.symlink_to(elsewhere)
    site = snapshot(built.root / "site")
    result = built.run("build", "--strict")
    assert result.returncode == 1
    assert f".cache:1:1: error: .cache/ is {what}, not a folder of the build's own" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(elsewhere.iterdir()) == [] and snapshot(built.root / "site") == site


def test_files_are_written_new_and_through_no_link(tmp_path):
    from briefing.write.output import write_files

    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "index.md").symlink_to(outside)
    with pytest.raises(FileExistsError):
        write_files(folder, {"index.md": "overwritten"})
    assert outside.read_text(encoding="utf-8") == "keep\n"
    with pytest.raises(ValueError):
        write_files(folder, {"../escape.md": "x"})
    assert not (tmp_path / "escape.md").exists()


def test_serve_refuses_a_link_in_its_preview(site_project, tmp_path):
    """`briefing serve` writes into .cache/preview/ and deletes what it did not write: no link may be there."""
    victim = _victim(tmp_path)
    preview = site_project.root / ".cache" / "preview"
    preview.mkdir(parents=True)
    (preview / "docs").symlink_to(victim)
    result = site_project.run("serve", "--dev-addr", "127.0.0.1:1")
    assert result.returncode == 1
    assert ".cache/preview/docs:1:1: error: .cache/preview/docs is a symbolic link in the preview" in result.stderr
    assert snapshot(victim) == {"text.txt": b"an archived text\n"}


@pytest.mark.parametrize("kind", ["file-link", "folder-link", "folder"])
def test_serve_refuses_anything_but_its_own_file_where_it_signals_its_server(site_project, tmp_path, kind):
    """The preview replaces .cache/preview.written after each edit (its server then rebuilds): a link
    or folder committed there is refused before anything is written, and what it names is untouched."""
    victim = _victim(tmp_path)
    signal = site_project.root / ".cache" / "preview.written"
    signal.parent.mkdir(parents=True, exist_ok=True)
    if kind == "file-link":
        signal.symlink_to(victim / "text.txt")
    elif kind == "folder-link":
        signal.symlink_to(victim)
    else:
        signal.mkdir()
    result = site_project.run("serve", "--dev-addr", "127.0.0.1:1")
    assert result.returncode == 1
    shown = "a folder" if kind == "folder" else "a symbolic link"
    assert f".cache/preview.written:1:1: error: the preview's signal is {shown}, not a file of its own" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(victim) == {"text.txt": b"an archived text\n"}
    assert not (site_project.root / ".cache" / "preview").exists()  # nothing rendered, nothing written


# --- S5: the site folder -------------------------------------------------------------------------


def test_a_site_dir_holding_a_git_checkout_is_refused(site_project, tmp_path):
    public = site_project.root.parent / "public"
    (public / ".git").mkdir(parents=True)
    (public / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (public / "index.html").write_text("<p>published</p>\n", encoding="utf-8")
    (public / ".briefing-site").write_text("copied along\n", encoding="utf-8")  # even with the marker
    before = snapshot(public)
    result = site_project.run("build", "--site-dir", "../public")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --site-dir ../public: it holds .git/, which the build would delete")
    assert result.stderr.endswith("; nothing was touched\n")
    assert snapshot(public) == before


def test_a_site_dir_that_is_a_file_is_never_replaced(site_project):
    contributing = site_project.root / "CONTRIBUTING.md"
    contributing.write_text("# How to help\n", encoding="utf-8")
    result = site_project.run("build", "--site-dir", "CONTRIBUTING.md")
    assert result.returncode == 2
    assert result.stderr == (
        "error: --site-dir CONTRIBUTING.md: it is a file, not a folder; the build never replaces one; "
        "nothing was touched\n"
    )
    assert contributing.read_text(encoding="utf-8") == "# How to help\n"
    assert not list(site_project.root.glob(".site-*"))


def test_a_site_dir_of_other_files_is_refused_and_a_link_too(site_project, tmp_path):
    notes = site_project.root.parent / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    result = site_project.run("build", "--site-dir", "../notes")
    assert result.returncode == 2
    assert "it holds files no build of this project made (there is no .briefing-site in it)" in result.stderr
    assert snapshot(notes) == {"todo.txt": b"buy milk\n"}
    (site_project.root.parent / "link").symlink_to(notes)
    result = site_project.run("build", "--site-dir", "../link")
    assert result.returncode == 2 and "it is a symbolic link, not a folder" in result.stderr
    assert snapshot(notes) == {"todo.txt": b"buy milk\n"}


def test_a_built_site_carries_the_marker_and_is_replaced_by_the_next_build(site_project):
    out = site_project.root.parent / "out"
    out.mkdir()  # an empty folder is fine
    for _ in range(2):
        result = site_project.run("build", "--site-dir", "../out")
        assert result.returncode == 0, result.stderr
    marker = (out / ".briefing-site").read_text(encoding="utf-8")
    assert "briefing build" in marker and str(site_project.root) not in marker  # nothing about this machine
    links = site_project.run("linkcheck", "--site-dir", "../out")
    assert links.returncode == 0, links.stdout + links.stderr


def test_an_old_default_site_made_by_mkdocs_is_replaced_but_not_one_of_other_files(built_site):
    site_project = built_site
    site = site_project.root / "site"
    (site / ".briefing-site").unlink()  # as a checkout from before the marker has it
    result = site_project.run("build")
    assert result.returncode == 0, result.stderr
    assert (site / ".briefing-site").is_file()
    # The default place, but not made by MkDocs: refused.
    shutil.rmtree(site)
    site.mkdir()
    (site / "index.html").write_text("<p>hand-made</p>\n", encoding="utf-8")
    (site / "404.html").write_text("<p>lost</p>\n", encoding="utf-8")
    result = site_project.run("build")
    assert result.returncode == 2 and "there is no .briefing-site in it" in result.stderr
    assert snapshot(site) == {"index.html": b"<p>hand-made</p>\n", "404.html": b"<p>lost</p>\n"}
