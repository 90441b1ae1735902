"""Multicast Listener Discovery: MLDv1 (RFC 2710 section 3) and MLDv2 (RFC 3810 sections 5.1-5.2).

A type 130 message of 24 octets is an MLDv1 :class:`MLDQuery`; of 28 or
more an :class:`MLDv2Query` (RFC 3810 8.1); lengths in between do not parse.
"""

from __future__ import annotations

import struct
from enum import IntEnum
from typing import TYPE_CHECKING

from .._convert import address as ipv6
from .._convert import addresses, enum_or_int, int_range, octets, sequence_of, u8, u16
from .._wire import REQUIRED, Family, field, split_addresses, unpack
from ..errors import MalformedError
from ._messages import ICMPv6Message

if TYPE_CHECKING:
    from ipaddress import IPv6Address
    from typing import Any, Callable

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
    max_delay: int = field("H", u16, 0, "Maximum Response Delay in milliseconds (queries; 0 in reports)")
    reserved: int = field("H", u16, 0, "16 reserved bits, zero when sent", quiet=True)
    address: IPv6Address = field("16s", ipv6, REQUIRED, "the multicast address (:: in a general query)")
    _fields = ("address", "max_delay", "reserved", "code", "checksum")


class MLDQuery(_MLDv1, defaults={"address": "::", "max_delay": 10000}):
    """MLDv1 Multicast Listener Query: ``address`` :: for a general query, ``max_delay`` ms (RFC 2710)."""

    __slots__ = ()
    TYPE = 130  # parse() tells it from MLDv2Query by length: _Query below


class MLDReport(_MLDv1, number=131):
    """MLDv1 Multicast Listener Report (RFC 2710 3)."""

    __slots__ = ()


class MLDDone(_MLDv1, number=132):
    """MLDv1 Multicast Listener Done (RFC 2710 3)."""

    __slots__ = ()


def _bits(bits: int) -> Callable[[Any], int]:
    return int_range(0, (1 << bits) - 1, f"{bits}-bit field")


def _sources(value: Any) -> tuple[IPv6Address, ...]:
    found = addresses(value, "sources")
    if len(found) > 0xFFFF:
        raise ValueError(f"{len(found)} addresses are more than the 16-bit Number of Sources holds "
                         "(65535, RFC 3810 5.1.10)")
    return found


_MLDV2_QUERY = struct.Struct("!HH16sBBH")


class MLDv2Query(ICMPv6Message):
    """MLDv2 Query (RFC 3810 5.1): group (:: for general), sources, S flag, QRV, QQIC, Max Resp Code."""

    TYPE = 130
    address: IPv6Address = field("", ipv6, "::", "the multicast address queried (:: for a general query)")
    sources: tuple[IPv6Address, ...] = field("", _sources, (), "the sources queried, at most 65535",
                                             quiet=True)
    max_response_code: int = field("", u16, 10000, "Maximum Response Code (RFC 3810 5.1.3)")
    suppress: bool = field("", bool, False, "the S flag: suppress router-side processing (RFC 3810 5.1.7)")
    qrv: int = field("", _bits(3), 2, "Querier's Robustness Variable, 0..7 (RFC 3810 5.1.8)")
    qqic: int = field("", u8, 125, "Querier's Query Interval Code (RFC 3810 5.1.9)")
    reserved: int = field("", u16, 0, "16 reserved bits, zero when sent", quiet=True)
    resv: int = field("", _bits(4), 0, "4 reserved bits before S, zero when sent", quiet=True)

    def _build(self) -> bytes:
        misc = self.resv << 4 | int(self.suppress) << 3 | self.qrv
        body = _MLDV2_QUERY.pack(self.max_response_code, self.reserved, self.address.packed, misc, self.qqic,
                                 len(self.sources))
        return self._header() + body + b"".join([a.packed for a in self.sources])

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        mrc, reserved, group, misc, qqic, count = unpack(_MLDV2_QUERY, raw, 4, "MLDv2 Query")
        start = 4 + _MLDV2_QUERY.size
        if len(raw) != start + 16 * count:
            raise MalformedError(f"MLDv2 Query says {count} sources ({start + 16 * count} octets) but is "
                                 f"{len(raw)} octets", 26)
        sources = split_addresses(raw[start:], start, "sources")
        return cls._decoded_wire(raw, {
            "address": group, "sources": sources, "max_response_code": mrc, "suppress": bool(misc & 8),
            "qrv": misc & 7, "qqic": qqic, "reserved": reserved, "resv": misc >> 4,
            "code": raw[1], "checksum": (raw[2] << 8) | raw[3]})


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


