"""What every ancillary item shares: cmsg levels, argument checks, addresses and socket addresses.

Addresses follow design rule 5 through :mod:`sockapi6.address`: IPv6
addresses given as text, or with a named scope, come out of
:func:`_ip` with the numeric interface index as scope; IPv4 addresses (the
dual-stack views, RFC 3493 section 3.7) stay :class:`ipaddress.IPv4Address`.
"""

from __future__ import annotations

import socket as _socket
import struct as _struct
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .. import address as _address
from .._system.binding import CONSTANTS as _C
from .._system.binding import ffi
from ..errors import MalformedError, NotSupportedError

if TYPE_CHECKING:
    from typing import Any, Callable, Optional, Union

    IPAddress = Union[IPv4Address, IPv6Address]
    Cmsg = tuple[int, int, bytes]
    Decoder = Callable[[int, int, bytes], Any]

_IPPROTO_IPV6: int = _C["IPPROTO_IPV6"]
_IPPROTO_IP: int = _C["IPPROTO_IP"]
_AF_INET: int = _C["AF_INET"]
_AF_INET6: int = _C["AF_INET6"]
_AF_UNSPEC: int = _C.get("AF_UNSPEC", 0)
_INT = _struct.Struct("=i")
_U32 = _struct.Struct("=I")
_MAPPED = bytes(10) + b"\xff\xff"  # the prefix of IPv4-mapped addresses (RFC 4291 section 2.5.5.2)
_SIN6_SIZE: int = ffi.sizeof("struct sockaddr_in6")
_SIN_SIZE: int = ffi.sizeof("struct sockaddr_in")
_needs_scope = _address.needs_scope
_new = object.__new__
_set = object.__setattr__


def _constant(name: str) -> int:
    """This OS's value of ``name``; NotSupportedError where the OS lacks it."""
    value = _C.get(name)
    if value is None:
        raise NotSupportedError(name)
    return value


def _ip(value: object, what: str) -> IPAddress:
    """An IPv6 address (scope made numeric) or an IPv4 address, from an address object, text or 16/4 bytes."""
    if isinstance(value, IPv6Address):
        return _address.to_ipv6(value) if value.scope_id else value
    if isinstance(value, IPv4Address):
        return value
    if isinstance(value, str):
        if ":" in value:
            return _address.to_ipv6(value)
        try:
            return IPv4Address(value)
        except ValueError:
            raise ValueError(f"{what}: {value!r} is not an IP address") from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) == 4:
            return IPv4Address(raw)
        if len(raw) == 16:
            return IPv6Address(raw)
        raise ValueError(f"{what}: an address is 16 (IPv6) or 4 (IPv4) bytes, got {len(raw)}")
    raise TypeError(f"{what} must be an IPv6Address, IPv4Address, text or bytes, got {type(value).__name__}")


def _ipv6(value: object, what: str) -> IPv6Address:
    """As :func:`_ip`, an IPv4 address turned into its IPv4-mapped form."""
    addr = _ip(value, what)
    return _address.map_ipv4(addr) if isinstance(addr, IPv4Address) else addr


def _sockaddr_in6(addr: IPAddress, port: int = 0) -> bytes:
    return _address.sockaddr_in6(_ipv6(addr, "address"), port)


def _decode_sockaddr(data: bytes, what: str) -> tuple[Optional[IPAddress], int]:
    """(address, port) from a sockaddr_in6 or sockaddr_in; (None, 0) for AF_UNSPEC; mapped -> IPv4."""
    if len(data) < 2:
        raise MalformedError(f"{what}: {len(data)} bytes is too short for a socket address")
    # pointer casts own their buffer (ffi.from_buffer with a type): no temporary dies under them;
    # from_buffer checks no size, so each length check comes first
    family = ffi.from_buffer("struct sockaddr *", data).sa_family
    if family == _AF_UNSPEC:
        return None, 0
    if family == _AF_INET6:
        if len(data) < _SIN6_SIZE:
            raise MalformedError(f"{what}: a sockaddr_in6 is {_SIN6_SIZE} bytes, got {len(data)}")
        addr, port, _flow = _address.parse_sockaddr_in6(data[:_SIN6_SIZE])
        return _address.unmap(addr), port
    if family == _AF_INET:
        if len(data) < _SIN_SIZE:
            raise MalformedError(f"{what}: a sockaddr_in is {_SIN_SIZE} bytes, got {len(data)}")
        sin = ffi.from_buffer("struct sockaddr_in *", data)
        packed4 = bytes(ffi.buffer(ffi.addressof(sin.sin_addr), 4))
        return IPv4Address(packed4), _socket.ntohs(sin.sin_port)
    raise MalformedError(f"{what}: unknown address family {family}")
