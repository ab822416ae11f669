"""Stable addresses: a measure's page lives at `measures/<id>/` whatever its title becomes, and
when an id itself has to change, the old address keeps working.

A measure lists the ids it had before in `former_ids: [old-id]`; each gets a small page at
`measures/<old-id>/index.html` that sends browsers on at once (`<meta http-equiv="refresh">`),
shows a plain link for everyone else, names the new page as canonical, and asks search engines
not to index it. A former id may not be the id of a live measure, nor be claimed by two measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import jinja2

from prioportal.sources.yaml_files import load_yaml
from prioportal.model.decisions import SLUG_RE
from prioportal.model.portal import Portal
from prioportal.build.output import Files, write_files
from prioportal.problems import InvalidPortal, Problem
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.contexts import RedirectContext, template_names
from prioportal.site.render import make_environment


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


def redirect_page(env: jinja2.Environment, settings: Settings, old: str, new: str, title: str) -> str:
    """The page at the former address `old` of the measure `new`, from the theme's
    `redirect.html` (a portal may override it like any other template)."""
    here = urls.measure(old)
    site = urls.absolute(settings.site_url, urls.measure(new)) if settings.site_url else None
    context = RedirectContext(settings=settings, language=settings.language, urls=urls, root=urls.up(here),
                              title=title, target=urls.relative(here, urls.measure(new)), canonical=site)
    return env.get_template(RedirectContext.template).render(template_names(context))


def redirect_files(settings: Settings, portal: Portal, env: jinja2.Environment | None = None) -> Files:
    """A redirect page for every former id of every measure of a portal that `load_portal`
    gave, which refuses former ids that would collide. `env` is the tree's template
    environment (`render.make_environment`), made here when not given."""
    env = env or redirect_environment(settings)
    files: Files = {}
    for x in portal.measures:
        if x.former_ids:
            files.update(measure_redirects(settings, x, env))
    return files


def measure_redirects(settings: Settings, measure, env: jinja2.Environment) -> Files:
    """The redirect pages of one measure's former ids; they depend on nothing else but the
    settings and the templates."""
    return {urls.file_of(urls.measure(old)): redirect_page(env, settings, old, measure.id, str(measure.title)).encode("utf-8")
            for old in former_ids(measure)}


def redirect_environment(settings: Settings) -> jinja2.Environment:
    """The template environment a build of the tree of `settings` renders its pages with."""
    tr = settings.translator()
    return make_environment(settings.templates_dir, settings.language, settings.currency,
                            mark_fallbacks=settings.main_language is not None, own_texts=tr.own)


def write_redirects(out_dir: Path, settings: Settings, portal: Portal) -> list[Path]:
    """The redirect pages of any portal; refuses former ids that would collide."""
    problems = redirect_problems(portal, settings.root)
    if problems:
        raise InvalidPortal(problems)
    return write_files(out_dir, redirect_files(settings, portal))
