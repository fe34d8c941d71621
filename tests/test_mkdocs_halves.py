"""MkDocs on two cores (write/mkdocs_halves.py): the site is byte for byte the one MkDocs builds alone,
a failure on either core fails the build, and a plugin that gathers every page turns the halves off."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefing.write import mkdocs_halves
from briefing.write.mkdocs_halves import Halves, by_bytes, no_plugin_runs

CONFIG = """site_name: Halves
theme:
  name: material
  features: [navigation.footer]
plugins:
  - search:
      enabled: {search}
nav:
  - Home: index.md
  - About: about.md
  - untitled.md
  - Section:
      - Part: part/index.md
not_in_nav: |
  /notes/*.md
"""


def _project(root: Path, search: str = "false", broken: str = "") -> Path:
    """A Material site with pages in the navigation (titled or not, with an icon), and forty outside it."""
    docs = root / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "part").mkdir()
    (root / "mkdocs.yml").write_text(CONFIG.format(search=search), encoding="utf-8")
    (docs / "index.md").write_text(
        "# Home\n\nSee [about](about.md) and [a note](notes/n07.md#words).\n", encoding="utf-8"
    )
    (docs / "about.md").write_text(
        "---\nicon: material/information\nsubtitle: Who\n---\n# About us\n\nText.\n", encoding="utf-8"
    )
    (docs / "untitled.md").write_text("# A *heading* for a title\n\nIts title comes from here.\n", encoding="utf-8")
    (docs / "part" / "index.md").write_text(
        "# Part\n\n" + "A long paragraph of words. " * 400 + broken, encoding="utf-8"
    )
    for i in range(40):
        words = "Words of a note. " * (10 + 7 * i)
        (docs / "notes" / f"n{i:02}.md").write_text(f"# Note {i}\n\n## Words\n\n{words}\n", encoding="utf-8")
    return root


def _build(root: Path, site: str, halves: bool) -> subprocess.CompletedProcess:
    """Strict, and not --quiet: MkDocs does not count the warnings --quiet silences."""
    module = "briefing.write.mkdocs_halves" if halves else "mkdocs"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1750000000", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", module, "build", "--strict", "--site-dir", str(root / site)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_site_built_on_two_cores_is_the_one_mkdocs_builds_alone(tmp_path):
    root = _project(tmp_path)
    assert _build(root, "alone", halves=False).returncode == 0
    result = _build(root, "halves", halves=True)
    assert result.returncode == 0, result.stderr
    alone, halves = _files(root / "alone"), _files(root / "halves")
    assert sorted(halves) == sorted(alone) and len(alone) > 40
    assert [name for name in alone if alone[name] != halves[name]] == []
    about = halves["about/index.html"].decode()
    assert "Who</small>" in about and "A heading for a title" in halves["index.html"].decode()  # nav meta and titles


def test_a_warning_on_the_second_core_fails_the_build(tmp_path):
    """The part page is the largest, so it is in the heavier half, which the forked copy builds."""
    root = _project(tmp_path, broken="[gone](gone.md)\n")
    sizes = {p.relative_to(root / "docs").as_posix(): p.stat().st_size for p in (root / "docs").rglob("*.md")}
    assert "part/index.md" in by_bytes(sizes)[1]
    result = _build(root, "halves", halves=True)
    assert result.returncode == 1
    assert "gone.md" in result.stderr and "second core failed" in result.stdout  # MkDocs prints its Abort there


def test_with_a_plugin_on_one_core_builds_every_page(tmp_path):
    """The engine's own search gathers each page as it is written: its index must hold all of them."""
    root = _project(tmp_path, search="true")
    result = _build(root, "halves", halves=True)
    assert result.returncode == 0, result.stderr
    index = (root / "halves" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert all(f"Note {i}" in index for i in range(40))
    assert _build(root, "alone", halves=False).returncode == 0
    assert _files(root / "halves") == _files(root / "alone")


def test_halves_by_bytes():
    sizes = {f"p{i}": size for i, size in enumerate([900, 500, 400, 300, 200, 100, 100, 50])}
    lighter, heavier = by_bytes(sizes)
    assert lighter | heavier == set(sizes) and not lighter & heavier
    weight = [sum(sizes[p] for p in half) for half in (lighter, heavier)]
    assert weight[0] <= weight[1] and weight[1] - weight[0] <= max(sizes.values())
    assert by_bytes({"only": 5}) == (set(), {"only"})


def test_only_plugins_switched_off_allow_the_halves():
    def config(*enabled):
        return SimpleNamespace(
            plugins={f"p{i}": SimpleNamespace(config=SimpleNamespace(enabled=on)) for i, on in enumerate(enabled)}
        )

    assert no_plugin_runs(config()) and no_plugin_runs(config(False, False))
    assert not no_plugin_runs(config(False, True))
    assert not no_plugin_runs(SimpleNamespace(plugins={"hooks": SimpleNamespace()}))  # a hook: no switch, so on


def test_the_parent_fails_when_its_child_failed():
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    halves = Halves()
    halves.child = pid
    with pytest.raises(mkdocs_halves.Abort, match="second core"):
        halves.finish(failed=False)


def test_the_copy_dies_with_mkdocs(tmp_path):
    """`briefing build` asks the kernel to end MkDocs when the build dies; the copy MkDocs forks goes too,
    before it writes the pages of its half (it converts them all first, which takes it a second or more)."""
    root = _project(tmp_path)
    for i in range(300):
        (root / "docs" / "notes" / f"more{i:03}.md").write_text(
            "# More\n\n" + "Words, words. " * 3000, encoding="utf-8"
        )
    sizes = {p.relative_to(root / "docs").as_posix(): p.stat().st_size for p in (root / "docs").rglob("*.md")}
    copy_s = [uri.removesuffix(".md") + "/index.html" for uri in by_bytes(sizes)[1]]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "briefing.write.mkdocs_halves", "build", "--quiet", "--site-dir", str(root / "s")]
    mkdocs = subprocess.Popen(command, cwd=root, env=env)
    children = Path(f"/proc/{mkdocs.pid}/task/{mkdocs.pid}/children")
    try:
        copy = 0
        for _ in range(600):  # until the copy is forked
            listed = children.read_text().split() if children.exists() else []
            if listed:
                copy = int(listed[0])
                break
            time.sleep(0.01)
        assert copy, "MkDocs forked no copy"
        mkdocs.kill()
        mkdocs.wait(timeout=10)
        for _ in range(1000):  # until the copy has ended (a zombie is ended: nobody is left to reap it)
            if _state(copy) in ("gone", "Z"):
                break
            time.sleep(0.01)
        assert _state(copy) in ("gone", "Z")
        written = [page for page in copy_s if (root / "s" / page).exists()]
        assert len(written) < len(copy_s) / 2, "the copy went on writing after MkDocs died"
    finally:
        mkdocs.kill()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
