"""Per-OS ABI tables: every constant, struct size, alignment and field offset declared.

The numbers come from the generated declaration modules
(``sockapi6._abi.<platform>``, made by ``tools/gen_abi.py`` from ``cdefs/``);
nothing is parsed at run time, so the tables of every supported OS can be
read on any host.  The constants are the RFC 3493 section 5, RFC 3542,
RFC 3678 and RFC 5014 names (plus the socket-level and interface-flag names
the package uses) with that OS's values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["ALIASES", "dump", "resolve"]

#: accepted spellings of a platform name -> declarations module name
ALIASES: dict[str, str] = {
    "linux": "linux_glibc",
    "glibc": "linux_glibc",
    "linux_glibc": "linux_glibc",
    "musl": "linux_musl",
    "linux_musl": "linux_musl",
    "darwin": "darwin",
    "macos": "darwin",
    "freebsd": "freebsd",
    "netbsd": "netbsd",
    "openbsd": "openbsd",
    "windows": "windows",
}


def resolve(name: str | None = None) -> str:
    """Return the declarations module name for ``name`` (``None``: the running OS).

    Raises :class:`ValueError` naming the accepted spellings when ``name`` is
    not one of them.
    """
    if name is None:
        from ._binding import PLATFORM

        return PLATFORM
    key = name.strip().lower().replace("-", "_")
    try:
        return ALIASES[key]
    except KeyError:
        choices = ", ".join(sorted(ALIASES))
        raise ValueError(f"unknown platform {name!r}; choose from: {choices}") from None


def _layout(ffi: Any, decl: str) -> dict[str, Any] | None:
    """Return ``{"size", "align", "fields"}`` of one declared type, or None if opaque."""
    ctype = ffi.typeof(decl)
    try:
        size = ffi.sizeof(ctype)
    except ffi.error:  # declared opaque (e.g. struct ifaddrs on Windows)
        return None
    # cffi lists the members of anonymous structs/unions under their own names
    fields = {name: field.offset for name, field in (ctype.fields or ())}
    return {"size": size, "align": ffi.alignof(ctype), "fields": fields}


def dump(platform: str | None = None) -> dict[str, Any]:
    """Return the ABI table of ``platform`` (any spelling in :data:`ALIASES`; None: this OS).

    The result is ``{"platform": name, "constants": {NAME: value},
    "structs": {name: {"size": n, "align": a, "fields": {field: offset}}},
    "opaque": [name, ...]}``; struct and union names carry no ``struct ``
    prefix, field offsets are from the start of the outermost type.
    """
    from ._binding import abi_module

    name = resolve(platform)
    module = abi_module(name)
    structs: dict[str, dict[str, Any]] = {}
    opaque = []
    for decl in module.TYPES:
        short = decl.partition(" ")[2]
        layout = _layout(module.ffi, decl)
        if layout is None:
            opaque.append(short)
        else:
            structs[short] = layout
    constants: dict[str, int] = dict(sorted(module.CONSTANTS.items()))
    return {
        "platform": name,
        "constants": constants,
        "structs": dict(sorted(structs.items())),
        "opaque": sorted(opaque),
    }


def _pairs(table: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(table.items())


def format_text(table: dict[str, Any]) -> str:
    """Return ``table`` (a :func:`dump` result) as an aligned plain-text report."""
    constants = _pairs(table["constants"])
    structs = _pairs(table["structs"])
    width = max([len(k) for k, _ in constants] + [len(k) + 4 for k, _ in structs] + [24])
    lines = [
        f"ABI of {table['platform']}: {len(constants)} constants, {len(structs)} structs/unions",
        "",
        "constants",
    ]
    lines += [f"  {name:<{width}}  {value:>10}  {value & 0xFFFFFFFF:#x}" for name, value in constants]
    lines += ["", f"  {'struct / field':<{width}}  {'size':>6} {'align':>5}  offset"]
    for name, layout in structs:
        lines.append(f"  {name:<{width}}  {layout['size']:>6} {layout['align']:>5}")
        lines += [f"    {field:<{width - 2}}  {'':>6} {'':>5}  {offset:>6}"
                  for field, offset in layout["fields"].items()]
    if table.get("opaque"):
        lines += ["", "opaque (declared, no layout): " + ", ".join(table["opaque"])]
    return "\n".join(lines)
