"""The Frictionless Data Package descriptor (`datapackage.json`) of the open-data folder: a table
schema per CSV file, and every file's size and hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from prioportal.exports.open_data.tables import JSON_FILES, SCHEMA_KINDS, TABLES, WORKBOOK, Column, Table
from prioportal.exports.workbook import XLSX_MEDIATYPE
from prioportal.settings import Settings, resolve_licence


def _spdx(licence: str) -> str:
    known = {"NLOD 2.0": "NLOD-2.0", "NLOD 1.0": "NLOD-1.0", "CC0 1.0": "CC0-1.0", "CC0": "CC0-1.0",
             "CC BY 4.0": "CC-BY-4.0", "CC BY-SA 4.0": "CC-BY-SA-4.0"}
    return known.get(licence.strip(), _name(licence))


def _name(text: str) -> str:
    """A Data Package name: lower-case letters, digits, '-', '.', '_'."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"})))
    return re.sub(r"[^a-z0-9._-]+", "-", text.encode("ascii", "ignore").decode("ascii")).strip("-") or "portal"


def licence_of(settings: Settings) -> tuple[str, str | None]:
    return resolve_licence(settings.language, settings.licence, settings.licence_url)


def _field_schema(column: Column) -> dict[str, Any]:
    schema: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "date":
        schema["format"] = "default"
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum and column.several:
        one = "(?:" + "|".join(re.escape(v) for v in column.enum) + ")"
        constraints["pattern"] = f"{one}(?: {one})*"
    elif column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        schema["constraints"] = constraints
    return schema


def _file_facts(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def datapackage(settings: Settings, files: dict[str, bytes], tables: tuple[Table, ...] = TABLES) -> dict[str, Any]:
    """The Data Package descriptor for the files written (name → content), whose CSV files are
    those of `tables` (`tables.tables_of` the portal)."""
    licence, url = licence_of(settings)
    licences = [{"name": _spdx(licence), "title": licence, **({"path": url} if url else {})}]
    resources: list[dict[str, Any]] = []
    for table in tables:
        resource = {
            "name": table.name, "path": table.csv, "profile": "tabular-data-resource", "title": table.title,
            "description": table.description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            **_file_facts(files[table.csv]),
            "schema": {
                "fields": [_field_schema(c) for c in table.columns],
                "missingValues": [""],
                "primaryKey": list(table.primary_key),
                **({"foreignKeys": [{"fields": list(f), "reference": {"resource": r, "fields": list(rf)}}
                                    for f, r, rf in table.foreign_keys]} if table.foreign_keys else {}),
            },
        }
        resources.append(resource)
    for kind, name in JSON_FILES.items():
        resources.append({"name": f"{kind}-json", "path": name, "type": "json", "profile": "data-resource",
                          "title": f"All {kind} as JSON",
                          "description": f"Every {kind} file with all its fields, as the JSON Schema "
                                         f"schemas/{kind}.schema.json describes them",
                          "format": "json", "mediatype": "application/json", "encoding": "utf-8", **_file_facts(files[name])})
    resources.append({"name": "workbook", "path": WORKBOOK, "type": "file", "profile": "data-resource",
                      "title": "All tables in one workbook",
                      "description": "The same tables as the CSV files, one sheet each, for spreadsheet programs",
                      "format": "xlsx", "mediatype": XLSX_MEDIATYPE, **_file_facts(files[WORKBOOK])})
    for kind in SCHEMA_KINDS:
        path = f"schemas/{kind}.schema.json"
        resources.append({"name": f"{kind}-schema", "path": path, "type": "json", "profile": "data-resource",
                          "title": f"JSON Schema of the {kind} files",
                          "description": f"What every field of a YAML file in decisions/{kind}/ means and may hold",
                          "format": "json", "mediatype": "application/schema+json", "encoding": "utf-8",
                          **_file_facts(files[path])})
    descriptor: dict[str, Any] = {
        "profile": "data-package",
        "name": _name(settings.site_name),
        "title": settings.site_name,
        "description": settings.site_description or f"Priority decisions of {settings.municipality}",
        **({"homepage": settings.site_url} if settings.site_url else {}),
        "licenses": licences,
        "contributors": [{"title": settings.municipality, "role": "publisher"}],
        "keywords": ["priority setting", "budget", "municipality", settings.municipality],
        "resources": resources,
    }
    return descriptor
