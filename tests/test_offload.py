"""UDP GSO/GRO, ECN, kernel timestamps and drop counters on the real kernel (Linux udp(7), socket(7)).

The one fake here: the GSO fallback is tested by injecting EIO/EINVAL at the
single system call of a GSO send (``sockapi6.messaging._segments._gso_send``),
because this kernel no longer refuses GSO on devices without checksum
offload; the datagrams then really go out the fallback way and are counted
on the receiving side.
"""

from __future__ import annotations

import copy
import errno
import pickle
import socket
import sys
import time
from ipaddress import IPv6Address
from typing import TYPE_CHECKING, Any

import pytest
from netns import VethPair, netns_unavailable

import sockapi6
from sockapi6 import (
    ECN,
    BatchReceiver,
    DropCount,
    GROSegmentSize,
    SocketOptions,
    Timestamp,
    Timestamping,
    TrafficClass,
    UDPSegment,
    parse_ancillary,
    recvmsg,
    send_segments,
)
from sockapi6.errors import MalformedError, RangeError
from sockapi6.messaging import _segments

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or "UDP_SEGMENT" not in dir(sockapi6),
                                reason="UDP GSO/GRO and these timestamps are Linux's")

C = sockapi6.lib
SOL_UDP = 17


def _receiver(gro: bool = False, host: str = "::1", family: int = socket.AF_INET6) -> socket.socket:
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind((host, 0))
    if gro:
        SocketOptions(rx).udp_gro = True
    rx.settimeout(2)
    return rx


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    rx, tx = _receiver(), socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    with rx, tx:
        yield rx, tx


def _payload(count: int, size: int, last: int | None = None) -> bytes:
    parts = [bytes([i % 256]) * size for i in range(count)]
    if last is not None:
        parts[-1] = parts[-1][:last]
    return b"".join(parts)


def _drain(rx: socket.socket, expected: int) -> list[bytes]:
    out = []
    while len(out) < expected:
        out.append(rx.recv(65535))
    rx.settimeout(0.05)
    try:
        extra = rx.recv(65535)
    except (TimeoutError, socket.timeout):
        extra = None
    assert extra is None, "more datagrams arrived than were sent"
    return out


# ------------------------------------------------------------------ items
def test_items_round_trip_and_validate() -> None:
    assert UDPSegment(1200).to_cmsg() == (SOL_UDP, C.UDP_SEGMENT, (1200).to_bytes(2, sys.byteorder))
    assert parse_ancillary([UDPSegment(1200).to_cmsg()]) == [UDPSegment(1200)]
    assert parse_ancillary([GROSegmentSize(1400).to_cmsg()]) == [GROSegmentSize(1400)]
    stamp = Timestamp(1_700_000_000_123_456_789)
    assert parse_ancillary([stamp.to_cmsg()]) == [stamp]
    assert parse_ancillary([Timestamping(5, 7).to_cmsg()]) == [Timestamping(5, 7)]
    assert parse_ancillary([DropCount(9).to_cmsg()]) == [DropCount(9)]
    assert eval(repr(UDPSegment(3)), vars(sockapi6)) == UDPSegment(3)
    for bad in (0, 65536, -1):
        with pytest.raises(RangeError):
            UDPSegment(bad)
    with pytest.raises(TypeError):
        UDPSegment("1200")  # type: ignore[arg-type]
    with pytest.raises(MalformedError):
        parse_ancillary([(SOL_UDP, C.UDP_GRO, b"\x01")])
    with pytest.raises(MalformedError):
        parse_ancillary([(socket.SOL_SOCKET, C.SCM_TIMESTAMPNS, bytes(15))])
    assert [int(e) for e in ECN] == [0, 1, 2, 3] and ECN.CE.name == "CE"


# ------------------------------------------------------------------ GSO send
@pytest.mark.parametrize("last", [None, 17])
def test_send_segments_delivers_every_datagram(pair: tuple[socket.socket, socket.socket],
                                               last: int | None) -> None:
    rx, tx = pair
    data = _payload(32, 1200, last)
    assert send_segments(tx, data, 1200, rx.getsockname()) == 32
    got = _drain(rx, 32)
    assert b"".join(got) == data and [len(d) for d in got[:-1]] == [1200] * 31
    assert _segments._GSO[tx] is True


