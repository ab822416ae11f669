"""The editors' JSON Schemas are standard and catch what `prioportal validate` catches in one file.

Every schema prioportal writes — the model's that the package ships, the ones `prioportal
schemas` writes without a portal in each language, and the portal's own of both bundled
examples — is checked against the JSON Schema 2020-12 metaschema with Python's jsonschema, and
compiled by ajv in strict mode (tests/ajv_check.mjs, run with Node.js: ajv refuses a keyword that
is not JSON Schema's, such as pydantic's `ge`). Every file of both examples meets its portal's
schema. Then a copy of each example gets one mistake per measure, round or criteria file, of
each kind the schemas claim to catch; `prioportal validate` must report each, and both
implementations must refuse each file at the field where the mistake is.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from gate import need, need_program
from prioportal.cli import main
from prioportal.model.schema import KINDS, SCHEMA_DIR, in_language, schema_for
from prioportal.site.vocabulary import field_label
from prioportal.sources.yaml_files import parse_yaml
from prioportal.text.i18n import Translator, catalogue

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"nb": ROOT, "sv": ROOT / "examples" / "exempelby"}
AJV_CHECK = Path(__file__).parent / "ajv_check.mjs"
LANGUAGES = ("nb", "nn", "sv", "en")

# JSON Schema 2020-12's keywords that draft-07 has too, with the same meaning: VS Code's YAML
# extension checks files with draft-07's rules, so a schema that used another (dependentRequired,
# unevaluatedProperties, prefixItems, $dynamicRef) would check nothing there (see model/schema.py).
KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "default",
    "type", "enum", "const", "properties", "required", "additionalProperties", "propertyNames",
    "minProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
    "pattern", "format", "minimum", "maximum", "anyOf", "allOf", "not", "if", "then", "else",
}


# --- Running ajv --------------------------------------------------------------------------------


def ajv(schemas: dict[str, dict], documents: list[tuple[str, Any]] = ()) -> dict:
    """ajv's verdict (tests/ajv_check.mjs): for each schema None or why strict mode refuses it;
    for each (schema name, data) None or its errors."""
    node = need_program("node", "nodejs")
    need((ROOT / "node_modules" / "ajv" / "package.json").is_file()
         and (ROOT / "node_modules" / "ajv-formats" / "package.json").is_file(),
         "ajv not found: run 'npm ci --ignore-scripts' in the repository (make test does)")
    payload = {"schemas": schemas, "documents": [{"schema": name, "data": data} for name, data in documents]}
    done = subprocess.run([node, str(AJV_CHECK)], input=json.dumps(payload), capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def keywords_used(schema: Any, found: set[str] | None = None) -> set[str]:
    """Every keyword of `schema`, telling keywords from the names of properties and definitions."""
    found = set() if found is None else found
    if isinstance(schema, list):
        for item in schema:
            keywords_used(item, found)
    elif isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for child in value.values():
                    keywords_used(child, found)
            elif key not in ("enum", "const", "default", "required"):
                keywords_used(value, found)
    return found


# --- The schemas ---------------------------------------------------------------------------------


def write_schemas(config: Path, out: Path, *options: str) -> dict[str, dict]:
    code = main(["-f", str(config), "schemas", "--out", str(out), *options])
    assert code == 0
    return {kind: json.loads((out / f"{kind}.schema.json").read_text("utf-8")) for kind in KINDS}


@pytest.fixture(scope="module")
def every_schema(tmp_path_factory) -> dict[str, dict]:
    """Every schema prioportal writes, by a name saying which it is."""
    tmp = tmp_path_factory.mktemp("schemas")
    found = {f"shipped {kind}": json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8")) for kind in KINDS}
    for language in LANGUAGES:  # no mkdocs.yml where -f points: the model's schemas
        for kind, schema in write_schemas(tmp / "none" / "mkdocs.yml", tmp / language, "--language", language).items():
            found[f"model {language} {kind}"] = schema
    for name, example in EXAMPLES.items():
        for kind, schema in write_schemas(example / "mkdocs.yml", tmp / f"portal-{name}", "--language", name).items():
            found[f"portal {name} {kind}"] = schema
    return found


def test_the_shipped_schemas_are_the_models():
    for kind in KINDS:
        assert json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8")) == schema_for(kind), (
            f"run 'make schemas': {kind}.schema.json is out of date")


def test_every_schema_is_json_schema_2020_12_and_compiles_in_ajv_strict_mode(every_schema):
    assert len(every_schema) == 3 + 3 * len(LANGUAGES) + 3 * len(EXAMPLES)
    for name, schema in every_schema.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        jsonschema.Draft202012Validator.check_schema(schema)
        assert keywords_used(schema) <= KEYWORDS, f"{name}: {keywords_used(schema) - KEYWORDS}"
    verdict = ajv(every_schema)["schemas"]
    assert verdict == {name: None for name in every_schema}
    # The checker is strict indeed: the schemas before this change, with pydantic's ge and le, fail.
    refused = ajv({"old": {"type": "object", "properties": {"year_1": {"type": "integer", "ge": 0}}}})["schemas"]
    assert "unknown keyword" in refused["old"] and '"ge"' in refused["old"]


def test_every_file_of_the_bundled_examples_meets_its_portals_schema_and_the_models(every_schema):
    documents = []
    for name, example in EXAMPLES.items():
        for kind in KINDS:
            files = sorted((example / "decisions" / kind).rglob("*.yml"))
            assert files, f"{example}: no {kind}"
            for path in files:
                data = parse_yaml(path.read_text("utf-8"))  # YAML 1.2, as an editor reads it: dates are text
                for schema_name in (f"portal {name} {kind}", f"model en {kind}"):
                    documents.append((schema_name, data, path))
                    errors = list(validator(every_schema[schema_name]).iter_errors(data))
                    assert errors == [], f"{path}: {[e.message for e in errors]}"
    verdict = ajv(every_schema, [(schema_name, data) for schema_name, data, _ in documents])["documents"]
    for (schema_name, _, path), errors in zip(documents, verdict):
        assert errors is None, f"{path} against {schema_name}: {errors}"


def test_an_editor_names_and_explains_every_field_in_the_communicators_language(every_schema):
    msgids = in_language(schema_for("measures"), lambda text: text, partial(field_label, "measures"))
    for language in ("nb", "nn", "sv"):
        texts = catalogue(language)
        said = every_schema[f"model {language} measures"]
        untranslated = {text for text in strings(msgids, ("title", "description")) if text not in texts}
        assert untranslated == set(), f"{language}: {sorted(untranslated)}"
        assert said["properties"]["rank"]["title"] == texts["Rank"]
        assert said["properties"]["rank"]["description"] == texts["Rank on the round's scale, 1 = highest"]
        assert said["title"] == texts["Measure"]
    nb = every_schema["portal nb measures"]
    assert nb["properties"]["outcome"]["title"] == "Utfall"
    assert "Tiltak" == nb["title"]
    # The portal's own words: the criterion's name and question, and its levels with their labels.
    levels = branch_for(nb, "budsjett-2026")["properties"]["assessments"]["properties"]["nytte"]
    assert levels["title"] == "Nytte" and levels["description"].endswith("?")
    assert "middels (Middels)" in levels["properties"]["level"]["description"]
    sv = every_schema["portal sv measures"]
    assert sv["properties"]["round"]["title"] == catalogue("sv")["Round"]


def strings(schema: Any, keys: tuple[str, ...]) -> set[str]:
    found = set()
    if isinstance(schema, list):
        for item in schema:
            found |= strings(item, keys)
    elif isinstance(schema, dict):
        for key, value in schema.items():
            if key in keys and isinstance(value, str):
                found.add(value)
            elif key in ("properties", "$defs"):
                for child in value.values():
                    found |= strings(child, keys)
            else:
                found |= strings(value, keys)
    return found


def branch_for(schema: dict, round_id: str) -> dict:
    """The `then` of the portal's measure schema that applies to a measure of `round_id`."""
    return next(rule["then"] for rule in schema["allOf"] if "round" in rule["if"].get("properties", {})
                and round_id in rule["if"]["properties"]["round"]["enum"] and "assessments" in rule["then"]["properties"])


