"""``recvmsg`` / ``sendmsg`` with typed ancillary data (RFC 3542 sections 5-6; RFC 3493 section 5).

:func:`recvmsg` sizes the control buffer once, from a table of everything a
socket can be asked to deliver (packet info, hop limit, traffic class, a
full 2 KB hop-by-hop, destination-options and routing header, path MTU,
queued errors, the IPv4 items of a dual-stack socket), so no system call
per packet is spent finding out.  It returns a :class:`ReceivedMessage`
whose shortcuts decode only what is asked for, and which reports
``MSG_TRUNC`` / ``MSG_CTRUNC`` (a flag, plus a warning for lost control
data) instead of losing data silently.

:func:`sendmsg` takes the ancillary items of :mod:`sockapi6.ancillary`,
extension-header objects or raw ``(level, type, data)`` tuples, and data as
one buffer or a sequence of buffers sent as one datagram (odhcpd builds its
replies from iovecs).  Sending to an IPv4 peer (an ``IPv4Address``, or
IPv4-mapped, on a dual-stack socket) turns ``PacketInfo`` / ``HopLimit`` /
``TrafficClass`` into ``IP_PKTINFO`` / ``IP_TTL`` / ``IP_TOS``: the kernel
ignores IPv6-level items on IPv4 datagrams.
"""

from __future__ import annotations

import errno as _errno
import socket as _socket
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from . import address as _address
from ._binding import CONSTANTS as _C
from ._binding import PLATFORM, ffi
from .ancillary import (
    _INT_VALUES,
    _MAPPED,
    _PKTINFO_INTERN,
    _SHORTCUTS,
    CMSG_SPACE,
    PacketInfo,
    _IntItem,
    cmsg_name,
    parse_ancillary,
    to_cmsg,
)
from .errors import MalformedError, NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, Optional, Union

    from .ancillary import Cmsg

__all__ = [
    "ANCILLARY_BUFFER_SIZE",
    "AncillaryTruncatedWarning",
    "AncillaryWarning",
    "ReceivedMessage",
    "check_hop_limit_255",
    "recvmsg",
    "sendmsg",
]

_MSG_TRUNC: int = _C.get("MSG_TRUNC", 0)
_MSG_CTRUNC: int = _C.get("MSG_CTRUNC", 0)
_EXTHDR_MAX = 2048  # (255 + 1) * 8: the largest extension header (RFC 8200 section 4)
_SIN6 = ffi.sizeof("struct sockaddr_in6")

#: what recvmsg makes room for: (constant the OS must have, data bytes, how many)
_CONTROL_TABLE: tuple[tuple[str, int, int], ...] = (
    ("IPV6_PKTINFO", ffi.sizeof("struct in6_pktinfo"), 1),
    ("IPV6_HOPLIMIT", 4, 1),
    ("IPV6_TCLASS", 4, 1),
    ("IPV6_HOPOPTS", _EXTHDR_MAX, 1),
    ("IPV6_DSTOPTS", _EXTHDR_MAX, 2),  # before and after a routing header
    ("IPV6_RTHDR", _EXTHDR_MAX, 1),
    ("IPV6_PATHMTU", ffi.sizeof("struct ip6_mtuinfo"), 1),
    ("IPV6_ORIGDSTADDR", _SIN6, 1),
    ("IPV6_RECVERR", ffi.sizeof("struct sock_extended_err") + _SIN6, 1),
    ("IP_PKTINFO", 12, 1),
    ("IP_TTL", 4, 1),
    ("IP_TOS", 4, 1),
    ("IP_RECVERR", ffi.sizeof("struct sock_extended_err") + _SIN6, 1),
    ("SOL_SOCKET", 64, 2),  # timestamps and the like, if the caller turned them on
)

#: bytes of control buffer recvmsg asks for: room for every item above at once
ANCILLARY_BUFFER_SIZE: int = sum(CMSG_SPACE(size) * count for name, size, count in _CONTROL_TABLE
                                 if name in _C)
_ANCBUFSIZE = ANCILLARY_BUFFER_SIZE


class AncillaryTruncatedWarning(RuntimeWarning):
    """The kernel cut control data off (``MSG_CTRUNC``): some ancillary items were lost."""


