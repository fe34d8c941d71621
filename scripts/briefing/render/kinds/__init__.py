"""The kinds of page, in the order the menu lists them: the generator's, then those installed packages add.

A package adds a kind with an entry point in the group `briefing.kinds` naming its `Kind`
(`mykind = "my_package.glossary:KIND"`), and its template in its own package or in the
briefing's templates/ folder. Entry points are installed code: nothing in a briefing's
files (the registry, briefing.toml) can add one, nor a package's metadata committed in the
folder the command runs in (`python -m` puts that folder on sys.path).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from briefing.render.kinds import (
    changes,
    disagreements,
    downloads,
    entities,
    entity,
    home,
    source,
    sources,
    timeline,
    topic,
    topics,
)
from briefing.render.kinds.base import Kind

BUILT_IN = (
    home.KIND,
    topics.KIND,
    topic.KIND,
    timeline.KIND,
    disagreements.KIND,
    changes.KIND,
    entities.KIND,
    entity.KIND,
    sources.KIND,
    source.KIND,
    downloads.KIND,
)
ENTRY_POINTS = "briefing.kinds"


def kinds() -> tuple[Kind, ...]:
    """The generator's kinds, then the installed ones by their entry point's name."""
    added = sorted(entry_points(group=ENTRY_POINTS), key=lambda point: point.name)
    return BUILT_IN + tuple(point.load() for point in added if not _in_the_current_folder(point))


def _in_the_current_folder(point: EntryPoint) -> bool:
    """Whether a package's metadata sits in the folder the command runs in: a file anyone can commit."""
    return point.dist is not None and Path(str(point.dist.locate_file(""))).resolve() == Path.cwd().resolve()