def test_the_portals_schemas_hold_its_rounds_levels_rank_scales_and_decided_rounds(every_schema):
    for name, example in EXAMPLES.items():
        measures = every_schema[f"portal {name} measures"]
        rounds = {path.stem: parse_yaml(path.read_text("utf-8")) for path in (example / "decisions" / "rounds").glob("*.yml")}
        criteria = {parse_yaml(path.read_text("utf-8"))["id"]: parse_yaml(path.read_text("utf-8"))
                    for path in (example / "decisions" / "criteria").glob("*.yml")}
        assert sorted(measures["properties"]["round"]["enum"]) == sorted(r["id"] for r in rounds.values())
        for rnd in rounds.values():
            cs = criteria[rnd["criteria"]]
            then = branch_for(measures, rnd["id"])["properties"]
            for criterion in cs["criteria"]:
                level = then["assessments"]["properties"][criterion["id"]]["properties"]["level"]
                assert level["enum"] == [lvl["id"] for lvl in criterion["scale"]]
            assert then["assessments"]["required"] == [c["id"] for c in cs["criteria"]]
            ranks = then["rank"]["anyOf"][0]
            assert (ranks["minimum"], ranks["maximum"]) == (cs["rank_scale"]["highest"], cs["rank_scale"]["lowest"])
        assert sorted(every_schema[f"portal {name} rounds"]["properties"]["criteria"]["enum"]) == sorted(criteria)


