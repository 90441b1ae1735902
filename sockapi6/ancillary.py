"""Ancillary data (control messages) as value objects: RFC 3542 sections 4-6, 11-13.

Each item knows its wire form: ``item.to_cmsg() -> (level, type, bytes)`` and
``Class.from_cmsg(level, type, data)``.  :func:`parse_ancillary` turns the
list that :meth:`socket.socket.recvmsg` returns into items through **one**
table, ``(level, type) -> decoder``, built from this OS's constants (an
option the OS lacks is simply not in it).  What the table does not know
becomes :class:`UnknownControlMessage`; bytes that do not decode raise
:class:`~sockapi6.errors.MalformedError`.

Items (RFC 3542 section 6 unless noted):

* :class:`PacketInfo` -- ``IPV6_PKTINFO`` (and ``IP_PKTINFO``, RFC 2292's
  ``IPV6_2292PKTINFO``): destination address and arrival interface on
  receipt, source address and outgoing interface on send (section 6.1-6.2);
* :class:`HopLimit` (``IPV6_HOPLIMIT``, ``IP_TTL``; 6.3), :class:`TrafficClass`
  (``IPV6_TCLASS``, ``IP_TOS``; 6.5), :class:`NextHop` (6.4),
  :class:`PathMTU` (``IPV6_PATHMTU``, an ``ip6_mtuinfo``; section 11);
* extension headers (section 4): ``IPV6_HOPOPTS`` / ``IPV6_DSTOPTS`` /
  ``IPV6_RTHDR`` decode to the header objects of :mod:`sockapi6.exthdr`
  and :mod:`sockapi6.routing`; ``IPV6_RTHDRDSTOPTS`` (destination options
  *before* a routing header) to :class:`RoutingDestinationOptions`, a
  wrapper that is also how one asks ``sendmsg`` for that placement;
* Linux: :class:`OriginalDestination` (``IPV6_ORIGDSTADDR``) and
  :class:`ExtendedError` (``IPV6_RECVERR`` / ``IP_RECVERR``).

On a dual-stack socket (``IPV6_V6ONLY`` off) IPv4 traffic arrives with
IPv4-mapped addresses or IPv4-level items; both are shown through the same
views with :class:`ipaddress.IPv4Address` (the real peer, RFC 3493 section
3.7).  Hop limit and traffic class 0 are values, never "absent"; -1 asks
the kernel for its default on send (RFC 3542 section 6.3, 6.5).

Addresses come out as :class:`ipaddress.IPv6Address` with a numeric scope
where the address needs one (design rule 5); a :class:`PacketInfo` with a
link-local destination carries its ``ifindex`` as the scope.
"""

from __future__ import annotations

import socket as _socket
import struct as _struct
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from . import address as _address
from ._binding import CONSTANTS as _C
from ._binding import PLATFORM, ffi
from .errors import MalformedError, NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Callable, Optional, Union

    IPAddress = Union[IPv4Address, IPv6Address]
    Cmsg = tuple[int, int, bytes]
    Decoder = Callable[[int, int, bytes], Any]

__all__ = [
    "CMSG_LEN",
    "CMSG_SPACE",
    "AncillaryItem",
    "PacketInfo",
    "HopLimit",
    "TrafficClass",
    "NextHop",
    "PathMTU",
    "OriginalDestination",
    "ExtendedError",
    "ErrorOrigin",
    "RoutingDestinationOptions",
    "UnknownControlMessage",
    "parse_ancillary",
    "from_cmsg",
    "to_cmsg",
    "cmsg_name",
]

# ---------------------------------------------------------------------------
# CMSG_LEN / CMSG_SPACE for the running OS (RFC 3542 section 20.2-20.3)
# ---------------------------------------------------------------------------

#: bytes to which each OS rounds a control message header and its data
#: (reference/platform_abi.md section 4: macOS aligns to 4 even on 64-bit)
_CMSG_ALIGNMENT: dict[str, int] = {
    "linux_glibc": 8,
    "linux_musl": 8,
    "darwin": 4,
    "freebsd": 8,
    "netbsd": 8,
    "openbsd": 8,
    "windows": 8,
}
_ALIGN = _CMSG_ALIGNMENT[PLATFORM]
_HDR: int = (ffi.sizeof("struct cmsghdr") + _ALIGN - 1) & ~(_ALIGN - 1)


def _check_length(length: int, what: str) -> int:
    if isinstance(length, bool) or not isinstance(length, int):
        raise TypeError(f"{what}() takes an int, got {type(length).__name__}")
    if not 0 <= length <= 0x7FFFFFFF - _HDR - _ALIGN:
        raise ValueError(f"{what}() argument {length} is out of range")
    return length


def CMSG_LEN(length: int) -> int:
    """Return ``cmsg_len`` for ``length`` bytes of data on this OS (RFC 3542 section 20.3)."""
    return _HDR + _check_length(length, "CMSG_LEN")


def CMSG_SPACE(length: int) -> int:
    """Return the buffer space one message with ``length`` bytes of data takes on this OS, padding
    included (RFC 3542 section 20.2)."""
    return _HDR + ((_check_length(length, "CMSG_SPACE") + _ALIGN - 1) & ~(_ALIGN - 1))


# ---------------------------------------------------------------------------
# Wire helpers
# ---------------------------------------------------------------------------

