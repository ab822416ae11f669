"""Small numbers are not published: a follow-up value that counts persons, below the portal's
threshold (`personal_data.small_numbers` in mkdocs.yml, 5 unless set), is published as "fewer
than 5", as statistics offices do, so that no result on a small group points to the persons in it.

Which values count persons: those of an indicator with `counts_persons: true`, or, where the
indicator does not say, whose unit names persons ("personer", "brukere", "barn", "elever",
"brukare", "persons" …: `PERSON_WORDS`) and is no share or rate ("prosent", "kroner per bruker":
`RATE_WORDS`), or whose unit is a bare count ("antall", "antal": `COUNT_WORDS`) of what its name
says are persons ("Personer på venteliste"). `counts_persons: false` says that such an indicator
counts something else. Every value below the threshold is suppressed, 0 included: "fewer than 5"
is true of it, and a 0 beside a "fewer than 5" would tell the one from the other. Its measured values are suppressed: each result's `value`
and the indicator's `baseline`. Its `target` is an aim, not a count of anyone, and is published.

The raw value is replaced where the files meet everything that publishes them, once for each
path: `published_measures`, on the portal that loading hands to the analyses, views and exports
(`checks.portal`), and `published_document`, on each earlier version of a file the git history
compares (`sources.git_history.read_history`'s `prepare`), so no page, feed, open-data file,
search index or report ever holds it. What stands in its place is a `FewerThan`: a text ("<5",
as the open data's JSON writes it) that keeps the threshold, which the pages, feeds and reports
put into words ("fewer than 5", `said`). It is not a number: code that would compute with the
value fails rather than publish something made from it.

The model does not import this module's users; it imports nothing of the model either (the
measures are changed with `model_copy`), so `model.decisions` can use `Measured`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import SerializerFunctionWrapHandler, WrapSerializer

from prioportal.text.i18n import N_

if TYPE_CHECKING:
    from prioportal.model.decisions import Indicator, Measure

DEFAULT_THRESHOLD = 5
N_FEWER_THAN = N_("fewer than {number}")  # the words for a FewerThan (`said`)

# Words of a unit that name persons, in the portal's languages: a unit containing one of them as a
# word ("antall brukere", "personer i kø", "barn på venteliste") counts persons.
PERSON_WORDS = frozenset("""
    person personer personar persons people individer individuals innbyggere innbyggjarar invånare residents
    bruker brukere brukarar brukare users user klienter klientar klienter clients
    pasient pasienter pasientar patient patienter patients
    barn born children child elev elever elevar pupils pupil students ungdom ungdommer ungdomar youths
    eldre äldre deltaker deltakere deltakarar deltagare participants beboere bebuarar boende
    søker søkere søkjarar sökande applicants mottakere mottakarar mottagare recipients
    familier familiar familjer families husstander hushåll households
""".split())


# Words that make a unit a share, a rate or an amount per person rather than a count of persons.
RATE_WORDS = frozenset("""
    per pr prosent prosentdel prosentpoeng procent procentenheter percent percentage andel del share rate ratio
    kr kroner kronor nok sek eur snitt gjennomsnitt genomsnitt average mean
""".split())


# Units that say only that something is counted: what is counted, the indicator's name says.
COUNT_WORDS = frozenset("antall antal tal talet number count stk st styck".split())


class FewerThan(str):
    """What is published in place of a value below the threshold: the text "<5", with the
    threshold kept (`threshold`). Equal to another of the same threshold, so that a change from
    3 to 4 persons is no change in what is published."""

    threshold: int

    def __new__(cls, threshold: int) -> "FewerThan":
        obj = super().__new__(cls, f"<{threshold}")
        obj.threshold = threshold
        return obj

    def __getnewargs__(self) -> tuple[int]:  # so a worker process can send one back
        return (self.threshold,)

    def __repr__(self) -> str:
        return f"FewerThan({self.threshold})"


def _as_published(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    return value if isinstance(value, FewerThan) else handler(value)


# A measured value of the model (an indicator's baseline, a result's value): a number as written,
# or, in what is published, a FewerThan, which the open data's JSON writes as its text.
Measured = Annotated[float, WrapSerializer(_as_published)]


# The names of the measured fields (`Measured`), and the text a FewerThan is written as in JSON.
MEASURED_FIELDS = frozenset({"baseline", "value"})
_WRITTEN = re.compile(r"<(\d{1,6})")


def fewer_than(value: Any) -> FewerThan | None:
    """The FewerThan a value is: itself, or the text it is written as in JSON ("<5", which a
    comparison of two dumps holds); None for anything else."""
    if isinstance(value, FewerThan):
        return value
    match = _WRITTEN.fullmatch(value) if isinstance(value, str) else None
    return FewerThan(int(match.group(1))) if match else None


def said(value: Any, gettext: Callable[[str], str], number: Callable[[Any], str]) -> str:
    """A measured value in words: "fewer than 5" in the reader's language, or the number as
    `number` writes it."""
    suppressed = fewer_than(value)
    if suppressed is not None:
        return gettext(N_FEWER_THAN).format(number=number(suppressed.threshold))
    return number(value)


# "per år", "per måned": a count in a period is still a count (of persons, if they are counted).
_PER_PERIOD = re.compile(r"\b(?:per|pr|i|om|a|each)\.?\s+(?:år|året|aret|måned|måneden|mnd|månad|månaden|uke|uka|veke|"
                         r"vecka|veckan|dag|døgn|dygn|halvår|halvåret|kvartal|kvartalet|natt|year|month|week|day|"
                         r"quarter|night)\b")


def _words(text: Any) -> tuple[set[str], bool]:
    """The words of a text (or of each of its languages), and whether it writes a rate (/ or %)."""
    texts = [_PER_PERIOD.sub(" ", t.casefold()) for t in (text.values() if isinstance(text, dict) else (text,))
             if isinstance(t, str)]
    return {word for t in texts for word in re.findall(r"\w+", t)}, any("/" in t or "%" in t for t in texts)


def names_persons(text: Any) -> bool:
    """Whether a text (or one per language) names persons (`PERSON_WORDS`) and no share or rate
    of them ("prosent", "kroner per bruker", "barn/ansatt": `RATE_WORDS`)."""
    words, rate = _words(text)
    return not rate and not words & RATE_WORDS and bool(words & PERSON_WORDS)


def unit_counts_persons(unit: Any, name: Any = None) -> bool:
    """Whether an indicator of this unit and name counts persons: the unit names persons
    ("brukere"), or it is a bare count ("antall") of what the name says are persons
    ("Personer på venteliste")."""
    if names_persons(unit):
        return True
    words, rate = _words(unit)
    return bool(words) and words <= COUNT_WORDS and not rate and names_persons(name)


def counts_persons(indicator: Indicator) -> bool:
    """Whether the indicator's values count persons: as it says, else as its unit and name say."""
    said_so = indicator.counts_persons
    return said_so if said_so is not None else unit_counts_persons(indicator.unit, indicator.name)


