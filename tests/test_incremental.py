"""The preview's incremental builds give, byte for byte, the site a cold build gives.

Each test edits the portal the way a communicator does, lets the preview catch up with only
the changed files named, builds the same files cold into another folder, and compares every
file of the two sites.
"""

from __future__ import annotations

import filecmp
import os
import time
from pathlib import Path

import pytest
from gitrepo import git
from portal_factory import (MEASURE_DEPRIORITISED, MEASURE_FUNDED, MKDOCS, PAGE_HOW, ROUND_2025, patch_file,
                            top_field, with_top_field, write_portal)

from prioportal.tools.demo.portal import write_demo_portal
from prioportal.build import preview as incremental
from prioportal.build.preview import Preview
from prioportal.build.pipeline import build_from_config
from prioportal.checks.files import FileCache, list_decision_files
from prioportal.site import urls


def differences(left: Path, right: Path) -> list[str]:
    """Every file that is only in one of the trees or differs between them; but for the rounds'
    manifests, proof of publication, which only a build that writes the whole site makes (a
    preview is never published; tests/test_verify.py checks them)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"only in {left.name}: {prefix}{n}" for n in cmp.left_only if n != urls.MANIFEST)
        found.extend(f"only in {right.name}: {prefix}{n}" for n in cmp.right_only if n != urls.MANIFEST)
        found.extend(f"differs: {prefix}{n}" for n in cmp.common_files
                     if (Path(cmp.left) / n).read_bytes() != (Path(cmp.right) / n).read_bytes())
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


class Session:
    """A preview of `root` and the cold builds to compare it with."""

    def __init__(self, root: Path, tmp_path: Path):
        self.root = root
        self.tmp_path = tmp_path
        self.preview = Preview(root / "mkdocs.yml", tmp_path / "preview")
        self.cold_builds = 0
        first = self.preview.build()
        assert first.ok, first.message

    def save(self, relative: str, text: str | None) -> Path:
        path = self.root / relative
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return path

    def update(self, *changed: Path):
        outcome = self.preview.build(changed)
        assert outcome.ok, outcome.message
        return outcome

    def assert_as_cold(self) -> None:
        self.cold_builds += 1
        cold = self.tmp_path / f"cold-{self.cold_builds}"
        build_from_config(self.root / "mkdocs.yml", cold)
        assert differences(self.preview.out_dir, cold) == []


@pytest.fixture
def session(tmp_path) -> Session:
    root = write_portal(tmp_path / "portal")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Vedtak publisert", when="2025-12-15T12:00:00+01:00")
    return Session(root, tmp_path)


def test_first_preview_is_the_cold_build(session):
    session.assert_as_cold()


def test_a_new_title_reaches_the_measure_page_and_every_listing_that_shows_it(session):
    path = session.root / MEASURE_FUNDED
    patch_file(session.root, MEASURE_FUNDED, "title: Styrket hjemmetjeneste\n", "title: Raskere hjemmetjeneste\n")
    # The first uncommitted change is noted in every page's footer, so every page is new.
    session.update(path)
    session.assert_as_cold()
    patch_file(session.root, MEASURE_FUNDED, "title: Raskere hjemmetjeneste\n", "title: Rask hjemmetjeneste\n")
    outcome = session.update(path)
    session.assert_as_cold()
    measure_page = (session.preview.out_dir / "measures" / path.stem / "index.html").read_text(encoding="utf-8")
    assert "Rask hjemmetjeneste" in measure_page
    assert "Rask hjemmetjeneste" in (session.preview.out_dir / "rounds" / "budsjett-2025" / "index.html").read_text(
        encoding="utf-8")
    # Pages that do not show the measure are left alone.
    assert 0 < outcome.pages_written < len(list(session.preview.out_dir.rglob("*.html"))) // 2


def test_a_new_rank_reorders_the_round(session):
    patch_file(session.root, MEASURE_DEPRIORITISED, "rank: 9\n", "rank: 2\n")
    session.update(session.root / MEASURE_DEPRIORITISED)
    session.assert_as_cold()


def test_nothing_changed_writes_nothing(session):
    before = {p: p.stat().st_mtime_ns for p in session.preview.out_dir.rglob("*.html")}
    outcome = session.update()
    assert outcome.pages_written == 0
    assert {p: p.stat().st_mtime_ns for p in session.preview.out_dir.rglob("*.html")} == before


def test_a_measure_added_and_removed(session):
    text = (session.root / MEASURE_DEPRIORITISED).read_text(encoding="utf-8")
    copy = MEASURE_DEPRIORITISED.replace("kveldsapent-bibliotek-2025", "lordagsapent-bibliotek-2025")
    added = session.save(copy, text.replace("id: kveldsapent-bibliotek-2025", "id: lordagsapent-bibliotek-2025")
                         .replace("title: Kveldsåpent bibliotek", "title: Lørdagsåpent bibliotek"))
    session.update(added)
    session.assert_as_cold()
    assert (session.preview.out_dir / "measures" / "lordagsapent-bibliotek-2025" / "index.html").is_file()

    session.save(copy, None)
    session.update(added)
    session.assert_as_cold()
    assert not (session.preview.out_dir / "measures" / "lordagsapent-bibliotek-2025").exists()


def test_a_markdown_page_and_the_settings(session):
    page = session.root / PAGE_HOW
    page.write_text(page.read_text(encoding="utf-8") + "\nEt nytt avsnitt om innspill.\n", encoding="utf-8")
    session.update(page)
    session.assert_as_cold()

    patch_file(session.root, MKDOCS, "site_name: Prioriteringer i Testvik kommune\n",
               "site_name: Prioriteringer i Nye Testvik kommune\n")
    session.update(session.root / MKDOCS)
    session.assert_as_cold()
    assert "Nye Testvik" in (session.preview.out_dir / "index.html").read_text(encoding="utf-8")


def test_a_changed_template_renders_every_page_again(session):
    bundled = Path(__file__).resolve().parent.parent / "site_templates" / "measure.html"
    own = session.save("site_templates/measure.html",
                       bundled.read_text(encoding="utf-8").replace("{% block content %}",
                                                                   "{% block content %}<p>Egen mal</p>", 1))
    outcome = session.update(own)
    session.assert_as_cold()
    assert outcome.pages_written >= 5
    assert "Egen mal" in (session.preview.out_dir / "measures" / Path(MEASURE_FUNDED).stem / "index.html").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("in_workers", [False, True], ids=["rendered here", "rendered in workers"])
def test_a_template_that_breaks_a_link_keeps_the_last_good_preview(session, monkeypatch, in_workers):
    """Pages rendered in workers have their links scanned there; the check must still catch it."""
    monkeypatch.setattr(incremental, "_RENDER_IN_WORKERS", 0 if in_workers else 10**6)
    out = session.preview.out_dir
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bundled = Path(__file__).resolve().parent.parent / "site_templates" / "measure.html"
    own = session.save("site_templates/measure.html", bundled.read_text(encoding="utf-8").replace(
        "{% block content %}", '{% block content %}<a href="{{ root }}nowhere/">x</a>', 1))
    outcome = session.preview.build({own})
    assert not outcome.ok
    assert f"measures/{Path(MEASURE_FUNDED).stem}/index.html:" in outcome.message and "nowhere/" in outcome.message
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    own.unlink()
    session.update(own)
    session.assert_as_cold()


def test_an_error_keeps_the_last_good_preview_and_the_fix_catches_up(session):
    out = session.preview.out_dir
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    path = session.root / ROUND_2025
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Budsjett 2025", "title: [Budsjett 2025"), encoding="utf-8")
    outcome = session.preview.build({path})
    assert not outcome.ok
    assert "budsjett-2025.yml:" in outcome.message
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    path.write_text(good.replace("title: Budsjett 2025", "title: Budsjettet for 2025"), encoding="utf-8")
    session.update(path)
    session.assert_as_cold()


def test_a_commit_updates_every_page_history(session):
    patch_file(session.root, MEASURE_FUNDED, "rank: 1\n", "rank: 3\n")
    session.update(session.root / MEASURE_FUNDED)
    session.assert_as_cold()
    git(session.root, "commit", "-q", "-am", "Ny rangering", when="2026-01-10T12:00:00+01:00")
    session.update()
    session.assert_as_cold()


def test_a_portal_in_two_languages(tmp_path):
    root = write_portal(tmp_path / "portal")
    patch_file(root, MKDOCS, "      municipality:", "      languages: [en]\n      municipality:")
    session = Session(root, tmp_path)
    patch_file(root, MEASURE_FUNDED, "title: Styrket hjemmetjeneste\n", "title: Raskere hjemmetjeneste\n")
    session.update(root / MEASURE_FUNDED)
    session.assert_as_cold()


def test_edits_across_a_demo_portal(tmp_path):
    """Several rounds, sectors, follow-up and listings cut into pages (page size 10)."""
    root = write_demo_portal(tmp_path / "demo", 120, seed=3)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      language: nb\n",
                                                                 "      language: nb\n      listing_page_size: 10\n"),
                      encoding="utf-8")
    session = Session(root, tmp_path)
    measures = sorted((root / "decisions" / "measures").rglob("*.yml"))
    for path in (measures[3], measures[len(measures) // 2], measures[-1]):
        text = path.read_text(encoding="utf-8")
        rank = next(line for line in text.splitlines() if line.startswith("rank:"))
        path.write_text(text.replace(rank, "rank: 1", 1), encoding="utf-8")
        session.update(path)
    session.assert_as_cold()
    text = measures[7].read_text(encoding="utf-8")  # another sector: the browse listings regroup
    sector = next(line for line in text.splitlines() if line.startswith("sector:"))
    measures[7].write_text(text.replace(sector, "sector: Kultur og idrett", 1), encoding="utf-8")
    session.update(measures[7])
    session.assert_as_cold()
    measures[5].unlink()
    session.update(measures[5])
    session.assert_as_cold()


def test_an_edit_keeps_the_plan_of_every_page_that_does_not_show_it(tmp_path):
    """What keeps the preview quick at thousands of measures: after an edit of one measure, each
    measure page whose plan names that measure neither before nor after (as itself, a version,
    one prioritised instead, one a review flag names) keeps the very plan object of the last
    build, so it is neither compared field by field nor rendered again (`preview.same`)."""
    def named(spec) -> set[str]:
        mv = spec.context.mv
        return {mv.measure.id, *(x.id for x in mv.instead_shown), *(x.id for x, _ in mv.history), *spec.context.titles}

    root = write_demo_portal(tmp_path / "demo", 120, seed=3)
    session = Session(root, tmp_path)
    out = session.preview.out_dir
    (language,) = session.preview.trees  # one language tree
    measures = sorted((root / "decisions" / "measures").rglob("*.yml"))
    for n, path in enumerate((measures[10], measures[len(measures) // 2], measures[10])):
        text = path.read_text(encoding="utf-8")
        ident, title = top_field(text, "id"), f"Et helt nytt navn {n}"
        before = dict(session.preview.trees[language].specs)
        path.write_text(with_top_field(text, "title", title), encoding="utf-8")
        session.update(path)
        after = session.preview.trees[language].specs
        pages = [name for name in before if name.startswith("measures/")]
        kept = {name for name in pages if after[name] is before[name]}
        naming = {name for name in pages if ident in named(before[name]) | named(after[name])}
        assert kept == set(pages) - naming
        assert len(kept) > len(pages) // 2
        assert title in (out / "measures" / ident / "index.html").read_text(encoding="utf-8")
    session.assert_as_cold()


def test_edits_along_the_versions_of_a_measure(tmp_path):
    """A measure's page lists its versions in other rounds, and a round's comparison and
    openness report show the round before: an edit reaches those pages of other rounds, and
    only those (the rest are taken over from the last build whole)."""
    root = write_demo_portal(tmp_path / "demo", 120, seed=3)
    session = Session(root, tmp_path)
    files = {path: path.read_text(encoding="utf-8") for path in sorted((root / "decisions" / "measures").rglob("*.yml"))}
    ids = {top_field(text, "id"): path for path, text in files.items()}
    later = next(path for path, text in files.items() if "\nprevious: " in text)  # b, a later version of a
    earlier = ids[top_field(files[later], "previous")]
    other = next(path for path, text in files.items()  # c, in a's round, followed by no version
                 if top_field(text, "round") == top_field(files[earlier], "round") and path != earlier
                 and top_field(text, "id") not in {top_field(t, "previous") for t in files.values() if "\nprevious: " in t})
    edits = [
        (earlier, with_top_field(files[earlier], "title", "Et eldre navn")),  # shown on b's page
        (later, with_top_field(files[later], "previous", None)),  # a's page no longer lists b
        (later, files[later]),  # and lists it again
        (later, with_top_field(files[later], "title", "Et nyere navn")),
        (other, with_top_field(files[other], "title", "Et tredje navn")),  # the next round's comparison
        (later, with_top_field(files[later], "previous", top_field(files[other], "id"))),  # b follows c instead
        (other, with_top_field(files[other], "rank", "1")),
        (later, files[later]),
        (earlier, files[earlier]),
        (other, files[other]),
    ]
    for step, (path, text) in enumerate(edits):
        path.write_text(text, encoding="utf-8")
        session.update(path)
        session.assert_as_cold()


def test_a_measure_continued_twice(tmp_path):
    """a is continued by b in the next round and by x three rounds later. a's own lineage
    follows b, yet x's page lists a: an edit of a reaches x's page, four rounds on."""
    root = write_demo_portal(tmp_path / "demo", 120, seed=3)
    rounds = root / "decisions" / "rounds"
    last = (rounds / "budsjett-2026.yml").read_text(encoding="utf-8")
    for year in (2027, 2028):
        (rounds / f"budsjett-{year}.yml").write_text(
            last.replace("budsjett-2026", f"budsjett-{year}").replace("year: 2026", f"year: {year}")
            .replace("Budsjett 2026", f"Budsjett {year}").replace("previous: budsjett-2025", f"previous: budsjett-{year - 1}"),
            encoding="utf-8")
    files = {path: path.read_text(encoding="utf-8") for path in sorted((root / "decisions" / "measures").rglob("*.yml"))}
    ids = {top_field(text, "id"): path for path, text in files.items()}
    continued = {top_field(text, "previous") for text in files.values() if "\nprevious: " in text}
    b = next(path for path, text in files.items() if "\nprevious: " in text)
    a = ids[top_field(files[b], "previous")]
    # Of two measures continuing a, a's lineage follows the one with the larger id.
    lone = [path for path, text in files.items() if top_field(text, "round") == "budsjett-2026"
            and "\nprevious: " not in text and top_field(text, "id") not in continued
            and top_field(text, "id") < top_field(files[b], "id")]
    x, y = lone[:2]
    x_text = with_top_field(with_top_field(files[x], "round", "budsjett-2028"), "previous", top_field(files[a], "id"))
    x.write_text(x_text, encoding="utf-8")
    y.write_text(with_top_field(files[y], "round", "budsjett-2027"), encoding="utf-8")
    session = Session(root, tmp_path)
    for text in (with_top_field(files[a], "title", "Et nytt navn"), files[a]):
        a.write_text(text, encoding="utf-8")
        session.update(a)
        session.assert_as_cold()


def test_broken_settings_hold_every_build_until_they_are_fixed(session):
    config = session.root / MKDOCS
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("site_name:", "site_name: [", 1), encoding="utf-8")
    assert not session.preview.build({config}).ok
    # Another file saved while mkdocs.yml is still broken: no build with the old settings.
    patch_file(session.root, MEASURE_FUNDED, "rank: 1\n", "rank: 3\n")
    outcome = session.preview.build({session.root / MEASURE_FUNDED})
    assert not outcome.ok and "mkdocs.yml" in outcome.message
    config.write_text(good.replace("site_name: Prioriteringer i Testvik kommune",
                                   "site_name: Prioriteringer i Testvik"), encoding="utf-8")
    session.update(config)
    session.assert_as_cold()


def test_the_server_writes_the_open_data_just_after_the_pages(tmp_path):
    """`prioportal serve` publishes the pages, listings and indexes of a save first and the open
    data (which no page shows) right after: in between only open-data files may differ from a
    cold build, and after `catch_up` nothing does, in every language tree."""
    root = write_portal(tmp_path / "portal")
    patch_file(root, MKDOCS, "      municipality:", "      languages: [en]\n      municipality:")
    session = Session(root, tmp_path)
    preview = session.preview
    assert preview.catch_up() is None  # the first build made everything

    def cold_differences() -> list[str]:
        session.cold_builds += 1
        cold = tmp_path / f"cold-{session.cold_builds}"
        build_from_config(root / "mkdocs.yml", cold)
        return differences(preview.out_dir, cold)

    for title in ("Raskere hjemmetjeneste", "Rask hjemmetjeneste"):  # two saves before the open data
        patch_file(root, MEASURE_FUNDED, next(line for line in (root / MEASURE_FUNDED).read_text(encoding="utf-8")
                                              .splitlines(keepends=True) if line.startswith("title:")),
                   f"title: {title}\n")
        outcome = preview.build({root / MEASURE_FUNDED}, open_data_later=True)
        assert outcome.ok, outcome.message
        assert title in (preview.out_dir / "measures" / Path(MEASURE_FUNDED).stem / "index.html").read_text(encoding="utf-8")
    stale = cold_differences()
    assert "differs: open-data/measures.csv" in stale and "differs: en/open-data/measures.csv" in stale
    assert all(line.startswith(("differs: open-data/", "differs: en/open-data/")) for line in stale), stale

    caught_up = preview.catch_up()
    assert caught_up is not None and caught_up.ok and caught_up.site_changed
    assert cold_differences() == []
    assert preview.catch_up() is None

    patch_file(root, MEASURE_DEPRIORITISED, "rank: 9\n", "rank: 2\n")  # a full build after one left for later
    assert preview.build({root / MEASURE_DEPRIORITISED}, open_data_later=True).ok
    assert preview.build({root / MEASURE_DEPRIORITISED}).ok
    assert preview.catch_up() is None
    assert cold_differences() == []


def test_a_listing_kept_between_builds_finds_what_a_fresh_listing_finds(tmp_path):
    """The preview lists a folder again only when its time stamp changed since a listing that
    saw it settled; each file's stamp is taken every time, and a path the watcher reports has
    its folder listed again whatever its stamp says (a second change in the same clock tick)."""
    root = tmp_path / "portal"
    measures = root / "decisions" / "measures"
    (measures / "2025").mkdir(parents=True)
    (root / "decisions" / "rounds").mkdir()
    for name in ("a", "b", "c"):
        (measures / "2025" / f"{name}.yml").write_text(f"id: {name}\n", encoding="utf-8")
    old = time.time_ns() - 10 * 10**9

    def settle() -> None:  # every folder last changed ten seconds ago
        for folder in (measures, measures / "2025", root / "decisions" / "rounds"):
            os.utime(folder, ns=(old, old))

    cache = FileCache()

    def kept_listing() -> list[tuple[str, tuple[int, int]]]:
        return [(f.name, f.stamp) for _, f in list_decision_files(root, root / "decisions", cache.folders).wanted]

    def fresh_listing() -> list[tuple[str, tuple[int, int]]]:
        return [(f.name, f.stamp) for _, f in list_decision_files(root, root / "decisions").wanted]

    settle()
    assert kept_listing() == fresh_listing()
    assert kept_listing() == fresh_listing()  # from what was kept

    (measures / "2025" / "b.yml").write_text("id: b\ntitle: longer now\n", encoding="utf-8")  # in place
    assert kept_listing() == fresh_listing()

    (measures / "2025" / "d.yml").write_text("id: d\n", encoding="utf-8")  # the folder's stamp changes
    (measures / "2025" / "a.yml").unlink()
    assert kept_listing() == fresh_listing() and len(fresh_listing()) == 3

    settle()
    kept_listing()
    (measures / "2025" / "e.yml").write_text("id: e\n", encoding="utf-8")
    settle()  # as if in the same tick as the listing: only the watcher can tell
    cache.forget([measures / "2025" / "e.yml"])
    assert kept_listing() == fresh_listing() and len(fresh_listing()) == 4

    (measures / "2025" / "f.yml").symlink_to(measures / "2025" / "e.yml")
    kept_listing()
    settle()
    kept_listing()
    (measures / "2025" / "e.yml").unlink()  # the link's target goes; its folder's stamp changes too
    settle()
    assert kept_listing() == fresh_listing() and len(fresh_listing()) == 3


def test_the_full_collection_of_garbage_cycles_waits_for_the_open_data(session):
    """Now and then the preview collects garbage cycles in full: about a second at 10 000
    measures. Never while a communicator waits for the pages after a save, whichever edits
    came before (a failed one leaves no open data to catch up with)."""
    import gc

    where: list[str] = []
    full: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2 and where:
            full.append(where[-1])

    path = session.root / MEASURE_FUNDED
    good = path.read_text(encoding="utf-8")
    gc.callbacks.append(note)
    try:
        for edit in range(3 * incremental._FULL_COLLECTION_EVERY):
            broken = edit % 7 == 3
            path.write_text(good.replace("title:", "title: [") if broken else good + f"# {edit}\n", encoding="utf-8")
            where.append("build")
            assert session.preview.build({path}, open_data_later=True).ok is not broken
            where.append("catch_up")
            session.preview.catch_up()
            where.append("between")  # Python's own collections, when this test's objects call for one
    finally:
        gc.callbacks.remove(note)
    assert "catch_up" in full and "build" not in full
