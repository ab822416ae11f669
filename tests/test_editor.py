"""The browser editor without a browser: what `editor:` in mkdocs.yml publishes at /admin/, its
configuration as made from the model and the portal, the settings a communicator gets wrong,
the pinned program, and the local backend `prioportal serve` saves through.

The editor in use, in Chromium, is tests/test_editor_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from email.message import Message
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import browser
from gate import need
from portal_factory import (CRITERIA_V2, MKDOCS, MKDOCS_TEXT, MEASURE_FUNDED, ROUND_2026, patch_file, position,
                            write_portal)
from prioportal.checks.portal import load_portal
from prioportal.cli import main
from prioportal.exports.editor import editor_config, editor_files, editor_page
from prioportal.exports.editor_config import PAIR_ONLY, collections
from prioportal.local_editor import LocalBackend, answer_post, same_origin
from prioportal.model import decisions as m
from prioportal.problems import InvalidPortal
from prioportal.settings import load_settings
from prioportal.settings_editor import BUNDLE, VENDOR
from prioportal.text.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent
EDITOR = """\
      editor:
        backend: gitea
        repo: testvik/prioriteringer
        url: https://git.testvik.kommune.no
        app_id: 9d1c7e2a
"""
PLUGIN_END = "      input_url: https://testvik.kommune.no/innspill\n"


def with_editor(root: Path, block: str = EDITOR) -> Path:
    write_portal(root, {MKDOCS: MKDOCS_TEXT.replace(PLUGIN_END, PLUGIN_END + block)})
    return root


def fields_by_name(fields: list[dict]) -> dict[str, list[dict]]:
    """Every field below `fields`, by name, wherever it stands (in sections and list items)."""
    found: dict[str, list[dict]] = {}
    stack = list(fields)
    while stack:
        f = stack.pop()
        found.setdefault(f["name"], []).append(f)
        stack += f.get("fields", []) + ([f["field"]] if "field" in f else [])
    return found


@pytest.fixture(scope="module")
def example():
    """The bokmål example's settings, portal and editor configuration."""
    need(BUNDLE_PRESENT, "the editor's program is not vendored: run make editor")
    settings = load_settings(ROOT / "mkdocs.yml")
    portal = load_portal(settings)
    return settings, portal, editor_config(settings, settings.editor, portal)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


BUNDLE_PRESENT = all((VENDOR / BUNDLE.package / name).is_file() for name in BUNDLE.sha256)


# --- The program: pinned, and the pin kept --------------------------------------------------------

def test_the_vendored_program_is_the_pinned_npm_package_with_its_one_documented_change():
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["editorBundle"]
    manifest = json.loads((VENDOR / "decap-cms.json").read_text(encoding="utf-8"))
    assert (manifest["package"], manifest["version"], manifest["integrity"]) == (
        pinned["package"], pinned["version"], pinned["integrity"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned["version"]), "the version must be exact, not a range"
    need(BUNDLE_PRESENT, "the editor's program is not vendored: run make editor")
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((VENDOR / pinned["package"] / name).read_bytes()).hexdigest() == digest, name
    script = (VENDOR / pinned["package"] / BUNDLE.script).read_bytes()
    for file_name, (old, new) in manifest["patched"].items():
        assert file_name == BUNDLE.script and script.count(new.encode()) == 1 and old.encode() not in script


# --- What is published --------------------------------------------------------------------------

def test_the_example_publishes_the_editor_page_its_configuration_and_its_program():
    need(BUNDLE_PRESENT, "the editor's program is not vendored: run make editor")
    site = browser.built_site()
    admin = site / "admin"
    assert {p.name for p in admin.iterdir()} == {"index.html", "config.yml", *BUNDLE.sha256}
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["collections"]]
    assert names == ["criteria", "rounds", "measures-budsjett-2026", "measures-budsjett-2025", "pages"]
    for c in config["collections"]:
        assert (ROOT / c["folder"]).is_dir(), c["folder"]
    assert config["backend"] == {"name": "gitea", "repo": "eksempelvik/prioriteringer", "branch": "main",
                                 "api_root": "https://git.eksempelvik.kommune.no/api/v1",
                                 "base_url": "https://git.eksempelvik.kommune.no",
                                 "app_id": "3f9c2b1e-5d47-4a8e-9b61-0c2d7e4a1f35"}
    assert config["locale"] == "nb_no"
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    # The page may talk to the site and to the forge, and load nothing from anywhere else.
    addresses = set(re.findall(r"https?://[^\s;]+", policy))
    assert addresses == {"https://git.eksempelvik.kommune.no"}, policy
    assert "default-src 'none'" in policy and "connect-src 'self' https://git.eksempelvik.kommune.no;" in policy
    assert [s["src"] for s in page.find_all("script")] == [BUNDLE.script]
    assert page.html["lang"] == "nb" and page.find("noscript").get_text(strip=True)


