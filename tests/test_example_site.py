"""The bundled example portal, built as `make site` builds it, read the way a citizen reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from prioportal.cli import main
from prioportal.text.i18n import Translator

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    assert main(["-f", str(REPO / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


def measures_data() -> dict[str, dict]:
    return {d["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                 for p in (REPO / "decisions" / "measures").rglob("*.yml"))}


def rounds_data() -> dict[str, dict]:
    return {d["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                 for p in (REPO / "decisions" / "rounds").glob("*.yml"))}


def read(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_example_covers_what_the_foundation_promises():
    measures = measures_data()
    for round_id in rounds_data():
        assert sum(1 for d in measures.values() if d["round"] == round_id) >= 12
    outcomes = {d["outcome"]["decision"] for d in measures.values()}
    assert outcomes == {"funded", "partly_funded", "rationed", "efficiency", "deprioritised", "discontinued", "postponed"}
    rationing = {d["outcome"].get("rationing_type") for d in measures.values() if d["outcome"]["decision"] == "rationed"}
    assert rationing == {"structure", "process", "result"}
    assert any(d.get("previous") for d in measures.values())
    councils = {i["source"] for d in measures.values() for i in d.get("inputs", [])}
    assert {"elderly_council", "disability_council", "youth_council"} <= councils


def test_deprioritised_measure_explains_why_and_names_what_was_prioritised_instead(site):
    measures = measures_data()
    target = next(d for d in measures.values() if d["outcome"]["decision"] == "deprioritised" and d["round"] == "budsjett-2026")
    page = read(site, f"measures/{target['id']}/index.html")
    main_text = text_of(page.select_one("main"))
    # Outcome and summary come first, before any detail.
    box = page.select_one(".decision-box")
    assert "Nedprioritert" in text_of(box)
    assert " ".join(target["summary"].split()) in text_of(box)
    why = page.select_one("section.why")
    assert why is not None
    first_sentence = target["outcome"]["rationale"].strip().split(".")[0].replace("*", "")
    assert " ".join(first_sentence.split()) in text_of(why)
    # The opportunity cost: every higher-ranked measure in the round that received money.
    expected = {d["title"] for d in measures.values()
                if d["round"] == target["round"] and d["rank"] < target["rank"]
                and d["outcome"]["decision"] in ("funded", "partly_funded", "rationed", "efficiency")
                and (d["outcome"].get("granted") or d["outcome"]["decision"] == "funded")}
    listed = {a.get_text(strip=True) for a in why.select("ul.instead a")}
    assert listed == expected and expected
    assert text_of(page.select_one("#consequences").parent).count(target["outcome"]["consequences"]["affected"].split()[0]) >= 1
    assert "Konsekvenser" in main_text


def test_round_page_draws_the_funding_line_where_the_cost_passes_the_frame(site):
    measures = measures_data()
    for round_id, rnd in rounds_data().items():
        ranked = sorted((d for d in measures.values() if d["round"] == round_id), key=lambda d: (d["rank"], d["title"].casefold()))
        cumulative, above = 0, []
        for d in ranked:
            cumulative += sum(int(str(c.get("year_1", 0)).replace(" ", "")) for c in d.get("costs", []))
            if cumulative > rnd["budget_frame"]:
                break
            above.append(d["title"])
        page = read(site, f"rounds/{round_id}/index.html")
        rows = page.select("table.ranking tbody tr")
        line_index = next(i for i, row in enumerate(rows) if "funding-line" in row.get("class", []))
        titles_above = [row.select_one("th a").get_text(strip=True) for row in rows[:line_index]]
        assert titles_above == above
        # The line names this round's own budget frame, as the decision file gives it.
        frame = int(str(rnd["budget_frame"]).replace(" ", ""))
        assert f"{frame:,}".replace(",", " ") in text_of(rows[line_index])
        # Below the line is said in words, not only with colour, and not as "under budsjettgrensen",
        # which reads as "within budget"; where it got nothing, the row says so.
        for row in rows[line_index + 1:]:
            assert "nedenfor budsjettgrensen" in text_of(row) and "under budsjettgrensen" not in text_of(row)
            granted = row.select("td.num")[-1].get_text(strip=True)
            assert ("fikk ikke penger" in text_of(row)) == (granted == "0\u00a0kr"), (text_of(row), granted)


def test_round_totals_match_the_decisions(site):
    measures = measures_data()
    for round_id in rounds_data():
        granted = sum(int(str(d["outcome"].get("granted", "0")).replace(" ", "")) if d["outcome"].get("granted") is not None
                      else sum(int(str(c.get("year_1", 0)).replace(" ", "")) for c in d.get("costs", []))
                      if d["outcome"]["decision"] == "funded" else 0
                      for d in measures.values() if d["round"] == round_id)
        foot = text_of(read(site, f"rounds/{round_id}/index.html").select_one("table.ranking tfoot"))
        assert f"{granted:,}".replace(",", "\u00a0") in foot.replace(" ", "\u00a0")


def test_recurring_measure_links_both_years(site):
    measures = measures_data()
    later = next(d for d in measures.values() if d.get("previous"))
    earlier = measures[later["previous"]]
    new_page = read(site, f"measures/{later['id']}/index.html")
    old_page = read(site, f"measures/{earlier['id']}/index.html")
    assert new_page.select_one(f'#history ~ ol a[href="../../measures/{earlier["id"]}/"]') or \
        new_page.select_one(f'a[href="../../measures/{earlier["id"]}/"]')
    assert old_page.select_one(f'a[href="../../measures/{later["id"]}/"]')


def test_criteria_page_explains_every_criterion_and_the_change_note(site):
    newest = yaml.safe_load((REPO / "decisions" / "criteria" / "kriterier-2026.yml").read_text(encoding="utf-8"))
    page = read(site, "criteria/index.html")
    text = text_of(page.select_one("main"))
    for criterion in newest["criteria"]:
        assert criterion["name"] in text
        for level in criterion["scale"]:
            assert level["label"] in text
    assert " ".join(newest["change_note"].split())[:60] in text
    older = read(site, "criteria/kriterier-2025/index.html")
    assert "kriterier-2026" not in older.select_one("main h1").get_text()


def test_follow_up_page_shows_indicators_and_evaluation_decisions(site):
    page = read(site, "rounds/budsjett-2025/follow-up/index.html")
    text = text_of(page.select_one("main"))
    tr = Translator("nb")
    for decision in ("Continue", "Correct", "Stop"):  # the example uses all three
        assert f"{tr.gettext('Evaluation')}: {tr.gettext(decision)}" in text, decision
    assert page.select("table.indicators tbody tr")


def test_home_shows_current_round_latest_decisions_and_how_to_give_input(site):
    page = read(site, "index.html")
    text = text_of(page.select_one("main"))
    assert "Budsjett 2026" in text
    assert page.select(".cards .card")
    assert page.select_one('main a[href="https://eksempelvik.kommune.no/innspill"]')
    nav = [a.get_text(strip=True) for a in page.select("header nav a")]
    assert "Gi innspill" in nav and "Om portalen" in nav  # narrative pages beside generated ones
    assert len(nav) < 15  # measures are never all in the menu


def test_every_measure_page_with_its_css_stays_within_40_kb(site):
    # Measured uncompressed, the stricter reading: a phone on a poor connection without gzip still gets it fast.
    css = (site / "assets" / "style.css").stat().st_size
    heaviest = max((p.stat().st_size for p in (site / "measures").glob("*/index.html")))
    assert heaviest + css <= 40 * 1024, f"{heaviest} + {css} bytes"
