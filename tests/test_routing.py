"""Routing headers (sockapi6.routing): RFC vectors, round trips, bad input, scapy as an independent decoder.

Vectors are worked out by hand from RFC 8200 section 4.4 / RFC 2460 section
4.4 (type 0), RFC 6275 section 6.4 (type 2) and RFC 8754 sections 2 and 2.1
(type 4, its TLVs and padding).
"""

from __future__ import annotations

import pickle
from ipaddress import IPv6Address
from typing import Any

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sockapi6.errors import MalformedError
from sockapi6.routing import (
    HMACTLV,
    SRHTLV,
    RoutingHeader,
    SegmentRoutingHeader,
    SRHPad1,
    SRHPadN,
    UnknownRoutingHeader,
    parse_routing_header,
)

NAMES = {c.__name__: c for c in (HMACTLV, SRHTLV, RoutingHeader, SegmentRoutingHeader, SRHPad1, SRHPadN,
                                 UnknownRoutingHeader)}
A1, A2, A3 = "2001:db8::1", "2001:db8::2", "2001:db8::3"
P1, P2, P3 = (IPv6Address(a).packed.hex() for a in (A1, A2, A3))

VECTORS: list[tuple[Any, str]] = [
    # type 0: Hdr Ext Len = 2n, Routing Type 0, Segments Left n, 4 reserved octets, the addresses
    (RoutingHeader([A1]), "3b02 0001 00000000" + P1),
    (RoutingHeader([A1, A2, A3], segments_left=2, next_header=17), "1106 0002 00000000" + P1 + P2 + P3),
    (RoutingHeader([]), "3b00 0000 00000000"),
    # type 2 (RFC 6275 section 6.4): Hdr Ext Len 2, Segments Left 1, the home address
    (RoutingHeader([A1], type=2), "3b02 0201 00000000" + P1),
    # SRH (RFC 8754 section 2): Last Entry 1, Segments Left 1, Flags, Tag, Segment List[0..1]
    (SegmentRoutingHeader([A1, A2]), "3b04 0401 01 00 0000" + P1 + P2),
    (SegmentRoutingHeader([A1, A2, A3], segments_left=0, flags=0x80, tag=0xBEEF, next_header=41),
     "2906 0400 02 80 beef" + P1 + P2 + P3),
    # a 3-octet TLV is followed by PadN(1) to reach 8 octets (section 2.1.1.2)
    (SegmentRoutingHeader([A1], tlvs=[SRHTLV(0x80, b"abc")]),
     "3b03 0400 00 00 0000" + P1 + "8003616263 040100"),
    # a 4-octet TLV: PadN(0)
    (SegmentRoutingHeader([A1], tlvs=[SRHTLV(6, b"abcd")]),
     "3b03 0400 00 00 0000" + P1 + "060461626364 0400"),
    # one octet short: PadN(5) + PadN(0), 9 octets, rather than the Pad1 Linux refuses
    (SegmentRoutingHeader([A1], tlvs=[SRHTLV(6, b"abcde")]),
     "3b04 0400 00 00 0000" + P1 + "06056162636465 04050000000000 0400"),
    # HMAC TLV (section 2.1.2): 8n-aligned, after a 5-octet TLV and a PadN(1); Length 6 + 32
    (SegmentRoutingHeader([A1], tlvs=[SRHTLV(7, b"xyz"), HMACTLV(0x01020304, bytes(range(32)), d_flag=True)]),
     "3b08 0400 00 00 0000" + P1 + "070378797a 040100" + "0526 8000 01020304" + bytes(range(32)).hex()),
    # unknown routing type 3 (RFC 6554's): kept as bytes
    (UnknownRoutingHeader(3, 1, bytes(range(12))), "3b01 0301" + bytes(range(12)).hex()),
]


@pytest.mark.parametrize(("header", "hexbytes"), VECTORS, ids=[repr(v[0])[:70] for v in VECTORS])
def test_vectors(header: Any, hexbytes: str) -> None:
    wire = bytes.fromhex(hexbytes.replace(" ", ""))
    assert bytes(header) == wire
    assert len(header) == len(wire)
    assert parse_routing_header(wire) == header
    assert header.__class__.parse(wire) == header
    assert eval(repr(header), NAMES) == header
    assert pickle.loads(pickle.dumps(header)) == header
    assert hash(pickle.loads(pickle.dumps(header))) == hash(header)
    with pytest.raises(AttributeError):
        header.foo = 1
    if isinstance(header, SegmentRoutingHeader):
        exact = SegmentRoutingHeader.parse(wire, keep_padding=True)
        assert bytes(exact) == wire and not exact.autopad


