"""Neighbor Discovery messages (RFC 4861 section 4) and the ICMPv6 messages of Mobile IPv6 (RFC 6275 6.5-6.8).

The ``options`` of each message are :mod:`ND options <sockapi6.icmp6._options>`,
kept in received order (unknown ones included).
"""

from __future__ import annotations

import struct
from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from .._convert import address, addresses, flags, u8, u16, u32
from .._wire import split_addresses
from ._messages import ICMPv6Message
from ._options import options_of, parse_options

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


class _WithOptions(ICMPv6Message):
    """A message whose fixed fields are followed by ND options (RFC 4861 4.6)."""

    __slots__ = ("options",)
    _tail = "options"
    _defaults: ClassVar[dict[str, Any]] = {"options": ()}
    _convert: ClassVar[dict[str, Any]] = {"options": options_of}
    options: tuple[NDOption, ...]

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        return {"options": parse_options(raw, start)}


class RouterSolicitation(_WithOptions, number=133):
    """Router Solicitation (RFC 4861 4.1)."""

    __slots__ = ("reserved",)
    _body = struct.Struct("!I")
    _body_fields = ("reserved",)
    _fields = ("options", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"reserved": u32}
    reserved: int


class RouterAdvertisement(_WithOptions, number=134):
    """Router Advertisement (RFC 4861 4.2): hop limit, flags (:class:`RAFlag`, the whole byte),
    router lifetime in seconds, reachable time and retransmission timer in milliseconds, options."""

    __slots__ = ("cur_hop_limit", "flags", "reachable_time", "retrans_timer", "router_lifetime")
    _body = struct.Struct("!BBHII")
    _body_fields = ("cur_hop_limit", "flags", "router_lifetime", "reachable_time", "retrans_timer")
    _fields = ("cur_hop_limit", "flags", "router_lifetime", "reachable_time", "retrans_timer", "options",
               "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {
        "cur_hop_limit": 64, "flags": 0, "router_lifetime": 1800, "reachable_time": 0, "retrans_timer": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "cur_hop_limit": u8, "flags": flags(RAFlag, 8), "router_lifetime": u16,
                "reachable_time": u32, "retrans_timer": u32}
    cur_hop_limit: int
    flags: RAFlag
    router_lifetime: int
    reachable_time: int
    retrans_timer: int

    @property
    def preference(self) -> RouterPreference:
        """The Default Router Preference (RFC 4191 2.2)."""
        return RouterPreference((int(self.flags) >> 3) & 3)


class NeighborSolicitation(_WithOptions, number=135):
    """Neighbor Solicitation: target address and options (RFC 4861 4.3)."""

    __slots__ = ("reserved", "target")
    _body = struct.Struct("!I16s")
    _body_fields = ("reserved", "target")
    _fields = ("target", "options", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"target": address, "reserved": u32}
    target: IPv6Address
    reserved: int


class NeighborAdvertisement(_WithOptions, number=136):
    """Neighbor Advertisement: target, flags (:class:`NAFlag`, the 32-bit field), options (RFC 4861 4.4)."""

    __slots__ = ("flags", "target")
    _body = struct.Struct("!I16s")
    _body_fields = ("flags", "target")
    _fields = ("target", "flags", "options", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"flags": 0}
    _convert: ClassVar[dict[str, Any]] = {"target": address, "flags": flags(NAFlag, 32)}
    target: IPv6Address
    flags: NAFlag


class Redirect(_WithOptions, number=137):
    """Redirect: better first hop (target) for a destination, options (RFC 4861 4.5)."""

    __slots__ = ("destination", "reserved", "target")
    _body = struct.Struct("!I16s16s")
    _body_fields = ("reserved", "target", "destination")
    _fields = ("target", "destination", "options", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"target": address, "destination": address, "reserved": u32}
    target: IPv6Address
    destination: IPv6Address
    reserved: int


class _Identified(ICMPv6Message):
    """The Mobile IPv6 messages that start with an identifier and 16 reserved bits (RFC 6275 6.5-6.7)."""

    __slots__ = ("identifier", "reserved")
    _body = struct.Struct("!HH")
    _body_fields = ("identifier", "reserved")
    _fields = ("identifier", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"identifier": 0, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"identifier": u16, "reserved": u16}
    identifier: int
    reserved: int


class HomeAgentAddressDiscoveryRequest(_Identified, number=144):
    """Home Agent Address Discovery Request (RFC 6275 6.5)."""

    __slots__ = ()


class HomeAgentAddressDiscoveryReply(ICMPv6Message, number=145):
    """Home Agent Address Discovery Reply: the home agents' addresses (RFC 6275 6.6)."""

    __slots__ = ("addresses", "identifier", "reserved")
    _body = _Identified._body
    _body_fields = _Identified._body_fields
    _tail = "addresses"
    _fields = ("identifier", "addresses", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"addresses": (), "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {**_Identified._convert, "addresses": addresses}
    identifier: int
    addresses: tuple[IPv6Address, ...]
    reserved: int

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        return {"addresses": split_addresses(raw[start:], start, "home agent addresses")}


class MobilePrefixSolicitation(_Identified, number=146):
    """Mobile Prefix Solicitation (RFC 6275 6.7)."""

    __slots__ = ()


class MobilePrefixAdvertisement(_WithOptions, number=147):
    """Mobile Prefix Advertisement: flags (:class:`MPAFlag`, 16-bit field), options (RFC 6275 6.8)."""

    __slots__ = ("flags", "identifier")
    _body = _Identified._body
    _body_fields = ("identifier", "flags")
    _fields = ("identifier", "flags", "options", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"flags": 0}
    _convert: ClassVar[dict[str, Any]] = {"identifier": u16, "flags": flags(MPAFlag, 16)}
    identifier: int
    flags: MPAFlag