def test_send_segments_more_than_one_send(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    data = _payload(300, 100)  # more than 128 segments: several GSO sends
    assert send_segments(tx, memoryview(data), 100, rx.getsockname()) == 300
    assert b"".join(_drain(rx, 300)) == data


def test_send_segments_validates_before_probing(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    for bad in (0, 65536):
        with pytest.raises(RangeError, match="segment_size"):
            send_segments(tx, b"x" * 10, bad, rx.getsockname())
    with pytest.raises(TypeError):
        send_segments(tx, "text", 10, rx.getsockname())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        send_segments(object(), b"x", 10)  # type: ignore[arg-type]
    assert tx not in _segments._GSO  # a caller's mistake never counts as "no GSO"


@pytest.mark.parametrize("code", [errno.EIO, errno.EINVAL])
def test_fallback_on_injected_failure(pair: tuple[socket.socket, socket.socket],
                                      monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    rx, tx = pair
    real = _segments._gso_send
    calls: list[int] = []

    def failing(sock: Any, buffers: Any, cmsgs: Any, destination: Any) -> int:
        if any(c[:2] == (SOL_UDP, C.UDP_SEGMENT) for c in cmsgs):
            calls.append(len(cmsgs))
            raise OSError(code, "injected at the GSO system call")
        return real(sock, buffers, cmsgs, destination)

    monkeypatch.setattr(_segments, "_gso_send", failing)
    data = _payload(40, 1000, 3)
    assert send_segments(tx, data, 1000, rx.getsockname(), [TrafficClass(0x20)]) == 40
    assert b"".join(_drain(rx, 40)) == data  # not one datagram lost or sent twice
    assert _segments._GSO[tx] is False and len(calls) == 1
    assert send_segments(tx, data, 1000, rx.getsockname()) == 40  # remembered: no GSO tried again
    assert len(calls) == 1
    _drain(rx, 40)


def test_other_errors_propagate(pair: tuple[socket.socket, socket.socket],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    rx, tx = pair

    def failing(*args: Any) -> int:
        raise OSError(errno.ENOBUFS, "injected")

    monkeypatch.setattr(_segments, "_gso_send", failing)
    with pytest.raises(OSError) as info:
        send_segments(tx, bytes(5000), 1000, rx.getsockname())
    assert info.value.errno == errno.ENOBUFS and _segments._GSO[tx] is True


def test_sticky_udp_segment(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    SocketOptions(tx).udp_segment = 500
    assert SocketOptions(tx).udp_segment == 500
    tx.sendto(_payload(4, 500), rx.getsockname())
    assert [len(d) for d in _drain(rx, 4)] == [500] * 4


# ------------------------------------------------------------------ GRO receive
def test_gro_pass_through_and_segments() -> None:
    with _receiver(gro=True) as rx, socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        data = _payload(10, 1200, 100)
        assert send_segments(tx, data, 1200, rx.getsockname()) == 10
        msg = recvmsg(rx)
        assert msg.gro_segment_size == 1200 and msg.data == data
        segs = msg.segments()
        assert [bytes(s) for s in segs] == [data[i:i + 1200] for i in range(0, len(data), 1200)]
        assert all(s.obj is msg.data for s in segs)  # views of the one buffer: zero-copy
        tx.sendto(b"single", rx.getsockname())
        single = recvmsg(rx)
        assert single.gro_segment_size is None and [bytes(s) for s in single.segments()] == [b"single"]


def test_batch_receiver_sizes_for_gro() -> None:
    with _receiver(gro=True) as rx, socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        receiver = BatchReceiver(rx, 8)
        assert receiver.bufsize == 65535
        with pytest.raises(RangeError, match="UDP_GRO"):
            BatchReceiver(rx, 8, bufsize=2048)
        data = _payload(40, 1200)
        send_segments(tx, data, 1200, rx.getsockname())
        got: list[bytes] = []
        while len(got) < 40:
            for msg in receiver.receive():
                assert not msg.truncated
                got.extend(bytes(s) for s in msg.segments())
        assert b"".join(got) == data
    with _receiver() as plain:
        assert BatchReceiver(plain).bufsize == 2048


def _veth_gro_receiver(port: int, gro: bool, expected: int) -> list[Any]:
    rx = _receiver(gro, "2001:db8::a")
    rx.close()
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rx.bind(("2001:db8::a", port))
    if gro:
        SocketOptions(rx).udp_gro = True
    rx.settimeout(5)
    out, datagrams = [], 0
    while datagrams < expected:
        msg = recvmsg(rx)
        out.append((msg.gro_segment_size, [bytes(s) for s in msg.segments()]))
        datagrams += len(msg.segments())
    return out


def _veth_sender(port: int, data: bytes, size: int) -> int:
    time.sleep(0.3)
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        return send_segments(tx, data, size, ("2001:db8::a", port))


@pytest.mark.root
@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
@pytest.mark.parametrize("gro", [False, True])
def test_gso_gro_over_veth(gro: bool) -> None:
    data = _payload(20, 1000, 10)
    with VethPair() as pair:
        receiving = pair.start("a", _veth_gro_receiver, 40555, gro, 20)
        assert pair.run("b", _veth_sender, 40555, data, 1000) == 20
        got = receiving.result(30)
    assert b"".join(b"".join(segs) for _size, segs in got) == data
    if gro:  # the GSO packet crosses the veth whole and arrives coalesced
        assert got[0][0] == 1000 and len(got[0][1]) > 1
    else:
        assert all(size is None and len(segs) == 1 for size, segs in got) and len(got) == 20


# ------------------------------------------------------------------ ECN
@pytest.mark.parametrize("codepoint", list(ECN))
def test_ecn_round_trip_ipv6(pair: tuple[socket.socket, socket.socket], codepoint: ECN) -> None:
    rx, tx = pair
    SocketOptions(rx).recv_tclass = True
    sockapi6.sendmsg(tx, b"e", rx.getsockname(), [codepoint])
    assert recvmsg(rx).ecn is codepoint


def test_ecn_to_ipv4_mapped_peer() -> None:
    """Linux ignores IPV6_TCLASS for an IPv4-mapped peer: only the IP_TOS form sets the bits."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx4, \
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
        rx4.bind(("127.0.0.1", 0))
        rx4.settimeout(2)
        SocketOptions(rx4).recv_tos = True
        tx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        port = rx4.getsockname()[1]
        sockapi6.sendmsg(tx, b"4", ("::ffff:127.0.0.1", port), [ECN.ECT0])
        assert recvmsg(rx4).ecn is ECN.ECT0
        send_segments(tx, bytes(3000), 1000, ("127.0.0.1", port), [ECN.CE])
        assert {recvmsg(rx4).ecn for _ in range(3)} == {ECN.CE}
        # the raw IPv6 item alone does not reach the IPv4 header
        tx.sendmsg([b"x"], [(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, (2).to_bytes(4, sys.byteorder))], 0,
                   ("::ffff:127.0.0.1", port))
        assert recvmsg(rx4).ecn is ECN.NOT_ECT


def test_ecn_dual_stack_receive() -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as rx, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx4:
        rx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        rx.bind(("::", 0))
        rx.settimeout(2)
        SocketOptions(rx).recv_tos = True
        SocketOptions(rx).recv_tclass = True
        tx4.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x03)
        tx4.sendto(b"v4", ("127.0.0.1", rx.getsockname()[1]))
        assert recvmsg(rx).ecn is ECN.CE


# ------------------------------------------------------------------ timestamps and drops
def _warm_up(rx: socket.socket, tx: socket.socket) -> None:
    """Kernel fact: turning receive timestamps on enables them system-wide through deferred work, so
    the first datagrams after the setsockopt may come unstamped; send until one is stamped."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        tx.sendto(b"warm-up", rx.getsockname())
        if recvmsg(rx).timestamp is not None:
            return
        time.sleep(0.01)
    pytest.fail("no receive timestamp within 2 s")


def test_timestamp_ns(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    SocketOptions(rx).timestamp_ns = True
    _warm_up(rx, tx)
    before = time.time_ns()
    tx.sendto(b"t", rx.getsockname())
    stamp = recvmsg(rx).timestamp
    assert isinstance(stamp, Timestamp) and before - 10**6 <= stamp.nanoseconds <= time.time_ns()


def test_software_rx_and_tx_timestamps_matched_by_opt_id(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    SocketOptions(rx).timestamping = C.SOF_TIMESTAMPING_RX_SOFTWARE | C.SOF_TIMESTAMPING_SOFTWARE
    _warm_up(rx, tx)
    flags = C.SOF_TIMESTAMPING_TX_SOFTWARE | C.SOF_TIMESTAMPING_SOFTWARE | C.SOF_TIMESTAMPING_OPT_ID \
        | C.SOF_TIMESTAMPING_OPT_TSONLY
    SocketOptions(tx).timestamping = flags
    before = time.time_ns()
    for i in range(3):
        tx.sendto(b"%d" % i, rx.getsockname())
    for i in range(3):
        msg = recvmsg(rx)
        assert msg.data == b"%d" % i and msg.timestamping is not None
        assert msg.timestamp is not None and msg.timestamp.nanoseconds >= before - 10**6
    # transmit stamps come back on the error queue, numbered by OPT_ID from 0 in send order
    ids = []
    deadline = time.monotonic() + 2
    while len(ids) < 3 and time.monotonic() < deadline:
        try:
            err = recvmsg(tx, flags=socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        assert err.error is not None and err.error.origin == C.SO_EE_ORIGIN_TIMESTAMPING
        assert err.error.info == C.SCM_TSTAMP_SND
        assert err.timestamping is not None and err.timestamping.software >= before - 10**6
        ids.append(err.error.data)
    assert ids == [0, 1, 2]


def test_dropped_counter(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    SocketOptions(rx).rxq_ovfl = True
    for _ in range(200):
        tx.sendto(bytes(1000), rx.getsockname())
    first = recvmsg(rx)  # queued before any drop: the count travels with each datagram, sent once non-zero
    assert first.dropped is None
    rx.setblocking(False)
    while True:
        try:
            recvmsg(rx)
        except BlockingIOError:
            break
    rx.settimeout(2)
    tx.sendto(b"after", rx.getsockname())
    msg = recvmsg(rx)
    assert msg.data == b"after" and msg.dropped is not None and 0 < msg.dropped < 200


def test_received_address_text_is_cached(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    SocketOptions(rx).recv_pktinfo = True
    tx.sendto(b"a", rx.getsockname())
    address = recvmsg(rx).pktinfo.address  # type: ignore[union-attr]
    assert str(address) == "::1" and address == IPv6Address("::1")
    assert hash(address) == hash(IPv6Address("::1"))
    assert repr(address) == "IPv6Address('::1')"
    assert type(pickle.loads(pickle.dumps(address))) is IPv6Address and copy.copy(address) == address
    assert str(address) is str(address)  # computed once


def test_info_reports_udp_offload() -> None:
    from sockapi6.cli.info import report

    offload = report()["udp_offload"]
    assert isinstance(offload, dict)
    assert offload["gso"] is True and offload["gso_max_segments"] in (64, 128) and offload["gro"] is True


def test_send_segments_connected_ipv4_and_buffer_sequences() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx4, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx4:
        rx4.bind(("127.0.0.1", 0))
        rx4.settimeout(2)
        tx4.connect(rx4.getsockname())
        parts = [b"a" * 700, b"b" * 700, b"c" * 100]
        assert send_segments(tx4, parts, 500) == 3
        assert b"".join(_drain(rx4, 3)) == b"".join(parts)
        assert send_segments(tx4, b"", 500) == 1  # an empty datagram is a datagram
        assert _drain(rx4, 1) == [b""]
