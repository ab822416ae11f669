"""The command line speaks the communicator's language: the portal's, unless they choose another.

Every line `prioportal` prints (the summaries, the problems of mkdocs.yml and their advice, the
usage errors, the faults of the machine, the preview's lines) and the comments of what `new`
writes come from the same catalogues as the site, in nb, nn, sv or en. The language is the one
chosen with `--language`, else the one LANGUAGE/LC_ALL/LC_MESSAGES/LANG names, else the
portal's `language:` (README, "Messages in your language"). The tests run the bundled examples,
copied and broken the way a communicator breaks them, with no language in the environment
(`no_language_in_environment`) unless a test sets one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from prioportal.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"nb": ROOT, "sv": ROOT / "examples" / "exempelby"}
# The option as a communicator misspells it, and where it stands in each example's mkdocs.yml.
MISSPELT = "readabilty_limit"


def copy_example(language: str, dest: Path) -> Path:
    """A copy of the bundled example in `language` (its settings, decisions and pages; the
    theme where it is); returns its mkdocs.yml."""
    source = EXAMPLES[language]
    dest.mkdir(parents=True)
    for folder in ("decisions", "content"):
        shutil.copytree(source / folder, dest / folder)
    text = (source / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*custom_dir:).*$", rf"\1 {(ROOT / 'site_templates').as_posix()}", text)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest / "mkdocs.yml"


def misspell_an_option(config: Path) -> str:
    """`readability_limit` written `readabilty_limit`; the line:column where the problem is."""
    lines = config.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines) if "readability_limit:" in line)
    lines[number] = lines[number].replace("readability_limit", MISSPELT)
    config.write_text("\n".join(lines), encoding="utf-8")
    return f"mkdocs.yml:{number + 1}:{lines[number].index(MISSPELT) + 1}"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def nb_example(tmp_path) -> Path:
    return copy_example("nb", tmp_path / "eksempelvik")


@pytest.fixture
def sv_example(tmp_path) -> Path:
    return copy_example("sv", tmp_path / "exempelby")


# --- The portal's language, LANG, --language ----------------------------------------------------

def test_the_norwegian_example_says_its_problems_in_bokmal(no_language_in_environment, nb_example, capsys):
    at = misspell_an_option(nb_example)
    for command in ("validate", "build"):
        code, out, err = run(capsys, "-f", nb_example, command)
        assert code == 1
        assert err.splitlines() == [
            f"{at}: '{MISSPELT}' er ikke en innstilling i prioportal — mente du 'readability_limit'?",
            "ikke gyldig: 1 feil, 0 advarsel/advarsler"], command
    assert not (nb_example.parent / "site").exists()


def test_the_swedish_example_says_its_problems_in_swedish(no_language_in_environment, sv_example, capsys):
    at = misspell_an_option(sv_example)
    for command in ("validate", "build"):
        code, out, err = run(capsys, "-f", sv_example, command)
        assert code == 1
        assert err.splitlines() == [
            f"{at}: '{MISSPELT}' är inte en inställning i prioportal — menade du 'readability_limit'?",
            "inte giltig: 1 fel, 0 varning(ar)"], command


def test_lang_chooses_nynorsk_over_the_portals_bokmal(no_language_in_environment, nb_example, capsys):
    no_language_in_environment.setenv("LANG", "nn_NO.UTF-8")
    at = misspell_an_option(nb_example)
    code, _, err = run(capsys, "-f", nb_example, "validate")
    assert code == 1
    assert err.splitlines() == [
        f"{at}: '{MISSPELT}' er ikkje ei innstilling i prioportal — meinte du 'readability_limit'?",
        "ikkje gyldig: 1 feil, 0 åtvaring(ar)"]


def test_the_language_option_chooses_english_over_lang_and_the_portal(no_language_in_environment, sv_example, capsys):
    no_language_in_environment.setenv("LANG", "nb_NO.UTF-8")
    at = misspell_an_option(sv_example)
    code, _, err = run(capsys, "--language", "en", "-f", sv_example, "validate")
    assert code == 1
    assert err.splitlines() == [
        f"{at}: '{MISSPELT}' is not an option of prioportal — did you mean 'readability_limit'?",
        "not valid: 1 error(s), 0 warning(s)"]


def test_a_value_that_is_not_valid_is_explained_in_the_portals_language(no_language_in_environment, nb_example,
                                                                      capsys):
    text = nb_example.read_text(encoding="utf-8")
    nb_example.write_text(text.replace('color: "#0b4f7c"', 'color: "#0b4f7"', 1), encoding="utf-8")
    code, _, err = run(capsys, "-f", nb_example, "validate")
    assert code == 1
    assert ("innstillingen er ikke gyldig: brand.color: '#0b4f7' er ikke en farge: skriv den som #RRGGBB, "
            "for eksempel #0b4f7c — sammenlign med eksempelet i README-filen, under 'Settings in mkdocs.yml'") in err


def test_a_valid_portal_is_summed_up_in_its_language(no_language_in_environment, nb_example, sv_example, capsys,
                                                     tmp_path):
    code, out, err = run(capsys, "-f", nb_example, "validate")
    assert code == 0, err
    assert re.fullmatch(r"gyldig: \d+ kriterieversjon\(er\), \d+ prioriteringsrunde\(r\), \d+ tiltak, \d+ side\(r\); "
                        r"0 feil, 0 advarsel/advarsler\n", out), out
    site = tmp_path / "sv-site"
    code, out, err = run(capsys, "-f", sv_example, "build", "--site-dir", site)
    assert code == 0, err
    # Swedish numbers too: a decimal comma in the seconds.
    assert re.fullmatch(rf"byggde \d+ sidor i {re.escape(str(site))} på \d+,\d\d s; 0 fel, 0 varning\(ar\); alla "
                        r"interna länkar fungerar; \d+ länk\(ar\) till andra webbplatser\n", out), out


# --- Usage errors, the site folder, faults of the machine, broken links -------------------------

def test_a_usage_error_is_in_the_portals_language(no_language_in_environment, nb_example, capsys):
    code, _, err = run(capsys, "-f", nb_example, "new", "measure", "--round", "budsjett-2062")
    assert code == 2
    assert err == ("prioportal: det finnes ingen gyldig prioriteringsrunde 'budsjett-2062' — bruk en av disse: "
                   "budsjett-2025, budsjett-2026\n")


def test_a_site_folder_that_would_delete_the_portal_is_refused_in_its_language(no_language_in_environment,
                                                                              sv_example, capsys):
    code, _, err = run(capsys, "-f", sv_example, "build", "--site-dir", sv_example.parent / "decisions")
    assert code == 1
    assert err.startswith("prioportal: --site-dir ")
    assert ("webbplatsens mapp skulle vara mappen med beslutsfilerna (decisions): ett bygge ersätter webbplatsens "
            "hela mapp, så alla beslutsfiler skulle raderas — välj en egen mapp för webbplatsen") in err
    assert (sv_example.parent / "decisions" / "rounds").is_dir()


def test_a_full_disk_is_said_in_the_portals_language(no_language_in_environment, nb_example, capsys):
    """/dev/full: every write to it fails as on a full disk (ENOSPC)."""
    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux)")
    code, _, err = run(capsys, "-f", nb_example, "export", "--round", "budsjett-2026", "--format", "csv",
                       "--out", "/dev/full")
    assert code == 1
    assert err == ("prioportal: /dev/full: disken er full (no space left on device) — frigjør plass på disken, "
                   "eller bruk en mappe på en annen disk, og prøv igjen\n")


def test_a_broken_link_is_reported_in_the_portals_language(no_language_in_environment, nb_example, capsys):
    page = nb_example.parent / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nLes [mer](finnes-ikke/).\n", encoding="utf-8")
    code, _, err = run(capsys, "-f", nb_example, "build", "--site-dir", nb_example.parent / "site")
    assert code == 1
    line = len(page.read_text(encoding="utf-8").splitlines())
    assert re.search(rf"^content/index\.md:{line}:\d+: lenken 'finnes-ikke/' fører ingen steder \(filen "
                     r"finnes-ikke/index\.html finnes ikke på nettstedet\) på site/index\.html — rett lenken \(en lenke "
                     r"uten / først leses ut fra adressen til siden den står på\), eller fjern den$", err, re.M), err


# --- What `new` writes ----------------------------------------------------------------------------

def test_a_new_measure_has_its_comments_in_the_portals_language(no_language_in_environment, nb_example, capsys):
    code, out, _ = run(capsys, "-f", nb_example, "new", "measure", "--round", "budsjett-2026", "--id", "nattlys")
    assert code == 0
    path = nb_example.parent / "decisions" / "measures" / "2026" / "nattlys.yml"
    assert out == (f"skrev {path}: fyll inn feltene som er merket med vinkelparenteser, og kjør deretter "
                   "'prioportal validate'\n")
    skeleton = path.read_text(encoding="utf-8")
    assert skeleton.startswith("# Et tiltak i prioriteringsrunden budsjett-2026. Fyll inn alle <...>")
    assert "# Nivåer, høyeste først: " in skeleton and "title: <Kort tittel>\n" in skeleton
    comments = "\n".join(line for line in skeleton.splitlines() if line.lstrip().startswith("#"))
    for english in ("Levels, highest first", "Fill in every", "One of:", "Short title", "plain language"):
        assert english not in skeleton, english
    assert "Rang: 1 (høyest prioritet) til 10 (lavest)." in comments
    # What validate says of it comes in bokmål as well.
    code, out, err = run(capsys, "-f", nb_example, "validate")
    assert code == 1 and err.endswith(" advarsel/advarsler\n") and err.splitlines()[-1].startswith("ikke gyldig: ")

    # The round is decided, so the skeleton asks for what the decision says, in bokmål too.
    assert "# Fyll inn når prioriteringsrunden er vedtatt." in comments


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_the_skeleton_is_the_same_yaml_in_every_language(sv_example, capsys, language):
    """The comments and placeholders change with the language; the fields, their values and
    where each placeholder stands do not (a translation with ': ' in a placeholder would break it)."""
    english = _skeleton(sv_example, capsys, "en", "jamforelse")
    other = _skeleton(sv_example, capsys, language, f"oversatt-{language}")
    assert _shape(yaml.safe_load(other)) == _shape(yaml.safe_load(english))
    assert len(re.findall(r"<[^<>\n]+>", other)) == len(re.findall(r"<[^<>\n]+>", english))


def _skeleton(config: Path, capsys, language: str, measure_id: str) -> str:
    code, _, err = run(capsys, "--language", language, "-f", config, "new", "measure", "--round",
                       "budget-2026-namnderna", "--id", measure_id)
    assert code == 0, err
    return next((config.parent / "decisions" / "measures").rglob(f"{measure_id}.yml")).read_text(encoding="utf-8")


def _shape(value):
    """The data with every placeholder the same and the id left out."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    if isinstance(value, str) and re.fullmatch(r"<[^<>]+>", value):
        return "<>"
    return value


