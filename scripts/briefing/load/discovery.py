"""Which files make up the registry: every *.yaml and *.yml under facts/, none through a link."""

from __future__ import annotations

import os
from pathlib import Path

from briefing.problems import Loc, Problem, error, warning
from briefing.vocabulary import SCHEMA_PATH

REGISTRY_SUFFIXES = (".yaml", ".yml")
EDITOR_SCHEMA = "registry.schema.json"  # the copy in facts/ that the files' first line names to editors


def find_registry_files(facts_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """The registry: every *.yaml and *.yml file under facts/, in a stable order.

    Hidden files and folders (.git/, an editor's .swp) are not part of it. A name the build
    cannot show (not UTF-8), a suffix in capitals (x.YAML) and a symbolic link are problems
    at their path rather than files silently skipped or followed out of facts/.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for folder, dirs, names in os.walk(facts_dir):
        here = Path(folder)
        for name in sorted(dirs):
            if name.startswith("."):
                dirs.remove(name)
            elif (here / name).is_symlink():
                dirs.remove(name)
                problems.append(
                    error(
                        Loc(display_path(here / name, root)),
                        "registry folders must not be symbolic links",
                        code="linked-registry-folder",
                    )
                )
        for name in names:
            path = here / name
            if name.startswith(".") or not name.lower().endswith(REGISTRY_SUFFIXES):
                continue
            shown = display_path(path, root)
            if shown != shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace"):
                problems.append(
                    error(Loc(_printable(shown)), "file name is not UTF-8: rename the file", code="file-name-not-utf8")
                )
            elif not name.endswith(REGISTRY_SUFFIXES):
                stem = name[: name.rindex(".")]
                problems.append(
                    error(
                        Loc(shown),
                        "registry file names end in lowercase .yaml or .yml",
                        f"rename it {stem}.yaml",
                        code="registry-suffix",
                    )
                )
            else:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(facts_dir).as_posix()), problems


def editor_schema_problems(facts_dir: Path, root: Path, strict: bool) -> list[Problem]:
    """A warning (an error when `strict`) if facts/ holds a copy of the schema that is not the build's:
    editors would check the files against other rules than the build does. The build never reads
    the copy for validation, so a pull request that relaxes it relaxes only the editor's hints."""
    copy = facts_dir / EDITOR_SCHEMA
    if not copy.exists() and not copy.is_symlink():
        return []
    own = SCHEMA_PATH.read_bytes()
    if not copy.is_symlink() and copy.is_file():
        with copy.open("rb") as file:
            if file.read(len(own) + 1) == own:
                return []
    shown = display_path(copy, root)
    make = error if strict else warning
    return [
        make(
            Loc(shown),
            "this copy of the registry's schema, which editors check the files against, is not the one the build"
            " checks against",
            f"replace it with the build's: cp {SCHEMA_PATH} {shown}",
            code="schema-copy-differs",
        )
    ]


def _printable(shown: str) -> str:
    """A file name that is not UTF-8, with its undecodable bytes written as \\xNN."""
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_linked(path: Path, facts_dir: Path) -> bool:
    """True if the file, or a folder between it and facts/, is a symbolic link (it could point anywhere)."""
    while path != facts_dir and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def display_path(path: Path, root: Path) -> str:
    """The path as the contributor knows it: relative to the project, links not followed."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
