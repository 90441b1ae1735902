"""asyncio receive path: ``sockapi6.aio`` versus a plain asyncio ``DatagramProtocol`` and synchronous
``sockapi6.recvmsg``, in one run.

Two scenarios over ``::1``, sides alternating round by round so that all see
the same machine state:

* **backlog**: batches of datagrams are queued first, then drained (only the
  draining is timed) by
  ``await DatagramEndpoint.receive()``, ``await sockapi6.aio.recvmsg(sock)``,
  asyncio's own ``await loop.sock_recv(sock, n)`` (same waiting design, no
  ancillary data), a ``DatagramProtocol`` (one ``recvfrom`` per loop iteration: asyncio's
  transport reads one datagram per readiness callback), and the synchronous
  ``sockapi6.recvmsg`` loop (the ceiling: no event loop at all);
* **ping-pong**: one datagram in flight; each is sent by a loop callback
  only after the receiver is waiting, so every receive goes through the
  selector (for ``sockapi6.aio``: ``add_reader``, a future, ``remove_reader``).

The sockapi6 sides decode what a multicast responder needs per packet
(destination address, interface index, hop limit, traffic class, with
``IPV6_RECVPKTINFO``/``RECVHOPLIMIT``/``RECVTCLASS`` on); the
``DatagramProtocol`` side only gets ``(data, addr)`` -- asyncio's
transports cannot deliver ancillary data -- and its socket has those
options off, as a plain asyncio program would.

    python benchmarks/bench_aio.py [--count 20000] [--batch 1000] [--rounds 5] [--pingpong 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import time
from typing import Any, Callable, Optional

try:
    from sockapi6 import aio, messaging
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
    from sockapi6 import aio, messaging
from sockapi6._system.binding import CONSTANTS

RECV_OPTIONS = ("IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS")
PAYLOAD = b"x" * 64
Row = tuple[Any, ...]


def _receiver(ancillary: bool) -> socket.socket:
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    force = getattr(socket, "SO_RCVBUFFORCE", None)
    try:
        rx.setsockopt(socket.SOL_SOCKET, force or socket.SO_RCVBUF, 64 << 20)
    except OSError:
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    rx.bind(("::1", 0))
    if ancillary:
        for name in RECV_OPTIONS:
            rx.setsockopt(socket.IPPROTO_IPV6, CONSTANTS[name], 1)
    rx.setblocking(False)
    return rx


def _row(msg: messaging.ReceivedMessage) -> Row:
    info = msg.pktinfo
    return (info.address_text, info.ifindex, msg.hoplimit, msg.tclass)  # type: ignore[union-attr]


class _Collect(asyncio.DatagramProtocol):
    """A plain asyncio receiver: keeps (data, addr); resolves ``done`` after ``left`` datagrams.
    With ``reply`` set, each datagram triggers the next send from a loop callback (ping-pong)."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.left = 0
        self.done: Optional[asyncio.Future[None]] = None
        self.reply: Optional[Callable[[], object]] = None

    def expect(self, n: int, reply: Optional[Callable[[], object]] = None) -> asyncio.Future[None]:
        self.rows, self.left, self.reply = [], n, reply
        self.done = asyncio.get_running_loop().create_future()
        return self.done

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.rows.append((data, addr))
        self.left -= 1
        if self.left == 0:
            assert self.done is not None
            self.done.set_result(None)
        elif self.reply is not None:
            asyncio.get_running_loop().call_soon(self.reply)