_IPPROTO_IPV6: int = _C["IPPROTO_IPV6"]
_IPPROTO_IP: int = _C["IPPROTO_IP"]
_AF_INET: int = _C["AF_INET"]
_AF_INET6: int = _C["AF_INET6"]
_AF_UNSPEC: int = _C.get("AF_UNSPEC", 0)
_INT = _struct.Struct("=i")
_U32 = _struct.Struct("=I")
_MAPPED = bytes(10) + b"\xff\xff"
_PKTINFO6_SIZE: int = ffi.sizeof("struct in6_pktinfo")
_PKTINFO6_IFINDEX: int = ffi.offsetof("struct in6_pktinfo", "ipi6_ifindex")
_SIN6_SIZE: int = ffi.sizeof("struct sockaddr_in6")
_SIN_SIZE: int = ffi.sizeof("struct sockaddr_in")
_unpack_u32 = _U32.unpack_from
_new = object.__new__
_ntop = _socket.inet_ntop
_SOCK_AF_INET6 = _socket.AF_INET6
_SOCK_AF_INET = _socket.AF_INET


def _optional(name: str) -> Optional[int]:
    return _C.get(name)


def _constant(name: str) -> int:
    value = _C.get(name)
    if value is None:
        raise NotSupportedError(name)
    return value


