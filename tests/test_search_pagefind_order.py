"""Pagefind's index in a stable order (issue 24 item 2): two runs over the same site write the same bytes.

Pagefind 1.5.2 writes its filter values, and the metadata its filters, in the order of a hash map
seeded at random on each run; write/search.py sorts both and names the files by their hash, as
Pagefind does. These tests run the locked wheel's Pagefind over a small site with many filter
values, so that two unsorted runs all but never agree.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path

import cbor2
import pytest

from briefing.problems import Loc
from briefing.write import search
from briefing.write.search import (
    PAGEFIND_FOLDER,
    PAGEFIND_FORMATS,
    PAGEFIND_MARK,
    pagefind_in_order,
    pagefind_index,
    run_pagefind,
)

WHERE = Loc("briefing.toml", 6, 1)
PAGE = """<!doctype html><html lang="en"><head><title>Page {n}</title></head><body><main data-pagefind-body>
<h1>Page {n}</h1><p>Words of page {n}: sovereign funding.</p>
<div hidden data-pagefind-ignore>{filters}</div></main></body></html>"""


def small_site(root: Path, pages: int = 30) -> Path:
    """A static site whose pages carry 4 filters with many values (entities, topics, kinds, a shared one)."""
    root.mkdir(parents=True)
    for n in range(pages):
        values = [("entity", f"Entity {n}"), ("entity", f"Entity {(n * 7) % pages}"), ("topic", f"Topic {n % 9}")]
        values += [("kind", "Topic" if n % 2 else "Entity"), ("verdict", ["Erroneous", "Reconcilable", "None"][n % 3])]
        values.append(("entity", "Ünïcode – Æ"))  # a value whose order differs by bytes and by letters
        spans = "".join(f'<span data-pagefind-filter="{name}">{value}</span>' for name, value in values)
        (root / f"p{n:02}").mkdir()
        (root / f"p{n:02}" / "index.html").write_text(PAGE.format(n=n, filters=spans), encoding="utf-8")
    return root


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def decoded(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(PAGEFIND_MARK)
    return cbor2.loads(data[len(PAGEFIND_MARK) :])


def write_as_pagefind(folder: Path, prefix: str, suffix: str, digits: int, value: object) -> str:
    """Write `value` compressed, named by its hash as Pagefind names it; that name."""
    data = cbor2.dumps(value)
    name = "en_" + search._pagefind_hash(data)[:digits]
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(PAGEFIND_MARK + data))
    return name


@pytest.fixture(scope="module")
def raw_runs(tmp_path_factory) -> list[Path]:
    """Two copies of the small site, each indexed by Pagefind alone (no ordering)."""
    base = small_site(tmp_path_factory.mktemp("pagefind-order") / "base")
    runs = []
    for n in range(2):
        site = base.parent / f"run{n}"
        shutil.copytree(base, site)
        assert run_pagefind(site, WHERE) is None
        runs.append(site)
    return runs


def test_pagefind_alone_varies_from_run_to_run(raw_runs):
    """The problem this module fixes, measured: if Pagefind ever writes a stable order, this says so."""
    first, second = (files(site / PAGEFIND_FOLDER) for site in raw_runs)
    varying = sorted(
        name for name in first.keys() ^ second.keys() | {n for n in first if first.get(n) != second.get(n)}
    )
    assert varying, "Pagefind wrote the same bytes twice: pagefind_in_order() may no longer be needed"
    assert all(
        name.startswith("filter/") or name.endswith(".pf_meta") or name == "pagefind-entry.json" for name in varying
    )


def test_two_builds_write_the_same_bytes(tmp_path):
    """Before: the filter files, the .pf_meta file and pagefind-entry.json differed between two builds."""
    built = []
    for n in range(2):
        site = small_site(tmp_path / f"site{n}")
        assert pagefind_index(site, WHERE) is None
        built.append(files(site))
    assert built[0] == built[1]
    assert len([name for name in built[0] if name.startswith(f"{PAGEFIND_FOLDER}/filter/")]) == 4


def test_the_order_is_by_name_and_the_names_are_pagefind_s(raw_runs, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(raw_runs[0], site)
    bundle = site / PAGEFIND_FOLDER
    for path in (bundle / "filter").iterdir():  # Pagefind's own names: the first 7 hex digits of its hash
        assert path.stem == "en_" + search._pagefind_hash(cbor2.dumps(decoded(path)))[:7]
    assert pagefind_in_order(bundle) is None
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = decoded(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["entity", "kind", "topic", "verdict"]
    for name, file_name in meta[3]:
        index = decoded(bundle / "filter" / f"{file_name}.pf_filter")
        assert index[0] == name
        values = [value for value, _ in index[1]]
        assert values == sorted(values, key=str.encode)
        assert file_name == "en_" + search._pagefind_hash(cbor2.dumps(index))[:7]
    assert len(list((bundle / "filter").iterdir())) == 4  # the old files are gone
    assert len(list(bundle.glob("*.pf_meta"))) == 1
    before = files(bundle)
    assert pagefind_in_order(bundle) is None  # in order already: not one byte changes
    assert files(bundle) == before


def test_any_order_pagefind_may_write_gives_the_same_bytes(raw_runs, tmp_path):
    """Each permutation of the filters and their values, written as Pagefind names files, ends the same."""
    results = []
    for seed in range(3):
        site = tmp_path / f"site{seed}"
        shutil.copytree(raw_runs[0], site)
        bundle = site / PAGEFIND_FOLDER
        shuffle = random.Random(seed).shuffle
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        meta_path = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
        meta = decoded(meta_path)
        for item in meta[3]:
            path = bundle / "filter" / f"{item[1]}.pf_filter"
            index = decoded(path)
            shuffle(index[1])
            path.unlink()
            item[1] = write_as_pagefind(bundle / "filter", "", ".pf_filter", 7, index)
        shuffle(meta[3])
        meta_path.unlink()
        entry["languages"]["en"]["hash"] = write_as_pagefind(bundle, "pagefind.", ".pf_meta", 10, meta)
        (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        assert pagefind_in_order(bundle) is None
        results.append(files(bundle))
    assert results[0] == results[1] == results[2]


def test_filter_names_that_share_a_hash_prefix_are_lengthened(raw_runs, tmp_path, monkeypatch):
    """Pagefind's rule for two files whose first 7 hex digits agree: the later name grows until it is free."""
    site = tmp_path / "site"
    shutil.copytree(raw_runs[0], site)
    monkeypatch.setattr(search, "_pagefind_hash", lambda data: "abcdef0" + search.hashlib.sha1(data).hexdigest())
    assert pagefind_in_order(site / PAGEFIND_FOLDER) is None
    names = sorted(path.stem for path in (site / PAGEFIND_FOLDER / "filter").iterdir())
    assert len(set(names)) == 4 and all(name.startswith("en_abcdef0") for name in names)
    assert sorted(len(name) for name in names)[:2] == [10, 11]  # the first keeps 7 digits, the others grow