def _aux_data(value: Any) -> bytes:
    raw = octets(value, "aux_data")
    if len(raw) % 4 or len(raw) > 255 * 4:
        raise ValueError(f"{len(raw)} octets: aux data is a multiple of 4 octets, at most 1020 "
                         "(RFC 3810 5.2.6)")
    return raw


_RECORD = struct.Struct("!BBH16s")


class MLDv2Record(Family, family=True):
    """One Multicast Address Record of an MLDv2 Report (RFC 3810 5.2.4): type, group, sources, aux data.

    Two records are equal when their bytes are.
    """

    record_type: int = field("", enum_or_int(RecordType, 8), REQUIRED, "the Record Type "
                             "(:class:`RecordType`, RFC 3810 5.2.5)")
    address: IPv6Address = field("", ipv6, REQUIRED, "the multicast address (RFC 3810 5.2.8)")
    sources: tuple[IPv6Address, ...] = field("", _sources, (), "the source addresses, at most 65535",
                                             quiet=True)
    aux_data: bytes = field("", _aux_data, b"", "Auxiliary Data: a multiple of 4 octets, at most 1020",
                            quiet=True)

    def _build(self) -> bytes:
        head = _RECORD.pack(self.record_type, len(self.aux_data) // 4, len(self.sources), self.address.packed)
        return (head
                + b"".join([a.packed for a in self.sources]) + self.aux_data)


def _records(value: Any) -> tuple[MLDv2Record, ...]:
    found = _record_tuple(value)
    if len(found) > 0xFFFF:
        raise ValueError(f"{len(found)} records are more than the 16-bit Nr of Mcast Address Records holds "
                         "(65535, RFC 3810 5.2.3)")
    return found


_record_tuple = sequence_of(MLDv2Record, "MLDv2 records")
_REPORT = struct.Struct("!HH")


class MLDv2Report(ICMPv6Message, number=143):
    """MLDv2 Multicast Listener Report, type 143: multicast address records (RFC 3810 5.2)."""

    records: tuple[MLDv2Record, ...] = field("", _records, (), "the Multicast Address Records, at most 65535",
                                             quiet=True, decode=False)
    reserved: int = field("", u16, 0, "16 reserved bits, zero when sent", quiet=True)

    def _build(self) -> bytes:
        return (self._header() + _REPORT.pack(self.reserved, len(self.records))
                + b"".join([r._wire for r in self.records]))

    @classmethod
    def _from_wire(cls, raw: bytes) -> ICMPv6Message:
        reserved, count = unpack(_REPORT, raw, 4, "MLDv2 Report")
        records: list[MLDv2Record] = []
        offset = 8
        for _ in range(count):
            kind, aux, nsrc, group = unpack(_RECORD, raw, offset, "MLDv2 address record")
            size = _RECORD.size + 16 * nsrc + 4 * aux
            if offset + size > len(raw):
                raise MalformedError(f"MLDv2 address record of {size} octets overruns the report", offset)
            src = offset + _RECORD.size
            records.append(_record(raw[offset:offset + size], {
                "record_type": kind, "address": group,
                "sources": split_addresses(raw[src:src + 16 * nsrc], src, "sources"),
                "aux_data": raw[src + 16 * nsrc:offset + size]}))
            offset += size
        if offset != len(raw):
            raise MalformedError(f"{len(raw) - offset} octets follow the {count} records", offset)
        return cls._decoded_wire(raw, {"records": tuple(records), "reserved": reserved, "code": raw[1],
                                       "checksum": (raw[2] << 8) | raw[3]})


_record = MLDv2Record._decoded_wire
