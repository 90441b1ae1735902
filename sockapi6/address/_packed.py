"""Any accepted address input -> its 16 octets (the predicates' per-packet path) and text parsing.

Accepted inputs (design rule 5): text with an optional ``%scope``, 16 bytes
(``bytes``/``bytearray``/``memoryview``), an ``IPv6Address``, or a
``struct in6_addr`` cdata (the struct, a pointer to it, or ``uint8_t[16]``;
RFC 3493 section 3.2).
"""

from __future__ import annotations

import socket as _socket
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .._binding import ffi
from ..errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, Callable

#: The type of every IPv6 address this package returns (design rule 5).
Address = IPv6Address

_IPV4_HINT = "is an IPv4 address; use map_ipv4() for its IPv4-mapped IPv6 form"


def _parse_text(text: str) -> IPv6Address:
    """Parse ``text`` as an IPv6 address, scope kept as written; clear ValueError otherwise."""
    host, sep, scope = text.partition("%")
    if sep and not scope:
        raise ValueError(f"{text!r}: nothing after '%' (expected an interface name or index)")
    if "/" in scope:
        raise ValueError(f"{text!r}: '/' in the scope (an address, not a network, is expected)")
    try:
        parsed = IPv6Address(host)
    except ValueError as exc:
        try:
            IPv4Address(host)
        except ValueError:
            raise ValueError(f"{text!r} is not an IPv6 address: {exc}") from None
        raise ValueError(f"{text!r} {_IPV4_HINT}") from None
    return IPv6Address(f"{parsed}%{scope}") if sep else parsed


def _bytes_of_buffer(value: Any) -> bytes:
    view = memoryview(value)
    if view.nbytes != 16:
        raise MalformedError(f"an IPv6 address is 16 bytes, got {view.nbytes}")
    return view.tobytes()


def _bytes_of_text(text: str) -> bytes:
    host = text.partition("%")[0]
    try:
        return _socket.inet_pton(_socket.AF_INET6, host)
    except (OSError, ValueError):
        return _parse_text(text).packed  # raises the explanatory ValueError


def _bytes_of_address(value: IPv6Address) -> bytes:
    return value.packed


def _bytes_of_ipv4(value: IPv4Address) -> bytes:
    raise ValueError(f"{value} {_IPV4_HINT}")


#: exact input type -> its 16 bytes; anything else goes through _to_bytes's slow path
_TO_BYTES: dict[type, Callable[[Any], bytes]] = {
    bytes: _bytes_of_buffer,
    bytearray: _bytes_of_buffer,
    memoryview: _bytes_of_buffer,
    str: _bytes_of_text,
    IPv6Address: _bytes_of_address,
    IPv4Address: _bytes_of_ipv4,
}


def _bytes_of_cdata(value: Any) -> bytes:
    """Return the 16 bytes of an ``in6_addr`` cdata: a struct, a pointer to one, or ``uint8_t[16]``."""
    ctype = ffi.typeof(value)
    if ctype.kind == "struct":
        pointer = ffi.addressof(value)
        ctype = ffi.typeof(pointer)
        value = pointer
    if ctype.kind == "pointer" and ctype.item.cname == "struct in6_addr":
        if value == ffi.NULL:
            raise ValueError("a NULL struct in6_addr pointer is not an address")
        return bytes(ffi.buffer(value, 16))
    if ctype.kind == "array" and ffi.sizeof(value) == 16:
        return bytes(ffi.buffer(value))
    raise TypeError(f"expected a struct in6_addr cdata (or pointer), got <cdata {ctype.cname!r}>")


def _to_bytes(value: Any) -> bytes:
    """Return the 16 network-order bytes of any accepted address input."""
    convert = _TO_BYTES.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, ffi.CData):
        return _bytes_of_cdata(value)
    if isinstance(value, IPv6Address):
        return value.packed
    if isinstance(value, str):
        return _bytes_of_text(str(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes_of_buffer(value)
    raise TypeError(
        "expected an IPv6 address as text, 16 bytes, IPv6Address or struct in6_addr cdata, "
        f"got {type(value).__name__}"
    )
