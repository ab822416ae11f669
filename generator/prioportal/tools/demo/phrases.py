"""The phrases a demo measure's texts are combined from, in Norwegian bokmål: causes,
alternatives, consequences, the justification of each assessment, input from councils and
residents, evaluations, and the plain-language summary that stays easy to read (LIX).
"""

from __future__ import annotations

from prioportal.text.readability import lix

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


def plain_summary(action: str, where: str, effect: str, end: str) -> str:
    return plain_summary_of((f"Vi vil {action}{where}. Målet er {effect}. {end}",
                            f"Vi vil {action}. Målet er {effect}. {end}",
                            f"Vi vil {action}. {end}"))


def plain_summary_of(candidates: tuple[str, ...]) -> str:
    """The first of a few phrasings, most informative first, that is easy to read."""
    for text in candidates:
        if lix(text) <= SUMMARY_LIX:
            return text
    return min(candidates, key=lix)


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


def nok(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")
