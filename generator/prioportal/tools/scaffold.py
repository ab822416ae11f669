"""`prioportal new portal`: a municipality's own portal, ready to build, with its editor schemas.

The portal is made from the skeleton files shipped in the package (`prioportal/skeletons/`):

- `<language>/portal/`: the portal's files in that language, written where they stand
  (mkdocs.yml, the content pages, README.md, requirements.txt, the CI workflows, .gitignore);
- `<language>/criteria/<model>.yml`: the first criteria set of each model of priority-setting;
- `<language>/round.yml`: the first round, in preparation;
- `common/`: files that are the same in every language (the editor settings).

The package-data globs leave out hidden files, so a path part written `dot-x` in the skeleton is
`.x` in the portal. Tokens such as `%%NAME%%` are filled in (`_tokens`); a token left over is a bug of
the skeleton, never written out. Every file is made in memory before anything is written, and a
folder that is not empty is refused before anything is touched.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prioportal.problems import T, Text, UsageError

SKELETONS = Path(__file__).resolve().parent.parent / "skeletons"

# The languages a portal can be started in, with their names for the list a mistyped one gets.
LANGUAGES = {"nb": "bokmål", "nn": "nynorsk", "sv": "svenska", "en": "English"}

# The models of priority-setting whose criteria a new portal can start with.
MODELS = {
    "helsedirektoratet": T("Norway's Helsedirektoratet: {criteria}", criteria="nytte, ressurs, alvorlighet"),
    "prioriteringscentrum": T("Sweden's Prioriteringscentrum: {criteria}",
                              criteria="svårighetsgrad, effekt, nytta, kostnadseffektivitet"),
}

# The country a portal is published in: by its language, and for an English portal by its model.
# The currency and the authority named in the accessibility statement follow it.
_COUNTRY_OF_LANGUAGE = {"nb": "NO", "nn": "NO", "sv": "SE"}
_COUNTRY_OF_MODEL = {"helsedirektoratet": "NO", "prioriteringscentrum": "SE"}
_CURRENCY = {"NO": "NOK", "SE": "SEK"}
# The authority a citizen complains to about accessibility, in the portal's language. Proper
# names, kept here and not in the skeletons because an English portal may be in either country.
_ENFORCEMENT = {
    ("nb", "NO"): "Tilsynet for universell utforming av ikt (Digdir)",
    ("nn", "NO"): "Tilsynet for universell utforming av ikt (Digdir)",
    ("sv", "SE"): "Myndigheten för digital förvaltning (Digg)",
    ("en", "NO"): "The Authority for Universal Design of ICT (Digdir)",
    ("en", "SE"): "The Agency for Digital Government (Digg)",
}
_ENFORCEMENT_URL = {"NO": "https://www.uutilsynet.no/", "SE": "https://www.digg.se/"}

# Ids of the first criteria set and round, in the portal's language (a round id is its address).
_CRITERIA_ID = {"nb": "kriterier-versjon-1", "nn": "kriterium-versjon-1", "sv": "kriterier-version-1",
                "en": "criteria-version-1"}
_ROUND_ID = {"nb": "budsjett-{year}", "nn": "budsjett-{year}", "sv": "budget-{year}", "en": "budget-{year}"}

_TOKEN = re.compile(r"%%[A-Z_]+%%")
_NAME_LIMIT = 100
# Besides letters and digits: what names such as "Aurskog-Høland", "Porsanger – Porsáŋgu – Porsanki"
# or a Swedish "S:t" hold. Nothing that Markdown would read as markup (the name is written into
# pages as well as into quoted YAML), and no "%", which starts a skeleton's token.
_NAME_PUNCTUATION = " -–'’.,:()&/"


@dataclass(frozen=True)
class Scaffold:
    """What `new portal` wrote, for the message that says what to do next."""

    folder: Path
    files: tuple[str, ...]
    round_id: str
    criteria_id: str


def default_model(language: str) -> str:
    """The model a portal in `language` starts with when none is asked for."""
    return "prioriteringscentrum" if language == "sv" else "helsedirektoratet"


def installed_version() -> str:
    """The version of prioportal that runs, from the installed package's metadata."""
    import prioportal

    version = prioportal.__version__
    if version == "unknown":
        raise UsageError(T("prioportal runs from a folder that was never installed, so its version is unknown "
                           "— install it with pip (pip install prioportal) and run the command again"))
    return version