# --- Mistakes: validate reports each, and the schemas refuse each at its field -------------------


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def error_paths(errors) -> set[str]:
    """Where jsonschema's errors stand, as JSON pointers, those within anyOf's branches included."""
    found = set()
    for error in errors:
        found.add("".join(f"/{part}" for part in error.absolute_path))
        found |= error_paths(error.context or ())
    return found


Data = dict[str, Any]


class Mistake:
    """One kind of mistake: which file it is made in (`fits`), how (`make`), what validate says
    (`said`, regular expressions) and where the schemas must refuse it (`at`, a JSON pointer)."""

    def __init__(self, name: str, kind: str, fits: Callable[[Data, dict], bool], make: Callable[[Data, dict], Any],
                 said: str | tuple[str, ...], at: str | Callable[[Data], str]):
        self.name, self.kind, self.fits, self.make, self.said, self.at = name, kind, fits, make, said, at


def decision(data: Data) -> str | None:
    return (data.get("outcome") or {}).get("decision")


def first_criterion(data: Data) -> str:
    return sorted(data["assessments"])[0]


def _set(path: tuple, value: Any) -> Callable[[Data, dict], None]:
    def make(data: Data, portal: dict) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return make


def _drop(*path: str) -> Callable[[Data, dict], None]:
    def make(data: Data, portal: dict) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
    return make


def _level(value: str) -> Callable[[Data, dict], None]:
    def make(data: Data, portal: dict) -> None:
        data["assessments"][first_criterion(data)]["level"] = value
    return make


def _label_of_a_level(data: Data, portal: dict) -> None:
    """The label the site shows, written where the id belongs (`level: Middels`)."""
    criterion = first_criterion(data)
    scale = portal["scales"][data["round"]][criterion]
    data["assessments"][criterion]["level"] = next(lvl["label"] for lvl in scale if lvl["id"] != data["assessments"][criterion]["level"])


def _rank_below_the_scale(data: Data, portal: dict) -> None:
    data["rank"] = portal["lowest"][data["round"]] + 1


def _outcome_not_in_vocabulary(data: Data, portal: dict) -> bool:
    return data["round"] == portal["narrowed round"] and decision(data) == portal["narrowed kind"]


