"""Everything of a demo portal but its measures: the two versions of the criteria, one budget
round a year with its annual cycle, the narrative pages and mkdocs.yml.
"""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

from prioportal.site.render import BUNDLED_THEME
from prioportal.tools.demo.municipality import MUNICIPALITY, SITE_URL, WEB
from prioportal.tools.demo.phrases import nok

LAST_YEAR = 2026  # the year of the newest round
# The first line of mkdocs.yml: how `portal.write_demo_portal` knows a folder it may write over.
MARKER = "# Synthetic demo portal written by 'prioportal demo'."

# --- Criteria, rounds, pages ----------------------------------------------------------------

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

OUTCOME_TERMS = (
    ("funded", "Fullt finansiert", "Tiltaket får de pengene som trengs, og settes i gang som beskrevet."),
    ("partly_funded", "Delvis finansiert", "Tiltaket får en del av pengene og settes i gang i mindre skala."),
    ("rationed", "Rasjonert",
     "Behovet dekkes bare delvis: med færre ressurser, strengere tildeling eller et lavere mål. "
     "Det kalles rasjonering."),
    ("efficiency", "Effektivisert",
     "Det samme eller et bedre tilbud gis for de samme eller mindre pengene, ved å arbeide på en ny måte."),
    ("deprioritised", "Nedprioritert", "Tiltaket får ikke penger denne gangen fordi andre behov ble vurdert som viktigere."),
    ("discontinued", "Avviklet", "Et tilbud som finnes i dag, blir lagt ned."),
    ("postponed", "Utsatt", "Tiltaket vurderes på nytt i et senere budsjett."),
)


def criteria_set(version: int, valid_from: date, previous: str | None) -> dict:
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


def round_data(year: int, status: str, purpose: str, criteria_id: str, previous: str | None,
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
    summary = (f"Budsjettrunden for {year}. " + PURPOSE_TEXT[purpose].format(frame=nok(budget_frame)) +
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


def pages(rounds: int, measures: int, first_year: int) -> dict[str, str]:
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


def mkdocs_yml() -> str:
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
