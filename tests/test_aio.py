"""sockapi6.aio on the real kernel: recvmsg/sendmsg and DatagramEndpoint on asyncio (RFC 3542 sections 5-6).

UDP tests run over ``::1`` with ephemeral ports; the link-local multicast
round trip (the python-zeroconf case: which interface did the query come in
on, and which scope does the reply need) runs in a veth pair of its own.
Each test drives its own loop with ``asyncio.run`` (no pytest-asyncio).
"""

from __future__ import annotations

import asyncio
import errno
import gc
import socket
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Awaitable
from ipaddress import IPv4Address, IPv6Address
from typing import Any, Callable, TypeVar

import pytest
from netns import VethPair, netns_unavailable

from sockapi6 import aio
from sockapi6.aio import _ready
from sockapi6.ancillary import HopLimit, PacketInfo, TrafficClass
from sockapi6.errors import NotSupportedError
from sockapi6.multicast import join_group

T = TypeVar("T")
LO = socket.if_nametoindex("lo")
RECV_ALL = {"recv_pktinfo": True, "recv_hoplimit": True, "recv_tclass": True}


def run(make: Callable[[], Awaitable[T]], timeout: float = 20.0) -> T:
    """Run ``make()`` on a fresh loop, bounded so that a lost wake-up fails instead of hanging."""
    async def bounded() -> T:
        return await asyncio.wait_for(make(), timeout)

    return asyncio.run(bounded())


def assert_unregistered(fd: int) -> None:
    """Nothing of ``fd`` is left in sockapi6.aio's table or in the running loop's selector."""
    assert [key for key in _ready._REGISTRY if key[1] == fd] == []
    selector = getattr(asyncio.get_running_loop(), "_selector", None)
    if selector is not None:
        assert fd not in selector.get_map()


def _udp(bind: str = "::1") -> socket.socket:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind((bind, 0))
    s.setblocking(False)
    return s


# ---- import cost ------------------------------------------------------------------------------

def test_import_sockapi6_does_not_import_asyncio() -> None:
    code = "import sys, sockapi6; sockapi6.PacketInfo; sockapi6.recvmsg; print('asyncio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---- round trips on ::1 ----------------------------------------------------------------------

def test_endpoint_round_trip_with_ancillary_both_ways() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0), options=RECV_ALL) as a, \
                await aio.open_endpoint(("::1", 0), options=RECV_ALL) as b:
            assert a.options.recv_pktinfo and b.options.recv_tclass
            sent = await a.send(b"ping", b.local_address,
                                [PacketInfo("::1", LO), HopLimit(7), TrafficClass(0x28)])
            assert sent == 4
            msg = await b.receive()
            assert msg.data == b"ping"
            assert msg.pktinfo == PacketInfo("::1", LO)
            assert (msg.hoplimit, msg.tclass) == (7, 0x28)
            assert msg.address[:2] == ("::1", a.local_address[1])
            # reply to exactly what came in, with other values
            await b.send([b"po", b"ng"], msg.address, [HopLimit(9), TrafficClass(0x10)])
            reply = await a.receive()
            assert reply.data == b"pong"
            assert reply.pktinfo == PacketInfo("::1", LO)
            assert (reply.hoplimit, reply.tclass) == (9, 0x10)
            assert reply.peer == IPv6Address("::1") and reply.address[1] == b.local_address[1]
            assert reply.ancillary == [PacketInfo("::1", LO), HopLimit(9), TrafficClass(0x10)]

    run(main)


