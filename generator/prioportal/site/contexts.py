"""The theme contract: what each template of the site receives.

A municipality that copies one template into its own `site_templates/` folder depends on the
names given to that template, and on nothing else of the code. So each page type has a small
frozen dataclass here whose fields are exactly the names its template receives besides those
every page shares (`EveryPage`, `ThisPage`); the two pages rendered outside the page plan, the
redirect from a former address and the translation notice, have one too. The field names are
the template's variable names: renaming one breaks every portal that overrides that template.
docs/theme.md describes each field for web designers, and tests/test_theme_contract.py checks
the two against each other and against the names the bundled templates use.

The dataclasses are frozen and compare by their fields, like the dicts they replaced: the
preview compares each page's plan with the last build's (`build.preview.same`), field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # for the annotations only: the values are made elsewhere
    from types import ModuleType

    from prioportal.analyses.comparisons import CriteriaComparison, RoundComparison
    from prioportal.analyses.followup import IndicatorStatus, Progress, Rollup
    from prioportal.analyses.what_if import WhatIf
    from prioportal.exports.latest import Decided
    from prioportal.model import decisions as m
    from prioportal.settings import Settings
    from prioportal.site.listings import Group, OpennessRow, Pagination, RankingPage
    from prioportal.site.measure_views import MeasureView
    from prioportal.site.open_data_page import OpenDataPage
    from prioportal.site.affected import AffectedGroup, GroupRound
    from prioportal.site.charts import FundingChart
    from prioportal.site.page_history import PageHistory
    from prioportal.site.priority_lists import ConditionGroup, ListsOverview, PriorityListView, RecommendationPairs
    from prioportal.site.pages import Alternate, NavItem
    from prioportal.site.render import PageSpec
    from prioportal.site.round_views import RoundHeading, RoundSummary
    from prioportal.site.voices import Heard, InputSource
    from prioportal.site.views import PortalView, SourceInfo
    from prioportal.sources.pages import ContentPage


@dataclass(frozen=True)
class Context:
    """What one template receives. `template` names it (a file of `site_templates/`)."""

    template: ClassVar[str] = ""


def template_names(context: Context) -> dict[str, Any]:
    """The context as the names its template receives. A dataclass of this module keeps its
    fields, and only them, in its `__dict__` (no slots, no cached properties), which is read
    here as it is: `dataclasses.asdict` would copy every value inside, on every page."""
    return vars(context)


def field_names(cls: type[Context]) -> tuple[str, ...]:
    """The names a context class gives its template, in the order they are declared."""
    return tuple(f.name for f in fields(cls))


# --- What every page receives -----------------------------------------------------------------

@dataclass(frozen=True)
class EveryPage(Context):
    """The same for every page of one language tree; made once per tree (`pages.common_context`)."""

    template = "base.html"

    alternates: list[Alternate]  # the page in each published language (code, name, tree); empty with one language
    lang_up: str  # from this language's tree up to the site root ("../" in en/, "" in the main language)
    site_base_url: str | None  # the site's address without the language folder; None without site_url
    settings: Settings  # the portal's settings from mkdocs.yml (site_name, municipality, contact_email, brand …)
    # The whole portal: only the templates of pages that see it (`PageContext.whole_site`);
    # the others are rendered again only when their own context changes.
    view: PortalView
    source: SourceInfo  # the commit the site was built from (commit, uncommitted)
    history_note: str | None  # why the history of changes is missing or partial, if it is
    nav: list[NavItem]  # the main menu (key, title, url)
    footer_links: list[NavItem]  # the links of the footer (key, title, url)
    language: str  # the page's language code, e.g. "nb"
    urls: ModuleType  # every address a template links to: urls.measure(id), urls.asset("style.css") …


@dataclass(frozen=True)
class ThisPage(Context):
    """What `render.render_page` gives each page about itself."""

    template = "base.html"

    page: PageSpec  # the page's plan: title, description, url, nav_key, template
    root: str  # the way from the page up to its tree's root, e.g. "../../"; put before every address


# --- One context per page type ----------------------------------------------------------------

@dataclass(frozen=True)
class PageContext(Context):
    """The context of one page type. `whole_site` says whether its template sees the whole
    portal (`view`): a page that does not depends only on its own context and the settings,
    which is what lets a preview render again just the pages whose context changed."""

    whole_site: ClassVar[bool] = True


@dataclass(frozen=True)
class HomeContext(PageContext):
    template = "home.html"

    intro: ContentPage | None  # the front page's own text (content/index.md), if there is one


@dataclass(frozen=True)
class CriteriaIndexContext(PageContext):
    template = "criteria_index.html"

    criteria: m.CriteriaSet | None  # the criteria set in force; None before any is published


@dataclass(frozen=True)
class CriteriaContext(PageContext):
    template = "criteria.html"

    criteria: m.CriteriaSet  # the version of the criteria this page shows


@dataclass(frozen=True)
class CriteriaChangesContext(PageContext):
    template = "criteria_changes.html"

    comparison: CriteriaComparison  # a version of the criteria (new) against the one before it (old)


@dataclass(frozen=True)
class ProcessContext(PageContext):
    template = "process.html"


@dataclass(frozen=True)
class RoundsContext(PageContext):
    template = "rounds.html"


@dataclass(frozen=True)
class BrowseContext(PageContext):
    template = "browse.html"

    lists: tuple[PriorityListView, ...] = ()  # every priority list, the newest first, to browse by condition group


@dataclass(frozen=True)
class ContactContext(PageContext):
    template = "contact.html"


@dataclass(frozen=True)
class NotFoundContext(PageContext):
    """The page a server shows at any address it does not know: `root` is the site's path."""

    template = "404.html"
    whole_site = False


