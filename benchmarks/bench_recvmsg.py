"""Receive path: ``sockapi6.recvmsg`` versus hand-written ``socket.recvmsg`` + ``struct``, in one run.

Both sides receive the same datagrams on ``::1`` with ``IPV6_RECVPKTINFO``,
``IPV6_RECVHOPLIMIT`` and ``IPV6_RECVTCLASS`` on and produce the same
outputs per packet: (destination address text, interface index, hop limit,
traffic class).  Datagrams are pre-sent in batches that fit the receive
buffer; only the receiving is timed, and the two sides alternate batch by
batch so that both see the same machine state.  The design budget is a
ratio of at least 0.9.  Also printed: the cost of ``parse_ancillary`` per
message.

    python benchmarks/bench_recvmsg.py [--count 20000] [--batch 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys
import time
from typing import Any, Callable, Optional

try:
    from sockapi6 import ancillary, messaging
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
    from sockapi6 import ancillary, messaging
from sockapi6._binding import CONSTANTS

IPPROTO_IPV6 = CONSTANTS["IPPROTO_IPV6"]
IPV6_PKTINFO = CONSTANTS["IPV6_PKTINFO"]
IPV6_HOPLIMIT = CONSTANTS["IPV6_HOPLIMIT"]
IPV6_TCLASS = CONSTANTS["IPV6_TCLASS"]
RECV_OPTIONS = ("IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS")

Row = tuple[str, int, Optional[int], Optional[int]]


def handwritten(sock: socket.socket, n: int) -> list[Row]:
    """What one writes with the standard library alone: recvmsg and struct."""
    ancbufsize = socket.CMSG_SPACE(20) + 2 * socket.CMSG_SPACE(4)
    unpack_int = struct.Struct("=i").unpack
    unpack_u32 = struct.Struct("=I").unpack_from
    inet_ntop, af_inet6 = socket.inet_ntop, socket.AF_INET6
    recv = sock.recvmsg
    out: list[Row] = []
    append = out.append
    for _ in range(n):
        _data, ancdata, _flags, _address = recv(65535, ancbufsize)
        dst, ifindex, hoplimit, tclass = "", 0, -1, -1
        for level, type_, cdata in ancdata:
            if level == IPPROTO_IPV6:
                if type_ == IPV6_PKTINFO:
                    dst = inet_ntop(af_inet6, cdata[:16])
                    ifindex = unpack_u32(cdata, 16)[0]
                elif type_ == IPV6_HOPLIMIT:
                    hoplimit = unpack_int(cdata)[0]
                elif type_ == IPV6_TCLASS:
                    tclass = unpack_int(cdata)[0]
        append((dst, ifindex, hoplimit, tclass))
    return out


def with_sockapi6(sock: socket.socket, n: int) -> list[Row]:
    """The same job through sockapi6.recvmsg and its shortcuts."""
    recv = messaging.recvmsg
    out: list[Row] = []
    append = out.append
    for _ in range(n):
        msg = recv(sock)
        info = msg.pktinfo
        append((info.address_text, info.ifindex, msg.hoplimit, msg.tclass))  # type: ignore[union-attr]
    return out


def idiomatic(sock: socket.socket, n: int) -> list[Row]:
    """What users write: ``str(msg.pktinfo.address)``, no shortcut."""
    recv = messaging.recvmsg
    out: list[Row] = []
    append = out.append
    for _ in range(n):
        msg = recv(sock)
        info = msg.pktinfo
        append((str(info.address), info.ifindex, msg.hoplimit, msg.tclass))  # type: ignore[union-attr]
    return out


def _sockets(batch: int) -> tuple[socket.socket, socket.socket]:
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    force = getattr(socket, "SO_RCVBUFFORCE", None)
    try:
        rx.setsockopt(socket.SOL_SOCKET, force or socket.SO_RCVBUF, 64 << 20)
    except OSError:
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    rx.bind(("::1", 0))
    for name in RECV_OPTIONS:
        rx.setsockopt(IPPROTO_IPV6, CONSTANTS[name], 1)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.connect(rx.getsockname())
    tx.setsockopt(IPPROTO_IPV6, CONSTANTS["IPV6_TCLASS"], 0x28)
    return rx, tx


def _fill(tx: socket.socket, rx: socket.socket, batch: int) -> None:
    payload = b"x" * 64
    for _ in range(batch):
        tx.send(payload)


Side = Callable[[socket.socket, int], list[Row]]


def measure(sides: list[tuple[str, Side]], rx: socket.socket, tx: socket.socket, count: int, batch: int,
            rounds: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Time each side on the same pre-sent datagrams, alternating batch by batch.

    Returns the best packets/s of each side and the first row each produced.
    """
    best = {name: 0.0 for name, _ in sides}
    first: dict[str, Any] = {}
    for _ in range(rounds):
        spent = {name: 0.0 for name, _ in sides}
        done = 0
        while done < count:
            this = min(batch, count - done)
            for name, fn in sides:
                _fill(tx, rx, this)
                t0 = time.perf_counter()
                rows = fn(rx, this)
                spent[name] += time.perf_counter() - t0
                first.setdefault(name, rows[0])
            done += this
        for name, _fn in sides:
            best[name] = max(best[name], count / spent[name])
    return best, first