def test_accessors() -> None:
    rh = RoutingHeader([A1, IPv6Address("fe80::1%2"), bytes(16)], segments_left=1)
    assert rh.addresses == (IPv6Address(A1), IPv6Address("fe80::1"), IPv6Address("::"))
    assert (rh.type, rh.segments_left, rh.next_header) == (0, 1, 59)
    srh = SegmentRoutingHeader([A1, A2, A3], tlvs=[HMACTLV(9, bytes(8))])
    assert srh.segments == tuple(IPv6Address(a) for a in (A1, A2, A3))
    assert (srh.type, srh.segments_left, srh.last_entry, srh.flags, srh.tag) == (4, 2, 2, 0, 0)
    mac = srh.tlvs[0]
    assert isinstance(mac, HMACTLV)
    assert (mac.key_id, mac.hmac, mac.d_flag, mac.type, mac.mutable) == (9, bytes(8), False, 5, False)
    assert SRHTLV(0x80, b"").mutable
    assert SegmentRoutingHeader([A1], last_entry=0).last_entry == 0
    u = UnknownRoutingHeader(253, 0, b"\0" * 4)
    assert (u.type, u.segments_left, u.data, u.next_header) == (253, 0, b"\0" * 4, 59)
    assert SRHPadN(2) == SRHPadN(b"\0\0") and bytes(SRHPad1()) == b"\0"


@pytest.mark.parametrize(("call", "exc"), [
    (lambda: RoutingHeader(A1), TypeError),
    (lambda: RoutingHeader([A1], type=4), ValueError),
    (lambda: RoutingHeader([A1], type=1), ValueError),
    (lambda: RoutingHeader([A1, A2], type=2), ValueError),
    (lambda: RoutingHeader([], type=2), ValueError),
    (lambda: RoutingHeader([A1], segments_left=2), ValueError),
    (lambda: RoutingHeader([A1] * 128), ValueError),
    (lambda: RoutingHeader(["10.0.0.1"]), ValueError),
    (lambda: RoutingHeader([42]), TypeError),
    (lambda: SegmentRoutingHeader([]), ValueError),
    (lambda: SegmentRoutingHeader([A1] * 128), ValueError),
    (lambda: SegmentRoutingHeader([A1, A2], segments_left=3), ValueError),
    (lambda: SegmentRoutingHeader([A1, A2], last_entry=0), ValueError),
    (lambda: SegmentRoutingHeader([A1], flags=256), ValueError),
    (lambda: SegmentRoutingHeader([A1], tag=65536), ValueError),
    (lambda: SegmentRoutingHeader([A1], tlvs=SRHTLV(6)), TypeError),
    (lambda: SegmentRoutingHeader([A1], tlvs=[b"\x06\x00"]), TypeError),
    (lambda: SegmentRoutingHeader([A1] * 120, tlvs=[SRHTLV(6, bytes(255))]), ValueError),  # over 2048
    (lambda: SRHTLV(0), ValueError),
    (lambda: SRHTLV(4), ValueError),
    (lambda: SRHTLV(6, bytes(256)), ValueError),
    (lambda: HMACTLV(1, bytes(12)), ValueError),
    (lambda: HMACTLV(1, bytes(40)), ValueError),
    (lambda: HMACTLV(2 ** 32, bytes(8)), ValueError),
    (lambda: UnknownRoutingHeader(3, 0, b"\0" * 8), ValueError),
    (lambda: parse_routing_header("3b00"), TypeError),
])
def test_bad_arguments(call: Any, exc: type[Exception]) -> None:
    with pytest.raises(exc):
        call()


@pytest.mark.parametrize(("hexbytes", "offset"), [
    ("", 0),
    ("3b02", 2),
    ("3b02 0001 00000000", 1),                           # says 24 octets, has 8
    ("3b00 0001 00000000" + P1, 1),                      # says 8, has 24
    ("3b01 0000 00000000" + P1[:16], 1),                 # type 0 with an odd Hdr Ext Len
    ("3b02 0002 00000000" + P1, 3),                      # Segments Left 2 > 1 address
    ("3b04 0201 00000000" + P1 + P2, 1),                 # type 2 with two addresses
    ("3b02 0202 00000000" + P1, 3),                      # type 2, Segments Left 2
    ("3b02 0401 01 00 0000" + P1, 4),                    # Last Entry 1 needs 40 octets
    ("3b04 0403 01 00 0000" + P1 + P2, 3),               # Segments Left 3 > Last Entry + 1
    ("3b03 0400 00 00 0000" + P1 + "0607 000000000000", 24),  # TLV overruns
    ("3b03 0400 00 00 0000" + P1 + "0000000000000006", 31),   # TLV without its length octet
])
def test_malformed(hexbytes: str, offset: int) -> None:
    data = bytes.fromhex(hexbytes.replace(" ", ""))
    with pytest.raises(MalformedError) as info:
        parse_routing_header(data)
    assert info.value.offset == offset


