"""``struct sockaddr_in6`` (RFC 3493 sections 3.3 and 3.4) and the standard library's address tuples.

The byte layout is this OS's, read from the cffi declarations: ``sin6_len``
where 4.4BSD has it, ``sin6_port``/``sin6_flowinfo`` in network byte order,
``sin6_scope_id`` in host order.
"""

from __future__ import annotations

import socket as _socket
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .._checks import check_int
from .._system.binding import CONSTANTS as _CONSTANTS
from .._system.binding import ffi
from ..errors import MalformedError
from ._packed import _parse_text
from ._predicates import _MAPPED_PREFIX
from ._scoped import _interface_index, _scope_index, _scoped, to_ipv6

if TYPE_CHECKING:
    from typing import Any, Optional, Union

    from . import AddressLike, InterfaceLike

_AF_INET6: int = _CONSTANTS["AF_INET6"]
_U32 = 0xFFFFFFFF
_FLOWLABEL_MAX = 0xFFFFF  # what the standard library's 4-tuple accepts (a 20-bit flow label)
_SIN6_TYPE = ffi.typeof("struct sockaddr_in6 *")
_SIN6_SIZE: int = ffi.sizeof("struct sockaddr_in6")
#: whether this OS's sockaddr_in6 starts with a length byte (4.4BSD, RFC 3493 section 3.4)
_HAS_SIN6_LEN = any(name == "sin6_len" for name, _ in ffi.typeof("struct sockaddr_in6").fields)
_ACCEPTED_SOCKADDR = ("struct sockaddr_in6", "struct sockaddr_storage")


def _check_port(port: object) -> int:
    return check_int(port, 0, 0xFFFF, "port")


def _check_flowinfo(flowinfo: object, limit: int) -> int:
    return check_int(flowinfo, 0, limit, "flowinfo")


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
