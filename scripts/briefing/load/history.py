"""The registry's history, read from git: what each revision of facts/ added, changed and retracted.

A pull request can carry any commit, so git is read as plain data: one NUL-separated list of
the commits on the first-parent line that touch facts/, then commit objects, trees and blobs
through `git cat-file` (which runs no filter, textconv, hook or pager), sizes asked before any
blob is read, every name and message decoded from bytes with replacement. Each revision is
loaded as the build loads the working tree and then checked as the build checks it (the
`passes` callable, the quotes against the archive): a revision that does not load is passed
over; the text of one that loads but fails the checks is never shown (`None` below), only that
it was there. At most the newest MAX_REVISIONS revisions are read. Snapshots are kept as
JSON-compatible values by the tree id of facts/, so a warm build reads no blob again. Without
git or with a shallow clone, the history is "not available", with the reason.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from briefing.load.cache import ParseCache
from briefing.load.discovery import REGISTRY_SUFFIXES
from briefing.load.git import GitError, run_git, start_git
from briefing.load.model import Fact, Registry
from briefing.load.registry import load_registry_texts
from briefing.load.yaml_loader import MAX_FILE_BYTES, YamlDocument

MAX_REVISIONS = 500  # the newest revisions of facts/ read; older ones are only in git
MAX_FILES = 1000  # registry files in one revision
MAX_REVISION_BYTES = 64 * 1024 * 1024  # all registry files of one revision together
MAX_TREE_BYTES = 8 * 1024 * 1024  # one folder's listing, or one commit object
MAX_FOLDER_DEPTH = 32
MAX_FOLDERS = 1000  # folders under facts/ in one revision
MAX_SUBJECT = 300  # characters of a commit's subject shown
HISTORY = "history"  # the parse cache's map: the archive's stamp, and the snapshots checked against it
TREE, BLOB = b"40000", (b"100644", b"100755")

# A snapshot, JSON-compatible (it is kept in the parse cache):
#   {"broken": True, "warnings": [...]} for a revision whose registry did not load, or
#   {"checked": bool, "facts": {id: [statement or None, statement hash, topic, digest, value hash]},
#    "disagreements": {id: [subject or None, subject hash, digest]}}
# where the texts are None unless the revision passed the checks.
Snapshot = dict
Passes = Callable[[Registry], bool]


@dataclass(frozen=True)
class Revision:
    """One commit to facts/, as readers see it; a text is None where its revision failed the checks."""

    commit: str
    date: str  # YYYY-MM-DD, the commit's date
    moment: str  # the commit's time, ISO 8601 (for the feed)
    subject: str | None
    added: tuple[tuple[str, str | None], ...] = ()  # (fact id, its statement)
    changed: tuple[tuple[str, str | None, str | None], ...] = ()  # (fact id, old statement, new statement)
    revised: tuple[tuple[str, str | None], ...] = ()  # (fact id, statement): the same words, other evidence
    retracted: tuple[tuple[str, str | None], ...] = ()  # (fact id, its last statement)
    disagreements: tuple[tuple[str, str | None, str], ...] = ()  # (id, subject, "added" | "changed" | "removed")

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.revised or self.retracted or self.disagreements)


@dataclass
class History:
    """The revisions of facts/, oldest first, and what they say of each fact."""

    available: bool
    reason: str = ""
    revisions: list[Revision] = field(default_factory=list)
    first: dict[str, str] = field(default_factory=dict)  # fact id -> date first published
    last: dict[str, str] = field(default_factory=dict)  # fact id -> date it last changed
    # id -> (its last published statement, or None if it never was; topic; date)
    retracted: dict[str, tuple[str | None, str, str]] = field(default_factory=dict)
    limit: int = 0  # MAX_REVISIONS if older revisions were left out
    origin: str = ""  # the repository's first commit on the first-parent line: the same in every clone
    started: str = ""  # the date the briefing was first published: its facts' earliest first date
    # fact id -> (date, commit) of the last change to its statement or value (one a correction must explain)
    substantive: dict[str, tuple[str, str]] = field(default_factory=dict)
    # fact id -> (statement hash, value hash) in the newest revision that passed the checks
    latest: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # The snapshots this read used, by tree id of facts/: what the next run's cache should hold.
    snapshots: dict[str, Snapshot] = field(default_factory=dict, repr=False)


def load_history(
    root: Path, archive_dir: Path, current: Registry, passes: Passes, cache: ParseCache | None = None
) -> tuple[History, list[str]]:
    """The history as a build shows it, and its warnings; never an error (a repository can hold anything).

    The snapshots are kept in the parse cache (if any) with the stamp of the archive they were checked against.
    """
    stamp = archive_stamp(archive_dir)
    stored = cache.load_map(HISTORY) if cache else {}
    kept = stored.get("snapshots") if stored.get("archive") == stamp else None
    try:
        history = read_history(root, current, passes, kept if isinstance(kept, dict) else None)
    except Exception as exc:  # noqa: BLE001 - a repository can hold anything: its history never stops a build
        warning = f"warning: the git history could not be read ({exc}); the Changes page says so"
        return History(False, "the git history could not be read"), [warning]
    if cache:
        cache.save_map(HISTORY, {"archive": stamp, "snapshots": history.snapshots})
    return history, [f"warning: history: {warning}" for warning in history.warnings]


def read_history(root: Path, current: Registry, passes: Passes, cache: dict | None = None) -> History:
    """The history of facts/ in the git repository around `root`.

    `passes` runs the build's checks on a past revision. `cache` maps tree ids of facts/ to
    snapshots (a cache kept between runs); `History.snapshots` holds this run's. Raises GitError
    if git fails midway; a repository without history gives a History that says so.
    """
    try:
        top = run_git(root, "rev-parse", "--is-shallow-repository", "--show-prefix").split(b"\n")
        log = run_git(root, "log", "--first-parent", "-z", "--format=%H", f"-n{MAX_REVISIONS + 1}", "--", "facts")
    except GitError:
        return History(False, "this copy of the project has no git history")
    if top[0].strip() == b"true":
        return History(False, "this copy of the project has only part of its git history (a shallow clone)")
    prefix = top[1].decode("utf-8", "surrogateescape") if len(top) > 1 else ""
    commits = [c.decode("ascii") for c in reversed(log.split(b"\0")) if re.fullmatch(rb"[0-9a-f]{40}|[0-9a-f]{64}", c)]
    history = History(True)
    known = cache or {}
    used: dict[str, Snapshot] = {}
    with _Reader(root, prefix) as reader:
        baseline = len(commits) > MAX_REVISIONS  # the oldest read is only compared with
        history.limit = MAX_REVISIONS if baseline else 0
        _walk(reader, commits, baseline, known, used, passes, history)
    history.snapshots = used
    history.started = min(history.first.values(), default="")
    history.origin = run_git(root, "rev-list", "--first-parent", "--max-parents=0", "HEAD").split(b"\n")[0].decode()
    current_ids = {f.id for f in current.facts}
    history.retracted = {i: v for i, v in history.retracted.items() if i not in current_ids}
    return history


def _walk(
    reader: _Reader,
    commits: list[str],
    baseline: bool,
    known: dict,
    used: dict,
    passes: Passes,
    history: History,
) -> None:
    """Compare each revision with the last one that loaded; date what passed the checks.

    With `baseline`, the first revision that loads is only what the next are compared with.
    """
    before: Snapshot = {"checked": True, "facts": {}, "disagreements": {}}
    published: dict[str, list] = {}  # the facts of the last revision that passed the checks
    texts: dict[str, str] = {}  # fact id -> its last statement that passed the checks
    topics: dict[str, str] = {}
    for commit in commits:
        tree, moment, subject = reader.commit(commit)
        snapshot = (used.get(tree) or _cached(known.get(tree))) if tree else None
        if snapshot is None:
            snapshot = reader.snapshot(tree, passes) if tree else {"broken": True, "warnings": []}
        if tree:
            used[tree] = snapshot
        history.warnings += [f"commit {commit[:10]}: {warning}" for warning in snapshot.get("warnings", [])]
        if snapshot.get("broken") or moment is None:
            continue  # a revision that did not load (its build was refused): compare past it
        revision = _compare(before, snapshot, commit, moment, subject if snapshot["checked"] else None)
        if snapshot["checked"]:
            for fact_id, fact in snapshot["facts"].items():
                prior = published.get(fact_id)
                if not baseline and prior is None:
                    history.first.setdefault(fact_id, revision.date)
                if not baseline and (prior is None or prior[3] != fact[3]):
                    history.last[fact_id] = revision.date
                if not baseline and prior is not None and (prior[1], prior[4]) != (fact[1], fact[4]):
                    history.substantive[fact_id] = (revision.date, commit)
                texts[fact_id] = fact[0]
            published = snapshot["facts"]
            history.latest = {i: (fact[1], fact[4]) for i, fact in published.items()}
        for fact_id, _ in revision.retracted:
            history.retracted[fact_id] = (texts.get(fact_id), topics.get(fact_id, ""), revision.date)
        for fact_id, _ in revision.added:
            history.retracted.pop(fact_id, None)
        topics.update({i: fact[2] for i, fact in snapshot["facts"].items()})
        if not baseline and not revision.empty:
            history.revisions.append(revision)
        before, baseline = snapshot, False


def revision_texts(root: Path, revision: str) -> tuple[dict[str, bytes], list[str]]:
    """The registry files of facts/ at a revision (a name git knows), by path, and warnings.

    Read as the history reads them (names as bytes, sizes before contents); raises GitError.
    """
    prefix = run_git(root, "rev-parse", "--show-prefix").split(b"\n")[0].decode("utf-8", "surrogateescape")
    commit = run_git(root, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}").strip()
    with _Reader(root, prefix) as reader:
        tree, _, _ = reader.commit(commit.decode("ascii", "replace"))
        if tree is None:
            return {}, []
        files, problem = reader.files(tree)
        if files is None:
            return {}, [problem or "facts/ holds a file the build refuses"]
        texts, warnings = reader.texts(files)
        return texts or {}, warnings


class _MemoryCache:
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


class _Reader:
    """One repository's objects through two long-lived `git cat-file` processes (sizes; contents)."""

    def __init__(self, root: Path, prefix: str) -> None:
        self.root = root
        self.path = [p for p in prefix.split("/") if p] + ["facts"]
        self.processes: dict[str, subprocess.Popen] = {}
        self.blobs: dict[str, bytes] = {}  # the blobs of the revision before, by id
        self.width = 20  # bytes of an object id in a tree: 20 (SHA-1) or 32 (SHA-256)
        self.docs = _MemoryCache()

    def __enter__(self) -> _Reader:
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

    def commit(self, oid: str) -> tuple[str | None, str | None, str]:
        """A commit's facts/ tree id (None if it has none), its time (None if unreadable), its subject."""
        self.width = len(oid) // 2
        data = self.read(oid, b"commit", MAX_TREE_BYTES)
        if data is None:
            return None, None, ""
        head, _, message = data.partition(b"\n\n")
        lines = head.split(b"\n")
        tree = next((line[5:].decode("ascii", "replace") for line in lines if line.startswith(b"tree ")), "")
        committer = next((line for line in lines if line.startswith(b"committer ")), b"")
        return self._facts_tree(tree), _moment(committer), _subject(message)

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
        name not UTF-8 or in capitals, too many files or folders too deep.
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

    def snapshot(self, tree: str, passes: Passes) -> Snapshot:
        """What a revision's registry says, if it loads; checked by `passes`."""
        files, problem = self.files(tree)
        if files is None:
            return {"broken": True, "warnings": [problem] if problem else []}
        texts, warnings = self.texts(files)
        if texts is None or not texts:
            return {"broken": True, "warnings": warnings}
        try:
            registry, problems = load_registry_texts(texts, self.docs)
            self.docs.turn()
            if any(p.severity == "error" for p in problems):
                return {"broken": True, "warnings": []}
            checked = passes(registry)

            def shown(text: str) -> str | None:
                return str(text) if checked else None

            facts = {
                f.id: [shown(f.statement), statement_hash(f), f.topic, _digest(f), value_hash(f)]
                for f in registry.facts
            }
            disagreements = {d.id: [shown(d.subject), _hash(d.subject), _digest(d)] for d in registry.disagreements}
        except Exception as exc:  # noqa: BLE001 - a past revision's oddity never stops today's build
            return {"broken": True, "warnings": [f"its registry could not be read ({type(exc).__name__}): passed over"]}
        return {"checked": checked, "facts": facts, "disagreements": disagreements}


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


