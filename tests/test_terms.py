"""One word for one thing, and words that cannot be misread.

The glossary is the table in the README's section "Glossary", read here, so the README and
this test cannot drift apart. For each language it names the word for each concept; the
catalogues, the outcome labels of both bundled examples (`decisions/criteria/*.yml` for
bokmål, `examples/exempelby/decisions/criteria/*.yml` for Swedish) and their texts are checked
against it: a badge that reads "Ransonert" beside the site's "Rasjonering", a Swedish
"rangordning 1" for one measure's rank, or a nynorsk "vert" among thirty "blir" fails here.

The last tests read the built sites the way a citizen does: no version number in the footer
(it is in a `<meta>` for programs), no developer's commit message in a page's history unless
`history: {show_commit_messages: true}` says so, and no sentence that says a measure of last
year's round was "not continued" when it simply is not in this round.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from gate import need
from gitrepo import git
from portal_factory import MEASURE_DEPRIORITISED, MKDOCS, MKDOCS_TEXT, write_portal
from prioportal.cli import main

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "generator" / "prioportal" / "locales"
README = ROOT / "README.md"
LANGUAGES = ("en", "nb", "nn", "sv")
# The bundled examples and their language: the repository itself (bokmål) and Exempelby (Swedish).
EXAMPLES = {"nb": ROOT, "sv": ROOT / "examples" / "exempelby"}
OUTCOME_KINDS = ("funded", "partly_funded", "rationed", "efficiency", "deprioritised", "discontinued", "postponed")

# The concepts the catalogues name with one msgid each: its translation must use the glossary's word.
CATALOGUE_WORDS = {
    "measure": "Measure", "round": "Round", "criterion": "Criterion", "level": "Level", "rank": "Rank",
    "budget frame": "Budget frame", "funding line": "Funding line", "outcome": "Outcome",
    "rationing": "Rationing", "efficiency": "Efficiency", "opportunity cost": "What was prioritised instead",
    "reason": "Justification", "consistency review": "Consistency review", "annual cycle": "Annual cycle",
    "sector": "Sector",
}
# The catalogue's word for the same thing as an outcome kind (the measure's type "Rationing" and
# the outcome "rationed"): the two must be the same word in two forms.
SAME_KIND = {"rationed": "rationing", "efficiency": "efficiency"}


def glossary() -> dict[str, dict[str, str]]:
    """The README's glossary: concept → {language: word}."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n### Glossary\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        entry = dict(zip(header, cells))
        table[entry["Concept"]] = {lang: entry[lang] for lang in LANGUAGES}
    return table


GLOSSARY = glossary()


def catalogue(lang: str) -> dict[str, str]:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        cat = read_po(f)
    return {m.id: (m.string if isinstance(m.string, str) else " ".join(m.string))
            for m in cat if m.id and isinstance(m.id, str)}


CATALOGUES = {lang: catalogue(lang) for lang in LANGUAGES}


def uses(text: str, word: str) -> bool:
    """Whether `text` uses the glossary's `word`, in any ending (rasjonering, rasjonert)."""
    stem = word.lower() if len(word) <= 6 else word.lower()[:-1]
    return stem in text.lower()


def stem(a: str, b: str) -> str:
    """The beginning two words share: rasjonering and rasjonert share "rasjoner"."""
    n = 0
    while n < min(len(a), len(b)) and a[n].lower() == b[n].lower():
        n += 1
    return a[:n].lower()


def outcome_labels(lang: str) -> dict[str, set[str]]:
    """Each outcome kind's labels in every criteria version of the bundled example in `lang`."""
    labels: dict[str, set[str]] = {}
    for path in sorted((EXAMPLES[lang] / "decisions" / "criteria").glob("*.yml")):
        for outcome in yaml.safe_load(path.read_text(encoding="utf-8"))["outcomes"]:
            labels.setdefault(outcome["kind"], set()).add(outcome["label"])
    return labels


def example_texts(lang: str) -> dict[str, str]:
    """Every text file of the bundled example in `lang` that a citizen reads, by path."""
    root = EXAMPLES[lang]
    files = [*(root / "decisions").rglob("*.yml"), *(root / "content").rglob("*.md")]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(files)}


def found(pattern: str, texts: dict[str, str], flags: int = re.IGNORECASE) -> list[str]:
    return [f"{where}: {m.group(0)!r}" for where, text in texts.items() for m in re.finditer(pattern, text, flags)]