@dataclass(frozen=True)
class SearchContext(PageContext):
    template = "search.html"
    whole_site = False


@dataclass(frozen=True)
class AccessibilityContext(PageContext):
    template = "accessibility.html"
    whole_site = False


@dataclass(frozen=True)
class PrivacyContext(PageContext):
    template = "privacy.html"
    whole_site = False


@dataclass(frozen=True)
class OpenDataContext(PageContext):
    template = "open_data.html"
    whole_site = False

    open_data: OpenDataPage  # the files to download and what each column and field means


@dataclass(frozen=True)
class GroupContext(PageContext):
    """One page of the measures of a sector or an outcome, across rounds."""

    template = "group.html"
    whole_site = False

    group: Group  # the sector or outcome (slug, title) with this page's share of its measures
    pagination: Pagination  # where this page stands among the listing's pages


@dataclass(frozen=True)
class RoundContext(PageContext):
    """One page of a round's ranked list."""

    template = "round.html"
    whole_site = False

    rv: RoundSummary  # the round beside its rows: round, criteria, totals, outcome counts, neighbours, history
    next_changes: bool  # whether the next round has a page of changes since this one
    ranking: RankingPage  # this page's rows, and where the funding line is drawn
    pagination: Pagination
    # On page 1, the measures that would cross the line with the frame −10, −5, +5 and +10 %
    # (analyses/what_if.py); nothing on the other pages, which do not show it.
    what_if: tuple[WhatIf, ...]


@dataclass(frozen=True)
class FollowUpContext(PageContext):
    """One page of a round's follow-up of results."""

    template = "follow_up.html"
    whole_site = False

    rv: RoundHeading  # the round and the criteria it used
    followed_up: tuple[tuple[m.Measure, list[IndicatorStatus]], ...]  # this page's measures, each with its indicators
    pagination: Pagination


@dataclass(frozen=True)
class GlanceContext(PageContext):
    """A round at a glance: its ranking as a chart of cost by rank with the funding line, and its
    follow-up added up per sector and per target area."""

    template = "at_a_glance.html"
    whole_site = False

    rv: RoundHeading  # the round and the criteria it used
    chart: FundingChart  # the bars of cost by rank, the funding line, and the rows of the table beside it
    by_sector: tuple[Rollup, ...]  # each sector's follow-up added up (name, measures, indicators, progress, evaluations)
    by_target_area: tuple[Rollup, ...]  # each target area's
    progress_kinds: tuple[Progress, ...]  # the columns of those tables: where the round's indicators stand