def _subject(message: bytes) -> str:
    """A commit's subject as `git log %s` gives it (its first paragraph on one line), as plain text."""
    lines = message.decode("utf-8", "replace").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    paragraph = []
    for line in lines:
        if not line.strip():
            break
        paragraph.append(line.rstrip())
    return plain_line(" ".join(paragraph))


ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the schema's id pattern: an anchor and an address part
BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def plain_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """One line of text: control and line-separating characters as spaces, direction marks and
    non-characters dropped, at most `limit` characters."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif code in BIDI or unicodedata.category(ch) in ("Cs", "Cn") or (code & 0xFFFE) == 0xFFFE:
            continue
        else:
            out.append(ch)
    line = "".join(out).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _cached(value: object) -> Snapshot | None:
    """A snapshot from the cache, as this code writes it (lists may come back as tuples); else a miss."""
    if not isinstance(value, dict):
        return None
    if value.get("broken") is True:
        warnings = value.get("warnings")
        if isinstance(warnings, (list, tuple)) and all(isinstance(w, str) for w in warnings):
            return {"broken": True, "warnings": list(warnings)}
        return None
    facts, disagreements, checked = value.get("facts"), value.get("disagreements"), value.get("checked")
    if not (isinstance(facts, dict) and isinstance(disagreements, dict) and isinstance(checked, bool)):
        return None

    def entries(items: dict, size: int) -> dict[str, list] | None:
        out = {}
        for key, entry in items.items():
            if not (
                isinstance(key, str) and ID.fullmatch(key) and isinstance(entry, (list, tuple)) and len(entry) == size
            ):
                return None
            text_ok = isinstance(entry[0], str) if checked else entry[0] is None
            if not text_ok or not all(isinstance(item, str) for item in entry[1:]):
                return None
            out[key] = list(entry)
        return out

    facts, disagreements = entries(facts, 5), entries(disagreements, 3)
    if facts is None or disagreements is None:
        return None
    return {"checked": checked, "facts": facts, "disagreements": disagreements}


def archive_stamp(folder: Path) -> str:
    """The archive's file names, sizes and times: a past revision's check stands while they do."""
    digest = hashlib.sha256()
    for here, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(here, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            line = f"{os.path.relpath(path, folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _hash(text: str) -> str:
    return hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()


def statement_hash(fact: Fact) -> str:
    """What the history compares of a fact's statement."""
    return _hash(fact.statement)


