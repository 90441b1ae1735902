"""IPv6 addresses in and out: ``sockaddr_in6``, scopes, ``IN6_IS_ADDR_*``, IPv4-mapped and KAME forms.

Design rule 5: every address this package returns is an
:class:`ipaddress.IPv6Address` (exported as :data:`Address`) whose
``scope_id``, when set, is the **numeric** interface index
(``IPv6Address("fe80::1%2")``); inputs also take text with an interface
name or index after ``%`` (``"fe80::1%eth0"``), 16 bytes, or an
``in6_addr`` cdata.  Note that ``ipaddress`` compares scopes as strings,
so ``fe80::1%2 != fe80::1%eth0``: pass inputs through :func:`to_ipv6`
before comparing them.

The address-testing predicates keep their C names (RFC 3493 section 6.4,
RFC 3542 section 2.3) and C's exact definitions, but return ``bool`` where
C returns a non-zero ``int``.

Scoped addresses (RFC 3493 section 3.3, ``sin6_scope_id``): here an
address *needs a scope* when it is link-local unicast (``fe80::/10``) or
multicast of interface-local (1) or link-local (2) scope -- the addresses
Linux and KAME attach an interface index to.
"""

from __future__ import annotations

import socket as _socket
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from ._binding import CONSTANTS as _CONSTANTS
from ._binding import ffi
from ._checks import check_int
from ._ifindex import scope_index
from .errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, Callable, Optional, Union

    #: what the functions here accept as an IPv6 address (cdata is ``Any``)
    AddressLike = Union[str, bytes, bytearray, memoryview, IPv6Address, Any]
    #: an interface given by name or by index
    InterfaceLike = Union[str, int]

__all__ = [
    "Address",
    "to_ipv6",
    "sockaddr_in6",
    "parse_sockaddr_in6",
    "to_sockaddr_tuple",
    "from_sockaddr_tuple",
    "needs_scope",
    "IN6_IS_ADDR_UNSPECIFIED",
    "IN6_IS_ADDR_LOOPBACK",
    "IN6_IS_ADDR_MULTICAST",
    "IN6_IS_ADDR_LINKLOCAL",
    "IN6_IS_ADDR_SITELOCAL",
    "IN6_IS_ADDR_V4MAPPED",
    "IN6_IS_ADDR_V4COMPAT",
    "IN6_IS_ADDR_MC_NODELOCAL",
    "IN6_IS_ADDR_MC_LINKLOCAL",
    "IN6_IS_ADDR_MC_SITELOCAL",
    "IN6_IS_ADDR_MC_ORGLOCAL",
    "IN6_IS_ADDR_MC_GLOBAL",
    "IN6_ARE_ADDR_EQUAL",
    "in6addr_any",
    "in6addr_loopback",
    "IN6ADDR_ANY_INIT",
    "IN6ADDR_LOOPBACK_INIT",
    "map_ipv4",
    "unmap",
    "is_v4mapped",
    "has_embedded_scope",
    "strip_embedded_scope",
    "embed_scope",
]

#: The type of every IPv6 address this package returns (design rule 5).
Address = IPv6Address

#: RFC 3493 section 3.8/3.9: the wildcard and loopback addresses.
in6addr_any = IPv6Address("::")
in6addr_loopback = IPv6Address("::1")
#: The initialisers of C, as the 16 bytes of a ``struct in6_addr`` (network byte order).
IN6ADDR_ANY_INIT = bytes(16)
IN6ADDR_LOOPBACK_INIT = bytes(15) + b"\x01"

_AF_INET6: int = _CONSTANTS["AF_INET6"]
_AF_INET: int = _CONSTANTS["AF_INET"]
_ZERO12 = bytes(12)
_MAPPED_PREFIX = bytes(10) + b"\xff\xff"
_ONE4 = b"\x00\x00\x00\x01"
_U32 = 0xFFFFFFFF
_FLOWLABEL_MAX = 0xFFFFF  # what the standard library's 4-tuple accepts (a 20-bit flow label)
#: kept under its old name for the modules that import it from here
_interface_index = scope_index


