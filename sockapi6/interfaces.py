"""Interfaces: the RFC 3493 section 4 name/index functions and ``getifaddrs(3)``.

``if_nametoindex``, ``if_indextoname`` and ``if_nameindex`` call libc through
:data:`sockapi6.lib`; where libc lacks one (Windows' ws2_32 has none) the
standard library's ``socket.if_*`` stands in, chosen once from a table.
Where C returns 0 or NULL these raise ``OSError``: ``ENODEV`` for an unknown
name, ``ENXIO`` for an unknown index (RFC 3493 sections 4.1 and 4.2).

:func:`getifaddrs` returns a flat list of :class:`InterfaceAddress`, one per
entry libc reports (IPv6, IPv4 and link-layer), decoded into Python values
before libc's list is freed; :func:`interfaces` groups them into
:class:`Interface` objects.  Link-layer addresses come from a table of
address family -> decoder (Linux ``AF_PACKET``/``sockaddr_ll``, BSD
``AF_LINK``/``sockaddr_dl``).
"""

from __future__ import annotations

import errno as _errno
import os
import socket as _socket
from enum import IntFlag
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import TYPE_CHECKING

from ._binding import CONSTANTS as _CONSTANTS
from ._binding import PLATFORM as _PLATFORM
from ._binding import ffi, has_function, last_error, lib
from ._checks import check_int
from ._value import ValueObject
from .address import IN6_IS_ADDR_LINKLOCAL, has_embedded_scope, needs_scope, strip_embedded_scope
from .errors import NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, Callable, Optional, Union

    _Decoded = tuple[Any, Optional[int], int]

__all__ = [
    "if_nametoindex",
    "if_indextoname",
    "if_nameindex",
    "getifaddrs",
    "interfaces",
    "InterfaceAddress",
    "Interface",
    "InterfaceFlags",
    "link_local_address",
    "hardware_address",
]

_IF_NAMESIZE: int = _CONSTANTS.get("IF_NAMESIZE", 16)
_U32 = 0xFFFFFFFF

# ---------------------------------------------------------------------------
# Interface flags (<net/if.h>), from the constants of the running OS
# ---------------------------------------------------------------------------

if TYPE_CHECKING:
    class InterfaceFlags(IntFlag):
        """``ifa_flags`` of ``getifaddrs(3)``: the ``IFF_*`` constants of the running OS."""

        IFF_UP = 1
        IFF_BROADCAST = 2
        IFF_DEBUG = 4
        IFF_LOOPBACK = 8
        IFF_POINTOPOINT = 16
        IFF_RUNNING = 64
        IFF_NOARP = 128
        IFF_PROMISC = 256
        IFF_ALLMULTI = 512
        IFF_MULTICAST = 4096
else:
    InterfaceFlags = IntFlag(
        "InterfaceFlags",
        sorted((name, value) for name, value in _CONSTANTS.items() if name.startswith("IFF_")),
        module=__name__,
    )
    InterfaceFlags.__doc__ = "``ifa_flags`` of ``getifaddrs(3)``: the ``IFF_*`` constants of the running OS."
    InterfaceFlags.__repr__ = lambda self: f"InterfaceFlags({int(self)})"


# ---------------------------------------------------------------------------
# RFC 3493 section 4: name <-> index
# ---------------------------------------------------------------------------

def _name_bytes(name: Union[str, bytes]) -> bytes:
    if isinstance(name, str):
        raw = os.fsencode(name)
    elif isinstance(name, bytes):
        raw = name
    else:
        raise TypeError(f"an interface name is str or bytes, got {type(name).__name__}")
    if b"\x00" in raw:
        raise ValueError(f"interface name {name!r} contains a NUL byte")
    return raw


def _no_such_name(name: bytes, err: int = _errno.ENODEV) -> OSError:
    text = os.fsdecode(name)
    return OSError(err, f"{os.strerror(err)}: no interface named {text!r}" if err == _errno.ENODEV
                   else f"{os.strerror(err)} (looking up interface {text!r})")


def _no_such_index(index: int, err: int = _errno.ENXIO) -> OSError:
    return OSError(err, f"{os.strerror(err)}: no interface with index {index}" if err == _errno.ENXIO
                   else f"{os.strerror(err)} (looking up interface index {index})")


