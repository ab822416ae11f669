"""What must never happen: a half-built site, a link out of the portal, a page that loads code."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

from portal_factory import patch_file
from prioportal.cli import main
from prioportal.demo import write_demo_portal


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_strict_build_fails_on_a_warning_and_keeps_the_old_site(portal_dir, capsys):
    config = str(portal_dir / "mkdocs.yml")
    assert main(["-f", config, "build"]) == 0
    before = digest(portal_dir / "site")
    patch_file(portal_dir, "decisions/measures/budsjett-2025/praktisk-bistand-2025.yml",
               "summary: Praktisk bistand gis bare til dem som ikke har andre å spørre.",
               "summary: Implementeringen av kvalitetsforbedringstiltakene forutsetter tverrsektoriell "
               "samhandling og ressursomdisponering innenfor eksisterende budsjettrammer.")
    assert main(["-f", config, "build"]) == 0          # a warning alone does not stop a normal build
    after_normal = digest(portal_dir / "site")
    assert after_normal != before
    assert main(["-f", config, "build", "--strict"]) == 1
    assert "hard to read" in capsys.readouterr().err
    assert digest(portal_dir / "site") == after_normal
    assert main(["-f", config, "validate", "--strict"]) == 1


def test_a_build_stopped_midway_leaves_the_previous_site_exactly_as_it_was(tmp_path):
    portal = write_demo_portal(tmp_path / "demo", 150, seed=3)
    cli = Path(sys.executable).parent / "prioportal"
    config = str(portal / "mkdocs.yml")
    assert subprocess.run([str(cli), "-f", config, "build"], capture_output=True).returncode == 0
    site = portal / "site"
    before = digest(site)
    # Change a measure so a finished build would differ, then stop the build part-way.
    measure = sorted((portal / "decisions" / "measures").rglob("*.yml"))[0]
    text = measure.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    measure.write_text(text.replace(title, "title: Ny tittel som aldri publiseres", 1), encoding="utf-8")
    for sig in (signal.SIGTERM, signal.SIGKILL):
        process = subprocess.Popen([str(cli), "-f", config, "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(portal.glob(".site.building-*/measures")):
            time.sleep(0.02)  # wait until it is writing pages
        os.kill(process.pid, sig)
        process.wait(timeout=30)
        assert process.returncode != 0
        assert digest(site) == before, f"the site changed after {sig.name}"
        if sig is signal.SIGTERM:
            assert not list(portal.glob(".site.building-*")), "a stopped build left its temporary folder"
    # The next build clears what a killed build left behind, and publishes.
    assert subprocess.run([str(cli), "-f", config, "build"], capture_output=True).returncode == 0
    assert not list(portal.glob(".site.*"))
    assert "Ny tittel som aldri publiseres" in (site / "measures" / measure.stem / "index.html").read_text(encoding="utf-8")


def test_a_decision_file_linked_from_outside_the_portal_is_refused(portal_dir, tmp_path, capsys):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text((portal_dir / "decisions/rounds/budsjett-2026.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (portal_dir / "decisions" / "rounds" / "lenke.yml").symlink_to(outside)
    (portal_dir / "content" / "lenke.md").symlink_to(outside)
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "validate"]) == 1
    err = capsys.readouterr().err
    assert "decisions/rounds/lenke.yml:1:1: this file is a link to a place outside the portal" in err
    assert "content/lenke.md:1:1: this page is a link to a place outside the portal" in err


def test_links_to_other_sites_do_not_leak_the_reader_and_pages_forbid_inline_script(portal_dir):
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 0
    site = portal_dir / "site"
    external = 0
    for html in site.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        if html.parent.name != "pagefind":
            csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')
            assert csp is not None, html
            assert "script-src 'self'" in csp["content"] and "unsafe-inline" not in csp["content"]
        for a in page.select('a[href^="http"]'):
            external += 1
            assert set(a.get("rel", [])) >= {"noopener", "noreferrer"}, (html, a)
    assert external > 0
