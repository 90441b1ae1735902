""":class:`DatagramEndpoint` and :func:`open_endpoint`: a datagram socket for ``await`` and ``async for``.

Unlike an asyncio datagram transport, every datagram comes with its
ancillary data (RFC 3542 sections 5-6: the receiving interface and
destination of ``IPV6_PKTINFO``, hop limit, traffic class, extension
headers) and every send can carry some.
"""

from __future__ import annotations

import errno as _errno
import socket as _socket
from asyncio import get_running_loop, sleep
from ipaddress import IPv4Address, IPv6Address
from typing import TYPE_CHECKING

from .. import address as _address
from ..messaging import recvmsg as _recvmsg
from ..messaging._send import known_destination, prepare
from ._calls import RETRY, send_prepared, when_ready
from ._errors import _QUEUES as _ERROR_QUEUES
from ._errors import receive_error
from ._ready import check_loop, release

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any, Optional

    from .._types import AncillaryInput, Data, Destination
    from ..messaging import ReceivedMessage
    from ..sockopt import SocketOptions


def _closed_error() -> OSError:
    return OSError(_errno.EBADF, "the DatagramEndpoint is closed")


class DatagramEndpoint:
    """A non-blocking message socket driven by the running asyncio loop.

    ``await receive()`` returns a :class:`~sockapi6.ReceivedMessage`,
    ``await send(data, address, ancillary)`` sends one datagram (RFC 3542
    sections 5-6); ``async for msg in endpoint`` receives until the endpoint
    is closed.  ``options`` is a :class:`~sockapi6.SocketOptions` on the
    socket; ``sock`` is the socket itself (for :func:`~sockapi6.join_group`
    and the like).  The endpoint owns the socket: :meth:`close` (or leaving
    ``async with``) closes it, and tasks still waiting in :meth:`receive` or
    :meth:`send` get ``OSError(EBADF)`` (``async for`` just stops).

    Datagrams already queued are returned without suspending; after
    :attr:`yield_every` such operations in a row the endpoint yields to the
    loop once, so a flood cannot starve other tasks.  Any number of tasks may
    receive and send on one endpoint at once; each datagram goes to one of
    them.  Between receives the endpoint may keep its reader registered
    with the loop (re-used by the next wait; :meth:`close` removes it).
    Close the endpoint, not its socket, and from the loop's thread.
    """

    __slots__ = ("__weakref__", "_burst", "_closed", "_fd", "_last", "_options", "_sock")

    #: operations completed without waiting before the endpoint lets other tasks run
    yield_every = 64

    def __init__(self, sock: _socket.socket) -> None:
        if not isinstance(sock, _socket.socket):
            raise TypeError(f"a DatagramEndpoint needs a socket.socket, not {type(sock).__name__}")
        if sock.type == _socket.SOCK_STREAM:
            raise ValueError("a DatagramEndpoint needs a message socket (SOCK_DGRAM, SOCK_RAW), "
                             "not SOCK_STREAM")
        sock.setblocking(False)
        self._sock = sock
        self._fd = sock.fileno()
        self._closed = False
        self._burst = 0
        self._options: Optional[SocketOptions] = None
        #: (address object, its converted form) of the last plain send: tried first by identity
        self._last: tuple[Any, Any] = (None, None)

    @property
    def sock(self) -> _socket.socket:
        """The socket (non-blocking; do not close it behind the endpoint's back)."""
        return self._sock

    @property
    def options(self) -> SocketOptions:
        """The socket's IPv6 options as typed attributes (:class:`~sockapi6.SocketOptions`)."""
        options = self._options
        if options is None:
            from ..sockopt import SocketOptions

            options = self._options = SocketOptions(self._sock)
        return options

    @property
    def local_address(self) -> Any:
        """``getsockname()``: the address the socket is bound to."""
        return self._sock.getsockname()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def fileno(self) -> int:
        """The socket's descriptor (-1 once closed)."""
        return self._sock.fileno()

    async def _yield(self) -> None:
        """Let other tasks run once; refuse if the endpoint was closed meanwhile."""
        await sleep(0)
        if self._closed:
            raise _closed_error()

    async def receive(self, bufsize: int = 65535, flags: int = 0) -> ReceivedMessage:
        """Receive one datagram with its ancillary data (RFC 3542 section 5).

        Cancelling (``asyncio.wait_for``) leaves nothing registered with the
        loop; a datagram that arrived meanwhile stays queued.
        """
        if self._closed:  # counted inline: a method call is a measurable part of a round trip
            raise _closed_error()
        self._burst += 1
        if self._burst >= self.yield_every:
            self._burst = 0
            await self._yield()
        try:
            return _recvmsg(self._sock, bufsize, flags)
        except RETRY:
            pass
        self._burst = 0
        return await when_ready(self._sock, False, self, _recvmsg, self._sock, bufsize, flags)

    async def send(self, data: Data, address: Destination = None, ancillary: Iterable[AncillaryInput] = (),
                   flags: int = 0) -> int:
        """Send one datagram (RFC 3542 section 6); arguments as for :func:`sockapi6.sendmsg`."""
        if self._closed:
            raise _closed_error()
        self._burst += 1
        if self._burst >= self.yield_every:
            self._burst = 0
            await self._yield()
        if type(data) is bytes and not flags and type(ancillary) is tuple and not ancillary:
            if address is self._last[0]:  # the same peer object as the last send: a reply loop
                destination = self._last[1]
            else:
                destination = known_destination(self._sock, address)
                if destination is not None:
                    self._last = (address, destination)
            if destination is not None:  # a reply to a peer seen before: nothing to convert
                try:
                    return self._sock.sendto(data, destination)
                except RETRY:
                    pass
                self._burst = 0
                return await when_ready(self._sock, True, self, self._sock.sendto, data, destination)
        prepared = prepare(self._sock, data, address, ancillary)
        try:
            return send_prepared(self._sock, prepared, flags)
        except RETRY:
            pass
        self._burst = 0
        return await when_ready(self._sock, True, self, send_prepared, self._sock, prepared, flags)

    async def receive_error(self) -> ReceivedMessage:
        """The next message of the socket's error queue (Linux ``MSG_ERRQUEUE``), waiting if none.

        Set ``options.recv_err`` for ICMPv6 reports (``msg.error``, an
        :class:`~sockapi6.ancillary.ExtendedError`), ``options.timestamping``
        for transmit timestamps.  :meth:`receive` never spins on a queued
        error: it moves errors here and keeps serving datagrams.
        """
        if self._closed:
            raise _closed_error()
        return await receive_error(self._sock)

    def close(self) -> None:
        """Fail pending receives/sends with ``OSError(EBADF)``, then close the socket; again is a no-op."""
        if self._closed:
            return
        self._closed = True
        release(self._sock, _closed_error)
        errors = _ERROR_QUEUES.get(self._sock)
        if errors is not None:
            errors.fail(_closed_error)
        self._sock.close()

    def __del__(self) -> None:
        # unclosed: the socket closes itself (with its ResourceWarning); take its idle registration along
        if not getattr(self, "_closed", True):
            try:
                release(self._sock)
            except Exception:  # interpreter shutdown: modules half torn down
                pass

    async def __aenter__(self) -> DatagramEndpoint:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def __aiter__(self) -> DatagramEndpoint:
        return self

    async def __anext__(self) -> ReceivedMessage:
        """The next datagram; stops when the endpoint is (or gets) closed."""
        if self._closed:
            raise StopAsyncIteration
        try:
            return await self.receive()
        except OSError:
            if self._closed:
                raise StopAsyncIteration from None
            raise

    def __repr__(self) -> str:
        if self._closed:
            return "<DatagramEndpoint closed>"
        try:
            where = f" on {self._sock.getsockname()!r}"
        except OSError:
            where = ""
        return f"<DatagramEndpoint fd={self._fd}{where}>"


