"""Waiting for a descriptor to become readable or writable on an asyncio loop, without leaks.

One registration per (loop, descriptor, direction), shared by every task
waiting on it: ``loop.add_reader`` replaces an earlier callback for the same
descriptor, so two tasks each adding their own reader would lose one.  Each
readiness callback wakes one waiter (the loop's selector is level-triggered:
while the socket stays ready the callback runs again and wakes the next);
the registration is removed as soon as no waiter is left, whether the last
one was woken, cancelled (``asyncio.wait_for`` timeouts) or failed by
:func:`fail_waiters`.  Nothing stays registered between waits, so a socket
closed afterwards cannot leave a stale descriptor in the selector.
"""

from __future__ import annotations

import errno as _errno
from asyncio import AbstractEventLoop, BaseEventLoop
from collections import deque
from typing import TYPE_CHECKING

from ..errors import NotSupportedError

if TYPE_CHECKING:
    from asyncio import Future
    from typing import Callable

_Key = tuple[AbstractEventLoop, int, bool]


class _Waiters:
    """The futures of the tasks waiting for one (loop, descriptor, direction), and its registration."""

    __slots__ = ("futures", "key")

    def __init__(self, key: _Key) -> None:
        self.key = key
        self.futures: deque[Future[None]] = deque()

    def ready(self) -> None:
        """The loop's callback: wake the first waiter still waiting; unregister when none is left."""
        futures = self.futures
        while futures:
            future = futures.popleft()
            if not future.done():
                future.set_result(None)
                break
        if not futures:
            self.stop()

    def discard(self, future: Future[None]) -> None:
        """A waiter is done (woken, cancelled or failed): forget it; unregister when none is left."""
        try:
            self.futures.remove(future)
        except ValueError:
            pass
        if not self.futures:
            self.stop()

    def stop(self) -> None:
        """Remove the loop registration (once)."""
        if _REGISTRY.get(self.key) is self:
            del _REGISTRY[self.key]
            loop, fd, write = self.key
            if not loop.is_closed():
                (loop.remove_writer if write else loop.remove_reader)(fd)


#: the registrations in place now; an entry lives exactly as long as it has waiters
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


async def wait(loop: AbstractEventLoop, fd: int, write: bool, again: bool = False) -> None:
    """Return when ``fd`` is readable (``write`` False) or writable, as seen by ``loop``.

    Waiters are woken in the order they came; ``again`` (a waiter woken for
    nothing: another task took the datagram) keeps its place at the front.
    Cancellation (``asyncio.wait_for``, ``Task.cancel``) removes this waiter, and the loop's
    registration with it if it was the last.
    """
    key = (loop, fd, write)
    waiters = _REGISTRY.get(key)
    if waiters is None:
        waiters = _Waiters(key)
        add: Callable[..., object] = loop.add_writer if write else loop.add_reader
        try:
            add(fd, waiters.ready)
        except NotImplementedError:
            raise unsupported(loop) from None
        _REGISTRY[key] = waiters
    future: Future[None] = loop.create_future()
    (waiters.futures.appendleft if again else waiters.futures.append)(future)
    try:
        await future
    finally:
        waiters.discard(future)


def fail_waiters(fd: int, make_error: Callable[[], BaseException]) -> None:
    """Fail every task waiting on ``fd`` (each gets its own ``make_error()``) and unregister ``fd``.

    Called before a socket is closed: a closed descriptor silently leaves the kernel's epoll set,
    so its waiters would otherwise never wake.
    """
    for key in [key for key in _REGISTRY if key[1] == fd]:
        waiters = _REGISTRY[key]
        for future in waiters.futures:
            if not future.done():
                future.set_exception(make_error())
        waiters.futures.clear()
        waiters.stop()
