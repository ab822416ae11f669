"""A synthetic portal of any size, for trying the portal out and for benchmarks.

`write_demo_portal(out, measures, seed)` writes a complete, valid portal for the invented
municipality "Demovik kommune": mkdocs.yml, two versions of the criteria, one budget round
per year, N measures in Norwegian bokmål, and a few narrative pages. Every outcome, every
rationing type, ranks 1-10, costs, inputs from the statutory councils, follow-up results and
evaluations of earlier rounds, and links between the same measure in different rounds occur.

The output depends only on (N, seed): texts are combined from phrase lists with
`random.Random(seed)`, never from the clock, and the YAML is written by a small emitter of
our own (PyYAML's dumper is about ten times slower), so the same arguments give
byte-identical files. Nothing here describes real people: there is no personal data.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

from prioportal.model.decisions import CriteriaSet, Measure
from prioportal.problems import UsageError
from prioportal.analyses.review import review_round
from prioportal.site.render import BUNDLED_THEME

MUNICIPALITY = "Demovik kommune"
SITE_URL = "https://prioriteringer.demovik.example/"
WEB = "https://demovik.example"
LAST_YEAR = 2026
MAX_PER_ROUND = 400  # a region ranks 25-100 measures a year; listings stay readable below this
MAX_ROUNDS = 60
MAX_MEASURES = 1_000_000
MARKER = "# Synthetic demo portal written by 'prioportal demo'."

# --- YAML emitter ---------------------------------------------------------------------------
#
# Emits the subset the portal's files use: mappings with identifier keys, lists, strings,
# numbers and booleans; None values and empty lists are left out (they are the defaults).
# Strings are plain when that is unambiguous in YAML 1.1 and 1.2, folded (>-) when long,
# literal (|-) when they span lines, and double-quoted otherwise. No anchors are ever written.

_WRAP = 88
_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ(][^\n\r\t:#\"'\\]*")
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")  # all but \n
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    if _NEEDS_ESCAPE.search(out):  # characters JSON leaves raw but YAML reads as breaks or BOM
        out = (out.replace("\x7f", "\\x7f").replace("\x85", "\\N").replace("\u2028", "\\L")
               .replace("\u2029", "\\P").replace("\ufeff", "\\uFEFF"))
    return out


def _wrap(text: str, width: int) -> list[str]:
    lines = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut <= 0:
            cut = text.find(" ", width)
            if cut == -1:
                break
        lines.append(text[:cut])
        text = text[cut + 1:]
    lines.append(text)
    return lines


def _string(value: str, indent: int) -> str:
    if not value or value != value.strip() or _UNSAFE.search(value):
        return _quoted(value)
    if "\n" in value:
        if value.endswith("\n") or value.startswith(" "):
            return _quoted(value)
        pad = " " * indent
        return "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
    if len(value) > _WRAP and "  " not in value:
        pad = "\n" + " " * indent
        return ">-" + pad + pad.join(_wrap(value, _WRAP))
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return _quoted(value)


_short_strings: dict[tuple[str, int], str] = {}


def _scalar(value: Any, indent: int) -> str:
    """The text after 'key: ' or '- ' for a scalar; block scalars are indented by `indent`."""
    kind = type(value)
    if kind is str:
        if len(value) > 80:
            return _string(value, indent)
        key = (value, indent)
        text = _short_strings.get(key)
        if text is None:
            if len(_short_strings) > 100_000:
                _short_strings.clear()
            text = _short_strings[key] = _string(value, indent)
        return text
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("only finite numbers can be written")
        return repr(value)
    if isinstance(value, str):
        return _string(str(value), indent)
    if isinstance(value, date):
        return _quoted(value.isoformat())
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _emit_mapping(mapping: dict, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if value is None:
            continue
        kind = type(value)
        if kind is dict:
            if value:
                out.append(f"{pad}{key}:")
                _emit_mapping(value, indent + 2, out)
        elif kind is list:
            if value:
                out.append(f"{pad}{key}:")
                _emit_sequence(value, indent, out)
        else:
            text = _short_strings.get((value, indent + 2)) if kind is str else None
            out.append(f"{pad}{key}: {text or _scalar(value, indent + 2)}")


def _emit_sequence(items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        kind = type(item)
        if kind is dict:
            start = len(out)
            _emit_mapping(item, indent + 2, out)
            if len(out) == start:
                out.append(pad + "- {}")
            else:
                out[start] = pad + "- " + out[start][indent + 2:]
        elif kind is list:
            raise TypeError("nested lists are not used in portal files")
        else:
            out.append(f"{pad}- {_scalar(item, indent + 2)}")


def to_yaml(data: dict) -> str:
    """YAML text for one decision file."""
    out: list[str] = []
    _emit_mapping(data, 0, out)
    return "\n".join(out) + "\n"


# --- Vocabulary -----------------------------------------------------------------------------

TARGET_AREAS = ("Samfunnets livskraft", "Innbyggernes helse og livskvalitet", "Organisasjonens effektivitet")
DISTRICTS = ("Sentrum", "Nordbyen", "Sørøya", "Vestdalen", "Østmarka", "Fjellheim", "Strandvik", "Bakkeby")


@dataclass(frozen=True)
class Area:
    sector: str
    name: str
    the: str  # definite form used inside sentences, e.g. "hjemmetjenesten"
    target: int  # index into TARGET_AREAS
    group: str  # who the service is for
    people: str  # what the people counted are called, e.g. "brukere"
    law: str
    goal: str  # "at ..." clause from the municipal plan
    responsible: str  # a role, never a person
    local: bool  # measures are tied to a place (a school, a road)
    problems: tuple[str, ...]
    measures: tuple[tuple[str, str, str], ...]  # title, action ("å ..."), effect
    indicators: tuple[tuple[str, str, str, float, float, int], ...]  # id, name, unit, low, high, +1/-1 better


H, O, K, T, A, F = ("Helse og omsorg", "Oppvekst og utdanning", "Kultur og fritid", "Teknisk og miljø",
                    "Arbeid og velferd", "Organisasjon og fellestjenester")

AREAS: tuple[Area, ...] = (
    Area(H, "Hjemmetjenester", "hjemmetjenesten", 1, "hjemmeboende eldre og personer med nedsatt funksjonsevne",
         "brukere", "helse- og omsorgstjenesteloven", "at eldre skal kunne bo trygt hjemme så lenge de ønsker",
         "Enhetsleder for hjemmetjenesten", False,
         ("flere brukere med sammensatte behov enn tjenesten er bemannet for",
          "lang responstid på trygghetsalarmer om natten",
          "mange korte besøk med lite tid til hver bruker",
          "høyt sykefravær og mye bruk av vikarer"),
         (("Ekstra nattpatrulje i hjemmetjenesten", "opprette en ekstra nattpatrulje med to ansatte",
           "kortere responstid når alarmen går om natten"),
          ("Digitalt tilsyn for hjemmeboende", "tilby digitalt tilsyn om natten til brukere som ønsker det",
           "færre forstyrrende besøk og raskere hjelp ved behov"),
          ("Hverdagsrehabilitering for nye brukere",
           "gi nye brukere hverdagsrehabilitering før det fattes vedtak om varig hjelp",
           "at flere klarer dagliglivet selv lenger"),
          ("Faste team i hjemmetjenesten", "organisere hjemmetjenesten i små, faste team",
           "at brukerne møter færre ulike ansatte")),
         (("responstid", "Responstid på trygghetsalarm", "minutter", 25, 50, -1),
          ("andel-fornoyde", "Andel brukere som er fornøyde med tjenesten", "prosent", 60, 80, 1))),
    Area(H, "Sykehjem", "sykehjemmene", 1, "beboere på sykehjem og pårørende", "beboere",
         "helse- og omsorgstjenesteloven", "at alle beboere skal ha en trygg og meningsfull hverdag",
         "Virksomhetsleder for sykehjemmene", True,
         ("lav legedekning og lite tid til medisinsk oppfølging",
          "få aktiviteter på kveldstid og i helgene",
          "mange som venter på langtidsplass",
          "slitte bygg som ikke er tilpasset personer med demens"),
         (("Økt legedekning på sykehjem", "øke legetimene på sykehjemmene med ti timer i uken",
           "bedre medisinsk oppfølging og færre innleggelser på sykehus"),
          ("Aktivitetstilbud på kveldstid", "ansette aktivitører som gir tilbud på kveldstid og i helgene",
           "flere meningsfulle dager for beboerne"),
          ("Skjermet enhet for personer med demens",
           "bygge om en avdeling til en skjermet enhet for personer med demens",
           "tryggere omgivelser og mindre uro"),
          ("Korttidsplasser for avlastning", "opprette fire nye korttidsplasser for avlastning",
           "at pårørende får mer avlastning")),
         (("legetimer", "Legetimer per beboer per uke", "timer", 0.3, 0.6, 1),
          ("venter-langtidsplass", "Personer som venter på langtidsplass", "antall", 8, 25, -1))),
    Area(H, "Psykisk helse og rus", "tjenestene for psykisk helse og rus", 1,
         "personer med psykiske plager eller rusproblemer", "personer", "helse- og omsorgstjenesteloven",
         "at alle skal få hjelp tidlig og nær der de bor", "Leder for psykisk helse og rus", False,
         ("lang ventetid på første samtale",
          "få lavterskeltilbud uten henvisning",
          "mangel på egnede boliger med oppfølging",
          "svak oppfølging etter utskrivning fra sykehus"),
         (("Lavterskeltilbud uten henvisning", "etablere et lavterskeltilbud der man kan komme uten henvisning",
           "at flere får hjelp tidlig"),
          ("Oppsøkende behandlingsteam", "lage et team som møter folk der de bor, sammen med sykehuset",
           "tettere oppfølging av personer med alvorlige lidelser"),
          ("Boliger med oppfølging", "kjøpe seks boliger med tilknyttet oppfølging",
           "stabile boforhold og færre akutte innleggelser"),
          ("Rask psykisk helsehjelp", "gi rask hjelp ved angst og depresjon",
           "kortere ventetid og mindre sykefravær")),
         (("ventetid-samtale", "Ventetid til første samtale", "dager", 20, 45, -1),)),
    Area(H, "Helsestasjon og skolehelsetjeneste", "helsestasjonen og skolehelsetjenesten", 1,
         "barn, unge og familier", "barn og unge", "forskrift om helsestasjons- og skolehelsetjenesten",
         "at barn og unge skal ha god psykisk og fysisk helse", "Ledende helsesykepleier", True,
         ("for lite tid til helsesykepleier på skolene",
          "mange som ikke møter til hjemmebesøk",
          "økende psykiske plager blant ungdom"),
         (("Helsesykepleier på skolen hver dag", "øke bemanningen slik at skolene har helsesykepleier hver dag",
           "at elever får snakke med noen når de trenger det"),
          ("Helsestasjon for ungdom på kveldstid", "holde helsestasjon for ungdom åpen to kvelder i uken",
           "at ungdom får hjelp uten å gå glipp av skole"),
          ("Foreldreveiledning i grupper", "tilby foreldreveiledning i grupper for familier med små barn",
           "tryggere foreldre og færre bekymringsmeldinger")),
         (("timer-per-elev", "Timer med helsesykepleier per 100 elever per uke", "timer", 3, 6, 1),)),
    Area(H, "Rehabilitering", "rehabiliteringstjenesten", 1, "personer som trenger trening etter sykdom eller skade",
         "pasienter", "helse- og omsorgstjenesteloven", "at flest mulig skal mestre hverdagen etter sykdom",
         "Leder for fysio- og ergoterapitjenesten", False,
         ("lang ventetid på fysioterapi",
          "få plasser for rehabilitering i kommunen",
          "lite samordning mellom tjenestene"),
         (("Flere fysioterapeuter", "ansette to nye fysioterapeuter",
           "kortere ventetid på behandling"),
          ("Rehabiliteringsplasser i kommunen", "opprette tre døgnplasser for rehabilitering",
           "at flere kan trene seg opp nær hjemmet"),
          ("Sterkere koordinerende enhet", "styrke koordinerende enhet med én stilling",
           "bedre samordnede tjenester og raskere individuell plan")),
         (("ventetid-fysio", "Ventetid på fysioterapi", "uker", 6, 14, -1),)),
    Area(O, "Barnehage", "barnehagene", 0, "barn i barnehagealder og foreldrene deres", "barn", "barnehageloven",
         "at alle barn skal få et trygt og godt barnehagetilbud nær hjemmet", "Barnehagesjef", True,
         ("for få plasser i barnehagene nær sentrum",
          "mange barn som trenger støtte i språkutviklingen",
          "høy andel ansatte uten barnehagelærerutdanning"),
         (("Ny avdeling i barnehagen", "åpne en ny avdeling med 18 plasser",
           "at alle som søker får plass nær hjemmet"),
          ("Språkløft i barnehagene", "gi alle barnehager tilgang til en språkpedagog",
           "bedre norskferdigheter før skolestart"),
          ("Kompetanseløft for barnehageansatte",
           "gi ansatte tilbud om barnehagelærerutdanning ved siden av jobben", "høyere kvalitet i tilbudet"),
          ("Spesialpedagog for barnehagene", "ansette en spesialpedagog som veileder barnehagene",
           "at barn som trenger det får hjelp tidligere")),
         (("andel-barnehagelaerere", "Andel barnehagelærere i grunnbemanningen", "prosent", 35, 50, 1),
          ("venter-plass", "Barn som venter på plass", "antall", 10, 40, -1))),
    Area(O, "Grunnskole", "grunnskolen", 0, "elever i grunnskolen", "elever", "opplæringsloven",
         "at alle elever skal mestre lesing og regning og trives på skolen", "Kommunalsjef for oppvekst", True,
         ("mange elever som ikke får tidlig innsats i lesing og regning",
          "økende antall elever med spesialundervisning",
          "dårlig inneklima i eldre skolebygg",
          "mobbing og uro i friminuttene"),
         (("Tidlig innsats i lesing", "sette inn en ekstra lærer i norsk og matematikk på 1.–4. trinn",
           "at færre elever faller fra i lesing og regning"),
          ("Ny ventilasjon ved skolen", "skifte ut ventilasjonsanlegget ved skolen",
           "bedre inneklima og færre hodepiner"),
          ("Miljøarbeidere på ungdomsskolen", "ansette to miljøarbeidere på ungdomsskolen",
           "en tryggere skolehverdag og mindre mobbing"),
          ("Digitale læremidler", "kjøpe lisenser til digitale læremidler for alle trinn",
           "mer tilpasset opplæring")),
         (("andel-mobbet", "Andel elever som blir mobbet (Elevundersøkelsen)", "prosent", 6, 12, -1),
          ("under-kritisk-grense", "Andel elever under kritisk grense i lesing", "prosent", 15, 25, -1))),
    Area(O, "Pedagogisk-psykologisk tjeneste", "PP-tjenesten", 0,
         "barn og unge som trenger spesialpedagogisk hjelp", "barn og unge", "opplæringsloven",
         "at barn og unge skal få riktig hjelp uten unødig venting", "Leder for PP-tjenesten", False,
         ("lang saksbehandlingstid for sakkyndige vurderinger",
          "lite tid til veiledning av skoler og barnehager"),
         (("Kortere ventetid i PP-tjenesten", "ansette en ekstra rådgiver i PP-tjenesten",
           "kortere tid fra henvisning til sakkyndig vurdering"),
          ("PP-tjenesten inn i klasserommet", "la rådgiverne veilede lærerne i klasserommet",
           "at flere elever får hjelp uten enkeltvedtak")),
         (("saksbehandlingstid", "Saksbehandlingstid for sakkyndige vurderinger", "uker", 10, 20, -1),)),
    Area(O, "Barnevern", "barnevernet", 1, "barn og unge som trenger hjelp fra barnevernet", "barn",
         "barnevernsloven", "at barn skal få hjelp tidlig og kunne vokse opp trygt", "Barnevernsleder", False,
         ("fristbrudd i undersøkelsessaker",
          "få fosterhjem i nærområdet",
          "høy utskifting av saksbehandlere"),
         (("Rekruttering av fosterhjem",
           "ansette en fosterhjemskonsulent som rekrutterer og følger opp fosterhjem",
           "at barn kan bo i fosterhjem nær skole og venner"),
          ("Flere saksbehandlere i barnevernet", "opprette to nye stillinger som saksbehandler",
           "færre fristbrudd"),
          ("Familieveiledning i hjemmet", "tilby familieveiledning i hjemmet som forebyggende tiltak",
           "at færre barn må flytte fra familien")),
         (("fristbrudd", "Andel undersøkelser med fristbrudd", "prosent", 10, 30, -1),)),
    Area(K, "Bibliotek", "biblioteket", 0, "innbyggere som bruker biblioteket", "innbyggere", "folkebibliotekloven",
         "at biblioteket skal være en åpen møteplass for alle", "Biblioteksjef", True,
         ("korte åpningstider",
          "lokaler som ikke passer for arrangementer"),
         (("Meråpent bibliotek", "la folk låne bøker selv når biblioteket er stengt",
           "at du kan bruke biblioteket om kvelden og i helgene"),
          ("Bokbuss til grendene", "leie en bokbuss som kjører til grendene annenhver uke",
           "at også de som bor langt fra sentrum får et tilbud"),
          ("Leksehjelp på biblioteket", "tilby leksehjelp med frivillige på biblioteket",
           "at flere elever får hjelp med skolearbeidet")),
         (("besok", "Besøk på biblioteket per år", "antall", 30000, 60000, 1),)),
    Area(K, "Kulturskole", "kulturskolen", 0, "barn og unge som ønsker et kulturskoletilbud", "barn og unge",
         "opplæringsloven", "at alle barn skal kunne delta i kulturaktiviteter", "Rektor ved kulturskolen", False,
         ("lange ventelister",
          "høy egenbetaling som stenger noen ute"),
         (("Lavere egenbetaling i kulturskolen", "innføre søskenmoderasjon og friplasser i kulturskolen",
           "at flere barn fra familier med lav inntekt kan delta"),
          ("Flere plasser i kulturskolen", "utvide kulturskolen med 40 plasser", "en kortere venteliste")),
         (("venteliste", "Barn på venteliste", "antall", 40, 120, -1),)),
    Area(K, "Idrett og friluftsliv", "idretts- og friluftstilbudet", 0,
         "barn, unge og voksne som driver idrett og friluftsliv", "innbyggere", "folkehelseloven",
         "at alle skal ha gode muligheter for fysisk aktivitet", "Leder for kultur og idrett", True,
         ("en fotballbane som ikke kan brukes",
          "mangel på universelt utformede turstier",
          "for lite halltid til idrettslagene"),
         (("Ny kunstgressbane", "bygge en ny kunstgressbane", "at idrettslagene kan trene hele året"),
          ("Universelt utformet tursti", "opparbeide en universelt utformet tursti rundt vannet",
           "at flere kan komme seg ut i naturen, også med rullestol eller barnevogn"),
          ("Rehabilitering av idrettshallen", "rehabilitere idrettshallen",
           "flere timer i hallen til barn og unge")),
         (("halltimer", "Timer i hallen per uke for barn og unge", "timer", 40, 70, 1),)),
    Area(K, "Ungdomstilbud", "ungdomstilbudet", 0, "ungdom mellom 13 og 18 år", "ungdommer", "folkehelseloven",
         "at all ungdom skal ha et trygt sted å være i fritiden", "Leder for ungdomstjenesten", True,
         ("få møteplasser for ungdom på kveldstid",
          "økende utenforskap blant ungdom"),
         (("Lengre åpningstid i ungdomsklubben", "holde ungdomsklubben åpen fire kvelder i uken",
           "et trygt sted å være på kveldstid"),
          ("Feltarbeidere for ungdom", "ansette to feltarbeidere som oppsøker ungdom der de er",
           "at ungdom i risiko får hjelp tidlig")),
         (("besok-klubb", "Besøk i ungdomsklubben per uke", "antall", 60, 150, 1),)),
    Area(T, "Vei og trafikk", "veinettet", 0, "trafikanter, særlig barn på skoleveien", "skolebarn", "vegloven",
         "at alle barn skal ha en trygg skolevei", "Leder for kommunalteknikk", True,
         ("manglende gang- og sykkelvei langs skoleveien",
          "dårlig vedlikehold av kommunale veier",
          "for få parkeringsplasser i sentrum"),
         (("Gang- og sykkelvei langs skoleveien", "bygge 1,2 kilometer gang- og sykkelvei langs skoleveien",
           "en tryggere skolevei for barn"),
          ("Ny asfalt på kommunale veier", "legge ny asfalt på de dårligste kommunale veiene",
           "færre skader og lavere vedlikeholdskostnader på sikt"),
          ("Utvidet parkeringsplass", "utvide parkeringsplassen med 60 plasser", "enklere tilgang til sentrum"),
          ("Trafikksikring ved skolene", "lage fartshumper og opphøyde gangfelt ved skolene",
           "lavere fart ved skolene")),
         (("gaar-sykler", "Andel elever som går eller sykler til skolen", "prosent", 40, 60, 1),)),
    Area(T, "Vann og avløp", "vann- og avløpstjenesten", 0, "innbyggere som har kommunalt vann og avløp",
         "abonnenter", "drikkevannsforskriften", "at alle skal ha trygt drikkevann og et rent miljø",
         "Leder for vann og avløp", False,
         ("stort lekkasjetap fra gamle vannledninger",
          "overløp av avløpsvann ved kraftig regn"),
         (("Nye vannledninger", "skifte ut tre kilometer gamle vannledninger",
           "mindre lekkasje og tryggere vannforsyning"),
          ("Separering av overvann", "skille overvann fra avløpsnettet", "færre overløp til sjøen")),
         (("lekkasjetap", "Andel vann som går tapt i lekkasjer", "prosent", 25, 40, -1),)),
    Area(T, "Eiendom", "de kommunale byggene", 2, "brukere og ansatte i kommunale bygg", "brukere",
         "plan- og bygningsloven", "at kommunale bygg skal være trygge, tilgjengelige og energieffektive",
         "Eiendomssjef", True,
         ("høyt energiforbruk i kommunale bygg",
          "etterslep på vedlikehold",
          "bygg som ikke er universelt utformet"),
         (("Energisparing i kommunale bygg", "installere styring av varme og lys i kommunale bygg",
           "lavere energiforbruk"),
          ("Heis og automatiske dører i rådhuset", "bygge heis og automatiske dører i rådhuset",
           "at alle kan komme inn og delta på møter"),
          ("Solceller på skolebygg", "montere solceller på taket av to skoler", "lavere strømkostnader")),
         (("energibruk", "Energibruk per kvadratmeter", "kWh", 150, 220, -1),)),
    Area(A, "Sosialtjenesten", "sosialtjenesten i NAV", 0, "personer som mottar økonomisk sosialhjelp",
         "mottakere", "sosialtjenesteloven", "at flest mulig skal kunne forsørge seg selv",
         "Leder for NAV-kontoret", False,
         ("mange unge som går lenge på sosialhjelp",
          "barnefamilier med lav inntekt over lang tid"),
         (("Jobbspesialister for unge", "ansette to jobbspesialister som følger opp unge sosialhjelpsmottakere",
           "at flere unge kommer i arbeid eller utdanning"),
          ("Familiekoordinator i NAV", "ansette en som følger opp familier med lav inntekt",
           "bedre levekår for barn i familier med lav inntekt")),
         (("unge-i-arbeid", "Andel unge som går over til arbeid eller utdanning", "prosent", 20, 35, 1),)),
    Area(A, "Flyktningtjenesten", "flyktningtjenesten", 0, "nyankomne flyktninger", "deltakere",
         "integreringsloven", "at nyankomne raskt skal komme i arbeid og bli en del av lokalsamfunnet",
         "Leder for flyktningtjenesten", False,
         ("lite språkpraksis i introduksjonsprogrammet",
          "konflikter i bomiljøet det første året"),
         (("Språkpraksis i kommunen", "tilby språkpraksis i kommunale virksomheter",
           "raskere norskopplæring og vei til arbeid"),
          ("Boveiledning for nyankomne", "tilby boveiledning det første året", "trygge og gode bomiljøer")),
         (("i-arbeid", "Andel i arbeid eller utdanning etter introduksjonsprogrammet", "prosent", 45, 65, 1),)),
    Area(F, "Digitalisering", "de digitale tjenestene", 2, "innbyggere og ansatte som bruker kommunens tjenester",
         "innbyggere", "kommuneloven", "at innbyggerne skal få raske og enkle tjenester",
         "Digitaliseringsleder", False,
         ("mange papirskjemaer og manuelle rutiner",
          "lang svartid på henvendelser"),
         (("Digitale søknadsskjemaer", "lage digitale skjemaer for de mest brukte søknadene",
           "raskere saksbehandling og færre feil"),
          ("Chatbot på kommunens nettsider", "innføre en chatbot som svarer på enkle spørsmål",
           "kortere svartid for innbyggerne"),
          ("Felles saksbehandlingssystem", "samle saksbehandlingen i ett system", "mindre dobbeltarbeid")),
         (("svartid", "Gjennomsnittlig svartid på henvendelser", "dager", 5, 12, -1),)),
    Area(F, "Innbyggerservice", "innbyggerservice", 2, "innbyggere som tar kontakt med kommunen", "innbyggere",
         "forvaltningsloven", "at alle skal få svar og veiledning på et språk de forstår",
         "Leder for innbyggerservice", False,
         ("kort telefontid",
          "lite tilbud på samisk"),
         (("Lengre telefontid", "holde telefonen åpen til klokken 18 to dager i uken",
           "at de som jobber på dagtid når kommunen"),
          ("Samisk språkstøtte i innbyggerservice", "tilby tolk og skjemaer på samisk",
           "at samiske brukere får service på sitt eget språk")),
         (("besvart-raskt", "Andel anrop besvart innen to minutter", "prosent", 55, 75, 1),)),
)

CAUSES = ("det blir flere eldre i kommunen", "flere barnefamilier flytter hit", "det er vanskelig å rekruttere fagfolk",
          "kravene i loven er skjerpet", "arbeidsmåtene ikke er endret på mange år")
ALTERNATIVES = (
    "Dagens praksis videreføres uten endringer.",
    "Alternativet er å fortsette som i dag og prioritere de mest akutte behovene.",
    "Alternativet er å kjøpe tjenesten fra en nabokommune.",
    "Alternativet er å løse behovet innenfor dagens bemanning ved å flytte ansatte fra andre oppgaver.",
    "Alternativet er å vente til neste økonomiplan og se om behovet fortsatt er like stort.",
)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")
MITIGATIONS = (
    "Tjenesten følger med på ventetiden og melder fra til politikerne hvert kvartal.",
    "De som er berørt får tilbud om en samtale om andre tilbud.",
    "Frivillige organisasjoner inviteres til å samarbeide om et enklere tilbud.",
    "Kommunen søker om statlige tilskudd som kan dekke deler av behovet.",
    "Behovet vurderes på nytt i neste økonomiplan.",
)
RATIONING = {
    "structure": "gitt med færre ansatte og i lokalene kommunen allerede har",
    "process": "gitt etter strengere tildelingskriterier og for en begrenset periode",
    "result": "rettet mot dem med størst behov, med et lavere mål for resultatet",
}
EVALUATION_REASONS = {
    "continue": "Resultatene viser at tiltaket virker som planlagt, og det videreføres.",
    "correct": "Tiltaket virker, men ikke så godt som ventet. Det justeres slik at det når flere.",
    "stop": "Tiltaket har ikke gitt den effekten vi ventet, og pengene brukes bedre på andre tiltak.",
}

# outcome weights by rank band (1-3, 4-6, 7-10)
KINDS = ("funded", "partly_funded", "rationed", "efficiency", "deprioritised", "discontinued", "postponed")
KIND_WEIGHTS = ((70, 14, 5, 10, 1, 0, 0), (25, 25, 20, 10, 10, 0, 10), (0, 5, 10, 0, 45, 15, 25))
# the first ten measures of every decided round cover every rank and every outcome
FORCED = ((1, "funded"), (2, "funded"), (3, "efficiency"), (4, "partly_funded"), (5, "rationed"),
          (6, "rationed"), (7, "postponed"), (8, "deprioritised"), (9, "discontinued"), (10, "deprioritised"))

SUMMARY_END = {
    "funded": "Det har fått penger.",
    "partly_funded": "Det får en del av pengene.",
    "rationed": "Det blir et mindre tilbud enn behovet.",
    "efficiency": "Det skal gi mer for de samme pengene.",
    "deprioritised": "Det fikk ikke penger nå.",
    "discontinued": "Det blir lagt ned.",  # not used: a discontinued service has its own summary
    "postponed": "Det er utsatt til et senere år.",
    None: "Du kan si din mening om forslaget.",
}
SUMMARY_LIX = 38  # summaries are for citizens: keep LIX (see readability.py) below the default limit of 40
_LIX_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LIX_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)")


def _lix(text: str) -> float:
    """LIX as prioportal.readability computes it: words per sentence + percent long words."""
    words = _LIX_WORD.findall(text)
    sentences = max(1, len(_LIX_SENTENCE_END.findall(text)))
    long_words = sum(1 for w in words if len(w.replace("-", "")) > 6)
    return len(words) / sentences + 100 * long_words / max(1, len(words))


def _plain_summary(action: str, where: str, effect: str, end: str) -> str:
    return _plain_summary_of((f"Vi vil {action}{where}. Målet er {effect}. {end}",
                              f"Vi vil {action}. Målet er {effect}. {end}",
                              f"Vi vil {action}. {end}"))


def _plain_summary_of(candidates: tuple[str, ...]) -> str:
    """The first of a few phrasings, most informative first, that is easy to read."""
    for text in candidates:
        if _lix(text) <= SUMMARY_LIX:
            return text
    return min(candidates, key=_lix)


# criterion id -> scale (id, label, description), highest first
SCALES = {
    "alvorlighet": (("svaert-stor", "Svært stor", "Livet, helsen eller utviklingen til de berørte er i fare nå eller på sikt."),
                    ("stor", "Stor", "Situasjonen er klart under det loven eller kommuneplanen krever."),
                    ("moderat", "Moderat", "Situasjonen er krevende, men de fleste får et forsvarlig tilbud."),
                    ("liten", "Liten", "Situasjonen er nær målet; det er rom for forbedring.")),
    "nytte": (("svaert-stor", "Svært stor", "Tiltaket fjerner det meste av gapet mellom situasjonen og målet."),
              ("stor", "Stor", "Tiltaket gir en tydelig forbedring for mange."),
              ("moderat", "Moderat", "Tiltaket gir en forbedring, men for færre eller med usikker effekt."),
              ("liten", "Liten", "Tiltaket gir en liten forbedring."),
              ("ingen", "Ingen", "Tiltaket ventes ikke å gi noen merkbar forbedring.")),
    "ressursbruk": (("svaert-hoy", "Svært høy", "Mer enn fem millioner kroner i året, eller en stor investering."),
                    ("hoy", "Høy", "Mellom to og fem millioner kroner i året."),
                    ("moderat", "Moderat", "Mellom en halv og to millioner kroner i året."),
                    ("lav", "Lav", "Under en halv million kroner i året.")),
    "kunnskapsgrunnlag": (("god", "God", "Nasjonale anbefalinger, forskning eller gode egne data."),
                          ("moderat", "Moderat", "Erfaringer fra andre kommuner eller enkle egne data."),
                          ("svak", "Svak", "Bygger mest på erfaringer og innspill.")),
}
JUSTIFICATIONS = {
    "alvorlighet": (
        ("Situasjonen er alvorlig: {problem} gir risiko for varig skade eller tap av funksjon.",
         "Kommunen oppfyller ikke kravene i {law} fullt ut i dag, og mange er berørt."),
        ("Mange {people} er berørt, og situasjonen kan bli verre de neste årene.",
         "{Problem} går ut over {group}, og kravene i {law} er ikke helt oppfylt."),
        ("Situasjonen er krevende, men det finnes delvise løsninger i dag.",
         "Et mindre antall {people} er berørt, men behovet er økende."),
        ("Situasjonen er ikke akutt, og dagens tilbud dekker de fleste behovene.",
         "De fleste {people} får et godt tilbud i dag; tiltaket gjelder en forbedring."),
    ),
    "nytte": (
        ("Tiltaket ventes å gi {effect}, og erfaringene fra andre kommuner er svært gode.",),
        ("Tiltaket ventes å gi {effect} for mange {people}.", "Erfaringer fra andre kommuner viser god effekt."),
        ("Tiltaket kan gi {effect}, men effekten er usikker.", "Tiltaket når bare en del av {people}."),
        ("Tiltaket gir en liten forbedring for de som er berørt.",),
        ("Tiltaket ventes ikke å gi noen merkbar forskjell for {people}.",),
    ),
    "ressursbruk": (
        ("Tiltaket koster {cost} kroner det første året, som er en stor del av rammen.",),
        ("Tiltaket koster {cost} kroner det første året og krever nye stillinger.",),
        ("Tiltaket koster {cost} kroner det første året.",),
        ("Tiltaket koster {cost} kroner det første året og kan i stor grad løses innenfor dagens drift.",),
    ),
    "kunnskapsgrunnlag": (
        ("Tiltaket bygger på nasjonale anbefalinger og egne tall.",),
        ("Det finnes erfaringer fra andre kommuner, men få studier.",),
        ("Kunnskapsgrunnlaget er begrenset til innspill fra ansatte og brukere.",),
    ),
}

INPUT_NAMES = {
    "elderly_council": ("Eldrerådet",),
    "disability_council": ("Rådet for personer med funksjonsnedsettelse",),
    "youth_council": ("Ungdomsrådet",),
    "user_organisation": ("Pensjonistforbundet Demovik", "FFO Demovik", "Mental Helse Demovik",
                          "Norges Handikapforbund Demovik", "Foreldreutvalget for barnehagene"),
    "relatives": ("Pårørendeforeningen ved sykehjemmene", "Pårørendegruppen i {the}"),
    "residents": ("Innbyggermøte i {district}", "Velforeningen i {district}"),
    "politicians": ("Hovedutvalg for {sector_lower}",),
    "staff": ("Tillitsvalgte i {the}", "Verneombudet i {the}"),
    "service_users": ("Brukerrådet i {the}",),
    "other": ("Frivilligsentralen i Demovik", "Statsforvalteren"),
}
INPUT_SOURCES = tuple(INPUT_NAMES)
INPUT_SAYS = (
    "{name} støtter tiltaket og ber om at det prioriteres.",
    "{name} er bekymret for {problem}.",
    "{name} mener tiltaket må gjelde hele kommunen, ikke bare {district}.",
    "{name} ber om at universell utforming blir ivaretatt.",
    "{name} peker på at {group} må få si sin mening når tiltaket settes i gang.",
)
INPUT_CONSIDERED = (
    "Innspillet er tatt med i vurderingen av alvorlighet.",
    "Innspillet støtter rangeringen.",
    "Innspillet er tatt med, men endret ikke rangeringen fordi andre tiltak gir større nytte.",
    "Kravet om universell utforming er tatt inn i beskrivelsen av tiltaket.",
    "Innspillet følges opp i arbeidet med neste økonomiplan.",
)


def _slug(text: str) -> str:
    text = text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "–": "-"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _kr(amount: float) -> int:
    """Round to whole tens of thousands, as council papers do."""
    return int(round(amount / 10_000)) * 10_000


def _nok(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Criteria, rounds, pages ----------------------------------------------------------------

OUTCOME_TERMS = (
    ("funded", "Prioritert", "Tiltaket får de pengene som trengs, og settes i gang som beskrevet."),
    ("partly_funded", "Delvis finansiert", "Tiltaket får en del av pengene og settes i gang i mindre skala."),
    ("rationed", "Redusert tilbud",
     "Behovet dekkes bare delvis: med færre ressurser, strengere tildeling eller et lavere mål. "
     "Det kalles rasjonering."),
    ("efficiency", "Effektivisering",
     "Det samme eller et bedre tilbud gis for de samme eller mindre pengene, ved å arbeide på en ny måte."),
    ("deprioritised", "Nedprioritert", "Tiltaket får ikke penger denne gangen fordi andre behov ble vurdert som viktigere."),
    ("discontinued", "Avviklet", "Et tilbud som finnes i dag, blir lagt ned."),
    ("postponed", "Utsatt", "Tiltaket vurderes på nytt i et senere budsjett."),
)


def _criteria_set(version: int, valid_from: date, previous: str | None) -> dict:
    ids = ["alvorlighet", "nytte", "ressursbruk"] + (["kunnskapsgrunnlag"] if version > 1 else [])
    meta = {
        "alvorlighet": ("Alvorlighet", "Hvor alvorlig er situasjonen, målt mot mål og lovkrav?",
                        "Hvor langt situasjonen er fra det beste vi kan tenke oss, nå og som risiko for at den blir verre."),
        "nytte": ("Nytte", "Hvor mye bedre blir situasjonen med tiltaket?",
                  "Hvor langt tiltaket flytter situasjonen mot målet, sammenlignet med alternativet."),
        "ressursbruk": ("Ressursbruk", "Hvor mye penger og arbeid krever tiltaket?",
                        "Kostnaden i kroner og årsverk, det første året og på lengre sikt."),
        "kunnskapsgrunnlag": ("Kunnskapsgrunnlag", "Hvor sikkert vet vi at tiltaket virker?",
                              "Hvor god kunnskapen bak vurderingen av nytte er."),
    }
    criteria = [{"id": cid, "name": meta[cid][0], "question": meta[cid][1], "description": meta[cid][2],
                 "scale": [{"id": i, "label": lab, "description": d} for i, lab, d in SCALES[cid]]} for cid in ids]
    data = {
        "id": f"kriterier-{valid_from.year}",
        "title": f"Kriterier for prioritering, versjon {version}",
        "version": version,
        "valid_from": valid_from.isoformat(),
        "previous": previous,
        "change_note": (None if version == 1 else
                        "Vi har lagt til kriteriet kunnskapsgrunnlag, slik at det går fram hvor sikker vurderingen "
                        "av nytte er. Eldrerådet og revisjonen ba om dette. De tre andre kriteriene er uendret."),
        "introduction": ("Alle tiltak vurderes etter de samme kriteriene. Vurderingene veies sammen av mennesker "
                         "før tiltakene rangeres: rangeringen er en begrunnet vurdering, ikke en formel.\n\n"
                         "Vi stiller fem spørsmål ved hvert tiltak:\n\n"
                         "1. Hvor alvorlig er situasjonen?\n"
                         "2. Hvilken nytte gir tiltaket?\n"
                         "3. Hvor mye ressurser krever det?\n"
                         "4. Er det rimelig å bruke disse ressursene for denne nytten?\n"
                         "5. Er det rimelig sammenlignet med det vi da ikke kan gjøre?"),
        "principles": [
            {"id": "likhet", "name": "Likhet",
             "description": "Alle skal ha den samme muligheten til å få informasjon og si sin mening."},
            {"id": "upartiskhet", "name": "Upartiskhet",
             "description": "Ingen enkeltpart skal ha urimelig stor innflytelse på beslutningene."},
            {"id": "konsistens", "name": "Konsistens",
             "description": "Kriteriene og framgangsmåten er de samme over tid, og endringer blir forklart."},
        ],
        "criteria": criteria,
        "rank_scale": {
            "highest": 1, "lowest": 10,
            "description": "Rang 1 er høyest prioritet og rang 10 lavest. Flere tiltak kan ha samme rang.",
            "bands": [
                {"ranks": [1, 3], "meaning": "Bør gjennomføres. Tiltakene løser alvorlige behov med god nytte."},
                {"ranks": [4, 7], "meaning": "Bør gjennomføres hvis rammen tillater det."},
                {"ranks": [8, 10], "meaning": "Kan vente, eller bør ikke gjennomføres nå."},
            ],
        },
        "outcomes": [{"kind": k, "label": lab, "description": d} for k, lab, d in OUTCOME_TERMS],
    }
    return data


MILESTONES = (
    ("Kartlegging av behov", (-1, 2, 1), (-1, 3, 31),
     "Tjenestene beskriver situasjonen og behovene, blant annet med tall fra KOSTRA og brukerundersøkelser.", False),
    ("Kriterier og tidsplan publiseres", (-1, 4, 15), None,
     "Kriteriene og tidsplanen legges ut på denne siden.", False),
    ("Innspillsmøter med brukere og råd", (-1, 5, 10), (-1, 6, 10),
     "Møter med eldrerådet, rådet for personer med funksjonsnedsettelse, ungdomsrådet, "
     "brukerorganisasjoner og ansatte.", False),
    ("Frist for innspill", (-1, 9, 15), None, "Send innspill skriftlig eller via skjemaet på nettsiden.", True),
    ("Rangering av tiltak", (-1, 9, 16), (-1, 10, 10),
     "Kommunedirektørens ledergruppe vurderer og rangerer tiltakene etter kriteriene.", False),
    ("Kommunedirektørens forslag til budsjett og økonomiplan", (-1, 10, 25), None, None, False),
    ("Budsjettvedtak i kommunestyret", (-1, 12, 12), None, None, False),
    ("Dialog om konsekvenser", (0, 1, 15), (0, 3, 31),
     "Tjenestene informerer dem som blir berørt av vedtaket.", False),
    ("Årsrapport med oppfølging av resultatene", (1, 4, 30), None, None, False),
)
# index of the milestone that is 'current' for each round status (None: all done)
CURRENT_MILESTONE = {"consultation": 3, "decided": 7, "follow_up": 8, "evaluated": None}

PURPOSE_TEXT = {
    "new_resources": "Kommunen hadde {frame} kroner til nye tiltak og økte behov.",
    "reduced_resources": "Kommunen måtte redusere driften. Rammen for tiltak var {frame} kroner.",
    "reallocated_resources": "Kommunen flyttet ressurser mellom tjenestene. Rammen for tiltak var {frame} kroner.",
}


def _round(year: int, status: str, purpose: str, criteria_id: str, previous: str | None,
           budget_frame: int, count: int, rng: random.Random) -> dict:
    current = CURRENT_MILESTONE[status]
    milestones = []
    for i, (title, start, end, description, deadline) in enumerate(MILESTONES):
        day = date(year + start[0], start[1], start[2])
        if i == 6:
            day = date(year - 1, 12, 8 + rng.randint(0, 8))
        ms: dict[str, Any] = {"title": title, "date": day.isoformat(),
                              "end_date": date(year + end[0], end[1], end[2]).isoformat() if end else None,
                              "status": ("done" if current is None or i < current
                                         else "current" if i == current else "upcoming"),
                              "description": description, "input_deadline": True if deadline else None}
        if i == 2:
            ms["links"] = [{"title": "Slik gir du innspill", "url": f"{WEB}/innspill/{year}"}]
        milestones.append(ms)
    decided = status != "consultation"
    meeting = milestones[6]["date"]
    summary = (f"Budsjettrunden for {year}. " + PURPOSE_TEXT[purpose].format(frame=_nok(budget_frame)) +
               f" Tjenestene meldte inn {count} tiltak, som er vurdert etter de samme kriteriene.")
    if not decided:
        summary += ("\n\nForslagene er ute på høring. Du kan gi innspill fram til fristen i tidsplanen "
                    "nedenfor.")
    return {
        "id": f"budsjett-{year}",
        "year": year,
        "title": f"Budsjett {year}",
        "purpose": purpose,
        "criteria": criteria_id,
        "budget_frame": budget_frame,
        "status": status,
        "summary": summary,
        "previous": previous,
        "milestones": milestones,
        "decision": ({"body": "Kommunestyret", "meeting_date": meeting,
                      "case_number": f"{year - 1}/{rng.randint(100, 2999)}",
                      "minutes_url": f"{WEB}/politikk/kommunestyret/{meeting}"} if decided else None),
    }


def _pages(rounds: int, measures: int, first_year: int) -> dict[str, str]:
    return {
        "content/index.md": (
            "---\n"
            f"title: Prioriteringer i {MUNICIPALITY}\n"
            "description: Hvordan kommunen prioriterer tiltak i budsjettet, og hvorfor.\n"
            "---\n\n"
            f"{MUNICIPALITY} har ikke penger til alt. Hvert år må vi velge hvilke tiltak som skal få penger, "
            "og hvilke som må vente. Her kan du se hva som ble valgt, hva som ble valgt bort, og hvorfor.\n\n"
            f"Portalen viser {measures} tiltak fra {rounds} budsjettrunder siden {first_year}. "
            "Alle tiltak er vurdert etter de samme kriteriene: alvorlighet, nytte og ressursbruk.\n\n"
            "Dette er et demonstrasjonsnettsted med oppdiktede tall og tekster.\n"),
        "content/slik-prioriterer-vi.md": (
            "---\n"
            "title: Slik prioriterer vi\n"
            "order: 20\n"
            "description: Prosessen fra behov til vedtak og oppfølging.\n"
            "---\n\n"
            "Arbeidet følger årshjulet for plan og budsjett.\n\n"
            "## Forberede og planlegge\n\n"
            "Tjenestene beskriver situasjonen og behovene. Kriteriene og tidsplanen publiseres før arbeidet "
            "starter, og vi holder innspillsmøter med brukere, pårørende, ansatte og de tre lovpålagte rådene: "
            "eldrerådet, rådet for personer med funksjonsnedsettelse og ungdomsrådet.\n\n"
            "## Gjennomføre\n\n"
            "Hvert tiltak vurderes etter alvorlighet, nytte og ressursbruk. Vurderingene veies sammen, og "
            "tiltakene rangeres fra 1 (høyest prioritet) til 10. Kommunestyret vedtar budsjettet.\n\n"
            "## Evaluere og følge opp\n\n"
            "Vi måler om tiltakene virker. Hvert år vurderer vi om et tiltak skal videreføres, justeres "
            "eller avsluttes, og resultatene tas med inn i neste budsjettrunde.\n"),
        "content/om-portalen.md": (
            "---\n"
            "title: Om portalen\n"
            "order: 90\n"
            "description: Hvem som står bak portalen, og hvordan du kontakter oss.\n"
            "---\n\n"
            "Portalen er laget for at alle skal kunne se grunnlaget for kommunens prioriteringer. "
            "Den inneholder ingen personopplysninger.\n\n"
            "Har du spørsmål eller innspill? Skriv til [postmottak@demovik.example](mailto:postmottak@demovik.example).\n"),
    }


def _mkdocs_yml() -> str:
    templates = BUNDLED_THEME
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - a YAML double-quoted string
    return (
        f"{MARKER}\n"
        "# Invented municipality, numbers and texts; rewritten on every run.\n"
        f"site_name: {q('Prioriteringer i ' + MUNICIPALITY)}\n"
        f"site_url: {q(SITE_URL)}\n"
        f"site_description: {q('Hvordan ' + MUNICIPALITY + ' prioriterer tiltak i budsjettet, og hvorfor.')}\n"
        "docs_dir: content\n"
        "theme:\n"
        "  name: null\n"
        f"  custom_dir: {q(templates.as_posix())}\n"
        "plugins:\n"
        "  - prioportal:\n"
        "      language: nb\n"
        f"      municipality: {q(MUNICIPALITY)}\n"
        "      decisions_dir: decisions\n"
        "      currency: NOK\n"
        f"      contact_email: {q('postmottak@demovik.example')}\n"
        f"      contact_phone: {q('+47 12 34 56 78')}\n"
        f"      input_url: {q(WEB + '/innspill')}\n"
        "      accessibility:\n"
        f"        last_tested: {q(f'{LAST_YEAR}-01-15')}\n"
        "watch:\n"
        "  - decisions\n"
    )


# --- Measures -------------------------------------------------------------------------------


@dataclass
class _Made:
    """What a later round needs to know about a measure: to bring it back with `previous`."""
    id: str
    area: int
    topic: int
    place: str
    title: str
    outcome: str | None


def _plan(measures: int) -> list[int]:
    rounds = min(MAX_ROUNDS, max(2, math.ceil(measures / MAX_PER_ROUND)))
    return [measures // rounds + (1 if k < measures % rounds else 0) for k in range(rounds)]


def _statuses(rounds: int) -> list[str]:
    newest = ["consultation", "decided", "follow_up"] if rounds >= 3 else ["decided"]
    older = ["evaluated"] * (rounds - len(newest))
    return older + list(reversed(newest))


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.rationing_turn = 0
        self.slugs: dict[str, str] = {}

    def _title(self, area: Area, topic: int, place: str) -> str:
        base = area.measures[topic][0]
        return f"{base} – {place}" if place else base

    def _id(self, title: str, year: int, seq: int) -> str:
        base = self.slugs.get(title)
        if base is None:
            base = _slug(title)
            if len(base) > 60:
                base = base[:60].rsplit("-", 1)[0]
            self.slugs[title] = base
        return f"{base}-{year}-{seq:04d}"

    def measure(self, year: int, round_id: str, status: str, criteria_ids: list[str], seq: int,
                forced: tuple[int, str] | None, earlier: _Made | None) -> tuple[dict, _Made, int]:
        rng = self.rng
        if earlier is not None:
            a, topic, place = earlier.area, earlier.topic, earlier.place
        else:
            a = rng.randrange(len(AREAS))
            topic = rng.randrange(len(AREAS[a].measures))
            place = ""
            if AREAS[a].local and rng.random() < 0.7:
                place = rng.choice(DISTRICTS)
            elif rng.random() < 0.15:
                place = f"pilot i {rng.choice(DISTRICTS)}"
        area = AREAS[a]
        title = self._title(area, topic, place)
        _, action, effect = area.measures[topic]
        district = place.removeprefix("pilot i ") if place else rng.choice(DISTRICTS)
        problem = rng.choice(area.problems)
        decided = status != "consultation"

        # rank and outcome
        if forced is not None:
            rank, kind = forced
        else:
            rank = rng.randint(1, 10)
            kind = rng.choices(KINDS, KIND_WEIGHTS[0 if rank <= 3 else 1 if rank <= 6 else 2])[0] if decided else None
            if earlier is not None and earlier.outcome == "funded" and decided and rng.random() < 0.3:
                kind = "discontinued"
        if not decided:
            kind = None

        # type
        if kind == "efficiency":
            mtype = "efficiency"
        elif kind == "discontinued":
            mtype = "saving"
        elif kind == "rationed":
            mtype = rng.choice(("rationing", "rationing", "new_need", ["efficiency", "rationing"]))
        else:
            builds = area.sector == T or area.name in ("Sykehjem", "Idrett og friluftsliv")
            mtype = rng.choice(("new_need", "new_need", "ambition_increase", "investment" if builds else "new_need",
                                "ambition_increase"))

        # costs
        fte = rng.choice((0.5, 1.0, 1.0, 1.5, 2.0, 2.0, 3.0, 4.0))
        salary = _kr(fte * rng.randint(700_000, 820_000))
        start_month = rng.randint(1, 9)
        first_share = (13 - start_month) / 12
        costs: list[dict] = []
        if kind == "discontinued":
            saving = -salary
            costs.append({"description": "Innsparing når tilbudet legges ned", "kind": "recurring",
                          "year_1": _kr(saving * first_share), "year_2": saving, "year_3": saving,
                          "years_4_10": saving})
        else:
            if mtype == "investment" or rng.random() < 0.35:
                big = mtype == "investment"
                one_off = _kr(rng.randint(2_000_000, 12_000_000) if big else rng.randint(80_000, 900_000))
                costs.append({"description": "Bygging og prosjektering" if big else "Utstyr og oppstart",
                              "kind": "one_off", "year_1": one_off,
                              "year_2": _kr(one_off * rng.uniform(0.2, 0.9)) if big and rng.random() < 0.5 else 0})
            if mtype != "investment" or rng.random() < 0.5:
                fte_text = f"{fte:g}".replace(".", ",")
                costs.append({"description": f"Lønn til {fte_text} årsverk", "kind": "recurring",
                              "year_1": _kr(salary * first_share), "year_2": salary, "year_3": salary,
                              "years_4_10": salary})
            if kind == "efficiency" or mtype == "efficiency":
                gain = -_kr(salary * rng.uniform(0.3, 1.2))
                costs.append({"description": "Lavere driftskostnader", "kind": "recurring",
                              "year_1": 0, "year_2": gain, "year_3": gain, "years_4_10": gain})
            for line in costs:  # leave out zero years, as communicators do
                for key in ("year_2", "year_3", "years_4_10"):
                    if line.get(key) == 0:
                        del line[key]
        cost_1 = sum(line.get("year_1", 0) for line in costs)

        # knowledge base
        sources = []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            pick = rng.randrange(5)
            y = year - 1 - rng.randint(0, 2)
            if pick == 0:
                sources.append({"title": f"KOSTRA {y}: {area.name}", "url": "https://www.ssb.no/offentlig-sektor/kostra",
                                "quality": "high", "note": "Viser nivået i kommunen sammenlignet med lignende kommuner."})
            elif pick == 1:
                sources.append({"title": f"Brukerundersøkelse i {area.the} {y}",
                                "url": f"{WEB}/dokumenter/brukerundersokelse-{_slug(area.name)}-{y}",
                                "quality": "moderate", "note": f"{_cap(rng.choice(area.problems))} trekkes fram av mange."})
            elif pick == 2:
                sources.append({"title": f"Innspill fra ansatte i {area.the}", "quality": "low",
                                "note": "Beskriver erfaringer fra det daglige arbeidet."})
            elif pick == 3:
                sources.append({"title": f"Nasjonal veileder for {area.name.lower()}", "quality": "high"})
            else:
                sources.append({"title": f"Evaluering av et lignende tiltak i en nabokommune, {y}",
                                "quality": "moderate", "note": f"Tiltaket ga {effect}."})
        qualities = {s["quality"] for s in sources}
        evidence = 0 if "high" in qualities else 1 if "moderate" in qualities else 2

        # assessments
        severity = max(0, min(3, int((rank - 1) / 10 * 4 + rng.uniform(-0.9, 0.9))))
        benefit = max(0, min(4, int((rank - 1) / 10 * 5 + rng.uniform(-0.9, 0.9))))
        yearly = max(cost_1, max((line.get("years_4_10", 0) for line in costs), default=0))
        resource = 0 if yearly > 5_000_000 else 1 if yearly > 2_000_000 else 2 if yearly > 500_000 else 3
        levels = {"alvorlighet": severity, "nytte": benefit, "ressursbruk": resource, "kunnskapsgrunnlag": evidence}
        slots = {"problem": problem, "Problem": _cap(problem), "law": area.law, "people": area.people,
                 "group": area.group, "effect": effect, "cost": _nok(max(cost_1, 0))}
        assessments = {}
        for cid in criteria_ids:
            lvl = levels[cid]
            if cid == "ressursbruk" and cost_1 < 0:
                text = f"Tiltaket sparer {_nok(-cost_1)} kroner det første året, og mer de neste årene."
            else:
                text = rng.choice(JUSTIFICATIONS[cid][lvl]).format(**slots)
            assessments[cid] = {"level": SCALES[cid][lvl][0], "justification": text}

        # outcome
        outcome = None
        granted_total = 0
        if kind is not None:
            granted = None
            if kind == "funded":
                granted = cost_1 if rng.random() < 0.3 else None
                granted_total = cost_1
            elif kind in ("partly_funded", "rationed"):
                granted = max(0, _kr(cost_1 * rng.uniform(0.4, 0.85)))
                granted_total = granted
            elif kind == "efficiency":
                granted = max(cost_1, 0)
                granted_total = granted
            elif kind in ("deprioritised", "postponed") and rng.random() < 0.3:
                granted = 0
            rtype = None
            if kind == "rationed":
                rtype = ("structure", "process", "result")[self.rationing_turn % 3]
                self.rationing_turn += 1
            outcome = {"decision": kind, "rationing_type": rtype, "granted": granted,
                       "rationale": self._rationale(kind, rank, rtype, year, assessments, criteria_ids),
                       "consequences": None if kind == "funded" else self._consequences(kind, area, problem, year)}

        # inputs
        inputs = []
        n_inputs = rng.choice((0, 1, 1, 2, 3))
        forced_source = ("elderly_council", "disability_council", "youth_council")[seq % 3] if seq <= 3 else None
        for j in range(max(n_inputs, 1 if forced_source else 0)):
            source = forced_source if j == 0 and forced_source else rng.choice(INPUT_SOURCES)
            name = rng.choice(INPUT_NAMES[source]).format(the=area.the, district=district,
                                                         sector_lower=area.sector.lower())
            received = date(year - 1, 8, 20) + timedelta(days=rng.randint(0, 55))
            inputs.append({"source": source, "name": name, "date": received.isoformat(),
                           "summary": rng.choice(INPUT_SAYS).format(name=name, problem=problem, district=district,
                                                                    group=area.group),
                           "consideration": rng.choice(INPUT_CONSIDERED)})

        follow_up = self._follow_up(area, kind, status, year, rng) if (
            (kind in ("funded", "partly_funded", "rationed", "efficiency")) or (kind is None and rng.random() < 0.5)
        ) else {}

        # texts
        where = f" i {district}" if place else ""
        people = rng.randint(12, 400)
        current = [rng.choice((f"Tjenesten melder om {problem}.",
                               f"En kartlegging fra {year - 2} viser {problem}.",
                               f"Innspill fra brukere og ansatte peker på {problem}.",
                               f"Tall fra KOSTRA for {year - 2} bekrefter {problem}.")),
                   f"Om lag {people} {area.people} er berørt."]
        goal = (f"Kommuneplanen har som mål {area.goal}. Tjenesten skal oppfylle kravene i {area.law}.")
        if kind == "discontinued":  # an existing service is stopped: the texts say so
            summary = _plain_summary_of(
                (f"{title} blir lagt ned. Det ble lite brukt, og pengene trengs mer til andre tiltak.",
                 f"{title} blir lagt ned. Det ble lite brukt."))
            current.append(f"Tilbudet har hatt lite bruk siden det startet i {year - rng.randint(2, 6)}.")
            description = ["Forslaget er å legge ned tilbudet.", f"Det ble startet for å {action}{where}.",
                           "Pengene brukes i stedet på tiltak med større nytte."]
            alternative = "Alternativet er å fortsette tilbudet som i dag."
        else:
            summary = _plain_summary(action, where, effect, SUMMARY_END[kind])
            if rng.random() < 0.6:
                current.append(f"Behovet har økt med {rng.randint(5, 40)} prosent siden {year - rng.randint(3, 6)}.")
            if rng.random() < 0.5:
                current.append(f"Uten tiltak ventes situasjonen å bli verre fordi {rng.choice(CAUSES)}.")
            description = [f"Tiltaket går ut på å {action}{where}."]
            if rng.random() < 0.5:
                description.append(f"Oppstart er planlagt i {MONTHS[start_month - 1]} {year}.")
            description.append(f"Forventet effekt er {effect}.")
            if mtype == "investment":
                description.append("Investeringen gir lavere driftskostnader på lengre sikt.")
            alternative = rng.choice(ALTERNATIVES)

        data = {
            "id": self._id(title, year, seq),
            "round": round_id,
            "title": title,
            "summary": summary,
            "sector": area.sector,
            "service_area": area.name,
            "target_area": TARGET_AREAS[area.target] if rng.random() < 0.85 else TARGET_AREAS[rng.randrange(3)],
            "type": mtype,
            "situation": {"current_state": " ".join(current), "goal": goal},
            "proposal": {"description": " ".join(description), "alternative": alternative},
            "assessments": assessments,
            "knowledge_base": sources,
            "costs": costs,
            "rank": rank,
            "outcome": outcome,
            "inputs": inputs,
            "follow_up": follow_up,
            "previous": earlier.id if earlier is not None else None,
        }
        made = _Made(data["id"], a, topic, place, title, kind)
        return data, made, granted_total

    def _rationale(self, kind: str, rank: int, rtype: str | None, year: int, assessments: dict,
                   criteria_ids: list[str]) -> str | None:
        rng = self.rng
        if kind == "funded":
            if rng.random() < 0.4:
                return None
            text = (f"Tiltaket fikk rang {rank} og ligger over streken for hva rammen dekker. Kommunestyret la vekt på "
                    + rng.choice(("at situasjonen er alvorlig for dem som er berørt.",
                                  "den store nytten sett opp mot kostnaden.",
                                  "at kommunen ellers ikke oppfyller lovkravet.",
                                  "innspillene fra rådene.")))
        elif kind == "partly_funded":
            text = ("Tiltaket har høy prioritet, men rammen rakk bare til en del av kostnaden. Det settes i gang "
                    f"i mindre skala, og en utvidelse vurderes i økonomiplanen for {year + 1}.")
        elif kind == "rationed":
            text = ("Behovet er reelt, men rammen dekker ikke et fullt tilbud. Tilbudet blir derfor "
                    f"{RATIONING[rtype]}.")
        elif kind == "efficiency":
            text = ("Tiltaket gir mer igjen for pengene ved å endre arbeidsmåten. Det skal ikke gi et dårligere "
                    "tilbud til brukerne.")
        elif kind == "deprioritised":
            text = (f"Tiltaket fikk rang {rank}. Sammenlignet med tiltakene som er rangert høyere, er "
                    + rng.choice(("alvorligheten lavere.", "nytten mer usikker.", "kostnaden høy i forhold til nytten."))
                    + "\n\nVi har vurdert om det er rimelig å bruke pengene på dette når andre behov da ikke blir "
                      "dekket, og kom fram til at andre tiltak må gå foran.")
        elif kind == "postponed":
            text = ("Tiltaket er viktig, men planleggingen er ikke kommet langt nok. Det vurderes på nytt i "
                    f"budsjettet for {year + 1}.")
        else:  # discontinued
            text = ("Tilbudet har hatt lite bruk, og pengene gir mer nytte i andre tiltak. De som bruker tilbudet i "
                    "dag, får hjelp til å finne et annet tilbud.")
        if rng.random() < 0.5:
            lines = [f"- {SCALES_NAME[cid]}: {_label(cid, assessments[cid]['level'])}" for cid in criteria_ids]
            text += "\n\nDette ble veid sammen:\n\n" + "\n".join(lines)
        return text

    def _consequences(self, kind: str, area: Area, problem: str, year: int) -> dict:
        rng = self.rng
        description = {
            "partly_funded": f"Tilbudet blir mindre enn foreslått, så {problem} blir bare delvis løst.",
            "rationed": "Noen får mindre hjelp eller må vente lenger enn de ville gjort med et fullt tilbud.",
            "efficiency": "Brukerne møter en ny måte å få tjenesten på. Ansatte får nye oppgaver.",
            "deprioritised": f"Dagens tilbud fortsetter, men {problem} blir ikke løst i {year}.",
            "postponed": f"Dagens tilbud fortsetter til tiltaket er vurdert på nytt i {year + 1}.",
            "discontinued": "De som bruker tilbudet i dag, må bruke andre tilbud.",
        }[kind]
        return {"affected": _cap(area.group), "description": description,
                "mitigation": rng.choice(MITIGATIONS) if rng.random() < 0.7 else None}

    def _follow_up(self, area: Area, kind: str | None, status: str, year: int, rng: random.Random) -> dict:
        count = 1 if len(area.indicators) == 1 or rng.random() < 0.6 else 2
        chosen = rng.sample(area.indicators, count)
        indicators, results = [], []
        evaluation = None
        share_total = 0.0
        for ident, name, unit, low, high, better in chosen:
            baseline = rng.uniform(low, high)
            change = rng.uniform(0.15, 0.4) * baseline
            target = baseline + better * change
            integer = unit == "antall" or low >= 100
            fmt = (lambda v: int(round(v))) if integer else (lambda v: round(v, 1) if low >= 1 else round(v, 2))
            due = date(year, 12, 31) if rng.random() < 0.6 else date(year + 1, 6, 30)
            indicators.append({"id": ident, "name": name, "unit": unit, "baseline": fmt(baseline),
                               "target": fmt(target), "due": due.isoformat(), "responsible": area.responsible})
            if status in ("follow_up", "evaluated"):
                periods = [f"1. halvår {year}"] + ([str(year)] if status == "evaluated" else [])
                reached = 0.0
                for k, period in enumerate(periods):
                    reached = rng.uniform(-0.2, 0.7) + 0.3 * k if k else rng.uniform(-0.2, 0.6)
                    value = baseline + better * change * reached
                    comment = None
                    if rng.random() < 0.4:
                        comment = ("Målet er nådd." if reached >= 1 else
                                   "Utviklingen går i riktig retning, men målet er ikke nådd." if reached > 0.2 else
                                   "Ingen tydelig endring ennå.")
                    results.append({"indicator": ident, "period": period, "value": fmt(value), "comment": comment})
                share_total += reached
        if status == "evaluated" and kind is not None:
            reached = share_total / len(chosen)
            decision = "continue" if reached >= 0.6 else "correct" if reached >= 0.1 else "stop"
            evaluation = {"decision": decision, "date": (date(year + 1, 3, 1) + timedelta(days=rng.randint(0, 40))).isoformat(),
                          "reason": EVALUATION_REASONS[decision]}
        return {"indicators": indicators, "results": results, "evaluation": evaluation}


SCALES_NAME = {"alvorlighet": "Alvorlighet", "nytte": "Nytte", "ressursbruk": "Ressursbruk",
               "kunnskapsgrunnlag": "Kunnskapsgrunnlag"}
_LABELS = {(cid, lvl): label for cid, levels in SCALES.items() for lvl, label, _ in levels}


def _label(cid: str, level: str) -> str:
    return _LABELS[(cid, level)].lower()


# --- The portal -----------------------------------------------------------------------------


def iter_documents(measures: int, seed: int = 1) -> Iterator[tuple[str, Any]]:
    """Every file of a demo portal as (path relative to the portal, data or text).

    Decision files come as dicts (what the YAML says), pages and mkdocs.yml as text. The
    benchmark uses this to write an equivalent corpus for other generators.
    """
    if not isinstance(measures, int) or measures < 1:
        raise UsageError("the number of measures must be a whole number of at least 1")
    if measures > MAX_MEASURES:
        raise UsageError(f"a demo portal can have at most {MAX_MEASURES} measures")
    writer = _Writer(seed)
    rng = writer.rng
    counts = _plan(measures)
    rounds = len(counts)
    years = [LAST_YEAR - rounds + 1 + k for k in range(rounds)]
    statuses = _statuses(rounds)
    switch = max(1, rounds // 2)  # rounds from this index use criteria version 2
    v1 = _criteria_set(1, date(years[0] - 1, 1, 1), None)
    v2 = _criteria_set(2, date(years[switch] - 1, 1, 1), v1["id"])
    yield f"decisions/criteria/{v1['id']}.yml", v1
    yield f"decisions/criteria/{v2['id']}.yml", v2

    previous_made: list[_Made] = []
    earlier_models: dict[str, Measure] = {}
    for k, (year, status, count) in enumerate(zip(years, statuses, counts)):
        cs = v2 if k >= switch else v1
        criteria_ids = [c["id"] for c in cs["criteria"]]
        round_id = f"budsjett-{year}"
        decided = status != "consultation"
        # about one measure in eight returns from the round before (postponed, not funded, or to stop)
        returning = [x for x in previous_made if x.outcome in ("postponed", "deprioritised", "partly_funded", "funded")]
        rng.shuffle(returning)
        returning = returning[: count // 8]
        made: list[_Made] = []
        granted_sum = 0
        documents = []
        for i in range(count):
            forced = FORCED[i] if decided and i < len(FORCED) else None
            earlier = returning[i - len(FORCED)] if len(FORCED) <= i < len(FORCED) + len(returning) else None
            data, one, granted = writer.measure(year, round_id, status, criteria_ids, i + 1, forced, earlier)
            granted_sum += granted
            made.append(one)
            documents.append(data)
        earlier_models = _explain_review_flags(round_id, documents, cs, earlier_models)
        for data in documents:
            yield f"decisions/measures/{year}/{data['id']}.yml", data
        frame = max(1_000_000, math.ceil(granted_sum * 1.02 / 500_000) * 500_000)
        if not decided:
            frame = max(1_000_000, math.ceil(granted_sum * 0.6 / 500_000) * 500_000)
        purpose = ("new_resources", "new_resources", "reduced_resources", "reallocated_resources")[rng.randrange(4)]
        yield (f"decisions/rounds/{round_id}.yml",
               _round(year, status, purpose, cs["id"], f"budsjett-{years[k - 1]}" if k else None, frame, count, rng))
        previous_made = made
    yield from _pages(rounds, measures, years[0]).items()
    yield "mkdocs.yml", _mkdocs_yml()


_REVIEW_NOTES = {
    "dominated": "Kommunestyret la vekt på samlet vurdering, tidspunkt og hva som var mulig å gjennomføre i år.",
    "treated_differently": "Sektorene har ulike lovkrav og ulik kapasitet, og det ble vektlagt i den samlede vurderingen.",
    "assessment_changed": "Situasjonen er endret siden forrige runde, og vurderingen er oppdatert etter nye tall.",
}


def _explain_review_flags(round_id: str, documents: list[dict], criteria: dict,
                          earlier: dict[str, Measure]) -> dict[str, Measure]:
    """Give every measure the consistency review flags a written reason, as a council would,
    so the demo portal validates without warnings. Returns this round's measures by id."""
    models = [Measure.model_validate(d) for d in documents]
    flags = review_round(round_id, models, CriteriaSet.model_validate(criteria), earlier | {x.id: x for x in models})
    by_id = {d["id"]: d for d in documents}
    for flag in flags:
        by_id[flag.measure].setdefault("review_notes", {})[flag.kind.value] = _REVIEW_NOTES[flag.kind.value]
    return {d["id"]: Measure.model_validate(d) for d in documents}


