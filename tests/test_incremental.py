"""The live preview re-renders only the pages an edit reaches (render/dependencies.py), and what it
writes is byte for byte what a cold rendering of the same inputs writes."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from conftest import Project
from test_coverage import with_notes

from briefing.load.registry import load_registry
from briefing.pipeline import Options, prepare
from briefing.preview import PREVIEW, Preview, preview, without_search
from briefing.render.dependencies import changed_facts, pages_showing

# Edits of the fixture's facts that change only their words (each still passes the checks).
WORD_EDITS = {
    "may-2024-round": (
        "Acme raised 2 billion yuan in a round led by Harbour Capital.",
        "Acme raised 2 billion yuan in a funding round led by Harbour Capital.",
    ),
    "harbour-control": (
        "statement: Harbour Capital is controlled by the city of Portville.",
        "statement: Harbour Capital, an investor, is controlled by the city of Portville.",
    ),
    "acme-founded": ("Acme was founded in 2019.", "Acme, the robot maker, was founded in 2019."),
    "open-source-promise": (
        '"Ada Lovelace said Acme would open-source its arm controller in 2024."',
        '"Ada Lovelace said Acme would publish its arm controller as open source in 2024."',
    ),
    "a quote": (
        "quote: Harbour Capital is controlled by the city of Portville.",
        "quote: Harbour Capital is controlled by the city",
    ),
}


def _options(project: Project) -> Options:
    return Options(root=project.root, sources=project.archive, strict=False, site_dir=Path("site"))


def _on_disk(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the preview: its bytes and its modification time."""
    folder = root / PREVIEW
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _first(project: Project) -> tuple[Options, Preview]:
    options = _options(project)
    state, report = preview(options, None)
    assert report is not None and report.files is not None, report and report.failures
    assert state.rendered is None  # the first rendering makes every page
    return options, state


@pytest.mark.parametrize("edit", WORD_EDITS, ids=list(WORD_EDITS))
def test_an_edit_of_a_facts_words_equals_a_cold_rendering(site_project: Project, edit: str):
    options, state = _first(site_project)
    site_project.edit("facts.yaml", *WORD_EDITS[edit])
    state, report = preview(options, state)
    assert report is not None and report.files is not None, report.failures
    assert state.rendered is not None  # only some pages were rendered again
    assert len(state.rendered) < len([p for p in state.pages if p.endswith(".md")])
    cold = prepare(options)
    assert cold.files is not None
    assert report.files == cold.files
    disk = _on_disk(site_project.root)
    assert {path: data for path, (data, _) in disk.items()} == {
        path: content if isinstance(content, bytes) else content.encode("utf-8") for path, content in cold.files.items()
    }


def test_a_words_edit_makes_again_only_the_edited_facts_pieces_of_the_downloads(site_project: Project, monkeypatch):
    """The downloads are joined from each fact's pieces, kept from the last rendering: after an edit only
    the edited fact's are made again, and the files are the bytes of a cold rendering, with the new words."""
    import briefing.render.chart_data as chart_data
    import briefing.render.downloads as downloads

    made: dict[str, list[str]] = {"json": [], "csv": [], "citations": [], "timeline": []}
    spied = {"json": (downloads, "_fact_record"), "csv": (downloads, "_fact_row")}
    spied |= {"citations": (downloads, "_citation_rows"), "timeline": (chart_data, "_timeline_rows")}
    for name, (module, function) in spied.items():
        real = getattr(module, function)

        def spy(fact, *args, real=real, name=name):
            made[name].append(fact if isinstance(fact, str) else fact.id)
            return real(fact, *args)

        monkeypatch.setattr(module, function, spy)
    options, state = _first(site_project)
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    for found in made.values():
        found.clear()
    state, report = preview(options, state)
    assert report is not None and report.files is not None
    made["citations"] = [r for r in made["citations"] if "--" not in r]  # a disagreement's versions: made whole
    assert made == {key: ["acme-founded"] for key in made}
    cold = prepare(options)
    assert cold.files is not None
    data = {path: text for path, text in report.files.items() if path.startswith("docs/data/")}
    assert data and data == {path: text for path, text in cold.files.items() if path.startswith("docs/data/")}
    for name in ("facts.json", "facts.csv", "timeline-chart.csv", "timeline-chart.json"):
        assert "Acme, the robot maker, was founded in 2019." in data[f"docs/data/{name}"], name


