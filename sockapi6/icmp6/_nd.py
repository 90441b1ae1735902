"""Neighbor Discovery messages (RFC 4861 section 4) and the ICMPv6 messages of Mobile IPv6 (RFC 6275 6.5-6.8).

The ``options`` of each message are :mod:`ND options <sockapi6.icmp6._options>`,
kept in received order (unknown ones included).
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import TYPE_CHECKING

from .._convert import address, addresses, u8, u16, u32
from .._convert import flags as flag_bits
from .._wire import REQUIRED, field, split_addresses
from ._messages import ICMPv6Message
from ._options import options_of, parse_options

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any

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

    options: tuple[NDOption, ...] = field("*", options_of, (), "the ND options, in order", quiet=True,
                                          decode=False)

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        return {"options": parse_options(raw, start)}


class RouterSolicitation(_WithOptions, number=133):
    """Router Solicitation (RFC 4861 4.1)."""

    reserved: int = field("I", u32, 0, "32 reserved bits, zero when sent", quiet=True)
    _fields = ("options", "reserved", "code", "checksum")


class RouterAdvertisement(_WithOptions, number=134):
    """Router Advertisement (RFC 4861 4.2): hop limit, flags (:class:`RAFlag`, the whole byte),
    router lifetime in seconds, reachable time and retransmission timer in milliseconds, options."""

    cur_hop_limit: int = field("B", u8, 64, "the hop limit hosts should use (0: unspecified)")
    flags: RAFlag = field("B", flag_bits(RAFlag, 8), 0, "the flags byte: M, O, H, Prf (bits 0x18), P "
                          "(:class:`RAFlag`)")
    router_lifetime: int = field("H", u16, 1800, "seconds this router is a default router (0: it is not)")
    reachable_time: int = field("I", u32, 0, "milliseconds a neighbor stays reachable (0: unspecified)")
    retrans_timer: int = field("I", u32, 0, "milliseconds between retransmitted Neighbor Solicitations "
                               "(0: unspecified)")
    _fields = ("cur_hop_limit", "flags", "router_lifetime", "reachable_time", "retrans_timer", "options",
               "code", "checksum")

    @property
    def preference(self) -> RouterPreference:
        """The Default Router Preference (RFC 4191 2.2)."""
        return RouterPreference((int(self.flags) >> 3) & 3)


class NeighborSolicitation(_WithOptions, number=135):
    """Neighbor Solicitation: target address and options (RFC 4861 4.3)."""

    reserved: int = field("I", u32, 0, "32 reserved bits, zero when sent", quiet=True)
    target: IPv6Address = field("16s", address, REQUIRED, "the address whose link-layer address is sought")
    _fields = ("target", "options", "reserved", "code", "checksum")


class NeighborAdvertisement(_WithOptions, number=136):
    """Neighbor Advertisement: target, flags (:class:`NAFlag`, the 32-bit field), options (RFC 4861 4.4)."""

    flags: NAFlag = field("I", flag_bits(NAFlag, 32), 0, "R, S, O and the reserved bits: the 32-bit field "
                          "(:class:`NAFlag`)")
    target: IPv6Address = field("16s", address, REQUIRED, "the address being advertised")
    _fields = ("target", "flags", "options", "code", "checksum")


class Redirect(_WithOptions, number=137):
    """Redirect: better first hop (target) for a destination, options (RFC 4861 4.5)."""

    reserved: int = field("I", u32, 0, "32 reserved bits, zero when sent", quiet=True)
    target: IPv6Address = field("16s", address, REQUIRED, "the better first hop")
    destination: IPv6Address = field("16s", address, REQUIRED, "the destination being redirected")
    _fields = ("target", "destination", "options", "reserved", "code", "checksum")


class _Identified(ICMPv6Message):
    """The Mobile IPv6 messages that start with an identifier and 16 reserved bits (RFC 6275 6.5-6.7)."""

    identifier: int = field("H", u16, 0, "matches replies to requests (RFC 6275 6.5)")
    reserved: int = field("H", u16, 0, "16 reserved bits, zero when sent", quiet=True)


class HomeAgentAddressDiscoveryRequest(_Identified, number=144):
    """Home Agent Address Discovery Request (RFC 6275 6.5)."""

    __slots__ = ()


def _ha_addresses(value: Any) -> tuple[IPv6Address, ...]:
    return addresses(value, "addresses")


class HomeAgentAddressDiscoveryReply(_Identified, number=145):
    """Home Agent Address Discovery Reply: the home agents' addresses (RFC 6275 6.6)."""

    addresses: tuple[IPv6Address, ...] = field("*", _ha_addresses, (), "the home agents' addresses, "
                                               "most preferred first", quiet=True)
    _fields = ("identifier", "addresses", "reserved", "code", "checksum")

    @classmethod
    def _tail_values(cls, raw: bytes, start: int) -> dict[str, Any]:
        return {"addresses": split_addresses(raw[start:], start, "home agent addresses")}


class MobilePrefixSolicitation(_Identified, number=146):
    """Mobile Prefix Solicitation (RFC 6275 6.7)."""

    __slots__ = ()


class MobilePrefixAdvertisement(_WithOptions, number=147):
    """Mobile Prefix Advertisement: flags (:class:`MPAFlag`, 16-bit field), options (RFC 6275 6.8)."""

    identifier: int = field("H", u16, 0, "the identifier of the solicitation answered (RFC 6275 6.8)")
    flags: MPAFlag = field("H", flag_bits(MPAFlag, 16), 0, "M, O and the reserved bits: the 16-bit field "
                           "(:class:`MPAFlag`)")
    _fields = ("identifier", "flags", "options", "code", "checksum")
