"""Portal settings, read from `mkdocs.yml` so `mkdocs build` and `prioportal build` agree.

The options themselves are declared once, as MkDocs config options on the plugin
(`PortalConfig`); this module turns a loaded MkDocs config into a plain, typed value that
the rest of the pipeline uses without knowing about MkDocs. `settings_file` reads mkdocs.yml
safely and checks every option at its line; `settings_options` holds the kinds of values
(addresses, colours, files) and their checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from prioportal.checks.contrast import brand_contrast_failures
from prioportal.checks.personal_data import ScanRules
from prioportal.model.small_numbers import DEFAULT_THRESHOLD
from prioportal.checks.settings_texts import personal_data_in_settings
from prioportal.problems import InvalidPortal, Problem, Severity, T
from prioportal.settings_editor import Editor, EditorConfig, editor_settings
from prioportal.settings_file import ENABLE, NOT_ENABLED, Positions, positions_of, read_settings_file
from prioportal.settings_options import (
    CASE_NUMBER, AtLeast, CaseUrl, Colour, EmailAddress, EmailDomain, IsoDateText, Link, WebAddress, logo_problem,
    portal_file_problem,
)
from prioportal.text.i18n import Translator, available_languages
from prioportal.text.own_texts import OwnTexts, check_own_texts

# Every language with a translation catalogue; a translator adds one by adding a catalogue.
SUPPORTED_LANGUAGES = tuple(available_languages())

# Entries per page of a listing: 50 ranking rows stay within the page-weight budget, and fewer
# than 10 would make a citizen page through a small round.
DEFAULT_LISTING_PAGE_SIZE = 50
MIN_LISTING_PAGE_SIZE = 10


class BrandConfig(Config):
    """How the portal looks: set in mkdocs.yml, never in templates."""

    color = Colour("#0b4f7c")          # header background; white text must stay readable on it
    text_color = Colour("#ffffff")     # text on the header
    link_color = Colour("#0a58a3")     # links on white
    logo = c.Optional(c.Type(str))     # an SVG, PNG, JPEG or WebP image in the portal, relative to mkdocs.yml
    footer = c.Optional(c.Type(str))    # Markdown shown at the bottom of every page


class AccessibilityConfig(Config):
    """The accessibility statement (tilgjengelighetserklæring / tillgänglighetsredogörelse)."""

    last_tested = c.Optional(IsoDateText())
    status = c.Choice(("full", "partial", "none"), default="full")
    method = c.Optional(c.Type(str))  # how it was tested; the page has a default text in the portal's language
    known_issues = c.ListOfItems(c.Type(str), default=[])
    feedback_email = c.Optional(EmailAddress())
    enforcement_name = c.Optional(c.Type(str))
    enforcement_url = c.Optional(Link())  # Sweden: DIGG's form for reporting a lack of accessibility
    # Norway: the statement itself is published in Digdir's uustatus.no; its address there.
    statement_url = c.Optional(WebAddress())
    # Sweden (DIGG's rules for the statement): when it was last reviewed, who assessed the
    # portal, and the content exempted as a disproportionate burden or outside the law.
    last_reviewed = c.Optional(IsoDateText())
    evaluation = c.Optional(c.Choice(("self_assessment", "third_party")))
    exemptions = c.ListOfItems(c.Type(str), default=[])
    outside_scope = c.ListOfItems(c.Type(str), default=[])


class PersonalDataConfig(Config):
    """What the personal-data check looks for besides identity numbers (always checked)."""

    names = c.ListOfItems(c.Type(str), default=[])  # names of individuals that must never be published
    phone_numbers = c.Type(bool, default=True)
    allowed_email_domains = c.Optional(c.ListOfItems(EmailDomain()))  # e.g. [eksempelvik.kommune.no]
    names_file = c.Optional(c.Type(str))  # a file with one name per line, kept out of the published repository
    # A follow-up value that counts persons below this is published as "fewer than 5"
    # (model/small_numbers.py); 0 publishes every value as written.
    small_numbers = AtLeast(0, DEFAULT_THRESHOLD)


class HistoryConfig(Config):
    """What the history of changes on each page shows besides what changed in each field."""

    # The first line of each commit message: written by whoever committed, often a developer in
    # English, so it is published only when the portal chooses to.
    show_commit_messages = c.Type(bool, default=False)


class PortalConfig(Config):
    """The `prioportal` plugin's options in mkdocs.yml."""

    language = c.Choice(SUPPORTED_LANGUAGES, default="nb")  # the main language, published at the site root
    # Further languages, each published under /<code>/ with a language switcher; texts missing
    # in one of them are shown in the main language, and the page says so.
    languages = c.ListOfItems(c.Choice(SUPPORTED_LANGUAGES), default=[])
    decisions_dir = c.Type(str, default="decisions")
    municipality = c.Type(str)
    currency = c.Type(str, default="NOK")
    contact_email = c.Optional(EmailAddress())
    contact_phone = c.Optional(c.Type(str))
    contact_url = c.Optional(Link())
    input_url = c.Optional(Link())
    # The address of a case in the public record (eInnsyn, the municipality's innsyn or
    # diarium), with {case_number} where the number goes: each case number links there.
    case_url = c.Optional(CaseUrl())
    readability_limit = c.Type(int, default=40)  # LIX above this gives a warning
    easy_read_limit = c.Type(int, default=30)  # LIX above this gives a warning for an easy-read summary
    # Entries per page of every listing of measures (a round's ranking, a sector …); longer
    # listings continue on <listing>/page/2/ and so on, so no page grows with the portal.
    listing_page_size = AtLeast(MIN_LISTING_PAGE_SIZE, DEFAULT_LISTING_PAGE_SIZE)
    brand = c.SubConfig(BrandConfig)
    accessibility = c.SubConfig(AccessibilityConfig)
    privacy = c.Optional(c.Type(str))  # extra Markdown for the privacy page, e.g. server log retention
    personal_data = c.SubConfig(PersonalDataConfig)
    history = c.SubConfig(HistoryConfig)
    # The browser editor at /admin/ and the forge it saves to (settings_editor.py); none without it.
    editor = c.SubConfig(EditorConfig)
    licence = c.Optional(c.Type(str))  # of the open data; default by language: NLOD 2.0 (nb, nn), CC0 1.0 (sv, en)
    licence_url = c.Optional(Link())  # the licence text; default: the address of a known licence
    # The portal's own wording of texts on the site, per language: {"sv": {"Sector": "Nämnd"}}.
    texts = c.Type(dict, default={})


