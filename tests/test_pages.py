"""Rendering: golden Markdown for the fixture registry, escaping, determinism, a strict environment."""

from __future__ import annotations

import csv
import html
import json
import os
import re
from pathlib import Path

import jinja2
import markdown
import pytest
import yaml
from helpers import Scan

from briefing.load.registry import load_registry
from briefing.pipeline import Options, check
from briefing.render.environment import environment
from briefing.render.pages import render_site

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "fixture"


def rendered(project, checked: bool = True) -> dict[str, str]:
    """The pages as the build makes them: loaded, checked (quotes then show the archive's words), rendered.

    Unchecked, for registries the checks would refuse but the renderer must still make safe.
    """
    registry, problems = load_registry(project.facts, project.root)
    assert problems == []
    if not checked:
        return render_site(registry)
    options = Options(root=project.root, sources=project.archive, strict=True, site_dir=Path("site"))
    found = check(registry, options)
    assert found.problems == []
    return render_site(registry, quotes=found.quotes)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured with exactly the extensions the site uses."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, options),) = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return markdown.Markdown(extensions=names, extension_configs=configs)


def test_pages_match_the_golden_files(project):
    """Readable expected output: regenerate with UPDATE_GOLDEN=1 and review the diff."""
    pages = rendered(project)
    if os.environ.get("UPDATE_GOLDEN"):
        for path in GOLDEN.rglob("*"):
            if path.is_file():
                path.unlink()
        for rel, text in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(pages) == sorted(expected)
    for rel in pages:
        assert pages[rel] == expected[rel], f"{rel} differs from tests/golden/fixture/{rel}"


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "text {: onclick=alert(1) }",
    '--8<-- "mkdocs.yml"',
    "{{ 7*7 }} and {% if true %}yes{% endif %}",
    "a | b | c",
    "x\n# h",
    "[^1]: x",
    "---",
    "1. not a list",
    "- not a list",
    "*not emphasis* __nor this__ `nor code`",
    "&amp; &lt;b&gt; stays as typed",
    "<!-- comment --> <style>body{}</style> <iframe src=x></iframe>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_statement_is_shown_literally(project, text):
    project.edit(
        "facts.yaml",
        "statement: Acme was founded in 2019.",
        f"statement: {yaml.safe_dump(text).strip().removesuffix('...').strip()}",
    )
    pages = rendered(project, checked=False)
    md = site_markdown()
    for page in (
        "topics/company/index.md",
        "timeline/index.md",
        "entities/acme/index.md",
        "sources/wire/index.md",
        "index.md",
    ):
        body = pages[page].split("\n---\n", 1)[1]  # MkDocs reads the front matter; Markdown gets the rest
        out = md.reset().convert(body)
        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', out, re.S):
            assert "<" not in data  # the site's own JSON-LD, which no text can close
        scan = Scan(re.sub(r'<script type="application/ld\+json">.*?</script>', "", out, flags=re.S))
        assert not {"script", "iframe", "style", "img"} & set(scan.tags), page
        assert (scan.handlers, scan.js_links) == ([], []), page
        visible = html.unescape(re.sub(r"<[^>]+>", "", out))
        assert " ".join(text.split()) in " ".join(visible.split()), page
    assert "49" not in pages["topics/company/index.md"].split("Acme was")[0]


def test_output_does_not_depend_on_file_creation_order(project, tmp_path):
    first = rendered(project)
    for path in sorted(project.facts.glob("*.yaml"), reverse=True):
        text = path.read_text(encoding="utf-8")
        path.unlink()
        path.write_text(text, encoding="utf-8")
    assert rendered(project) == first


def test_environment_is_strict_and_escapes_unprepared_values():
    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def _page_of(address: str, pages: dict[str, str]) -> str:
    """The generated page a site address ('topics/x/2025/#id') is built from."""
    path = address.split("#")[0].rstrip("/")
    candidates = [f"{path}.md", f"{path}/index.md"] if path else ["index.md"]
    return next((c for c in candidates if c in pages), f"no page for {address}")


def test_split_listings_and_the_downloads_agree_on_where_everything_is(tmp_path):
    from benchmarks.registry import generate

    generate(2000, tmp_path)  # about 170 facts a topic: more than one page holds
    registry, problems = load_registry(tmp_path / "facts", tmp_path)
    assert problems == []
    pages = render_site(registry)
    assert "topics/topic-00/2015/index.md" in pages  # the listing was split by year
    records = [f["page"] for f in json.loads(pages["data/facts.json"])["facts"]]
    records += [row["source_page"] for row in csv.DictReader(pages["data/citations.csv"].splitlines())]
    for address in records:
        anchor = address.split("#")[1]
        assert f'id="{anchor}"' in pages.get(_page_of(address, pages), ""), address
