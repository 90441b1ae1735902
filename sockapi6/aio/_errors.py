"""The socket error queue on an asyncio loop, without spinning (Linux ``MSG_ERRQUEUE``, ip(7)/ipv6(7)).

A queued error (an ICMPv6 report with ``IPV6_RECVERR`` on, a transmit
timestamp) makes the socket report ``POLLERR``, and ``POLLERR`` is always
reported: to asyncio the socket is "readable" while a receive finds no
datagram, so a reader that only retries fires again at once (~50,000 times
in 0.5 s).  So the receive paths drain: when a wake-up finds no datagram,
the socket's error queue is moved into a queue of this module's own (one
per socket, weakly keyed, shared by :class:`~sockapi6.aio.DatagramEndpoint`
and the module-level functions), which clears ``POLLERR``; the receive
waits again and costs nothing until a datagram comes.

Waiting for an error needs a readiness that data does not trigger: a
private ``epoll`` descriptor watches the socket with no events asked,
which reports exactly ``EPOLLERR`` / ``EPOLLHUP``, and the loop watches
that descriptor.  The kernel drops the socket from it when the socket is
closed, so a re-used descriptor number is never watched by mistake; the
socket's ``fileno()`` is read again before every wait and after every
wake-up (``OSError(EBADF)`` once closed).
"""

from __future__ import annotations

import errno as _errno
from asyncio import get_running_loop
from collections import deque
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from .._binding import CONSTANTS as _C
from .._checks import fileno
from ..errors import NotSupportedError
from ..messaging import recvmsg as _recvmsg

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop, Future
    from typing import Any, Optional

    from ..messaging import ReceivedMessage

__all__ = ["ErrorQueue", "drain", "queue_of", "receive_error"]

_MSG_ERRQUEUE: int = _C.get("MSG_ERRQUEUE", 0)
#: messages kept per socket while nobody reads them (the oldest go first)
MAX_QUEUED = 4096


class ErrorQueue:
    """The error-queue messages taken from one socket, and the tasks waiting for them."""

    __slots__ = ("__weakref__", "epoll", "fd", "loop", "messages", "waiters")

    def __init__(self) -> None:
        self.messages: deque[ReceivedMessage] = deque(maxlen=MAX_QUEUED)
        self.waiters: deque[Future[None]] = deque()
        self.epoll: Any = None
        self.fd = -1
        self.loop: Optional[AbstractEventLoop] = None

    def wake(self) -> None:
        """Wake every waiter (each takes a message or waits again)."""
        while self.waiters:
            future = self.waiters.popleft()
            if not future.done():
                future.set_result(None)

    def fail(self, make_error: Any) -> None:
        """Fail every waiter with its own ``make_error()`` and stop watching (the socket is closing)."""
        while self.waiters:
            future = self.waiters.popleft()
            if not future.done():
                future.set_exception(make_error())
        self.close()

    def stop_watching(self) -> None:
        if self.loop is not None and self.epoll is not None:
            if not self.loop.is_closed():
                self.loop.remove_reader(self.epoll.fileno())
            self.loop = None

    def close(self) -> None:
        self.stop_watching()
        if self.epoll is not None:
            self.epoll.close()
            self.epoll = None


_QUEUES: WeakKeyDictionary[Any, ErrorQueue] = WeakKeyDictionary()


def queue_of(sock: Any) -> ErrorQueue:
    """The error queue kept for ``sock`` (made on first use; goes with the socket)."""
    queue = _QUEUES.get(sock)
    if queue is None:
        queue = _QUEUES[sock] = ErrorQueue()
    return queue


def drain(sock: Any) -> int:
    """Move every message of ``sock``'s error queue into its :class:`ErrorQueue`; return how many.

    Clears the socket's ``POLLERR``.  Does nothing off Linux (no error queue).
    """
    if not _MSG_ERRQUEUE:
        return 0
    queue = None
    moved = 0
    while True:
        try:
            message = _recvmsg(sock, 65535, _MSG_ERRQUEUE)
        except (BlockingIOError, InterruptedError):
            break
        except OSError:  # not a socket with an error queue (or closed): nothing to move
            break
        if queue is None:
            queue = queue_of(sock)
        queue.messages.append(message)
        moved += 1
    if queue is not None:
        queue.wake()
    return moved


def _watch(queue: ErrorQueue, sock: Any, loop: AbstractEventLoop) -> None:
    """Have ``loop`` call back when ``sock`` reports POLLERR (and only then)."""
    import select

    fd = fileno(sock)
    if queue.epoll is None or queue.fd != fd:
        if queue.epoll is not None:
            queue.close()
        queue.epoll = select.epoll()
        queue.epoll.register(fd, 0)  # no events asked: EPOLLERR/EPOLLHUP only
        queue.fd = fd
    if queue.loop is not loop:
        queue.stop_watching()

        def ready() -> None:
            try:
                queue.epoll.poll(0)
            except (OSError, ValueError, AttributeError):
                pass
            drain(sock)
            if not queue.waiters:
                queue.stop_watching()

        loop.add_reader(queue.epoll.fileno(), ready)
        queue.loop = loop


async def receive_error(sock: Any) -> ReceivedMessage:
    """The next message of ``sock``'s error queue (``MSG_ERRQUEUE``), waiting for one if none is queued.

    ``msg.error`` is the :class:`~sockapi6.ancillary.ExtendedError`;
    ``msg.address`` the destination of the datagram that caused it; transmit
    timestamps come with ``msg.timestamping``.
    """
    if not _MSG_ERRQUEUE or not hasattr(__import__("select"), "epoll"):
        raise NotSupportedError("MSG_ERRQUEUE", reason="only Linux queues socket errors for reading")
    loop = get_running_loop()
    queue = queue_of(sock)
    while True:
        fd = fileno(sock)
        if not queue.messages:
            drain(sock)
        if queue.messages:
            message = queue.messages.popleft()
            if queue.messages:
                queue.wake()
            return message
        _watch(queue, sock, loop)
        future: Future[None] = loop.create_future()
        queue.waiters.append(future)
        try:
            await future
        finally:
            try:
                queue.waiters.remove(future)
            except ValueError:
                pass
            if not queue.waiters:
                queue.stop_watching()
        if fileno(sock) != fd:
            raise OSError(_errno.EBADF, "the socket's descriptor changed while waiting")