def test_functions_on_plain_sockets_both_ways() -> None:
    async def main() -> None:
        a, b = _udp(), _udp()
        try:
            for s in (a, b):
                for name in ("IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS"):
                    s.setsockopt(socket.IPPROTO_IPV6, getattr(socket, name), 1)
            # the receive is waiting (reader registered) before the datagram is sent
            pending = asyncio.ensure_future(aio.recvmsg(b))
            await asyncio.sleep(0)
            assert not pending.done()
            await aio.sendmsg(a, b"one", b.getsockname(), [HopLimit(3), TrafficClass(4)])
            msg = await pending
            assert (msg.data, msg.hoplimit, msg.tclass, msg.pktinfo) == (b"one", 3, 4, PacketInfo("::1", LO))
            await aio.sendmsg(b, (chunk for chunk in (b"tw", b"o")), msg.address, iter([HopLimit(200)]))
            back = await aio.recvmsg(a)  # already queued: no wait
            assert (back.data, back.hoplimit, back.pktinfo) == (b"two", 200, PacketInfo("::1", LO))
            assert_unregistered(a.fileno())
            assert_unregistered(b.fileno())
        finally:
            a.close()
            b.close()

    run(main)


# ---- cancellation and timeouts ----------------------------------------------------------------

def test_many_timeouts_leave_no_reader_and_receive_still_works() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            fd = rx.fileno()
            plain = _udp()
            try:
                for i in range(300):
                    timeout = (0, 0.0005, 0.002)[i % 3]
                    with pytest.raises(asyncio.TimeoutError):
                        await asyncio.wait_for(rx.receive(), timeout)
                    assert_unregistered(fd)
                    with pytest.raises(asyncio.TimeoutError):
                        await asyncio.wait_for(aio.recvmsg(plain), timeout)
                    assert_unregistered(plain.fileno())
                await tx.send(b"after", rx.local_address)
                assert (await asyncio.wait_for(rx.receive(), 5)).data == b"after"
                await tx.send(b"plain", plain.getsockname())
                assert (await asyncio.wait_for(aio.recvmsg(plain), 5)).data == b"plain"
                assert_unregistered(fd)
            finally:
                plain.close()
            assert _ready._REGISTRY == {}

    run(main)


def test_cancelled_waiter_leaves_the_datagram_queued() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            task = asyncio.ensure_future(rx.receive())
            await asyncio.sleep(0)  # now waiting on the loop
            await tx.send(b"kept", rx.local_address)  # readable, but the loop has not looked yet
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert_unregistered(rx.fileno())
            assert (await rx.receive()).data == b"kept"

    run(main)


def test_waiter_cancelled_after_its_wake_up_loses_nothing() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            fd = rx.fileno()
            key = (asyncio.get_running_loop(), fd, False)
            for i in range(20):
                task = asyncio.ensure_future(rx.receive())
                await asyncio.sleep(0)
                await tx.send(b"%d" % i, rx.local_address)
                await asyncio.sleep(0)  # the loop sees the socket readable ...
                await asyncio.sleep(0)  # ... and has woken the task, which has not run yet
                assert _ready._REGISTRY[key].woken == 1 and not task.done()
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                assert (await rx.receive()).data == b"%d" % i  # still queued
        assert_unregistered(fd)

    run(main)


def test_cancelling_one_of_two_waiters_keeps_the_other() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            first = asyncio.ensure_future(rx.receive())
            second = asyncio.ensure_future(rx.receive())
            await asyncio.sleep(0)
            first.cancel()
            await asyncio.sleep(0)
            assert first.cancelled() and not second.done()
            await tx.send(b"for the second", rx.local_address)
            assert (await second).data == b"for the second"
            fd = rx.fileno()
        assert_unregistered(fd)

    run(main)


def _waited_receive(rx: aio.DatagramEndpoint, tx: aio.DatagramEndpoint, data: bytes) -> Awaitable[Any]:
    """Receive ``data`` on ``rx`` through the loop: the receive is waiting before ``tx`` sends."""
    async def go() -> Any:
        pending = asyncio.ensure_future(rx.receive())
        await asyncio.sleep(0)
        assert not pending.done()
        await tx.send(data, rx.local_address)
        return await pending

    return go()