# --- The glossary ---------------------------------------------------------------------------

def test_the_glossary_names_every_concept_in_every_language():
    for concept in ("measure", "round", "criterion", "level", "rank", "budget frame", "funding line",
                    "rationing", "efficiency", "opportunity cost", *(f"outcome `{k}`" for k in OUTCOME_KINDS)):
        assert concept in GLOSSARY, concept
        assert all(GLOSSARY[concept][lang] for lang in LANGUAGES), (concept, GLOSSARY[concept])


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
def test_the_catalogue_uses_the_glossarys_word_for_each_concept(lang):
    wrong = [f"{msgid!r} → {CATALOGUES[lang][msgid]!r}, glossary: {GLOSSARY[concept][lang]!r}"
             for concept, msgid in CATALOGUE_WORDS.items()
             if not uses(CATALOGUES[lang][msgid], GLOSSARY[concept][lang])]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_the_examples_outcome_labels_are_the_glossarys(lang):
    labels = outcome_labels(lang)
    assert set(labels) == set(OUTCOME_KINDS)
    wrong = [f"{kind}: {sorted(shown)}, glossary: {GLOSSARY[f'outcome `{kind}`'][lang]!r}"
             for kind, shown in labels.items()
             if {label.lower() for label in shown} != {GLOSSARY[f"outcome `{kind}`"][lang].lower()}]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
@pytest.mark.parametrize("kind", sorted(SAME_KIND))
def test_an_outcome_and_the_catalogues_word_for_it_are_one_word(lang, kind):
    """The badge "Rasjonert" and the site's "Rasjonering" (the measure's type) are one word in
    two forms; "Ransonert" beside "Rasjonering" is two words."""
    label = GLOSSARY[f"outcome `{kind}`"][lang]
    word = CATALOGUES[lang][CATALOGUE_WORDS[SAME_KIND[kind]]]
    assert len(stem(label, word)) >= 6, (label, word)
    if lang in EXAMPLES:
        for shown in outcome_labels(lang)[kind]:
            assert len(stem(shown, word)) >= 6, (shown, word)


@pytest.mark.parametrize("lang, endings", [("nb", ("t",)), ("nn", ("t", "a")), ("sv", ("d", "en"))])
def test_outcome_labels_are_all_past_participles(lang, endings):
    """One grammatical form per language: "Nedprioritert", "Utsatt", never "Effektivisering"
    beside "Prioriteras ned"."""
    for kind in OUTCOME_KINDS:
        label = GLOSSARY[f"outcome `{kind}`"][lang]
        assert label.endswith(endings) and not label.endswith("ing"), (kind, label)


# --- The words each language must not use --------------------------------------------------

def test_nynorsk_uses_blir_and_one_spelling_of_grunngiving():
    nn = CATALOGUES["nn"]
    assert not [s for s in nn.values() if re.search(r"\bvert\b", s)]
    assert not [s for s in nn.values() if "grunngjev" in s.lower()]
    assert sum("grunngiving" in s.lower() for s in nn.values()) >= 3


def test_swedish_calls_one_measures_rank_plats():
    sv = CATALOGUES["sv"]
    for msgid in ("Rank", "rank {rank}", "Highest rank", "Lowest rank", "Rank on the round's scale, 1 = highest"):
        assert "plats" in sv[msgid].lower(), (msgid, sv[msgid])
    # "rangordning 1, 3 200 000 kr" is not Swedish: rangordning is the whole ordering.
    rank_number = r"\b(rangordning|rang)\s+(\d|\{)"
    assert not [s for s in sv.values() if re.search(rank_number, s, re.IGNORECASE)]
    assert not found(rank_number, example_texts("sv"))


