"""``IPV6_PKTINFO`` / ``IP_PKTINFO`` as :class:`PacketInfo` (RFC 3542 sections 6.1-6.2; RFC 3493 section 3.7).

The receive path's hottest item: decoded items are interned by their bytes
and keep ``address_text`` and ``ifindex`` in plain slots; the address object
is built only when asked for.
"""

from __future__ import annotations

import socket as _socket
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .. import address as _address
from .._binding import CONSTANTS as _C
from .._binding import ffi
from .._checks import check_int
from .._ifindex import scope_index
from ..errors import MalformedError
from ._item import AncillaryItem
from ._textaddr import with_text
from ._wire import (
    _IPPROTO_IP,
    _IPPROTO_IPV6,
    _MAPPED,
    _U32,
    _constant,
    _ip,
    _needs_scope,
    _new,
    _set,
)

if TYPE_CHECKING:
    from typing import Any, Optional, Union

    from ._wire import Cmsg, IPAddress

__all__ = ["PacketInfo"]

_ntop = _socket.inet_ntop
_SOCK_AF_INET6 = _socket.AF_INET6
_SOCK_AF_INET = _socket.AF_INET
_unpack_u32 = _U32.unpack_from
_PKTINFO6_SIZE: int = ffi.sizeof("struct in6_pktinfo")
_PKTINFO6_IFINDEX: int = ffi.offsetof("struct in6_pktinfo", "ipi6_ifindex")
try:
    _PKTINFO4_SIZE: int = ffi.sizeof("struct in_pktinfo")
    _PKTINFO4_IFINDEX: int = ffi.offsetof("struct in_pktinfo", "ipi_ifindex")
    _PKTINFO4_ADDR: int = ffi.offsetof("struct in_pktinfo", "ipi_addr")
except ffi.error:  # pragma: no cover - an OS without in_pktinfo (it then has no IP_PKTINFO either)
    _PKTINFO4_SIZE = _PKTINFO4_IFINDEX = _PKTINFO4_ADDR = 0


def _unmapped(packed: bytes) -> bytes:
    """The address bytes, an IPv4-mapped address as its 4 IPv4 bytes."""
    return packed[12:] if len(packed) == 16 and packed[:12] == _MAPPED else packed


