"""The registry's history, read from git: what each commit to facts/ added, changed and retracted.

Each revision of facts/ is loaded as the build loads the working tree (`load_registry_texts`),
reduced to what readers follow (each fact's statement and topic and a digest of all the rest,
each disagreement's subject and a digest) and compared with the one before. Without git or with a shallow clone, the
history is "not available", with the reason, and the site says so.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from briefing.load.registry import Registry, load_registry_texts

# {"facts": {id: (statement, topic, digest)}, "disagreements": {id: (subject, digest)}}, or
# {"broken": True} for a commit whose registry did not load.
Snapshot = dict


@dataclass(frozen=True)
class Revision:
    """One commit to facts/, as readers see it."""

    commit: str
    date: str  # YYYY-MM-DD, the commit's date
    moment: str  # the commit's time, ISO 8601 (for the feed)
    subject: str
    added: tuple[tuple[str, str], ...] = ()  # (fact id, its statement)
    changed: tuple[tuple[str, str, str], ...] = ()  # (fact id, old statement, new statement)
    revised: tuple[tuple[str, str], ...] = ()  # (fact id, statement): the same words, other evidence or figures
    retracted: tuple[tuple[str, str], ...] = ()  # (fact id, its last statement)
    disagreements: tuple[tuple[str, str, str], ...] = ()  # (id, subject, "added" | "changed" | "removed")

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
    retracted: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> (statement, topic, date)


def read_history(root: Path, current: Registry, cache: dict | None = None) -> History:
    """The history of facts/ in the git repository around `root`; `cache` keeps snapshots by commit."""
    try:
        log = _git(root, "log", "--reverse", "--format=%H%x09%cI%x09%s", "--", "facts")
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        return History(False, "this copy of the project has no git history")
    if shallow:
        return History(False, "this copy of the project has only part of its git history (a shallow clone)")
    history = History(True)
    before: Snapshot = {"facts": {}, "disagreements": {}}
    topics: dict[str, str] = {}
    for line in log.splitlines():
        commit, moment, subject = line.split("\t", 2)
        snapshot = cache.get(commit) if cache is not None else None
        if snapshot is None:
            snapshot = _snapshot(root, commit)
            if cache is not None:
                cache[commit] = snapshot
        if snapshot.get("broken"):
            continue  # a commit whose registry did not load (its build was refused): compare past it
        revision = _compare(before, snapshot, commit, moment, subject)
        for fact_id, _ in revision.added:
            history.first.setdefault(fact_id, revision.date)
            history.last[fact_id] = revision.date
            history.retracted.pop(fact_id, None)
        for fact_id in [c[0] for c in revision.changed] + [r[0] for r in revision.revised]:
            history.last[fact_id] = revision.date
        for fact_id, statement in revision.retracted:
            history.retracted[fact_id] = (statement, topics.get(fact_id, ""), revision.date)
        topics.update({i: fact[1] for i, fact in snapshot["facts"].items()})
        if not revision.empty:
            history.revisions.append(revision)
        before = snapshot
    current_ids = {f.id for f in current.facts}
    history.retracted = {i: v for i, v in history.retracted.items() if i not in current_ids}
    return history


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, text=True).stdout


def _snapshot(root: Path, commit: str) -> Snapshot:
    names = _git(root, "ls-tree", "-r", "--name-only", commit, "--", "facts").splitlines()
    texts = {}
    for name in sorted(n for n in names if n.endswith((".yaml", ".yml"))):
        texts[name] = subprocess.run(
            ["git", "show", f"{commit}:{name}"], cwd=root, capture_output=True, check=True
        ).stdout
    registry, problems = load_registry_texts(texts)
    if any(p.severity == "error" for p in problems):
        return {"broken": True}
    return {
        "facts": {f.id: (f.statement, f.topic, _digest(f)) for f in registry.facts},
        "disagreements": {d.id: (d.subject, _digest(d)) for d in registry.disagreements},
    }


def _digest(entry: object) -> str:
    """What an entry says, whatever its layout in the file (the repr leaves out where it was read)."""
    return hashlib.sha256(repr(entry).encode()).hexdigest()


def _compare(before: Snapshot, after: Snapshot, commit: str, moment: str, subject: str) -> Revision:
    old, new = before["facts"], after["facts"]
    added = tuple((i, new[i][0]) for i in new if i not in old)
    changed = tuple((i, old[i][0], new[i][0]) for i in new if i in old and old[i][0] != new[i][0])
    revised = tuple((i, new[i][0]) for i in new if i in old and old[i][0] == new[i][0] and old[i][2] != new[i][2])
    retracted = tuple((i, old[i][0]) for i in old if i not in new)
    old_d, new_d = before["disagreements"], after["disagreements"]
    disagreements = tuple(
        [(i, new_d[i][0], "added") for i in new_d if i not in old_d]
        + [(i, new_d[i][0], "changed") for i in new_d if i in old_d and old_d[i] != new_d[i]]
        + [(i, old_d[i][0], "removed") for i in old_d if i not in new_d]
    )
    return Revision(commit, moment[:10], moment, subject, added, changed, revised, retracted, disagreements)