ANY = lambda data, portal: True  # noqa: E731
MEASURE_MISTAKES = [
    Mistake("a level not on the scale", "measures", ANY, _level("enorm"),
            r"'enorm' is not a level on the scale of", lambda d: f"/assessments/{first_criterion(d)}/level"),
    Mistake("a level written as its label", "measures", ANY, _label_of_a_level,
            r"is not a level on the scale of .* did you mean", lambda d: f"/assessments/{first_criterion(d)}/level"),
    Mistake("a criterion that the round's criteria do not have", "measures", ANY,
            lambda d, p: d["assessments"].__setitem__("rettferd", {"level": "stor", "justification": "Fordi."}),
            r"'rettferd' is not a criterion in", "/assessments"),
    Mistake("no assessment of a criterion", "measures", ANY,
            lambda d, p: d["assessments"].pop(first_criterion(d)), r"there is no assessment for the criterion",
            "/assessments"),
    Mistake("a rank outside the rank scale", "measures", ANY, _rank_below_the_scale, r"the rank \d+ is outside the scale",
            "/rank"),
    Mistake("no rank in a decided round", "measures", lambda d, p: d.get("rank") is not None, _drop("rank"),
            r"is decided, but this measure has no rank", ""),
    Mistake("no outcome in a decided round", "measures", lambda d, p: d.get("outcome") is not None, _drop("outcome"),
            r"is decided, but this measure has no outcome", ""),
    Mistake("a round that does not exist", "measures", ANY, _set(("round",), "budsjett-1999"),
            r"there is no round with the id 'budsjett-1999'", "/round"),
    Mistake("no rationale when deprioritised", "measures", lambda d, p: decision(d) == "deprioritised",
            _drop("outcome", "rationale"), r"the outcome 'deprioritised' has no rationale", "/outcome"),
    Mistake("no consequences when not fully funded", "measures", lambda d, p: decision(d) == "postponed",
            _drop("outcome", "consequences"), r"the outcome 'postponed' has no consequences", "/outcome"),
    Mistake("rationed without a rationing type", "measures", lambda d, p: decision(d) == "rationed",
            _drop("outcome", "rationing_type"), r"a rationed measure must say how it is rationed", "/outcome"),
    Mistake("a rationing type on a measure that is not rationed", "measures", lambda d, p: decision(d) == "efficiency",
            _set(("outcome", "rationing_type"), "structure"), r"'rationing_type' is only for rationed measures",
            "/outcome/rationing_type"),
    Mistake("partly funded without the amount granted", "measures", lambda d, p: decision(d) == "partly_funded",
            _drop("outcome", "granted"), r"the outcome 'partly_funded' needs the amount granted", "/outcome"),
    Mistake("money granted to a deprioritised measure", "measures", lambda d, p: decision(d) == "deprioritised",
            _set(("outcome", "granted"), 1), r"a measure that is 'deprioritised' cannot be granted money",
            "/outcome/granted"),
    Mistake("an outcome the round's criteria do not name", "measures", _outcome_not_in_vocabulary, lambda d, p: None,
            r"is not in the vocabulary of", "/outcome/decision"),
]
# Mistakes pydantic finds in the file alone (the first batch needs the round's criteria).
FILE_MISTAKES = [
    Mistake("an outcome that is not one of the fixed vocabulary", "measures", lambda d, p: d.get("outcome") is not None,
            _set(("outcome", "decision"), "approved"), r"'approved'", "/outcome/decision"),
    Mistake("a field that does not exist", "measures", ANY, _set(("sumary",), "Skrivefeil."), r"sumary", ""),
    Mistake("a required field left out", "measures", ANY, _drop("summary"), r"summary", ""),
    Mistake("an id that is not an id", "measures", lambda d, p: not p["referred"] & {d["id"]},
            _set(("previous",), "Forrige Tiltak"), r"Forrige Tiltak", "/previous"),
    Mistake("a date not written YYYY-MM-DD", "measures", lambda d, p: bool(d.get("inputs")),
            lambda d, p: d["inputs"][0].__setitem__("date", "31.12.2025"), r"YYYY-MM-DD", "/inputs/0/date"),
    Mistake("a day that is not in the calendar", "measures", lambda d, p: bool(d.get("inputs")),
            lambda d, p: d["inputs"][0].__setitem__("date", "2025-02-30"), r"no such day in the calendar",
            "/inputs/0/date"),
    Mistake("an amount that is not whole kroner", "measures", lambda d, p: bool(d.get("costs")),
            lambda d, p: d["costs"][0].__setitem__("year_1", "12,5"), r"whole kroner", "/costs/0/year_1"),
    Mistake("a summary longer than a summary may be", "measures", ANY, _set(("summary",), "Lang tekst. " * 120),
            r"longer than 1200 characters", "/summary"),
    Mistake("an empty title", "measures", ANY, _set(("title",), " "), r"empty", "/title"),
    Mistake("a value that is not of the fixed vocabulary", "measures", ANY, _set(("type",), "wish"), r"'wish'", "/type"),
    Mistake("a text in a language the portal does not publish", "measures", ANY,
            lambda d, p: d.__setitem__("title", {"de": "Ein Titel"}), r"no version in the portal's main language",
            "/title"),
]
ROUND_AND_CRITERIA_MISTAKES = [
    Mistake("a decided round without its decision record", "rounds", lambda d, p: d.get("decision") is not None,
            _drop("decision"), r"is '\w+' but has no decision record", ""),
    Mistake("a round whose criteria version does not exist", "rounds", ANY, _set(("criteria",), "kriterier-1999"),
            r"there is no criteria version with the id 'kriterier-1999'", "/criteria"),
    Mistake("a criteria version after the first without a change note or the version it replaces", "criteria",
            lambda d, p: d["version"] > 1 and "change_note" in d and "previous" in d,
            lambda d, p: (_drop("change_note")(d, p), _drop("previous")(d, p)),
            (r"has no change note", r"does not say which version it replaces"), ""),
    Mistake("a criteria version replacing one that does not exist", "criteria", lambda d, p: d["version"] == 1,
            _set(("previous",), "kriterier-1999"), r"there is no criteria version with the id 'kriterier-1999'",
            "/previous"),
]


