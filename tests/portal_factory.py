"""A small but complete, valid portal, written into a temporary folder for tests.

The files are kept here as literal text so that a test can patch one line and know exactly
on which line and column the problem must be reported. Nothing here imports the code under
test except `load_problems`/`load`, which call `prioportal.checks.portal.load_portal`.

    root = write_portal(tmp_path)                                  # the valid portal
    root = write_portal(tmp_path, {MEASURE_FUNDED: None})          # without one file
    root = write_portal(tmp_path, {"decisions/rounds/x.yml": "..."})  # replace/add a file
    text = patch_file(root, MEASURE_FUNDED, "rank: 1\n", "rank: 11\n")  # edit one line

Overrides may be `str` (written as UTF-8), `bytes` (written as is, for encoding tests) or
`None` (the file is left out).
"""

from __future__ import annotations

import re

from pathlib import Path

# --- Relative paths of the files ---------------------------------------------------------

MKDOCS = "mkdocs.yml"
CRITERIA_V1 = "decisions/criteria/kriterier-2025.yml"
CRITERIA_V2 = "decisions/criteria/kriterier-2026.yml"
ROUND_2025 = "decisions/rounds/budsjett-2025.yml"
ROUND_2026 = "decisions/rounds/budsjett-2026.yml"
MEASURE_FUNDED = "decisions/measures/budsjett-2025/styrket-hjemmetjeneste-2025.yml"
MEASURE_RATIONED = "decisions/measures/budsjett-2025/praktisk-bistand-2025.yml"
MEASURE_DEPRIORITISED = "decisions/measures/budsjett-2025/kveldsapent-bibliotek-2025.yml"
MEASURE_FOLLOW_ON = "decisions/measures/budsjett-2026/styrket-hjemmetjeneste-2026.yml"
MEASURE_INVESTMENT = "decisions/measures/budsjett-2026/gang-og-sykkelvei-2026.yml"
PAGE_INDEX = "content/index.md"
PAGE_HOW = "content/slik-prioriterer-vi.md"

MKDOCS_TEXT = """\
site_name: Prioriteringer i Testvik kommune
site_url: https://prioriteringer.testvik.kommune.no/
site_description: Hvordan Testvik kommune prioriterer tiltak i budsjettet, og hvorfor.
docs_dir: content
theme:
  name: null
  custom_dir: site_templates
plugins:
  - prioportal:
      language: nb
      municipality: Testvik kommune
      decisions_dir: decisions
      currency: NOK
      contact_email: postmottak@testvik.kommune.no
      contact_phone: "+47 12 34 56 78"
      input_url: https://testvik.kommune.no/innspill
watch:
  - decisions
"""

