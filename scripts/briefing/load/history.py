"""The registry's history, read from git: what each revision of facts/ added, changed and retracted.

A pull request can carry any commit, so git is read as plain data: one NUL-separated list of
the commits on the first-parent line that touch facts/, then each revision's facts/ through
revisions.py (git's objects with limits, every name and message decoded from bytes with
replacement). Each revision is
loaded as the build loads the working tree and then checked as the build checks it (the
`passes` callable, the quotes against the archive): a revision that does not load is passed
over; the text of one that fails the checks of its own time is never shown (`None` below), only
that it was there. A check that came in later (RULES_SINCE) does not hold a revision committed
before it: that revision was published as it stands, and readers should see what it said. A
commit's time is the latest on the first-parent line up to it, so a backdated commit is judged
at the time of the one it follows. At most the newest MAX_REVISIONS revisions are read.
Snapshots are kept as JSON-compatible values by the tree id of facts/, so a warm build reads no
blob again. Without git or with a shallow clone, the history is "not available", with the reason.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.load.cache import ParseCache
from briefing.load.git import GitError, run_git
from briefing.load.model import Fact, Registry
from briefing.load.plain_text import plain_line
from briefing.load.registry import load_registry_texts
from briefing.load.revisions import RevisionReader

MAX_REVISIONS = 500  # the newest revisions of facts/ read; older ones are only in git
HISTORY = "history"  # the parse cache's map: the archive's stamp, and the snapshots checked against it

# A snapshot, JSON-compatible (it is kept in the parse cache):
#   {"broken": True, "warnings": [...]} for a revision whose registry did not load, or
#   {"unloaded": [code, ...], "errors": [code, ...],
#    "facts": {id: [statement, statement hash, topic, digest, value hash]},
#    "disagreements": {id: [subject, subject hash, digest]}}
# where `unloaded` are the codes of what today's loader refuses in it (only those of a schema
# that changed since, else the revision is broken) and `errors` those of what today's checks
# refuse; its texts are shown only if none of them held at the commit's time (`_withheld` sets
# them to None otherwise), and it is passed over like a broken one if a load error held then.
Snapshot = dict
Passes = Callable[[Registry], Collection[str]]  # the build's checks on a past revision: its errors' codes

# Checks that came in, or last grew stricter, after the registry format began (2026-11-23), with
# the time (UTC) from which the generator refused what they refuse. A revision committed before a
# check's time was published without it, so an error of that check alone does not withhold its
# text. A check not listed holds at every time: schema, ids, sources, quotes against the archive.
# A new check, or one made stricter, that past revisions may fail goes in here with its time.
RULES_SINCE = {
    code: datetime.fromisoformat(moment)
    for moment, codes in {
        # unknown-field: the schema dropped a source's original_publisher (for based_on) then
        "2026-12-02T05:51:20+00:00": ("claim-without-party-words", "unknown-field"),
        "2026-12-07T01:31:28+00:00": ("same-document",),
        # a quote on word and number boundaries (f442878), then apostrophes and footnote digits
        "2026-12-07T01:35:38+00:00": ("quote-cut-mid-word",),
        "2026-12-07T01:38:04+00:00": (
            "source-lacks-figures",
            "source-lacks-dates",
            "no-supporting-citation",
            "version-only-context",
        ),
        "2026-12-07T01:38:56+00:00": ("speaker-not-in-paragraph", "via-not-in-paragraph", "vague-via"),
        "2026-12-07T01:40:18+00:00": (
            "unreadable-figure",
            "figure-not-quoted",
            "figure-currency",
            "qualifier-dropped",
            "qualifier-changed",
            "amount-not-quoted",
            "amount-currency",
            "amount-qualifier",
        ),
        "2026-12-07T01:49:09+00:00": (
            "excerpt-not-found",
            "excerpt-across-sentences",
            "excerpt-ambiguous",
            "omitted-twice",
            "omitted-but-quoted",
        ),
    }.items()
    for code in codes
}


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
    with RevisionReader(root, prefix) as reader:
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
    reader: RevisionReader,
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
    before: Snapshot = {"unloaded": [], "errors": [], "facts": {}, "disagreements": {}}
    published: dict[str, list] = {}  # the facts of the last revision that passed the checks
    texts: dict[str, str] = {}  # fact id -> its last statement that passed the checks
    subjects: dict[str, str] = {}  # disagreement id -> its last subject that passed the checks
    topics: dict[str, str] = {}
    clock: datetime | None = None  # the latest commit time on the line so far
    for commit in commits:
        tree, moment, message = reader.commit(commit)
        if moment is not None:  # a commit dated before one it follows is judged at that one's time
            clock = max(clock or datetime.fromisoformat(moment), datetime.fromisoformat(moment))
        snapshot = (used.get(tree) or _cached(known.get(tree))) if tree else None
        if snapshot is None:
            snapshot = _snapshot(reader, tree, passes) if tree else {"broken": True, "warnings": []}
        if tree:
            used[tree] = snapshot
        history.warnings += [f"commit {commit[:10]}: {warning}" for warning in snapshot.get("warnings", [])]
        if snapshot.get("broken") or moment is None or not passed_then(snapshot["unloaded"], clock):
            continue  # a revision that did not load (its build was refused): compare past it
        checked = passed_then(snapshot["errors"], clock)
        snapshot = snapshot if checked else _withheld(snapshot)
        revision = _compare(before, snapshot, commit, moment, _subject(message) if checked else None)
        if checked:
            for fact_id, fact in snapshot["facts"].items():
                prior = published.get(fact_id)
                if not baseline and prior is None:
                    history.first.setdefault(fact_id, revision.date)
                if not baseline and (prior is None or prior[3] != fact[3]):
                    history.last[fact_id] = revision.date
                if not baseline and prior is not None and (prior[1], prior[4]) != (fact[1], fact[4]):
                    history.substantive[fact_id] = (revision.date, commit)
                texts[fact_id] = fact[0]
            subjects.update({i: entry[0] for i, entry in snapshot["disagreements"].items()})
            published = snapshot["facts"]
            history.latest = {i: (fact[1], fact[4]) for i, fact in published.items()}
        for fact_id, _ in revision.retracted:
            history.retracted[fact_id] = (texts.get(fact_id), topics.get(fact_id, ""), revision.date)
        for fact_id, _ in revision.added:
            history.retracted.pop(fact_id, None)
        topics.update({i: fact[2] for i, fact in snapshot["facts"].items()})
        if not baseline and not revision.empty:
            history.revisions.append(revision)
        # What the next revision's old texts are: what readers last saw, not a withheld revision's
        before, baseline = (snapshot if checked else _last_seen(snapshot, texts, subjects)), False


def _snapshot(reader: RevisionReader, tree: str, passes: Passes) -> Snapshot:
    """What a revision's registry says, if it loads; checked by `passes`."""
    files, problem = reader.files(tree)
    if files is None:
        return {"broken": True, "warnings": [problem] if problem else []}
    texts, warnings = reader.texts(files)
    if texts is None or not texts:
        return {"broken": True, "warnings": warnings}
    try:
        registry, problems = load_registry_texts(texts, reader.docs)
        reader.docs.turn()
        unloaded = sorted({p.code for p in problems if p.severity == "error"})
        if any(code not in RULES_SINCE for code in unloaded):
            return {"broken": True, "warnings": []}
        errors = sorted(set(passes(registry)))
        facts = {
            f.id: [str(f.statement), statement_hash(f), f.topic, _digest(f), value_hash(f)] for f in registry.facts
        }
        disagreements = {d.id: [str(d.subject), _hash(d.subject), _digest(d)] for d in registry.disagreements}
    except Exception as exc:  # noqa: BLE001 - a past revision's oddity never stops today's build
        return {"broken": True, "warnings": [f"its registry could not be read ({type(exc).__name__}): passed over"]}
    return {"unloaded": unloaded, "errors": errors, "facts": facts, "disagreements": disagreements}


