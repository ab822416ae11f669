"""`prioportal new portal` and `prioportal schemas`: a municipality starts its own portal with one
command, in its language and with its model's criteria, and it validates and builds at once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from packaging.requirements import Requirement

from prioportal.cli import main
from prioportal.model.schema import schema_for, schema_text

sys.path.insert(0, str(Path(__file__).parent))
from gitrepo import git  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nb", "nn", "sv", "en")
MODELS = ("helsedirektoratet", "prioriteringscentrum")
NAME = "Testby kommune"
CI_FILES = (".github/workflows/publish.yml", ".gitlab-ci.yml", ".forgejo/workflows/publish.yml")
# The criteria of each model and the number of levels on each scale, as the sources give them:
# Helsedirektoratet's nytte, ressurs and alvorlighet; the scales of Prioriteringscentrum's
# basverktyg (svårighetsgrad: mycket stor .. liten; effekt and nytta: mycket stor .. ingen;
# kostnadseffektivitet: mycket hög .. låg).
SCALES = {"helsedirektoratet": [4, 3, 4], "prioriteringscentrum": [4, 5, 5, 4]}


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2): a date is a text, not a date."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse exits by itself for --version and usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def scaffold(folder: Path, capsys, language: str = "nb", model: str | None = None, *extra: str) -> tuple[int, str, str]:
    argv = ["new", "portal", folder, "--name", NAME, "--language", language, "--year", "2027", *extra]
    return run_cli(argv + (["--model", model] if model else []), capsys)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Everything below `folder`: each path with its modification time and content."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def copy_portal(source: Path, target: Path) -> None:
    """The portal's own files, as a clone of its repository has them: no built site."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".site.*", ".*.lock"))


def comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def portals(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """One new portal per language and model, written by the command as a municipality runs it."""
    out = tmp_path_factory.mktemp("portals")
    made = {}
    for language in LANGUAGES:
        for model in MODELS:
            folder = out / f"{language}-{model}"
            assert main(["new", "portal", str(folder), "--name", NAME, "--language", language,
                         "--model", model, "--year", "2027"]) == 0
            made[language, model] = folder
    return made


# --- A new portal validates and builds at once ------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", MODELS)
def test_a_new_portal_validates_without_warnings_and_builds_strictly(portals, language, model, capsys):
    folder = portals[language, model]
    code, out, err = run_cli(["-f", folder / "mkdocs.yml", "validate", "--strict"], capsys)
    assert code == 0, out + err
    assert "0 error(s), 0 warning(s)" in out and err == ""
    code, out, err = run_cli(["-f", folder / "mkdocs.yml", "build", "--strict"], capsys)
    assert code == 0, out + err
    assert "0 warning(s)" in out

    home = BeautifulSoup((folder / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["lang"] == language
    assert NAME in home.title.get_text()
    round_id = {"nb": "budsjett-2027", "nn": "budsjett-2027", "sv": "budget-2027", "en": "budget-2027"}[language]
    assert (folder / "site" / "rounds" / round_id / "index.html").is_file()
    # Every page of text the scaffold wrote is on the site, in the portal's language.
    for page in (folder / "content").glob("*.md"):
        built = folder / "site" / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
        assert BeautifulSoup(built.read_text(encoding="utf-8"), "html.parser").html["lang"] == language
    assert len(list((folder / "content").glob("*.md"))) == 3  # front page, how to give input, about


@pytest.mark.parametrize("model", MODELS)
def test_the_criteria_are_the_models_own(portals, model):
    for language in LANGUAGES:
        criteria = yaml.safe_load(next((portals[language, model] / "decisions" / "criteria").glob("*.yml")).read_text("utf-8"))
        assert [len(c["scale"]) for c in criteria["criteria"]] == SCALES[model], language
        assert {o["kind"] for o in criteria["outcomes"]} == {"funded", "partly_funded", "rationed", "efficiency",
                                                             "deprioritised", "discontinued", "postponed"}
    # The Swedish portal names the criteria as the Swedish tool does, the Norwegian as Helsedirektoratet.
    if model == "prioriteringscentrum":
        sv = yaml.safe_load((portals["sv", model] / "decisions/criteria/kriterier-version-1.yml").read_text("utf-8"))
        assert [c["name"] for c in sv["criteria"]] == ["Svårighetsgrad", "Effekt av åtgärden", "Nytta för målområdet",
                                                       "Kostnadseffektivitet"]
    else:
        nb = yaml.safe_load((portals["nb", model] / "decisions/criteria/kriterier-versjon-1.yml").read_text("utf-8"))
        assert [c["name"] for c in nb["criteria"]] == ["Nytte", "Ressurs", "Alvorlighet"]


def test_the_first_round_is_in_preparation(portals):
    for (language, model), folder in portals.items():
        (round_file,) = (folder / "decisions" / "rounds").glob("*.yml")
        data = yaml.safe_load(round_file.read_text("utf-8"))
        assert data["status"] == "preparation" and data["year"] == 2027
        assert any(m.get("input_deadline") for m in data["milestones"])


def test_the_texts_a_communicator_reads_are_in_the_portals_language(portals):
    """No file is left in another language: the comments of each YAML file and the words of each
    page differ from one language to the next, and the settings name the language."""
    texts = {}
    for language in LANGUAGES:
        folder = portals[language, "helsedirektoratet"]
        settings = yaml.safe_load((folder / "mkdocs.yml").read_text("utf-8"))
        assert settings["plugins"][0]["prioportal"]["language"] == language
        texts[language] = {
            "mkdocs.yml": comments((folder / "mkdocs.yml").read_text("utf-8")),
            "requirements.txt": comments((folder / "requirements.txt").read_text("utf-8")),
            ".gitignore": comments((folder / ".gitignore").read_text("utf-8")),
            "README.md": (folder / "README.md").read_text("utf-8"),
            "pages": sorted(p.read_text("utf-8") for p in (folder / "content").glob("*.md")),
            **{name: comments((folder / name).read_text("utf-8")) for name in CI_FILES},
        }
    for one in LANGUAGES:
        for other in LANGUAGES:
            if one < other:
                for name in texts[one]:
                    assert texts[one][name] != texts[other][name], f"{name} is the same in {one} and {other}"


def test_the_name_is_written_into_the_settings_and_pages(tmp_path, capsys):
    # A Sámi place name with an en dash, accents and the letter ŋ: every file reads it back as written.
    name = "Porsanger – Porsáŋgu – Porsanki"
    assert run_cli(["new", "portal", tmp_path / "p", "--name", name, "--language", "nn", "--year", "2027"], capsys)[0] == 0
    settings = yaml.safe_load((tmp_path / "p" / "mkdocs.yml").read_text("utf-8"))
    assert settings["plugins"][0]["prioportal"]["municipality"] == name
    assert settings["site_name"] == f"Prioriteringar i {name}"
    assert run_cli(["-f", tmp_path / "p" / "mkdocs.yml", "build", "--strict"], capsys)[0] == 0
    about = BeautifulSoup((tmp_path / "p" / "site" / "om-portalen" / "index.html").read_text("utf-8"), "html.parser")
    assert name in about.find("main").get_text(" ")


# --- Editor support: the portal's own schemas ---------------------------------------------------


def test_the_editor_settings_name_the_portals_own_schemas_which_check_its_files(portals):
    folder = portals["nb", "helsedirektoratet"]
    settings = json.loads((folder / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    assert len(mapping) == 3
    for schema_path, pattern in mapping.items():
        assert not schema_path.startswith(("/", "..", "generator")), "the schema must be the portal's own"
        schema = json.loads((folder / schema_path).read_text("utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        for document in folder.glob(pattern):
            jsonschema.validate(yaml.load(document.read_text("utf-8"), Yaml12Loader), schema)
    assert set(folder.glob("decisions/criteria/**/*.yml")) | set(folder.glob("decisions/rounds/**/*.yml"))
    # The schema explains each field in the portal's language.
    written = json.loads((folder / "schemas" / "rounds.schema.json").read_text("utf-8"))
    english = schema_for("rounds")
    assert written["properties"]["budget_frame"]["description"] != english["properties"]["budget_frame"]["description"]
    assert "kroner" in written["properties"]["budget_frame"]["description"]


def _rules(schema):
    """A schema without its words (titles, descriptions, comments): the rules it checks."""
    if isinstance(schema, dict):
        return {k: _rules(v) for k, v in schema.items() if not (k in ("title", "description", "$comment") and isinstance(v, str))}
    return [_rules(v) for v in schema] if isinstance(schema, list) else schema


def test_schemas_out_writes_the_schemas_of_this_version(tmp_path, capsys):
    # Where there is no mkdocs.yml, the model's schemas (tests/test_schemas.py: a portal's own).
    code, out, _ = run_cli(["-f", tmp_path / "none" / "mkdocs.yml", "schemas", "--out", tmp_path / "schemas"], capsys)
    assert code == 0, out
    assert "there is no" in out and "mkdocs.yml" in out
    for kind in ("criteria", "rounds", "measures"):
        # The schemas of the model that runs (tests/test_build.py keeps the bundled copies equal to them).
        written = json.loads((tmp_path / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        assert _rules(written) == _rules(json.loads(schema_text(kind)))
    code, _, _ = run_cli(["-f", tmp_path / "none" / "mkdocs.yml", "schemas", "--out", tmp_path / "sv", "--language", "sv"],
                         capsys)
    assert code == 0
    measures = json.loads((tmp_path / "sv" / "measures.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(measures)
    assert "åtgärd" in json.dumps(measures, ensure_ascii=False).lower()


def test_schemas_out_refuses_a_file_and_an_unknown_language(tmp_path, capsys):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    code, _, err = run_cli(["schemas", "--out", tmp_path / "taken"], capsys)
    assert code == 2 and f"{tmp_path / 'taken'}: this is a file, not a folder" in err
    code, _, err = run_cli(["schemas", "--out", tmp_path / "s", "--language", "de"], capsys)
    assert code == 2 and "nb, nn, sv" in err and not (tmp_path / "s").exists()


# --- CI: the three forges, full history, pip cache, the pinned version, a strict build ------------


def ci_steps(folder: Path) -> dict[str, dict]:
    return {name: yaml.safe_load((folder / name).read_text("utf-8")) for name in CI_FILES}


def test_the_ci_files_fetch_the_whole_history_cache_pip_and_build_strictly(portals):
    for (language, model), folder in portals.items():
        ci = ci_steps(folder)
        for name in (".github/workflows/publish.yml", ".forgejo/workflows/publish.yml"):
            steps = [step for job in ci[name]["jobs"].values() for step in job.get("steps", [])]
            checkout = next(s for s in steps if "actions/checkout@" in s.get("uses", ""))
            assert checkout["with"]["fetch-depth"] == 0, name
            runs = [s.get("run", "") for s in steps]
            assert "python -m pip install -r requirements.txt" in runs, name
            assert "prioportal build --strict" in runs, name
            # The cache is restored before the packages are installed.
            cache = next(i for i, s in enumerate(steps) if s.get("with", {}).get("cache") == "pip"
                         or "actions/cache@" in s.get("uses", ""))
            assert cache < runs.index("python -m pip install -r requirements.txt"), name
        github = ci[".github/workflows/publish.yml"]
        assert github["jobs"]["build"]["steps"][-1]["with"]["path"] == "site"
        assert github["jobs"]["deploy"]["steps"][-1]["uses"].startswith("actions/deploy-pages@")
        forgejo = ci[".forgejo/workflows/publish.yml"]["jobs"]["publish"]
        cache = next(s for s in forgejo["steps"] if "actions/cache@" in s.get("uses", ""))
        assert cache["with"]["path"] == "~/.cache/pip" and "hashFiles('requirements.txt')" in cache["with"]["key"]
        # Debian, not Ubuntu: Python from its packages, as actions/setup-python has no build for it.
        assert forgejo["container"]["image"].endswith("-bookworm")
        assert not [s for s in forgejo["steps"] if "setup-python" in s.get("uses", "")]
        gitlab = ci[".gitlab-ci.yml"]
        assert gitlab["variables"]["GIT_DEPTH"] == 0
        assert gitlab["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
        assert gitlab["default"]["cache"]["paths"] == [".cache/pip"]
        assert gitlab["default"]["before_script"] == ["python -m pip install -r requirements.txt"]
        # Built into public/, which GitLab Pages publishes, and kept with .prioportal-cache/ for the
        # next run's build (README: "Building again").
        assert gitlab["pages"]["script"] == ["prioportal build --strict --site-dir public"]
        assert {"key": "prioportal-$CI_COMMIT_REF_SLUG", "paths": [".prioportal-cache/", "public/"]} in \
            gitlab["pages"]["cache"]
        for steps in (github["jobs"]["build"]["steps"], forgejo["steps"]):
            kept = next(s for s in steps if ".prioportal-cache" in str(s.get("with", {}).get("path", "")))
            assert kept["with"]["path"].split() == [".prioportal-cache", "site"]
            assert "github.sha" in kept["with"]["key"] and kept["with"]["restore-keys"]
            assert steps.index(kept) < next(i for i, s in enumerate(steps) if "prioportal build" in s.get("run", ""))
        assert gitlab["pages"]["artifacts"]["paths"] == ["public"]


def test_the_ci_files_do_the_same_in_every_language(portals):
    """Only comments and step names are translated: what runs is the same."""
    def without_names(node):
        if isinstance(node, dict):
            return {k: without_names(v) for k, v in node.items() if k != "name"}
        return [without_names(v) for v in node] if isinstance(node, list) else node

    first = {name: without_names(data) for name, data in ci_steps(portals["nb", "helsedirektoratet"]).items()}
    for folder in portals.values():
        assert {name: without_names(data) for name, data in ci_steps(folder).items()} == first


def test_the_gitlab_script_publishes_the_built_site(portals, tmp_path):
    folder = portals["sv", "prioriteringscentrum"]
    work = tmp_path / "work"
    copy_portal(folder, work)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in yaml.safe_load((work / ".gitlab-ci.yml").read_text("utf-8"))["pages"]["script"]:
        subprocess.run(["bash", "-c", line], cwd=work, env=env, check=True, capture_output=True)
    assert 'lang="sv"' in (work / "public" / "index.html").read_text("utf-8")


def test_the_forgejo_step_pushes_the_site_to_the_pages_branch(portals, tmp_path, capsys):
    """The publish step's own script, run as the runner runs it, against a bare repository."""
    folder = tmp_path / "portal"
    copy_portal(portals["en", "helsedirektoratet"], folder)
    assert run_cli(["-f", folder / "mkdocs.yml", "build", "--strict"], capsys)[0] == 0
    server = tmp_path / "forge"
    (server / "testby").mkdir(parents=True)
    git(server / "testby", "init", "--bare", "--quiet", "portal.git")
    workflow = yaml.safe_load((folder / ".forgejo/workflows/publish.yml").read_text("utf-8"))
    step = workflow["jobs"]["publish"]["steps"][-1]
    assert step["if"] == "github.event_name == 'push'"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "TOKEN": "not-a-secret",
                "GITHUB_SERVER_URL": server.as_uri(), "GITHUB_REPOSITORY": "testby/portal", "GITHUB_SHA": "abc123"})
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=folder, env=env, check=True, capture_output=True)
    published = git(server / "testby" / "portal.git", "ls-tree", "-r", "--name-only", "pages").splitlines()
    assert "index.html" in published and "assets/style.css" in published


# --- What a portal pins, and the version it reports ------------------------------------------------


def test_version_is_the_one_in_pyproject(capsys):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0 and out.strip() == f"prioportal {declared}" == f"prioportal {version('prioportal')}"


def test_requirements_pin_this_major_and_minor_version(portals):
    requirements = (portals["nb", "helsedirektoratet"] / "requirements.txt").read_text("utf-8")
    (line,) = [x for x in requirements.splitlines() if x and not x.startswith("#")]
    pinned = Requirement(line)
    installed = version("prioportal")
    major, minor = installed.split(".")[:2]
    assert pinned.name == "prioportal" and str(pinned.specifier) == f"=={major}.{minor}.*"
    assert pinned.specifier.contains(installed)
    assert not pinned.specifier.contains(f"{major}.{int(minor) + 1}.0")


def test_the_gitignore_keeps_the_built_site_out_of_git(portals, tmp_path, capsys):
    folder = tmp_path / "portal"
    copy_portal(portals["nb", "prioriteringscentrum"], folder)
    git(folder, "init", "--quiet")
    assert run_cli(["-f", folder / "mkdocs.yml", "build"], capsys)[0] == 0
    assert (folder / "site" / "index.html").is_file()
    untracked = [line[3:] for line in git(folder, "status", "--porcelain", "--untracked-files=all").splitlines()]
    assert "mkdocs.yml" in untracked and ".github/workflows/publish.yml" in untracked
    assert not [path for path in untracked if path.startswith(("site/", ".site.")) or path.endswith(".lock")]


# --- Bad input: refused, with the valid choices, and nothing touched --------------------------------


def test_a_folder_that_is_not_empty_is_refused_untouched(tmp_path, capsys):
    folder = tmp_path / "portal"
    folder.mkdir()
    (folder / "notes.txt").write_text("ours", encoding="utf-8")
    before = snapshot(folder)
    for extra in ((), ("--force",)):
        code, out, err = scaffold(folder, capsys, "nb", None, *extra)
        assert code == 2 and out == ""
        assert err.startswith(f"prioportal: {folder}: the folder is not empty, it holds notes.txt")
        assert "nothing was written" in err
        assert snapshot(folder) == before


def test_an_empty_git_repository_needs_force(tmp_path, capsys):
    folder = tmp_path / "portal"
    folder.mkdir()
    git(folder, "init", "--quiet")
    before = snapshot(folder)
    code, _, err = scaffold(folder, capsys, "sv")
    assert code == 2 and "holds a git repository (.git) — add --force" in err
    assert snapshot(folder) == before
    code, out, err = scaffold(folder, capsys, "sv", None, "--force")
    assert code == 0, err
    assert "wrote a new portal for Testby kommune" in out
    # The repository is the one it was, now with the portal's files to add.
    assert {k: v for k, v in snapshot(folder).items() if k == ".git" or k.startswith(".git/")} == before
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", "A new portal", when="2026-01-05T10:00:00+01:00")
    code, out, err = run_cli(["-f", folder / "mkdocs.yml", "build", "--strict"], capsys)
    assert code == 0, out + err


def test_a_file_in_place_of_the_folder_is_refused(tmp_path, capsys):
    (tmp_path / "portal").write_text("a file", encoding="utf-8")
    code, _, err = scaffold(tmp_path / "portal", capsys)
    assert code == 2 and f"{tmp_path / 'portal'}: this is a file, not a folder" in err
    assert (tmp_path / "portal").read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize(("option", "value", "listed"), [
    ("--language", "de", ("nb (bokmål)", "nn (nynorsk)", "sv (svenska)", "en (English)")),
    ("--model", "qaly", ("helsedirektoratet", "prioriteringscentrum")),
])
def test_an_unknown_language_or_model_gets_the_valid_ones(tmp_path, capsys, option, value, listed):
    argv = ["new", "portal", tmp_path / "portal", "--name", NAME, "--language", "nb", option, value]
    code, out, err = run_cli(argv, capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"prioportal: {option} {value}: ") and " — use one of: " in err
    assert all(choice in err for choice in listed)
    assert not (tmp_path / "portal").exists()


@pytest.mark.parametrize("name", ["", "   ", "Testby <script>", "Testby\nkommune", "Testby_%%YEAR%%", "x" * 101])
def test_a_name_that_is_not_a_place_name_is_refused(tmp_path, capsys, name):
    code, _, err = run_cli(["new", "portal", tmp_path / "portal", "--name", name, "--language", "en"], capsys)
    assert code == 2 and err.startswith("prioportal: --name: ") and " — " in err
    assert not (tmp_path / "portal").exists()


def test_a_missing_name_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(["new", "portal", tmp_path / "portal", "--language", "nb"], capsys)
    assert code == 2 and "--name" in err
    assert not (tmp_path / "portal").exists()


def test_the_default_model_follows_the_language(tmp_path, capsys):
    assert scaffold(tmp_path / "sv", capsys, "sv")[0] == 0
    assert scaffold(tmp_path / "nb", capsys, "nb")[0] == 0
    sv = (tmp_path / "sv/decisions/criteria/kriterier-version-1.yml").read_text("utf-8")
    nb = (tmp_path / "nb/decisions/criteria/kriterier-versjon-1.yml").read_text("utf-8")
    assert "id: svarighetsgrad" in sv and "id: alvorlighet" in nb


def test_every_skeleton_token_is_filled(tmp_path, capsys):
    for language in LANGUAGES:
        for model in MODELS:
            folder = tmp_path / f"{language}-{model}"
            assert scaffold(folder, capsys, language, model)[0] == 0
            for path in folder.rglob("*"):
                if path.is_file():
                    assert not re.search(r"%%[A-Z_]+%%", path.read_text("utf-8")), path
