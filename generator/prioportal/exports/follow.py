"""Feeds to follow a measure, a sector or a target area without an account: Atom feeds a
citizen adds to a feed reader (`measures/<id>/feed.xml`, `browse/sector/<slug>/feed.xml`,
`browse/target-area/<slug>/feed.xml`; see `site.urls`).

Where the site's feed (`exports.feeds`) has an entry for every change of a measure's file, these
have one for each thing that happens to the measure, read from the git history of its file:

- `round`: the file was added: the measure is published in a round, or continued in a new one;
- `decision`: the outcome was decided, or changed (its decision, not a reworded rationale);
- `result`: follow-up results were added, or their values changed;
- `evaluation`: the evaluation decided to continue, correct or stop the measure.

A measure followed across rounds is one measure: the measures linked by `previous` are its
versions in other years (`analyses.ranking.lineage`, as the page's "The same measure in other
years"), so the feed of each of them holds what happened to all of them. A reader who
subscribed to last year's measure learns that it was continued, and how it was decided this
year; the feed stays at the address it was subscribed at, whichever version is newest.

Entries never change once published: the id is a `tag:` URI (RFC 4151) of the measure, the
commit and the kind of event, and `updated` is the commit's date, never the build's. Without
git, each measure has one `round` entry dated by its round's decision, and an `evaluation`
entry dated by the evaluation's own date. In a shallow clone only the commits after its
boundary make entries (as in `exports.feeds`). A feed holds the newest `FEED_LIMIT` entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping, TypeVar

from prioportal.analyses.changes import Change
from prioportal.analyses.ranking import lineage, successors
from prioportal.exports.feeds import (FEED_LIMIT, Entry, _clean, _fallback_day, _rfc3339_day, _tree, _utc, atom_feed,
                                      authority, feed_dates)
from prioportal.model import decisions as m
from prioportal.model.portal import Portal
from prioportal.model.small_numbers import fewer_than
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.change_lines import ChangeDescriber, shortened
from prioportal.site.listings import group_slugs
from prioportal.sources.git_history import FileChange, History, Unavailable
from prioportal.system.safe_writing import Files
from prioportal.text.i18n import Formatter

R = TypeVar("R")
# How a build keeps a value between previews: `keep(what, sources, make, values)` gives what
# `make()` gave for the very same `sources` and equal `values` last time
# (`build.reuse.Reuse.from_sources`), or makes it.
Keep = Callable[[str, tuple, Callable[[], R], tuple], R]
_SUMMARY_LIMIT = 600  # characters of a rationale or a reason in an entry: the page has the rest
_KINDS = ("round", "decision", "result", "evaluation")  # the order of one commit's entries


def _make(what: str, sources: tuple, make: Callable[[], R], values: tuple = ()) -> R:
    return make()


@dataclass(frozen=True)
class Follow:
    """What every entry of one language tree is written with."""

    settings: Settings
    portal: Portal
    describe: ChangeDescriber
    authority: str
    tree: str

    @classmethod
    def of(cls, settings: Settings, portal: Portal) -> "Follow":
        tr = settings.translator()
        describe = ChangeDescriber(tr, Formatter(settings.language, settings.currency), portal.criteria_sets)
        return cls(settings, portal, describe, authority(settings), _tree(settings))

    def gettext(self, message: str) -> str:
        return self.describe.tr.gettext(message)

    # --- One measure's entries ------------------------------------------------------------

    def entries(self, x: m.Measure, history: History | Unavailable | None) -> list[Entry]:
        """What happened to one measure (not to its other versions), newest first."""
        path = self.portal.sources.get(f"measures:{x.id}")
        versions: tuple[FileChange, ...] = ()
        cut_off = False
        if isinstance(history, History) and path in history.files:
            versions = history.files[path].known_versions
            cut_off = not history.files[path].complete
        found: list[Entry] = []
        if versions:
            for version in versions:
                found += self._from_version(x, version)
        elif not cut_off:
            found += self._without_history(x)
        found.sort(key=lambda e: e.sort_key, reverse=True)
        return found

    def _from_version(self, x: m.Measure, version: FileChange) -> list[Entry]:
        commit = version.commit
        if version.status == "added":
            events = [("round", *self._round_words(x))]
        elif version.status == "modified" and version.changes:
            events = self._events(x, version.changes)
        else:
            return []  # deleted, or a version that could not be read: nothing a reader can follow
        day = datetime.fromisoformat(commit.date).date().isoformat()
        return [Entry(id=f"tag:{self.authority},{day}:{self.tree}measures/{x.id}/{commit.hash[:12]}/{kind}",
                      title=_clean(title), updated=commit.date,
                      link=urls.absolute(self.settings.site_url, urls.measure(x.id)), summary=_clean(summary),
                      category=self._category(kind), measure=x.id, round=x.round,
                      sort_key=(_utc(commit.date), x.id, commit.hash, str(_KINDS.index(kind))))
                for kind, title, summary in events]

    def _without_history(self, x: m.Measure) -> list[Entry]:
        """Without git: the publication on the day of the round's decision, and the evaluation on
        its own day; nothing else has a date of its own."""
        rnd = _round(self.portal, x.round)
        if rnd is None:  # a measure of no round is reported by the checks, and never built
            return []
        events = [("round", _fallback_day(rnd), *self._round_words(x))]
        evaluation = x.follow_up.evaluation
        if evaluation is not None:
            events.append(("evaluation", evaluation.date, *self._evaluation_words(x, evaluation.decision.value,
                                                                                  evaluation.reason)))
        return [Entry(id=f"tag:{self.authority},{day.isoformat()}:{self.tree}measures/{x.id}/{kind}",
                      title=_clean(title), updated=_rfc3339_day(day),
                      link=urls.absolute(self.settings.site_url, urls.measure(x.id)), summary=_clean(summary),
                      category=self._category(kind), measure=x.id, round=x.round,
                      sort_key=(day.isoformat(), x.id, "", str(_KINDS.index(kind))))
                for kind, day, title, summary in events]

    def _category(self, kind: str) -> str:
        _ = self.gettext
        return {"round": _("New round"), "decision": _("Decision"), "result": _("Follow-up result"),
                "evaluation": _("Evaluation")}[kind]

    # --- What one commit did, in words ------------------------------------------------------

    def _round_words(self, x: m.Measure) -> tuple[str, str]:
        _ = self.gettext
        rnd = _round(self.portal, x.round)
        continued = x.previous is not None and x.previous in self.portal.measures_by_id
        title = (_("Continued in {round}: {title}") if continued else _("Published in {round}: {title}")).format(
            round=rnd.title if rnd else x.round, title=x.title)
        summary = str(x.summary)
        if x.outcome is not None:
            summary = f"{self.describe.outcome(x.outcome.decision, rnd.criteria if rnd else None)}. {summary}"
        elif x.is_pair:  # a pair of a priority list: its place on this version of the list
            place = self._place(x, rnd)
            summary = f"{place}. {summary}" if place else summary
        return title, summary

    def _place(self, x: m.Measure, rnd: m.Round | None) -> str | None:
        """A pair's rank, or the name of its recommendation in its list's criteria."""
        if x.rank is not None:
            return self.gettext("Rank {rank}").format(rank=x.rank)
        if x.recommendation is None:
            return None
        criteria = next((cs for cs in self.portal.criteria_sets if rnd is not None and cs.id == rnd.criteria), None)
        named = criteria.recommendation(x.recommendation) if criteria is not None else None
        return self.gettext("Recommendation: {recommendation}").format(
            recommendation=named.label if named is not None else x.recommendation)

    def _evaluation_words(self, x: m.Measure, decision: str, reason: Any) -> tuple[str, str]:
        _ = self.gettext
        title = _("Evaluation of {title}: {decision}").format(title=x.title, decision=self.describe.vocabulary(decision))
        if isinstance(reason, Mapping):  # a text given per language, as a file may write it
            reason = reason.get(self.settings.language) or next(iter(reason.values()), None)
        return title, shortened(str(reason), _SUMMARY_LIMIT) if isinstance(reason, str) and reason else ""

    def _events(self, x: m.Measure, changes: tuple[Change, ...]) -> list[tuple[str, str, str]]:
        """The events among one commit's changes to a measure's file: (kind, title, summary)."""
        _ = self.gettext
        rnd = _round(self.portal, x.round)
        criteria = rnd.criteria if rnd else None
        events: list[tuple[str, str, str]] = []
        decided = _decision_change(changes)
        if decided is not None:
            old, new = decided
            title = _("Decision for {title}: {outcome}").format(title=x.title,
                                                                 outcome=self.describe.outcome(new, criteria))
            summary = (_("Changed from {old} to {new}.").format(old=self.describe.outcome(old, criteria),
                                                                 new=self.describe.outcome(new, criteria))
                       if old else "")
            rationale = x.outcome.rationale if x.outcome is not None and x.outcome.decision.value == new else None
            if rationale:
                summary = f"{summary} {shortened(str(rationale), _SUMMARY_LIMIT)}".strip()
            events.append(("decision", title, summary))
        results = _result_changes(changes, x)
        if results:
            indicators = {i.id: i for i in x.follow_up.indicators}
            lines = []
            for indicator, period, value in results:
                known = indicators.get(indicator)
                name = known.name if known else indicator
                shown = self.describe.number(value) if (isinstance(value, (int, float)) and not isinstance(value, bool)) \
                    or fewer_than(value) is not None else self.describe.text(str(value))
                lines.append(f"{name}, {period}: {shown}{' ' + known.unit if known else ''}")
            events.append(("result", _("Follow-up result for {title}").format(title=x.title), "; ".join(lines)))
        evaluated = _evaluation_change(changes)
        if evaluated is not None:
            decision, reason = evaluated
            events.append(("evaluation", *self._evaluation_words(x, decision, reason)))
        return events


def _round(portal: Portal, ident: str) -> m.Round | None:
    return next((r for r in portal.rounds if r.id == ident), None)


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def _decision_change(changes: tuple[Change, ...]) -> tuple[str | None, str] | None:
    """The outcome's decision before and after, when the commit set or changed it."""
    for c in changes:
        if c.path == ("outcome",):
            old, new = _get(c.old, "decision"), _get(c.new, "decision")
        elif c.path == ("outcome", "decision"):
            old, new = c.old, c.new
        else:
            continue
        if isinstance(new, str) and new != old:
            return (old if isinstance(old, str) else None), new
    return None


