"""prioportal as a municipality installs it: a built wheel, not this checkout, builds a portal
with the theme, catalogues and JSON Schemas it carries inside, and starts a new portal from the
skeletons it carries (`prioportal new portal`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy of what the package is made of, as a release would be: a build in this
    # checkout would leave its build folders here.
    source = out / "source"
    for name in ("generator", "site_templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(out), str(source)], check=True, cwd=out, capture_output=True)
    return next(out.glob("prioportal-*.whl"))


def test_the_wheel_carries_the_theme_catalogues_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {p.relative_to(ROOT).as_posix() for p in (ROOT / "site_templates").rglob("*") if p.is_file()}
    assert {f"prioportal/{name}" for name in theme} <= names
    for language in ("nb", "nn", "sv", "en"):
        assert f"prioportal/locales/{language}/LC_MESSAGES/messages.po" in names
    for kind in ("criteria", "rounds", "measures"):
        assert f"prioportal/schemas/{kind}.schema.json" in names
    skeletons = {p.relative_to(ROOT / "generator").as_posix()
                 for p in (ROOT / "generator" / "prioportal" / "skeletons").rglob("*") if p.is_file()}
    assert skeletons and skeletons <= names, f"skeleton files left out of the wheel: {sorted(skeletons - names)}"
    sources = {p.relative_to(ROOT / "generator").as_posix() for p in (ROOT / "generator").rglob("*.py")}
    assert sources <= names, f"modules left out of the wheel: {sorted(sources - names)}"


def _install(wheel: Path, env_dir: Path) -> Path:
    """A fresh virtual environment with prioportal from the wheel (its dependencies from this
    environment: a line naming a folder in a .pth file adds that folder, and runs nothing in it); its Python."""
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            check=True, capture_output=True, text=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    Path(target, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def test_the_installed_wheel_builds_a_portal_outside_this_checkout(wheel, tmp_path):
    python = _install(wheel, tmp_path / "venv")
    target = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            check=True, capture_output=True, text=True).stdout.strip()
    portal = tmp_path / "testby"
    for name in ("decisions", "content"):
        shutil.copytree(ROOT / name, portal / name)
    shutil.copy(ROOT / "mkdocs.yml", portal / "mkdocs.yml")
    (portal / "site_templates").mkdir()  # the portal overrides no template: every one is the wheel's
    # Nothing of this checkout may reach the installed package, whatever the test runner was given.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    run = subprocess.run([python, "-m", "prioportal", "build"], cwd=portal, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    located = subprocess.run([python, "-c", "import prioportal; print(prioportal.__file__)"],
                             check=True, capture_output=True, text=True, env=env).stdout
    assert located.startswith(target)
    home = (portal / "site" / "index.html").read_text(encoding="utf-8")
    assert 'lang="nb"' in home and "Eksempelvik" in home
    assert (portal / "site" / "assets" / "style.css").is_file()


def test_the_installed_wheel_scaffolds_a_portal_that_builds(wheel, tmp_path):
    """The issue's own test: install the wheel, start a portal in a folder of its own, build it."""
    python = _install(wheel, tmp_path / "venv")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    work = tmp_path / "work"
    work.mkdir()

    def prioportal(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([python, "-m", "prioportal", *args], cwd=cwd, env=env, capture_output=True, text=True)

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    shown = prioportal("--version", cwd=work)
    assert shown.returncode == 0 and shown.stdout.strip() == f"prioportal {declared}"
    made = prioportal("new", "portal", "testby", "--name", "Testby kommun", "--language", "sv",
                      "--model", "prioriteringscentrum", "--year", "2027", cwd=work)
    assert made.returncode == 0, made.stdout + made.stderr
    portal = work / "testby"
    written = [p for p in portal.rglob("*") if p.is_file()]
    assert not [p for p in written if str(ROOT) in p.read_text(encoding="utf-8")], "the portal names this checkout"
    major, minor = declared.split(".")[:2]
    assert f"prioportal=={major}.{minor}.*" in (portal / "requirements.txt").read_text(encoding="utf-8").splitlines()
    built = prioportal("build", "--strict", cwd=portal)
    assert built.returncode == 0, built.stdout + built.stderr
    home = (portal / "site" / "index.html").read_text(encoding="utf-8")
    assert 'lang="sv"' in home and "Testby kommun" in home
    assert (portal / "site" / "criteria" / "kriterier-version-1" / "index.html").is_file()

    # A portal that overrides one template gets the wheel's theme for the rest.
    before = {p.relative_to(portal / "site"): p.read_bytes() for p in (portal / "site").rglob("*.html")}
    bundled = Path(python.parent.parent, "lib").glob("python3*/site-packages/prioportal/site_templates/contact.html")
    own = next(bundled).read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}\n<p>Ring växeln om du hellre vill prata med oss.</p>", 1)
    assert "Ring växeln" in own
    (portal / "site_templates").mkdir(exist_ok=True)
    (portal / "site_templates" / "contact.html").write_text(own, encoding="utf-8")
    built = prioportal("build", "--strict", cwd=portal)
    assert built.returncode == 0, built.stdout + built.stderr
    after = {p.relative_to(portal / "site"): p.read_bytes() for p in (portal / "site").rglob("*.html")}
    changed = {str(path) for path in before if after.get(path) != before[path]}
    assert changed == {"contact/index.html"}
    assert "Ring växeln" in (portal / "site" / "contact" / "index.html").read_text(encoding="utf-8")