def test_a_new_portal_in_swedish_has_swedish_comments_whatever_the_messages_language(tmp_path, capsys):
    # The environment of the tests names English (conftest): the messages are English, the files Swedish.
    folder = tmp_path / "ny"
    code, out, err = run(capsys, "new", "portal", folder, "--name", "Testby kommun", "--language", "sv",
                         "--year", "2027")
    assert code == 0, err
    assert out.startswith(f"wrote a new portal for Testby kommun to {folder}")
    settings = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# Inställningarna för prioriteringsportalen för Testby kommun." in settings
    round_file = next((folder / "decisions" / "rounds").glob("*.yml")).read_text(encoding="utf-8")
    comments = [line for line in round_file.splitlines() if line.startswith("#")]
    assert comments and not any(re.search(r"\b(the|and|of|when)\b", line) for line in comments), comments


def test_a_new_portal_says_what_to_do_next_in_its_language(no_language_in_environment, tmp_path, capsys):
    folder = tmp_path / "ny"
    code, out, err = run(capsys, "new", "portal", folder, "--name", "Testby kommun", "--language", "sv",
                         "--year", "2027")
    assert code == 0, err
    assert out.startswith(f"skrev en ny portal för Testby kommun i {folder} (")
    assert "'prioportal new measure --round budget-2027'" in out
    code, _, err = run(capsys, "new", "portal", folder, "--name", "Testby kommun", "--language", "sv")
    assert code == 2
    assert err.startswith(f"prioportal: {folder}: mappen är inte tom, den innehåller ")
    assert err.endswith("— välj en ny eller tom mapp; ingenting skrevs\n")


