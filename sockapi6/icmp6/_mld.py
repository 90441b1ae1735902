"""Multicast Listener Discovery: MLDv1 (RFC 2710 section 3) and MLDv2 (RFC 3810 sections 5.1-5.2).

A type 130 message of 24 octets is an MLDv1 :class:`MLDQuery`; of 28 or
more an :class:`MLDv2Query` (RFC 3810 8.1); lengths in between do not parse.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import TYPE_CHECKING

from .._convert import address, addresses, enum_or_int, octets, sequence_of, u8, u16
from .._wire import Value, split_addresses, unpack
from ..errors import MalformedError
from ._messages import ICMPv6Message

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, ClassVar

__all__ = ["MLDQuery", "MLDReport", "MLDDone", "MLDv2Query", "MLDv2Report", "MLDv2Record", "RecordType"]


class RecordType(IntEnum):
    """MLDv2 multicast address record types (RFC 3810 5.2.12)."""

    MODE_IS_INCLUDE = 1
    MODE_IS_EXCLUDE = 2
    CHANGE_TO_INCLUDE = 3
    CHANGE_TO_EXCLUDE = 4
    ALLOW_NEW_SOURCES = 5
    BLOCK_OLD_SOURCES = 6


class _MLDv1(ICMPv6Message):
    __slots__ = ("address", "max_delay", "reserved")
    _body = struct.Struct("!HH16s")
    _body_fields = ("max_delay", "reserved", "address")
    _fields = ("address", "max_delay", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"max_delay": 0, "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {"address": address, "max_delay": u16, "reserved": u16}
    address: IPv6Address
    max_delay: int
    reserved: int


class MLDQuery(_MLDv1):
    """MLDv1 Multicast Listener Query: ``address`` :: for a general query, ``max_delay`` ms (RFC 2710)."""

    __slots__ = ()
    TYPE = 130  # parse() tells it from MLDv2Query by length: _Query below
    _defaults: ClassVar[dict[str, Any]] = {"address": "::", "max_delay": 10000}


class MLDReport(_MLDv1, number=131):
    """MLDv1 Multicast Listener Report (RFC 2710 3)."""

    __slots__ = ()


class MLDDone(_MLDv1, number=132):
    """MLDv1 Multicast Listener Done (RFC 2710 3)."""

    __slots__ = ()


class MLDv2Query(ICMPv6Message):
    """MLDv2 Query (RFC 3810 5.1): group (:: for general), sources, S flag, QRV, QQIC, Max Resp Code."""

    __slots__ = ("address", "max_response_code", "qqic", "qrv", "reserved", "resv", "sources", "suppress")
    TYPE = 130
    _body = struct.Struct("!HH16sBBH")
    _tail = "sources"
    _fields = ("address", "sources", "max_response_code", "suppress", "qrv", "qqic", "reserved", "resv",
               "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {
        "address": "::", "sources": (), "max_response_code": 10000, "suppress": False, "qrv": 2,
        "qqic": 125, "reserved": 0, "resv": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "address": address, "sources": addresses, "max_response_code": u16, "suppress": bool,
        "qrv": u8, "qqic": u8, "reserved": u16, "resv": u8}
    address: IPv6Address
    sources: tuple[IPv6Address, ...]
    max_response_code: int
    suppress: bool
    qrv: int
    qqic: int
    reserved: int
    resv: int

    def _check(self) -> None:
        if self.qrv > 7 or self.resv > 15:
            raise ValueError("qrv is 3 bits and resv 4 bits (RFC 3810 5.1)")
        if len(self.sources) > 0xFFFF:
            raise ValueError("too many sources")

    def __bytes__(self) -> bytes:
        misc = self.resv << 4 | int(self.suppress) << 3 | self.qrv
        body = self._body.pack(self.max_response_code, self.reserved, self.address.packed, misc, self.qqic,
                               len(self.sources))
        return self._header() + body + self._tail_bytes()

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        mrc, reserved, group, misc, qqic, count = unpack(cls._body, raw, 4, "MLDv2 Query")
        start = 4 + cls._body.size
        if len(raw) != start + 16 * count:
            raise MalformedError(f"MLDv2 Query says {count} sources ({start + 16 * count} octets) but is "
                                 f"{len(raw)} octets", 26)
        sources = split_addresses(raw[start:], start, "sources")
        return cls(group, sources, mrc, bool(misc & 8), misc & 7, qqic, reserved, misc >> 4,
                   **cls._received(raw))


class _Query(ICMPv6Message, number=130):
    """Dispatch of type 130 by length (RFC 3810 8.1)."""

    __slots__ = ()

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        if len(raw) == 24:
            return MLDQuery._from_wire(raw)
        if len(raw) >= 28:
            return MLDv2Query._from_wire(raw)
        raise MalformedError(f"a Multicast Listener Query is 24 or at least 28 octets, got {len(raw)}")



class MLDv2Record(Value):
    """One Multicast Address Record of an MLDv2 Report (RFC 3810 5.2.4): type, group, sources, aux data."""

    __slots__ = ("address", "aux_data", "record_type", "sources")
    _fields = ("record_type", "address", "sources", "aux_data")
    _defaults: ClassVar[dict[str, Any]] = {"sources": (), "aux_data": b""}
    _convert: ClassVar[dict[str, Any]] = {
        "record_type": enum_or_int(RecordType, 8), "address": address, "sources": addresses,
        "aux_data": octets}
    record_type: int
    address: IPv6Address
    sources: tuple[IPv6Address, ...]
    aux_data: bytes

    def _check(self) -> None:
        if len(self.aux_data) % 4 or len(self.aux_data) > 255 * 4:
            raise ValueError("aux data is a multiple of 4 octets, at most 1020 (RFC 3810 5.2.6)")

    def __bytes__(self) -> bytes:
        return (struct.pack("!BBH16s", self.record_type, len(self.aux_data) // 4, len(self.sources),
                            self.address.packed)
                + b"".join(a.packed for a in self.sources) + self.aux_data)


class MLDv2Report(ICMPv6Message, number=143):
    """MLDv2 Multicast Listener Report, type 143: multicast address records (RFC 3810 5.2)."""

    __slots__ = ("records", "reserved")
    _tail = "records"
    _fields = ("records", "reserved", "code", "checksum")
    _defaults: ClassVar[dict[str, Any]] = {"records": (), "reserved": 0}
    _convert: ClassVar[dict[str, Any]] = {
        "records": sequence_of(MLDv2Record, "MLDv2 records"), "reserved": u16}
    records: tuple[MLDv2Record, ...]
    reserved: int

    def __bytes__(self) -> bytes:
        return self._header() + struct.pack("!HH", self.reserved, len(self.records)) + self._tail_bytes()

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        reserved, count = unpack(struct.Struct("!HH"), raw, 4, "MLDv2 Report")
        records: list[MLDv2Record] = []
        offset = 8
        head = struct.Struct("!BBH16s")
        for _ in range(count):
            kind, aux, nsrc, group = unpack(head, raw, offset, "MLDv2 address record")
            size = head.size + 16 * nsrc + 4 * aux
            if offset + size > len(raw):
                raise MalformedError(f"MLDv2 address record of {size} octets overruns the report", offset)
            src = offset + head.size
            sources = split_addresses(raw[src:src + 16 * nsrc], src, "sources")
            records.append(MLDv2Record(kind, group, sources, raw[src + 16 * nsrc:offset + size]))
            offset += size
        if offset != len(raw):
            raise MalformedError(f"{len(raw) - offset} octets follow the {count} records", offset)
        return cls(records, reserved, **cls._received(raw))
