"""Any accepted address input -> its 16 octets (the predicates' per-packet path) and text parsing.

Accepted inputs (design rule 5): text with an optional ``%scope``, 16 bytes
(``bytes``/``bytearray``/``memoryview``), an ``IPv6Address``, or a
``struct in6_addr`` cdata (the struct, a pointer to it, or ``uint8_t[16]``;
RFC 3493 section 3.2).  Everything but the cdata is plain Python, shared with
the wire formats: :mod:`sockapi6._inet6`.
"""

from __future__ import annotations

from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from .._inet6 import _TO_BYTES, to_bytes
from .._inet6 import _parse_text as _parse_text
from .._system.binding import ffi

if TYPE_CHECKING:
    from typing import Any

#: The type of every IPv6 address this package returns (design rule 5).
Address = IPv6Address


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
    try:
        return to_bytes(value)  # the wire layer's conversion: text, bytes, IPv6Address
    except TypeError:
        raise TypeError("expected an IPv6 address as text, 16 bytes, IPv6Address or struct in6_addr cdata, "
                        f"got {type(value).__name__}") from None
