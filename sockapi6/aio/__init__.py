"""asyncio: ``recvmsg``/``sendmsg`` with ancillary data, and a datagram endpoint (RFC 3542 sections 5-6).

asyncio's datagram transports call ``recvfrom``/``sendto``: no packet info,
hop limit or traffic class, so a multicast responder bound to ``::`` cannot
tell which interface a query came in on, and CPython declined
``loop.sock_recvmsg`` (python/cpython#114857).  This module adds it from
outside, without patching asyncio::

    ep = await sockapi6.aio.open_endpoint(("::", 5353), options={"recv_pktinfo": True})
    async for msg in ep:                    # ReceivedMessage: data, address, pktinfo, hoplimit, ...
        await ep.send(reply, msg.address, [PacketInfo(msg.pktinfo.address, msg.pktinfo.ifindex)])

:func:`recvmsg` / :func:`sendmsg` do the same for any non-blocking socket.

Linux's error queue (``IPV6_RECVERR`` reports, transmit timestamps) is read
with :meth:`DatagramEndpoint.receive_error` / :func:`recv_error`; a queued
error never makes a receive spin (``_errors``: the receive moves it into a
per-socket queue and waits again).
Every call tries the system call first and waits with ``loop.add_reader`` /
``add_writer`` only when it would block; cancellation removes the wait.
A call re-reads its socket's descriptor before every wait and after every
wake-up and raises ``OSError(EBADF)`` once the socket is closed: a
descriptor number re-used by another socket is never read or written.

Loops: any asyncio loop with ``add_reader`` -- the default selector loop on
Unix, ``asyncio.SelectorEventLoop`` on Windows, uvloop.  Windows' default
``ProactorEventLoop`` has none; there :func:`open_endpoint` and the first
wait raise :class:`~sockapi6.errors.NotSupportedError`.

This package imports :mod:`asyncio`; ``import sockapi6`` does not import it.
Private submodules: ``_ready`` (waiting on the loop), ``_calls`` (the two
functions), ``_endpoint`` (:class:`DatagramEndpoint`).
"""

from __future__ import annotations

from ._calls import recv_error, recvmsg, sendmsg
from ._endpoint import DatagramEndpoint, open_endpoint

__all__ = ["DatagramEndpoint", "open_endpoint", "recv_error", "recvmsg", "sendmsg"]
