"""Ancillary items (RFC 3542 sections 4-6, 11): wire round trips, value semantics, malformed input, sizes."""

from __future__ import annotations

import errno
import os
import pickle
import socket
import struct
from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sockapi6.ancillary as anc
from sockapi6._system.binding import CONSTANTS, ffi
from sockapi6.ancillary import (
    CMSG_LEN,
    CMSG_SPACE,
    ErrorOrigin,
    ExtendedError,
    HopLimit,
    NextHop,
    OriginalDestination,
    PacketInfo,
    PathMTU,
    RoutingDestinationOptions,
    TrafficClass,
    UnknownControlMessage,
    from_cmsg,
    parse_ancillary,
    to_cmsg,
)
from sockapi6.errors import MalformedError
from sockapi6.exthdr import DestinationOptions, HopByHopOptions, Option

IPV6 = CONSTANTS["IPPROTO_IPV6"]
IP = CONSTANTS["IPPROTO_IP"]
NAMESPACE = {name: getattr(anc, name) for name in anc.__all__}


# ---------------------------------------------------------------------------
# CMSG_LEN / CMSG_SPACE
# ---------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(socket, "CMSG_LEN"), reason="the standard library has no CMSG_LEN here")
@pytest.mark.parametrize("n", [*range(0, 70), 255, 1024, 2040, 2048, 65535])
def test_cmsg_sizes_match_the_standard_library(n: int) -> None:
    assert CMSG_LEN(n) == socket.CMSG_LEN(n)
    assert CMSG_SPACE(n) == socket.CMSG_SPACE(n)


def test_cmsg_sizes_follow_the_platform_table() -> None:
    # reference/platform_abi.md section 4: 8-byte alignment on Linux/BSD/Windows, 4 on macOS
    align = anc._ALIGN
    header = ffi.sizeof("struct cmsghdr")
    assert CMSG_LEN(0) == (header + align - 1) // align * align
    assert CMSG_SPACE(20) - CMSG_LEN(0) == (20 + align - 1) // align * align
    from sockapi6._system.platform import RECORDS

    assert RECORDS["darwin", "aarch64"].cmsg_align == 4 and RECORDS["linux_musl", "arm"].cmsg_align == 4


