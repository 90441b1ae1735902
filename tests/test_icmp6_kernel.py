"""ICMPv6 through the real kernel, each test in network namespaces of its own.

* an Echo Request built by sockapi6.icmp6 on a raw ICMPv6 socket to ::1: the kernel's Echo
  Reply parses, with its checksum as checksum() computes it;
* a Router Advertisement with Prefix Information, MTU, Source Link-Layer Address, RDNSS and
  DNSSL options sent across a veth pair to ff02::1 with hop limit 255, parsed on the other side.
"""

from __future__ import annotations

import socket
import struct
import time

import pytest
from netns import VethPair, netns_unavailable, run_in_netns

from sockapi6 import icmp6

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable())),
]


def _ping() -> tuple[bytes, bytes]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    sock.settimeout(5)
    try:
        request = bytes(icmp6.EchoRequest(0x4242, 7, b"sockapi6 echo"))
        sock.sendto(request, ("::1", 0))
        while True:
            data, _ = sock.recvfrom(4096)
            if data[0] == 129:
                return request, data
    finally:
        sock.close()


def test_echo_reply_from_the_kernel() -> None:
    _request, reply = run_in_netns(_ping)
    parsed = icmp6.parse(reply)
    assert isinstance(parsed, icmp6.EchoReply)
    assert (parsed.identifier, parsed.sequence, parsed.data) == (0x4242, 7, b"sockapi6 echo")
    assert parsed.checksum == icmp6.checksum("::1", "::1", reply) != 0
    assert bytes(parsed) == reply


def _ra(mac: str) -> icmp6.RouterAdvertisement:
    return icmp6.RouterAdvertisement(
        64,
        icmp6.RAFlag.OTHER | icmp6.RAFlag.HOME_AGENT,
        0,
        0,
        0,
        options=[
            icmp6.SourceLinkLayerAddress(mac),
            icmp6.MTU(1400),
            icmp6.PrefixInformation(
                "2001:db8:77::", 64, icmp6.PIFlag.ON_LINK | icmp6.PIFlag.ROUTER, 3600, 1800
            ),
            icmp6.RecursiveDNSServer(["2001:db8::53"], 300),
            icmp6.DNSSearchList(["example.com", "test.example"], 300),
        ],
    )


def _send_ra(ifindex: int, mac: str) -> int:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    try:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
        sent = 0
        for _ in range(20):
            sent += sock.sendto(bytes(_ra(mac)), ("ff02::1", 0, 0, ifindex))
            time.sleep(0.1)
        return sent
    finally:
        sock.close()


def _receive_ra() -> tuple[bytes, int, str]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
    sock.settimeout(5)
    try:
        while True:
            data, anc, _, addr = sock.recvmsg(4096, socket.CMSG_SPACE(4))
            if data[0] == 134:
                hops = [
                    struct.unpack("i", d[:4])[0]
                    for lvl, typ, d in anc
                    if lvl == socket.IPPROTO_IPV6 and typ == socket.IPV6_HOPLIMIT
                ]
                return data, hops[0], addr[0]
    finally:
        sock.close()


def test_router_advertisement_across_a_veth_pair() -> None:
    with VethPair() as pair:
        receiver = pair.start("b", _receive_ra)
        time.sleep(0.3)
        pair.run("a", _send_ra, pair.ifindex("a"), pair.mac["a"])
        data, hoplimit, source = receiver.result(10)
    assert hoplimit == 255
    src = source.split("%")[0]
    assert src.startswith("fe80:")  # RFC 4861 6.1.2: an RA comes from a link-local address
    ra = icmp6.parse(data)
    expected = _ra(pair.mac["a"])
    assert ra == icmp6.RouterAdvertisement(
        **{**dict(zip(expected._fields, expected._args())), "checksum": ra.checksum}
    )
    assert ra.checksum == icmp6.checksum(src, "ff02::1", data)
    sll, mtu, pi, rdnss, dnssl = ra.options
    assert sll.address == "02:00:00:00:00:0a" and mtu.mtu == 1400
    assert str(pi.prefix) == "2001:db8:77::" and icmp6.PIFlag.ROUTER in pi.flags and pi.valid_lifetime == 3600
    assert [str(a) for a in rdnss.servers] == ["2001:db8::53"] and dnssl.domains == (
        "example.com",
        "test.example",
    )
    assert bytes(ra) == data