def requirement(version: str) -> str:
    """The line of a portal's requirements.txt: this major and minor version, any later fix."""
    major, minor = version.split(".")[:2]
    return f"prioportal=={major}.{minor}.*"


def _check_choices(language: str, model: str) -> None:
    if language not in LANGUAGES:
        listed = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise UsageError(T("--language {language}: there is no portal skeleton in this language — use one of: "
                           "{languages}", language=language, languages=listed))
    if model not in MODELS:
        # Each model's description is said in the reader's language: the list is no msgid (gettext
        # gives it back as it is) and its values are the descriptions, each a T(...).
        values = {f"what{i}": what for i, what in enumerate(MODELS.values())}
        listed = Text("; ".join(f"{code} ({{what{i}}})" for i, code in enumerate(MODELS)), values)
        raise UsageError(T("--model {model}: there is no such model of priority-setting — use one of: {models}",
                           model=model, models=listed))


def _check_name(name: str) -> str:
    """The municipality's name, as it may stand in YAML, Markdown and comments: letters (with
    any accent, as in Sámi names), digits, spaces and the punctuation of place names."""
    name = name.strip()
    example = '--name "Testby kommune"'
    if not name:
        raise UsageError(T("--name: the municipality's name is empty — write it, e.g. {example}", example=example))
    odd = sorted({ch for ch in name if not (unicodedata.category(ch)[0] in "LMN" or ch in _NAME_PUNCTUATION)})
    if odd:
        shown = " ".join(repr(ch)[1:-1] if ch.isprintable() else f"U+{ord(ch):04X}" for ch in odd)
        raise UsageError(T("--name: the name holds {found}, which a place name does not — use letters, digits, "
                           "spaces and {punctuation}, e.g. {example}", found=shown,
                           punctuation=" ".join(_NAME_PUNCTUATION.strip()), example=example))
    if len(name) > _NAME_LIMIT:
        raise UsageError(T("--name: the name is {length} characters long — write it in at most {limit}",
                           length=len(name), limit=_NAME_LIMIT))
    return name


def _country(language: str, model: str) -> str:
    return _COUNTRY_OF_LANGUAGE.get(language) or _COUNTRY_OF_MODEL[model]


def _tokens(name: str, language: str, model: str, year: int, version: str) -> dict[str, str]:
    country = _country(language, model)
    quoted = json.dumps(name, ensure_ascii=False)[1:-1]  # a JSON string is a YAML double-quoted one
    return {
        "%%NAME%%": name,
        "%%NAME_Q%%": quoted,
        "%%YEAR%%": str(year),
        "%%LAST_YEAR%%": str(year - 1),
        "%%CRITERIA_ID%%": _CRITERIA_ID[language],
        "%%ROUND_ID%%": _ROUND_ID[language].format(year=year),
        "%%CURRENCY%%": _CURRENCY[country],
        "%%ENFORCEMENT_NAME%%": _ENFORCEMENT[(language, country)],
        "%%ENFORCEMENT_URL%%": _ENFORCEMENT_URL[country],
        "%%VERSION%%": version,
        "%%REQUIREMENT%%": requirement(version),
    }


def _fill(text: str, tokens: dict[str, str], where: str) -> str:
    filled = _TOKEN.sub(lambda m: tokens.get(m.group(), m.group()), text)
    left = _TOKEN.search(filled)
    if left:  # the skeleton names a token no one fills in: a bug of ours, not the user's
        raise RuntimeError(f"the skeleton file {where} holds the unknown token {left.group()}")
    return filled


def _target(relative: Path) -> str:
    return "/".join("." + part[4:] if part.startswith("dot-") else part for part in relative.parts)


