"""``recvmsg`` and the :class:`ReceivedMessage` it returns (RFC 3542 sections 5-6, 20; RFC 4861 section 6.1).

:func:`recvmsg` sizes the control buffer once, from a table of everything a
socket can be asked to deliver (packet info, hop limit, traffic class, a
full 2 KB hop-by-hop, destination-options and routing header, path MTU,
queued errors, the IPv4 items of a dual-stack socket), so no system call
per packet is spent finding out.  The hot fields (``pktinfo``,
``hoplimit``, ``tclass``) are decoded on receipt in one pass; the other
shortcuts only when asked for.  ``MSG_TRUNC`` / ``MSG_CTRUNC`` are
reported (a flag, plus a warning for lost control data), never lost.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .. import address as _address
from .._binding import CONSTANTS as _C
from .._binding import ffi
from ..ancillary import CMSG_SPACE, PacketInfo, cmsg_name, parse_ancillary
from ..ancillary._ecn import ECN
from ..ancillary._ints import _INT_VALUES
from ..ancillary._offload import _GRO_CACHE
from ..ancillary._pktinfo import _PKTINFO_INTERN
from ..ancillary._table import _SHORTCUTS
from ..errors import MalformedError

if TYPE_CHECKING:
    from typing import Any, Optional, Union

    from .._types import AncillaryData, Cmsg, PeerAddress, ReceivingSocket
    from ..ancillary import ExtendedError, OriginalDestination, PathMTU, Timestamp, Timestamping
    from ..exthdr import DestinationOptions, HopByHopOptions
    from ..routing import RoutingHeader, SegmentRoutingHeader, UnknownRoutingHeader

#: the largest bufsize / ancbufsize: one read returns at most INT_MAX bytes (Linux caps it lower still,
#: Windows' WSARecvMsg counts in an int)
_MAX_READ = 2**31 - 1
_MSG_TRUNC: int = _C.get("MSG_TRUNC", 0)
_MSG_CTRUNC: int = _C.get("MSG_CTRUNC", 0)
_EXTHDR_MAX = 2048  # (255 + 1) * 8: the largest extension header (RFC 8200 section 4)
_SIN6 = ffi.sizeof("struct sockaddr_in6")
_EE = ffi.sizeof("struct sock_extended_err") + _SIN6 if "IPV6_RECVERR" in _C or "IP_RECVERR" in _C else 0

#: what recvmsg makes room for: (constant the OS must have, data bytes, how many)
_CONTROL_TABLE: tuple[tuple[str, int, int], ...] = (
    ("IPV6_PKTINFO", ffi.sizeof("struct in6_pktinfo"), 1),
    ("IPV6_HOPLIMIT", 4, 1),
    ("IPV6_TCLASS", 4, 1),
    ("IPV6_HOPOPTS", _EXTHDR_MAX, 1),
    ("IPV6_DSTOPTS", _EXTHDR_MAX, 2),  # before and after a routing header
    ("IPV6_RTHDR", _EXTHDR_MAX, 1),
    ("IPV6_PATHMTU", ffi.sizeof("struct ip6_mtuinfo") if "IPV6_PATHMTU" in _C else 0, 1),
    ("IPV6_ORIGDSTADDR", _SIN6, 1),
    ("IPV6_RECVERR", _EE, 1),
    ("IP_PKTINFO", 12, 1),
    ("IP_TTL", 4, 1),
    ("IP_TOS", 4, 1),
    ("IP_RECVERR", _EE, 1),
    ("SOL_SOCKET", 64, 2),  # timestamps and the like, if the caller turned them on
    ("SO_RXQ_OVFL", 4, 1),
    ("UDP_GRO", 4, 1),
)

#: bytes of control buffer recvmsg asks for: room for every item above at once
ANCILLARY_BUFFER_SIZE: int = sum(CMSG_SPACE(size) * count for name, size, count in _CONTROL_TABLE
                                 if name in _C)
_ANCBUFSIZE = ANCILLARY_BUFFER_SIZE


class AncillaryTruncatedWarning(RuntimeWarning):
    """The kernel cut control data off (``MSG_CTRUNC``): some ancillary items were lost."""


class AncillaryWarning(RuntimeWarning):
    """A received control message could not be decoded; ``ReceivedMessage.ancillary`` raises the error."""


def _types_of(name: str) -> frozenset[int]:
    return frozenset(type_ for (_level, type_), (shortcut, _dec) in _SHORTCUTS.items() if shortcut == name)


#: shortcut name -> the cmsg types (any level) that may carry it: a cheap first test per item
_SHORTCUT_TYPES: dict[str, frozenset[int]] = {
    name: _types_of(name) for name in {shortcut for shortcut, _dec in _SHORTCUTS.values()}
}
_HOT = ("pktinfo", "hoplimit", "tclass")
#: types of the hot fields' other forms (IPv4 items, RFC 2292 numbers), decoded through the table
_HOT_OTHER_TYPES = frozenset().union(*(_SHORTCUT_TYPES.get(name, frozenset()) for name in _HOT))
_IPPROTO_IPV6: int = _C["IPPROTO_IPV6"]
_IPV6_PKTINFO: int = _C["IPV6_PKTINFO"]
_IPV6_HOPLIMIT: int = _C["IPV6_HOPLIMIT"]
_IPV6_TCLASS: int = _C.get("IPV6_TCLASS", -1)
_new = object.__new__
_ECN_BY_BITS = tuple(ECN)
# bound here: Python 3.11 compiles ``imported_name.method(...)`` as an attribute load (a new
# bound method per call), not as a method call
_pktinfo_interned = _PKTINFO_INTERN.get
_int_value = _INT_VALUES.get
_shortcut_entry = _SHORTCUTS.get
_gro_interned = _GRO_CACHE.get
_SOL_UDP: int = _C.get("SOL_UDP", -1)
_UDP_GRO: int = _C.get("UDP_GRO", -1)


def _shortcut(name: str, doc: str) -> Any:
    """A read-only attribute of :class:`ReceivedMessage`: the first control message of shortcut ``name``,
    decoded, or None."""
    return property(lambda msg: msg._item(name), doc=doc)


class ReceivedMessage:
    """One datagram from :func:`recvmsg` (RFC 3542 section 20: ``msghdr`` and its control data).

    ``data``, ``address`` (the sender, as the standard library's tuple),
    ``flags``; ``ancillary`` (every item, decoded on first use);
    ``pktinfo`` (:class:`~sockapi6.ancillary.PacketInfo`), ``hoplimit`` and
    ``tclass`` (``int``; 0 is a value, None means the item was not
    delivered) -- decoded on receipt, they are the receive path's hot
    fields --; shortcuts decoded when asked: ``hopopts``, ``dstopts``,
    ``rthdr``, ``rthdrdstopts``, ``path_mtu``, ``error``,
    ``original_destination``; ``truncated`` / ``control_truncated`` from
    ``MSG_TRUNC`` / ``MSG_CTRUNC``.  Treat every attribute as read-only.
    """

    # _r: the (data, ancdata, msg_flags, address) tuple of socket.recvmsg; _items: set on first use
    __slots__ = ("_items", "_r", "hoplimit", "pktinfo", "tclass")
    pktinfo: Optional[PacketInfo]
    hoplimit: Optional[int]
    tclass: Optional[int]
    _r: tuple[Any, ...]
    _items: list[Any]

    def __init__(self, data: bytes, address: PeerAddress, flags: int, ancdata: list[Cmsg]) -> None:
        ancdata = [(level, type_, bytes(cdata)) for level, type_, cdata in ancdata]
        # the hot fields are decoded by recvmsg's own code, the one copy (flags 0: no MSG_CTRUNC warning)
        decoded = recvmsg(_Replay((b"", ancdata, 0, None)))
        self._r = (bytes(data), ancdata, flags, address)
        self.pktinfo, self.hoplimit, self.tclass = decoded.pktinfo, decoded.hoplimit, decoded.tclass

    @property
    def data(self) -> bytes:
        """The payload."""
        return self._r[0]  # type: ignore[no-any-return]

    @property
    def address(self) -> PeerAddress:
        """The sender as the standard library gives it: ``(host, port, flowinfo, scope_id)``."""
        return self._r[3]  # type: ignore[no-any-return]

    @property
    def flags(self) -> int:
        """``msg_flags``."""
        return self._r[2]  # type: ignore[no-any-return]

    @property
    def raw_ancillary(self) -> list[Cmsg]:
        """The control messages as :meth:`socket.socket.recvmsg` returned them."""
        return self._r[1]  # type: ignore[no-any-return]

    @property
    def ancillary(self) -> list[AncillaryData]:
        """Every control message decoded (:func:`~sockapi6.ancillary.parse_ancillary`), in order."""
        try:
            return self._items
        except AttributeError:
            items = self._items = parse_ancillary(self._r[1])
            return items

    @property
    def truncated(self) -> bool:
        """``MSG_TRUNC``: the datagram was longer than the buffer; the rest is lost."""
        return bool(self._r[2] & _MSG_TRUNC)

    @property
    def control_truncated(self) -> bool:
        """``MSG_CTRUNC``: control data did not fit; some ancillary items are lost."""
        return bool(self._r[2] & _MSG_CTRUNC)

    @property
    def peer(self) -> Union[IPv6Address, IPv4Address, None]:
        """The sender's address: IPv6 with its numeric scope, or the real IPv4 peer of a mapped address."""
        address = self._r[3]
        if not isinstance(address, tuple):
            return None
        return _address.from_sockaddr_tuple(address, unmap=True)[0]

    def _item(self, name: str) -> Any:
        """Decode the first control message that the shortcut ``name`` reads, or None."""
        types = _SHORTCUT_TYPES.get(name, ())
        for level, type_, data in self._r[1]:
            if type_ in types:
                found = _shortcut_entry((level, type_))
                if found is not None and found[0] == name:
                    return found[1](level, type_, data)
        return None

    if TYPE_CHECKING:  # what type checkers see of the shortcuts below
        @property
        def hopopts(self) -> Optional[HopByHopOptions]: ...
        @property
        def dstopts(self) -> Optional[DestinationOptions]: ...
        @property
        def rthdr(self) -> Union[RoutingHeader, SegmentRoutingHeader, UnknownRoutingHeader, None]: ...
        @property
        def path_mtu(self) -> Optional[PathMTU]: ...
        @property
        def error(self) -> Optional[ExtendedError]: ...
        @property
        def original_destination(self) -> Optional[OriginalDestination]: ...

    # decoded when asked for, from the first control message that carries each (RFC 3542 sections 4, 11)
    hopopts = _shortcut("hopopts", "The Hop-by-Hop Options header (``IPV6_RECVHOPOPTS``), or None.")
    dstopts = _shortcut("dstopts", "The (first) Destination Options header (``IPV6_RECVDSTOPTS``), or None.")
    rthdr = _shortcut("rthdr", "The routing header (``IPV6_RECVRTHDR``), or None.")
    path_mtu = _shortcut("path_mtu", "A :class:`~sockapi6.ancillary.PathMTU` (``IPV6_RECVPATHMTU``) or None.")
    error = _shortcut("error", "An :class:`~sockapi6.ancillary.ExtendedError` (``MSG_ERRQUEUE``), or None.")
    original_destination = _shortcut(
        "original_destination", "An :class:`~sockapi6.ancillary.OriginalDestination` (Linux), or None.")

    @property
    def rthdrdstopts(self) -> Optional[DestinationOptions]:
        """Destination options before a routing header, where the OS tells them apart, or None."""
        item = self._item("rthdrdstopts")
        return None if item is None else item.header

    @property
    def gro_segment_size(self) -> Optional[int]:
        """Bytes per datagram of a buffer the kernel coalesced (``UDP_GRO``, Linux udp(7)), or None."""
        item = self._item("gro")
        return None if item is None else item.size

    def segments(self) -> list[memoryview]:
        """The datagrams in :attr:`data`: views of ``gro_segment_size`` bytes (the last may be shorter)
        where the kernel coalesced several (GRO), else one view of the whole; nothing is copied."""
        view = memoryview(self._r[0])
        size = None
        for level, type_, cdata in self._r[1]:
            if type_ == _UDP_GRO and level == _SOL_UDP:
                item = _gro_interned(cdata)
                size = item.size if item is not None else self.gro_segment_size
                break
        if size is None or len(view) <= size:
            return [view]
        return [view[i:i + size] for i in range(0, len(view), size)]

    @property
    def ecn(self) -> Optional[ECN]:
        """The ECN codepoint (RFC 3168 section 5) from the traffic class / IPv4 TOS, or None if neither
        was delivered (``recv_tclass`` / ``recv_tos`` off)."""
        tclass = self.tclass
        return None if tclass is None else _ECN_BY_BITS[tclass & 3]

    @property
    def timestamp(self) -> Optional[Timestamp]:
        """When the kernel received the datagram (``SO_TIMESTAMPNS``, or the software stamp of
        ``SO_TIMESTAMPING``), or None."""
        item = self._item("timestamp_ns")
        if item is None:
            stamps = self._item("timestamping")
            return None if stamps is None else stamps.timestamp
        return item  # type: ignore[no-any-return]

    @property
    def timestamping(self) -> Optional[Timestamping]:
        """The ``SO_TIMESTAMPING`` stamps (received datagrams, or a sent one on the error queue), or None."""
        return self._item("timestamping")  # type: ignore[no-any-return]

    @property
    def dropped(self) -> Optional[int]:
        """Datagrams the socket has dropped so far (``SO_RXQ_OVFL`` on), or None."""
        item = self._item("dropped")
        return None if item is None else item.value

    @property
    def hop_limit_is_255(self) -> bool:
        """RFC 4861 section 6.1 (ND) / RFC 2710: True only if a hop limit of exactly 255 was delivered."""
        return self.hoplimit == 255

    def __repr__(self) -> str:
        extra = []
        if self.truncated:
            extra.append("truncated")
        if self.control_truncated:
            extra.append("control_truncated")
        tail = f", {', '.join(extra)}" if extra else ""
        return (f"<ReceivedMessage {len(self.data)} bytes from {self.address!r}, "
                f"ancillary={self.ancillary!r}{tail}>")


def _hot_others(others: list[tuple[int, int, bytes]], found: list[Any]) -> list[Any]:
    """The hot fields after decoding their uncommon forms into ``found`` (first come, first kept)."""
    for level, type_, data in others:
        entry = _shortcut_entry((level, type_))
        if entry is None or entry[0] not in _HOT:
            continue
        slot = _HOT.index(entry[0])
        if found[slot] is not None:
            continue
        try:
            item = entry[1](level, type_, data)
        except MalformedError as exc:
            _warn(f"{cmsg_name(level, type_)} not decoded: {exc}", AncillaryWarning, stacklevel=4)
            continue
        found[slot] = item if slot == 0 else item.value
    return found


class _Replay:
    """A socket stand-in whose ``recvmsg`` returns a given result: ``ReceivedMessage(...)`` decodes
    through :func:`recvmsg` with it."""

    __slots__ = ("_result",)

    def __init__(self, result: tuple[Any, ...]) -> None:
        self._result = result

    def recvmsg(self, bufsize: int, ancbufsize: int = 0, flags: int = 0, /) -> tuple[Any, Any, Any, Any]:
        return self._result


def _warn(text: str, category: type, stacklevel: int = 3) -> None:
    import warnings

    warnings.warn(text, category, stacklevel=stacklevel)


def check_hop_limit_255(msg: ReceivedMessage) -> bool:
    """RFC 4861 section 6.1: whether a Neighbor Discovery message arrived with hop limit 255.

    Raises ``ValueError`` if no hop limit was delivered: turn
    ``IPV6_RECVHOPLIMIT`` on, or the check cannot be made (radvd refuses
    such packets too).
    """
    if not isinstance(msg, ReceivedMessage):
        raise TypeError(f"need a ReceivedMessage, not {type(msg).__name__}")
    hoplimit = msg.hoplimit
    if hoplimit is None:
        raise ValueError("no hop limit was delivered: set IPV6_RECVHOPLIMIT on the socket")
    return hoplimit == 255


def _bad_arguments(exc: Exception, sock: Any, bufsize: Any, flags: Any, ancbufsize: Any) -> Exception:
    """What ``sock.recvmsg`` failing with ``exc`` before any system call means, in the contract's terms
    (:mod:`sockapi6.errors`): ``TypeError`` for a non-socket, ``RangeError`` naming the argument."""
    if not callable(getattr(sock, "recvmsg", None)):
        return TypeError(f"need a socket (with recvmsg()), not {type(sock).__name__}")
    from .._checks import check_int

    try:
        check_int(bufsize, 0, _MAX_READ, "bufsize")
        check_int(_ANCBUFSIZE if ancbufsize is None else ancbufsize, 0, _MAX_READ, "ancbufsize")
        check_int(flags, -(2**31), 2**31 - 1, "flags")
    except (TypeError, ValueError) as found:
        return found
    return exc


def recvmsg(sock: ReceivingSocket, bufsize: int = 65535, flags: int = 0,
            ancbufsize: Optional[int] = None) -> ReceivedMessage:
    """Receive one datagram with its ancillary data (RFC 3542 section 5).

    ``ancbufsize`` overrides the control buffer (default
    :data:`ANCILLARY_BUFFER_SIZE`, room for everything at once).  Lost
    control data sets ``control_truncated`` and warns
    (:class:`AncillaryTruncatedWarning`); a datagram longer than
    ``bufsize`` sets ``truncated``.
    """
    try:
        if bufsize > _MAX_READ:  # the kernel returns at most this much: a larger buffer is only allocated
            raise OverflowError
        result = sock.recvmsg(bufsize, _ANCBUFSIZE if ancbufsize is None else ancbufsize, flags)
    except (AttributeError, OverflowError, TypeError) as exc:
        raise _bad_arguments(exc, sock, bufsize, flags, ancbufsize) from None
    msg = _new(ReceivedMessage)
    msg._r = result
    # The hot fields in one pass: the common IPv6 forms (an IPV6_PKTINFO seen before, an int
    # 0..255) cost one dictionary lookup each; the other forms (IPv4, RFC 2292, first sightings)
    # go through the table and fill what those left empty; first come, first kept.  Inline, not a
    # helper: a call is a measurable part of the receive path (ReceivedMessage() comes through here).
    pktinfo = hoplimit = tclass = others = None
    for level, type_, data in result[1]:
        if level == _IPPROTO_IPV6:
            if type_ == _IPV6_PKTINFO:
                if pktinfo is None:
                    pktinfo = _pktinfo_interned(data)
                    if pktinfo is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
            if type_ == _IPV6_HOPLIMIT:
                if hoplimit is None:
                    hoplimit = _int_value(data)
                    if hoplimit is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
            if type_ == _IPV6_TCLASS:
                if tclass is None:
                    tclass = _int_value(data)
                    if tclass is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
        if type_ in _HOT_OTHER_TYPES:
            others = [*(others or ()), (level, type_, data)]
    if others is not None:
        pktinfo, hoplimit, tclass = _hot_others(others, [pktinfo, hoplimit, tclass])
    msg.pktinfo = pktinfo
    msg.hoplimit = hoplimit
    msg.tclass = tclass
    if result[2] and result[2] & _MSG_CTRUNC:  # msg_flags is 0 for nearly every datagram
        _warn(f"control data was truncated (MSG_CTRUNC) with a "
              f"{_ANCBUFSIZE if ancbufsize is None else ancbufsize}-byte control buffer: "
              f"ancillary items were lost ({len(result[1])} kept)", AncillaryTruncatedWarning)
    return msg