def _bind_address(local_addr: Any, family: int) -> Any:
    """The standard library's address for ``bind``: an IPv6 host may be text (``"fe80::1%eth0"``),
    an ``IPv6Address`` (scope kept) or empty for any address (RFC 3493 section 3.9)."""
    if not isinstance(local_addr, tuple):
        raise TypeError(f"local_addr must be a (host, port[, flowinfo, scope_id]) tuple, "
                        f"not {type(local_addr).__name__}")
    if family != _socket.AF_INET6:
        if local_addr and isinstance(local_addr[0], (IPv4Address, IPv6Address)):
            return (str(local_addr[0]), *local_addr[1:])
        return local_addr
    if len(local_addr) not in (2, 4):
        raise ValueError(f"an IPv6 local_addr is (host, port) or (host, port, flowinfo, scope_id), "
                         f"got {len(local_addr)} items")
    host, port = local_addr[0], local_addr[1]
    flowinfo, scope = (local_addr[2], local_addr[3]) if len(local_addr) == 4 else (0, 0)
    if host is None or host == "":
        host = "::"
    return _address.to_sockaddr_tuple(_address.to_ipv6(host, scope or None), port, flowinfo)


async def open_endpoint(local_addr: Any = None, *, family: int = _socket.AF_INET6,
                        options: Optional[Mapping[str, Any]] = None,
                        sock: Optional[_socket.socket] = None) -> DatagramEndpoint:
    """Make a :class:`DatagramEndpoint` on the running loop.

    Without ``sock``, a new ``SOCK_DGRAM`` socket of ``family``; with it,
    that socket (any message socket: UDP, raw ICMPv6, ...), whose ownership
    passes to the endpoint.  ``options`` maps :class:`~sockapi6.SocketOptions`
    attribute names to values, set in order before the bind (e.g.
    ``{"v6only": True, "recv_pktinfo": True, "reuseport": True}``); then the
    socket is bound to ``local_addr`` if one is given.  A socket created
    here is closed again if any of that fails.

    Raises :class:`~sockapi6.errors.NotSupportedError` on a loop that cannot
    watch sockets (Windows' ``ProactorEventLoop``, the default there: use
    ``asyncio.SelectorEventLoop``).
    """
    check_loop(get_running_loop())
    if options is not None and not callable(getattr(options, "items", None)):
        raise TypeError(f"options must be a mapping of SocketOptions names to values, "
                        f"not {type(options).__name__}")
    own = sock is None
    if sock is None:
        sock = _socket.socket(family, _socket.SOCK_DGRAM)
    try:
        endpoint = DatagramEndpoint(sock)
        if options:
            _apply(endpoint.options, options)
        if local_addr is not None:
            sock.bind(_bind_address(local_addr, sock.family))
    except BaseException:
        if own:
            sock.close()
        raise
    return endpoint


def _apply(target: SocketOptions, options: Mapping[str, Any]) -> None:
    from ..sockopt import ALL_NAMES

    for name, value in options.items():
        if name not in ALL_NAMES:
            raise ValueError(f"unknown socket option {name!r}; SocketOptions has {', '.join(ALL_NAMES)}")
        setattr(target, name, value)
