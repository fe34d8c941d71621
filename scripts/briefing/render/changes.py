"""What changed: the Changes page's view, its Atom feed, and the notices retracted facts leave.

From the history read in load/history.py. A fact id once published keeps its address: a fact
since removed leaves a notice at its anchor on its topic's page (or on the Changes page if the
topic is gone too), saying when it was retracted and what it said.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from briefing.render.escaping import md_text
from briefing.render.index import Index, Link, Page, day_label, page_file

FEED = "changes.xml"
FEED_ENTRIES = 50  # the newest revisions the feed carries


def changes_view(index: Index, page: Page) -> dict:
    history = index.history
    facts = {f.id: f for f in index.registry.facts}
    current = {d.id for d in index.registry.disagreements}

    def fact_link(fact_id: str, statement: str) -> Link:
        if fact_id in facts:
            return Link(md_text(statement), page.href(index.fact_page(facts[fact_id]), fact_id))
        return Link(md_text(statement), page.href(retraction_page(index, fact_id), fact_id))

    revisions = []
    for revision in reversed(history.revisions):
        revisions.append(
            {
                "date": day_label(revision.date),
                "commit": revision.commit[:10],
                "subject": md_text(revision.subject),
                "added": [fact_link(i, statement) for i, statement in revision.added],
                "changed": [(fact_link(i, new), md_text(old), md_text(new)) for i, old, new in revision.changed],
                "revised": [fact_link(i, statement) for i, statement in revision.revised],
                "retracted": [fact_link(i, statement) for i, statement in revision.retracted],
                "disagreements": [
                    (
                        Link(md_text(subject), page.href(page_file("disagreements"), d)) if d in current else None,
                        md_text(subject),
                        kind,
                    )
                    for d, subject, kind in revision.disagreements
                ],
            }
        )
    return {
        "available": history.available,
        "reason": history.reason,
        "revisions": revisions,
        "orphans": retractions(index, None, page),
        "feed": page.href(FEED),
    }


def retraction_page(index: Index, fact_id: str) -> str:
    """The page a retracted fact's notice is on: its topic's first page, or the Changes page."""
    _, topic, _ = index.history.retracted[fact_id]
    return page_file(f"topics/{topic}") if topic in index.topics else page_file("changes")


def retractions(index: Index, topic: str | None, page: Page) -> list[dict]:
    """The notices on a topic's page (or, for `topic` None, on the Changes page)."""
    notices = []
    for fact_id, (statement, old_topic, date) in sorted(index.history.retracted.items()):
        here = old_topic == topic if topic else old_topic not in index.topics
        if here:
            notices.append({"id": fact_id, "statement": md_text(statement), "date": day_label(date)})
    return notices


def feed(index: Index, site_url: str) -> str:
    """The Atom feed of what changed, newest first; addresses absolute when the site's is known."""
    history = index.history
    base = site_url.rstrip("/") + "/" if site_url else ""
    title = escape(f"{index.briefing.title}: what changed")
    newest = history.revisions[-1].moment if history.revisions else f"{index.briefing.as_of.iso}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{title}</title>",
        f"  <id>{escape(base + 'changes/') if base else 'urn:briefing:changes'}</id>",
        f"  <updated>{escape(_moment(newest))}</updated>",
        f'  <link rel="alternate" href={quoteattr(base + "changes/")}/>',
        f"  <author><name>{escape(index.briefing.title)}</name></author>",
    ]
    for revision in list(reversed(history.revisions))[:FEED_ENTRIES]:
        parts = [f"Added: {statement}" for _, statement in revision.added]
        parts += [f"Changed: {old} → {new}" for _, old, new in revision.changed]
        parts += [f"Evidence or figures revised: {statement}" for _, statement in revision.revised]
        parts += [f"Retracted: {statement}" for _, statement in revision.retracted]
        parts += [f"Disagreement {kind}: {subject}" for _, subject, kind in revision.disagreements]
        summary = "\n".join(parts)
        lines += [
            "  <entry>",
            f"    <title>{escape(revision.date + ': ' + revision.subject)}</title>",
            f"    <id>urn:briefing:commit:{escape(revision.commit)}</id>",
            f"    <updated>{escape(_moment(revision.moment))}</updated>",
            f'    <link rel="alternate" href={quoteattr(base + "changes/#r-" + revision.commit[:10])}/>',
            f'    <summary type="text">{escape(summary)}</summary>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _moment(value: str) -> str:
    """An Atom date: a whole date-time; a date, a month or a year as its first midnight in UTC."""
    if "T" in value:
        return value
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    return f"{year}-{month}-{day}T00:00:00Z"