def test_endpoint_reader_lingers_between_receives_then_goes() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            fd = rx.fileno()
            selector = asyncio.get_running_loop()._selector  # type: ignore[attr-defined]
            assert (await _waited_receive(rx, tx, b"1")).data == b"1"
            registration = _ready._REGISTRY[(asyncio.get_running_loop(), fd, False)]
            assert fd in selector.get_map()  # kept for the next wait ...
            assert (await _waited_receive(rx, tx, b"2")).data == b"2"
            assert _ready._REGISTRY[(asyncio.get_running_loop(), fd, False)] is registration  # ... re-used
            # ready with nobody waiting: the registration goes, the datagram stays
            await tx.send(b"3", rx.local_address)
            for _ in range(3):
                await asyncio.sleep(0)
            assert_unregistered(fd)
            assert (await rx.receive()).data == b"3"
            assert (await _waited_receive(rx, tx, b"4")).data == b"4"
            assert fd in selector.get_map()
        assert_unregistered(fd)  # close() removed it

    run(main)


def test_unclosed_endpoint_takes_its_registration_along() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as tx:
            rx = await aio.open_endpoint(("::1", 0))
            fd = rx.fileno()
            assert (await _waited_receive(rx, tx, b"x")).data == b"x"
            assert [key for key in _ready._REGISTRY if key[1] == fd]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)  # the socket's own "unclosed" warning
                del rx
                gc.collect()
            assert_unregistered(fd)

    run(main)


def test_lingering_registration_of_a_closed_socket_is_not_reused() -> None:
    # Misuse: the endpoint's socket closed behind its back while its reader lingers.  A new socket
    # on the same descriptor number must still get its datagrams: it replaces the stale registration.
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as tx:
            rx = await aio.open_endpoint(("::1", 0))
            fd = rx.fileno()
            assert (await _waited_receive(rx, tx, b"x")).data == b"x"
            rx.sock.close()
            fresh = _udp()
            try:
                if fresh.fileno() != fd:
                    pytest.skip(f"descriptor {fd} was not re-used (got {fresh.fileno()})")
                pending = asyncio.ensure_future(aio.recvmsg(fresh))
                await asyncio.sleep(0)
                await tx.send(b"fresh", fresh.getsockname())
                assert (await asyncio.wait_for(pending, 5)).data == b"fresh"
                assert_unregistered(fd)
            finally:
                fresh.close()
            rx.close()

    run(main)


# ---- concurrency --------------------------------------------------------------------------------

def test_two_receivers_many_senders_every_datagram_once() -> None:
    senders, each = 8, 150

    async def main() -> tuple[Counter[bytes], list[int]]:
        async with await aio.open_endpoint(("::1", 0), options={"recv_pktinfo": True}) as rx:
            rx.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            got: Counter[bytes] = Counter()
            per_receiver = [0, 0]
            done = asyncio.get_running_loop().create_future()

            async def receiver(k: int) -> None:
                async for msg in rx:
                    assert msg.pktinfo == PacketInfo("::1", LO)
                    got[msg.data] += 1
                    per_receiver[k] += 1
                    if sum(got.values()) == senders * each and not done.done():
                        done.set_result(None)

            async def sender(k: int) -> None:
                async with await aio.open_endpoint(("::1", 0)) as tx:
                    for i in range(each):
                        assert await tx.send(b"%d:%d" % (k, i), rx.local_address) > 0
                        await asyncio.sleep(0)

            receivers = [asyncio.ensure_future(receiver(k)) for k in range(2)]
            await asyncio.gather(*(sender(k) for k in range(senders)))
            await asyncio.wait_for(done, 10)
            fd = rx.fileno()
            rx.close()  # ends both async-for loops
            await asyncio.gather(*receivers)
            assert_unregistered(fd)
            return got, per_receiver

    got, per_receiver = run(main)
    assert got == Counter({b"%d:%d" % (k, i): 1 for k in range(senders) for i in range(each)})
    assert all(n > 0 for n in per_receiver), per_receiver


