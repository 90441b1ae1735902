"""The option table of :mod:`sockapi6.sockopt`: every option sockapi6 knows, one row each.

A row names the Python attribute, the C level and option (numbers from
``sockapi6.lib``: an option this OS does not define has no row in
:data:`TABLE`), its codec and where it is specified: RFC 3493 section 5,
RFC 3542 sections 3-11, RFC 5014 section 6, and the Linux/BSD options a port
of odhcpd needs.
"""

from __future__ import annotations

from enum import IntFlag
from typing import TYPE_CHECKING

from .._binding import CONSTANTS
from .._value import ValueObject
from ._codecs import (
    _Bool,
    _Codec,
    _DeviceName,
    _ExtHeader,
    _Filter,
    _Flags,
    _Int,
    _Interface,
    _NextHop,
    _PacketInfo,
    _PathMTU,
    _RouterAlert,
)

if TYPE_CHECKING:
    from typing import Any, Callable

_PREFERENCE_NAMES = ("HOME", "COA", "TMP", "PUBLIC", "CGA", "NONCGA", "PUBTMP_DEFAULT")

if TYPE_CHECKING:
    class AddressPreference(IntFlag):
        """RFC 5014 section 5 source address preference flags (``IPV6_PREFER_SRC_*``)."""

        HOME: int
        COA: int
        TMP: int
        PUBLIC: int
        CGA: int
        NONCGA: int
        PUBTMP_DEFAULT: int
else:
    AddressPreference = IntFlag(
        "AddressPreference",
        {n: CONSTANTS[f"IPV6_PREFER_SRC_{n}"] for n in _PREFERENCE_NAMES
         if f"IPV6_PREFER_SRC_{n}" in CONSTANTS},
        module="sockapi6.sockopt",
    )
    AddressPreference.__doc__ = (
        "RFC 5014 section 5 source address preference flags (IPV6_PREFER_SRC_*), "
        "with this OS's values; members the OS lacks are absent."
    )




