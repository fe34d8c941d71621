"""Pagefind as the site's search (briefing.toml: search = "pagefind"): the build, not the browser.

The index is made inside the staged site before the switch, by the locked wheel's program; a
failure is a problem located at the setting, with nothing switched; PAGEFIND_* variables and a
pagefind.yml where the build runs change nothing; a symbolic link in the staged site is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from briefing.problems import Loc
from briefing.write import search
from briefing.write.search import pagefind_index

PAGEFIND_ON = '[briefing]\nsubject = "Acme"\nsearch = "pagefind"\n'


def with_pagefind(project) -> None:
    (project.root / "briefing.toml").write_text(PAGEFIND_ON, encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its path, with a hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stable(index: dict[str, str]) -> dict[str, str]:
    """An index's words and pages, and how many filter files: Pagefind names its filter files (and so its
    metadata) differently from run to run."""
    kept = {path: digest for path, digest in index.items() if path.startswith(("fragment/", "index/"))}
    return {**kept, "filters": str(sum(path.startswith("filter/") for path in index))}


def test_the_build_indexes_the_staged_site_before_the_switch(site_project, monkeypatch):
    with_pagefind(site_project)
    indexed: list[Path] = []
    original = search.pagefind_started

    def spy(site: Path, where: Loc):
        indexed.append(site)
        assert not (site_project.root / "site").exists()  # nothing switched in yet
        return original(site, where)

    monkeypatch.setattr("briefing.pipeline.pagefind_started", spy)
    result = site_project.run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert indexed and indexed[0].name.startswith(".site-new-")
    site = site_project.root / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list(site.glob("pagefind/fragment/*.pf_fragment"))
    assert not (site / "search").exists() and not (site / "search.json").exists()  # the engine's own search is off
    config = (site_project.root / "build" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "enabled: false" in config and "briefing/search.js" in config
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in home and "briefing/search.js" in home
    assert not (site_project.root / "pagefind").exists()


def test_the_default_keeps_the_engine_s_search_and_no_pagefind(built_site):
    site = built_site.root / "site"
    assert (site / "search" / "search_index.json").is_file()
    assert not (site / "pagefind").exists()
    assert "data-pagefind" not in (site / "topics" / "funding" / "index.html").read_text(encoding="utf-8")
    assert not (site / "briefing" / "search.js").exists()


def _failing_program(tmp_path: Path, monkeypatch) -> None:
    program = tmp_path / "fake-pagefind"
    program.write_text("#!/bin/sh\necho 'Error: \033]0;owned\007 no pages found' >&2\nexit 3\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr("pagefind_bin.get_executable", lambda: program)


def test_a_failing_pagefind_is_a_located_problem_and_nothing_is_switched(built_site, tmp_path, monkeypatch):
    with_pagefind(built_site)
    before = tree(built_site.root / "site"), tree(built_site.root / "build")
    _failing_program(tmp_path, monkeypatch)
    built_site.edit("facts.yaml", "statement: Acme was founded", "statement: Acme Robotics was founded")
    result = built_site.run("build", "--strict")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "briefing.toml:3:10: error: Pagefind could not index the site: Error:" in out
    assert "no pages found" in out and "\033" not in out and "\007" not in out  # its words, not its control codes
    assert "Traceback" not in out
    assert (tree(built_site.root / "site"), tree(built_site.root / "build")) == before
    assert not [p for p in built_site.root.rglob(".site-new-*")]


def test_pagefind_variables_and_a_pagefind_yml_where_the_build_runs_change_nothing(site_project, tmp_path):
    with_pagefind(site_project)
    plain = site_project.run("build", "--strict")
    assert plain.returncode == 0, plain.stderr
    expected = tree(site_project.root / "site" / "pagefind")
    outside = tmp_path / "outside"
    (site_project.root / "pagefind.yml").write_text(f"output_path: {outside}/yml\n", encoding="utf-8")
    hostile = {
        "PAGEFIND_OUTPUT_PATH": str(outside / "env"),
        "PAGEFIND_OUTPUT_SUBDIR": "../../escaped",
        "PAGEFIND_SITE": str(outside),
        "PAGEFIND_ROOT_SELECTOR": "footer",
        "PAGEFIND_EXCLUDE_SELECTORS": "h1, h2, h3, p",
        "PAGEFIND_FORCE_LANGUAGE": "fr",
        "PAGEFIND_GLOB": "nothing/*.html",
        "PAGEFIND_WRITE_PLAYGROUND": "true",
        "PAGEFIND_LOGFILE": str(outside / "log"),
    }
    again = site_project.run("build", "--strict", env=hostile)
    assert again.returncode == 0, again.stdout + again.stderr
    assert stable(tree(site_project.root / "site" / "pagefind")) == stable(expected)
    entry = json.loads((site_project.root / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"] and entry["languages"]["en"]["page_count"] > 10
    assert not outside.exists()
    assert not (site_project.root / "escaped").exists() and not (site_project.root.parent / "escaped").exists()


def test_a_symbolic_link_in_the_staged_site_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("<html><body><p>secret words</p></body></html>", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html lang=en><body><h1>Home</h1><p>words</p></body></html>", encoding="utf-8")
    (site / "elsewhere").symlink_to(outside)
    before = tree(outside)
    problem = pagefind_index(site, Loc("briefing.toml", 3, 10))
    assert problem is not None and problem.code == "search-site-link"
    assert str(problem).startswith("briefing.toml:3:10: error: the built site holds a symbolic link (elsewhere)")
    assert not (site / "pagefind").exists()
    assert tree(outside) == before and sorted(os.listdir(outside)) == ["secret.html"]


def test_an_index_from_a_plain_site_lands_inside_it(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<html lang=en><body><div data-pagefind-body><h1>Home</h1><p>alpha beta</p></div></body></html>",
        encoding="utf-8",
    )
    assert pagefind_index(site, Loc("briefing.toml")) is None
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_facet_values_are_escaped_text(site_project):
    with_pagefind(site_project)
    site_project.edit("entities.yaml", "name: Acme Robotics", "name: 'Acme <b>Robotics</b>, kind: x'")
    result = site_project.run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site_project.root / "site" / "topics" / "company" / "index.html").read_text(encoding="utf-8")
    assert '<span data-pagefind-filter="entity">Acme &lt;b&gt;Robotics&lt;/b&gt;, kind: x</span>' in page
    assert '<span data-pagefind-filter="kind">Topic</span>' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"lunr"', "briefing.toml:3:10: error: setting 'search' is 'lunr'; it must be one of: pagefind, builtin"),
        ("true", "briefing.toml:3:10: error: setting 'search' must be text, not true or false"),
    ],
)
def test_another_search_is_a_located_error(site_project, value, message):
    (site_project.root / "briefing.toml").write_text(PAGEFIND_ON.replace('"pagefind"', value), encoding="utf-8")
    result = site_project.run("build", "--strict")
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert not (site_project.root / "site").exists()


def test_the_preview_keeps_the_engine_s_search(site_project):
    """`briefing serve` runs no Pagefind: its preview searches with the engine's own index, as before."""
    from briefing.pipeline import Options
    from briefing.preview import PREVIEW, preview
    from briefing.project import read_settings

    with_pagefind(site_project)
    settings, found = read_settings(site_project.root)
    assert found == [] and settings.search == "pagefind"
    options = Options(site_project.root, site_project.archive, False, Path("site"), settings)
    _, report = preview(options, None)
    assert report is not None and report.files is not None
    config = (site_project.root / PREVIEW / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- search\n" in config and "enabled: false" not in config and "briefing/search.js" not in config
    assert "data-pagefind" not in (site_project.root / PREVIEW / "docs" / "topics" / "funding" / "index.md").read_text()


def test_a_broken_link_found_while_pagefind_indexes_stops_it_and_switches_nothing(built_site, tmp_path, monkeypatch):
    """Pagefind indexes the staged site while the build checks its links and pages: a broken link ends the
    build at once, Pagefind with it (no process left behind, nothing switched, no staged folder left)."""
    with_pagefind(built_site)
    before = tree(built_site.root / "site"), tree(built_site.root / "build")
    pid_file = tmp_path / "pagefind.pid"
    program = tmp_path / "slow-pagefind"
    program.write_text(f"#!/bin/sh\necho $$ > '{pid_file}'\nexec sleep 600\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr("pagefind_bin.get_executable", lambda: program)
    (built_site.root / "docs" / "notes.md").write_text('# Notes\n\n<a href="../nowhere/">gone</a>\n', encoding="utf-8")
    result = built_site.run("build", "--strict")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "notes/index.html: broken link '../nowhere/'" in out, out
    assert "Traceback" not in out
    pid = pid_file.read_text().strip() if pid_file.exists() else ""  # empty: ended before it wrote it
    if pid:  # Pagefind had started while the links were checked
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)  # and was ended and reaped, not left to run its ten minutes
    assert (tree(built_site.root / "site"), tree(built_site.root / "build")) == before
    assert not [p for p in built_site.root.rglob(".site-new-*")]
