"""mkdocs.yml is data, and every setting is checked before it reaches a page.

Whoever can change mkdocs.yml must not be able to run a command on the machine that builds the
site, publish a script or a file from outside the portal on every page, or turn a check off with
a misspelt option. Each test changes the factory portal's mkdocs.yml the way a careless or a
hostile edit would, and checks what the communicator sees: exit 1, every problem at
`mkdocs.yml:line:column: what — what to do`, and nothing published (or, for what is allowed, a
site that shows it as plain text). The last tests mutate a valid mkdocs.yml at random: the
loader answers with the project's problems, never with a traceback or exit 70.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from portal_factory import MKDOCS, PORTAL_FILES, patched, position, write_portal
from prioportal.cli import main
from prioportal.problems import InvalidPortal, UsageError
from prioportal.settings import load_settings

PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+:\d+: .+ — .+$")
ANCHOR = "      currency: NOK\n"
PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "prioportal"


def with_options(options: str, base: str = PORTAL_FILES[MKDOCS]) -> str:
    """The factory's mkdocs.yml with `options` (indented as the plugin's options) after currency."""
    indented = "".join(f"      {line}\n" for line in options.strip("\n").split("\n"))
    assert base.count(ANCHOR) == 1
    return base.replace(ANCHOR, ANCHOR + indented)


def run(root: Path, *command: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-f", str(root / MKDOCS), *command])
    return code, out.getvalue(), err.getvalue()


def problems_in(err: str) -> list[str]:
    """The problem lines of a failed command; each must be one an editor can jump to."""
    lines = [line for line in err.splitlines() if line and not line.startswith("not valid:")]
    for line in lines:
        assert PROBLEM_LINE.match(line), line
    assert "Traceback" not in err
    return lines


def at(text: str, needle: str, offset: int = 0) -> str:
    line, column = position(text, needle, offset)
    return f"mkdocs.yml:{line}:{column}: "


def published(site: Path) -> str:
    """Every text file of a built site, as one text."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".css", ".js", ".svg", ".xml", ".json", ".txt", ".csv"))


# --- 1. mkdocs.yml is data --------------------------------------------------------------------

def test_a_python_tag_does_not_run_and_is_reported_at_its_line(make_portal, tmp_path):
    sentinel = tmp_path / "the-command-ran"
    tag = f'!!python/object/apply:os.system ["touch {sentinel}"]'
    config = PORTAL_FILES[MKDOCS].replace("site_name: Prioriteringer i Testvik kommune", f"site_name: {tag}")
    root = make_portal({MKDOCS: config})
    for command in (["validate"], ["build"], ["texts", "sektor"]):
        code, _, err = run(root, *command)
        assert code == 1, (command, err)
        assert problems_in(err) == [at(config, "!!python") + "the tag '!!python/object/apply:os.system' is not "
                                    "allowed in mkdocs.yml: it holds settings, not code — remove the tag (write a "
                                    "text in quotes); only !ENV and !relative are read"]
    # The preview reads it the same way, in a process of its own (it would serve if it could read it).
    cli = Path(sys.executable).parent / "prioportal"
    served = subprocess.run([str(cli), "-f", str(root / MKDOCS), "serve", "-a", "127.0.0.1:0"],
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 1 and "the tag '!!python/object/apply:os.system' is not allowed" in served.stderr
    assert not sentinel.exists(), "the command in mkdocs.yml ran"
    assert not (root / "site").exists()


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!!python/object/new:os.system [x]", "!!binary aGVq",
                                 "!!set {a: null}", "!custom x", "!!str text"])
def test_no_tag_but_env_and_relative_is_read(make_portal, tag):
    config = with_options(f"contact_phone: {tag}").replace('      contact_phone: "+47 12 34 56 78"\n', "")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "validate")
    assert code == 1
    [problem] = problems_in(err)
    assert problem.startswith(at(config, tag.split(" ")[0]) + "the tag '")


