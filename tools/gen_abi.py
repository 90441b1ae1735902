"""Generate the out-of-line cffi ABI modules in ``sockapi6/_system/_abi/`` from ``cdefs/``.

Run ``python tools/gen_abi.py`` after editing anything in ``cdefs/``;
``tests/test_conformance.py`` fails while a generated module is stale.

A platform is a (family, arch) pair of ``sockapi6/_system/platform.py``.  Its
declarations are the family's OS file, then ``common.h``, then
``functions.h``, with the ``/* @arch TERM ... */ ... /* @end */`` blocks
whose TERM matches the pair's tags kept (``a+b`` needs both tags; text after
a ``:`` is a comment) and the others dropped; a ``#define`` or struct in a
kept block replaces the one of the same name outside blocks, wherever it
is.  ``/* @variant X */`` is a synonym of ``/* @arch X */``.  Blocks between
``/* @packed */`` and ``/* @end */`` are declared with ``packed=True``
(macOS ``#pragma pack(4)`` structs, wire formats with unaligned fields).

Pairs whose declarations come out the same share one module: the family's
name for the group holding its first architecture (``linux_glibc``), else
``<family>_<arch>`` after the group's first architecture
(``linux_musl_mips``).  ``sockapi6/_system/_abi/_pairs.py`` maps every pair to its
module and lists, per family, the constants some ``@arch`` block defines
(refused on a pair nobody verified); ``sockapi6/_numbers.py`` holds the
numbers of ``common.h`` as plain ints, for modules that must not import cffi.
Each module holds the ``ffi`` object
and manifests read without parsing C at import time: ``CONSTANTS`` (name ->
value), ``FUNCTIONS``, ``TYPES`` and ``PACKED`` (types declared packed).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import pathlib
import re
import sys
import tempfile
from typing import Any

from cffi import FFI

ROOT = pathlib.Path(__file__).resolve().parent.parent
CDEFS = ROOT / "cdefs"
OUT = ROOT / "sockapi6" / "_system" / "_abi"


def _load_record() -> Any:
    """Load ``sockapi6/_system/platform.py`` by path: importing the package loads the modules made here."""
    import importlib.util

    path = ROOT / "sockapi6" / "_system" / "platform.py"
    spec = importlib.util.spec_from_file_location("sockapi6_platform_record", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_platform = _load_record()  # the record: families, arches, supported pairs

_MARK = re.compile(r"^\s*/\*\s*@(variant|arch|packed|end)\b([^:]*?)(?::.*)?\*/\s*$")
_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)")
_STRUCT = re.compile(r"^\s*(struct|union)\s+(\w+)\s*\{")


def _terms(arg: str) -> list[frozenset[str]]:
    return [frozenset(term.split("+")) for term in arg.replace("(", " ").split() if term]


def _lines(text: str, tags: frozenset[str]) -> tuple[list[tuple[str, str]], set[str]]:
    """Classify every line: ``(kind, line)`` with kind ``out``/``kept``/``mark``; and the overrides.

    Lines of dropped blocks are left out; overrides are the names (macros,
    ``struct X`` tags) that kept blocks declare.
    """
    out: list[tuple[str, str]] = []
    overrides: set[str] = set()
    block: str | None = None  # None outside; "kept", "dropped" or "packed" inside
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _MARK.match(line)
        if m is None:
            if block == "dropped":
                continue
            kind = "kept" if block == "kept" else "out"
            out.append((kind, line))
            if kind == "kept":
                d, s = _DEFINE.match(line), _STRUCT.match(line)
                name = d.group(1) if d else (f"{s.group(1)} {s.group(2)}" if s else None)
                if name is not None:
                    if name in overrides:
                        raise SystemExit(f"line {lineno}: {name} is declared by two kept @arch blocks")
                    overrides.add(name)
            continue
        kind, arg = m.groups()
        if kind in ("variant", "arch"):
            if block is not None:
                raise SystemExit(f"line {lineno}: @{kind} inside another block")
            block = "kept" if any(term <= tags for term in _terms(arg)) else "dropped"
        elif kind == "packed":
            if block is not None:
                raise SystemExit(f"line {lineno}: @packed inside another block")
            block = "packed"
            out.append(("mark", "packed"))
        else:
            if block is None:
                raise SystemExit(f"line {lineno}: @end outside a block")
            if block == "packed":
                out.append(("mark", "end"))
            block = None
    return out, overrides


def arch_names(text: str) -> set[str]:
    """Return the macro names some ``@arch``/``@variant`` block of ``text`` defines."""
    names: set[str] = set()
    inside = False
    for line in text.splitlines():
        m = _MARK.match(line)
        if m is not None:
            inside = m.group(1) in ("variant", "arch")
            continue
        d = _DEFINE.match(line)
        if inside and d:
            names.add(d.group(1))
    return names


def segments(text: str, tags: frozenset[str]) -> list[tuple[bool, str]]:
    """Split one cdefs file into ``(packed, source)`` runs for a platform with ``tags``."""
    lines, overrides = _lines(text, tags)
    runs: list[tuple[bool, str]] = []
    current: list[str] = []
    packed = False
    skipping = 0  # brace depth of an overridden struct being dropped
    for kind, line in lines:
        if kind == "mark":
            runs.append((packed, "\n".join(current)))
            current, packed = [], line == "packed"
            continue
        if kind == "out":
            if skipping:
                skipping += line.count("{") - line.count("}")
                continue
            d, s = _DEFINE.match(line), _STRUCT.match(line)
            if d and d.group(1) in overrides:
                continue
            if s and f"{s.group(1)} {s.group(2)}" in overrides:
                skipping = line.count("{") - line.count("}")
                continue
        current.append(line)
    runs.append((packed, "\n".join(current)))
    return [(p, src) for p, src in runs if src.strip()]


def sources(family: str, arch: str) -> list[tuple[str, bool, str]]:
    """Return the ``(file, packed, source)`` runs of one (family, arch) pair."""
    rec = _platform.record(family, arch)
    out = []
    for name in (rec.facts.cdefs, "common.h", "functions.h"):
        for packed, src in segments((CDEFS / name).read_text(), rec.tags):
            out.append((name, packed, src))
    return out


def groups() -> dict[str, list[tuple[str, str]]]:
    """Return module name -> the (family, arch) pairs it serves (identical declarations)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for family, arches in _platform.SUPPORTED.items():
        seen: dict[tuple[tuple[str, bool, str], ...], str] = {}
        for arch in arches:
            key = tuple(sources(family, arch))
            name = seen.get(key)
            if name is None:
                name = family if not seen else f"{family}_{arch}"
                seen[key] = name
                out[name] = []
            out[name].append((family, arch))
    return out


