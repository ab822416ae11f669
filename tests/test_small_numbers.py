"""Small numbers are not published: a follow-up value that counts persons below the portal's
threshold (`personal_data.small_numbers`, 5 unless set) is shown as "fewer than 5" in the pages,
the feeds, the open data and `prioportal diff`, as statistics offices do.

The proof that no such value leaks is a comparison: two portals, the same in every file but the
raw count (3 persons in one, 2 in the other, both below 5), each with the same git history, are
built; every file the two builds write, the pages, feeds, open data (the workbook read with
openpyxl, the zip's entries), the search index, is the same, once the commit ids (which hash the
files) are set aside. Whatever the build published of the raw value would differ. A count above
the threshold (7, earlier in the history) is published as it is, on both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from gitrepo import git, publish_portal
from portal_factory import MEASURE_FUNDED, MKDOCS, MKDOCS_TEXT, load, patch_file, write_portal
from site_files import outputs
from prioportal.analyses.followup import Progress, progress
from prioportal.cli import main
from prioportal.model import decisions as m
from prioportal.model.small_numbers import FewerThan, counts_persons, published_document, unit_counts_persons
from prioportal.site import urls

pytestmark = pytest.mark.usefixtures("git_program")

MEASURE = "styrket-hjemmetjeneste-2025"
PERIOD = "2. halvår 2025"
# An indicator that counts persons (its unit says so), with a baseline and a first result above
# the threshold; the later result is the small number.
INDICATOR = """    - id: venteliste
      name: Brukere på venteliste
      unit: personer
      baseline: 8
      target: 0
      due: 2025-12-31
      responsible: Kommunalsjef helse
"""
FIRST_RESULT = f"""    - indicator: venteliste
      period: {PERIOD}
      value: 7
"""
FIRST = "2025-08-01T09:00:00+02:00"
SMALL = "2025-12-01T09:00:00+01:00"


def portal_with_count(base: Path, count: int) -> Path:
    """The test portal in git: published with 7 persons on the waiting list, then `count`."""
    root = write_portal(base / "portal")
    patch_file(root, MEASURE_FUNDED, "  results:\n", INDICATOR + "  results:\n" + FIRST_RESULT)
    publish_portal(root, "Vedtakene publisert", when=FIRST)
    patch_file(root, MEASURE_FUNDED, "      value: 7\n", f"      value: {count}\n")
    git(root, "commit", "-q", "-am", "Nytt resultat", when=SMALL)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[int, dict]:
    """For each small count, its portal, its site's files as text, and its commits' ids."""
    made = {}
    for count in (3, 2):
        base = tmp_path_factory.mktemp(f"small-{count}")
        root = portal_with_count(base, count)
        site = base / "site"
        assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(site)]) == 0
        commits = git(root, "log", "--format=%H").split()
        made[count] = {"root": root, "site": site, "files": outputs(site), "commits": commits}
    return made


def without_commits(text: str, commits: list[str]) -> str:
    for commit in commits:
        text = text.replace(commit, "COMMIT").replace(commit[:12], "COMMIT").replace(commit[:10], "COMMIT")
    return text


def test_no_file_of_the_site_depends_on_a_count_below_the_threshold(built):
    three, two = built[3], built[2]
    assert three["files"].keys() == two["files"].keys()
    # A round's manifest holds the SHA-256 of each file, which differs with the commit a page names:
    # it is compared by the files it lists.
    manifests = {name for name in three["files"] if name.endswith(urls.MANIFEST)}
    assert manifests
    for name in manifests:
        assert [line.split()[-1] for line in three["files"][name].splitlines() if not line.startswith("#")] == \
               [line.split()[-1] for line in two["files"][name].splitlines() if not line.startswith("#")]
    differ = [name for name in three["files"].keys() - manifests
              if without_commits(three["files"][name], three["commits"]) != without_commits(two["files"][name], two["commits"])]
    assert differ == []
    # What was compared: pages, feeds, the open data in every format, the search index.
    names = set(three["files"])
    assert {"open-data/measures.json", "open-data/decisions.xlsx", "feed.xml", "search/index.json",
            urls.measure_feed(MEASURE), urls.file_of(urls.measure(MEASURE))} <= names
    assert any(name.startswith("open-data/") and name.endswith(".csv") for name in names)


def test_the_small_number_reads_fewer_than_5_where_it_is_shown(built):
    files = built[3]["files"]
    page = files[urls.file_of(urls.measure(MEASURE))]
    row = re.search(r"<tr><th scope=\"row\">Brukere på venteliste.*?</tr>", page).group(0)
    assert "færre enn 5" in row and "8" in row  # the latest result hidden, the baseline above 5 shown
    assert not re.search(r">\s*3\s*<|>\s*3 ", row)
    # The follow-up page of the round says the same.
    assert "færre enn 5" in files[urls.file_of(urls.round_follow_up("budsjett-2025"))]
    # The measure's history and its feed say what changed as it is published: 7 → fewer than 5.
    assert re.search(r"<del>7</del> → <ins>færre enn 5</ins>", page)
    feed = feedparser.parse(files[urls.measure_feed(MEASURE)].encode("utf-8"))
    [result] = [e for e in feed.entries if e.id.endswith("/result") and "færre enn 5" in e.summary]
    assert f"Brukere på venteliste, {PERIOD}: færre enn 5 personer" in result.summary
    # The open data's JSON writes it as the text "<5", beside the other numbers.
    record = next(x for x in json.loads(files["open-data/measures.json"]) if x["id"] == MEASURE)
    result = next(r for r in record["follow_up"]["results"] if r["indicator"] == "venteliste" and r["period"] == PERIOD)
    assert result["value"] == "<5"


def test_a_count_at_the_threshold_and_other_units_are_published_as_written(tmp_path):
    root = write_portal(tmp_path / "portal")
    patch_file(root, MEASURE_FUNDED, "  results:\n", INDICATOR + "  results:\n" + FIRST_RESULT.replace("7", "5"))
    x = next(x for x in load(root).measures if x.id == MEASURE)
    assert sorted(r.value for r in x.follow_up.results) == [5, 12.5]  # 5 persons: not below 5; and days


def loaded(root: Path) -> m.Measure:
    """The measure as loading hands it on, with the settings of the portal's mkdocs.yml."""
    from prioportal.checks.portal import load_portal
    from prioportal.settings import load_settings

    return next(x for x in load_portal(load_settings(root / MKDOCS)).measures if x.id == MEASURE)


