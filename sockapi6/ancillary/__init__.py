"""Ancillary data (control messages) as value objects: RFC 3542 sections 4-6, 11-13, 20.

Each item knows its wire form: ``item.to_cmsg() -> (level, type, bytes)`` and
``Class.from_cmsg(level, type, data)``.  :func:`parse_ancillary` turns the
list that :meth:`socket.socket.recvmsg` returns into items through **one**
table, ``(level, type) -> decoder``, built from this OS's constants (an
option the OS lacks is simply not in it).  What the table does not know
becomes :class:`UnknownControlMessage`; bytes that do not decode raise
:class:`~sockapi6.errors.MalformedError`.

Items (RFC 3542 section 6 unless noted):

* :class:`PacketInfo` -- ``IPV6_PKTINFO`` (and ``IP_PKTINFO``, RFC 2292's
  ``IPV6_2292PKTINFO``): destination address and arrival interface on
  receipt, source address and outgoing interface on send (section 6.1-6.2);
* :class:`HopLimit` (``IPV6_HOPLIMIT``, ``IP_TTL``; 6.3), :class:`TrafficClass`
  (``IPV6_TCLASS``, ``IP_TOS``; 6.5), :class:`NextHop` (6.4),
  :class:`PathMTU` (``IPV6_PATHMTU``, an ``ip6_mtuinfo``; section 11);
* extension headers (section 4): ``IPV6_HOPOPTS`` / ``IPV6_DSTOPTS`` /
  ``IPV6_RTHDR`` decode to the header objects of :mod:`sockapi6.exthdr`
  and :mod:`sockapi6.routing`; ``IPV6_RTHDRDSTOPTS`` (destination options
  *before* a routing header) to :class:`RoutingDestinationOptions`, a
  wrapper that is also how one asks ``sendmsg`` for that placement;
* Linux: :class:`OriginalDestination` (``IPV6_ORIGDSTADDR``) and
  :class:`ExtendedError` (``IPV6_RECVERR`` / ``IP_RECVERR``);
* Linux offload and socket-level items: :class:`UDPSegment` (``UDP_SEGMENT``,
  GSO on send), :class:`GROSegmentSize` (``UDP_GRO`` as received),
  :class:`Timestamp` (``SCM_TIMESTAMPNS``), :class:`Timestamping`
  (``SCM_TIMESTAMPING``), :class:`DropCount` (``SO_RXQ_OVFL``);
* :class:`ECN` (RFC 3168 section 5), the two low bits of the traffic class.

On a dual-stack socket (``IPV6_V6ONLY`` off) IPv4 traffic arrives with
IPv4-mapped addresses or IPv4-level items; both are shown through the same
views with :class:`ipaddress.IPv4Address` (the real peer, RFC 3493 section
3.7).  Hop limit and traffic class 0 are values, never "absent"; -1 asks
the kernel for its default on send (RFC 3542 section 6.3, 6.5).

Addresses come out as :class:`ipaddress.IPv6Address` with a numeric scope
where the address needs one (design rule 5); a :class:`PacketInfo` with a
link-local destination carries its ``ifindex`` as the scope.

The package's submodules are private, one concern each: the item base
(``_item``), packet info (``_pktinfo``), the one-integer items (``_ints``),
the socket-address items (``_addresses``), Linux's error queue
(``_errqueue``), extension headers (``_headers``), the decoder table
(``_table``) and ``CMSG_LEN`` / ``CMSG_SPACE`` (``_sizes``).
"""

from __future__ import annotations

# not public, kept for the tests: the platform, its cmsg alignment, the decoder table
from .._binding import PLATFORM as PLATFORM
from ._addresses import NextHop, OriginalDestination, PathMTU
from ._ecn import ECN
from ._errqueue import ErrorOrigin, ExtendedError
from ._flowinfo import FlowInfo
from ._headers import RoutingDestinationOptions
from ._ints import HopLimit, TrafficClass
from ._item import AncillaryItem, UnknownControlMessage
from ._offload import GROSegmentSize, UDPSegment
from ._pktinfo import PacketInfo
from ._sizes import _ALIGN as _ALIGN
from ._sizes import CMSG_LEN, CMSG_SPACE
from ._table import _DECODERS as _DECODERS
from ._table import cmsg_name, from_cmsg, parse_ancillary, to_cmsg
from ._timestamps import DropCount, Timestamp, Timestamping

__all__ = [
    "CMSG_LEN",
    "CMSG_SPACE",
    "AncillaryItem",
    "PacketInfo",
    "HopLimit",
    "TrafficClass",
    "NextHop",
    "PathMTU",
    "OriginalDestination",
    "ExtendedError",
    "ErrorOrigin",
    "FlowInfo",
    "RoutingDestinationOptions",
    "UnknownControlMessage",
    "UDPSegment",
    "GROSegmentSize",
    "ECN",
    "Timestamp",
    "Timestamping",
    "DropCount",
    "parse_ancillary",
    "from_cmsg",
    "to_cmsg",
    "cmsg_name",
]
