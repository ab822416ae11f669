"""Every address the site publishes, made in one place: pages, listings cut into pages, feeds,
downloads, the search index and the theme's files.

An address is relative to the site root (of a language tree): a page's ends in `/`, and a web
server gives the folder's `index.html` (`file_of`); the home page's is "". Addresses are
permanent: a measure lives at `measures/<id>/` whatever its title becomes, and a changed id
keeps its old address as a redirect (exports.redirects). Templates get this module as `urls`
and write `{{ root }}{{ urls.measure(id) }}`, `root` being the way up from the page to the site
root; `absolute` puts site_url in front of an address, and `relative` is the shortest link from
one address to another, for files written without a template.

Pure functions of strings, importing nothing of prioportal: every part of the build can use
them, and a test can check that the sitemap, a feed and open data name the same page.
"""

from __future__ import annotations

# --- Pages --------------------------------------------------------------------------------


def home() -> str:
    return ""


def criteria_index() -> str:
    """The criteria in force, and every earlier version."""
    return "criteria/"


def criteria(ident: str) -> str:
    """One version of the criteria (a criteria set)."""
    return f"criteria/{ident}/"


def criteria_changes(ident: str) -> str:
    """What changed in a criteria set since the version before it."""
    return f"criteria/{ident}/changes/"


def process() -> str:
    return "process/"


def rounds() -> str:
    """Every round, year by year."""
    return "rounds/"


def round(ident: str) -> str:  # noqa: A001 - `urls.round(id)` reads as what it is
    """A round's ranked list: the first page of a listing (see `listing_page`)."""
    return f"rounds/{ident}/"


def round_follow_up(ident: str) -> str:
    return f"rounds/{ident}/follow-up/"


def round_glance(ident: str) -> str:
    """A round at a glance: cost by rank with the funding line, and the follow-up per sector and target area."""
    return f"rounds/{ident}/at-a-glance/"


def round_openness(ident: str) -> str:
    return f"rounds/{ident}/openness/"


def round_changes(ident: str) -> str:
    """The changes in a round since the round before it."""
    return f"rounds/{ident}/changes/"


def list_group(ident: str, slug: str) -> str:
    """The pairs of one condition group of a priority list (a round of `kind: priority_list`)."""
    return f"rounds/{ident}/groups/{slug}/"


def list_band(ident: str, slug: str) -> str:
    """The pairs of a priority list whose rank falls in one band, e.g. `1-3`."""
    return f"rounds/{ident}/ranks/{slug}/"


def list_recommendation(ident: str, recommendation: str) -> str:
    """The pairs a priority list gives one recommendation instead of a rank."""
    return f"rounds/{ident}/recommendations/{recommendation}/"


def priority_lists() -> str:
    """Every service's latest priority list side by side, rank band by rank band."""
    return "priority-lists/"


MEASURES = "measures/"  # the folder of every measure's page (the search leaves links into it out)


def measure(ident: str) -> str:
    return f"{MEASURES}{ident}/"


def browse() -> str:
    """Every decision by sector and outcome, without JavaScript."""
    return "browse/"


def sector(slug: str) -> str:
    return f"browse/sector/{slug}/"


def outcome(slug: str) -> str:
    return f"browse/outcome/{slug}/"


def input_sources() -> str:
    """Every source of input (the statutory councils, groups, single persons by kind), and what came of it."""
    return "inputs/"


def input_source(slug: str) -> str:
    """Everything one source of input said, round by round (`site.voices.source_slug`)."""
    return f"inputs/{slug}/"


def affected_groups() -> str:
    """The groups the portal's consequences are tagged with (`affected_groups` of the criteria)."""
    return "affected-groups/"


def affected_group(ident: str) -> str:
    """What each round's priorities mean for one affected group: funded and cut, with the consequences."""
    return f"affected-groups/{ident}/"


def search() -> str:
    return "search/"


def contact() -> str:
    return "contact/"


def accessibility() -> str:
    return "accessibility/"


def privacy() -> str:
    return "privacy/"


def open_data() -> str:
    """The page that documents the open data; the files are in the same folder (`open_data_file`)."""
    return f"{OPEN_DATA_FOLDER}/"


def open_data_fields(kind: str) -> str:
    """The page that documents every field of one kind of decision file ("criteria", "rounds",
    "measures"; and so of its JSON file), beside the open-data page: one page for the columns
    and all the fields weighed twice the page-weight budget."""
    return f"{OPEN_DATA_FOLDER}/fields/{kind}/"


