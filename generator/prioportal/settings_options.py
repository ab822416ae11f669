"""The kinds of values mkdocs.yml holds, each checked before it can reach a page.

Settings are published on every page, so none is trusted: an address in a link must be one a
citizen can follow safely (no `javascript:`), a file named by a setting must be the portal's own
(not `/etc/passwd`, not a link out of the portal), and an SVG logo must not run anything where it
is published. The option types here are MkDocs config options, so that `mkdocs build` applies the
same checks; the file checks need the portal's folder and are called when the settings are made.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options as c

from prioportal.problems import T, Text

# What a link set in mkdocs.yml may lead to: a web page, an e-mail, or a page of the portal itself.
LINK_SCHEMES = ("https", "http", "mailto")
# Characters no address needs, and with which a browser might read it otherwise than this check:
# spaces, controls (a tab inside "java\tscript:" is dropped by browsers), quotes, angle brackets.
_NOT_IN_ADDRESS = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`{}|^]")
_HOST = re.compile(r"(?:[\w-]+\.)*[\w-]+(?::\d{1,5})?", re.UNICODE)
_EMAIL = re.compile(r"[\w.!#$%&*+/=?^~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_DOMAIN = re.compile(r"@?[\w-]+(?:\.[\w-]+)+\.?", re.UNICODE)

# Image types a logo may have; any other file (an .html page, say) would be published as the logo.
LOGO_TYPES = {".svg": None, ".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff",
              ".webp": b"RIFF"}


def link_problem(value: str) -> Text | None:
    """Why `value` cannot be the address of a link on the site, or None: it must be https:,
    http: or mailto:, or an address relative to the site."""
    if _NOT_IN_ADDRESS.search(value):
        return _odd_character(value)
    if value.startswith("//"):
        return T("'{value}' has no scheme: write it with https://", value=value)
    try:
        parts = urlsplit(value)
    except ValueError:
        return _not_an_address(value)
    if not parts.scheme:
        if ":" in value.split("/", 1)[0]:
            return _not_an_address(value)
        return None  # relative: a page of the portal
    if parts.scheme.lower() not in LINK_SCHEMES:
        return T("'{value}' is a {scheme}: address; a link may only lead to https:, http: or mailto:",
                 value=value, scheme=parts.scheme)
    if parts.scheme.lower() in ("http", "https") and not _HOST.fullmatch(parts.netloc):
        return T("'{value}' names no web server", value=value)
    if parts.scheme.lower() == "mailto" and not _EMAIL.fullmatch(parts.path):
        return T("'{value}' is not an e-mail address", value=value)
    return None


def _odd_character(value: str) -> Text:
    return T("'{value}' has a space or a character that an address cannot have", value=value)


def _not_an_address(value: str) -> Text:
    return T("'{value}' is not an address", value=value)


def site_url_problem(value: object) -> Text | None:
    """Why `value` cannot be the site's address, or None: an absolute http(s) address, the
    folder the site is published in, with no query or fragment."""
    if not isinstance(value, str):
        return T("site_url is not a text")
    if not value:
        return None
    if _NOT_IN_ADDRESS.search(value):
        return _odd_character(value)
    try:
        parts = urlsplit(value)
    except ValueError:
        return _not_an_address(value)
    if parts.scheme.lower() not in ("https", "http") or not _HOST.fullmatch(parts.netloc):
        return T("'{value}' is not a web address starting with https://", value=value)
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return T("'{value}' has a ? or # part; site_url is the folder the site is published in", value=value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        return T("'{value}' has a port that does not exist", value=value)
    # Every page's address is made from it: a folder named . or .., or a character written as
    # %XX (a / as %2F), would make those addresses lead elsewhere than the site.
    if "%" in parts.path or any(part in ("", ".", "..") for part in parts.path.split("/")[1:-1]):
        return T("'{value}' has a folder named . or .., an empty one (//), or a %: write the folders' names as "
                 "they are", value=value)
    return None


class Colour(c.Type):
    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise c.ValidationError(T("'{value}' is not a colour: write it as #RRGGBB, e.g. #0b4f7c", value=value))
        return value.lower()


class IsoDateText(c.Type):
    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(str(value) if value is not None else value)
        try:
            date.fromisoformat(value)
        except ValueError:
            raise c.ValidationError(T("'{value}' is not a date: write it as YYYY-MM-DD", value=value)) from None
        return value


class AtLeast(c.Type):
    def __init__(self, minimum: int, default: int):
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value):
        if isinstance(value, bool):  # YAML's yes/no would otherwise count as 1 and 0
            raise c.ValidationError(T("write a whole number of at least {minimum}", minimum=self.minimum))
        value = super().run_validation(value)
        if value < self.minimum:
            raise c.ValidationError(T("{value} is too small: write a whole number of at least {minimum}",
                                      value=value, minimum=self.minimum))
        return value


class Link(c.Type):
    """The address of a link shown on the site (https:, http:, mailto: or relative)."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        problem = link_problem(value)
        if problem:
            raise c.ValidationError(problem)
        return value


# The place in `case_url` where each case number goes.
CASE_NUMBER = "{case_number}"