def _int_value(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{what} {value} is out of range {low}..{high}")
    return value


def _ip(value: object, what: str) -> IPAddress:
    """An IPv6 or IPv4 address from an address object, text or 16/4 bytes."""
    if isinstance(value, (IPv6Address, IPv4Address)):
        return value
    if isinstance(value, str):
        if ":" not in value:
            try:
                return IPv4Address(value)
            except ValueError:
                raise ValueError(f"{what}: {value!r} is not an IP address") from None
        return _address.to_ipv6(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) == 4:
            return IPv4Address(raw)
        if len(raw) == 16:
            return IPv6Address(raw)
        raise ValueError(f"{what}: an address is 16 (IPv6) or 4 (IPv4) bytes, got {len(raw)}")
    raise TypeError(f"{what} must be an IPv6Address, IPv4Address, text or bytes, got {type(value).__name__}")


def _ipv6(value: object, what: str) -> IPv6Address:
    addr = _ip(value, what)
    if isinstance(addr, IPv4Address):
        return IPv6Address(_MAPPED + addr.packed)
    return addr


def _scope_of(addr: IPv6Address) -> int:
    scope = addr.scope_id
    if not scope:
        return 0
    return int(scope) if scope.isdigit() else _address._interface_index(scope, str(addr))


def _needs_scope(packed: bytes) -> bool:
    first = packed[0]
    if first == 0xFF:
        return (packed[1] & 0x0F) in (1, 2)
    return first == 0xFE and (packed[1] & 0xC0) == 0x80


def _sockaddr_in6(addr: IPAddress, port: int = 0, flowinfo: int = 0) -> bytes:
    v6 = _ipv6(addr, "address")
    return _address.sockaddr_in6(v6, port, flowinfo)


def _decode_sockaddr(data: bytes, what: str) -> tuple[Optional[IPAddress], int]:
    """(address, port) from a sockaddr_in6 or sockaddr_in; (None, 0) for AF_UNSPEC; mapped -> IPv4."""
    if len(data) < 2:
        raise MalformedError(f"{what}: {len(data)} bytes is too short for a socket address")
    family = ffi.cast("struct sockaddr *", ffi.from_buffer(data)).sa_family
    if family == _AF_UNSPEC:
        return None, 0
    if family == _AF_INET6:
        if len(data) < _SIN6_SIZE:
            raise MalformedError(f"{what}: a sockaddr_in6 is {_SIN6_SIZE} bytes, got {len(data)}")
        addr, port, _flow = _address.parse_sockaddr_in6(data[:_SIN6_SIZE])
        packed = addr.packed
        if packed[:12] == _MAPPED:
            return IPv4Address(packed[12:]), port
        return addr, port
    if family == _AF_INET:
        if len(data) < _SIN_SIZE:
            raise MalformedError(f"{what}: a sockaddr_in is {_SIN_SIZE} bytes, got {len(data)}")
        sin = ffi.cast("struct sockaddr_in *", ffi.from_buffer(data))
        packed4 = bytes(ffi.buffer(ffi.addressof(sin.sin_addr), 4))
        return IPv4Address(packed4), _socket.ntohs(sin.sin_port)
    raise MalformedError(f"{what}: unknown address family {family}")


# ---------------------------------------------------------------------------
# The items
# ---------------------------------------------------------------------------

class AncillaryItem:
    """Base of the ancillary items: value semantics through :meth:`_key`."""

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() != other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __copy__(self) -> AncillaryItem:
        return self

    def __deepcopy__(self, memo: object) -> AncillaryItem:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # addresses travel as text: Python 3.9/3.10 drop IPv6Address.scope_id when pickling
        args = tuple(str(a) if isinstance(a, (IPv4Address, IPv6Address)) else a for a in self._args())
        return (type(self), args)

    def _args(self) -> tuple[Any, ...]:
        return self._key()

    def to_cmsg(self) -> Cmsg:
        """Return ``(level, type, data)`` for :meth:`socket.socket.sendmsg`."""
        raise NotImplementedError

    @classmethod
    def from_cmsg(cls, level: int, type: int, data: bytes) -> Any:
        """Decode one control message of this class (``MalformedError`` for bad data)."""
        decoder = _DECODERS.get((level, type))
        if decoder is None or _OWNERS.get((level, type)) is not cls:
            raise ValueError(f"level {level} type {type} is not a {cls.__name__} control message")
        return decoder(level, type, bytes(data))


class PacketInfo(AncillaryItem):
    """``IPV6_PKTINFO`` (RFC 3542 section 6.1-6.2): an address and an interface index.

    Received: the packet's destination address and the interface it came in
    on.  Sent: the source address (``::`` lets the kernel choose) and the
    outgoing interface (0: routing chooses) -- odhcpd's way of answering on
    the interface a request came from.  ``address`` is an ``IPv4Address``
    for IPv4 traffic on a dual-stack socket (``IP_PKTINFO``, or an
    IPv4-mapped ``IPV6_PKTINFO``), an ``IPv6Address`` with the index as
    scope when the address is link-local; ``address_text`` is
    ``str(address)`` without building the object.  ``ifindex`` may be given
    as a name.  Equality is by the wire value (address bytes and index).
    """

    # ifindex and address_text are read straight from their slots (the receive path's hot fields)
    __slots__ = ("_addr", "_packed", "address_text", "ifindex")
    ifindex: int
    address_text: str
    _packed: bytes
    _addr: Optional[IPAddress]

    def __init__(self, address: object = "::", ifindex: Union[int, str] = 0) -> None:
        addr = _ip(address, "PacketInfo address")
        if isinstance(ifindex, str):
            index = _address._interface_index(ifindex, "PacketInfo")
        else:
            index = _int_value(ifindex, "ifindex", 0, 0xFFFFFFFF)
        _fill_pktinfo(self, addr.packed, index, addr)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PacketInfo is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"PacketInfo is immutable (cannot delete {name!r})")

    def _normal(self) -> bytes:
        """The address bytes, an IPv4-mapped address as its 4 IPv4 bytes."""
        packed = self._packed
        if len(packed) == 16 and packed[:12] == _MAPPED:
            return packed[12:]
        return packed

    @property
    def address(self) -> IPAddress:
        """The address, with the interface index as scope where the address needs one."""
        addr = self._addr
        if addr is None:
            addr = _pktinfo_address(self._normal(), self.ifindex)
            _set(self, "_addr", addr)
        return addr

    @property
    def is_ipv4(self) -> bool:
        """Whether this describes IPv4 traffic (dual-stack socket)."""
        return len(self._normal()) == 4

    def _key(self) -> tuple[Any, ...]:
        return (self._normal(), self.ifindex)

    def _args(self) -> tuple[Any, ...]:
        return (self.address, self.ifindex)

    def __repr__(self) -> str:
        return f"PacketInfo(address={self.address_text!r}, ifindex={self.ifindex})"

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_PKTINFO, in6_pktinfo)``, or ``(IPPROTO_IP, IP_PKTINFO, in_pktinfo)``
        for an IPv4 address."""
        packed = self._normal()
        if len(packed) == 4:
            return _IPPROTO_IP, _constant("IP_PKTINFO"), _in_pktinfo(packed, self.ifindex)
        return _IPPROTO_IPV6, _C["IPV6_PKTINFO"], packed + _U32.pack(self.ifindex)

    def to_ipv4_cmsg(self) -> Cmsg:
        """The IPv4 form for a reply to IPv4 traffic (``IP_PKTINFO``; ``::`` and mapped addresses map)."""
        packed = self._normal()
        if len(packed) == 16:
            if packed == bytes(16):
                packed = bytes(4)
            else:
                raise ValueError(f"{self.address} cannot be the source of an IPv4 datagram")
        return _IPPROTO_IP, _constant("IP_PKTINFO"), _in_pktinfo(packed, self.ifindex)


_set = object.__setattr__


def _pktinfo_address(packed: bytes, ifindex: int) -> IPAddress:
    if len(packed) == 4:
        return IPv4Address(packed)
    if ifindex and _needs_scope(packed):
        return IPv6Address(f"{_ntop(_SOCK_AF_INET6, packed)}%{ifindex}")
    return IPv6Address(packed)


def _fill_pktinfo(item: PacketInfo, packed: bytes, ifindex: int, addr: Optional[IPAddress]) -> PacketInfo:
    """Set every slot of ``item`` (the only writer of PacketInfo's slots)."""
    _set(item, "_packed", packed)
    _set(item, "ifindex", ifindex)
    _set(item, "_addr", addr)
    if addr is not None:
        text = str(addr)
    else:
        normal = packed[12:] if len(packed) == 16 and packed[:12] == _MAPPED else packed
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


try:
    _PKTINFO4_SIZE: int = ffi.sizeof("struct in_pktinfo")
    _PKTINFO4_IFINDEX: int = ffi.offsetof("struct in_pktinfo", "ipi_ifindex")
    _PKTINFO4_ADDR: int = ffi.offsetof("struct in_pktinfo", "ipi_addr")
except ffi.error:  # pragma: no cover - an OS without in_pktinfo (it then has no IP_PKTINFO either)
    _PKTINFO4_SIZE = _PKTINFO4_IFINDEX = _PKTINFO4_ADDR = 0


def _decode_pktinfo4(level: int, type_: int, data: bytes) -> PacketInfo:
    if len(data) != _PKTINFO4_SIZE:
        raise MalformedError(f"an in_pktinfo is {_PKTINFO4_SIZE} bytes, got {len(data)}")
    return _fill_pktinfo(_new(PacketInfo), data[_PKTINFO4_ADDR:_PKTINFO4_ADDR + 4],
                         _unpack_u32(data, _PKTINFO4_IFINDEX)[0], None)


class _IntItem(AncillaryItem):
    """An item carrying one small integer: -1 (send only: the kernel default) to 255."""

    __slots__ = ("_value",)
    _option = ""  # the IPv6 cmsg type's constant name
    _ipv4_option = ""  # the IPv4 one

    def __init__(self, value: int) -> None:
        self._value: int = _int_value(value, f"{type(self).__name__} value", -1, 255)

    @property
    def value(self) -> int:
        """The value (0 is a value, -1 means the kernel's default on send)."""
        return self._value

    def __int__(self) -> int:
        return self._value

    def __index__(self) -> int:
        return self._value

    def _key(self) -> tuple[Any, ...]:
        return (self._value,)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._value})"

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, <type>, int)`` in host byte order (RFC 3542 section 6.3/6.5)."""
        return _IPPROTO_IPV6, _C[self._option], _INT.pack(self._value)

    def to_ipv4_cmsg(self) -> Cmsg:
        """The IPv4 form (``IP_TTL`` / ``IP_TOS``) for datagrams to IPv4 peers."""
        return _IPPROTO_IP, _constant(self._ipv4_option), _INT.pack(self._value)


class HopLimit(_IntItem):
    """``IPV6_HOPLIMIT`` (RFC 3542 section 6.3): the hop limit received, or to send with.

    From IPv4 traffic on a dual-stack socket ``IP_TTL`` gives the same view.
    RFC 4861 section 6.1 checks compare it with 255 (see ``hop_limit_is_255``).
    """

    __slots__ = ()
    _option = "IPV6_HOPLIMIT"
    _ipv4_option = "IP_TTL"


class TrafficClass(_IntItem):
    """``IPV6_TCLASS`` (RFC 3542 section 6.5): the traffic class received, or to send with.

    From IPv4 traffic on a dual-stack socket ``IP_TOS`` gives the same view.
    """

    __slots__ = ()
    _option = "IPV6_TCLASS"
    _ipv4_option = "IP_TOS"


#: the data of an int cmsg holding 0..255 -> its value: one lookup both decodes and validates
_INT_VALUES: dict[bytes, int] = {_INT.pack(v): v for v in range(256)}


def _int_decoder(cls: type) -> Decoder:
    # items are immutable: one per valid encoding (at most 256) is shared
    cache: dict[bytes, Any] = {}

    def decode(level: int, type_: int, data: bytes) -> Any:
        item = cache.get(data)
        if item is not None:
            return item
        value = _INT_VALUES.get(data)
        if value is None:
            if len(data) != 4:
                raise MalformedError(f"{cls.__name__} data is an int (4 bytes), got {len(data)}")
            value = _INT.unpack(data)[0]
            raise MalformedError(f"{cls.__name__} {value} is out of range 0..255")
        made: Any = _new(cls)
        made._value = value
        cache[data] = made
        return made

    return decode


def _small_int_decoder(cls: type) -> Decoder:
    """IPv4 items: Linux delivers IP_TTL as an int and IP_TOS as one byte; the BSDs a byte for both."""
    def decode(level: int, type_: int, data: bytes) -> Any:
        if len(data) == 1:
            value = data[0]
        elif len(data) == 4:
            value = _INT.unpack(data)[0]
            if not 0 <= value <= 255:
                raise MalformedError(f"{cls.__name__} {value} is out of range 0..255")
        else:
            raise MalformedError(f"{cls.__name__} data is 1 or 4 bytes, got {len(data)}")
        item: Any = _new(cls)
        item._value = value
        return item

    return decode


class NextHop(AncillaryItem):
    """``IPV6_NEXTHOP`` (RFC 3542 section 6.4): send through this neighbor (a ``sockaddr_in6``).

    Linux defines the number but refuses the item (``sendmsg`` fails with
    EINVAL): design.md, kernel facts.
    """

    __slots__ = ("_address",)

    def __init__(self, address: object) -> None:
        self._address: IPv6Address = _address.to_ipv6(address)

    @property
    def address(self) -> IPv6Address:
        """The next hop's address (with scope for a link-local one)."""
        return self._address

    def _key(self) -> tuple[Any, ...]:
        return (self._address.packed, _scope_of(self._address))

    def _args(self) -> tuple[Any, ...]:
        return (self._address,)

    def __repr__(self) -> str:
        return f"NextHop({str(self._address)!r})"

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_NEXTHOP, sockaddr_in6)``; NotSupportedError where the OS lacks it."""
        return _IPPROTO_IPV6, _constant("IPV6_NEXTHOP"), _address.sockaddr_in6(self._address)


def _decode_nexthop(level: int, type_: int, data: bytes) -> NextHop:
    addr, _port = _decode_sockaddr(data, "IPV6_NEXTHOP")
    if addr is None or isinstance(addr, IPv4Address):
        raise MalformedError("IPV6_NEXTHOP must hold an AF_INET6 address")
    return NextHop(addr)


_MTUINFO_SIZE = ffi.sizeof("struct ip6_mtuinfo") if "IPV6_PATHMTU" in _C else 0
_MTUINFO_MTU = ffi.offsetof("struct ip6_mtuinfo", "ip6m_mtu") if _MTUINFO_SIZE else 0


class PathMTU(AncillaryItem):
    """``IPV6_PATHMTU`` (RFC 3542 section 11.3): a path MTU and the destination it applies to.

    Delivered with ``IPV6_RECVPATHMTU`` and returned by the ``IPV6_PATHMTU``
    socket option; the data is an ``ip6_mtuinfo``.
    """

    __slots__ = ("_address", "_mtu")

    def __init__(self, address: object, mtu: int) -> None:
        self._address: IPv6Address = _ipv6(address, "PathMTU address")
        self._mtu: int = _int_value(mtu, "mtu", 0, 0xFFFFFFFF)

    @property
    def address(self) -> IPv6Address:
        """The destination (``ip6m_addr``)."""
        return self._address

    @property
    def mtu(self) -> int:
        """The path MTU in bytes (``ip6m_mtu``)."""
        return self._mtu

    def _key(self) -> tuple[Any, ...]:
        return (self._address.packed, _scope_of(self._address), self._mtu)

    def _args(self) -> tuple[Any, ...]:
        return (self._address, self._mtu)

    def __repr__(self) -> str:
        return f"PathMTU({str(self._address)!r}, {self._mtu})"

    def to_bytes(self) -> bytes:
        """The ``struct ip6_mtuinfo`` of this OS."""
        info = ffi.new("struct ip6_mtuinfo *")
        ffi.memmove(ffi.addressof(info.ip6m_addr), _address.sockaddr_in6(self._address), _SIN6_SIZE)
        info.ip6m_mtu = self._mtu
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
        if addr is None:
            addr = IPv6Address(0)
        info = ffi.cast("struct ip6_mtuinfo *", ffi.from_buffer(data))
        return cls(addr, int(info.ip6m_mtu))

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_PATHMTU, ip6_mtuinfo)``."""
        return _IPPROTO_IPV6, _constant("IPV6_PATHMTU"), self.to_bytes()


