"""prioportal as a municipality installs it: a built wheel, not this checkout, builds a portal
with the theme, catalogues and JSON Schemas it carries inside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
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
    sources = {p.relative_to(ROOT / "generator").as_posix() for p in (ROOT / "generator").rglob("*.py")}
    assert sources <= names, f"modules left out of the wheel: {sorted(sources - names)}"


def test_the_installed_wheel_builds_a_portal_outside_this_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            check=True, capture_output=True, text=True).stdout.strip()
    # prioportal itself from the wheel; its dependencies from this environment, which holds them
    # already (a line naming a folder in a .pth file adds that folder, and runs nothing in it).
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    Path(target, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
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
