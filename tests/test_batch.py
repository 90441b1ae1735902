"""Batch I/O (``recvmmsg`` / ``sendmmsg``) on the real kernel: the same messages as ``recvmsg`` gives.

Every datagram received in a batch is compared field by field with what
``sockapi6.recvmsg`` returns for an identical datagram; both the one-call
path (``recvmmsg(2)``) and the loop fallback (forced through the table)
are run.  Scoped (link-local) senders run in a network namespace of their own.
"""

from __future__ import annotations

import errno
import socket
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from netns import netns_unavailable, run_in_netns

from sockapi6._system.binding import CONSTANTS, has_function
from sockapi6.ancillary import CMSG_SPACE, HopLimit, PacketInfo, TrafficClass
from sockapi6.messaging import (
    MAX_BATCH,
    AncillaryTruncatedWarning,
    BatchReceiver,
    ReceivedMessage,
    _batch,
    _batch_send,
    recvmmsg,
    recvmsg,
    sendmmsg,
)

IPPROTO_IPV6 = CONSTANTS["IPPROTO_IPV6"]
RECV = ("IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS")


@pytest.fixture(params=["syscall", "loop"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on the one-call path (where libc has it) and on the forced fallback loop."""
    if request.param == "loop":
        monkeypatch.setitem(_batch._RECEIVERS, True, _batch._RECEIVERS[False])
        monkeypatch.setitem(_batch_send._SENDERS, True, _batch_send._SENDERS[False])
    elif not (has_function("recvmmsg") and has_function("sendmmsg")):
        pytest.skip("this libc has no recvmmsg/sendmmsg")
    return str(request.param)


def _receiver(family: int = socket.AF_INET6, host: str = "::1") -> socket.socket:
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.bind((host, 0))
    for name in RECV:
        rx.setsockopt(IPPROTO_IPV6, CONSTANTS[name], 1)
    rx.settimeout(5.0)
    return rx


@pytest.fixture()
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    rx = _receiver()
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.bind(("::1", 0))
    yield rx, tx
    rx.close()
    tx.close()


def _view(msg: ReceivedMessage) -> tuple[Any, ...]:
    return (msg.data, msg.address, msg.flags, msg.raw_ancillary, msg.pktinfo, msg.hoplimit, msg.tclass,
            msg.truncated, msg.control_truncated, msg.ancillary)


def _send_set(tx: socket.socket, dest: Any, n: int) -> None:
    """n datagrams of different sizes, hop limits and traffic classes."""
    for i in range(n):
        tx.sendmsg([bytes([i]) * (10 + 37 * i)],
                   [(IPPROTO_IPV6, CONSTANTS["IPV6_HOPLIMIT"], (i + 1).to_bytes(4, "little")),
                    (IPPROTO_IPV6, CONSTANTS["IPV6_TCLASS"], (4 * i).to_bytes(4, "little"))],
                   0, dest)


def test_batch_equals_recvmsg(pair: tuple[socket.socket, socket.socket], path: str) -> None:
    """Per-message PacketInfo/HopLimit/TrafficClass, data, sender and flags equal recvmsg's."""
    rx, tx = pair
    n = 12
    _send_set(tx, rx.getsockname(), n)
    one_by_one = [_view(recvmsg(rx, 2048)) for _ in range(n)]
    _send_set(tx, rx.getsockname(), n)
    batch = recvmmsg(rx, 32, 2048)
    assert [_view(m) for m in batch] == one_by_one
    assert [m.hoplimit for m in batch] == list(range(1, n + 1))
    assert [m.tclass for m in batch] == [4 * i for i in range(n)]
    assert all(m.pktinfo == PacketInfo("::1", 1) for m in batch)
    assert batch[0].address == tx.getsockname()


def test_receiver_reused_over_many_batches(pair: tuple[socket.socket, socket.socket], path: str) -> None:
    """One BatchReceiver, buffers reused: no datagram lost, duplicated or mixed up."""
    rx, tx = pair
    receiver = BatchReceiver(rx, count=7, bufsize=64)
    for i in range(50):
        tx.sendto(i.to_bytes(2, "big") * 3, rx.getsockname())
    got: list[bytes] = []
    while len(got) < 50:
        batch = receiver.receive()
        assert 1 <= len(batch) <= 7
        got += [m.data for m in batch]
    assert got == [i.to_bytes(2, "big") * 3 for i in range(50)]


def test_truncation_per_message(pair: tuple[socket.socket, socket.socket], path: str) -> None:
    """MSG_TRUNC and MSG_CTRUNC are reported per message, as recvmsg reports them."""
    rx, tx = pair
    small_anc = CMSG_SPACE(20) + CMSG_SPACE(4)  # pktinfo and hop limit fit, traffic class does not
    sizes = [100, 300, 50, 1000]

    def send() -> None:
        for size in sizes:
            tx.sendto(b"z" * size, rx.getsockname())

    send()
    with warnings.catch_warnings(record=True) as one_warned:
        warnings.simplefilter("always")
        expected = [_view(recvmsg(rx, 200, 0, small_anc)) for _ in sizes]
    send()
    with warnings.catch_warnings(record=True) as batch_warned:
        warnings.simplefilter("always")
        batch = recvmmsg(rx, 8, 200, ancbufsize=small_anc)
    assert [_view(m) for m in batch] == expected
    assert [m.truncated for m in batch] == [False, True, False, True]
    assert [len(m.data) for m in batch] == [100, 200, 50, 200]
    assert all(m.control_truncated and m.tclass is None and m.hoplimit == 64 for m in batch)
    kinds = [w.category for w in batch_warned]
    assert kinds == [w.category for w in one_warned] == [AncillaryTruncatedWarning] * 4


def test_partial_batch_and_empty_queue(pair: tuple[socket.socket, socket.socket], path: str) -> None:
    """Fewer datagrams than count: what is queued, at once; nothing queued: BlockingIOError."""
    rx, tx = pair
    for i in range(3):
        tx.sendto(bytes([i]), rx.getsockname())
    time.sleep(0.05)
    t0 = time.monotonic()
    batch = recvmmsg(rx, 32)
    assert time.monotonic() - t0 < 1.0  # did not wait for 32
    assert [m.data for m in batch] == [b"\x00", b"\x01", b"\x02"]
    with pytest.raises(BlockingIOError):
        recvmmsg(rx, 32, flags=socket.MSG_DONTWAIT)
    rx.setblocking(False)
    with pytest.raises(BlockingIOError):
        recvmmsg(rx, 32)
    rx.settimeout(0.2)
    t0 = time.monotonic()
    with pytest.raises(socket.timeout):
        recvmmsg(rx, 4)
    assert 0.15 < time.monotonic() - t0 < 3.0


def test_blocking_socket_waits_for_the_first(pair: tuple[socket.socket, socket.socket], path: str) -> None:
    """A blocking socket waits for the first datagram, then returns without waiting for count."""
    import threading

    rx, tx = pair
    rx.settimeout(None)
    timer = threading.Timer(0.2, lambda: tx.sendto(b"late", rx.getsockname()))
    timer.start()
    t0 = time.monotonic()
    batch = recvmmsg(rx, 16)
    timer.join()
    assert [m.data for m in batch] == [b"late"]
    assert 0.1 < time.monotonic() - t0 < 4.0


def test_sendmmsg_per_message_ancillary(path: str) -> None:
    """Each datagram of one sendmmsg carries its own items and destination."""
    rx1, rx2 = _receiver(), _receiver()
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        sent = sendmmsg(tx, [
            (b"one", rx1.getsockname(), [HopLimit(3), TrafficClass(0x20)]),
            ([b"tw", b"o"], rx2.getsockname(), [HopLimit(200)]),
            (b"three", f"[::1]:{rx1.getsockname()[1]}", [PacketInfo("::1", 0), TrafficClass(0x48)]),
            (b"", rx2.getsockname(), ()),
        ])
        assert sent == 4
        a = recvmmsg(rx1, 8)
        b = recvmmsg(rx2, 8)
        if len(a) < 2:
            a += recvmmsg(rx1, 8)
        if len(b) < 2:
            b += recvmmsg(rx2, 8)
        assert [(m.data, m.hoplimit, m.tclass) for m in a] == [(b"one", 3, 0x20), (b"three", 64, 0x48)]
        assert [(m.data, m.hoplimit, m.tclass) for m in b] == [(b"two", 200, 0), (b"", 64, 0)]
        assert {m.address[1] for m in a + b} == {tx.getsockname()[1]}
    finally:
        for s in (rx1, rx2, tx):
            s.close()


def test_sendmmsg_connected_and_dual_stack(path: str) -> None:
    """Connected socket (address None) and IPv4 peers of a dual-stack socket, as sendmsg does them."""
    rx4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx4.bind(("127.0.0.1", 0))
    rx4.setsockopt(socket.IPPROTO_IP, CONSTANTS["IP_RECVTTL"], 1)
    rx4.settimeout(5.0)
    rx6 = _receiver()
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.setsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    try:
        assert sendmmsg(tx, [(b"v4", rx4.getsockname(), [HopLimit(9)])]) == 1
        got = recvmmsg(rx4, 4)
        assert [(m.data, m.hoplimit, m.address[0]) for m in got] == [(b"v4", 9, "127.0.0.1")]
        tx.connect(rx6.getsockname())
        assert sendmmsg(tx, [(b"c1", None, [HopLimit(5)]), (b"c2", None, ())]) == 2
        got = recvmmsg(rx6, 4)
        if len(got) < 2:
            got += recvmmsg(rx6, 4)
        assert [(m.data, m.hoplimit) for m in got] == [(b"c1", 5), (b"c2", 64)]
    finally:
        for s in (rx4, rx6, tx):
            s.close()


def test_dual_stack_receive_equals_recvmsg(path: str) -> None:
    """IPv4 senders on a dual-stack socket: mapped sender tuple and IPv4 items, as recvmsg."""
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.setsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    rx.bind(("::", 0))
    rx.settimeout(5.0)
    for name in RECV:
        rx.setsockopt(IPPROTO_IPV6, CONSTANTS[name], 1)
    rx.setsockopt(socket.IPPROTO_IP, CONSTANTS["IP_PKTINFO"], 1)
    rx.setsockopt(socket.IPPROTO_IP, CONSTANTS["IP_RECVTTL"], 1)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.bind(("127.0.0.1", 0))
    port = rx.getsockname()[1]
    try:
        tx.sendto(b"a", ("127.0.0.1", port))
        expected = _view(recvmsg(rx, 100))
        tx.sendto(b"a", ("127.0.0.1", port))
        (got,) = recvmmsg(rx, 4, 100)
        assert _view(got) == expected
        assert got.address == ("::ffff:127.0.0.1", tx.getsockname()[1], 0, 0)
        assert got.hoplimit == 64
    finally:
        rx.close()
        tx.close()


def _scoped_scenario(loop: bool) -> tuple[Any, Any, Any]:
    import subprocess

    if loop:
        _batch._RECEIVERS[True] = _batch._RECEIVERS[False]
    subprocess.run(["ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1"], check=True)
    subprocess.run(["ip", "addr", "add", "fe80::d0/64", "dev", "d0", "nodad"], check=True)
    for name in ("d0", "d1"):
        subprocess.run(["ip", "link", "set", name, "up"], check=True)
    index = socket.if_nametoindex("d0")
    rx = _receiver(host="::")
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.bind(("fe80::d0", 0, 0, index))
    dest = ("fe80::d0", rx.getsockname()[1], 0, index)
    tx.sendto(b"s", dest)
    expected = _view(recvmsg(rx, 100))
    tx.sendto(b"s", dest)
    (got,) = recvmmsg(rx, 4, 100)
    return expected, _view(got), index


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
@pytest.mark.parametrize("loop", [False, True])
def test_link_local_sender_scope(loop: bool) -> None:
    """A link-local sender: the same (host, port, flowinfo, scope_id) tuple as recvmsg, scope included."""
    expected, got, index = run_in_netns(_scoped_scenario, loop)
    assert got == expected
    assert got[1][3] == index and got[1][0].startswith("fe80::d0")
    assert got[4] == PacketInfo(f"fe80::d0%{index}", index)


@pytest.mark.parametrize(("kwargs", "exc"), [
    ({"count": 0}, ValueError), ({"count": -1}, ValueError), ({"count": MAX_BATCH + 1}, ValueError),
    ({"count": 2**40}, ValueError), ({"count": True}, TypeError), ({"count": 1.5}, TypeError),
    ({"bufsize": -1}, ValueError), ({"bufsize": 2**31}, ValueError),
    ({"count": 1024, "bufsize": 1 << 20}, ValueError), ({"ancbufsize": -5}, ValueError),
    ({"flags": 2**40}, ValueError),
])
def test_bad_receive_arguments_refused_before_libc(pair: tuple[socket.socket, socket.socket],
                                                   kwargs: dict[str, Any], exc: type) -> None:
    """Out-of-range sizes: ValueError / TypeError, and the queued datagram is still there."""
    rx, tx = pair
    tx.sendto(b"keep", rx.getsockname())
    with pytest.raises(exc):
        recvmmsg(rx, **kwargs)
    assert recvmsg(rx).data == b"keep"


def test_bad_sockets_and_messages(pair: tuple[socket.socket, socket.socket]) -> None:
    rx, tx = pair
    with pytest.raises(TypeError):
        recvmmsg(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sendmmsg(tx, [b"no address"])
    with pytest.raises(TypeError):
        sendmmsg(tx, [(b"x", rx.getsockname())])
    with pytest.raises(ValueError):
        sendmmsg(tx, [(b"x", rx.getsockname(), ())] * (MAX_BATCH + 1))
    with pytest.raises(TypeError):
        sendmmsg(tx, [(b"ok", rx.getsockname(), ()), ("text", rx.getsockname(), ())])
    assert sendmmsg(tx, []) == 0
    rx.settimeout(0.1)
    with pytest.raises(socket.timeout):  # the invalid batch sent nothing at all
        recvmsg(rx)
    closed = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    closed.close()
    with pytest.raises(OSError) as info:
        recvmmsg(closed)
    assert info.value.errno == errno.EBADF


def test_implementation_table() -> None:
    """The table, not an if-chain, picks the one-call path exactly where libc has the function."""
    assert set(_batch._RECEIVERS) == set(_batch_send._SENDERS) == {True, False}
    engine = BatchReceiver(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM), 2)._engine
    assert isinstance(engine, _batch._RECEIVERS[has_function("recvmmsg")])