def _decode_pathmtu(level: int, type_: int, data: bytes) -> PathMTU:
    return PathMTU.from_bytes(data)


class OriginalDestination(AncillaryItem):
    """Linux ``IPV6_ORIGDSTADDR``: the destination (address and port) a datagram was sent to,
    before any TPROXY redirection; IPv4 traffic on a dual-stack socket gives an IPv4Address."""

    __slots__ = ("_address", "_port")

    def __init__(self, address: object, port: int = 0) -> None:
        self._address: IPAddress = _ip(address, "OriginalDestination address")
        self._port: int = _int_value(port, "port", 0, 0xFFFF)

    @property
    def address(self) -> IPAddress:
        """The original destination address."""
        return self._address

    @property
    def port(self) -> int:
        """The original destination port."""
        return self._port

    def _key(self) -> tuple[Any, ...]:
        scope = 0 if isinstance(self._address, IPv4Address) else _scope_of(self._address)
        return (self._address.packed, scope, self._port)

    def _args(self) -> tuple[Any, ...]:
        return (self._address, self._port)

    def __repr__(self) -> str:
        return f"OriginalDestination({str(self._address)!r}, {self._port})"

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_ORIGDSTADDR, sockaddr_in6)`` (IPv4 addresses mapped)."""
        return _IPPROTO_IPV6, _constant("IPV6_ORIGDSTADDR"), _sockaddr_in6(self._address, self._port)


def _decode_origdst(level: int, type_: int, data: bytes) -> OriginalDestination:
    addr, port = _decode_sockaddr(data, "IPV6_ORIGDSTADDR")
    if addr is None:
        raise MalformedError("IPV6_ORIGDSTADDR holds no address (AF_UNSPEC)")
    return OriginalDestination(addr, port)


def _error_origins() -> Any:
    import enum

    members = {name[len("SO_EE_ORIGIN_"):]: value for name, value in sorted(_C.items(), key=lambda kv: kv[1])
               if name.startswith("SO_EE_ORIGIN_")}
    return enum.IntEnum("ErrorOrigin", members or {"NONE": 0}, module=__name__)


#: Where an ``ExtendedError`` came from (``SO_EE_ORIGIN_*`` of ``<linux/errqueue.h>``)
ErrorOrigin = _error_origins()
ErrorOrigin.__qualname__ = "ErrorOrigin"
_ORIGIN_VALUES = frozenset(int(m) for m in ErrorOrigin)
_EE_SIZE = ffi.sizeof("struct sock_extended_err") if "IPV6_RECVERR" in _C or "IP_RECVERR" in _C else 0


class ExtendedError(AncillaryItem):
    """Linux ``IPV6_RECVERR`` / ``IP_RECVERR``: one queued error (``struct sock_extended_err``).

    Read with ``recvmsg(sock, flags=MSG_ERRQUEUE)`` after turning
    ``IPV6_RECVERR`` on.  ``errno`` (e.g. ECONNREFUSED), ``origin``
    (:class:`ErrorOrigin`: LOCAL, ICMP, ICMP6...), the ICMP ``type`` and
    ``code``, ``info`` (e.g. the MTU for "packet too big"), ``data``, and
    ``offender`` (the node that reported it, or None).
    """

    __slots__ = ("_code", "_data", "_errno", "_info", "_offender", "_origin", "_type")

    def __init__(self, errno: int, origin: int = 0, type: int = 0, code: int = 0,
                 info: int = 0, data: int = 0, offender: object = None) -> None:
        self._errno: int = _int_value(errno, "errno", 0, 0xFFFFFFFF)
        origin = _int_value(origin, "origin", 0, 255)
        self._origin: int = ErrorOrigin(origin) if origin in _ORIGIN_VALUES else origin
        self._type: int = _int_value(type, "type", 0, 255)
        self._code: int = _int_value(code, "code", 0, 255)
        self._info: int = _int_value(info, "info", 0, 0xFFFFFFFF)
        self._data: int = _int_value(data, "data", 0, 0xFFFFFFFF)
        self._offender: Optional[IPAddress] = None if offender is None else _ip(offender, "offender")

    errno = property(lambda self: self._errno, doc="The error number (``ee_errno``).")
    origin = property(lambda self: self._origin, doc="Who reported it (``ee_origin``, an ErrorOrigin).")
    type = property(lambda self: self._type, doc="ICMP type (``ee_type``).")
    code = property(lambda self: self._code, doc="ICMP code (``ee_code``).")
    info = property(lambda self: self._info, doc="``ee_info`` (e.g. the MTU of 'packet too big').")
    data = property(lambda self: self._data, doc="``ee_data``.")
    offender = property(lambda self: self._offender, doc="The reporting node's address, or None.")

    @property
    def strerror(self) -> str:
        """The text of ``errno``."""
        import os

        return os.strerror(self._errno)

    def _key(self) -> tuple[Any, ...]:
        off = self._offender
        return (self._errno, int(self._origin), self._type, self._code, self._info, self._data,
                None if off is None else off.packed,
                0 if off is None or isinstance(off, IPv4Address) else _scope_of(off))

    def _args(self) -> tuple[Any, ...]:
        return (self._errno, int(self._origin), self._type, self._code, self._info, self._data,
                self._offender)

    def __repr__(self) -> str:
        origin = self._origin
        origin_text = f"ErrorOrigin.{origin.name}" if isinstance(origin, ErrorOrigin) else str(origin)
        off = None if self._offender is None else str(self._offender)
        return (f"ExtendedError(errno={self._errno}, origin={origin_text}, type={self._type}, "
                f"code={self._code}, info={self._info}, data={self._data}, offender={off!r})")

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_RECVERR, sock_extended_err + sockaddr_in6)``, as Linux delivers it."""
        ee = ffi.new("struct sock_extended_err *")
        ee.ee_errno, ee.ee_origin, ee.ee_type, ee.ee_code = self._errno, self._origin, self._type, self._code
        ee.ee_info, ee.ee_data = self._info, self._data
        offender = bytes(_SIN6_SIZE) if self._offender is None else _sockaddr_in6(self._offender)
        return _IPPROTO_IPV6, _constant("IPV6_RECVERR"), bytes(ffi.buffer(ee)) + offender