def _prepare(out: Path) -> None:
    """Make `out` ready: new, empty, or an earlier demo portal (whose decisions and pages are replaced)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        config = out / "mkdocs.yml"
        try:
            first = config.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            first = ""
        if first != MARKER:
            raise UsageError(f"{out} is not empty and was not written by 'prioportal demo'; "
                             "choose a new or empty folder")
        for name in ("decisions", "content"):
            if (out / name).is_dir():
                shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)


def write_demo_portal(out: Path, measures: int, seed: int = 1) -> Path:
    """Write a complete, valid demo portal with `measures` measures into `out`; return the folder.

    The same (measures, seed) always gives byte-identical files. An earlier demo portal in
    `out` is replaced (its site/ folder is left alone); any other non-empty folder is refused.
    """
    out = Path(out)
    documents = iter_documents(measures, seed)  # checks the arguments before anything is touched
    first = next(documents)
    _prepare(out)
    made_dirs: set[Path] = set()
    for rel, data in _chain(first, documents):
        path = out / rel
        parent = path.parent
        if parent not in made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(parent)
        text = data if isinstance(data, str) else to_yaml(data)
        path.write_bytes(text.encode("utf-8"))
    return out


def _chain(first: Any, rest: Iterator) -> Iterator:
    yield first
    yield from rest
