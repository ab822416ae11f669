"""Following a measure without an account: an Atom feed per measure, per sector and per target
area, linked from the pages with a sentence that says what a feed is.

The repository is made with real git, as a municipality would make it: published on
2025-01-10 without the follow-up (the library measure deprioritised), the library measure's
decision changed on 2025-03-01, a follow-up result of the home-care measure on 2025-06-15, its
evaluation on 2025-07-01, and on 2025-10-01 the home-care measure continued in the 2026 round
(a measure whose `previous` is last year's). Each entry must carry the date of the commit that
made it, and keep its id from build to build. The feeds are read with feedparser, as a feed
reader reads them.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

from gitrepo import git, publish_portal
from portal_factory import (MEASURE_DEPRIORITISED, MEASURE_FOLLOW_ON, MEASURE_FUNDED, patch_file, write_portal)
from prioportal.cli import main
from prioportal.site import urls

pytestmark = pytest.mark.usefixtures("git_program")  # real git; missing, it fails under CI

PUBLISHED = "2025-01-10T09:00:00+01:00"
DECISION_CHANGED = "2025-03-01T12:00:00+01:00"
RESULT_ADDED = "2025-06-15T08:30:00+02:00"
EVALUATED = "2025-07-01T10:00:00+02:00"
CONTINUED = "2025-10-01T09:15:00+02:00"

HOME_CARE = "styrket-hjemmetjeneste-2025"
HOME_CARE_2026 = "styrket-hjemmetjeneste-2026"
LIBRARY = "kveldsapent-bibliotek-2025"
RESULT = """  results:
    - indicator: ventetid-dager
      period: 1. halvår 2025
      value: 12.5
      comment: Ventetiden har gått ned.
"""
EVALUATION = """  evaluation:
    decision: continue
    date: 2025-06-30
    reason: Tiltaket virker.