def test_without_editor_nothing_of_the_editor_is_published(tmp_path):
    root = write_portal(tmp_path / "portal")
    assert main(["-f", str(root / MKDOCS), "build", "--site-dir", str(tmp_path / "site")]) == 0
    assert not (tmp_path / "site" / "admin").exists()
    settings = load_settings(root / MKDOCS)
    assert settings.editor is None and editor_files(settings, load_portal(settings)) == {}


# --- The configuration, from the model and the portal's own files --------------------------------

def test_every_field_of_a_measure_has_the_widget_of_its_kind(example):
    settings, portal, config = example
    measures = collection(config, "measures-budsjett-2026")
    assert measures["folder"] == "decisions/measures/2026" and measures["identifier_field"] == "id"
    top = [f["name"] for f in measures["fields"]]
    # A budget round's measures, not a priority list's pairs: no condition to fill in.
    model = [name for name in m.Measure.model_fields if name not in ("personal_data_allowed", *PAIR_ONLY)]
    assert top == model + ["personal_data_allowed"]  # the model's order: the editor writes keys in it
    assert {f["name"]: f["required"] for f in measures["fields"]} == {
        name: m.Measure.model_fields[name].is_required() for name in top}
    found = fields_by_name(measures["fields"])
    for name in m.ENUM_FIELDS & set(found):
        for f in found[name]:
            assert f["widget"] == "select" and f["options"], (name, f)
    for name in m.AMOUNT_FIELDS & set(found):
        for f in found[name]:
            assert (f["widget"], f["value_type"], f["step"]) == ("number", "int", 1), (name, f)
    for name in m.DATE_FIELDS & set(found):
        for f in found[name]:
            assert (f["widget"], f["format"], f["time_format"]) == ("datetime", "YYYY-MM-DD", False), (name, f)
    assert found["id"][0]["pattern"][0] == m.SLUG_PATTERN
    assert found["rationale"][0]["widget"] == "markdown" and found["title"][0]["widget"] == "string"
    assert found["costs"][0]["widget"] == "list" and found["situation"][0]["widget"] == "object"
    types = found["type"][0]
    assert "multiple" not in types and [o["value"] for o in types["options"]] == [t.value for t in m.MeasureType]
    # Hints and labels in the portal's language, from the model's descriptions.
    nb = Translator("nb")
    title = next(f for f in measures["fields"] if f["name"] == "title")
    assert title["hint"] == nb.gettext("Short title") != "Short title"
    assert found["round"][0]["label"] == nb.gettext("Round")


def test_each_round_asks_for_a_level_of_every_criterion_of_its_criteria_version(example):
    settings, portal, config = example
    for rnd in portal.rounds:
        criteria = portal.criteria_set(rnd.criteria)
        fields = collection(config, f"measures-{rnd.id}")["fields"]
        assessments = next(f for f in fields if f["name"] == "assessments")
        assert [f["name"] for f in assessments["fields"]] == [c.id for c in criteria.criteria]
        for criterion, f in zip(criteria.criteria, assessments["fields"]):
            assert f["label"] == criterion.name and f["hint"] == criterion.question
            level = next(x for x in f["fields"] if x["name"] == "level")
            assert level["required"] is True
            assert [(o["value"], o["label"]) for o in level["options"]] == [(x.id, x.label) for x in criterion.scale]
        rank = next(f for f in fields if f["name"] == "rank")
        assert (rank["min"], rank["max"]) == (criteria.rank_scale.highest, criteria.rank_scale.lowest)
        round_field = next(f for f in fields if f["name"] == "round")
        assert (round_field["widget"], round_field["collection"], round_field["default"]) == ("relation", "rounds",
                                                                                               rnd.id)
        outcome = next(f for f in next(f for f in fields if f["name"] == "outcome")["fields"]
                       if f["name"] == "decision")
        assert [(o["value"], o["label"]) for o in outcome["options"]] == [(t.kind.value, t.label)
                                                                          for t in criteria.outcomes]


