"""IPv6 address text and octets, in plain Python: what every layer accepts as an address.

Text with an optional ``%scope``, 16 bytes (``bytes``/``bytearray``/
``memoryview``) or an ``ipaddress.IPv6Address`` (design rule 5) -> the 16
network-order octets, with the same errors everywhere.  The wire formats use
it as it is (their addresses carry no scope); :mod:`sockapi6.address` adds
``struct in6_addr`` cdata and scopes on top.  Nothing here touches the OS.
"""

from __future__ import annotations

import socket as _socket
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["to_bytes"]

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




def to_bytes(value: Any) -> bytes:
    """Return the 16 network-order octets of an address, its text (scope dropped) or its 16 bytes.

    ``ValueError`` for text that is no IPv6 address (IPv4 included, with a
    hint), :class:`~sockapi6.errors.MalformedError` for a length other than
    16, ``TypeError`` for another type.
    """
    convert = _TO_BYTES.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, IPv6Address):
        return value.packed
    if isinstance(value, str):
        return _bytes_of_text(str(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes_of_buffer(value)
    raise TypeError(f"expected an IPv6 address as text, 16 bytes or IPv6Address, got {type(value).__name__}")
