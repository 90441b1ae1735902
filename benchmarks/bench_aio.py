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
* **ping-pong**: one datagram in flight against an echo server in *another
  process* (every datagram counted on both sides): ``await ep.send(...)`` then
  ``await ep.receive()``, against ``loop.sock_sendto``/``loop.sock_recvfrom``
  and a ``DatagramProtocol`` whose ``datagram_received`` resolves a future.
  By default client and echo share one CPU, so every receive really waits
  (the echo can run only once the client blocks); ``--cpus 2`` lets them run
  in parallel, where the reply is usually queued by the time the receive is
  tried.

Why an earlier in-process ping-pong (the datagram sent by a loop callback
after the receive started waiting) disagreed with an echo process: it
never timed a send through the endpoint (a plain ``sendto`` did it: the
endpoint's ``send`` then parsed the address text every time, ~16 us), and
its receives were always tried before the datagram existed; an echo process
makes both sides send, and every side tries the receive first, as the
standard library does.

The sockapi6 sides decode what a multicast responder needs per packet
(destination address, interface index, hop limit, traffic class, with
``IPV6_RECVPKTINFO``/``RECVHOPLIMIT``/``RECVTCLASS`` on); the
``DatagramProtocol`` side only gets ``(data, addr)`` -- asyncio's
transports cannot deliver ancillary data -- and its socket has those
options off, as a plain asyncio program would.

    python benchmarks/bench_aio.py [--count 20000] [--batch 1000] [--rounds 5] [--pingpong 3000] [--cpus 1]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import sys
import time
from typing import Any, Callable, Optional

try:
    from sockapi6 import aio, messaging
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])
    from sockapi6 import aio, messaging
from sockapi6._binding import CONSTANTS

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


# ------------------------------------------------------------------ ping-pong against an echo process
def _echo(ready: Any, cpus: Optional[set[int]]) -> None:
    """The echo server (another process): send every datagram back; b"stop" ends it with the count."""
    if cpus is not None:
        os.sched_setaffinity(0, cpus)
        # no wake-up preemption: the client's send does not run the echo at once, so the client's
        # receive finds nothing and waits (as with a remote peer), instead of the reply being queued
        # before sendto() returns
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.bind(("::1", 0))
    ready.send(sock.getsockname()[:2])
    echoed = 0
    while True:
        data, peer = sock.recvfrom(65535)
        if data == b"stop":
            break
        sock.sendto(data, peer)
        echoed += 1
    ready.send(echoed)


