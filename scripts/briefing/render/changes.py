"""What changed: the Changes page's view, its Atom feed, and the notices retracted facts leave.

From the history read in load/history.py and the corrections the editors wrote in the registry
(a fact's `corrections:`, the `retractions:` section). The page and the feed group the changes
by day, newest first; each says why, in the editors' words, where they wrote it, and marks the
words a change took out and put in. A correction is shown with the change in the history it
explains (the first change to its fact on or after its date); one with no such change (no
history, or a change not yet committed) under its own date.

A fact id once published keeps its address: a fact since removed leaves a notice at its anchor
on its topic's page (or on the Changes page if the topic is gone too), saying when it was
retracted, why, and what it last said when published. A text from a revision that did not pass
the checks is None there, and is shown as never published.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from briefing.load.history import Revision
from briefing.load.model import Correction, Retraction
from briefing.load.plain_text import plain_line
from briefing.render.addresses import Addresses, page_file
from briefing.render.escaping import html_text, md_text
from briefing.render.facts import Link, day_label
from briefing.render.index import Index

FEED = "changes.xml"
FEED_ENTRIES = 50  # the newest days the feed carries
SUMMARY = 280  # characters of an entry's summary
TITLE = 160  # characters of an entry's title
DIFF_CELLS = 64 * 64  # the most words x words a rewording's middle is compared by (at most ~10 ms)
COMMIT_LINE = 100  # characters of a commit's subject shown, secondary, under a day's changes
UNPUBLISHED = "(its text was never published: the revision that held it did not pass the checks)"
UNSHOWN_SUBJECT = "(not shown: this revision did not pass the checks)"
UNPUBLISHED_DAY = "Their texts were never published: the revisions that held them did not pass the checks."
# What XML 1.0 allows in a document (its Char production); everything else is dropped from the feed.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
HEADINGS = {  # each kind of change a day lists, in the order it lists them
    "retracted": "Retracted",
    "changed": "Reworded",
    "revised": "Evidence or figures revised (the statement stands)",
    "corrected": "Corrected",
    "added": "Added",
    "disagreements": "Disagreements",
}


def shown(text: str | None, otherwise: str = UNPUBLISHED) -> str:
    """A text from the history, or what stands for one that was never published."""
    return otherwise if text is None else text


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words two texts share and those only one has, in order: ("same" | "del" | "ins", words).

    The words both begin and end with are set aside first; what is left between is compared word
    by word only while that stays cheap (DIFF_CELLS), else it is all taken out and put in: a
    matcher's time grows with the cube of a repetitive text's length (a second for 330 words).
    """
    a, b = old.split(), new.split()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if len(middle_a) * len(middle_b) <= DIFF_CELLS:
        ops = SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_opcodes()
    else:
        ops = [("replace", 0, len(middle_a), 0, len(middle_b))]
    pieces = [("same", " ".join(a[:start]))] if start else []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            pieces.append(("same", " ".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", " ".join(middle_a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", " ".join(middle_b[j1:j2])))
    if end:
        pieces.append(("same", " ".join(a[len(a) - end :])))
    return pieces


_MARKS = {"del": ("<del>", "removed: ", "</del>"), "ins": ("<ins>", "added: ", "</ins>")}


def diff_markup(old: str, new: str) -> Markup:
    """The old text with the words taken out in <del> and those put in in <ins>, every word escaped.

    Each mark opens with a visually hidden "removed:" or "added:", for readers who do not see the styling.
    """
    out = []
    for kind, words in word_diff(old, new):
        if kind == "same":
            out.append(html_text(words))
            continue
        opening, label, closing = _MARKS[kind]
        out.append(
            Markup(f'{opening}<span class="md-visually-hidden">{label}</span>') + html_text(words) + Markup(closing)
        )
    return Markup(" ").join(out)


@dataclass
class Item:
    """One change to one fact or disagreement, as a reader reads it."""

    link: Link  # its current wording (or last, if retracted), linked where it is shown
    diff: Markup | None = None  # for a reworded fact: the old words with the changes marked
    reasons: list[Reason] = field(default_factory=list)
    kind: str = ""  # for a disagreement: added, changed or removed
    plain: str = ""  # its text, unescaped, for the feed's summary