def shown(value: Any, threshold: int) -> Any:
    """The value as it is published: a FewerThan below the threshold, else the value itself.
    Only numbers are compared; anything else (a stand-in, a text) is left as it is."""
    if threshold > 0 and isinstance(value, (int, float)) and not isinstance(value, bool) and value < threshold:
        return FewerThan(threshold)
    return value


# --- The typed model: what loading hands on ---------------------------------------------------


def published_measure(measure: Measure, threshold: int) -> Measure:
    """The measure as it is published: the measured values of its indicators that count persons
    below `threshold`; the very same object where nothing is suppressed."""
    follow_up = measure.follow_up
    persons = {i.id for i in follow_up.indicators if counts_persons(i)}
    if not persons or threshold <= 0:
        return measure
    indicators = [i.model_copy(update={"baseline": shown(i.baseline, threshold)})
                  if i.id in persons and shown(i.baseline, threshold) is not i.baseline else i
                  for i in follow_up.indicators]
    results = [r.model_copy(update={"value": shown(r.value, threshold)})
               if r.indicator in persons and shown(r.value, threshold) is not r.value else r
               for r in follow_up.results]
    if all(a is b for a, b in zip(indicators, follow_up.indicators)) and \
            all(a is b for a, b in zip(results, follow_up.results)):
        return measure
    return measure.model_copy(update={"follow_up": follow_up.model_copy(
        update={"indicators": indicators, "results": results})})


def published_measures(measures: tuple[Measure, ...], threshold: int,
                       before: Mapping[int, tuple[Measure, Measure]] | None = None) -> tuple[Measure, ...]:
    """`published_measure` of each; the very same tuple where nothing is suppressed, so that what
    a preview keeps from its last build, by the measures' identity, still holds. `before` holds
    the last load's copies, by the identity of the measure each was made of: a measure that is
    the very same object keeps its very same copy."""
    def of(x: Measure) -> Measure:
        kept = before.get(id(x)) if before else None
        return kept[1] if kept is not None and kept[0] is x else published_measure(x, threshold)

    shown_measures = tuple(of(x) for x in measures)
    return measures if all(a is b for a, b in zip(shown_measures, measures)) else shown_measures


# --- An earlier version of a file, as the git history reads it -----------------------------------


def _written_counts_persons(indicator: dict) -> bool:
    said_so = indicator.get("counts_persons")
    return said_so if isinstance(said_so, bool) else unit_counts_persons(indicator.get("unit"), indicator.get("name"))


def _items(value: Any) -> Iterable[dict]:
    return (item for item in value if isinstance(item, dict)) if isinstance(value, list) else ()


def published_document(data: Any, threshold: int) -> Any:
    """One version of a decision file as read from git (plain data), with the measured values
    that count persons below `threshold` replaced as `published_measure` does; the very same
    data where nothing is. A version that names no indicators is taken as it is."""
    follow_up = data.get("follow_up") if isinstance(data, dict) else None
    if not isinstance(follow_up, dict) or threshold <= 0:
        return data
    indicators = list(_items(follow_up.get("indicators")))
    persons = {i.get("id") for i in indicators if _written_counts_persons(i)}
    if not persons:
        return data
    changed = False

    def replaced(items: Any, key: str, field: str) -> Any:
        nonlocal changed
        if not isinstance(items, list):
            return items
        out = []
        for item in items:
            if isinstance(item, dict) and item.get(key) in persons and shown(item.get(field), threshold) is not item.get(field):
                item = {**item, field: shown(item[field], threshold)}
                changed = True
            out.append(item)
        return out

    new = {**follow_up, "indicators": replaced(follow_up.get("indicators"), "id", "baseline"),
           "results": replaced(follow_up.get("results"), "indicator", "value")}
    if not changed:
        return data
    # Keys the file did not have stay absent: a diff would otherwise see them added.
    new = {k: v for k, v in new.items() if k in follow_up}
    return {**data, "follow_up": new}


def suppressing(threshold: int) -> Callable[[str, Any], Any]:
    """The `prepare` of `read_history` for a portal with this threshold."""
    def prepare(path: str, data: Any) -> Any:
        return published_document(data, threshold)
    return prepare


# --- Where a suppressed value lies --------------------------------------------------------------


def bounds(value: float | FewerThan) -> tuple[float, float]:
    """The least and the greatest value it may stand for: a number for itself, a FewerThan for
    anything from 0 to just below its threshold."""
    if isinstance(value, FewerThan):
        return 0.0, math.nextafter(float(value.threshold), 0.0)
    return float(value), float(value)
