"""Subscriptions: an Atom feed of new and changed decisions, and an iCalendar file of the annual
cycle, so people can follow the portal in a feed reader or their calendar app.

Atom (RFC 4287) is written with the standard library's ElementTree, one entry per publication
or change of a measure, read from git: ids are `tag:` URIs (RFC 4151) and `updated` is the
commit date, so entries never change once published. Without git, each measure gets one entry
dated by its round's decision. In a shallow clone, only the commits after its boundary make
entries: the boundary commit holds every file, but says nothing of when one was published. A
feed holds the newest 500 entries. Feeds: `feed.xml` for the whole portal and
`rounds/<id>/feed.xml` per round; the feeds to follow one measure, a sector or a target area,
whose entries are what happens to a measure rather than every change, are `exports.follow`'s.

The iCalendar file (RFC 5545) is written by hand: CRLF line ends, lines folded at 75 octets,
a stable UID per milestone, DTSTAMP from the build's fixed source date (never the clock),
all-day events as VALUE=DATE, and input deadlines marked with a category, a prefix in the
summary and a reminder a week before. Files: `calendar.ics` and `rounds/<id>/calendar.ics`.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import islice
from urllib.parse import urlsplit

from prioportal.model import decisions as m
from prioportal.sources.git_history import FileChange, History, Unavailable
from prioportal.text.i18n import Formatter
from prioportal.exports.open_data.files import source_date
from prioportal.model.portal import Portal
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.change_lines import ChangeDescriber
from prioportal.text.slugs import slugify

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 500  # the newest entries a feed holds: readers poll it often, and want what is new
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str  # RFC 3339
    link: str  # relative to the site root, or absolute
    summary: str
    category: str | None
    measure: str
    round: str
    sort_key: tuple


def authority(settings: Settings) -> str:
    """The tagging authority of tag: URIs: the site's host name, or a name that cannot clash."""
    host = urlsplit(settings.site_url).hostname if settings.site_url else None
    return host or f"{slugify(settings.municipality)}.invalid"


def _tree(settings: Settings) -> str:
    """The language tree a feed or calendar belongs to ("" for the main language, "en/" ...), so
    that ids stay unique across the languages of a multilingual portal."""
    return getattr(settings, "tree", "") or ""


def _fallback_day(rnd: m.Round) -> date:
    """The date of a measure without history: the round's decision, else its latest milestone."""
    if rnd.decision is not None:
        return rnd.decision.meeting_date
    days = [ms.end_date or ms.date for ms in rnd.milestones]
    return max(days) if days else date(rnd.year, 1, 1)


