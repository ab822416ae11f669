"""JSON Schemas of the YAML files, generated from the model, for communicators' editors."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from prioportal.model.decisions import KIND_MODELS

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"


@lru_cache(maxsize=None)
def schema_for(kind: str) -> dict:
    """The JSON Schema of a kind of decision file. Made once per process (the open-data page
    reads it at every preview build); callers read it and must not change it."""
    schema = KIND_MODELS[kind].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://prioportal.invalid/schemas/{kind}.schema.json"
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KIND_MODELS:
        target = folder / f"{kind}.schema.json"
        target.write_text(schema_text(kind), encoding="utf-8")
        written.append(target)
    return written
