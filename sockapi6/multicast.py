"""Joining IPv6 multicast groups: RFC 3493 section 5.2 and RFC 3678 (source filters).

* :func:`join_group` / :func:`leave_group`: any-source membership through
  ``IPV6_JOIN_GROUP`` / ``IPV6_LEAVE_GROUP`` and ``struct ipv6_mreq``
  (RFC 3493 section 5.2), what odhcpd does for ``ff02::1:2``.
* :func:`join_source_group`, :func:`leave_source_group`, :func:`block_source`,
  :func:`unblock_source`: RFC 3678 section 5.1 (``MCAST_*`` with
  ``struct group_source_req`` in this OS's own layout: naturally aligned on
  Linux/FreeBSD/Windows, ``#pragma pack(4)`` on macOS).
* :func:`setsourcefilter` / :func:`getsourcefilter`: RFC 3678 section 5.2,
  the full-state API, from libc where it has them.

``interface`` is a name (``"eth0"``) or an index; ``group`` and ``source``
are anything :func:`sockapi6.address.to_ipv6` accepts.  Whatever the OS
lacks raises :class:`~sockapi6.errors.NotSupportedError`; kernel failures
are ``OSError`` with ``errno``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from ._system.binding import CONSTANTS, ffi, has_function, last_error, lib
from ._system.descriptors import fileno as _fd
from ._system.ifindex import interface_index
from ._system.oserror import call_error
from .errors import NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any, Union

    from ._types import HasFileno
    from .address import AddressLike

    InterfaceLike = Union[int, str]

__all__ = [
    "FilterMode",
    "join_group",
    "leave_group",
    "join_source_group",
    "leave_source_group",
    "block_source",
    "unblock_source",
    "setsourcefilter",
    "getsourcefilter",
]

if TYPE_CHECKING:
    class FilterMode(IntEnum):
        """RFC 3678 filter modes, with this OS's values (``MCAST_INCLUDE`` / ``MCAST_EXCLUDE``)."""

        INCLUDE: int
        EXCLUDE: int
else:
    FilterMode = IntEnum(
        "FilterMode",
        {n: CONSTANTS[f"MCAST_{n}"] for n in ("INCLUDE", "EXCLUDE") if f"MCAST_{n}" in CONSTANTS},
        module=__name__,
    )
    FilterMode.__doc__ = (
        "RFC 3678 filter modes with this OS's values (MCAST_INCLUDE / MCAST_EXCLUDE are 1/0 on "
        "Linux, 1/2 on macOS and FreeBSD, 0/1 on Windows); absent where the OS lacks them."
    )

_V6 = CONSTANTS["IPPROTO_IPV6"]
#: sourcefilter starts with room for this many sources and grows to what the kernel reports
_INITIAL_SOURCES = 64


def _constant(name: str, what: str) -> int:
    value = CONSTANTS.get(name)
    if value is None:
        raise NotSupportedError(f"{name} ({what})", reason="this OS does not define it")
    return value


def _group(group: Any) -> IPv6Address:
    from .address import to_ipv6

    address = to_ipv6(group)
    if not address.is_multicast:
        raise ValueError(f"{address} is not a multicast address")
    return address


def _source(source: Any) -> IPv6Address:
    from .address import to_ipv6

    address = to_ipv6(source)
    if address.is_multicast:
        raise ValueError(f"source {address} is a multicast address")
    return address


def _interface(interface: Any, group: IPv6Address) -> int:
    """Return the interface index; ``None`` takes the group's scope, or 0 (the kernel's choice)."""
    if interface is None:
        return int(group.scope_id) if group.scope_id else 0
    index = interface_index(interface)
    if group.scope_id and index and int(group.scope_id) != index:
        raise ValueError(f"group {group} is scoped to interface {group.scope_id}, not {interface!r}")
    return index


