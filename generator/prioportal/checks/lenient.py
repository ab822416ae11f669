"""Reading the documents of one kind while the rest of the portal may be broken: for the commands
that help fix or grow a portal (`prioportal import`, `prioportal new measure`), which need only
its rounds and criteria and must work while another file is still half filled in. The build and
`validate` load the whole portal with `portal.load_portal` instead, and report every problem."""

from __future__ import annotations

from typing import Any

from prioportal.model import decisions as m
from prioportal.checks.documents import parse_document
from prioportal.checks.files import find_decision_files
from prioportal.problems import display_path
from prioportal.settings import Settings
from prioportal.sources.yaml_files import load_yaml


def lenient_documents(settings: Settings, kind: str, keep_invalid: bool = False) -> list[m.Strict | dict[str, Any]]:
    """The valid documents of `kind` as model objects, file by file; a file that cannot be read or
    is not valid is left out, its problems unreported. With `keep_invalid`, a file that is YAML
    but not a valid document gives its plain data in its place (what it says, such as its id)."""
    found: list[m.Strict | dict[str, Any]] = []
    for path in find_decision_files(settings.decisions_dir)[kind]:
        result = load_yaml(path, display_path(path, settings.root))
        if result.document is not None:
            obj, problems = parse_document(result.document, kind)
            if obj is not None and not problems and not result.document.unknown:  # no stand-ins
                found.append(obj)
            elif keep_invalid:
                found.append(result.document.data)
    return found
