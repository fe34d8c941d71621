"""SECURITY.md names the tests that hold its promises: each name must be a real test."""

from __future__ import annotations

import re

from conftest import REPO


def test_every_test_security_md_names_exists():
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    defined = set()
    for path in (REPO / "tests").glob("test_*.py"):
        defined |= set(re.findall(r"^(?:async )?def (test_\w+)", path.read_text(encoding="utf-8"), re.M))
    named = set(re.findall(r"\b(test_\w+)", text)) - {f.stem for f in (REPO / "tests").glob("test_*.py")}
    assert named, "SECURITY.md names no test"
    assert sorted(named - defined) == []
    cases = set(re.findall(r"tests/bad_input/([\w.-]+\.yaml)", text))
    assert sorted(c for c in cases if not (REPO / "tests" / "bad_input" / c).is_file()) == []
