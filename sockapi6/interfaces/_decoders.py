"""``getifaddrs(3)`` sockaddrs -> Python values: one decoder per address family, chosen from a table.

Each decoder takes an entry's ``ifa_addr`` and ``ifa_netmask`` and returns
``(address, prefixlen, index hint)``: ``AF_INET6`` (RFC 3493 section 3.3,
scoped; KAME's embedded scope undone, inet6(4)), ``AF_INET``, Linux
``AF_PACKET`` (``sockaddr_ll``) and BSD ``AF_LINK`` (``sockaddr_dl``).
Families this OS lacks are left out of :data:`_DECODERS`.  Nothing is read
past what libc allocated: ``sa_len``, ``sll_halen`` and ``sdl_len`` bound every copy.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .._system.binding import CONSTANTS as _CONSTANTS
from .._system.binding import RECORD as _RECORD
from .._system.binding import ffi
from ..address import has_embedded_scope, strip_embedded_scope

if TYPE_CHECKING:
    from typing import Any, Callable, Optional

    _Decoded = tuple[Any, Optional[int], int]

__all__: list[str] = []

_HAS_SA_LEN = any(name == "sa_len" for name, _ in ffi.typeof("struct sockaddr").fields)
#: KAME-derived kernels may hand out link-local addresses in the embedded-scope form (inet6(4))
_EMBEDS_SCOPE = _RECORD.facts.embeds_scope


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
_SLL_ADDR_ROOM = _RECORD.facts.sll_addr_room  # the platform record's


def _decode_packet(sa: Any, netmask: Any) -> _Decoded:
    """Linux ``AF_PACKET``: ``struct sockaddr_ll`` -> (hardware address, None, ifindex).

    The address is ``sll_halen`` bytes, read up to what this libc allocates
    (:data:`_SLL_ADDR_ROOM`), so a 16-byte ip6tnl or 20-byte InfiniBand
    address comes back whole.
    """
    sll = ffi.cast(f"{_SLL} *", sa)  # libc's own memory, valid until freeifaddrs()
    room = _SLL_ADDR_ROOM or ffi.sizeof(sll.sll_addr)
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
#: the link-layer families (whose entries carry a hardware address)
_LINK_FAMILIES = frozenset(_CONSTANTS[f] for f in ("AF_PACKET", "AF_LINK") if f in _CONSTANTS)
_AF_INET6: int = _CONSTANTS["AF_INET6"]