class PacketInfo(AncillaryItem):
    """``IPV6_PKTINFO`` (RFC 3542 section 6.1-6.2): an address and an interface index.

    Received: the packet's destination address and the interface it came in
    on.  Sent: the source address (``::`` lets the kernel choose) and the
    outgoing interface (0: routing chooses) -- odhcpd's way of answering on
    the interface a request came from.  ``address`` is an ``IPv4Address``
    for IPv4 traffic on a dual-stack socket (``IP_PKTINFO``, or an
    IPv4-mapped ``IPV6_PKTINFO``; :attr:`is_ipv4` tells), an ``IPv6Address``
    with the index as scope when the address is link-local; ``address_text``
    is ``str(address)`` without building the object.  ``ifindex`` may be
    given as a name.  Equality is by the wire value (address bytes and index).
    """

    # ifindex and address_text are read straight from their slots (the receive path's hot fields)
    __slots__ = {"_addr": "", "_packed": "", "address_text": "``str(address)``, built without the object.",
                 "ifindex": "The interface index (0: any)."}
    ifindex: int
    address_text: str
    _packed: bytes
    _addr: Optional[IPAddress]

    def __init__(self, address: object = "::", ifindex: Union[int, str] = 0) -> None:
        addr = _ip(address, "ancillary.PacketInfo: address")
        if isinstance(ifindex, str):
            index = scope_index(ifindex, "ancillary.PacketInfo's ifindex")
        else:
            index = check_int(ifindex, 0, 0xFFFFFFFF, "ancillary.PacketInfo: ifindex")
        _fill_pktinfo(self, addr.packed, index, addr)

    @property
    def address(self) -> IPAddress:
        """The address, with the interface index as scope where the address needs one."""
        addr = self._addr
        if addr is None:
            addr = _pktinfo_address(_unmapped(self._packed), self.ifindex)
            if type(addr) is IPv6Address:  # items are interned: keep the text for str() (a receive loop's)
                addr = with_text(addr)
            _set(self, "_addr", addr)
        return addr

    @property
    def is_ipv4(self) -> bool:
        """Whether this describes IPv4 traffic (an ``IPv4Address`` or an IPv4-mapped one): such an item
        goes out as ``IP_PKTINFO`` and has no ``in6_pktinfo`` form (RFC 3493 section 3.7)."""
        return len(_unmapped(self._packed)) == 4

    def _key(self) -> tuple[Any, ...]:
        return (_unmapped(self._packed), self.ifindex)

    def _args(self) -> tuple[Any, ...]:
        return (self.address, self.ifindex)

    def __repr__(self) -> str:
        return f"PacketInfo(address={self.address_text!r}, ifindex={self.ifindex})"

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_PKTINFO, in6_pktinfo)``, or ``(IPPROTO_IP, IP_PKTINFO, in_pktinfo)``
        for an IPv4 address."""
        packed = _unmapped(self._packed)
        if len(packed) == 4:
            return _IPPROTO_IP, _constant("IP_PKTINFO"), _in_pktinfo(packed, self.ifindex)
        return _IPPROTO_IPV6, _C["IPV6_PKTINFO"], packed + _U32.pack(self.ifindex)

    def to_ipv4_cmsg(self) -> Cmsg:
        """The IPv4 form for a reply to IPv4 traffic (``IP_PKTINFO``; ``::`` and mapped addresses map)."""
        packed = _unmapped(self._packed)
        if len(packed) == 16:
            if packed != bytes(16):
                raise ValueError(f"{self.address} cannot be the source of an IPv4 datagram")
            packed = bytes(4)
        return _IPPROTO_IP, _constant("IP_PKTINFO"), _in_pktinfo(packed, self.ifindex)


def _pktinfo_address(packed: bytes, ifindex: int) -> IPAddress:
    if len(packed) == 4:
        return IPv4Address(packed)
    return _address.to_ipv6(packed, ifindex) if ifindex else IPv6Address(packed)


def _fill_pktinfo(item: PacketInfo, packed: bytes, ifindex: int, addr: Optional[IPAddress]) -> PacketInfo:
    """Set every slot of ``item`` (the only writer of PacketInfo's slots)."""
    _set(item, "_packed", packed)
    _set(item, "ifindex", ifindex)
    _set(item, "_addr", addr)
    if addr is not None:
        text = str(addr)
    else:
        normal = _unmapped(packed)
        if len(normal) == 4:
            text = _ntop(_SOCK_AF_INET, normal)
        else:
            text = _ntop(_SOCK_AF_INET6, normal)
            if "." in text:  # libc's embedded-IPv4 spelling, which ipaddress does not use
                text = str(_pktinfo_address(normal, ifindex))
            elif ifindex and _needs_scope(normal):
                text = f"{text}%{ifindex}"
    _set(item, "address_text", text)
    return item


def _in_pktinfo(packed4: bytes, ifindex: int) -> bytes:
    info = ffi.new("struct in_pktinfo *")
    info.ipi_ifindex = ifindex if ifindex < 0x80000000 else ifindex - 0x100000000
    # ipi_spec_dst is what the kernel uses as source; ipi_addr is what it reports as destination
    ffi.memmove(ffi.addressof(info.ipi_spec_dst), packed4, 4)
    ffi.memmove(ffi.addressof(info.ipi_addr), packed4, 4)
    return bytes(ffi.buffer(info))


#: decoded PacketInfo items by their data: a server sees few distinct (address, interface)
#: pairs, and the items are immutable, so they are shared (bounded; cleared when full)
_PKTINFO_INTERN: dict[bytes, PacketInfo] = {}
_INTERN_MAX = 512


def _decode_pktinfo6(level: int, type_: int, data: bytes) -> PacketInfo:
    item = _PKTINFO_INTERN.get(data)
    if item is not None:
        return item
    if len(data) != _PKTINFO6_SIZE:
        raise MalformedError(f"an in6_pktinfo is {_PKTINFO6_SIZE} bytes, got {len(data)}")
    item = _fill_pktinfo(_new(PacketInfo), data[:16], _unpack_u32(data, _PKTINFO6_IFINDEX)[0], None)
    if len(_PKTINFO_INTERN) >= _INTERN_MAX:
        _PKTINFO_INTERN.clear()
    _PKTINFO_INTERN[data] = item
    return item


def _decode_pktinfo4(level: int, type_: int, data: bytes) -> PacketInfo:
    if len(data) != _PKTINFO4_SIZE:
        raise MalformedError(f"an in_pktinfo is {_PKTINFO4_SIZE} bytes, got {len(data)}")
    return _fill_pktinfo(_new(PacketInfo), data[_PKTINFO4_ADDR:_PKTINFO4_ADDR + 4],
                         _unpack_u32(data, _PKTINFO4_IFINDEX)[0], None)
