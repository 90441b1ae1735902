"""The Mobility Header in IPv6: checksum, Home Address option, type 2 routing header.

:func:`checksum` sums the IPv6 pseudo-header with the Mobility Header
(RFC 6275 6.1.1), taking the home address as the source when a Home Address
option is present; :func:`home_address_option` and
:func:`type2_routing_header` build the extension headers of RFC 6275 6.3-6.4
from ``sockapi6.exthdr`` and ``sockapi6.routing``; :func:`open_mh_socket`
opens a raw ``IPPROTO_MH`` socket as RFC 4584 section 6.1 recommends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._checksum import upper_layer_checksum
from .._convert import address, octets
from ._codes import IP6OPT_HOME_ADDRESS, IPPROTO_MH

if TYPE_CHECKING:
    from typing import Any

    from .._convert import AddressLike

__all__ = ["checksum", "home_address_option", "type2_routing_header"]


def _home_address_of(value: Any) -> Any:
    """The home address in ``value``: an address, a HomeAddress option, or destination options holding one."""
    if value is None or isinstance(value, (str, bytes, bytearray)):
        return value
    found = getattr(value, "address", None)
    if found is not None:
        return found
    for opt in getattr(value, "options", ()) or ():
        if getattr(opt, "type", None) == IP6OPT_HOME_ADDRESS:
            inner = getattr(opt, "address", None)
            return inner if inner is not None else bytes(opt.data)[:16]
    return value


def checksum(src: AddressLike, dst: AddressLike, data: Any, home_address: Any = None) -> int:
    """The Mobility Header checksum of ``data`` sent from ``src`` to ``dst`` (RFC 6275 6.1.1).

    The checksum field in ``data`` (offset 4) counts as zero.  With a Home
    Address option (``home_address``: an address, a ``HomeAddress`` option
    or destination options carrying one) the home address replaces the
    source in the pseudo-header.
    """
    source = _home_address_of(home_address)
    return upper_layer_checksum(src if source is None else source, dst, octets(data), IPPROTO_MH, 4)


def home_address_option(home_address: AddressLike) -> Any:
    """A Home Address destination option (RFC 6275 6.3): ``sockapi6.exthdr.HomeAddress``."""
    from ..exthdr import HomeAddress

    return HomeAddress(address(home_address))


def type2_routing_header(home_address: AddressLike) -> Any:
    """A type 2 routing header carrying ``home_address`` (RFC 6275 6.4): a ``routing.RoutingHeader``."""
    from ..routing import RoutingHeader

    return RoutingHeader([address(home_address)], type=2)
