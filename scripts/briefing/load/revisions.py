"""facts/ at a revision, read from git's objects as plain data, within limits.

Commit objects, trees and blobs come through two long-lived `git cat-file` processes (which run
no filter, textconv, hook or pager); sizes are asked before any blob is read, names are decoded
from bytes, and a revision over a limit (files, bytes, folders, depth) is passed over.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

from briefing.load.discovery import REGISTRY_SUFFIXES
from briefing.load.git import GitError, run_git, start_git
from briefing.load.yaml_loader import MAX_FILE_BYTES, YamlDocument

MAX_FILES = 1000  # registry files in one revision
MAX_REVISION_BYTES = 64 * 1024 * 1024  # all registry files of one revision together
MAX_TREE_BYTES = 8 * 1024 * 1024  # one folder's listing, or one commit object
MAX_FOLDER_DEPTH = 32
MAX_FOLDERS = 1000  # folders under facts/ in one revision
TREE, BLOB = b"40000", (b"100644", b"100755")


def revision_texts(root: Path, revision: str) -> tuple[dict[str, bytes], list[str]]:
    """The registry files of facts/ at a revision (a name git knows), by path, and warnings.

    Read as the history reads them (names as bytes, sizes before contents); raises GitError.
    """
    prefix = run_git(root, "rev-parse", "--show-prefix").split(b"\n")[0].decode("utf-8", "surrogateescape")
    commit = run_git(root, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}").strip()
    with RevisionReader(root, prefix) as reader:
        tree, _, _ = reader.commit(commit.decode("ascii", "replace"))
        if tree is None:
            return {}, []
        files, problem = reader.files(tree)
        if files is None:
            return {}, [problem or "facts/ holds a file the build refuses"]
        texts, warnings = reader.texts(files)
        return texts or {}, warnings


class MemoryCache:
    """Parsed documents of the revision before, by path and bytes: an unchanged blob is not parsed again."""

    def __init__(self) -> None:
        self.before: dict[tuple[str, bytes], YamlDocument] = {}
        self.now: dict[tuple[str, bytes], YamlDocument] = {}

    def key(self, display: str, raw: bytes) -> tuple[str, bytes]:
        return (display, raw)

    def get(self, key: tuple[str, bytes]) -> YamlDocument | None:
        doc = self.before.get(key)
        doc = self.now.get(key) if doc is None else doc
        if doc is not None:
            self.now[key] = doc
        return doc

    def put(self, key: tuple[str, bytes], doc: YamlDocument) -> None:
        self.now[key] = doc

    def turn(self) -> None:
        """Keep only what the revision just read holds: memory stays that of two revisions."""
        self.before, self.now = self.now, {}


class RevisionReader:
    """One repository's objects through two long-lived `git cat-file` processes (sizes; contents)."""

    def __init__(self, root: Path, prefix: str) -> None:
        self.root = root
        self.path = [p for p in prefix.split("/") if p] + ["facts"]
        self.processes: dict[str, subprocess.Popen] = {}
        self.blobs: dict[str, bytes] = {}  # the blobs of the revision before, by id
        self.width = 20  # bytes of an object id in a tree: 20 (SHA-1) or 32 (SHA-256)
        self.docs = MemoryCache()

    def __enter__(self) -> RevisionReader:
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes.values():
            try:
                process.stdin.close()
            except OSError:
                pass
            process.kill()
            process.wait()
            process.stdout.close()

    def _ask(self, mode: str, oid: str) -> tuple[bytes, int, subprocess.Popen]:
        """Ask `cat-file --batch[-check]` about one object id: its type, size and the process."""
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", oid):
            raise GitError(f"not an object id: {oid!r}")
        process = self.processes.get(mode)
        if process is None:
            process = start_git(self.root, "cat-file", mode, stdin=subprocess.PIPE)
            self.processes[mode] = process
        try:
            process.stdin.write(oid.encode("ascii") + b"\n")
            process.stdin.flush()
        except OSError as exc:
            raise GitError(f"git cat-file stopped: {exc}") from exc
        header = process.stdout.readline(256).split()
        if len(header) == 2 and header[1] == b"missing":
            return b"missing", 0, process
        if len(header) != 3 or not header[2].isdigit():
            raise GitError("git cat-file gave no answer")
        return header[1], int(header[2]), process

    def size(self, oid: str) -> int | None:
        """A blob's size, without reading it; None if it is not a blob."""
        kind, size, _ = self._ask("--batch-check", oid)
        return size if kind == b"blob" else None

    def read(self, oid: str, kind: bytes, limit: int) -> bytes | None:
        """An object's bytes; None if it is not of `kind` or is over `limit` (then read past, never kept)."""
        found, size, process = self._ask("--batch", oid)
        if found == b"missing":
            return None
        if found != kind or size > limit:
            left = size + 1
            while left:
                chunk = process.stdout.read(min(left, 1 << 20))
                if not chunk:
                    raise GitError("git cat-file stopped")
                left -= len(chunk)
            return None
        data = process.stdout.read(size + 1)
        if len(data) != size + 1:
            raise GitError("git cat-file stopped")
        return data[:-1]

    def commit(self, oid: str) -> tuple[str | None, str | None, bytes]:
        """A commit's facts/ tree id (None if it has none), its time (None if unreadable), its message."""
        self.width = len(oid) // 2
        data = self.read(oid, b"commit", MAX_TREE_BYTES)
        if data is None:
            return None, None, b""
        head, _, message = data.partition(b"\n\n")
        lines = head.split(b"\n")
        tree = next((line[5:].decode("ascii", "replace") for line in lines if line.startswith(b"tree ")), "")
        committer = next((line for line in lines if line.startswith(b"committer ")), b"")
        return self._facts_tree(tree), _moment(committer), message

    def _facts_tree(self, tree: str) -> str | None:
        for name in self.path:
            data = self.read(tree, b"tree", MAX_TREE_BYTES)
            entry = next(
                (e for e in _entries(data or b"", self.width) if e[1] == name.encode("utf-8", "surrogateescape")), None
            )
            if entry is None or entry[0] != TREE:
                return None
            tree = entry[2]
        return tree

    def files(self, tree: str) -> tuple[dict[str, str] | None, str]:
        """The registry files under a facts/ tree, path -> blob id, as the build finds them in a folder.

        None (with a warning, or "") where the build would refuse the folder: a symbolic link, a
        name not UTF-8 or in capitals, too many files or folders too deep. A name with a control,
        format or line-separating character is passed over unnamed: a warning that named it could
        move a terminal's cursor or start a line CI reads as a command (`::error ...`).
        """
        found: dict[str, str] = {}
        folders = [("facts", tree, 0)]
        seen = 0
        while folders:
            path, oid, depth = folders.pop()
            data = self.read(oid, b"tree", MAX_TREE_BYTES)
            seen += 1
            if data is None or depth > MAX_FOLDER_DEPTH or seen > MAX_FOLDERS:
                return None, f"{path}/ is not a folder the build can read (too large, too deep or too many)"
            for mode, raw, child in _entries(data, self.width):
                if raw.startswith(b"."):
                    continue  # hidden files and folders are not part of the registry
                try:
                    name = raw.decode("utf-8")
                except UnicodeDecodeError:
                    return None, ""
                if any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") for ch in name):
                    return None, ""
                if mode == TREE:
                    folders.append((f"{path}/{name}", child, depth + 1))
                elif name.lower().endswith(REGISTRY_SUFFIXES):
                    if mode not in BLOB or not name.endswith(REGISTRY_SUFFIXES):
                        return None, ""
                    found[f"{path}/{name}"] = child
            if len(found) > MAX_FILES:
                return None, f"facts/ holds more than {MAX_FILES:,} registry files"
        return dict(sorted(found.items())), ""

    def texts(self, files: dict[str, str]) -> tuple[dict[str, bytes] | None, list[str]]:
        """The files' bytes, each size asked first: None (and why) if one is over the loader's limit."""
        texts: dict[str, bytes] = {}
        blobs: dict[str, bytes] = {}
        total = 0
        for path, oid in files.items():
            raw = self.blobs.get(oid)
            size = len(raw) if raw is not None else self.size(oid)
            if size is None:
                return None, [f"{path} cannot be read"]
            if size > MAX_FILE_BYTES:
                return None, [f"{path} is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}: passed over"]
            total += size
            if total > MAX_REVISION_BYTES:
                return None, [f"its registry files are over {MAX_REVISION_BYTES:,} bytes together: passed over"]
            raw = raw if raw is not None else self.read(oid, b"blob", MAX_FILE_BYTES)
            if raw is None:
                return None, [f"{path} cannot be read"]
            blobs[oid] = texts[path] = raw
        self.blobs = blobs
        return texts, []


def _entries(data: bytes, width: int) -> list[tuple[bytes, bytes, str]]:
    """A tree object's entries: (mode, name, object id), as git stores them (mode SP name NUL id)."""
    entries = []
    at = 0
    while at < len(data):
        space = data.find(b" ", at)
        nul = data.find(b"\0", space + 1)
        if space < 0 or nul < 0 or nul + 1 + width > len(data):
            break
        entries.append((data[at:space], data[space + 1 : nul], data[nul + 1 : nul + 1 + width].hex()))
        at = nul + 1 + width
    return entries


def _moment(committer: bytes) -> str | None:
    """The time on a committer line ('... <mail> 1718000000 +0200') as ISO 8601; None if there is none."""
    match = re.search(rb"> (\d{1,11}) ([+-])(\d\d)(\d\d)$", committer)
    if not match:
        return None
    offset = timedelta(hours=int(match[3]), minutes=int(match[4])) * (-1 if match[2] == b"-" else 1)
    try:
        return datetime.fromtimestamp(int(match[1]), timezone(offset)).isoformat()
    except (OverflowError, OSError, ValueError):
        return None