def test_successive_edits_of_several_facts_each_equal_a_cold_rendering(site_project: Project):
    """Pieces kept over several edits stay those of the facts as they are now, quotes and coverage included."""
    with_notes(site_project)
    options, state = _first(site_project)
    for edit in ("acme-founded", "harbour-control", "a quote", "may-2024-round", "open-source-promise"):
        site_project.edit("facts.yaml", *WORD_EDITS[edit])
        state, report = preview(options, state)
        assert report is not None and report.files is not None, report.failures
        assert state.rendered is not None
        assert report.files == prepare(options).files, edit
    site_project.edit("facts.yaml", *reversed(WORD_EDITS["acme-founded"]))  # and back
    state, report = preview(options, state)
    assert report is not None and report.files == prepare(options).files


def test_a_statement_edit_rewrites_only_the_pages_that_show_the_fact(site_project: Project):
    options, state = _first(site_project)
    before = _on_disk(site_project.root)
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    state, report = preview(options, state)
    assert report is not None and report.files is not None
    # Its topic page, its entity's, its source's, the timeline, and the home page (a key point).
    shown = {"topics/company/index.md", "entities/acme/index.md", "sources/wire/index.md", "timeline/index.md"}
    assert shown <= state.rendered <= shown | {"index.md"}
    after = _on_disk(site_project.root)
    rewritten = {path for path in after if after[path][1] != before[path][1]}
    pages = {path for path in rewritten if path.endswith(".md")}
    assert pages and pages <= {f"docs/{path}" for path in state.rendered}
    assert "mkdocs.yml" not in rewritten  # the navigation did not change: no page is rebuilt for it
    for path in after.keys() - rewritten:
        assert after[path] == before[path]


@pytest.mark.parametrize(
    "old, new",
    [
        ('topic: company\n    date: "2019"', 'topic: funding\n    date: "2019"'),  # moved to another topic
        ('date: "2019"', 'date: "2019-03"'),  # another date: another place in the listings
        ("entities: [acme]\n", "entities: [acme, portville]\n"),  # shown on one more entity's page
        ("  - id: open-source-promise\n", "  - id: open-sourcing\n"),  # another id, another anchor
    ],
    ids=["topic", "date", "entities", "id"],
)
def test_an_edit_that_moves_a_fact_renders_every_page(site_project: Project, old: str, new: str):
    options, state = _first(site_project)
    site_project.edit("facts.yaml", old, new)
    state, report = preview(options, state)
    assert report is not None and report.files is not None, report.failures
    assert state.rendered is None
    assert report.files == prepare(options).files


def test_an_edit_outside_facts_renders_every_page(site_project: Project):
    options, state = _first(site_project)
    page = site_project.root / "docs" / "methodology.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    state, report = preview(options, state)
    assert report is not None and report.files is not None
    assert state.rendered is None
    assert report.files == prepare(options).files


def test_a_template_edit_after_a_words_edit_is_rendered_with_the_new_template(site_project: Project):
    """The preview keeps its Jinja environment (compiled templates) between edits of words: a template
    edit must reach the pages all the same, as a cold rendering makes them."""
    templates = site_project.root / "templates"
    shared = templates.resolve()  # the fixture links the repository's templates/: this test edits a copy
    templates.unlink()
    shutil.copytree(shared, templates)
    before = (shared / "timeline.md.j2").read_bytes()
    options, state = _first(site_project)
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    state, _ = preview(options, state)
    with (templates / "timeline.md.j2").open("a", encoding="utf-8") as template:
        template.write("\nA new line.\n")
    state, report = preview(options, state)
    assert report is not None and report.files is not None
    assert state.rendered is None
    assert "A new line." in report.files["docs/timeline/index.md"]
    assert report.files == prepare(options).files
    assert (shared / "timeline.md.j2").read_bytes() == before


