"""Per-OS ABI tables: every constant, struct size, alignment and field offset declared.

The numbers come from the generated declaration modules
(``sockapi6._system._abi.<platform>``, made by ``tools/gen_abi.py`` from ``cdefs/``);
nothing is parsed at run time, so the tables of every supported OS can be
read on any host.  The constants are the RFC 3493 section 5, RFC 3542,
RFC 3678 and RFC 5014 names (plus the socket-level and interface-flag names
the package uses) with that OS's values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._system.platform import OSES

if TYPE_CHECKING:
    from typing import Any

__all__ = ["ALIASES", "dump", "resolve", "resolve_arch"]

#: accepted spellings of a platform name -> declarations family (the records' names and aliases)
ALIASES: dict[str, str] = {
    spelling: name for name, facts in OSES.items() for spelling in (name, *facts.aliases)
}


def resolve(name: str | None = None) -> str:
    """Return the declarations module name for ``name`` (``None``: the running OS).

    Raises :class:`ValueError` naming the accepted spellings when ``name`` is
    not one of them.
    """
    if name is None:
        from ._system.binding import PLATFORM

        return PLATFORM
    key = name.strip().lower().replace("-", "_")
    try:
        return ALIASES[key]
    except KeyError:
        choices = ", ".join(sorted(ALIASES))
        raise ValueError(f"unknown platform {name!r}; choose from: {choices}") from None


def resolve_arch(platform: str, arch: str | None = None) -> str:
    """Return the architecture to report for ``platform`` (``None``: the running one).

    Without ``arch``, the running architecture where the family supports it,
    else the family's first (x86_64).  Raises :class:`ValueError` naming the
    supported architectures for an arch the family does not have.
    """
    from ._system.binding import ARCH
    from ._system.platform import SUPPORTED

    arches = SUPPORTED[platform]
    if arch is None:
        return ARCH if ARCH in arches else arches[0]
    key = {"amd64": "x86_64", "arm64": "aarch64", "x86": "i386", "powerpc64le": "ppc64le"}.get(
        arch.strip().lower(), arch.strip().lower())
    if key not in arches:
        raise ValueError(f"unknown architecture {arch!r} for {platform}; choose from: {', '.join(arches)}")
    return key


def dump(platform: str | None = None, arch: str | None = None) -> dict[str, Any]:
    """Return the ABI table of ``platform`` on ``arch`` (None: the running OS / architecture).

    ``platform`` is any spelling in :data:`ALIASES`; ``arch`` one of the
    family's supported architectures (``x86_64, aarch64, arm, i386, mips,
    mipsel, ppc64le, riscv64, s390x`` on Linux).  The result is
    ``{"platform": name, "arch": arch, "constants": {NAME: value},
    "structs": {name: {"size": n, "align": a, "fields": {field: offset}}},
    "opaque": [name, ...]}``; struct and union names carry no ``struct ``
    prefix, field offsets are from the start of the outermost type, and
    layouts are computed for that architecture (``sockapi6._system.layout``).
    """
    from ._system.binding import abi_module
    from ._system.layout import Layouts
    from ._system.platform import ARCHES

    name = resolve(platform)
    arch_name = resolve_arch(name, arch)
    module = abi_module(name, arch_name)
    layouts = Layouts(module, ARCHES[arch_name])
    structs: dict[str, dict[str, Any]] = {}
    opaque = []
    for decl in module.TYPES:
        short = decl.partition(" ")[2]
        if decl in module.MEMBERS:
            structs[short] = layouts.table(decl)
        else:  # declared opaque (e.g. struct ifaddrs on Windows)
            opaque.append(short)
    constants: dict[str, int] = dict(sorted(module.CONSTANTS.items()))
    return {
        "platform": name,
        "arch": arch_name,
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
        f"ABI of {table['platform']} on {table.get('arch', '?')}: {len(constants)} constants, "
        f"{len(structs)} structs/unions",
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
