"""Every sentence the site writes about the budget frame, the funding line and the grants follows
from the figures the page shows (analyses/funding_claims.py), and the scales read the right way
round: generated rounds against the rules, then the built example pages (nb and sv) as a
citizen reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings, strategies as st

from prioportal.analyses.funding_claims import InsteadClaim, LineClaim, funding_claim, opportunity_claim
from prioportal.analyses.ranking import funding_line, prioritised_instead
from prioportal.cli import main
from prioportal.model import decisions as m

REPO = Path(__file__).resolve().parent.parent
EXEMPELBY = REPO / "examples" / "exempelby"

# --- Generated rounds against the rules -----------------------------------------------------

# Outcomes as the checks allow them: partly funded and rationed need an amount, deprioritised and
# postponed cannot have one; None is a measure not decided yet.
_OUTCOMES = ("funded", "efficiency", "partly_funded", "rationed", "deprioritised", "postponed", "discontinued")


def a_measure(i: int, rank: int | None, cost: int, decision: str | None, granted: int | None):
    outcome = None
    if decision is not None:
        outcome = {"decision": decision}
        if decision in ("partly_funded", "rationed"):
            outcome["granted"] = granted or 0
        elif decision in ("funded", "efficiency", "discontinued") and granted is not None:
            outcome["granted"] = granted
        if decision != "funded":
            outcome |= {"rationale": "Fordi.", "consequences": {"affected": "Noen", "description": "Slik."}}
        if decision == "rationed":
            outcome["rationing_type"] = "process"
    return m.Measure.model_validate({
        "id": f"m{i}", "round": "r", "title": f"Tiltak {i:03d}", "summary": "Kort.",
        "sector": "Helse", "service_area": "Hjemmetjenester", "type": "new_need",
        "situation": {"current_state": "Nå.", "goal": "Mål."},
        "proposal": {"description": "Tiltak.", "alternative": "Dagens praksis."},
        "assessments": {}, "rank": rank, "outcome": outcome,
        "costs": [{"description": "Drift", "kind": "recurring", "year_1": cost}],
    })


def a_round(frame: int):
    return m.Round.model_validate({
        "id": "r", "year": 2026, "title": "Budsjett 2026", "purpose": "new_resources",
        "criteria": "k", "budget_frame": frame, "status": "decided", "summary": "Runde.",
    })


@st.composite
def rounds(draw):
    """A round of up to 12 measures: ranks with ties (and some unranked), costs from 0, grants
    below, at or above the cost, measures not decided yet, and a frame from 0 to past the total."""
    n = draw(st.integers(0, 12))
    # One round in five is still being decided: some of its measures have no outcome yet.
    pending = draw(st.integers(0, 4)) == 0
    measures = []
    for i in range(n):
        cost = draw(st.integers(0, 50) | st.sampled_from([0, 100]))
        decision = draw(st.sampled_from(_OUTCOMES + ((None,) if pending else ())))
        granted = None
        if decision in ("partly_funded", "rationed"):
            granted = draw(st.integers(0, cost))
        elif decision in ("funded", "efficiency"):
            granted = draw(st.none() | st.integers(0, 2 * cost + 1))
        rank = draw(st.none() | st.integers(1, 4) | st.integers(1, 10))
        measures.append(a_measure(i, rank, cost, decision, granted))
    total = sum(x.cost_year_1 for x in measures)
    frame = draw(st.integers(0, total + 20) | st.sampled_from([0, total]))
    return a_round(frame), measures


def _order(measures):
    # The council's order, as the ranked list shows it: by rank, unranked last, then by title.
    return sorted(measures, key=lambda x: (x.rank is None, x.rank or 0, x.title.casefold(), x.id))


def _sides(rnd, measures):
    """Above and below the line, computed here from the costs as the reader adds them up."""
    above, below, running = [], [], 0
    for x in _order(measures):
        running += x.cost_year_1
        (above if running <= rnd.budget_frame and not below else below).append(x)
    return above, below


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_every_claim_beside_the_funding_line_follows_from_the_figures(generated):
    rnd, measures = generated
    line = funding_line(rnd, measures)
    claim = funding_claim(line)
    above, below = _sides(rnd, measures)
    frame = rnd.budget_frame
    granted_above = sum(x.granted for x in above)
    granted_below = sum(x.granted for x in below)

    # The figures the sentence names are the figures of the page's columns.
    assert (claim.frame, claim.granted_above, claim.granted_below) == (frame, granted_above, granted_below)
    assert granted_above + granted_below == line.total_granted
    assert [r.above_line for r in line.rows] == [True] * len(above) + [False] * len(below)

    if not measures:
        assert claim.kind is LineClaim.NO_MEASURES and not claim.line_drawn
        return
    if not below:
        # "all measures fit within the budget frame": the running total never passes it.
        assert claim.kind is LineClaim.ALL_FIT and not claim.line_drawn
        assert sum(x.cost_year_1 for x in measures) <= frame
        return
    assert claim.line_drawn
    # "here the added-up cost passes the budget frame", and "had every measure above the line got
    # its full cost, what was left of the frame would not have paid for the next one".
    cost_above = sum(x.cost_year_1 for x in above)
    assert cost_above <= frame < cost_above + below[0].cost_year_1
    # "Not every measure has been decided yet" exactly where one has no decision; no other claim
    # about the grants is made then.
    if any(x.outcome is None for x in measures):
        assert claim.kind is LineClaim.PENDING
        return
    assert claim.kind is not LineClaim.PENDING
    # "The budget frame is used up here" only where the grants above the line reach it.
    used_up = claim.kind in (LineClaim.USED_UP, LineClaim.OVER_FRAME)
    assert used_up == (granted_above >= frame)
    # "Nothing below it" only where no measure below the line got money, and where one did, the
    # sentence names what they got.
    nothing_below = claim.kind in (LineClaim.USED_UP, LineClaim.LEFT_OVER)
    assert nothing_below == all(x.granted == 0 for x in below)
    if claim.kind is LineClaim.OVER_FRAME:
        assert line.total_granted > frame  # "beyond the frame"
    if claim.kind is LineClaim.LEFT_OVER:
        # "{left} of the frame was not granted": exactly what is left of the frame after all grants.
        assert claim.left > 0 and claim.left == frame - line.total_granted


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_what_was_prioritised_instead_is_called_the_price_only_where_the_frame_could_not_hold_both(generated):
    rnd, measures = generated
    for x in measures:
        instead = prioritised_instead(x, measures)
        if not instead:
            continue
        received = sum(o.granted for o in instead)
        claim = opportunity_claim(rnd.budget_frame, received, x.cost_year_1)
        # "The money that went to them could not also go to this measure" ...
        could_not_both = received + x.cost_year_1 > rnd.budget_frame
        assert (claim.kind is InsteadClaim.TRADE_OFF) == could_not_both
        if claim.kind is InsteadClaim.WITHIN_FRAME:
            # ... else "with the full cost of this measure, that is still within the budget frame".
            assert (claim.instead, claim.cost, claim.frame) == (received, x.cost_year_1, rnd.budget_frame)
            assert claim.instead + claim.cost <= claim.frame


def _claim(frame, *rows):
    return funding_claim(funding_line(a_round(frame), [a_measure(i, *row) for i, row in enumerate(rows)]))


def test_the_cases_a_reader_found_each_get_their_own_sentence():
    # Grants below the cost above the line, money left and nothing below: not "used up".
    assert _claim(100, (1, 60, "partly_funded", 30), (2, 50, "deprioritised", None)).kind is LineClaim.LEFT_OVER
    # Rationing below the line: the measures below got money, and the sentence says so.
    shared = _claim(100, (1, 60, "funded", None), (2, 50, "rationed", 20))
    assert shared.kind is LineClaim.SHARED_BELOW and (shared.granted_above, shared.granted_below, shared.left) == (60, 20, 40)
    # The frame reached by the grants above, nothing below: the one case "used up" is said.
    assert _claim(100, (1, 100, "funded", None), (2, 50, "postponed", None)).kind is LineClaim.USED_UP
    assert _claim(100, (1, 100, "funded", None), (2, 50, "rationed", 10)).kind is LineClaim.OVER_FRAME
    # Ties at the line: the same rank on both sides of it, in the order of the titles.
    tie = funding_line(a_round(100), [a_measure(0, 3, 80, "funded", None), a_measure(1, 3, 30, "deprioritised", None)])
    assert [r.above_line for r in tie.rows] == [True, False] and funding_claim(tie).kind is LineClaim.LEFT_OVER
    # An empty round, a frame of 0, all funded, a round not decided yet.
    assert _claim(100).kind is LineClaim.NO_MEASURES
    assert _claim(0, (1, 10, "deprioritised", None)).kind is LineClaim.USED_UP  # nothing above, nothing granted
    assert _claim(0, (1, 10, "rationed", 5)).kind is LineClaim.OVER_FRAME
    assert _claim(100, (1, 40, "funded", None), (2, 60, "funded", None)).kind is LineClaim.ALL_FIT
    assert _claim(100, (1, 80, None, None), (2, 60, "funded", None)).kind is LineClaim.PENDING


# --- Each claim as a built page says it ----------------------------------------------------

# The factory portal's round 2025: a funded measure (rank 1, 1 200 000 kr), a rationed one (rank 4,
# 400 000 kr, granted 400 000 kr) and a deprioritised one (rank 9, 350 000 kr).
_ROUND_PAGE = "rounds/budsjett-2025/index.html"
_BELOW_PAGE = "measures/kveldsapent-bibliotek-2025/index.html"


def _built(make_portal, tmp_path, frame: str | None = None, rationed_granted: str | None = None,
           extra: dict | None = None) -> Path:
    from portal_factory import MEASURE_RATIONED, ROUND_2025, patched
    overrides = dict(extra or {})
    if frame is not None:
        overrides[ROUND_2025] = patched(ROUND_2025, "budget_frame: 45 000 000", f"budget_frame: {frame}")
    if rationed_granted is not None:
        overrides[MEASURE_RATIONED] = patched(MEASURE_RATIONED, "granted: 400000", f"granted: {rationed_granted}")
    root = make_portal(overrides)
    out = tmp_path / "site"
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


@pytest.mark.parametrize("frame, granted, line, below_page", [
    # The grants above reach the frame, nothing below: the one case "used up" is said.
    ("1 200 000", "0", "her er budsjettrammen på 1 200 000 kr brukt opp: ovenfor grensen ble det bevilget "
     "1 200 000 kr, nedenfor den ingenting.",
     "Tiltakene ovenfor grensen fikk til sammen bevilget 1 200 000 kr, og det brukte opp rammen."),
    # The frame reached above, and a measure below rationed on top of it.
    ("1 200 000", "400000", "her er budsjettrammen på 1 200 000 kr brukt opp: ovenfor grensen ble det bevilget "
     "1 200 000 kr. Nedenfor grensen ble det i tillegg bevilget 400 000 kr, utover rammen.",
     "Tiltak nedenfor grensen fikk i tillegg bevilget 400 000 kr, utover rammen."),
    # Money left over, nothing below.
    ("1 400 000", "0", "her blir summen av kostnadene større enn budsjettrammen på 1 400 000 kr. Ovenfor grensen "
     "ble det bevilget 1 200 000 kr, nedenfor den ingenting: 200 000 kr av rammen ble ikke bevilget.",
     "Tiltakene ovenfor grensen fikk til sammen bevilget 1 200 000 kr, og 200 000 kr av rammen ble ikke bevilget."),
    # Money left over, and rationing below the line.
    ("1 400 000", "400000", "her blir summen av kostnadene større enn budsjettrammen på 1 400 000 kr. Ovenfor grensen "
     "ble det bevilget 1 200 000 kr, nedenfor den 400 000 kr.",
     "Tiltakene ovenfor grensen fikk til sammen bevilget 1 200 000 kr, og tiltakene nedenfor den 400 000 kr."),
])
def test_each_claim_is_said_on_the_built_pages(make_portal, tmp_path, frame, granted, line, below_page):
    site = _built(make_portal, tmp_path, frame, granted)
    rows = read(site, _ROUND_PAGE).select("table.ranking tr.funding-line")
    assert len(rows) == 1 and line in text_of(rows[0])
    why = text_of(read(site, _BELOW_PAGE).select_one("section.why"))
    assert "ville ikke budsjettrammen på " + frame + " kr ha rukket til dette" in why
    assert below_page in why


def test_a_round_not_decided_yet_and_a_round_without_measures_claim_nothing_of_grants(make_portal, tmp_path):
    from portal_factory import ROUND_2026, patched
    empty = patched(ROUND_2026, "id: budsjett-2026", "id: budsjett-2027").replace(
        "year: 2026", "year: 2027").replace("title: Budsjett 2026", "title: Budsjett 2027").replace(
        "previous: budsjett-2025", "previous: budsjett-2026")
    site = _built(make_portal, tmp_path, extra={
        ROUND_2026: patched(ROUND_2026, "budget_frame: 30000000", "budget_frame: 5000000"),
        "decisions/rounds/budsjett-2027.yml": empty})
    pending = text_of(read(site, "rounds/budsjett-2026/index.html").select_one("table.ranking tr.funding-line"))
    assert "her blir summen av kostnadene større enn budsjettrammen på 5 000 000 kr. Ikke alle tiltakene er avgjort ennå" in pending
    assert "brukt opp" not in pending and "ble det bevilget" not in pending
    page = read(site, "rounds/budsjett-2027/index.html")
    assert not page.select("table.ranking tr.funding-line")  # not "all measures fit"
    assert "Ingen tiltak er rangert i denne runden ennå." in text_of(page.select_one("#ranking").parent)


# --- The built example pages ----------------------------------------------------------------


@pytest.fixture(scope="module")
def nb_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("claims-nb") / "site"
    assert main(["-f", str(REPO / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def sv_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("claims-sv") / "site"
    assert main(["-f", str(EXEMPELBY / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


def read(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def amount(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def money(value: int) -> str:
    """An amount as the pages write it, spaces normalised: 13 090 000 kr."""
    return f"{value:,}".replace(",", " ") + " kr"


def yaml_docs(root: Path, kind: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "decisions" / kind).rglob("*.yml")]


def ranking_figures(page: BeautifulSoup) -> tuple[int, int, int, str]:
    """The frame and what the page's own column "Granted" adds up to above and below the line,
    with the line's sentence."""
    frame = amount(text_of(page.select_one("dl.facts dd")))
    rows = page.select("table.ranking tbody tr")
    at = next(i for i, row in enumerate(rows) if "funding-line" in row.get("class", []))
    granted = lambda tr: amount(text_of(tr.select("td")[-2]))  # noqa: E731 - the column before Sector
    above = sum(granted(tr) for tr in rows[:at])
    below = sum(granted(tr) for tr in rows[at + 1:])
    return frame, above, below, text_of(rows[at])


