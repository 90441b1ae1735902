"""recvmsg / sendmsg on the real kernel (RFC 3542 sections 6 and 11; RFC 3493 section 5; RFC 4861 6.1).

UDP tests run over ``::1`` with ephemeral ports (no raw sockets, nothing
another test can see); the odhcpd-style reply runs in a veth pair of its own.
"""

from __future__ import annotations

import errno
import socket
import struct
import time
from collections.abc import Iterator
from ipaddress import IPv4Address, IPv6Address
from typing import Any

import pytest
from netns import VethPair, netns_unavailable, run_in_netns

from sockapi6._system.binding import CONSTANTS, PLATFORM
from sockapi6.ancillary import ErrorOrigin, ExtendedError, HopLimit, PacketInfo, TrafficClass
from sockapi6.exthdr import DestinationOptions, HopByHopOptions, Option
from sockapi6.messaging import (
    ANCILLARY_BUFFER_SIZE,
    AncillaryTruncatedWarning,
    ReceivedMessage,
    check_hop_limit_255,
    recvmsg,
    sendmsg,
)

IPV6 = socket.IPPROTO_IPV6
LO = socket.if_nametoindex("lo")
RECV_ALL = ("IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS")
needs_root = pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() != 0,
                                reason="sending hop-by-hop/destination options needs CAP_NET_RAW (root)")


def _receiver(*options: str, bind: str = "::1", v6only: bool = True) -> socket.socket:
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    if not v6only:
        rx.setsockopt(IPV6, CONSTANTS["IPV6_V6ONLY"], 0)
    rx.bind((bind, 0))
    for name in options:
        rx.setsockopt(IPV6, CONSTANTS[name], 1)
    rx.settimeout(5.0)
    return rx


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    rx = _receiver(*RECV_ALL)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    yield rx, tx
    rx.close()
    tx.close()


def _send(tx: socket.socket, rx: socket.socket, data: Any = b"x", items: Any = ()) -> ReceivedMessage:
    sendmsg(tx, data, rx.getsockname(), items)
    return recvmsg(rx)


