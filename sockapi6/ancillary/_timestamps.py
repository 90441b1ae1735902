"""Kernel timestamps and drop counters (Linux ``socket(7)``, ``Documentation/networking/timestamping``).

* :class:`Timestamp` -- ``SCM_TIMESTAMPNS`` (``SO_TIMESTAMPNS`` on): when the
  kernel received the datagram, in nanoseconds since the epoch;
* :class:`Timestamping` -- ``SCM_TIMESTAMPING`` (``SO_TIMESTAMPING`` on): the
  software and raw hardware stamps of a received datagram, or of a sent one
  when it comes back on the error queue (matched to its send by the
  ``SOF_TIMESTAMPING_OPT_ID`` counter in the accompanying
  :class:`~sockapi6.ancillary.ExtendedError`'s ``data``);
* :class:`DropCount` -- ``SO_RXQ_OVFL``: datagrams the socket dropped
  (receive buffer full) since it was opened, as a 32-bit counter.

A ``struct timespec`` is two 64-bit integers on 64-bit systems and two
32-bit ones on 32-bit systems with the old time layout: decoded by length.
"""

from __future__ import annotations

import struct as _struct
from typing import TYPE_CHECKING

from .._binding import CONSTANTS as _C
from .._checks import check_int
from ..errors import MalformedError
from ._item import AncillaryItem
from ._wire import _U32, _constant, _new, _set

if TYPE_CHECKING:
    from typing import Optional

    from ._wire import Cmsg

__all__ = ["DropCount", "Timestamp", "Timestamping"]

_SOL_SOCKET: int = _C["SOL_SOCKET"]
_TS64 = _struct.Struct("=qq")
_TS32 = _struct.Struct("=ii")
_NS = 1_000_000_000
_MAX_NS = 2**63 - 1


def _timespec(data: bytes, offset: int, size: int) -> int:
    sec, nsec = (_TS64 if size == 16 else _TS32).unpack_from(data, offset)
    if not 0 <= nsec < _NS:
        raise MalformedError(f"timespec at offset {offset}: tv_nsec {nsec} is out of range 0..999999999")
    return int(sec) * _NS + int(nsec)


def _pack_timespec(ns: int) -> bytes:
    return _TS64.pack(*divmod(ns, _NS))


class Timestamp(AncillaryItem):
    """``SCM_TIMESTAMPNS``: when the kernel received the datagram, in nanoseconds since the epoch."""

    __slots__ = {"nanoseconds": "Nanoseconds since 1970-01-01 UTC (``CLOCK_REALTIME``)."}
    _fields = ("nanoseconds",)
    nanoseconds: int

    def __init__(self, nanoseconds: int) -> None:
        _set(self, "nanoseconds", check_int(nanoseconds, 0, _MAX_NS, "nanoseconds"))

    @property
    def seconds(self) -> float:
        """The same instant as a float of seconds (``time.time()``'s scale; loses sub-microsecond digits)."""
        return self.nanoseconds / _NS

    def to_cmsg(self) -> Cmsg:
        """``(SOL_SOCKET, SCM_TIMESTAMPNS, struct timespec)`` (64-bit layout)."""
        return _SOL_SOCKET, _constant("SCM_TIMESTAMPNS"), _pack_timespec(self.nanoseconds)


class Timestamping(AncillaryItem):
    """``SCM_TIMESTAMPING``: the software and raw hardware stamps (ns since the epoch, None if absent).

    Received datagrams carry it with ``SOF_TIMESTAMPING_RX_SOFTWARE``; a sent
    datagram's stamps come back on the error queue
    (``SOF_TIMESTAMPING_TX_SOFTWARE``), next to an ``ExtendedError`` whose
    ``origin`` is ``TIMESTAMPING``, ``info`` the stamp's kind
    (``SCM_TSTAMP_SND``, ...) and ``data`` the send's ``OPT_ID`` counter.
    """

    __slots__ = {"hardware": "The raw hardware stamp in ns, or None.",
                 "software": "The software stamp in ns, or None."}
    _fields = ("software", "hardware")
    software: Optional[int]
    hardware: Optional[int]

    def __init__(self, software: Optional[int] = None, hardware: Optional[int] = None) -> None:
        for name, value in (("software", software), ("hardware", hardware)):
            _set(self, name, None if value is None else check_int(value, 1, _MAX_NS, name))

    @property
    def timestamp(self) -> Optional[Timestamp]:
        """The software stamp as a :class:`Timestamp` (the hardware one if only that is set), or None."""
        ns = self.software if self.software is not None else self.hardware
        return None if ns is None else _timestamp(ns)

    def to_cmsg(self) -> Cmsg:
        """``(SOL_SOCKET, SCM_TIMESTAMPING, struct scm_timestamping)``: three timespecs, 0 for absent."""
        return (_SOL_SOCKET, _constant("SCM_TIMESTAMPING"),
                _pack_timespec(self.software or 0) + bytes(16) + _pack_timespec(self.hardware or 0))


class DropCount(AncillaryItem):
    """``SO_RXQ_OVFL``: how many datagrams the socket has dropped since it was opened (a 32-bit counter)."""

    __slots__ = {"value": "Datagrams dropped so far (wraps at 2**32)."}
    _fields = ("value",)
    value: int

    def __init__(self, value: int) -> None:
        _set(self, "value", check_int(value, 0, 0xFFFFFFFF, "value"))

    def __int__(self) -> int:
        return self.value

    def to_cmsg(self) -> Cmsg:
        """``(SOL_SOCKET, SO_RXQ_OVFL, uint32)`` in host byte order."""
        return _SOL_SOCKET, _constant("SO_RXQ_OVFL"), _U32.pack(self.value)


def _timestamp(ns: int) -> Timestamp:
    item = _new(Timestamp)
    _set(item, "nanoseconds", ns)
    return item


def _decode_timestampns(level: int, type_: int, data: bytes) -> Timestamp:
    if len(data) not in (8, 16):
        raise MalformedError(f"SCM_TIMESTAMPNS data is a struct timespec (16 or 8 bytes), got {len(data)}")
    ns = _timespec(data, 0, len(data))
    if ns < 0:
        raise MalformedError(f"SCM_TIMESTAMPNS {ns} ns is before the epoch")
    return _timestamp(ns)


def _decode_timestamping(level: int, type_: int, data: bytes) -> Timestamping:
    if len(data) not in (24, 48):
        raise MalformedError(f"SCM_TIMESTAMPING data is three struct timespec (48 or 24 bytes), "
                             f"got {len(data)}")
    size = len(data) // 3
    software, hardware = _timespec(data, 0, size), _timespec(data, 2 * size, size)
    if software < 0 or hardware < 0:
        raise MalformedError("SCM_TIMESTAMPING: a stamp is before the epoch")
    item = _new(Timestamping)
    _set(item, "software", software or None)
    _set(item, "hardware", hardware or None)
    return item


def _decode_dropped(level: int, type_: int, data: bytes) -> DropCount:
    if len(data) != 4:
        raise MalformedError(f"SO_RXQ_OVFL data is a 32-bit counter (4 bytes), got {len(data)}")
    item = _new(DropCount)
    _set(item, "value", _U32.unpack(data)[0])
    return item
