"""The adversarial corpus: every bad input is refused with exact, located messages, and nothing is written.

Each file in tests/bad_input/ is one case: its `# case:` line says what it tries, its
`# expect:` lines are exactly the problems the contributor must see, each with its code; a
case's NAME.txt beside it, if any, is put in the archive for a source the case defines. The file is added to a
project whose site was already built; the build must fail, print those problems (all of
them, in one run, no traceback) and leave docs/ and site/ byte-identical. Cases that cannot
be written as a readable file (binary, huge, links) are generated below.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import Project, make_project
from helpers import snapshot

CORPUS = Path(__file__).parent / "bad_input"
PROBLEM_LINE = re.compile(r"^\S.*?:\d+:\d+: (error|warning): ")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    project = make_project(tmp_path_factory.mktemp("built"), with_site_config=True)
    result = project.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def fresh(built, tmp_path) -> Project:
    """A copy of the built project (its archive beside it), for one case to break."""
    copy = tmp_path / "copy"
    shutil.copytree(built.root.parent, copy, symlinks=True)
    return Project(copy / built.root.name, copy / built.archive.name)


def expected_lines(case: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ")
        for line in case.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]


def refused(project: Project) -> list[str]:
    """Build with --strict; assert it failed cleanly and changed nothing; return the problem lines."""
    docs, site = snapshot(project.root / "docs"), snapshot(project.root / "site")
    result = project.run("build", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "build stopped: nothing was written" in result.stderr
    assert snapshot(project.root / "docs") == docs
    assert snapshot(project.root / "site") == site
    return [line for line in result.stderr.splitlines() if PROBLEM_LINE.match(line)]


CASES = sorted(CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_corpus_case(fresh, case):
    expected = expected_lines(case)
    assert expected, f"{case.name} has no '# expect:' line"
    shutil.copy(case, fresh.facts / "case.yaml")
    if case.with_suffix(".txt").exists():  # the archived text a case's own source quotes from
        shutil.copy(case.with_suffix(".txt"), fresh.archive / case.with_suffix(".txt").name)
    assert refused(fresh) == expected


def test_deep_nesting_is_refused_without_a_crash(fresh):
    (fresh.facts / "case.yaml").write_text("facts: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert refused(fresh) == ["facts/case.yaml:1:39: error: nesting is deeper than 32 levels [yaml-too-deep]"]


def test_file_over_the_size_cap(fresh):
    (fresh.facts / "case.yaml").write_text("# padding\n" * 300_000, encoding="utf-8")
    assert refused(fresh) == [
        "facts/case.yaml:1:1: error: file is 3,000,000 bytes; the limit is 2,097,152 [file-too-large]"
    ]


def test_bytes_that_are_not_utf8(fresh):
    (fresh.facts / "case.yaml").write_bytes("facts:\n  - id: café\n".encode("latin-1"))
    assert refused(fresh) == [
        "facts/case.yaml:2:12: error: file is not UTF-8: byte 0xe9 cannot be decoded [file-not-utf8]"
    ]


def test_utf16_file(fresh):
    (fresh.facts / "case.yaml").write_bytes("topics: []\n".encode("utf-16"))
    assert refused(fresh) == [
        "facts/case.yaml:1:1: error: file is not UTF-8: byte 0xff cannot be decoded [file-not-utf8]"
    ]


def test_windows_line_endings_keep_line_numbers(fresh):
    text = "facts:\r\n  - id: case-fact\r\n    statement: A statement.\r\n    topic: nowhere\r\n"
    (fresh.facts / "case.yaml").write_bytes(text.encode("utf-8"))
    assert refused(fresh) == [
        "facts/case.yaml:2:5: error: fact 'case-fact': missing required field 'citations' [missing-field]",
        "facts/case.yaml:2:5: error: fact 'case-fact': missing required field 'entities' [missing-field]",
    ]


def test_symlinked_archive_file(fresh, tmp_path):
    outside = tmp_path / "outside.txt"
    (fresh.archive / "wire.txt").rename(outside)
    os.symlink(outside, fresh.archive / "wire.txt")
    assert refused(fresh) == [
        "facts/sources.yaml:21:13: error: archive file 'wire.txt' is a symbolic link; archive the text itself "
        "[archive-linked]"
    ]


def test_symlinked_registry_file(fresh, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    os.symlink(outside, fresh.facts / "case.yaml")
    assert refused(fresh) == [
        "facts/case.yaml:1:1: error: registry files must not be symbolic links [linked-registry-file]"
    ]


def test_missing_archive_folder_fails_a_strict_build(fresh):
    shutil.rmtree(fresh.archive)
    assert refused(fresh) == [
        "../archive:1:1: error: archive folder not found: 7 quotes in 2 sources went unverified [archive-folder-missing]"
    ]


def test_file_names_outside_the_registry_are_located(fresh):
    """Not UTF-8 or a suffix in capitals: named as problems; hidden files and folders are not the registry."""
    (fresh.facts / os.fsdecode(b"\xff-bad.yaml")).write_text("facts: []\n", encoding="utf-8")
    (fresh.facts / "shouting.YAML").write_text("facts: []\n", encoding="utf-8")
    (fresh.facts / ".git").mkdir()
    (fresh.facts / ".git" / "config.yaml").write_text("not: [a registry\n", encoding="utf-8")
    (fresh.facts / ".sources.yaml.swp").write_text("\x00\x01", encoding="utf-8")
    assert refused(fresh) == [
        "facts/\\xff-bad.yaml:1:1: error: file name is not UTF-8: rename the file [file-name-not-utf8]",
        "facts/shouting.YAML:1:1: error: registry file names end in lowercase .yaml or .yml [registry-suffix]",
    ]


def test_a_symlinked_registry_folder_is_refused(fresh, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.yaml").write_text("facts: []\n", encoding="utf-8")
    os.symlink(outside, fresh.facts / "more")
    assert refused(fresh) == [
        "facts/more:1:1: error: registry folders must not be symbolic links [linked-registry-folder]"
    ]
