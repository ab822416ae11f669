"""Who was heard, and who is affected (issue #28, items 3 and 4).

What happened to an input: every input has a stable anchor on its measure's page, and each
source of input (each statutory council, each named group, single persons by kind) has a page
listing everything it said, round by round, how each input was considered and what was decided.

The affected groups: a criteria set names the groups (`affected_groups`), a measure's
consequences name the groups they concern (`consequences.groups`, checked against its round's
criteria), and each group has a page: the measures that received resources and those cut or not
funded, with their consequences and what softens them. Both bundled examples have such pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal_factory import (CRITERIA_V1, MEASURE_DEPRIORITISED, MEASURE_FUNDED, MEASURE_RATIONED, load_problems,
                            patch_file, position, write_portal)
from prioportal.cli import main
from prioportal.model import decisions as m
from prioportal.site import urls
from prioportal.site.voices import input_anchors

ROOT = Path(__file__).resolve().parent.parent
GROUPS = """affected_groups:
  - id: eldre
    name: Eldre
    description: Innbyggere over 67 år.
  - id: barn-og-unge
    name: Barn og unge
outcomes:
"""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def with_groups(root: Path) -> Path:
    """The test portal with affected groups in the 2025 criteria, and a cut measure naming one."""
    patch_file(root, CRITERIA_V1, "outcomes:\n", GROUPS)
    patch_file(root, MEASURE_DEPRIORITISED, "  consequences:\n", "  consequences:\n    groups: [barn-og-unge]\n")
    patch_file(root, MEASURE_DEPRIORITISED, "    description: De kan fortsatt bruke biblioteket på lørdager.\n",
               "    description: De kan fortsatt bruke biblioteket på lørdager.\n"
               "    mitigation: Skolebiblioteket holder åpent etter skoletid.\n")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("groups")
    root = with_groups(write_portal(base / "portal"))
    out = base / "site"
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


# --- What happened to my input --------------------------------------------------------------------

def test_every_input_has_an_anchor_its_source_page_links_to(site):
    measure = soup(site / urls.file_of(urls.measure("styrket-hjemmetjeneste-2025")))
    [block] = measure.select("div.input")
    assert block["id"] == "input-2024-09-15-eldreradet"
    link = block.select_one('a[href$="inputs/elderly-council/"]')
    assert link is not None and "Eldrerådet" in link.get_text()
    council = soup(site / urls.file_of(urls.input_source("elderly-council")))
    assert council.h1.get_text() == "Innspill fra Eldrerådet"
    [entry] = council.select("div.input")
    assert entry.select_one("a")["href"].endswith("measures/styrket-hjemmetjeneste-2025/#input-2024-09-15-eldreradet")
    text = " ".join(entry.get_text(" ").split())
    assert "Eldrerådet ba om kortere ventetid." in text  # what they said
    assert "Innspillet er tatt med i vurderingen av alvorlighet." in text  # how it was considered
    assert "Prioritert" in text  # and what was decided


def test_the_page_of_every_source_names_each_statutory_council_heard_or_not(site):
    page = soup(site / urls.file_of(urls.input_sources()))
    rows = {" ".join(row.th.get_text().split()): " ".join(row.get_text(" ").split()) for row in page.select("tbody tr")}
    assert list(rows)[:3] == ["Eldrerådet", "Rådet for personer med funksjonsnedsettelse", "Ungdomsrådet"]
    assert "Ingen innspill registrert" in rows["Ungdomsrådet"]  # not heard: said, not hidden
    assert page.select_one('a[href$="inputs/elderly-council/"]') is not None
    assert page.select_one('a[href$="inputs/youth-council/"]') is None  # no page for a council not heard
    process = soup(site / urls.file_of(urls.process()))
    assert process.select_one('a[href$="inputs/"]') is not None


def test_an_anchor_stays_when_inputs_are_added_before_it():
    first = m.Input(source="elderly_council", name="Eldrerådet", date="2025-01-10", summary="a", consideration="b")
    second = m.Input(source="residents", name="Sørvik vel", date="2025-02-01", summary="c", consideration="d")
    again = m.Input(source="elderly_council", name="Eldrerådet", date="2025-01-10", summary="e", consideration="f")

    class Measure:  # input_anchors reads only the inputs
        def __init__(self, inputs):
            self.inputs = inputs

    before = input_anchors(Measure([second]))
    after = input_anchors(Measure([first, second, again]))
    assert before == ["input-2025-02-01-sorvik-vel"]
    assert after == ["input-2025-01-10-eldreradet", "input-2025-02-01-sorvik-vel", "input-2025-01-10-eldreradet-2"]


# --- Affected groups -------------------------------------------------------------------------------

def test_a_group_page_shows_what_was_cut_with_its_consequences_and_mitigation(site):
    page = soup(site / urls.file_of(urls.affected_group("barn-og-unge")))
    assert page.h1.get_text() == "Barn og unge: hva prioriteringene betyr for dem"
    text = " ".join(page.get_text(" ").split())
    cut = text.split("Kuttet eller fikk ikke penger", 1)[1]
    assert "Kveldsåpent bibliotek" in cut and "Ikke prioritert" in cut
    assert "De kan fortsatt bruke biblioteket på lørdager." in cut
    assert "Skolebiblioteket holder åpent etter skoletid." in cut
    # The measure's page names the group and links to its page.
    measure = soup(site / urls.file_of(urls.measure("kveldsapent-bibliotek-2025")))
    link = measure.select_one('section[aria-labelledby="consequences"] a[href$="affected-groups/barn-og-unge/"]')
    assert link is not None and link.get_text() == "Barn og unge"
    # A group no consequence names yet has its page too, which says so.
    eldre = " ".join(soup(site / urls.file_of(urls.affected_group("eldre"))).get_text(" ").split())
    assert "Innbyggere over 67 år." in eldre and "Ingen konsekvenser av tiltak nevner denne gruppen ennå." in eldre
    index = soup(site / urls.file_of(urls.affected_groups()))
    assert [a.get_text() for a in index.select("ul.listing a")] == ["Eldre", "Barn og unge"]
    assert soup(site / urls.file_of(urls.browse())).select_one('a[href$="affected-groups/"]') is not None


def test_the_open_data_holds_the_groups(site):
    criteria = json.loads((site / "open-data" / "criteria.json").read_text(encoding="utf-8"))
    [v1] = [c for c in criteria if c["id"] == "kriterier-2025"]
    assert [g["id"] for g in v1["affected_groups"]] == ["eldre", "barn-og-unge"]
    measures = json.loads((site / "open-data" / "measures.json").read_text(encoding="utf-8"))
    [library] = [x for x in measures if x["id"] == "kveldsapent-bibliotek-2025"]
    assert library["outcome"]["consequences"]["groups"] == ["barn-og-unge"]
    header, *rows = (site / "open-data" / "measures.csv").read_text(encoding="utf-8").splitlines()
    column = header.split(",").index("consequences_groups")
    assert any(row.split(",")[column] == "barn-og-unge" for row in rows if row.startswith("kveldsapent-bibliotek-2025,"))


def test_a_group_not_in_the_rounds_criteria_is_reported_with_the_one_meant(tmp_path):
    root = with_groups(write_portal(tmp_path / "portal"))
    text = patch_file(root, MEASURE_RATIONED, "  consequences:\n", "  consequences:\n    groups: [eldre, barn-unge]\n")
    problems = load_problems(root)
    [problem] = [p for p in problems if "barn-unge" in str(p)]
    assert (problem.line, problem.column) == position(text, "barn-unge")
    assert "there is no affected group with the id 'barn-unge'" in problem.message
    assert "did you mean 'barn-og-unge'?" in problem.advice


def test_groups_without_a_vocabulary_say_where_to_define_them(tmp_path):
    root = write_portal(tmp_path / "portal")
    patch_file(root, MEASURE_RATIONED, "  consequences:\n", "  consequences:\n    groups: [eldre]\n")
    [problem] = [p for p in load_problems(root) if "eldre" in str(p)]
    assert "affected_groups:" in problem.advice and "kriterier-2025" in problem.advice


def test_a_group_listed_twice_in_the_criteria_is_reported(tmp_path):
    root = write_portal(tmp_path / "portal")
    text = patch_file(root, CRITERIA_V1, "outcomes:\n", GROUPS.replace("outcomes:\n", "  - id: eldre\n    name: Eldre\noutcomes:\n"))
    [problem] = [p for p in load_problems(root) if "listed twice" in p.message]
    assert "'eldre'" in problem.message
    assert problem.line == position(text, "  - id: eldre\n    name: Eldre\noutcomes:")[0]


@pytest.mark.parametrize("example, group, funded", [
    (ROOT, "eldre", "Nattpatrulje i hjemmetjenesten"),
    (ROOT / "examples" / "exempelby", "aldre", "Kommunhuset"),
])
def test_both_examples_have_pages_for_inputs_and_groups(tmp_path, example, group, funded):
    out = tmp_path / "site"
    assert main(["-f", str(example / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    page = " ".join(soup(out / urls.file_of(urls.affected_group(group))).get_text(" ").split())
    assert funded in page
    for council in ("elderly-council", "disability-council", "youth-council"):
        heard = soup(out / urls.file_of(urls.input_source(council))).select("div.input")
        assert len(heard) >= 3, council  # each council gave input on several measures