def _sockaddr_into(field: Any, address: IPv6Address) -> int:
    """Write ``address`` as this OS's ``sockaddr_in6`` into a ``sockaddr_storage`` cdata member; its size."""
    from .address import sockaddr_in6

    raw = sockaddr_in6(address)
    ffi.memmove(ffi.addressof(field), raw, len(raw))
    return len(raw)


def _setsockopt(sock: HasFileno, option: str, value: Any, what: str) -> None:
    number = _constant(option, what)
    fd = _fd(sock)
    if lib.setsockopt(fd, _V6, number, value, ffi.sizeof(value[0])) != 0:
        raise call_error(last_error(), f"setsockopt(IPPROTO_IPV6, {option})", f"{option} ({what})")


# ---- RFC 3493 section 5.2 ------------------------------------------------

def _mreq(sock: HasFileno, option: str, group: Any, interface: Any, what: str) -> None:
    address = _group(group)
    index = _interface(interface, address)
    mreq = ffi.new("struct ipv6_mreq *")
    ffi.memmove(ffi.addressof(mreq.ipv6mr_multiaddr), address.packed, 16)
    mreq.ipv6mr_interface = index
    _setsockopt(sock, option, mreq, what)


def join_group(sock: HasFileno, group: AddressLike, interface: InterfaceLike | None) -> None:
    """Join ``group`` on ``interface`` for any source (``IPV6_JOIN_GROUP``, RFC 3493 section 5.2).

    ``interface`` 0 (or None with an unscoped group) lets the kernel choose.
    """
    _mreq(sock, "IPV6_JOIN_GROUP", group, interface, "join_group")


def leave_group(sock: HasFileno, group: AddressLike, interface: InterfaceLike | None) -> None:
    """Leave ``group`` on ``interface`` (``IPV6_LEAVE_GROUP``, RFC 3493 section 5.2)."""
    _mreq(sock, "IPV6_LEAVE_GROUP", group, interface, "leave_group")


# ---- RFC 3678 section 5.1 ------------------------------------------------

def _source_req(sock: HasFileno, option: str, group: Any, source: Any, interface: Any, what: str) -> None:
    _constant(option, what)  # NotSupportedError before touching a struct the OS may lack
    address = _group(group)
    src = _source(source)
    req = ffi.new("struct group_source_req *")
    req.gsr_interface = _interface(interface, address)
    _sockaddr_into(req.gsr_group, address)
    _sockaddr_into(req.gsr_source, src)
    _setsockopt(sock, option, req, what)


def join_source_group(sock: HasFileno, group: AddressLike, source: AddressLike,
                      interface: InterfaceLike | None) -> None:
    """Receive ``group`` on ``interface`` from ``source`` only (``MCAST_JOIN_SOURCE_GROUP``, RFC 3678 5.1.2).

    Call it once per source; the membership is in include mode.
    """
    _source_req(sock, "MCAST_JOIN_SOURCE_GROUP", group, source, interface, "join_source_group")


def leave_source_group(sock: HasFileno, group: AddressLike, source: AddressLike,
                       interface: InterfaceLike | None) -> None:
    """Stop receiving ``group`` from ``source`` (``MCAST_LEAVE_SOURCE_GROUP``, RFC 3678 section 5.1.2)."""
    _source_req(sock, "MCAST_LEAVE_SOURCE_GROUP", group, source, interface, "leave_source_group")


def block_source(sock: HasFileno, group: AddressLike, source: AddressLike,
                 interface: InterfaceLike | None) -> None:
    """Drop ``group`` traffic from ``source`` on an any-source join (RFC 3678 section 5.1.1).

    Uses ``MCAST_BLOCK_SOURCE``; the group must have been joined with :func:`join_group`.
    """
    _source_req(sock, "MCAST_BLOCK_SOURCE", group, source, interface, "block_source")


def unblock_source(sock: HasFileno, group: AddressLike, source: AddressLike,
                   interface: InterfaceLike | None) -> None:
    """Undo :func:`block_source` (``MCAST_UNBLOCK_SOURCE``, RFC 3678 section 5.1.1)."""
    _source_req(sock, "MCAST_UNBLOCK_SOURCE", group, source, interface, "unblock_source")