class _Replies(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.waiter: Optional[asyncio.Future[bytes]] = None

    def datagram_received(self, data: bytes, addr: Any) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(data)


async def _pp_endpoint(ep: aio.DatagramEndpoint, dest: tuple[str, int], n: int) -> int:
    send, receive, got = ep.send, ep.receive, 0
    for _ in range(n):
        await send(PAYLOAD, dest)
        got += len((await receive()).data) == len(PAYLOAD)
    return got


async def _pp_sock(sock: socket.socket, dest: tuple[str, int], n: int) -> int:
    loop = asyncio.get_running_loop()
    sendto, recvfrom, got = loop.sock_sendto, loop.sock_recvfrom, 0
    for _ in range(n):
        await sendto(sock, PAYLOAD, dest)
        got += len((await recvfrom(sock, 65535))[0]) == len(PAYLOAD)
    return got


async def _pp_protocol(transport: Any, proto: _Replies, dest: tuple[str, int], n: int) -> int:
    create, got = asyncio.get_running_loop().create_future, 0
    for _ in range(n):
        waiter = proto.waiter = create()
        transport.sendto(PAYLOAD, dest)
        got += len(await waiter) == len(PAYLOAD)
    return got


def pingpong(n: int, rounds: int, cpus: int) -> tuple[dict[str, float], int, int]:
    """Median round trips/s per side against one echo process; (rates, sent, echoed)."""
    pinned = {sorted(os.sched_getaffinity(0))[0]} if cpus == 1 and hasattr(os, "sched_setaffinity") else None
    parent, child = multiprocessing.Pipe()
    echo = multiprocessing.get_context("fork").Process(target=_echo, args=(child, pinned), daemon=True)
    echo.start()
    dest = parent.recv()
    if pinned is not None:
        os.sched_setaffinity(0, pinned)

    async def main() -> tuple[dict[str, list[float]], int]:
        loop = asyncio.get_running_loop()
        ep = await aio.open_endpoint(("::1", 0))
        ep_anc = await aio.open_endpoint(("::1", 0), options={"recv_pktinfo": True, "recv_hoplimit": True,
                                                              "recv_tclass": True})
        plain = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        plain.bind(("::1", 0))
        plain.setblocking(False)
        transport, proto = await loop.create_datagram_endpoint(_Replies, local_addr=("::1", 0))
        sides = {
            "sockapi6.aio DatagramEndpoint send/receive": lambda: _pp_endpoint(ep, dest, n),
            "  the same, IPV6_RECVPKTINFO/HOPLIMIT/TCLASS on": lambda: _pp_endpoint(ep_anc, dest, n),
            "asyncio loop.sock_sendto/sock_recvfrom": lambda: _pp_sock(plain, dest, n),
            "asyncio DatagramProtocol + future": lambda: _pp_protocol(transport, proto, dest, n),
        }
        rates: dict[str, list[float]] = {name: [] for name in sides}
        total = 0
        for _ in range(rounds):
            for name, side in sides.items():
                t0 = time.perf_counter()
                got = await side()
                rates[name].append(n / (time.perf_counter() - t0))
                if got != n:
                    raise SystemExit(f"{name}: {got} of {n} replies")
                total += got
        transport.close()
        ep.close()
        ep_anc.close()
        plain.close()
        return rates, total

    try:
        rates, total = asyncio.run(main())
    finally:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.sendto(b"stop", dest)
        echoed = parent.recv()
        echo.join(5)
        if pinned is not None:
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    return {name: statistics.median(r) for name, r in rates.items()}, total, echoed


def run(count: int, batch: int, rounds: int, pingpong_n: int, cpus: int) -> int:
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
    finally:
        bench.close()
    ping, sent, echoed = pingpong(pingpong_n, rounds, cpus)
    print(f"Python {sys.version.split()[0]}, {type(bench.loop).__name__}; best of {rounds} rounds")
    _print(f"backlog: {count} queued datagrams per round in batches of {batch} (ratios to the endpoint)",
           backlog, endpoint)
    for label, other in (("DatagramProtocol", protocol), ("loop.sock_recv", sock_recv)):
        print(f"endpoint / {label} (backlog): {backlog[endpoint] / backlog[other]:.2f}x")
    where = "one CPU shared with the echo: every receive waits" if cpus == 1 else f"{cpus} CPUs"
    ep_name = "sockapi6.aio DatagramEndpoint send/receive"
    _print(f"ping-pong against an echo process ({where}): {pingpong_n} round trips x {rounds} rounds, "
           f"median; {sent} sent, {echoed} echoed", ping, ep_name)
    sock_ratio = ping[ep_name] / ping["asyncio loop.sock_sendto/sock_recvfrom"]
    proto_ratio = ping[ep_name] / ping["asyncio DatagramProtocol + future"]
    print(f"endpoint / loop.sock_sendto+sock_recvfrom: {sock_ratio:.2f}x (goal >= 1.0); "
          f"endpoint / DatagramProtocol: {proto_ratio:.2f}x (goal >= 0.8)")
    print(f"endpoint / synchronous sockapi6.recvmsg (backlog): {backlog[endpoint] / backlog[sync]:.2f}x")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20000, help="datagrams per round (backlog)")
    parser.add_argument("--batch", type=int, default=1000, help="datagrams queued at a time (backlog)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pingpong", type=int, default=3000, help="round trips per side per round")
    parser.add_argument("--cpus", type=int, default=1, choices=(1, 2),
                        help="1: the client and the echo share a CPU (every receive waits); 2: not pinned")
    args = parser.parse_args(argv)
    return run(args.count, args.batch, args.rounds, args.pingpong, args.cpus)


if __name__ == "__main__":
    sys.exit(main())
