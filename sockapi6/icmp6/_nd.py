"""Neighbor Discovery messages (RFC 4861 section 4) and the ICMPv6 messages of Mobile IPv6 (RFC 6275 6.5-6.8).

The ``options`` of each message are :mod:`ND options <sockapi6.icmp6._options>`,
kept in received order (unknown ones included).
"""

from __future__ import annotations

import struct
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from ..errors import MalformedError
from ._base import address, addresses, flags, u8, u16, u32
from ._messages import ICMPv6Message, register
from ._options import options_of

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar

    from ._options import NDOption

__all__ = [
    "RAFlag", "NAFlag", "MPAFlag", "RouterPreference", "RouterSolicitation", "RouterAdvertisement",
    "NeighborSolicitation", "NeighborAdvertisement", "Redirect", "HomeAgentAddressDiscoveryRequest",
    "HomeAgentAddressDiscoveryReply", "MobilePrefixSolicitation", "MobilePrefixAdvertisement",
]


class RAFlag(IntFlag):
    """Router Advertisement flags byte (RFC 4861 4.2; H: RFC 6275 7.1; Prf: RFC 4191; P: RFC 4389)."""

    MANAGED = 0x80
    OTHER = 0x40
    HOME_AGENT = 0x20
    PROXY = 0x04


class RouterPreference(IntEnum):
    """Default Router Preference, bits 0x18 of the RA flags (RFC 4191 2.1)."""

    MEDIUM = 0
    HIGH = 1
    RESERVED = 2
    LOW = 3


class NAFlag(IntFlag):
    """Neighbor Advertisement flags: the 32-bit field in network order (RFC 4861 4.4)."""

    ROUTER = 0x80000000
    SOLICITED = 0x40000000
    OVERRIDE = 0x20000000


class MPAFlag(IntFlag):
    """Mobile Prefix Advertisement flags: the 16-bit field in network order (RFC 6275 6.8)."""

    MANAGED = 0x8000
    OTHER = 0x4000


_COMMON: dict[str, Any] = {"code": u8, "checksum": u16, "options": options_of}
_COMMON_DEFAULTS: dict[str, Any] = {"code": 0, "checksum": 0, "options": ()}


