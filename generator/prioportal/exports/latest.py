"""The latest decisions, for the municipality's own website: an HTML fragment to include
(`embed/latest.html`) and a JSON Feed 1.1 (`feed.json`) to fetch.

A measure is decided when its round has a decision record (who decided, on which day, in which
case) and the measure an outcome. The latest are those of the newest decision meetings, each
round's measures by rank, with every outcome among them (not only the funded measures at the top
of the ranking); the day is the meeting's, from the decision file, so neither file
needs the git history (nor changes with a shallow clone). Links are absolute with `site_url`,
else relative to the file, which only works where it is published: a website that includes
the fragment or shows the feed's items needs the site's `site_url`.

The fragment is the theme's `embed_latest.html`: one section with a heading, a list and a link
to every decision, in the portal's language (`lang`), with no style, script or image of its
own, so it takes on the look of the page it is included in. The JSON Feed
(https://www.jsonfeed.org/version/1.1/) has an item per decision, its outcome in words
(`content_text`, `tags`) and, for programs, the fixed values under `_prioportal` (the spec's
way of extending an item).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import jinja2

from prioportal.exports.feeds import authority
from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.contexts import EmbedLatestContext, template_names
from prioportal.site.listings import every_kind_first
from prioportal.text.i18n import Formatter

EMBED_LIMIT = 10  # the fragment: a box on the municipality's front page, not an archive
FEED_LIMIT = 50  # the JSON Feed: a CMS can show fewer, and filter by outcome or sector
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Decided:
    """One decided measure, as the fragment and the feed show it."""

    measure: m.Measure
    url: str  # the measure's page: absolute with site_url, else relative to the site root
    outcome: str  # the outcome as the round's criteria name it, e.g. "Fullt finansiert"
    outcome_kind: str  # the fixed value, e.g. "funded"
    decided_by: str  # the body that decided, e.g. "Kommunestyret"
    day: date  # the decision meeting's day
    round: m.Round
    case_url: str | None  # the case in the public record (settings.case_url), if set


def latest_decisions(settings: Settings, portal: Portal, limit: int) -> list[Decided]:
    """At most `limit` decided measures of the newest decision meetings: newest meeting first,
    then by round, rank (unranked last) and id, so the same portal always gives the same list.
    Every outcome is there before a second of any (`every_kind_first`): the highest-ranked
    measures of a round, which a short list would otherwise be, were all funded."""
    found: list[tuple[tuple, Decided]] = []
    for rnd in portal.rounds:
        if rnd.decision is None:
            continue
        terms = {t.kind: t.label for t in portal.criteria_set(rnd.criteria).outcomes}
        for x in portal.measures_in(rnd.id):
            if x.outcome is None:
                continue
            kind = x.outcome.decision
            decided = Decided(
                measure=x, url=urls.absolute(settings.site_url, urls.measure(x.id)),
                outcome=str(terms.get(kind, kind.value)), outcome_kind=kind.value,
                decided_by=str(rnd.decision.body), day=rnd.decision.meeting_date, round=rnd,
                case_url=settings.case_link(rnd.decision.case_number))
            key = (-rnd.decision.meeting_date.toordinal(), rnd.id, x.rank is None, x.rank or 0, x.id)
            found.append((key, decided))
    found.sort(key=lambda pair: pair[0])
    return every_kind_first([decided for _, decided in found], lambda d: d.outcome_kind, limit)


def embed_fragment(env: jinja2.Environment, settings: Settings, decided: list[Decided]) -> bytes:
    """The fragment at `urls.embed_latest()`, from the theme's `embed_latest.html`."""
    if not settings.site_url:  # relative to the fragment's own folder, not to the site root
        root = urls.up(urls.embed_latest())
        decided = [replace(d, url=root + d.url) for d in decided]
    context = EmbedLatestContext(
        settings=settings, language=settings.language, decisions=tuple(decided),
        all_decisions=urls.absolute(settings.site_url, urls.rounds()) if settings.site_url else root + urls.rounds())
    html = env.get_template(EmbedLatestContext.template).render(template_names(context))
    return (html.strip() + "\n").encode("utf-8")


def json_feed(settings: Settings, decided: list[Decided]) -> bytes:
    """The JSON Feed 1.1 at `urls.json_feed()`."""
    _ = settings.translator().gettext
    tree = getattr(settings, "tree", "") or ""
    auth = authority(settings)
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": f"{settings.site_name}: " + _("Latest decisions"),
        **({"home_page_url": urls.absolute(settings.site_url, urls.rounds()),
            "feed_url": urls.absolute(settings.site_url, urls.json_feed())} if settings.site_url else {}),
        "description": _("The latest decisions on priorities: what was decided for each measure, by whom and when."),
        "language": settings.language,
        "authors": [{"name": settings.municipality,
                     **({"url": urls.absolute(settings.site_url, urls.home())} if settings.site_url else {})}],
        "items": [_item(d, settings, auth, tree, _) for d in decided],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(d: Decided, settings: Settings, auth: str, tree: str, _) -> dict[str, Any]:
    x = d.measure
    said = _("{outcome}: decided by {body} on {date}.").format(
        outcome=d.outcome, body=d.decided_by, date=Formatter(settings.language, settings.currency).date(d.day))
    return {
        # One decision of one measure; stays the same while the meeting's day does.
        "id": f"tag:{auth},{d.day.isoformat()}:{tree}measures/{x.id}/decision",
        "url": d.url,
        "title": str(x.title),
        "content_text": f"{said}\n\n{x.summary}",
        "summary": str(x.summary),
        "date_published": f"{d.day.isoformat()}T00:00:00Z",
        "tags": [d.outcome, str(x.sector)],
        "_prioportal": {
            "measure": x.id, "round": d.round.id, "outcome": d.outcome_kind, "outcome_label": d.outcome,
            "rank": x.rank, "decided_by": d.decided_by, "meeting_date": d.day.isoformat(),
            "case_number": str(d.round.decision.case_number) if d.round.decision else None,
            **({"case_url": d.case_url} if d.case_url else {}),
        },
    }