def test_env_and_relative_tags_are_read_as_mkdocs_documents_them(make_portal, monkeypatch):
    monkeypatch.setenv("PRIOPORTAL_TEST_MUNICIPALITY", "Miljøvik kommune")
    config = (PORTAL_FILES[MKDOCS].replace("municipality: Testvik kommune", "municipality: !ENV PRIOPORTAL_TEST_MUNICIPALITY")
              .replace("site_url: https://prioriteringer.testvik.kommune.no/",
                       'site_url: !ENV [PRIOPORTAL_TEST_NOT_SET, "https://prioriteringer.testvik.kommune.no/"]'))
    root = make_portal({MKDOCS: config})
    settings_ = load_settings(root / MKDOCS)
    assert settings_.municipality == "Miljøvik kommune"
    assert settings_.site_url == "https://prioriteringer.testvik.kommune.no/"


def test_options_that_import_python_code_are_refused_and_not_run(make_portal, tmp_path):
    sentinel = tmp_path / "the-hook-ran"
    config = PORTAL_FILES[MKDOCS] + "hooks:\n  - hook.py\nmarkdown_extensions:\n  - evil\n"
    root = make_portal({MKDOCS: config, "hook.py": f"open({str(sentinel)!r}, 'w').close()\n",
                        "evil.py": f"open({str(sentinel)!r}, 'w').close()\n"})
    code, _, err = run(root, "build")
    assert code == 1
    assert problems_in(err) == [
        at(config, "hooks:") + "'hooks' makes MkDocs import Python code, which the portal's pages do not use — remove it",
        at(config, "markdown_extensions:") + "'markdown_extensions' makes MkDocs import Python code, which the "
        "portal's pages do not use — remove it"]
    assert not sentinel.exists()


def test_no_prioportal_code_reads_mkdocs_yml_with_an_unsafe_loader(portal_dir, monkeypatch):
    """MkDocs' load_config and yaml_load use PyYAML's full loader; prioportal calls neither. At
    run time: with every loader that can construct Python objects made to fail, validate and
    build still work; in the source: no call of them anywhere in the package."""
    import mkdocs.config
    import mkdocs.utils.yaml
    from yaml.constructor import FullConstructor

    def refuse(*args, **kwargs):
        raise AssertionError("an unsafe YAML loader was used")

    monkeypatch.setattr(FullConstructor, "__init__", refuse)  # yaml.Loader, FullLoader, UnsafeLoader
    monkeypatch.setattr(mkdocs.config, "load_config", refuse)
    monkeypatch.setattr(mkdocs.utils.yaml, "yaml_load", refuse)
    assert run(portal_dir, "validate")[0] == 0
    assert run(portal_dir, "build")[0] == 0
    unsafe = re.compile(r"\bload_config\(|\byaml_load\(|yaml\.(?:unsafe_load|full_load|load_all)\(|"
                        r"Loader=yaml\.(?:Loader|FullLoader|UnsafeLoader)|\byaml\.Loader\b")
    for path in PACKAGE.rglob("*.py"):
        found = unsafe.search(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(PACKAGE)}: {found.group()}"


def test_mkdocs_build_cannot_stop_its_own_loader_but_refuses_to_build(make_portal, tmp_path):
    """MkDocs resolves the tag before any plugin runs (the README says so and recommends
    `prioportal build`); the plugin then reports the tag at its line and builds nothing."""
    tag = '!!python/object/apply:os.getcwd []'
    config = PORTAL_FILES[MKDOCS].replace("site_name: Prioriteringer i Testvik kommune", f"site_name: {tag}")
    root = make_portal({MKDOCS: config})
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f", str(root / MKDOCS),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert at(config, "!!python") + "the tag '!!python/object/apply:os.getcwd' is not allowed" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# --- 2. Every setting is checked at its line ------------------------------------------------------

