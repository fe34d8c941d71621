"""The parse cache: a warm load gives exactly what a cold one does; an edit re-parses one file."""

from __future__ import annotations

from briefing.load.cache import ParseCache
from briefing.load.registry import load_registry
from briefing.render.pages import render_site


class CountingCache(ParseCache):
    def __init__(self, folder):
        super().__init__(folder)
        self.parsed: list[str] = []

    def put(self, key, doc):
        self.parsed.append(doc.path)
        super().put(key, doc)


def load(project, cache):
    registry, problems = load_registry(project.facts, project.root, cache)
    cache.prune()
    return registry, [str(p) for p in problems]


def test_warm_load_equals_cold_load(project):
    folder = project.root / ".cache"
    cold, cold_problems = load(project, CountingCache(folder))
    warm_cache = CountingCache(folder)
    warm, warm_problems = load(project, warm_cache)
    assert warm_cache.parsed == []  # nothing parsed again
    assert (warm_problems, render_site(warm)) == (cold_problems, render_site(cold))
    assert [d.values for d in warm.documents] == [d.values for d in cold.documents]  # locations survive too


def test_an_edit_reparses_only_that_file(project):
    folder = project.root / ".cache"
    load(project, ParseCache(folder))
    project.edit("facts.yaml", "Acme was founded in 2019.", "Acme was set up in 2019.")
    cache = CountingCache(folder)
    registry, _ = load(project, cache)
    assert cache.parsed == ["facts/facts.yaml"]
    assert next(f for f in registry.facts if f.id == "acme-founded").statement == "Acme was set up in 2019."
    assert len(list(folder.iterdir())) == len(list(project.facts.glob("*.yaml")))  # the old entry was pruned


def test_files_with_problems_are_not_kept(project):
    folder = project.root / ".cache"
    project.write("bad.yaml", "facts:\n  - id: Bad\n")
    first = load(project, ParseCache(folder))[1]
    cache = CountingCache(folder)
    second = load(project, cache)[1]
    assert first == second and first
    assert cache.parsed == []  # still not cached: it is read and reported every time
    assert any("facts/bad.yaml" in p for p in second)


def test_a_damaged_entry_is_a_miss(project):
    folder = project.root / ".cache"
    load(project, ParseCache(folder))
    for entry in folder.iterdir():
        entry.write_bytes(b"not a signed entry")
    cache = CountingCache(folder)
    registry, problems = load(project, cache)
    assert problems == [] and len(registry.facts) == 4
    assert len(cache.parsed) == len(list(project.facts.glob("*.yaml")))


def test_verified_quotes_are_remembered_but_a_changed_archive_is_checked_again(project):
    from briefing.check.quotes import check_quotes

    registry, _ = load_registry(project.facts, project.root)
    problems, found = check_quotes(registry, project.archive, True, None, {})
    assert problems == []
    assert len(found.verified) == 7  # every quote of the fixture
    remembered = dict(found.verified)
    problems, again = check_quotes(registry, project.archive, True, None, remembered)
    assert problems == [] and again.verified == remembered and again.words == found.words
    # The same quotes against a changed text: the checksum differs, so nothing is taken on trust.
    (project.archive / "wire.txt").write_text("Entirely different words.\n", encoding="utf-8")
    problems, _ = check_quotes(registry, project.archive, True, None, remembered)
    assert [p.message.split(";")[0] for p in problems] == ["archive file 'wire.txt' does not match the recorded sha256"]


def test_clean_figure_checks_are_remembered_but_an_edited_fact_is_read_again(project):
    from briefing.check.checks import check_registry

    registry, _ = load_registry(project.facts, project.root)
    problems, known = check_registry(registry, True, {})
    assert problems == []
    assert len([k for k in known if not k.startswith("support:")]) == 4  # every fact (support keys are their own)
    project.edit("facts.yaml", "Acme raised 2 billion yuan", "Acme raised 8 billion yuan")
    registry, _ = load_registry(project.facts, project.root)
    problems, known = check_registry(registry, True, known)
    assert [p.message for p in problems] == [
        "fact 'may-2024-round': the figure '8 billion yuan' is in none of its quotes"
    ]
    assert len([k for k in known if not k.startswith("support:")]) == 3