@dataclass
class Day:
    """Everything that changed on one day, and the commits it came in (secondary)."""

    iso: str
    items: dict[str, list[Item]] = field(default_factory=lambda: {kind: [] for kind in HEADINGS})
    commits: list[tuple[str, str]] = field(default_factory=list)  # (short id, first line of the message)
    moment: str = ""  # the newest commit's time, for the feed

    @property
    def label(self) -> str:
        return day_label(self.iso) or self.iso

    @property
    def anchor(self) -> str:
        return f"d-{self.iso}"

    def shown_commits(self) -> list[tuple[str, Markup]]:
        return [(commit, md_text(subject)) for commit, subject in self.commits]

    def sections(self) -> list[tuple[str, str, list[Item]]]:
        return [(kind, heading, self.items[kind]) for kind, heading in HEADINGS.items() if self.items[kind]]


@dataclass(frozen=True)
class Reason:
    """The editors' word on a change: "Corrected" on a day (with what changed), or for a retraction "Why"."""

    label: str
    date: str
    reason: Markup
    change: Markup | None = None


def _reasons(entries: list[Correction | Retraction]) -> list[Reason]:
    return [
        Reason("Corrected", e.date.label, md_text(e.reason), md_text(e.change))
        if isinstance(e, Correction)
        else Reason("Why", "", md_text(e.reason))
        for e in entries
    ]


class _Reasons:
    """The registry's corrections and retraction reasons by fact id, each given to one change."""

    def __init__(self, index: Index) -> None:
        self.corrections = {f.id: sorted(f.corrections, key=lambda c: c.date.iso) for f in index.registry.facts}
        self.retractions: dict[str, list] = {}
        for entry in sorted(index.registry.retractions, key=lambda r: r.date.iso):
            self.retractions.setdefault(entry.fact, []).append(entry)

    @staticmethod
    def take(pool: dict[str, list], fact_id: str, day: str) -> list:
        """The entries for `fact_id` dated on or before `day`, no longer in the pool."""
        entries = pool.get(fact_id, [])
        taken = [e for e in entries if e.date.iso <= day]
        pool[fact_id] = entries[len(taken) :]
        return taken

    @staticmethod
    def left(pool: dict[str, list]) -> list[tuple[str, Correction | Retraction]]:
        """The entries no change took, with the id of their fact."""
        return [(fact_id, e) for fact_id, entries in pool.items() for e in entries]


def days(index: Index, page: Addresses | None) -> list[Day]:
    """The changes by day, newest first: the history's, with the reasons, and the corrections it has no change for."""
    facts = {f.id: f for f in index.registry.facts}
    current = {d.id for d in index.registry.disagreements}
    link_to = page.href if page else feed_href

    def fact_link(fact_id: str, statement: str | None) -> Link:
        """A link to the fact, or to its notice; no address if neither is on the site (an uncommitted removal)."""
        text = md_text(shown(statement))
        if fact_id in facts:
            return Link(text, link_to(index.fact_page(facts[fact_id]), fact_id))
        notice = retraction_page(index, fact_id)
        return Link(text, link_to(notice, fact_id) if notice else None)

    reasons = _Reasons(index)
    found: dict[str, Day] = {}
    for revision in index.history.revisions:
        day = found.setdefault(revision.date, Day(revision.date))
        day.moment = max(day.moment, revision.moment)
        subject = shown(revision.subject, UNSHOWN_SUBJECT)
        day.commits.append((revision.commit[:10], plain_line(subject, COMMIT_LINE)))
        _add_revision(day, revision, fact_link, reasons, link_to(page_file("disagreements"), None), current)
    for fact_id, entry in reasons.left(reasons.corrections):
        fact = facts[fact_id]
        day = found.setdefault(entry.date.iso, Day(entry.date.iso))
        item = Item(fact_link(fact.id, fact.statement), reasons=_reasons([entry]), plain=entry.reason)
        day.items["corrected"].append(item)
    for _, entry in reasons.left(reasons.retractions):
        day = found.setdefault(entry.date.iso, Day(entry.date.iso))
        statement = index.history.retracted.get(entry.fact, (None,))[0]
        item = Item(fact_link(entry.fact, statement or entry.fact), reasons=_reasons([entry]), plain=entry.reason)
        day.items["retracted"].append(item)
    return [found[iso] for iso in sorted(found, reverse=True)]