def test_the_locked_pagefind_is_a_version_whose_format_is_known(raw_runs):
    """Fails loudly when requirements.txt moves Pagefind to a version whose index this code was not checked with."""
    entry = json.loads((raw_runs[0] / PAGEFIND_FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] in PAGEFIND_FORMATS


def _mutate_entry(bundle: Path) -> None:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["version"] = "1.6.0"
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def _extra_field_in_a_filter(bundle: Path) -> None:
    path = sorted((bundle / "filter").iterdir())[-1]
    index = decoded(path)
    path.write_bytes(gzip.compress(PAGEFIND_MARK + cbor2.dumps([*index, "new"])))


def _extra_field_in_the_meta(bundle: Path) -> None:
    path = next(bundle.glob("*.pf_meta"))
    path.write_bytes(gzip.compress(PAGEFIND_MARK + cbor2.dumps([*decoded(path), []])))


def _indefinite_array_in_a_filter(bundle: Path) -> None:
    """A CBOR form minicbor may write one day and cbor2 would write back differently: not a known format."""
    path = sorted((bundle / "filter").iterdir())[0]
    data = gzip.decompress(path.read_bytes())[len(PAGEFIND_MARK) :]
    assert data[0] == 0x82  # a two-item array, of definite length
    path.write_bytes(gzip.compress(PAGEFIND_MARK + b"\x9f" + data[1:] + b"\xff"))


def _not_gzip(bundle: Path) -> None:
    sorted((bundle / "filter").iterdir())[-1].write_bytes(b"{}")


def _a_missing_filter_file(bundle: Path) -> None:
    sorted((bundle / "filter").iterdir())[-1].unlink()


@pytest.mark.parametrize(
    ("mutate", "said"),
    [
        (_mutate_entry, "Pagefind 1.6.0 is not a version whose index write/search.py knows (1.5.2)"),
        (_extra_field_in_a_filter, "is not Pagefind 1.5's index of the filter"),
        (_extra_field_in_the_meta, "is not Pagefind 1.5's metadata"),
        (_indefinite_array_in_a_filter, "is not in the CBOR form of Pagefind 1.5"),
        (_not_gzip, "Not a gzipped file"),
        (_a_missing_filter_file, "No such file"),
    ],
)
def test_a_format_it_does_not_know_fails_loudly_and_changes_nothing(raw_runs, tmp_path, mutate, said):
    site = tmp_path / "site"
    shutil.copytree(raw_runs[0], site)
    bundle = site / PAGEFIND_FOLDER
    mutate(bundle)
    before = files(bundle)
    why = pagefind_in_order(bundle)
    assert why is not None and said in why
    assert files(bundle) == before  # nothing is written until every file is known


def test_a_format_it_does_not_know_is_a_build_error(tmp_path, monkeypatch):
    """Through pagefind_index: an error at the search setting, with its code, and no traceback."""
    monkeypatch.setattr(search, "PAGEFIND_FORMATS", ("0.0.1",))
    problem = pagefind_index(small_site(tmp_path / "site", pages=3), WHERE)
    assert problem is not None and problem.loc == WHERE and problem.code == "search-index-failed"
    assert problem.message.startswith("Pagefind's index could not be put in a stable order: Pagefind 1.5.2 is not")