def _rfc3339_day(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _clean(text: str) -> str:
    return _CONTROL.sub("", str(text))


def _newest(per_round: list[list[Entry]], limit: int) -> list[Entry]:
    """The `limit` newest entries of all rounds. Each round's are sorted already, and no two
    entries share a sort key; merging only as far as needed spares a preview a pass over the
    entries of every measure after each save."""
    return list(islice(heapq.merge(*per_round, key=lambda e: e.sort_key, reverse=True), limit))


def round_entries(settings: Settings, portal: Portal, rnd: m.Round,
                  history: History | Unavailable | None) -> list[Entry]:
    """The entries of one round's measures, newest first."""
    tr = settings.translator()
    _ = tr.gettext
    fmt = Formatter(settings.language, settings.currency)
    describe = ChangeDescriber(tr, fmt, {c.id: c for c in portal.criteria_sets})
    auth = authority(settings)
    tree = _tree(settings)
    terms = portal.criteria_set(rnd.criteria).outcomes
    entries: list[Entry] = []
    # An entry's id names the measure as its address did when feeds began, and is spelled out
    # here rather than made by `urls`: an id may never change once published (RFC 4287), even
    # if the pages were one day to move.
    for x in portal.measures_in(rnd.id):
        link = urls.absolute(settings.site_url, urls.measure(x.id))
        outcome = next((t.label for t in terms if x.outcome and t.kind is x.outcome.decision), None)
        versions: tuple[FileChange, ...] = ()
        cut_off = False
        path = portal.sources.get(f"measures:{x.id}")
        if isinstance(history, History) and path in history.files:
            # Not the boundary of a shallow clone: its date is the clone's, not the measure's.
            versions = history.files[path].known_versions
            cut_off = not history.files[path].complete
        shown = [v for v in versions if v.status == "added" or (v.status == "modified" and v.changes != ())]
        if not shown and cut_off:
            # In a shallow clone and unchanged since its boundary: when it was published is not
            # known here, and an entry dated otherwise would be a guess, and a second entry for
            # the same publication once the build has the whole history.
            continue
        if not shown:
            day = _fallback_day(rnd)
            entries.append(Entry(
                id=f"tag:{auth},{day.isoformat()}:{tree}measures/{x.id}",
                title=_("Published: {title}").format(title=x.title), updated=_rfc3339_day(day), link=link,
                summary=_clean(str(x.summary)), category=outcome, measure=x.id, round=x.round,
                sort_key=(day.isoformat(), x.id)))
            continue
        for version in shown:
            commit = version.commit
            day = datetime.fromisoformat(commit.date).date()
            if version.status == "modified":
                changes = [describe.line(c) for c in (version.changes or ())]
                title = _("Changed: {title}").format(title=x.title)
                lines = [f"{c.field}: {c.old} → {c.new}" if c.kind == "changed" else
                         f"{c.field}: {c.new if c.kind == 'added' else c.old} ({_(c.kind)})" for c in changes]
                summary = (_("Changes") + ": " + "; ".join(lines) + "\n\n" if lines else "") + str(x.summary)
            else:
                title = _("Published: {title}").format(title=x.title)
                summary = str(x.summary)
            entries.append(Entry(
                id=f"tag:{auth},{day.isoformat()}:{tree}measures/{x.id}/{commit.hash[:12]}",
                title=_clean(title), updated=commit.date, link=link, summary=_clean(summary), category=outcome,
                measure=x.id, round=x.round, sort_key=(_utc(commit.date), x.id, commit.hash)))
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries


def _utc(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(timezone.utc).isoformat()


def atom_feed(settings: Settings, first_year: int, entries: list[Entry], feed_path: str, title: str,
              page: str, fallback_updated: datetime, subtitle: str | None = None) -> bytes:
    """The Atom document for `entries`, published at `feed_path` (relative to the site root);
    `subtitle` says what its entries are (by default: every publication and change).
    Written out as text, each entry once while it is the same (`_entry_xml`): a preview writes
    the feed of a round of hundreds of measures again after each save of one of them."""
    _ = settings.translator().gettext
    # Without site_url, links are relative to the feed itself; feed readers resolve them.
    up = urls.up(feed_path)
    updated = (max(entries, key=lambda e: _utc(e.updated)).updated if entries
               else fallback_updated.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    head = "".join((
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="{ATOM}" xml:lang="{_attribute(settings.language)}">\n',
        _element("  ", "id", f"tag:{authority(settings)},{first_year}:{_tree(settings)}{feed_path}"),
        _element("  ", "title", _clean(title)),
        _element("  ", "subtitle", subtitle or _("New and changed decisions: every measure when it is published and each time it changes.")),
        _element("  ", "updated", updated),
        _element("  ", "link", None, rel="self", type="application/atom+xml", href=_href(urls.absolute(settings.site_url, feed_path), up)),
        _element("  ", "link", None, rel="alternate", type="text/html", href=_href(urls.absolute(settings.site_url, page), up)),
        "  <author>\n",
        _element("    ", "name", _clean(settings.municipality)),
        "  </author>\n",
        _element("  ", "generator", "prioportal"),
    ))
    return (head + "".join(_entry_xml(e, up) for e in entries[:FEED_LIMIT]) + "</feed>\n").encode("utf-8")


@lru_cache(maxsize=1 << 16)
def _entry_xml(e: Entry, up: str) -> str:
    return "".join((
        "  <entry>\n",
        _element("    ", "id", e.id),
        _element("    ", "title", e.title),
        _element("    ", "updated", e.updated),
        _element("    ", "link", None, rel="alternate", type="text/html", href=_href(e.link, up)),
        _element("    ", "category", None, term=slugify(e.category), label=_clean(e.category)) if e.category else "",
        _element("    ", "summary", e.summary, type="text"),
        "  </entry>\n",
    ))


def _href(link: str, up: str) -> str:
    return link if "://" in link else up + link


def _element(indent: str, tag: str, text: str | None, **attributes: str) -> str:
    """One element on a line of its own, as ElementTree writes it (an empty one as `<tag />`)."""
    attrs = "".join(f' {name}="{_attribute(value)}"' for name, value in attributes.items())
    if not text:
        return f"{indent}<{tag}{attrs} />\n"
    return f"{indent}<{tag}{attrs}>{text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</{tag}>\n"


def _attribute(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;"))


# --- iCalendar --------------------------------------------------------------------------


def ical_escape(text: str) -> str:
    return (_clean(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        size = len(char.encode("utf-8"))
        if len(current.encode("utf-8")) + size > limit:
            parts.append(current)
            current = ""
            limit = 74  # continuation lines start with a space
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(settings: Settings, rounds: list[m.Round], when: datetime, name: str) -> bytes:
    tr = settings.translator()
    _ = tr.gettext
    auth = authority(settings)
    deadline = _("Deadline for input")
    cycle = _("Annual cycle")
    about = _("The annual cycle and the deadlines for input")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//prioportal//{ical_escape(settings.municipality)}//"
             f"{settings.language.upper()}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{ical_escape(name)}", f"X-WR-CALDESC:{ical_escape(about)}"]
    for rnd in rounds:
        seen: dict[str, int] = {}
        for ms in rnd.milestones:
            base = f"{_tree(settings).replace('/', '-')}{rnd.id}-{ms.date.isoformat()}-{slugify(str(ms.title))}"
            seen[base] = seen.get(base, 0) + 1
            uid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            last = ms.end_date or ms.date
            # DTEND of an all-day event is exclusive: the day after the last. A milestone ending on
            # 9999-12-31 (a placeholder) has no day after it; DURATION says the same thing.
            span = (f"DTEND;VALUE=DATE:{(last + timedelta(days=1)).strftime('%Y%m%d')}" if last < date.max
                    else f"DURATION:P{(last - ms.date).days + 1}D")
            summary = f"{deadline}: {ms.title}" if ms.input_deadline else str(ms.title)
            description = [str(rnd.title)]
            if ms.description:
                description.append(str(ms.description))
            description += [f"{link.title}: {link.url}" for link in ms.links]
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uid}@{auth}",
                f"DTSTAMP:{_stamp(when)}",
                f"DTSTART;VALUE=DATE:{ms.date.strftime('%Y%m%d')}",
                span,
                f"SUMMARY:{ical_escape(summary)}",
                f"DESCRIPTION:{ical_escape(chr(10).join(description))}",
                f"CATEGORIES:{ical_escape(deadline if ms.input_deadline else cycle)}",
                f"URL:{urls.absolute(settings.site_url, urls.round(rnd.id))}",
                "TRANSP:TRANSPARENT",
                "STATUS:CONFIRMED",
            ]
            if ms.input_deadline:
                lines += ["X-PRIOPORTAL-INPUT-DEADLINE:TRUE", "BEGIN:VALARM", "ACTION:DISPLAY",
                          f"DESCRIPTION:{ical_escape(summary)}", "TRIGGER:-P7D", "END:VALARM"]
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


# The files, one function each: the build (`build.site_outputs.Feeds`) puts them together, and
# a preview makes again only those whose sources changed.


def feed_dates(portal: Portal, history: History | Unavailable | None) -> tuple[int, datetime]:
    """The first year of the portal (the tag: ids' date) and the date of its newest source."""
    return min((r.year for r in portal.rounds), default=2000), source_date(history, portal)


def round_feed(settings: Settings, rnd: m.Round, entries: list[Entry], first_year: int, when: datetime) -> bytes:
    """The Atom feed of one round (at `urls.round_feed`), from its `round_entries`."""
    return atom_feed(settings, first_year, entries, urls.round_feed(rnd.id), f"{settings.site_name}: {rnd.title}",
                     urls.round(rnd.id), when)


def round_calendar(settings: Settings, rnd: m.Round, when: datetime) -> bytes:
    """The iCalendar file of one round (at `urls.round_calendar`)."""
    return calendar_text(settings, [rnd], when, f"{settings.site_name}: {rnd.title}")


def newest_entries(per_round: list[list[Entry]]) -> list[Entry]:
    """The entries of the site's feed, from every round's `round_entries`."""
    return _newest(per_round, FEED_LIMIT)


def site_feed(settings: Settings, newest: list[Entry], first_year: int, when: datetime) -> bytes:
    """The Atom feed of the whole site (at `urls.feed`), from `newest_entries`."""
    _ = settings.translator().gettext
    return atom_feed(settings, first_year, newest, urls.feed(), f"{settings.site_name}: " + _("Decisions"),
                     urls.rounds(), when)


def site_calendar(settings: Settings, rounds: tuple[m.Round, ...], when: datetime) -> bytes:
    """The iCalendar file of the whole site (at `urls.calendar`)."""
    return calendar_text(settings, list(rounds), when, settings.site_name)