def test_an_edit_with_errors_keeps_the_last_good_preview_and_renders_all_after(site_project: Project):
    options, state = _first(site_project)
    good = _on_disk(site_project.root)
    site_project.edit("facts.yaml", 'topic: company\n    date: "2019"', 'topic: nowhere\n    date: "2019"')
    state, report = preview(options, state)
    assert report is not None and report.files is None
    assert _on_disk(site_project.root) == good
    site_project.edit("facts.yaml", "topic: nowhere", "topic: company")
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    state, report = preview(options, state)
    assert report is not None and report.files == prepare(options).files


def test_changed_facts_names_the_facts_whose_words_changed(project: Project):
    old, _ = load_registry(project.facts, project.root)
    project.edit("facts.yaml", *WORD_EDITS["a quote"])
    new, _ = load_registry(project.facts, project.root)
    assert changed_facts(old, new) == {"harbour-control"}
    project.edit("entities.yaml", "description: A fictional city.", "description: A city.")
    assert changed_facts(old, load_registry(project.facts, project.root)[0]) is None


def test_pages_showing_finds_whole_ids_only():
    pages = {
        "a.md": '<div id="f-1">',
        "b.md": "[x](../topics/t/#f-1--2)",  # the fact's second quote on a source page
        "c.md": '<div id="f-10">',  # another fact whose id starts with the same characters
        "d.md": '<div id="f-1-b">',
        "e.md": '<div id="xf-1">',
        "f.yml": "f-1",  # not a page
    }
    assert pages_showing(pages, {"f-1"}) == {"a.md", "b.md"}
    assert pages_showing(pages, set()) == set()


@pytest.mark.parametrize(
    "plugins, kept",
    [
        ("plugins:\n- search\n- tags\n", ["tags"]),
        ("plugins:\n- material/search:\n    lang: en\n- tags\n", ["tags"]),
        ("plugins:\n  search: {}\n  tags: {}\n", {"tags": {}}),
        ("site_name: x\n", []),
    ],
    ids=["list", "list of settings", "mapping", "none"],
)
def test_a_dirty_preview_leaves_out_search_and_keeps_the_other_plugins(plugins: str, kept):
    assert yaml.safe_load(without_search("site_name: x\n" + plugins))["plugins"] == kept


def test_a_dirty_preview_has_no_search_and_a_full_one_has(site_project: Project):
    options = _options(site_project)
    config = site_project.root / PREVIEW / "mkdocs.yml"
    state, _ = preview(options, None, search=False)
    assert "search" not in yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"]
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    preview(options, state, search=True)
    assert "search" in yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"]


# --- the preview's checks after an edit of facts' words (preview.recheck) ------------------

ERRONEOUS = """  - id: founder-title
    subject: What Daily Planet calls Ada Lovelace
    facts: [open-source-promise]
    verdict: erroneous
    variants:
      - claim: Daily Planet calls her "The company's founder".
        rank: erroneous
        reason: A made-up error.
        citations:
          - source: planet
            quote: The company’s founder, Ada Lovelace, said
    note: A made-up disagreement.
"""


def _with_erroneous(project: Project) -> None:
    project.edit("disagreements.yaml", "disagreements:\n", "disagreements:\n" + ERRONEOUS)


# Edits of words that break one rule each: (setup, file, old, new, the problem's code).
BREAKING = {
    "quote": (
        None,
        "facts.yaml",
        "quote: Harbour Capital is controlled by the city of Portville.",
        "quote: Harbour Capital is owned by the city of Portville.",
        "quote-not-found",
    ),
    "figure": (
        None,
        "facts.yaml",
        "Acme raised 2 billion yuan in a round",
        "Acme raised 3 billion yuan in a round",
        "figure-not-quoted",
    ),
    "hedge": (
        None,
        "facts.yaml",
        "Acme was founded in 2019.",
        "Acme was reportedly founded in 2019.",
        "unattributed-hedge",
    ),
    "erroneous wording": (
        _with_erroneous,
        "facts.yaml",
        "Acme was founded in 2019.",
        "Acme was founded in 2019 by the company's founder.",
        "repeats-erroneous-words",
    ),
    "coverage": (
        with_notes,
        "notes.yaml",
        "quote: Acme Robotics opened a plant in Portville",
        "quote: Acme Robotics opened a plant in Portville in 2024. Analysts believe the U.S. market will follow",
        "omitted-but-quoted",
    ),
}


