"""A field is named for what it is where it is: four fields are called `kind` (a cost line's kind
of cost, a round's kind, an outcome term's outcome, a statement's dissent or remark), and a reader
of the open-data pages or a communicator in the browser editor sees each named for its own
meaning, not all of them as the kind of cost (`site.vocabulary.field_label`)."""

from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup

import browser

COST = "Type kostnad"  # the nb example's word for a cost line's kind, as the measure page's cost table says it


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def _labels(dl) -> dict[str, str]:
    """Field path or column name → its label, from a list of fields on an open-data page."""
    return {dt.code.get_text(): dt.span.get_text() if dt.span else "" for dt in dl.find_all("dt")}


def test_open_data_pages_name_each_kind_for_what_it_is():
    site = browser.built_site()
    criteria = _labels(_page(site, "open-data/fields/criteria/index.html").select_one("main dl.fields"))
    measures = _labels(_page(site, "open-data/fields/measures/index.html").select_one("main dl.fields"))
    rounds = _labels(_page(site, "open-data/fields/rounds/index.html").select_one("main dl.fields"))
    tables = _page(site, "open-data/index.html")

    def column(table: str) -> str:
        return _labels(tables.select_one(f"#table-{table}").find_next("dl"))["kind"]

    assert measures["costs.kind"] == COST and column("costs") == COST
    assert criteria["outcomes.kind"] == "Type utfall"
    assert column("dissents_and_remarks") == "Dissens eller protokolltilførsel"
    assert rounds["kind"] == "Type runde"  # the rounds table has the column only in a portal with a priority list
    # The measure page's cost table keeps its heading.
    heads = [th.get_text() for th in _page(site, "measures/skjermet-enhet-demens/index.html").select("main th")]
    assert COST in heads


def _field(fields: list[dict], *path: str) -> dict:
    """The editor's field at `path` (names of fields within fields, lists and sections)."""
    found = next(f for f in fields if f["name"] == path[0])
    return found if len(path) == 1 else _field(found["fields"], *path[1:])


def test_the_editor_names_each_kind_for_what_it_is():
    config = yaml.safe_load((browser.built_site() / "admin" / "config.yml").read_text(encoding="utf-8"))
    collections = {c["name"]: c["fields"] for c in config["collections"]}
    assert _field(collections["criteria"], "outcomes", "kind")["label"] == "Type utfall"
    assert _field(collections["rounds"], "kind")["label"] == "Type runde"
    measures = [fields for name, fields in collections.items() if name.startswith("measures-")]
    assert measures and all(_field(fields, "costs", "kind")["label"] == COST for fields in measures)