def test_class_parse_checks_type() -> None:
    with pytest.raises(MalformedError):
        RoutingHeader.parse(bytes(SegmentRoutingHeader([A1])))
    with pytest.raises(MalformedError):
        SegmentRoutingHeader.parse(bytes(RoutingHeader([A1])))
    u = UnknownRoutingHeader.parse(bytes(RoutingHeader([A1])))
    assert bytes(u) == bytes(RoutingHeader([A1])) and u.type == 0


def test_nonstandard_hmac_stays_generic() -> None:
    """A type 5 TLV that HMACTLV would not re-encode the same (reserved bits set, odd size) stays SRHTLV."""
    for body in (b"\x00\x01" + bytes(12), b"\x00\x00" + bytes(7), b"\x00"):
        srh = SegmentRoutingHeader([A1], tlvs=[SRHTLV(5, body)])
        back = SegmentRoutingHeader.parse(bytes(srh))
        assert back.tlvs == (SRHTLV(5, body),)


# --------------------------------------------------------------------------- hypothesis

ADDRESSES = st.binary(min_size=16, max_size=16).map(IPv6Address)
TLVS = st.one_of(
    st.builds(SRHTLV, st.integers(1, 255).filter(lambda t: t not in (4, 5)), st.binary(max_size=40)),
    st.builds(HMACTLV, st.integers(0, 2 ** 32 - 1), st.sampled_from([0, 8, 16, 24, 32]).map(bytes),
              st.booleans()),
)


#: TLVs scapy 2.8 decodes with its generic class: it has draft-only layouts for types 1 and 2, and
#: its HMAC TLV class reads a 16-bit Length where RFC 8754 section 2.1.2 has 8 bits
SCAPY_TLVS = st.builds(SRHTLV, st.integers(3, 255).filter(lambda t: t not in (4, 5)), st.binary(max_size=40))


@st.composite
def srhs(draw: Any, tlvs: Any = TLVS) -> SegmentRoutingHeader:
    segs = draw(st.lists(ADDRESSES, min_size=1, max_size=10))
    return SegmentRoutingHeader(segs, draw(st.integers(0, len(segs))), None, draw(st.integers(0, 255)),
                                draw(st.integers(0, 0xFFFF)), draw(st.lists(tlvs, max_size=5)),
                                draw(st.integers(0, 255)))


@settings(max_examples=examples(300))
@given(st.lists(ADDRESSES, max_size=127), st.data())
def test_type0_round_trip(addresses: list[IPv6Address], data: Any) -> None:
    rh = RoutingHeader(addresses, 0, data.draw(st.integers(0, len(addresses))),
                       data.draw(st.integers(0, 255)))
    assert parse_routing_header(bytes(rh)) == rh
    assert eval(repr(rh), NAMES) == rh


@settings(max_examples=examples(300))
@given(srhs())
def test_srh_round_trip(srh: SegmentRoutingHeader) -> None:
    wire = bytes(srh)
    assert len(wire) % 8 == 0 and wire[1] == len(wire) // 8 - 1
    assert parse_routing_header(wire) == srh
    assert eval(repr(srh), NAMES) == srh
    exact = SegmentRoutingHeader.parse(wire, keep_padding=True)
    assert bytes(exact) == wire
    # auto padding never uses Pad1 (Linux refuses it), HMAC TLVs start on 8n
    pos = 8 + 16 * len(srh.segments)
    for tlv in exact.tlvs:
        assert not isinstance(tlv, SRHPad1)
        if isinstance(tlv, HMACTLV):
            assert pos % 8 == 0
        pos += len(tlv)


@settings(max_examples=examples(3000))
@given(st.one_of(st.binary(max_size=120),
                 st.tuples(st.integers(0, 255), st.integers(0, 15), st.sampled_from([0, 2, 4, 3]),
                           st.integers(0, 255), st.binary(max_size=130)).map(
                     lambda t: bytes(t[:4]) + t[4][:t[1] * 8 + 4].ljust(t[1] * 8 + 4, b"\0"))))
