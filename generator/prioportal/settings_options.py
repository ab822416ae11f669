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


def link_problem(value: str) -> str | None:
    """Why `value` cannot be the address of a link on the site, or None: it must be https:,
    http: or mailto:, or an address relative to the site."""
    if _NOT_IN_ADDRESS.search(value):
        return f"'{value}' has a space or a character that an address cannot have"
    if value.startswith("//"):
        return f"'{value}' has no scheme: write it with https://"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"'{value}' is not an address"
    if not parts.scheme:
        if ":" in value.split("/", 1)[0]:
            return f"'{value}' is not an address"
        return None  # relative: a page of the portal
    if parts.scheme.lower() not in LINK_SCHEMES:
        return f"'{value}' is a {parts.scheme}: address; a link may only lead to https:, http: or mailto:"
    if parts.scheme.lower() in ("http", "https") and not _HOST.fullmatch(parts.netloc):
        return f"'{value}' names no web server"
    if parts.scheme.lower() == "mailto" and not _EMAIL.fullmatch(parts.path):
        return f"'{value}' is not an e-mail address"
    return None


def site_url_problem(value: object) -> str | None:
    """Why `value` cannot be the site's address, or None: an absolute http(s) address, the
    folder the site is published in, with no query or fragment."""
    if not isinstance(value, str):
        return "site_url is not a text"
    if not value:
        return None
    if _NOT_IN_ADDRESS.search(value):
        return f"'{value}' has a space or a character that an address cannot have"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"'{value}' is not an address"
    if parts.scheme.lower() not in ("https", "http") or not _HOST.fullmatch(parts.netloc):
        return f"'{value}' is not a web address starting with https://"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return f"'{value}' has a ? or # part; site_url is the folder the site is published in"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        return f"'{value}' has a port that does not exist"
    # Every page's address is made from it: a folder named . or .., or a character written as
    # %XX (a / as %2F), would make those addresses lead elsewhere than the site.
    if "%" in parts.path or any(part in ("", ".", "..") for part in parts.path.split("/")[1:-1]):
        return f"'{value}' has a folder named . or .., an empty one (//), or a %: write the folders' names as they are"
    return None


class Colour(c.Type):
    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise c.ValidationError(f"'{value}' is not a colour: write it as #RRGGBB, e.g. #0b4f7c")
        return value.lower()


class IsoDateText(c.Type):
    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(str(value) if value is not None else value)
        try:
            date.fromisoformat(value)
        except ValueError:
            raise c.ValidationError(f"'{value}' is not a date: write it as YYYY-MM-DD") from None
        return value


class AtLeast(c.Type):
    def __init__(self, minimum: int, default: int):
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value):
        if isinstance(value, bool):  # YAML's yes/no would otherwise count as 1 and 0
            raise c.ValidationError(f"write a whole number of at least {self.minimum}")
        value = super().run_validation(value)
        if value < self.minimum:
            raise c.ValidationError(f"{value} is too small: write a whole number of at least {self.minimum}")
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


def case_url_problem(value: str) -> str | None:
    """Why `value` cannot be the address of a case in the public record (eInnsyn, the
    municipality's own innsyn or diarium), or None: an https: or http: address with the place
    {case_number} in it, and no other braces."""
    if CASE_NUMBER not in value:
        return (f"'{value}' has no {CASE_NUMBER}: write where the case number goes, "
                f"e.g. https://einnsyn.no/sok?q={CASE_NUMBER}")
    rest = value.replace(CASE_NUMBER, "")
    if "{" in rest or "}" in rest:
        return f"'{value}' has braces that are not {CASE_NUMBER}: it is the only place the address can have"
    example = value.replace(CASE_NUMBER, "2025-1432")
    try:
        scheme = urlsplit(example).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("https", "http"):
        return f"'{value}' is not a web address: write it with https:// (or http://)"
    problem = link_problem(example)
    return problem.replace(example, value) if problem else None


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
            problem = f"'{value}' is not a web address: write it with https://"
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
            raise c.ValidationError(f"'{value}' is not an e-mail address: write it as name@kommune.no")
        return value


class EmailDomain(c.Type):
    """A domain whose e-mail addresses may be published, e.g. eksempelvik.kommune.no."""

    def __init__(self):
        super().__init__(str)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not _DOMAIN.fullmatch(value.strip()):
            raise c.ValidationError(f"'{value}' is not a domain with a dot in it, such as eksempelvik.kommune.no "
                                    "(a top-level domain alone would let every address in it be published)")
        return value


def portal_file_problem(root: Path, value: str) -> tuple[Path | None, str | None]:
    """The file `value` names, relative to the portal's folder `root`, or why it cannot be used:
    it must exist and be inside the portal, also when it is reached through a symbolic link."""
    path = root / value
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return None, f"'{value}' cannot be opened"
    if not resolved.is_relative_to(root.resolve()):
        return None, f"'{value}' is outside the portal's folder"
    if not resolved.is_file():
        return None, f"'{value}' does not exist" if not resolved.exists() else f"'{value}' is not a file"
    return resolved, None


# What in an SVG can run a script or load something from elsewhere when the file is opened
# (it is published as is, at an address of the site): script elements, event handlers, HTML
# inside the drawing, and references to anything but a part of the drawing itself (#id).
_SVG_REFUSED = (
    (re.compile(r"<\s*(?:[\w-]+:)?script\b", re.I), "a <script>"),
    (re.compile(r"<\s*(?:[\w-]+:)?foreignObject\b", re.I), "a <foreignObject>"),
    (re.compile(r"<\s*(?:[\w-]+:)?(?:iframe|embed|object|handler|listener)\b", re.I), "an embedded document or handler"),
    (re.compile(r"[\s\"'/](?:[\w-]+:)?on[a-z]+\s*=", re.I), "an event handler (on...=)"),
    (re.compile(r"(?:[\w-]+:)?href\s*=\s*(?![\"']\s*#)", re.I), "a reference to another file or address"),
    (re.compile(r"url\s*\(\s*(?![\"']?\s*#)", re.I), "a reference to another file or address (url(...))"),
    (re.compile(r"@import\b|javascript:|attributeName\s*=\s*[\"']?\s*(?:[\w-]+:)?href", re.I),
     "a reference to another file or address"),
    (re.compile(r"<!\s*(?:ENTITY|DOCTYPE)\b", re.I), "a DOCTYPE or ENTITY declaration"),
)


def logo_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be published as the logo, or None."""
    suffix = path.suffix.lower()
    if suffix not in LOGO_TYPES:
        return f"a logo must be an SVG, PNG, JPEG or WebP image, not a '{path.suffix or path.name}' file"
    data = path.read_bytes()
    signature = LOGO_TYPES[suffix]
    if signature is not None:
        return None if data.startswith(signature) else f"the file is not a {suffix[1:].upper()} image"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "the SVG is not saved as UTF-8"
    if "\x00" in text:
        return "the SVG is not saved as UTF-8"
    for pattern, what in _SVG_REFUSED:
        if pattern.search(text):
            return f"the SVG holds {what}, which would run or load something where the logo is published"
    return None