def test_misspelt_options_are_errors_with_the_nearest_option(make_portal):
    config = with_options("personal_data:\n  allowed_email_domain: [testvik.kommune.no]\n  phone_number: true\n"
                          "brand:\n  colour: '#123456'\naccesibility:\n  last_tested: 2026-01-01\nunheard_of: 1")
    config = config.replace("docs_dir: content", "docs_dirr: content")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "validate")
    assert code == 1
    assert problems_in(err) == [
        at(config, "docs_dirr") + "'docs_dirr' is not an option of mkdocs.yml — did you mean 'docs_dir'?",
        at(config, "allowed_email_domain:") + "'allowed_email_domain' is not an option of personal_data — "
        "did you mean 'allowed_email_domains'?",
        at(config, "phone_number:") + "'phone_number' is not an option of personal_data — did you mean 'phone_numbers'?",
        at(config, "colour:") + "'colour' is not an option of brand — did you mean 'color'?",
        at(config, "accesibility:") + "'accesibility' is not an option of prioportal — did you mean 'accessibility'?",
        at(config, "unheard_of:") + "'unheard_of' is not an option of prioportal — remove it, or write one of: "
        "language, languages, decisions_dir, municipality, currency, contact_email, contact_phone, contact_url, "
        "input_url, case_url, readability_limit, easy_read_limit, listing_page_size, brand, accessibility, privacy, "
        "personal_data, history, editor, licence, licence_url, texts",
    ]


def test_an_option_written_twice_is_an_error(make_portal):
    config = with_options("contact_phone: '+47 11 11 11 11'")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "validate")
    assert code == 1
    assert problems_in(err) == [at(config, 'contact_phone: "+47') + "'contact_phone' is written twice here — keep "
                                "one of them: only the last would count"]


@pytest.mark.parametrize("address", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
                                     "java\\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                     "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/", "https://",
                                     "mailto:", "https://x.no/\\\"><script>"])
def test_link_settings_accept_only_web_and_mail_addresses(make_portal, address):
    quoted = '"' + address + '"'
    config = with_options(f"contact_url: {quoted}\naccessibility:\n  last_tested: 2026-01-01\n"
                          f"  enforcement_url: {quoted}\nlicence_url: {quoted}").replace(
        "input_url: https://testvik.kommune.no/innspill", f"input_url: {quoted}")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "build")
    assert code == 1
    problems = problems_in(err)
    assert [p.split(": the setting is not valid: ")[1].split(":")[0] for p in problems] == [
        "contact_url", "accessibility.enforcement_url", "licence_url", "input_url"]
    for problem, key in zip(problems, ["contact_url:", "enforcement_url:", "licence_url:", "input_url:"]):
        assert problem.startswith(at(config, key, len(key) + 1))
    assert not (root / "site").exists()


def test_web_and_mail_addresses_are_links_on_the_site(make_portal):
    config = with_options("contact_url: mailto:kontakt@testvik.kommune.no\nlicence_url: https://data.norge.no/nlod/\n"
                          "accessibility:\n  last_tested: 2026-01-01\n  enforcement_name: Tilsynet\n"
                          "  enforcement_url: http://uutilsynet.no/")
    root = make_portal({MKDOCS: config})
    assert run(root, "build")[0] == 0
    site = published(root / "site")
    assert 'href="mailto:kontakt@testvik.kommune.no"' in site and 'href="http://uutilsynet.no/"' in site
    assert "javascript:" not in site.lower()


@pytest.mark.parametrize("setting", ["contact_email: 'x@y.no\"><script>alert(1)</script>'",
                                     "contact_email: kommunen", "personal_data:\n  allowed_email_domains: [no]",
                                     "personal_data:\n  allowed_email_domains: ['@']"])
def test_e_mail_settings_must_be_addresses_and_domains(make_portal, setting):
    config = with_options(setting).replace("      contact_email: postmottak@testvik.kommune.no\n", "")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "validate")
    assert code == 1
    [problem] = problems_in(err)
    assert ": the setting is not valid: " in problem


@pytest.mark.parametrize("site_url", ["prioriteringer.testvik.kommune.no", "ftp://testvik.kommune.no/",
                                      "javascript://testvik.kommune.no/%0aalert(1)", "https://testvik.kommune.no/?a=1",
                                      "https://testvik kommune.no/", "https:///sti/", "'1'", "https://x.no/./../",
                                      "https://x.no/a%20b/", "https://x.no/a%2F..%2F/", "https://x.no:99999/",
                                      "https://x.no//a/"])
