"""The layers of ``src/seesay``: a lower layer never imports a higher one, and nothing imports
in a circle. Every import counts, including those inside functions and under TYPE_CHECKING.

From low to high: leaf modules (errors, metrics, the package root and the SDK's compatibility
re-export); media, storage, db, models (the pulled models, below the engines that use them);
engines; accounts, jobs; services; settings (which composes each package's own settings model)
and the platform (the composition root); then the front ends, api, mcp and cli (cli on top: it
starts the API server and the MCP server). A package may import a package of its own layer as
long as no cycle forms.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

import seesay

SRC: Final = Path(seesay.__file__).parent

LAYERS: Final[tuple[frozenset[str], ...]] = (
    frozenset({"seesay", "errors", "logs", "metrics", "sdk", "web"}),
    frozenset({"media", "storage", "db", "models"}),
    frozenset({"engines"}),
    frozenset({"accounts", "jobs"}),
    frozenset({"services"}),
    frozenset({"settings", "platform"}),
    frozenset({"backends"}),
    frozenset({"api"}),
    frozenset({"mcp"}),
    frozenset({"cli"}),
)

# Imports allowed to run upwards (the issue allows at most one): none since the CLI's and
# the MCP server's backends moved below both, into seesay.backends.
ALLOWED_UPWARD: Final[frozenset[tuple[str, str]]] = frozenset()


def _layer(package: str) -> int:
    for level, members in enumerate(LAYERS):
        if package in members:
            return level
    raise AssertionError(f"seesay.{package} has no layer: add it to LAYERS in {__file__}")


def _module_name(path: Path) -> str:
    parts = ["seesay", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(text: str, module: str, *, is_package: bool, known: set[str]) -> dict[str, int]:
    """The ``seesay`` modules of ``known`` that the source ``text`` of ``module`` imports,
    each with its first line. ``from a import b`` counts ``a.b`` when that is a module,
    else ``a``."""
    package = module if is_package else module.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name in known and name != module:
                found.setdefault(name, node.lineno)
    return found


def _graph() -> dict[str, dict[str, int]]:
    """Every module of ``seesay`` -> {the ``seesay`` module it imports: line}."""
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    known = set(paths)
    return {
        module: _imports(
            path.read_text(encoding="utf-8"),
            module,
            is_package=path.name == "__init__.py",
            known=known,
        )
        for module, path in paths.items()
    }


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "seesay"


def upward_imports() -> list[str]:
    """``importer:line -> imported`` for each import from a lower layer to a higher one."""
    found = []
    for module, edges in sorted(_graph().items()):
        for target, line in sorted(edges.items()):
            low, high = _package(module), _package(target)
            if _layer(low) < _layer(high):
                found.append(f"{module}:{line} -> {target}")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_layer_imports_a_higher_one_but_the_one_allowed() -> None:
    upward = upward_imports()
    allowed = [
        line
        for line in upward
        if (_package(line.split(":")[0]), _package(line.split(" -> ")[1])) in ALLOWED_UPWARD
    ]
    assert sorted(set(upward) - set(allowed)) == []
    assert len(ALLOWED_UPWARD) <= 1


def test_no_module_imports_itself_in_a_circle() -> None:
    graph = {module: set(edges) for module, edges in _graph().items()}
    assert cycles(graph) == []


def test_no_package_imports_itself_in_a_circle_but_through_the_allowed_import() -> None:
    packages: dict[str, set[str]] = {}
    for module, edges in _graph().items():
        source = _package(module)
        for target in edges:
            if _package(target) != source and (source, _package(target)) not in ALLOWED_UPWARD:
                packages.setdefault(source, set()).add(_package(target))
    assert cycles(packages) == []


def test_the_checker_sees_imports_inside_functions_relative_ones_and_submodules() -> None:
    known = {"seesay.api", "seesay.api.app", "seesay.media", "seesay.media.late", "seesay.errors"}
    text = (
        "from typing import TYPE_CHECKING\n"
        "from ..errors import SeeSayError\n"
        "if TYPE_CHECKING:\n"
        "    from seesay.api import app\n"
        "def f():\n"
        "    import seesay.api\n"
    )
    found = _imports(text, "seesay.media.late", is_package=False, known=known)
    assert found == {"seesay.errors": 2, "seesay.api.app": 4, "seesay.api": 6}
    assert _layer(_package("seesay.media.late")) < _layer(_package("seesay.api"))
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
