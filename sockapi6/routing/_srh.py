"""The Segment Routing Header, routing type 4 (RFC 8754 section 2)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from .._convert import address_list, int_in, slot_setter, u8, u16
from .._extheader import NO_NEXT_HEADER, address_octets, set_wire
from .._wire import REQUIRED, field
from ..errors import MalformedError
from ._base import RoutingBase, routing_header
from ._tlvs import SRH_TLVS

if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv6Address
    from typing import Any

    from .._convert import AddressLike
    from ._tlvs import SRHTLV

__all__ = ["SegmentRoutingHeader"]

_SRH_HEAD = struct.Struct("!BBBBBBH")
#: how errors name the class
_W = "routing.SegmentRoutingHeader"


class SegmentRoutingHeader(RoutingBase):
    """A Segment Routing Header, routing type 4 (RFC 8754 section 2).

    ``segments`` is the Segment List **in wire order**: ``segments[0]`` is
    the last segment of the path, ``segments[-1]`` the first (RFC 8754
    section 4.1).  ``segments_left`` defaults to ``len(segments) - 1`` and
    may be up to ``len(segments)`` (a reduced SRH); Last Entry is always
    ``len(segments) - 1`` (the ``last_entry`` argument, if given, must say
    so).  ``flags`` (8 bits) and ``tag`` (16 bits) are sent as given.
    ``tlvs`` follow the Segment List; with ``autopad`` each is aligned as
    its type requires (HMAC 8n) and the header padded to 8 octets with PadN
    TLVs only (Linux refuses Pad1); with ``autopad=False`` the TLVs are
    written as given and only the final padding is added.  Like every
    routing header it equals another exactly when their wire bytes are equal.
    """

    __slots__ = ("_autopad", "_segments", "_tlvs")

    _segments: tuple[IPv6Address, ...] | None  # made when first read
    _tlvs: tuple[SRHTLV, ...]
    _autopad: bool

    TYPE = 4
    segments: tuple[IPv6Address, ...] = field("", None, REQUIRED, "the Segment List in wire order: "
                                              "segments[0] is the last segment of the path")
    segments_left: int = field("", None, None, "index of the active segment (default "
                                      "len(segments) - 1)")
    last_entry: int | None = field("", None, None, "index of the last segment: len(segments) - 1 "
                                   "(checked when given)", quiet=True)
    flags: int = field("", u8, 0, "the 8-bit Flags field", quiet=True)
    tag: int = field("", u16, 0, "the 16-bit Tag", quiet=True)
    tlvs: tuple[SRHTLV, ...] = field("", None, (), "the TLVs after the Segment List", quiet=True)
    next_header: int = field("", u8, NO_NEXT_HEADER, "the Next Header octet", quiet=True)
    autopad: bool = field("", bool, True, "whether bytes() aligns the TLVs and pads with PadN "
                          "(False: the TLVs are the whole layout)", quiet=True)

    def __init__(self, segments: Iterable[AddressLike], segments_left: int | None = None,
                 last_entry: int | None = None, flags: int = 0, tag: int = 0, tlvs: Iterable[SRHTLV] = (),
                 next_header: int = NO_NEXT_HEADER, autopad: bool = True) -> None:
        raw = address_octets(segments, "routing.SegmentRoutingHeader: segments")
        n = len(raw) >> 4
        if not 1 <= n <= 127:
            raise ValueError(f"{_W}: segments must hold 1..127 addresses, not {n}")
        le = n - 1
        if last_entry is not None and int_in(last_entry, 0, 255,
                                             "routing.SegmentRoutingHeader: last_entry") != le:
            raise ValueError(f"{_W}: last_entry must be len(segments) - 1 = {le}, not {last_entry}")
        sl = le if segments_left is None else int_in(segments_left, 0, le + 1,
                                                     "routing.SegmentRoutingHeader: segments_left")
        tl = SRH_TLVS.items(tlvs, "routing.SegmentRoutingHeader: tlvs")
        fl = int_in(flags, 0, 255, "routing.SegmentRoutingHeader: flags")
        tg = int_in(tag, 0, 0xFFFF, "routing.SegmentRoutingHeader: tag")
        nh = int_in(next_header, 0, 255, "routing.SegmentRoutingHeader: next_header")
        pad = bool(autopad)
        wire = bytearray(8)
        wire += raw
        SRH_TLVS.encode(wire, tl, pad, _W)
        _SRH_HEAD.pack_into(wire, 0, nh, len(wire) // 8 - 1, 4, sl, le, fl, tg)
        self._fill(bytes(wire), tl, pad, None)

    def _fill(self, wire: bytes, tlvs: tuple[SRHTLV, ...], autopad: bool,
              segments: tuple[IPv6Address, ...] | None) -> None:
        set_wire(self, wire)
        _set_tlvs(self, tlvs)
        _set_autopad(self, autopad)
        _set_segments(self, segments)

    def _get_segments(self) -> tuple[IPv6Address, ...]:
        segs = self._segments
        if segs is None:
            segs = address_list(self._wire[8:8 + 16 * (self._wire[4] + 1)])
            _set_segments(self, segs)
        return segs

    def _get_segments_left(self) -> int:
        return self._wire[3]

    def _get_last_entry(self) -> int:
        return self._wire[4]

    def _get_flags(self) -> int:
        return self._wire[5]

    def _get_tag(self) -> int:
        return _TAG.unpack_from(self._wire, 6)[0]  # type: ignore[no-any-return]

    def _get_tlvs(self) -> tuple[SRHTLV, ...]:
        return self._tlvs

    def _get_autopad(self) -> bool:
        return self._autopad

    @classmethod
    def parse(cls, data: bytes, keep_padding: bool = False) -> SegmentRoutingHeader:
        """Read one whole SRH, keeping its bytes: ``bytes(SegmentRoutingHeader.parse(d)) == d``.

        The TLVs leave out the padding when it is what the layout rule writes;
        otherwise, or with ``keep_padding``, they are every TLV on the wire,
        padding included, with ``autopad=False``.

        :class:`MalformedError` for a wrong routing type, a Last Entry or
        Segments Left beyond the Segment List (RFC 8754 section 4.3.1.1), or a
        TLV running past the header (section 2.1).
        """
        buf = routing_header(data, cls.__name__)
        _, _, t, sl, le, _, _ = _SRH_HEAD.unpack_from(buf)
        if t != 4:
            raise MalformedError(f"routing type {t} is not 4 (SRH)", 2)
        tlv_start = 8 + 16 * (le + 1)
        if tlv_start > len(buf):
            raise MalformedError(f"Last Entry {le} needs {tlv_start} octets, the header has {len(buf)}", 4)
        if sl > le + 1:
            raise MalformedError(f"Segments Left {sl} exceeds Last Entry + 1 = {le + 1}", 3)
        full, lean = SRH_TLVS.read(buf, tlv_start, None, 0, not keep_padding)
        obj = object.__new__(cls)  # every field is checked above: skip the constructor's checks
        if lean is None:
            obj._fill(buf, full, False, None)
        else:
            obj._fill(buf, lean, True, None)
        return obj

    def _shown(self) -> tuple[str, ...]:
        """``repr`` leaves out Last Entry: it follows from the segments."""
        return tuple(f for f in super()._shown() if f != "last_entry")

    def _args(self) -> tuple[Any, ...]:
        w = self._wire
        return (self.segments, w[3], None, w[5], self.tag, self._tlvs, w[0], self._autopad)


_TAG = struct.Struct("!H")
_set_segments = slot_setter(SegmentRoutingHeader, "_segments")
_set_tlvs = slot_setter(SegmentRoutingHeader, "_tlvs")
_set_autopad = slot_setter(SegmentRoutingHeader, "_autopad")