class OptionSpec(ValueObject):
    """One row of :data:`TABLE`: an option this OS defines.

    ``name`` (the attribute), ``level_name``/``option_name`` (C names),
    ``level``/``number`` (this OS's values), ``kind`` (what the attribute
    holds), ``rfc`` (where it is specified), ``readonly``, ``deletable``.
    Immutable; equal when every field but the codec object is.
    """

    __slots__ = ("codec", "level", "level_name", "name", "note", "number", "option_name", "rfc")
    name: str
    level_name: str
    option_name: str
    level: int
    number: int
    codec: _Codec
    rfc: str
    note: str

    def __init__(self, name: str, level_name: str, option_name: str, codec: _Codec, rfc: str,
                 note: str = "") -> None:
        if not all(isinstance(text, str) for text in (name, level_name, option_name, rfc, note)):
            raise TypeError("OptionSpec: name, level_name, option_name, rfc and note are str")
        if not isinstance(codec, _Codec):
            raise TypeError(f"OptionSpec: codec must be a sockopt codec, not {type(codec).__name__}")
        for c_name in (level_name, option_name):
            if c_name not in CONSTANTS:
                raise ValueError(f"OptionSpec: {c_name!r} is not a constant of this OS")
        for attr, value in (("name", name), ("level_name", level_name), ("option_name", option_name),
                            ("level", CONSTANTS[level_name]), ("number", CONSTANTS[option_name]),
                            ("codec", codec), ("rfc", rfc), ("note", note)):
            object.__setattr__(self, attr, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("OptionSpec is immutable")

    def _key(self) -> tuple[Any, ...]:
        return (self.name, self.level_name, self.option_name, self.level, self.number, self.kind,
                self.readonly, self.rfc, self.note)

    def _args(self) -> tuple[Any, ...]:
        return (self.name, self.level_name, self.option_name, self.codec, self.rfc, self.note)

    @property
    def kind(self) -> str:
        """What the attribute holds: ``bool``, ``int``, ``interface``, ``header``, ``PacketInfo``, ..."""
        return self.codec.kind

    @property
    def readonly(self) -> bool:
        """Whether the option can only be read (``path_mtu``)."""
        return self.codec.readonly

    @property
    def deletable(self) -> bool:
        """Whether ``del opts.<name>`` resets it (sticky headers, pktinfo, icmp6_filter, ...)."""
        return self.codec.cleared is not None or type(self.codec).reset is not _Codec.reset

    def __repr__(self) -> str:
        return (f"<OptionSpec {self.name}: {self.level_name}/{self.option_name} "
                f"({self.level}/{self.number}), {self.kind}, {self.rfc}>")


_V6 = "IPPROTO_IPV6"
_BOOL = _Bool()
_HOPS = _Int(-1, 255)


def _options_header(cls: str) -> Callable[[], _Codec]:
    """The codec maker of a sticky Hop-by-Hop or Destination Options header (RFC 3542 sections 8-9)."""
    return lambda: _ExtHeader(".exthdr", (cls,), f"{cls}.parse")


_RAW_NOTE = "IPV6_CHECKSUM applies to raw sockets only (RFC 3542 section 3.1)"

#: (name, level, option, codec, RFC section, note) -- every option sockapi6 knows, on any OS
_ROWS: tuple[tuple[str, str, str, Callable[[], _Codec], str, str], ...] = (
    ("v6only", _V6, "IPV6_V6ONLY", lambda: _BOOL, "RFC 3493 section 5.3", ""),
    ("unicast_hops", _V6, "IPV6_UNICAST_HOPS", lambda: _HOPS, "RFC 3493 section 5.1", ""),
    ("multicast_hops", _V6, "IPV6_MULTICAST_HOPS", lambda: _HOPS, "RFC 3493 section 5.2", ""),
    ("multicast_loop", _V6, "IPV6_MULTICAST_LOOP", lambda: _BOOL, "RFC 3493 section 5.2", ""),
    ("multicast_if", _V6, "IPV6_MULTICAST_IF", _Interface, "RFC 3493 section 5.2", ""),
    ("recv_pktinfo", _V6, "IPV6_RECVPKTINFO", lambda: _BOOL, "RFC 3542 section 6.1", ""),
    ("recv_hoplimit", _V6, "IPV6_RECVHOPLIMIT", lambda: _BOOL, "RFC 3542 section 6.3", ""),
    ("recv_tclass", _V6, "IPV6_RECVTCLASS", lambda: _BOOL, "RFC 3542 section 6.5", ""),
    ("recv_rthdr", _V6, "IPV6_RECVRTHDR", lambda: _BOOL, "RFC 3542 sections 4 and 7", ""),
    ("recv_hopopts", _V6, "IPV6_RECVHOPOPTS", lambda: _BOOL, "RFC 3542 sections 4 and 8", ""),
    ("recv_dstopts", _V6, "IPV6_RECVDSTOPTS", lambda: _BOOL, "RFC 3542 sections 4 and 9", ""),
    ("recv_pathmtu", _V6, "IPV6_RECVPATHMTU", lambda: _BOOL, "RFC 3542 section 11.3", ""),
    ("checksum", _V6, "IPV6_CHECKSUM", lambda: _Int(-1, 65535), "RFC 3542 section 3.1",
     _RAW_NOTE + "; use this one (the RFC's level) on raw sockets of any protocol but ICMPv6"),
    ("raw_checksum", "SOL_RAW", "IPV6_CHECKSUM", lambda: _Int(-1, 65535), "Linux raw(7)",
     _RAW_NOTE + "; the same option at Linux's SOL_RAW level, as odhcpd sets it; ICMPv6 sockets need "
     "neither (the kernel always computes that checksum)"),
    ("tclass", _V6, "IPV6_TCLASS", lambda: _HOPS, "RFC 3542 section 6.5", ""),
    ("dontfrag", _V6, "IPV6_DONTFRAG", lambda: _BOOL, "RFC 3542 section 11.2", ""),
    ("use_min_mtu", _V6, "IPV6_USE_MIN_MTU", lambda: _Int(-1, 1), "RFC 3542 section 11.1", ""),
    ("pktinfo", _V6, "IPV6_PKTINFO", _PacketInfo, "RFC 3542 section 6.1", ""),
    ("nexthop", _V6, "IPV6_NEXTHOP", _NextHop, "RFC 3542 section 6.4", ""),
    ("hopopts", _V6, "IPV6_HOPOPTS", _options_header("HopByHopOptions"),
     "RFC 3542 sections 4 and 8.2", ""),
    ("dstopts", _V6, "IPV6_DSTOPTS", _options_header("DestinationOptions"),
     "RFC 3542 sections 4 and 9.2", ""),
    ("rthdrdstopts", _V6, "IPV6_RTHDRDSTOPTS", _options_header("DestinationOptions"),
     "RFC 3542 sections 4 and 9.2", ""),
    # RFC 4584 section 5 names IPV6_MIPDSTOPTS but no OS numbers it: the row is
    # absent everywhere, so using it raises NotSupportedError naming the OS.
    ("mipdstopts", _V6, "IPV6_MIPDSTOPTS", _options_header("DestinationOptions"),
     "RFC 4584 section 5", "no OS assigns it a number"),
    ("rthdr", _V6, "IPV6_RTHDR",
     lambda: _ExtHeader(".routing", ("RoutingHeader", "SegmentRoutingHeader"), "parse_routing_header"),
     "RFC 3542 sections 4 and 7", ""),
    ("path_mtu", _V6, "IPV6_PATHMTU", _PathMTU, "RFC 3542 section 11.4", "the socket must be connected"),
    ("icmp6_filter", "IPPROTO_ICMPV6", "ICMP6_FILTER", _Filter, "RFC 3542 section 3.2",
     "ICMPv6 raw sockets only"),
    ("addr_preferences", _V6, "IPV6_ADDR_PREFERENCES", lambda: _Flags(AddressPreference),
     "RFC 5014 section 6", ""),
    ("recv_orig_dstaddr", _V6, "IPV6_RECVORIGDSTADDR", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("recv_err", _V6, "IPV6_RECVERR", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("mtu_discover", _V6, "IPV6_MTU_DISCOVER", lambda: _Int(0, 5), "Linux ipv6(7)", ""),
    ("freebind", _V6, "IPV6_FREEBIND", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("transparent", _V6, "IPV6_TRANSPARENT", lambda: _BOOL, "Linux ipv6(7)", ""),
    ("bind_to_device", "SOL_SOCKET", "SO_BINDTODEVICE", _DeviceName, "Linux socket(7)", ""),
    ("reuseaddr", "SOL_SOCKET", "SO_REUSEADDR", lambda: _BOOL, "POSIX setsockopt()", ""),
    ("reuseport", "SOL_SOCKET", "SO_REUSEPORT", lambda: _BOOL, "BSD / Linux socket(7)", ""),
    # ---- daemon parity (issue 10): what FRR, BIRD, mcproxy, pim6d, iputils set
    ("minhopcount", _V6, "IPV6_MINHOPCOUNT", lambda: _Int(0, 255), "RFC 5082 (GTSM); Linux ipv6(7)",
     "TCP segments arriving with a lower hop limit are dropped, SYNs included (Linux checks TCP only)"),
    ("multicast_all", _V6, "IPV6_MULTICAST_ALL", lambda: _BOOL, "Linux ipv6(7)",
     "off: deliver only the groups this socket joined (FRR pim6d)"),
    ("router_alert", _V6, "IPV6_ROUTER_ALERT", _RouterAlert, "RFC 2711; Linux ipv6(7)",
     "IPPROTO_RAW sockets only: a selector (the Router Alert value to receive, e.g. 0 for MLD) "
     "registers the socket, -1 unregisters it; a second registration gives EADDRINUSE"),
    ("hdrincl", _V6, "IPV6_HDRINCL", lambda: _BOOL, "Linux raw(7)",
     "raw sockets only: the application writes the IPv6 header (IPPROTO_RAW sockets always do)"),
    ("mtu", _V6, "IPV6_MTU", lambda: _Int(0, 0x7FFFFFFF), "Linux ipv6(7)",
     "writing sets the fragment size (0 or at least 1280); reading needs a connected socket "
     "(ENOTCONN otherwise) and gives the route's path MTU, not what was written"),
    ("recv_err_rfc4884", _V6, "IPV6_RECVERR_RFC4884", lambda: _BOOL, "RFC 4884; Linux ipv6(7)",
     "queued ICMPv6 errors carry the RFC 4884 extension offset"),
    ("autoflowlabel", _V6, "IPV6_AUTOFLOWLABEL", lambda: _BOOL, "RFC 6437; Linux ipv6(7), KAME",
     "reading gives the effective setting (the net.ipv6.auto_flowlabels default until written)"),
    ("flowinfo_send", _V6, "IPV6_FLOWINFO_SEND", lambda: _BOOL, "Linux ipv6(7)",
     "send the flow label and traffic class of sin6_flowinfo (the label must be held: "
     "sockapi6.flowlabel)"),
    ("recv_flowinfo", _V6, "IPV6_FLOWINFO", lambda: _BOOL, "Linux ipv6(7)",
     "deliver a FlowInfo item with each datagram whose flow label or traffic class is non-zero"),
    # offload, ECN of IPv4 peers, kernel timestamps, drop counters
    ("udp_segment", "SOL_UDP", "UDP_SEGMENT", lambda: _Int(0, 65535), "Linux udp(7)",
     "sticky GSO segment size for every send (0: off); send_segments() sets it per send"),
    ("udp_gro", "SOL_UDP", "UDP_GRO", lambda: _BOOL, "Linux udp(7)",
     "receive coalesced datagrams (up to 64 KiB per receive): read them with ReceivedMessage.segments()"),
    ("recv_tos", "IPPROTO_IP", "IP_RECVTOS", lambda: _BOOL, "Linux ip(7), BSD ip(4)",
     "the TOS octet (and ECN bits) of IPv4 datagrams, IPv4-mapped ones of a dual-stack socket included"),
    ("timestamp_ns", "SOL_SOCKET", "SO_TIMESTAMPNS", lambda: _BOOL, "Linux socket(7)",
     "a Timestamp (ns) with every datagram"),
    ("timestamping", "SOL_SOCKET", "SO_TIMESTAMPING", lambda: _Int(0, 0x7FFFFFFF),
     "Linux Documentation/networking/timestamping.rst", "SOF_TIMESTAMPING_* flags"),
    ("rxq_ovfl", "SOL_SOCKET", "SO_RXQ_OVFL", lambda: _BOOL, "Linux socket(7)",
     "the count of dropped datagrams (ReceivedMessage.dropped), once non-zero"),
)

#: every option name sockapi6 knows, present on this OS or not
ALL_NAMES: tuple[str, ...] = tuple(r[0] for r in _ROWS)
_C_NAMES: dict[str, str] = {r[0]: r[2] for r in _ROWS}

#: the rows this OS defines, by name (an option whose level or number the OS lacks has no row)
TABLE: dict[str, OptionSpec] = {
    name: OptionSpec(name, level, option, make(), rfc, note)
    for name, level, option, make, rfc, note in _ROWS
    if level in CONSTANTS and option in CONSTANTS
}
