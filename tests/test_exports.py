"""The public surface: every re-exported name exists where __init__ says, and imports stay lazy."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import sockapi6


def test_every_lazy_name_resolves() -> None:
    for name in sockapi6._LAZY:
        assert getattr(sockapi6, name) is not None, name
    for module in sockapi6._SUBMODULES:
        assert getattr(sockapi6, module).__name__ == f"sockapi6.{module}"


def test_lazy_names_belong_to_their_module_all() -> None:
    import importlib

    for module, names in sockapi6._EXPORTS.items():
        if module == "ipaddress":
            continue
        mod = importlib.import_module(f"sockapi6.{module}")
        missing = set(names) - set(mod.__all__)
        assert not missing, f"sockapi6.{module}.__all__ lacks {sorted(missing)}"


def test_type_checking_imports_cover_every_exporting_module() -> None:
    # mypy sees the lazy names through the star imports under TYPE_CHECKING
    tree = ast.parse(pathlib.Path(sockapi6.__file__).read_text())
    starred = {node.module for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.level == 1 and node.names[0].name == "*"}
    assert starred >= {m for m in sockapi6._EXPORTS if m != "ipaddress"}


def test_all_has_no_duplicates_and_dir_lists_it() -> None:
    assert len(sockapi6.__all__) == len(set(sockapi6.__all__))
    assert set(sockapi6.__all__) <= set(dir(sockapi6))


def test_import_loads_only_the_binding() -> None:
    code = ("import sys, sockapi6; print(sorted(m for m in sys.modules "
            "if m.startswith('sockapi6') and m != 'sockapi6._abi'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(ast.literal_eval(out))
    assert loaded <= {"sockapi6", "sockapi6._binding", "sockapi6._platform", "sockapi6.errors"} | {
        m for m in loaded if m.startswith("sockapi6._abi.")}, loaded