def build(module: str) -> FFI:
    """Return an ``FFI`` holding every declaration of the generated module ``module``."""
    family, arch = groups()[module][0]
    ffi = FFI()
    for _name, packed, src in sources(family, arch):
        ffi.cdef(src, packed=packed)
    return ffi


def _tref(tp: object) -> tuple[str, int]:
    """Return ``(type name, count)`` of a cffi model type for the MEMBERS manifest."""
    from cffi import model

    count = -1
    if isinstance(tp, model.ArrayType):
        count = tp.length if isinstance(tp.length, int) else 0
        tp = tp.item
    if isinstance(tp, model.PointerType):
        return "*", count
    if isinstance(tp, (model.StructType, model.UnionType)):
        return f"{tp.kind} {tp.name}", count
    if isinstance(tp, model.EnumType):
        return "int", count
    if isinstance(tp, model.PrimitiveType):
        return tp.name, count
    raise SystemExit(f"no layout rule for member type {tp!r}")


def manifests(ffi: FFI) -> tuple[dict[str, tuple[tuple[str, str, int], ...]], dict[str, str]]:
    """Return ``MEMBERS`` (every struct/union with a body, anonymous ones included) and ``TYPEDEFS``."""
    from cffi import model

    members: dict[str, tuple[tuple[str, str, int], ...]] = {}
    typedefs: dict[str, str] = {}
    todo = []
    for key, (tp, _quals) in ffi._parser._declarations.items():
        kind, _, name = key.partition(" ")
        if kind in ("struct", "union"):
            todo.append(tp)
        elif kind == "typedef" and not isinstance(tp, model.FunctionPtrType):
            ref, count = _tref(tp)
            if count == -1:
                typedefs[name] = ref
    while todo:
        tp = todo.pop(0)
        key = f"{tp.kind} {tp.name}"
        if key in members or tp.fldnames is None:
            continue
        if any(bits != -1 for bits in tp.fldbitsize):
            raise SystemExit(f"{key}: bit-fields have no portable layout; declare whole integers")
        row = []
        for fname, ftype in zip(tp.fldnames, tp.fldtypes):
            ref, count = _tref(ftype)
            row.append((fname, ref, count))
            inner = ftype.item if isinstance(ftype, model.ArrayType) else ftype
            if isinstance(inner, (model.StructType, model.UnionType)):
                todo.append(inner)
        members[key] = tuple(row)
    return members, typedefs