def test_the_rounds_and_criteria_versions_refer_to_each_other_through_choices(example):
    _, _, config = example
    rounds = {f["name"]: f for f in collection(config, "rounds")["fields"]}
    assert (rounds["criteria"]["widget"], rounds["criteria"]["collection"]) == ("relation", "criteria")
    assert (rounds["previous"]["widget"], rounds["previous"]["collection"]) == ("relation", "rounds")
    assert rounds["previous"]["required"] is False and rounds["budget_frame"]["value_type"] == "int"
    later = {f["name"]: f for f in collection(config, "measures-budsjett-2026")["fields"]}
    assert (later["previous"]["widget"], later["previous"]["collection"]) == ("relation", "measures-budsjett-2025")
    pages = {f["name"]: f for f in collection(config, "pages")["fields"]}
    assert collection(config, "pages")["format"] == "frontmatter" and pages["body"]["widget"] == "markdown"


def test_a_text_on_a_portal_in_two_languages_is_a_box_per_language(example):
    settings, portal, _ = example
    made = collections(settings.root, settings.decisions_dir, settings.content_dir, portal.criteria_sets,
                       portal.rounds, portal.measures, portal.sources, Translator("nb").gettext, "nb", ("nb", "en"))
    fields = {f["name"]: f for f in next(c for c in made if c["name"] == "measures-budsjett-2026")["fields"]}
    title = fields["title"]
    assert title["widget"] == "object"
    assert [(f["name"], f["widget"], f["required"]) for f in title["fields"]] == [("nb", "string", True),
                                                                                ("en", "string", False)]
    assert [f["name"] for f in fields["target_area"]["fields"]] == ["nb", "en"]
    assert not any(f["required"] for f in fields["target_area"]["fields"])  # an optional text: no box required


def test_a_new_level_on_a_scale_reaches_the_editor_at_the_next_build(tmp_path):
    need(BUNDLE_PRESENT, "the editor's program is not vendored: run make editor")
    root = with_editor(tmp_path / "portal")

    def levels() -> list[str]:
        assert main(["-f", str(root / MKDOCS), "build", "--site-dir", str(tmp_path / "site")]) == 0
        config = yaml.safe_load((tmp_path / "site" / "admin" / "config.yml").read_text(encoding="utf-8"))
        measures = collection(config, "measures-budsjett-2026")
        assert measures["folder"] == "decisions/measures/budsjett-2026"  # where the round's measures are
        nytte = next(f for f in fields_by_name(measures["fields"])["nytte"])
        return [o["value"] for o in nytte["fields"][0]["options"]]

    before = levels()
    patch_file(root, CRITERIA_V2, "    description: Hvor langt tiltaket flytter situasjonen mot den best tenkelige.\n"
               "    scale:\n", "    description: Hvor langt tiltaket flytter situasjonen mot den best tenkelige.\n"
               "    scale:\n      - id: enorm\n        label: Enorm\n        description: Mer enn stor.\n")
    assert levels() == ["enorm", *before]


# --- Settings a communicator gets wrong: located in mkdocs.yml ---------------------------------