def test_a_flood_does_not_starve_other_tasks() -> None:
    async def main() -> int:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            rx.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            for i in range(640):
                tx.sock.sendto(b"%d" % i, rx.local_address)
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0)

            task = asyncio.ensure_future(ticker())
            await asyncio.sleep(0)
            start, n = ticks, 0
            async for msg in rx:
                assert msg.data == b"%d" % n
                n += 1
                if n == 640:
                    break
            task.cancel()
            return ticks - start

    # 640 queued datagrams, taken without waiting: the endpoint yields every 64
    assert run(main) >= 640 // aio.DatagramEndpoint.yield_every - 1


# ---- async iteration, closing ---------------------------------------------------------------------

def test_async_for_and_close_from_another_task() -> None:
    async def main() -> list[bytes]:
        rx = await aio.open_endpoint(("::1", 0))
        async with await aio.open_endpoint(("::1", 0)) as tx:
            for i in range(5):
                await tx.send(b"m%d" % i, rx.local_address)
            seen: list[bytes] = []

            async def closer() -> None:
                while len(seen) < 5:
                    await asyncio.sleep(0.01)
                await asyncio.sleep(0.05)  # the iteration is waiting for a sixth
                rx.close()

            closing = asyncio.ensure_future(closer())
            async for msg in rx:
                seen.append(msg.data)
            await closing
            fd = rx.sock.fileno()
            assert rx.closed and fd == -1 and "closed" in repr(rx)
            assert [key for key in _ready._REGISTRY] == []
            with pytest.raises(OSError) as info:
                await rx.receive()
            assert info.value.errno == errno.EBADF
            with pytest.raises(OSError):
                await rx.send(b"x", tx.local_address)
            rx.close()  # again: nothing
            assert [m async for m in rx] == []
            return seen

    assert run(main) == [b"m%d" % i for i in range(5)]


def test_pending_receive_fails_with_ebadf_on_close() -> None:
    async def main() -> None:
        rx = await aio.open_endpoint(("::1", 0))
        fd = rx.fileno()
        pending = asyncio.ensure_future(rx.receive())
        await asyncio.sleep(0)
        rx.close()
        with pytest.raises(OSError) as info:
            await pending
        assert info.value.errno == errno.EBADF
        assert_unregistered(fd)

    run(main)


def test_async_with_closes_and_async_for_breaks_cleanly() -> None:
    async def main() -> None:
        async with await aio.open_endpoint(("::1", 0)) as rx, await aio.open_endpoint(("::1", 0)) as tx:
            for i in range(3):
                await tx.send(bytes([i]), rx.local_address)
            async for msg in rx:
                if msg.data == b"\x01":
                    break
            assert (await rx.receive()).data == b"\x02"
            assert "DatagramEndpoint fd=" in repr(rx)
        assert rx.closed and tx.closed and rx.sock.fileno() == -1

    run(main)


# ---- sending waits while the send buffer is full --------------------------------------------------

