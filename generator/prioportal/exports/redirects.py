"""Stable addresses: a measure's page lives at `measures/<id>/` whatever its title becomes, and
when an id itself has to change, the old address keeps working.

A measure lists the ids it had before in `former_ids: [old-id]`; each gets a small page at
`measures/<old-id>/index.html` that sends browsers on at once (`<meta http-equiv="refresh">`),
shows a plain link for everyone else, names the new page as canonical, and asks search engines
not to index it. A former id may not be the id of a live measure, nor be claimed by two measures.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from prioportal.model.portal import Portal
from prioportal.system.safe_writing import Files, write_files
from prioportal.checks.former_ids import redirect_problems
from prioportal.problems import InvalidPortal
from prioportal.settings import Settings
from prioportal.site import urls
from prioportal.site.contexts import RedirectContext, template_names
from prioportal.site.render import make_environment


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
            for old in measure.former_ids}


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
