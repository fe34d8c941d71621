"""The data package describes every CSV file of data/, the charts' included, column by column; and
the downloads joined from kept pieces are the bytes of the downloads made whole."""

from __future__ import annotations

import csv
import io
import json

from conftest import Project

from briefing.load.registry import load_registry
from briefing.render.pages import render_site


def _data(project: Project, kept: dict | None = None) -> dict[str, str]:
    registry, problems = load_registry(project.facts, project.root)
    assert not [p for p in problems if p.severity == "error"]
    return {path: text for path, text in render_site(registry, kept=kept).items() if path.startswith("data/")}


def test_the_data_package_describes_every_csv_file_with_its_header(project: Project):
    """Before: it described facts.csv and citations.csv only, not the charts' CSV files beside them."""
    data = _data(project)
    package = json.loads(data["data/datapackage.json"])
    described = {resource["path"]: resource for resource in package["resources"]}
    assert set(described) == {path.removeprefix("data/") for path in data if path.endswith(".csv")}
    assert {"funding-chart.csv", "timeline-chart.csv"} <= set(described)
    for name, resource in described.items():
        header = next(csv.reader(io.StringIO(data[f"data/{name}"].removeprefix("\ufeff"))))
        assert [field["name"] for field in resource["schema"]["fields"]] == header, name
        assert all(field["description"] for field in resource["schema"]["fields"]), name
        assert resource["name"] == name.removesuffix(".csv") and resource["encoding"] == "utf-8"


def test_downloads_joined_from_kept_pieces_are_the_whole_ones(project: Project):
    """A second rendering with the first's kept pieces (as the live preview keeps them) writes the same bytes."""
    kept: dict = {}
    first = _data(project, kept)
    assert kept and any(key[0] for key in kept)  # each fact's pieces, and the words-free files
    assert _data(project, kept) == first == _data(project)
