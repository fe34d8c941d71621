"""The downloads (issue 23, item 5): CSV files a spreadsheet opens as UTF-8, addresses that work
outside the site when its address is known, one list of the files, and each chart linked to the
data it draws and to its drawing."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import replace

import pytest
from conftest import make_project

from briefing.load.registry import load_registry
from briefing.project import DEFAULTS
from briefing.render.chart_data import FUNDING_COLUMNS, TIMELINE_COLUMNS
from briefing.render.downloads import CITATION_COLUMNS, DOWNLOADS, FACT_COLUMNS
from briefing.render.pages import render_site

SITE = "https://example.org/acme/"
CSV_FILES = {
    "facts.csv": FACT_COLUMNS,
    "citations.csv": CITATION_COLUMNS,
    "funding-chart.csv": FUNDING_COLUMNS,
    "timeline-chart.csv": TIMELINE_COLUMNS,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture briefing built by the real command, with a curly quote in a statement."""
    project = make_project(tmp_path_factory.mktemp("downloads"), with_site_config=True)
    project.edit("facts.yaml", "statement: Acme was founded in 2019.", "statement: Acme was “founded” in 2019.")
    result = project.run("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "site"


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_every_csv_starts_with_a_byte_order_mark_and_reads_back(built, name):
    """Before: no BOM, and a spreadsheet opened by a double click read the UTF-8 as Latin-1."""
    raw = (built / "data" / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    with (built / "data" / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == CSV_FILES[name] and len(rows) > 1


def test_a_curly_quote_survives_the_csv(built):
    rows = list(csv.DictReader(io.StringIO((built / "data" / "facts.csv").read_text(encoding="utf-8-sig"))))
    assert "Acme was “founded” in 2019." in [row["statement"] for row in rows]


def rendered(site_url: str = "", edit=None) -> dict[str, str]:
    project = make_project(rendered.tmp / f"r{len(list(rendered.tmp.iterdir()))}")
    if edit:
        project.edit("facts.yaml", *edit)
    registry, problems = load_registry(project.facts, project.root)
    assert problems == []
    return render_site(registry, settings=replace(DEFAULTS, site_url=site_url))


@pytest.fixture(autouse=True)
def _folder(tmp_path):
    rendered.tmp = tmp_path


def addresses(files: dict[str, str]) -> list[str]:
    """Every page address the downloads carry."""
    found = []
    for name in ("facts.csv", "citations.csv", "funding-chart.csv", "timeline-chart.csv"):
        rows = csv.DictReader(io.StringIO(files[f"data/{name}"].removeprefix("\ufeff")))
        found += [row.get("page") or row["source_page"] for row in rows]
    data = json.loads(files["data/facts.json"])
    for key in ("topics", "sources", "entities", "facts", "disagreements"):
        found += [item["page"] for item in data[key]]
    return found


def test_addresses_are_absolute_when_the_site_address_is_known():
    """Before: 'topics/funding/#may-2024-round' in a file a reader saves, which leads nowhere."""
    files = rendered(SITE)
    found = addresses(files)
    assert found and all(a.startswith(SITE) for a in found), found
    assert SITE + "topics/funding/#may-2024-round" in found
    home = files["index.md"]
    dataset = json.loads(re.search(r'<script type="application/ld\+json">(\{"@context.*?)</script>', home)[1])
    assert [d["contentUrl"] for d in dataset["distribution"]] == [SITE + "data/" + d.name for d in DOWNLOADS]


def test_addresses_stay_relative_without_a_site_address():
    found = addresses(rendered())
    assert "topics/funding/#may-2024-round" in found and not [a for a in found if "://" in a]


def test_the_list_of_downloads_has_one_home():
    """The Dataset on the home page names exactly the files the build writes under data/ (and the charts' files)."""
    files = rendered()
    made = sorted(path.removeprefix("data/") for path in files if path.startswith("data/"))
    dataset = json.loads(
        re.search(r'<script type="application/ld\+json">(\{"@context.*?)</script>', files["index.md"])[1]
    )
    named = [d["name"] for d in dataset["distribution"]]
    assert named == [d.name for d in DOWNLOADS]
    assert sorted(named) == [m for m in made if not m.endswith("-chart." + m.rsplit(".", 1)[-1])]


@pytest.mark.parametrize(
    "chart, page", [("funding-chart", "topics/funding/index.md"), ("timeline-chart", "timeline/index.md")]
)
def test_each_chart_links_to_its_data_and_drawing(chart, page):
    """Before: the data was linked only from Methodology, far from the charts it feeds."""
    files = rendered()
    figure = re.search(rf'<figure class="chart" id="{chart}".*?</figure>', files[page], re.S)[0]
    links = re.findall(r'<a href="([^"]+)">', figure)
    up = "../" * page.count("/")
    assert links == [f"{up}data/{chart}.{kind}" for kind in ("csv", "json", "svg")]
    for kind in ("csv", "json", "svg"):
        assert f"data/{chart}.{kind}" in files


def test_the_funding_data_is_what_the_chart_draws():
    files = rendered()
    rows = list(csv.DictReader(io.StringIO(files["data/funding-chart.csv"].removeprefix("\ufeff"))))
    assert [(r["amount"], r["unit"], r["according_to"]) for r in rows] == [
        ("2000000000", "CNY", ""),
        ("280000000", "USD", "planet"),
        ("275000000", "USD", "wire"),
    ]
    assert json.loads(files["data/funding-chart.json"])[1] == {
        "fact": "may-2024-round",
        "date": "2024-05",
        "amount": 280000000,
        "unit": "USD",
        "qualifier": "",
        "according_to": "planet",
        "page": "topics/funding/#may-2024-round",
    }


HOSTILE = 'Acme was founded in 2019 ]]> <script>alert(1)</script> & "=cmd|x" <!-- '


def test_the_drawing_is_a_well_formed_svg_whatever_the_statements_say():
    files = rendered(edit=("statement: Acme was founded in 2019.", f"statement: {json.dumps(HOSTILE)}"))
    svg = files["data/timeline-chart.svg"]
    root = ElementTree.fromstring(svg.encode("utf-8"))  # well formed: the statement is text in it
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg" and root.get("role") == "img"
    assert [e.tag for e in root.iter()].count(ns + "script") == 0
    assert root.find(ns + "style") is None and root.find(f".//{ns}rect").get("fill")  # painted without CSS
    assert HOSTILE.replace("  ", " ").strip() in " ".join(t.text or "" for t in root.iter(ns + "title"))
    rows = list(csv.DictReader(io.StringIO(files["data/timeline-chart.csv"].removeprefix("\ufeff"))))
    assert HOSTILE in [r["statement"] for r in rows]


def test_the_editors_are_in_the_data_and_the_dataset():
    files = render_site(
        load_registry(make_project(rendered.tmp / "e").facts, rendered.tmp / "e" / "project")[0],
        settings=replace(DEFAULTS, editors=("A. Name", "</script><b>x")),
    )
    assert json.loads(files["data/facts.json"])["briefing"]["editors"] == ["A. Name", "</script><b>x"]
    script = re.search(r'<script type="application/ld\+json">(\{"@context.*?)</script>', files["index.md"])[1]
    assert json.loads(script)["editor"] == [
        {"@type": "Person", "name": "A. Name"},
        {"@type": "Person", "name": "</script><b>x"},
    ]