def _decode_error(level: int, type_: int, data: bytes) -> ExtendedError:
    if len(data) < _EE_SIZE:
        raise MalformedError(f"a sock_extended_err is {_EE_SIZE} bytes, got {len(data)}")
    ee = ffi.cast("struct sock_extended_err *", ffi.from_buffer(data))
    offender: Optional[IPAddress] = None
    if len(data) > _EE_SIZE:
        offender, _port = _decode_sockaddr(data[_EE_SIZE:], "offender")
    return ExtendedError(int(ee.ee_errno), int(ee.ee_origin), int(ee.ee_type), int(ee.ee_code),
                         int(ee.ee_info), int(ee.ee_data), offender)


class RoutingDestinationOptions(AncillaryItem):
    """Destination options placed *before* a routing header: ``IPV6_RTHDRDSTOPTS`` (RFC 3542 section 9.2).

    Wrap a :class:`~sockapi6.exthdr.DestinationOptions` in this to send it in
    that place; a bare ``DestinationOptions`` goes as ``IPV6_DSTOPTS`` (after
    the routing header).  Linux delivers both kinds as ``IPV6_DSTOPTS`` and
    refuses to send this one without a routing header.
    """

    __slots__ = ("_header",)

    def __init__(self, header: Any) -> None:
        cls = _header_class("DestinationOptions")
        if not isinstance(header, cls):
            raise TypeError(f"expected a DestinationOptions header, got {type(header).__name__}")
        self._header = header

    @property
    def header(self) -> Any:
        """The wrapped :class:`~sockapi6.exthdr.DestinationOptions`."""
        return self._header

    def __bytes__(self) -> bytes:
        return bytes(self._header)

    def _key(self) -> tuple[Any, ...]:
        return (bytes(self._header),)

    def _args(self) -> tuple[Any, ...]:
        return (self._header,)

    def __repr__(self) -> str:
        return f"RoutingDestinationOptions({self._header!r})"

    def to_cmsg(self) -> Cmsg:
        """``(IPPROTO_IPV6, IPV6_RTHDRDSTOPTS, header bytes)``."""
        return _IPPROTO_IPV6, _constant("IPV6_RTHDRDSTOPTS"), bytes(self._header)