# The open-data licence when mkdocs.yml names none: Norway's licence for open government data
# (NLOD) for a Norwegian portal, the CC0 public-domain dedication otherwise (as Swedish public
# bodies are recommended to use).
NLOD = ("NLOD 2.0", "https://data.norge.no/nlod/no/2.0")
CC0 = ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
KNOWN_LICENCES = {NLOD[0]: NLOD[1], CC0[0]: CC0[1], "CC0": CC0[1],
                  "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}


def default_licence(language: str) -> tuple[str, str]:
    """The licence and its address for a portal in `language` that names no licence."""
    return NLOD if language in ("nb", "nn", "no") else CC0


def resolve_licence(language: str, licence: str | None, licence_url: str | None) -> tuple[str, str | None]:
    """The licence as configured, completed from the language's default; a known licence gets its address."""
    if not licence:
        name, url = default_licence(language)
        return name, licence_url or url
    return licence, licence_url or KNOWN_LICENCES.get(licence.strip())


@dataclass(frozen=True)
class Settings:
    root: Path
    site_name: str
    site_url: str | None
    site_description: str | None
    language: str
    municipality: str
    currency: str
    decisions_dir: Path
    content_dir: Path
    templates_dir: Path
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_url: str | None = None
    input_url: str | None = None
    case_url: str | None = None  # with {case_number}; see case_link
    readability_limit: int = 40
    easy_read_limit: int = 30  # the stricter limit of a measure's easy-read summary (lettlest, lättläst)
    listing_page_size: int = DEFAULT_LISTING_PAGE_SIZE
    brand: Brand = field(default_factory=lambda: Brand())
    accessibility: AccessibilityStatement | None = None
    privacy: str | None = None
    personal_data: ScanRules = field(default_factory=lambda: ScanRules(phone_numbers=True))
    small_numbers: int = DEFAULT_THRESHOLD  # personal_data.small_numbers: follow-up counts of persons below it are not published
    other_languages: tuple[str, ...] = ()
    main_language: str | None = None  # set on the settings of a language tree other than the main one
    tree: str = ""  # that tree's folder below the site root, e.g. "en/"
    licence: str | None = None  # of the open data; settings_from_mkdocs fills in the language's default
    licence_url: str | None = None
    texts: OwnTexts = ()  # the portal's own wording of texts of the site (own_texts.py)
    show_commit_messages: bool = False  # history.show_commit_messages: commit messages on the history pages
    editor: Editor | None = None  # the browser editor at /admin/, when mkdocs.yml turns it on

    def case_link(self, case_number: object) -> str | None:
        """The address of a case in the public record (`case_url` with the number put in, every
        character an address cannot hold percent-encoded, a / kept), or None without case_url."""
        if not self.case_url or case_number is None or not str(case_number).strip():
            return None
        return self.case_url.replace(CASE_NUMBER, quote(str(case_number).strip(), safe="/"))

    def translator(self) -> Translator:
        """The texts of the site in this settings' language, in the portal's own words where it has them."""
        return Translator(self.language, dict(self.texts).get(self.language, ()))

    @property
    def languages(self) -> tuple[str, ...]:
        """Every published language, the main one first."""
        main = self.main_language or self.language
        return (main,) + tuple(x for x in self.other_languages if x != main)

    def for_language(self, language: str) -> "Settings":
        """The settings of one language tree: a site of its own in `language`, published in the
        folder `<language>/` below the main language's site (the main language at the root)."""
        main = self.languages[0]
        if language == main:
            return self
        site_url = f"{self.site_url.rstrip('/')}/{language}/" if self.site_url else None
        return replace(self, language=language, main_language=main, site_url=site_url, tree=f"{language}/",
                       other_languages=tuple(x for x in self.languages if x != main))


@dataclass(frozen=True)
class Brand:
    color: str = "#0b4f7c"
    text_color: str = "#ffffff"
    link_color: str = "#0a58a3"
    logo: Path | None = None
    footer: str | None = None


@dataclass(frozen=True)
class AccessibilityStatement:
    last_tested: date | None  # None when only statement_url is set (the statement is elsewhere)
    status: str
    method: str | None
    known_issues: tuple[str, ...]
    feedback_email: str | None
    enforcement_name: str | None
    enforcement_url: str | None
    statement_url: str | None = None
    last_reviewed: date | None = None
    evaluation: str | None = None  # self_assessment or third_party
    exemptions: tuple[str, ...] = ()
    outside_scope: tuple[str, ...] = ()

    @property
    def statement_site(self) -> str | None:
        """The host name of `statement_url` (uustatus.no), for the link's text."""
        host = urlsplit(self.statement_url).hostname if self.statement_url else None
        return host.removeprefix("www.") if host else None


def settings_from_mkdocs(config, plugin_config: PortalConfig, positions: Positions | None = None) -> Settings:
    """Build Settings from an already loaded MkDocs config and this plugin's options; `positions`
    are where mkdocs.yml writes each value (read again from the file when not given), for the
    problems of the files the settings name and of the own texts, all reported at once."""
    config_file = Path(config.config_file_path)
    root = config_file.resolve().parent
    where = positions or positions_of(config_file, PortalConfig)
    custom_dir = config.theme.custom_dir or "site_templates"
    problems: list[Problem] = []
    logo = _logo(root, plugin_config.brand.logo, where, problems)
    personal_data = _scan_rules(root, plugin_config.personal_data, where, problems)
    editor = editor_settings(plugin_config.editor, where, problems)
    try:
        texts = check_own_texts(plugin_config.texts, (plugin_config.language, *plugin_config.languages),
                                lambda *path: where.key(where.option("texts", *path)))
    except InvalidPortal as exc:
        problems += exc.problems
        texts = ()
    if problems:
        raise InvalidPortal(problems)
    settings = Settings(
        root=root,
        site_name=config.site_name,
        site_url=config.site_url or None,
        site_description=config.site_description or None,
        language=plugin_config.language,
        municipality=plugin_config.municipality,
        currency=plugin_config.currency,
        decisions_dir=(root / plugin_config.decisions_dir).resolve(),
        content_dir=Path(config.docs_dir).resolve(),
        templates_dir=(root / custom_dir).resolve(),
        contact_email=plugin_config.contact_email,
        contact_phone=plugin_config.contact_phone,
        contact_url=plugin_config.contact_url,
        input_url=plugin_config.input_url,
        case_url=plugin_config.case_url,
        readability_limit=plugin_config.readability_limit,
        easy_read_limit=plugin_config.easy_read_limit,
        listing_page_size=plugin_config.listing_page_size,
        brand=Brand(
            color=plugin_config.brand.color,
            text_color=plugin_config.brand.text_color,
            link_color=plugin_config.brand.link_color,
            logo=logo,
            footer=plugin_config.brand.footer,
        ),
        accessibility=_statement(plugin_config.accessibility),
        privacy=plugin_config.privacy,
        personal_data=personal_data,
        small_numbers=plugin_config.personal_data.small_numbers,
        other_languages=tuple(dict.fromkeys(x for x in plugin_config.languages if x != plugin_config.language)),
        **dict(zip(("licence", "licence_url"),
                   resolve_licence(plugin_config.language, plugin_config.licence, plugin_config.licence_url))),
        texts=texts,
        show_commit_messages=plugin_config.history.show_commit_messages,
        editor=editor,
    )
    # The texts of mkdocs.yml are published too: personal data in them stops the build as well.
    problems = personal_data_in_settings(settings, where)
    if problems:
        raise InvalidPortal(problems)
    return settings


def _logo(root: Path, logo: str | None, where: Positions, problems: list[Problem]) -> Path | None:
    """The logo's file: an image inside the portal, with nothing in it that runs where it is published."""
    if not logo:
        return None
    at = where.value(where.option("brand", "logo"))
    path, what = portal_file_problem(root, logo)
    if path is None:
        problems.append(where.problem(at, T("the logo {what}", what=what), T("name an image file in the portal's "
                                      "folder, relative to mkdocs.yml, e.g. branding/logo.svg")))
        return None
    what = logo_problem(path)
    if what:
        problems.append(where.problem(at, T("the logo '{logo}' cannot be published: {what}", logo=logo, what=what),
                                      T("save the logo as a plain SVG (shapes and text only) or as a PNG")))
        return None
    return path


def _scan_rules(root: Path, config: PersonalDataConfig, where: Positions, problems: list[Problem]) -> ScanRules:
    names = list(config.names)
    if config.names_file:
        # Kept out of the published repository, so it may be outside the portal: it is only read.
        path = (root / config.names_file)
        if not path.is_file():
            problems.append(where.problem(where.value(where.option("personal_data", "names_file")),
                                          T("the names file '{file}' does not exist", file=config.names_file),
                                          T("create it with one name per line, or remove names_file")))
        else:
            names += [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
                      if line.strip() and not line.startswith("#")]
    domains = tuple(config.allowed_email_domains) if config.allowed_email_domains is not None else None
    return ScanRules(names=tuple(names), phone_numbers=config.phone_numbers, allowed_email_domains=domains)


def _statement(config: AccessibilityConfig) -> AccessibilityStatement | None:
    if not config.last_tested and not config.statement_url:
        return None
    return AccessibilityStatement(
        last_tested=date.fromisoformat(config.last_tested) if config.last_tested else None,
        status=config.status,
        method=config.method,
        known_issues=tuple(config.known_issues),
        feedback_email=config.feedback_email,
        enforcement_name=config.enforcement_name,
        enforcement_url=config.enforcement_url,
        statement_url=config.statement_url,
        last_reviewed=date.fromisoformat(config.last_reviewed) if config.last_reviewed else None,
        evaluation=config.evaluation,
        exemptions=tuple(config.exemptions),
        outside_scope=tuple(config.outside_scope),
    )


def load_settings(config_file: Path) -> Settings:
    """Read mkdocs.yml as data (never with MkDocs' own loader, which runs Python tags), check
    every setting, and make the Settings; a bad file is a Problem at its line, not a traceback."""
    config, positions = read_settings_file(config_file, PortalConfig)
    plugin = config.plugins.get("prioportal")
    if plugin is None:  # settings_file found it written; MkDocs would have said why it could not load it
        raise InvalidPortal([Problem(config_file.name, 1, 1, NOT_ENABLED, ENABLE)])
    return settings_from_mkdocs(config, plugin.config, positions)


def with_settings_warnings(warnings: tuple[Problem, ...], settings: Settings) -> tuple[Problem, ...]:
    """The warnings about the files and those about the settings, in the order they are reported."""
    return tuple(sorted(warnings + tuple(settings_warnings(settings))))


# The colour pairs `brand_contrast_failures` names, in the communicator's language.
_CONTRAST_OF = {"header text on the brand colour": T("header text on the brand colour"),
                "links on the white page": T("links on the white page")}


def settings_warnings(settings: Settings, config_file: Path | None = None) -> list[Problem]:
    """Brand colours that would make text unreadable, reported against mkdocs.yml."""
    config_file = config_file or settings.root / "mkdocs.yml"
    lines = config_file.read_text(encoding="utf-8", errors="replace").splitlines() if config_file.is_file() else []
    found = []
    for what, fg, bg, ratio in brand_contrast_failures(settings.brand.color, settings.brand.text_color,
                                                        settings.brand.link_color):
        colour = fg if bg == "#ffffff" else bg
        line = next((n for n, text in enumerate(lines, 1) if colour.lower() in text.lower()), 1)
        shown_ratio = "%.1f" % ratio
        found.append(Problem(config_file.name, line, 1,
                             T("the contrast of {what} is {ratio}:1, below the 4.5:1 that WCAG AA requires",
                               what=_CONTRAST_OF.get(what, what), ratio=shown_ratio),
                             T("choose a darker brand colour or a lighter text colour (check with a contrast checker)"),
                             Severity.warning))
    return found