NB_ROUNDS = ("budsjett-2025", "budsjett-2026")
SV_ROUNDS = ("budget-2026-namnderna", "investeringsbudget-2026")


@pytest.mark.parametrize("round_id", NB_ROUNDS)
def test_nb_funding_line_says_what_was_granted_on_each_side_not_that_the_frame_ran_out(nb_site, round_id):
    page = read(nb_site, f"rounds/{round_id}/index.html")
    frame, above, below, sentence = ranking_figures(page)
    # Budsjett 2026: 13.09 of 16.5 million above the line, 3.41 million to four measures below it.
    assert above < frame and below > 0
    assert "brukt opp" not in sentence and "får ikke plass" not in sentence
    assert (f"her blir summen av kostnadene større enn budsjettrammen på {money(frame)}. "
            f"Ovenfor grensen ble det bevilget {money(above)}, nedenfor den {money(below)}.") in sentence
    assert "Kolonnen «Bevilget» viser hvor mye hvert tiltak fikk." in sentence
    intro = text_of(page.select_one("#ranking").find_next("p"))
    assert "får ikke plass innenfor rammen" not in intro
    assert "ikke ha rukket til det neste tiltaket" in intro


@pytest.mark.parametrize("round_id", SV_ROUNDS)
def test_sv_funding_line_says_what_was_granted_on_each_side_not_that_the_frame_ran_out(sv_site, round_id):
    page = read(sv_site, f"rounds/{round_id}/index.html")
    frame, above, below, sentence = ranking_figures(page)
    assert above < frame and below > 0
    assert "slut" not in sentence and "ryms inte" not in sentence
    assert (f"här blir summan av kostnaderna större än budgetramen på {money(frame)}. "
            f"Ovanför gränsen beviljades {money(above)} och nedanför {money(below)}.") in sentence
    intro = text_of(page.select_one("#ranking").find_next("p"))
    assert "ryms inte inom ramen" not in intro