# Version 1: alvorlighet, nytte, ressurs.
CRITERIA_V1_TEXT = """\
# Kriteriene kommunestyret vedtok for budsjettet 2025.
id: kriterier-2025
title: Kriterier for prioritering 2025
version: 1
valid_from: 2024-09-01
introduction: |
  Kommunestyret har vedtatt tre kriterier som alle tiltak vurderes etter.
principles:
  - id: likhet
    name: Likhet
    description: Alle har samme mulighet til å få informasjon og si sin mening.
  - id: upartiskhet
    name: Upartiskhet
    description: Ingen enkeltpart har urimelig stor innflytelse på beslutningene.
criteria:
  - id: alvorlighet
    name: Alvorlighet
    question: Hvor alvorlig er situasjonen?
    description: Hvor langt situasjonen er fra den best tenkelige, nå og på sikt.
    scale:
      - id: svaert-stor
        label: Svært stor
        description: Liv og helse står på spill.
      - id: stor
        label: Stor
        description: Situasjonen er klart under målet.
      - id: moderat
        label: Moderat
        description: Situasjonen er noe under målet.
      - id: liten
        label: Liten
        description: Situasjonen er nær målet.
  - id: nytte
    name: Nytte
    question: Hvor mye hjelper tiltaket?
    description: Hvor langt tiltaket flytter situasjonen mot den best tenkelige.
    scale:
      - id: svaert-stor
        label: Svært stor
        description: Tiltaket løser problemet.
      - id: stor
        label: Stor
        description: Tiltaket gir en klar forbedring.
      - id: moderat
        label: Moderat
        description: Tiltaket gir noe forbedring.
      - id: liten
        label: Liten
        description: Tiltaket gir liten forbedring.
      - id: ingen
        label: Ingen
        description: Tiltaket gir ingen forbedring.
  - id: ressurs
    name: Ressurs
    question: Hvor mye ressurser krever tiltaket?
    description: Penger, ansatte og lokaler tiltaket trenger.
    scale:
      - id: lav
        label: Lav
        description: Tiltaket krever lite.
      - id: moderat
        label: Moderat
        description: Tiltaket krever en del.
      - id: hoey
        label: Høy
        description: Tiltaket krever mye.
rank_scale:
  highest: 1
  lowest: 10
  description: Rang 1 er høyest prioritet og rang 10 lavest.
  bands:
    - ranks: [1, 3]
      meaning: Prioriteres først.
    - ranks: [4, 10]
      meaning: Prioriteres hvis det er penger igjen.
outcomes:
  - kind: funded
    label: Prioritert
    description: Tiltaket får de pengene det trenger.
  - kind: partly_funded
    label: Delvis prioritert
    description: Tiltaket får en del av pengene.
  - kind: rationed
    label: Rasjonert
    description: Tjenesten gis med mindre ressurser og mindre resultat.
  - kind: deprioritised
    label: Ikke prioritert
    description: Tiltaket får ikke penger i år.
"""

# Version 2: ressurs replaced by kostnadseffektivitet.
CRITERIA_V2_TEXT = """\
# Kriteriene kommunestyret vedtok for budsjettet 2026.
id: kriterier-2026
title: Kriterier for prioritering 2026
version: 2
valid_from: 2025-09-01
previous: kriterier-2025
change_note: Ressurs er erstattet av kostnadseffektivitet, som veier nytte mot kostnad.
principles:
  - id: likhet
    name: Likhet
    description: Alle har samme mulighet til å få informasjon og si sin mening.
criteria:
  - id: alvorlighet
    name: Alvorlighet
    question: Hvor alvorlig er situasjonen?
    description: Hvor langt situasjonen er fra den best tenkelige, nå og på sikt.
    scale:
      - id: svaert-stor
        label: Svært stor
        description: Liv og helse står på spill.
      - id: stor
        label: Stor
        description: Situasjonen er klart under målet.
      - id: moderat
        label: Moderat
        description: Situasjonen er noe under målet.
      - id: liten
        label: Liten
        description: Situasjonen er nær målet.
  - id: nytte
    name: Nytte
    question: Hvor mye hjelper tiltaket?
    description: Hvor langt tiltaket flytter situasjonen mot den best tenkelige.
    scale:
      - id: stor
        label: Stor
        description: Tiltaket gir en klar forbedring.
      - id: moderat
        label: Moderat
        description: Tiltaket gir noe forbedring.
      - id: liten
        label: Liten
        description: Tiltaket gir liten forbedring.
  - id: kostnadseffektivitet
    name: Kostnadseffektivitet
    question: Står nytten i et rimelig forhold til kostnaden?
    description: Nytten tiltaket gir sett opp mot hva det koster.
    scale:
      - id: hoey
        label: Høy
        description: Mye nytte for pengene.
      - id: moderat
        label: Moderat
        description: Rimelig nytte for pengene.
      - id: lav
        label: Lav
        description: Lite nytte for pengene.
rank_scale:
  description: Rang 1 er høyest prioritet og rang 10 lavest.
outcomes:
  - kind: funded
    label: Prioritert
    description: Tiltaket får de pengene det trenger.
  - kind: efficiency
    label: Effektivisering
    description: Samme eller mindre ressurser gir mer verdi.
  - kind: deprioritised
    label: Ikke prioritert
    description: Tiltaket får ikke penger i år.
  - kind: postponed
    label: Utsatt
    description: Tiltaket vurderes på nytt neste år.
"""