# ---------------------------------------------------------------------------
# Any accepted input -> its 16 bytes (the predicates' per-packet path)
# ---------------------------------------------------------------------------

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
    raise ValueError(f"{value} is an IPv4 address; use map_ipv4() for its IPv4-mapped IPv6 form")


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


# ---------------------------------------------------------------------------
# RFC 3493 section 6.4 and RFC 3542 section 2.3: the address-testing macros
# ---------------------------------------------------------------------------
# Each starts with the same fast path: 16 bytes are used as they are, every
# other input goes through one dict lookup (_to_bytes).  The tests read the
# bytes exactly as the C macros read s6_addr / s6_addr32.

def IN6_IS_ADDR_UNSPECIFIED(a: AddressLike) -> bool:
    """``::`` (RFC 3493 section 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b == IN6ADDR_ANY_INIT


def IN6_IS_ADDR_LOOPBACK(a: AddressLike) -> bool:
    """``::1`` (RFC 3493 section 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b == IN6ADDR_LOOPBACK_INIT


def IN6_IS_ADDR_MULTICAST(a: AddressLike) -> bool:
    """``ff00::/8`` (RFC 3493 section 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b[0] == 0xFF


def IN6_IS_ADDR_LINKLOCAL(a: AddressLike) -> bool:
    """Link-local *unicast*, ``fe80::/10`` (RFC 3493 section 6.4).

    False for ``::1`` and for link-local-scope multicast, as the RFC says.
    C returns int; this returns bool.
    """
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b[0] == 0xFE and (b[1] & 0xC0) == 0x80


def IN6_IS_ADDR_SITELOCAL(a: AddressLike) -> bool:
    """Site-local unicast, ``fec0::/10`` (RFC 3493 section 6.4; deprecated by RFC 3879).

    C returns int; this returns bool.
    """
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b[0] == 0xFE and (b[1] & 0xC0) == 0xC0


def IN6_IS_ADDR_V4MAPPED(a: AddressLike) -> bool:
    """IPv4-mapped, ``::ffff:0:0/96`` (RFC 3493 sections 3.7 and 6.4).  C returns int; this returns bool."""
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b[:12] == _MAPPED_PREFIX


def IN6_IS_ADDR_V4COMPAT(a: AddressLike) -> bool:
    """IPv4-compatible, ``::a.b.c.d`` (RFC 3493 section 6.4; deprecated by RFC 4291).

    As in C, the first 96 bits are zero and the last 32 bits, read as a
    number, are greater than 1: ``::`` and ``::1`` are not IPv4-compatible.
    C returns int; this returns bool.
    """
    b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    return b[:12] == _ZERO12 and b[12:] > _ONE4


def _multicast_scope(scope: int, name: str, doc: str) -> Callable[[AddressLike], bool]:
    """Make ``IN6_IS_ADDR_MC_<name>``: multicast *and* scope nibble ``scope``, whatever the flag bits.

    As in C, ``ff11::1`` counts as node-local too (RFC 3493 section 6.4).
    """
    def predicate(a: AddressLike) -> bool:
        b = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
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
    x = a if type(a) is bytes and len(a) == 16 else _to_bytes(a)
    y = b if type(b) is bytes and len(b) == 16 else _to_bytes(b)
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


# ---------------------------------------------------------------------------
# Scopes and to_ipv6
# ---------------------------------------------------------------------------

def _scoped(packed: bytes, index: int) -> IPv6Address:
    if not index:
        return IPv6Address(packed)
    return IPv6Address(f"{_socket.inet_ntop(_socket.AF_INET6, packed)}%{index}")


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
        raise ValueError(
            f"{text!r} is an IPv4 address; use map_ipv4() for its IPv4-mapped IPv6 form"
        ) from None
    return IPv6Address(f"{parsed}%{scope}") if sep else parsed


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


# ---------------------------------------------------------------------------
# struct sockaddr_in6 (RFC 3493 sections 3.3 and 3.4) and the stdlib 4-tuple
# ---------------------------------------------------------------------------

_SIN6_TYPE = ffi.typeof("struct sockaddr_in6 *")
_SIN6_SIZE: int = ffi.sizeof("struct sockaddr_in6")
#: whether this OS's sockaddr_in6 starts with a length byte (4.4BSD, RFC 3493 section 3.4)
_HAS_SIN6_LEN = any(name == "sin6_len" for name, _ in ffi.typeof("struct sockaddr_in6").fields)
_ACCEPTED_SOCKADDR = ("struct sockaddr_in6", "struct sockaddr_storage")


def _check_port(port: object) -> int:
    return check_int(port, 0, 0xFFFF, "port")


def _check_flowinfo(flowinfo: object, limit: int) -> int:
    return check_int(flowinfo, 0, limit, "flowinfo")


def _scope_index(address: IPv6Address) -> int:
    scope = address.scope_id
    return int(scope) if scope else 0


def sockaddr_in6(address: AddressLike, port: int = 0, flowinfo: int = 0,
                 scope_id: Optional[InterfaceLike] = None) -> bytes:
    """Return the bytes of this OS's ``struct sockaddr_in6`` (RFC 3493 sections 3.3/3.4).

    ``sin6_port`` and ``sin6_flowinfo`` are stored in network byte order,
    ``sin6_scope_id`` in host order, ``sin6_len`` set where the OS has it.
    ``scope_id`` (an index or interface name) defaults to the address's own
    scope; it may not contradict it.  ``flowinfo`` is the whole 32-bit field.
    """
    _check_port(port)
    _check_flowinfo(flowinfo, _U32)
    addr = to_ipv6(address)
    index = _scope_index(addr)
    if scope_id is not None:
        wanted = _interface_index(scope_id, str(addr))
        if index and wanted != index:
            raise ValueError(f"{addr} has scope {index} but scope_id={scope_id!r} is index {wanted}")
        index = wanted
    sin6 = ffi.new(_SIN6_TYPE)
    if _HAS_SIN6_LEN:
        sin6.sin6_len = _SIN6_SIZE
    sin6.sin6_family = _AF_INET6
    sin6.sin6_port = _socket.htons(port)
    sin6.sin6_flowinfo = _socket.htonl(flowinfo)
    ffi.memmove(ffi.addressof(sin6.sin6_addr), addr.packed, 16)
    sin6.sin6_scope_id = index
    return bytes(ffi.buffer(sin6))


def _sockaddr_of_cdata(data: Any) -> Any:
    ctype = ffi.typeof(data)
    if ctype.kind == "struct":
        data = ffi.addressof(data)
        ctype = ffi.typeof(data)
    if ctype.kind != "pointer" or ctype.item.cname not in _ACCEPTED_SOCKADDR:
        raise TypeError(
            f"expected struct sockaddr_in6 (or sockaddr_storage) cdata, got <cdata {ctype.cname!r}>"
        )
    if data == ffi.NULL:
        raise MalformedError("a NULL struct sockaddr_in6 pointer")
    return ffi.cast(_SIN6_TYPE, data)


def parse_sockaddr_in6(data: Any) -> tuple[IPv6Address, int, int]:
    """Read a ``struct sockaddr_in6``: return ``(address with scope, port, flowinfo)``.

    ``data`` is bytes-like (at least ``sizeof(struct sockaddr_in6)`` bytes,
    e.g. a ``sockaddr_storage``) or a ``struct sockaddr_in6`` /
    ``sockaddr_storage`` cdata or pointer.  A non-zero ``sin6_scope_id``
    becomes the address's numeric scope.  Too short, or not ``AF_INET6``:
    :class:`MalformedError`.
    """
    if isinstance(data, ffi.CData):
        sin6 = _sockaddr_of_cdata(data)
    else:
        try:
            view = memoryview(data)
        except TypeError:
            raise TypeError(
                f"expected bytes or struct sockaddr_in6 cdata, got {type(data).__name__}"
            ) from None
        if view.nbytes < _SIN6_SIZE:
            raise MalformedError(
                f"a struct sockaddr_in6 is {_SIN6_SIZE} bytes, got {view.nbytes}", offset=view.nbytes
            )
        sin6 = ffi.new(_SIN6_TYPE)
        ffi.memmove(sin6, view.tobytes()[:_SIN6_SIZE], _SIN6_SIZE)
    if sin6.sin6_family != _AF_INET6:
        raise MalformedError(f"sin6_family is {sin6.sin6_family}, not AF_INET6 ({_AF_INET6})")
    if _HAS_SIN6_LEN and 0 < sin6.sin6_len < _SIN6_SIZE:
        raise MalformedError(f"sin6_len is {sin6.sin6_len}, less than {_SIN6_SIZE}", offset=0)
    packed = bytes(ffi.buffer(ffi.addressof(sin6.sin6_addr), 16))
    address = _scoped(packed, sin6.sin6_scope_id)
    return address, _socket.ntohs(sin6.sin6_port), _socket.ntohl(sin6.sin6_flowinfo)


def to_sockaddr_tuple(address: AddressLike, port: int = 0,
                      flowinfo: int = 0) -> tuple[str, int, int, int]:
    """Return the standard library's ``(host, port, flowinfo, scope_id)`` for ``socket.sendto``/``bind``.

    The host is the address without its scope; ``scope_id`` is the numeric
    index (0 when unscoped).  ``flowinfo`` is limited to 20 bits, as the
    standard library requires.
    """
    _check_port(port)
    _check_flowinfo(flowinfo, _FLOWLABEL_MAX)
    addr = to_ipv6(address)
    return IPv6Address(addr.packed).compressed, port, flowinfo, _scope_index(addr)


def from_sockaddr_tuple(t: tuple[Any, ...], unmap: bool = False
                        ) -> tuple[Union[IPv6Address, IPv4Address], int, int]:
    """Read an address tuple of the standard library: return ``(address, port, flowinfo)``.

    A 4-tuple ``(host, port, flowinfo, scope_id)`` (``AF_INET6``) gives an
    ``IPv6Address`` with the numeric ``scope_id``; the ``%name`` that
    ``recvfrom`` appends to link-local hosts is superseded by it.  A 2-tuple
    ``(host, port)`` (``AF_INET``) gives an ``IPv4Address`` and flowinfo 0.
    With ``unmap=True`` an IPv4-mapped host gives its ``IPv4Address``: the
    real peer, which is what access control must look at (inet6(4)).
    """
    if not isinstance(t, tuple):
        raise TypeError(f"expected a socket address tuple, got {type(t).__name__}")
    if len(t) == 2:
        host, port = t
        if not isinstance(host, str):
            raise TypeError(f"host must be str, got {type(host).__name__}")
        try:
            return IPv4Address(host), _check_port(port), 0
        except ValueError:
            raise ValueError(f"{host!r} is not an IPv4 address (an AF_INET6 address is a 4-tuple)") from None
    if len(t) != 4:
        raise ValueError(f"expected (host, port, flowinfo, scope_id) or (host, port), got {len(t)} items")
    host, port, flowinfo, scope_id = t
    if not isinstance(host, str):
        raise TypeError(f"host must be str, got {type(host).__name__}")
    _check_port(port)
    _check_flowinfo(flowinfo, _U32)
    parsed = _parse_text(host)
    index = _interface_index(scope_id, repr(host))
    if not index and parsed.scope_id:
        index = _interface_index(parsed.scope_id, repr(host))
    packed = parsed.packed
    if unmap and packed[:12] == _MAPPED_PREFIX:
        return IPv4Address(packed[12:]), port, flowinfo
    return _scoped(packed, index), port, flowinfo


# ---------------------------------------------------------------------------
# IPv4-mapped addresses (RFC 3493 section 3.7; the inet6(4) access-control pitfall)
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
# KAME embedded scope (inet6(4): routing sockets, sysctl, kvm)
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
