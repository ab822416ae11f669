"""Personal data in the texts of mkdocs.yml: the site's name and description, the footer, the
privacy and accessibility texts, the contact details, the licence and the portal's own wording
of texts of the site (`texts:`). Each is published on every page or on a page of its own, so a
fødselsnummer there is published as surely as one in a decision file.

The same rules as for the decision files, but for phone numbers, which are not looked for here:
the texts of mkdocs.yml are the municipality's own (a footer names its switchboard, and
`contact_phone` is a phone number by design). E-mail addresses outside the municipality's domains
are, where the portal asks for that, except the contact and feedback addresses it names itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from prioportal.checks.personal_data import ScanRules, describe, is_allowed, scan_text
from prioportal.checks.rendered_text import position_in
from prioportal.problems import Problem, T

if TYPE_CHECKING:
    from prioportal.settings import Settings
    from prioportal.settings_file import Positions


def published_texts(settings: Settings, where: Positions) -> Iterator[tuple[tuple, str]]:
    """Every text of the settings that a page shows, with its path in mkdocs.yml."""
    yield ("site_name",), settings.site_name
    yield ("site_description",), settings.site_description or ""
    for name in ("municipality", "contact_email", "contact_phone", "contact_url", "input_url", "case_url", "privacy",
                 "licence", "licence_url"):
        yield where.option(name), getattr(settings, name) or ""
    yield where.option("brand", "footer"), settings.brand.footer or ""
    statement = settings.accessibility
    if statement is not None:
        for name in ("method", "feedback_email", "enforcement_name", "enforcement_url", "statement_url"):
            yield where.option("accessibility", name), getattr(statement, name) or ""
        for listed in ("known_issues", "exemptions", "outside_scope"):
            for i, issue in enumerate(getattr(statement, listed)):
                yield where.option("accessibility", listed, i), issue
    for language, own in settings.texts:
        for msgid, text in own:
            yield where.option("texts", language, msgid), text


def personal_data_in_settings(settings: Settings, where: Positions) -> list[Problem]:
    """Each piece of personal data in a published text of mkdocs.yml, an error where it is written."""
    rules = ScanRules(names=settings.personal_data.names,
                      allowed_email_domains=settings.personal_data.allowed_email_domains)
    own_addresses = [x for x in (settings.contact_email,
                                 settings.accessibility.feedback_email if settings.accessibility else None) if x]
    found = []
    texts: dict[str, str] = {}
    for path, text in published_texts(settings, where):
        for finding in scan_text(str(text), rules) if text else ():
            if is_allowed(finding, own_addresses):
                continue
            at = where.value(path)
            line, column = at.line, at.column
            file = settings.root / at.path
            if at.path not in texts:
                texts[at.path] = file.read_text(encoding="utf-8", errors="replace") if file.is_file() else ""
            line, column = position_in(texts[at.path], finding.written or finding.value, line, column)
            found.append(Problem(at.path, line, column,
                                 T("{what} ({text}) must not be published", what=describe(finding.kind), text=finding.text),
                                 T("remove it from {file}: this text is shown on the site", file=Path(at.path).name)))
    return found