def _shown_problems(problems) -> list[tuple[str, str, str | None]]:
    return [(str(p), p.code, p.hint) for p in problems]


@pytest.fixture
def checked_sizes(monkeypatch) -> list[int]:
    """How many facts each whole-registry check of this test was given; -1 for each edit checked in part."""
    import briefing.pipeline as pipeline
    import briefing.preview as live

    sizes: list[int] = []
    real, real_recheck = pipeline.check_registry, live.recheck

    def spy(registry, *args, **kwargs):
        sizes.append(len(registry.facts))
        return real(registry, *args, **kwargs)

    def spy_recheck(*args, **kwargs):
        checked = real_recheck(*args, **kwargs)
        sizes.extend([-1] if checked is not None else [])
        return checked

    monkeypatch.setattr(pipeline, "check_registry", spy)
    monkeypatch.setattr(live, "recheck", spy_recheck)
    return sizes


@pytest.mark.parametrize("rule", BREAKING, ids=list(BREAKING))
def test_an_edit_that_breaks_a_rule_is_refused_as_the_full_check_refuses_it(
    site_project: Project, checked_sizes: list[int], rule: str
):
    setup, name, old, new, code = BREAKING[rule]
    if setup:
        setup(site_project)
    options = replace(_options(site_project), strict=True)
    state, report = preview(options, None)
    assert report is not None and report.files is not None, [str(p) for p in report.problems]
    whole = checked_sizes[-1]
    site_project.edit(name, old, new)
    checked_sizes.clear()
    state, report = preview(options, state)
    assert report is not None and report.files is None
    assert checked_sizes[-1] == -1 and all(n <= whole for n in checked_sizes)  # the part the edit reaches
    assert code in {p.code for p in report.problems}
    cold = prepare(options)
    assert _shown_problems(report.problems) == _shown_problems(cold.problems)
    result = site_project.run("check", "--strict")
    assert result.returncode == 1
    assert all(str(p) in result.stdout + result.stderr for p in report.problems if p.severity == "error")


@pytest.mark.parametrize(
    "setup, name, old, new",
    [
        (with_notes, "notes.yaml", "statement: Acme opened", "statement: Acme, the robot maker, opened"),
        (_with_erroneous, "facts.yaml", *WORD_EDITS["acme-founded"]),
    ],
    ids=["coverage", "erroneous"],
)
def test_a_fine_edit_rechecked_in_part_gives_the_pages_of_a_cold_build(
    site_project: Project, checked_sizes: list[int], setup, name: str, old: str, new: str
):
    setup(site_project)
    options = replace(_options(site_project), strict=True)
    state, _ = preview(options, None)
    whole = checked_sizes[-1]
    site_project.edit(name, old, new)
    checked_sizes.clear()
    state, report = preview(options, state)
    assert report is not None and report.files is not None, [str(p) for p in report.problems]
    assert checked_sizes[-1] == -1 and all(n < whole for n in checked_sizes)  # not every fact is checked
    assert report.files == prepare(options).files


def test_an_edit_that_moves_the_lines_below_it_reports_the_warnings_there_where_they_now_are(
    site_project: Project, checked_sizes: list[int]
):
    site_project.edit("facts.yaml", "Acme was founded in 2019.", "Acme was reportedly founded in 2019.")
    options = _options(site_project)  # not strict: the hedge is a warning, and the preview is shown
    state, report = preview(options, None)
    assert report is not None and [p.code for p in report.problems] == ["unattributed-hedge"]
    line = report.problems[0].loc.line
    statement = "statement: Harbour Capital is controlled by the city of Portville."
    site_project.edit(
        "facts.yaml",
        statement,
        "statement: >-\n      Harbour Capital, an investor, is\n      controlled by the city of Portville.",
    )
    state, report = preview(options, state)
    assert report is not None and report.files is not None
    assert [p.loc.line for p in report.problems] == [line + 2]
    assert _shown_problems(report.problems) == _shown_problems(prepare(options).problems)
    assert -1 not in checked_sizes  # the last check's locations do not hold: everything was checked