def run(count: int, batch: int, rounds: int) -> int:
    rx, tx = _sockets(batch)
    rx.settimeout(5.0)
    sides: list[tuple[str, Side]] = [
        ("hand-written socket.recvmsg + struct", handwritten),
        ("sockapi6.recvmsg", with_sockapi6),
        ("sockapi6.recvmsg, str(pktinfo.address)", idiomatic),
    ]
    best, first = measure(sides, rx, tx, count, batch, rounds)
    outputs = {name: first[name] for name, _ in sides}
    if len(set(outputs.values())) != 1:
        print(f"outputs differ: {outputs}", file=sys.stderr)
        return 1
    print(f"{count} datagrams x {rounds} rounds on ::1 (best round), output per packet: "
          f"{next(iter(outputs.values()))}")
    for name, _fn in sides:
        print(f"  {name:<40} {best[name]:>12,.0f} packets/s")
    ratio = best["sockapi6.recvmsg"] / best["hand-written socket.recvmsg + struct"]
    print(f"  ratio sockapi6 / hand-written: {ratio:.3f} (design budget >= 0.9)")
    idiom = best["sockapi6.recvmsg, str(pktinfo.address)"] / best["hand-written socket.recvmsg + struct"]
    print(f"  ratio idiomatic str(msg.pktinfo.address) / hand-written: {idiom:.3f} (goal >= 0.9)")
    ratio = min(ratio, idiom)
    print(f"  sockapi6 control buffer: {messaging.ANCILLARY_BUFFER_SIZE} bytes per call")

    # parse_ancillary per message, on a real message's control data
    _fill(tx, rx, 1)
    ancdata = rx.recvmsg(65535, messaging.ANCILLARY_BUFFER_SIZE)[1]
    reps = 100000
    t0 = time.perf_counter()
    for _ in range(reps):
        ancillary.parse_ancillary(ancdata)
    per = (time.perf_counter() - t0) / reps
    print(f"  parse_ancillary: {per * 1e6:.2f} us per message ({len(ancdata)} items: "
          f"{ancillary.parse_ancillary(ancdata)})")
    _fill(tx, rx, 1)
    msg = messaging.recvmsg(rx)
    packed = msg.raw_ancillary[0][2][:16]
    ntop, af = socket.inet_ntop, socket.AF_INET6
    t0 = time.perf_counter()
    for _ in range(reps):
        ntop(af, packed)
    t_ntop = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(reps):
        str(msg.pktinfo.address)  # type: ignore[union-attr]
    t_str = time.perf_counter() - t0
    print(f"  str(msg.pktinfo.address): {t_str / reps * 1e9:.0f} ns, "
          f"socket.inet_ntop: {t_ntop / reps * 1e9:.0f} ns ({t_str / t_ntop:.2f}x; goal <= 1.2)")
    rx.close()
    tx.close()
    return 0 if ratio >= 0.9 else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000, help="datagrams per side per round")
    parser.add_argument("--batch", type=int, default=1000, help="datagrams pre-sent at a time")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    return run(args.count, args.batch, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