@pytest.mark.parametrize(("block", "needle", "said"), [
    (EDITOR.replace("backend: gitea", "backend: bitbucket"), "bitbucket", "'bitbucket' is not one of"),
    (EDITOR.replace("        repo: testvik/prioriteringer\n", ""), "editor:", "the editor needs repo"),
    (EDITOR.replace("https://git.testvik", "http://git.testvik"), "http://git.testvik",
     "is not an https:// address"),
    (EDITOR.replace("        app_id: 9d1c7e2a\n", ""), "editor:", "the editor needs app_id"),
    (EDITOR.replace("        url: https://git.testvik.kommune.no\n", ""), "editor:", "the editor needs url"),
    (EDITOR.replace("repo: testvik/prioriteringer", "repo: prioriteringer"), "prioriteringer\n",
     "is not a repository"),
])
def test_a_bad_editor_setting_is_an_error_at_its_line(tmp_path, block, needle, said, capsys):
    root = with_editor(tmp_path / "portal", block)
    text = (root / MKDOCS).read_text(encoding="utf-8")
    line, column = position(text, needle)
    with pytest.raises(InvalidPortal) as raised:
        load_settings(root / MKDOCS)
    [problem] = [p for p in raised.value.problems if said in str(p.message)]
    assert (problem.path, problem.line, problem.column) == ("mkdocs.yml", line, column), problem
    assert main(["-f", str(root / MKDOCS), "validate"]) == 1
    assert f"mkdocs.yml:{line}:{column}:" in capsys.readouterr().err


def test_github_needs_the_municipality_s_own_login_server_and_gets_its_api(tmp_path):
    block = "      editor:\n        backend: github\n        repo: testvik/prioriteringer\n"
    root = with_editor(tmp_path / "portal", block)
    with pytest.raises(InvalidPortal) as raised:
        load_settings(root / MKDOCS)
    assert any("auth_url" in str(p.message) for p in raised.value.problems)
    with_editor(tmp_path / "portal", block + "        auth_url: https://login.testvik.kommune.no\n")
    editor = load_settings(root / MKDOCS).editor
    assert (editor.url, editor.api_root) == ("https://github.com", "https://api.github.com")