def _result_changes(changes: tuple[Change, ...], x: m.Measure) -> list[tuple[str, str, Any]]:
    """The follow-up results the commit added, or whose value it changed: (indicator, period, value)."""
    found: dict[tuple[str, str], Any] = {}

    def add(item: Any) -> None:
        indicator, period, value = _get(item, "indicator"), _get(item, "period"), _get(item, "value")
        if isinstance(indicator, str) and period is not None and value is not None:
            found[(indicator, str(period))] = value

    for c in changes:
        path = c.path
        if c.kind == "removed" or path[:1] != ("follow_up",):
            continue
        if path == ("follow_up",):
            for item in _get(c.new, "results") or ():
                add(item)
        elif path == ("follow_up", "results") and c.kind == "added" and isinstance(c.new, list):
            for item in c.new:
                add(item)
        elif len(path) == 3 and path[1] == "results" and c.kind == "added":
            add(c.new)
        elif len(path) == 4 and path[1] == "results" and path[3] == "value":
            key = path[2]
            if isinstance(key, int):  # results without ids of their own: by position, as they are now
                item = x.follow_up.results[key] if key < len(x.follow_up.results) else None
                indicator, period = (item.indicator, item.period) if item else (None, None)
            else:
                indicator, _, period = str(key).partition("@")
            if indicator:
                found[(indicator, str(period))] = c.new
    return [(indicator, period, value) for (indicator, period), value in found.items()]