class ReceivedMessage:
    """One datagram from :func:`recvmsg`.

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

    def __init__(self, data: bytes, address: Any, flags: int, ancdata: list[tuple[int, int, bytes]]) -> None:
        ancdata = [(level, type_, bytes(cdata)) for level, type_, cdata in ancdata]
        _fill(self, (bytes(data), ancdata, flags, address))

    @property
    def data(self) -> bytes:
        """The payload."""
        return self._r[0]  # type: ignore[no-any-return]

    @property
    def address(self) -> Any:
        """The sender as the standard library gives it: ``(host, port, flowinfo, scope_id)``."""
        return self._r[3]

    @property
    def flags(self) -> int:
        """``msg_flags``."""
        return self._r[2]  # type: ignore[no-any-return]

    @property
    def raw_ancillary(self) -> list[tuple[int, int, bytes]]:
        """The control messages as :meth:`socket.socket.recvmsg` returned them."""
        return self._r[1]  # type: ignore[no-any-return]

    @property
    def ancillary(self) -> list[Any]:
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
                found = _SHORTCUTS.get((level, type_))
                if found is not None and found[0] == name:
                    return found[1](level, type_, data)
        return None

    @property
    def hopopts(self) -> Any:
        """The Hop-by-Hop Options header (``IPV6_RECVHOPOPTS``), or None."""
        return self._item("hopopts")

    @property
    def dstopts(self) -> Any:
        """The (first) Destination Options header (``IPV6_RECVDSTOPTS``), or None."""
        return self._item("dstopts")

    @property
    def rthdrdstopts(self) -> Any:
        """Destination options before a routing header, where the OS tells them apart, or None."""
        item = self._item("rthdrdstopts")
        return None if item is None else item.header

    @property
    def rthdr(self) -> Any:
        """The routing header (``IPV6_RECVRTHDR``), or None."""
        return self._item("rthdr")

    @property
    def path_mtu(self) -> Any:
        """A :class:`~sockapi6.ancillary.PathMTU` (``IPV6_RECVPATHMTU``), or None."""
        return self._item("path_mtu")

    @property
    def error(self) -> Any:
        """An :class:`~sockapi6.ancillary.ExtendedError` (read with ``MSG_ERRQUEUE``), or None."""
        return self._item("error")

    @property
    def original_destination(self) -> Any:
        """An :class:`~sockapi6.ancillary.OriginalDestination` (Linux), or None."""
        return self._item("original_destination")

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


class AncillaryWarning(RuntimeWarning):
    """A received control message could not be decoded; ``ReceivedMessage.ancillary`` raises the error."""


def _hot_other(level: int, type_: int, data: bytes, found: list[Any]) -> None:
    """Decode a hot field in one of its other forms into ``found`` (pktinfo, hoplimit, tclass)."""
    entry = _SHORTCUTS.get((level, type_))
    if entry is None or entry[0] not in _HOT:
        return
    slot = _HOT.index(entry[0])
    if found[slot] is not None:
        return
    try:
        item = entry[1](level, type_, data)
    except MalformedError as exc:
        _warn(f"{cmsg_name(level, type_)} not decoded: {exc}", AncillaryWarning, stacklevel=5)
        return
    found[slot] = item if slot == 0 else item._value


def _fill(msg: ReceivedMessage, result: tuple[Any, ...]) -> ReceivedMessage:
    """Set the message's slots and decode its hot fields, in one pass over the control messages.

    :func:`recvmsg` runs the same code inline (a function call is a measurable part of the
    receive path): keep the two in step.
    """
    msg._r = result
    pktinfo = hoplimit = tclass = others = None
    for level, type_, data in result[1]:
        if level == _IPPROTO_IPV6:
            if type_ == _IPV6_PKTINFO:
                if pktinfo is None:
                    pktinfo = _PKTINFO_INTERN.get(data)
                    if pktinfo is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
            if type_ == _IPV6_HOPLIMIT:
                if hoplimit is None:
                    hoplimit = _INT_VALUES.get(data)
                    if hoplimit is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
            if type_ == _IPV6_TCLASS:
                if tclass is None:
                    tclass = _INT_VALUES.get(data)
                    if tclass is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
        if type_ in _HOT_OTHER_TYPES:
            others = [*(others or ()), (level, type_, data)]
    if others is not None:
        pktinfo, hoplimit, tclass = _fill_others(others, pktinfo, hoplimit, tclass)
    msg.pktinfo = pktinfo
    msg.hoplimit = hoplimit
    msg.tclass = tclass
    return msg


def _fill_others(others: list[tuple[int, int, bytes]], *found: Any) -> list[Any]:
    """The hot fields after decoding their uncommon forms (first come, first kept)."""
    values = list(found)
    for level, type_, data in others:
        _hot_other(level, type_, data, values)
    return values


def _warn(text: str, category: type, stacklevel: int = 3) -> None:
    import warnings

    warnings.warn(text, category, stacklevel=stacklevel)


def check_hop_limit_255(msg: ReceivedMessage) -> bool:
    """RFC 4861 section 6.1: whether a Neighbor Discovery message arrived with hop limit 255.

    Raises ``ValueError`` if no hop limit was delivered: turn
    ``IPV6_RECVHOPLIMIT`` on, or the check cannot be made (radvd refuses
    such packets too).
    """
    hoplimit = msg.hoplimit
    if hoplimit is None:
        raise ValueError("no hop limit was delivered: set IPV6_RECVHOPLIMIT on the socket")
    return hoplimit == 255


def recvmsg(sock: Any, bufsize: int = 65535, flags: int = 0,
            ancbufsize: Optional[int] = None) -> ReceivedMessage:
    """Receive one datagram with its ancillary data (RFC 3542 section 5).

    ``ancbufsize`` overrides the control buffer (default
    :data:`ANCILLARY_BUFFER_SIZE`, room for everything at once).  Lost
    control data sets ``control_truncated`` and warns
    (:class:`AncillaryTruncatedWarning`); a datagram longer than
    ``bufsize`` sets ``truncated``.
    """
    result = sock.recvmsg(bufsize, _ANCBUFSIZE if ancbufsize is None else ancbufsize, flags)
    msg = _new(ReceivedMessage)
    msg._r = result
    # _fill(), inline
    pktinfo = hoplimit = tclass = others = None
    for level, type_, data in result[1]:
        if level == _IPPROTO_IPV6:
            if type_ == _IPV6_PKTINFO:
                if pktinfo is None:
                    pktinfo = _PKTINFO_INTERN.get(data)
                    if pktinfo is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
            if type_ == _IPV6_HOPLIMIT:
                if hoplimit is None:
                    hoplimit = _INT_VALUES.get(data)
                    if hoplimit is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
            if type_ == _IPV6_TCLASS:
                if tclass is None:
                    tclass = _INT_VALUES.get(data)
                    if tclass is None:
                        others = [*(others or ()), (level, type_, data)]
                continue
        if type_ in _HOT_OTHER_TYPES:
            others = [*(others or ()), (level, type_, data)]
    if others is not None:
        pktinfo, hoplimit, tclass = _fill_others(others, pktinfo, hoplimit, tclass)
    msg.pktinfo = pktinfo
    msg.hoplimit = hoplimit
    msg.tclass = tclass
    if result[2] & _MSG_CTRUNC:
        _warn(f"control data was truncated (MSG_CTRUNC) with a "
              f"{_ANCBUFSIZE if ancbufsize is None else ancbufsize}-byte control buffer: "
              f"ancillary items were lost ({len(result[1])} kept)", AncillaryTruncatedWarning)
    return msg


# ---------------------------------------------------------------------------
# sendmsg
# ---------------------------------------------------------------------------

def _buffers(data: Any) -> Sequence[Any]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return (data,)
    if isinstance(data, str):
        raise TypeError("data must be bytes-like or a sequence of bytes-like buffers, not str")
    try:
        memoryview(data)
    except TypeError:
        pass
    else:
        return (data,)
    try:
        buffers = list(data)
    except TypeError:
        raise TypeError(
            f"data must be bytes-like or a sequence of buffers, got {type(data).__name__}"
        ) from None
    for i, buf in enumerate(buffers):
        if isinstance(buf, str):
            raise TypeError(f"buffer {i} is str; bytes-like buffers are needed")
    return buffers


def _split_host_port(text: str) -> tuple[str, int]:
    """``"[addr%scope]:port"`` -> (addr%scope, port); other text is an address with port 0."""
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep:
            raise ValueError(f"{text!r}: missing ']'")
        if not rest:
            return host, 0
        if not rest.startswith(":") or not rest[1:].isdigit():
            raise ValueError(f"{text!r}: expected ']:port' after the address")
        return host, int(rest[1:])
    return text, 0


def _destination(address: Any, family: int) -> tuple[Any, bool]:
    """The standard library's address for ``family`` and whether the peer is IPv4."""
    flowinfo = 0
    if isinstance(address, tuple):
        if len(address) == 2:
            host, port = address
        elif len(address) == 4:
            host, port, flowinfo, scope = address
            if scope:
                host = _address.to_ipv6(host, scope) if not isinstance(host, IPv4Address) else host
        else:
            raise ValueError(f"an address tuple is (host, port) or (host, port, flowinfo, scope_id), "
                             f"got {len(address)} items")
    elif isinstance(address, str):
        host, port = _split_host_port(address)
    else:
        host, port = address, 0
    if isinstance(host, str) and ":" not in host:
        try:
            host = IPv4Address(host)
        except ValueError:
            raise ValueError(f"{host!r} is not an IP address") from None
    if family == _socket.AF_INET:
        if not isinstance(host, IPv4Address):
            unmapped = _address.unmap(host)
            if not isinstance(unmapped, IPv4Address):
                raise ValueError(f"{host} is not an IPv4 address; this is an AF_INET socket")
            host = unmapped
        return (str(host), port), True
    if isinstance(host, IPv4Address):
        return (f"::ffff:{host}", port, flowinfo, 0), True
    v6 = _address.to_ipv6(host)
    return _address.to_sockaddr_tuple(v6, port, flowinfo), v6.packed[:12] == _MAPPED


