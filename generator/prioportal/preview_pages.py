"""What `prioportal serve` adds to the HTML pages it serves: the reload script, and while the last
build failed, a notice listing its problems. Added at serve time only, so no built file holds them."""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterable

from prioportal.problems import Problem
from prioportal.text.i18n import N_, Translator

PREVIEW_PREFIX = "/.prioportal-preview/"
RELOAD_SCRIPT_PATH = PREVIEW_PREFIX + "reload.js"
VERSION_PATH = PREVIEW_PREFIX + "version"

# Loaded with `defer` from every HTML page of the preview. External rather than inline, because
# the pages allow only scripts from the site itself (script-src 'self').
RELOAD_SCRIPT = """\
// Live reload for `prioportal serve`: reloads the page when the preview has been rebuilt.
(() => {
  "use strict";
  const script = document.currentScript;
  const shown = Number(script && script.dataset.version) || 0;
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function reloadWhenRebuilt() {
    for (;;) {
      try {
        const response = await fetch("%(version_path)s?since=" + shown, { cache: "no-store" });
        if (!response.ok) throw new Error("HTTP " + response.status);
        const { version } = await response.json();
        if (version > shown) {
          location.reload();
          return;
        }
      } catch (error) {
        // Mostly the preview restarting: keep asking, without flooding it.
        await pause(1500);
      }
    }
  }

  reloadWhenRebuilt();
})();
""" % {"version_path": VERSION_PATH}

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_PAGE_LANGUAGE = re.compile(rb'<html\b[^>]*\blang="([A-Za-z-]+)"', re.IGNORECASE)
PROBLEMS_HEADING = N_("The last save has problems — the site below is the last version without them")


def inject_reload_script(html: bytes, version: int) -> bytes:
    """`html` with the reload script before its last </body> (at the end if it has none)."""
    tag = f'<script src="{RELOAD_SCRIPT_PATH}" data-version="{version}" defer></script>'.encode()
    ends = list(_BODY_END.finditer(html))
    at = ends[-1].start() if ends else len(html)
    return html[:at] + tag + html[at:]


def inject_problems(html: bytes, problems: Iterable[Problem], translators: dict[str, Translator]) -> bytes:
    """`html` with a notice listing `problems` at the top of its body, in the page's language
    (else the portal's first, else English). A heading and a list: the pages' CSP allows no inline style."""
    found = _PAGE_LANGUAGE.search(html)
    language = found[1].decode("ascii") if found else ""
    translator = translators.get(language) or next(iter(translators.values()), None) or Translator("en")
    heading = html_text.escape(translator.gettext(PROBLEMS_HEADING))
    items = "".join(f"<li>{html_text.escape(problem.said(translator.gettext))}</li>" for problem in problems)
    notice = (f'<section class="notice" role="alert" aria-labelledby="prioportal-preview-problems">'
              f'<h2 id="prioportal-preview-problems">{heading}</h2><ul>{items}</ul></section>').encode()
    start = _BODY_START.search(html)
    at = start.end() if start else 0
    return html[:at] + notice + html[at:]