def test_a_bad_site_url_is_one_error_about_mkdocs_yml(make_portal, site_url):
    config = PORTAL_FILES[MKDOCS].replace("site_url: https://prioriteringer.testvik.kommune.no/",
                                          f"site_url: {site_url}")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "build")
    assert code == 1
    [problem] = problems_in(err)
    assert problem.startswith(at(config, "site_url:", len("site_url: ")) + "the setting is not valid: site_url: ")
    assert not (root / "site").exists()


def test_the_logo_must_be_an_image_inside_the_portal(make_portal, tmp_path):
    outside = tmp_path / "outside.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    cases = {"/etc/passwd": "is outside the portal's folder", "../outside.svg": "is outside the portal's folder",
             "linked.svg": "is outside the portal's folder", "missing.svg": "does not exist",
             "content": "is not a file", "page.html": "a logo must be an SVG, PNG, JPEG or WebP image",
             "fake.png": "the file is not a PNG image"}
    for logo, what in cases.items():
        config = with_options(f"brand:\n  logo: {logo}")
        root = make_portal({MKDOCS: config, "page.html": "<script>alert(1)</script>", "fake.png": "<html>"})
        if not (root / "linked.svg").is_symlink():
            (root / "linked.svg").symlink_to(outside)
        code, _, err = run(root, "build")
        assert code == 1, logo
        [problem] = problems_in(err)
        assert problem.startswith(at(config, "logo:", len("logo: "))), problem
        assert what in problem, problem
        assert not (root / "site").exists()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'


@pytest.mark.parametrize("inside", [
    "<script>alert(1)</script>", "<svg:script>alert(1)</svg:script>", '<rect onload="alert(1)"/>',
    "<rect\nONCLICK = 'alert(1)'/>", "<foreignObject><iframe src='https://x.no'/></foreignObject>",
    '<image href="https://tracker.example/x.png"/>', '<use xlink:href="other.svg#a"/>',
    '<a href="javascript:alert(1)"><rect/></a>', '<rect style="fill: url(https://x.no/a.svg)"/>',
    "<style>@import 'https://x.no/a.css';</style>", '<set attributeName="href" to="javascript:alert(1)"/>',
    '<!DOCTYPE svg [<!ENTITY x "y">]>', '<a href="&#106;avascript:alert(1)"><rect/></a>'])
def test_an_svg_logo_that_could_run_or_load_anything_is_refused(make_portal, inside):
    config = with_options("brand:\n  logo: logo.svg")
    root = make_portal({MKDOCS: config, "logo.svg": SVG.format(inside)})
    code, _, err = run(root, "build")
    assert code == 1
    [problem] = problems_in(err)
    assert problem.startswith(at(config, "logo:", len("logo: ")) + "the logo 'logo.svg' cannot be published: the SVG "
                              "holds "), problem
    assert not (root / "site").exists()


def test_a_plain_svg_logo_with_references_inside_itself_is_published_as_is(make_portal):
    logo = SVG.format('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
                      '<rect id="r" fill="url(#g)" width="10" height="10"/><use href="#r"/><use xlink:href="#r"/>')
    root = make_portal({MKDOCS: with_options("brand:\n  logo: logo.svg"), "logo.svg": logo})
    assert run(root, "build")[0] == 0
    assert (root / "site" / "assets" / "logo.svg").read_text(encoding="utf-8") == logo


