"""The DCAT catalogue of the open data (`open-data/catalog.ttl`), read back with rdflib the way
data.norge.no (DCAT-AP-NO) and dataportal.se (DCAT-AP-SE) harvest it.

The checks are the two profiles' mandatory classes and properties, with their cardinalities and
kinds of value (DCAT-AP-NO 3.0's SHACL shapes, DCAT-AP-SE's mandatory example):
  - dcat:Catalog: dct:title and dct:description (language-tagged, one per language),
    dct:publisher (exactly one, an IRI), dcat:contactPoint, dct:license (SE), dcat:dataset;
  - dcat:Dataset: dct:title, dct:description, dct:publisher (exactly one), dcat:contactPoint,
    dcat:theme (NO: from the EU data themes), dcat:distribution;
  - dcat:Distribution: dcat:accessURL (an IRI); at most one dct:format and dcat:mediaType;
  - foaf:Agent: foaf:name; vcard:Organization (the contact point): vcard:fn, and
    vcard:hasEmail (SE) or vcard:hasURL (NO) as IRIs.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from portal_factory import MKDOCS, PORTAL_FILES, write_portal
from prioportal.cli import main

# Open namespaces: rdflib's closed ones warn when pytest looks for attributes on this module.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://prioriteringer.testvik.kommune.no/"


def build(config: Path, site: Path) -> Path:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["-f", str(config), "build", "--site-dir", str(site)])
    assert code == 0, out.getvalue()
    return site


def read(site: Path, base: str | None = None) -> Graph:
    path = site / "open-data" / "catalog.ttl"
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle",
                         publicID=base or path.as_uri())


@pytest.fixture(scope="module")
def nb_site(tmp_path_factory) -> Path:
    root = write_portal(tmp_path_factory.mktemp("dcat") / "portal")
    return build(root / MKDOCS, root / "site")


@pytest.fixture(scope="module")
def sv_site(tmp_path_factory) -> Path:
    return build(REPO / "examples" / "exempelby" / "mkdocs.yml", tmp_path_factory.mktemp("dcat-sv") / "site")


def one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def lang_strings(graph: Graph, subject, predicate, language: str) -> list[Literal]:
    """The values of a property that must be language-tagged text, one per language."""
    values = list(graph.objects(subject, predicate))
    assert values, f"{subject} has no {predicate}"
    assert all(isinstance(v, Literal) and v.language for v in values), values
    assert len({v.language for v in values}) == len(values), f"two {predicate} in one language"
    assert language in {v.language for v in values}
    return values


def check_profiles(graph: Graph, language: str, contact_email: str) -> dict:
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    for predicate in (DCTERMS.title, DCTERMS.description):
        lang_strings(graph, catalog, predicate, language)
    publisher = one(graph, catalog, DCTERMS.publisher)
    assert isinstance(publisher, URIRef) and (publisher, RDF.type, FOAF.Agent) in graph
    assert isinstance(one(graph, publisher, FOAF.name), Literal)
    assert one(graph, publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    assert isinstance(one(graph, catalog, DCTERMS.license), URIRef)
    contact = one(graph, catalog, DCAT.contactPoint)

    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert datasets and all((d, RDF.type, DCAT.Dataset) in graph for d in datasets)
    for dataset in datasets:
        for predicate in (DCTERMS.title, DCTERMS.description):
            lang_strings(graph, dataset, predicate, language)
        assert one(graph, dataset, DCTERMS.publisher) == publisher
        assert one(graph, dataset, DCAT.contactPoint) == contact
        assert URIRef(EU + "data-theme/GOVE") in set(graph.objects(dataset, DCAT.theme))
        assert one(graph, dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        for keyword in graph.objects(dataset, DCAT.keyword):
            assert isinstance(keyword, Literal) and keyword.language == language

    assert (contact, RDF.type, VCARD.Organization) in graph
    assert isinstance(one(graph, contact, VCARD.fn), Literal)
    assert one(graph, contact, VCARD.hasEmail) == URIRef("mailto:" + contact_email)
    assert isinstance(one(graph, contact, VCARD.hasURL), URIRef)

    distributions = {}
    for dataset in datasets:
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            access = one(graph, distribution, DCAT.accessURL)
            assert isinstance(access, URIRef)
            file_type = one(graph, distribution, DCTERMS["format"])
            assert str(file_type).startswith(EU + "file-type/")
            media = one(graph, distribution, DCAT.mediaType)
            assert str(media).startswith("https://www.iana.org/assignments/media-types/")
            assert one(graph, distribution, DCTERMS.license) == one(graph, catalog, DCTERMS.license)
            lang_strings(graph, distribution, DCTERMS.title, language)
            distributions[str(access)] = (str(file_type).rsplit("/", 1)[1], str(media).split("media-types/", 1)[1])
    return distributions


def published_data_files(site: Path) -> set[str]:
    """The data files of the open-data folder: the tables, the JSON records, the workbook."""
    folder = site / "open-data"
    return {p.name for p in folder.iterdir() if p.suffix in (".csv", ".xlsx")
            or (p.suffix == ".json" and p.name != "datapackage.json")}


def test_the_norwegian_catalogue_has_what_dcat_ap_no_and_dcat_ap_se_require(nb_site):
    graph = read(nb_site)
    distributions = check_profiles(graph, "nb", "postmottak@testvik.kommune.no")
    # A distribution for every data file, each at its address on the site, which exists.
    prefix = SITE_URL + "open-data/"
    assert {url.removeprefix(prefix) for url in distributions} == published_data_files(nb_site)
    assert distributions[prefix + "measures.csv"] == ("CSV", "text/csv")
    assert distributions[prefix + "measures.json"] == ("JSON", "application/json")
    assert distributions[prefix + "decisions.xlsx"] == (
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    assert one(graph, catalog, DCTERMS.license) == URIRef("https://data.norge.no/nlod/no/2.0")
    assert one(graph, catalog, DCTERMS.language) == URIRef(EU + "language/NOB")
    publisher = one(graph, catalog, DCTERMS.publisher)
    assert one(graph, publisher, FOAF.name) == Literal("Testvik kommune", lang="nb")
    # The years the rounds cover: 2025 and 2026.
    [dataset] = graph.objects(catalog, DCAT.dataset)
    period = one(graph, dataset, DCTERMS.temporal)
    assert (str(one(graph, period, DCAT.startDate)), str(one(graph, period, DCAT.endDate))) == (
        "2025-01-01", "2026-12-31")
    assert str(one(graph, dataset, DCAT.landingPage)) == SITE_URL + "open-data/"


def test_the_swedish_example_catalogue_is_in_swedish_with_cc0(sv_site):
    graph = read(sv_site)
    distributions = check_profiles(graph, "sv", "kommun@exempelby.se")
    assert len(distributions) == len(published_data_files(sv_site))
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    assert one(graph, catalog, DCTERMS.license) == URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    assert one(graph, catalog, DCTERMS.language) == URIRef(EU + "language/SWE")


def test_without_site_url_the_addresses_are_those_the_catalogue_was_fetched_from(tmp_path):
    root = write_portal(tmp_path / "portal", {MKDOCS: PORTAL_FILES[MKDOCS].replace(f"site_url: {SITE_URL}\n", "")})
    site = build(root / MKDOCS, root / "site")
    graph = read(site, base="https://data.example.org/somewhere/open-data/catalog.ttl")
    distributions = check_profiles(graph, "nb", "postmottak@testvik.kommune.no")
    assert {url.removeprefix("https://data.example.org/somewhere/open-data/") for url in distributions} == \
        published_data_files(site)


def test_quotes_backslashes_and_line_breaks_in_the_settings_stay_text(tmp_path):
    config = PORTAL_FILES[MKDOCS].replace(
        "site_name: Prioriteringer i Testvik kommune",
        'site_name: "Prioriteringer i \\"Testvik\\" \\\\ kommune"').replace(
        "site_description: Hvordan Testvik kommune prioriterer tiltak i budsjettet, og hvorfor.",
        'site_description: "Linje én.\\nLinje to> <script>"')
    root = write_portal(tmp_path / "portal", {MKDOCS: config})
    first = build(root / MKDOCS, tmp_path / "a")
    graph = read(first)
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    assert one(graph, catalog, DCTERMS.title) == Literal('Prioriteringer i "Testvik" \\ kommune', lang="nb")
    [dataset] = graph.objects(catalog, DCAT.dataset)
    assert one(graph, dataset, DCTERMS.description) == Literal("Linje én.\nLinje to> <script>", lang="nb")
    # The same portal gives the same bytes.
    second = build(root / MKDOCS, tmp_path / "b")
    assert (first / "open-data" / "catalog.ttl").read_bytes() == (second / "open-data" / "catalog.ttl").read_bytes()
