"""Stable addresses: a measure's page lives at `measures/<id>/` whatever its title becomes, and
when an id itself has to change, the old address keeps working.

A measure lists the ids it had before in `former_ids: [old-id]`; each gets a small page at
`measures/<old-id>/index.html` that sends browsers on at once (`<meta http-equiv="refresh">`),
shows a plain link for everyone else, names the new page as canonical, and asks search engines
not to index it. A former id may not be the id of a live measure, nor be claimed by two measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path

from prioportal.sources.yaml_files import load_yaml
from prioportal.model.decisions import SLUG_RE
from prioportal.model.portal import Portal
from prioportal.build.output import Files, write_files
from prioportal.problems import InvalidPortal, Problem
from prioportal.build.reuse import Reuse, reused
from prioportal.settings import Settings
from prioportal.site import urls

# The same policy as every page of the site: nothing from other sites, no inline script.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")


def former_ids(measure) -> tuple[str, ...]:
    """The ids a measure had before."""
    return tuple(measure.former_ids)


def _problem(sources: Mapping[str, str], root: Path | None, measure_id: str, index: int, message: str,
             advice: str) -> Problem:
    shown = sources.get(f"measures:{measure_id}", f"measures/{measure_id}")
    line, column = 1, 1
    if root is not None:
        result = load_yaml(root / shown, shown)
        if result.document is not None:
            line, column = result.document.locate(("former_ids", index))
    return Problem(shown, line, column, message, advice)


def redirect_problems(portal: Portal, root: Path | None = None) -> list[Problem]:
    """Former ids that cannot become redirects: one that is a live measure's id, one claimed
    twice, or one that is not a valid id."""
    # Asked after every save in a preview, so in one pass over the measures (each pass over ten
    # thousand of them costs about 8 ms, most of it waiting for memory), and only the few
    # measures with former ids are looked into further.
    live: set[str] = set()
    formers = []
    for x in portal.measures:
        live.add(x.id)
        if x.former_ids:
            formers.append((x.id, former_ids(x)))
    return former_id_problems(formers, live, portal.sources, root)


def former_id_problems(formers: list[tuple[str, tuple]], live: set[str], sources: Mapping[str, str],
                       root: Path | None = None) -> list[Problem]:
    """`redirect_problems` from the (id, former ids) of the measures that have former ids, in
    the portal's order, every measure's id (`live`), and the file each measure's id comes from
    (`Portal.sources`)."""
    claimed: dict[str, str] = {}
    problems = []
    for ident, former in formers:
        for i, old in enumerate(former):
            if not isinstance(old, str) or not SLUG_RE.match(old):
                problems.append(_problem(sources, root, ident, i, f"'{old}' is not a valid former id",
                                         "write the id exactly as it was: lower-case letters, digits and hyphens"))
            elif old == ident:
                problems.append(_problem(sources, root, ident, i, f"'{old}' is this measure's own id",
                                         "list only ids the measure had before under former_ids"))
            elif old in live:
                problems.append(_problem(sources, root, ident, i,
                                         f"the former id '{old}' is the id of another published measure",
                                         "remove it from former_ids: a live page cannot also be a redirect"))
            elif old in claimed:
                problems.append(_problem(sources, root, ident, i,
                                         f"the former id '{old}' is also listed by the measure '{claimed[old]}'",
                                         "keep it under former_ids in one measure only: the one that had it"))
            else:
                claimed[old] = ident
    return problems


def redirect_page(settings: Settings, old: str, new: str, title: str) -> str:
    _ = settings.translator().gettext
    here = urls.measure(old)
    target = urls.relative(here, urls.measure(new))
    canonical = (f'<link rel="canonical" href="{escape(urls.absolute(settings.site_url, urls.measure(new)))}">\n'
                 if settings.site_url else "")
    text = escape(_("This decision has moved to a new address:"))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(settings.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f"<title>{escape(title)} – {escape(settings.site_name)}</title>\n"
        f"{canonical}"
        f'<link rel="stylesheet" href="{urls.relative(here, urls.asset("style.css"))}">\n'
        "</head>\n"
        "<body>\n"
        '<main id="main">\n'
        '<div class="wrap">\n'
        f"<h1>{escape(title)}</h1>\n"
        f'<p>{text} <a href="{target}">{escape(title)}</a></p>\n'
        "</div>\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def redirect_files(settings: Settings, portal: Portal, reuse: Reuse | None = None) -> Files:
    """A redirect page for every former id of every measure of a portal that `load_portal`
    gave, which refuses former ids that would collide. With `reuse` (a preview), a measure's
    pages are made again only when the measure was read again."""
    files: Files = {}
    for x in portal.measures:
        if x.former_ids:
            files.update(reused(reuse, "redirects", (x,), lambda: {
                urls.file_of(urls.measure(old)): redirect_page(settings, old, x.id, str(x.title)).encode("utf-8")
                for old in former_ids(x)}))
    return files


def write_redirects(out_dir: Path, settings: Settings, portal: Portal) -> list[Path]:
    """The redirect pages of any portal; refuses former ids that would collide."""
    problems = redirect_problems(portal, settings.root)
    if problems:
        raise InvalidPortal(problems)
    return write_files(out_dir, redirect_files(settings, portal))