"""


def build(root: Path, out: Path) -> Path:
    assert main(["-f", str(root / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


def read_feed(site: Path, address: str):
    parsed = feedparser.parse((site / address).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def by_kind(parsed, measure: str, kind: str) -> list:
    """The entries of one kind (round, decision, result, evaluation) about one measure."""
    return [e for e in parsed.entries if f"measures/{measure}/" in e.id and e.id.endswith(f"/{kind}")]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> dict[str, Path]:
    """The portal's repository, and a site built after the decision changed and one built at the end."""
    base = tmp_path_factory.mktemp("follow")
    root = write_portal(base / "portal")
    follow_on = (root / MEASURE_FOLLOW_ON).read_text(encoding="utf-8")
    (root / MEASURE_FOLLOW_ON).unlink()  # the 2026 round has no continuation yet
    patch_file(root, MEASURE_FUNDED, RESULT, "")
    patch_file(root, MEASURE_FUNDED, EVALUATION, "")
    publish_portal(root, "Vedtakene publisert", when=PUBLISHED)
    patch_file(root, MEASURE_DEPRIORITISED, "  decision: deprioritised\n",
               "  decision: partly_funded\n  granted: 100000\n")
    git(root, "commit", "-q", "-am", "Biblioteket fikk delvis finansiering", when=DECISION_CHANGED)
    early = build(root, base / "early")
    patch_file(root, MEASURE_FUNDED, "follow_up:\n  indicators:", "follow_up:\n" + RESULT + "  indicators:")
    git(root, "commit", "-q", "-am", "Første resultat", when=RESULT_ADDED)
    patch_file(root, MEASURE_FUNDED, "      responsible: Kommunalsjef helse\n",
               "      responsible: Kommunalsjef helse\n" + EVALUATION)
    git(root, "commit", "-q", "-am", "Evaluert", when=EVALUATED)
    (root / MEASURE_FOLLOW_ON).write_text(follow_on, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Videreført i 2026", when=CONTINUED)
    return {"root": root, "early": early, "late": build(root, base / "late"), "again": build(root, base / "again")}


def test_a_changed_decision_has_an_entry_dated_by_its_commit(history):
    feed = read_feed(history["late"], urls.measure_feed(LIBRARY))
    [entry] = by_kind(feed, LIBRARY, "decision")
    assert when(entry.updated) == when(DECISION_CHANGED)
    assert "Delvis prioritert" in entry.title and "Ikke prioritert" in entry.summary  # what it is now, and was
    assert urljoin(urls.absolute("https://prioriteringer.testvik.kommune.no/", urls.measure_feed(LIBRARY)),
                   entry.link).endswith(urls.measure(LIBRARY))
    [published] = by_kind(feed, LIBRARY, "round")
    assert when(published.updated) == when(PUBLISHED)


def test_a_follow_up_result_and_an_evaluation_have_entries_of_their_own(history):
    feed = read_feed(history["late"], urls.measure_feed(HOME_CARE))
    [result] = by_kind(feed, HOME_CARE, "result")
    assert when(result.updated) == when(RESULT_ADDED)
    assert "Ventetid på hjemmetjeneste" in result.summary and "1. halvår 2025" in result.summary
    assert "12,5" in result.summary  # as the portal's language writes a number
    [evaluation] = by_kind(feed, HOME_CARE, "evaluation")
    assert when(evaluation.updated) == when(EVALUATED)
    assert "Tiltaket virker." in evaluation.summary
    # Newest first, as a feed reader expects, and dated only by commits (never by the build).
    dates = [when(e.updated) for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert set(dates) <= {when(s) for s in (PUBLISHED, DECISION_CHANGED, RESULT_ADDED, EVALUATED, CONTINUED)}


def test_entries_keep_their_ids_and_dates_from_build_to_build(history):
    early = read_feed(history["early"], urls.measure_feed(LIBRARY))
    late = read_feed(history["late"], urls.measure_feed(LIBRARY))
    assert early.entries and {(e.id, e.updated) for e in early.entries} <= {(e.id, e.updated) for e in late.entries}
    assert early.feed.id == late.feed.id
    # Two builds of the same commit write the very same bytes.
    for address in (urls.measure_feed(HOME_CARE), urls.sector_feed("helse-og-omsorg")):
        assert (history["late"] / address).read_bytes() == (history["again"] / address).read_bytes()


def test_a_measure_is_followed_across_rounds(history):
    """The 2026 measure continues last year's (`previous`): each one's feed follows both, so
    whoever subscribed last year learns that it goes on, and from which page."""
    last_year = read_feed(history["late"], urls.measure_feed(HOME_CARE))
    this_year = read_feed(history["late"], urls.measure_feed(HOME_CARE_2026))
    assert {e.id for e in last_year.entries} == {e.id for e in this_year.entries}
    [continued] = by_kind(last_year, HOME_CARE_2026, "round")
    assert when(continued.updated) == when(CONTINUED)
    assert "Budsjett 2026" in continued.title and continued.link.endswith(urls.measure(HOME_CARE_2026))
    assert last_year.feed.id != this_year.feed.id  # two feeds, each at the address it was subscribed at
    # A measure of another chain is not in it.
    assert not by_kind(last_year, LIBRARY, "round")


def test_a_feed_per_sector_and_per_target_area(history):
    site = history["late"]
    sector = read_feed(site, urls.sector_feed("helse-og-omsorg"))
    assert by_kind(sector, HOME_CARE, "evaluation") and by_kind(sector, HOME_CARE_2026, "round")
    assert not by_kind(sector, LIBRARY, "decision")  # Kultur
    culture = read_feed(site, urls.sector_feed("kultur"))
    assert by_kind(culture, LIBRARY, "decision")
    area = read_feed(site, urls.target_area_feed("innbyggernes-helse-og-trivsel"))
    assert by_kind(area, HOME_CARE, "result") and not by_kind(area, LIBRARY, "round")


def page(site: Path, address: str) -> BeautifulSoup:
    return BeautifulSoup((site / urls.file_of(address)).read_text(encoding="utf-8"), "html.parser")


def resolved(address: str, href: str) -> str:
    """Where a link on the page at `address` leads, from the site root."""
    return urljoin("https://x.invalid/" + address, href).removeprefix("https://x.invalid/")


def test_the_pages_link_their_feed_and_say_what_a_feed_is(history):
    site = history["late"]
    measure = page(site, urls.measure(HOME_CARE))
    [head] = [link for link in measure.head.select('link[rel="alternate"][type="application/atom+xml"]')
              if resolved(urls.measure(HOME_CARE), link["href"]) == urls.measure_feed(HOME_CARE)]
    assert "Styrket hjemmetjeneste" in head["title"]
    [visible] = [a for a in measure.main.select('a[type="application/atom+xml"]')
                 if resolved(urls.measure(HOME_CARE), a["href"]) == urls.measure_feed(HOME_CARE)]
    said = visible.find_parent("p").get_text(" ", strip=True)
    assert "nyhetsstrøm" in said.lower() and "konto" in said  # what a feed is, and that no account is needed
    # The sector's page links its feed too; the browse page lists those of sectors and target areas.
    sector = page(site, urls.sector("helse-og-omsorg"))
    assert any(resolved(urls.sector("helse-og-omsorg"), link["href"]) == urls.sector_feed("helse-og-omsorg")
               for link in sector.head.select('link[type="application/atom+xml"]'))
    browse = page(site, urls.browse())
    listed = {resolved(urls.browse(), a["href"]) for a in browse.select("#follow ~ ul a, section a")}
    assert urls.target_area_feed("innbyggernes-helse-og-trivsel") in listed
    assert urls.sector_feed("kultur") in listed
    assert all((site / address).is_file() for address in listed if address.endswith("feed.xml"))


def test_without_git_a_measure_has_its_publication_and_evaluation_dated_by_the_decisions(tmp_path, monkeypatch):
    """Without history, nothing has a date of its own but the round's decision and the
    evaluation's: those are what the feed says, never the day of the build."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = write_portal(tmp_path / "portal")
    site = build(root, tmp_path / "site")
    feed = read_feed(site, urls.measure_feed(HOME_CARE))
    [published] = by_kind(feed, HOME_CARE, "round")
    assert published.updated.startswith("2024-12-12")  # the round's meeting
    [evaluation] = by_kind(feed, HOME_CARE, "evaluation")
    assert evaluation.updated.startswith("2025-06-30")
    shutil.rmtree(site)