class UnknownControlMessage(AncillaryItem):
    """A control message this package does not decode, kept as it came."""

    __slots__ = ("_data", "_level", "_type")

    def __init__(self, level: int, type: int, data: bytes) -> None:
        self._level: int = _int_value(level, "level", -0x80000000, 0x7FFFFFFF)
        self._type: int = _int_value(type, "type", -0x80000000, 0x7FFFFFFF)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes-like, got {data.__class__.__name__}")
        self._data: bytes = bytes(data)

    level = property(lambda self: self._level, doc="``cmsg_level``.")
    type = property(lambda self: self._type, doc="``cmsg_type``.")
    data = property(lambda self: self._data, doc="The data bytes.")

    def _key(self) -> tuple[Any, ...]:
        return (self._level, self._type, self._data)

    def __repr__(self) -> str:
        return f"UnknownControlMessage({self._level}, {self._type}, {self._data!r})"

    def to_cmsg(self) -> Cmsg:
        """The message as it came."""
        return self._level, self._type, self._data

    @classmethod
    def from_cmsg(cls, level: int, type: int, data: bytes) -> UnknownControlMessage:
        """Keep any message as it is."""
        return cls(level, type, data)


# ---------------------------------------------------------------------------
# Extension headers: the classes of sockapi6.exthdr / sockapi6.routing
# ---------------------------------------------------------------------------