def test_a_link_in_the_themes_assets_to_a_file_outside_is_refused(make_portal, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIOPORTAL-SECRET-CONTENT", encoding="utf-8")
    root = make_portal()
    (root / "site_templates" / "assets").mkdir(parents=True)
    (root / "site_templates" / "assets" / "notes.txt").symlink_to(secret)
    code, _, err = run(root, "build")
    assert code == 1
    assert problems_in(err) == ["site_templates/assets/notes.txt:1:1: the theme's file is a link to a file outside "
                                "its assets folder, which would be published — copy the file into "
                                "site_templates/assets/ instead of linking to it"]
    assert not (root / "site").exists()
    # A link between the theme's own assets is fine.
    (root / "site_templates" / "assets" / "notes.txt").unlink()
    (root / "site_templates" / "assets" / "mine.css").write_text("body{}", encoding="utf-8")
    (root / "site_templates" / "assets" / "alias.css").symlink_to("mine.css")
    assert run(root, "build")[0] == 0
    assert (root / "site" / "assets" / "alias.css").read_text(encoding="utf-8") == "body{}"


def test_a_missing_names_file_is_reported_at_its_line(make_portal):
    config = with_options("personal_data:\n  names_file: ../navn.txt")
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "validate")
    assert code == 1
    assert problems_in(err) == [at(config, "../navn.txt") + "the names file '../navn.txt' does not exist — create it "
                                "with one name per line, or remove names_file"]


# --- 3. Own texts are plain text with named places ------------------------------------------------

def test_html_in_an_own_text_is_shown_as_text(make_portal):
    config = with_options('texts:\n  nb:\n    Sector: "<img src=x onerror=alert(1)> & <meta http-equiv=refresh '
                          'content=0;url=https://evil.example/> 100 %"\n'
                          '    "Deadlines in {title}": "<b>Frister</b> for {title}"')
    root = make_portal({MKDOCS: config})
    code, _, err = run(root, "build")
    assert code == 0, err
    site = published(root / "site")
    assert "<img src=x" not in site and "<meta http-equiv=refresh" not in site and "<b>Frister" not in site
    page = (root / "site" / "measures" / "praktisk-bistand-2025" / "index.html").read_text(encoding="utf-8")
    assert ("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;meta http-equiv=refresh "
            "content=0;url=https://evil.example/&gt; 100 %") in page
    assert "&lt;b&gt;Frister&lt;/b&gt; for " in published(root / "site")


@pytest.mark.parametrize("own, what", [
    ("{title.__init__.__globals__[os].environ}", "has {title.__init__.__globals__[os].environ}, which is not a place for a value"),
    ("{title.__class__}", "has {title.__class__}, which is not a place for a value"),
    ("{title[0]}", "has {title[0]}, which is not a place for a value"),
    ("{title!r}", "has {title!r}, which is not a place for a value"),
    ("{title:>40}", "has {title:>40}, which is not a place for a value"),
    ("{0}", "has {0}, which is not a place for a value"),
    ("{title} {tittel}", "has {tittel}, which the site does not fill in"),
    ("Publisert {", "has '{', which is not around the name of a value"),
    ("Publisert }", "has '}', which is not around the name of a value"),
    ("{{title}}", "has '{', which is not around the name of a value"),
])
def test_own_texts_fill_in_named_places_only(make_portal, monkeypatch, own, what):
    monkeypatch.setenv("PRIOPORTAL_TEST_SECRET", "s3cret-value-never-published")
    config = with_options(f"texts:\n  nb:\n    'Published: {{title}}': '{own}'")
    root = make_portal({MKDOCS: config})
    code, out, err = run(root, "build")
    assert code == 1
    assert problems_in(err) == [at(config, "'Published: {title}'") + f"the own text for 'Published: {{title}}' {what} "
                                "— " + ("keep exactly {title} in it" if "fill in" in what else
                                        "write braces only around the names the original has: {title}" if "not around" in what
                                        else "write the places as the original has them: {title}")]
    assert "s3cret-value-never-published" not in out + err
    assert not (root / "site").exists()


# --- 4. Whatever mkdocs.yml holds, the loader answers with problems --------------------------------