# ---- RFC 3678 section 5.2: the full-state API ------------------------------

def _libc_function(name: str) -> Any:
    if not has_function(name):
        raise NotSupportedError(f"{name}()", reason="this C library does not provide it")
    return getattr(lib, name)


def _filter_mode(fmode: Any) -> int:
    if isinstance(fmode, bool) or not isinstance(fmode, int):
        raise TypeError(f"fmode must be a FilterMode, not {type(fmode).__name__}")
    try:
        return int(FilterMode(fmode))
    except ValueError:
        modes = ", ".join(f"{m.name}={int(m)}" for m in FilterMode)
        raise ValueError(f"fmode {fmode} is not one of this OS's filter modes ({modes})") from None


def _group_sockaddr(address: IPv6Address) -> tuple[Any, int]:
    """Return ``(struct sockaddr_storage *, sizeof(struct sockaddr_in6))`` holding ``address``.

    The caller keeps the returned cdata (which owns the memory) alive for the
    duration of the libc call and casts it there, never here.
    """
    storage = ffi.new("struct sockaddr_storage *")
    return storage, _sockaddr_into(storage[0], address)


def setsourcefilter(sock: HasFileno, interface: InterfaceLike | None, group: AddressLike, fmode: Any,
                    sources: Iterable[Any]) -> None:
    """Replace the source filter of ``group`` on ``interface`` (RFC 3678 section 5.2.1).

    ``fmode`` is :class:`FilterMode` ``INCLUDE`` (receive only from
    ``sources``) or ``EXCLUDE`` (from everyone but ``sources``);
    ``FilterMode.INCLUDE`` with no sources leaves the group.
    """
    function = _libc_function("setsourcefilter")
    mode = _filter_mode(fmode)
    if isinstance(sources, (str, bytes)):
        raise TypeError("sources must be an iterable of addresses, not a single address")
    addresses = [_source(s) for s in sources]
    address = _group(group)
    index = _interface(interface, address)
    fd = _fd(sock)
    grp, grplen = _group_sockaddr(address)
    slist = ffi.new("struct sockaddr_storage[]", max(1, len(addresses)))
    for i, src in enumerate(addresses):
        _sockaddr_into(slist[i], src)
    if function(fd, index, ffi.cast("struct sockaddr *", grp), grplen, mode, len(addresses), slist) != 0:
        raise call_error(last_error(), f"setsourcefilter({address}, interface {index})", "setsourcefilter()")


def getsourcefilter(sock: HasFileno, interface: InterfaceLike | None, group: AddressLike
                    ) -> tuple[FilterMode, list[IPv6Address]]:
    """Return ``(mode, sources)``, the source filter of ``group`` on ``interface`` (RFC 3678 section 5.2.2).

    The list is as long as the kernel's filter: the call is repeated with a
    larger buffer when the first one was too small.  A group the socket has
    not joined gives ``OSError(EADDRNOTAVAIL)``.
    """
    from .address import parse_sockaddr_in6

    function = _libc_function("getsourcefilter")
    address = _group(group)
    index = _interface(interface, address)
    fd = _fd(sock)
    grp, grplen = _group_sockaddr(address)
    capacity = _INITIAL_SOURCES
    while True:
        slist = ffi.new("struct sockaddr_storage[]", capacity)
        fmode = ffi.new("uint32_t *")
        numsrc = ffi.new("uint32_t *", capacity)
        if function(fd, index, ffi.cast("struct sockaddr *", grp), grplen, fmode, numsrc, slist) != 0:
            raise call_error(last_error(), f"getsourcefilter({address}, interface {index})",
                             "getsourcefilter()")
        if numsrc[0] <= capacity:
            break
        capacity = numsrc[0]
    sources = [parse_sockaddr_in6(ffi.buffer(ffi.addressof(slist[i]))[:])[0] for i in range(numsrc[0])]
    return FilterMode(fmode[0]), sources