def copy_portal(example: Path, to: Path) -> Path:
    """The example's mkdocs.yml, pages and decision files, copied; its theme where it is."""
    to.mkdir()
    settings = (example / "mkdocs.yml").read_text("utf-8")
    theme = re.search(r"custom_dir: (\S+)", settings)
    assert theme is not None
    (to / "mkdocs.yml").write_text(settings.replace(theme.group(0), f"custom_dir: {(example / theme.group(1)).resolve()}"),
                                   encoding="utf-8")
    for folder in ("decisions", "content"):
        shutil.copytree(example / folder, to / folder)
    return to


def facts(portal: Path) -> dict:
    """What a mistake needs to know of the portal: each round's scales and rank scale."""
    criteria = {}
    for path in (portal / "decisions" / "criteria").glob("*.yml"):
        data = parse_yaml(path.read_text("utf-8"))
        criteria[data["id"]] = data
    rounds = [parse_yaml(p.read_text("utf-8")) for p in sorted((portal / "decisions" / "rounds").glob("*.yml"))]
    measures = [parse_yaml(p.read_text("utf-8")) for p in sorted((portal / "decisions" / "measures").rglob("*.yml"))]
    return {"scales": {r["id"]: {c["id"]: c["scale"] for c in criteria[r["criteria"]]["criteria"]} for r in rounds},
            "lowest": {r["id"]: criteria[r["criteria"]]["rank_scale"]["lowest"] for r in rounds},
            "criteria of": {r["id"]: r["criteria"] for r in rounds},
            "referred": {m["previous"] for m in measures if m.get("previous")} | {m["id"] for m in measures if m.get("previous")}}


def narrow_an_outcome_vocabulary(portal: Path, info: dict) -> None:
    """The criteria of the first round lose the outcome of one of its measures (not fully funded)."""
    first = sorted(info["criteria of"])[0]
    path = next(p for p in (portal / "decisions" / "criteria").glob("*.yml")
                if parse_yaml(p.read_text("utf-8"))["id"] == info["criteria of"][first])
    kinds = [decision(parse_yaml(p.read_text("utf-8"))) for p in (portal / "decisions" / "measures").rglob("*.yml")
             if parse_yaml(p.read_text("utf-8"))["round"] == first]
    kind = next(k for k in kinds if k not in (None, "funded"))
    data = parse_yaml(path.read_text("utf-8"))
    data["outcomes"] = [term for term in data["outcomes"] if term["kind"] != kind]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    info["narrowed round"], info["narrowed kind"] = first, kind


def make_mistakes(portal: Path, mistakes: list[Mistake], info: dict) -> list[tuple[Mistake, Path, Data]]:
    """Each mistake made in a file of its own, the first that fits and has none yet."""
    files = {kind: {path: parse_yaml(path.read_text("utf-8")) for path in sorted((portal / "decisions" / kind).rglob("*.yml"))}
             for kind in KINDS}
    fitting = {mistake.name: [path for path, data in files[mistake.kind].items() if mistake.fits(data, info)]
               for mistake in mistakes}
    used: set[Path] = set()
    made = []
    for mistake in sorted(mistakes, key=lambda mistake: len(fitting[mistake.name])):  # the choosiest first
        path = next((path for path in fitting[mistake.name] if path not in used), None)
        assert path is not None, f"{portal}: no {mistake.kind} file left to make '{mistake.name}' in"
        used.add(path)
        data = files[mistake.kind][path]
        mistake.make(data, info)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        made.append((mistake, path, data))
    return made