def _below_line_pages(site: Path, root: Path, rounds: tuple[str, ...]):
    """Each decided measure below the line that is not fully funded, with its round's figures."""
    for round_id in rounds:
        frame, above, below, _ = ranking_figures(read(site, f"rounds/{round_id}/index.html"))
        page = read(site, f"rounds/{round_id}/index.html")
        for a in page.select("table.ranking tr.below th a"):
            measure = read(site, f"rounds/{round_id}/{a['href']}index.html")
            if measure.select_one("section.why"):
                yield measure, frame, above, below


def test_nb_measure_below_the_line_no_longer_says_the_measures_above_used_up_the_frame(nb_site):
    pages = list(_below_line_pages(nb_site, REPO, NB_ROUNDS))
    assert len(pages) >= 6
    for page, frame, above, below in pages:
        why = text_of(page.select_one("section.why"))
        assert "brukte opp budsjettrammen" not in why
        assert f"ville ikke budsjettrammen på {money(frame)} ha rukket til dette" in why
        assert f"Tiltakene ovenfor grensen fikk til sammen bevilget {money(above)}, og tiltakene nedenfor den {money(below)}." in why


def test_sv_measure_below_the_line_no_longer_says_the_measures_above_used_up_the_frame(sv_site):
    pages = list(_below_line_pages(sv_site, EXEMPELBY, SV_ROUNDS))
    assert len(pages) >= 6
    for page, frame, above, below in pages:
        why = text_of(page.select_one("section.why"))
        assert "använde upp budgetramen" not in why
        assert f"Åtgärderna ovanför gränsen beviljades sammanlagt {money(above)}, och åtgärderna nedanför den {money(below)}." in why


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_the_price_of_what_was_prioritised_instead_is_claimed_only_where_the_frame_could_not_hold_both(
        nb_site, sv_site, language):
    site, root = (nb_site, REPO) if language == "nb" else (sv_site, EXEMPELBY)
    trade_off = {"nb": "kunne ikke også gå til dette tiltaket", "sv": "kunde inte också gå till den här åtgärden"}[language]
    within = {"nb": "er det fortsatt innenfor budsjettrammen", "sv": "ryms det ändå inom budgetramen"}[language]
    frames = {d["id"]: d["budget_frame"] for d in yaml_docs(root, "rounds")}
    seen = set()
    for d in yaml_docs(root, "measures"):
        page = read(site, f"measures/{d['id']}/index.html")
        listed = page.select("ul.instead li")
        if not listed:
            continue
        why = text_of(page.select_one("section.why"))
        received = sum(amount(text_of(li).rsplit(",", 1)[1]) for li in listed)  # "<title> – rank 2, 1 150 000 kr"
        cost = sum(int(str(c.get("year_1", 0)).replace(" ", "")) for c in d.get("costs", []))
        both_pass = received + cost > int(str(frames[d["round"]]).replace(" ", ""))
        assert (trade_off in why) == both_pass, d["id"]
        assert (within in why) == (not both_pass), d["id"]
        seen.add(both_pass)
    assert seen == {True, False}  # the examples show both sentences


