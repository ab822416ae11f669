"""What must never happen: a half-built site, a link out of the portal, a page that loads code."""

from __future__ import annotations

import functools
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from portal_factory import patch_file
from prioportal.cli import main
from prioportal.tools.demo.portal import write_demo_portal


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


def running_with(argument: str, wait: float = 10) -> list[int]:
    """Processes (read from /proc) whose command line holds `argument`, still there after up
    to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and argument.encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # ended meanwhile
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_build_stopped_midway_leaves_the_previous_site_exactly_as_it_was(tmp_path, left_beside):
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
        process = subprocess.Popen([str(cli), "-f", config, "build"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(portal.glob(".site.building-*/measures")):
            time.sleep(0.02)  # wait until it is writing pages
        os.kill(process.pid, sig)
        process.wait(timeout=30)
        assert process.returncode != 0
        assert not running_with(config), f"a worker of the build outlived it after {sig.name}"
        assert digest(site) == before, f"the site changed after {sig.name}"
        if sig is signal.SIGTERM:
            assert not list(portal.glob(".site.building-*")), "a stopped build left its temporary folder"
    # The next build clears what a killed build left behind, and publishes.
    assert subprocess.run([str(cli), "-f", config, "build"], capture_output=True).returncode == 0
    assert not [name for name in left_beside(site) if name.startswith(".site.")]
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
        if html.parent.name == "embed":
            # A fragment for the municipality's own pages, whose policy applies: it has no head to
            # carry one, so it must hold nothing that such a policy would have to allow.
            assert page.select("script, style, [style], iframe, object, embed") == [], html
            assert not any(name.startswith("on") for tag in page.find_all(True) for name in tag.attrs), html
            # Its links lead to this portal (absolute, since the fragment stands on another site).
            assert all(a["href"].startswith("https://prioriteringer.testvik.kommune.no/") for a in page.select("a")), html
            continue
        else:
            csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')
            assert csp is not None, html
            assert "script-src 'self'" in csp["content"] and "unsafe-inline" not in csp["content"]
        for a in page.select('a[href^="http"]'):
            external += 1
            assert set(a.get("rel", [])) >= {"noopener", "noreferrer"}, (html, a)
    assert external > 0


def _fodselsnummer(day: int, month: int, year: int, individual: int) -> str:
    """A valid synthetic Norwegian fødselsnummer (check digits computed, 1890s individual range)."""
    digits = f"{day:02d}{month:02d}{year % 100:02d}{individual:03d}"
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = 11 - sum(int(d) * w for d, w in zip(digits, w1)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(int(d) * w for d, w in zip(digits + str(k1), w2)) % 11
    k2 = 0 if k2 == 11 else k2
    assert k1 < 10 and k2 < 10
    return digits + str(k1) + str(k2)


def test_identity_number_in_a_decision_stops_the_build_at_its_line(portal_dir, capsys):
    number = next(n for i in range(500, 750) if (n := _try_number(i)))
    measure = "decisions/measures/budsjett-2025/praktisk-bistand-2025.yml"
    patch_file(portal_dir, measure, "  affected: Søkere med familie i nærheten",
               f"  affected: Søkere med familie i nærheten, blant annet {number[:6]} {number[6:]}")
    before = list((portal_dir / "site").rglob("*")) if (portal_dir / "site").exists() else []
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 1
    err = capsys.readouterr().err
    text = (portal_dir / measure).read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if number[:6] in row)
    column = text.splitlines()[line - 1].index(number[:6]) + 1
    assert f"{measure}:{line}:{column}:" in err and "must not be published" in err
    assert number not in err and number[6:] not in err  # the number itself is never printed
    assert not (portal_dir / "site").exists() or list((portal_dir / "site").rglob("*")) == before
    # Marked as allowed (it is not about a person), the same number passes.
    patch_file(portal_dir, measure, "id: praktisk-bistand-2025", f"id: praktisk-bistand-2025\npersonal_data_allowed:\n  - \"{number}\"")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "validate"]) == 0


def _try_number(individual: int) -> str | None:
    try:
        return _fodselsnummer(15, 3, 1895, individual)
    except AssertionError:
        return None


def test_ordinary_numbers_do_not_trigger_the_personal_data_check(portal_dir):
    # Amounts, case numbers and dates are everywhere in the factory portal; it validates.
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "validate"]) == 0


def test_names_on_the_configured_list_and_outside_email_addresses_are_caught_in_pages(portal_dir, capsys):
    config = portal_dir / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      municipality:", "      personal_data:\n        names: [Kari Nordmann]\n"
                                   "        allowed_email_domains: [testvik.kommune.no]\n      municipality:", 1),
                      encoding="utf-8")
    page = portal_dir / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSpør kari nordmann eller skriv til kari@gmail.com.\n"
                    "Eller skriv til post@testvik.kommune.no.\n", encoding="utf-8")
    assert main(["-f", str(config), "validate"]) == 1
    err = capsys.readouterr().err
    lines = page.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(lines, 1) if "kari nordmann" in row)
    assert f"content/index.md:{line}:6:" in err                      # the name
    email_column = lines[line - 1].index("kari@gmail.com") + 1
    assert f"content/index.md:{line}:{email_column}:" in err         # the private address
    assert "kari@gmail.com" not in err and "Kari Nordmann" not in err  # masked in the report
    assert "post@testvik" not in err                                  # the municipality's own domain is fine


def test_a_broken_link_in_a_page_fails_the_build_and_names_the_page(portal_dir, capsys):
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 0
    before = digest(portal_dir / "site")
    page = portal_dir / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSe [vedtaket](measures/finnes-ikke/).\n", encoding="utf-8")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 1
    err = capsys.readouterr().err
    # Reported in the Markdown that has the link, naming the page it is on (Trust issue, item 7).
    assert "content/index.md:" in err and "on site/index.html" in err
    assert "measures/finnes-ikke/" in err and "leads nowhere" in err
    assert digest(portal_dir / "site") == before


def test_markdown_cannot_bring_frames_styles_or_handlers_and_ids_cannot_leave_the_site(portal_dir, capsys):
    from prioportal.text.markup import render_markdown
    html = str(render_markdown('<iframe src="https://evil.example"></iframe><p style="position:fixed" onclick="x()">Tekst</p>'
                               '<a href="javascript:alert(1)">lenke</a><form action="/x"><input></form>'))
    for forbidden in ("<iframe", "style=", "onclick", "javascript:", "<form", "<input"):
        assert forbidden not in html
    assert "Tekst" in html
    measure = "decisions/measures/budsjett-2025/praktisk-bistand-2025.yml"
    patch_file(portal_dir, measure, "id: praktisk-bistand-2025", "id: ../../../tmp/utenfor")
    assert main(["-f", str(portal_dir / "mkdocs.yml"), "build"]) == 1
    assert "'../../../tmp/utenfor' is not a valid id" in capsys.readouterr().err
    assert not (portal_dir.parent / "tmp").exists() and not Path("/tmp/utenfor").exists()


# Plain texts skip Markdown and the sanitiser; that must never change what a page shows.
_PLAIN_PIECES = ["Vi", "skal", " ", ".", ",", "\n", "\n\n", "\n\n\n", "  ", "-", "1.", "2)", ":", ": ", "'", '"', "%",
                 "/", "(", ")", "–", "—", "?", "!", "æøå", "ÅÄÖ", "12", "kr", "\t", "=", "+", "#", "*", "_", "<b>", "&"]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PLAIN_PIECES), max_size=16))
def test_plain_text_takes_a_short_cut_that_gives_exactly_what_markdown_gives(pieces):
    from prioportal.text.markup import _plain_html, _render_markdown

    text = "".join(pieces)
    plain = _plain_html(text)
    if plain is not None:
        assert plain == str(_render_markdown(text)), repr(text)


_EVERY_OUTPUT = """\
{%- macro card(title, body) -%}<h2>{{ title }}</h2><p>{{ body }}</p>{%- endmacro -%}
{%- macro boxed(title) -%}<div title="{{ title }}">{{ caller() }}</div>{%- endmacro -%}
{{ text }}|{{ text|e }}|{{ text|safe }}|{{ number }}|{{ none_value }}|{{ markup }}|{{ [text, markup] }}
{{ card(text, markup) }}{% call boxed(text) %}<i>{{ text }}</i>{% endcall %}
{% set block %}<b>{{ text }}</b>{% endset %}{{ block }}{{ block|upper }}{{ text ~ markup }}{{ "%s!"|format(text) }}
{% for item in items %}{{ loop.index }}{{ item }}{% endfor %}{% autoescape false %}{{ text }}{% endautoescape %}
"""


@functools.cache
def _every_output() -> tuple:
    """The template, compiled by our environment and by a plain Jinja one with the same options."""
    import jinja2

    from prioportal.site.render import make_environment

    ours = make_environment(Path("no-theme"), "nb", "NOK", mark_fallbacks=False)
    plain = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    for env in ours, plain:
        env.loader = jinja2.DictLoader({"every.html": _EVERY_OUTPUT})
    return ours.get_template("every.html"), plain.get_template("every.html")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("a<>&\"'\x00 æ{}%"), max_size=12), st.integers())
def test_pages_escape_exactly_as_jinja_does_in_every_kind_of_output(text, number):
    """Our templates write `{{ … }}` through a quicker escape than Jinja's (render._Template);
    whatever a template does with a value, the page is what Jinja itself would write."""
    from markupsafe import Markup

    ours, jinjas = _every_output()
    values = dict(text=text, number=number, none_value=None, markup=Markup("<em>{}</em>").format(text),
                  items=[text, Markup("<br>"), number])
    page = ours.render(values)
    assert page == jinjas.render(values)
