"""The options with classes of their own (RFC 2711, RFC 2675, RFC 2473, RFC 6275).

Each sets ``TYPE``, ``SIZE`` (its data length: ``parse`` gives the class
only for that length) and ``ALIGN``, the RFC's "xn+y" alignment of its
start as ``(x, y)``; its ``align`` (the alignment of its end) is ``x``.
Each is a view of :class:`Option`: equal to the ``Option`` of the same
bytes, and ``parse`` gives it for its type and length.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from .._convert import address, u8, u16, u32
from .._tlv import NO_ALIGNMENT
from .._wire import REQUIRED, _fail, field
from ._options import Option

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any

__all__ = [
    "HomeAddress", "JumboPayload", "NAMED", "RouterAlert", "RouterAlertValue", "TunnelEncapsulationLimit",
]

#: each one-octet value, made once
_OCTETS = tuple(bytes((i,)) for i in range(256))


class RouterAlertValue(IntEnum):
    """Router Alert option values (RFC 2711 section 2.1)."""

    MLD = 0
    RSVP = 1
    ACTIVE_NETWORKS = 2


class _Named(Option):
    """An option of a known type: its fields declared as views of its data (see :mod:`sockapi6._tlv`)."""

    __slots__ = ()
    _fields = ()

    if TYPE_CHECKING:  # the generated constructor takes the subclass's own fields, not Option's
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class RouterAlert(_Named):
    """Router Alert, type 0x05, alignment 2n+0 (RFC 2711)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0x05, 2, (2, 0)
    value: int = field("H", u16, REQUIRED, "the 16-bit value: 0 MLD, 1 RSVP, 2 Active Networks "
                       "(RouterAlertValue)")


class JumboPayload(_Named):
    """Jumbo Payload, type 0xC2, alignment 4n+2, Hop-by-Hop only (RFC 2675 section 2).

    RFC 2675 requires ``length`` to exceed 65535 (a receiver rejects smaller
    values), which is not enforced here.
    """

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0xC2, 4, (4, 2)
    length: int = field("I", u32, REQUIRED, "the 32-bit Jumbo Payload Length")


class TunnelEncapsulationLimit(_Named):
    """Tunnel Encapsulation Limit, type 0x04, no alignment, a Destination option (RFC 2473 section 5.1)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0x04, 1, NO_ALIGNMENT
    limit: int = field("B", u8, REQUIRED, "how many further levels of encapsulation are permitted")

    def __init__(self, limit: int) -> None:
        """Make the option (a fast path of the generated constructor: it is built per packet)."""
        if limit.__class__ is int and 0 <= limit <= 255:
            self._set(0x04, _OCTETS[limit], NO_ALIGNMENT)
        else:
            try:
                self._set(0x04, _OCTETS[u8(limit)], NO_ALIGNMENT)
            except (TypeError, ValueError) as exc:
                _fail(self, "limit", limit, exc, u8)

    def _get_limit(self) -> int:
        return self._data[0]


class HomeAddress(_Named):
    """Home Address, type 0xC9, 16 octets, alignment 8n+6, a Destination option (RFC 6275 section 6.3)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0xC9, 16, (8, 6)
    address: IPv6Address = field("16s", address, REQUIRED, "the mobile node's home address (an "
                                 "IPv6Address, its text or its 16 bytes; a scope is dropped)")


#: the option classes ``parse`` gives for their types
NAMED = (RouterAlert, JumboPayload, TunnelEncapsulationLimit, HomeAddress)