def _last_seen(snapshot: Snapshot, texts: dict[str, str], subjects: dict[str, str]) -> Snapshot:
    """A withheld snapshot with the texts readers last saw of its entries (None for those never published)."""
    return {
        **snapshot,
        "facts": {i: [texts.get(i), *entry[1:]] for i, entry in snapshot["facts"].items()},
        "disagreements": {i: [subjects.get(i), *entry[1:]] for i, entry in snapshot["disagreements"].items()},
    }


def passed_then(errors: list[str], when: datetime) -> bool:
    """Whether a revision committed at `when` passed the checks of its time: each error's check came in later."""
    return all(code in RULES_SINCE and when < RULES_SINCE[code] for code in errors)


def _withheld(snapshot: Snapshot) -> Snapshot:
    """The snapshot as readers may see it when its revision did not pass: every text None."""
    return {
        "unloaded": snapshot["unloaded"],
        "errors": snapshot["errors"],
        "facts": {i: [None, *entry[1:]] for i, entry in snapshot["facts"].items()},
        "disagreements": {i: [None, *entry[1:]] for i, entry in snapshot["disagreements"].items()},
    }


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


def _cached(value: object) -> Snapshot | None:
    """A snapshot from the cache, as this code writes it (lists may come back as tuples); else a miss."""
    if not isinstance(value, dict):
        return None
    if value.get("broken") is True:
        warnings = value.get("warnings")
        if isinstance(warnings, (list, tuple)) and all(isinstance(w, str) for w in warnings):
            return {"broken": True, "warnings": list(warnings)}
        return None
    facts, disagreements = value.get("facts"), value.get("disagreements")
    codes = [value.get("unloaded"), value.get("errors")]
    if not (isinstance(facts, dict) and isinstance(disagreements, dict)):
        return None
    if not all(isinstance(found, (list, tuple)) and all(isinstance(c, str) for c in found) for found in codes):
        return None

    def entries(items: dict, size: int) -> dict[str, list] | None:
        out = {}
        for key, entry in items.items():
            if not (
                isinstance(key, str) and ID.fullmatch(key) and isinstance(entry, (list, tuple)) and len(entry) == size
            ):
                return None
            if not all(isinstance(item, str) for item in entry):
                return None
            out[key] = list(entry)
        return out

    facts, disagreements = entries(facts, 5), entries(disagreements, 3)
    if facts is None or disagreements is None:
        return None
    unloaded, errors = (sorted(set(found)) for found in codes)
    return {"unloaded": unloaded, "errors": errors, "facts": facts, "disagreements": disagreements}


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