@pytest.mark.parametrize(("block", "backend"), [
    ("        backend: gitlab\n        repo: kommune/web/prioriteringer\n        url: https://gitlab.kommune.no\n"
     "        app_id: abc\n",
     {"name": "gitlab", "repo": "kommune/web/prioriteringer", "branch": "main", "auth_type": "pkce", "app_id": "abc",
      "api_root": "https://gitlab.kommune.no/api/v4", "base_url": "https://gitlab.kommune.no"}),
    ("        backend: forgejo\n        repo: kommune/prioriteringer\n        url: https://kode.kommune.no/\n"
     "        app_id: abc\n        branch: publisert\n",
     {"name": "gitea", "repo": "kommune/prioriteringer", "branch": "publisert", "app_id": "abc",
      "api_root": "https://kode.kommune.no/api/v1", "base_url": "https://kode.kommune.no"}),
    ("        backend: github\n        repo: kommune/prioriteringer\n        url: https://github.kommune.no\n"
     "        auth_url: https://login.kommune.no\n",
     {"name": "github", "repo": "kommune/prioriteringer", "branch": "main",
      "api_root": "https://github.kommune.no/api/v3", "base_url": "https://login.kommune.no"}),
])
def test_each_forge_gets_its_api_and_its_login(tmp_path, block, backend):
    root = with_editor(tmp_path / "portal", "      editor:\n" + block)
    settings = load_settings(root / MKDOCS)
    config = editor_config(settings, settings.editor, load_portal(settings))
    assert config["backend"] == backend
    policy = BeautifulSoup(editor_page(settings, settings.editor), "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    forge = {backend["base_url"] if backend["name"] != "github" else "https://github.kommune.no"}
    assert set(re.findall(r"https://[^\s;/]+", policy)) == forge  # the login server is a window, not a request


# --- The local backend of `prioportal serve` ----------------------------------------------------

def ask(backend: LocalBackend, action: str, **params) -> tuple[int, object]:
    status, body = backend.answer(json.dumps({"action": action, "params": params}).encode())
    return status, json.loads(body)


def test_the_local_backend_reads_and_saves_only_the_portal_s_decision_files_and_pages(tmp_path):
    root = write_portal(tmp_path / "portal")
    (tmp_path / "secret.yml").write_text("password: x\n", encoding="utf-8")
    (root / "decisions" / "measures" / "out.yml").symlink_to(tmp_path / "secret.yml")
    backend = LocalBackend(root, (root / "decisions", root / "content"))
    status, listed = ask(backend, "entriesByFolder", folder="decisions/rounds", extension="yml", depth=1)
    assert status == 200 and [e["file"]["path"] for e in listed] == ["decisions/rounds/budsjett-2025.yml",
                                                                      "decisions/rounds/budsjett-2026.yml"]
    assert listed[1]["data"] == (root / ROUND_2026).read_text(encoding="utf-8")
    for path in ("../secret.yml", "/etc/passwd", "decisions/measures/out.yml", "mkdocs.yml", "decisions/../mkdocs.yml"):
        status, answer = ask(backend, "getEntry", path=path)
        assert status == 422 and "error" in answer, path
    for path in ("decisions/measures/x.py", "site_templates/base.html", "decisions/measures/out.yml"):
        status, _ = ask(backend, "persistEntry", dataFiles=[{"path": path, "raw": "x", "slug": "x"}], assets=[])
        assert status == 422, path
    assert (tmp_path / "secret.yml").read_text(encoding="utf-8") == "password: x\n"
    new = "decisions/measures/budsjett-2026/ny.yml"
    assert ask(backend, "persistEntry", dataFiles=[{"path": new, "raw": "id: ny\n", "slug": "ny"}], assets=[])[0] == 200
    assert (root / new).read_text(encoding="utf-8") == "id: ny\n"
    assert not [p for p in (root / new).parent.iterdir() if p.name.startswith(".")], "a temporary file was left"
    assert ask(backend, "persistEntry", dataFiles=[{"path": MEASURE_FUNDED, "raw": "x", "slug": "x"}],
               assets=[{"path": "content/a.png", "content": "", "encoding": "base64"}])[0] == 422


def test_only_the_preview_s_own_editor_page_may_save():
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000", "127.0.0.1")
    assert same_origin("http://localhost:8000", "localhost:8000", "127.0.0.1")
    assert not same_origin("https://evil.example", "127.0.0.1:8000", "127.0.0.1")  # another site's page
    assert not same_origin("http://evil.example:8000", "evil.example:8000", "127.0.0.1")  # a name led here
    assert not same_origin(None, "127.0.0.1:8000", "127.0.0.1")
    headers = Message()
    headers["Content-Type"], headers["Origin"] = "text/plain", "http://127.0.0.1:8000"
    headers["Host"] = "127.0.0.1:8000"
    backend = LocalBackend(ROOT, (ROOT / "decisions",))
    assert answer_post(backend, "/admin/api/v1", headers, b'{"action": "info"}', "127.0.0.1")[0] == 403
    assert answer_post(None, "/admin/api/v1", headers, b'{"action": "info"}', "127.0.0.1")[0] == 404
    headers.replace_header("Content-Type", "application/json")
    assert answer_post(backend, "/admin/api/v1", headers, b'{"action": "info"}', "127.0.0.1")[0] == 200


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_a_new_portal_turns_the_editor_on_by_removing_the_hashes(tmp_path, language):
    """`prioportal new portal` writes the editor's settings commented out, in the portal's
    language; with the # removed and an application's id written, they are an editor."""
    folder = tmp_path / "ny"
    assert main(["new", "portal", str(folder), "--name", "Testvik kommune", "--language", language]) == 0
    text = (folder / MKDOCS).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = lines.index("      # editor:\n")
    block = [line.replace("      # ", "      ", 1) for line in lines[start:start + 5]]
    assert [line.split(":")[0].strip() for line in block] == ["editor", "backend", "repo", "url", "app_id"]
    text = "".join(lines[:start] + block + lines[start + 5:])
    (folder / MKDOCS).write_text(text.replace("app_id: …", "app_id: abc"), encoding="utf-8")
    editor = load_settings(folder / MKDOCS).editor
    assert editor is not None and editor.backend == "forgejo" and editor.app_id == "abc"