def test_swedish_texts_have_no_norwegian_words_or_calques():
    assert not [s for s in CATALOGUES["sv"].values()
                if re.search(r"\b(budsjett\S*|nytte|tiltak\S*|vurdert)\b", s, re.IGNORECASE)]
    texts = example_texts("sv")
    assert not found(r"bedömdes till", texts)  # Norwegian "vurdert til"
    assert not found(r"utmönstr\w*|processransonering|budgetomgång\w*", texts)
    # "Efter år" reads as "after a year".
    assert CATALOGUES["sv"]["By year"] != "Efter år"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_norwegian_texts_spell_rasjonering_and_say_budsjettgrense(lang):
    assert not [s for s in CATALOGUES[lang].values() if "ranson" in s.lower()]
    if lang in EXAMPLES:
        texts = example_texts(lang)
        assert not found(r"ranson\w*", texts)  # Swedish spelling
        assert not found(r"\b(under|over) streken\b", texts)  # the site says budsjettgrensen
        assert not found(r"korriger\w*", texts)  # the site says justeres
        assert not found(r"budsjettrund\w*", texts)  # the site says prioriteringsrunde


# A measure stands above or below the funding line in a list; "under budsjettgrensen" reads in
# everyday Norwegian (and "under budgetgränsen" in Swedish) as "within budget", and "over" as
# "over budget". The catalogues' texts about the line (their msgid names the line) say where it
# is with "grensen" alone; "grensen" is also another limit ("a result under the limit for small
# numbers", "under grensen i opplæringsloven"), so the other texts are held to the funding
# line's own word.
LINE_POSITION = {
    "nb": (r"\b(over|under)\s+(budsjett)?grens(en|a)\b", r"\b(over|under)\W+budsjettgrens"),
    "nn": (r"\b(over|under)\s+(budsjett)?grens(en|a)\b", r"\b(over|under)\W+budsjettgrens"),
    "sv": (r"\b(över|under)\s+(budget)?gränsen\b", r"\b(över|under)\W+budgetgräns"),
}


