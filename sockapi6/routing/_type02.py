"""Routing header types 0 and 2 (RFC 8200 section 4.4 / RFC 2460 section 4.4; RFC 6275 section 6.4)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import address_list, int_in, slot_setter, u8, u32
from .._extheader import NO_NEXT_HEADER, address_octets, set_wire
from .._wire import REQUIRED, field
from ..errors import MalformedError
from ._base import HEAD, RoutingBase, routing_header

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any

    from .._convert import AddressLike

__all__ = ["RoutingHeader"]

_U32 = struct.Struct("!I")
#: how errors name the class
_W = "routing.RoutingHeader"


class RoutingHeader(RoutingBase):
    """A type 0 or type 2 routing header (RFC 8200 section 4.4; RFC 6275 section 6.4).

    ``addresses`` in wire order (IPv6Address, text or 16 bytes; scopes are
    dropped).  Type 0 holds 0..127 addresses; type 2 exactly one, the home
    address.  ``segments_left`` defaults to ``len(addresses)`` and may not
    exceed it.  ``reserved`` is the 32-bit Reserved field: sent as given
    (zero by default), ignored by receivers and kept by ``parse``.

    The object keeps its wire bytes; the ``IPv6Address`` objects are made
    the first time :attr:`addresses` is read.
    """

    __slots__ = ("_addresses",)

    _addresses: tuple[IPv6Address, ...] | None
    addresses: tuple[IPv6Address, ...] = field("", None, REQUIRED, "the addresses in wire order "
                                               "(IPv6Address, text or 16 bytes; scopes are dropped)")
    type: int = field("", u8, 0, "the Routing Type: 0, or 2 for the one home address", quiet=True)
    segments_left: int = field("", None, None, "how many addresses are still to be visited "
                                      "(default: all of them)")
    next_header: int = field("", u8, NO_NEXT_HEADER, "the Next Header octet", quiet=True)
    reserved: int = field("", u32, 0, "the 32-bit Reserved field, sent as given", quiet=True)

    def __init__(self, addresses: Iterable[AddressLike], type: int = 0, segments_left: int | None = None,
                 next_header: int = NO_NEXT_HEADER, reserved: int = 0) -> None:
        raw = address_octets(addresses, "routing.RoutingHeader: addresses")
        n = len(raw) >> 4
        t = type if type.__class__ is int and type == 0 else int_in(type, 0, 255,
                                                                    "routing.RoutingHeader: type")
        if t == 0:
            if n > 127:
                raise ValueError(f"{_W}: a type 0 header holds at most 127 addresses, not {n}")
        elif t == 2:
            if n != 1:
                raise ValueError(f"{_W}: a type 2 header holds exactly one address, not {n} "
                                 "(RFC 6275 section 6.4)")
        else:
            raise ValueError(f"{_W}: type must be 0 or 2, not {t}: use SegmentRoutingHeader "
                             "for type 4, UnknownRoutingHeader for others")
        sl = n if segments_left is None else int_in(segments_left, 0, n,
                                                    "routing.RoutingHeader: segments_left")
        nh = int_in(next_header, 0, 255, "routing.RoutingHeader: next_header")
        if reserved.__class__ is int and reserved == 0:
            set_wire(self, _HEAD_RESERVED.pack(nh, 2 * n, t, sl) + raw)
        else:
            rsv = int_in(reserved, 0, 0xFFFFFFFF, "routing.RoutingHeader: reserved")
            set_wire(self, HEAD.pack(nh, 2 * n, t, sl) + _U32.pack(rsv) + raw)
        _set_addresses(self, None)

    def _get_addresses(self) -> tuple[IPv6Address, ...]:
        addrs = self._addresses
        if addrs is None:
            addrs = address_list(self._wire[8:])
            _set_addresses(self, addrs)
        return addrs

    def _get_reserved(self) -> int:
        return _U32.unpack_from(self._wire, 4)[0]  # type: ignore[no-any-return]

    @classmethod
    def parse(cls, data: bytes) -> RoutingHeader:
        """Read one whole type 0 or type 2 routing header, keeping its bytes (Reserved field included).

        :class:`MalformedError` if it is not one.
        """
        buf = routing_header(data, cls.__name__)
        _, hlen, t, sl = HEAD.unpack_from(buf)
        if t == 0:
            if hlen % 2:
                raise MalformedError(f"type 0 routing header with odd Hdr Ext Len {hlen}", 1)
        elif t == 2:
            if hlen != 2:
                raise MalformedError(f"type 2 routing header with Hdr Ext Len {hlen}, not 2", 1)
        else:
            raise MalformedError(f"routing type {t} is not 0 or 2", 2)
        if sl > hlen // 2:
            raise MalformedError(f"Segments Left {sl} exceeds the {hlen // 2} addresses", 3)
        obj = object.__new__(cls)  # every field is checked above: skip the constructor's checks
        set_wire(obj, buf)
        _set_addresses(obj, None)
        return obj

    def _args(self) -> tuple[Any, ...]:
        w = self._wire
        return (self.addresses, w[2], w[3], w[0], self.reserved)


#: Next Header, Hdr Ext Len, Routing Type, Segments Left and the zero Reserved field
_HEAD_RESERVED = struct.Struct("!BBBB4x")
_set_addresses = slot_setter(RoutingHeader, "_addresses")