def _libc_nametoindex(name: bytes) -> int:
    ffi.errno = 0
    index: int = lib.if_nametoindex(name)
    if index == 0:
        raise _no_such_name(name, last_error() or _errno.ENODEV)
    return index


def _stdlib_nametoindex(name: bytes) -> int:
    try:
        return _socket.if_nametoindex(os.fsdecode(name))
    except OSError:
        raise _no_such_name(name) from None


def _libc_indextoname(index: int) -> str:
    buf = ffi.new("char[]", _IF_NAMESIZE)
    ffi.errno = 0
    if lib.if_indextoname(index, buf) == ffi.NULL:
        raise _no_such_index(index, last_error() or _errno.ENXIO)
    return os.fsdecode(ffi.string(buf, _IF_NAMESIZE))


def _stdlib_indextoname(index: int) -> str:
    try:
        return _socket.if_indextoname(index)
    except OSError:
        raise _no_such_index(index) from None


def _libc_nameindex() -> list[tuple[int, str]]:
    ffi.errno = 0
    array = lib.if_nameindex()
    if array == ffi.NULL:
        err = last_error() or _errno.ENOMEM
        raise OSError(err, f"if_nameindex: {os.strerror(err)}")
    try:
        result = []
        i = 0
        while array[i].if_index != 0 and array[i].if_name != ffi.NULL:
            result.append((int(array[i].if_index), os.fsdecode(ffi.string(array[i].if_name))))
            i += 1
        return result
    finally:
        lib.if_freenameindex(array)


def _stdlib_nameindex() -> list[tuple[int, str]]:
    return [(int(index), name) for index, name in _socket.if_nameindex()]


#: C function -> (through libc, standard-library stand-in); the first is used when libc has it
_CHOICES: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "if_nametoindex": (_libc_nametoindex, _stdlib_nametoindex),
    "if_indextoname": (_libc_indextoname, _stdlib_indextoname),
    "if_nameindex": (_libc_nameindex, _stdlib_nameindex),
}
_IMPL: dict[str, Callable[..., Any]] = {
    name: (libc if has_function(name) else stdlib) for name, (libc, stdlib) in _CHOICES.items()
}


def if_nametoindex(name: Union[str, bytes]) -> int:
    """Return the index of the interface called ``name`` (RFC 3493 section 4.1).

    C returns 0 for an unknown name; this raises ``OSError(ENODEV)`` naming it
    (or the ``errno`` libc reported).  ``ValueError`` for a name with a NUL.
    """
    raw = _name_bytes(name)
    if not raw or len(raw) >= _IF_NAMESIZE:
        raise _no_such_name(raw)
    index: int = _IMPL["if_nametoindex"](raw)
    return index


def if_indextoname(index: int) -> str:
    """Return the name of the interface with index ``index`` (RFC 3493 section 4.2).

    C returns NULL with ``errno`` ``ENXIO`` for an unknown index; this raises
    ``OSError(ENXIO)``.  ``ValueError`` for a number outside ``0..2**32-1``.
    """
    if check_int(index, 0, _U32, "interface index") == 0:
        raise _no_such_index(0)
    name: str = _IMPL["if_indextoname"](index)
    return name


def if_nameindex() -> list[tuple[int, str]]:
    """Return ``[(index, name), ...]`` for every interface (RFC 3493 sections 4.3 and 4.4).

    libc's array is always freed with ``if_freenameindex``.
    """
    result: list[tuple[int, str]] = _IMPL["if_nameindex"]()
    return result


# ---------------------------------------------------------------------------
# Value objects
# ---------------------------------------------------------------------------

