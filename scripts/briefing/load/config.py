"""The project's hand-written site configuration, mkdocs.yml, read as plain data, and the links beside it.

The hand-written inputs come from a pull request as much as the registry does: the
configuration must be plain YAML with no hooks and docs_dir docs, and a symbolic link in docs/
or templates/ (which could make any readable file a page of the site) is an error. Nothing is
read through a link.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

import yaml

from briefing.files import read_regular
from briefing.problems import Loc, Problem, error

CONFIG = "mkdocs.yml"
DOCS = "docs"  # the hand-written pages and assets
TEMPLATES = "templates"  # the project's own templates, overriding the generator's
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs makes a page of
INDEX_NAMES = ("index", "readme")  # what MkDocs publishes as its folder's own page


def read_config(root: Path) -> tuple[dict | None, list[Problem]]:
    """The project's hand-written mkdocs.yml, as plain data, and what is wrong with the inputs beside it.

    docs/ and templates/ are checked for symbolic links here, before anything is rendered or
    read from them.
    """
    path, here = root / CONFIG, Loc(CONFIG)
    if path.is_symlink():
        return None, [
            error(here, "the site configuration is a symbolic link", "put the file itself here", code="config-linked")
        ]
    try:
        text = read_regular(path).decode("utf-8")
        config = yaml.safe_load(text)
    except OSError as exc:
        return None, [
            error(here, f"cannot read the site configuration: {exc.strerror or exc}", code="config-unreadable")
        ]
    except UnicodeDecodeError:
        return None, [error(here, "the site configuration is not UTF-8 text", code="config-not-utf8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Loc(CONFIG, mark.line + 1, mark.column + 1) if mark else here
        message = f"the site configuration is not plain YAML: {getattr(exc, 'problem', exc)}"
        hint = "the generated site source must stay engine-neutral: no !!python tags"
        return None, [error(where, message, hint, code="config-not-yaml")]
    if not isinstance(config, dict):
        return None, [error(here, "the site configuration is not a mapping of settings", code="config-not-mapping")]
    if config.get("hooks"):
        hint = "hooks tie the site to MkDocs: remove them"
        return None, [error(here, "the site configuration has hooks", hint, code="config-hooks")]
    docs_dir = config.get("docs_dir", DOCS)
    if not isinstance(docs_dir, str) or posixpath.normpath(docs_dir) != DOCS:
        hint = "the hand-written pages are in the project's docs/"
        return None, [
            error(Loc(CONFIG, _key_line(text, "docs_dir")), "docs_dir must be docs", hint, code="config-docs-dir")
        ]
    return config, link_problems(root)


def link_problems(root: Path) -> list[Problem]:
    """Every symbolic link among the project's hand-written pages and templates, at its path.

    templates/ itself may be a link to a folder outside the project (a shared set of templates):
    it then holds nothing a pull request wrote. A link into the project, or to a folder holding
    it, would make every file there a template.
    """
    problems = []
    for folder in (DOCS, TEMPLATES):
        path = root / folder
        if path.is_symlink():
            if folder == TEMPLATES and _outside(path, root):
                continue
            problems.append(
                error(
                    Loc(folder),
                    f"{folder}/ is a symbolic link",
                    f"make {folder}/ a folder of its own",
                    code="linked-folder",
                )
            )
            continue
        for rel, entry in entries(path, hidden=folder == TEMPLATES):  # Jinja reads hidden names too
            if entry.is_symlink():
                problems.append(link_problem(f"{folder}/{rel}"))
    return problems


def link_problem(shown: str) -> Problem:
    return error(
        Loc(shown),
        "this is a symbolic link: the build reads no file through one",
        "put the file itself here (a link could point anywhere); nothing is built while one is here",
        code="linked-page",
    )


def _outside(link: Path, root: Path) -> bool:
    """Whether a link points to a folder neither inside the project nor holding it."""
    target, project = link.resolve(), root.resolve()
    return target.is_dir() and not target.is_relative_to(project) and not project.is_relative_to(target)


def entries(folder: Path, hidden: bool = False):
    """(path relative to `folder`, path) of every file, folder and link under it; links are not followed.

    Without `hidden`, hidden entries are left out with all they hold: the site source never has them.
    """
    for here, dirs, names in os.walk(folder):
        base = Path(here)
        rel_here = base.relative_to(folder).as_posix()
        for name in sorted(dirs + names):
            rel = name if rel_here == "." else f"{rel_here}/{name}"
            if not hidden and name.startswith("."):
                if name in dirs:
                    dirs.remove(name)
                continue
            yield rel, base / name
        dirs.sort()


def _key_line(text: str, key: str) -> int:
    match = re.search(rf"^{key}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def published_at(rel: str) -> str:
    """Where MkDocs (directory addresses) writes a file of docs/: 'x.md', 'x/index.md', 'x/README.md' -> 'x/index.html'."""
    folder, _, name = rel.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in MARKDOWN:
        return rel
    parts = [folder] if folder else []
    if stem.lower() not in INDEX_NAMES:
        parts.append(stem)
    return "/".join([*parts, "index.html"])