#: class name -> module holding it
_HEADER_MODULES = {
    "HopByHopOptions": "exthdr",
    "DestinationOptions": "exthdr",
    "RoutingHeader": "routing",
    "SegmentRoutingHeader": "routing",
}
#: class name -> the cmsg type it is sent as
_HEADER_SEND_TYPES = {
    "HopByHopOptions": "IPV6_HOPOPTS",
    "DestinationOptions": "IPV6_DSTOPTS",
    "RoutingHeader": "IPV6_RTHDR",
    "SegmentRoutingHeader": "IPV6_RTHDR",
}


def _header_class(name: str) -> Any:
    from importlib import import_module

    module = import_module(f"{__package__}.{_HEADER_MODULES[name]}")
    return getattr(module, name)


def _parse_header(parse: Callable[[bytes], Any], data: bytes, what: str) -> Any:
    try:
        return parse(data)
    except MalformedError:
        raise
    except (ValueError, IndexError, _struct.error) as exc:
        raise MalformedError(f"{what}: {exc}") from exc


def _header_decoder(name: str, what: str) -> Decoder:
    def decode(level: int, type_: int, data: bytes) -> Any:
        return _parse_header(_header_class(name).parse, data, what)

    return decode


def _decode_rthdr(level: int, type_: int, data: bytes) -> Any:
    from .routing import parse_routing_header

    return _parse_header(parse_routing_header, data, "IPV6_RTHDR")


def _decode_rthdrdstopts(level: int, type_: int, data: bytes) -> RoutingDestinationOptions:
    header = _parse_header(_header_class("DestinationOptions").parse, data, "IPV6_RTHDRDSTOPTS")
    return RoutingDestinationOptions(header)


# ---------------------------------------------------------------------------
# The one table: (level, type) -> decoder, from this OS's constants
# ---------------------------------------------------------------------------

_decode_hopopts = _header_decoder("HopByHopOptions", "IPV6_HOPOPTS")
_decode_dstopts = _header_decoder("DestinationOptions", "IPV6_DSTOPTS")

#: (level constant, type constant, decoder, class decoded to, shortcut name or "")
_SPEC: tuple[tuple[str, str, Decoder, Any, str], ...] = (
    ("IPPROTO_IPV6", "IPV6_PKTINFO", _decode_pktinfo6, PacketInfo, "pktinfo"),
    ("IPPROTO_IPV6", "IPV6_HOPLIMIT", _int_decoder(HopLimit), HopLimit, "hoplimit"),
    ("IPPROTO_IPV6", "IPV6_TCLASS", _int_decoder(TrafficClass), TrafficClass, "tclass"),
    ("IPPROTO_IPV6", "IPV6_HOPOPTS", _decode_hopopts, None, "hopopts"),
    ("IPPROTO_IPV6", "IPV6_DSTOPTS", _decode_dstopts, None, "dstopts"),
    ("IPPROTO_IPV6", "IPV6_RTHDRDSTOPTS", _decode_rthdrdstopts, RoutingDestinationOptions, "rthdrdstopts"),
    ("IPPROTO_IPV6", "IPV6_RTHDR", _decode_rthdr, None, "rthdr"),
    ("IPPROTO_IPV6", "IPV6_NEXTHOP", _decode_nexthop, NextHop, "nexthop"),
    ("IPPROTO_IPV6", "IPV6_PATHMTU", _decode_pathmtu, PathMTU, "path_mtu"),
    ("IPPROTO_IPV6", "IPV6_ORIGDSTADDR", _decode_origdst, OriginalDestination, "original_destination"),
    ("IPPROTO_IPV6", "IPV6_RECVERR", _decode_error, ExtendedError, "error"),
    # IPv4 traffic on a dual-stack socket
    ("IPPROTO_IP", "IP_PKTINFO", _decode_pktinfo4, PacketInfo, "pktinfo"),
    ("IPPROTO_IP", "IP_TTL", _small_int_decoder(HopLimit), HopLimit, "hoplimit"),
    ("IPPROTO_IP", "IP_TOS", _small_int_decoder(TrafficClass), TrafficClass, "tclass"),
    ("IPPROTO_IP", "IP_RECVERR", _decode_error, ExtendedError, "error"),
    # RFC 2292 numbers (radvd's fallback), decoded the same way
    ("IPPROTO_IPV6", "IPV6_2292PKTINFO", _decode_pktinfo6, PacketInfo, "pktinfo"),
    ("IPPROTO_IPV6", "IPV6_2292HOPLIMIT", _int_decoder(HopLimit), HopLimit, "hoplimit"),
    ("IPPROTO_IPV6", "IPV6_2292HOPOPTS", _decode_hopopts, None, "hopopts"),
    ("IPPROTO_IPV6", "IPV6_2292DSTOPTS", _decode_dstopts, None, "dstopts"),
    ("IPPROTO_IPV6", "IPV6_2292RTHDR", _decode_rthdr, None, "rthdr"),
    ("IPPROTO_IPV6", "IPV6_2292NEXTHOP", _decode_nexthop, NextHop, "nexthop"),
)


