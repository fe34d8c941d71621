"""The parse cache: parsed registry files kept by content hash, so an edit re-parses one file.

Only files that loaded and validated cleanly are kept. The key covers the file's path and
bytes and the code and schema that read it, so a change to any of them is a miss. Entries
live in .cache/briefing/ as JSON, never pickles: a pull request can commit files there
(`git add -f`), so nothing read from it may run code or vouch for anything. Every entry is
signed with HMAC-SHA256 under a key of the user's own, kept outside the project (`user_key`);
an entry whose signature does not verify is a miss, read as if it were not there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from briefing.files import TEMPORARY_PREFIX, replace_file
from briefing.load.git import GitError, start_git
from briefing.load.yaml_loader import YamlDocument
from briefing.problems import Loc, Problem, error, warning
from briefing.vocabulary import SCHEMA_PATH

PACKAGE = Path(__file__).resolve().parent.parent
KEY_BYTES = 32
MAGIC = b"briefing-cache 1\n"  # then the hex MAC, a newline, and the JSON it signs
MAX_ENTRY_BYTES = 64 * 1024 * 1024


@cache
def _version() -> bytes:
    digest = hashlib.sha256()
    for path in (
        PACKAGE / "load" / "yaml_loader.py",
        PACKAGE / "load" / "registry.py",
        PACKAGE / "load" / "cache.py",  # the form entries are written in
        PACKAGE / "problems.py",
        PACKAGE / "check" / "quotes.py",  # the remembered quotes and clean figure checks are theirs
        PACKAGE / "check" / "figures.py",
        PACKAGE / "check" / "statements.py",
        PACKAGE / "load" / "history.py",  # the snapshots of past revisions are its
        PACKAGE / "load" / "revisions.py",  # and what they are read from
        SCHEMA_PATH,
    ):
        digest.update(path.read_bytes())
    return digest.digest()


# --- the user's key ------------------------------------------------------------------------


class KeyRefused(Exception):
    """The key file exists but cannot be trusted (a link, another user's, readable by others)."""


def key_path() -> Path:
    """Where the signing key lives: $XDG_CACHE_HOME/briefing/key, else ~/.cache/briefing/key."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # the XDG rule: relative is ignored
    return folder / "briefing" / "key"


_keys: dict[Path, bytes | None] = {}


def user_key() -> bytes | None:
    """The user's signing key, made on first use; None (said once on stderr) if it cannot be had safely.

    Without a key every cache is off: nothing is read from .cache/ and nothing is signed.
    """
    try:
        path = key_path()
    except RuntimeError:  # no home folder to be found
        return None
    if path not in _keys:
        try:
            _keys[path] = _read_or_make_key(path)
        except (OSError, KeyRefused) as exc:
            why = exc if isinstance(exc, KeyRefused) else exc.strerror
            print(f"note: caches are off: the key {path}: {why}", file=sys.stderr)
            _keys[path] = None
    return _keys[path]


def _read_or_make_key(path: Path) -> bytes:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # O_EXCL, mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)  # whole or not there; a key made meanwhile by another run wins
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if path.is_symlink():
            raise KeyRefused("is a symbolic link; delete it, and a new key is made") from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise KeyRefused("is not a regular file")
        if info.st_uid != os.getuid():
            raise KeyRefused("belongs to another user; delete it, and a new key is made")
        if info.st_mode & 0o077:
            raise KeyRefused("others may read or change it; `chmod 600` it, or delete it")
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != KEY_BYTES:
        raise KeyRefused("is damaged; delete it, and a new key is made")
    return data


# --- signed entries ------------------------------------------------------------------------


def real_folder(folder: Path) -> bool:
    """True if `folder` and the folder holding it are real folders or absent, not links to elsewhere."""
    for path in (folder, folder.parent):
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return False
        except FileNotFoundError:
            continue
        except OSError:  # under a file
            return False
    return True


def sign(key: bytes, name: str, body: bytes) -> bytes:
    """The signed form of `body` stored under `name` (the name is signed too: no entry can stand in for another)."""
    return MAGIC + _mac(key, name, body) + b"\n" + body


def verified(key: bytes, name: str, data: bytes) -> bytes | None:
    """The body of a signed entry, or None if it was not signed under `key` with this name."""
    if not data.startswith(MAGIC):
        return None
    mac, _, body = data[len(MAGIC) :].partition(b"\n")
    return body if hmac.compare_digest(mac, _mac(key, name, body)) else None


def _mac(key: bytes, name: str, body: bytes) -> bytes:
    return hmac.digest(key, name.encode() + b"\0" + body, "sha256").hex().encode()


def read_signed(path: Path, key: bytes, name: str | None = None) -> bytes | None:
    """A signed file's body; None if it is missing, a link, too large or not signed by this user."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        data = b""
        while len(data) <= info.st_size:  # one read, unless the file grows meanwhile
            chunk = os.read(fd, info.st_size + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except OSError:
        return None
    finally:
        os.close(fd)
    return verified(key, name or path.name, data)


def write_signed(path: Path, key: bytes, body: bytes, name: str | None = None) -> None:
    """Write a signed file whole or not at all, readable by this user only (files.replace_file)."""
    replace_file(path, sign(key, name or path.name, body), durable=False, mode=0o600)


# --- documents as JSON ---------------------------------------------------------------------


def _walk(data: Any) -> tuple[list[tuple], list[tuple]]:
    """Every path into a document's data, depth first, and those of them that are a mapping's values.

    Positions are kept in this order, so the paths themselves need not be. TypeError for a key
    that is not text (JSON would turn it into text).
    """
    every: list[tuple] = []
    named: list[tuple] = []

    def visit(value: Any, path: tuple) -> None:  # a mapping or a list, whose own path is already listed
        items = value.items() if type(value) is dict else enumerate(value)
        for key, item in items:
            child = path + (key,)
            every.append(child)
            if type(key) is str:
                named.append(child)
            elif type(value) is dict:
                raise TypeError("a key that is not text")
            if type(item) is dict or type(item) is list:
                visit(item, child)

    every.append(())
    if type(data) is dict or type(data) is list:
        visit(data, ())  # as deep as the loader allows (yaml_loader.MAX_DEPTH), no deeper
    return every, named


def _pairs(flat: list[int]) -> zip:
    return zip(flat[0::2], flat[1::2], strict=True)


def document_to_json(doc: YamlDocument) -> dict | None:
    """A document as plain JSON: its data, its lines, and its positions in the order `_walk` gives.

    None if its positions do not match its data (it is then simply not kept).
    """
    try:
        every, named = _walk(doc.data)
        if len(every) != len(doc.values) or len(named) != len(doc.keys):
            return None
        values = [n for p in every for n in doc.values[p]]
        keys = [n for p in named for n in doc.keys[p]]
    except (KeyError, TypeError, RecursionError):
        return None
    return {"path": doc.path, "data": doc.data, "lines": doc.lines, "values": values, "keys": keys}


def document_from_json(obj: Any) -> YamlDocument | None:
    """The document `document_to_json` wrote; None if the JSON is not of that form."""
    try:
        every, named = _walk(obj["data"])
        values, keys = obj["values"], obj["keys"]
        if len(values) != 2 * len(every) or len(keys) != 2 * len(named):
            return None
        return YamlDocument(
            obj["path"],
            obj["data"],
            obj["lines"],
            dict(zip(every, _pairs(values), strict=True)),
            dict(zip(named, _pairs(keys), strict=True)),
        )
    except (KeyError, TypeError, ValueError, RecursionError):
        return None


class ParseCache:
    """Parsed documents on disk, by content; a missing, unreadable or unsigned entry is simply a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.read: dict[str, bytes] = {}  # what each entry read held: one saved unchanged is not written again
        # A cache folder that is a link could be anywhere: it is not read, written or pruned.
        self.secret = user_key() if real_folder(folder) else None

    def key(self, display: str, raw: bytes) -> str:
        return hashlib.sha256(_version() + display.encode() + b"\0" + raw).hexdigest()

    def get(self, key: str) -> YamlDocument | None:
        self.used.add(key)
        value = self._read(key)
        return document_from_json(value) if isinstance(value, dict) else None

    def put(self, key: str, doc: YamlDocument) -> None:
        value = document_to_json(doc)
        if value is not None:
            self._write(key, value)

    def load_map(self, name: str) -> dict:
        """A mapping kept under a name (the quotes already verified, with their archived words), as JSON reads it.

        Kept per version of the code that made it: a change to the checks starts it afresh.
        """
        name = f"{name}-{_version().hex()[:16]}"
        self.used.add(name)
        value = self._read(name)
        return value if isinstance(value, dict) else {}

    def save_map(self, name: str, items: dict) -> None:
        self._write(f"{name}-{_version().hex()[:16]}", items)

    def prune(self) -> None:
        """Drop entries this run did not ask for (old versions of edited files, maps of older code).

        Every map of this code's version is kept, asked for yet or not: the build reads some
        (the history's snapshots) after the checks prune.
        """
        maps = f"-{_version().hex()[:16]}"
        if self.secret is not None and self.folder.is_dir():
            for path in self.folder.iterdir():
                keep = path.name in self.used or path.name.endswith(maps) or path.name.startswith(TEMPORARY_PREFIX)
                if not keep:
                    path.unlink(missing_ok=True)

    def _read(self, name: str) -> Any:
        if self.secret is None:
            return None
        body = read_signed(self.folder / name, self.secret)
        if body is not None:
            self.read[name] = body
        try:
            return json.loads(body) if body is not None else None
        except ValueError:
            return None  # signed by us, yet damaged: a miss all the same

    def _write(self, name: str, value: object) -> None:
        if self.secret is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            body = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        except (TypeError, ValueError):
            return  # not plain data: not kept
        if self.read.get(name) == body:
            return
        write_signed(self.folder / name, self.secret, body)


# --- files that should not be in git -------------------------------------------------------


class TrackedCacheFiles:
    """Files under .cache/ that git tracks: a pull request put them there, and the build trusts none of them.

    `git ls-files` starts at once and runs while the registry loads; `problems` waits for it.
    """

    def __init__(self, root: Path) -> None:
        try:
            self.git: subprocess.Popen | None = start_git(root, "ls-files", "-z", "--", ".cache")
        except GitError:
            self.git = None  # no git: nothing is tracked

    def problems(self, strict: bool) -> list[Problem]:
        """One warning (an error when `strict`) at each tracked file's path."""
        if self.git is None:
            return []
        out, _ = self.git.communicate()
        if self.git.returncode != 0:
            return []  # not a repository: nothing is tracked
        make = error if strict else warning
        return [
            make(
                Loc(_printable(name)),
                "a file under .cache/ is tracked by git: the build's caches and records are never read from git",
                "`git rm --cached` it; .cache/ holds what this machine's builds made, and is not committed",
                code="cache-tracked",
            )
            for name in sorted(os.fsdecode(n) for n in out.split(b"\0") if n)
        ]


def _printable(name: str) -> str:
    return name if name.isprintable() else ascii(name)[1:-1]
