"""Per-interface lookups over ``getifaddrs(3)``: the link-local address and the hardware address.

What radvd and odhcpd look up to source Router Advertisements (RFC 4861
section 4.2: from a link-local address) and DHCPv6 replies (RFC 8415
section 11: DUIDs from the link-layer address).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._system.ifnames import if_indextoname, if_nametoindex
from ..address import IN6_IS_ADDR_LINKLOCAL
from ._decoders import _AF_INET6, _LINK_FAMILIES
from ._getifaddrs import getifaddrs

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Optional, Union

__all__ = ["link_local_address", "hardware_address"]


def _resolve(interface: Union[str, int]) -> int:
    """The index of ``interface`` (a name or an index), which must exist (RFC 3493 sections 4.1, 4.2)."""
    if isinstance(interface, bool) or not isinstance(interface, (str, int)):
        raise TypeError(f"an interface is a name or an index, got {type(interface).__name__}")
    if isinstance(interface, str):
        return if_nametoindex(interface)
    if_indextoname(interface)  # raises OSError(ENXIO) for an unknown index
    return interface


def link_local_address(interface: Union[str, int]) -> Optional[IPv6Address]:
    """Return the first link-local unicast address of ``interface`` (name or index), scoped by its index.

    What radvd and odhcpd look up to source Router Advertisements and DHCPv6
    replies.  ``None`` if it has none; ``OSError`` if there is no such interface.
    """
    index = _resolve(interface)
    for entry in getifaddrs():
        if entry.index == index and entry.family == _AF_INET6 and IN6_IS_ADDR_LINKLOCAL(entry.address):
            address: IPv6Address = entry.address  # type: ignore[assignment]
            return address
    return None


def hardware_address(interface: Union[str, int]) -> Optional[bytes]:
    """Return the link-layer (MAC) address of ``interface`` (name or index).

    ``None`` if the interface has none (a tunnel, or no link-layer entry);
    ``OSError`` if there is no such interface.
    """
    index = _resolve(interface)
    for entry in getifaddrs():
        if entry.index == index and entry.family in _LINK_FAMILIES:
            return bytes(entry.address) or None  # type: ignore[arg-type]
    return None