def _add_revision(day: Day, revision: Revision, fact_link, reasons: _Reasons, disputes: str, current: set) -> None:
    """One revision's changes into its day, each with the reasons given for it."""
    take = reasons.take
    for fact_id, statement in revision.added:
        day.items["added"].append(Item(fact_link(fact_id, statement), plain=shown(statement)))
    for fact_id, old, new in revision.changed:
        diff = diff_markup(old, new) if old is not None and new is not None else None
        why = _reasons(take(reasons.corrections, fact_id, revision.date))
        day.items["changed"].append(Item(fact_link(fact_id, new), diff, why, plain=_plain(why, new)))
    for fact_id, statement in revision.revised:
        why = _reasons(take(reasons.corrections, fact_id, revision.date))
        day.items["revised"].append(Item(fact_link(fact_id, statement), None, why, plain=_plain(why, statement)))
    for fact_id, statement in revision.retracted:
        why = _reasons(take(reasons.retractions, fact_id, revision.date))
        day.items["retracted"].append(Item(fact_link(fact_id, statement), None, why, plain=_plain(why, statement)))
    for d, subject, kind in revision.disagreements:
        link = Link(md_text(shown(subject)), disputes + f"#{d}" if d in current else None)
        day.items["disagreements"].append(Item(link, kind=kind, plain=shown(subject)))


def _plain(reasons: list, statement: str | None) -> str:
    """What the feed's summary says of a change: the editors' reason, else the statement."""
    return str(reasons[-1].reason.unescape()) if reasons else shown(statement)


def changes_view(index: Index, page: Addresses) -> dict:
    history = index.history
    return {
        "available": history.available,
        "reason": history.reason,
        "limit": history.limit,
        "days": days(index, page),
        "orphans": retractions(index, None, page),
        "feed": page.href(FEED),
    }


def retraction_page(index: Index, fact_id: str) -> str | None:
    """The page a retracted fact's notice is on: its topic's first page, or the Changes page; None if none has it."""
    if fact_id not in index.history.retracted:
        return None
    _, topic, _ = index.history.retracted[fact_id]
    return page_file(f"topics/{topic}") if topic in index.topics else page_file("changes")


def retractions(index: Index, topic: str | None, page: Addresses) -> list[dict]:
    """The notices on a topic's page (or, for `topic` None, on the Changes page), each with its editors' reason."""
    why: dict[str, list] = {}
    for entry in sorted(index.registry.retractions, key=lambda r: r.date.iso):
        why.setdefault(entry.fact, []).append(entry)
    notices = []
    for fact_id, (statement, old_topic, date) in sorted(index.history.retracted.items()):
        here = old_topic == topic if topic else old_topic not in index.topics
        if here:
            text = md_text(statement) if statement is not None else None
            reasons = [md_text(e.reason) for e in why.get(fact_id, [])]
            notices.append({"id": fact_id, "statement": text, "date": day_label(date), "reasons": reasons})
    return notices


def feed_href(target: str | None, anchor: str | None = None) -> str:
    """A page's address from the site's root, for the feed: 'topics/funding/index.md' -> 'topics/funding/'."""
    path = (target or "").removesuffix("index.md")
    return path + (f"#{anchor}" if anchor else "")


def feed_id(index: Index, base: str) -> str:
    """The feed's own id, one per briefing: its address when the site's is known, else a name made from
    the briefing's subject and the first commit of its repository (the same in every clone)."""
    if base:
        return base + "changes/"
    origin = f"{index.settings.subject}\n{index.briefing.subject}\n{index.history.origin}"
    return uuid.uuid5(uuid.NAMESPACE_URL, "briefing:" + origin).urn