def value_hash(fact: Fact) -> str:
    """What the history compares of a fact's value: a change to it needs a correction, as one to its statement does."""
    return _hash(repr(fact.value))


def _digest(entry: object) -> str:
    """What an entry says, whatever its layout in the file (the repr leaves out where it was read)."""
    return hashlib.sha256(repr(entry).encode("utf-8", "surrogatepass")).hexdigest()


def _compare(before: Snapshot, after: Snapshot, commit: str, moment: str, subject: str | None) -> Revision:
    """What changed from one revision to the next, each text from the snapshot it is in."""
    old, new = before["facts"], after["facts"]
    added = tuple((i, new[i][0]) for i in new if i not in old)
    changed = tuple((i, old[i][0], new[i][0]) for i in new if i in old and old[i][1] != new[i][1])
    revised = tuple((i, new[i][0]) for i in new if i in old and old[i][1] == new[i][1] and old[i][3] != new[i][3])
    retracted = tuple((i, old[i][0]) for i in old if i not in new)
    old_d, new_d = before["disagreements"], after["disagreements"]
    disagreements = tuple(
        [(i, new_d[i][0], "added") for i in new_d if i not in old_d]
        + [(i, new_d[i][0], "changed") for i in new_d if i in old_d and old_d[i][1:] != new_d[i][1:]]
        + [(i, old_d[i][0], "removed") for i in old_d if i not in new_d]
    )
    return Revision(commit, moment[:10], moment, subject, added, changed, revised, retracted, disagreements)
