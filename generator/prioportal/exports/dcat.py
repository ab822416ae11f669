"""The open data described as a DCAT catalogue (`open-data/catalog.ttl`, RDF as Turtle), for the
national data portals to harvest: data.norge.no (DCAT-AP-NO) and dataportal.se (DCAT-AP-SE).

One catalogue (`dcat:Catalog`) holds one dataset (`dcat:Dataset`): the portal's decisions, with
a distribution (`dcat:Distribution`) per file of the open-data folder (each CSV table, the JSON
files, the workbook), with its address (`dcat:accessURL`, `dcat:downloadURL`), its format (the
EU file-type vocabulary) and media type (IANA), and the licence. What both profiles require is
made from the settings the portal has already: the publisher (`dct:publisher`, a `foaf:Agent`
named after `municipality`, of the type "local authority"), the contact point
(`dcat:contactPoint`, a `vcard:Organization` with `contact_email`, and the contact page), the
licence (`licence_url`, by default NLOD 2.0 or CC0 1.0), titles and descriptions with the
language's tag, the EU data theme "Government and public sector" (GOVE), public access, the
years the rounds cover. Nothing is dated by the build: the profiles' dates are recommended, not
required, and the one date a build has (`source_date`) is not the catalogue's.

Every address is a full one with `site_url`; without it, an address relative to the catalogue
itself, which a harvester resolves against the address it fetched the file from (RFC 3986).
The Turtle is written here, by hand and in a fixed order, so the same portal gives the same
bytes; the tests read it back with rdflib.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from prioportal.exports.open_data.tables import JSON_FILES, WORKBOOK, tables_of
from prioportal.exports.workbook import XLSX_MEDIATYPE
from prioportal.model.portal import Portal
from prioportal.settings import Settings, resolve_licence
from prioportal.site import urls
from prioportal.site.vocabulary import N_

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
THEME = EU + "data-theme/GOVE"  # Government and public sector
THEMES = EU + "data-theme"
PUBLIC = EU + "access-right/PUBLIC"
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"
# The EU's language codes (ISO 639-3) of the portal's languages.
LANGUAGES = {"nb": "NOB", "nn": "NNO", "no": "NOR", "sv": "SWE", "en": "ENG", "se": "SME"}
# Each kind of file: its EU file type and its IANA media type.
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "xlsx": ("XLSX", XLSX_MEDIATYPE),
}
KIND_TITLES = {"criteria": N_("Criteria"), "rounds": N_("Rounds"), "measures": N_("Measures")}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str) -> str:
    """`<value>`, with each character an IRI may not hold percent-encoded (Turtle's IRIREF)."""
    return "<" + _IRI_FORBIDDEN.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), value) + ">"


def literal(text: object, language: str | None = None, datatype: str | None = None) -> str:
    """A Turtle string, escaped as the grammar asks (ECHAR), with its language tag or datatype."""
    escaped = (str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
               .replace("\t", "\\t"))
    return f'"{escaped}"' + (f"@{language}" if language else f"^^{datatype}" if datatype else "")


def _address(settings: Settings, address: str) -> str:
    """An address of the site as the catalogue names it: full with site_url, else relative to
    the catalogue's own address."""
    if settings.site_url:
        return urls.absolute(settings.site_url, address)
    relative = urls.relative(urls.catalogue(), address)
    return "./" if relative == "" else relative


def _node(subject: str, kinds: list[str], properties: list[tuple[str, list[str]]]) -> str:
    """One subject with its types and properties (each with one or more objects), as Turtle."""
    lines = [f"{subject} a {', '.join(kinds)} ;"]
    shown = [(name, objects) for name, objects in properties if objects]
    for n, (name, objects) in enumerate(shown):
        end = " ." if n == len(shown) - 1 else " ;"
        lines.append(f"    {name} {', '.join(objects)}{end}")
    return "\n".join(lines) + "\n"


