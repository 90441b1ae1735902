"""Waiting for a descriptor to become readable or writable on an asyncio loop, without leaks.

One registration per (loop, descriptor, direction), shared by every task
waiting on it: ``loop.add_reader`` replaces an earlier callback for the same
descriptor, so two tasks each adding their own reader would lose one.  Each
readiness callback wakes one waiter (the loop's selector is level-triggered:
while the socket stays ready the callback runs again and wakes the next).
When no waiter is left -- the last one woken, cancelled (``asyncio.wait_for``
timeouts) or failed by :func:`release` -- the registration is removed, so a
socket the caller closes afterwards leaves no stale descriptor in the
selector.

An *owner* that removes the registration itself before its socket closes
(:class:`~sockapi6.aio.DatagramEndpoint`, through :func:`release`) may let it
linger: after its last waiter is woken the registration stays until a
waiter is cancelled, the owner releases it, or the second readiness callback
in a row finds nobody waiting (the first may be the stale report of a
datagram just taken).  A receive loop then re-uses one registration instead
of two ``epoll_ctl`` calls per wait.  An idle lingering
registration is re-used only by its own owner; anyone else replaces it (the
descriptor may have been closed and re-used meanwhile).  A lingering
registration's report can be stale (the loop polled before a woken waiter
took its datagram, and the callback runs after that waiter queued its next
wait): the first report after a woken waiter finished is checked with one
zero-timeout ``poll`` before it wakes anyone.  With both, an endpoint whose
every receive waits does one ``epoll_wait`` per datagram and nothing else:
1.27x ``loop.sock_recvfrom``/``sock_sendto`` in ping-pong against an echo
process (``benchmarks/bench_aio.py``).

Descriptor numbers outlive sockets: a socket closed behind this module's back
(not through :func:`release`) silently leaves the kernel's epoll set, and the
number may name a new socket at once.  So each registration remembers the
socket it waits for; a waiter for another socket on the same number finds it
stale, fails its waiters with ``OSError(EBADF)`` and replaces it, and the
loop's entry for a number is removed only while it is still this module's
own, so a registration of whoever owns the number now is never touched.
"""

from __future__ import annotations

import errno as _errno
import select
from asyncio import AbstractEventLoop, BaseEventLoop
from collections import deque
from typing import TYPE_CHECKING
from weakref import ref

from ..errors import NotSupportedError

if TYPE_CHECKING:
    from asyncio import Future
    from typing import Callable, Optional

_Key = tuple[AbstractEventLoop, int, bool]


class _Waiters:
    """The futures of the tasks waiting for one (loop, descriptor, direction), and its registration."""

    __slots__ = ("futures", "idle", "key", "owner", "poller", "sock", "suspect", "woken")

    def __init__(self, key: _Key, sock: object) -> None:
        self.key = key
        self.sock = sock  # the socket waited for: the number is its descriptor while it is open
        self.futures: deque[Future[None]] = deque()
        self.owner: Optional[ref[object]] = None  # set: linger for this owner once woken
        self.woken = 0  # waiters woken that have not run yet
        self.idle = False  # lingering: one callback already found nobody
        self.suspect = False  # a woken waiter just finished: the next report may be stale
        self.poller: Optional[select.poll] = None

    def _stale(self) -> bool:
        """Whether the descriptor is, right now, not ready after all (one zero-timeout ``poll``).

        A lingering registration's report can be stale: the loop polled while
        the datagram a waiter was woken for was still queued, the waiter took
        it (and queued a new wait) before this report's callback ran.  Waking
        the new waiter for it would cost a failed receive and a second wait.
        """
        poller = self.poller
        _loop, fd, write = self.key
        if poller is None:
            poller = self.poller = select.poll()
            poller.register(fd, select.POLLOUT if write else select.POLLIN)
        try:
            return not poller.poll(0)
        except (OSError, ValueError):  # closed meanwhile: wake, the waiter finds out
            return False

    def ready(self) -> None:
        """The loop's callback: wake the first waiter still waiting; unregister when none is left.

        A lingering registration stays while a woken waiter has yet to run
        (the selector reports the datagram it will take once more, and that
        report may still be queued when the waiter has taken it) and goes at
        the second callback in a row that finds nobody.
        """
        futures = self.futures
        if self.suspect:
            self.suspect = False
            if futures and self._stale():
                return
        while futures:
            future = futures.popleft()
            if not future.done():
                future.set_result(None)
                self.woken += 1
                if futures or self.owner is not None:
                    return
                break
        if self.owner is not None:
            if self.woken:
                return
            if not self.idle:
                self.idle = True
                return
        self.stop()

    def discard(self, future: Future[None]) -> None:
        """A waiter is done: if it was still queued (cancelled) and the last, unregister.

        A waiter that was woken or failed is no longer queued: :meth:`ready`
        or :func:`release` has decided about the registration.
        """
        # membership first: a failed deque.remove() formats the future's repr into its ValueError,
        # which costs more than the whole receive (and a woken waiter is never queued)
        if future not in self.futures:
            if not future.cancelled() and future.exception() is None:
                self.woken -= 1
                self.suspect = self.owner is not None  # lingering: a report of what it took may follow
            return
        self.futures.remove(future)
        if not self.futures:
            self.stop()

    def stop(self) -> None:
        """Remove the loop registration (once), unless the number now belongs to someone else."""
        if _REGISTRY.get(self.key) is self:
            del _REGISTRY[self.key]
            loop, fd, write = self.key
            if not loop.is_closed() and (_owns(self.sock, fd) or _ours(loop, fd, write, self.ready)):
                (loop.remove_writer if write else loop.remove_reader)(fd)

    def fail(self, make_error: Callable[[], BaseException]) -> None:
        """Fail every waiter with its own ``make_error()``."""
        for future in self.futures:
            if not future.done():
                future.set_exception(make_error())
        self.futures.clear()


