"""``await recvmsg(sock)`` / ``await sendmsg(sock, ...)``: :mod:`sockapi6.messaging` on an asyncio loop.

Each call tries the system call first and waits (:func:`._ready.wait`) only
when the kernel says ``EAGAIN``; ``EINTR`` retries as well; every other
``OSError`` propagates unchanged (RFC 3542 sections 5-6 for what is sent
and received).
"""

from __future__ import annotations

import errno as _errno
from asyncio import get_running_loop
from typing import TYPE_CHECKING

from .._checks import fileno
from ..messaging import ReceivedMessage
from ..messaging import recvmsg as _recvmsg
from ..messaging._send import prepare
from ._errors import _MSG_ERRQUEUE, drain
from ._ready import wait

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Callable, TypeVar

    from .._types import AncillaryInput, Data, Destination, MessageSocket

    _T = TypeVar("_T")

#: what a non-blocking socket raises when it would have to wait: wait, then try again
RETRY = (BlockingIOError, InterruptedError)


async def when_ready(sock: Any, write: bool, owner: object, call: Callable[..., _T], *args: Any) -> _T:
    """Wait until ``sock`` is ready, then return ``call(*args)``; wait again while it would block.

    ``sock``'s descriptor is read again before every wait and after every
    wake-up: once the socket is closed the call raises ``OSError(EBADF)``, so
    a descriptor number re-used by another socket is never waited on, read
    or written for this call.  ``owner``: None, or the object the loop
    registration may linger for (:func:`._ready.wait`).
    """
    loop = get_running_loop()
    again = False
    while True:
        fd = fileno(sock)
        await wait(loop, sock, fd, write, again, owner)
        if fileno(sock) != fd:
            raise OSError(_errno.EBADF, "the socket's descriptor changed while waiting")
        try:
            return call(*args)
        except RETRY:
            again = True
            if not write and _MSG_ERRQUEUE:
                # woken without a datagram: a queued error (POLLERR) may be why; move it aside, or the
                # reader fires again at once for ever (see ._errors)
                drain(sock)


def check_nonblocking(sock: Any) -> None:
    """Refuse a socket whose calls would block the whole loop (a timeout other than 0)."""
    gettimeout = getattr(sock, "gettimeout", None)
    if gettimeout is not None and gettimeout() != 0.0:
        raise ValueError("sockapi6.aio needs a non-blocking socket: call sock.setblocking(False) first")


def send_prepared(sock: Any, prepared: tuple[Any, ...], flags: int) -> int:
    """One ``socket.sendmsg`` of what :func:`sockapi6.messaging._send.prepare` made (converted once,
    however often the send is tried)."""
    buffers, cmsgs, destination = prepared
    if destination is None:
        return sock.sendmsg(buffers, cmsgs, flags)  # type: ignore[no-any-return]
    return sock.sendmsg(buffers, cmsgs, flags, destination)  # type: ignore[no-any-return]


async def recvmsg(sock: MessageSocket, bufsize: int = 65535, flags: int = 0) -> ReceivedMessage:
    """Receive one datagram with its ancillary data on the running loop (RFC 3542 section 5).

    ``sock`` must be non-blocking (``sock.setblocking(False)``).  Returns
    what :func:`sockapi6.recvmsg` returns; waits with ``loop.add_reader``
    only if nothing is queued.  Cancelling the call (``asyncio.wait_for``)
    leaves nothing registered with the loop, and the datagram, if one
    arrived meanwhile, stays queued for the next call.
    """
    check_nonblocking(sock)
    try:
        return _recvmsg(sock, bufsize, flags)
    except RETRY:
        pass
    return await when_ready(sock, False, None, _recvmsg, sock, bufsize, flags)


async def recv_error(sock: MessageSocket) -> ReceivedMessage:
    """The next message of ``sock``'s error queue (Linux ``MSG_ERRQUEUE``), waiting without spinning.

    Shares one per-socket queue with :func:`recvmsg` (which moves queued
    errors aside when they wake it instead of a datagram) and
    :meth:`DatagramEndpoint.receive_error`.  ``msg.error`` is the
    :class:`~sockapi6.ancillary.ExtendedError`.
    """
    check_nonblocking(sock)
    from ._errors import receive_error

    return await receive_error(sock)


async def sendmsg(sock: MessageSocket, data: Data, address: Destination = None,
                  ancillary: Iterable[AncillaryInput] = (),
                  flags: int = 0) -> int:
    """Send one datagram with ancillary data on the running loop (RFC 3542 section 6); return bytes sent.

    Arguments as for :func:`sockapi6.sendmsg` (``data`` bytes-like or a
    sequence of buffers; ``address`` None, text, an address object or a
    tuple; ``ancillary`` items of :mod:`sockapi6.ancillary`).  ``sock``
    must be non-blocking; the call waits with ``loop.add_writer`` only
    while the socket's send buffer is full.
    """
    check_nonblocking(sock)
    prepared = prepare(sock, data, address, ancillary)
    try:
        return send_prepared(sock, prepared, flags)
    except RETRY:
        pass
    return await when_ready(sock, True, None, send_prepared, sock, prepared, flags)
