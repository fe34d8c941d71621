"""Problem codes: every problem the code base makes carries a code from one table, one code per kind.

Codes are stable where messages are not: tests and tools match on them. The report prints
`path:line:col: error: message [code]`, so whatever parses the prefix still does.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import REPO

from briefing.problems import CODES, Loc, Problem, error, format_github, format_problem, warning

PACKAGE = REPO / "scripts" / "briefing"
CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def makers(tree: ast.Module) -> set[str]:
    """The names a module makes problems with: error, warning, Problem, `make = error if strict else warning`,
    and a parameter `make` (a rule given the one its caller chose)."""
    names = {"error", "warning", "Problem"}
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg == "make":
            names.add("make")
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.IfExp):
            chosen = {getattr(node.value.body, "id", None), getattr(node.value.orelse, "id", None)}
            if chosen <= {"error", "warning"}:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def constructions() -> list[tuple[str, ast.Call]]:
    """Every call in the package that makes a Problem, with where it is (problems.py's own helpers aside)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = makers(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                if path.name != "problems.py":
                    found.append((f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}", node))
    return found


def codes_of(call: ast.Call) -> list[str] | None:
    """The codes a call can give: a string, or either of two (`"a" if x else "b"`); None if not written out."""
    value = next((k.value for k in call.keywords if k.arg == "code"), None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.IfExp) and all(isinstance(v, ast.Constant) for v in (value.body, value.orelse)):
        return [value.body.value, value.orelse.value]
    return None


def test_the_scan_finds_the_problems_the_code_base_makes():
    """A scan that found nothing would prove nothing: it sees well over a hundred places, in every layer."""
    where = [place for place, _ in constructions()]
    assert len(where) > 120
    assert {w.split("/")[0].split(":")[0] for w in where} >= {
        "load",
        "check",
        "commands",
        "write",
        "render",
        "project.py",
    }


def test_every_problem_made_has_a_code_from_the_table():
    missing = [place for place, call in constructions() if codes_of(call) is None]
    assert missing == [], "give each of these a code='...' from problems.CODES"
    unknown = [(place, c) for place, call in constructions() for c in codes_of(call) if c not in CODES]
    assert unknown == [], "add the code to problems.CODES, with what it means"


def test_each_code_names_one_kind_of_problem():
    """Places that share a code make the same message; no code in the table goes unused."""
    messages: dict[str, set[str]] = {}
    for _, call in constructions():
        message = ast.unparse(call.args[1]) if len(call.args) > 1 else ""
        for code in codes_of(call) or []:
            messages.setdefault(code, set()).add(message)
    shared = {code: sorted(found) for code, found in messages.items() if len(found) > 1}
    assert shared == {}, "two kinds of problem share a code: give each its own"
    assert sorted(set(CODES) - set(messages)) == [], "codes in the table that nothing makes"


def test_codes_are_short_stable_words():
    assert [c for c in CODES if not CODE.fullmatch(c) or len(c) > 30] == []
    assert all(CODES[c].strip() and "\n" not in CODES[c] for c in CODES)


def test_the_report_prints_the_code_after_the_message():
    """The prefix `path:line:col: error: ` is as before, for editors' and CI's problem matchers."""
    found = error(Loc("facts/facts.yaml", 3, 5), "unknown source 'wires'", "did you mean 'wire'?", code="unknown-id")
    assert str(found) == "facts/facts.yaml:3:5: error: unknown source 'wires'"
    assert format_problem(found).splitlines() == [
        "facts/facts.yaml:3:5: error: unknown source 'wires' [unknown-id]",
        "  hint: did you mean 'wire'?",
    ]
    assert format_github(found) == (
        "::error file=facts/facts.yaml,line=3,col=5::unknown source 'wires' [unknown-id] (hint: did you mean 'wire'?)"
    )
    assert format_problem(warning(Loc("a.yaml"), "m", code="unused-topic")) == "a.yaml:1:1: warning: m [unused-topic]"
    assert format_problem(Problem(Loc("a.yaml"), "m")) == "a.yaml:1:1: error: m"  # no code, nothing printed


def test_a_build_reports_codes(project):
    """Through the command: the code is printed, and it says the kind whatever the message's words."""
    project.edit("facts.yaml", "      - source: wire\n", "      - source: wires\n")
    result = project.run("check")
    assert result.returncode == 1
    assert "facts/facts.yaml:16:17: error: unknown source 'wires' [unknown-id]\n" in result.stderr


def contributing_codes() -> list[str] | None:
    """The codes CONTRIBUTING.md lists under its 'Problem codes' heading, or None if it has none yet."""
    path = REPO / "CONTRIBUTING.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if "\n## Problem codes\n" not in text:
        return None
    section = text.split("\n## Problem codes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M)


def codes_markdown() -> str:
    """The 'Problem codes' table as CONTRIBUTING.md carries it, made from problems.CODES."""
    rows = [f"| `{code}` | {meaning} |" for code, meaning in CODES.items()]
    return "\n".join(["| Code | What it means |", "| --- | --- |", *rows]) + "\n"


def test_contributing_lists_every_code():
    listed = contributing_codes()
    if listed is None:
        pytest.skip("CONTRIBUTING.md has no 'Problem codes' section yet (the list is made by codes_markdown())")
    assert listed == list(CODES)


def test_codes_markdown_is_one_row_per_code():
    assert codes_markdown().count("\n| `") == len(CODES)


if __name__ == "__main__":  # print the table for CONTRIBUTING.md
    print(codes_markdown(), end="")
