"""What every routing header has (RFC 8200 section 4.4), and headers of the types not decoded here."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import int_in, octets, u8
from .._extheader import MAX_HEADER_LEN, NO_NEXT_HEADER, ExtensionHeader, set_wire, whole_header
from .._tlv import public_name
from .._wire import REQUIRED, field

if TYPE_CHECKING:
    from typing import Any

__all__ = ["HEAD", "RoutingBase", "UnknownRoutingHeader", "routing_header"]

#: Next Header, Hdr Ext Len, Routing Type, Segments Left (RFC 8200 section 4.4)
HEAD = struct.Struct("!BBBB")


def routing_header(data: object, name: str) -> bytes:
    """``data`` as bytes, checked to be one whole routing header (at least its 8 fixed octets)."""
    return whole_header(data, name, 8)


class RoutingBase(ExtensionHeader):
    """The fields every routing header has: Routing Type and Segments Left (RFC 8200 section 4.4).

    Both are read from the wire bytes (octets 2 and 3).  Every routing
    header class is one family: two routing headers are equal exactly when
    their wire bytes are (an :class:`UnknownRoutingHeader` of type 0 equals
    the :class:`~sockapi6.routing.RoutingHeader` of the same bytes).
    """

    __slots__ = ()
    _FAMILY = "routing"

    @property
    def type(self) -> int:
        """The Routing Type."""
        return self._wire[2]

    @property
    def segments_left(self) -> int:
        """How many listed nodes are still to be visited (the Segments Left octet)."""
        return self._wire[3]


class UnknownRoutingHeader(RoutingBase):
    """A routing header of a type this module does not decode; keeps its bytes (RFC 8200 section 4.4).

    ``data`` is the type-specific data after the first four octets; its
    length must be 4 more than a multiple of 8 (the header is whole octets of 8).
    """

    __slots__ = ()
    type: int = field("", u8, REQUIRED, "the Routing Type")
    segments_left: int = field("", u8, REQUIRED, "the Segments Left octet")
    data: bytes = field("", octets, b"\0\0\0\0", "the type-specific data after the first 4 octets "
                        "(8n + 4 octets)")
    next_header: int = field("", u8, NO_NEXT_HEADER, "the Next Header octet", quiet=True)

    def __init__(self, type: int, segments_left: int, data: bytes = b"\0\0\0\0",
                 next_header: int = NO_NEXT_HEADER) -> None:
        where = public_name(UnknownRoutingHeader)
        d = octets(data, f"{where}: data")
        if len(d) % 8 != 4 or len(d) > MAX_HEADER_LEN - 4:
            raise ValueError(f"{where}: data must be 8n + 4 octets (at most {MAX_HEADER_LEN - 4}), "
                             f"not {len(d)}")
        t = int_in(type, 0, 255, f"{where}: type")
        sl = int_in(segments_left, 0, 255, f"{where}: segments_left")
        nh = int_in(next_header, 0, 255, f"{where}: next_header")
        set_wire(self, HEAD.pack(nh, (len(d) + 4) // 8 - 1, t, sl) + d)

    def _get_data(self) -> bytes:
        return self._wire[4:]

    @classmethod
    def parse(cls, data: bytes) -> UnknownRoutingHeader:
        """Read one whole routing header of any type, keeping its type-specific data as bytes."""
        obj = object.__new__(cls)  # any whole header of 8n octets is one: nothing more to check
        set_wire(obj, routing_header(data, cls.__name__))
        return obj

    def _args(self) -> tuple[Any, ...]:
        w = self._wire
        return (w[2], w[3], w[4:], w[0])
