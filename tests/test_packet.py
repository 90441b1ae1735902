"""sockapi6.packet: IPv6 header, extension header chain, MLDv2 codes; scapy and the kernel as references."""

from __future__ import annotations

import socket
import sys
from ipaddress import IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st
from netns import netns_unavailable, run_in_netns

from sockapi6 import DestinationOptions, HopByHopOptions, MalformedError, Option
from sockapi6.packet import (
    ChainEntry,
    HeaderChain,
    IPv6Header,
    build_chain,
    decode_max_resp_code,
    decode_qqic,
    encode_max_resp_code,
    encode_qqic,
    walk,
)

scapy = pytest.importorskip("scapy.layers.inet6")
needs_netns = pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))


def test_header_bytes_match_scapy() -> None:
    header = IPv6Header("2001:db8::1", "2001:db8::2", 58, payload_length=8, hop_limit=255,
                        traffic_class=0xB8, flow_label=0x12345)
    reference = bytes(scapy.IPv6(src="2001:db8::1", dst="2001:db8::2", nh=58, plen=8, hlim=255, tc=0xB8,
                                 fl=0x12345))
    assert bytes(header) == reference
    assert IPv6Header.parse(reference + b"payload") == header
    assert eval(repr(header), {"IPv6Header": IPv6Header}) == header
    assert header.replace(payload_length=100).payload_length == 100
    assert IPv6Header("fe80::1%1", "::1", 17).source == IPv6Address("fe80::1")    # no scope on the wire


def test_header_refuses_what_is_not_ipv6() -> None:
    with pytest.raises(MalformedError, match="40 octets"):
        IPv6Header.parse(bytes(39))
    with pytest.raises(MalformedError, match="version 4"):
        IPv6Header.parse(b"\x45" + bytes(39))
    with pytest.raises(ValueError, match="flow_label"):
        IPv6Header("::1", "::1", 17, flow_label=1 << 20)
    with pytest.raises(TypeError):
        IPv6Header(1, "::1", 17)  # type: ignore[arg-type]


def test_walk_follows_the_chain_scapy_builds() -> None:
    packet = bytes(scapy.IPv6(src="2001:db8::1", dst="2001:db8::2")
                   / scapy.IPv6ExtHdrHopByHop()
                   / scapy.IPv6ExtHdrRouting(addresses=["2001:db8::3"])
                   / scapy.IPv6ExtHdrDestOpt()
                   / scapy.IPv6ExtHdrFragment(offset=0, m=0, id=7)
                   / scapy.ICMPv6EchoRequest())
    chain = walk(packet)
    assert [(h.protocol, h.offset, h.length) for h in chain.headers] == [
        (0, 40, 8), (43, 48, 24), (60, 72, 8), (44, 80, 8)]
    assert (chain.upper_protocol, chain.upper_offset, chain.fragment_offset) == (58, 88, 0)
    assert packet[chain.upper_offset] == 128
    assert chain.find(43) == ChainEntry(43, 48, 24) and chain.find(51) is None
    assert eval(repr(chain), {"HeaderChain": HeaderChain, "ChainEntry": ChainEntry}) == chain


def test_walk_stops_at_a_later_fragment_and_reads_ah_lengths() -> None:
    later = bytes(scapy.IPv6() / scapy.IPv6ExtHdrFragment(offset=10, nh=17) / bytes(16))
    chain = walk(later)
    assert (chain.upper_protocol, chain.upper_offset, chain.fragment_offset) == (17, 48, 80)
    ah = bytes([58, 4]) + bytes(22)                   # AH, payload len 4: (4 + 2) * 4 = 24 octets
    chain = walk(ah + b"\x80\x00", next_header=51)
    assert chain.headers == (ChainEntry(51, 0, 24),) and chain.upper_offset == 24


def test_walk_names_where_a_header_is_cut_short() -> None:
    packet = bytes(scapy.IPv6() / scapy.IPv6ExtHdrRouting(addresses=["2001:db8::3"]) / b"x")
    with pytest.raises(MalformedError, match="octet 40"):
        walk(packet[:60])
    with pytest.raises(MalformedError):
        walk(packet[:41])


def test_build_chain_links_next_headers() -> None:
    hbh = HopByHopOptions([Option(0x1E, b"ab")])
    dst = DestinationOptions([Option(0x1E, b"cd")])
    first, raw = build_chain([(0, hbh), (60, dst)], 58)
    assert first == 0
    assert raw[0] == 60 and raw[len(bytes(hbh))] == 58
    packet = bytes(IPv6Header("::1", "::1", first, payload_length=len(raw) + 8)) + raw + bytes(8)
    chain = walk(packet)
    assert [h.protocol for h in chain.headers] == [0, 60] and chain.upper_protocol == 58
    assert HopByHopOptions.parse(raw[:len(bytes(hbh))]).options == hbh.options
    with pytest.raises(ValueError, match="length field"):
        build_chain([(0, bytes(7))], 58)


def _quoted_chain() -> tuple[int, int, object]:
    import select

    from sockapi6.packet import walk

    icmp = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp.sendto(b"nobody listens", ("::1", 9))
    while select.select([icmp], [], [], 2)[0]:
        data = icmp.recv(2048)
        if data[0] == 1:                       # Destination Unreachable quotes the packet after 8 octets
            chain = walk(data[8:])
            return chain.upper_protocol, chain.upper_offset, data[8 + chain.upper_offset + 2:][:2]
    raise AssertionError("no ICMPv6 error")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux namespaces")
@needs_netns
def test_walk_reads_the_packet_a_kernel_icmpv6_error_quotes() -> None:
    protocol, offset, port = run_in_netns(_quoted_chain)
    assert (protocol, offset, port) == (17, 40, b"\x00\x09")


def test_max_resp_code_follows_rfc_3810_5_1_3() -> None:
    assert decode_max_resp_code(10000) == 10000                     # below 32768: the value itself
    assert decode_max_resp_code(0x8000) == 0x1000 << 3 == 32768    # exp 0, mant 0
    assert decode_max_resp_code(0xFFFF) == 0x1FFF << 10 == 8387584
    assert encode_max_resp_code(32768) == 0x8000
    assert encode_max_resp_code(32777) == 0x8001                    # 32776 is the largest code at or below
    with pytest.raises(ValueError):
        encode_max_resp_code(8387585)


def test_qqic_follows_rfc_3810_5_1_9() -> None:
    assert decode_qqic(125) == 125
    assert decode_qqic(0x80) == 128 and decode_qqic(0xFF) == 31744
    assert encode_qqic(130) == 0x80                                 # rounds down to 128
    with pytest.raises(ValueError):
        decode_qqic(256)


@given(st.integers(0, 0xFFFF))
def test_every_max_resp_code_round_trips(code: int) -> None:
    assert encode_max_resp_code(decode_max_resp_code(code)) == code


@given(st.integers(0, 8387584))
def test_encoding_rounds_down_to_the_nearest_code(ms: int) -> None:
    code = encode_max_resp_code(ms)
    assert decode_max_resp_code(code) <= ms
    assert code == 0xFFFF or decode_max_resp_code(code + 1) > ms


def test_every_qqic_round_trips() -> None:
    for code in range(256):
        assert encode_qqic(decode_qqic(code)) == code
    for seconds in range(31745):
        code = encode_qqic(seconds)
        assert decode_qqic(code) <= seconds and (code == 255 or decode_qqic(code + 1) > seconds)
