"""What changed: the Changes page's view, its Atom feed, and the notices retracted facts leave.

From the history read in load/history.py. A fact id once published keeps its address: a fact
since removed leaves a notice at its anchor on its topic's page (or on the Changes page if the
topic is gone too), saying when it was retracted and what it last said when published. A text
from a revision that did not pass the checks is None there, and is shown as never published.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from briefing.render.escaping import md_text
from briefing.render.index import Index, Link, Page, day_label, page_file

FEED = "changes.xml"
FEED_ENTRIES = 50  # the newest revisions the feed carries
UNPUBLISHED = "(its text was never published: the revision that held it did not pass the checks)"
UNSHOWN_SUBJECT = "(not shown: this revision did not pass the checks)"
# What XML 1.0 allows in a document (its Char production); everything else is dropped from the feed.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def shown(text: str | None, otherwise: str = UNPUBLISHED) -> str:
    """A text from the history, or what stands for one that was never published."""
    return otherwise if text is None else text


def changes_view(index: Index, page: Page) -> dict:
    history = index.history
    facts = {f.id: f for f in index.registry.facts}
    current = {d.id for d in index.registry.disagreements}

    def fact_link(fact_id: str, statement: str | None) -> Link:
        """A link to the fact, or to its notice; no address if neither is on the site (an uncommitted removal)."""
        text = md_text(shown(statement))
        if fact_id in facts:
            return Link(text, page.href(index.fact_page(facts[fact_id]), fact_id))
        notice = retraction_page(index, fact_id)
        return Link(text, page.href(notice, fact_id) if notice else None)

    revisions = []
    for revision in reversed(history.revisions):
        revisions.append(
            {
                "date": day_label(revision.date),
                "commit": revision.commit[:10],
                "subject": md_text(shown(revision.subject, UNSHOWN_SUBJECT)),
                "added": [fact_link(i, statement) for i, statement in revision.added],
                "changed": [
                    (fact_link(i, new), md_text(shown(old)), md_text(shown(new))) for i, old, new in revision.changed
                ],
                "revised": [fact_link(i, statement) for i, statement in revision.revised],
                "retracted": [fact_link(i, statement) for i, statement in revision.retracted],
                "disagreements": [
                    (
                        Link(md_text(shown(subject)), page.href(page_file("disagreements"), d))
                        if d in current
                        else None,
                        md_text(shown(subject)),
                        kind,
                    )
                    for d, subject, kind in revision.disagreements
                ],
            }
        )
    return {
        "available": history.available,
        "reason": history.reason,
        "limit": history.limit,
        "revisions": revisions,
        "orphans": retractions(index, None, page),
        "feed": page.href(FEED),
    }


def retraction_page(index: Index, fact_id: str) -> str | None:
    """The page a retracted fact's notice is on: its topic's first page, or the Changes page; None if none has it."""
    if fact_id not in index.history.retracted:
        return None
    _, topic, _ = index.history.retracted[fact_id]
    return page_file(f"topics/{topic}") if topic in index.topics else page_file("changes")


def retractions(index: Index, topic: str | None, page: Page) -> list[dict]:
    """The notices on a topic's page (or, for `topic` None, on the Changes page)."""
    notices = []
    for fact_id, (statement, old_topic, date) in sorted(index.history.retracted.items()):
        here = old_topic == topic if topic else old_topic not in index.topics
        if here:
            text = md_text(statement) if statement is not None else None
            notices.append({"id": fact_id, "statement": text, "date": day_label(date)})
    return notices


def feed(index: Index, site_url: str) -> str:
    """The Atom feed of what changed, newest first; addresses absolute when the site's is known.

    Every text in it is escaped and stripped of what XML 1.0 does not allow in a document.
    """
    history = index.history
    base = site_url.rstrip("/") + "/" if site_url else ""
    title = _xml(f"{index.briefing.title}: what changed")
    newest = history.revisions[-1].moment if history.revisions else f"{index.briefing.as_of.iso}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{title}</title>",
        f"  <id>{_xml(base + 'changes/') if base else 'urn:briefing:changes'}</id>",
        f"  <updated>{_xml(_moment(newest))}</updated>",
        f'  <link rel="alternate" href={_xml_attribute(base + "changes/")}/>',
        f"  <author><name>{_xml(index.briefing.title)}</name></author>",
    ]
    for revision in list(reversed(history.revisions))[:FEED_ENTRIES]:
        parts = [f"Added: {shown(statement)}" for _, statement in revision.added]
        parts += [f"Changed: {shown(old)} → {shown(new)}" for _, old, new in revision.changed]
        parts += [f"Evidence or figures revised: {shown(statement)}" for _, statement in revision.revised]
        parts += [f"Retracted: {shown(statement)}" for _, statement in revision.retracted]
        parts += [f"Disagreement {kind}: {shown(subject)}" for _, subject, kind in revision.disagreements]
        summary = "\n".join(parts)
        lines += [
            "  <entry>",
            f"    <title>{_xml(revision.date + ': ' + shown(revision.subject, UNSHOWN_SUBJECT))}</title>",
            f"    <id>urn:briefing:commit:{_xml(revision.commit)}</id>",
            f"    <updated>{_xml(_moment(revision.moment))}</updated>",
            f'    <link rel="alternate" href={_xml_attribute(base + "changes/#r-" + revision.commit[:10])}/>',
            f'    <summary type="text">{_xml(summary)}</summary>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _xml(text: str) -> str:
    """Text for an XML element: escaped, without the characters XML 1.0 forbids."""
    return escape(NOT_XML.sub("", text))


def _xml_attribute(text: str) -> str:
    return quoteattr(NOT_XML.sub("", text))


def _moment(value: str) -> str:
    """An Atom date: a whole date-time; a date, a month or a year as its first midnight in UTC."""
    if "T" in value:
        return value
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    return f"{year}-{month}-{day}T00:00:00Z"
