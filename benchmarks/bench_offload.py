"""UDP segmentation offload: GSO send and GRO receive, sockapi6 vs the standard library, in one run.

GSO: 1200-byte datagrams, 32 per call, to ``::1``; sides alternate batch by
batch: a ``sendto`` loop, raw ``socket.sendmsg`` with a hand-packed
``UDP_SEGMENT`` control message, and ``sockapi6.send_segments``.  The
receiver has no GRO and a buffer that holds a whole batch; after each timed
batch it is drained (untimed) and the datagrams counted: a side that lost
one fails the run (a ratio with losses means nothing).

GRO: a ``udp_gro`` socket fed by GSO sends (coalesced buffers pass through
on ``::1``) read through ``recvmsg(...).segments()``, against raw
``socket.recvmsg`` with hand parsing of the ``UDP_GRO`` item and memoryview
slicing, and against a plain ``recv`` loop receiving the same datagrams
sent one by one.  Only the receiving is timed; every datagram is counted.

Prints the median datagrams/s of each side over the rounds and the ratios
(goals: GSO >= 4x sendto, GRO >= 2.5x recv, sockapi6 >= 0.9x raw on both).

    python benchmarks/bench_offload.py [--batch 3200] [--rounds 7]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import struct
import sys
import time
from typing import Callable

try:
    import sockapi6
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
    import sockapi6

SOL_UDP, UDP_SEGMENT, UDP_GRO = 17, sockapi6.lib.UDP_SEGMENT, sockapi6.lib.UDP_GRO
SIZE, PER_CALL = 1200, 32
_INT = struct.Struct("=i")


def _receiver(gro: bool) -> socket.socket:
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        rx.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 256 << 20)
    except OSError:
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 << 20)
    rx.bind(("::1", 0))
    if gro:
        sockapi6.SocketOptions(rx).udp_gro = True
    rx.setblocking(False)
    return rx


def _count(rx: socket.socket) -> int:
    """Drain ``rx`` (no GRO): how many datagrams were queued."""
    n = 0
    while True:
        try:
            rx.recv(65535)
        except BlockingIOError:
            return n
        n += 1


# ------------------------------------------------------------------ GSO send sides
SendSide = Callable[[socket.socket, bytes, int, tuple[str, int]], int]


def send_loop(tx: socket.socket, buf: bytes, calls: int, dest: tuple[str, int]) -> int:
    view = memoryview(buf)
    sendto = tx.sendto
    for _ in range(calls):
        for i in range(0, PER_CALL * SIZE, SIZE):
            sendto(view[i:i + SIZE], dest)
    return calls * PER_CALL


def send_raw_gso(tx: socket.socket, buf: bytes, calls: int, dest: tuple[str, int]) -> int:
    cmsg = [(SOL_UDP, UDP_SEGMENT, struct.pack("=H", SIZE))]
    sendmsg, bufs = tx.sendmsg, [buf]
    for _ in range(calls):
        sendmsg(bufs, cmsg, 0, dest)
    return calls * PER_CALL


def send_sockapi6(tx: socket.socket, buf: bytes, calls: int, dest: tuple[str, int]) -> int:
    send = sockapi6.send_segments
    sent = 0
    for _ in range(calls):
        sent += send(tx, buf, SIZE, dest)
    return sent


# ------------------------------------------------------------------ GRO receive sides
RecvSide = Callable[[socket.socket, int], int]


def recv_loop(rx: socket.socket, n: int) -> int:
    recv = rx.recv
    got = 0
    while got < n:
        recv(65535)
        got += 1
    return got


def recv_raw_gro(rx: socket.socket, n: int) -> int:
    recvmsg, space, unpack = rx.recvmsg, socket.CMSG_SPACE(4), _INT.unpack
    got = 0
    while got < n:
        data, ancdata, _flags, _addr = recvmsg(65535, space)
        size = len(data)
        for level, type_, cdata in ancdata:
            if level == SOL_UDP and type_ == UDP_GRO:
                size = unpack(cdata)[0]
        view = memoryview(data)
        segments = [view[i:i + size] for i in range(0, len(data), size)]
        got += len(segments)
    return got


def recv_sockapi6(rx: socket.socket, n: int) -> int:
    recv = sockapi6.recvmsg
    got = 0
    while got < n:
        got += len(recv(rx).segments())
    return got


def _median(rates: list[float]) -> float:
    return statistics.median(rates)


def run(batch: int, rounds: int) -> int:
    calls = batch // PER_CALL
    batch = calls * PER_CALL
    buf = bytes(range(256)) * (PER_CALL * SIZE // 256) + bytes(PER_CALL * SIZE % 256)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    failures = 0

    # GSO send
    rx = _receiver(gro=False)
    dest = rx.getsockname()[:2]
    send_sides: list[tuple[str, SendSide]] = [
        ("sendto loop", send_loop), ("raw sendmsg + UDP_SEGMENT", send_raw_gso),
        ("sockapi6.send_segments", send_sockapi6)]
    rates: dict[str, list[float]] = {name: [] for name, _ in send_sides}
    for _ in range(rounds):
        for name, fn in send_sides:
            t0 = time.perf_counter()
            sent = fn(tx, buf, calls, dest)
            spent = time.perf_counter() - t0
            received = _count(rx)
            if sent != batch or received != batch:
                print(f"  {name}: sent {sent}, received {received} of {batch}: lost datagrams",
                      file=sys.stderr)
                failures += 1
            rates[name].append(batch / spent)
    rx.close()
    gso = {name: _median(r) for name, r in rates.items()}
    print(f"GSO send: {SIZE}-byte datagrams, {PER_CALL} per call, {batch} per batch x {rounds} rounds "
          f"(median), every datagram counted on both sides")
    for name, _fn in send_sides:
        print(f"  {name:<32} {gso[name]:>12,.0f} datagrams/s")
    gso_ratio = gso["sockapi6.send_segments"] / gso["sendto loop"]
    gso_raw = gso["sockapi6.send_segments"] / gso["raw sendmsg + UDP_SEGMENT"]
    print(f"  send_segments / sendto loop: {gso_ratio:.2f}x (goal >= 4); "
          f"/ raw GSO: {gso_raw:.2f}x (goal >= 0.9)")
    print(f"  raw GSO / sendto loop: {gso['raw sendmsg + UDP_SEGMENT'] / gso['sendto loop']:.2f}x")

    # GRO receive
    rx_plain, rx_gro = _receiver(gro=False), _receiver(gro=True)
    recv_sides: list[tuple[str, RecvSide, socket.socket, bool]] = [
        ("recv loop (sent one by one)", recv_loop, rx_plain, False),
        ("raw recvmsg + UDP_GRO slicing", recv_raw_gro, rx_gro, True),
        ("sockapi6 recvmsg().segments()", recv_sockapi6, rx_gro, True)]
    rates = {name: [] for name, *_ in recv_sides}
    for _ in range(rounds):
        for name, fn, rx, coalesced in recv_sides:
            dest = rx.getsockname()[:2]
            (send_raw_gso if coalesced else send_loop)(tx, buf, calls, dest)
            t0 = time.perf_counter()
            got = fn(rx, batch)
            spent = time.perf_counter() - t0
            if got != batch:
                print(f"  {name}: received {got} of {batch}", file=sys.stderr)
                failures += 1
            rates[name].append(batch / spent)
    gro = {name: _median(r) for name, r in rates.items()}
    print(f"GRO receive: the same datagrams, {batch} per batch x {rounds} rounds (median)")
    for name, *_ in recv_sides:
        print(f"  {name:<32} {gro[name]:>12,.0f} datagrams/s")
    gro_ratio = gro["sockapi6 recvmsg().segments()"] / gro["recv loop (sent one by one)"]
    gro_raw = gro["sockapi6 recvmsg().segments()"] / gro["raw recvmsg + UDP_GRO slicing"]
    print(f"  segments() / recv loop: {gro_ratio:.2f}x (goal >= 2.5); "
          f"/ raw GRO: {gro_raw:.2f}x (goal >= 0.9)")
    raw_gro = gro["raw recvmsg + UDP_GRO slicing"] / gro["recv loop (sent one by one)"]
    print(f"  raw GRO / recv loop: {raw_gro:.2f}x")
    for sock in (rx_plain, rx_gro, tx):
        sock.close()
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=3200, help="datagrams per side per round")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    return run(args.batch, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