class Bench:
    """The sockets, the loop and the sides of both scenarios."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        self.sync_sock = _receiver(True)
        self.func_sock = _receiver(True)
        self.ep = self.loop.run_until_complete(aio.open_endpoint(sock=_receiver(True)))
        self.proto_sock = _receiver(False)
        self.plain_sock = _receiver(False)
        self.transport, self.proto = self.loop.run_until_complete(
            self.loop.create_datagram_endpoint(_Collect, sock=self.proto_sock))

    def close(self) -> None:
        self.transport.close()
        self.ep.close()
        self.loop.run_until_complete(asyncio.sleep(0))
        self.loop.close()
        for s in (self.tx, self.sync_sock, self.func_sock, self.plain_sock):
            s.close()

    def fill(self, sock: socket.socket, n: int) -> None:
        send, dest = self.tx.sendto, sock.getsockname()
        for _ in range(n):
            send(PAYLOAD, dest)

    # -- backlog: each returns (seconds, rows) ----------------------------------------------------

    def backlog_sync(self, n: int) -> tuple[float, list[Row]]:
        self.fill(self.sync_sock, n)
        recv, sock = messaging.recvmsg, self.sync_sock
        t0 = time.perf_counter()
        rows = [_row(recv(sock)) for _ in range(n)]
        return time.perf_counter() - t0, rows

    def backlog_endpoint(self, n: int) -> tuple[float, list[Row]]:
        self.fill(self.ep.sock, n)

        async def drain() -> list[Row]:
            receive = self.ep.receive
            return [_row(await receive()) for _ in range(n)]

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(drain())
        return time.perf_counter() - t0, rows

    def backlog_function(self, n: int) -> tuple[float, list[Row]]:
        self.fill(self.func_sock, n)

        async def drain() -> list[Row]:
            recv, sock = aio.recvmsg, self.func_sock
            return [_row(await recv(sock)) for _ in range(n)]

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(drain())
        return time.perf_counter() - t0, rows

    def backlog_sock_recv(self, n: int) -> tuple[float, list[Row]]:
        self.fill(self.plain_sock, n)

        async def drain() -> list[Row]:
            recv, sock = self.loop.sock_recv, self.plain_sock
            return [(await recv(sock, 65535),) for _ in range(n)]

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(drain())
        return time.perf_counter() - t0, rows

    def backlog_protocol(self, n: int) -> tuple[float, list[Row]]:
        self.fill(self.proto_sock, n)

        async def drain() -> list[Row]:
            await self.proto.expect(n)
            return self.proto.rows

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(drain())
        return time.perf_counter() - t0, rows

    # -- ping-pong ------------------------------------------------------------------------------

    def pingpong_endpoint(self, n: int) -> tuple[float, list[Row]]:
        send, dest, ep = self.tx.sendto, self.ep.local_address, self.ep

        async def run() -> list[Row]:
            call_soon = asyncio.get_running_loop().call_soon
            rows = []
            for _ in range(n):
                call_soon(send, PAYLOAD, dest)  # sent once the receive below is waiting
                rows.append(_row(await ep.receive()))
            return rows

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(run())
        return time.perf_counter() - t0, rows

    def pingpong_sock_recv(self, n: int) -> tuple[float, list[Row]]:
        send, sock = self.tx.sendto, self.plain_sock
        dest = sock.getsockname()

        async def run() -> list[Row]:
            loop = asyncio.get_running_loop()
            call_soon, recv = loop.call_soon, loop.sock_recv
            rows: list[Row] = []
            for _ in range(n):
                call_soon(send, PAYLOAD, dest)
                rows.append((await recv(sock, 65535),))
            return rows

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(run())
        return time.perf_counter() - t0, rows

    def pingpong_protocol(self, n: int) -> tuple[float, list[Row]]:
        send, dest = self.tx.sendto, self.proto_sock.getsockname()

        async def run() -> list[Row]:
            done = self.proto.expect(n, lambda: send(PAYLOAD, dest))
            asyncio.get_running_loop().call_soon(send, PAYLOAD, dest)
            await done
            return self.proto.rows

        t0 = time.perf_counter()
        rows = self.loop.run_until_complete(run())
        return time.perf_counter() - t0, rows


def _measure(sides: list[tuple[str, Callable[[int], tuple[float, list[Row]]]]], count: int, batch: int,
             rounds: int) -> dict[str, float]:
    """Best datagrams/s per side over ``rounds``, each round ``count`` datagrams in ``batch``es."""
    best = {name: 0.0 for name, _ in sides}
    for _ in range(rounds):
        spent = {name: 0.0 for name, _ in sides}
        done = 0
        while done < count:
            this = min(batch, count - done)
            for name, fn in sides:
                seconds, rows = fn(this)
                if len(rows) != this:
                    raise SystemExit(f"{name}: {len(rows)} of {this} datagrams")
                spent[name] += seconds
            done += this
        for name in best:
            best[name] = max(best[name], count / spent[name])
    return best


def _print(title: str, best: dict[str, float], reference: str) -> None:
    print(title)
    width = max(map(len, best))
    for name, rate in best.items():
        print(f"  {name:<{width}}  {rate:>10,.0f} datagrams/s   {rate / best[reference]:.2f}x")


def run(count: int, batch: int, rounds: int, pingpong: int) -> int:
    bench = Bench()
    try:
        endpoint = "sockapi6.aio DatagramEndpoint.receive (+ancillary)"
        function = "sockapi6.aio.recvmsg(sock) (+ancillary)"
        protocol = "asyncio DatagramProtocol (no ancillary)"
        sync = "sockapi6.recvmsg, synchronous (+ancillary)"
        sock_recv = "asyncio loop.sock_recv (no ancillary)"
        backlog = _measure([(endpoint, bench.backlog_endpoint), (function, bench.backlog_function),
                            (protocol, bench.backlog_protocol), (sock_recv, bench.backlog_sock_recv),
                            (sync, bench.backlog_sync)], count, batch, rounds)
        ping = _measure([(endpoint, bench.pingpong_endpoint), (protocol, bench.pingpong_protocol),
                         (sock_recv, bench.pingpong_sock_recv)], pingpong, pingpong, rounds)
    finally:
        bench.close()
    print(f"Python {sys.version.split()[0]}, {type(bench.loop).__name__}; best of {rounds} rounds")
    _print(f"backlog: {count} queued datagrams per round in batches of {batch} (ratios to the endpoint)",
           backlog, endpoint)
    _print(f"ping-pong: {pingpong} datagrams one at a time, every receive waits (ratios to the endpoint)",
           ping, endpoint)
    for label, other in (("DatagramProtocol", protocol), ("loop.sock_recv", sock_recv)):
        print(f"endpoint / {label}: backlog {backlog[endpoint] / backlog[other]:.2f}x, "
              f"ping-pong {ping[endpoint] / ping[other]:.2f}x")
    print(f"endpoint / synchronous sockapi6.recvmsg (backlog): {backlog[endpoint] / backlog[sync]:.2f}x")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20000, help="datagrams per round (backlog)")
    parser.add_argument("--batch", type=int, default=1000, help="datagrams queued at a time (backlog)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pingpong", type=int, default=5000, help="datagrams per round (ping-pong)")
    args = parser.parse_args(argv)
    return run(args.count, args.batch, args.rounds, args.pingpong)


if __name__ == "__main__":
    sys.exit(main())
