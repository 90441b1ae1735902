"""Batch receive: ``recvmmsg`` batches vs ``sockapi6.recvmsg`` vs hand-written stdlib code, in one run.

All three sides receive the same datagrams on ``::1`` with
``IPV6_RECVPKTINFO``, ``IPV6_RECVHOPLIMIT`` and ``IPV6_RECVTCLASS`` on and
produce the same row per packet: (destination address text, interface
index, hop limit, traffic class).  Datagrams are pre-sent in batches that
fit the receive buffer; only receiving is timed; the sides alternate batch
by batch.  Prints packets/s per side and the ratios.

    python benchmarks/bench_batch.py [--count 20000] [--batch 1000] [--rounds 5] [--vlen 32]
"""

from __future__ import annotations

import argparse
import socket
import sys
from typing import Callable

try:
    from sockapi6 import messaging
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
    from sockapi6 import messaging
from bench_recvmsg import Row, Side, _sockets, handwritten, measure, with_sockapi6

from sockapi6._binding import has_function


def batched(vlen: int) -> Callable[[socket.socket, int], list[Row]]:
    """The same job through one BatchReceiver kept across calls (recvmmsg, or its fallback loop)."""
    receivers: dict[int, messaging.BatchReceiver] = {}

    def run(sock: socket.socket, n: int) -> list[Row]:
        receiver = receivers.get(sock.fileno())
        if receiver is None:
            receiver = receivers[sock.fileno()] = messaging.BatchReceiver(sock, vlen, 2048)
        out: list[Row] = []
        append = out.append
        while len(out) < n:
            for msg in receiver.receive():
                info = msg.pktinfo
                append((info.address_text, info.ifindex, msg.hoplimit, msg.tclass))  # type: ignore[union-attr]
        return out

    return run


def bare(sock: socket.socket, n: int) -> list[Row]:
    """The standard library's bare recvmsg loop: the system calls alone, nothing parsed."""
    ancbufsize = socket.CMSG_SPACE(20) + 2 * socket.CMSG_SPACE(4)
    recv = sock.recvmsg
    for _ in range(n):
        recv(65535, ancbufsize)
    return [_BARE_ROW]


_BARE_ROW: Row = ("(not parsed)", 0, None, None)


def run(count: int, batch: int, rounds: int, vlen: int) -> int:
    rx, tx = _sockets(batch)
    rx.settimeout(5.0)
    label = f"messaging.BatchReceiver({vlen}) " + ("recvmmsg" if has_function("recvmmsg") else "loop")
    sides: list[tuple[str, Side]] = [
        ("stdlib bare recvmsg loop (no parsing)", bare),
        ("hand-written socket.recvmsg + struct", handwritten),
        ("sockapi6.recvmsg", with_sockapi6),
        (label, batched(vlen)),
    ]
    best, first = measure(sides, rx, tx, count, batch, rounds)
    outputs = {name: first[name] for name, _ in sides if first[name] is not _BARE_ROW}
    if len(set(outputs.values())) != 1:
        print(f"outputs differ: {outputs}", file=sys.stderr)
        return 1
    print(f"{count} datagrams x {rounds} rounds on ::1 (best round), output per packet: "
          f"{next(iter(outputs.values()))}")
    base = best["hand-written socket.recvmsg + struct"]
    for name, _fn in sides:
        print(f"  {name:<40} {best[name]:>12,.0f} packets/s  {best[name] / base:5.2f}x hand-written")
    print(f"  batch / sockapi6.recvmsg: {best[label] / best['sockapi6.recvmsg']:.2f}x")
    ratio = best[label] / best["stdlib bare recvmsg loop (no parsing)"]
    print(f"  typed batch / stdlib bare recvmsg loop: {ratio:.2f}x (goal >= 1.5)")
    rx.close()
    tx.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000, help="datagrams per side per round")
    parser.add_argument("--batch", type=int, default=1000, help="datagrams pre-sent at a time")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--vlen", type=int, default=32, help="datagrams per recvmmsg call")
    args = parser.parse_args(argv)
    return run(args.count, args.batch, args.rounds, args.vlen)


if __name__ == "__main__":
    sys.exit(main())