def test_edits_after_a_refused_one_are_checked_against_the_last_good_check(
    site_project: Project, checked_sizes: list[int]
):
    options = replace(_options(site_project), strict=True)
    state, _ = preview(options, None)
    site_project.edit("facts.yaml", *BREAKING["quote"][2:4])
    state, report = preview(options, state)
    assert report is not None and report.files is None
    site_project.edit("facts.yaml", *BREAKING["figure"][2:4])  # a second fact broken while the first still is
    state, report = preview(options, state)
    assert report is not None and report.files is None
    assert {p.code for p in report.problems} >= {"quote-not-found", "figure-not-quoted"}
    assert _shown_problems(report.problems) == _shown_problems(prepare(options).problems)
    site_project.edit("facts.yaml", *reversed(BREAKING["quote"][2:4]))
    site_project.edit("facts.yaml", *reversed(BREAKING["figure"][2:4]))
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    checked_sizes.clear()
    state, report = preview(options, state)
    assert report is not None and report.files == prepare(options).files
    assert -1 in checked_sizes


def test_the_preview_loads_again_only_the_edited_file(site_project: Project, monkeypatch):
    from briefing.load import cache as cache_module
    from briefing.load import registry as registry_module

    options = _options(site_project)
    state, _ = preview(options, None)
    read, parsed = [], []
    real_get, real_parse = cache_module.ParseCache.get, registry_module.load_yaml_bytes
    monkeypatch.setattr(cache_module.ParseCache, "get", lambda self, key: read.append(key) or real_get(self, key))
    monkeypatch.setattr(
        registry_module, "load_yaml_bytes", lambda raw, path: parsed.append(path) or real_parse(raw, path)
    )
    site_project.edit("facts.yaml", *WORD_EDITS["acme-founded"])
    state, report = preview(options, state)
    assert parsed == ["facts/facts.yaml"] and len(read) == 1  # the other files are neither read nor parsed
    assert report is not None and report.files == prepare(options).files
    # A file moved under another name, bytes unchanged, is loaded afresh: its problems name its new path.
    site_project.edit(
        "facts.yaml", "Acme, the robot maker, was founded in 2019.", "Acme was reportedly founded in 2019."
    )
    (site_project.facts / "facts.yaml").rename(site_project.facts / "moved.yaml")
    parsed.clear()
    state, report = preview(options, state)
    assert report is not None and [str(p.loc) for p in report.problems] == [
        str(p.loc) for p in prepare(options).problems
    ]
    assert report.problems and all(p.loc.path == "facts/moved.yaml" for p in report.problems)
    assert parsed == ["facts/moved.yaml"]


def test_a_last_check_that_does_not_add_up_is_not_trusted(site_project: Project):
    from briefing.pipeline import Checked, load
    from briefing.preview import recheck

    site_project.edit("facts.yaml", "Acme was founded in 2019.", "Acme was reportedly founded in 2019.")
    options = _options(site_project)
    state, report = preview(options, None)
    assert report is not None and [p.code for p in report.problems] == ["unattributed-hedge"]
    site_project.edit("facts.yaml", "Acme was reportedly founded", "Acme, the robot maker, was founded")
    loaded = load(options, cache=True)
    assert recheck(options, loaded, state) is not None
    # A last check without the warning the edited fact had: the sum does not add up, check everything.
    forged = replace(state, checked=Checked([], state.checked.figures, state.checked.quotes))
    assert recheck(options, loaded, forged) is None


# --- what the preview reads to notice an edit (inputs_stamp) -------------------------------------------
def _stamp_reads(folder: Path, known: dict | None, monkeypatch, later_ns: int = 0) -> tuple[tuple, dict, int]:
    """inputs_stamp of `folder`, `later_ns` from now; and how many files it read."""
    import time

    from briefing import preview as preview_module

    reads = []
    real_hash, real_now = preview_module.sha256_of, time.time_ns
    monkeypatch.setattr(preview_module, "sha256_of", lambda data: reads.append(1) or real_hash(data))
    monkeypatch.setattr(preview_module.time, "time_ns", lambda: real_now() + later_ns)
    stamp, hashed = preview_module.inputs_stamp((folder,), (), known)
    monkeypatch.undo()
    return stamp, hashed, len(reads)


