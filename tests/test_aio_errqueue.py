"""The error queue on an asyncio loop: no spinning while an error sits queued (design kernel facts:
POLLERR makes a socket "readable" to asyncio), ``receive_error`` / ``recv_error``, one queue per socket."""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
import time
from typing import Any

import pytest

import sockapi6
from sockapi6 import aio

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MSG_ERRQUEUE is Linux's")


def _dead_port() -> int:
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(("::1", 0))
        return int(s.getsockname()[1])


async def _queue_an_error(ep: aio.DatagramEndpoint) -> int:
    port = _dead_port()
    await ep.send(b"probe", ("::1", port))
    await asyncio.sleep(0.05)
    try:  # the queued ICMPv6 error also sets the pending error: the next receive raises it once
        ep.sock.recv(1)
    except ConnectionRefusedError:
        pass
    except BlockingIOError:
        pass
    return port


async def _cpu_while_waiting(awaitable: Any, seconds: float = 0.5) -> float:
    start = time.process_time()
    try:
        await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        pass
    return time.process_time() - start


def test_receive_does_not_spin_while_an_error_is_queued() -> None:
    async def main() -> tuple[float, Any, Any, float]:
        ep = await aio.open_endpoint(("::1", 0), options={"recv_err": True})
        async with ep:
            port = await _queue_an_error(ep)
            cpu = await _cpu_while_waiting(ep.receive())
            # the receive keeps serving datagrams
            with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as tx:
                tx.sendto(b"data", ep.local_address)
                msg = await asyncio.wait_for(ep.receive(), 2)
            error = await asyncio.wait_for(ep.receive_error(), 2)
            idle = await _cpu_while_waiting(ep.receive_error())
            return cpu, (msg.data, port), error, idle

    cpu, (data, port), error, idle = asyncio.run(main())
    # before the drain: ~0.9 s of CPU per second here (the reader fired ~50,000 times in 0.5 s)
    assert cpu < 0.05, f"{cpu:.3f} s of CPU in 0.5 s of waiting"
    assert idle < 0.05, f"{idle:.3f} s of CPU waiting for an error"
    assert data == b"data"
    assert error.error is not None and error.error.errno == errno.ECONNREFUSED
    assert error.address[1] == port  # an error-queue message's address is the probe's destination


def test_module_level_calls_share_one_queue() -> None:
    async def main() -> tuple[float, Any]:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        sock.bind(("::1", 0))
        sock.setblocking(False)
        sockapi6.SocketOptions(sock).recv_err = True
        with sock:
            sock.sendto(b"probe", ("::1", _dead_port()))
            await asyncio.sleep(0.05)
            try:
                sock.recv(1)
            except (ConnectionRefusedError, BlockingIOError):
                pass
            cpu = await _cpu_while_waiting(aio.recvmsg(sock))  # moves the error aside, then waits
            return cpu, await asyncio.wait_for(aio.recv_error(sock), 2)

    cpu, error = asyncio.run(main())
    assert cpu < 0.05 and error.error.errno == errno.ECONNREFUSED


def test_receive_error_wakes_when_an_error_arrives_and_close_fails_waiters() -> None:
    async def main() -> tuple[Any, BaseException]:
        ep = await aio.open_endpoint(("::1", 0), options={"recv_err": True})
        waiting = asyncio.ensure_future(ep.receive_error())
        await asyncio.sleep(0.05)
        await ep.send(b"probe", ("::1", _dead_port()))
        error = await asyncio.wait_for(waiting, 2)
        second = asyncio.ensure_future(ep.receive_error())
        await asyncio.sleep(0.05)
        ep.close()
        try:
            await asyncio.wait_for(second, 2)
        except OSError as exc:
            return error, exc
        raise AssertionError("receive_error() returned after close()")

    error, closed = asyncio.run(main())
    assert error.error.errno == errno.ECONNREFUSED
    assert isinstance(closed, OSError) and closed.errno == errno.EBADF


def test_receive_error_refuses_closed_endpoint_and_blocking_socket() -> None:
    async def main() -> None:
        ep = await aio.open_endpoint(("::1", 0))
        ep.close()
        with pytest.raises(OSError) as info:
            await ep.receive_error()
        assert info.value.errno == errno.EBADF
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as blocking:
            with pytest.raises(ValueError):
                await aio.recv_error(blocking)

    asyncio.run(main())
