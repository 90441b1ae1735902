"""The options with classes of their own (RFC 2711, RFC 2675, RFC 2473, RFC 6275).

Each sets ``TYPE``, ``SIZE`` (its data length: ``parse`` gives the class
only for that length) and ``ALIGN``, the RFC's "xn+y" alignment of its
start as ``(x, y)``; its ``align`` (the alignment of its end) is ``x``.
Each is a view of :class:`Option`: equal to the ``Option`` of the same
bytes, and ``parse`` gives it for its type and length.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import TYPE_CHECKING

from .._convert import address as bare_address  # "address" is a parameter here
from .._convert import int_in, packed
from .._tlv import NO_ALIGNMENT, TLV, public_name, set_align, set_data, set_type
from ._options import Option

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any

__all__ = [
    "HomeAddress", "JumboPayload", "NAMED", "RouterAlert", "RouterAlertValue", "TunnelEncapsulationLimit",
]

_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")
#: each one-octet value, made once
_OCTETS = tuple(bytes((i,)) for i in range(256))


class RouterAlertValue(IntEnum):
    """Router Alert option values (RFC 2711 section 2.1)."""

    MLD = 0
    RSVP = 1
    ACTIVE_NETWORKS = 2


class _Named(Option):
    """An option of a known type, built from its field and shown as ``Class(field)``."""

    __slots__ = ()

    __repr__ = TLV._call_repr

    @classmethod
    def _field(cls, name: str) -> str:
        """How errors name a field: ``exthdr.RouterAlert: value``."""
        return f"{public_name(cls)}: {name}"


class RouterAlert(_Named):
    """Router Alert, type 0x05, alignment 2n+0 (RFC 2711): ``value`` 0 MLD, 1 RSVP, 2 Active Networks."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0x05, 2, (2, 0)

    def __init__(self, value: int) -> None:
        self._set(0x05, _U16.pack(int_in(value, 0, 0xFFFF, self._field("value"))), (2, 0))

    @property
    def value(self) -> int:
        """The 16-bit value (see :class:`RouterAlertValue`)."""
        return int(_U16.unpack(self._data)[0])

    def _args(self) -> tuple[Any, ...]:
        return (self.value,)


class JumboPayload(_Named):
    """Jumbo Payload, type 0xC2, alignment 4n+2, Hop-by-Hop only (RFC 2675 section 2).

    ``length`` is the 32-bit Jumbo Payload Length; RFC 2675 requires it to
    exceed 65535 (a receiver rejects smaller values), which is not enforced here.
    """

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0xC2, 4, (4, 2)

    def __init__(self, length: int) -> None:
        self._set(0xC2, _U32.pack(int_in(length, 0, 0xFFFFFFFF, self._field("length"))), (4, 2))

    @property
    def length(self) -> int:
        """The Jumbo Payload Length."""
        return int(_U32.unpack(self._data)[0])

    def _args(self) -> tuple[Any, ...]:
        return (self.length,)


class TunnelEncapsulationLimit(_Named):
    """Tunnel Encapsulation Limit, type 0x04, no alignment, a Destination option (RFC 2473 section 5.1)."""

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0x04, 1, NO_ALIGNMENT

    def __init__(self, limit: int) -> None:
        set_type(self, 0x04)
        set_data(self, _OCTETS[limit if limit.__class__ is int and 0 <= limit <= 255
                               else int_in(limit, 0, 255, self._field("limit"))])
        set_align(self, NO_ALIGNMENT)

    @property
    def limit(self) -> int:
        """How many further levels of encapsulation are permitted."""
        return self._data[0]

    def _args(self) -> tuple[Any, ...]:
        return (self.limit,)


class HomeAddress(_Named):
    """Home Address, type 0xC9, 16 octets, alignment 8n+6, a Destination option (RFC 6275 section 6.3).

    ``address`` is an ``IPv6Address``, its text or its 16 bytes (a scope is dropped).
    """

    __slots__ = ()
    TYPE, SIZE, ALIGN = 0xC9, 16, (8, 6)

    def __init__(self, address: IPv6Address | str | bytes) -> None:
        self._set(0xC9, packed(address, self._field("address")), (8, 6))

    @property
    def address(self) -> IPv6Address:
        """The mobile node's home address."""
        return bare_address(self._data)

    def _args(self) -> tuple[Any, ...]:
        return (str(self.address),)


#: the option classes ``parse`` gives for their types
NAMED = (RouterAlert, JumboPayload, TunnelEncapsulationLimit, HomeAddress)
