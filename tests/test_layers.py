"""The package's layers: every import (at module level, inside functions, or for type
checking only) points down the stack, and no module imports itself back through others.

The stack, bottom first (CONTRIBUTING.md, "Module map"): leaf modules, then scenario input,
domain rules, results, the solver adapter, the model, explanations, heuristics, solving,
analysis, reports, jobs, and the CLI on top. A module may import its own layer and any
layer below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "orgplan"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("version", "errors", "text"),
    ("files", "formatting"),
    ("scenario",),
    ("domain",),
    ("results",),
    ("solvers",),
    ("model",),
    ("explain",),
    ("heuristics",),
    ("solving",),
    ("analysis",),
    ("reports",),
    ("jobs",),
    ("cli", "__main__"),
    ("",),  # the package itself: the lazy library API over everything
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    """`src/orgplan/solving/stages.py` -> `orgplan.solving.stages` (packages without `__init__`)."""
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def layer_of(module: str) -> str:
    """The layer of `orgplan.x.y`: its first part below the package (`""` for the package)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def resolve(name: str) -> str:
    """The project module `name` denotes: itself, or the package holding it."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    """Every project module that `module` imports, wherever in the file the import stands."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "orgplan"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "orgplan":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return {resolve(name) for name in found} - {module}


GRAPH = nx.DiGraph([(m, i) for m in MODULES for i in imports_of(m)])
GRAPH.add_nodes_from(MODULES)


def test_every_module_belongs_to_a_layer() -> None:
    unknown = sorted({layer_of(m) for m in MODULES} - set(RANK))
    assert unknown == [], f"modules outside every layer: {unknown} (add them to LAYERS)"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_stack(module: str) -> None:
    rank = RANK[layer_of(module)]
    upward = sorted(i for i in GRAPH.successors(module) if RANK[layer_of(i)] > rank)
    assert upward == [], f"{module} (layer {layer_of(module)!r}) imports layers above it"


def test_no_import_cycle() -> None:
    # The package's own `__init__` sits on top; its imports of the layers are lazy.
    cycles = list(nx.simple_cycles(GRAPH.subgraph(m for m in MODULES if m != "orgplan")))
    assert cycles == []


def test_the_checks_see_imports_inside_functions() -> None:
    # jobs.plan imports the workbook writer only when it writes one (a lazy, heavy import).
    assert "orgplan.reports.excel.workbook" in imports_of("orgplan.jobs.plan")
    assert layer_of("orgplan.reports.excel.workbook") == "reports"
    assert resolve("orgplan.solving.stages.solve") == "orgplan.solving.stages"


# The distribution behind each library the package imports, as pyproject.toml names it.
DISTRIBUTIONS = {"yaml": "pyyaml", "distributed": "distributed", "numpy": "highspy"}


def test_the_package_imports_only_its_declared_dependencies() -> None:
    # networkx, for one, is a test dependency: the package must not need it to plan.
    import sys
    import tomllib

    project = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text("utf-8"))["project"]
    declared = list(project["dependencies"]) + list(project["optional-dependencies"]["dask"])
    names = {d.split(">")[0].split("=")[0].split("[")[0].strip().lower() for d in declared}
    imported: set[str] = set()
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    libraries = imported - set(sys.stdlib_module_names) - {"orgplan"}
    # numpy comes with highspy (a dependency of it), and is used through it
    assert sorted(m for m in libraries if DISTRIBUTIONS.get(m, m) not in names) == []