#: ancillary items each OS defines but its kernel refuses (design.md, kernel facts): sendmsg says so
#: with NotSupportedError instead of a bare EINVAL
_REFUSED_BY_PLATFORM: dict[str, tuple[str, ...]] = {
    "linux_glibc": ("IPV6_NEXTHOP",),
    "linux_musl": ("IPV6_NEXTHOP",),
}
_REFUSED = frozenset((_IPPROTO_IPV6, _C[name]) for name in _REFUSED_BY_PLATFORM.get(PLATFORM, ())
                     if name in _C)


def _peer_is_ipv4(sock: Any) -> bool:
    if sock.family == _socket.AF_INET:
        return True
    try:
        peer = sock.getpeername()
    except OSError:
        return False
    return isinstance(peer, tuple) and isinstance(peer[0], str) and peer[0].lower().startswith("::ffff:") \
        and "." in peer[0]


def _ipv4_cmsg(item: Any) -> Cmsg:
    if isinstance(item, (PacketInfo, _IntItem)):
        return item.to_ipv4_cmsg()
    return to_cmsg(item)


def sendmsg(sock: Any, data: Any, address: Any = None, ancillary: Iterable[Any] = (),
            flags: int = 0) -> int:
    """Send one datagram with ancillary data (RFC 3542 section 6); return the bytes sent.

    ``data``: bytes-like, or a sequence of bytes-like buffers (one datagram).
    ``address``: None (connected socket), an ``IPv6Address``/``IPv4Address``
    or text (port 0, as for raw sockets), ``"[addr%if]:port"``, or a tuple
    ``(host, port[, flowinfo, scope_id])`` whose host may be an address
    object.  ``ancillary``: items of :mod:`sockapi6.ancillary`,
    extension-header objects, or ``(level, type, bytes)`` tuples.
    """
    buffers = _buffers(data)
    items = list(ancillary)
    if address is None:
        ipv4 = any(isinstance(i, (PacketInfo, _IntItem)) for i in items) and _peer_is_ipv4(sock)
        destination = None
    else:
        destination, ipv4 = _destination(address, sock.family)
    convert = _ipv4_cmsg if ipv4 else to_cmsg
    cmsgs = [convert(item) for item in items]
    if _REFUSED:
        for level, type_, _data in cmsgs:
            if (level, type_) in _REFUSED:
                raise NotSupportedError(cmsg_name(level, type_), errno=_errno.EINVAL,
                                        reason="the kernel refuses it as ancillary data")
    if destination is None:
        return sock.sendmsg(buffers, cmsgs, flags)  # type: ignore[no-any-return]
    return sock.sendmsg(buffers, cmsgs, flags, destination)  # type: ignore[no-any-return]