def content_page(slug: str) -> str:
    """A page written in Markdown (content/<slug>.md); "" is the home page's text."""
    return f"{slug}/" if slug else home()


def not_found() -> str:
    """The page a server shows at any address it has nothing for: a file, not a folder."""
    return "404.html"


def listing_page(first: str, number: int) -> str:
    """Page `number` (1-based) of a listing whose first page is at `first`. Page 1 keeps the
    listing's own address, so a listing that fits on one page is where it always was."""
    return first if number == 1 else f"{first}page/{number}/"


# --- Other files ----------------------------------------------------------------------------

OPEN_DATA_FOLDER = "open-data"


def open_data_file(name: str) -> str:
    """A file of the open data (CSV, JSON, the workbook, datapackage.json), by its name in the folder."""
    return f"{OPEN_DATA_FOLDER}/{name}"


def feed() -> str:
    """The Atom feed of new and changed decisions of the whole portal."""
    return "feed.xml"


def round_feed(ident: str) -> str:
    return round(ident) + feed()


def calendar() -> str:
    """The iCalendar file of the annual cycle of every round."""
    return "calendar.ics"


def round_calendar(ident: str) -> str:
    return round(ident) + calendar()


def measure_feed(ident: str) -> str:
    """The Atom feed that follows one measure across rounds (see `exports.follow`)."""
    return measure(ident) + feed()


def sector_feed(slug: str) -> str:
    """The Atom feed of what happens to the measures of one sector, beside its listing."""
    return sector(slug) + feed()


def target_area_feed(slug: str) -> str:
    """The Atom feed of what happens to the measures of one target area (which has no page)."""
    return f"browse/target-area/{slug}/" + feed()


MANIFEST = "manifest.sha256"  # the name of a round's manifest (exports.manifests)


def round_manifest(ident: str) -> str:
    """The SHA-256 digests of every published file of a decided round, with the source commit."""
    return round(ident) + MANIFEST


def json_feed() -> str:
    """The latest decisions as a JSON Feed 1.1, for a municipal website's CMS to fetch."""
    return "feed.json"


def embed_latest() -> str:
    """The latest decisions as a fragment of HTML, for a municipal website to include."""
    return "embed/latest.html"


def catalogue() -> str:
    """The DCAT catalogue of the open data (DCAT-AP-NO, DCAT-AP-SE), for data portals to harvest."""
    return open_data_file("catalog.ttl")


def search_data(name: str = "") -> str:
    """A file of the search index (search/index.json …), beside the search page; with no name,
    the folder, from which search.js fetches them."""
    return search() + name


def asset(name: str) -> str:
    """A file of the theme (assets/style.css …), by its path in the theme's assets folder."""
    return f"assets/{name}"


def sitemap() -> str:
    return "sitemap.xml"


def robots() -> str:
    return "robots.txt"


def language_tree(code: str) -> str:
    """The folder of a language other than the main one, below the site root ("en/")."""
    return f"{code}/"


# --- From an address to a file, to an absolute URL, and from one page to another -----------


def file_of(address: str) -> str:
    """The file that holds the page at `address`: a folder's index.html, else the file itself."""
    return address + "index.html" if address == "" or address.endswith("/") else address


def absolute(site_url: str | None, address: str) -> str:
    """The address under `site_url`, e.g. https://prio.kommune.no/measures/x/; without a
    site_url, the address itself (relative to the site root)."""
    return site_url.rstrip("/") + "/" + address if site_url else address


def up(address: str) -> str:
    """The way from a page or file at `address` up to the site root: "../../" from
    measures/x/ (and from measures/x/index.html), "" from the root itself."""
    return "../" * address.count("/")


def relative(source: str, target: str) -> str:
    """The shortest relative link from the page (or file) at `source` to `target`: up to the
    folders they share, then down, e.g. "../y/" from measures/x/ to measures/y/; "./" for the
    folder `source` is in, which an empty link would not name."""
    here = source.split("/")[:-1]  # the folders `source` is in; a file's own name does not count
    there = target.split("/")
    shared = 0
    while shared < len(here) and shared < len(there) - 1 and here[shared] == there[shared]:
        shared += 1
    return "../" * (len(here) - shared) + "/".join(there[shared:]) or "./"