def test_random_bytes(data: bytes) -> None:
    """Anything: a header or MalformedError, nothing else; SRHs re-encode exactly with keep_padding."""
    try:
        rh = parse_routing_header(data)
    except MalformedError:
        return
    assert parse_routing_header(bytes(rh)) == rh
    if isinstance(rh, SegmentRoutingHeader):
        assert bytes(SegmentRoutingHeader.parse(data, keep_padding=True)) == data
    elif isinstance(rh, UnknownRoutingHeader):
        assert bytes(rh) == data


# --------------------------------------------------------------------------- scapy


def _scapy() -> Any:
    return pytest.importorskip("scapy.layers.inet6")


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(ADDRESSES, min_size=0, max_size=8), st.data())
def test_scapy_reads_type0(addresses: list[IPv6Address], data: Any) -> None:
    i6 = _scapy()
    rh = RoutingHeader(addresses, 0, data.draw(st.integers(0, len(addresses))),
                       data.draw(st.integers(0, 255)))
    layer = i6.IPv6ExtHdrRouting(bytes(rh))
    assert (layer.nh, layer.len, layer.type, layer.segleft) == (rh.next_header, 2 * len(addresses), 0,
                                                                rh.segments_left)
    assert [IPv6Address(a) for a in layer.addresses] == list(addresses)
    back = i6.IPv6ExtHdrRouting(nh=rh.next_header, segleft=rh.segments_left,
                                addresses=[str(a) for a in addresses])
    assert RoutingHeader.parse(bytes(back)) == rh


def test_scapy_type2() -> None:
    i6 = _scapy()
    layer = i6.IPv6ExtHdrRouting(type=2, segleft=1, addresses=[A1])
    assert parse_routing_header(bytes(layer)) == RoutingHeader([A1], type=2)
    assert bytes(layer) == bytes(RoutingHeader([A1], type=2))


def _scapy_flags(layer: Any) -> int:
    """scapy splits the SRH flags octet into draft-06 bit fields (0x08 is its "hmac" bit, Linux's too)."""
    return (layer.unused1 << 7 | layer.protected << 6 | layer.oam << 5 | layer.alert << 4 | layer.hmac << 3
            | layer.unused2)


@settings(max_examples=examples(80), deadline=None)
@given(srhs(SCAPY_TLVS))
def test_scapy_reads_srh(srh: SegmentRoutingHeader) -> None:
    i6 = _scapy()
    wire = bytes(srh)
    layer = i6.IPv6ExtHdrSegmentRouting(wire)
    assert (layer.nh, layer.len, layer.type, layer.segleft, layer.lastentry, layer.tag) == (
        srh.next_header, len(wire) // 8 - 1, 4, srh.segments_left, srh.last_entry, srh.tag)
    assert _scapy_flags(layer) == srh.flags
    assert [IPv6Address(a) for a in layer.addresses] == list(srh.segments)
    got = [(t.type, t.value) for t in layer.tlv_objects if t.type not in (0, 4)]
    assert got == [(t.type, t.data) for t in srh.tlvs]


def test_scapy_builds_srh() -> None:
    i6 = _scapy()
    layer = i6.IPv6ExtHdrSegmentRouting(
        nh=17, addresses=[A1, A2, A3], segleft=1, tag=77, protected=1,
        tlv_objects=[i6.IPv6ExtHdrSegmentRoutingTLV(type=0x81, len=5, value=b"hello")])
    wire = bytes(layer)
    assert wire[-1] == 0  # scapy closes with a Pad1 TLV, which RFC 8754 allows (and Linux refuses)
    got = parse_routing_header(wire)
    # a Pad1 is not our layout (PadN only): the parse shows it, and equals the header built that way
    assert bytes(got) == wire and not got.autopad and got.tlvs == (SRHTLV(0x81, b"hello"), SRHPad1())
    assert got == SegmentRoutingHeader([A1, A2, A3], segments_left=1, flags=0x40, tag=77,
                                       tlvs=[SRHTLV(0x81, b"hello"), SRHPad1()], next_header=17,
                                       autopad=False)
    ours = SegmentRoutingHeader([A1, A2, A3], segments_left=1, flags=0x40, tag=77,
                                tlvs=[SRHTLV(0x81, b"hello")], next_header=17)
    assert got != ours and (got.segments, got.tag, got.flags) == (ours.segments, ours.tag, ours.flags)
