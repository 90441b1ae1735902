"""Descriptor safety: a call that waits never acts on a descriptor number its socket no longer owns.

Another thread closes the socket while the call waits in ``select``/``poll``
and a new socket takes the same descriptor number at once (``dup2`` when the
kernel hands out another one).  The kernel's ``select`` keeps a reference to
the *old* socket and re-polls the *number* when woken, so a datagram sent to
the old socket's port (or room made in the old socket's peer) wakes the
waiter while the number already names the new socket, which has a private
datagram queued (or room to send); a ``select`` that times out polls the
number once more, which finds the new socket as well.  The waiting call must raise
``OSError(EBADF)`` as the standard library does, and the new socket's
datagram must still be queued (nothing sent through it).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import socket
import threading
import time
from collections.abc import Awaitable, Iterator
from typing import Any, Callable

import pytest

from sockapi6 import aio
from sockapi6._system.binding import has_function
from sockapi6.messaging import BatchReceiver, _batch, _batch_send, recvmmsg, sendmmsg


@pytest.fixture(params=["syscall", "loop"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The one-call path (recvmmsg/sendmmsg, where libc has them) and the recvmsg/sendmsg loop."""
    if request.param == "loop":
        monkeypatch.setitem(_batch._RECEIVERS, True, _batch._RECEIVERS[False])
        monkeypatch.setitem(_batch_send._SENDERS, True, _batch_send._SENDERS[False])
    elif not (has_function("recvmmsg") and has_function("sendmmsg")):
        pytest.skip("this libc has no recvmmsg/sendmmsg")
    yield str(request.param)


def _on_number(fd: int, make: Callable[[], socket.socket]) -> socket.socket:
    """A new socket from ``make()`` whose descriptor is ``fd`` (moved there with dup2 if needed)."""
    new = make()
    if new.fileno() == fd:
        return new
    os.dup2(new.fileno(), fd)
    moved = socket.socket(new.family, new.type, new.proto, fileno=fd)
    new.close()
    return moved