def _owns(sock: object, fd: int) -> bool:
    """Whether ``sock`` is open on descriptor ``fd``."""
    try:
        return bool(sock.fileno() == fd)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _ours(loop: AbstractEventLoop, fd: int, write: bool, callback: Callable[[], None]) -> bool:
    """Whether the loop's entry for ``fd`` still runs ``callback`` (known only for selector loops).

    A closed socket's number may already be registered by its new owner:
    removing that entry would silence the new socket.
    """
    selector = getattr(loop, "_selector", None)
    if selector is None:
        return False
    try:
        handles = selector.get_key(fd).data
    except (KeyError, ValueError):
        return False
    handle = handles[1 if write else 0] if isinstance(handles, tuple) and len(handles) == 2 else None
    return handle is not None and getattr(handle, "_callback", None) == callback


def _bad_descriptor() -> OSError:
    return OSError(_errno.EBADF, "the socket was closed while this call waited for it")


#: the registrations in place now
_REGISTRY: dict[_Key, _Waiters] = {}


def unsupported(loop: AbstractEventLoop) -> NotSupportedError:
    """The error for a loop without ``add_reader``/``add_writer`` (Windows' ``ProactorEventLoop``)."""
    return NotSupportedError(
        "loop.add_reader()/add_writer()", platform=f"{type(loop).__name__}", errno=_errno.ENOSYS,
        reason="sockapi6.aio waits for socket readiness; on Windows run it on asyncio.SelectorEventLoop "
               "(asyncio.run(main(), loop_factory=asyncio.SelectorEventLoop), or "
               "asyncio.WindowsSelectorEventLoopPolicy before Python 3.12)")


def check_loop(loop: AbstractEventLoop) -> None:
    """Raise :class:`~sockapi6.errors.NotSupportedError` if ``loop`` cannot watch descriptors.

    The proactor loop inherits ``add_reader`` from ``BaseEventLoop``, which only raises; other loops
    are found out on their first wait.
    """
    method = getattr(type(loop), "add_reader", None)
    if method is None or method in (BaseEventLoop.add_reader, AbstractEventLoop.add_reader):
        raise unsupported(loop)


def _registration(loop: AbstractEventLoop, sock: object, fd: int, write: bool, owner: object) -> _Waiters:
    """The registration to wait on: the current one if in use or idle for ``owner``, else a new one.

    A registration for another socket that no longer owns ``fd`` is stale (that socket was closed
    and the number re-used): its waiters fail with EBADF and it is replaced.
    """
    key = (loop, fd, write)
    waiters = _REGISTRY.get(key)
    if waiters is not None:
        if waiters.sock is not sock and not _owns(waiters.sock, fd):
            waiters.fail(_bad_descriptor)
        elif waiters.futures or (owner is not None and waiters.owner is not None
                                 and waiters.owner() is owner):
            return waiters
        waiters.stop()  # idle and lingering for someone else, or stale: the number may be another socket now
    other = _REGISTRY.get((loop, fd, not write))
    if other is not None and other.sock is not sock and not _owns(other.sock, fd):
        other.fail(_bad_descriptor)  # the other direction's entry is stale too: the loop would refuse ours
        other.stop()
    waiters = _Waiters(key, sock)
    add: Callable[..., object] = loop.add_writer if write else loop.add_reader
    try:
        add(fd, waiters.ready)
    except NotImplementedError:
        raise unsupported(loop) from None
    _REGISTRY[key] = waiters
    return waiters


async def wait(loop: AbstractEventLoop, sock: object, fd: int, write: bool, again: bool = False,
               owner: object = None) -> None:
    """Return when ``sock`` (open on ``fd``) is readable (``write`` False) or writable, as seen by ``loop``.

    Waiters are woken in the order they came; ``again`` (a waiter woken for
    nothing: another task took the datagram) keeps its place at the front.
    ``owner`` (weak-referenceable; it must call :func:`release` before the
    socket closes): let the registration linger for it.  Cancellation
    removes the waiter, and the registration if it was the last.
    """
    waiters = _registration(loop, sock, fd, write, owner)
    waiters.owner = None if owner is None else ref(owner)
    waiters.idle = False
    future: Future[None] = loop.create_future()
    (waiters.futures.appendleft if again else waiters.futures.append)(future)
    try:
        await future
    finally:
        waiters.discard(future)


def release(sock: object, make_error: Optional[Callable[[], BaseException]] = None) -> None:
    """Unregister ``sock`` from every loop; with ``make_error``, fail its waiters (each with its own error).

    Called before a socket is closed: a closed descriptor silently leaves the
    kernel's epoll set, so its waiters would never wake, and a lingering
    registration would outlive it.  Without ``make_error`` only idle
    registrations are removed.  Registrations are found by socket, not by
    number: if ``sock`` was closed elsewhere and its number re-used, the new
    socket's registrations stay.
    """
    for key in [key for key, waiters in _REGISTRY.items() if waiters.sock is sock]:
        waiters = _REGISTRY[key]
        if waiters.futures:
            if make_error is None:
                continue
            waiters.fail(make_error)
        waiters.stop()