def case_url_problem(value: str) -> Text | None:
    """Why `value` cannot be the address of a case in the public record (eInnsyn, the
    municipality's own innsyn or diarium), or None: an https: or http: address with the place
    {case_number} in it, and no other braces."""
    if CASE_NUMBER not in value:
        return T("'{value}' has no {place}: write where the case number goes, e.g. {example}", value=value,
                 place=CASE_NUMBER, example="https://einnsyn.no/sok?q=" + CASE_NUMBER)
    rest = value.replace(CASE_NUMBER, "")
    if "{" in rest or "}" in rest:
        return T("'{value}' has braces that are not {place}: it is the only place the address can have",
                 value=value, place=CASE_NUMBER)
    example = value.replace(CASE_NUMBER, "2025-1432")
    try:
        scheme = urlsplit(example).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("https", "http"):
        return T("'{value}' is not a web address: write it with https:// (or http://)", value=value)
    problem = link_problem(example)
    if problem is None:
        return None
    # Said of the address as written, with {case_number}, not of the example made to check it.
    return T(problem.msgid, **{name: value if shown == example else shown for name, shown in problem.values.items()})


class CaseUrl(c.Type):
    """The address of a case in the public record, with {case_number} where the number goes."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        problem = case_url_problem(value)
        if problem:
            raise c.ValidationError(problem)
        return value


class WebAddress(c.Type):
    """The address of a page on another site (an https: or http: address, never relative)."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        problem = link_problem(value)
        if problem is None and urlsplit(value).scheme.lower() not in ("https", "http"):
            problem = T("'{value}' is not a web address: write it with https://", value=value)
        if problem:
            raise c.ValidationError(problem)
        return value


class EmailAddress(c.Type):
    """An e-mail address the site links to with mailto:."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not _EMAIL.fullmatch(value):
            raise c.ValidationError(T("'{value}' is not an e-mail address: write it as name@kommune.no", value=value))
        return value


class EmailDomain(c.Type):
    """A domain whose e-mail addresses may be published, e.g. eksempelvik.kommune.no."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not _DOMAIN.fullmatch(value.strip()):
            raise c.ValidationError(T("'{value}' is not a domain with a dot in it, such as eksempelvik.kommune.no "
                                      "(a top-level domain alone would let every address in it be published)",
                                      value=value))
        return value


def portal_file_problem(root: Path, value: str) -> tuple[Path | None, Text | None]:
    """The file `value` names, relative to the portal's folder `root`, or why it cannot be used:
    it must exist and be inside the portal, also when it is reached through a symbolic link."""
    path = root / value
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return None, T("'{value}' cannot be opened", value=value)
    if not resolved.is_relative_to(root.resolve()):
        return None, T("'{value}' is outside the portal's folder", value=value)
    if not resolved.is_file():
        return None, (T("'{value}' does not exist", value=value) if not resolved.exists()
                      else T("'{value}' is not a file", value=value))
    return resolved, None


# What in an SVG can run a script or load something from elsewhere when the file is opened
# (it is published as is, at an address of the site): script elements, event handlers, HTML
# inside the drawing, and references to anything but a part of the drawing itself (#id).
_SVG_REFUSED = (
    (re.compile(r"<\s*(?:[\w-]+:)?script\b", re.I), T("a <script>")),
    (re.compile(r"<\s*(?:[\w-]+:)?foreignObject\b", re.I), T("a <foreignObject>")),
    (re.compile(r"<\s*(?:[\w-]+:)?(?:iframe|embed|object|handler|listener)\b", re.I),
     T("an embedded document or handler")),
    (re.compile(r"[\s\"'/](?:[\w-]+:)?on[a-z]+\s*=", re.I), T("an event handler (on...=)")),
    (re.compile(r"(?:[\w-]+:)?href\s*=\s*(?![\"']\s*#)", re.I), T("a reference to another file or address")),
    (re.compile(r"url\s*\(\s*(?![\"']?\s*#)", re.I), T("a reference to another file or address (url(...))")),
    (re.compile(r"@import\b|javascript:|attributeName\s*=\s*[\"']?\s*(?:[\w-]+:)?href", re.I),
     T("a reference to another file or address")),
    (re.compile(r"<!\s*(?:ENTITY|DOCTYPE)\b", re.I), T("a DOCTYPE or ENTITY declaration")),
)


def logo_problem(path: Path) -> Text | None:
    """Why the file at `path` cannot be published as the logo, or None."""
    suffix = path.suffix.lower()
    if suffix not in LOGO_TYPES:
        return T("a logo must be an SVG, PNG, JPEG or WebP image, not a '{kind}' file", kind=path.suffix or path.name)
    data = path.read_bytes()
    signature = LOGO_TYPES[suffix]
    if signature is not None:
        return None if data.startswith(signature) else T("the file is not a {kind} image", kind=suffix[1:].upper())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return T("the SVG is not saved as UTF-8")
    if "\x00" in text:
        return T("the SVG is not saved as UTF-8")
    for pattern, what in _SVG_REFUSED:
        if pattern.search(text):
            return T("the SVG holds {what}, which would run or load something where the logo is published", what=what)
    return None
