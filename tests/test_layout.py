"""The package keeps the shape docs/architecture.md describes: dependencies point one way (no
import cycles, lazy imports included), no module grows past what one reader can hold, and the
model runs no analysis."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "prioportal"
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("prioportal",) + path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


def _type_checking_only(tree: ast.AST) -> set[int]:
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules `name` imports anywhere in its code, imports for type checkers aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            base = (".".join(package[: len(package) - node.level + 1] + [node.module or ""]).rstrip(".")
                    if node.level else node.module or "")
            candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate.startswith("prioportal") and candidate != name:
                found.add(candidate)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = "done"
        stack.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_module_imports_itself_round_a_cycle():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := path.read_text(encoding="utf-8").count("\n")) > MAX_LINES}
    assert long == {}


def test_the_model_imports_no_analysis_and_nothing_that_reads_or_writes_files():
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("prioportal.model."):
            upward = {m for m in _imports(name, path, modules)
                      if not m.startswith(("prioportal.model", "prioportal.text.i18n", "prioportal.problems"))}
            assert upward == set(), f"{name} imports {upward}"


def test_every_module_says_what_it_is_for():
    missing = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
               if path.name != "__main__.py" and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []


def test_nothing_below_the_build_imports_it():
    """The steps the build runs are plain functions of plain inputs: what a preview keeps from
    one build to the next is decided in build/ (reviews, plan_reuse, site_outputs), so a check,
    an analysis, a view or an export gives the same whichever build asks for it; and the
    machine's services they share (writing files safely, the cores) are in system/, below them."""
    modules = _modules()
    below = tuple(f"prioportal.{step}." for step in ("model", "sources", "checks", "text", "analyses", "site",
                                                     "exports", "system"))
    upward = {name: found for name, path in modules.items() if name.startswith(below)
              and (found := {m for m in _imports(name, path, modules) if m.startswith("prioportal.build")})}
    assert upward == {}


def test_the_machine_services_know_nothing_of_portals():
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("prioportal.system."):
            upward = {m for m in _imports(name, path, modules)
                      if not m.startswith(("prioportal.system", "prioportal.problems"))}
            assert upward == set(), f"{name} imports {upward}"