def test_cmsg_sizes_reject_bad_arguments() -> None:
    with pytest.raises(ValueError):
        CMSG_LEN(-1)
    with pytest.raises(ValueError):
        CMSG_SPACE(1 << 40)
    with pytest.raises(TypeError):
        CMSG_LEN(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CMSG_SPACE(True)


# ---------------------------------------------------------------------------
# Round trips and value semantics
# ---------------------------------------------------------------------------

ITEMS = [
    PacketInfo("::1", 1),
    PacketInfo("2001:db8::1", 7),
    PacketInfo("fe80::1%3", 3),
    PacketInfo("::", 0),
    PacketInfo("192.0.2.1", 2),
    HopLimit(0),
    HopLimit(64),
    HopLimit(255),
    TrafficClass(0),
    TrafficClass(0xFF),
    PathMTU("2001:db8::2", 1280),
    PathMTU("fe80::2%4", 1500),
    OriginalDestination("2001:db8::3", 547),
    OriginalDestination("198.51.100.7", 53),
    ExtendedError(errno.ECONNREFUSED, ErrorOrigin.ICMP6, 1, 4, 0, 0, "::1"),
    ExtendedError(errno.EMSGSIZE, ErrorOrigin.LOCAL, 0, 0, 1280, 0, None),
    UnknownControlMessage(1, 99, b"\x01\x02"),
]


@pytest.mark.parametrize("item", ITEMS, ids=repr)
def test_round_trip_through_the_wire_form(item: object) -> None:
    level, type_, data = to_cmsg(item)
    assert isinstance(data, bytes)
    back = from_cmsg(level, type_, data)
    assert back == item
    assert hash(back) == hash(item)
    assert type(item).from_cmsg(level, type_, data) == item  # type: ignore[attr-defined]


@pytest.mark.parametrize("item", ITEMS, ids=repr)
def test_repr_round_trips_and_values_are_immutable(item: object) -> None:
    assert eval(repr(item), NAMESPACE) == item
    assert pickle.loads(pickle.dumps(item)) == item
    with pytest.raises(AttributeError):
        item.value = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        item.extra = 1  # type: ignore[attr-defined]


def test_packet_info_fields_are_read_only_and_equal_by_wire_value() -> None:
    info = PacketInfo("fe80::1", 3)
    with pytest.raises(AttributeError):
        info.ifindex = 4  # type: ignore[misc]
    with pytest.raises(AttributeError):
        info.address_text = "::1"  # type: ignore[misc]
    decoded = from_cmsg(*info.to_cmsg())
    # decoded link-local destinations carry the interface as their scope (design rule 5)
    assert decoded.address == IPv6Address("fe80::1%3")
    assert decoded.address_text == "fe80::1%3"
    assert decoded == info and len({decoded, info}) == 1
    assert PacketInfo("::1", 1) != PacketInfo("::1", 2)
    assert PacketInfo("::1", 1) != HopLimit(1)


def test_zero_is_a_value() -> None:
    assert HopLimit(0).value == 0 and TrafficClass(0).value == 0
    assert HopLimit(0) != HopLimit(1)
    assert from_cmsg(IPV6, CONSTANTS["IPV6_HOPLIMIT"], struct.pack("=i", 0)) == HopLimit(0)
    assert HopLimit(-1).to_cmsg()[2] == struct.pack("=i", -1)  # RFC 3542 6.3: -1 = kernel default


def test_int_items_check_range_and_type() -> None:
    for bad in (256, -2, 1 << 40):
        with pytest.raises(ValueError):
            HopLimit(bad)
        with pytest.raises(ValueError):
            TrafficClass(bad)
    for wrong in ("5", 5.0, True, None):
        with pytest.raises(TypeError):
            HopLimit(wrong)  # type: ignore[arg-type]


def test_ipv4_mapped_packet_info_is_shown_as_ipv4() -> None:
    data = bytes(10) + b"\xff\xff" + bytes([127, 0, 0, 1]) + struct.pack("=I", 1)
    info = from_cmsg(IPV6, CONSTANTS["IPV6_PKTINFO"], data)
    assert info.address == IPv4Address("127.0.0.1")
    assert info.address_text == "127.0.0.1"
    assert info.is_ipv4
    assert info == PacketInfo("127.0.0.1", 1)
    # an IPv4 PacketInfo goes out as IP_PKTINFO
    assert info.to_cmsg()[:2] == (IP, CONSTANTS["IP_PKTINFO"])


def test_ipv4_items_of_a_dual_stack_socket() -> None:
    in_pktinfo = ffi.new("struct in_pktinfo *")
    in_pktinfo.ipi_ifindex = 5
    ffi.memmove(ffi.addressof(in_pktinfo.ipi_addr), bytes([192, 0, 2, 9]), 4)
    ffi.memmove(ffi.addressof(in_pktinfo.ipi_spec_dst), bytes([192, 0, 2, 1]), 4)
    raw = [
        (IP, CONSTANTS["IP_PKTINFO"], bytes(ffi.buffer(in_pktinfo))),
        (IP, CONSTANTS["IP_TTL"], struct.pack("=i", 63)),
        (IP, CONSTANTS["IP_TOS"], b"\x10"),  # Linux delivers IP_TOS as one byte
    ]
    assert parse_ancillary(raw) == [PacketInfo("192.0.2.9", 5), HopLimit(63), TrafficClass(0x10)]
    assert HopLimit(63).to_ipv4_cmsg() == (IP, CONSTANTS["IP_TTL"], struct.pack("=i", 63))
    assert PacketInfo("::", 2).to_ipv4_cmsg()[1] == CONSTANTS["IP_PKTINFO"]
    with pytest.raises(ValueError):
        PacketInfo("2001:db8::1", 2).to_ipv4_cmsg()


@pytest.mark.skipif("IPV6_2292PKTINFO" not in CONSTANTS, reason="this OS has no RFC 2292 numbers")
def test_rfc2292_types_decode_like_rfc3542() -> None:
    data = IPv6Address("2001:db8::5").packed + struct.pack("=I", 3)
    assert from_cmsg(IPV6, CONSTANTS["IPV6_2292PKTINFO"], data) == PacketInfo("2001:db8::5", 3)
    assert from_cmsg(IPV6, CONSTANTS["IPV6_2292HOPLIMIT"], struct.pack("=i", 255)) == HopLimit(255)


def test_path_mtu_decodes_the_os_struct() -> None:
    info = ffi.new("struct ip6_mtuinfo *")
    info.ip6m_addr.sin6_family = CONSTANTS["AF_INET6"]
    ffi.memmove(ffi.addressof(info.ip6m_addr.sin6_addr), IPv6Address("2001:db8::9").packed, 16)
    info.ip6m_mtu = 1400
    data = bytes(ffi.buffer(info))
    assert PathMTU.from_bytes(data) == PathMTU("2001:db8::9", 1400)
    assert from_cmsg(IPV6, CONSTANTS["IPV6_PATHMTU"], data).mtu == 1400
    with pytest.raises(MalformedError):
        PathMTU.from_bytes(data[:-1])


def test_extended_error_decodes_ipv4_offenders() -> None:
    ee = ffi.new("struct sock_extended_err *")
    ee.ee_errno, ee.ee_origin, ee.ee_type, ee.ee_code = errno.EHOSTUNREACH, ErrorOrigin.ICMP, 3, 1
    sin = ffi.new("struct sockaddr_in *")
    sin.sin_family = CONSTANTS["AF_INET"]
    ffi.memmove(ffi.addressof(sin.sin_addr), bytes([203, 0, 113, 1]), 4)
    data = bytes(ffi.buffer(ee)) + bytes(ffi.buffer(sin))
    err = from_cmsg(IP, CONSTANTS["IP_RECVERR"], data)
    assert err.errno == errno.EHOSTUNREACH and err.origin is ErrorOrigin.ICMP
    assert (err.type, err.code) == (3, 1)
    assert err.offender == IPv4Address("203.0.113.1")
    assert err.strerror == os.strerror(errno.EHOSTUNREACH)


def test_next_hop_wire_form() -> None:
    hop = NextHop("fe80::1%1")
    level, type_, data = hop.to_cmsg()
    assert (level, type_) == (IPV6, CONSTANTS["IPV6_NEXTHOP"])
    assert len(data) == ffi.sizeof("struct sockaddr_in6")
    assert from_cmsg(level, type_, data) == hop


def test_unknown_messages_are_kept() -> None:
    raw = [(1, 12345, b"\x00" * 8), (IPV6, 250, b"xyz")]
    assert parse_ancillary(raw) == [UnknownControlMessage(1, 12345, b"\x00" * 8),
                                    UnknownControlMessage(IPV6, 250, b"xyz")]


def test_class_from_cmsg_refuses_other_types() -> None:
    with pytest.raises(ValueError):
        HopLimit.from_cmsg(IPV6, CONSTANTS["IPV6_PKTINFO"], bytes(20))


# ---------------------------------------------------------------------------
# Extension headers (sockapi6.exthdr / sockapi6.routing objects)
# ---------------------------------------------------------------------------

def test_extension_headers_map_to_their_cmsg_types() -> None:
    dst = DestinationOptions([Option(0x1E, b"ab")])
    hbh = HopByHopOptions([Option(0x1E, b"c")])
    assert to_cmsg(dst) == (IPV6, CONSTANTS["IPV6_DSTOPTS"], bytes(dst))
    assert to_cmsg(hbh) == (IPV6, CONSTANTS["IPV6_HOPOPTS"], bytes(hbh))
    wrapped = RoutingDestinationOptions(dst)
    assert to_cmsg(wrapped) == (IPV6, CONSTANTS["IPV6_RTHDRDSTOPTS"], bytes(dst))
    assert from_cmsg(*to_cmsg(wrapped)) == wrapped
    assert from_cmsg(*to_cmsg(dst)) == DestinationOptions.parse(bytes(dst))
    assert from_cmsg(*to_cmsg(hbh)) == HopByHopOptions.parse(bytes(hbh))
    with pytest.raises(TypeError):
        RoutingDestinationOptions(hbh)


def test_routing_header_items() -> None:
    from sockapi6.routing import RoutingHeader, parse_routing_header

    rh = RoutingHeader([IPv6Address("2001:db8::1")], type=0)
    assert to_cmsg(rh) == (IPV6, CONSTANTS["IPV6_RTHDR"], bytes(rh))
    assert from_cmsg(*to_cmsg(rh)) == parse_routing_header(bytes(rh))


def test_raw_tuples_and_wrong_items() -> None:
    assert to_cmsg((IPV6, 99, bytearray(b"ab"))) == (IPV6, 99, b"ab")
    with pytest.raises(ValueError):
        to_cmsg((1, 2))
    with pytest.raises(TypeError):
        to_cmsg(object())


# ---------------------------------------------------------------------------
# Malformed input: only MalformedError, never anything else
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, data", [
    ("IPV6_PKTINFO", bytes(19)),
    ("IPV6_PKTINFO", bytes(21)),
    ("IPV6_HOPLIMIT", b"\x40"),
    ("IPV6_HOPLIMIT", struct.pack("=i", 256)),
    ("IPV6_TCLASS", struct.pack("=i", -1)),
    ("IPV6_TCLASS", bytes(8)),
    ("IPV6_PATHMTU", bytes(4)),
    ("IPV6_RECVERR", bytes(8)),
    ("IPV6_ORIGDSTADDR", bytes(2)),
    ("IPV6_NEXTHOP", b"\xff\xff" + bytes(26)),
    ("IPV6_DSTOPTS", b"\x11\x05\x1e"),
    ("IPV6_HOPOPTS", b""),
])
def test_malformed_data_is_refused_clearly(name: str, data: bytes) -> None:
    level = IP if name.startswith("IP_") else IPV6
    with pytest.raises(MalformedError):
        from_cmsg(level, CONSTANTS[name], data)