ROUND_2025_TEXT = """\
# Budsjettrunden 2025 er vedtatt og følges opp.
id: budsjett-2025
year: 2025
title: Budsjett 2025
purpose: new_resources
criteria: kriterier-2025
budget_frame: 45 000 000
status: follow_up
summary: |
  Kommunen fordeler nye midler til helse og omsorg.
milestones:
  - title: Innspillsmøte med eldrerådet
    date: 2024-09-15
    status: done
    input_deadline: true
    links:
      - title: Innkalling
        url: https://testvik.kommune.no/innkalling
  - title: Budsjettseminar
    date: 2024-10-20
    end_date: 2024-10-21
    status: done
    description: Politikerne rangerer tiltakene.
decision:
  body: Kommunestyret
  meeting_date: 2024-12-12
  case_number: 2024/1432
  minutes_url: https://testvik.kommune.no/protokoll-2024-12-12
"""

ROUND_2026_TEXT = """\
# Budsjettrunden 2026 er på høring.
id: budsjett-2026
year: 2026
title: Budsjett 2026
purpose: reallocated_resources
criteria: kriterier-2026
budget_frame: 30000000
status: consultation
summary: Kommunen flytter midler mellom tjenestene.
previous: budsjett-2025
milestones:
  - title: Høringsfrist
    date: 2025-10-01
    status: current
    input_deadline: true
"""

MEASURE_FUNDED_TEXT = """\
# Tiltak i budsjettet 2025.
id: styrket-hjemmetjeneste-2025
round: budsjett-2025
title: Styrket hjemmetjeneste
summary: Flere ansatte i hjemmetjenesten, slik at eldre får hjelp når de trenger det.
sector: Helse og omsorg
service_area: Hjemmetjenester
target_area: Innbyggernes helse og trivsel
type: new_need
situation:
  current_state: Ventetiden på hjemmetjeneste er tre uker.
  goal: Ingen skal vente mer enn én uke.
proposal:
  description: Seks nye årsverk i hjemmetjenesten.
  alternative: Dagens bemanning.
assessments:
  alvorlighet:
    level: stor
    justification: Mange eldre klarer seg ikke alene mens de venter.
  nytte:
    level: svaert-stor
    justification: Ventetiden blir kortere for alle.
  ressurs:
    level: hoey
    justification: Seks årsverk koster mye.
knowledge_base:
  - title: Brukerundersøkelse 2024
    url: https://testvik.kommune.no/brukerundersokelse
    quality: moderate
    note: Tre av fire savner raskere hjelp.
costs:
  - description: Seks årsverk
    kind: recurring
    year_1: 1 200 000
    year_2: 3 600 000
    year_3: 3 600 000
    years_4_10: 3600000
rank: 1
outcome:
  decision: funded
  rationale: Høy alvorlighet og stor nytte.
inputs:
  - source: elderly_council
    name: Eldrerådet
    date: 2024-09-15
    summary: Eldrerådet ba om kortere ventetid.
    consideration: Innspillet er tatt med i vurderingen av alvorlighet.
follow_up:
  indicators:
    - id: ventetid-dager
      name: Ventetid på hjemmetjeneste
      unit: dager
      baseline: 21
      target: 7
      due: 2025-12-31
      responsible: Kommunalsjef helse
  results:
    - indicator: ventetid-dager
      period: 1. halvår 2025
      value: 12.5
      comment: Ventetiden har gått ned.
  evaluation:
    decision: continue
    date: 2025-06-30
    reason: Tiltaket virker.
"""

MEASURE_RATIONED_TEXT = """\
# Tiltak i budsjettet 2025.
id: praktisk-bistand-2025
round: budsjett-2025
title: Praktisk bistand
summary: Praktisk bistand gis bare til dem som ikke har andre å spørre.
sector: Helse og omsorg
service_area: Hjemmetjenester
type: rationing
situation:
  current_state: Praktisk bistand gis til alle som søker.
  goal: Hjelpen skal gå til dem som trenger den mest.
proposal:
  description: Strengere tildelingskriterier for praktisk bistand.
  alternative: Dagens tildeling.
assessments:
  alvorlighet:
    level: moderat
    justification: De fleste kan få hjelp fra familie.
  nytte:
    level: moderat
    justification: Frigjør tid til dem som trenger mest hjelp.
  ressurs:
    level: lav
    justification: Tiltaket koster lite.
costs:
  - description: Saksbehandling
    kind: one_off
    year_1: 400 000
rank: 4
outcome:
  decision: rationed
  rationing_type: process
  granted: 400000
  rationale: Tjenesten må prioritere dem med størst behov.
  consequences:
    affected: Søkere med familie i nærheten
    description: De får ikke lenger praktisk bistand.
    mitigation: Frivilligsentralen tilbyr hjelp.
"""

