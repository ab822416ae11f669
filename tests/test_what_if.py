"""The funding line as figures anyone can check (analyses/what_if.py): the money a measure below
the line would have needed, and the measures that would cross the line at another budget frame,
against `funding_line` computed again at the changed frame; then the built example as a
citizen reads it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies as st

from prioportal.analyses.ranking import funding_line
from prioportal.analyses.what_if import CHANGES, changed_frame, extra_needed, what_if
from prioportal.cli import main
from tests.test_funding_claims import a_measure, a_round

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "kommune"


@st.composite
def rounds(draw):
    """A round of up to 12 measures: ranks with ties and some unranked, costs mostly 0 or more,
    now and then a saving (a negative cost), and a frame from below 0 to past the total."""
    n = draw(st.integers(0, 12))
    measures = []
    for i in range(n):
        cost = draw(st.integers(0, 60) | st.integers(-30, 60) | st.sampled_from([0, 100]))
        rank = draw(st.none() | st.integers(1, 4) | st.integers(1, 10))
        measures.append(a_measure(i, rank, cost, draw(st.sampled_from(["funded", "deprioritised"])), None))
    total = sum(max(0, x.cost_year_1) for x in measures)
    frame = draw(st.integers(-20, total + 20) | st.sampled_from([0, total]))
    return a_round(frame), measures


def _above(rnd, measures, frame) -> set[str]:
    return {row.measure.id for row in funding_line(rnd.model_copy(update={"budget_frame": frame}), measures).rows if row.above_line}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_the_extra_money_is_exactly_what_makes_the_measure_fit(generated):
    rnd, measures = generated
    line = funding_line(rnd, measures)
    extra = extra_needed(line)
    below = [row.measure for row in line.rows if not row.above_line and row.measure.rank is not None]
    assert set(extra) == {x.id for x in below}
    for x in below:
        assert extra[x.id] > 0
        # With the frame plus that much, the measure is above the line; with a krone less, not.
        assert x.id in _above(rnd, measures, rnd.budget_frame + extra[x.id])
        assert x.id not in _above(rnd, measures, rnd.budget_frame + extra[x.id] - 1)
    if all(x.cost_year_1 >= 0 for x in measures):
        # Without savings it is the sentence's arithmetic: the full cost of every measure before
        # it in rank order and its own, less the frame.
        for row in line.rows:
            if row.measure.id in extra:
                before = line.rows[:line.rows.index(row) + 1]
                assert extra[row.measure.id] == sum(r.measure.cost_year_1 for r in before) - rnd.budget_frame


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_the_what_if_rows_agree_with_the_line_drawn_at_the_changed_frame(generated):
    rnd, measures = generated
    line = funding_line(rnd, measures)
    now = {row.measure.id for row in line.rows if row.above_line}
    order = [row.measure.id for row in line.rows]
    rows = what_if(line)
    assert [r.percent for r in rows] == list(CHANGES)
    for r in rows:
        # The frame in whole kroner, at most half a krone from the exact change.
        assert abs(Fraction(r.frame) - Fraction(rnd.budget_frame * (100 + r.percent), 100)) <= Fraction(1, 2)
        then = _above(rnd, measures, r.frame)
        moved, none = (then - now, now - then) if r.come_above else (now - then, then - now)
        assert none == set()  # the line moves one way only
        assert [x.id for x in r.crossing] == [i for i in order if i in moved]  # in rank order


def test_the_changed_frame_is_rounded_half_up_to_whole_kroner():
    assert changed_frame(1_000_005, -10) == 900_005  # 900004.5
    assert changed_frame(1_000_005, 5) == 1_050_005  # 1050005.25
    assert changed_frame(12_000_000, 10) == 13_200_000


# --- The built examples, as a citizen reads them ---------------------------------------------

def _amount(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def _load(root: Path):
    from prioportal.model import decisions as m
    rounds = {p.stem: m.Round.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
              for p in (root / "decisions" / "rounds").glob("*.yml")}
    measures = [m.Measure.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
                for p in (root / "decisions" / "measures").rglob("*.yml")]
    return {r.id: r for r in rounds.values()}, measures


@pytest.fixture(scope="module", params=["nb", "sv"])
def built(request, tmp_path_factory):
    root = REPO if request.param == "nb" else REPO / "examples" / "exempelby"
    out = tmp_path_factory.mktemp(f"what-if-{request.param}") / "site"
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return root, out


def _read(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_measure_below_the_line_says_how_much_more_its_round_would_have_needed(built):
    root, out = built
    rounds, measures = _load(root)
    checked = 0
    for rnd in rounds.values():
        members = sorted((x for x in measures if x.round == rnd.id),
                         key=lambda x: (x.rank is None, x.rank or 0, x.title.casefold(), x.id))
        running = 0
        for x in members:  # the arithmetic from the decision files, as a reader does it
            running += x.cost_year_1
            page = _read(out / "measures" / x.id / "index.html")
            sentence = page.select_one("p.extra-needed")
            if running <= rnd.budget_frame or x.rank is None or not page.select_one("section.why"):
                assert sentence is None or running > rnd.budget_frame
                continue
            assert sentence is not None, x.id
            assert _amount(sentence.get_text()) == running - rnd.budget_frame
            checked += 1
    assert checked


def test_the_round_page_table_shows_who_would_cross_the_line_at_each_frame(built):
    root, out = built
    rounds, measures = _load(root)
    for rnd in rounds.values():
        members = [x for x in measures if x.round == rnd.id]
        now = {row.measure.id for row in funding_line(rnd, members).rows if row.above_line}
        table = _read(out / "rounds" / rnd.id / "index.html").select_one("table.what-if")
        assert "not a decision" in table.caption.get_text() or "inte ett beslut" in table.caption.get_text() \
            or "ikke et vedtak" in table.caption.get_text()
        rows = table.select("tbody tr")
        assert len(rows) == len(CHANGES)
        for row, percent in zip(rows, CHANGES):
            frame = _amount(row.select("td")[0].get_text())
            assert frame == changed_frame(rnd.budget_frame, percent)
            line = funding_line(rnd.model_copy(update={"budget_frame": frame}), members)
            then = {r.measure.id for r in line.rows if r.above_line}
            expected = [r.measure.title for r in line.rows if r.measure.id in (then ^ now)]
            assert [a.get_text(strip=True) for a in row.select("td a")] == expected[:10]
