"""Argument checks shared by both RFC 3542 implementations.

Both :mod:`sockapi6.rfc3542.pure` and :mod:`sockapi6.rfc3542.libc` take
their arguments through these helpers, so that the two raise the same
``TypeError`` for the same wrong Python type (design rule 4) and see the
caller's buffer the same way: as a flat, C-contiguous view of unsigned
bytes, whatever the object (``bytearray``, ``memoryview``, ``array.array``,
``mmap``, a cffi buffer).
"""

from __future__ import annotations

from operator import index as _index
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Optional

__all__ = [
    "FUNCTIONS", "NEXT_FAIL", "FIND_FAIL", "MAX_OPTION_GROWTH",
    "INT_MAX", "INT_MIN", "UINT32_MAX", "as_int", "view", "writable_view", "address_bytes",
    "IPV6_RTHDR_TYPE_0", "IPV6_RTHDR_TYPE_2", "RTH_HEADER", "IN6_ADDR", "OPT_HEADER", "MAX_EXTLEN",
]

#: the 13 functions of RFC 3542 sections 10 and 7, in the RFC's order: what both implementations define
FUNCTIONS = (
    "inet6_opt_init", "inet6_opt_append", "inet6_opt_finish", "inet6_opt_set_val",
    "inet6_opt_next", "inet6_opt_find", "inet6_opt_get_val",
    "inet6_rth_space", "inet6_rth_init", "inet6_rth_add", "inet6_rth_reverse",
    "inet6_rth_segments", "inet6_rth_getaddr",
)

#: limits of C's ``int`` and ``socklen_t`` (``uint32_t``): a Python int outside
#: them could not be passed to the C function at all
INT_MIN = -(2 ** 31)
INT_MAX = 2 ** 31 - 1
UINT32_MAX = 2 ** 32 - 1

#: RFC 3542 section 7 / RFC 4584 section 5.1 routing header types
IPV6_RTHDR_TYPE_0 = 0
IPV6_RTHDR_TYPE_2 = 2
#: fixed part of a type 0 / type 2 routing header (``struct ip6_rthdr0``)
RTH_HEADER = 8
#: ``sizeof(struct in6_addr)``
IN6_ADDR = 16
#: ``sizeof(struct ip6_hbh)``: next header and length bytes
OPT_HEADER = 2
#: largest extension header the 8-bit length field can describe: (255 + 1) * 8
MAX_EXTLEN = 2048
#: the most a single option can add to ``offset``: padding below 8, 2 + 255 (RFC 3542 section 10.2)
MAX_OPTION_GROWTH = 7 + OPT_HEADER + 255
#: what ``inet6_opt_next`` / ``inet6_opt_find`` return on failure: offset -1 (RFC 3542 sections 10.5, 10.6)
NEXT_FAIL: tuple[int, int, int, Optional[memoryview]] = (-1, 0, 0, None)
FIND_FAIL: tuple[int, int, Optional[memoryview]] = (-1, 0, None)


def as_int(value: Any, what: str) -> int:
    """Return ``value`` as an int; ``TypeError`` naming ``what`` when it is not one."""
    try:
        return _index(value)
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None


def view(buf: Any, what: str = "buffer") -> memoryview:
    """Return a flat unsigned-byte view of ``buf`` (any object with the buffer protocol).

    ``TypeError`` when ``buf`` is not a buffer (``None``, ``str``, an int...)
    or is not C-contiguous.
    """
    try:
        mv = memoryview(buf)
    except TypeError:
        raise TypeError(f"{what} must be a bytes-like object, not {type(buf).__name__}") from None
    if mv.format != "B" or mv.ndim != 1:
        if not mv.c_contiguous:
            raise TypeError(f"{what} must be C-contiguous")
        mv = mv.cast("B")
    elif not mv.c_contiguous:
        raise TypeError(f"{what} must be C-contiguous")
    return mv


def writable_view(buf: Any, what: str = "buffer") -> memoryview:
    """Like :func:`view`, and ``TypeError`` unless ``buf`` is writable (a ``bytes`` is not)."""
    mv = view(buf, what)
    if mv.readonly:
        raise TypeError(f"{what} must be a writable buffer such as a bytearray, "
                        f"not a read-only {type(buf).__name__}")
    return mv


def address_bytes(addr: Any) -> bytes:
    """Return the 16 bytes of an IPv6 address (design rule 5).

    Accepts an ``ipaddress.IPv6Address``, text (``"2001:db8::1"``,
    ``"fe80::1%eth0"``: the scope is not part of an ``in6_addr`` and is
    dropped) or 16 bytes.  Anything else -- another type, text that is no
    IPv6 address, bytes of another length -- is ``TypeError``: C could not
    even pass it where a ``struct in6_addr *`` goes (:mod:`sockapi6.errors`).
    """
    from ipaddress import IPv6Address

    if isinstance(addr, IPv6Address):
        return addr.packed
    if isinstance(addr, str):
        try:
            return IPv6Address(addr).packed
        except ValueError as exc:
            raise TypeError(f"addr must be an IPv6 address: {exc}") from None
    if isinstance(addr, int) or addr is None:
        raise TypeError(f"addr must be an IPv6Address, str or 16 bytes, not {type(addr).__name__}")
    data = bytes(view(addr, "addr"))
    if len(data) != IN6_ADDR:
        raise TypeError(f"addr must be 16 bytes (a struct in6_addr), not {len(data)}")
    return data