# --- The preview's lines --------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_preview_speaks_the_portals_language(no_language_in_environment, nb_example):
    port = _free_port()
    cli = Path(sys.executable).parent / "prioportal"
    server = subprocess.Popen([str(cli), "-f", str(nb_example), "serve", "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ),
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()

    def wait_for(pattern: str) -> bool:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if re.search(pattern, "".join(lines), re.M):
                return True
            time.sleep(0.1)
        return False

    try:
        assert wait_for(rf"^Forhåndsvisningen er på http://127\.0\.0\.1:{port}/ \(Ctrl\+C for å stoppe\)$"), lines
        assert wait_for(r"^Bygd på \d+,\d\d s: \d+ side\(r\) skrevet$"), lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
        # A rank written in words: the save does not validate.
        measure = next(p for p in sorted((nb_example.parent / "decisions" / "measures").rglob("*.yml"))
                       if re.search(r"(?m)^rank: \d+$", p.read_text(encoding="utf-8")))
        text = measure.read_text(encoding="utf-8")
        measure.write_text(re.sub(r"(?m)^rank: \d+$", "rank: elleve", text, count=1), encoding="utf-8")
        assert wait_for(r"^Forhåndsvisningen viser fortsatt den siste gode versjonen\.$"), lines
        assert "The preview" not in "".join(lines)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# --- Messages of the command line are not texts of the site ------------------------------------

def test_texts_of_the_site_leave_out_the_command_lines_messages(nb_example, capsys):
    """The catalogues hold both; `prioportal texts` offers only the site's wording, and `texts:`
    refuses a message of the command line as it refuses any other unknown text."""
    code, listed, _ = run(capsys, "-f", nb_example, "texts")
    assert code == 0
    offered = yaml.safe_load(listed)["texts"]["nb"]
    assert "Sector" in offered and "Outcome" in offered  # texts a page shows
    assert not [msgid for msgid in offered if msgid.startswith("not valid: ") or "error(s)" in msgid]
    config = nb_example
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      language: nb\n", "      language: nb\n      texts:\n        nb:\n          'not valid: {summary}': 'feil: {summary}'\n"),
        encoding="utf-8")
    code, _, err = run(capsys, "-f", config, "validate")
    assert code == 1 and "'not valid: {summary}'" in err
