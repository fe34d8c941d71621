"""The parse cache: parsed registry files kept by content hash, so an edit re-parses one file.

Only files that loaded and validated cleanly are kept. The key covers the file's path and
bytes and the code and schema that read it, so a change to any of them is a miss. Entries
live in .cache/briefing/ (not committed) as pickles written by this project itself.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from briefing.load.yaml_loader import YamlDocument
from briefing.problems import package_folder

SCHEMA_PATH = package_folder("briefing.schema") / "registry.schema.json"

PACKAGE = Path(__file__).resolve().parent.parent


@cache
def _version() -> bytes:
    digest = hashlib.sha256()
    for path in (
        PACKAGE / "load" / "yaml_loader.py",
        PACKAGE / "load" / "registry.py",
        PACKAGE / "problems.py",
        PACKAGE / "check" / "quotes.py",  # the remembered quotes and clean figure checks are theirs
        PACKAGE / "check" / "figures.py",
        PACKAGE / "check" / "checks.py",
        PACKAGE / "load" / "history.py",  # the snapshots of past revisions are its
        SCHEMA_PATH,
    ):
        digest.update(path.read_bytes())
    return digest.digest()


class ParseCache:
    """Parsed documents on disk, by content; a missing or unreadable entry is simply a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def key(self, display: str, raw: bytes) -> str:
        return hashlib.sha256(_version() + display.encode() + b"\0" + raw).hexdigest()

    def get(self, key: str) -> YamlDocument | None:
        self.used.add(key)
        return self._read(key)

    def put(self, key: str, doc: YamlDocument) -> None:
        self._write(key, doc)

    def load_map(self, name: str) -> dict[str, str]:
        """A mapping kept under a name (the quotes already verified, with their archived words).

        Kept per version of the code that made it: a change to the checks starts it afresh.
        """
        name = f"{name}-{_version().hex()[:16]}"
        self.used.add(name)
        value = self._read(name)
        return value if isinstance(value, dict) else {}

    def save_map(self, name: str, items: dict[str, str]) -> None:
        self._write(f"{name}-{_version().hex()[:16]}", items)

    def prune(self) -> None:
        """Drop entries this run did not ask for (old versions of edited files, maps of older code).

        Every map of this code's version is kept, asked for yet or not: the build reads some
        (the history's snapshots) after the checks prune.
        """
        maps = f"-{_version().hex()[:16]}"
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                keep = path.name in self.used or path.name.endswith(maps) or path.name.startswith(".tmp-")
                if not keep:
                    path.unlink(missing_ok=True)

    def _read(self, name: str):
        try:
            with open(self.folder / name, "rb") as file:
                return pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing or damaged: a miss

    def _write(self, name: str, value: object) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / name)
