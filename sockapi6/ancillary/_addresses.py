"""Items that carry a socket address: :class:`NextHop` (RFC 3542 section 6.4), :class:`PathMTU`
(section 11.3) and Linux's :class:`OriginalDestination`."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .. import address as _address
from .._convert import mark, u16, u32
from .._system.binding import CONSTANTS as _C
from .._system.binding import ffi
from .._wire import REQUIRED, field
from ..errors import MalformedError, NotSupportedError
from ._item import AncillaryItem
from ._registry import register
from ._wire import (
    _IPPROTO_IPV6,
    _SIN6_SIZE,
    _constant,
    _decode_sockaddr,
    _ip,
    _ipv6,
    _sockaddr_in6,
)

if TYPE_CHECKING:

    from ._wire import Cmsg, IPAddress

__all__ = ["NextHop", "PathMTU", "OriginalDestination"]


def _nexthop(value: object) -> IPv6Address:
    return _address.to_ipv6(value)


def _destination(value: object) -> IPv6Address:
    return _ipv6(value, "address")


def _any_ip(value: object) -> IPAddress:
    return _ip(value, "address")


mark(_destination, "address")
mark(_any_ip, "address")


class NextHop(AncillaryItem):
    """``IPV6_NEXTHOP`` (RFC 3542 section 6.4): send through this neighbor (a ``sockaddr_in6``).

    Linux defines the number but refuses the item (``sendmsg`` fails with
    EINVAL): design.md, kernel facts.
    """

    address: IPv6Address = field("", _nexthop, REQUIRED,
                                 "The next hop's address (with scope for a link-local one).")

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_NEXTHOP, sockaddr_in6)``; NotSupportedError where the OS lacks it."""
        return _IPPROTO_IPV6, _constant("IPV6_NEXTHOP"), _address.sockaddr_in6(self.address)


def _decode_nexthop(level: int, type_: int, data: bytes) -> NextHop:
    addr, _port = _decode_sockaddr(data, "IPV6_NEXTHOP")
    if addr is None or isinstance(addr, IPv4Address):
        raise MalformedError("IPV6_NEXTHOP must hold an AF_INET6 address")
    return NextHop(addr)


_MTUINFO_SIZE = ffi.sizeof("struct ip6_mtuinfo") if "IPV6_PATHMTU" in _C else 0


class PathMTU(AncillaryItem):
    """``IPV6_PATHMTU`` (RFC 3542 section 11.3): a path MTU and the destination it applies to.

    Delivered with ``IPV6_RECVPATHMTU`` and returned by the ``IPV6_PATHMTU``
    socket option; the data is an ``ip6_mtuinfo``.
    """

    address: IPv6Address = field("", _destination, REQUIRED, "The destination (``ip6m_addr``).")
    mtu: int = field("", u32, REQUIRED, "The path MTU in bytes (``ip6m_mtu``).")

    def to_bytes(self) -> bytes:
        """The ``struct ip6_mtuinfo`` of this OS."""
        info = ffi.new("struct ip6_mtuinfo *")
        ffi.memmove(ffi.addressof(info.ip6m_addr), _address.sockaddr_in6(self.address), _SIN6_SIZE)
        info.ip6m_mtu = self.mtu
        return bytes(ffi.buffer(info))

    @classmethod
    def from_bytes(cls, data: bytes) -> PathMTU:
        """Decode a ``struct ip6_mtuinfo`` (what ``getsockopt(IPV6_PATHMTU)`` returns)."""
        data = bytes(data)
        if not _MTUINFO_SIZE:
            raise NotSupportedError("IPV6_PATHMTU")
        if len(data) != _MTUINFO_SIZE:
            raise MalformedError(f"an ip6_mtuinfo is {_MTUINFO_SIZE} bytes, got {len(data)}")
        addr, _port = _decode_sockaddr(data[:_SIN6_SIZE], "ip6m_addr")
        info = ffi.from_buffer("struct ip6_mtuinfo *", data)  # keeps data alive; length checked above
        return cls(IPv6Address(0) if addr is None else addr, int(info.ip6m_mtu))

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_PATHMTU, ip6_mtuinfo)``."""
        return _IPPROTO_IPV6, _constant("IPV6_PATHMTU"), self.to_bytes()


def _decode_pathmtu(level: int, type_: int, data: bytes) -> PathMTU:
    return PathMTU.from_bytes(data)


class OriginalDestination(AncillaryItem):
    """Linux ``IPV6_ORIGDSTADDR``: the destination (address and port) a datagram was sent to,
    before any TPROXY redirection; IPv4 traffic on a dual-stack socket gives an IPv4Address."""

    address: IPAddress = field("", _any_ip, REQUIRED, "The original destination address.")
    port: int = field("", u16, 0, "The original destination port.")

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_ORIGDSTADDR, sockaddr_in6)`` (IPv4 addresses mapped)."""
        return _IPPROTO_IPV6, _constant("IPV6_ORIGDSTADDR"), _sockaddr_in6(self.address, self.port)


def _decode_origdst(level: int, type_: int, data: bytes) -> OriginalDestination:
    addr, port = _decode_sockaddr(data, "IPV6_ORIGDSTADDR")
    if addr is None:
        raise MalformedError("IPV6_ORIGDSTADDR holds no address (AF_UNSPEC)")
    return OriginalDestination(addr, port)


register("IPPROTO_IPV6", "IPV6_NEXTHOP", _decode_nexthop, NextHop, "nexthop")
register("IPPROTO_IPV6", "IPV6_PATHMTU", _decode_pathmtu, PathMTU, "path_mtu")
register("IPPROTO_IPV6", "IPV6_ORIGDSTADDR", _decode_origdst, OriginalDestination, "original_destination")
register("IPPROTO_IPV6", "IPV6_2292NEXTHOP", _decode_nexthop, NextHop, "nexthop")