def render(module: str) -> str:
    """Return the text of ``sockapi6/_system/_abi/<module>.py``."""
    pairs = groups()[module]
    ffi = build(module)
    decls = ffi._parser._declarations  # cffi keeps every parsed name here
    constants: dict[str, int] = {}
    functions: list[str] = []
    types: list[str] = []
    packed: list[str] = []
    for key, (tp, _quals) in decls.items():
        kind, _, name = key.partition(" ")
        if kind == "macro" or kind == "constant":
            constants[name] = tp if isinstance(tp, int) else int(tp)
        elif kind == "function":
            functions.append(name)
        elif kind in ("struct", "union") and not name.startswith("$"):
            types.append(f"{kind} {name}")
            if tp.packed:
                packed.append(f"{kind} {name}")
    members, typedefs = manifests(ffi)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "mod.py"
        ffi.set_source(f"sockapi6._system._abi.{module}", None)
        with contextlib.redirect_stdout(io.StringIO()):  # cffi prints 'generating ...'
            ffi.emit_python_code(str(path))
        code = path.read_text()
    family = pairs[0][0]
    osfile = _platform.OSES[family].cdefs
    serves = ", ".join(f"{f}/{a}" for f, a in pairs)
    lines = [
        f"# Generated by tools/gen_abi.py from cdefs/{osfile}, cdefs/common.h and cdefs/functions.h"
        f" for {serves}. Do not edit.",
        code.rstrip("\n"),
        "",
        "CONSTANTS = {",
        *(f"    {k!r}: {v!r}," for k, v in constants.items()),
        "}",
        f"FUNCTIONS = {tuple(functions)!r}",
        f"TYPES = {tuple(types)!r}",
        f"PACKED = {tuple(packed)!r}",
        "#: struct/union -> ((member, type, count), ...): read by sockapi6._system.layout for other"
        " architectures",
        "MEMBERS = {",
        *(f"    {k!r}: {v!r}," for k, v in members.items()),
        "}",
        f"TYPEDEFS = {typedefs!r}",
        "",
    ]
    return "\n".join(lines)


def render_pairs() -> str:
    """Return the text of ``sockapi6/_system/_abi/_pairs.py``: pair -> module, per-arch names per family."""
    modules: dict[str, dict[str, str]] = {}
    for module, pairs in groups().items():
        for family, arch in pairs:
            modules.setdefault(family, {})[arch] = module
    lines = [
        "# Generated by tools/gen_abi.py from sockapi6/_system/platform.py and cdefs/. Do not edit.",
        '"""Which generated module declares each (family, arch) pair; names that differ by arch."""',
        "",
        "#: family -> arch -> generated module",
        "MODULES = {",
    ]
    for family, arches in modules.items():
        lines.append(f"    {family!r}: {{")
        lines += [f"        {arch!r}: {module!r}," for arch, module in arches.items()]
        lines.append("    },")
    lines += ["}", "", "#: family -> the constants an @arch block defines (refused on an unverified pair)",
              "ARCH_NAMES = {"]
    for family, facts in _platform.OSES.items():
        names = set()
        for name in (facts.cdefs, "common.h", "functions.h"):
            names |= arch_names((CDEFS / name).read_text())
        lines.append(f"    {family!r}: {tuple(sorted(names))!r},")
    lines += ["}", "", "", "def load(module):",
              '    """Import the generated module ``module`` (a value of MODULES), by an explicit import."""']
    for i, module in enumerate(sorted(groups())):
        lines += [f"    {'if' if i == 0 else 'elif'} module == {module!r}:",
                  f"        from . import {module} as found"]
    lines += ["    else:", "        raise ImportError(f'no generated declarations module {module!r}')",
              "    return found", ""]
    return "\n".join(lines)


_NUMBER = re.compile(r"^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+(-?(?:0[xX][0-9a-fA-F]+|\d+))\s*(?:/\*.*)?$")


def render_numbers() -> str:
    """Return the text of ``sockapi6/_numbers.py``: every number of ``cdefs/common.h``, no cffi."""
    lines = [
        "# Generated by tools/gen_abi.py from cdefs/common.h. Do not edit.",
        '"""The RFC and IANA numbers of ``cdefs/common.h`` as plain ints: the same on every OS.',
        "",
        "Wire-format modules read them from here without importing the binding (cffi).",
        '"""',
        "",
    ]
    seen: set[str] = set()
    for line in (CDEFS / "common.h").read_text().splitlines():
        m = _NUMBER.match(line)
        if m is not None and m.group(1) not in seen:
            seen.add(m.group(1))
            lines.append(f"{m.group(1)} = {int(m.group(2), 0)}")
    lines.append("")
    return "\n".join(lines)


def outputs() -> dict[pathlib.Path, str]:
    """Return every generated file and its text."""
    files = {OUT / f"{module}.py": render(module) for module in groups()}
    files[OUT / "_pairs.py"] = render_pairs()
    files[ROOT / "sockapi6" / "_numbers.py"] = render_numbers()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a module is stale")
    args = parser.parse_args(argv)
    stale = []
    files = outputs()
    for target, text in files.items():
        if target.exists() and target.read_text() == text:
            continue
        stale.append(target.stem)
        if not args.check:
            target.write_text(text)
    extra = sorted(p.stem for p in OUT.glob("*.py")
                   if p not in files and p.name != "__init__.py")
    if extra:
        stale += [f"{name} (no longer generated: delete it)" for name in extra]
        if not args.check:
            for name in extra:
                (OUT / f"{name}.py").unlink()
    if args.check and stale:
        print("stale generated modules: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
