"""Follow-up at a glance (issue #28, item 5): a round's cost by rank with the funding line, each
indicator's results against its baseline and target, and the follow-up added up per sector and
per target area: inline SVG with a title and a description in words, beside a table of the same
figures, readable without JavaScript, in the light and the dark scheme. (axe and the Nu checker
run on these pages with every other page type: tests/test_accessibility.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import browser
from prioportal.analyses.followup import IndicatorStatus, Progress, rollups
from prioportal.analyses.ranking import FundingLine, FundingRow
from prioportal.build.pipeline import load_from_settings
from prioportal.cli import main
from prioportal.model import decisions as m
from prioportal.model.small_numbers import FewerThan
from prioportal.settings import load_settings
from prioportal.site import urls
from prioportal.site.charts import MAX_BARS, funding_chart, funding_runs, indicator_chart, nice_top
from prioportal.site.round_views import has_follow_up
from prioportal.analyses.followup import indicator_statuses

ROOT = Path(__file__).resolve().parent.parent
ROUND = "budsjett-2026"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("charts") / "site"
    assert main(["-f", str(ROOT / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def portal():
    return load_from_settings(load_settings(ROOT / "mkdocs.yml"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def line(costs: list[int], frame: int) -> FundingLine:
    """A funding line of measures ranked 1, 2, 3 … with these costs in year 1."""
    rows, total, fits = [], 0, True
    for rank, cost in enumerate(costs, 1):
        total += cost
        fits = fits and total <= frame
        rows.append(FundingRow(SimpleNamespace(rank=rank, cost_year_1=cost, id=f"x{rank}", title=f"x{rank}"), total, fits))
    return FundingLine(tuple(rows), frame, total, 0, sum(r.measure.cost_year_1 for r in rows if r.above_line))


# --- Cost by rank, with the funding line -------------------------------------------------------------

def test_the_line_is_drawn_between_the_last_measure_above_it_and_the_first_below():
    chart = funding_chart(line([400, 300, 200, 500, 100], frame=1000))
    assert [b.kind for b in chart.bars] == ["above", "above", "above", "below", "below"]
    third, fourth = chart.bars[2], chart.bars[3]
    assert third.x + third.width < chart.line_x < fourth.x
    assert (chart.above, chart.below, chart.frame, chart.cost_above_line) == (3, 2, 1000, 900)
    # Taller bars cost more; the axis reaches above the dearest.
    assert chart.bars[3].height > chart.bars[0].height > chart.bars[4].height
    assert chart.ticks[-1].value >= 500 and chart.ticks[0].value == 0
    assert funding_chart(line([100, 100], frame=1000)).line_x is None  # everything fits: no line to draw


def test_a_long_round_is_drawn_in_runs_that_never_straddle_the_line():
    costs = [1000 + 37 * n for n in range(250)]
    frame = sum(costs[:90])
    runs = funding_runs(line(costs, frame))
    assert len(runs) <= MAX_BARS
    assert all(len({row.above_line for row in run.rows}) == 1 for run in runs)
    assert [row.measure.rank for run in runs for row in run.rows] == list(range(1, 251))  # every measure, in order
    assert sum(run.cost for run in runs) == sum(costs)
    chart = funding_chart(line(costs, frame))
    assert sum(b.count for b in chart.bars if b.kind == "above") == 90


@pytest.mark.parametrize("value, top", [(0, 1), (7, 10), (180, 200), (2100, 2500), (4_200_000, 5_000_000)])
def test_an_axis_ends_at_a_round_number(value, top):
    assert nice_top(value) == top


def test_the_round_at_a_glance_draws_its_ranking_with_a_text_alternative_and_the_figures(site, portal):
    page = soup(site / urls.file_of(urls.round_glance(ROUND)))
    svg = page.select_one("figure.chart svg")
    title, desc = svg.select_one("title"), svg.select_one("desc")
    assert svg["role"] == "img" and svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
    measures = portal.measures_in(ROUND)
    rows = page.select('section[aria-labelledby="by-rank"] tbody tr')
    bars = svg.select("rect")
    assert len(rows) == len(bars) == len(measures)
    above = [r for r in rows if "Ovenfor budsjettgrensen" in words(r)]
    assert len(svg.select("rect.c-above")) == len(above)
    assert f"Tiltak ovenfor budsjettgrensen: {len(above)}; nedenfor den: {len(rows) - len(above)}." in words(desc)
    assert svg.select_one("line.c-line") is not None and "Budsjettgrense" in words(svg)
    # The table says what each bar stands for, in rank order, with the money added up.
    costs = {x.title: x.cost_year_1 for x in measures}
    first = rows[0].select("td")
    assert words(rows[0].th) in costs and words(first[1]) == words(first[2])  # the first measure: its cost is the sum
    round_page = soup(site / urls.file_of(urls.round(ROUND)))
    assert round_page.select_one(f'a[href$="{urls.round_glance(ROUND)}"]') is not None
    assert page.select_one('link[rel="stylesheet"][href$="assets/charts.css"]') is not None


def test_the_results_are_added_up_per_sector_and_per_target_area(site, portal):
    page = soup(site / urls.file_of(urls.round_glance(ROUND)))
    measures = [x for x in portal.measures_in(ROUND) if has_follow_up(x)]
    by_sector = page.select("table:has(caption#by-sector) tbody tr")
    shown = {words(row.th): int(words(row.select("td")[0])) for row in by_sector}
    expected: dict[str, int] = {}
    for x in measures:
        expected[x.sector] = expected.get(x.sector, 0) + 1
    assert shown == expected
    followed = [(x, indicator_statuses(x)) for x in measures]
    areas = rollups(followed, lambda x: x.target_area)
    assert sum(r.indicators for r in areas) == sum(len(s) for x, s in followed if x.target_area)
    assert all(sum(n for _, n in r.progress) == r.indicators for r in areas)


# --- Each indicator's results against its baseline and target ---------------------------------------

def status(baseline, target, values) -> IndicatorStatus:
    indicator = m.Indicator(id="venteliste", name="Personer på venteliste", unit="antall", baseline=8, target=target,
                            due="2026-12-31", responsible="x").model_copy(update={"baseline": baseline})
    results = tuple(m.FollowUpResult(indicator="venteliste", period=f"{n}. tertial", value=1).model_copy(
        update={"value": v}) for n, v in enumerate(values, 1))
    return IndicatorStatus(indicator, results, Progress.not_measured)


def test_a_small_number_is_an_open_bar_up_to_the_threshold():
    chart = indicator_chart(status(12, 2, [7, FewerThan(5)]))
    baseline, first, small = chart.bars
    assert (baseline.kind, first.kind, small.kind) == ("baseline", "result", "fewer")
    assert small.width == pytest.approx(baseline.width * 5 / 12, abs=0.2)  # up to 5: somewhere below its end
    assert small.value == FewerThan(5) and small.period == "2. tertial"
    assert chart.target_x == pytest.approx(chart.left + (chart.right - chart.left) * 2 / nice_top(12), abs=0.1)
    assert indicator_chart(status(12, 2, [])) is None  # nothing measured yet: no chart


def test_a_measure_page_has_a_chart_beside_a_table_for_each_indicator_measured(site):
    page = soup(site / urls.file_of(urls.measure("dagaktivitet-demens")))
    figures = page.select("div.chart-pair")
    assert len(figures) == 3
    waiting = next(f for f in figures if "Personer på venteliste" in words(f.h3))
    svg = waiting.select_one("svg")
    assert svg.select_one("title") and "færre enn 5" in words(svg.select_one("desc"))
    assert svg.select_one("rect.c-fewer") is not None and not re.search(r">\s*[0-4]\s*<", str(svg.select_one("rect.c-fewer").find_next("text")))
    table = {words(r.th): words(r.td) for r in waiting.select("tbody tr")}
    assert table["Startverdi"] == "9" and "færre enn 5" in table.values() and table["Mål (31. desember 2026)"] == "0"


# --- In the browser: light and dark, without JavaScript ----------------------------------------------

@pytest.fixture(scope="module")
def server(site):
    served = browser.LocalServer(site)
    yield served
    served.close()


def test_the_charts_are_drawn_without_javascript_in_light_and_dark(server, chromium):
    fills = {}
    for scheme in ("light", "dark"):
        context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
        page = context.new_page()
        page.emulate_media(color_scheme=scheme)
        page.goto(server.origin + "/" + urls.round_glance(ROUND))
        box = page.locator("figure.chart svg").bounding_box()
        assert box and box["height"] > 100
        fills[scheme] = page.eval_on_selector("rect.c-above", "e => getComputedStyle(e).fill")
        background = page.eval_on_selector("body", "e => getComputedStyle(e).backgroundColor")
        text = page.eval_on_selector("text.c-tick", "e => getComputedStyle(e).fill")
        assert text != background
        context.close()
    assert fills["light"] == "rgb(27, 110, 58)" and fills["dark"] == "rgb(127, 212, 154)"  # --funded, each scheme's