def catalogue(settings: Settings, portal: Portal) -> bytes:
    """The catalogue at `urls.catalogue()`, as Turtle."""
    tr = settings.translator()
    _ = tr.gettext
    lang = settings.language
    here = _address(settings, urls.catalogue())
    within = here if settings.site_url else ""  # the parts of the catalogue: <…/catalog.ttl#publisher>

    def own(name: str) -> str:
        return iri(f"{within}#{name}")

    licence_url = resolve_licence(settings.language, settings.licence, settings.licence_url)[1]
    # licence_url is an address of its own (https:, mailto:) or one relative to the site.
    licence = ([iri(licence_url if urlsplit(licence_url).scheme else _address(settings, licence_url))]
               if licence_url else [])
    language = [iri(EU + "language/" + LANGUAGES[lang])] if lang in LANGUAGES else []
    home = iri(_address(settings, urls.home()))

    files = [(table.csv, _(table.title), _(table.description), "csv") for table in tables_of(portal)]
    files += [(name, _("{title}: every field, as JSON").format(title=_(KIND_TITLES[kind])),
               _("Every decision file of this kind with all its fields, as its JSON Schema in the schemas "
                 "folder describes them."), "json") for kind, name in JSON_FILES.items()]
    files.append((WORKBOOK, _("All tables in one spreadsheet workbook"),
                  _("The same tables as the CSV files, one sheet each, for spreadsheet programs."), "xlsx"))

    years = sorted(r.year for r in portal.rounds)
    period = ([f"[ a dct:PeriodOfTime ; dcat:startDate {literal(f'{years[0]}-01-01', datatype='xsd:date')} ; "
               f"dcat:endDate {literal(f'{years[-1]}-12-31', datatype='xsd:date')} ]"] if years else [])
    description = settings.site_description or _("Priority decisions of {municipality}").format(
        municipality=settings.municipality)
    contact = [iri("mailto:" + settings.contact_email)] if settings.contact_email else []

    parts = ["".join(f"@prefix {name}: <{uri}> .\n" for name, uri in PREFIXES.items())]
    parts.append(_node(own("catalog"), ["dcat:Catalog"], [
        ("dct:title", [literal(settings.site_name, lang)]),
        ("dct:description", [literal(_("The open data of {site}: every decision on priorities, with the criteria "
                                       "and the rounds they were made in.").format(site=settings.site_name), lang)]),
        ("dct:publisher", [own("publisher")]),
        ("dcat:contactPoint", [own("contact-point")]),
        ("dct:license", licence),
        ("dct:language", language),
        ("foaf:homepage", [home]),
        ("dcat:themeTaxonomy", [iri(THEMES)]),
        ("dcat:dataset", [own("decisions")]),
    ]))
    parts.append(_node(own("publisher"), ["foaf:Agent"], [
        ("foaf:name", [literal(settings.municipality, lang)]),
        ("dct:type", [iri(LOCAL_AUTHORITY)]),
    ]))
    parts.append(_node(own("contact-point"), ["vcard:Organization"], [
        ("vcard:fn", [literal(settings.municipality, lang)]),
        ("vcard:hasEmail", contact),
        ("vcard:hasURL", [iri(_address(settings, urls.contact()))]),
    ]))
    parts.append(_node(own("decisions"), ["dcat:Dataset"], [
        ("dct:identifier", [literal(here + "#decisions" if settings.site_url else "decisions")]),
        ("dct:title", [literal(settings.site_name, lang)]),
        ("dct:description", [literal(description, lang)]),
        ("dct:publisher", [own("publisher")]),
        ("dcat:contactPoint", [own("contact-point")]),
        ("dcat:theme", [iri(THEME)]),
        ("dcat:keyword", [literal(word, lang) for word in (_("priority setting"), _("budget"), settings.municipality)]),
        ("dct:accessRights", [iri(PUBLIC)]),
        ("dct:language", language),
        ("dct:temporal", period),
        ("dcat:landingPage", [iri(_address(settings, urls.open_data()))]),
        ("foaf:page", [iri(_address(settings, urls.open_data_file("datapackage.json")))]),
        ("dcat:distribution", [own("file-" + name.replace(".", "-")) for name, *_rest in files]),
    ]))
    for name, title, about, kind in files:
        file_type, media_type = FORMATS[kind]
        address = iri(_address(settings, urls.open_data_file(name)))
        parts.append(_node(own("file-" + name.replace(".", "-")), ["dcat:Distribution"], [
            ("dct:title", [literal(title, lang)]),
            ("dct:description", [literal(about, lang)]),
            ("dcat:accessURL", [address]),
            ("dcat:downloadURL", [address]),
            ("dct:format", [iri(EU + "file-type/" + file_type)]),
            ("dcat:mediaType", [iri("https://www.iana.org/assignments/media-types/" + media_type)]),
            ("dct:license", licence),
        ]))
    return "\n".join(parts).encode("utf-8")