def test_pktinfo_gives_destination_and_loopback_index(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    msg = _send(tx, rx, b"hello")
    assert msg.data == b"hello"
    assert msg.pktinfo == PacketInfo("::1", LO)
    assert msg.pktinfo is not None and msg.pktinfo.address == IPv6Address("::1")
    assert msg.pktinfo.address_text == "::1" and msg.pktinfo.ifindex == LO
    assert msg.address[0] == "::1" and msg.address[1] == tx.getsockname()[1]
    assert msg.peer == IPv6Address("::1")
    assert msg.hoplimit == 64 and msg.tclass == 0  # the kernel's defaults on lo
    assert not msg.truncated and not msg.control_truncated
    assert msg.ancillary == [PacketInfo("::1", LO), HopLimit(64), TrafficClass(0)]


@pytest.mark.parametrize("value", [0, 1, 7, 254, 255])
def test_hop_limit_per_datagram_including_zero(pair: tuple[socket.socket, socket.socket], value: int) -> None:
    # Pinned kernel fact: Linux accepts IPV6_HOPLIMIT 0 as ancillary data (-1..255 are valid) and a
    # local receiver gets the datagram with hop limit 0.
    rx, tx = pair
    msg = _send(tx, rx, items=[HopLimit(value)])
    assert msg.hoplimit == value
    assert msg.hop_limit_is_255 is (value == 255)
    assert check_hop_limit_255(msg) is (value == 255)


def test_hop_limit_minus_one_is_default_and_256_refused(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    assert _send(tx, rx, items=[HopLimit(-1)]).hoplimit == 64
    with pytest.raises(OSError) as info:
        sendmsg(tx, b"x", rx.getsockname(), [(IPV6, CONSTANTS["IPV6_HOPLIMIT"], struct.pack("=i", 256))])
    assert info.value.errno == errno.EINVAL


@pytest.mark.parametrize("value", [0, 0x01, 0xB8, 0xFF])
def test_traffic_class_per_datagram(pair: tuple[socket.socket, socket.socket], value: int) -> None:
    rx, tx = pair
    assert _send(tx, rx, items=[TrafficClass(value)]).tclass == value


def test_pktinfo_selects_source_and_interface(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    msg = _send(tx, rx, items=[PacketInfo("::1", LO), HopLimit(9), TrafficClass(0x20)])
    assert msg.address[0] == "::1"
    assert (msg.pktinfo, msg.hoplimit, msg.tclass) == (PacketInfo("::1", LO), 9, 0x20)


def test_absent_items_are_none_not_zero() -> None:
    rx = _receiver()  # no receive options on
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    msg = _send(tx, rx, items=[HopLimit(0)])
    assert msg.pktinfo is None and msg.hoplimit is None and msg.tclass is None
    assert msg.ancillary == []
    assert not msg.hop_limit_is_255
    with pytest.raises(ValueError, match="IPV6_RECVHOPLIMIT"):
        check_hop_limit_255(msg)


def test_buffers_are_sent_as_one_datagram(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    parts = [b"\x07", bytearray(b"head"), memoryview(b"--body--")[2:6], b"", b"tail"]
    assert sendmsg(tx, parts, rx.getsockname(), [HopLimit(3)]) == 13
    msg = recvmsg(rx)
    assert msg.data == b"\x07headbodytail" and msg.hoplimit == 3
    with pytest.raises(TypeError):
        sendmsg(tx, "text", rx.getsockname())


def test_address_forms(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    port = rx.getsockname()[1]
    for address in (f"[::1]:{port}", (IPv6Address("::1"), port), ("::1", port, 0, 0)):
        sendmsg(tx, b"a", address)
        assert recvmsg(rx).pktinfo == PacketInfo("::1", LO)
    with pytest.raises(ValueError):
        sendmsg(tx, b"a", "[::1:5")


def test_data_truncation_is_reported(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    sendmsg(tx, b"0123456789", rx.getsockname())
    msg = recvmsg(rx, bufsize=4)
    assert msg.data == b"0123" and msg.truncated and not msg.control_truncated


def test_control_truncation_is_reported_and_warned(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    sendmsg(tx, b"x", rx.getsockname())
    with pytest.warns(AncillaryTruncatedWarning, match="MSG_CTRUNC"):
        msg = recvmsg(rx, ancbufsize=socket.CMSG_SPACE(20))  # room for pktinfo only
    assert msg.control_truncated and not msg.truncated
    assert msg.pktinfo == PacketInfo("::1", LO) and msg.hoplimit is None
    assert "control_truncated" in repr(msg)


def test_default_control_buffer_holds_everything() -> None:
    # pktinfo + hop limit + tclass + three 2 KB extension headers fit at once (no MSG_CTRUNC possible)
    needed = socket.CMSG_SPACE(20) + 2 * socket.CMSG_SPACE(4) + 3 * socket.CMSG_SPACE(2048)
    assert ANCILLARY_BUFFER_SIZE >= needed


@needs_root
def test_destination_and_hop_by_hop_options_arrive_decoded() -> None:
    rx = _receiver(*RECV_ALL, "IPV6_RECVDSTOPTS", "IPV6_RECVHOPOPTS")
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    dst = DestinationOptions([Option(0x1E, b"sockapi6")])
    hbh = HopByHopOptions([Option(0x1E, b"hbh")])
    # a full-size (2 KB) destination options header also fits the default control buffer
    big = DestinationOptions([Option(0x1E, bytes(255))] * 7)
    msg = _send(tx, rx, b"opts", [dst, hbh, TrafficClass(0)])
    assert msg.dstopts is not None and msg.dstopts.options == dst.options
    assert msg.hopopts is not None and msg.hopopts.options == hbh.options
    assert msg.tclass == 0 and msg.pktinfo == PacketInfo("::1", LO)
    msg = _send(tx, rx, b"big", [big])
    assert not msg.control_truncated and msg.dstopts.options == big.options
    assert len(bytes(msg.dstopts)) > 1700


def test_ipv6_recverr_reports_port_unreachable() -> None:
    closed = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    closed.bind(("::1", 0))
    target = closed.getsockname()
    closed.close()  # nobody listens there now: the kernel answers with ICMPv6 port unreachable
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.setsockopt(IPV6, CONSTANTS["IPV6_RECVERR"], 1)
    sendmsg(tx, b"anyone?", target)
    deadline = time.monotonic() + 5
    while True:
        try:
            msg = recvmsg(tx, flags=socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "no error was queued"
            time.sleep(0.01)
    err = msg.error
    assert isinstance(err, ExtendedError)
    assert err.errno == errno.ECONNREFUSED
    assert err.origin is ErrorOrigin.ICMP6
    assert (err.type, err.code) == (1, 4)  # RFC 4443: destination unreachable, port unreachable
    assert err.offender == IPv6Address("::1")
    assert msg.data == b"anyone?"  # the offending datagram comes back as the payload


def test_original_destination_is_decoded() -> None:
    from sockapi6.ancillary import OriginalDestination

    if "IPV6_RECVORIGDSTADDR" not in CONSTANTS:
        pytest.skip("this OS has no IPV6_RECVORIGDSTADDR")
    rx = _receiver("IPV6_RECVORIGDSTADDR")
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    msg = _send(tx, rx)
    assert msg.original_destination == OriginalDestination("::1", rx.getsockname()[1])
    assert msg.ancillary == [msg.original_destination]


def _path_mtu_scenario() -> tuple[Any, ...]:
    import subprocess

    subprocess.run(["ip", "link", "set", "lo", "mtu", "1280"], check=True)
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::1", 0))
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.setsockopt(IPV6, CONSTANTS["IPV6_RECVPATHMTU"], 1)
    tx.setsockopt(IPV6, CONSTANTS["IPV6_DONTFRAG"], 1)
    tx.connect(rx.getsockname())
    try:
        tx.send(b"x" * 1400)
        refused = 0
    except OSError as exc:
        refused = exc.errno or 0
    tx.setblocking(False)
    msg = recvmsg(tx)  # RFC 3542 section 11.3: the MTU comes as an IPV6_PATHMTU item, no data
    return refused, msg.data, msg.path_mtu


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_path_mtu_is_delivered_when_dontfrag_refuses_a_datagram() -> None:
    from sockapi6.ancillary import PathMTU

    refused, data, path_mtu = run_in_netns(_path_mtu_scenario)
    assert refused == errno.EMSGSIZE
    assert data == b""
    assert path_mtu == PathMTU("::1", 1280)


def test_next_hop_is_reported_as_not_supported_on_linux(pair: tuple[socket.socket, socket.socket]) -> None:
    from sockapi6.ancillary import NextHop
    from sockapi6.errors import NotSupportedError

    if not PLATFORM.startswith("linux"):
        pytest.skip("the kernel fact pinned here is Linux's")
    rx, tx = pair
    # the raw item: Linux refuses it with EINVAL (design.md kernel facts) ...
    with pytest.raises(OSError) as raw:
        sendmsg(tx, b"x", rx.getsockname(), [NextHop("::1").to_cmsg()])
    assert raw.value.errno == errno.EINVAL
    # ... which sendmsg names before asking the kernel
    with pytest.raises(NotSupportedError, match="IPV6_NEXTHOP is not supported on linux"):
        sendmsg(tx, b"x", rx.getsockname(), [NextHop("::1")])


def test_rfc2292_options_give_the_same_views() -> None:
    if "IPV6_2292PKTINFO" not in CONSTANTS:
        pytest.skip("this OS has no RFC 2292 option numbers")
    rx = _receiver("IPV6_2292PKTINFO", "IPV6_2292HOPLIMIT")
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    msg = _send(tx, rx, items=[HopLimit(255)])
    types = {type_ for _level, type_, _data in msg.raw_ancillary}
    assert types == {CONSTANTS["IPV6_2292PKTINFO"], CONSTANTS["IPV6_2292HOPLIMIT"]}
    assert msg.pktinfo == PacketInfo("::1", LO) and msg.hoplimit == 255
    assert msg.hop_limit_is_255


def test_dual_stack_ipv4_traffic_shows_ipv4_views() -> None:
    rx = _receiver(*RECV_ALL, bind="::", v6only=False)
    # Pinned kernel fact: for IPv4 datagrams a v6 socket delivers IPV6_PKTINFO (IPv4-mapped) but not
    # IPV6_HOPLIMIT / IPV6_TCLASS; the IPv4 options give those as IP_TTL / IP_TOS.
    for name in ("IP_RECVTTL", "IP_RECVTOS"):
        rx.setsockopt(socket.IPPROTO_IP, CONSTANTS[name], 1)
    port = rx.getsockname()[1]
    tx4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx4.bind(("127.0.0.1", 0))
    assert sendmsg(tx4, b"v4", ("127.0.0.1", port), [HopLimit(33), TrafficClass(0x28)]) == 2
    msg = recvmsg(rx)
    assert msg.pktinfo == PacketInfo("127.0.0.1", LO)
    assert msg.pktinfo is not None and msg.pktinfo.address == IPv4Address("127.0.0.1")
    assert msg.pktinfo.address_text == "127.0.0.1"
    assert (msg.hoplimit, msg.tclass) == (33, 0x28)
    kinds = {(level, type_) for level, type_, _d in msg.raw_ancillary}
    assert (socket.IPPROTO_IP, CONSTANTS["IP_TTL"]) in kinds
    assert msg.address[0] == "::ffff:127.0.0.1"
    assert msg.peer == IPv4Address("127.0.0.1")  # the real peer, unmapped
    # the reply goes out with the family the OS needs: IPv4-level items for an IPv4 peer
    rx4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx4.bind(("127.0.0.1", 0))
    rx4.settimeout(5)
    for name in ("IP_RECVTTL", "IP_RECVTOS", "IP_PKTINFO"):
        rx4.setsockopt(socket.IPPROTO_IP, CONSTANTS[name], 1)
    sendmsg(rx, b"reply", (msg.peer, rx4.getsockname()[1]),
            [PacketInfo("::", 0), HopLimit(5), TrafficClass(0x10)])
    reply = recvmsg(rx4)
    assert reply.data == b"reply"
    assert (reply.hoplimit, reply.tclass) == (5, 0x10)
    assert reply.pktinfo is not None and reply.pktinfo.address == IPv4Address("127.0.0.1")


def test_received_message_record() -> None:
    raw = [(IPV6, CONSTANTS["IPV6_HOPLIMIT"], struct.pack("=i", 0))]
    msg = ReceivedMessage(b"d", ("::1", 5, 0, 0), 0, raw)
    assert msg.hoplimit == 0 and msg.pktinfo is None and msg.flags == 0
    assert msg.ancillary == [HopLimit(0)]
    assert msg.ancillary is msg.ancillary  # decoded once


def test_a_built_message_decodes_its_hot_fields_as_recvmsg_does() -> None:
    # the IPv4 forms of a dual-stack socket, first come first kept, no MSG_CTRUNC warning
    import warnings

    from sockapi6._system.binding import ffi

    info = ffi.new("struct in_pktinfo *")
    info.ipi_ifindex = LO
    ffi.memmove(ffi.addressof(info.ipi_addr), bytes([127, 0, 0, 1]), 4)
    raw = [
        (socket.IPPROTO_IP, CONSTANTS["IP_PKTINFO"], bytes(ffi.buffer(info))),
        (socket.IPPROTO_IP, CONSTANTS["IP_TTL"], struct.pack("=i", 9)),
        (socket.IPPROTO_IP, CONSTANTS["IP_TTL"], struct.pack("=i", 200)),
        (socket.IPPROTO_IP, CONSTANTS["IP_TOS"], b"\x04"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        msg = ReceivedMessage(b"d", ("::ffff:127.0.0.1", 5, 0, 0), CONSTANTS["MSG_CTRUNC"], raw)
    assert msg.pktinfo == PacketInfo("127.0.0.1", LO) and msg.pktinfo.is_ipv4
    assert (msg.hoplimit, msg.tclass) == (9, 4)
    assert msg.control_truncated and msg.peer == IPv4Address("127.0.0.1")


def test_malformed_hot_item_warns_instead_of_losing_the_datagram() -> None:
    from sockapi6.errors import MalformedError
    from sockapi6.messaging import AncillaryWarning

    raw = [(IPV6, CONSTANTS["IPV6_PKTINFO"], b"short")]
    with pytest.warns(AncillaryWarning, match="IPV6_PKTINFO"):
        msg = ReceivedMessage(b"d", ("::1", 5, 0, 0), 0, raw)
    assert msg.pktinfo is None and msg.data == b"d"
    with pytest.raises(MalformedError):
        msg.ancillary  # noqa: B018


# ---------------------------------------------------------------------------
# odhcpd's reply path, in a veth pair: IPV6_PKTINFO picks the outgoing interface
# ---------------------------------------------------------------------------

def _odhcpd_server(ifname: str) -> tuple[Any, ...]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(IPV6, CONSTANTS["IPV6_V6ONLY"], 1)
    sock.setsockopt(IPV6, CONSTANTS["IPV6_RECVPKTINFO"], 1)
    sock.bind(("::", 547))
    sock.settimeout(10)
    msg = recvmsg(sock)
    info = msg.pktinfo
    assert info is not None
    # reply to the client's link-local address WITHOUT a scope id: only the pktinfo's ifindex
    # tells the kernel which link to use (odhcpd_send)
    client = IPv6Address(msg.address[0].split("%")[0])
    parts = [b"\x07", msg.data[1:4], b"reply"]  # an iovec reply, as odhcpd builds it
    sendmsg(sock, parts, (client, msg.address[1]), [PacketInfo("::", info.ifindex)])
    return info.address_text, info.ifindex, socket.if_nametoindex(ifname), msg.address[0]


def _odhcpd_client(server: str, ifname: str, own: str) -> tuple[Any, ...]:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(IPV6, CONSTANTS["IPV6_RECVPKTINFO"], 1)
    sock.setsockopt(IPV6, CONSTANTS["IPV6_RECVHOPLIMIT"], 1)
    # the veth also has an EUI-64 link-local: bind the fixed one, as a DHCPv6 client on fe80::a
    sock.bind((own, 546, 0, socket.if_nametoindex(ifname)))
    sock.settimeout(0.2)
    deadline = time.monotonic() + 10
    while True:  # the server may not be listening yet: resend until it answers
        sendmsg(sock, b"\x01abc", f"[{server}%{ifname}]:547")
        try:
            msg = recvmsg(sock)
            break
        except socket.timeout:
            assert time.monotonic() < deadline, "no reply from the server"
    info = msg.pktinfo
    assert info is not None
    return msg.data, info.address_text, info.ifindex, socket.if_nametoindex(ifname), msg.hoplimit


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_odhcpd_style_reply_selects_the_interface_with_pktinfo() -> None:
    with VethPair() as veth:
        server = veth.start("b", _odhcpd_server, veth.ifname["b"])
        data, dst, ifindex, expected, hoplimit = veth.run(
            "a", _odhcpd_client, str(veth.lladdr["b"]), veth.ifname["a"], str(veth.lladdr["a"]), timeout=20)
        got_dst, got_if, if_b, client = server.result(20)
    assert data == b"\x07abcreply"  # three buffers, one datagram
    assert dst == f"fe80::a%{expected}" and ifindex == expected  # the client saw its link-local
    assert hoplimit == 64
    assert got_dst == f"fe80::b%{if_b}" and got_if == if_b
    assert client.startswith("fe80::a")