MEASURE_DEPRIORITISED_TEXT = """\
# Tiltak i budsjettet 2025.
id: kveldsapent-bibliotek-2025
round: budsjett-2025
title: Kveldsåpent bibliotek
summary: Biblioteket holder åpent til klokken 21 tre dager i uken.
sector: Kultur
service_area: Bibliotek
type: ambition_increase
situation:
  current_state: Biblioteket stenger klokken 16.
  goal: Biblioteket skal være tilgjengelig for dem som jobber på dagtid.
proposal:
  description: Kveldsåpent tre dager i uken.
  alternative: Dagens åpningstider.
assessments:
  alvorlighet:
    level: liten
    justification: Biblioteket er åpent på lørdager.
  nytte:
    level: moderat
    justification: Flere kan bruke biblioteket.
  ressurs:
    level: moderat
    justification: Krever vakter på kveldstid.
costs:
  - description: Vakter
    kind: recurring
    year_1: 350000
rank: 9
outcome:
  decision: deprioritised
  rationale: Andre tiltak har høyere alvorlighet.
  consequences:
    affected: Innbyggere som jobber på dagtid
    description: De kan fortsatt bruke biblioteket på lørdager.
"""

MEASURE_FOLLOW_ON_TEXT = """\
# Tiltak i budsjettet 2026.
id: styrket-hjemmetjeneste-2026
round: budsjett-2026
previous: styrket-hjemmetjeneste-2025
title: Styrket hjemmetjeneste, videreføring
summary: Hjemmetjenesten beholder de seks nye årsverkene.
sector: Helse og omsorg
service_area: Hjemmetjenester
type: new_need
situation:
  current_state: Ventetiden er tolv dager.
  goal: Ingen skal vente mer enn én uke.
proposal:
  description: Videreføre de seks årsverkene.
  alternative: Gå tilbake til bemanningen fra 2024.
assessments:
  alvorlighet:
    level: stor
    justification: Ventetiden er fortsatt over målet.
  nytte:
    level: stor
    justification: Ventetiden går ned.
  kostnadseffektivitet:
    level: moderat
    justification: Tiltaket koster mye, men virker.
review_notes:
  assessment_changed: Ventetiden er kortere enn i 2025, så nytten av flere årsverk er mindre.
"""

MEASURE_INVESTMENT_TEXT = """\
# Tiltak i budsjettet 2026.
id: gang-og-sykkelvei-2026
round: budsjett-2026
title: Gang- og sykkelvei til skolen
summary: En trygg vei for barn som går og sykler til Nordby skole.
sector: Teknikk og miljø
service_area: Vei
target_area: Samfunnets livskraft
type: investment
situation:
  current_state: Barna går langs fylkesveien.
  goal: Alle barn skal ha en trygg skolevei.
proposal:
  description: Bygge 1,2 km gang- og sykkelvei.
  alternative: Skoleskyss med buss.
assessments:
  alvorlighet:
    level: svaert-stor
    justification: Fylkesveien har mye trafikk og ingen fortau.
  nytte:
    level: stor
    justification: Barna får en trygg skolevei.
  kostnadseffektivitet:
    level: lav
    justification: Veien er dyr å bygge.
knowledge_base:
  - title: Trafikktelling 2024
    quality: high
costs:
  - description: Bygging
    kind: one_off
    year_1: 10 000 000
    year_2: 2 500 000
rank: 3
"""

