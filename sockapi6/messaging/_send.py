"""``sendmsg`` (RFC 3542 section 6): buffers, destinations and items, IPv4 peers of a dual-stack socket
included (RFC 3493 section 3.7); see :mod:`sockapi6.messaging`."""

from __future__ import annotations

import errno as _errno
import socket as _socket
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from .. import address as _address
from .._binding import CONSTANTS as _C
from .._binding import RECORD
from .._checks import check_int, check_socket
from ..ancillary import PacketInfo, cmsg_name, to_cmsg
from ..ancillary._ecn import ECN, TOS_SEND_SIZE
from ..ancillary._ints import TrafficClass, _IntItem
from ..errors import NotSupportedError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from .._types import AncillaryInput, Data, Destination, SendingSocket
    from ..ancillary._wire import Cmsg

_IPPROTO_IPV6: int = _C["IPPROTO_IPV6"]
#: the C socket's family as an int (socket.socket.family builds an enum member on every read)
_raw_family = _socket.SocketType.family.__get__
_FLOWINFO_MAX = 0xFFFFF  # 20 bits of flow label (RFC 6437); the standard library refuses more


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
    check_int(port, 0, 65535, "port")
    check_int(flowinfo, 0, _FLOWINFO_MAX, "flowinfo")
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
    return _address.to_sockaddr_tuple(v6, port, flowinfo), _address.is_v4mapped(v6)


#: (host text, port[, flowinfo, scope], family) -> _destination's answer, for the standard library's own
#: tuple forms with a numeric scope (a named scope may change its index; those are converted each time)
_DESTINATIONS: dict[tuple[Any, ...], tuple[Any, bool]] = {}


def _cached_destination(address: Any, family: int) -> tuple[Any, bool]:
    """:func:`_destination`, remembered for plain ``(str, int[, int, int])`` tuples: a reply loop sends to
    the same few peers, and parsing the text costs more than the system call."""
    if type(address) is tuple and 2 <= len(address) <= 4 and type(address[0]) is str \
            and "%" not in address[0] and type(address[1]) is int \
            and (len(address) == 2 or (type(address[2]) is int and type(address[-1]) is int)):
        key = (*address, family)
        found = _DESTINATIONS.get(key)
        if found is None:
            found = _destination(address, family)
            if len(_DESTINATIONS) >= 1024:
                _DESTINATIONS.clear()
            _DESTINATIONS[key] = found
        return found
    return _destination(address, family)


def known_destination(sock: Any, address: Any) -> Any:
    """The standard library's address for ``address`` if a send on a socket of ``sock``'s family has
    converted it before (a plain ``(str, int)`` tuple), else None: the send paths' shortcut past
    :func:`prepare` when there is nothing else to convert."""
    if type(address) is tuple and type(sock) is _socket.socket and type(address[1]) is int:
        size = len(address)
        if size == 2 and type(address[0]) is str:
            found = _DESTINATIONS.get((address[0], address[1], _raw_family(sock)))
        elif size == 4 and type(address[0]) is str and type(address[2]) is int and type(address[3]) is int:
            found = _DESTINATIONS.get((*address, _raw_family(sock)))  # a ReceivedMessage.address
        else:
            return None
        if found is not None:
            return found[0]
    return None


#: ancillary items each OS defines but its kernel refuses (design.md, kernel facts): sendmsg says so
#: with NotSupportedError instead of a bare EINVAL
_REFUSED = frozenset((_IPPROTO_IPV6, _C[name]) for name in RECORD.facts.refused_cmsgs
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
        level, type_, data = item.to_ipv4_cmsg()
        if TOS_SEND_SIZE == 1 and isinstance(item, TrafficClass):  # FreeBSD: IP_TOS is one byte
            data = bytes([item.value & 0xFF])
        return level, type_, data
    return to_cmsg(item)


def prepare(sock: SendingSocket, data: Data, address: Destination = None,
            ancillary: Iterable[AncillaryInput] = ()) -> tuple[Sequence[Any], list[Cmsg], Any]:
    """Check and convert one datagram for ``sock``: ``(buffers, cmsgs, destination)``.

    What :func:`sendmsg` hands the standard library's ``socket.sendmsg``
    (``destination`` None on a connected socket); batch sending uses it too.
    """
    if type(sock) is not _socket.socket or sock.fileno() < 0:
        check_socket(sock, "sendmsg")  # a real open socket has sendmsg(): the checks cost a send's time
    buffers = _buffers(data)
    try:
        items = [TrafficClass(int(i)) if isinstance(i, ECN) else i for i in ancillary]
    except TypeError:
        raise TypeError(f"ancillary must be an iterable of items, not {type(ancillary).__name__}") from None
    if address is None:
        ipv4 = any(isinstance(i, (PacketInfo, _IntItem)) for i in items) and _peer_is_ipv4(sock)
        destination = None
    else:
        family = _raw_family(sock) if type(sock) is _socket.socket else sock.family
        destination, ipv4 = _cached_destination(address, family)
    convert = _ipv4_cmsg if ipv4 else to_cmsg
    cmsgs = [convert(item) for item in items]
    if _REFUSED:
        for level, type_, _data in cmsgs:
            if (level, type_) in _REFUSED:
                raise NotSupportedError(cmsg_name(level, type_), errno=_errno.EINVAL,
                                        reason="the kernel refuses it as ancillary data")
    return buffers, cmsgs, destination


def sendmsg(sock: SendingSocket, data: Data, address: Destination = None,
            ancillary: Iterable[AncillaryInput] = (), flags: int = 0) -> int:
    """Send one datagram with ancillary data (RFC 3542 section 6); return the bytes sent.

    ``data``: bytes-like, or a sequence of bytes-like buffers (one datagram).
    ``address``: None (connected socket), an ``IPv6Address``/``IPv4Address``
    or text (port 0, as for raw sockets), ``"[addr%if]:port"``, or a tuple
    ``(host, port[, flowinfo, scope_id])`` whose host may be an address
    object.  ``ancillary``: items of :mod:`sockapi6.ancillary`,
    extension-header objects, or ``(level, type, bytes)`` tuples.
    """
    buffers, cmsgs, destination = prepare(sock, data, address, ancillary)
    check_int(flags, -(2**31), 2**31 - 1, "flags")
    if destination is None:
        return sock.sendmsg(buffers, cmsgs, flags)
    return sock.sendmsg(buffers, cmsgs, flags, destination)