@register
class RouterSolicitation(ICMPv6Message):
    """Router Solicitation (RFC 4861 4.1)."""

    __slots__ = ("options", "reserved")
    TYPE = 133
    _body = struct.Struct("!I")
    _body_fields = ("reserved",)
    _tail = "options"
    _fields = ("options", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {**_COMMON_DEFAULTS, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {**_COMMON, "reserved": u32}
    options: tuple[NDOption, ...]
    reserved: int


@register
class RouterAdvertisement(ICMPv6Message):
    """Router Advertisement (RFC 4861 4.2): hop limit, flags (:class:`RAFlag`, the whole byte),
    router lifetime in seconds, reachable time and retransmission timer in milliseconds, options."""

    __slots__ = ("cur_hop_limit", "flags", "options", "reachable_time", "retrans_timer", "router_lifetime")
    TYPE = 134
    _body = struct.Struct("!BBHII")
    _body_fields = ("cur_hop_limit", "flags", "router_lifetime", "reachable_time", "retrans_timer")
    _tail = "options"
    _fields = ("cur_hop_limit", "flags", "router_lifetime", "reachable_time", "retrans_timer", "options",
               "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {
        **_COMMON_DEFAULTS, "cur_hop_limit": 64, "flags": 0, "router_lifetime": 1800,
                 "reachable_time": 0, "retrans_timer": 0}
    _convert: ClassVar[dict[str, Any]] = {
        **_COMMON, "cur_hop_limit": u8, "flags": flags(RAFlag, 8), "router_lifetime": u16,
                "reachable_time": u32, "retrans_timer": u32}
    cur_hop_limit: int
    flags: RAFlag
    router_lifetime: int
    reachable_time: int
    retrans_timer: int
    options: tuple[NDOption, ...]

    @property
    def preference(self) -> RouterPreference:
        """The Default Router Preference (RFC 4191 2.2)."""
        return RouterPreference((int(self.flags) >> 3) & 3)


@register
class NeighborSolicitation(ICMPv6Message):
    """Neighbor Solicitation: target address and options (RFC 4861 4.3)."""

    __slots__ = ("options", "reserved", "target")
    TYPE = 135
    _body = struct.Struct("!I16s")
    _body_fields = ("reserved", "target")
    _tail = "options"
    _fields = ("target", "options", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {**_COMMON_DEFAULTS, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {**_COMMON, "target": address, "reserved": u32}
    target: IPv6Address
    options: tuple[NDOption, ...]
    reserved: int


@register
class NeighborAdvertisement(ICMPv6Message):
    """Neighbor Advertisement: target, flags (:class:`NAFlag`, the 32-bit field), options (RFC 4861 4.4)."""

    __slots__ = ("flags", "options", "target")
    TYPE = 136
    _body = struct.Struct("!I16s")
    _body_fields = ("flags", "target")
    _tail = "options"
    _fields = ("target", "flags", "options", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {**_COMMON_DEFAULTS, "flags": 0}
    _convert: ClassVar[dict[str, Any]] = {**_COMMON, "target": address, "flags": flags(NAFlag, 32)}
    target: IPv6Address
    flags: NAFlag
    options: tuple[NDOption, ...]


@register
class Redirect(ICMPv6Message):
    """Redirect: better first hop (target) for a destination, options (RFC 4861 4.5)."""

    __slots__ = ("destination", "options", "reserved", "target")
    TYPE = 137
    _body = struct.Struct("!I16s16s")
    _body_fields = ("reserved", "target", "destination")
    _tail = "options"
    _fields = ("target", "destination", "options", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {**_COMMON_DEFAULTS, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {
        **_COMMON, "target": address, "destination": address, "reserved": u32,
    }
    target: IPv6Address
    destination: IPv6Address
    options: tuple[NDOption, ...]
    reserved: int


class _Identified(ICMPv6Message):
    __slots__ = ("identifier", "reserved")
    _body = struct.Struct("!HH")
    _body_fields = ("identifier", "reserved")
    _fields = ("identifier", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"identifier": 0, "reserved": 0, "code": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {"identifier": u16, "reserved": u16, "code": u8, "checksum": u16}
    identifier: int
    reserved: int


@register
class HomeAgentAddressDiscoveryRequest(_Identified):
    """Home Agent Address Discovery Request (RFC 6275 6.5)."""

    __slots__ = ()
    TYPE = 144


@register
class HomeAgentAddressDiscoveryReply(ICMPv6Message):
    """Home Agent Address Discovery Reply: the home agents' addresses (RFC 6275 6.6)."""

    __slots__ = ("addresses", "identifier", "reserved")
    TYPE = 145
    _body = struct.Struct("!HH")
    _body_fields = ("identifier", "reserved")
    _fields = ("identifier", "addresses", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"addresses": (), "reserved": 0, "code": 0, "checksum": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "identifier": u16, "addresses": addresses, "reserved": u16, "code": u8, "checksum": u16,
    }
    identifier: int
    addresses: tuple[IPv6Address, ...]
    reserved: int

    def _tail_bytes(self) -> bytes:
        return b"".join(a.packed for a in self.addresses)

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        if (len(raw) - start) % 16:
            raise MalformedError(f"{len(raw) - start} octets of home agent addresses is not a multiple "
                                 "of 16", start)
        return {"addresses": [raw[i:i + 16] for i in range(start, len(raw), 16)]}


@register
class MobilePrefixSolicitation(_Identified):
    """Mobile Prefix Solicitation (RFC 6275 6.7)."""

    __slots__ = ()
    TYPE = 146


@register
class MobilePrefixAdvertisement(ICMPv6Message):
    """Mobile Prefix Advertisement: flags (:class:`MPAFlag`, 16-bit field), options (RFC 6275 6.8)."""

    __slots__ = ("flags", "identifier", "options")
    TYPE = 147
    _body = struct.Struct("!HH")
    _body_fields = ("identifier", "flags")
    _tail = "options"
    _fields = ("identifier", "flags", "options", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {**_COMMON_DEFAULTS, "flags": 0}
    _convert: ClassVar[dict[str, Any]] = {**_COMMON, "identifier": u16, "flags": flags(MPAFlag, 16)}
    identifier: int
    flags: MPAFlag
    options: tuple[NDOption, ...]