@pytest.mark.parametrize("lang", ["nb", "nn", "sv"])
def test_a_measure_stands_below_the_funding_line_never_under_it(lang):
    in_catalogue, in_texts = LINE_POSITION[lang]
    about_the_line = [s for msgid, s in CATALOGUES[lang].items() if re.search(r"\bline\b", msgid)]
    assert len(about_the_line) >= 10
    assert not [s for s in about_the_line if re.search(in_catalogue, s, re.IGNORECASE)]
    assert not [s for s in CATALOGUES[lang].values() if re.search(in_texts, s, re.IGNORECASE)]
    if lang in EXAMPLES:
        assert not found(in_texts, example_texts(lang))
    # The glossary says so, where a communicator looks it up.
    row = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| funding line |"))
    assert "*under* or *over budsjettgrensen*" in row and "*nedanför*" in row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_consistency_review_says_what_it_found_without_a_negation(lang):
    """"Ranked lower than a measure that was not assessed better on any criterion" makes the
    reader undo two negations; the finding is said plainly."""
    for msgid in [m for m in CATALOGUES[lang] if m.startswith(("Ranked below a measure", "Why this measure is ranked below"))]:
        text = CATALOGUES[lang][msgid] or msgid
        assert not re.search(r"\b(not|no|ikke|ikkje|inte|noe|noko|något)\b", text, re.IGNORECASE), (lang, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_measures_of_the_previous_round_are_not_called_discontinued(lang):
    heading = CATALOGUES[lang]["In the previous round, not in this one"] or "In the previous round, not in this one"
    assert not re.search(r"continued|videref|vidaref|fortsatt|fortsätt", heading, re.IGNORECASE), heading
    assert re.search(r"previous round|forrige runde|førre runde|förra omgången", heading, re.IGNORECASE), heading


@pytest.mark.parametrize("lang", LANGUAGES)
def test_opportunity_cost_is_said_in_plain_words(lang):
    msgid = next(m for m in CATALOGUES[lang] if m.startswith("These measures were ranked higher in the same round"))
    text = CATALOGUES[lang][msgid] or msgid
    assert not re.search(r"\bcost of\b|\bprisen\b|\bpriset\b|alternativkost", text, re.IGNORECASE), text
    assert "{amount}" in text


# --- The built sites ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nb_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("terms-nb") / "site"
    assert main(["-f", str(ROOT / "mkdocs.yml"), "build", "--site-dir", str(out)]) == 0
    return out


def page(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def repository_commit() -> str | None:
    if shutil.which("git") is None:
        return None
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def test_the_footer_names_no_version_and_a_meta_element_keeps_it(nb_site):
    home = page(nb_site, "index.html")
    footer = " ".join(home.select_one("footer").get_text(" ").split())
    assert not re.search(r"\b[0-9a-f]{7,40}\b", footer), footer
    assert not re.search(r"\bversjon\b", footer, re.IGNORECASE), footer
    commit = repository_commit()
    meta = home.select_one('meta[name="generator-source"]')
    if commit is None:
        assert meta is None
    else:
        assert meta is not None and meta["content"].split("+")[0] == commit


def test_the_examples_history_shows_what_changed_without_the_developers_commit_messages(nb_site):
    need(repository_commit() is not None,
         "the repository is not a git checkout (or git is missing): it has no history to show — run the tests in a clone")
    subjects = set(subprocess.run(["git", "-C", str(ROOT), "log", "--format=%s", "--", "decisions", "content"],
                                  capture_output=True, text=True, check=True).stdout.splitlines())
    subjects = {s for s in subjects if len(s) > 12}  # long enough not to occur by chance
    shown = []
    for path in sorted((nb_site / "measures").glob("*/index.html")):
        history = page(nb_site, str(path.relative_to(nb_site))).select_one("section.history")
        if history is not None:
            text = " ".join(history.get_text(" ").split())
            shown += [s for s in subjects if s in text]
    assert not shown, shown


def test_an_efficiency_measure_that_got_all_it_asked_for_names_nothing_prioritised_instead(nb_site):
    data = yaml.safe_load((ROOT / "decisions" / "measures" / "2026" / "digitalt-tilsyn-natt.yml").read_text(encoding="utf-8"))
    assert data["outcome"]["decision"] == "efficiency"
    shown = page(nb_site, "measures/digitalt-tilsyn-natt/index.html")
    assert not shown.select("ul.instead")
    assert "prioritert i stedet" not in shown.get_text(" ").lower()


def test_a_deprioritised_measure_says_plainly_what_was_prioritised_instead(nb_site):
    text = " ".join(page(nb_site, "measures/kommuneavis-papir/index.html").get_text(" ").split())
    assert "Dette ble prioritert i stedet" in text
    assert "kunne ikke også gå til dette tiltaket" in text
    assert "prisen for" not in text


@pytest.mark.usefixtures("git_program")
@pytest.mark.parametrize("show", [False, True])
def test_commit_messages_are_published_only_when_the_settings_say_so(tmp_path, monkeypatch, show):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    settings = MKDOCS_TEXT if not show else MKDOCS_TEXT.replace(
        "      currency: NOK\n", "      currency: NOK\n      history:\n        show_commit_messages: true\n")
    root = write_portal(tmp_path / "repo", {MKDOCS: settings})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Initial import", when="2025-01-10T09:00:00+01:00")
    path = root / MEASURE_DEPRIORITISED
    path.write_text(path.read_text(encoding="utf-8").replace("klokken 21", "klokken 22"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Fuzzing fixes (decimal integers, tags)", when="2025-03-01T09:00:00+01:00")

    assert main(["-f", str(root / MKDOCS), "build"]) == 0
    history = page(root / "site", "measures/kveldsapent-bibliotek-2025/index.html").select_one("section.history")
    text = " ".join(history.get_text(" ").split())
    assert "klokken 22" in text  # what changed in the field is always shown
    assert ("Fuzzing fixes" in text) is show
    assert (re.search(r"\(versjon [0-9a-f]{10}\)", text) is not None) is show
    assert history.select_one("li[data-version]") is not None  # the version, for programs


def test_an_unknown_history_option_is_an_error_with_the_nearest_one(tmp_path, capsys):
    settings = MKDOCS_TEXT.replace("      currency: NOK\n",
                                   "      currency: NOK\n      history:\n        show_commit_message: true\n")
    root = write_portal(tmp_path / "portal", {MKDOCS: settings})
    assert main(["-f", str(root / MKDOCS), "validate"]) == 1
    err = capsys.readouterr().err
    assert ("mkdocs.yml:15:9: 'show_commit_message' is not an option of history — "
            "did you mean 'show_commit_messages'?") in err

    root = write_portal(tmp_path / "portal", {MKDOCS: settings.replace("show_commit_message: true",
                                                                        "show_commit_messages: sometimes")})
    assert main(["-f", str(root / MKDOCS), "validate"]) == 1
    assert ("mkdocs.yml:15:31: the setting is not valid: history.show_commit_messages: it should be true or false, "
            "not a text") in capsys.readouterr().err
