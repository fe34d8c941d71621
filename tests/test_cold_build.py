"""The cold build's second core: the whole-registry checks run in a forked child while the quotes
are checked and the pages rendered (forked.py, pipeline.prepare), with the same report."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from briefing import forked as forked_module
from briefing.forked import forked
from briefing.pipeline import Options, build, check, finish, load, prepare, rendered
from briefing.problems import with_code


@pytest.fixture
def forks(monkeypatch):
    """`forked` forks here whatever else runs in this test process (a test worker may have threads of its
    own, so _can_fork, asked at run time, says no); skipped without fork or a second core."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        pytest.skip("needs fork and two cores")
    monkeypatch.setattr(forked_module, "_can_fork", lambda: True)


def _options(project, strict: bool = True) -> Options:
    return Options(root=project.root, sources=project.archive, strict=strict, site_dir=Path("site"))


def _sequential(options: Options):
    """The build as it was before: every check first, then the rendering (never in a child)."""
    loaded = load(options, True, config=True)
    return finish(options, loaded, check(loaded.registry, options, loaded.remembered))


def _shown(report) -> tuple:
    problems = [(with_code(p), p.hint, p.severity) for p in report.problems]
    return problems, report.notes, report.status, report.files


def test_the_work_runs_in_another_process_and_its_whole_result_comes_back(forks):
    big = ["x" * 1000] * 2000  # 2 MB: more than a pipe holds, so the child waits for the reading
    with forked(lambda: (os.getpid(), big)) as pending:
        pid, value = pending.result()
    assert pid != os.getpid()
    assert value == big


def test_a_child_that_fails_leaves_the_work_to_this_process(forks):
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return 42

    with forked(work) as pending:
        assert pending.result() == 42


def test_work_that_fails_here_too_raises_its_own_error():
    def work() -> int:
        raise ValueError("the work's own error")

    with pytest.raises(ValueError, match="the work's own error"):
        with forked(work) as pending:
            pending.result()


def test_a_child_not_waited_for_is_ended_and_reaped(forks):
    parent = os.getpid()
    with forked(lambda: os.getpid() != parent and threading.Event().wait(600)) as pending:  # a child that waits
        pid = pending.pid
        assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie is left
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_with_another_thread_running_the_work_runs_here():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with forked(os.getpid) as pending:
            assert pending.pid == 0
            assert pending.result() == os.getpid()
    finally:
        release.set()
        other.join()


@pytest.mark.parametrize("strict", [True, False])
def test_the_report_and_files_are_those_of_checking_first(site_project, strict):
    # A warning (non-strict) or error (strict) from the whole-registry checks: an entity no fact names.
    site_project.edit(
        "entities.yaml",
        "entities:\n",
        "entities:\n  - {id: idle, name: Idle Ltd, kind: organisation, description: Named by no fact.}\n",
    )
    options = _options(site_project, strict)
    expected = _shown(_sequential(options))
    assert _shown(prepare(options)) == expected
    assert expected[2] == (1 if strict else 0)
    assert any("idle" in p[0] for p in expected[0])


def test_the_clean_registry_renders_the_same_files(site_project):
    options = _options(site_project)
    expected = _shown(_sequential(options))
    assert expected[3]  # it renders
    assert _shown(prepare(options)) == expected


def test_an_error_found_on_the_other_core_stops_the_build_before_anything_is_written(site_project):
    # An unknown entity: check_registry (in the child) reports it; the rendering started meanwhile
    # cannot name it and fails, and that failure is not what the contributor is told.
    site_project.edit("facts.yaml", "entities: [acme, harbour-capital]", "entities: [acme, nobody-known]")
    options = _options(site_project)
    loaded = load(options, config=True)
    with pytest.raises(KeyError):  # what the rendering started beside the checks meets
        rendered(options, loaded, check(loaded.registry, options, whole=False))
    report = build(options)
    assert report.status == 1 and report.files is None
    assert [p.message for p in report.problems if "nobody-known" in p.message]
    assert report.problems == _sequential(_options(site_project)).problems
    assert not (site_project.root / "build").exists()
    assert not (site_project.root / "site").exists()


def test_pages_rendered_on_two_cores_are_the_pages_one_core_renders(project, monkeypatch, forks):
    """From SHARED_FROM pages on, every other page is rendered in a forked child: the same files,
    byte for byte and in the same order, as rendering them all here, downloads included."""
    from briefing import forked as forked_module
    from briefing.load.registry import load_registry
    from briefing.render import pages as pages_module

    registry, problems = load_registry(project.facts, project.root)
    assert not [p for p in problems if p.severity == "error"]
    alone = pages_module.render_site(registry)
    assert len(alone) > 20 and alone.keys() >= {".nav.yml"}
    monkeypatch.setattr(pages_module, "SHARED_FROM", 2)
    forks: list[int] = []
    real_fork = forked_module.os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(forked_module.os, "fork", counted_fork)
    shared = pages_module.render_site(registry)
    assert forks, "the pages were not shared with a second core"
    assert list(shared.items()) == list(alone.items())


def test_a_built_site_leaves_the_site_source_on_disk_not_in_memory(site_project, monkeypatch):
    """Once build/ is written, the engine reads the pages from there: the build drops its copy (1.4 GB
    of text at 100 000 facts, held while MkDocs held every page too) before the engine runs."""
    import briefing.pipeline as pipeline_module

    prepared: list = []
    held_by_the_build: list[int] = []
    real_prepare, real_engine = pipeline_module.prepare, pipeline_module.run_engine

    def prepare(*args, **kwargs):
        prepared.append(real_prepare(*args, **kwargs))
        return prepared[-1]

    def run_engine(*args, **kwargs):
        held_by_the_build.append(len(prepared[-1].files))
        return real_engine(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "prepare", prepare)
    monkeypatch.setattr(pipeline_module, "run_engine", run_engine)
    report = build(_options(site_project, strict=False))
    assert report.status == 0, report.failures
    assert held_by_the_build == [0] and report.files == {}
    assert (site_project.root / "build" / "docs" / "index.md").is_file()
    assert (site_project.root / "site" / "index.html").is_file()


def test_no_child_is_forked_without_the_memory_for_a_copy_of_the_build(monkeypatch):
    """A forked child's reads copy its parent's pages (reference counts are writes): at 100 000 facts
    a build of 4.6 GB forking twice would not fit an 8 GB machine. With less memory available than
    the build holds, the work runs in the build's own process, with the same result."""
    figures = {"VmRSS:": 4_600_000, "MemAvailable:": 3_000_000}
    monkeypatch.setattr(forked_module, "_kib", lambda path, field: figures[field])
    assert not forked_module._room_for_a_copy() and not forked_module._can_fork()
    with forked_module.forked(os.getpid) as child:
        assert child.result() == os.getpid()  # done here
    figures["MemAvailable:"] = 4_600_000
    assert forked_module._room_for_a_copy()

    def unreadable(path: str, field: str) -> int:
        raise OSError("no /proc here")

    monkeypatch.setattr(forked_module, "_kib", unreadable)
    assert forked_module._room_for_a_copy()  # where it cannot tell, as before