@dataclass(frozen=True)
class OpennessContext(PageContext):
    """One page of a round's openness report: the whole checklist, a share of the measures concerned."""

    template = "openness.html"
    whole_site = False

    rv: RoundHeading
    titles: dict[str, str]  # measure id -> title, for the measures this page names
    openness_rows: tuple[OpennessRow, ...]  # the checklist items, with the measures listed on this page
    pagination: Pagination


@dataclass(frozen=True)
class RoundChangesContext(PageContext):
    """One page of what changed in a round's ranking since the round before."""

    template = "round_changes.html"
    whole_site = False

    rv: RoundHeading  # this round
    old_rv: RoundHeading  # the round it is compared with
    totals: dict[str, int]  # how many measures each section lists in all: moved_up, moved_down, outcome_changed, assessment_changed, new, dropped
    shown: RoundComparison  # the comparison, with only this page's share of each section
    pagination: Pagination
    moved_to: dict[str, m.Round]  # measure id -> the round a measure this page lists as dropped moved to


@dataclass(frozen=True)
class MeasureContext(PageContext):
    template = "measure.html"
    whole_site = False

    mv: MeasureView  # the measure (mv.measure) with everything its page shows
    titles: dict[str, str]  # measure id -> title, for the measures its review flags name


@dataclass(frozen=True)
class ContentPageContext(PageContext):
    """A page written in Markdown in the content folder (other than the front page's text)."""

    template = "page.html"
    whole_site = False

    content: ContentPage  # the page: title, description, markdown
    history: PageHistory  # when it was first published and last changed


# --- Who gave input, and the groups affected ------------------------------------------------------

@dataclass(frozen=True)
class InputSourcesContext(PageContext):
    """Every source of input: the statutory councils (heard or not), the named groups, single persons by kind."""

    template = "input_sources.html"
    whole_site = False

    sources: tuple[InputSource, ...]  # each with slug, kind, name (None for a source known by its kind), heard, statutory, rounds


@dataclass(frozen=True)
class InputSourceContext(PageContext):
    """One page of everything one source of input said, round by round, and how each input was considered."""

    template = "input_source.html"
    whole_site = False

    giver: InputSource  # the source of input (slug, kind, name, statutory) with all it said
    heard: tuple[Heard, ...]  # this page's inputs, newest round first: input, measure, round, anchor, url
    pagination: Pagination


@dataclass(frozen=True)
class AffectedGroupsContext(PageContext):
    """The affected groups the portal tags consequences with, each with how many measures concern it."""

    template = "affected_groups.html"
    whole_site = False

    groups: tuple[AffectedGroup, ...]  # each with id, name and its measures by round


@dataclass(frozen=True)
class AffectedGroupContext(PageContext):
    """What each round's priorities mean for one affected group: funded and cut, with the consequences."""

    template = "affected_group.html"
    whole_site = False

    group: AffectedGroup  # id and name
    rounds: tuple[GroupRound, ...]  # this page's share: per round (newest first), the measures funded and cut
    pagination: Pagination


# --- A priority list (a round of `kind: priority_list`) -------------------------------------------

@dataclass(frozen=True)
class PriorityListContext(PageContext):
    """One page of a priority list: its pairs by condition group, then those with a recommendation."""

    template = "priority_list.html"
    whole_site = False

    pl: PriorityListView  # the whole list: round, criteria, groups, bands, recommendations, changes_from
    groups: tuple[ConditionGroup, ...]  # this page's share of the groups' pairs
    recommended: tuple[RecommendationPairs, ...]  # this page's share of the pairs with a recommendation
    pagination: Pagination
    history: PageHistory  # when the list's file was first published and last changed


