"""The package layout is the data flow: each stage imports only the stages before it.

Document -> spaCy Doc -> Claim -> Finding -> Report. Every import in the package is read
(module level and inside functions, since a function-level import is still a dependency),
checked against the allowed stages below, and the module graph is checked for cycles.
docs/architecture.md draws the same picture.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "claimcheck"

# stage -> the stages it may import (besides itself). Order is the data flow.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "ingest": {"core"},
    "knowledge": {"core", "ingest"},
    "nlp": {"core", "ingest", "knowledge"},
    "detect": {"core", "ingest", "knowledge", "nlp"},
    "judge": {"core", "ingest", "knowledge", "nlp", "detect"},
    "report": {"core", "ingest"},
    "pipeline": {"core", "ingest", "knowledge", "nlp", "detect", "judge"},
    "project": {"core", "ingest", "knowledge", "nlp", "detect", "judge", "pipeline", "report"},
    "training": {"core", "ingest", "knowledge", "nlp", "detect", "judge", "pipeline", "report"},
    "cli": {"core", "ingest", "knowledge", "nlp", "detect", "judge", "pipeline", "report", "project", "training"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree: ast.Module) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:`` (annotations only; never run)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            inside.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return inside


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module imported, names imported from it) for every claimcheck import run."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = _type_only(tree)
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.split(".")[0] == "claimcheck"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "claimcheck":
            found.append((node.lineno, node.module, [a.name for a in node.names]))
    return found


def _graph() -> dict[str, dict[str, int]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, dict[str, int]] = {m: {} for m in modules}
    for name, path in modules.items():
        for line, target, names in _imports(path):
            # "from claimcheck.x import y" may import the module claimcheck.x.y
            targets = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules] or [target]
            for t in targets:
                if t in modules and t != name:
                    graph[name].setdefault(t, line)
    return graph


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_every_package_is_a_known_stage():
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"_rules", "_models"}
    assert packages == set(ALLOWED), "add the new package to ALLOWED and docs/architecture.md"
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"], f"modules outside a stage package: {loose}"


def test_imports_point_down_the_flow():
    wrong = []
    for module, targets in _graph().items():
        stage = _stage(module)
        for target, line in targets.items():
            other = _stage(target)
            if stage and other and other != stage and other not in ALLOWED[stage]:
                wrong.append(f"{module}:{line} imports {target} ({stage} may import {sorted(ALLOWED[stage])})")
    assert not wrong, "\n".join(wrong)


def test_only_the_version_comes_from_the_top_package():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE:
            continue
        for line, target, names in _imports(path):
            if target == "claimcheck" and set(names) - {"__version__"}:
                wrong.append(f"{_module_name(path)}:{line} imports {names} from the top package")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "\n".join(cycles)
