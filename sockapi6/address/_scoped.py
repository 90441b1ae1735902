"""Scopes (RFC 3493 section 3.3, RFC 4007 section 6) and :func:`to_ipv6`, the one way in for addresses.

Design rule 5: an address this package returns is an ``IPv6Address`` whose
``scope_id``, when set, is the **numeric** interface index; inputs may name
the interface (``"fe80::1%eth0"``).
"""

from __future__ import annotations

import socket as _socket
from ipaddress import IPv6Address
from typing import TYPE_CHECKING

from .._system.ifindex import scope_index
from ._packed import _parse_text, _to_bytes
from ._predicates import _needs_scope

if TYPE_CHECKING:
    from typing import Optional, Union

    from . import AddressLike, InterfaceLike

#: kept under its old name for the modules that import it from sockapi6.address
_interface_index = scope_index


def _scoped(packed: bytes, index: int) -> IPv6Address:
    """``packed`` as an ``IPv6Address`` with numeric scope ``index`` (none when 0)."""
    if not index:
        return IPv6Address(packed)
    return IPv6Address(f"{_socket.inet_ntop(_socket.AF_INET6, packed)}%{index}")


def _scope_index(address: IPv6Address) -> int:
    """The numeric scope of an address returned by :func:`to_ipv6` (0 when unscoped)."""
    scope = address.scope_id
    return int(scope) if scope else 0


def _with_scope(packed: bytes, scope: Optional[Union[str, int]], interface: Optional[InterfaceLike],
                what: str) -> IPv6Address:
    index = 0 if scope is None else _interface_index(scope, what)
    if interface is not None:
        wanted = _interface_index(interface, what)
        if index and wanted and index != wanted:
            raise ValueError(f"{what} has scope {index} but interface={interface!r} is index {wanted}")
        if not index and _needs_scope(packed):
            index = wanted
    return _scoped(packed, index)


def to_ipv6(value: AddressLike, interface: Optional[InterfaceLike] = None) -> IPv6Address:
    """Return ``value`` as an :class:`IPv6Address` whose scope, if any, is a numeric index.

    ``value`` may be text (``"::1"``, ``"fe80::1%eth0"``, ``"fe80::1%2"``),
    16 bytes (``bytes``/``bytearray``/``memoryview``), an ``IPv6Address``
    (a scope given by name is resolved), or a ``struct in6_addr`` cdata or
    pointer.  ``interface`` (name or index) becomes the scope of an address
    that needs one (:func:`needs_scope`) and has none; others are left
    unscoped; an explicit, different scope is a ``ValueError``.  A scope of
    ``0`` means none (RFC 3493 section 3.3).

    Raises ``ValueError`` for text that is not an IPv6 address, for IPv4
    addresses (use :func:`map_ipv4`), for unknown interface names (naming
    them); :class:`MalformedError` (a ``ValueError``) for bytes that are not
    16 long; ``TypeError`` for other types.
    """
    if isinstance(value, str):
        parsed = _parse_text(value)
        return _with_scope(parsed.packed, parsed.scope_id, interface, repr(value))
    if isinstance(value, IPv6Address):
        return _with_scope(value.packed, value.scope_id, interface, str(value))
    packed = _to_bytes(value)
    if interface is None:
        return IPv6Address(packed)
    return _with_scope(packed, None, interface, str(IPv6Address(packed)))
