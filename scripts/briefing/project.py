"""The project a command runs in: its root, found as git finds a repository, and its settings.

A briefing project is a folder with `briefing.toml` (the few settings below), `facts/`,
`mkdocs.yml` and `docs/`. Every command finds the root by walking up from the folder it is
started in, so it works from `facts/` or `docs/` alike and writes only under the root.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from briefing.problems import Loc, Problem, error

PROJECT_FILE = "briefing.toml"


@dataclass(frozen=True)
class Settings:
    """What a briefing sets in briefing.toml; every field has the default a new project gets."""

    subject: str = ""  # what the briefing is about, in words ("Zhipu AI")
    site_url: str = ""  # where the site is published; sitemaps and canonical links need it
    archive: str = "../shared/sources"  # the folder of archived source texts, from the root
    language: str = "en"  # the site's language, for the theme
    listing_limit: int = 150  # facts on one page before a listing is split by year, then month
    nav_limit: int = 60  # entities or sources named one by one in the menus; more: from their index
    search_quotes_limit: int = 2000  # up to this many facts, search finds a fact by its quotes' words


DEFAULTS = Settings()


def find_root(start: Path) -> Path:
    """The nearest folder from `start` up with briefing.toml (or, for older projects, mkdocs.yml and facts/)."""
    folders = (start, *start.parents)
    for folder in folders:
        if (folder / PROJECT_FILE).is_file():
            return folder
    for folder in folders:
        if (folder / "mkdocs.yml").is_file() and (folder / "facts").is_dir():
            return folder
    return start


def read_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """The project's settings, or the defaults; problems name the file and the setting."""
    path = root / PROJECT_FILE
    if not path.is_file():
        return Settings(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(), [error(Loc(PROJECT_FILE), f"not valid TOML: {exc}")]
    section = data.get("briefing", {})
    if not isinstance(section, dict) or set(data) - {"briefing"}:
        return Settings(), [error(Loc(PROJECT_FILE), "the settings go in one [briefing] table")]
    known = {f.name: f for f in fields(Settings)}
    problems = []
    values = {}
    for key, value in section.items():
        if key not in known:
            problems.append(error(Loc(PROJECT_FILE), f"unknown setting '{key}'", f"use one of: {', '.join(known)}"))
        elif not isinstance(value, type(known[key].default)) or isinstance(value, bool):
            kind = type(known[key].default).__name__
            problems.append(
                error(Loc(PROJECT_FILE), f"setting '{key}' must be {'text' if kind == 'str' else 'a number'}")
            )
        elif isinstance(value, int) and value < 1:
            problems.append(error(Loc(PROJECT_FILE), f"setting '{key}' must be 1 or more"))
        else:
            values[key] = value
    return Settings(**values), problems
