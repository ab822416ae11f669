"""One measure of the demo portal, with everything a real one has: costs, the knowledge base,
an assessment on every criterion, the outcome with its rationale and consequences, input
received, follow-up results and evaluations. Every choice is drawn from one `random.Random`,
in a fixed order, so the same seed gives the same measures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from prioportal.text.slugs import slugify
from prioportal.tools.demo.frame import SCALES
from prioportal.tools.demo.municipality import AREAS, DISTRICTS, TARGET_AREAS, WEB, Area, T
from prioportal.tools.demo.phrases import (ALTERNATIVES, CAUSES, EVALUATION_REASONS, INPUT_CONSIDERED, INPUT_NAMES,
                                           INPUT_SAYS, INPUT_SOURCES, JUSTIFICATIONS, MITIGATIONS, MONTHS, RATIONING,
                                           SUMMARY_END, nok, plain_summary, plain_summary_of)

# outcome weights by rank band (1-3, 4-6, 7-10)
KINDS = ("funded", "partly_funded", "rationed", "efficiency", "deprioritised", "discontinued", "postponed")
KIND_WEIGHTS = ((70, 14, 5, 10, 1, 0, 0), (25, 25, 20, 10, 10, 0, 10), (0, 5, 10, 0, 45, 15, 25))


def _kr(amount: float) -> int:
    """Round to whole tens of thousands, as council papers do."""
    return int(round(amount / 10_000)) * 10_000


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Made:
    """What a later round needs to know about a measure: to bring it back with `previous`."""
    id: str
    area: int
    topic: int
    place: str
    title: str
    outcome: str | None


class MeasureWriter:
    """Makes the measures of a portal one after another. The random draws, the turn of rationing
    types and the ids already made carry over from one measure to the next."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.rationing_turn = 0
        self.slugs: dict[str, str] = {}
        self.titles: dict[str, dict[str, int]] = {}  # round id -> title -> measures given it so far

    def _title(self, round_id: str, area: Area, topic: int, place: str) -> str:
        """The measure's title, numbered when the round has one of that title already: two
        measures of the same title in one round are a warning in any portal, this one too."""
        base = area.measures[topic][0]
        title = f"{base} – {place}" if place else base
        used = self.titles.setdefault(round_id, {})
        used[title] = used.get(title, 0) + 1
        return title if used[title] == 1 else f"{title} ({used[title]})"

    def _id(self, title: str, year: int, seq: int) -> str:
        base = self.slugs.get(title)
        if base is None:
            base = slugify(title)
            if len(base) > 60:
                base = base[:60].rsplit("-", 1)[0]
            self.slugs[title] = base
        return f"{base}-{year}-{seq:04d}"

    def measure(self, year: int, round_id: str, status: str, criteria_ids: list[str], seq: int,
                forced: tuple[int, str] | None, earlier: Made | None) -> tuple[dict, Made, int]:
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
        title = self._title(round_id, area, topic, place)
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
                                "url": f"{WEB}/dokumenter/brukerundersokelse-{slugify(area.name)}-{y}",
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
                 "group": area.group, "effect": effect, "cost": nok(max(cost_1, 0))}
        assessments = {}
        for cid in criteria_ids:
            lvl = levels[cid]
            if cid == "ressursbruk" and cost_1 < 0:
                text = f"Tiltaket sparer {nok(-cost_1)} kroner det første året, og mer de neste årene."
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
            summary = plain_summary_of(
                (f"{title} blir lagt ned. Det ble lite brukt, og pengene trengs mer til andre tiltak.",
                 f"{title} blir lagt ned. Det ble lite brukt."))
            current.append(f"Tilbudet har hatt lite bruk siden det startet i {year - rng.randint(2, 6)}.")
            description = ["Forslaget er å legge ned tilbudet.", f"Det ble startet for å {action}{where}.",
                           "Pengene brukes i stedet på tiltak med større nytte."]
            alternative = "Alternativet er å fortsette tilbudet som i dag."
        else:
            summary = plain_summary(action, where, effect, SUMMARY_END[kind])
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
        made = Made(data["id"], a, topic, place, title, kind)
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
