"""Spreadsheets: `prioportal import` turns a ranking table (.xlsx, .ods or .csv) into one YAML file
per measure, and `prioportal export` writes a round back as the same table for a council paper.

Municipalities keep their ranking in the spreadsheets of the source tools (DOMAIN.md, "Columns of
the source ranking tools"): Basverktyg, the investment ranking, the summary across committees.
The import recognises their column headings in Swedish, Norwegian (bokmål and nynorsk) and
English whatever the case, spacing, line breaks inside a heading, units in parentheses and
heading rows merged over several columns; an explicit mapping file (`--mapping`) names any other
column. Scale labels ("Mycket stor", "Svært stor", "Høy") are mapped to the levels of the round's
criteria version; amounts may be written "10 000", "10 000 tkr" or "1,5 mnkr" (a unit in the
heading, "År 1 (tkr)", applies to the whole column). Every problem names the sheet, the row and
the column, and nothing is written while any error remains (all or nothing, like the build).

An existing YAML file is never overwritten unless asked (`--update`); an update edits the file
with ruamel.yaml, so the communicator's comments, field order and untouched fields stay as they
were, and only what the sheet says is changed (an empty cell changes nothing).

The export writes the headings the import reads, in the portal's language, so import → export →
import gives the same YAML files. A table's "Kommentar" is not published: it is kept as a comment
at the top of the YAML file, and the export reads it back from there.

pandas (with openpyxl and odfpy) is imported only inside the functions that read a spreadsheet:
the site build never imports it.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
import unicodedata
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Iterable

from prioportal.model import decisions as m
from prioportal.text.i18n import Translator, available_languages
from prioportal.sources.yaml_files import Document, load_yaml
from prioportal.checks.portal import find_decision_files
from prioportal.problems import InvalidPortal, Problem, Severity, UsageError, display_path
from prioportal.settings import Settings
from prioportal.checks.documents import parse_document
from prioportal.site.vocabulary import LABELS

FORMATS = ("xlsx", "csv", "json")
READABLE = (".xlsx", ".xlsm", ".ods", ".csv", ".txt")
HEADING_SEARCH_ROWS = 20  # headings are looked for in the first rows of a sheet
MAX_HEADING_ROWS = 3  # a heading may span this many rows (a group heading merged over sub-headings)
COMMENT_MARKER = "# Comment in the ranking table (not published):"


# --- Normalising text -------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "-": " ", "_": " "})
_UNIT_WORDS = r"(?:tkr|t kr|kr|kkr|mnkr|mkr|mn kr|msek|mnok|ksek|knok|sek|nok|tusen kr|tusen kroner|i tkr|i kr|i tusen kroner)"


def normalise(text: Any) -> str:
    """A heading or label as compared: case, spacing, line breaks, dashes, notes in parentheses
    and a trailing unit do not matter ("Svårighets-\\ngrad (1–4)" → "svårighetsgrad")."""
    s = unicodedata.normalize("NFKC", str(text)).replace("\u00ad", "")
    s = re.sub(r"([^\W\d_])-[ \t]*\r?\n\s*([^\W\d_])", r"\1\2", s)  # a word hyphenated at a line break
    s = s.translate(_DASHES).casefold()
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


def unit_of(heading: str) -> int:
    """The unit a heading gives its amounts: "År 1 (tkr)" → 1000, "Kostnad, mnkr" → 1 000 000."""
    s = unicodedata.normalize("NFKC", str(heading)).casefold()
    if re.search(r"\b(mnkr|mkr|mn kr|mill|mio|miljoner|millioner|msek|mnok)\b", s):
        return 1_000_000
    if re.search(r"\b(tkr|t kr|kkr|tusen|tusental|ksek|knok)\b|1\s?000\s?kr", s):
        return 1000
    return 1


# --- Column headings --------------------------------------------------------------------

LANGS = ("nb", "nn", "sv", "en")
_JUSTIFICATION_WORD = {"nb": "begrunnelse", "nn": "grunngjeving", "sv": "motivering", "en": "justification"}

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
                   "current state", "behov")),
    "goal": (("Mål", "Mål", "Mål", "Goal"), ("målsetting", "målsetjing", "målsättning", "mål eller krav", "goal")),
    "description": (("Beskrivelse av tiltaket", "Skildring av tiltaket", "Beskrivning av åtgärden",
                     "Description of the measure"),
                    ("beskrivelse", "beskrivning", "description", "tiltaksbeskrivelse", "åtgärdsbeskrivning",
                     "beskrivelse av tiltak", "beskrivning av åtgärd")),
    "alternative": (("Sammenligningsalternativ", "Samanlikningsalternativ", "Jämförelsealternativ", "Compared with"),
                    ("alternativ", "alternative", "nullalternativ", "jämförelse", "sammenlignet med")),
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
    "comment": (("Kommentar", "Kommentar", "Kommentar", "Comment"),
                ("kommentarer", "merknad", "merknader", "anmerkning", "anteckning", "notes", "note")),
}
AMOUNT_FIELDS = ("year_1", "year_2", "year_3", "years_4_10", "granted")
TEXT_FIELDS = ("title", "summary", "situation", "goal", "description", "alternative", "sector", "service_area",
               "target_area", "focus_area", "long_term_effect", "rationale", "affected", "consequences", "mitigation", "comment")

# Criteria are data: a heading names a criterion by its id or name, or by the words the source
# tools use for the same concept (severity, benefit, resource, cost-effectiveness, evidence).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "severity": ("svårighetsgrad", "alvorlighet", "alvorlighetsgrad", "alvorlegheit", "alvorlegheitsgrad", "severity",
                 "svårighet", "allvarlighetsgrad", "behovets svårighetsgrad"),
    "benefit": ("nytta", "nytte", "effekt", "effekt av åtgärden", "effekt av åtgärd", "effekt av tiltaket",
                "förväntad effekt", "forventet effekt", "bedömd nytta", "nytta för målområdet", "nytte for målområdet",
                "patientnytta", "brukarnytta", "benefit", "effect", "nyttevurdering"),
    "resource": ("ressurs", "ressursar", "ressursbruk", "resurs", "resursåtgång", "kostnad", "kostnader", "resource",
                 "resources", "cost", "ressursbehov"),
    "cost_effectiveness": ("kostnadseffektivitet", "kostnad i relation till nytta", "kostnad i förhållande till nytta",
                           "kostnad i forhold til nytte", "cost-effectiveness", "cost effectiveness",
                           "kostnadseffektivitet nytta/kostnad"),
    "evidence": ("kvalitet i kunskapsunderlaget", "kvalitet i kunskapsunderlagen", "kunnskapsgrunnlag",
                 "kvalitet på kunnskapsgrunnlaget", "evidensstyrka", "evidence quality", "kunskapsunderlag"),
}

_SITUATION_MEASURE = re.compile(
    r"^(situation|situasjon|tillstånd|hälsotillstånd|problem|behov) \+ "
    r"(åtgärd|åtgärder|åtgärdsförslag|åtgärdsförslaget|insats|tiltak|tiltaksforslag|measure|proposal)$")
_YEAR = re.compile(r"^(?:(?:kostnad|kostnader|cost|costs|utgift|utgifter|budget|investering)\s+)?"
                   r"(?:år|year|years|aar)\s*(\d{1,2})(?:\s*-\s*(\d{1,2}))?$")
_JUSTIFICATION_WORDS = ("begrunnelse", "begrunning", "grunngjeving", "grunngiving", "motivering", "motivation",
                        "justification", "kommentar", "rationale", "skäl", "comment")
_JUSTIFICATION_AFTER = re.compile(r"^(.+?)[ -]+(?:" + "|".join(_JUSTIFICATION_WORDS) + r")$")
_JUSTIFICATION_BEFORE = re.compile(r"^(?:" + "|".join(_JUSTIFICATION_WORDS) + r")(?: for| av| till| til| of)? (.+)$")
_TOTAL_WORDS = {key(w) for w in ("sum", "summa", "summering", "totalt", "total", "i alt", "samlet", "samla",
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


_HEADING_INDEX = _build_index()
_CONCEPT_INDEX = {key(word): concept for concept, words in CONCEPTS.items() for word in words}


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
_LEVEL_CLASS_INDEX = {key(word): cls for cls, words in LEVEL_CLASSES.items() for word in words}

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


def _enum_index(field_name: str, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
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
_SEVERAL = re.compile(r"\s*(?:[/,;+&]|\b(?:og|och|and)\b)\s*", re.I)
_TYPES_SEPARATOR = "/"


def enum_label(member: Enum, language: str) -> str:
    return Translator(language).gettext(LABELS[member]) if member in LABELS else member.value


# --- Amounts ------------------------------------------------------------------------------

class CellError(Exception):
    def __init__(self, message: str, advice: str):
        super().__init__(message)
        self.message, self.advice = message, advice


_AMOUNT_UNITS = [
    (re.compile(r"(?:mnkr|mkr|mn kr|m kr|mill(?:ioner|\.)?(?: kr(?:oner)?)?|miljoner(?: kr(?:onor)?)?|mio|msek|mnok)$"),
     1_000_000),
    (re.compile(r"(?:tkr|t kr|kkr|tusen(?: kr(?:oner)?)?|ksek|knok|k)$"), 1000),
    (re.compile(r"(?:kr|kroner|kronor|nok|sek|:-|,-)$"), 1),
]
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_amount(value: Any, unit: int = 1) -> int | None:
    """Whole kroner from a cell: 10000, "10 000", "10 000 tkr", "1,5 mnkr", "1.200.000 kr";
    `unit` is the heading's unit for a bare number. None for an empty cell, "-" or "–"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value} is not an amount", "write the amount in kroner, e.g. 10 000")
    if isinstance(value, int):
        return value * unit
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise CellError(f"{value} is not an amount", "write the amount in kroner, e.g. 10 000")
        return _whole(Decimal(repr(value)) * unit, str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold().translate(_DASHES)
    if text in ("", "-", "--", "0,-"):
        return None if text != "0,-" else 0
    own_unit = None
    for pattern, factor in _AMOUNT_UNITS:
        match = pattern.search(text)
        if match and (match.start() == 0 or not text[match.start() - 1].isalpha()):
            own_unit = factor
            text = text[: match.start()].strip()
            break
    number = _SPACES.sub("", text)
    negative = number.startswith("-")
    number = number.lstrip("-+")
    if "," in number:
        number = number.replace(".", "").replace(",", ".")  # decimal comma; dots group thousands
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
        number = number.replace(".", "")  # 1.200.000: dots group thousands
    if not re.fullmatch(r"\d+(?:\.\d+)?", number):
        raise CellError(f"'{value}' is not an amount",
                        "write the amount in kroner, e.g. 10 000, 10 000 tkr or 1,5 mnkr")
    amount = _whole(Decimal(number) * (own_unit if own_unit is not None else unit), str(value))
    return -amount if negative else amount


def _whole(amount: Decimal, shown: str) -> int:
    if amount != amount.to_integral_value():
        raise CellError(f"'{shown}' is not a whole number of kroner",
                        "round the amount to whole kroner, or write it with a unit such as tkr")
    return int(amount)


# --- Reading a workbook ---------------------------------------------------------------------

@dataclass
class Sheet:
    name: str
    cells: list[list[Any]]  # row-major, 0-based; None for an empty cell
    merged: bool = False  # merged regions were filled in (xlsx, ods)

    def get(self, row: int, col: int) -> Any:
        if row < len(self.cells) and col < len(self.cells[row]):
            return self.cells[row][col]
        return None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return value or None
    if hasattr(value, "item") and not isinstance(value, (int, float)):  # numpy scalars
        value = value.item()
    return value


def _frame_cells(frame) -> list[list[Any]]:
    return [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def _decode(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 as
    Excel saves "CSV (semikolonseparert)" on a Nordic Windows."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t,"}
        return max(counts, key=counts.get) if any(counts.values()) else ";"


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file as a grid of cell values, merged regions filled in."""
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text = _decode(path.read_bytes())
        delimiter = _delimiter(text)
        width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=0)
        if width == 0:
            return [Sheet(path.stem, [])]
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=list(range(width)), dtype=str,
                            keep_default_na=False, skip_blank_lines=False, engine="python", quotechar='"')
        return [Sheet(path.stem, _frame_cells(frame))]
    engine = "odf" if suffix == ".ods" else "openpyxl"
    frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
    merges = _ods_merges(path) if suffix == ".ods" else _xlsx_merges(path)
    sheets = []
    for name, frame in frames.items():
        sheet = Sheet(str(name), _frame_cells(frame), merged=True)
        for r1, c1, r2, c2 in merges.get(str(name), ()):
            value = sheet.get(r1, c1)
            if value is None:
                continue
            for r in range(r1, min(r2, r1 + 10_000) + 1):
                while len(sheet.cells) <= r:
                    sheet.cells.append([])
                row = sheet.cells[r]
                while len(row) <= c2:
                    row.append(None)
                for c in range(c1, c2 + 1):
                    row[c] = value
        sheets.append(sheet)
    return sheets


def _xlsx_merges(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=False, data_only=True)
    try:
        return {ws.title: [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
                for ws in workbook.worksheets}
    finally:
        workbook.close()


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_merges(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged regions of an .ods file, from the spans in its content.xml."""
    t = lambda name: f"{{{_ODS_TABLE}}}{name}"  # noqa: E731
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("content.xml"))
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for table in root.iter(t("table")):
        regions = found.setdefault(table.get(t("name"), ""), [])
        row = 0
        for tr in table.iter(t("table-row")):
            col = 0
            for cell in tr:
                if cell.tag not in (t("table-cell"), t("covered-table-cell")):
                    continue
                repeat = int(cell.get(t("number-columns-repeated"), "1"))
                spans = int(cell.get(t("number-columns-spanned"), "1")), int(cell.get(t("number-rows-spanned"), "1"))
                if cell.tag == t("table-cell") and spans != (1, 1):
                    regions.append((row, col, row + spans[1] - 1, col + spans[0] - 1))
                col += min(repeat, 10_000)
            row += min(int(tr.get(t("number-rows-repeated"), "1")), 10_000)
    return found


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- Recognising the columns ----------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """What a column holds: a field, a criterion's level or its justification, or nothing."""

    field: str  # a COLUMNS key, "level", "justification", "situation_and_measure" or "ignore"
    criterion: str | None = None
    score: int = 3  # how sure: 3 exact, 2 a criterion's name at the start, 1 a synonym of its concept

    @property
    def ident(self) -> str:
        return f"{self.field}:{self.criterion}" if self.criterion else self.field


@dataclass
class Mapping:
    """An explicit column mapping file (--mapping)."""

    columns: dict[str, Target] = field(default_factory=dict)  # key(heading) → target
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field or criterion id → key(label) → value
    sheet: str | None = None
    heading_row: int | None = None


class Recogniser:
    def __init__(self, criteria: m.CriteriaSet, mapping: Mapping | None = None):
        self.criteria = criteria
        self.mapping = mapping or Mapping()
        self.by_key: dict[str, str] = {}
        for c in criteria.criteria:
            for text in (c.id, str(c.name)):
                self.by_key.setdefault(key(text), c.id)
        self.concepts: dict[str, list[str]] = {}
        for c in criteria.criteria:
            for text in (c.id, str(c.name)):
                concept = _CONCEPT_INDEX.get(key(text))
                if concept and c.id not in self.concepts.get(concept, []):
                    self.concepts.setdefault(concept, []).append(c.id)

    def criterion(self, text: str) -> tuple[str, int] | None:
        k = key(text)
        if k in self.by_key:
            return self.by_key[k], 3
        for name_key, ident in self.by_key.items():
            if len(name_key) >= 4 and k.startswith(name_key + " "):
                return ident, 2
        concept = _CONCEPT_INDEX.get(k)
        candidates = self.concepts.get(concept, []) if concept else []
        if len(candidates) > 1:
            # Two criteria of one concept ("Effekt av åtgärden", "Nytta för målområdet"): the one
            # that shares a word with the heading ("Förväntad effekt", "Bedömd nytta").
            words = {w for w in k.split() if len(w) >= 4}
            candidates = [c for c in candidates
                          if words & {w for w in key(str(self.criteria.criterion(c).name)).split() + c.split("-")}]
        if len(candidates) == 1:
            return candidates[0], 1
        return None

    def recognise(self, heading: Any) -> Target | None:
        if heading is None:
            return None
        text = str(heading)
        k = key(text)
        if not k:
            return None
        if k in self.mapping.columns:
            return self.mapping.columns[k]
        n = normalise(text)
        for pattern, group in ((_JUSTIFICATION_AFTER, 1), (_JUSTIFICATION_BEFORE, 1)):
            match = pattern.match(n)
            if match:
                found = self.criterion(match.group(group))
                if found:
                    return Target("justification", found[0], found[1])
        found = self.criterion(text)
        if found and found[1] == 3:
            return Target("level", found[0], 3)
        year = _YEAR.match(n)
        if year:
            first, last = int(year.group(1)), year.group(2)
            if last is None and first in (1, 2, 3):
                return Target(f"year_{first}")
            if first == 4 and last is not None:
                return Target("years_4_10")
        if _SITUATION_MEASURE.match(n):
            return Target("situation_and_measure")
        if k in _HEADING_INDEX:
            return Target(_HEADING_INDEX[k])
        if found:
            return Target("level", found[0], found[1])
        return None


@dataclass
class Layout:
    """Where a sheet's headings are, and what each column holds."""

    sheet: Sheet
    first_row: int  # 0-based first heading row
    last_row: int  # 0-based last heading row; data starts after it
    columns: dict[int, Target]
    headings: dict[int, str]  # column → heading text as shown in problems
    units: dict[int, int]
    ignored: list[tuple[int, str, str]]  # column, heading, why


def _composite(sheet: Sheet, first: int, last: int, col: int) -> list[str]:
    parts: list[str] = []
    for r in range(first, last + 1):
        value = sheet.get(r, col)
        if value is None and r < last and not sheet.merged:
            # A CSV export of a merged group heading ("Kostnad (tkr);;;") has it in the first
            # cell only: it covers the columns to its right that have a sub-heading below.
            c = col
            while c > 0 and sheet.get(r, c) is None and sheet.get(last, c) is not None:
                c -= 1
            value = sheet.get(r, c) if sheet.get(last, c) is not None else None
        if value is not None:
            text = str(value).strip()
            if not parts or parts[-1] != text:
                parts.append(text)
    return parts


def _shown(parts: list[str]) -> str:
    """A heading as a message shows it: a line break inside it is a space."""
    return " / ".join(" ".join(part.split()) for part in parts)


def _recognise_column(rec: Recogniser, parts: list[str]) -> tuple[Target | None, str]:
    if not parts:
        return None, ""
    # The whole heading first ("Svårighetsgrad / Motivering" is a justification), then the
    # lowest part ("Kostnad (tkr) / År 1" is year 1), then the parts above it.
    candidates = [" ".join(parts), parts[-1]] + [parts[i] for i in range(len(parts) - 2, -1, -1)]
    if len(parts) > 2:
        candidates.insert(2, " ".join(parts[-2:]))
    for candidate in candidates:
        target = rec.recognise(candidate)
        if target is not None:
            return target, _shown(parts)
    return None, _shown(parts)


def _is_title_row(sheet: Sheet, row: int) -> bool:
    """A row with one text for the whole table ("Rangordning 2026 – Socialnämnden"), alone or
    merged across it: a title above the headings, not a group heading over some of them."""
    cells = [(c, v) for c, v in ((c, sheet.get(row, c)) for c in range(sheet.width)) if v is not None]
    if not cells or len({str(v) for _, v in cells}) != 1:
        return False
    return cells[0][0] == 0 or len(cells) >= 0.75 * sheet.width


def find_layout(sheet: Sheet, rec: Recogniser, heading_row: int | None = None) -> Layout | None:
    """The heading rows that name the most known columns (a group heading row above sub-headings
    counts as part of the heading), and what each column holds."""
    best: tuple[int, int, int, dict[int, tuple[Target, str]]] | None = None
    rows = range(min(len(sheet.cells), max(HEADING_SEARCH_ROWS, heading_row or 0)))
    titles = {r for r in rows if _is_title_row(sheet, r)}
    for last in rows:
        if heading_row is not None and last != heading_row - 1:
            continue
        for height in range(1, MAX_HEADING_ROWS + 1):
            first = last - height + 1
            if first < 0 or first in titles:
                break
            found: dict[int, tuple[Target, str]] = {}
            for col in range(sheet.width):
                target, shown = _recognise_column(rec, _composite(sheet, first, last, col))
                if target is not None:
                    found[col] = (target, shown)
            score = len({t.ident for t, _ in found.values() if t.field != "ignore"})
            # The most columns named wins; for the same last heading row, the taller block wins
            # ties, so a group heading above (its unit, "Kostnad (tkr)") is read with it.
            if score >= 2 and (best is None or score > best[0] or (score == best[0] and last == best[2])):
                best = (score, first, last, found)
    if best is None:
        return None
    _, first, last, found = best
    columns: dict[int, Target] = {}
    headings: dict[int, str] = {}
    units: dict[int, int] = {}
    ignored: list[tuple[int, str, str]] = []
    taken: dict[str, int] = {}
    for col in sorted(found, key=lambda c: (-found[c][0].score, c)):
        target, shown = found[col]
        headings[col] = shown
        if target.field == "ignore":
            continue
        if target.ident in taken:
            ignored.append((col, shown, f"the same as column {column_letter(taken[target.ident])} "
                                        f"({headings[taken[target.ident]]})"))
            continue
        taken[target.ident] = col
        columns[col] = target
        units[col] = unit_of(" ".join(_composite(sheet, first, last, col)))
    for col in range(sheet.width):
        if col not in found:
            parts = _composite(sheet, first, last, col)
            if parts and any(sheet.get(r, col) is not None for r in range(last + 1, len(sheet.cells))):
                headings[col] = _shown(parts)
                ignored.append((col, headings[col], "its heading is not recognised"))
    return Layout(sheet, first, last, dict(sorted(columns.items())), headings, units, sorted(ignored))


# --- Rows into measures ----------------------------------------------------------------------

@dataclass
class RowResult:
    row: int  # 1-based, as the spreadsheet shows it
    values: dict[str, Any]  # nested plain data from the sheet, in model order
    comment: str | None
    id_col: int  # the column to point at for problems about the whole row
    generated_id: bool


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    raise ValueError


def _slug(text: str) -> str:
    from prioportal.site.views import slugify

    slug = slugify(text)[:80].strip("-")
    return slug if m.SLUG_RE.match(slug) else "tiltak"


class RowReader:
    def __init__(self, layout: Layout, rec: Recogniser, round_: m.Round, language: str, shown: str):
        self.layout, self.rec, self.round, self.language = layout, rec, round_, language
        self.shown = shown
        self.criteria = rec.criteria
        extra = rec.mapping.values
        self.enums = {name: _enum_index(name, [(text, value) for text, value in extra.get(name, {}).items()])
                      for name in ENUMS}
        self.enums["decision"].update({key(str(t.label)): t.kind.value for t in self.criteria.outcomes})
        self.enums["decision"].update({key(text): value for text, value in extra.get("decision", {}).items()})
        self.levels = {c.id: self._level_index(c, extra.get(c.id, {})) for c in self.criteria.criteria}

    @staticmethod
    def _level_index(criterion: m.Criterion, extra: dict[str, str]) -> dict[str, str]:
        exact: dict[str, set[str]] = {}
        by_class: dict[str, set[str]] = {}
        for level in criterion.scale:
            for text in (level.id, str(level.label)):
                exact.setdefault(key(text), set()).add(level.id)
                cls = _LEVEL_CLASS_INDEX.get(key(text))
                if cls:
                    by_class.setdefault(cls, set()).add(level.id)
        index = {f"class:{cls}": next(iter(ids)) for cls, ids in by_class.items() if len(ids) == 1}
        index.update({k: next(iter(ids)) for k, ids in exact.items() if len(ids) == 1})
        index.update({key(text): value for text, value in extra.items()})
        return index

    def problem(self, row: int, col: int, message: str, advice: str, severity: Severity = Severity.error) -> Problem:
        heading = self.layout.headings.get(col, "")
        ref = f"{column_letter(col)}{row}"
        where = f"cell {ref} ({heading})" if heading else f"cell {ref}"
        return Problem(self.shown, row, col + 1, f"{where}: {message}", advice, severity)

    def level(self, criterion_id: str, value: Any) -> str:
        index = self.levels[criterion_id]
        k = key(_text(value))
        if k in index:
            return index[k]
        cls = _LEVEL_CLASS_INDEX.get(k)
        if cls and f"class:{cls}" in index:
            return index[f"class:{cls}"]
        criterion = self.criteria.criterion(criterion_id)
        raise CellError(f"'{_text(value)}' is not a level on the scale of '{criterion.name}'",
                        "use one of: " + ", ".join(str(lvl.label) for lvl in criterion.scale)
                        + " (or map it in a --mapping file under values:)")

    def enum(self, name: str, value: Any) -> str:
        k = key(_text(value))
        if k in self.enums[name]:
            return self.enums[name][k]
        if name == "decision":
            allowed = [str(t.label) for t in self.criteria.outcomes]
        else:
            allowed = [enum_label(e, self.language) for e in ENUMS[name]]
        raise CellError(f"'{_text(value)}' is not a known {name.replace('_', ' ')}",
                        "use one of: " + ", ".join(allowed) + " (or map it in a --mapping file under values:)")

    def types(self, value: Any) -> str | list[str]:
        """A measure's type, or its types where one cell holds several, as the Swedish summary
        tool writes them: "Effektivisering/Ransonering"."""
        try:
            return self.enum("type", value)
        except CellError:
            parts = [part for part in _SEVERAL.split(_text(value)) if part.strip()]
            if len(parts) < 2:
                raise
            found = list(dict.fromkeys(self.enum("type", part) for part in parts))
            return found if len(found) > 1 else found[0]

    def read(self, problems: list[Problem]) -> list[RowResult]:
        results = []
        layout = self.layout
        cols = layout.columns
        title_col = next((c for c, t in cols.items() if t.field in ("title", "situation_and_measure")), None)
        for r in range(layout.last_row + 1, len(layout.sheet.cells)):
            row = r + 1
            cells = {c: layout.sheet.get(r, c) for c in range(layout.sheet.width)}
            filled = {c: v for c, v in cells.items() if v is not None}
            if not filled:
                continue  # an empty row
            mapped = {c: v for c, v in filled.items() if c in cols}
            if not mapped:
                continue  # only notes beside the table
            texts = [key(_text(v)) for v in filled.values() if isinstance(v, str)]
            title_key = key(_text(cells[title_col])) if title_col is not None and cells.get(title_col) is not None else ""
            if any(t in _TOTAL_WORDS for t in texts) and title_key in _TOTAL_WORDS | {""}:
                problems.append(self.problem(row, min(filled), "this row is skipped: it looks like a total",
                                             "nothing to do, unless it is a measure; then give it a title",
                                             Severity.warning))
                continue
            if sum(1 for c, v in mapped.items() if self.rec.recognise(v) == cols[c]) >= max(2, len(mapped) // 2):
                continue  # the headings repeated further down
            title = cells.get(title_col) if title_col is not None else None
            if len(filled) == 1:
                col = next(iter(filled))
                problems.append(self.problem(row, col, f"this row is skipped: it has only '{_text(filled[col])}', "
                                                       "like a section heading", "nothing to do if it is one; if it "
                                                       "is a measure, fill in more of its row", Severity.warning))
                continue
            if title is None:
                where = title_col if title_col is not None else min(filled)
                problems.append(self.problem(row, where, "this row has no measure title",
                                             "write the measure's title in this cell, or delete the row"))
                continue
            result = self.read_row(row, cells, problems)
            if result is not None:
                results.append(result)
        return results

    def read_row(self, row: int, cells: dict[int, Any], problems: list[Problem]) -> RowResult | None:
        flat: dict[str, Any] = {}
        levels: dict[str, str] = {}
        justifications: dict[str, str] = {}
        errors_before = sum(1 for p in problems if p.severity is Severity.error)
        id_col = min(self.layout.columns)
        for col, target in self.layout.columns.items():
            value = cells.get(col)
            if value is None:
                continue
            try:
                f = target.field
                if f == "id":
                    ident = _text(value)
                    if not m.SLUG_RE.match(ident):
                        raise CellError(f"'{ident}' cannot be used as an id",
                                        "use lower-case letters a-z, digits and hyphens, e.g. trygghetsalarm-2026")
                    flat["id"] = ident
                    id_col = col
                elif f == "level":
                    levels[target.criterion] = self.level(target.criterion, value)
                elif f == "justification":
                    justifications[target.criterion] = _text(value)
                elif f == "situation_and_measure":
                    text = _text(value)
                    flat["title"] = text
                    left, sep, right = text.partition("+")
                    if sep and left.strip() and right.strip():
                        flat.setdefault("situation", left.strip())
                        flat.setdefault("description", right.strip())
                    if "id" not in flat:
                        id_col = col
                elif f in AMOUNT_FIELDS:
                    amount = parse_amount(value, self.layout.units.get(col, 1))
                    if amount is not None:
                        flat[f] = amount
                elif f == "rank":
                    try:
                        rank = _whole_number(value)
                    except ValueError:
                        raise CellError(f"'{_text(value)}' is not a rank",
                                        f"write a whole number from {self.criteria.rank_scale.highest} "
                                        f"to {self.criteria.rank_scale.lowest}") from None
                    low, high = sorted((self.criteria.rank_scale.highest, self.criteria.rank_scale.lowest))
                    if not low <= rank <= high:
                        raise CellError(f"the rank {rank} is outside the scale",
                                        f"write a rank from {self.criteria.rank_scale.highest} "
                                        f"to {self.criteria.rank_scale.lowest}")
                    flat["rank"] = rank
                elif f == "type":
                    flat[f] = self.types(value)
                elif f in ENUMS:
                    flat[f] = self.enum(f, value)
                elif f in TEXT_FIELDS:
                    flat[f] = _text(value)
                    if f == "title" and "id" not in flat:
                        id_col = col
            except CellError as exc:
                problems.append(self.problem(row, col, exc.message, exc.advice))
        if sum(1 for p in problems if p.severity is Severity.error) > errors_before:
            return None
        generated = "id" not in flat
        values = self.nest(flat, levels, justifications)
        return RowResult(row, values, flat.get("comment"), id_col, generated)

    def nest(self, flat: dict[str, Any], levels: dict[str, str], justifications: dict[str, str]) -> dict[str, Any]:
        """The sheet's values as a measure's fields, in the model's order."""
        d: dict[str, Any] = {}
        if "id" in flat:
            d["id"] = flat["id"]
        d["round"] = self.round.id
        for name in ("title", "summary", "sector", "service_area", "target_area", "focus_area", "type", "need_cause"):
            if name in flat:
                d[name] = flat[name]
        if "situation" in flat or "goal" in flat:
            d["situation"] = {k2: flat[k1] for k1, k2 in (("situation", "current_state"), ("goal", "goal"))
                              if k1 in flat}
        if "description" in flat or "alternative" in flat:
            d["proposal"] = {k: flat[k] for k in ("description", "alternative") if k in flat}
        if "long_term_effect" in flat:
            d["long_term_effect"] = flat["long_term_effect"]
        assessments = {}
        for c in self.criteria.criteria:
            entry = {}
            if c.id in levels:
                entry["level"] = levels[c.id]
            if c.id in justifications:
                entry["justification"] = justifications[c.id]
            if entry:
                assessments[c.id] = entry
        if assessments:
            d["assessments"] = assessments
        years = {k: flat[k] for k in ("year_1", "year_2", "year_3", "years_4_10") if k in flat}
        if years or "cost_kind" in flat:
            line: dict[str, Any] = {"description": flat.get("title", ""), "kind": flat.get("cost_kind")}
            for k in ("year_1", "year_2", "year_3", "years_4_10"):
                line[k] = years.get(k, 0)
            if line["kind"] is None:
                line["kind"] = "one_off" if not any(line[k] for k in ("year_2", "year_3", "years_4_10")) else "recurring"
            d["costs"] = [line]
        if "rank" in flat:
            d["rank"] = flat["rank"]
        outcome: dict[str, Any] = {}
        for k1, k2 in (("decision", "decision"), ("rationing_type", "rationing_type"), ("granted", "granted"),
                       ("rationale", "rationale")):
            if k1 in flat:
                outcome[k2] = flat[k1]
        consequences = {k2: flat[k1] for k1, k2 in (("affected", "affected"), ("consequences", "description"),
                                                      ("mitigation", "mitigation")) if k1 in flat}
        if consequences:
            outcome["consequences"] = consequences
        if outcome:
            d["outcome"] = outcome
        return d


# --- Placeholders for what a new file needs and the sheet did not say -------------------------

def placeholders(criteria: m.CriteriaSet, values: dict[str, Any]) -> dict[str, Any]:
    """The skeleton of a new measure, `<...>` where the sheet gave nothing; `prioportal validate`
    lists each one with its line."""
    types = ", ".join(t.value for t in m.MeasureType)
    d: dict[str, Any] = {
        "summary": "<Two or three plain sentences a citizen understands>",
        "sector": "<Sector or committee>",
        "service_area": "<Service area>",
        "type": f"<One of: {types}; or several as a list, e.g. [efficiency, rationing]>",
        "situation": {"current_state": "<How things are now>",
                      "goal": "<The goal or law the situation falls short of>"},
        "proposal": {"description": "<What the measure does>",
                     "alternative": "<What it is compared with, often current practice>"},
        "assessments": {c.id: {"level": f"<One of: {', '.join(lvl.id for lvl in c.scale)}>",
                               "justification": "<Why this level, in plain language>"} for c in criteria.criteria},
    }
    outcome = values.get("outcome")
    if outcome and outcome.get("decision") and outcome["decision"] != m.OutcomeKind.funded.value:
        d["outcome"] = {"rationale": "<Why, in plain language>",
                        "consequences": {"affected": "<Who is affected>", "description": "<How they are affected>"}}
    return d


def merged(base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`values` over `base`, in the model's field order."""
    def over(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out = dict(a)
        for k, v in b.items():
            out[k] = over(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
        return out
    return order(over(base, values))


_ORDERS: dict[tuple, tuple[str, ...]] = {
    (): tuple(m.Measure.model_fields),
    ("situation",): tuple(m.Situation.model_fields),
    ("proposal",): tuple(m.Proposal.model_fields),
    ("outcome",): tuple(m.Outcome.model_fields),
    ("outcome", "consequences"): tuple(m.Consequences.model_fields),
    ("assessment",): tuple(m.Assessment.model_fields),
    ("costs",): tuple(m.CostLine.model_fields),
}


def order(d: dict[str, Any], path: tuple = ()) -> dict[str, Any]:
    keys = _ORDERS.get(path)
    if path == ("assessments",):
        return {k: order(v, ("assessment",)) for k, v in d.items()}
    items = sorted(d.items(), key=lambda kv: keys.index(kv[0]) if keys and kv[0] in keys else len(keys or ()))
    out = {}
    for k, v in items:
        if isinstance(v, dict):
            out[k] = order(v, path + (k,))
        elif isinstance(v, list) and k == "costs":
            out[k] = [order(x, ("costs",)) if isinstance(x, dict) else x for x in v]
        else:
            out[k] = v
    return out


# --- YAML with ruamel -----------------------------------------------------------------------------

def _yaml():
    from ruamel.yaml import YAML

    y = YAML()  # round-trip: keeps comments, order and quoting of what it does not touch
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # never wrap a text over several lines
    y.preserve_quotes = True
    return y


def _to_ruamel(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        cm = CommentedMap()
        for k, v in value.items():
            cm[k] = _to_ruamel(v)
        return cm
    if isinstance(value, list):
        return CommentedSeq([_to_ruamel(v) for v in value])
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def dump_yaml(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return bool(re.fullmatch(r"<[^<>]+>", value.strip()))
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return False


def comment_block(comment: str | None) -> str:
    if not comment:
        return ""
    lines = [COMMENT_MARKER] + [f"#   {line}".rstrip() for line in comment.split("\n")]
    return "\n".join(lines) + "\n"


def read_comment(text: str) -> str | None:
    """The ranking table's comment kept at the top of a YAML file by the import."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        if line.rstrip() == COMMENT_MARKER:
            found = []
            for follow in lines[i + 1:]:
                if not follow.startswith("#   ") and follow.rstrip() != "#":
                    break
                found.append(follow[4:] if follow.startswith("#   ") else "")
            return "\n".join(found).strip("\n") or None
    return None


def _replace_comment(text: str, comment: str | None) -> str:
    """The file's text with the ranking table's comment block set to `comment`."""
    lines = text.split("\n")
    start = end = None
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        if line.rstrip() == COMMENT_MARKER:
            start = end = i + 1
            while end < len(lines) and (lines[end].startswith("#   ") or lines[end].rstrip() == "#"):
                end += 1
            start -= 1
            break
    block = comment_block(comment).rstrip("\n").split("\n") if comment else []
    if start is not None:
        return "\n".join(lines[:start] + block + lines[end:])
    if not block:
        return text
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    return "\n".join(lines[:head] + block + lines[head:])


def new_file_text(round_id: str, data: dict[str, Any], comment: str | None) -> str:
    header = [f"# A measure in the round {round_id}, imported from a ranking table."]
    if _has_placeholder(data):
        header.append("# Fill in every <...> (or delete the optional ones), then run: prioportal validate")
    return "\n".join(header) + "\n" + comment_block(comment) + dump_yaml(_to_ruamel(data))


def _is_language_map(value: Any) -> bool:
    from prioportal.model.languages import is_localized

    return is_localized(dict(value)) if isinstance(value, dict) else False


def update_data(existing: Any, values: dict[str, Any], language: str, path: tuple = ()) -> bool:
    """Set the sheet's `values` into a ruamel mapping in place; True if anything changed.
    A field the file does not have is inserted after the fields that come before it in the model;
    a text written per language gets only its `language` version replaced."""
    changed = False
    keys = _ORDERS.get(("assessment",) if len(path) == 2 and path[0] == "assessments" else path)
    for k, v in values.items():
        if k in existing:
            old = existing[k]
            if isinstance(v, dict) and isinstance(old, dict):
                changed |= update_data(old, v, language, path + (k,))
            elif isinstance(v, str) and _is_language_map(old):
                if old.get(language) != v:
                    old[language] = _to_ruamel(v)
                    changed = True
            elif k == "costs" and isinstance(old, list):
                changed |= _update_costs(old, v)
            elif not _same(old, v):
                existing[k] = _to_ruamel(v)
                changed = True
        else:
            position = len(existing)
            if keys and k in keys:
                before = keys[: keys.index(k)]
                present = [i for i, name in enumerate(existing) if name in before]
                position = present[-1] + 1 if present else 0
                if path == () and position == 0 and "id" in existing:
                    position = 1
            existing.insert(position, k, _to_ruamel(v))
            changed = True
    return changed


def _same(old: Any, new: Any) -> bool:
    """Whether a value in the file already says what the sheet says ("1 200 000" is 1200000)."""
    if old == new:
        return True
    if isinstance(new, int) and not isinstance(new, bool) and isinstance(old, str):
        try:
            return m._parse_amount(old) == new
        except ValueError:
            return False
    return False


def _update_costs(old: list, new: list[dict[str, Any]]) -> bool:
    line = new[0]
    if len(old) == 1 and isinstance(old[0], dict):
        changed = False
        for k in ("kind", "year_1", "year_2", "year_3", "years_4_10"):
            if not _same(old[0].get(k, 0 if k != "kind" else None), line[k]):
                old[0][k] = line[k]
                changed = True
        return changed
    if not old:
        old.append(_to_ruamel(line))
        return True
    raise CellError("the measure has several cost lines, so the sheet's amounts cannot be put into one",
                    "edit the cost lines in the YAML file, or leave the amount cells empty")


# --- The import -------------------------------------------------------------------------------------

@dataclass
class PlannedFile:
    path: Path
    shown: str
    text: str
    old_text: str | None  # None for a new file
    row: int

    @property
    def status(self) -> str:
        if self.old_text is None:
            return "new"
        return "unchanged" if self.old_text == self.text else "updated"


@dataclass
class ImportPlan:
    files: list[PlannedFile]
    warnings: list[Problem]
    sheet: str
    rows: int


def _valid_documents(settings: Settings, kind: str) -> list:
    found = []
    for path in find_decision_files(settings.decisions_dir)[kind]:
        result = load_yaml(path, display_path(path, settings.root))
        if result.document is not None:
            obj, _ = parse_document(result.document, kind)
            if obj is not None:
                found.append(obj)
    return found


def _existing_measures(settings: Settings) -> dict[str, tuple[Path, str | None]]:
    """id → (file, round) of every measure file that can be read, valid or not."""
    found: dict[str, tuple[Path, str | None]] = {}
    for path in find_decision_files(settings.decisions_dir)["measures"]:
        result = load_yaml(path, path.name)
        data = result.document.data if result.document is not None else {}
        ident = data.get("id") if isinstance(data.get("id"), str) else path.stem
        found.setdefault(ident, (path, data.get("round") if isinstance(data.get("round"), str) else None))
    return found


def load_mapping(path: Path, settings: Settings, criteria: m.CriteriaSet) -> Mapping:
    """A column mapping file; every problem in it is reported with its line."""
    shown = display_path(path.resolve(), settings.root) if path.is_absolute() else str(path)
    if not path.is_file():
        raise UsageError(f"the mapping file {path} does not exist")
    result = load_yaml(path, shown)
    if result.document is None:
        raise InvalidPortal(result.problems)
    doc: Document = result.document
    data = doc.data
    problems: list[Problem] = []
    mapping = Mapping()
    fields = sorted(set(COLUMNS) | {"ignore", "situation_and_measure"})
    criterion_ids = [c.id for c in criteria.criteria]
    allowed_keys = ("columns", "values", "sheet", "heading_row")
    for k in data:
        if k not in allowed_keys:
            problems.append(doc.problem((k,), f"unknown field '{k}'", "use columns, values, sheet or heading_row",
                                        key=True))
    if "sheet" in data:
        mapping.sheet = str(data["sheet"])
    if "heading_row" in data:
        if isinstance(data["heading_row"], int) and data["heading_row"] >= 1:
            mapping.heading_row = data["heading_row"]
        else:
            problems.append(doc.problem(("heading_row",), "heading_row is not a row number",
                                        "write the number of the (last) heading row, e.g. 3"))
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(doc.problem(("columns",), "columns should be headings and what they hold",
                                    "write e.g.  Tiltakets navn: title"))
        columns = {}
    for heading, target in columns.items():
        text = str(target).strip() if target is not None else ""
        crit, _, part = text.partition(".")
        if text in COLUMNS or text in ("ignore", "situation_and_measure"):
            mapping.columns[key(heading)] = Target(text)
        elif crit in criterion_ids and part in ("", "level", "justification"):
            mapping.columns[key(heading)] = Target("justification" if part == "justification" else "level", crit)
        else:
            close = difflib.get_close_matches(text, fields + criterion_ids, n=1)
            problems.append(doc.problem(("columns", heading), f"'{text}' is not a field or a criterion of "
                                                                f"{criteria.id}",
                                        (f"did you mean '{close[0]}'? " if close else "")
                                        + "use one of: " + ", ".join(fields + criterion_ids)
                                        + ", or <criterion>.justification"))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        problems.append(doc.problem(("values",), "values should be fields or criteria with labels",
                                    "write e.g.  nytte: {'++': stor}"))
        values = {}
    for name, labels in values.items():
        if not isinstance(labels, dict):
            problems.append(doc.problem(("values", name), f"the labels of '{name}' should be label: value pairs",
                                        "write e.g.  '++': stor"))
            continue
        if name in criterion_ids:
            ids = [lvl.id for lvl in criteria.criterion(name).scale]
        elif name in ENUMS:
            ids = [e.value for e in ENUMS[name]]
        else:
            problems.append(doc.problem(("values", name), f"'{name}' is not a criterion of {criteria.id} nor a "
                                                          "field with fixed values",
                                        "use a criterion id, or one of: " + ", ".join(ENUMS), key=True))
            continue
        for label, value in labels.items():
            if str(value) not in ids:
                problems.append(doc.problem(("values", name, label), f"'{value}' is not a value of '{name}'",
                                            "use one of: " + ", ".join(ids)))
            else:
                mapping.values.setdefault(name, {})[str(label)] = str(value)
    if problems:
        raise InvalidPortal(problems)
    return mapping


def plan_import(settings: Settings, table: Path, round_id: str, sheet_name: str | None = None,
                mapping_file: Path | None = None, update: bool = False) -> ImportPlan:
    """What the import would write; raises InvalidPortal with every problem when any is an error."""
    rounds = {r.id: r for r in _valid_documents(settings, "rounds")}
    criteria_sets = {c.id: c for c in _valid_documents(settings, "criteria")}
    if round_id not in rounds:
        raise UsageError(f"there is no valid round '{round_id}' — use one of: "
                         f"{', '.join(sorted(rounds)) or '(none yet)'}")
    rnd = rounds[round_id]
    if rnd.criteria not in criteria_sets:
        raise UsageError(f"the round '{round_id}' uses criteria '{rnd.criteria}', which is missing or not valid"
                         " — run 'prioportal validate' and fix it first")
    criteria = criteria_sets[rnd.criteria]
    if not table.is_file():
        raise UsageError(f"there is no file {table}")
    if table.suffix.lower() not in READABLE:
        raise UsageError(f"{table.name} is not a spreadsheet this command reads — save it as .xlsx, .ods or .csv")
    mapping = load_mapping(mapping_file, settings, criteria) if mapping_file else Mapping()
    rec = Recogniser(criteria, mapping)
    try:
        sheets = read_sheets(table)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, ET.ParseError, UnicodeDecodeError) as exc:
        raise InvalidPortal([Problem(table.name, 1, 1, f"the file cannot be read as a spreadsheet ({exc})",
                                     "open it in a spreadsheet program and save it again as .xlsx, .ods or .csv")]) \
            from None
    wanted = sheet_name or mapping.sheet
    if wanted is not None:
        chosen = [s for s in sheets if s.name == wanted]
        if not chosen and wanted.isdigit() and 1 <= int(wanted) <= len(sheets):
            chosen = [sheets[int(wanted) - 1]]
        if not chosen:
            raise UsageError(f"{table.name} has no sheet '{wanted}' — its sheets are: "
                             + ", ".join(s.name for s in sheets))
        sheets = chosen
    layout = None
    for sheet in sheets:
        layout = find_layout(sheet, rec, mapping.heading_row)
        if layout is not None:
            break
    if layout is None:
        names = ", ".join(f"'{s.name}'" for s in sheets)
        raise InvalidPortal([Problem(f"{table.name}[{s.name}]", 1, 1,
                                     f"no column headings of a ranking table were found in the first "
                                     f"{HEADING_SEARCH_ROWS} rows of sheet {names}",
                                     "check that the sheet has a heading row such as Tiltak, Alvorlighet, Nytte, "
                                     "Ressurs, Rang; name other headings in a --mapping file")
                             for s in sheets[:1]])
    shown = f"{table.name}[{layout.sheet.name}]"
    problems: list[Problem] = []
    reader = RowReader(layout, rec, rnd, settings.language, shown)
    for col, heading, why in layout.ignored:
        problems.append(reader.problem(layout.last_row + 1, col, f"this column is not imported: {why}",
                                       "name it in a --mapping file if it should be imported, e.g. "
                                       f"'{heading.split(' / ')[-1]}: ignore'", Severity.warning))
    if not any(t.field in ("title", "situation_and_measure") for t in layout.columns.values()):
        problems.append(Problem(shown, layout.last_row + 1, 1, "no column holds the measures' titles",
                                "add a column Tiltak (nb), Åtgärd/Insats (sv) or Measure (en), or map one to "
                                "'title' in a --mapping file"))
        raise InvalidPortal(problems)
    rows = reader.read(problems)
    files = _plan_files(settings, rnd, criteria, reader, rows, update, problems)
    if any(p.severity is Severity.error for p in problems):
        raise InvalidPortal(problems)
    return ImportPlan(files, problems, layout.sheet.name, len(rows))


def _plan_files(settings: Settings, rnd: m.Round, criteria: m.CriteriaSet, reader: RowReader,
                rows: list[RowResult], update: bool, problems: list[Problem]) -> list[PlannedFile]:
    existing = _existing_measures(settings)
    folder = settings.decisions_dir / "measures" / str(rnd.year)
    used: dict[str, int] = {}
    planned = []
    for result in rows:
        values = result.values
        title_col = result.id_col
        if result.generated_id:
            base = _slug(values.get("title", "tiltak"))
            ident = base
            if ident in existing and existing[ident][1] not in (None, rnd.id):
                ident = f"{base}-{rnd.year}"[:80]
            n = 2
            while ident in used or (ident in existing and existing[ident][1] not in (None, rnd.id)):
                ident = f"{base[:76]}-{n}"
                n += 1
            values = {"id": ident, **values}
        ident = values["id"]
        if ident in used:
            problems.append(reader.problem(result.row, title_col, f"the id '{ident}' is already used in row {used[ident]}",
                                           "give each measure its own id (or title)"))
            continue
        used[ident] = result.row
        if ident in existing:
            path, round_of = existing[ident]
            shown = display_path(path, settings.root)
            if round_of not in (None, rnd.id):
                problems.append(reader.problem(result.row, title_col,
                                               f"the measure '{ident}' belongs to the round '{round_of}' ({shown})",
                                               "give it another id: a measure is in one round; link the two with "
                                               "'previous'"))
                continue
            if not update:
                problems.append(reader.problem(result.row, title_col,
                                               f"the measure '{ident}' already exists ({shown}) and is not overwritten",
                                               "run again with --update to update it from the sheet, keeping its "
                                               "comments and the fields the sheet does not have"))
                continue
            old_text = path.read_bytes().decode("utf-8-sig")
            try:
                data = _yaml().load(old_text)
                update_data(data, values, settings.language)
                text = _replace_comment(dump_yaml(data), result.comment) if result.comment \
                    else dump_yaml(data)
            except CellError as exc:
                problems.append(reader.problem(result.row, title_col, exc.message, exc.advice))
                continue
            except Exception as exc:  # ruamel cannot read what PyYAML could: report, never crash
                problems.append(reader.problem(result.row, title_col,
                                               f"{shown} cannot be updated ({type(exc).__name__})",
                                               "run 'prioportal validate' and fix the file first"))
                continue
            planned.append(PlannedFile(path, shown, text, old_text, result.row))
        else:
            path = folder / f"{ident}.yml"
            if path.exists():
                problems.append(reader.problem(result.row, title_col,
                                               f"the file {display_path(path, settings.root)} exists, with another id",
                                               "give the measure another id, or rename that file"))
                continue
            data = merged(placeholders(criteria, values), values)
            planned.append(PlannedFile(path, display_path(path, settings.root), new_file_text(rnd.id, data,
                                                                                          result.comment),
                                       None, result.row))
    return planned


def write_plan(plan: ImportPlan) -> list[PlannedFile]:
    """Write the new and updated files; an existing file is written only when planned as an update."""
    written = []
    for planned in plan.files:
        if planned.status == "unchanged":
            continue
        planned.path.parent.mkdir(parents=True, exist_ok=True)
        if planned.old_text is None and planned.path.exists():
            raise UsageError(f"{planned.shown} appeared while importing; nothing more was written")
        planned.path.write_bytes(planned.text.encode("utf-8"))
        written.append(planned)
    return written


def describe_plan(plan: ImportPlan, dry_run: bool) -> str:
    """What was (or, in a dry run, would be) written: every new file in full, every update as a diff."""
    out = []
    for planned in plan.files:
        verb = {"new": "would write" if dry_run else "wrote", "updated": "would update" if dry_run else "updated",
                "unchanged": "unchanged"}[planned.status]
        out.append(f"{verb} {planned.shown} (row {planned.row})")
        if dry_run and planned.status == "new":
            out.append(planned.text.rstrip("\n"))
            out.append("")
        elif dry_run and planned.status == "updated":
            diff = difflib.unified_diff(planned.old_text.splitlines(), planned.text.splitlines(),
                                        f"{planned.shown} (now)", f"{planned.shown} (after the import)", lineterm="")
            out += list(diff) + [""]
    counts = {s: sum(1 for p in plan.files if p.status == s) for s in ("new", "updated", "unchanged")}
    out.append(f"{'dry run: nothing written; ' if dry_run else ''}sheet '{plan.sheet}': {plan.rows} measure(s); "
               f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged")
    return "\n".join(out) + "\n"


# --- The export -------------------------------------------------------------------------------------

def export_columns(criteria: m.CriteriaSet, language: str) -> list[tuple[str, Target]]:
    """The export's headings, in the portal's language, each with what it holds; the import reads
    every one of them back."""
    word = _JUSTIFICATION_WORD.get(language, "justification")
    columns = [(export_heading(f, language), Target(f)) for f in (
        "id", "title", "summary", "sector", "service_area", "target_area", "focus_area", "type", "need_cause",
        "situation", "goal", "description", "alternative", "long_term_effect")]
    for c in criteria.criteria:
        columns.append((str(c.name), Target("level", c.id)))
        columns.append((f"{c.name} – {word}", Target("justification", c.id)))
    columns += [(export_heading(f, language), Target(f)) for f in (
        "year_1", "year_2", "year_3", "years_4_10", "cost_kind", "rank", "decision", "rationing_type", "granted",
        "rationale", "affected", "consequences", "mitigation", "comment")]
    return columns


def _plain(value: Any) -> Any:
    return None if value is None else str(value)


def export_rows(settings: Settings, portal, rnd: m.Round) -> tuple[list[str], list[list[Any]]]:
    from prioportal.analyses.ranking import ranked

    criteria = portal.criteria_set(rnd.criteria)
    language = settings.language
    columns = export_columns(criteria, language)
    rows = []
    for x in ranked(portal.measures_in(rnd.id)):
        outcome = x.outcome
        consequences = outcome.consequences if outcome else None
        kinds = {line.kind for line in x.costs}
        source = portal.sources.get(f"measures:{x.id}")
        comment = None
        if source and (settings.root / source).is_file():
            comment = read_comment((settings.root / source).read_text(encoding="utf-8-sig"))
        term = criteria.outcome_term(outcome.decision) if outcome else None
        values: dict[str, Any] = {
            "id": x.id, "title": _plain(x.title), "summary": _plain(x.summary), "sector": _plain(x.sector),
            "service_area": _plain(x.service_area), "target_area": _plain(x.target_area),
            "focus_area": _plain(getattr(x, "focus_area", None)),
            "type": _TYPES_SEPARATOR.join(enum_label(t, language) for t in x.type),
            "need_cause": enum_label(x.need_cause, language) if x.need_cause else None,
            "situation": _plain(x.situation.current_state), "goal": _plain(x.situation.goal),
            "description": _plain(x.proposal.description), "alternative": _plain(x.proposal.alternative),
            "long_term_effect": _plain(x.long_term_effect),
            "year_1": sum(c.year_1 for c in x.costs) if x.costs else None,
            "year_2": sum(c.year_2 for c in x.costs) if x.costs else None,
            "year_3": sum(c.year_3 for c in x.costs) if x.costs else None,
            "years_4_10": sum(c.years_4_10 for c in x.costs) if x.costs else None,
            "cost_kind": enum_label(next(iter(kinds)), language) if len(kinds) == 1 else None,
            "rank": x.rank,
            "decision": (str(term.label) if term else outcome.decision.value) if outcome else None,
            "rationing_type": enum_label(outcome.rationing_type, language) if outcome and outcome.rationing_type else None,
            "granted": outcome.granted if outcome else None,
            "rationale": _plain(outcome.rationale) if outcome else None,
            "affected": _plain(consequences.affected) if consequences else None,
            "consequences": _plain(consequences.description) if consequences else None,
            "mitigation": _plain(consequences.mitigation) if consequences else None,
            "comment": comment,
        }
        row = []
        for _, target in columns:
            if target.field == "level":
                a = x.assessments.get(target.criterion)
                level = criteria.criterion(target.criterion).level(a.level) if a else None
                row.append(str(level.label) if level else None)
            elif target.field == "justification":
                a = x.assessments.get(target.criterion)
                row.append(_plain(a.justification) if a else None)
            else:
                row.append(values[target.field])
        rows.append(row)
    return [h for h, _ in columns], rows


def export_round(settings: Settings, portal, round_id: str, fmt: str) -> bytes:
    """The ranking table of a round as .xlsx, .csv (semicolons, UTF-8 with BOM, for Excel in
    Norway and Sweden) or .json."""
    from prioportal.exports.opendata import source_date, xlsx_bytes

    if fmt not in FORMATS:
        raise UsageError(f"'{fmt}' is not a format — use one of: {', '.join(FORMATS)}")
    rnd = next((r for r in portal.rounds if r.id == round_id), None)
    if rnd is None:
        raise UsageError(f"there is no round '{round_id}' — use one of: {', '.join(r.id for r in portal.rounds)}")
    headings, rows = export_rows(settings, portal, rnd)
    if fmt == "xlsx":
        return xlsx_bytes([(str(rnd.title), headings, rows)], source_date(None, portal), title=str(rnd.title),
                          wrap=True)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(headings)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    criteria = portal.criteria_set(rnd.criteria)
    document = {
        "round": rnd.id, "criteria": criteria.id, "language": settings.language,
        "columns": [{"heading": h, "field": t.field, **({"criterion": t.criterion} if t.criterion else {})}
                    for h, (_, t) in zip(headings, export_columns(criteria, settings.language))],
        "rows": [dict(zip(headings, row)) for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


__all__ = ["plan_import", "write_plan", "describe_plan", "export_round", "export_rows", "export_columns",
           "parse_amount", "normalise", "key", "read_sheets", "find_layout", "Recogniser", "CellError",
           "COMMENT_MARKER", "read_comment"]
