"""The one table ``(level, type) -> decoder`` (RFC 3542 sections 4-6, 11; RFC 2292 numbers) and the
functions that use it: :func:`parse_ancillary`, :func:`from_cmsg`, :func:`to_cmsg`, :func:`cmsg_name`.

The table is built from this OS's constants: an option the OS lacks is
simply not in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._binding import CONSTANTS as _C
from .._checks import check_int
from ._addresses import (
    NextHop,
    OriginalDestination,
    PathMTU,
    _decode_nexthop,
    _decode_origdst,
    _decode_pathmtu,
)
from ._ecn import TOS_RECEIVE_TYPE
from ._errqueue import ExtendedError, _decode_error
from ._flowinfo import FlowInfo, _decode_flowinfo
from ._headers import (
    RoutingDestinationOptions,
    _decode_dstopts,
    _decode_hopopts,
    _decode_rthdr,
    _decode_rthdrdstopts,
    _header_send_types,
)
from ._ints import HopLimit, TrafficClass, _int_decoder, _small_int_decoder
from ._item import AncillaryItem, UnknownControlMessage
from ._offload import GROSegmentSize, UDPSegment, _decode_gro, _decode_segment
from ._pktinfo import PacketInfo, _decode_pktinfo4, _decode_pktinfo6
from ._timestamps import (
    DropCount,
    Timestamp,
    Timestamping,
    _decode_dropped,
    _decode_timestamping,
    _decode_timestampns,
)
from ._wire import _IPPROTO_IPV6

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from .._types import AncillaryData, AncillaryInput, Buffer
    from ._wire import Cmsg, Decoder

__all__ = ["parse_ancillary", "from_cmsg", "to_cmsg", "cmsg_name"]

_decode_hoplimit = _int_decoder(HopLimit)
_decode_tclass = _int_decoder(TrafficClass)

#: (level constant, type constant, decoder, class decoded to, ReceivedMessage shortcut or "")
_SPEC: tuple[tuple[str, str, Decoder, Any, str], ...] = (
    ("IPPROTO_IPV6", "IPV6_PKTINFO", _decode_pktinfo6, PacketInfo, "pktinfo"),
    ("IPPROTO_IPV6", "IPV6_HOPLIMIT", _decode_hoplimit, HopLimit, "hoplimit"),
    ("IPPROTO_IPV6", "IPV6_TCLASS", _decode_tclass, TrafficClass, "tclass"),
    ("IPPROTO_IPV6", "IPV6_HOPOPTS", _decode_hopopts, None, "hopopts"),
    ("IPPROTO_IPV6", "IPV6_DSTOPTS", _decode_dstopts, None, "dstopts"),
    ("IPPROTO_IPV6", "IPV6_RTHDRDSTOPTS", _decode_rthdrdstopts, RoutingDestinationOptions, "rthdrdstopts"),
    ("IPPROTO_IPV6", "IPV6_RTHDR", _decode_rthdr, None, "rthdr"),
    ("IPPROTO_IPV6", "IPV6_NEXTHOP", _decode_nexthop, NextHop, "nexthop"),
    ("IPPROTO_IPV6", "IPV6_PATHMTU", _decode_pathmtu, PathMTU, "path_mtu"),
    ("IPPROTO_IPV6", "IPV6_ORIGDSTADDR", _decode_origdst, OriginalDestination, "original_destination"),
    ("IPPROTO_IPV6", "IPV6_RECVERR", _decode_error, ExtendedError, "error"),
    ("IPPROTO_IPV6", "IPV6_FLOWINFO", _decode_flowinfo, FlowInfo, ""),
    # IPv4 traffic on a dual-stack socket (RFC 3493 section 3.7)
    ("IPPROTO_IP", "IP_PKTINFO", _decode_pktinfo4, PacketInfo, "pktinfo"),
    ("IPPROTO_IP", "IP_TTL", _small_int_decoder(HopLimit), HopLimit, "hoplimit"),
    ("IPPROTO_IP", "IP_TOS", _small_int_decoder(TrafficClass), TrafficClass, "tclass"),
    ("IPPROTO_IP", "IP_RECVERR", _decode_error, ExtendedError, "error"),
    # RFC 2292 numbers (radvd's fallback), decoded the same way
    ("IPPROTO_IPV6", "IPV6_2292PKTINFO", _decode_pktinfo6, PacketInfo, "pktinfo"),
    ("IPPROTO_IPV6", "IPV6_2292HOPLIMIT", _decode_hoplimit, HopLimit, "hoplimit"),
    ("IPPROTO_IPV6", "IPV6_2292HOPOPTS", _decode_hopopts, None, "hopopts"),
    ("IPPROTO_IPV6", "IPV6_2292DSTOPTS", _decode_dstopts, None, "dstopts"),
    ("IPPROTO_IPV6", "IPV6_2292RTHDR", _decode_rthdr, None, "rthdr"),
    ("IPPROTO_IPV6", "IPV6_2292NEXTHOP", _decode_nexthop, NextHop, "nexthop"),
    # offload, timestamps, drops (Linux udp(7), socket(7)); an IPv4 TOS where the OS names it apart
    ("SOL_UDP", "UDP_GRO", _decode_gro, GROSegmentSize, "gro"),
    ("SOL_UDP", "UDP_SEGMENT", _decode_segment, UDPSegment, ""),
    ("SOL_SOCKET", "SCM_TIMESTAMPNS", _decode_timestampns, Timestamp, "timestamp_ns"),
    ("SOL_SOCKET", "SCM_TIMESTAMPING", _decode_timestamping, Timestamping, "timestamping"),
    ("SOL_SOCKET", "SO_RXQ_OVFL", _decode_dropped, DropCount, "dropped"),
    ("IPPROTO_IP", TOS_RECEIVE_TYPE, _small_int_decoder(TrafficClass), TrafficClass, "tclass"),
)


def _build_tables() -> tuple[dict[tuple[int, int], Decoder], dict[tuple[int, int], Any],
                             dict[tuple[int, int], tuple[str, Decoder]], dict[tuple[int, int], str]]:
    decoders: dict[tuple[int, int], Decoder] = {}
    owners: dict[tuple[int, int], Any] = {}
    shortcuts: dict[tuple[int, int], tuple[str, Decoder]] = {}
    names: dict[tuple[int, int], str] = {}
    for level_name, type_name, decoder, owner, shortcut in _SPEC:
        level, type_ = _C.get(level_name), _C.get(type_name)
        if level is None or type_ is None or (level, type_) in decoders:
            continue  # absent on this OS (or, defensively, a number already taken)
        decoders[level, type_] = decoder
        owners[level, type_] = owner
        names[level, type_] = type_name
        if shortcut:
            shortcuts[level, type_] = (shortcut, decoder)
    return decoders, owners, shortcuts, names


_DECODERS, _OWNERS, _SHORTCUTS, _NAMES = _build_tables()


def cmsg_name(level: int, type: int) -> str:
    """The C name of a control message type (``"IPV6_PKTINFO"``), or ``"level L type T"``."""
    return _NAMES.get((level, type), f"level {level} type {type}")


def from_cmsg(level: int, type: int, data: Buffer) -> AncillaryData:
    """Decode one control message into its item (or :class:`UnknownControlMessage`).

    Raises :class:`~sockapi6.errors.MalformedError` when the data does not fit its type.
    """
    raw = bytes(memoryview(data))  # bytes(4) would be four zero bytes, not a TypeError
    decoder = _DECODERS.get((level, type))
    if decoder is None:
        return UnknownControlMessage(level, type, raw)
    return decoder(level, type, raw)  # type: ignore[no-any-return]


def parse_ancillary(ancdata: Iterable[tuple[int, int, Buffer]]) -> list[AncillaryData]:
    """Turn :meth:`socket.socket.recvmsg`'s ancillary list into items, in order (RFC 3542 section 20).

    ``IPV6_PKTINFO`` -> :class:`PacketInfo`, ``IPV6_HOPLIMIT`` ->
    :class:`HopLimit`, ``IPV6_HOPOPTS`` -> ``HopByHopOptions``, ...; anything
    else -> :class:`UnknownControlMessage`.  Bad data:
    :class:`~sockapi6.errors.MalformedError`.
    """
    decoders = _DECODERS
    out: list[AncillaryData] = []
    for level, type_, data in ancdata:
        # bytes(memoryview(...)): bytes(4) would be four zero bytes, not a TypeError
        raw = data if type(data) is bytes else bytes(memoryview(data))
        decoder = decoders.get((level, type_))
        item = UnknownControlMessage(level, type_, raw) if decoder is None else decoder(level, type_, raw)
        out.append(item)
    return out


def to_cmsg(item: AncillaryInput) -> Cmsg:
    """``(level, type, data)`` of anything ``sendmsg`` accepts as ancillary data (RFC 3542 section 6).

    An item of this module, an extension-header object (``HopByHopOptions``
    -> ``IPV6_HOPOPTS``, ``DestinationOptions`` -> ``IPV6_DSTOPTS``,
    ``RoutingHeader`` / ``SegmentRoutingHeader`` -> ``IPV6_RTHDR``; wrap in
    :class:`RoutingDestinationOptions` for ``IPV6_RTHDRDSTOPTS``), or a raw
    ``(level, type, bytes)`` tuple.
    """
    if isinstance(item, AncillaryItem):
        return item.to_cmsg()
    if isinstance(item, tuple):
        if len(item) != 3:
            raise ValueError(f"a raw control message is (level, type, data), got {len(item)} items")
        level, type_, data = item
        check_int(level, -0x80000000, 0x7FFFFFFF, "level")
        check_int(type_, -0x80000000, 0x7FFFFFFF, "type")
        return level, type_, bytes(memoryview(data))
    for cls, type_ in _header_send_types():
        if isinstance(item, cls):
            return _IPPROTO_IPV6, type_, bytes(item)
    raise TypeError(
        f"{type(item).__name__} is not an ancillary item, extension header or (level, type, data)"
    )