class _Waiting:
    """``call()`` running in a thread; :meth:`outcome` joins it and returns what it raised or returned."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()
        time.sleep(0.3)  # let it reach select()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self.result = call()
        except BaseException as exc:  # handed to the test thread
            self.result = exc

    def outcome(self) -> Any:
        self.thread.join(10)
        assert not self.thread.is_alive(), "the waiting call never returned"
        return self.result


def _receive_case(receive: Callable[[socket.socket], Any]) -> None:
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::1", 0))
    rx.settimeout(5.0)
    old_address, fd = rx.getsockname(), rx.fileno()
    waiting = _Waiting(lambda: receive(rx))
    rx.close()
    new = _on_number(fd, lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        new.bind(("::1", 0))
        tx.sendto(b"private", new.getsockname())
        time.sleep(0.05)
        tx.sendto(b"wake", old_address)  # the old socket lives on in select(): this wakes the waiter
        outcome = waiting.outcome()
        assert isinstance(outcome, OSError) and outcome.errno == errno.EBADF, outcome
        new.settimeout(1.0)
        assert new.recv(100) == b"private"  # still queued for its owner
    finally:
        new.close()
        tx.close()


def test_recvmmsg_never_reads_a_reused_descriptor(path: str) -> None:
    _receive_case(lambda rx: recvmmsg(rx, 8, 256))


def test_batch_receiver_never_reads_a_reused_descriptor(path: str) -> None:
    def receive(rx: socket.socket) -> Any:
        return BatchReceiver(rx, count=4, bufsize=256).receive()

    _receive_case(receive)


def test_batch_receiver_refuses_a_closed_socket(path: str) -> None:
    rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    rx.bind(("::1", 0))
    rx.settimeout(1.0)
    receiver = BatchReceiver(rx)
    rx.close()
    with pytest.raises(OSError) as info:
        receiver.receive()
    assert info.value.errno == errno.EBADF


def test_sendmmsg_never_sends_through_a_reused_descriptor(path: str) -> None:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    a.setblocking(False)
    queued = 0
    while True:  # fill b's queue: a send on a then waits for room
        try:
            a.send(b"filler")
            queued += 1
        except BlockingIOError:
            break
    a.settimeout(1.0)  # select() polls the number once more when it times out: that finds the new socket
    fd = a.fileno()
    waiting = _Waiting(lambda: sendmmsg(a, [(b"private", None, ())]))
    a.close()
    pair: list[socket.socket] = []

    def make() -> socket.socket:
        pair.extend(socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM))
        return pair[0]

    new = _on_number(fd, make)
    peer = pair[1]
    try:
        b.recv(100)  # room in b's queue while fd names the new socket (writable: its peer is empty)
        outcome = waiting.outcome()
        assert isinstance(outcome, OSError) and outcome.errno == errno.EBADF, outcome
        peer.setblocking(False)
        with pytest.raises(BlockingIOError):
            peer.recv(100)  # nothing went out through the new socket
        assert queued > 0
    finally:
        for s in (new, b, *pair):
            s.close()


# ---- asyncio ------------------------------------------------------------------------------------

def _run(make: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        await asyncio.wait_for(make(), 20)

    asyncio.run(bounded())


def _udp() -> socket.socket:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::1", 0))
    s.setblocking(False)
    return s


def _new_udp_on(fd: int) -> socket.socket:
    new = _on_number(fd, lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
    new.bind(("::1", 0))
    new.setblocking(False)
    return new


def _queued(sock: socket.socket) -> list[bytes]:
    out = []
    while True:
        try:
            out.append(sock.recv(100))
        except BlockingIOError:
            return out


def test_aio_waiter_of_a_socket_closed_behind_its_back_fails_and_the_new_owner_reads() -> None:
    async def main() -> None:
        rx, tx = _udp(), _udp()
        fd = rx.fileno()
        stale = asyncio.ensure_future(aio.recvmsg(rx))
        await asyncio.sleep(0.01)
        rx.close()  # not through sockapi6: epoll forgets the descriptor, the waiter is not told
        new = _new_udp_on(fd)
        try:
            mine = asyncio.ensure_future(aio.recvmsg(new))  # waits on the number: retires the stale entry
            await asyncio.sleep(0.01)
            tx.sendto(b"private", new.getsockname())
            assert (await asyncio.wait_for(mine, 5)).data == b"private"  # its owner gets it
            with pytest.raises(OSError) as info:
                await asyncio.wait_for(stale, 5)
            assert info.value.errno == errno.EBADF
            assert _queued(new) == []
        finally:
            new.close()
            tx.close()

    _run(main)


def test_aio_writer_of_a_socket_closed_behind_its_back_never_sends() -> None:
    async def main() -> None:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        a.setblocking(False)
        b.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while True:
                a.send(b"filler")
        fd = a.fileno()
        stale = asyncio.ensure_future(aio.sendmsg(a, b"secret"))
        await asyncio.sleep(0.01)
        a.close()
        new, tx = _new_udp_on(fd), _udp()
        try:
            b.recv(100)  # room again on the old peer
            mine = asyncio.ensure_future(aio.recvmsg(new))  # a reader on the number retires the writer
            await asyncio.sleep(0.01)
            tx.sendto(b"private", new.getsockname())
            assert (await asyncio.wait_for(mine, 5)).data == b"private"
            with pytest.raises(OSError) as info:
                await asyncio.wait_for(stale, 5)
            assert info.value.errno == errno.EBADF
            assert set(_queued(b)) == {b"filler"}  # the secret went nowhere
        finally:
            for s in (new, tx, b):
                s.close()

    _run(main)


def test_aio_endpoint_close_wakes_waiters_and_never_touches_the_reused_number() -> None:
    async def main() -> None:
        ep = await aio.open_endpoint(("::1", 0))
        tx = _udp()
        fd = ep.fileno()
        receiving = asyncio.ensure_future(ep.receive())
        await asyncio.sleep(0.01)
        ep.close()
        with pytest.raises(OSError) as info:
            await asyncio.wait_for(receiving, 5)
        assert info.value.errno == errno.EBADF
        new = _new_udp_on(fd)
        try:
            tx.sendto(b"private", new.getsockname())
            await asyncio.sleep(0.01)
            for call in (ep.receive(), ep.send(b"secret", new.getsockname())):
                with pytest.raises(OSError) as info:
                    await call
                assert info.value.errno == errno.EBADF
            assert _queued(new) == [b"private"]  # not read by the endpoint; nothing sent through it
        finally:
            new.close()
            tx.close()

    _run(main)


def test_aio_endpoint_whose_socket_was_closed_leaves_the_new_owner_alone() -> None:
    async def main() -> None:
        ep = await aio.open_endpoint(("::1", 0))
        tx = _udp()
        fd = ep.fileno()
        ep.sock.close()  # misuse: behind the endpoint's back
        new = _new_udp_on(fd)
        try:
            pending = asyncio.ensure_future(aio.recvmsg(new))
            await asyncio.sleep(0.01)
            for call in (ep.receive(), ep.send(b"secret", new.getsockname())):
                with pytest.raises(OSError) as info:
                    await call
                assert info.value.errno == errno.EBADF
            ep.close()  # must not fail or unregister the new socket's waiter
            tx.sendto(b"private", new.getsockname())
            assert (await asyncio.wait_for(pending, 5)).data == b"private"
            assert _queued(new) == []
        finally:
            new.close()
            tx.close()

    _run(main)
