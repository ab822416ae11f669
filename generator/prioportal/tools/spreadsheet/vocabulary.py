"""The words of the source ranking tools, in Swedish, Norwegian and English: how a heading or a
label is normalised before it is compared, the column headings the import recognises (and the
export writes), the words of each criterion's concept, the scale labels, and the labels of the
fixed vocabulary (type, need cause, cost kind, rationing type, decision)."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from typing import Any, Iterable

from prioportal.model import decisions as m
from prioportal.site.vocabulary import LABELS
from prioportal.text.i18n import Translator, available_languages

# --- Normalising text -------------------------------------------------------------------

DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "-": " ", "_": " "})
_UNIT_WORDS = r"(?:tkr|t kr|kr|kkr|mnkr|mkr|mn kr|msek|mnok|ksek|knok|sek|nok|tusen kr|tusen kroner|i tkr|i kr|i tusen kroner)"


# Footnote marks after a heading ("Svårighetsgrad¹", "Patientnytta*", "Nytte 2)", "Kostnad†"): read
# before NFKC, which would make a superscript one an ordinary digit.
_FOOTNOTE_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u209f*\u2020\u2021\u00a7]+|(?<=[^\W\d_])\s+\d\)\s*$")


def normalise(text: Any) -> str:
    """A heading or label as compared: case, spacing, line breaks, hyphenation at a line break,
    dashes, footnote marks, notes in parentheses and a trailing unit do not matter
    ("Svårighets-\\ngrad¹ (1–4)" → "svårighetsgrad")."""
    s = _FOOTNOTE_MARKS.sub(" ", str(text).replace("\u00ad", ""))
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"([^\W\d_])-[ \t]*\r?\n\s*([^\W\d_])", r"\1\2", s)  # a word hyphenated at a line break
    s = s.translate(DASHES).casefold()
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)
    s = re.sub(r"[*:;.,?!\"'«»“”]+", " ", s)
    s = re.sub(r"\s*/\s*", "/", s)
    s = re.sub(r"\s*\+\s*", " + ", s)
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"\s+", " ", s).strip(" -")
    s = re.sub(rf"(?:,|\s)+{_UNIT_WORDS}$", "", s).strip(" -")
    return s


def key(text: Any) -> str:
    """`normalise`, and Norwegian/Swedish letters spelt out, so "Høy", "hoey" and "HØY" agree."""
    return re.sub(r"\s+", " ", normalise(text).translate(_TRANSLIT)).strip()


def loose_key(text: Any) -> str:
    """`key` without spaces and punctuation: how a heading in a mapping file is matched, so that
    a heading copied as a message shows it ("Patient- nytta*", "Kostnad (tkr) / År 1") names the
    column whose cells hold it ("Patient-\\nnytta*", "Kostnad (tkr)" over "År 1")."""
    return re.sub(r"[\W_]+", "", key(text))


# --- Column headings --------------------------------------------------------------------

LANGS = ("nb", "nn", "sv", "en")
JUSTIFICATION_WORD = {"nb": "begrunnelse", "nn": "grunngjeving", "sv": "motivering", "en": "justification"}

# field: (nb, nn, sv, en) export heading, then further headings the import recognises.
COLUMNS: dict[str, tuple[tuple[str, str, str, str], tuple[str, ...]]] = {
    "id": (("Id", "Id", "Id", "Id"), ("tiltaks-id", "tiltaksid", "åtgärds-id", "åtgärdsid", "identifier", "nr-id")),
    "title": (("Tiltak", "Tiltak", "Åtgärd/Insats", "Measure"),
              ("åtgärd", "insats", "åtgärder", "åtgärdsförslag", "åtgärd/insatser", "tiltaket", "tiltaksnavn",
               "namn på åtgärd", "tittel", "titel", "title", "measure", "insats/åtgärd")),
    "summary": (("Sammendrag", "Samandrag", "Sammanfattande beskrivning", "Summary"),
                ("sammanfattning", "kort beskrivelse", "kort beskrivning", "kortversjon")),
    "situation": (("Situasjon", "Situasjon", "Situation", "Situation"),
                  ("tillstånd", "hälsotillstånd", "situation/tillstånd", "nåsituasjon", "dagens situasjon",
                   "current state", "behov", "tilstand", "helsetilstand", "condition", "health condition")),
    "goal": (("Mål", "Mål", "Mål", "Goal"), ("målsetting", "målsetjing", "målsättning", "mål eller krav", "goal")),
    "description": (("Beskrivelse av tiltaket", "Skildring av tiltaket", "Beskrivning av åtgärden",
                     "Description of the measure"),
                    ("beskrivelse", "beskrivning", "description", "tiltaksbeskrivelse", "åtgärdsbeskrivning",
                     "beskrivelse av tiltak", "beskrivning av åtgärd")),
    "alternative": (("Sammenligningsalternativ", "Samanlikningsalternativ", "Jämförelsealternativ", "Compared with"),
                    ("alternativ", "alternative", "nullalternativ", "jämförelse", "sammenlignet med", "comparison",
                     "comparator", "sammenligning")),
    "sector": (("Sektor", "Sektor", "Nämnd", "Sector"),
               ("utvalg", "hovedutvalg", "hovudutval", "komité", "komite", "nämnd/förvaltning", "förvaltning",
                "committee", "sektor/utvalg", "sector/committee")),
    "service_area": (("Tjenesteområde", "Tenesteområde", "Verksamhetsområde", "Service area"),
                     ("verksamhet", "virksomhetsområde", "verksemdsområde", "tjeneste", "teneste", "tjenester",
                      "service")),
    "target_area": (("Målområde", "Målområde", "Målområde", "Target area"),
                    ("målområden", "target area")),
    "focus_area": (("Fokusområde", "Fokusområde", "Fokusområde", "Focus area"),
                   ("fokusområden", "innsatsområde", "satsingsområde", "satsningsområde", "focus area")),
    "type": (("Type", "Type", "Typ", "Type"), ("typ av åtgärd", "tiltakstype", "type tiltak", "kategori")),
    "need_cause": (("Årsak til behov", "Årsak til behov", "Orsak till behov", "Why the need arises"),
                   ("orsak", "årsak", "behovsorsak", "orsak till behovet", "årsak til behovet", "need cause",
                    "cause of need")),
    "long_term_effect": (("Effekt på lengre sikt", "Effekt på lengre sikt", "Effekt på längre sikt",
                          "Long-term effect"),
                         ("langsiktig effekt", "långsiktig effekt", "effekt på lang sikt", "effect in the longer term")),
    "year_1": (("År 1", "År 1", "År 1", "Year 1"), ()),
    "year_2": (("År 2", "År 2", "År 2", "Year 2"), ()),
    "year_3": (("År 3", "År 3", "År 3", "Year 3"), ()),
    "years_4_10": (("År 4–10", "År 4–10", "År 4–10", "Years 4–10"), ()),
    "cost_kind": (("Kostnadstype", "Kostnadstype", "Kostnadstyp", "Cost kind"),
                  ("type kostnad", "typ av kostnad", "kind of cost")),
    "rank": (("Rang", "Rang", "Rangordning", "Rank"),
             ("rangering", "sammanvägd rangordning", "samlet rangering", "samla rangering", "prioritet",
              "prioritering", "rangordning 1-10", "ranking")),
    "decision": (("Vedtak", "Vedtak", "Beslut", "Decision"),
                 ("utfall", "outcome", "beslutat", "vedtatt", "prioritert/ikke prioritert")),
    "rationing_type": (("Type rasjonering", "Type rasjonering", "Typ av ransonering", "Type of rationing"),
                       ("ransoneringstyp", "rasjoneringstype", "rationing type")),
    "granted": (("Tildelt", "Tildelt", "Beviljat", "Granted"),
                ("bevilget", "bevilga", "bevilgning", "tildelt beløp", "beviljade medel", "beviljat belopp")),
    "rationale": (("Begrunnelse for vedtaket", "Grunngjeving for vedtaket", "Motivering till beslutet",
                   "Why this decision"),
                  ("begrunnelse", "grunngjeving", "motivering", "rationale", "skäl", "motivering beslut")),
    "affected": (("Hvem berøres", "Kven vert råka", "Vilka berörs", "Who is affected"),
                 ("berørte", "berørte grupper", "berörda", "berörda grupper", "affected", "målgruppe", "målgrupp")),
    "consequences": (("Konsekvenser", "Konsekvensar", "Konsekvensanalys", "Consequences"),
                     ("konsekvensanalyse", "konsekvens", "konsekvensbeskrivelse", "consequence analysis")),
    "mitigation": (("Avbøtende tiltak", "Avbøtande tiltak", "Åtgärder för att mildra", "What is done to soften it"),
                   ("avbøtende", "mitigation", "kompenserande åtgärder", "kompenserende tiltak")),
    # A priority list's group of conditions (the pair's condition is the situation's column).
    "condition_group": (("Tilstandsgruppe", "Tilstandsgruppe", "Tillståndsgrupp", "Condition group"),
                        ("tillståndsgrupper", "tilstandsgrupper", "diagnosgrupp", "diagnosegruppe", "patientgrupp",
                         "pasientgruppe", "pasientgruppe/tilstand", "condition groups")),
    "comment": (("Kommentar", "Kommentar", "Kommentar", "Comment"),
                ("kommentarer", "merknad", "merknader", "anmerkning", "anteckning", "notes", "note")),
}
TEXT_FIELDS = ("title", "summary", "situation", "goal", "description", "alternative", "sector", "service_area",
               "target_area", "focus_area", "long_term_effect", "rationale", "affected", "consequences", "mitigation", "comment",
               "condition_group")

# Criteria are data: a heading names a criterion by its id or name, or by the words the source
# tools use for the same concept (severity, benefit, resource, cost-effectiveness, evidence).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "severity": ("svårighetsgrad", "alvorlighet", "alvorlighetsgrad", "alvorlegheit", "alvorlegheitsgrad", "severity",
                 "svårighet", "allvarlighetsgrad", "behovets svårighetsgrad",
                 # the national model for health care (Prioriteringscentrum 2017:2), in its three languages
                 "hälsotillståndets svårighetsgrad", "helsetilstandens alvorlighetsgrad", "severity of the condition"),
    "benefit": ("nytta", "nytte", "effekt", "effekt av åtgärden", "effekt av åtgärd", "effekt av tiltaket",
                "förväntad effekt", "forventet effekt", "bedömd nytta", "nytta för målområdet", "nytte for målområdet",
                "patientnytta", "brukarnytta", "benefit", "effect", "nyttevurdering",
                "åtgärdens patientnytta", "pasientnytte", "tiltakets pasientnytte", "patient benefit"),
    "resource": ("ressurs", "ressursar", "ressursbruk", "resurs", "resursåtgång", "kostnad", "kostnader", "resource",
                 "resources", "cost", "ressursbehov"),
    "cost_effectiveness": ("kostnadseffektivitet", "kostnad i relation till nytta", "kostnad i förhållande till nytta",
                           "kostnad i forhold til nytte", "cost-effectiveness", "cost effectiveness",
                           "kostnadseffektivitet nytta/kostnad", "kostnad i relation till patientnytta",
                           "kostnad i forhold til pasientnytte", "cost in relation to benefit",
                           "cost in relation to patient benefit"),
    "evidence": ("kvalitet i kunskapsunderlaget", "kvalitet i kunskapsunderlagen", "kunnskapsgrunnlag",
                 "kvalitet på kunnskapsgrunnlaget", "evidensstyrka", "evidence quality", "kunskapsunderlag",
                 "kvalitet i kunnskapsgrunnlaget", "quality of evidence", "quality of the evidence"),
}

SITUATION_MEASURE = re.compile(
    r"^(situation|situasjon|tillstånd|hälsotillstånd|tilstand|helsetilstand|condition|health condition|problem|behov) \+ "
    r"(åtgärd|åtgärder|åtgärdsförslag|åtgärdsförslaget|insats|tiltak|tiltaksforslag|measure|proposal)$")
YEAR_HEADING = re.compile(r"^(?:(?:kostnad|kostnader|cost|costs|utgift|utgifter|budget|investering)\s+)?"
                   r"(?:år|year|years|aar)\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?$")
_COST_WORD = r"(?:kostnad|kostnader|driftskostnad|driftskostnader|utgift|utgifter|cost|costs|running costs?)"
# A cost given once for every year ("Kostnad per år (tkr)", "Kostnad/år", "Årlig kostnad").
COST_PER_YEAR = re.compile(rf"^(?:{_COST_WORD}(?:\s*(?:per|pr|i)\s+(?:år|year)|/(?:år|year)|\s+per annum)"
                           rf"|(?:årlig|årleg|annual|yearly)\s+{_COST_WORD})$")
_JUSTIFICATION_WORDS = ("begrunnelse", "begrunning", "grunngjeving", "grunngiving", "motivering", "motivation",
                        "justification", "kommentar", "rationale", "skäl", "comment")
JUSTIFICATION_AFTER = re.compile(r"^(.+?)[ -]+(?:" + "|".join(_JUSTIFICATION_WORDS) + r")$")
JUSTIFICATION_BEFORE = re.compile(r"^(?:" + "|".join(_JUSTIFICATION_WORDS) + r")(?: for| av| till| til| of)? (.+)$")
TOTAL_WORDS = {key(w) for w in ("sum", "summa", "summering", "totalt", "total", "i alt", "samlet", "samla",
                                 "totalsum", "sum totalt", "summa totalt", "grand total")}


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, (headings, aliases) in COLUMNS.items():
        for text in headings + aliases + (name.replace("_", " "),):
            k = key(text)
            if index.get(k, name) != name:
                raise AssertionError(f"the heading {text!r} names both {index[k]} and {name}")
            index[k] = name
    return index


HEADING_INDEX = _build_index()
CONCEPT_INDEX = {key(word): concept for concept, words in CONCEPTS.items() for word in words}


# A priority list's export names the situation's column after what it holds, a pair's condition.
CONDITION_HEADING = ("Tilstand", "Tilstand", "Hälsotillstånd", "Condition")


def export_heading(field_name: str, language: str) -> str:
    headings = COLUMNS[field_name][0]
    return headings[LANGS.index(language)] if language in LANGS else headings[-1]


# --- Scale labels and vocabulary ------------------------------------------------------------

# Levels of the source tools' scales, in every language: a label in one class matches a level of
# the criterion whose own label or id is in the same class.
LEVEL_CLASSES: dict[str, tuple[str, ...]] = {
    "very_large": ("mycket stor", "mycket stort", "svært stor", "svært stort", "svaert stor", "veldig stor",
                   "very large", "very big", "very great", "mkt stor", "kjempestor"),
    "large": ("stor", "stort", "store", "large", "big", "great", "betydande", "betydelig"),
    "moderate": ("måttlig", "måttligt", "moderat", "moderate", "middels", "medel", "medium", "viss", "noe", "noko"),
    "small": ("liten", "litet", "lita", "lite", "små", "small", "little", "begränsad", "begrenset"),
    "none": ("ingen", "inget", "inga", "none", "no", "ingen effekt", "ingen nytta", "ingen nytte"),
    "very_high": ("mycket hög", "mycket högt", "svært høy", "svært høg", "svaert hoey", "veldig høy", "very high"),
    "high": ("hög", "högt", "høy", "høg", "hoey", "hoy", "high", "god", "gott", "good", "stark", "sterk"),
    "low": ("låg", "lågt", "lav", "låg", "low", "svag", "svak", "weak", "dålig"),
    "very_low": ("mycket låg", "mycket lågt", "svært lav", "svært låg", "veldig lav", "very low"),
}
LEVEL_CLASS_INDEX = {key(word): cls for cls, words in LEVEL_CLASSES.items() for word in words}

# Words of the source tools for the fixed vocabulary, besides the portal's own labels in every language.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "type": {
        "new_need": ("nya behov", "nytt behov", "nye behov", "nytt behov", "new need", "behov"),
        "ambition_increase": ("ambitionsökning", "ambisjonsøkning", "ambisjonsauke", "höjd ambition",
                              "økt ambisjon", "ambition increase", "higher ambition"),
        "efficiency": ("effektivisering", "effektivisera", "efficiency"),
        "rationing": ("ransonering", "rasjonering", "rationing"),
        "saving": ("besparing", "besparingar", "innsparing", "sparetiltak", "saving", "savings", "nedskjæring"),
        "investment": ("investering", "investeringar", "investment"),
    },
    "need_cause": {
        "volume_demography": ("volym/demografi", "volum/demografi", "volym", "volum", "demografi", "volume/demography",
                              "volume", "demography"),
        "labour_shortage": ("arbetskraftsbrist", "arbeidskraftmangel", "mangel på arbeidskraft",
                            "brist på arbetskraft", "labour shortage", "staff shortage"),
        "ambition_increase": ("ambitionsökning", "ambisjonsøkning", "ambisjonsauke", "ambition increase",
                              "higher ambition"),
        "processes_methods": ("processer/arbetsmetoder", "prosesser/arbeidsmetoder", "prosessar/arbeidsmetodar",
                              "processer", "prosesser", "processes/methods", "processes and methods"),
        "price_increase": ("prisökning", "prisökningar", "prisøkning", "prisauke", "kostnadsökning",
                           "kostnadsøkning", "prisuppräkning", "price increase", "higher prices"),
    },
    "cost_kind": {
        "one_off": ("engångs", "engång", "engångskostnad", "engangs", "engangskostnad", "eingongs", "one off",
                    "one-off", "investering", "once"),
        "recurring": ("löpande", "årlig", "årligen", "løpende", "løpande", "årleg", "varaktig", "permanent",
                      "recurring", "annual", "drift"),
    },
    "rationing_type": {
        "structure": ("strukturell", "struktur", "strukturransonering", "structural", "structure"),
        "process": ("process", "prosess", "processransonering", "prosessrasjonering"),
        "result": ("resultat", "resultatransonering", "resultatrasjonering", "result"),
    },
    "decision": {
        "funded": ("prioriterad", "prioriterat", "prioritert", "prioritera", "beviljad", "beviljat", "finansiert",
                   "finansierad", "funded", "ja", "yes", "fully funded"),
        "partly_funded": ("delvis prioriterad", "delvis prioritert", "delvis finansiert", "delvis finansierad",
                          "partly funded", "partially funded"),
        "rationed": ("ransonerad", "ransonerat", "rasjonert", "rationed"),
        "efficiency": ("effektivisering", "effektiviserad", "effektivisert", "efficiency"),
        "deprioritised": ("ej prioriterad", "inte prioriterad", "bortprioriterad", "nedprioriterad", "ikke prioritert",
                          "nedprioritert", "ikkje prioritert", "deprioritised", "deprioritized", "not funded",
                          "nei", "nej", "no"),
        "discontinued": ("utmönstrad", "utmönstrat", "avvecklad", "avvecklat", "avviklet", "avvikla", "discontinued",
                         "avsluttet", "avslutta"),
        "postponed": ("uppskjuten", "uppskjutet", "skjuten upp", "utsatt", "utsett", "postponed", "deferred"),
    },
}
ENUMS: dict[str, type[Enum]] = {"type": m.MeasureType, "need_cause": m.NeedCause, "cost_kind": m.CostKind,
                                "rationing_type": m.RationingType, "decision": m.OutcomeKind}


def enum_index(field_name: str, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """key(label) → enum value, from the values themselves, the synonyms above, the portal's
    labels in every language, and `extra`; a label that could mean two values is left out."""
    found: dict[str, set[str]] = {}

    def add(text: str, value: str) -> None:
        found.setdefault(key(text), set()).add(value)

    enum = ENUMS[field_name]
    for member in enum:
        add(member.value, member.value)
        if member in LABELS:
            for language in available_languages():
                add(Translator(language).gettext(LABELS[member]), member.value)
    for value, words in SYNONYMS.get(field_name, {}).items():
        for word in words:
            add(word, value)
    index = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    for text, value in extra:  # the criteria set's own outcome labels come first
        index[key(text)] = value
    return index


# What separates the types in a cell that gives several; the export writes "/".
SEVERAL = re.compile(r"\s*(?:[/,;+&]|\b(?:og|och|and)\b)\s*", re.I)
TYPES_SEPARATOR = "/"


def enum_label(member: Enum, language: str) -> str:
    return Translator(language).gettext(LABELS[member]) if member in LABELS else member.value
