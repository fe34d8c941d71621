"""The Jinja environment every template is rendered in, and its filters (`url`, `plural`)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from briefing.problems import package_folder
from briefing.render.addresses import raw_url

TEMPLATES = package_folder("briefing.templates")  # the generator's own; a project's templates/ come first


def environment(project: Path | None = None) -> jinja2.Environment:
    """Strict and autoescaping: a missing value is an error, an unprepared one is escaped.

    Templates are looked up in the project's own `templates/` folder first (`project`), then
    among the generator's: a briefing overrides the templates it wants, file by file. The
    `url` filter turns a Markdown link into one for raw HTML; `plural` says a count.
    """
    folders = [project] if project is not None and project.is_dir() else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build reads each template once; no stat() per use
    )
    env.filters["url"] = raw_url
    env.filters["plural"] = plural
    return env


def plural(count: int, singular: str, plural_form: str | None = None, number: bool = True) -> str:
    """'1 fact', '2 facts' (`number` False: the noun alone): every count on a page is said here."""
    noun = singular if count == 1 else plural_form or singular + "s"
    return f"{count} {noun}" if number else noun