def test_a_settled_file_is_not_read_again_and_a_recent_one_is(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("facts: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("entities: []\n", encoding="utf-8")
    first, known, reads = _stamp_reads(tmp_path, None, monkeypatch)
    assert reads == 2
    again, _, reads = _stamp_reads(tmp_path, known, monkeypatch)  # changed within 2 s: its clock may not show a change
    assert (again, reads) == (first, 2)
    later, _, reads = _stamp_reads(tmp_path, known, monkeypatch, later_ns=10**10)
    assert (later, reads) == (first, 0)


def test_the_same_size_written_again_with_its_old_time_is_seen(tmp_path, monkeypatch):
    """An edit that keeps the file's size, its modification time put back: its change time and inode tell."""
    path = tmp_path / "a.yaml"
    path.write_text("facts: [x]\n", encoding="utf-8")
    before = path.stat()
    first, known, _ = _stamp_reads(tmp_path, None, monkeypatch, later_ns=10**10)
    path.write_text("facts: [y]\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after, _, reads = _stamp_reads(tmp_path, known, monkeypatch, later_ns=10**10)
    assert reads == 1 and after != first


def test_settling_between_edits_collects_the_last_renderings_cycles_and_freezes_the_rest():
    """`briefing serve` settles after each rendering: nothing left over is kept for good, and what is kept
    is out of the way of the next edit's collections (gc.freeze)."""
    import gc
    import weakref

    from briefing.preview import settle

    class Node:
        pass

    left = Node()
    left.me = left  # a cycle: only the collector frees it
    gone = weakref.ref(left)
    del left
    try:
        settle()
        assert gone() is None
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        gc.unfreeze()


class _Server:
    """A server that rebuilds only what changed, as `briefing serve --dirty` has: what the preview held
    when it was told, and when it waited for the pages to be shown."""

    def __init__(self, root: Path) -> None:
        self.root, self.seen = root, []

    def mark(self) -> None:
        self.seen.append(("mark", _on_disk(self.root)))

    def wait(self) -> None:
        self.seen.append(("wait", _on_disk(self.root)))


def test_with_a_server_the_pages_of_an_edit_are_written_before_its_downloads(site_project: Project):
    """An edited page shows sooner: its pages are written and the server told, and only once it shows
    them are the downloads and the charts' data written. Then the preview is a cold rendering's."""
    options, state = _first(site_project)
    server = _Server(site_project.root)
    site_project.edit("facts.yaml", *WORD_EDITS["may-2024-round"])
    state, report = preview(options, state, server=server)
    assert report is not None and report.files is not None, report.failures
    [(_, before), (_, pages_shown)] = server.seen
    new = b"a funding round led"
    edited = {path for path, (data, _) in pages_shown.items() if new in data}
    assert edited and all(path.endswith(".md") for path in edited)  # the downloads come after
    assert new not in before["docs/data/facts.json"][0]  # the version it shows was marked before it was told
    cold = prepare(options)
    assert cold.files is not None and report.files == cold.files
    disk = _on_disk(site_project.root)
    assert new in disk["docs/data/facts.json"][0]
    assert {path: data for path, (data, _) in disk.items()} == {
        path: content if isinstance(content, bytes) else content.encode("utf-8") for path, content in cold.files.items()
    }
    signal = site_project.root / ".cache" / "preview.written"
    assert signal.is_file() and not signal.is_symlink()


def test_without_a_server_an_edit_is_written_whole_at_once(site_project: Project):
    """`briefing serve` without --dirty rebuilds every page for each signal: one signal, everything in it."""
    options, state = _first(site_project)
    site_project.edit("facts.yaml", *WORD_EDITS["may-2024-round"])
    state, report = preview(options, state)
    assert report is not None and not state.pages_first and not state.later
    assert WORD_EDITS["may-2024-round"][1].encode() in _on_disk(site_project.root)["docs/data/facts.json"][0]
