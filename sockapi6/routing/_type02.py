"""Routing header types 0 and 2 (RFC 8200 section 4.4 / RFC 2460 section 4.4; RFC 6275 section 6.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._convert import address_list, int_in
from .._convert import addresses as bare_addresses  # "addresses" is a parameter here
from .._extheader import NO_NEXT_HEADER, call_repr
from ..errors import MalformedError
from ._base import HEAD, RoutingBase, routing_header

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any

    from .._convert import AddressLike

__all__ = ["RoutingHeader"]

_RESERVED = bytes(4)


class RoutingHeader(RoutingBase):
    """A type 0 or type 2 routing header (RFC 8200 section 4.4; RFC 6275 section 6.4).

    ``addresses`` in wire order (IPv6Address, text or 16 bytes; scopes are
    dropped).  Type 0 holds 0..127 addresses; type 2 exactly one, the home
    address.  ``segments_left`` defaults to ``len(addresses)`` and may not
    exceed it.  The Reserved field is sent as zero and ignored by ``parse``.
    """

    __slots__ = ("_addresses",)

    _addresses: tuple[IPv6Address, ...]

    def __init__(self, addresses: Iterable[AddressLike], type: int = 0, segments_left: int | None = None,
                 next_header: int = NO_NEXT_HEADER) -> None:
        addrs = bare_addresses(addresses, "addresses")
        t = int_in(type, 0, 255, "routing type")
        if t == 0:
            if len(addrs) > 127:
                raise ValueError(f"a type 0 routing header holds at most 127 addresses, not {len(addrs)}")
        elif t == 2:
            if len(addrs) != 1:
                raise ValueError(f"a type 2 routing header holds exactly one address, not {len(addrs)} "
                                 "(RFC 6275 section 6.4)")
        else:
            raise ValueError(f"RoutingHeader handles types 0 and 2, not {t}: use SegmentRoutingHeader for "
                             "type 4, UnknownRoutingHeader for others")
        sl = len(addrs) if segments_left is None else int_in(segments_left, 0, len(addrs), "segments_left")
        nh = int_in(next_header, 0, 255, "next_header")
        wire = HEAD.pack(nh, 2 * len(addrs), t, sl) + _RESERVED + b"".join([a.packed for a in addrs])
        self._set(addrs, t, sl, nh, wire)

    def _set(self, addresses: tuple[IPv6Address, ...], type: int, segments_left: int, next_header: int,
             wire: bytes) -> None:
        s = object.__setattr__
        s(self, "_addresses", addresses)
        s(self, "_type", type)
        s(self, "_segments_left", segments_left)
        s(self, "_next_header", next_header)
        s(self, "_wire", wire)

    @property
    def addresses(self) -> tuple[IPv6Address, ...]:
        """The addresses, in wire order."""
        return self._addresses

    @classmethod
    def parse(cls, data: bytes) -> RoutingHeader:
        """Read one whole type 0 or type 2 routing header; :class:`MalformedError` if it is not one."""
        buf = routing_header(data, cls.__name__)
        nh, hlen, t, sl = HEAD.unpack_from(buf)
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
        obj._set(address_list(buf[8:]), t, sl, nh, buf[:4] + _RESERVED + buf[8:])
        return obj

    def _key(self) -> tuple[Any, ...]:
        return (self._addresses, self._type, self._segments_left, self._next_header)

    def __repr__(self) -> str:
        return call_repr("RoutingHeader", [repr([str(a) for a in self._addresses])],
                         ("type", self._type, 0),
                         ("segments_left", self._segments_left, len(self._addresses)),
                         ("next_header", self._next_header, NO_NEXT_HEADER))
