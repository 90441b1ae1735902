"""The public surface: every re-exported name exists where __init__ says, and imports stay lazy."""

from __future__ import annotations

import ast
import inspect
import json
import pathlib
import subprocess
import sys

import pytest

import sockapi6


def test_every_lazy_name_resolves() -> None:
    for name in sockapi6._LAZY:
        assert getattr(sockapi6, name) is not None, name
    for module in sockapi6._SUBMODULES:
        assert getattr(sockapi6, module).__name__ == f"sockapi6.{module}"


def _loaders() -> dict[str, tuple[str, list[str]]]:
    """function name -> (module it imports from, the names it imports): read from __init__'s source."""
    tree = ast.parse(pathlib.Path(sockapi6.__file__).read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_names_"):
            (imp,) = [n for n in node.body if isinstance(n, ast.ImportFrom)]
            found[node.name] = ("." * imp.level + (imp.module or ""), [a.name for a in imp.names])
    return found


def test_lazy_names_belong_to_their_module_all() -> None:
    import importlib

    loaders = _loaders()
    assert {name for _module, names in loaders.values() for name in names} == set(sockapi6._LAZY)
    for module, names in loaders.values():
        if module == "ipaddress":
            continue
        mod = importlib.import_module(module, "sockapi6")
        missing = set(names) - set(mod.__all__)
        assert not missing, f"sockapi6{module}.__all__ lacks {sorted(missing)}"


def test_type_checking_imports_cover_every_exporting_module() -> None:
    # mypy sees the lazy names through the star imports under TYPE_CHECKING
    tree = ast.parse(pathlib.Path(sockapi6.__file__).read_text())
    starred = {node.module for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.level == 1 and node.names[0].name == "*"}
    assert starred >= {module[1:] for module, _names in _loaders().values() if module != "ipaddress"}


def test_nothing_is_loaded_by_a_name_in_a_string() -> None:
    # lazy loading goes through import statements that import-linter, mypy and ruff see
    package = pathlib.Path(sockapi6.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if "_abi" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("import_module", "__import__"):
                    offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert not offenders, offenders


def test_all_has_no_duplicates_and_dir_lists_it() -> None:
    assert len(sockapi6.__all__) == len(set(sockapi6.__all__))
    assert set(sockapi6.__all__) <= set(dir(sockapi6))


def test_import_loads_only_the_binding() -> None:
    code = ("import sys, sockapi6; print(sorted(m for m in sys.modules "
            "if m.startswith('sockapi6') and m != 'sockapi6._system._abi'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(ast.literal_eval(out))
    allowed = {"sockapi6", "sockapi6._system", "sockapi6._system.binding", "sockapi6._system.platform",
               "sockapi6.errors"}
    assert loaded <= allowed | {m for m in loaded if m.startswith("sockapi6._system._abi.")}, loaded


def test_import_does_not_load_typing() -> None:
    # typing (and the re, contextlib, ... it pulls in) is for annotations only: it would double the
    # cost of ``import sockapi6``.  -I: no site .pth may hide the cost by loading typing first
    # -S as well: a virtualenv's own site hook (_virtualenv.pth) imports typing on Python 3.9, before
    # any user code; the paths sockapi6 and cffi's backend live on are given by hand instead
    import _cffi_backend

    paths = [str(pathlib.Path(m.__file__).resolve().parent.parent) for m in (sockapi6,)]
    paths.append(str(pathlib.Path(_cffi_backend.__file__).resolve().parent))
    code = (f"import sys; sys.path[:0] = {paths!r}; before = 'typing' in sys.modules; import sockapi6; "
            "print(before, 'typing' in sys.modules)")
    run = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "False"], run.stdout + run.stderr


# ---- names mean one thing ---------------------------------------------------------------------------

_KINDS = r'''
import importlib, inspect, json, pkgutil, sys
import sockapi6

def kind(obj):
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return type(obj).__name__

if sys.argv[1] == "submodules-first":
    for info in pkgutil.walk_packages(sockapi6.__path__, "sockapi6."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            importlib.import_module(info.name)
    sockapi6.if_nametoindex("lo")
    sockapi6.to_ipv6("::1")
    sockapi6.HopLimit(64).to_cmsg()
    sockapi6.list_interfaces()
print(json.dumps({name: kind(getattr(sockapi6, name)) for name in sockapi6.__all__}))
'''


def _kinds(order: str) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", _KINDS, order], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def test_every_name_keeps_its_kind_whatever_was_imported_first() -> None:
    before, after = _kinds("names-first"), _kinds("submodules-first")
    assert before == after
    assert before["list_interfaces"] == "function" and before["errors"] == "module"


def test_no_public_function_or_class_is_named_like_a_submodule() -> None:
    import pkgutil

    submodules = {info.name for info in pkgutil.iter_modules(sockapi6.__path__)
                  if not info.name.startswith("_")}
    clashes = {name for name in sockapi6.__all__ if name in submodules
               and not inspect.ismodule(getattr(sockapi6, name))}
    assert not clashes
    for name in sockapi6._SUBMODULES:
        assert inspect.ismodule(getattr(sockapi6, name)), name
    import importlib

    importlib.import_module("sockapi6.interfaces")
    assert inspect.ismodule(sockapi6.interfaces)
    with pytest.warns(DeprecationWarning, match="list_interfaces"):
        old = sockapi6.interfaces.interfaces
    assert old is sockapi6.interfaces.list_interfaces