FULL = with_options("""\
languages: [en]
readability_limit: 40
listing_page_size: 20
contact_url: https://testvik.kommune.no/kontakt
case_url: https://einnsyn.no/sok?q={case_number}
licence: CC BY 4.0
licence_url: https://creativecommons.org/licenses/by/4.0/
privacy: Serveren lagrer IP-adresser i 30 dager.
brand:
  color: "#0b4f7c"
  text_color: "#ffffff"
  link_color: "#0a58a3"
  logo: logo.svg
  footer: "Org.nr. 999 999 999"
accessibility:
  last_tested: 2026-11-01
  status: partial
  method: manuelt
  known_issues: [PDF-vedlegg]
  feedback_email: uu@testvik.kommune.no
  enforcement_name: Tilsynet
  enforcement_url: https://www.uutilsynet.no/
  statement_url: https://uustatus.no/nb/erklaringer/publisert/testvik
  last_reviewed: 2026-11-15
  evaluation: self_assessment
  exemptions: [Gamle kart]
  outside_scope: [Opptak fra 2019]
personal_data:
  phone_numbers: true
  allowed_email_domains: [testvik.kommune.no]
  names: [Ola Nordmann]
  names_file: navn.txt
texts:
  nb:
    Sector: Kommunalområde
    "Decisions in {sector}": "Vedtak i {sector}"
  en:
    Sector: Committee""")

SENTINEL = "/tmp/prioportal-trust-sentinel"  # what a tag's command would create
TAGS = [f'!!python/object/apply:os.system ["touch {SENTINEL}"]', "!!python/name:os.system", "!!binary aGVq",
        "!!set {a: null}", "!!omap [a: 1]", "!!timestamp 2026-01-01", "!!int 3", "!!str x", "!foo bar", "!ENV",
        "!ENV HOME", "!ENV [PRIOPORTAL_NOT_SET, x]", "!ENV {a: b}", "!relative", "!relative $config_dir",
        "!relative $config_dir/decisions", "!relative $docs_dir", "!relative $nope/x", "!relative x"]
VALUES = ["", "~", "null", "true", "no", "0", "-1", "9" * 40, "1.5", ".nan", "2026-02-30", "[]", "{}", "[a, b]",
          "{a: 1}", "[[[[]]]]", '"#zzzzzz"', '"javascript:alert(1)"', '"data:text/html,x"', "https://x.no/",
          "mailto:a@b.no", "/etc/passwd", "../../../etc/passwd", "logo.svg", "content", "'{title.__class__}'",
          "'{x}'", "'<script>'", '"\\x00"', '"\\e[31m"', "&a x", "*a", "*nope", "'", '"', "|", ">", "- x", "a: b",
          "nb", "xx", "[en, en]", "[nb]", "sv"]
KEYS = ["language", "languages", "brand", "logo", "color", "texts", "nb", "Sector", "site_url", "INHERIT",
        "hooks", "plugins", "prioportal", "theme", "custom_dir", "docs_dir", "personal_data", "allowed_email_domain",
        "names_file", "accessibility", "last_tested", "<<", "? x", "unknown", "1", "true", "- x"]

FUZZ = settings(max_examples=120, deadline=timedelta(milliseconds=3000), derandomize=True,
                phases=(Phase.explicit, Phase.generate, Phase.shrink),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
line_no = st.integers(0, 200)
value = st.one_of(st.sampled_from(VALUES), st.text(max_size=10))
operation = st.one_of(
    st.tuples(st.just("value"), line_no, value),
    st.tuples(st.just("tag"), line_no, st.sampled_from(TAGS)),
    st.tuples(st.just("key"), line_no, st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=8))),
    st.tuples(st.just("insert"), line_no, st.sampled_from(KEYS), value),
    st.tuples(st.just("delete"), line_no),
    st.tuples(st.just("indent"), line_no, st.integers(-4, 4)),
)
_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^\s:#][^:#]*?):(?: (.*))?$")


