"""``getifaddrs(3)``: every address of every interface, decoded before libc's list is freed.

:func:`getifaddrs` returns a flat list of :class:`InterfaceAddress`, one per
IPv6, IPv4 and link-layer entry (decoded by the family table of
``_decoders``); :func:`interfaces` groups them into :class:`Interface`
objects.  IPv6 addresses that need a scope carry their interface index
(RFC 3493 section 3.3, design rule 5).
"""

from __future__ import annotations

import errno as _errno
import os
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from .._system.binding import ffi, has_function, last_error, lib
from .._system.ifnames import if_nametoindex
from ..address import needs_scope
from ..errors import NotSupportedError
from ._decoders import _AF_INET6, _DECODERS, _LINK_FAMILIES
from ._values import Interface, InterfaceAddress

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, Optional, Union

__all__ = ["getifaddrs", "list_interfaces"]


def _walk(entry: Any) -> Iterator[tuple[str, int, int, Any, Optional[int], int]]:
    """Yield ``(name, flags, family, address, prefixlen, index hint)`` for each entry we can decode."""
    while entry != ffi.NULL:
        sa = entry.ifa_addr
        if sa != ffi.NULL and entry.ifa_name != ffi.NULL:
            family = int(sa.sa_family)
            decoder = _DECODERS.get(family)
            if decoder is not None:
                address, prefixlen, hint = decoder(sa, entry.ifa_netmask)
                yield (os.fsdecode(ffi.string(entry.ifa_name)), int(entry.ifa_flags), family,
                       address, prefixlen, hint)
        entry = entry.ifa_next


def _index_of(name: str, known: dict[str, int]) -> int:
    index = known.get(name)
    if index is None:
        index = 0
        for candidate in (name, name.partition(":")[0]):  # "eth0:1" is an IPv4 label of eth0
            try:
                index = if_nametoindex(candidate)
                break
            except (OSError, ValueError):
                continue
        known[name] = index
    return index


def getifaddrs() -> list[InterfaceAddress]:
    """Return every address of every interface, as ``getifaddrs(3)`` reports them.

    One :class:`InterfaceAddress` per IPv6, IPv4 and link-layer entry (other
    families are skipped).  An IPv6 address that needs a scope (link-local,
    interface-/link-local multicast) carries its interface index as
    ``scope_id``; KAME's embedded form is undone on the BSDs.  libc's list is
    decoded completely, then always freed with ``freeifaddrs``.
    """
    if not has_function("getifaddrs"):
        raise NotSupportedError("getifaddrs", reason="the C library has no getifaddrs()")
    head = ffi.new("struct ifaddrs **")
    ffi.errno = 0
    if lib.getifaddrs(head) != 0:
        err = last_error() or _errno.EIO
        raise OSError(err, f"getifaddrs: {os.strerror(err)}")
    try:
        raw = list(_walk(head[0]))
    finally:
        lib.freeifaddrs(head[0])
    known: dict[str, int] = {}
    for name, _flags, family, _address, _prefixlen, hint in raw:
        if hint and (family in _LINK_FAMILIES or family == _AF_INET6):
            known.setdefault(name, hint)
    result = []
    for name, flags, family, address, prefixlen, _hint in raw:
        index = _index_of(name, known)
        scope = 0
        if family == _AF_INET6:
            scope = int(address.scope_id or 0)
            if not scope and index and needs_scope(address):
                address, scope = IPv6Address(f"{address}%{index}"), index
        result.append(InterfaceAddress(name, index, flags, family, address, prefixlen, scope))
    return result


def list_interfaces() -> list[Interface]:
    """Return :func:`getifaddrs` grouped per interface (by index; IPv4 labels join their device)."""
    groups: dict[Union[int, str], dict[str, Any]] = {}
    for entry in getifaddrs():
        key: Union[int, str] = entry.index or entry.interface
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"name": entry.interface, "flags": entry.flags, "addresses": [],
                                   "link": None}
        if entry.family in _LINK_FAMILIES:
            group["name"], group["flags"] = entry.interface, entry.flags
            group["link"] = entry.address or None
        else:
            group["addresses"].append(entry)
    return [
        Interface(g["name"], key if isinstance(key, int) else 0, g["flags"], tuple(g["addresses"]), g["link"])
        for key, g in groups.items()
    ]
