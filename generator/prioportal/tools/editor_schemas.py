"""`prioportal schemas` and the schemas `prioportal new portal` writes: the JSON Schemas of a
portal's decision files, for communicators' editors, in the communicator's language.

In a portal, the schemas are the portal's own (`model.schema.for_portal`): its round ids, and
for each round the criteria, levels, rank scale and outcomes of its criteria version. They are
made from the criteria versions and rounds that can be read while other files are broken
(`checks.lenient`), since a communicator needs the editor's help most then. Without a portal
they are the model's. Fields are named with the site's own labels (`site.vocabulary`), in the
portal's own words where its mkdocs.yml gives them (`texts:`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from prioportal.model import decisions as m
from prioportal.model.schema import KINDS, as_json, for_portal, in_language, schema_for
from prioportal.problems import T, UsageError
from prioportal.site.vocabulary import field_label
from prioportal.text.i18n import Translator

if TYPE_CHECKING:
    from prioportal.settings import Settings


def schema_files(translator: Translator, portal: tuple[Sequence[m.CriteriaSet], Sequence[m.Round],
                                                     Sequence[str]] | None = None) -> dict[str, bytes]:
    """The schemas by file name, said with `translator`: the model's, or with `portal` (its
    criteria versions, rounds and languages, the main one first) the portal's own, with its
    texts in the translator's language where the portal has them, else in its main one."""
    files = {}
    for kind in KINDS:
        schema = in_language(schema_for(kind), translator.gettext, partial(field_label, kind))
        if portal is not None:
            criteria_sets, rounds, languages = portal
            schema = for_portal(kind, schema, criteria_sets, rounds, translator.gettext, translator.language, languages)
        files[f"{kind}.schema.json"] = as_json(schema).encode("utf-8")
    return files


def portal_schema_files(settings: Settings, language: str) -> dict[str, bytes]:
    """The portal's own schemas in `language`: from every criteria version and round that can be read."""
    from prioportal.checks.lenient import lenient_documents

    translator = Translator(language, dict(settings.texts).get(language, ()))
    return schema_files(translator, (lenient_documents(settings, "criteria"), lenient_documents(settings, "rounds"),
                                     settings.languages))


def write_schema_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """`files` written into the folder `out` (made if missing)."""
    if out.exists() and not out.is_dir():
        raise UsageError(T("{folder}: this is a file, not a folder — name a folder for the schemas with --out",
                           folder=str(out)))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, data in files.items():
        (out / file_name).write_bytes(data)
        written.append(out / file_name)
    return written
