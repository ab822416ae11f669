"""Fetch the browser editor's program (Decap CMS) into the package, as a release does: `make editor`.

The version and the digest of the published tarball are pinned in package.json ("editorBundle").
`npm pack` fetches that one tarball from the registry (installing the package would pull its
630 build-time dependencies, 381 MB, for a file that needs none of them); the tarball's SHA-512
must be the pinned one, or nothing is written. The prebuilt bundle and its licence notices are
then copied into generator/prioportal/vendor/decap-cms/, which the wheel carries, with the one
change below (PATCHES), and their SHA-256 digests are written to
generator/prioportal/vendor/decap-cms.json (kept in git): every
build checks the bundle against them, and tests/test_editor.py checks them against package.json.

    python3 scripts/vendor_editor.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "generator" / "prioportal" / "vendor"
# The files of the npm package's dist/ the editor page loads: the bundle, and its licence notices.
# The rest of dist/ (source maps, a second copy named cms.js, CodeMirror modes for the code widget,
# which the generated configuration never uses) stays out of the wheel.
FILES = ("decap-cms.js", "decap-cms.js.LICENSE.txt")
# What is changed in the bundle, each exactly once or nothing is written. The editor writes a
# whole YAML file on every save, with the `yaml` library's default of folding lines longer than
# 80 characters: a multi-line text written `|` came back written `>`, every long line broken, so
# changing a rank changed sixty lines of the file. With no line width it folds nothing, and a
# save changes the lines of the fields that changed (tests/test_editor_browser.py checks it).
PATCHES = (("decap-cms.js", b"fold:{lineWidth:80,minContentWidth:20}", b"fold:{lineWidth:0,minContentWidth:20}"),)


def main() -> int:
    pin = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["editorBundle"]
    name, version, integrity = pin["package"], pin["version"], pin["integrity"]
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", tmp],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        tarball = Path(tmp) / json.loads(done.stdout)[0]["filename"]
        algorithm, expected = integrity.split("-", 1)
        found = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if found != expected:
            print(f"{tarball.name}: {algorithm} is {found}, not the {expected} pinned in package.json",
                  file=sys.stderr)
            return 1
        target = VENDOR / name
        target.mkdir(parents=True, exist_ok=True)
        digests = {}
        with tarfile.open(tarball) as archive:
            for file_name in FILES:
                data = archive.extractfile(f"package/dist/{file_name}").read()
                for patched, old, new in PATCHES:
                    if patched == file_name:
                        if data.count(old) != 1:
                            print(f"{file_name}: {old.decode()} is not there once; the patch needs a look",
                                  file=sys.stderr)
                            return 1
                        data = data.replace(old, new)
                (target / file_name).write_bytes(data)
                digests[file_name] = hashlib.sha256(data).hexdigest()
    manifest = {"package": name, "version": version, "integrity": integrity,
                "patched": {file_name: [old.decode(), new.decode()] for file_name, old, new in PATCHES},
                "sha256": digests}
    (VENDOR / f"{name}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"{name} {version}: {', '.join(FILES)} in {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
