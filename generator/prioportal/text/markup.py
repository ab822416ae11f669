"""Communicators' Markdown to safe HTML.

Markdown may contain raw HTML; the result is passed through an allow-list sanitiser, so no
script, event handler, style or `javascript:` link can reach a page. Rendering is cached by
content because the same texts recur across pages and rebuilds.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

from prioportal.text.markdown_guard import bound_links, defuse_angle_brackets, restore

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "caption", "abbr", "hr",
    "span", "sup", "sub", "dl", "dt", "dd",
}
_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"},
               "td": set(), "span": {"lang"}, "p": {"lang"}, "blockquote": {"lang"}}


# One converter per process: building one per call costs more than the conversion itself.
_CONVERTER = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
bound_links(_CONVERTER)  # no text makes it take time growing faster than its length (markdown_guard.py)


# A paragraph ": Caption" right after a table is its caption, as in Pandoc's Markdown.
_TABLE_WITH_CAPTION = re.compile(r"<table>(.*?)</table>\s*(?:<p>: ([^<]*)</p>)?", re.S)


def _accessible_table(match: re.Match) -> str:
    """Tables scroll inside their own labelled region, so a narrow screen never scrolls the page
    sideways; the caption names both the table and the region for screen readers."""
    body, caption = match.group(1), (match.group(2) or "").strip()
    label = f' aria-label="{caption.replace(chr(34), "&quot;")}"' if caption else ""
    caption_html = f"<caption>{caption}</caption>" if caption else ""
    return f'<div class="table-scroll" role="region" tabindex="0"{label}><table>{caption_html}{body}</table></div>'


# Most texts are plain sentences: letters, digits, spaces and ordinary punctuation, in
# paragraphs separated by blank lines, with no line that could start a list, a heading or a
# code block. Their HTML is known without running Markdown and the sanitiser (about a
# millisecond each, the largest cost of a measure page); a test checks both give the same.
_PLAIN = re.compile(r"[^\W_]|[ .,;:?!'\"%/()\u2013\u2014\n-]")
_NOT_PLAIN_LINE = re.compile(r"^(?:[ \t]|[-+=]|\d+[.)]|.*[ \t]$|.*: )", re.M)


def _plain_html(text: str) -> str | None:
    stripped = text.strip("\n")
    if len(_PLAIN.sub("", stripped)) or _NOT_PLAIN_LINE.search(stripped):
        return None
    paragraphs = [p for p in stripped.split("\n\n") if p]
    if any(not p.strip() or p.startswith("\n") or p.endswith("\n") for p in paragraphs):
        return None  # several blank lines in a row: left to Markdown
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


@lru_cache(maxsize=50_000)
def render_markdown(text: str) -> Markup:
    plain = _plain_html(text)
    if plain is not None:
        return Markup(plain)
    return _render_markdown(text)


def _render_markdown(text: str) -> Markup:
    defused, stand_in = defuse_angle_brackets(text)
    html = restore(_CONVERTER.reset().convert(defused), stand_in)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    if "<table>" in clean:
        clean = _TABLE_WITH_CAPTION.sub(_accessible_table, clean)
    return Markup(clean)
