"""Kinds of page: each one module and one template, a new one added by an installed package; counts said right."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import REPO

from briefing.load.registry import load_registry
from briefing.render.environment import environment, plural
from briefing.render.kinds import BUILT_IN, kinds
from briefing.render.pages import render_site

GLOSSARY_KIND = '''
"""A glossary page: the one module a new kind of page needs."""

from dataclasses import dataclass

from briefing.render.escaping import md_text
from briefing.render.kinds.base import Kind, Page


@dataclass
class Term:
    name: str
    meaning: str


def pages(index):
    terms = [Term(md_text(e.name), md_text(e.description)) for e in index.registry.entities]
    yield Page("glossary/index.md", "Glossary", "The names this briefing uses.", {"terms": terms}, menu=())


KIND = Kind("glossary", "glossary.md.j2", pages)
'''
GLOSSARY_TEMPLATE = """# Glossary

{% for term in terms %}
- **{{ term.name }}**: {{ term.meaning }}
{% endfor %}
"""


def install_glossary(folder: Path, monkeypatch) -> None:
    """The kind as an installed package: its module and an entry point in the group briefing.kinds."""
    folder.mkdir()
    (folder / "glossary_kind.py").write_text(GLOSSARY_KIND, encoding="utf-8")
    info = folder / "glossary_kind-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: glossary-kind\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[briefing.kinds]\nglossary = glossary_kind:KIND\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))


def test_a_kind_of_page_is_added_by_one_module_and_one_template(site_project, tmp_path, monkeypatch):
    install_glossary(tmp_path / "installed", monkeypatch)
    templates = site_project.root / "templates"
    templates.unlink()  # the fixture's link to the generator's templates: the project gets its own folder
    templates.mkdir()
    (templates / "glossary.md.j2").write_text(GLOSSARY_TEMPLATE, encoding="utf-8")
    assert [k.name for k in kinds()][-1] == "glossary"

    result = site_project.run("build")
    assert result.returncode == 0, result.stderr
    page = (site_project.root / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Acme Robotics</strong>" in page
    home = (site_project.root / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="glossary/"[^>]*>\s*(<span[^>]*>\s*)?Glossary', home), "the menu lists the new page"


def test_without_the_package_there_is_no_such_page(project):
    registry, problems = load_registry(project.facts, project.root)
    assert problems == []
    pages = render_site(registry)
    assert "glossary/index.md" not in pages
    assert [k.name for k in kinds()] == [k.name for k in BUILT_IN]


def test_the_navigation_is_made_from_the_kinds_pages(project):
    """Each page in its menu section, in the kinds' order; the entities by kind and by name."""
    registry, problems = load_registry(project.facts, project.root)
    nav = yaml.safe_load(render_site(registry)[".nav.yml"])
    top = [next(iter(entry)) for entry in nav]
    assert top == [
        "Acme Robotics at a glance",
        "Topics",
        "Timeline",
        "Where sources disagree",
        "What changed",
        "Entities",
        "Sources",
    ]
    entities = nav[5]["Entities"]
    assert entities[0] == {"Entities": "entities/index.md"}
    assert all(len(group) == 1 for group in entities[1:])  # a section per kind of entity


def test_every_count_is_said_by_the_plural_filter():
    assert [plural(n, "fact") for n in (0, 1, 2)] == ["0 facts", "1 fact", "2 facts"]
    assert plural(1, "entity", "entities") == "1 entity" and plural(3, "entity", "entities") == "3 entities"
    assert plural(1, "disagreement", number=False) == "disagreement"
    assert environment().from_string('{{ n | plural("source") }}').render(n=1) == "1 source"


def test_no_template_writes_a_count_or_an_address_itself():
    """Counts go through `plural`; every link's target comes from a view (or is an anchor on the page)."""
    for path in sorted((REPO / "templates").glob("*.j2")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\}\}\s+(facts|sources|sentences|disagreements)\b", text), path.name
        assert not re.search(r'"(fact|source|sentence)" if', text), path.name
        for target in re.findall(r'href="([^"]*)"|\]\(([^)]*)\)', text):
            link = "".join(target)
            assert link.startswith(("{{", "#")), f"{path.name}: {link}"


def test_one_fact_and_one_disagreement_are_said_in_the_singular(project):
    registry, problems = load_registry(project.facts, project.root)
    pages = render_site(registry)
    assert "(1 facts)" not in pages["entities/index.md"] and "(1 fact)" in pages["entities/index.md"]
    assert "1 [disagreement between sources]" in pages["index.md"]
