"""Corrections and retractions: a published change to what a fact says carries the editors' reason.

Of the registry alone: a `retractions:` entry names a fact that is no longer in it, and no
correction or retraction is dated after today (such a date would satisfy the rule below for good).

Of the registry against its history (a build reads it): a fact whose statement or value changed
in the newest revision of facts/ (the commit being proposed), or since it (not yet committed),
has a correction dated on or after that change; a fact the newest revision retracted has a
retraction entry, unless readers never saw it (its text never passed the checks); a retraction
names a fact the history published and removed (a typo would leave the real one without its
reason); no correction or retraction is dated before its fact was first published. These are
warnings (errors with --strict), at the fact's statement or where the reason would go. Older revisions are left alone: they were published before the rule, or past the build
that would have said so, and a correction can be added to them at any time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from briefing.load.history import History, statement_hash, value_hash
from briefing.load.model import Registry, Retraction
from briefing.problems import Loc, Problem, error, warning


def check_retractions(registry: Registry, today: date | None = None) -> list[Problem]:
    """A retraction names a fact that is gone; no correction or retraction is dated after `today` (a day's grace)."""
    current = {f.id for f in registry.facts}
    present = [r for r in registry.retractions if r.fact in current]
    problems = [
        error(at, text, "remove the fact as well, or this entry if the fact stands", code="retraction-of-present-fact")
        for at, text in _retractions(present, "that fact is still in the registry")
    ]
    latest = ((today or date.today()) + timedelta(days=1)).isoformat()  # a time zone ahead may be a day on
    dated = [*registry.retractions, *(c for f in registry.facts for c in f.corrections)]
    problems += [
        error(
            entry.origin.at("date"),
            f"dated {entry.date.iso}, after today: a correction or a retraction says when it was made",
            code="dated-after-today",
        )
        for entry in dated
        if entry.date.iso > latest
    ]
    return problems


def _retractions(entries: list[Retraction], message: str) -> list[tuple[Loc, str]]:
    """Where each retraction's problem goes and what it says, so the two retraction checks word it alike."""
    return [(e.origin.at("fact"), f"retraction of '{e.fact}': {message}") for e in entries]


def check_corrections(registry: Registry, history: History, strict: bool) -> list[Problem]:
    """Recent changes to a fact's statement or value, and recent retractions, that give no reason."""
    if not history.available or not history.revisions:
        return []
    report = error if strict else warning
    newest = history.revisions[-1]
    problems = []
    for fact in registry.facts:
        changed, commit = history.substantive.get(fact.id, ("", ""))
        before = history.latest.get(fact.id)
        if before is not None and before != (statement_hash(fact), value_hash(fact)):
            changed = newest.date  # changed since the newest revision: not committed yet
        elif commit != newest.commit:
            continue
        if not any(c.date.iso >= changed for c in fact.corrections):
            problems.append(
                report(
                    fact.origin.at("statement"),
                    f"fact '{fact.id}': its statement or value changed on {changed} without a correction",
                    f"add under the fact: corrections: [{{date: {changed}, change: what changed, reason: why}}]",
                    code="correction-missing",
                )
            )
    if not history.limit:  # the whole history was read: every retraction in it is known
        current = {f.id for f in registry.facts}
        unknown = [r for r in registry.retractions if r.fact not in history.retracted and r.fact not in current]
        problems += [
            report(at, text, "check the id against the Changes page", code="retraction-unknown")
            for at, text in _retractions(unknown, "no revision in the history published and removed that fact")
        ]
    problems += _dated_before_publication(registry, history, report)
    given = {r.fact for r in registry.retractions}
    for fact_id, statement in newest.retracted:
        if fact_id not in given and fact_id in history.retracted and statement is not None:
            problems.append(
                report(
                    _retractions_place(registry, history.retracted[fact_id][1]),
                    f"fact '{fact_id}' was retracted on {newest.date} without a reason",
                    f"add to a registry file: retractions: [{{fact: {fact_id}, date: {newest.date}, reason: why}}]",
                    code="retraction-missing",
                )
            )
    return problems


def _dated_before_publication(registry: Registry, history: History, report: Callable[..., Problem]) -> list[Problem]:
    """Corrections and retractions dated before their fact was first published: such a date tells readers
    of a change before there was anything to change (and would be shown before the briefing began)."""
    dated = [(f.id, c) for f in registry.facts for c in f.corrections]
    dated += [(r.fact, r) for r in registry.retractions]
    return [
        report(
            entry.origin.at("date"),
            f"dated {entry.date.iso}, before fact '{fact_id}' was first published on {history.first[fact_id]}",
            "date it on the day the correction or the retraction was made",
            code="dated-before-fact",
        )
        for fact_id, entry in dated
        if fact_id in history.first and entry.date.iso < history.first[fact_id]
    ]


def _retractions_place(registry: Registry, topic: str) -> Loc:
    """Where a reason would go: the `retractions:` section, else the file that holds the topic's other facts."""
    if registry.retractions:
        return registry.retractions[0].origin.doc.key_loc(("retractions",))
    doc = next((f.origin.doc for f in registry.facts if f.topic == topic), None)
    doc = doc or next((f.origin.doc for f in registry.facts), None)
    return Loc(doc.path) if doc else Loc("facts")