def feed(index: Index, site_url: str) -> str:
    """The Atom feed of what changed, a day an entry, newest first; addresses absolute when the site's is known.

    Every text in it is escaped and stripped of what XML 1.0 does not allow in a document.
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    title = _xml(f"{index.briefing.title}: what changed")
    identity = feed_id(index, base)
    shown_days = days(index, None)[:FEED_ENTRIES]
    newest = max([d.moment for d in shown_days if d.moment], default="") or index.briefing.as_of.iso
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{title}</title>",
        f"  <id>{_xml(identity)}</id>",
        f"  <updated>{_xml(_moment(newest))}</updated>",
        f'  <link rel="alternate" href={_xml_attribute(base + "changes/")}/>',
        f"  <author><name>{_xml(index.briefing.title)}</name></author>",
    ]
    for day in shown_days:
        entry_id = f"{base}changes/#{day.anchor}" if base else uuid.uuid5(uuid.UUID(identity[9:]), day.iso).urn
        lines += [
            "  <entry>",
            f"    <title>{_xml(entry_title(day))}</title>",
            f"    <id>{_xml(entry_id)}</id>",
            f"    <updated>{_xml(_moment(day.moment or day.iso))}</updated>",
            f'    <link rel="alternate" href={_xml_attribute(base + "changes/#" + day.anchor)}/>',
            f'    <summary type="text">{_xml(entry_summary(day))}</summary>',
            f'    <content type="html">{_xml(entry_html(day, base))}</content>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _readable(day: Day) -> list[tuple[str, Item]]:
    """The day's changes as (what, item), retractions first; those whose text was published before the rest."""
    items = [
        ("Disagreement " + item.kind if kind == "disagreements" else heading.split(" (")[0], item)
        for kind, heading, items in day.sections()
        for item in items
    ]
    return sorted(items, key=lambda pair: pair[1].plain == UNPUBLISHED)


def entry_title(day: Day) -> str:
    """What changed that day, in a line: its first change, and how many more there are."""
    items = _readable(day)
    what, item = items[0]
    if item.plain == UNPUBLISHED:
        return f"{day.label}: {len(items)} change{'s' if len(items) > 1 else ''} whose text was never published"
    more = len(items) - 1
    tail = f" (and {more} more change{'s' if more > 1 else ''})" if more else ""
    return plain_line(f"{day.label}: {what}: {item.link.text.unescape()}", TITLE - len(tail)) + tail


def entry_summary(day: Day) -> str:
    """A short summary: the reasons or texts of the day's changes, at most SUMMARY characters."""
    parts = [f"{what}: {item.plain}" for what, item in _readable(day) if item.plain != UNPUBLISHED]
    return plain_line("; ".join(parts) or UNPUBLISHED_DAY, SUMMARY)


def entry_html(day: Day, base: str) -> str:
    """The day's changes as HTML (escaped again by the feed): each linked, reworded ones with their marked words."""
    out = []
    for _, heading, items in day.sections():
        out.append(f"<h3>{html_text(heading)}</h3><ul>")
        for item in items:
            text = item.link.text
            if item.link.href:
                text = Markup('<a href="{}">').format(base + item.link.href) + text + Markup("</a>")
            line = [text + (f" ({item.kind})" if item.kind else "")]
            if item.diff:
                line.append(Markup("<br>Wording: ") + item.diff)
            line += [Markup("<br>{}: {}").format(f"{r.label} {r.date}".strip(), r.reason) for r in item.reasons]
            line += [Markup(" What changed: {}").format(r.change) for r in item.reasons if r.change]
            out.append(f"<li>{''.join(line)}</li>")
        out.append("</ul>")
    if day.commits:
        shown_commits = "; ".join(f"{c} {html_text(s)}" for c, s in day.commits)
        out.append(f"<p><small>Commits: {shown_commits}</small></p>")
    return "".join(out)


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