BATCHES = {"measures": MEASURE_MISTAKES, "one file": FILE_MISTAKES, "rounds and criteria": ROUND_AND_CRITERIA_MISTAKES}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_each_mistake_validate_reports_in_one_file_the_portals_schemas_refuse_at_its_field(
        example, batch, tmp_path, capsys):
    portal = copy_portal(EXAMPLES[example], tmp_path / "portal")
    info = facts(portal)
    if batch == "measures":
        narrow_an_outcome_vocabulary(portal, info)
    made = make_mistakes(portal, BATCHES[batch], info)

    assert main(["-f", str(portal / "mkdocs.yml"), "validate", "--no-cache"]) == 1
    reported = capsys.readouterr().err
    schemas = write_schemas(portal / "mkdocs.yml", tmp_path / "schemas")
    verdict = ajv({kind: schemas[kind] for kind in KINDS},
                  [(mistake.kind, data) for mistake, _, data in made])["documents"]
    for (mistake, path, data), ajv_errors in zip(made, verdict):
        shown = str(path.relative_to(portal))
        lines = [line for line in reported.splitlines() if line.startswith(shown + ":")]
        for said in (mistake.said,) if isinstance(mistake.said, str) else mistake.said:
            assert any(re.search(said, line) for line in lines), f"{mistake.name}: validate said {lines}"
        at = mistake.at(data) if callable(mistake.at) else mistake.at
        found = error_paths(validator(schemas[mistake.kind]).iter_errors(data))
        assert at in found, f"{mistake.name}: jsonschema refused {shown} at {sorted(found)}, not at {at!r}"
        assert ajv_errors and at in {e["instancePath"] for e in ajv_errors}, (
            f"{mistake.name}: ajv refused {shown} at {ajv_errors}, not at {at!r}")


# --- The command ------------------------------------------------------------------------------


def test_the_portals_schemas_are_in_the_language_of_messages(tmp_path, no_language_in_environment):
    nb = write_schemas(ROOT / "mkdocs.yml", tmp_path / "portal")  # no LANG: the portal's language
    assert nb["measures"]["properties"]["rank"]["title"] == Translator("nb").gettext("Rank")
    write_schemas(ROOT / "mkdocs.yml", tmp_path / "again")
    for kind in KINDS:  # the same portal, the same bytes: the schemas are committed with the portal
        name = f"{kind}.schema.json"
        assert (tmp_path / "portal" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
    no_language_in_environment.setenv("LANG", "nn_NO.UTF-8")
    nn = write_schemas(ROOT / "mkdocs.yml", tmp_path / "lang")
    assert nn["measures"]["properties"]["rank"]["description"] == Translator("nn").gettext(
        "Rank on the round's scale, 1 = highest")
    sv = write_schemas(ROOT / "mkdocs.yml", tmp_path / "option", "--language", "sv")
    then = branch_for(sv["measures"], "budsjett-2026")["properties"]
    assert then["rank"]["anyOf"][0]["description"] == "Ett heltal från 1 (högsta prioritet) till 10 (lägsta prioritet)"
    assert then["assessments"]["properties"]["nytte"]["title"] == "Nytte"  # the portal's own word, in its language
    assert main(["--language", "en", "-f", str(ROOT / "mkdocs.yml"), "schemas", "--out", str(tmp_path / "en")]) == 0
    assert json.loads((tmp_path / "en" / "measures.schema.json").read_text("utf-8"))["title"] == "Measure"


def test_a_new_portals_schemas_know_its_round_and_levels_and_compile_in_ajv(tmp_path):
    assert main(["new", "portal", str(tmp_path / "p"), "--name", "Testby kommune", "--language", "nn",
                 "--year", "2027"]) == 0
    folder = tmp_path / "p"
    schemas = {kind: json.loads((folder / "schemas" / f"{kind}.schema.json").read_text("utf-8")) for kind in KINDS}
    rounds = [parse_yaml(p.read_text("utf-8")) for p in (folder / "decisions" / "rounds").glob("*.yml")]
    assert schemas["measures"]["properties"]["round"]["enum"] == [r["id"] for r in rounds]
    assert "then" in schemas["measures"]["allOf"][0]
    documents = [(kind, parse_yaml(p.read_text("utf-8"))) for kind in ("criteria", "rounds")
                 for p in (folder / "decisions" / kind).glob("*.yml")]
    verdict = ajv(schemas, documents)
    assert verdict == {"schemas": {kind: None for kind in KINDS}, "documents": [None] * len(documents)}
    assert schemas["rounds"]["properties"]["budget_frame"]["title"] == catalogue("nn")["Budget frame"]