def test_the_threshold_is_a_setting_and_0_publishes_every_value(tmp_path, capsys):
    root = portal_with_count(tmp_path, 3)
    text = MKDOCS_TEXT.replace("      currency: NOK\n", "      currency: NOK\n      personal_data:\n        small_numbers: 0\n")
    (root / MKDOCS).write_text(text, encoding="utf-8")
    x = loaded(root)
    assert next(r for r in x.follow_up.results if r.indicator == "venteliste").value == 3
    (root / MKDOCS).write_text(text.replace("small_numbers: 0", "small_numbers: 10"), encoding="utf-8")
    x = loaded(root)
    assert next(r for r in x.follow_up.results if r.indicator == "venteliste").value == FewerThan(10)
    assert x.follow_up.indicators[1].baseline == FewerThan(10)  # 8 persons before: fewer than 10
    (root / MKDOCS).write_text(text.replace("small_numbers: 0", "small_numbers: -1"), encoding="utf-8")
    assert main(["-f", str(root / "mkdocs.yml"), "validate"]) == 1
    assert "small_numbers" in capsys.readouterr().err


def test_diff_of_two_revisions_says_fewer_than_5(built, capsys):
    root = built[3]["root"]
    assert main(["-f", str(root / "mkdocs.yml"), "--language", "nb", "diff", "HEAD~1", "HEAD"]) == 0
    text = capsys.readouterr().out
    assert "færre enn 5" in text and not re.search(r"→ 3\b", text)
    assert main(["-f", str(root / "mkdocs.yml"), "diff", "HEAD~1", "HEAD", "--format", "json"]) == 0
    data = capsys.readouterr().out
    assert '"<5"' in data and not re.search(r'"new_latest": 3', data)


@pytest.mark.parametrize("unit, name, persons", [
    ("personer", "Ventende", True), ("brukere", "x", True), ("antall", "Personer på venteliste", True),
    ("antal", "Barn i kö", True), ("antall per måned", "Nye brukere", True), ("prosent", "Andel brukere", False),
    ("kroner per bruker", "Kostnad", False), ("antall", "Saker per saksbehandler", False),
    ("antall", "Fallskader på vei", False), ("barn per ansatt", "Bemanning", False), ("dager", "Ventetid", False),
    ({"nb": "personer", "en": "persons"}, "x", True),
])
def test_which_units_count_persons(unit, name, persons):
    assert unit_counts_persons(unit, name) is persons


def indicator(**fields) -> m.Indicator:
    return m.Indicator(**{"id": "i", "name": "Brukere", "unit": "antall", "baseline": 8, "target": 20,
                          "due": "2026-12-31", "responsible": "x", **fields})


def test_an_indicator_says_itself_whether_it_counts_persons():
    assert counts_persons(indicator())
    assert not counts_persons(indicator(counts_persons=False))
    assert counts_persons(indicator(name="Saker", counts_persons=True))


def test_progress_of_a_small_number_is_told_only_where_every_value_below_5_agrees():
    rising = indicator(baseline=8, target=20)
    assert progress(rising, FewerThan(5)) is Progress.not_improving  # below 5 is below 8, whatever it is
    falling = indicator(baseline=12, target=4)
    assert progress(falling, FewerThan(5)) is Progress.not_shown  # 4 meets the target, 4.5 only improves
    assert progress(indicator(baseline=12, target=6), FewerThan(5)) is Progress.target_met
    assert progress(indicator(target=20).model_copy(update={"baseline": FewerThan(5)}), 25) is Progress.target_met
    assert progress(indicator(baseline=8, target=20), 25) is Progress.target_met  # numbers as before


def test_an_earlier_version_of_a_file_loses_the_same_values_as_the_measure():
    written = {"id": "x", "follow_up": {
        "indicators": [{"id": "i", "name": "Brukere", "unit": "antall", "baseline": 2, "target": 20},
                       {"id": "d", "name": "Ventetid", "unit": "dager", "baseline": 2, "target": 1}],
        "results": [{"indicator": "i", "period": "2025", "value": 4}, {"indicator": "d", "period": "2025", "value": 3}]}}
    shown = published_document(written, 5)
    assert shown["follow_up"]["indicators"][0]["baseline"] == FewerThan(5)
    assert shown["follow_up"]["indicators"][1]["baseline"] == 2  # days, not persons
    assert [r["value"] for r in shown["follow_up"]["results"]] == [FewerThan(5), 3]
    assert written["follow_up"]["results"][0]["value"] == 4  # the data read is left as it was
    nothing = {"id": "x", "follow_up": {"indicators": [], "results": []}}
    assert published_document(nothing, 5) is nothing
