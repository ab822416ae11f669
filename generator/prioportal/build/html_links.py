"""The ids and links of one HTML page, read the way a browser's tokenizer reads them.

Only the `href`, `src`, `poster`, `srcset`, `imagesrcset`, `id` and `name` attributes of real
elements count: never text, never markup escaped inside an attribute value or a text node
(`content="&lt;img src=x&gt;"`), never what stands in comments or in the raw text of
`<script>`, `<style>`, `<textarea>`, `<title>` and the like. A page is walked from its start:
whether a `<` opens a tag depends on everything before it (it may stand in an attribute value).

The walk is a hot path (every page of a 10 000-measure build), so it runs in the regex engine:
each step (`_STEP`) goes over text, comments and every tag that has none of the wanted
attributes, and ends with the next tag that has one (or with a raw-text element and its text);
Python then reads that one tag's attributes. All repetitions are possessive, so each character
is looked at a bounded number of times and the time grows linearly with the page, whatever it
holds. Positions are those of the tag's `<` (1-based line and column). An earlier scanner
looked for `href=` and the like anywhere and then for the nearest `<` before it, and so took
`&lt;img src=x&gt;` in a meta description for a link; it was some 10 % faster.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_WANTED = ("href", "src", "poster", "srcset", "imagesrcset", "id", "name")
# Elements whose content is text up to their end tag, where a `<` opens no tag.
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext")

_S = r"[\t\n\f\r ]"  # HTML's white space
_TAG_NAME = r"[a-zA-Z][^\t\n\f\r />]*+"
_NAME = r"[^\t\n\f\r />][^\t\n\f\r />=]*+"  # an attribute's name (a first `=` belongs to it)
# What follows an attribute's name: `=` and a value that is complete, or no `=` at all. A
# quoted value left open runs to the end of the page, and then the tag never ends (as in a
# browser): the tag does not match rather than being read another way.
_VALUE = rf"""(?:="[^"]*+"|{_S}*+={_S}*+(?:"[^"]*+"|'[^']*+'|(?!["'])[^\t\n\f\r >]*+)|(?!{_S}*+=))"""
_ATTRIBUTES = rf"(?:[\t\n\f\r /]++|{_NAME}{_VALUE})*+"
# Look-behinds, right after a name, rather than look-aheads before it: they are tried only where
# a name ends, and cheaply, and made the walk a third faster. An attribute is dull unless it is
# a wanted name (with a value); a tag's name is checked for a raw-text element's only when it
# ends in a letter that one of those ends in.
_NOT_WANTED = "".join(rf"(?<![\t\n\f\r /\"']{name})" for name in _WANTED)
_LAST_LETTERS = "".join(sorted({name[-1] + name[-1].upper() for name in _RAW_TEXT}))
_NOT_RAW = "(?:(?<![%s])|%s)" % (_LAST_LETTERS, "".join(rf"(?<!<{name})" for name in _RAW_TEXT))
_RAW_NAME = rf"(?:{'|'.join(_RAW_TEXT)})(?=[\t\n\f\r />])"

# One step of the walk: everything up to the next tag that matters (text, comments, doctype and
# the like, end tags, and start tags without a wanted attribute other than raw-text elements),
# then that tag: its name and attributes in groups 1 and 2, or for a raw-text element in groups
# 3 and 4, followed by its text up to its end tag (`<plaintext>` has none, a rare difference).
# Without a group the page has ended, or what is left of it is a tag that never closes. The
# step always matches where the last one ended, so `finditer` walks the page.
_STEP = re.compile(
    r"(?:[^<]++|<(?:"
    rf"{_TAG_NAME}{_NOT_RAW}(?:[\t\n\f\r /]++|{_NAME}{_NOT_WANTED}{_VALUE})*+>"  # a dull start tag
    # an end tag (attributes in one count for nothing), `</>` or a bogus comment
    rf"|/(?:[a-zA-Z][^\t\n\f\r />]*+>|{_TAG_NAME}{_ATTRIBUTES}>|(?![a-zA-Z])[^>]*+>?)"
    r"|!(?:--(?:-?>|.*?--!?>|.*+)|[^>]*+>?)"  # a comment (closed or running to the end), doctype, CDATA
    r"|\?[^>]*+>?"  # a processing instruction: a bogus comment
    r"|(?![a-zA-Z!/?])"  # a `<` that opens nothing is text
    rf"))*+(?:<(?!{_RAW_NAME})({_TAG_NAME})({_ATTRIBUTES})>"
    rf"|<({_RAW_NAME}[^\t\n\f\r />]*+)({_ATTRIBUTES})>(?:.*?(?=</\3[\t\n\f\r />])|.*+))?",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(rf"""[\t\n\f\r /]*+({_NAME})(?:{_S}*+(=){_S}*+(?:"([^"]*+)"|'([^']*+)'|([^\t\n\f\r >]*+)))?""")
_WANTED_SET = frozenset(_WANTED)


@dataclass
class PageLinks:
    """What the check needs of a page: its ids, and every link with its position."""

    ids: set[str]
    links: list[tuple[int, int, str]]  # line, column, URL as written
    base: str | None = None  # <base href>, if the page has one


def scan_html(text: str) -> PageLinks:
    """Ids and links of one page: each wanted attribute of each element, its entities decoded."""
    page = PageLinks(set(), [])
    ids, links = page.ids, page.links
    line, counted = 1, 0  # the line at offset `counted`: tags come in order, so lines are counted on
    attributes = _ATTRIBUTE.findall
    for tag in _STEP.finditer(text):
        group = tag.lastindex
        if group is None:
            break
        start, end = tag.span(group)
        # One loop, no call per tag: this runs for every link and id of every page.
        seen: tuple[str, ...] = ()
        for name, equals, double, single, bare in attributes(text, start, end):
            name = name.lower()
            if not equals or name not in _WANTED_SET or name in seen:
                continue  # as in a browser, the first of two attributes with one name counts
            seen += (name,)
            value = double or single or bare
            if "&" in value:
                value = html.unescape(value)
            if name == "id":
                ids.add(value)
                continue
            element = tag.group(group - 1).lower()
            if name == "name":
                if element in ("a", "map"):
                    ids.add(value)
                continue
            if name == "href" and element == "base":
                page.base = value.strip()
                continue
            if name == "imagesrcset" and element != "link":
                continue
            tag_start = tag.start(group - 1) - 1
            if tag_start != counted:
                line += text.count("\n", counted, tag_start)
                counted = tag_start
            column = tag_start - text.rfind("\n", 0, tag_start)
            if name in ("srcset", "imagesrcset"):
                links += [(line, column, c.strip().split(" ")[0]) for c in value.split(",") if c.strip()]
            else:
                links.append((line, column, value))
    return page
