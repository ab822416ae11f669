"""The reference issue #8 gives for Python: a bare loop of YAML -> Jinja2 -> file, in one process.

    .venv/bin/python benchmarks/bare_loop.py DECISIONS/measures OUT

Each measure file is read with PyYAML's C loader and rendered with one small Jinja2 template
(autoescaped; the title, summary, facts and texts of the measure, without Markdown) into
OUT/<id>/index.html. Nothing is validated, checked, linked, indexed or listed: it is the
floor under what any Python generator of these pages costs on this machine, and bench_build.py
times it beside the portal's build, Hugo and MkDocs. OUT should not exist yet: deleting an
old one is not part of the loop.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml

PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>{{ m.title }}</title></head>
<body><main><h1>{{ m.title }}</h1>
<p>{{ m.summary }}</p>
<dl>{% for key, value in m.items() if value is string or value is number %}<dt>{{ key }}</dt><dd>{{ value }}</dd>{% endfor %}</dl>
{% for part in (m.situation or {}).values() %}<p>{{ part }}</p>{% endfor %}
{% for part in (m.proposal or {}).values() %}<p>{{ part }}</p>{% endfor %}
{% if m.outcome %}<p>{{ m.outcome.rationale }}</p>{% endif %}
</main></body></html>
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    template = jinja2.Environment(autoescape=True).from_string(PAGE)
    count = 0
    for path in sorted(source.rglob("*.yml")):
        with open(path, "rb") as f:
            measure = yaml.load(f, Loader=yaml.CSafeLoader)
        target = out / str(measure["id"]) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(m=measure), encoding="utf-8")
        count += 1
    print(f"{count} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
