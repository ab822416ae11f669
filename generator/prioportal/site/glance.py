"""A round at a glance (`urls.round_glance`): its ranking as a chart of cost by rank with the
funding line (`charts.funding_chart`), and its follow-up added up per sector and per target area
(`analyses.followup.rollups`), each in a table that links on to the details.

`pages.round_listings` adds the page to every budget round's pages (a priority list has no money
and no funding line); both builds, and the preview's `build.plan_reuse`, make it through there.
"""

from __future__ import annotations

from prioportal.analyses.followup import Progress, rollups
from prioportal.site import urls
from prioportal.site.charts import funding_chart
from prioportal.site.contexts import GlanceContext
from prioportal.site.render import PageSpec
from prioportal.site.round_views import RoundView
from prioportal.text.i18n import Translator


def glance_context(rv: RoundView) -> GlanceContext:
    """What the round's page at a glance shows: made of the round alone, so that a preview keeps
    it with the round's other pages."""
    by_sector = rollups(rv.followed_up, lambda x: x.sector)
    by_area = rollups(rv.followed_up, lambda x: x.target_area)
    present = {kind for rollup in by_sector + by_area for kind, _ in rollup.progress}
    return GlanceContext(
        rv=rv.heading,
        chart=funding_chart(rv.funding),
        by_sector=tuple(by_sector),
        by_target_area=tuple(by_area),
        progress_kinds=tuple(kind for kind in Progress if kind in present),
    )


def glance_page(rv: RoundView, tr: Translator) -> PageSpec:
    """The page of a budget round at a glance."""
    return PageSpec(urls.file_of(urls.round_glance(rv.round.id)), "at_a_glance.html",
                    tr.gettext("At a glance: {title}").format(title=rv.round.title), glance_context(rv),
                    nav_key="rounds", searchable=False)
