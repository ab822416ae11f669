"""Building a portal: what lands in site/, and what never does."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from portal_factory import patch_file
from prioportal.cli import main
from prioportal.model.schema import SCHEMA_DIR, schema_text
from prioportal.model.decisions import KIND_MODELS


def build(portal: Path, site: Path | None = None) -> int:
    args = ["-f", str(portal / "mkdocs.yml"), "build"]
    if site is not None:
        args += ["--site-dir", str(site)]
    return main(args)


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def page(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def test_build_writes_every_page_kind(portal_dir):
    assert build(portal_dir) == 0
    site = portal_dir / "site"
    for relative in ["index.html", "criteria/index.html", "process/index.html", "rounds/index.html",
                     "404.html", "assets/style.css", "robots.txt", "sitemap.xml"]:
        assert (site / relative).is_file(), relative
    measures = sorted(p.parent.name for p in (site / "measures").glob("*/index.html"))
    sources = sorted(p.stem for p in (portal_dir / "decisions" / "measures").rglob("*.yml"))
    assert measures == sources


def test_same_input_gives_byte_identical_output(portal_dir, tmp_path):
    assert build(portal_dir, tmp_path / "a") == 0
    assert build(portal_dir, tmp_path / "b") == 0
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_failed_build_leaves_the_previous_site_untouched(portal_dir, capsys):
    assert build(portal_dir) == 0
    site = portal_dir / "site"
    before = tree_digest(site)
    measure = next((portal_dir / "decisions" / "measures").rglob("*.yml"))
    measure.write_text(measure.read_text(encoding="utf-8") + "\nsumary: typo\n", encoding="utf-8")
    assert build(portal_dir) == 1
    err = capsys.readouterr().err
    assert "unknown field 'sumary'" in err and "Traceback" not in err
    assert tree_digest(site) == before
    leftovers = [p.name for p in portal_dir.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_text_from_yaml_is_escaped_and_markdown_is_sanitised(portal_dir):
    measure = next((portal_dir / "decisions" / "measures").rglob("*.yml"))
    text = measure.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    text = text.replace(title_line, 'title: "<script>alert(1)</script> Tittel"', 1)
    measure.write_text(text, encoding="utf-8")
    content = portal_dir / "content" / "index.md"
    content.write_text(content.read_text(encoding="utf-8")
                       + '\n<script>alert(2)</script>\n\n[klikk](javascript:alert(3)) <img src=x onerror="alert(4)">\n',
                       encoding="utf-8")
    assert build(portal_dir) == 0
    site = portal_dir / "site"
    measure_html = (site / "measures" / measure.stem / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in measure_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tittel" in measure_html
    home = (site / "index.html").read_text(encoding="utf-8")
    for attack in ("<script>alert(2)", "javascript:", "onerror"):
        assert attack not in home
    # The only scripts anywhere are the search page's own files, never inline, never from YAML.
    for html_file in site.rglob("*.html"):
        for script in page(site, html_file.relative_to(site).as_posix()).find_all("script"):
            assert script.get("src", "").endswith("assets/search.js"), html_file
            assert not script.string


def test_mkdocs_build_gives_the_same_site_as_prioportal_build(portal_dir, tmp_path):
    assert build(portal_dir, tmp_path / "ours") == 0
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f",
                             str(portal_dir / "mkdocs.yml"), "-d", str(tmp_path / "mkdocs")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "mkdocs") == tree_digest(tmp_path / "ours")


def test_mkdocs_build_fails_with_the_problems_listed(portal_dir, tmp_path):
    patch_file(portal_dir, "decisions/rounds/budsjett-2026.yml", "criteria: kriterier-2026", "criteria: kriterier-2062")
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f",
                             str(portal_dir / "mkdocs.yml"), "-d", str(tmp_path / "mkdocs")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "budsjett-2026.yml" in result.stderr and "kriterier-2062" in result.stderr


def test_shipped_json_schemas_match_the_model():
    for kind in KIND_MODELS:
        shipped = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert shipped == schema_text(kind), f"run 'make schemas': {kind}.schema.json is out of date"


def test_new_measure_skeleton_fails_until_filled_in_then_validates(portal_dir, capsys):
    config = str(portal_dir / "mkdocs.yml")
    assert main(["-f", config, "new", "measure", "--round", "budsjett-2026", "--id", "trygghetsalarm"]) == 0
    path = portal_dir / "decisions" / "measures" / "2026" / "trygghetsalarm.yml"
    skeleton = path.read_text(encoding="utf-8")
    assert "Levels, highest first:" in skeleton
    capsys.readouterr()
    assert main(["-f", config, "validate"]) == 1
    assert "still holds the placeholder" in capsys.readouterr().err

    # Fill in every placeholder the way a communicator would.
    filled = re.sub(r"<([^<>]+)>", "Utfylt tekst", skeleton)
    data = yaml.safe_load(filled)
    for criterion_id, assessment in data["assessments"].items():
        levels = re.search(rf"  {criterion_id}:\n    # .*\n    # Levels, highest first: ([^\n]+)", skeleton).group(1)
        assessment["level"] = levels.split(", ")[0]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["-f", config, "validate"]) == 0, capsys.readouterr().err


def test_new_measure_refuses_unknown_round_and_unsafe_id(portal_dir, capsys):
    config = str(portal_dir / "mkdocs.yml")
    assert main(["-f", config, "new", "measure", "--round", "budsjett-2062"]) == 2
    assert "budsjett-2026" in capsys.readouterr().err
    assert main(["-f", config, "new", "measure", "--round", "budsjett-2026", "--id", "../../etc"]) == 2
    assert not any(p.name == "etc.yml" for p in portal_dir.rglob("*.yml"))


def test_build_report_and_exit_code_on_cli(portal_dir, capsys):
    assert build(portal_dir) == 0
    out = capsys.readouterr().out
    assert "built" in out and "pages" in out


def test_markdown_tables_get_a_caption_and_their_own_scroll_region():
    from prioportal.text.markup import render_markdown
    html = BeautifulSoup(str(render_markdown('| År | Kroner |\n|---|---|\n| 2026 | 10 |\n\n: Kostnad per år "A"\n')), "html.parser")
    region = html.select_one("div.table-scroll")
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-label"] == 'Kostnad per år "A"'
    assert region.select_one("table caption").get_text() == 'Kostnad per år "A"'