def _full_unix_pair() -> tuple[socket.socket, socket.socket]:
    """A datagram socketpair whose sending side is full: the next send would block (EAGAIN)."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    a.setblocking(False)
    b.setblocking(False)
    n = 0
    while True:
        try:
            a.send(b"f")
        except BlockingIOError:
            return a, b
        n += 1
        assert n < 100000


def test_sendmsg_waits_for_room_and_keeps_one_shot_buffers() -> None:
    async def main() -> None:
        a, b = _full_unix_pair()
        try:
            with pytest.raises(BlockingIOError):  # pinned: the kernel really says EAGAIN
                a.send(b"f")
            pending = asyncio.ensure_future(aio.sendmsg(a, (part for part in (b"la", b"st"))))
            await asyncio.sleep(0.05)
            assert not pending.done()  # waiting on the loop for room
            drained = []
            while True:
                try:
                    drained.append(b.recv(16))
                except BlockingIOError:
                    if pending.done():
                        break
                    await asyncio.sleep(0.001)
            assert await pending == 4
            assert set(drained[:-1]) == {b"f"}
            tail = drained[-1] if drained[-1] == b"last" else (await aio.recvmsg(b)).data
            assert tail == b"last"
            assert_unregistered(a.fileno())
        finally:
            a.close()
            b.close()

    run(main)


def test_cancelled_send_leaves_no_writer() -> None:
    async def main() -> None:
        a, b = _full_unix_pair()
        try:
            for _ in range(50):
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(aio.sendmsg(a, b"never"), 0.001)
                assert_unregistered(a.fileno())
            b.recv(16)  # room for one
            assert await aio.sendmsg(a, b"now") == 3
        finally:
            a.close()
            b.close()

    run(main)


# ---- errors -----------------------------------------------------------------------------------------

def test_errors_propagate() -> None:
    async def main() -> None:
        closed = _udp()
        port = closed.getsockname()[1]
        closed.close()
        s = _udp()
        try:
            s.connect(("::1", port))
            await aio.sendmsg(s, b"nobody")
            with pytest.raises(ConnectionRefusedError):  # the ICMPv6 port unreachable, as errno
                await asyncio.wait_for(aio.recvmsg(s), 5)
            with pytest.raises(TypeError):
                await aio.sendmsg(s, "text")
            s.setblocking(True)
            with pytest.raises(ValueError, match="non-blocking"):
                await aio.recvmsg(s)
            with pytest.raises(ValueError, match="non-blocking"):
                await aio.sendmsg(s, b"x")
            s.setblocking(False)
        finally:
            s.close()
        with pytest.raises(OSError) as info:
            await aio.recvmsg(s)
        assert info.value.errno == errno.EBADF

    run(main)


def test_open_endpoint_options_before_bind_and_bad_arguments() -> None:
    async def main() -> None:
        opts = {"v6only": True, "reuseport": True, "recv_hoplimit": True}
        async with await aio.open_endpoint(("::", 0), options=opts) as one:
            port = one.local_address[1]
            assert one.options.v6only and one.options.reuseport
            # SO_REUSEPORT was set before bind on both, so the same port binds twice
            async with await aio.open_endpoint(("", port), options=opts) as two:
                assert two.local_address[1] == port
        with pytest.raises(ValueError, match="unknown socket option"):
            await aio.open_endpoint(options={"no_such_option": 1})
        with pytest.raises(TypeError):
            await aio.open_endpoint(options=[("v6only", True)])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await aio.open_endpoint("::1")
        with pytest.raises(OSError):
            await aio.open_endpoint(("2001:db8::dead", 0))  # not ours: EADDRNOTAVAIL
        stream = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        with pytest.raises(ValueError, match="SOCK_STREAM"):
            await aio.open_endpoint(sock=stream)
        stream.close()
        v4sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        async with await aio.open_endpoint((IPv4Address("127.0.0.1"), 0), sock=v4sock) as v4:
            assert v4.sock is v4sock and v4sock.gettimeout() == 0.0 and v4.local_address[0] == "127.0.0.1"

    run(main)



class _LoopWithoutReaders(asyncio.SelectorEventLoop):
    """A working loop whose descriptor watching is BaseEventLoop's, which only raises: exactly what
    Windows' ProactorEventLoop inherits (it defines no add_reader/add_writer of its own)."""

    add_reader = asyncio.BaseEventLoop.add_reader
    add_writer = asyncio.BaseEventLoop.add_writer


