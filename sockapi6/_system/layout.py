"""Struct layouts of any supported architecture, computed from the declarations' member lists.

cffi lays structs out for the interpreter it runs in; ``abi --arch`` and the
conformance probe need them for other architectures too (32-bit pointers and
``size_t`` on arm, i386 and mips; 64-bit integers aligned to 4 in i386
structs).  ``tools/gen_abi.py`` writes every struct's members into the
generated module (``MEMBERS``: type -> ``(name, type, count)`` with ``"*"``
for a pointer, count -1 for a scalar, 0 for a flexible array; ``""`` names
an anonymous member), ``TYPEDEFS`` and ``PACKED``; this module applies the C
rules of the SysV and Windows x64 ABIs to them: each member at the next
multiple of its alignment, a struct's alignment the largest of its
members', its size rounded up to it; a union's members all at 0; packed
types align nothing.  Loaded only by ``sockapi6.abi`` and the probe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

    from .platform import Arch

__all__ = ["Layouts"]

_FIXED = {
    "char": 1, "signed char": 1, "unsigned char": 1, "_Bool": 1, "int8_t": 1, "uint8_t": 1,
    "short": 2, "unsigned short": 2, "int16_t": 2, "uint16_t": 2,
    "int": 4, "unsigned int": 4, "int32_t": 4, "uint32_t": 4, "float": 4,
    "long long": 8, "unsigned long long": 8, "int64_t": 8, "uint64_t": 8, "double": 8,
}
_WORD = ("long", "unsigned long", "size_t", "ssize_t", "intptr_t", "uintptr_t", "ptrdiff_t", "*")
_SIGNED = frozenset({"char", "signed char", "short", "int", "long", "long long", "int8_t", "int16_t",
                     "int32_t", "int64_t", "ssize_t", "intptr_t", "ptrdiff_t"})


class Layouts:
    """Sizes, alignments and member offsets of one generated module's types on ``arch``."""

    __slots__ = ("_cache", "arch", "members", "packed", "typedefs")

    def __init__(self, module: ModuleType, arch: Arch) -> None:
        self.members: dict[str, tuple[tuple[str, str, int], ...]] = module.MEMBERS
        self.typedefs: dict[str, str] = module.TYPEDEFS
        self.packed = frozenset(module.PACKED)
        self.arch = arch
        self._cache: dict[str, tuple[int, int, list[tuple[str, int, str, int]]]] = {}

    def _scalar(self, tref: str) -> tuple[int, int]:
        tref = self.typedefs.get(tref, tref)
        if tref in _FIXED:
            size = _FIXED[tref]
            return size, (self.arch.int64_align if size == 8 else size)
        if tref in _WORD:
            return self.arch.pointer_size, self.arch.pointer_size
        if tref in self.members:
            size, align, _ = self.struct(tref)
            return size, align
        raise KeyError(f"no layout rule for C type {tref!r}")

    def sizeof(self, tref: str) -> int:
        """Return ``sizeof`` of a type name (struct, typedef, primitive or ``"*"``)."""
        return self._scalar(tref)[0]

    def alignof(self, tref: str) -> int:
        return self._scalar(tref)[1]

    def is_signed(self, tref: str) -> bool | None:
        """Return whether an integer type is signed (None: not an integer, or plain char)."""
        tref = self.typedefs.get(tref, tref)
        if tref in ("char", "float", "double", "_Bool", "*") or tref in self.members:
            return None
        return tref in _SIGNED

    def struct(self, name: str) -> tuple[int, int, list[tuple[str, int, str, int]]]:
        """Return ``(size, align, members)`` of a struct or union: members as (name, offset, type, count)."""
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        union = name.startswith("union ")
        packed = name in self.packed
        offset = size = 0
        align = 1
        placed = []
        for fname, tref, count in self.members[name]:
            fsize, falign = self._scalar(tref)
            if packed:
                falign = 1
            total = fsize * (1 if count < 0 else count)
            at = 0 if union else (offset + falign - 1) // falign * falign
            placed.append((fname, at, tref, count))
            align = max(align, falign)
            if union:
                size = max(size, total)
            else:
                offset = at + total
                size = offset
        size = (size + align - 1) // align * align
        result = (size, align, placed)
        self._cache[name] = result
        return result

    def fields(self, name: str) -> dict[str, int]:
        """Return member -> offset as cffi lists them: anonymous members' fields flattened."""
        out: dict[str, int] = {}
        for fname, at, tref, _count in self.struct(name)[2]:
            if fname:
                out.setdefault(fname, at)
            else:
                for sub, off in self.fields(tref).items():
                    out.setdefault(sub, at + off)
        return out

    def walk(self, name: str, prefix: str = "", base: int = 0) -> list[tuple[str, int, int, bool, str, int]]:
        """Return ``(path, offset, size, open_array, type, count)`` of every member, as the probe reads them.

        Anonymous members come flattened; a named member whose type has no
        tag (``union $2``) is descended into, giving dotted paths.
        """
        out: list[tuple[str, int, int, bool, str, int]] = []
        for fname, at, tref, count in self.struct(name)[2]:
            if not fname:
                out += self.walk(tref, prefix, base + at)
                continue
            open_array = count == 0
            size = 0 if open_array else self.sizeof(tref) * (1 if count < 0 else count)
            out.append((prefix + fname, base + at, size, open_array, tref, count))
            if tref in self.members and tref.split(" ", 1)[1].startswith("$"):
                out += self.walk(tref, prefix + fname + ".", base + at)
        return out

    def table(self, name: str) -> dict[str, Any]:
        """Return ``{"size", "align", "fields"}`` as ``sockapi6.abi.dump`` reports a type."""
        size, align, _ = self.struct(name)
        return {"size": size, "align": align, "fields": self.fields(name)}
