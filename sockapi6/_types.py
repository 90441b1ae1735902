"""Types for annotations: what a socket parameter needs, what a buffer is, what ``recvmsg`` returns.

For type checkers (``mypy --strict`` on user code): the modules of sockapi6
import this under ``TYPE_CHECKING`` only, so nothing here costs import time.
A ``socket.socket`` satisfies every protocol below; so does any object with
the same methods (structural typing, PEP 544).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Protocol, Union

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv4Address, IPv6Address

    from typing_extensions import Buffer as Buffer

    from .ancillary import ECN, AncillaryItem
    from .exthdr import DestinationOptions, HopByHopOptions
    from .routing import RoutingHeader, SegmentRoutingHeader, UnknownRoutingHeader
else:  # at run time (typing_extensions may be absent): what the buffer protocol covers in practice
    try:
        from collections.abc import Buffer
    except ImportError:  # Python < 3.12
        Buffer = Union[bytes, bytearray, memoryview]

__all__ = [
    "AncillaryData", "AncillaryInput", "BatchMessage", "Buffer", "Cmsg", "Data", "Destination", "HasFileno",
    "MessageSocket", "PeerAddress", "ReceivingSocket", "SendingSocket",
]

#: one control message as the standard library's ``recvmsg`` returns it: ``(level, type, data)``
Cmsg = tuple[int, int, bytes]

#: the sender as the standard library gives it on an IP socket: ``(host, port, flowinfo, scope_id)``
#: for IPv6, ``(host, port)`` for IPv4 (``(family, bytes)`` for another family in a batch receive).
#: A tuple of unspecified items, so that ``host, port, flowinfo, scope = msg.address`` and
#: ``msg.address[0]`` type-check as they run
PeerAddress = tuple[Any, ...]

#: where ``sendmsg`` sends: None (connected), an address object, text, 16 bytes, or a tuple
#: ``(host, port[, flowinfo, scope_id])``; every :data:`PeerAddress` of an IP socket is one
Destination = Union["IPv6Address", "IPv4Address", str, bytes, tuple[Any, ...], None]


class HasFileno(Protocol):
    """Anything with a descriptor: what socket options and multicast calls need."""

    def fileno(self) -> int: ...


class ReceivingSocket(Protocol):
    """What :func:`sockapi6.recvmsg` needs: the standard library's ``recvmsg``."""

    def recvmsg(self, bufsize: int, ancbufsize: int = ..., flags: int = ..., /
                ) -> tuple[bytes, list[Cmsg], int, Any]: ...


class SendingSocket(HasFileno, Protocol):
    """What :func:`sockapi6.sendmsg` needs: ``sendmsg``, the address family, the peer."""

    @property
    def family(self) -> int: ...

    def sendmsg(self, buffers: Iterable[Buffer], ancdata: Iterable[tuple[int, int, Buffer]] = ...,
                flags: int = ..., address: Any = ..., /) -> int: ...

    def getpeername(self) -> Any: ...


class MessageSocket(ReceivingSocket, SendingSocket, Protocol):
    """A message socket for batch and asyncio calls: both directions, its descriptor and its timeout."""

    def gettimeout(self) -> Optional[float]: ...


#: a datagram's payload for ``sendmsg``: one buffer, or a sequence of buffers sent as one datagram
Data = Union[Buffer, "Iterable[Buffer]"]

#: what :func:`sockapi6.parse_ancillary` returns per control message: an ancillary item, or the
#: extension header an ``IPV6_HOPOPTS`` / ``IPV6_DSTOPTS`` / ``IPV6_RTHDR`` message carries
AncillaryData = Union["AncillaryItem", "HopByHopOptions", "DestinationOptions", "RoutingHeader",
                      "SegmentRoutingHeader", "UnknownRoutingHeader"]

#: what ``sendmsg`` takes as one ancillary item: any of the above, an ECN codepoint (sent as the traffic
#: class), or a raw ``(level, type, data)``
AncillaryInput = Union[AncillaryData, "ECN", tuple[int, int, Buffer]]

#: one datagram of ``sendmmsg``: ``(data, address, ancillary)``
BatchMessage = tuple[Data, Destination, "Iterable[AncillaryInput]"]
