"""UDP segmentation offload items: :class:`UDPSegment` (``UDP_SEGMENT``) and :class:`GROSegmentSize`
(``UDP_GRO``), Linux ``udp(7)``.

A send with ``UDPSegment(size)`` hands the kernel one buffer that it cuts
into datagrams of ``size`` bytes (the last may be shorter): GSO.  A socket
with ``UDP_GRO`` on may receive several datagrams of one flow as one
buffer, with their size in a ``UDP_GRO`` control message: GRO.  On the wire
``UDP_SEGMENT`` is a 16-bit integer (4 bytes are refused, EINVAL) and
``UDP_GRO`` a 32-bit one, both in host byte order.
"""

from __future__ import annotations

import struct as _struct
from typing import TYPE_CHECKING

from .._binding import CONSTANTS as _C
from .._checks import check_int
from ..errors import MalformedError
from ._item import AncillaryItem
from ._wire import _INT, _constant, _new, _set

if TYPE_CHECKING:
    from ._wire import Cmsg

__all__ = ["GROSegmentSize", "UDPSegment"]

_U16 = _struct.Struct("=H")
_SOL_UDP: int = _C.get("SOL_UDP", 17)  # IPPROTO_UDP: the level, fixed by IANA


class UDPSegment(AncillaryItem):
    """``UDP_SEGMENT`` (Linux udp(7)): send the buffer as datagrams of ``size`` bytes each (GSO).

    ``size`` is 1..65535; the kernel also refuses a size over the path MTU's
    payload and more segments than it allows per send (64 on older
    kernels, 128 on newer ones).
    """

    __slots__ = {"size": "Bytes of payload per datagram (the last may be shorter)."}
    _fields = ("size",)
    size: int

    def __init__(self, size: int) -> None:
        _set(self, "size", check_int(size, 1, 0xFFFF, "size"))

    def to_cmsg(self) -> Cmsg:
        """``(SOL_UDP, UDP_SEGMENT, uint16)`` in host byte order."""
        return _SOL_UDP, _constant("UDP_SEGMENT"), _U16.pack(self.size)


class GROSegmentSize(AncillaryItem):
    """``UDP_GRO`` as received (Linux udp(7)): the buffer holds datagrams of ``size`` bytes each.

    Only the last datagram of a coalesced buffer may be shorter.
    """

    __slots__ = {"size": "Bytes of payload per datagram in the received buffer."}
    _fields = ("size",)
    size: int

    def __init__(self, size: int) -> None:
        _set(self, "size", check_int(size, 1, 0xFFFF, "size"))

    def to_cmsg(self) -> Cmsg:
        """``(SOL_UDP, UDP_GRO, int)`` in host byte order (as the kernel delivers it)."""
        return _SOL_UDP, _constant("UDP_GRO"), _INT.pack(self.size)


def _decode_segment(level: int, type_: int, data: bytes) -> UDPSegment:
    if len(data) == 2:
        size = _U16.unpack(data)[0]
    elif len(data) == 4:  # what a receiver may see echoed by tools packing an int
        size = _INT.unpack(data)[0]
    else:
        raise MalformedError(f"UDP_SEGMENT data is a 16-bit integer (2 bytes), got {len(data)}")
    if not 1 <= size <= 0xFFFF:
        raise MalformedError(f"UDP_SEGMENT size {size} is out of range 1..65535")
    item = _new(UDPSegment)
    _set(item, "size", size)
    return item


_GRO_CACHE: dict[bytes, GROSegmentSize] = {}


def _decode_gro(level: int, type_: int, data: bytes) -> GROSegmentSize:
    item = _GRO_CACHE.get(data)
    if item is not None:
        return item
    if len(data) != 4:
        raise MalformedError(f"UDP_GRO data is an int (4 bytes), got {len(data)}")
    size = _INT.unpack(data)[0]
    if not 1 <= size <= 0xFFFF:
        raise MalformedError(f"UDP_GRO segment size {size} is out of range 1..65535")
    item = _new(GROSegmentSize)
    _set(item, "size", size)
    if len(_GRO_CACHE) < 1024:
        _GRO_CACHE[data] = item
    return item
