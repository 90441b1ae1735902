"""The layers hold in every test run, not only in ``tox -e lint`` (import-linter, ``.importlinter``).

The import graph is read from the source with ``ast``, as import-linter's grimp reads it: every
import statement, those inside functions included, except under ``if TYPE_CHECKING:``.  An edge
goes to the module named, or to the submodule a ``from package import name`` names.
"""

from __future__ import annotations

import ast
import functools
import pathlib

import sockapi6

PACKAGE = pathlib.Path(sockapi6.__file__).resolve().parent

#: the wire formats: plain Python, nothing of the system layer (binding, cffi, libc)
WIRE = ("exthdr", "routing", "icmp6", "mobility", "dhcp6", "packet", "_checksum", "_tlv", "_extheader",
        "_wire", "_value", "_convert", "_inet6")
#: the bottom: imports nothing else of the package but itself
BASE = ("errors", "_checks", "_numbers", "_inet6")


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("sockapi6", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child.test):
                for other in child.orelse:  # the `else:` of a TYPE_CHECKING test runs
                    walk(other)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            walk(child)

    walk(tree)
    return found


@functools.cache
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = node.module or ""
                source = f"{base}.{source}".strip(".") if node.level else source
                targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                           for alias in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _inside(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == f"sockapi6.{p}" or module.startswith(f"sockapi6.{p}.") for p in packages)


def test_the_graph_is_read() -> None:
    graph = _graph()
    assert "sockapi6._system.binding" in graph["sockapi6"]
    assert "sockapi6.exthdr" in graph["sockapi6.ancillary._headers"]  # an import inside a function
    assert "sockapi6.ancillary" not in graph["sockapi6._types"]  # only under TYPE_CHECKING


def test_no_import_cycle() -> None:
    graph = _graph()
    cyclic = sorted(name for name in graph if name in _reachable(graph, name))
    assert not cyclic, cyclic


def test_wire_formats_reach_nothing_of_the_system_layer() -> None:
    graph = _graph()
    for name in graph:
        if _inside(name, WIRE):
            bad = sorted(m for m in _reachable(graph, name) if _inside(m, ("_system",)))
            assert not bad, f"{name} reaches {bad}"


def test_system_layer_reaches_only_itself_and_the_base() -> None:
    graph = _graph()
    for name in graph:
        if _inside(name, ("_system",)):
            bad = sorted(m for m in _reachable(graph, name) if not _inside(m, ("_system", *BASE)))
            assert not bad, f"{name} reaches {bad}"


def test_base_imports_nothing_else() -> None:
    graph = _graph()
    for name in graph:
        if _inside(name, BASE):
            bad = sorted(m for m in _reachable(graph, name) if not _inside(m, BASE))
            assert not bad, f"{name} reaches {bad}"