# --- Scales that read the right way round ----------------------------------------------------


def test_nb_rank_says_which_end_of_the_scale_is_the_highest_priority(nb_site):
    d = next(x for x in yaml_docs(REPO, "measures") if x.get("rank") == 8)
    rank = text_of(next(div for div in read(nb_site, f"measures/{d['id']}/index.html").select(".decision-box .facts div")
                        if text_of(div.dt) == "Rang").dd)
    assert rank.startswith("8 på en skala fra 1 (høyest prioritet) til 10 (lavest prioritet)")
    assert "8 av 10" not in rank


def test_sv_rank_is_a_place_on_a_scale_from_the_highest_priority(sv_site):
    d = next(x for x in yaml_docs(EXEMPELBY, "measures") if x.get("rank"))
    fact = read(sv_site, f"measures/{d['id']}/index.html").select_one(".decision-box .facts div")
    assert "plats plats" not in text_of(fact).casefold()  # the term "Plats" heads it once
    assert text_of(fact.dd).startswith(f"{d['rank']} på en skala från 1 (högst prioritet) till 10 (lägst prioritet)")


def _scales(root: Path) -> dict[str, dict[str, list[str]]]:
    return {c["id"]: {k["id"]: [lvl["id"] for lvl in k["scale"]] for k in c["criteria"]} for c in yaml_docs(root, "criteria")}


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_each_level_says_which_end_of_its_scale_speaks_for_the_measure(nb_site, sv_site, language):
    site, root = (nb_site, REPO) if language == "nb" else (sv_site, EXEMPELBY)
    words = {"nb": ("det nivået som taler mest for å prioritere tiltaket", "det nivået som taler minst for å prioritere tiltaket",
                    "der nivå 1 taler mest for å prioritere tiltaket"),
             "sv": ("den nivå som talar mest för att prioritera åtgärden", "den nivå som talar minst för att prioritera åtgärden",
                    "där nivå 1 talar mest för att prioritera åtgärden")}[language]
    rounds = {d["id"]: d["criteria"] for d in yaml_docs(root, "rounds")}
    scales = _scales(root)
    seen = set()
    for d in yaml_docs(root, "measures"):
        page = read(site, f"measures/{d['id']}/index.html")
        for tr in page.select("#assessment ~ div table tbody tr"):
            criterion = tr.th.a["href"].rsplit("#criterion-", 1)[1]
            scale = scales[rounds[d["round"]]][criterion]
            n, total = scale.index(d["assessments"][criterion]["level"]) + 1, len(scale)
            cell = text_of(tr.select_one("td span.muted"))
            expected = words[0] if n == 1 else words[1] if n == total else words[2]
            assert cell == f"nivå {n} av {total}, {expected}", (d["id"], criterion)
            seen.add(expected)
    assert len(seen) == 3