def _tree(folder: Path) -> list[tuple[str, Path]]:
    return sorted((_target(path.relative_to(folder)), path) for path in folder.rglob("*") if path.is_file())


def portal_files(name: str, language: str, model: str, year: int, version: str) -> dict[str, bytes]:
    """Every file of a new portal, by its path in the portal's folder."""
    _check_choices(language, model)
    name = _check_name(name)
    tokens = _tokens(name, language, model, year, version)
    skeleton = SKELETONS / language
    files: dict[str, bytes] = {}
    for target, source in _tree(SKELETONS / "common") + _tree(skeleton / "portal"):
        files[target] = _fill(source.read_text(encoding="utf-8"), tokens, str(source)).encode("utf-8")
    criteria_file = f"decisions/criteria/{tokens['%%CRITERIA_ID%%']}.yml"
    round_file = f"decisions/rounds/{tokens['%%ROUND_ID%%']}.yml"
    for target, source in ((criteria_file, skeleton / "criteria" / f"{model}.yml"), (round_file, skeleton / "round.yml")):
        files[target] = _fill(source.read_text(encoding="utf-8"), tokens, str(source)).encode("utf-8")
    for file_name, data in _schema_files(language, files[criteria_file], files[round_file]).items():
        files[f"schemas/{file_name}"] = data
    return files


def _schema_files(language: str, criteria: bytes, round_: bytes) -> dict[str, bytes]:
    """The editor's schemas of the new portal, which know its criteria and its first round."""
    from prioportal.model.decisions import CriteriaSet, Round
    from prioportal.sources.yaml_files import parse_yaml
    from prioportal.text.i18n import Translator
    from prioportal.tools.editor_schemas import schema_files

    return schema_files(Translator(language), ([CriteriaSet.model_validate(parse_yaml(criteria.decode("utf-8")))],
                                               [Round.model_validate(parse_yaml(round_.decode("utf-8")))], (language,)))


def _check_folder(folder: Path, force: bool) -> None:
    """Refuse, before anything is written, a folder that holds anything but an empty git
    repository (and that only with --force)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(T("{folder}: this is a file, not a folder — name a new or empty folder for the portal",
                           folder=folder))
    if not folder.exists():
        return
    held = sorted(entry.name for entry in folder.iterdir())
    if not held:
        return
    if held == [".git"]:
        if force:
            return
        raise UsageError(T("{folder}: the folder holds a git repository (.git) — add --force to write the "
                           "portal into it; nothing was written", folder=folder))
    shown = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
    if force:
        raise UsageError(T("{folder}: the folder is not empty, it holds {names} (--force writes only into a folder "
                           "that holds nothing but .git) — choose a new or empty folder; nothing was written",
                           folder=folder, names=shown))
    raise UsageError(T("{folder}: the folder is not empty, it holds {names} — choose a new or empty folder; nothing "
                       "was written", folder=folder, names=shown))


def write_portal(folder: Path, name: str, language: str, model: str | None = None, year: int | None = None,
                 force: bool = False) -> Scaffold:
    """`prioportal new portal DIR`: write a new portal that validates and builds at once."""
    model = model or default_model(language)
    year = year if year is not None else date.today().year + 1  # the next budget year
    if not 1900 < year < 2200:
        raise UsageError(T("--year {year}: not a budget year — write the year of the first budget, e.g. --year 2027",
                           year=year))
    files = portal_files(name, language, model, year, installed_version())
    _check_folder(folder, force)
    created: list[Path] = []
    try:
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
        for relative, data in files.items():
            target = folder / relative
            for parent in reversed(target.relative_to(folder).parents[:-1]):
                if not (folder / parent).exists():
                    (folder / parent).mkdir()
                    created.append(folder / parent)
            target.write_bytes(data)
            created.append(target)
    except BaseException:
        # Half a portal helps no one: take back what was written, newest first.
        for path in reversed(created):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise
    return Scaffold(folder, tuple(files), _ROUND_ID[language].format(year=year), _CRITERIA_ID[language])