def test_loop_without_add_reader_raises_not_supported() -> None:
    async def main() -> None:
        with pytest.raises(NotSupportedError, match="SelectorEventLoop") as info:
            await aio.open_endpoint(("::1", 0))
        assert info.value.errno == errno.ENOSYS and "_LoopWithoutReaders" in str(info.value)
        s = _udp()
        try:
            with pytest.raises(NotSupportedError):
                await aio.recvmsg(s)  # nothing queued: it has to wait, and cannot
            assert _ready._REGISTRY == {}
        finally:
            s.close()

    loop = _LoopWithoutReaders()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()


# ---- link-local multicast in a veth pair: the interface and the scope survive ------------------

GROUP, PORT = "ff02::fb", 5353  # mDNS's group and port: the python-zeroconf case


def _responder(ifname: str) -> dict[str, Any]:
    """Side a: bound to [::]:5353, joined on the veth; answers the first query to its sender."""
    async def main() -> dict[str, Any]:
        async with await aio.open_endpoint(("::", PORT), options={**RECV_ALL, "reuseport": True}) as ep:
            join_group(ep.sock, GROUP, ifname)
            msg = await ep.receive()
            assert msg.pktinfo is not None
            # reply from the interface the query came in on, to the scoped sender address
            await ep.send(b"answer:" + msg.data, msg.address, [PacketInfo("::", msg.pktinfo.ifindex)])
            return {"data": msg.data, "dst": msg.pktinfo.address_text, "ifindex": msg.pktinfo.ifindex,
                    "hoplimit": msg.hoplimit, "tclass": msg.tclass, "peer": str(msg.peer),
                    "address": msg.address}

    return asyncio.run(asyncio.wait_for(main(), 20))


def _querier(ifname: str) -> dict[str, Any]:
    """Side b: multicasts a query out of the veth (chosen by PacketInfo), repeats until answered."""
    async def main() -> dict[str, Any]:
        ifindex = socket.if_nametoindex(ifname)
        async with await aio.open_endpoint(("::", 0), options=RECV_ALL) as ep:
            for _ in range(100):
                await ep.send(b"query", (GROUP, PORT),
                              [PacketInfo("::", ifindex), HopLimit(255), TrafficClass(0x20)])
                try:
                    msg = await asyncio.wait_for(ep.receive(), 0.2)
                except asyncio.TimeoutError:
                    continue  # the responder had not joined yet
                assert msg.pktinfo is not None
                return {"data": msg.data, "dst": msg.pktinfo.address_text, "ifindex": msg.pktinfo.ifindex,
                        "peer": str(msg.peer), "address": msg.address, "own": ifindex}
            raise AssertionError("no answer")

    return asyncio.run(asyncio.wait_for(main(), 25))


@pytest.mark.skipif(netns_unavailable() is not None, reason=str(netns_unavailable()))
def test_link_local_multicast_round_trip_keeps_interface_and_scope() -> None:
    with VethPair() as pair:
        responder = pair.start("a", _responder, pair.ifname["a"])
        query = pair.run("b", _querier, pair.ifname["b"], timeout=30)
        answered = responder.result(30)
        index_a, index_b = pair.ifindex("a"), pair.ifindex("b")
    # side a: the query's destination group and receiving interface, and a scoped sender
    assert answered["data"] == b"query"
    assert answered["dst"] == f"{GROUP}%{index_a}" and answered["ifindex"] == index_a
    assert (answered["hoplimit"], answered["tclass"]) == (255, 0x20)
    peer_a = IPv6Address(answered["peer"])  # fe80::b or b's EUI-64 address: the kernel picks
    assert peer_a.is_link_local and peer_a.scope_id == str(index_a) and answered["address"][3] == index_a
    # side b: the unicast answer reached exactly the scoped address a saw, on b's veth
    assert query["data"] == b"answer:query"
    assert query["dst"] == f"{peer_a.compressed.split('%')[0]}%{index_b}"
    assert query["ifindex"] == index_b == query["own"]
    peer_b = IPv6Address(query["peer"])
    assert peer_b.is_link_local and peer_b.scope_id == str(index_b) and query["address"][3] == index_b