@dataclass(frozen=True)
class PriorityListPartContext(PageContext):
    """One page of the pairs of a priority list in one condition group, one rank band or with one recommendation."""

    template = "priority_list_part.html"
    whole_site = False

    round: m.Round  # the list
    criteria: m.CriteriaSet  # its criteria set (the rank scale's bands, the recommendations)
    part: str  # which kind of part: "group", "band" or "recommendation"
    name: str  # the group's name, the band's ranks ("1–3") or the recommendation's name
    meaning: str | None  # what the band or the recommendation means for the reader; nothing for a group
    pairs: tuple[m.Measure, ...]  # this page's pairs, in rank order
    pagination: Pagination


@dataclass(frozen=True)
class PriorityListChangesContext(PageContext):
    """One page of what changed in a priority list since its previous version."""

    template = "priority_list_changes.html"
    whole_site = False

    rv: RoundHeading  # this version of the list
    old_rv: RoundHeading  # the version it is compared with
    totals: dict[str, int]  # how many pairs each section lists in all: moved_up, moved_down, recommendation_changed, new, dropped
    shown: RoundComparison  # the comparison, with only this page's share of each section
    pagination: Pagination


@dataclass(frozen=True)
class PairContext(PageContext):
    """One pair of a condition and a measure on a priority list."""

    template = "pair.html"
    whole_site = False

    mv: MeasureView  # the pair (mv.measure) with its assessments, versions and review flags
    titles: dict[str, str]  # measure id -> title, for the pairs its review flags name
    newer_list: m.Round | None = None  # the newest version of its list, where a later one replaces it


@dataclass(frozen=True)
class PriorityListsContext(PageContext):
    """Every service's latest priority list side by side, rank band by rank band."""

    template = "priority_lists.html"
    whole_site = False

    overview: ListsOverview  # services, earlier versions, and the rows of bands and recommendations


PAGE_CONTEXTS: tuple[type[PageContext], ...] = (
    HomeContext, CriteriaIndexContext, CriteriaContext, CriteriaChangesContext, ProcessContext, RoundsContext,
    BrowseContext, ContactContext, NotFoundContext, SearchContext, AccessibilityContext, PrivacyContext,
    OpenDataContext, GroupContext, RoundContext, FollowUpContext, GlanceContext, OpennessContext, RoundChangesContext,
    MeasureContext, ContentPageContext, InputSourcesContext, InputSourceContext, AffectedGroupsContext,
    AffectedGroupContext, PriorityListContext, PriorityListPartContext, PriorityListChangesContext,
    PairContext, PriorityListsContext)


# --- Rendered outside the page plan -----------------------------------------------------------

@dataclass(frozen=True)
class RedirectContext(Context):
    """The small page left at a measure's former address (exports/redirects.py)."""

    template = "redirect.html"

    settings: Settings
    language: str  # the page's language code
    urls: ModuleType
    root: str  # the way from the former address up to the tree's root ("../../")
    title: str  # the measure's title
    target: str  # the measure's page, relative to the former address ("../new-id/")
    canonical: str | None  # the measure's page as an absolute address; None without site_url


@dataclass(frozen=True)
class TranslationNoticeContext(Context):
    """The note at the top of a page in another language where some texts are shown in the
    main language (build/pipeline.py, `translation_notice`)."""

    template = "translation_notice.html"

    language: str  # the main language's name in the page's language, e.g. "norsk bokmål"


@dataclass(frozen=True)
class EmbedLatestContext(Context):
    """The latest decisions as a fragment of HTML for the municipality's own website to include
    (exports/latest.py, at `urls.embed_latest()`): no page around it, no style of its own."""

    template = "embed_latest.html"

    settings: Settings
    language: str  # the fragment's language code
    # Newest first, each with measure, url, outcome, outcome_kind, decided_by, day, round, case_url.
    decisions: tuple[Decided, ...]
    all_decisions: str  # the address of the list of every decision (rounds/)


OTHER_CONTEXTS: tuple[type[Context], ...] = (RedirectContext, TranslationNoticeContext, EmbedLatestContext)
