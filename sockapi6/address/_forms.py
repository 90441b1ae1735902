"""Two forms of IPv6 addresses a program must recognise: IPv4-mapped and KAME's embedded scope.

* IPv4-mapped ``::ffff:a.b.c.d`` (RFC 3493 section 3.7): how a wildcard-bound
  ``AF_INET6`` socket reports IPv4 peers -- the inet6(4) access-control pitfall.
* KAME's embedded scope (inet6(4): routing sockets, sysctl, kvm): the
  interface index stored in bytes 2-3 of a scoped address inside BSD kernels.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from ..errors import MalformedError
from ._packed import _to_bytes
from ._predicates import _MAPPED_PREFIX, IN6_IS_ADDR_V4MAPPED, _needs_scope
from ._scoped import _scope_index, _scoped, to_ipv6

if TYPE_CHECKING:
    from typing import Union

    from . import AddressLike


# ---------------------------------------------------------------------------
# IPv4-mapped addresses (RFC 3493 section 3.7)
# ---------------------------------------------------------------------------

def map_ipv4(addr: Union[IPv4Address, str, bytes, bytearray, memoryview]) -> IPv6Address:
    """Return the IPv4-mapped IPv6 address ``::ffff:a.b.c.d`` of an IPv4 address (RFC 3493 section 3.7).

    ``addr``: ``IPv4Address``, dotted-quad text or 4 bytes.
    """
    if isinstance(addr, IPv4Address):
        packed = addr.packed
    elif isinstance(addr, str):
        try:
            packed = IPv4Address(addr).packed
        except ValueError:
            raise ValueError(f"{addr!r} is not an IPv4 address") from None
    elif isinstance(addr, (bytes, bytearray, memoryview)):
        packed = memoryview(addr).tobytes()
        if len(packed) != 4:
            raise MalformedError(f"an IPv4 address is 4 bytes, got {len(packed)}")
    else:
        raise TypeError(f"expected an IPv4 address, got {type(addr).__name__}")
    return IPv6Address(_MAPPED_PREFIX + packed)


def unmap(addr: Union[AddressLike, IPv4Address]) -> Union[IPv4Address, IPv6Address]:
    """Return the real peer: the ``IPv4Address`` inside an IPv4-mapped address, else the IPv6 address.

    inet6(4): a wildcard-bound ``AF_INET6`` socket receives IPv4 traffic as
    ``::ffff:a.b.c.d``; access control that compares only IPv6 rules can be
    bypassed.  Check ``unmap(peer)`` against IPv4 rules too.  An
    ``IPv4Address`` is returned as it is.
    """
    if isinstance(addr, IPv4Address):
        return addr
    address = to_ipv6(addr)
    packed = address.packed
    if packed[:12] == _MAPPED_PREFIX:
        return IPv4Address(packed[12:])
    return address


def is_v4mapped(addr: Union[AddressLike, IPv4Address]) -> bool:
    """Whether ``addr`` is an IPv4-mapped IPv6 address (``IN6_IS_ADDR_V4MAPPED``); an IPv4Address is not."""
    if isinstance(addr, IPv4Address):
        return False
    return IN6_IS_ADDR_V4MAPPED(addr)


# ---------------------------------------------------------------------------
# KAME embedded scope (inet6(4))
# ---------------------------------------------------------------------------

def has_embedded_scope(addr: AddressLike) -> bool:
    """Whether ``addr`` is in KAME's kernel-internal form: a link-local unicast
    or interface-/link-local multicast address whose bytes 2-3 hold an
    interface index (inet6(4): "users should never use the embedded form")."""
    b = addr if type(addr) is bytes and len(addr) == 16 else _to_bytes(addr)
    return _needs_scope(b) and (b[2] or b[3]) != 0


def strip_embedded_scope(addr: AddressLike) -> IPv6Address:
    """Turn KAME's embedded form into the user form: bytes 2-3 zeroed, their
    index as ``scope_id``.  Other addresses come back unchanged (as by
    :func:`to_ipv6`).  A scope already set that differs from the embedded one
    is a ``ValueError``."""
    address = to_ipv6(addr)
    b = address.packed
    if not (_needs_scope(b) and (b[2] or b[3])):
        return address
    embedded = (b[2] << 8) | b[3]
    current = _scope_index(address)
    if current and current != embedded:
        raise ValueError(f"{address}: embedded scope {embedded} differs from scope_id {current}")
    return _scoped(b[:2] + b"\x00\x00" + b[4:], embedded)


def embed_scope(addr: AddressLike) -> bytes:
    """Return KAME's embedded form of ``addr`` (the inverse of :func:`strip_embedded_scope`): the
    16 bytes with the scope index in bytes 2-3 for link-local unicast and
    interface-/link-local multicast; other addresses, and unscoped ones,
    unchanged.  ``ValueError`` if the index exceeds 16 bits or bytes 2-3
    are already in use."""
    address = to_ipv6(addr)
    b = address.packed
    index = _scope_index(address)
    if not index or not _needs_scope(b):
        return b
    if index > 0xFFFF:
        raise ValueError(f"{address}: scope {index} does not fit the 16 bits of the embedded form")
    if b[2] or b[3]:
        raise ValueError(f"{address}: bytes 2-3 are not zero, so no scope can be embedded")
    return b[:2] + index.to_bytes(2, "big") + b[4:]