def mutate(text: str, operations: list[tuple]) -> str:
    """Apply line operations to `text`: a key's value or name changed, a tag put before a value,
    a line inserted at the same indentation, a line deleted or its indentation changed."""
    lines = text.split("\n")
    for op, n, *args in operations:
        n %= len(lines)
        match = _KEY_LINE.match(lines[n])
        if op == "value" and match:
            lines[n] = f"{match.group(1)}{match.group(2)}: {args[0]}"
        elif op == "tag" and match:
            lines[n] = f"{match.group(1)}{match.group(2)}: {args[0]} {match.group(3) or ''}".rstrip()
        elif op == "key" and match:
            lines[n] = f"{match.group(1)}{args[0]}:" + (f" {match.group(3)}" if match.group(3) else "")
        elif op == "insert":
            indent = len(lines[n]) - len(lines[n].lstrip(" "))
            lines.insert(n, " " * indent + f"{args[0]}: {args[1]}")
        elif op == "delete" and len(lines) > 1:
            del lines[n]
        elif op == "indent":
            lines[n] = " " * args[0] + lines[n] if args[0] > 0 else lines[n][min(-args[0], len(lines[n]) - len(lines[n].lstrip(" "))):]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def fuzz_portal(tmp_path_factory) -> Path:
    root = write_portal(tmp_path_factory.mktemp("trust") / "portal", {MKDOCS: FULL})
    (root / "logo.svg").write_text(SVG.format("<rect/>"), encoding="utf-8")
    (root / "navn.txt").write_text("Kari Nordmann\n", encoding="utf-8")
    load_settings(root / MKDOCS)  # the unchanged file is valid
    return root


def test_the_fuzzed_base_is_valid_and_complete(fuzz_portal):
    loaded = load_settings(fuzz_portal / MKDOCS)
    assert loaded.brand.logo == (fuzz_portal / "logo.svg").resolve()
    assert loaded.personal_data.names == ("Ola Nordmann", "Kari Nordmann")
    assert dict(loaded.texts)["en"] == (("Sector", "Committee"),)
    assert loaded.case_link("2025/1432") == "https://einnsyn.no/sok?q=2025/1432"
    assert loaded.accessibility.exemptions == ("Gamle kart",) and loaded.accessibility.evaluation == "self_assessment"


@FUZZ
@given(operations=st.lists(operation, min_size=1, max_size=5))
def test_the_loader_answers_any_mkdocs_yml_with_problems_only(fuzz_portal, operations):
    text = mutate(FULL, operations)
    (fuzz_portal / MKDOCS).write_text(text, encoding="utf-8")
    try:
        load_settings(fuzz_portal / MKDOCS)
    except InvalidPortal as exc:
        assert exc.problems
        lines = max(len(text.splitlines()), 1) + 1
        for problem in exc.problems:
            assert PROBLEM_LINE.match(str(problem).replace("\n", "\\n")), str(problem)
            assert 1 <= problem.line <= lines and problem.column >= 1, str(problem)
    except UsageError:
        pass
    finally:
        (fuzz_portal / MKDOCS).write_text(FULL, encoding="utf-8")
    assert not os.path.exists(SENTINEL), f"a tag ran a command:\n{text}"


@settings(FUZZ, max_examples=25)
@given(operations=st.lists(operation, min_size=1, max_size=4))
def test_validate_never_ends_in_an_internal_error_whatever_mkdocs_yml_holds(fuzz_portal, operations):
    text = mutate(FULL, operations)
    (fuzz_portal / MKDOCS).write_text(text, encoding="utf-8")
    try:
        code, _, err = run(fuzz_portal, "validate", "--no-cache")
    finally:
        (fuzz_portal / MKDOCS).write_text(FULL, encoding="utf-8")
    assert code in (0, 1), f"exit {code} for this mkdocs.yml:\n{text}\n{err}"
    if code == 1:
        problems_in(err)
    assert not os.path.exists(SENTINEL), f"a tag ran a command:\n{text}"


def test_mutate_changes_what_it_is_asked_to():
    assert mutate("a: 1\nb: 2", [("value", 1, "x")]) == "a: 1\nb: x"
    assert mutate("a: 1", [("tag", 0, "!ENV")]) == "a: !ENV 1"
    assert mutate("  a: 1", [("insert", 0, "k", "v")]) == "  k: v\n  a: 1"
    assert yaml.safe_load(mutate(FULL, [])) == yaml.safe_load(FULL)
    assert patched(MKDOCS, "currency: NOK", "currency: SEK") != PORTAL_FILES[MKDOCS]