KNOWN_KEYS = sorted(anc._DECODERS)


@given(key=st.sampled_from(KNOWN_KEYS) | st.tuples(st.integers(-5, 300), st.integers(-5, 300)),
       data=st.binary(max_size=96))
def test_random_control_data_raises_only_malformed_error(key: tuple[int, int], data: bytes) -> None:
    try:
        item = from_cmsg(key[0], key[1], data)
    except MalformedError:
        return
    # whatever decodes, encodes again and compares equal to itself
    assert item == item
    hash(item)
    repr(item)


@given(items=st.lists(st.tuples(st.sampled_from(KNOWN_KEYS), st.binary(max_size=64)), max_size=6))
def test_parse_ancillary_raises_only_malformed_error(items: list[tuple[tuple[int, int], bytes]]) -> None:
    try:
        out = parse_ancillary([(level, type_, data) for (level, type_), data in items])
    except MalformedError:
        return
    assert len(out) == len(items)


@given(address=st.ip_addresses(v=6), ifindex=st.integers(0, 0xFFFFFFFF))
def test_packet_info_round_trip_for_any_address(address: IPv6Address, ifindex: int) -> None:
    item = PacketInfo(address, ifindex)
    back = from_cmsg(*item.to_cmsg())
    assert back == item
    if not back.is_ipv4:
        assert back.address_text == str(back.address)
        assert back.address.packed == address.packed


