"""Problems found in the registry: values with a location, collected and reported together."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a file, 1-based, so a contributor's editor can jump to it."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    loc: Loc
    message: str
    severity: Severity = "error"
    hint: str | None = None

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message}"


def error(loc: Loc, message: str, hint: str | None = None) -> Problem:
    """Shorthand for the common case."""
    return Problem(loc, message, "error", hint)


def warning(loc: Loc, message: str, hint: str | None = None) -> Problem:
    """Shorthand for something worth fixing that does not stop a normal build."""
    return Problem(loc, message, "warning", hint)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order by file and position so the report reads like the files do."""
    return sorted(problems, key=lambda p: (p.loc, p.message))


def format_problem(problem: Problem, source_lines: list[str] | None = None) -> str:
    """Render `path:line:col: error: message`, the offending line with a caret, and the hint."""
    out = [str(problem)]
    if source_lines and 0 < problem.loc.line <= len(source_lines):
        text = source_lines[problem.loc.line - 1].rstrip("\n")
        if len(text) <= 200:
            number = str(problem.loc.line)
            out.append(f"  {number} | {text}")
            out.append(f"  {' ' * len(number)} | {' ' * (problem.loc.col - 1)}^")
    if problem.hint:
        out.append(f"  hint: {problem.hint}")
    return "\n".join(out)


def format_github(problem: Problem) -> str:
    """Render a GitHub Actions workflow command, so the problem shows on the pull request's diff."""

    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def esc_prop(text: str) -> str:
        return esc(text).replace(":", "%3A").replace(",", "%2C")

    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    loc = problem.loc
    return f"::{problem.severity} file={esc_prop(loc.path)},line={loc.line},col={loc.col}::{esc(message)}"


# Where the generator's data folders are in a clone (an editable install): they stay where a
# briefing project keeps them, and a wheel carries them inside the package (pyproject.toml).
_IN_A_CLONE = {"briefing.templates": "templates", "briefing.schema": "facts"}


def package_folder(name: str) -> Path:
    """Where one of the generator's data folders is (briefing.templates, briefing.schema, ...)."""
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    clone = Path(__file__).resolve().parent.parent.parent / _IN_A_CLONE.get(name, "")
    if name in _IN_A_CLONE and clone.is_dir():
        return clone
    raise RuntimeError(f"the generator's {name} folder is missing: reinstall it")