class _Fields(ValueObject):
    """Immutable, hashable, equal by value; ``repr`` names every field and evaluates back."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"


class InterfaceAddress(_Fields):
    """One entry of ``getifaddrs(3)``.

    * ``interface``: the name libc reports (an IPv4 label such as ``eth0:1`` included);
    * ``index``: the interface index (0 if the interface vanished meanwhile);
    * ``flags``: :class:`InterfaceFlags`;
    * ``family``: ``AF_INET6``, ``AF_INET`` or the link-layer family (``AF_PACKET``/``AF_LINK``);
    * ``address``: ``IPv6Address`` (link-local ones scoped by index, design rule 5),
      ``IPv4Address``, or the link-layer address as ``bytes`` (``b""`` if it has none);
      text is read as an IP address;
    * ``prefixlen``: from the netmask; ``None`` for link-layer entries, or
      when there is no netmask or it is not contiguous;
    * ``scope_id``: the numeric scope of an IPv6 address that needs one, else 0.
    """

    _fields = ("interface", "index", "flags", "family", "address", "prefixlen", "scope_id")
    __slots__ = tuple(sorted(_fields))
    interface: str
    index: int
    flags: InterfaceFlags
    family: int
    address: Union[IPv6Address, IPv4Address, bytes]
    prefixlen: Optional[int]
    scope_id: int

    def __init__(self, interface: str, index: int, flags: int, family: int,
                 address: Union[IPv6Address, IPv4Address, bytes, str], prefixlen: Optional[int] = None,
                 scope_id: int = 0) -> None:
        if isinstance(address, str):
            address = ip_address(address)
        values = (str(interface), int(index), InterfaceFlags(flags), int(family), address,
                  None if prefixlen is None else int(prefixlen), int(scope_id))
        for name, value in zip(self._fields, values):
            object.__setattr__(self, name, value)


class Interface(_Fields):
    """One interface with everything ``getifaddrs(3)`` reported for it.

    ``addresses`` is a tuple of :class:`InterfaceAddress` (IPv6 and IPv4, in
    libc's order); ``link_address`` the hardware address (``None`` if none).
    """

    _fields = ("name", "index", "flags", "addresses", "link_address")
    __slots__ = tuple(sorted(_fields))
    name: str
    index: int
    flags: InterfaceFlags
    addresses: tuple[InterfaceAddress, ...]
    link_address: Optional[bytes]

    def __init__(self, name: str, index: int, flags: int, addresses: tuple[InterfaceAddress, ...] = (),
                 link_address: Optional[bytes] = None) -> None:
        values = (str(name), int(index), InterfaceFlags(flags), tuple(addresses),
                  None if link_address is None else bytes(link_address))
        for field, value in zip(self._fields, values):
            object.__setattr__(self, field, value)


# ---------------------------------------------------------------------------
# getifaddrs(3): sockaddr decoders, one per family
# ---------------------------------------------------------------------------

_HAS_SA_LEN = any(name == "sa_len" for name, _ in ffi.typeof("struct sockaddr").fields)
#: KAME-derived kernels may hand out link-local addresses in the embedded-scope form (inet6(4))
_EMBEDS_SCOPE = _PLATFORM in frozenset({"darwin", "freebsd", "netbsd", "openbsd"})


def _sockaddr_bytes(sa: Any, size: int) -> bytes:
    """Copy ``size`` bytes of a sockaddr libc gave us, never more than its ``sa_len`` says (zero-filled)."""
    length = min(size, int(sa.sa_len)) if _HAS_SA_LEN else size
    return bytes(ffi.buffer(sa, length)).ljust(size, b"\x00")


def _prefixlen(mask: bytes) -> Optional[int]:
    width = 8 * len(mask)
    value = int.from_bytes(mask, "big")
    ones = bin(value).count("1")
    return ones if value == ((1 << ones) - 1) << (width - ones) else None


def _netmask(netmask: Any, offset: int, length: int) -> Optional[int]:
    if netmask == ffi.NULL:
        return None
    raw = _sockaddr_bytes(netmask, offset + length)
    return _prefixlen(raw[offset:offset + length])


_SIN6 = "struct sockaddr_in6"
_SIN = "struct sockaddr_in"


def _decode_inet6(sa: Any, netmask: Any) -> _Decoded:
    size, offset = ffi.sizeof(_SIN6), ffi.offsetof(_SIN6, "sin6_addr")
    raw = _sockaddr_bytes(sa, size)
    sin6 = ffi.from_buffer(f"{_SIN6} *", raw)  # raw is exactly sizeof(sockaddr_in6); sin6 keeps it alive
    packed = raw[offset:offset + 16]
    scope = int(sin6.sin6_scope_id)
    address = IPv6Address(packed)
    if _EMBEDS_SCOPE and has_embedded_scope(packed):
        try:
            address = strip_embedded_scope(f"{address}%{scope}" if scope else address)
        except ValueError:  # both set and different: sin6_scope_id wins, the embedded bytes go
            address = IPv6Address(f"{IPv6Address(packed[:2] + bytes(2) + packed[4:])}%{scope}")
    elif scope:
        address = IPv6Address(f"{address}%{scope}")
    return address, _netmask(netmask, offset, 16), int(address.scope_id or 0)


def _decode_inet(sa: Any, netmask: Any) -> _Decoded:
    size, offset = ffi.sizeof(_SIN), ffi.offsetof(_SIN, "sin_addr")
    raw = _sockaddr_bytes(sa, size)
    return IPv4Address(raw[offset:offset + 4]), _netmask(netmask, offset, 4), 0


_SLL = "struct sockaddr_ll"
#: bytes of ``sll_addr`` the C library's getifaddrs() allocates.  ``struct sockaddr_ll``
#: declares 8, too few for InfiniBand (20) or IPv6 tunnels (16); glibc stores the link
#: address in a ``struct sockaddr_ll_max`` (``sll_addr[24]``) inside its per-entry union and
#: musl in a ``struct sockaddr_ll_hack`` (``sll_addr[24]``, longer addresses left out), so
#: both have 24 bytes behind ``sll_addr``.  Another libc: only the declared 8 are read.
_SLL_ADDR_ROOM: dict[str, int] = {"linux_glibc": 24, "linux_musl": 24}


def _decode_packet(sa: Any, netmask: Any) -> _Decoded:
    """Linux ``AF_PACKET``: ``struct sockaddr_ll`` -> (hardware address, None, ifindex).

    The address is ``sll_halen`` bytes, read up to what this libc allocates
    (:data:`_SLL_ADDR_ROOM`), so a 16-byte ip6tnl or 20-byte InfiniBand
    address comes back whole.
    """
    sll = ffi.cast(f"{_SLL} *", sa)  # libc's own memory, valid until freeifaddrs()
    room = _SLL_ADDR_ROOM.get(_PLATFORM, ffi.sizeof(sll.sll_addr))
    length = min(int(sll.sll_halen), room)
    start = ffi.cast("char *", sa) + ffi.offsetof(_SLL, "sll_addr")
    return bytes(ffi.buffer(start, length)), None, int(sll.sll_ifindex)


def _decode_link(sa: Any, netmask: Any) -> _Decoded:
    """BSD ``AF_LINK``: ``struct sockaddr_dl`` -> (hardware address, None, sdl_index).

    ``sdl_data`` holds the name (``sdl_nlen`` bytes) then the address
    (``sdl_alen`` bytes); the structure is ``sdl_len`` long, which may exceed
    its declared size, so nothing past ``sdl_len`` is read.
    """
    name = "struct sockaddr_dl"
    sdl = ffi.cast(f"{name} *", sa)
    total = int(sdl.sdl_len)
    start = ffi.offsetof(name, "sdl_data") + int(sdl.sdl_nlen)
    end = start + int(sdl.sdl_alen)
    if end > total:
        return b"", None, int(sdl.sdl_index)
    return bytes(ffi.buffer(sa, total))[start:end], None, int(sdl.sdl_index)


#: address family -> decoder; families this OS lacks are left out
_DECODERS: dict[int, Callable[[Any, Any], _Decoded]] = {
    _CONSTANTS[family]: decoder
    for family, decoder in (
        ("AF_INET6", _decode_inet6),
        ("AF_INET", _decode_inet),
        ("AF_PACKET", _decode_packet),
        ("AF_LINK", _decode_link),
    )
    if family in _CONSTANTS
}
_LINK_FAMILIES = frozenset(_CONSTANTS[f] for f in ("AF_PACKET", "AF_LINK") if f in _CONSTANTS)
_AF_INET6: int = _CONSTANTS["AF_INET6"]


def _walk(entry: Any) -> Iterator[tuple[str, int, int, Any, Optional[int], int]]:
    """Yield ``(name, flags, family, address, prefixlen, index hint)`` for each entry we can decode."""
    while entry != ffi.NULL:
        sa = entry.ifa_addr
        if sa != ffi.NULL and entry.ifa_name != ffi.NULL:
            family = int(sa.sa_family)
            decoder = _DECODERS.get(family)
            if decoder is not None:
                address, prefixlen, hint = decoder(sa, entry.ifa_netmask)
                yield (os.fsdecode(ffi.string(entry.ifa_name)), int(entry.ifa_flags), family,
                       address, prefixlen, hint)
        entry = entry.ifa_next


def _index_of(name: str, known: dict[str, int]) -> int:
    index = known.get(name)
    if index is None:
        index = 0
        for candidate in (name, name.partition(":")[0]):  # "eth0:1" is an IPv4 label of eth0
            try:
                index = if_nametoindex(candidate)
                break
            except (OSError, ValueError):
                continue
        known[name] = index
    return index


def getifaddrs() -> list[InterfaceAddress]:
    """Return every address of every interface, as ``getifaddrs(3)`` reports them.

    One :class:`InterfaceAddress` per IPv6, IPv4 and link-layer entry (other
    families are skipped).  An IPv6 address that needs a scope (link-local,
    interface-/link-local multicast) carries its interface index as
    ``scope_id``; KAME's embedded form is undone on the BSDs.  libc's list is
    decoded completely, then always freed with ``freeifaddrs``.
    """
    if not has_function("getifaddrs"):
        raise NotSupportedError("getifaddrs", reason="the C library has no getifaddrs()")
    head = ffi.new("struct ifaddrs **")
    ffi.errno = 0
    if lib.getifaddrs(head) != 0:
        err = last_error() or _errno.EIO
        raise OSError(err, f"getifaddrs: {os.strerror(err)}")
    try:
        raw = list(_walk(head[0]))
    finally:
        lib.freeifaddrs(head[0])
    known: dict[str, int] = {}
    for name, _flags, family, _address, _prefixlen, hint in raw:
        if hint and (family in _LINK_FAMILIES or family == _AF_INET6):
            known.setdefault(name, hint)
    result = []
    for name, flags, family, address, prefixlen, _hint in raw:
        index = _index_of(name, known)
        scope = 0
        if family == _AF_INET6:
            scope = int(address.scope_id or 0)
            if not scope and index and needs_scope(address):
                address, scope = IPv6Address(f"{address}%{index}"), index
        result.append(InterfaceAddress(name, index, flags, family, address, prefixlen, scope))
    return result


def interfaces() -> list[Interface]:
    """Return :func:`getifaddrs` grouped per interface (by index; IPv4 labels join their device)."""
    groups: dict[Union[int, str], dict[str, Any]] = {}
    for entry in getifaddrs():
        key: Union[int, str] = entry.index or entry.interface
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"name": entry.interface, "flags": entry.flags, "addresses": [],
                                   "link": None}
        if entry.family in _LINK_FAMILIES:
            group["name"], group["flags"] = entry.interface, entry.flags
            group["link"] = entry.address or None
        else:
            group["addresses"].append(entry)
    return [
        Interface(g["name"], key if isinstance(key, int) else 0, g["flags"], tuple(g["addresses"]), g["link"])
        for key, g in groups.items()
    ]


def _resolve(interface: Union[str, int]) -> int:
    if isinstance(interface, bool) or not isinstance(interface, (str, int)):
        raise TypeError(f"an interface is a name or an index, got {type(interface).__name__}")
    if isinstance(interface, str):
        return if_nametoindex(interface)
    if_indextoname(interface)  # raises OSError(ENXIO) for an unknown index
    return interface


def link_local_address(interface: Union[str, int]) -> Optional[IPv6Address]:
    """Return the first link-local unicast address of ``interface`` (name or index), scoped by its index.

    What radvd and odhcpd look up to source Router Advertisements and DHCPv6
    replies.  ``None`` if it has none; ``OSError`` if there is no such interface.
    """
    index = _resolve(interface)
    for entry in getifaddrs():
        if entry.index == index and entry.family == _AF_INET6 and IN6_IS_ADDR_LINKLOCAL(entry.address):
            address: IPv6Address = entry.address  # type: ignore[assignment]
            return address
    return None


def hardware_address(interface: Union[str, int]) -> Optional[bytes]:
    """Return the link-layer (MAC) address of ``interface`` (name or index).

    ``None`` if the interface has none (a tunnel, or no link-layer entry);
    ``OSError`` if there is no such interface.
    """
    index = _resolve(interface)
    for entry in getifaddrs():
        if entry.index == index and entry.family in _LINK_FAMILIES:
            return bytes(entry.address) or None  # type: ignore[arg-type]
    return None
