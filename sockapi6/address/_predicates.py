"""The address-testing macros of RFC 3493 section 6.4 and RFC 3542 section 2.3, and :func:`needs_scope`.

They keep their C names and C's exact definitions (reading the bytes as the
macros read ``s6_addr`` / ``s6_addr32``) but return ``bool`` where C returns
a non-zero ``int``.  Each starts with the same fast path: 16 bytes are used
as they are, every other input goes through one dict lookup
(:func:`~sockapi6.address._packed._to_bytes`); what is no IPv6 address is a
``TypeError``, as C could not pass it (:mod:`sockapi6.errors`).
"""

from __future__ import annotations

from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from ._packed import _to_bytes

if TYPE_CHECKING:
    from typing import Callable

    from . import AddressLike

#: RFC 3493 section 3.8/3.9: the wildcard and loopback addresses.
in6addr_any = IPv6Address("::")
in6addr_loopback = IPv6Address("::1")
#: The initialisers of C, as the 16 bytes of a ``struct in6_addr`` (network byte order).
IN6ADDR_ANY_INIT = bytes(16)
IN6ADDR_LOOPBACK_INIT = bytes(15) + b"\x01"

_ZERO12 = bytes(12)
#: the first 96 bits of an IPv4-mapped address, ``::ffff:0:0/96`` (RFC 3493 section 3.7)
_MAPPED_PREFIX = bytes(10) + b"\xff\xff"
_ONE4 = b"\x00\x00\x00\x01"


def _in6_addr(a: object) -> bytes:
    """The 16 bytes of ``a``; ``TypeError`` for anything that is no IPv6 address (text that does not
    parse, bytes of another length, an IPv4 address): C could not pass it as a ``struct in6_addr``."""
    try:
        return _to_bytes(a)
    except ValueError as exc:
        raise TypeError(f"not an IPv6 address (struct in6_addr): {exc}") from None


def IN6_IS_ADDR_UNSPECIFIED(a: AddressLike) -> bool:
    """``::`` (RFC 3493 section 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b == IN6ADDR_ANY_INIT


def IN6_IS_ADDR_LOOPBACK(a: AddressLike) -> bool:
    """``::1`` (RFC 3493 section 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b == IN6ADDR_LOOPBACK_INIT


def IN6_IS_ADDR_MULTICAST(a: AddressLike) -> bool:
    """``ff00::/8`` (RFC 3493 section 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b[0] == 0xFF


def IN6_IS_ADDR_LINKLOCAL(a: AddressLike) -> bool:
    """Link-local *unicast*, ``fe80::/10`` (RFC 3493 section 6.4).

    False for ``::1`` and for link-local-scope multicast, as the RFC says.
    C returns int; this returns bool.
    """
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b[0] == 0xFE and (b[1] & 0xC0) == 0x80


def IN6_IS_ADDR_SITELOCAL(a: AddressLike) -> bool:
    """Site-local unicast, ``fec0::/10`` (RFC 3493 section 6.4; deprecated by RFC 3879).

    C returns int; this returns bool.
    """
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b[0] == 0xFE and (b[1] & 0xC0) == 0xC0


def IN6_IS_ADDR_V4MAPPED(a: AddressLike) -> bool:
    """IPv4-mapped, ``::ffff:0:0/96`` (RFC 3493 sections 3.7 and 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b[:12] == _MAPPED_PREFIX


def IN6_IS_ADDR_V4COMPAT(a: AddressLike) -> bool:
    """IPv4-compatible, ``::a.b.c.d`` (RFC 3493 section 6.4; deprecated by RFC 4291).

    As in C, the first 96 bits are zero and the last 32 bits, read as a
    number, are greater than 1: ``::`` and ``::1`` are not IPv4-compatible.
    C returns int; this returns bool.
    """
    b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    return b[:12] == _ZERO12 and b[12:] > _ONE4


def _multicast_scope(scope: int, name: str, doc: str) -> Callable[[AddressLike], bool]:
    """Make ``IN6_IS_ADDR_MC_<name>``: multicast *and* scope nibble ``scope``, whatever the flag bits.

    As in C, ``ff11::1`` counts as node-local too (RFC 3493 section 6.4).
    """
    def predicate(a: AddressLike) -> bool:
        b = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
        return b[0] == 0xFF and (b[1] & 0x0F) == scope

    predicate.__name__ = predicate.__qualname__ = name
    predicate.__doc__ = f"{doc} (RFC 3493 section 6.4).  C returns int; this returns bool."
    return predicate


IN6_IS_ADDR_MC_NODELOCAL = _multicast_scope(
    0x01, "IN6_IS_ADDR_MC_NODELOCAL", "Multicast of node-local (interface-local) scope 1, e.g. ``ff01::1``")
IN6_IS_ADDR_MC_LINKLOCAL = _multicast_scope(
    0x02, "IN6_IS_ADDR_MC_LINKLOCAL", "Multicast of link-local scope 2, e.g. ``ff02::1``")
IN6_IS_ADDR_MC_SITELOCAL = _multicast_scope(
    0x05, "IN6_IS_ADDR_MC_SITELOCAL", "Multicast of site-local scope 5, e.g. ``ff05::1:3``")
IN6_IS_ADDR_MC_ORGLOCAL = _multicast_scope(
    0x08, "IN6_IS_ADDR_MC_ORGLOCAL", "Multicast of organization-local scope 8")
IN6_IS_ADDR_MC_GLOBAL = _multicast_scope(
    0x0E, "IN6_IS_ADDR_MC_GLOBAL", "Multicast of global scope 14, e.g. ``ff0e::101``")


def IN6_ARE_ADDR_EQUAL(a: AddressLike, b: AddressLike) -> bool:
    """Whether two addresses have the same 128 bits (RFC 3542 section 2.3).

    Like C, which compares two ``struct in6_addr``, the scope is not part of
    the comparison: ``fe80::1%2`` equals ``fe80::1%3`` here, unlike ``==`` on
    ``IPv6Address``.  C returns int; this returns bool.
    """
    x = a if type(a) is bytes and len(a) == 16 else _in6_addr(a)
    y = b if type(b) is bytes and len(b) == 16 else _in6_addr(b)
    return x == y


def _needs_scope(b: bytes) -> bool:
    if b[0] == 0xFF:
        return (b[1] & 0x0F) in (0x01, 0x02)
    return b[0] == 0xFE and (b[1] & 0xC0) == 0x80


def needs_scope(a: AddressLike) -> bool:
    """Whether ``a`` is meaningful only with an interface: link-local unicast
    (``fe80::/10``) or interface-/link-local multicast (RFC 3493 section 3.3;
    RFC 4007 section 6)."""
    return _needs_scope(a if type(a) is bytes and len(a) == 16 else _to_bytes(a))