def _evaluation_change(changes: tuple[Change, ...]) -> tuple[str, Any] | None:
    """The evaluation's decision and reason, when the commit set or changed the decision."""
    for c in changes:
        if c.kind == "removed":
            continue
        if c.path == ("follow_up",):
            old, new = _get(_get(c.old, "evaluation"), "decision"), _get(c.new, "evaluation")
        elif c.path == ("follow_up", "evaluation"):
            old, new = _get(c.old, "decision"), c.new
        elif c.path == ("follow_up", "evaluation", "decision"):
            old, new = c.old, {"decision": c.new}
        else:
            continue
        decision = _get(new, "decision")
        if isinstance(decision, str) and decision != old:
            return decision, _get(new, "reason")
    return None


# --- The feeds ------------------------------------------------------------------------------


def _merged(lists: list[list[Entry]]) -> list[Entry]:
    """The entries of several measures, newest first; an entry only once."""
    seen: dict[str, Entry] = {}
    for entries in lists:
        for e in entries:
            seen.setdefault(e.id, e)
    return sorted(seen.values(), key=lambda e: e.sort_key, reverse=True)[:FEED_LIMIT]


def follow_files(settings: Settings, portal: Portal, history: History | Unavailable | None,
                 keep: Keep = _make) -> Files:
    """Every feed to follow a measure, a sector or a target area, by path within the tree. A
    preview passes `keep`, so that what is made from the very same measures is not made again."""
    follow = Follow.of(settings, portal)
    _ = follow.gettext
    first_year, when = feed_dates(portal, history)
    rounds = {r.id: r for r in portal.rounds}
    by_id, followers = portal.measures_by_id, successors(list(portal.measures))
    # A measure's entries are made of it, its file's history, its round (the title) and the
    # criteria (the outcomes' names); whether its previous version exists decides one word.
    entries = {x.id: keep("follow entries", (x, history, rounds.get(x.round), *portal.criteria_sets),
                          lambda x=x: follow.entries(x, history), (x.previous in by_id,))
               for x in portal.measures}
    subtitle = _("What happens to the measures: new rounds, changed decisions, follow-up results and evaluations.")
    pair_subtitle = _("What happens to the pair: each new version of the priority list it is on, with its rank or "
                      "recommendation.")
    files: Files = {}
    for x in portal.measures:
        chain = [entries[y.id] for y in lineage(x, by_id, followers)]
        files[urls.measure_feed(x.id)] = keep(
            "measure feed", (x, *chain), lambda x=x, chain=chain: atom_feed(
                settings, first_year, _merged(chain), urls.measure_feed(x.id), f"{settings.site_name}: {x.title}",
                urls.measure(x.id), when, pair_subtitle if x.is_pair else subtitle), (first_year, when))
    by_sector: dict[str, list[list[Entry]]] = {}
    by_area: dict[str, list[list[Entry]]] = {}
    for x in portal.measures:
        if x.sector is not None:  # a pair of a priority list has no sector (its list has a feed of its own)
            by_sector.setdefault(x.sector, []).append(entries[x.id])
        if x.target_area:
            by_area.setdefault(x.target_area, []).append(entries[x.id])
    for name, slug in group_slugs(by_sector, settings.language).items():
        files[urls.sector_feed(slug)] = atom_feed(
            settings, first_year, _merged(by_sector[name]), urls.sector_feed(slug),
            f"{settings.site_name}: " + _("Decisions in {sector}").format(sector=name), urls.sector(slug), when, subtitle)
    for name, slug in group_slugs(by_area, settings.language).items():
        members = by_area[name]
        files[urls.target_area_feed(slug)] = atom_feed(
            settings, first_year, _merged(members), urls.target_area_feed(slug),
            f"{settings.site_name}: " + _("Target area: {name}").format(name=name), urls.browse(), when, subtitle)
    return files