def test_nb_least_severe_level_no_longer_reads_as_the_maximum(nb_site):
    d = next(x for x in yaml_docs(REPO, "measures") if x["assessments"].get("alvorlighet", {}).get("level") == "liten"
             and x["round"] == "budsjett-2026")
    page = read(nb_site, f"measures/{d['id']}/index.html")
    row = next(tr for tr in page.select("#assessment ~ div table tbody tr") if "Alvorlighet" in text_of(tr.th))
    assert text_of(row.td) == "Liten nivå 4 av 4, det nivået som taler minst for å prioritere tiltaket"


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_scale_captions_match_the_order_shown(nb_site, sv_site, language):
    site = nb_site if language == "nb" else sv_site
    caption = {"nb": "det første nivået taler mest for å prioritere et tiltak, det siste minst",
               "sv": "den första nivån talar mest för att prioritera en åtgärd, den sista minst"}[language]
    page = read(site, "criteria/index.html")
    tables = page.select("table.scale")
    assert tables
    for table in tables:
        text = text_of(table.caption)
        assert caption in text and "høyeste til laveste" not in text and "högsta till lägsta" not in text
    # The resource criterion lists the lowest use first, the level that speaks most for a measure.
    first = {text_of(t.caption).split(":")[0]: text_of(t.select_one("tbody th")) for t in tables}
    if language == "nb":
        assert first["Skala for Ressurs"] == "Lav"
    else:
        assert first["Skala för Kostnad"] == "Låg"
