"""What happened to each input: a page per input source that lists everything it said, round
by round, with how each input was considered and what was decided of the measure
(`urls.input_source`), and the page of every source (`urls.input_sources`), which makes
visible who was heard, and which statutory council was not (DOMAIN.md: likhet, upartiskhet).

Who a source is: each statutory council (the councils for the elderly, for persons with
disabilities, and of young people) by its kind, whatever name an input gives it; a named group
(a user organisation, a party or a committee, any other group) by its name; and the inputs of
single persons, gathered by kind (service users, relatives, residents, staff), each input
keeping its own name. The address of a source follows from it alone (`source_slug`), so an
input's link never depends on the rest of the portal.

Every input has a stable anchor on its measure's page (`input_anchors`): made of its date and
its giver's name, so it keeps its address when inputs are added before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prioportal.model import decisions as m
from prioportal.site import urls
from prioportal.site.contexts import InputSourceContext, InputSourcesContext
from prioportal.site.listings import FOLLOW_UP_ROWS_PER_ENTRY, Pagination, paginate
from prioportal.site.render import PageSpec
from prioportal.site.round_views import RoundHeading
from prioportal.site.vocabulary import LABELS
from prioportal.text.i18n import Translator, sort_key
from prioportal.text.slugs import slugify

STATUTORY = (m.InputSource.elderly_council, m.InputSource.disability_council, m.InputSource.youth_council)
# Sources of single persons' inputs: a page gathers them by kind, never one page per person.
BY_KIND = STATUTORY + (m.InputSource.service_users, m.InputSource.relatives, m.InputSource.residents,
                       m.InputSource.staff)
_KIND_SLUGS = {kind: kind.value.replace("_", "-") for kind in BY_KIND}


def source_slug(given: m.Input) -> str:
    """The address segment of the input's source: its kind's for a statutory council and for
    single persons ("elderly-council", "residents"), its name's for a named group."""
    if given.source in _KIND_SLUGS:
        return _KIND_SLUGS[given.source]
    slug = slugify(str(given.name))
    return slug + "-x" if slug in _KIND_SLUGS.values() else slug


def input_anchors(measure: m.Measure) -> list[str]:
    """The anchor of each input on its measure's page, in order: "input-2025-09-15-eldreradet",
    with "-2", "-3" for a second and third of the same giver on the same day."""
    seen: dict[str, int] = {}
    anchors = []
    for given in measure.inputs:
        base = f"input-{given.date.isoformat()}-{slugify(str(given.name))}"
        seen[base] = seen.get(base, 0) + 1
        anchors.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return anchors


@dataclass(frozen=True)
class Heard:
    """One input as its source's page lists it: with its measure, and the round that decided it."""

    input: m.Input
    measure: m.Measure
    round: RoundHeading
    anchor: str  # on the measure's page

    @property
    def url(self) -> str:
        return f"{urls.measure(self.measure.id)}#{self.anchor}"


@dataclass(frozen=True)
class InputSource:
    """Someone who gave input, and everything they said, newest round first."""

    slug: str
    kind: m.InputSource
    name: str | None  # a named group's name; None for a source known by its kind
    heard: tuple[Heard, ...]

    @property
    def statutory(self) -> bool:
        return self.kind in STATUTORY

    @property
    def rounds(self) -> int:
        return len({h.round.round.id for h in self.heard})

    def by_round(self) -> list[tuple[RoundHeading, list[Heard]]]:
        rounds: dict[str, tuple[RoundHeading, list[Heard]]] = {}
        for h in self.heard:
            rounds.setdefault(h.round.round.id, (h.round, []))[1].append(h)
        return list(rounds.values())


def input_sources(view: Any) -> list[InputSource]:
    """Every source of input of the portal: the statutory councils first (each of them, heard
    or not), then the named groups in the language's order, then the single persons by kind.
    A page per source: `view` is the `PortalView` of one language tree."""
    found: dict[str, list[Heard]] = {}
    kinds: dict[str, m.InputSource] = {}
    names: dict[str, str] = {}
    # The newest round first; within a round, the measures in rank order, each one's inputs in order.
    for rv in reversed(list(view.rounds.values())):
        for x in rv.measures:
            for given, anchor in zip(x.inputs, input_anchors(x)):
                slug = source_slug(given)
                found.setdefault(slug, []).append(Heard(given, x, rv.heading, anchor))
                kinds.setdefault(slug, given.source)
                names.setdefault(slug, str(given.name))  # the newest name a named group has
    councils = [InputSource(_KIND_SLUGS[k], k, None, tuple(found.get(_KIND_SLUGS[k], ()))) for k in STATUTORY]
    named = sorted((slug for slug in found if kinds[slug] not in BY_KIND),
                   key=lambda slug: sort_key(names[slug], view.language))
    persons = [k for k in BY_KIND if k not in STATUTORY and _KIND_SLUGS[k] in found]
    return (councils + [InputSource(slug, kinds[slug], names[slug], tuple(found[slug])) for slug in named]
            + [InputSource(_KIND_SLUGS[k], k, None, tuple(found[_KIND_SLUGS[k]])) for k in persons])


def source_title(source: InputSource, tr: Translator) -> str:
    return source.name if source.name is not None else tr.gettext(LABELS[source.kind])


def voices_pages(view: Any, tr: Translator, page_size: int) -> list[PageSpec]:
    """The page of every source of input, and each source's pages (a council's inputs over many
    years are cut into pages, as every listing is: an input weighs about three rows of a list)."""
    _ = tr.gettext
    sources = input_sources(view)
    if not any(source.heard for source in sources):
        return []
    pages = [PageSpec(urls.file_of(urls.input_sources()), "input_sources.html", _("Who gave input, and what came of it"),
                      InputSourcesContext(sources=tuple(sources)), nav_key="process", searchable=False)]
    size = max(1, page_size // FOLLOW_UP_ROWS_PER_ENTRY)
    for source in sources:
        if not source.heard:
            continue
        title = _("Input from {source}").format(source=source_title(source, tr))
        for part, p in paginate(source.heard, size, urls.input_source(source.slug)):
            pages.append(PageSpec(p.path, "input_source.html", _page_title(title, p, tr),
                                  InputSourceContext(giver=source, heard=part, pagination=p), nav_key="process",
                                  searchable=p.number == 1))
    return pages


def _page_title(title: str, pagination: Pagination, tr: Translator) -> str:
    if pagination.number == 1:
        return title
    return tr.gettext("{title} – page {number} of {count}").format(title=title, number=pagination.number,
                                                                   count=pagination.count)
