""":func:`with_checksum`: a Mobility Header message with the checksum RFC 6275 section 6.1.1 wants.

The trap it exists for: a raw ``IPPROTO_MH`` socket with ``IPV6_CHECKSUM`` 4
(RFC 4584 section 6.1, :func:`~sockapi6.mobility.open_mh_socket`) makes the
kernel fill the checksum over the pseudo-header of the packet as sent, whose
source is the mobile node's care-of address.  When the packet carries a Home
Address option, section 6.1.1 says the pseudo-header's source is the home
address instead, so the kernel's checksum is wrong for every Binding Update a
mobile node sends from away (docs/kernel-facts.md).  Compute it here with
``home_address`` and send from a socket whose ``IPV6_CHECKSUM`` is -1 (off),
so that the kernel leaves it alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import octets
from ..errors import MalformedError
from ._ipv6 import checksum
from ._messages import MobilityMessage

if TYPE_CHECKING:
    from typing import Any, Union

    from .._convert import AddressLike

__all__ = ["with_checksum"]


def with_checksum(message: Any, src: AddressLike, dst: AddressLike,
                  home_address: Any = None) -> Union[MobilityMessage, bytes]:
    """``message`` with its Checksum set for a packet from ``src`` to ``dst`` (RFC 6275 section 6.1.1).

    ``message`` is a :class:`MobilityMessage` (a copy is returned) or its
    bytes (bytes are returned).  ``home_address`` -- an address, a
    ``HomeAddress`` option, or destination options holding one -- is the
    Home Address option the packet carries: its address then replaces
    ``src`` (the care-of address) in the pseudo-header, as section 6.1.1
    requires and as the kernel's ``IPV6_CHECKSUM`` does not.
    """
    if isinstance(message, MobilityMessage):
        return message.with_checksum(src, dst, home_address)
    raw = octets(message, "message")
    if len(raw) < 8:
        raise MalformedError(f"a Mobility Header is at least 8 octets, got {len(raw)}")
    value = checksum(src, dst, raw, home_address)
    return raw[:4] + value.to_bytes(2, "big") + raw[6:]