def _build_tables() -> tuple[dict[tuple[int, int], Decoder], dict[tuple[int, int], Any],
                             dict[tuple[int, int], tuple[str, Decoder]], dict[tuple[int, int], str]]:
    decoders: dict[tuple[int, int], Decoder] = {}
    owners: dict[tuple[int, int], Any] = {}
    shortcuts: dict[tuple[int, int], tuple[str, Decoder]] = {}
    names: dict[tuple[int, int], str] = {}
    for level_name, type_name, decoder, owner, shortcut in _SPEC:
        level, type_ = _C.get(level_name), _C.get(type_name)
        if level is None or type_ is None or (level, type_) in decoders:
            continue  # absent on this OS (or, defensively, a number already taken)
        decoders[level, type_] = decoder
        owners[level, type_] = owner
        names[level, type_] = type_name
        if shortcut:
            shortcuts[level, type_] = (shortcut, decoder)
    return decoders, owners, shortcuts, names


_DECODERS, _OWNERS, _SHORTCUTS, _NAMES = _build_tables()


def cmsg_name(level: int, type: int) -> str:
    """The C name of a control message type (``"IPV6_PKTINFO"``), or ``"level L type T"``."""
    return _NAMES.get((level, type), f"level {level} type {type}")


def from_cmsg(level: int, type: int, data: bytes) -> Any:
    """Decode one control message into its item (or :class:`UnknownControlMessage`).

    Raises :class:`MalformedError` when the data does not fit its type.
    """
    decoder = _DECODERS.get((level, type))
    if decoder is None:
        return UnknownControlMessage(level, type, data)
    return decoder(level, type, bytes(data))


def parse_ancillary(ancdata: Iterable[tuple[int, int, bytes]]) -> list[Any]:
    """Turn :meth:`socket.socket.recvmsg`'s ancillary list into items, in order.

    ``IPV6_PKTINFO`` -> :class:`PacketInfo`, ``IPV6_HOPLIMIT`` ->
    :class:`HopLimit`, ``IPV6_HOPOPTS`` -> ``HopByHopOptions``, ...; anything
    else -> :class:`UnknownControlMessage`.  Bad data: :class:`MalformedError`.
    """
    decoders = _DECODERS
    out = []
    for level, type_, data in ancdata:
        decoder = decoders.get((level, type_))
        if decoder is None:
            out.append(UnknownControlMessage(level, type_, data))
        else:
            out.append(decoder(level, type_, data if type(data) is bytes else bytes(data)))
    return out


_header_types: Optional[list[tuple[Any, int]]] = None


def _header_send_types() -> list[tuple[Any, int]]:
    """[(header class, cmsg type)] for the header classes that exist here (resolved once)."""
    global _header_types
    if _header_types is None:
        found = []
        for name, type_name in _HEADER_SEND_TYPES.items():
            type_ = _C.get(type_name)
            if type_ is None:
                continue
            try:
                found.append((_header_class(name), type_))
            except (ImportError, AttributeError):
                continue
        _header_types = found
    return _header_types


def to_cmsg(item: Any) -> Cmsg:
    """``(level, type, data)`` of anything ``sendmsg`` accepts as ancillary data.

    An item of this module, an extension-header object (``HopByHopOptions``
    -> ``IPV6_HOPOPTS``, ``DestinationOptions`` -> ``IPV6_DSTOPTS``,
    ``RoutingHeader`` / ``SegmentRoutingHeader`` -> ``IPV6_RTHDR``; wrap in
    :class:`RoutingDestinationOptions` for ``IPV6_RTHDRDSTOPTS``), or a raw
    ``(level, type, bytes)`` tuple.
    """
    if isinstance(item, AncillaryItem):
        return item.to_cmsg()
    if isinstance(item, tuple):
        if len(item) != 3:
            raise ValueError(f"a raw control message is (level, type, data), got {len(item)} items")
        level, type_, data = item
        _int_value(level, "level", -0x80000000, 0x7FFFFFFF)
        _int_value(type_, "type", -0x80000000, 0x7FFFFFFF)
        return level, type_, bytes(memoryview(data))
    for cls, type_ in _header_send_types():
        if isinstance(item, cls):
            return _IPPROTO_IPV6, type_, bytes(item)
    raise TypeError(
        f"{type(item).__name__} is not an ancillary item, extension header or (level, type, data)"
    )