INDEX_TEXT = """\
---
title: Prioriteringer i Testvik kommune
order: 1
description: Hva kommunen prioriterer, og hvorfor.
---
Her ser du hvilke tiltak kommunen har prioritert.
"""

HOW_TEXT = """\
---
title: Slik prioriterer vi
order: 20
nav: true
---
Alle tiltak vurderes etter de samme kriteriene.
"""

PORTAL_FILES: dict[str, str] = {
    MKDOCS: MKDOCS_TEXT,
    CRITERIA_V1: CRITERIA_V1_TEXT,
    CRITERIA_V2: CRITERIA_V2_TEXT,
    ROUND_2025: ROUND_2025_TEXT,
    ROUND_2026: ROUND_2026_TEXT,
    MEASURE_FUNDED: MEASURE_FUNDED_TEXT,
    MEASURE_RATIONED: MEASURE_RATIONED_TEXT,
    MEASURE_DEPRIORITISED: MEASURE_DEPRIORITISED_TEXT,
    MEASURE_FOLLOW_ON: MEASURE_FOLLOW_ON_TEXT,
    MEASURE_INVESTMENT: MEASURE_INVESTMENT_TEXT,
    PAGE_INDEX: INDEX_TEXT,
    PAGE_HOW: HOW_TEXT,
}

# Folders MkDocs or the loader expect even when they hold no file.
PORTAL_FOLDERS = ("site_templates", "decisions/criteria", "decisions/rounds", "decisions/measures", "content")


def write_portal(root: Path, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the valid portal into `root` (created if needed), with per-file overrides; return `root`."""
    files: dict[str, str | bytes | None] = dict(PORTAL_FILES)
    files.update(overrides or {})
    root.mkdir(parents=True, exist_ok=True)
    for folder in PORTAL_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        if content is None:
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))  # no newline translation on any OS
    return root


def patched(relative: str, old: str, new: str) -> str:
    """The factory text of `relative` with the one occurrence of `old` replaced by `new`."""
    text = PORTAL_FILES[relative]
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {relative}, not once"
    return text.replace(old, new)


def patch_file(root: Path, relative: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old` in an already written file; return the new text."""
    target = root / relative
    text = target.read_bytes().decode("utf-8")
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {relative}, not once"
    text = text.replace(old, new)
    target.write_bytes(text.encode("utf-8"))
    return text


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the single occurrence of `needle` in `text`, plus `offset` characters.

    Computed from the test's own text, independently of the code under test.
    """
    count = text.count(needle)
    assert count == 1, f"{needle!r} occurs {count} times, not once"
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def load(root: Path):
    """The portal in `root`, loaded the way the pipeline does (raises InvalidPortal), with the
    default settings whatever its mkdocs.yml says: Norwegian Bokmål only, LIX limit 40, phone
    numbers counted as personal data."""
    from prioportal.checks.portal import load_portal
    from prioportal.settings import Settings

    return load_portal(Settings(root=root, site_name="Testvik", site_url=None, site_description=None, language="nb",
                                municipality="Testvik kommune", currency="NOK", decisions_dir=root / "decisions",
                                content_dir=root / "content", templates_dir=root / "site_templates"))


def load_problems(root: Path) -> list:
    """Every problem reported for the portal in `root`; fails the test if it loads as valid."""
    from prioportal.problems import InvalidPortal

    try:
        portal = load(root)
    except InvalidPortal as exc:
        return list(exc.problems)
    raise AssertionError(f"the portal loaded as valid (warnings: {list(portal.warnings)})")


def top_field(text: str, name: str) -> str:
    """The value of a top-level field of a decision file, as written."""
    found = re.search(rf"^{name}: (.*)$", text, re.M)
    assert found is not None, name
    return found.group(1)


def with_top_field(text: str, name: str, value: str | None) -> str:
    """The file's text with the top-level field `name` set to `value` (None: removed)."""
    line = f"{name}: {value}\n" if value is not None else ""
    if re.search(rf"^{name}:", text, re.M):
        return re.sub(rf"^{name}: .*\n", line, text, count=1, flags=re.M)
    return text.replace("\ntitle:", f"\n{line}title:", 1)
