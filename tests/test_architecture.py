"""The import graph matches docs/architecture.md, and stays a stack (SPEC §2).

The diagram in docs/architecture.md is the contract: its ``subgraph`` blocks put
each top-level package on a numbered layer, and its ``a --> b`` lines are the
package imports the code makes. These tests walk every import in every ``.py``
file of every top-level package (module level, in functions, under
``TYPE_CHECKING``) with ``ast`` and fail when

- a package exists that the diagram does not place, or the other way round;
- an import goes sideways or up the layers, or is not drawn (a back-edge);
- the diagram draws an import the code no longer makes (it would mislead);
- modules import each other in a circle at import time (inside a package too);
- an import sits inside a function without a ``# lazy: why`` comment, or a
  module is looked up by name (``importlib``/``__import__``), hiding the graph.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
NOT_PACKAGES = {"tests", "docs", "scripts"}
LAZY_MARK = "# lazy:"


@dataclass(frozen=True)
class Import:
    """One imported module name, where it is imported, and how."""

    module: str  # the importing module, e.g. "bot.cli.main"
    target: str  # the imported module (or package), e.g. "usecases.asking"
    path: Path
    line: int
    first_line: int  # of the run of import statements this one belongs to
    in_function: bool
    at_import_time: bool  # module level and not under TYPE_CHECKING

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Diagram:
    """The layers and package edges drawn in docs/architecture.md."""

    layer_of: dict[str, int]
    edges: set[tuple[str, str]]


def _packages() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_PACKAGES
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in _packages()
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, *([node.module] if node.module else [])])
    # `from pkg import sub` imports the submodule pkg.sub when there is one.
    names = [f"{base}.{alias.name}" for alias in node.names]
    submodules = [name for name in names if name in _modules()]
    return submodules if len(submodules) == len(names) else [base, *submodules]


def _walk(tree: ast.AST, module: str, path: Path) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        run_start = 0
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.Import | ast.ImportFrom):
                run_start = 0
            else:
                run_start = run_start or child.lineno
                for target in _targets(child, module, path):
                    found.append(
                        Import(
                            module=module,
                            target=target,
                            path=path,
                            line=child.lineno,
                            first_line=run_start,
                            in_function=in_function,
                            at_import_time=not in_function and not type_checking,
                        )
                    )
            inner_function = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            inner_checking = type_checking or (
                isinstance(child, ast.If) and _is_type_checking(child)
            )
            visit(child, inner_function, inner_checking)

    visit(tree, in_function=False, type_checking=False)
    return found


@cache
def _trees() -> dict[str, ast.Module]:
    return {module: ast.parse(path.read_text(), str(path)) for module, path in _modules().items()}


@cache
def _imports() -> list[Import]:
    return [
        found
        for module, tree in _trees().items()
        for found in _walk(tree, module, _modules()[module])
    ]


def _top(name: str) -> str:
    return name.split(".")[0]


@cache
def _diagram() -> Diagram:
    text = DOC.read_text()
    block = re.search(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert block, f"{DOC.name} has no ```mermaid block"
    layer_of: dict[str, int] = {}
    edges: set[tuple[str, str]] = set()
    layer: int | None = None
    for raw in block.group(1).splitlines():
        line = raw.strip()
        if opened := re.match(r"subgraph L(\d+)\b", line):
            layer = int(opened.group(1))
        elif line == "end":
            layer = None
        elif edge := re.fullmatch(r"(\w+)\s*-->\s*(\w+)", line):
            edges.add((edge.group(1), edge.group(2)))
        elif layer is not None and re.fullmatch(r"\w+", line):
            layer_of[line] = layer
    return Diagram(layer_of, edges)


def _code_edges() -> dict[tuple[str, str], list[Import]]:
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for found in _imports():
        source, target = _top(found.module), _top(found.target)
        if source != target and (target in _packages() or target in NOT_PACKAGES):
            edges[(source, target)].append(found)
    return edges


def test_every_package_is_placed_on_a_layer() -> None:
    placed = set(_diagram().layer_of)
    assert placed == set(_packages()), (
        f"packages not in {DOC.name}: {sorted(set(_packages()) - placed)}; "
        f"in the diagram but not in the code: {sorted(placed - set(_packages()))}"
    )


def test_the_diagram_only_points_down_the_layers() -> None:
    diagram = _diagram()
    wrong = [
        f"{source} (layer {diagram.layer_of.get(source)}) --> {target} "
        f"(layer {diagram.layer_of.get(target)})"
        for source, target in sorted(diagram.edges)
        if diagram.layer_of.get(source, -1) <= diagram.layer_of.get(target, -1)
    ]
    assert not wrong, "edges that do not point to a lower layer:\n" + "\n".join(wrong)


def test_no_import_against_the_diagram() -> None:
    diagram = _diagram()
    back_edges = [
        f"{found.where}: {source} imports {found.target}"
        for (source, target), imports in sorted(_code_edges().items())
        if (source, target) not in diagram.edges
        for found in imports
    ]
    assert not back_edges, (
        f"imports that {DOC.name} does not allow (a back-edge, or a new dependency: "
        "go through a lower layer, or draw the edge if the layers allow it):\n"
        + "\n".join(back_edges)
    )


def test_the_diagram_draws_no_import_the_code_does_not_make() -> None:
    stale = sorted(_diagram().edges - set(_code_edges()))
    assert not stale, f"{DOC.name} draws imports nothing makes: {stale}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                connect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _nearest_module(name: str) -> str | None:
    while name and name not in _modules():
        name = name.rpartition(".")[0]
    return name or None


def test_no_module_import_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for found in _imports():
        target = _nearest_module(found.target)
        if found.at_import_time and target and target != found.module:
            graph[found.module].add(target)
    assert _cycles(graph) == []


def test_no_package_import_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in _code_edges():
        graph[source].add(target)
    assert _cycles(graph) == []


def _comment_above(lines: list[str], index: int) -> str:
    """The block of comment lines right above ``lines[index]``."""
    start = index
    while start > 0 and lines[start - 1].strip().startswith("#"):
        start -= 1
    return "\n".join(line.strip() for line in lines[start:index])


def test_in_function_imports_say_why() -> None:
    unexplained = []
    for found in _imports():
        if not found.in_function:
            continue
        lines = found.path.read_text().splitlines()
        here = lines[found.line - 1]
        above = _comment_above(lines, found.first_line - 1)
        if LAZY_MARK not in here and LAZY_MARK not in above:
            unexplained.append(f"{found.where}: {here.strip()}")
    assert not unexplained, (
        f"imports inside functions hide the graph; move them to the top or say why with "
        f"'{LAZY_MARK} …' on the line or in the comment above the imports:\n"
        + "\n".join(sorted(set(unexplained)))
    )


def test_no_module_looked_up_by_name() -> None:
    lookups = [
        f"{_modules()[module].relative_to(ROOT)}:{node.lineno}"
        for module, tree in _trees().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            or (isinstance(node.func, ast.Name) and node.func.id == "__import__")
        )
    ]
    assert not lookups, f"modules imported by name (invisible to this test): {lookups}"


def test_the_walker_sees_every_kind_of_import() -> None:
    """The checks above are only as good as the walk: it must find each form."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "import billing.money\n"
        "from storage import queries\n"
        "from . import cli\n"
        "if TYPE_CHECKING:\n"
        "    from answers import Answer\n"
        "def later():\n"
        "    from sync.client import StripeReadClient  # lazy: a reason\n"
    )
    path = ROOT / "bot" / "example.py"
    found = _walk(ast.parse(source), "bot.example", path)
    seen = {(item.target, item.in_function, item.at_import_time) for item in found}
    assert ("billing.money", False, True) in seen
    assert ("storage.queries", False, True) in seen
    assert ("bot.cli", False, True) in seen
    assert ("answers", False, False) in seen
    assert ("sync.client", True, False) in seen
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
