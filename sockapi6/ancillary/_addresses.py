"""Items that carry a socket address: :class:`NextHop` (RFC 3542 section 6.4), :class:`PathMTU`
(section 11.3) and Linux's :class:`OriginalDestination`."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .. import address as _address
from .._binding import CONSTANTS as _C
from .._binding import ffi
from .._checks import check_int
from ..errors import MalformedError, NotSupportedError
from ._item import AncillaryItem
from ._wire import (
    _IPPROTO_IPV6,
    _SIN6_SIZE,
    _constant,
    _decode_sockaddr,
    _ip,
    _ipv6,
    _set,
    _sockaddr_in6,
)

if TYPE_CHECKING:

    from ._wire import Cmsg, IPAddress

__all__ = ["NextHop", "PathMTU", "OriginalDestination"]


class NextHop(AncillaryItem):
    """``IPV6_NEXTHOP`` (RFC 3542 section 6.4): send through this neighbor (a ``sockaddr_in6``).

    Linux defines the number but refuses the item (``sendmsg`` fails with
    EINVAL): design.md, kernel facts.
    """

    __slots__ = {"address": "The next hop's address (with scope for a link-local one)."}
    _fields = ("address",)
    address: IPv6Address

    def __init__(self, address: object) -> None:
        _set(self, "address", _address.to_ipv6(address))

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

    __slots__ = {"address": "The destination (``ip6m_addr``).",
                 "mtu": "The path MTU in bytes (``ip6m_mtu``)."}
    _fields = ("address", "mtu")
    address: IPv6Address
    mtu: int

    def __init__(self, address: object, mtu: int) -> None:
        _set(self, "address", _ipv6(address, "PathMTU address"))
        _set(self, "mtu", check_int(mtu, 0, 0xFFFFFFFF, "mtu"))

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

    __slots__ = {"address": "The original destination address.", "port": "The original destination port."}
    _fields = ("address", "port")
    address: IPAddress
    port: int

    def __init__(self, address: object, port: int = 0) -> None:
        _set(self, "address", _ip(address, "OriginalDestination address"))
        _set(self, "port", check_int(port, 0, 0xFFFF, "port"))

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_ORIGDSTADDR, sockaddr_in6)`` (IPv4 addresses mapped)."""
        return _IPPROTO_IPV6, _constant("IPV6_ORIGDSTADDR"), _sockaddr_in6(self.address, self.port)


def _decode_origdst(level: int, type_: int, data: bytes) -> OriginalDestination:
    addr, port = _decode_sockaddr(data, "IPV6_ORIGDSTADDR")
    if addr is None:
        raise MalformedError("IPV6_ORIGDSTADDR holds no address (AF_UNSPEC)")
    return OriginalDestination(addr, port)