# ---------------------------------------------------------------------------
# Shared base, scopes made numeric, and what sockopt needs of PacketInfo
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("item", ITEMS, ids=repr)
def test_items_are_value_objects_and_refuse_every_change(item: object) -> None:
    from sockapi6._value import ValueObject

    assert isinstance(item, ValueObject)
    for name in ("value", "address", "ifindex", "_key"):
        with pytest.raises(AttributeError):
            delattr(item, name)
    import copy

    assert copy.copy(item) is item and copy.deepcopy(item) is item


def test_packet_info_tells_ipv4_from_ipv6_for_sticky_options() -> None:
    # sockopt's sticky IPV6_PKTINFO needs an in6_pktinfo: is_ipv4 says when there is none
    assert PacketInfo(IPv4Address("192.0.2.1"), 1).is_ipv4
    assert PacketInfo("::ffff:192.0.2.1", 1).is_ipv4
    assert PacketInfo(bytes([192, 0, 2, 1])).is_ipv4
    assert not PacketInfo("::1", 1).is_ipv4 and not PacketInfo().is_ipv4
    assert PacketInfo("::ffff:192.0.2.1", 1).to_cmsg()[:2] == (IP, CONSTANTS["IP_PKTINFO"])


def test_named_scopes_become_interface_indexes() -> None:
    # design rule 5, whether the scope comes as text or inside an IPv6Address
    lo = socket.if_nametoindex("lo")
    scoped = IPv6Address(f"fe80::1%{lo}")
    assert PathMTU(IPv6Address("fe80::1%lo"), 1280).address == scoped
    assert PathMTU("fe80::1%lo", 1280) == PathMTU(scoped, 1280)
    assert OriginalDestination(IPv6Address("fe80::1%lo"), 9).address == scoped
    assert ExtendedError(1, offender=IPv6Address("fe80::1%lo")).offender == scoped
    assert PacketInfo(IPv6Address("fe80::1%lo"), lo).address_text == f"fe80::1%{lo}"
    assert PacketInfo("::1", "lo").ifindex == lo
    with pytest.raises(ValueError):
        PathMTU(IPv6Address("fe80::1%no-such-if0"), 1280)
